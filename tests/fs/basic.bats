#!/usr/bin/env bats
# The mount's skeleton and the simplest load/unload cycle.

load helpers

@test "the mount shows the tree of SPEC section 2" {
	for d in load sys/module proc proc/sys/kernel dev etc/modprobe.d; do
		[ -d "$MNT/$d" ]
	done
	for f in proc/modules proc/kallsyms proc/sys/kernel/tainted \
		proc/sys/kernel/modules_disabled dev/kmsg dmesg \
		sys/module/module/parameters/sig_enforce; do
		[ -f "$MNT/$f" ]
	done
}

@test "cp hello.ko into load/ loads it, rmdir unloads it" {
	kload "$EX/hello.ko"
	[ -d "$MNT/sys/module/hello" ]
	[ -z "$(ls "$MNT/load")" ]
	log_has "hello: init"
	rmdir "$MNT/sys/module/hello"
	[ ! -e "$MNT/sys/module/hello" ]
	log_has "hello: exit"
}
