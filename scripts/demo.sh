#!/bin/bash
# The main job on the bundled examples: set up, build, mount kmodfs, load
# every example module with cp, show what the mount shows, unload them
# with rmdir, and unmount.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

mnt=$(mktemp -d /tmp/kmodfs-demo.XXXXXX)
cleanup() {
	mountpoint -q "$mnt" && fusermount3 -u "$mnt"
	rmdir "$mnt" 2>/dev/null || true
}
trap cleanup EXIT

run() {
	echo "\$ $*"
	"$@"
}

ex=build/examples
build/src/fs/kmodfs "$mnt"
echo "kmodfs mounted on $mnt"
printf 'options getargs intparam=123 arg=456 array=12,23,34,45,56\n' >"$mnt/etc/modprobe.d/getargs.conf"
for m in hello mulfile getargs kaidock smallmod smalluser; do
	run cp $ex/$m.ko "$mnt/load/"
done
run cat "$mnt/proc/modules"
run ls "$mnt/sys/module"
run ls -l "$mnt/sys/module/kaidock/parameters"
run readlink "$mnt/sys/module/smallmod/holders/smalluser"
echo "\$ echo 3 > $mnt/sys/module/kaidock/parameters/loop"
echo 3 >"$mnt/sys/module/kaidock/parameters/loop"
run cat "$mnt/sys/module/kaidock/parameters/loop"
sleep 3.2
for m in smalluser smallmod kaidock getargs mulfile hello; do
	run rmdir "$mnt/sys/module/$m"
done
run cat "$mnt/dmesg"
fusermount3 -u "$mnt"
echo "kmodfs unmounted"
