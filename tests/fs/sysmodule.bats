#!/usr/bin/env bats
# sys/module/NAME: attributes, sections, notes, holders, parameters, the
# coming state, rmdir (unload) and its errors, and the built-in
# sys/module/module/parameters/sig_enforce (facts sections 9-11).

load helpers

# pyread PATH OFFSET: one pread(2) of PATH at OFFSET; prints the bytes
# read (repr) or the errno name
pyread() {
	python3 - "$1" "$2" <<'EOF'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
try:
    print(repr(os.pread(fd, 4096, int(sys.argv[2]))))
except OSError as e:
    print(errno.errorcode[e.errno])
EOF
}

@test "a live module's directory lists exactly Linux's entries" {
	kload "$EX/hello.ko"
	[ "$(stat -c '%a %F' "$MNT/sys/module/hello")" = "755 directory" ]
	[ "$(ls "$MNT/sys/module/hello" | tr '\n' ' ')" = \
		"coresize holders initsize initstate notes refcnt sections taint " ]
	local a
	for a in coresize initsize initstate refcnt taint; do
		[ "$(stat -c '%a %s %F' "$MNT/sys/module/hello/$a")" = "444 4096 regular file" ]
	done
	for a in holders notes sections; do
		[ "$(stat -c '%a %F' "$MNT/sys/module/hello/$a")" = "755 directory" ]
	done
	[ ! -e "$MNT/sys/module/hello/version" ]
	[ ! -e "$MNT/sys/module/hello/srcversion" ]
	[ ! -e "$MNT/sys/module/hello/parameters" ]
	# sys/module itself: the built-in "module" and the loaded one
	[ "$(ls "$MNT/sys/module" | tr '\n' ' ')" = "hello module " ]
}

@test "initstate, refcnt, coresize, initsize and taint of a live module" {
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
	[ "$(kattr hello refcnt)" = 0 ]
	[ "$(kattr hello initsize)" = 0 ]
	[ "$(kattr hello taint)" = OE ]
	local size
	size=$(kattr hello coresize)
	[[ "$size" =~ ^[1-9][0-9]*$ ]]
	[ $((size % 4096)) -eq 0 ]
	# proc/modules shows init+core, i.e. the core once live
	[ "$(modline hello | cut -d' ' -f2)" = "$size" ]
	# each file ends in exactly one newline
	[ "$(od -An -c "$MNT/sys/module/hello/initstate" | tr -s ' ')" = " l i v e \n" ]
	[ "$(od -An -c "$MNT/sys/module/hello/taint" | tr -s ' ')" = " O E \n" ]
}

@test "taint letters follow the license: P for a proprietary module" {
	kload "$TM/proprietary.ko"
	[ "$(kattr proprietary taint)" = POE ]
	kload "$EX/hello.ko"
	[ "$(kattr hello taint)" = OE ]
}

@test "version and srcversion exist only for the module that has them" {
	kload "$TM/testmod.ko"
	kload "$EX/hello.ko"
	kload "$EX/smallmod.ko"
	[ "$(kattr testmod version)" = 1.2.3 ]
	[ "$(kattr testmod srcversion)" = "$(modinfo -F srcversion "$TM/testmod.ko")" ]
	[[ "$(kattr testmod srcversion)" =~ ^[0-9A-F]{24}$ ]]
	[ "$(stat -c '%a %s %F' "$MNT/sys/module/testmod/version")" = "444 4096 regular file" ]
	[ "$(stat -c '%a %s %F' "$MNT/sys/module/testmod/srcversion")" = "444 4096 regular file" ]
	local m
	for m in hello smallmod; do
		[ ! -e "$MNT/sys/module/$m/version" ]
		[ ! -e "$MNT/sys/module/$m/srcversion" ]
		! ls "$MNT/sys/module/$m" | grep -q version || false
	done
	ls "$MNT/sys/module/testmod" | grep -qx version
	ls "$MNT/sys/module/testmod" | grep -qx srcversion
}

@test "sections/ lists the allocated sections, mode 400, size 19" {
	local m f
	kload "$EX/hello.ko"
	kload "$EX/smallmod.ko"
	kload "$TM/testmod.ko"
	for m in "$EX/hello.ko" "$EX/smallmod.ko" "$TM/testmod.ko"; do
		f=$(basename "$m" .ko)
		[ "$(ls -A "$MNT/sys/module/$f/sections")" = "$(python3 "$ELFINFO" sections "$m")" ]
		for s in "$MNT/sys/module/$f/sections"/* "$MNT/sys/module/$f/sections"/.[!.]*; do
			[ "$(stat -c '%a %s %F' "$s")" = "400 19 regular file" ]
		done
	done
}

@test "cat of a section file gives its address (0x + 16 hex digits)" {
	kload "$EX/smallmod.ko"
	local s out
	for s in .text .data .gnu.linkonce.this_module __ksymtab; do
		run cat "$MNT/sys/module/smallmod/sections/$s"
		[ "$status" -eq 0 ]
		[[ "$output" =~ ^0x[0-9a-f]{16}$ ]]
	done
	# exactly 19 bytes, the newline included
	[ "$(cat "$MNT/sys/module/smallmod/sections/.text" | wc -c)" -eq 19 ]
	# .gnu.linkonce.this_module is struct module, __this_module in kallsyms
	out=$(cat "$MNT/sys/module/smallmod/sections/.gnu.linkonce.this_module")
	grep -q "^${out#0x} d __this_module	\[smallmod\]$" "$MNT/proc/kallsyms"
}

@test "a section file reads at offset 0 only; its end reads as EOF" {
	kload "$EX/smallmod.ko"
	local f=$MNT/sys/module/smallmod/sections/.text
	[[ "$(pyread "$f" 0)" =~ ^b\'0x[0-9a-f]{16}\\n\'$ ]]
	[ "$(pyread "$f" 5)" = EINVAL ]
	[ "$(pyread "$f" 19)" = "b''" ]
}

@test "section addresses agree with kallsyms and lie in the core allocation" {
	local m
	kload "$EX/hello.ko"
	kload "$EX/mulfile.ko"
	kload "$EX/smallmod.ko"
	kload "$TM/testmod.ko"
	for m in "$EX/hello.ko" "$EX/mulfile.ko" "$EX/smallmod.ko" "$TM/testmod.ko"; do
		run python3 "$ELFINFO" checksyms "$m" "$MNT" "$(basename "$m" .ko)"
		echo "$output"
		[ "$status" -eq 0 ]
		[ "$output" -gt 3 ]
	done
}

@test "notes/.note.gnu.build-id holds the bytes of the ELF section" {
	kload "$TM/testmod.ko"
	kload "$EX/hello.ko"
	local m n
	for m in "$TM/testmod.ko" "$EX/hello.ko"; do
		n=$MNT/sys/module/$(basename "$m" .ko)/notes
		[ "$(ls -A "$n")" = "$(python3 "$ELFINFO" notes "$m")" ]
		[ "$(ls -A "$n")" = .note.gnu.build-id ]
		objcopy -O binary --only-section=.note.gnu.build-id "$m" "$BATS_TEST_TMPDIR/bid"
		[ "$(stat -c %s "$BATS_TEST_TMPDIR/bid")" -eq 36 ]
		cmp "$BATS_TEST_TMPDIR/bid" "$n/.note.gnu.build-id"
		[ "$(stat -c '%a %s %F' "$n/.note.gnu.build-id")" = "444 36 regular file" ]
	done
	# two modules, two different build ids
	! cmp -s "$MNT/sys/module/testmod/notes/.note.gnu.build-id" \
		"$MNT/sys/module/hello/notes/.note.gnu.build-id" || false
}

@test "holders/: a symlink ../../USER per user, and the user holds a reference" {
	kload "$EX/smallmod.ko"
	[ -z "$(ls -A "$MNT/sys/module/smallmod/holders")" ]
	[ "$(kattr smallmod refcnt)" = 0 ]
	kload "$EX/smalluser.ko"
	[ "$(ls -A "$MNT/sys/module/smallmod/holders")" = smalluser ]
	local h=$MNT/sys/module/smallmod/holders/smalluser
	[ -L "$h" ]
	[ "$(readlink "$h")" = ../../smalluser ]
	[ "$(stat -c %F "$h")" = "symbolic link" ]
	# it resolves to the user's directory
	[ "$(cat "$h/initstate")" = live ]
	[ "$(kattr smallmod refcnt)" = 1 ]
	[ "$(kattr smalluser refcnt)" = 0 ]
	[ -z "$(ls -A "$MNT/sys/module/smalluser/holders")" ]
	[ ! -e "$MNT/sys/module/smallmod/holders/hello" ]
	# unloading the user drops both
	rmdir "$MNT/sys/module/smalluser"
	[ "$(kattr smallmod refcnt)" = 0 ]
	[ -z "$(ls -A "$MNT/sys/module/smallmod/holders")" ]
	[ ! -e "$h" ]
	rmdir "$MNT/sys/module/smallmod"
	[ ! -e "$MNT/sys/module/smallmod" ]
}

@test "usetestmod holds testmod" {
	kload "$TM/testmod.ko"
	kload "$TM/usetestmod.ko"
	[ "$(readlink "$MNT/sys/module/testmod/holders/usetestmod")" = ../../usetestmod ]
	[ "$(kattr testmod refcnt)" = 1 ]
	log_has "usetestmod: 42 42"
}

@test "while init runs: initstate coming, Loading, (OE+), refcnt 1" {
	cp "$TM/slowinit.ko" "$MNT/load/" 2>"$BATS_TEST_TMPDIR/cp.err" &
	local cp_pid=$!
	wait_until [ -e "$MNT/sys/module/slowinit/initstate" ]
	[ "$(kattr slowinit initstate)" = coming ]
	[ "$(kattr slowinit refcnt)" = 1 ]
	local core init
	core=$(kattr slowinit coresize)
	init=$(kattr slowinit initsize)
	[ "$init" -gt 0 ]
	[ $((init % 4096)) -eq 0 ]
	[[ "$(modline slowinit)" =~ ^slowinit\ $((core + init))\ 1\ -\ Loading\ 0x[0-9a-f]{16}\ \(OE\+\)$ ]]
	# parameters are there before init runs
	[ "$(cat "$MNT/sys/module/slowinit/parameters/init_ms")" = 1500 ]
	[ "$(stat -c '%a %s' "$MNT/sys/module/slowinit/parameters/init_ms")" = "444 4096" ]
	# it cannot be unloaded while coming, nor loaded a second time
	run rmdir "$MNT/sys/module/slowinit"
	[ "$status" -eq 1 ]
	[ "$output" = "rmdir: failed to remove '$MNT/sys/module/slowinit': Device or resource busy" ]
	[ "$(kattr slowinit initstate)" = coming ]
	wait "$cp_pid"
	[ ! -s "$BATS_TEST_TMPDIR/cp.err" ]
	[ "$(kattr slowinit initstate)" = live ]
	[ "$(kattr slowinit refcnt)" = 0 ]
	[ "$(kattr slowinit initsize)" = 0 ]
	[ "$(kattr slowinit coresize)" = "$core" ]
	[[ "$(modline slowinit)" =~ ^slowinit\ $core\ 0\ -\ Live\ 0x[0-9a-f]{16}\ \(OE\)$ ]]
	log_has "slowinit: done"
}

@test "a second load while the first is coming waits, then File exists" {
	cp "$TM/slowinit.ko" "$MNT/load/a.ko" &
	local cp_pid=$!
	wait_until [ -e "$MNT/sys/module/slowinit/initstate" ]
	run cp "$TM/slowinit.ko" "$MNT/load/b.ko"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/b.ko': File exists" ]
	# by then the first one has finished
	[ "$(kattr slowinit initstate)" = live ]
	wait "$cp_pid"
	[ "$(log_count "slowinit: done")" -eq 1 ]
}

@test "rmdir of a used module: Resource temporarily unavailable" {
	kload "$EX/smallmod.ko"
	kload "$EX/smalluser.ko"
	run rmdir "$MNT/sys/module/smallmod"
	[ "$status" -eq 1 ]
	[ "$output" = "rmdir: failed to remove '$MNT/sys/module/smallmod': Resource temporarily unavailable" ]
	[ "$(kattr smallmod initstate)" = live ]
	[ "$(kattr smallmod refcnt)" = 1 ]
	modline smallmod | grep -q ' smalluser, Live '
}

@test "rmdir of a permanent module: Device or resource busy" {
	kload "$TM/permanent.ko"
	run rmdir "$MNT/sys/module/permanent"
	[ "$status" -eq 1 ]
	[ "$output" = "rmdir: failed to remove '$MNT/sys/module/permanent': Device or resource busy" ]
	[ "$(kattr permanent initstate)" = live ]
}

@test "rmdir of an unknown module: No such file or directory" {
	run rmdir "$MNT/sys/module/nosuchmod"
	[ "$status" -eq 1 ]
	[ "$output" = "rmdir: failed to remove '$MNT/sys/module/nosuchmod': No such file or directory" ]
	# the built-in entry is no module either
	run rmdir "$MNT/sys/module/module"
	[ "$status" -eq 1 ]
	[ "$output" = "rmdir: failed to remove '$MNT/sys/module/module': No such file or directory" ]
	[ -d "$MNT/sys/module/module/parameters" ]
	# a second rmdir of an unloaded module
	kload "$EX/hello.ko"
	rmdir "$MNT/sys/module/hello"
	run rmdir "$MNT/sys/module/hello"
	[ "$status" -eq 1 ]
	[ "$output" = "rmdir: failed to remove '$MNT/sys/module/hello': No such file or directory" ]
}

@test "rmdir unloads: the directory vanishes and the exit function runs" {
	kload "$EX/hello.ko"
	kload "$TM/testmod.ko"
	! log_has "hello: exit" || false
	rmdir "$MNT/sys/module/hello"
	[ ! -e "$MNT/sys/module/hello" ]
	! ls "$MNT/sys/module" | grep -qx hello || false
	! grep -q '^hello ' "$MNT/proc/modules" || false
	! grep -q '\[hello\]$' "$MNT/proc/kallsyms" || false
	[ "$(log_count "hello: exit")" -eq 1 ]
	# testmod is untouched, and its exit runs at its own rmdir
	[ "$(kattr testmod initstate)" = live ]
	! log_has "testmod: exit" || false
	rmdir "$MNT/sys/module/testmod"
	log_has "testmod: exit"
	[ "$(ls "$MNT/sys/module")" = module ]
	[ -z "$(cat "$MNT/proc/modules")" ]
	# and it can be loaded again
	kload "$EX/hello.ko"
	[ "$(log_count "hello: init")" -eq 2 ]
	[ "$(kattr hello initstate)" = live ]
}

@test "rmdir of a module with neither init nor exit works" {
	kload "$TM/noinit.ko"
	modline noinit | grep -q '^noinit [0-9]* 0 - Live '
	rmdir "$MNT/sys/module/noinit"
	[ ! -e "$MNT/sys/module/noinit" ]
}

@test "parameters: kaidock/parameters/loop reads, writes, rejects garbage" {
	kload "$EX/kaidock.ko"
	local p=$MNT/sys/module/kaidock/parameters/loop
	[ "$(stat -c '%a %F' "$MNT/sys/module/kaidock/parameters")" = "755 directory" ]
	[ "$(ls "$MNT/sys/module/kaidock/parameters")" = loop ]
	[ "$(stat -c '%a %s %F' "$p")" = "644 4096 regular file" ]
	[ "$(cat "$p")" = 2147483647 ]
	echo 5 >"$p"
	# (the module's timer counts it down once a second)
	[[ "$(cat "$p")" =~ ^[45]$ ]]
	run bash -c 'echo abc > "$1"' _ "$p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Invalid argument" ]]
	[[ "$(cat "$p")" =~ ^[345]$ ]]
	run bash -c 'echo 99999999999 > "$1"' _ "$p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Numerical result out of range" ]]
	printf 0x10 >"$p"
	[[ "$(cat "$p")" =~ ^1[56]$ ]]
}

@test "a 0444 parameter cannot be opened for writing, even by root" {
	kload "$TM/testmod.ko"
	local p=$MNT/sys/module/testmod/parameters/init_ret
	[ "$(stat -c '%a %s %F' "$p")" = "444 4096 regular file" ]
	[ "$(cat "$p")" = 0 ]
	run bash -c 'echo 1 > "$1"' _ "$p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$p: Permission denied" ]]
	run python3 -c 'import os, sys; os.open(sys.argv[1], os.O_RDWR)' "$p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PermissionError: [Errno 13] Permission denied"* ]]
	[ "$(cat "$p")" = 0 ]
}

@test "getargs (all parameters perm 0) has no parameters directory" {
	kload "$EX/getargs.ko"
	[ ! -e "$MNT/sys/module/getargs/parameters" ]
	! ls "$MNT/sys/module/getargs" | grep -qx parameters || false
	run ls "$MNT/sys/module/getargs/parameters"
	[ "$status" -ne 0 ]
	[[ "$output" == *"No such file or directory" ]]
}

@test "sig_enforce: N, can be switched on, then not off" {
	local p=$MNT/sys/module/module/parameters/sig_enforce
	[ "$(stat -c '%a %s %F' "$p")" = "644 4096 regular file" ]
	[ "$(cat "$p")" = N ]
	run bash -c 'echo maybe > "$1"' _ "$p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Invalid argument" ]]
	[ "$(cat "$p")" = N ]
	kload "$EX/hello.ko"
	echo Y >"$p"
	[ "$(cat "$p")" = Y ]
	run bash -c 'echo N > "$1"' _ "$p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"write error: Read-only file system" ]]
	[ "$(cat "$p")" = Y ]
	echo Y >"$p"
	[ "$(cat "$p")" = Y ]
	# enforcing: an unsigned module is refused
	run cp "$EX/mulfile.ko" "$MNT/load/"
	[ "$status" -eq 1 ]
	[ "$output" = "cp: failed to close '$MNT/load/mulfile.ko': Key was rejected by service" ]
	log_has "Loading of unsigned module is rejected"
	[ ! -e "$MNT/sys/module/mulfile" ]
	# what was loaded stays
	[ "$(kattr hello initstate)" = live ]
}
