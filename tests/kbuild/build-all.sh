#!/bin/bash
# build-all.sh OUTDIR KBUILD_SRC_DIR EXAMPLES_DIR HEADERS_DIR TESTMODULE...
# Stage the seed examples (unchanged) and the kbuild test modules, then
# build them all with build.sh.
set -euo pipefail
out=$1 here=$2 ex=$3 kdir=$4
shift 4
src=$out/src
rm -rf "$src"
for m in hello getargs kaidock smallmod mulfile smalluser; do
	mkdir -p "$src/$m"
	cp "$ex/$m"/*.c "$src/$m/"
	[ -d "$here/$m" ] && cp "$here/$m"/* "$src/$m/"
done
for t in "$@"; do
	mkdir -p "$src/$t"
	cp "$here/$t"/* "$src/$t/"
done
"$here/build.sh" "$out" "$kdir" \
	"$src/hello" "$src/mulfile" "$src/getargs" "$src/kaidock" "$src/smallmod" \
	"$src/smalluser" $(for t in "$@"; do echo "$src/$t"; done)
