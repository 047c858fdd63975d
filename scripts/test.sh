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

python3 scripts/count-tests.py build/meson-logs/testlog.json \
	build-asan/meson-logs/testlog.json || status=1
exit $status
