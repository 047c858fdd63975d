#!/bin/bash
# The main job on the bundled examples: set up, build, then load, show and
# unload every example module through the loader core.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

ex=build/examples
build/src/tools/kmodfs-run \
	load $ex/hello.ko \
	load $ex/mulfile.ko \
	load $ex/getargs.ko "intparam=123 arg=456 file=$PWD/examples/getargs/getargs.c filepath=$PWD/build/examples/getargs.ko" \
	load $ex/kaidock.ko loop=3 \
	load $ex/smallmod.ko \
	load $ex/smalluser.ko \
	lsmod \
	sleep 3500 \
	unload smalluser unload smallmod unload kaidock unload getargs \
	unload mulfile unload hello \
	lsmod
