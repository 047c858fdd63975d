#!/usr/bin/env bats
# The daemon's life: --help/--version, daemonizing, unmounting, SIGTERM
# and SIGINT (modules unloaded in reverse dependency order, exit 0), and
# mounting again on the same directory (SPEC section 1).

load helpers

# Each test mounts (or not) by itself.
setup() {
	TMPD=$(mktemp -d /tmp/kmodfs-test.XXXXXX)
	MNT=$TMPD/mnt
	LOG=$TMPD/daemon.log
	mkdir "$MNT"
	KPID= DPID=
}

teardown() {
	local status=0
	# a daemonized kmodfs: unmount, it must go away
	if [ -n "$DPID" ] && ! pid_gone "$DPID"; then
		is_mounted "$MNT" && fusermount3 -u "$MNT" 2>/dev/null
		wait_until pid_gone "$DPID" 2>/dev/null || {
			echo "daemonized kmodfs $DPID did not exit" >&2
			kill -9 "$DPID"
			status=1
		}
	fi
	if [ -n "$KPID" ]; then
		# a -f daemon: the usual unmount and exit status check
		unmount_kmodfs || status=$?
	else
		# nothing may be left mounted
		if is_mounted "$MNT"; then
			echo "$MNT is still mounted" >&2
			fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -uz "$MNT"
			status=1
		fi
		rm -rf "$TMPD"
	fi
	return "$status"
}

# start_fg: kmodfs -f on $MNT with SIGINT/SIGTERM at their defaults (a
# background job of a script otherwise starts with SIGINT ignored, and
# libfuse then leaves it ignored)
start_fg() {
	env --default-signal=INT,TERM "$KMODFS" -f "$MNT" 2>"$LOG" 3>&- &
	KPID=$!
	wait_until mountpoint -q "$MNT"
}

# kmodfs_pid: the pid of "kmodfs $MNT" (the daemonized one)
kmodfs_pid() {
	local p want
	want=$(printf '%s\0%s\0' "$KMODFS" "$MNT" | od -An -c | tr -d ' \n')
	for p in /proc/[0-9]*; do
		[ "$(od -An -c "$p/cmdline" 2>/dev/null | tr -d ' \n')" = "$want" ] || continue
		[ "$(proc_state "${p#/proc/}")" != Z ] || continue
		echo "${p#/proc/}"
		return 0
	done
	return 1
}

# load_set: testmod, smallmod, smalluser, hello (in that order)
load_set() {
	kload "$TM/testmod.ko"
	kload "$EX/smallmod.ko"
	kload "$EX/smalluser.ko"
	kload "$EX/hello.ko"
	[ "$(wc -l <"$MNT/proc/modules")" -eq 4 ]
}

# exits_in_order: the exit functions ran, newest module first (hello,
# smalluser while smallmod was still there, testmod), and nothing oopsed
exits_in_order() {
	local h u t
	h=$(grep -n 'hello: exit$' "$LOG" | cut -d: -f1)
	u=$(grep -n 'smalluser: exit, aa1=2$' "$LOG" | cut -d: -f1)
	t=$(grep -n 'testmod: exit$' "$LOG" | cut -d: -f1)
	[ -n "$h" ] && [ -n "$u" ] && [ -n "$t" ] || { cat "$LOG" >&2; return 1; }
	[ "$h" -lt "$u" ] && [ "$u" -lt "$t" ] || { cat "$LOG" >&2; return 1; }
	! grep -Eqi 'oops|BUG|general protection|segfault' "$LOG" || false
}

# remount_works: a fresh -f mount on the same directory loads and unloads
remount_works() {
	start_fg
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
	[ "$(wc -l <"$MNT/proc/modules")" -eq 1 ]
	rmdir "$MNT/sys/module/hello"
	log_has "hello: exit"
	# and the -f console echoes the log to stderr
	wait_until grep -q 'hello: exit$' "$LOG"
}

@test "kmodfs --help and -h print the usage, exit 0" {
	run "$KMODFS" --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^usage:\ .*kmodfs\ \[OPTIONS\]\ MOUNTPOINT$ ]]
	local o
	for o in -f -o --sig-enforce --cmdline --kernel --keyring --version; do
		[[ "$output" == *" $o"* ]]
	done
	local help=$output
	run "$KMODFS" -h
	[ "$status" -eq 0 ]
	[ "$output" = "$help" ]
	! mountpoint -q "$MNT" || false
}

@test "kmodfs --version and -V print the version, exit 0" {
	run "$KMODFS" --version
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" =~ ^kmodfs\ [0-9]+\.[0-9]+\.[0-9]+ ]]
	local v=$output
	run "$KMODFS" -V
	[ "$status" -eq 0 ]
	[ "$output" = "$v" ]
}

@test "no mountpoint, or a bad option: an error, nothing mounted" {
	run "$KMODFS"
	[ "$status" -ne 0 ]
	[[ "$output" == *"mountpoint"* ]]
	run "$KMODFS" -f --no-such-option "$MNT"
	[ "$status" -ne 0 ]
	! mountpoint -q "$MNT" || false
	run "$KMODFS" -f "$TMPD/does-not-exist"
	[ "$status" -ne 0 ]
	! mountpoint -q "$MNT" || false
}

@test "without -f kmodfs daemonizes; fusermount3 -u makes it go away" {
	run "$KMODFS" "$MNT" 3>&-
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	mountpoint -q "$MNT"
	DPID=$(kmodfs_pid)
	[ -n "$DPID" ]
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
	kload "$EX/smallmod.ko"
	kload "$EX/smalluser.ko"
	fusermount3 -u "$MNT"
	wait_until pid_gone "$DPID"
	! mountpoint -q "$MNT" || false
	remount_works
}

@test "fusermount3 -u of a -f daemon: exits run newest first, status 0" {
	start_fg
	load_set
	fusermount3 -u "$MNT"
	wait "$KPID"
	KPID=
	! mountpoint -q "$MNT" || false
	exits_in_order
	remount_works
}

@test "SIGTERM: unmounts, unloads in reverse dependency order, exits 0" {
	start_fg
	load_set
	# the log is echoed to stderr in -f mode
	wait_until grep -q 'hello: init$' "$LOG"
	kill -TERM "$KPID"
	local st=0
	wait "$KPID" || st=$?
	KPID=
	[ "$st" -eq 0 ]
	! mountpoint -q "$MNT" || false
	exits_in_order
	remount_works
}

@test "SIGINT: unmounts, unloads in reverse dependency order, exits 0" {
	start_fg
	load_set
	kill -INT "$KPID"
	local st=0
	wait "$KPID" || st=$?
	KPID=
	[ "$st" -eq 0 ]
	! mountpoint -q "$MNT" || false
	exits_in_order
	remount_works
}

@test "SIGTERM with a module's timer running and a permanent module" {
	start_fg
	kload "$EX/kaidock.ko"
	kload "$TM/permanent.ko"
	kload "$EX/hello.ko"
	kill -TERM "$KPID"
	local st=0
	wait "$KPID" || st=$?
	KPID=
	[ "$st" -eq 0 ]
	! mountpoint -q "$MNT" || false
	grep -q 'hello: exit$' "$LOG"
	remount_works
}

@test "SIGTERM while a dev/kmsg reader blocks: the daemon still ends" {
	start_fg
	kload "$EX/hello.ko"
	"$PYTHON" -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
while True:
    os.read(fd, 8192)
' "$MNT/dev/kmsg" 2>/dev/null 3>&- &
	local reader=$!
	wait_until in_syscall "$reader" 0
	kill -TERM "$KPID"
	local ok=0 _
	for _ in $(seq 400); do
		kill -0 "$KPID" 2>/dev/null || { ok=1; break; }
		sleep 0.05
	done
	if [ "$ok" -eq 0 ]; then
		# do not leave a hung mount behind
		kill -9 "$KPID"
		wait "$KPID" || true
		kill -9 "$reader" 2>/dev/null || true
		wait "$reader" || true
		fusermount3 -uz "$MNT" 2>/dev/null || true
		KPID=
		echo "kmodfs did not exit on SIGTERM with a blocked dev/kmsg reader" >&2
		return 1
	fi
	local st=0
	wait "$KPID" || st=$?
	KPID=
	kill -9 "$reader" 2>/dev/null || true
	wait "$reader" || true
	[ "$st" -eq 0 ] || { echo "kmodfs exited with status $st; its log:" >&2; cat "$LOG" >&2; false; }
	! mountpoint -q "$MNT" || false
	grep -q 'hello: exit$' "$LOG"
}
