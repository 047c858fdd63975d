#!/bin/bash
# Build modules with real kbuild against Debian's linux-headers-amd64:
#   build.sh OUTDIR HEADERS_DIR SRCDIR...
# Each SRCDIR holds a module's sources and a Kbuild file; the .ko files
# land in OUTDIR.  The seed examples are built unchanged from examples/.
set -euo pipefail
out=$1 kdir=$2
here=$(cd "$(dirname "$0")" && pwd)
shift 2
mkdir -p "$out"
for src in "$@"; do
	name=$(basename "$src")
	work=$out/work/$name
	rm -rf "$work"
	mkdir -p "$work"
	cp "$src"/*.c "$work"/
	cp "$here/kcheck.h" "$work"/	# the test modules' CHECK()
	[ -f "$src/Kbuild" ] && cp "$src/Kbuild" "$work/Kbuild" || echo "obj-m := $name.o" >"$work/Kbuild"
	extra=
	[ -f "$src/depends" ] && for d in $(cat "$src/depends"); do
		extra="$extra $out/work/$d/Module.symvers"
	done
	make -s -C "$kdir" M="$work" KBUILD_EXTRA_SYMBOLS="$extra" modules >"$work/build.log" 2>&1 || {
		cat "$work/build.log" >&2
		exit 1
	}
	cp "$work/$name.ko" "$out/"
done
