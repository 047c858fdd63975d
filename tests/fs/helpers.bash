# Shared setup for the filesystem tests (bats).  Every test gets its own
# mount of kmodfs in a fresh temporary directory, and teardown always
# unmounts it and checks that the daemon exited cleanly (status 0: under
# the sanitizer build, a leak or a sanitizer report fails the test).
#
# Environment (set by meson): KMODFS, KMODFS_EXAMPLES, KMODFS_TESTMODS.

EX=${KMODFS_EXAMPLES:?}
TM=${KMODFS_TESTMODS:?}

# mount_kmodfs [OPTIONS...]: mount on $MNT, daemon in the foreground (-f)
# with its log on $LOG, pid in $KPID.
mount_kmodfs() {
	TMPD=$(mktemp -d /tmp/kmodfs-test.XXXXXX)
	MNT=$TMPD/mnt
	LOG=$TMPD/daemon.log
	mkdir "$MNT"
	"$KMODFS" -f "$@" "$MNT" 2>"$LOG" &
	KPID=$!
	for _ in $(seq 100); do
		mountpoint -q "$MNT" && return 0
		kill -0 "$KPID" 2>/dev/null || break
		sleep 0.05
	done
	echo "kmodfs did not mount:" >&2
	cat "$LOG" >&2
	return 1
}

# unmount_kmodfs: unmount, wait for the daemon, fail if it did not exit 0.
unmount_kmodfs() {
	local status=0
	[ -n "${MNT:-}" ] || return 0
	if mountpoint -q "$MNT"; then
		fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -uz "$MNT" 2>/dev/null || true
	fi
	if [ -n "${KPID:-}" ]; then
		for _ in $(seq 200); do
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
