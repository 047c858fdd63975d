#!/bin/bash
# Fetch Debian's linux-image package matching the installed
# linux-headers-amd64 (apt-get download; cached in build/), unpack it, and
# extract the kernel's module-signing certificate from its vmlinuz.
# Prints the environment the tests read:
#   KMODFS_DEBIAN_ROOT  the unpacked package (lib/modules/RELEASE/...)
#   KMODFS_DEBIAN_CERT  the signing certificate (DER)
set -euo pipefail
cd "$(dirname "$0")/.."

hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
[ -n "$hdr" ] || { echo "fetch-debian-modules: linux-headers-amd64 is not installed" >&2; exit 1; }
rel=${hdr##*/linux-headers-}
dir=$PWD/build/debian-$rel
if [ ! -d "$dir/root/lib/modules" ]; then
	mkdir -p "$dir"
	(
		cd "$dir"
		rm -f ./*.deb
		apt-get download "linux-image-$rel" >/dev/null 2>&1 || {
			sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
			$sudo apt-get update -qq >/dev/null
			apt-get download "linux-image-$rel" >/dev/null 2>&1
		}
		rm -rf root
		dpkg-deb -x linux-image-"$rel"_*.deb root
	) >&2
fi
if [ ! -s "$dir/kernel-cert.der" ]; then
	python3 tests/tools/extract-kernel-cert.py "$dir/root/boot/vmlinuz-$rel" \
		"$dir/kernel-cert.der" >&2
fi
echo "export KMODFS_DEBIAN_ROOT=$dir/root"
echo "export KMODFS_DEBIAN_CERT=$dir/kernel-cert.der"
echo "export KMODFS_DEBIAN_RELEASE=$rel"
