#!/bin/bash
# The kmodfs benchmark: one command, not part of the test suite.
#
#   bash bench/run.sh [BUILD_DIR]        (default: build)
#
# Installs what is missing (apt-get), builds BUILD_DIR (kmodfs, floorfs,
# dlmod.so), fetches Debian's linux-image package for amdgpu.ko (as
# scripts/test.sh does), prepares the fixtures (compressed hello.ko
# copies; 200 copies of hello and 1,000 modules built from
# bench/benchmod.c under different names, cached in BUILD_DIR/bench/
# fixtures), mounts kmodfs and floorfs side by side in a temporary
# directory and runs bench/bench.py, which prints the table.  Every
# figure is a ratio against a baseline timed in the same run,
# interleaved, because these machines are noisy.  Every mount is
# unmounted on exit, whatever happens.
#
# BENCH_QUICK=1 runs fewer repetitions (a smoke test of the harness);
# BENCH_ONLY=cycle,param,link,compressed,memory,scale runs only those.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac

# ---- what the benchmark needs ------------------------------------------
bash scripts/setup-debian.sh
need=()
for p in python3 binutils zstd xz-utils gzip util-linux fuse3; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "bench: installing ${need[*]}" >&2
	sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---- build ----------------------------------------------------------------
# only what the benchmark runs, so that a broken test elsewhere does not stop it
[ -d "$build" ] || meson setup "$build" >/dev/null
targets=(src/fs/kmodfs src/tools/kmodfs-link src/tools/kmodfs-modpost
	 src/tools/kmodfs.symvers examples/hello.ko bench/floorfs bench/dlmod.so)
log=$(ninja -C "$build" "${targets[@]}" 2>&1) || { echo "$log" >&2; exit 1; }

# ---- Debian's amdgpu.ko and the matching kernel headers ---------------------
env=$(bash scripts/fetch-debian-modules.sh)
eval "$env"
amdgpu=$(find "$KMODFS_DEBIAN_ROOT/lib/modules" -path '*/amd/amdgpu/amdgpu.ko*' | head -n1)
[ -n "$amdgpu" ] || { echo "bench: no amdgpu.ko in $KMODFS_DEBIAN_ROOT" >&2; exit 1; }
headers=/usr/src/linux-headers-$KMODFS_DEBIAN_RELEASE

# ---- fixtures ------------------------------------------------------------------
fix=$build/bench/fixtures
kbuild=$build/src/tools/kmodfs-build
hello=$build/examples/hello.ko
mkdir -p "$fix"

# hello.ko compressed as Linux 6.1's modules_install compresses modules
cp "$hello" "$fix/hello.ko"
gzip -n -f -k "$fix/hello.ko"
xz --lzma2=dict=2MiB -f -k "$fix/hello.ko"
zstd -T0 -f -q -k "$fix/hello.ko"

# Many modules: building takes a minute, so they are kept until the SDK,
# the build tool or the sources change.
stamp=$fix/modules.stamp
fresh=1
for f in "$kbuild" "$build/src/tools/kmodfs-modpost" "$build/src/tools/kmodfs.symvers" \
	 examples/hello/hello.c bench/benchmod.c; do
	[ -e "$stamp" ] && [ "$stamp" -nt "$f" ] || fresh=0
done
[ $fresh = 1 ] && [ -n "$(find include -newer "$stamp" -print -quit)" ] && fresh=0
if [ $fresh = 0 ]; then
	echo "bench: building 200 hello copies and 1,000 benchmark modules (cached)" >&2
	rm -rf "$fix/hello-copies" "$fix/many" "$stamp"
	mkdir -p "$fix/hello-copies" "$fix/many"
	{
		for i in $(seq -f %03g 0 199); do
			echo "$fix/hello-copies/h$i.ko examples/hello/hello.c"
		done
		for i in $(seq -f %04g 0 999); do
			echo "$fix/many/bm$i.ko -DBENCH_ID=$((10#$i)) bench/benchmod.c"
		done
		echo "$fix/bparam.ko -DBENCH_ID=12345 bench/benchmod.c"
	} | xargs -P "$(nproc)" -L 1 sh -c '"$0" -o "$@" >/dev/null' "$kbuild"
	touch "$stamp"
fi

# ---- mounts live here; every one is unmounted on exit ---------------------------
work=$(mktemp -d /tmp/kmodfs-bench.XXXXXX)
shm=$(mktemp -d /dev/shm/kmodfs-bench.XXXXXX)
cleanup() {
	local m
	for m in $(awk -v w="$work" 'index($2, w) == 1 { print $2 }' /proc/mounts); do
		fusermount3 -u "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Other work on the machine (builds, fuzzers) takes CPUs away at random;
# the ratios absorb slow drifts, a higher priority keeps most of the rest
# out.  BENCH_NICE=0 measures at the normal priority.
nice_cmd=()
if [ "$(id -u)" -eq 0 ] && [ "${BENCH_NICE:--10}" != 0 ]; then
	nice_cmd=(nice -n "${BENCH_NICE:--10}")
fi

"${nice_cmd[@]}" python3 bench/bench.py \
	--build "$build" --work "$work" --tmpfs "$shm" --fixtures "$fix" \
	--amdgpu "$amdgpu" --headers "$headers" \
	--commit "$(git describe --always --dirty 2>/dev/null || echo unknown)" ${BENCH_ONLY:+--only "$BENCH_ONLY"}
