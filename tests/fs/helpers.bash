# Shared setup for the filesystem tests (bats).  Every test gets its own
# mount of kmodfs in a fresh temporary directory, and teardown always
# unmounts it and checks that the daemon exited cleanly (status 0: under
# the sanitizer build, a leak or a sanitizer report fails the test).
#
# Environment (set by meson): KMODFS, KMODFS_EXAMPLES, KMODFS_TESTMODS.

EX=${KMODFS_EXAMPLES:?}
TM=${KMODFS_TESTMODS:?}
# the python parts of the tests import tests/fs/pylib.py
export PYTHONPATH=$BATS_TEST_DIRNAME${PYTHONPATH:+:$PYTHONPATH}

# mount_kmodfs [OPTIONS...]: mount on $MNT, daemon in the foreground (-f)
# with its log on $LOG, pid in $KPID.
mount_kmodfs() {
	TMPD=$(mktemp -d /tmp/kmodfs-test.XXXXXX)
	MNT=$TMPD/mnt
	LOG=$TMPD/daemon.log
	mkdir "$MNT"
	"$KMODFS" -f "$@" "$MNT" 2>"$LOG" &
	KPID=$!
	for _ in $(seq 400); do
		mountpoint -q "$MNT" && return 0
		kill -0 "$KPID" 2>/dev/null || break
		sleep 0.05
	done
	echo "kmodfs did not mount:" >&2
	cat "$LOG" >&2
	return 1
}

# is_mounted DIR: something is mounted on DIR (per /proc/self/mountinfo)
is_mounted() {
	awk -v d="$1" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo
}

# unmount_kmodfs: unmount, wait for the daemon, fail if it did not exit 0.
unmount_kmodfs() {
	local status=0
	[ -n "${MNT:-}" ] || return 0
	# (mountinfo, not mountpoint(1): a mount whose daemon died is
	# "not connected" and would look unmounted)
	if is_mounted "$MNT"; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -uz "$MNT" 2>/dev/null || true
	fi
	if [ -n "${KPID:-}" ]; then
		for _ in $(seq 600); do
			kill -0 "$KPID" 2>/dev/null || break
			sleep 0.05
		done
		if kill -0 "$KPID" 2>/dev/null; then
			kill -9 "$KPID" 2>/dev/null
			echo "kmodfs did not exit after unmount" >&2
			status=1
		fi
		wait "$KPID" 2>/dev/null || status=$?
	fi
	if [ "$status" -ne 0 ]; then
		echo "kmodfs exited with status $status; its log:" >&2
		cat "$LOG" >&2
	fi
	rm -rf "$TMPD"
	MNT= KPID=
	return "$status"
}

setup() {
	mount_kmodfs
}

teardown() {
	unmount_kmodfs
}

# kload FILE.ko: copy into load/ (the load's result is cp's)
kload() {
	cp "$1" "$MNT/load/"
}

# log_has TEXT: the kernel log contains a record with TEXT
log_has() {
	grep -qF -- "$1" "$MNT/dmesg"
}

# ---- more helpers for the suites ----

ELFINFO=$BATS_TEST_DIRNAME/elfinfo.py
# the python3 binary itself (python3 may be a wrapper script, e.g. pyenv's,
# whose pid is not the interpreter's)
PYTHON=$(python3 -c 'import sys; print(sys.executable)')

# wait_until CMD...: poll CMD until it succeeds (about 20 s at most: a busy
# CI host under the sanitizers is slow; success returns at once)
wait_until() {
	local _
	for _ in $(seq 400); do
		"$@" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# is_loaded NAME: sys/module/NAME exists
is_loaded() {
	[ -d "$MNT/sys/module/$1" ]
}

# modline NAME: NAME's line of proc/modules
modline() {
	grep "^$1 " "$MNT/proc/modules"
}

# kattr NAME ATTR: the content of sys/module/NAME/ATTR
kattr() {
	cat "$MNT/sys/module/$1/$2"
}

# kmsg_records: every record dev/kmsg has now (O_NONBLOCK), one per line
kmsg_records() {
	python3 - "$MNT/dev/kmsg" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
while True:
    try:
        rec = os.read(fd, 8192)
    except BlockingIOError:
        break
    sys.stdout.write(rec.decode())
PY
}

# log_count TEXT: how many lines of the kernel log contain TEXT
log_count() {
	grep -cF -- "$1" "$MNT/dmesg" || true
}

# proc_state PID: the state letter of PID, or "gone"
proc_state() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return; }
	s=${s##*) }
	echo "${s%% *}"
}

# pid_gone PID: PID has exited (gone, or a zombie nobody reaps)
pid_gone() {
	case $(proc_state "$1") in
	gone|Z|X) return 0 ;;
	*) return 1 ;;
	esac
}

# in_syscall PID NR: PID (a single-threaded process) sleeps in syscall NR
in_syscall() {
	local s
	s=$(cat "/proc/$1/syscall" 2>/dev/null) || return 1
	[ "${s%% *}" = "$2" ]
}

# secaddr NAME SECTION: sys/module/NAME/sections/SECTION, read with one
# read(2) at offset 0 (as a sysfs bin attribute is meant to be read)
secaddr() {
	python3 -c 'import os, sys; print(os.pread(os.open(sys.argv[1], os.O_RDONLY), 64, 0).decode(), end="")' \
		"$MNT/sys/module/$1/sections/$2"
}

# ---- helpers for params.bats ----

# remount_kmodfs [OPTIONS...]: replace this test's mount by one with OPTIONS
remount_kmodfs() {
	unmount_kmodfs && mount_kmodfs "$@"
}

# log_text: the kernel log, one record per line, without "<N>[ time] "
log_text() {
	sed -E 's/^<[0-9]+>\[ *[0-9]+\.[0-9]+\] //' "$MNT/dmesg"
}

# same EXPECTED ACTUAL: equal strings, or a diff on stderr and failure
same() {
	[ "$1" = "$2" ] && return 0
	diff -u <(printf '%s\n' "$1") <(printf '%s\n' "$2") >&2
	return 1
}

# The unprivileged user of the permission tests (created when missing).
TEST_USER=kmodfstest

# ensure_test_user: TEST_USER exists (or the test is skipped)
ensure_test_user() {
	id -u "$TEST_USER" >/dev/null 2>&1 && return 0
	useradd -M "$TEST_USER" 2>/dev/null && return 0
	skip "cannot create user $TEST_USER"
}

# as_user CMD...: run CMD as TEST_USER (its own group, no other groups);
# as_user_group0 CMD...: the same with group root, for group permissions
# (from /, which the user can always enter)
as_user() {
	(cd / && setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups "$@")
}
as_user_group0() {
	(cd / && setpriv --reuid="$TEST_USER" --regid=0 --clear-groups "$@")
}

# ---- helpers for faults.bats, concurrency.bats and leaks.bats ----

MODSRC=$BATS_TEST_DIRNAME/../modules

# klog: the kernel log, one record per line, without "<N>[ time] "
klog() {
	sed -E 's/^<[0-9]+>\[ *[0-9]+\.[0-9]+\] //' "$MNT/dmesg"
}

# klog_line REGEX: the log has a record matching the extended REGEX
# (anchored at both ends); says which one was missing otherwise
klog_line() {
	klog | grep -qE -- "^($1)\$" && return 0
	echo "no log record matches: ^($1)\$" >&2
	return 1
}

# klog_in_order REGEX...: records matching each REGEX, in this order
klog_in_order() {
	local prev=0 n re text
	text=$(klog)
	for re in "$@"; do
		# (grep, not awk: mawk has no {n} intervals)
		n=$(printf '%s\n' "$text" | tail -n "+$((prev + 1))" | grep -nE -m1 -- "^($re)\$" | cut -d: -f1)
		if [ -z "$n" ]; then
			echo "no log record after record $prev matches: ^($re)\$" >&2
			return 1
		fi
		prev=$((prev + n))
	done
}

# modopts "NAME P=V ...": the only etc/modprobe.d options line
modopts() {
	echo "options $*" >"$MNT/etc/modprobe.d/tests.conf"
}

# srcline FILE TEXT: the line of tests/modules/FILE where TEXT first occurs
srcline() {
	grep -nF -m1 -- "$2" "$MODSRC/$1" | cut -d: -f1
}

# tainted: proc/sys/kernel/tainted
tainted() {
	cat "$MNT/proc/sys/kernel/tainted"
}

# daemon_fds, daemon_maps, daemon_rss_kb, daemon_threads: the daemon's
# open descriptors, mappings, resident memory and threads
daemon_fds() { ls "/proc/$KPID/fd" | wc -l; }
daemon_maps() { wc -l <"/proc/$KPID/maps"; }
daemon_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$KPID/status"; }
daemon_threads() { ls "/proc/$KPID/task" | wc -l; }

# asan_build: the daemon is the sanitizer build
asan_build() {
	ldd "$KMODFS" 2>/dev/null | grep -q libasan
}

# REGS: the register dump of an Oops or a warning, as regexes
H16='[0-9a-f]{16}'
REGS=(
	"RSP: 0018:$H16 EFLAGS: [0-9a-f]{8}"
	"RAX: $H16 RBX: $H16 RCX: $H16"
	"RDX: $H16 RSI: $H16 RDI: $H16"
	"RBP: $H16 R08: $H16 R09: $H16"
	"R10: $H16 R11: $H16 R12: $H16"
	"R13: $H16 R14: $H16 R15: $H16"
)

# wait_for 'SHELL CODE': like wait_until, but the code is evaluated anew
# each time (wait_until [ "$(cat F)" = x ] would read F only once)
wait_for() {
	local _
	for _ in $(seq 400); do
		eval "$1" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $1" >&2
	return 1
}

# refute CMD...: CMD fails.  (A "! CMD" in the middle of a test or a
# function does not fail it: bash's errexit ignores negated commands.)
refute() {
	if "$@"; then
		echo "unexpectedly succeeded: $*" >&2
		return 1
	fi
	return 0
}

# klog_grep REGEX: the log records matching the extended REGEX, on
# stderr (for the test's output); fails when there is none
klog_grep() {
	klog | grep -E -- "$1" >&2
}

# getargs_tutorial_log: the getargs records of the seed tutorial's three
# insmod runs (no options; intparam=123 arg=456 file=... filepath=...;
# array=12,23,34,45,56), whichever build of getargs.ko ran them
getargs_tutorial_log() {
	local T=$'\t'
	echo "getargs: loading out-of-tree module taints kernel.
getargs: module verification failed: signature and/or required key missing - tainting kernel
getargs: init
getargs: => intparam$T= 0
getargs: => intparam2$T= 0
getargs: => file2$T= 
getargs: => array$T= [ 0 0 0 0 0 0 0 0]
getargs: init
getargs: => intparam$T= 123
getargs: => intparam2$T= 456
getargs: => file$T= /home/mori/build/hello/getargs.c
getargs: => file2$T= /home/mori/build/hello/getargs.ko
getargs: => array$T= [ 0 0 0 0 0 0 0 0]
getargs: init
getargs: => intparam$T= 0
getargs: => intparam2$T= 0
getargs: => file2$T= 
getargs: => array$T= [ 12 23 34 45 56 0 0 0]"
}
