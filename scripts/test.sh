#!/bin/bash
# The whole test suite: set up, build the normal and the sanitizer
# (address, undefined) configurations, run every test in both, and end
# with "N passed, N failed" over every test case.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh || exit 1

for cfg in build build-asan; do
	opts=(-Dwerror=true)
	[ $cfg = build-asan ] && opts+=(-Db_sanitize=address,undefined -Db_lundef=false)
	if [ -d $cfg ]; then
		meson setup --reconfigure "${opts[@]}" $cfg >/dev/null
	else
		meson setup "${opts[@]}" $cfg >/dev/null
	fi || exit 1
	ninja -C $cfg || exit 1
done

# Debian's own modules and signing certificate, for the kbuild tests
env=$(bash scripts/fetch-debian-modules.sh) || exit 1
eval "$env"

status=0
for cfg in build build-asan; do
	echo "=== tests ($cfg) ==="
	meson test -C $cfg --print-errorlogs --num-processes 2 || status=1
done

# ---- fuzzing (issue 7 "Hostile input"): a short libFuzzer run --------
# Every target in fuzz/ for 20 s, in a clang build of its own; each
# target is one test ("ok N - fuzz TARGET" in build-fuzz/fuzz-results.tap).
# fuzz/run.sh documents longer runs.
echo "=== fuzzing (build-fuzz) ==="
rm -f build-fuzz/fuzz-results.tap
fuzz_opts=(-Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false)
# (a build-fuzz made with another compiler is made again)
grep -qs 'command = clang ' build-fuzz/build.ninja || rm -rf build-fuzz
if [ -d build-fuzz ]; then
	meson setup --reconfigure "${fuzz_opts[@]}" build-fuzz >/dev/null
else
	CC=clang meson setup "${fuzz_opts[@]}" build-fuzz >/dev/null
fi && bash fuzz/run.sh build-fuzz 20 || status=1
# ---- end of fuzzing ------------------------------------------------------

python3 scripts/count-tests.py build/meson-logs/testlog.json \
	build-asan/meson-logs/testlog.json build-fuzz/fuzz-results.tap || status=1
exit $status
