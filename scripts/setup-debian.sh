#!/bin/bash
# Install what building and testing kmodfs needs on Debian 12, if missing.
set -euo pipefail

packages=(
	build-essential meson ninja-build pkg-config
	libfuse3-dev fuse3 libelf-dev libzstd-dev liblzma-dev zlib1g-dev
	libssl-dev libcmocka-dev python3 kmod util-linux bats
	linux-headers-amd64 openssl
	xz-utils zstd gzip
	clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
