#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
#
# Run the libFuzzer targets of a -Dfuzz=true build (see fuzz/meson.build):
# build them, make the seed corpora (fuzz/make-corpus.sh), run each
# target for SECONDS_PER_TARGET (all of them, or the TARGETs named), and
# fail if any found a crash, a sanitizer report, a leak, a timeout or an
# out-of-memory.  Prints a summary (executions, exec/s, coverage) and
# writes it as TAP to BUILD_DIR/fuzz-results.tap, one test per target.
#
# Kept between runs, in BUILD_DIR:
#   fuzz-corpus/TARGET     what the fuzzer found interesting (grows)
#   fuzz-artifacts/TARGET  crashing, leaking, slow inputs (crash-*, ...);
#                          an earlier run's move to fuzz-artifacts/previous
#   fuzz-logs/TARGET.log   libFuzzer's output
# Reproduce an artifact: BUILD_DIR/fuzz/fuzz-TARGET FILE (with
# KMODFS_FUZZ_DEBUG=1 to see the kernel log the input produced).
#
# Environment: KMODFS_FUZZ_KERNEL (a kernel build tree for link-kbuild;
# default the newest /usr/src/linux-headers-*-amd64), KMODFS_FUZZ_JOBS
# (parallel targets, default 2), FUZZ_ARGS (more libFuzzer flags).
set -uo pipefail

[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR SECONDS_PER_TARGET [TARGET...]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" 2>/dev/null && pwd) || {
	echo "run.sh: no build directory $1; make one with" >&2
	echo "  CC=clang meson setup $1 -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false" >&2
	exit 1
}
secs=$2
shift 2
tap=$build/fuzz-results.tap
rm -f "$tap"

ninja -C "$build" fuzz >"$build/fuzz-build.log" 2>&1 || {
	tail -n 30 "$build/fuzz-build.log" >&2
	echo "run.sh: building the fuzz targets failed (is $build configured with -Dfuzz=true?)" >&2
	echo "1..1" >"$tap"
	echo "not ok 1 - fuzz: build" >>"$tap"
	exit 1
}

# Modules for the seeds beyond the build's own: the normal build's kbuild
# modules and Debian's (scripts/fetch-debian-modules.sh), when present.
extra=()
for d in "$root"/build/tests/kbuild "$root"/build/debian-*/root/lib/modules/*/kernel/lib \
	 ${KMODFS_FUZZ_MODULE_DIRS:-}; do
	[ -d "$d" ] && extra+=("$d")
done
seeds=$build/fuzz-seeds
bash "$root/fuzz/make-corpus.sh" "$build" "$seeds" "${extra[@]}" >"$build/fuzz-seeds.log" 2>&1 || {
	cat "$build/fuzz-seeds.log" >&2
	echo "run.sh: making the seed corpus failed" >&2
	echo "1..1" >"$tap"
	echo "not ok 1 - fuzz: seed corpus" >>"$tap"
	exit 1
}

kernel=${KMODFS_FUZZ_KERNEL:-$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)}

# name  binary  dictionary  environment
all=(
	"link fuzz-link elf.dict"
	"link-kbuild fuzz-link elf.dict KMODFS_FUZZ_KERNEL=$kernel"
	"modinfo fuzz-modinfo elf.dict"
	"sig-trailer fuzz-sig-trailer pkcs7.dict"
	"pkcs7 fuzz-pkcs7 pkcs7.dict"
	"gzip fuzz-gzip -"
	"xz fuzz-xz -"
	"zstd fuzz-zstd -"
	"params fuzz-params params.dict"
)
targets=()
for t in "${all[@]}"; do
	name=${t%% *}
	if [ $# -gt 0 ]; then
		[[ " $* " == *" $name "* ]] || continue
	fi
	if [ "$name" = link-kbuild ] && { [ -z "$kernel" ] || [ -z "$(ls "$seeds/link-kbuild")" ]; }; then
		echo "run.sh: skipping link-kbuild (no kernel headers or kbuild modules)" >&2
		continue
	fi
	targets+=("$t")
done

mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts" "$build/fuzz-logs"

# run_one "name binary dict [VAR=value]": libFuzzer's exit status
run_one() {
	local name binary dict env
	read -r name binary dict env <<<"$1"
	local corpus=$build/fuzz-corpus/$name art=$build/fuzz-artifacts/$name
	local log=$build/fuzz-logs/$name.log
	local args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=4096
		-print_final_stats=1 -artifact_prefix="$art/")
	[ "$dict" != - ] && args+=(-dict="$root/fuzz/$dict")
	mkdir -p "$corpus" "$art"
	# what an earlier run found stays, out of this run's way
	if [ -n "$(ls "$art")" ]; then
		mkdir -p "$build/fuzz-artifacts/previous/$name"
		mv "$art"/* "$build/fuzz-artifacts/previous/$name/"
	fi
	# a small quarantine keeps LeakSanitizer's checks fast
	env ${env:+"$env"} \
		ASAN_OPTIONS=quarantine_size_mb=16:detect_leaks=1:${ASAN_OPTIONS:-} \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-} \
		"$build/fuzz/$binary" "${args[@]}" ${FUZZ_ARGS:-} "$corpus" "$seeds/$name" \
		>"$log" 2>&1
}

jobs=${KMODFS_FUZZ_JOBS:-2}
pids=()
for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	name=${t%% *}
	echo "run.sh: fuzzing $name for ${secs}s" >&2
	( run_one "$t"; echo $? >"$build/fuzz-logs/$name.status" ) &
	pids+=($!)
done
wait "${pids[@]}" 2>/dev/null

status=0
i=0
echo "1..${#targets[@]}" >"$tap"
printf '%-12s %10s %8s %7s %7s %6s  %s\n' target execs exec/s cov ft corpus result
for t in "${targets[@]}"; do
	name=${t%% *}
	i=$((i + 1))
	log=$build/fuzz-logs/$name.log
	rc=$(cat "$build/fuzz-logs/$name.status" 2>/dev/null || echo 99)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
	last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
	found=$(ls "$build/fuzz-artifacts/$name" 2>/dev/null | grep -E '^(crash|leak|timeout|oom|slow-unit)-' || true)
	result=ok
	if [ "$rc" != 0 ] || [ -n "$found" ]; then
		result=FAILED
		status=1
	fi
	printf '%-12s %10s %8s %7s %7s %6s  %s\n' "$name" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
	if [ $result = ok ]; then
		echo "ok $i - fuzz $name: ${execs:-?} execs, ${rate:-?}/s, cov ${cov:-?}" >>"$tap"
	else
		echo "not ok $i - fuzz $name: libFuzzer status $rc, see $log" >>"$tap"
		for f in $found; do
			echo "#   $build/fuzz-artifacts/$name/$f" >>"$tap"
		done
		{
			echo "=== $name: libFuzzer status $rc ($log) ==="
			grep -E -A25 '^==[0-9]+==ERROR|runtime error|^kmodfs-fuzz: |Test unit written|libFuzzer: (deadly|timeout|out-of-memory)' \
				"$log" | head -n 60
			for f in $found; do
				echo "artifact: $build/fuzz-artifacts/$name/$f"
			done
		} >&2
	fi
done
exit $status
