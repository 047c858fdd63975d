#!/usr/bin/env bats
# Leaks (issue 7): a thousand load/unload cycles of the examples, faulting
# loads and parameter writes leave the daemon with the descriptors,
# mappings and memory it had; under the sanitizer build its exit status
# at unmount (checked by teardown) says LeakSanitizer found nothing.
# And a daemon that goes away -- unmounted, SIGTERM, SIGINT or SIGKILL
# -- leaves no mount behind for the next kmodfs on the same directory
# (after SIGKILL: the next kmodfs detaches the dead mount itself, and
# `fusermount3 -u` or `umount -l` clean it up too).

load helpers

# cycles N MODULE...: N times, load the modules (from $EX) in order the
# way cp(1) writes a file, then unload them newest first.  (Python: a
# thousand cycles of six cp and six rmdir processes take minutes.)
cycles() {
	python3 - "$MNT" "$EX" "$@" <<'PY'
import os, sys
from pylib import cp
mnt, ex, n, mods = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
images = {m: open(f"{ex}/{m}.ko", "rb").read() for m in mods}

for i in range(n):
    for m in mods:
        cp(f"{mnt}/load/{m}.ko", images[m])
    for m in reversed(mods):
        os.rmdir(f"{mnt}/sys/module/{m}")
PY
}

EXAMPLES=(hello mulfile getargs kaidock smallmod smalluser)

# arena_maps: the daemon's mappings in the module area [0x3fff0000,
# 0x7fff0000) -- one reserved PROT_NONE region when no module is loaded
arena_maps() {
	# (equal-length lower-case hex compares as strings)
	awk '{ split($1, a, "-") }
	     length(a[1]) == 8 && a[1] >= "3fff0000" && a[1] < "7fff0000"' "/proc/$KPID/maps"
}

# snapshot: fds, maps, threads and RSS of the daemon, one per line
snapshot() {
	echo "fds=$(daemon_fds) maps=$(daemon_maps) threads=$(daemon_threads) rss=$(daemon_rss_kb)"
}

# fill_log: as many records through dev/kmsg as the log holds (1 MiB of
# text or 32,768 records, 32 bytes each on average as these), so that the
# log's own memory is at its steady state before a baseline: hundreds of
# Oopses would otherwise grow it, legitimately
fill_log() {
	python3 - "$MNT/dev/kmsg" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
line = b"<7>leaks: filler " + b"x" * 15
for _ in range(32768 + 1000):
    os.write(fd, line)
os.close(fd)
PY
}

# settle: wait until the daemon's transient threads (idle workers, load
# threads) are gone, or 8 s
settle() {
	local _ t
	for _ in $(seq 16); do
		t=$(daemon_threads)
		sleep 0.5
		[ "$(daemon_threads)" -eq "$t" ] && [ "$t" -le "${1:-99}" ] && return 0
	done
	return 0
}

@test "1,000 load/unload cycles of the examples: no fd, mapping or memory growth" {
	local n=1000
	# warm up: the module area, the tick thread, worker threads, the
	# log ring and malloc's arenas reach their working size
	cycles 100 "${EXAMPLES[@]}"
	settle
	local fds0 maps0 rss0 thr0 arena0
	fds0=$(daemon_fds) maps0=$(daemon_maps) rss0=$(daemon_rss_kb) thr0=$(daemon_threads)
	arena0=$(arena_maps)
	echo "before: $(snapshot)" >&2
	local t0=$SECONDS
	cycles "$n" "${EXAMPLES[@]}"
	echo "$n cycles of ${#EXAMPLES[@]} modules in $((SECONDS - t0)) s" >&2
	# and a few with the real cp(1) and rmdir(1)
	local i m
	for i in 1 2 3 4 5; do
		for m in "${EXAMPLES[@]}"; do kload "$EX/$m.ko"; done
		for m in smalluser smallmod kaidock getargs mulfile hello; do
			rmdir "$MNT/sys/module/$m"
		done
	done
	settle "$thr0"
	echo "after:  $(snapshot)" >&2
	[ -z "$(cat "$MNT/proc/modules")" ]
	# descriptors: exactly as before
	[ "$(daemon_fds)" -eq "$fds0" ]
	# the module area: back to the one reserved region
	[ "$(arena_maps | wc -l)" -eq 1 ] || { arena_maps >&2; false; }
	[ "$(arena_maps)" = "$arena0" ]
	arena_maps | grep -qE '^[0-9a-f]+-[0-9a-f]+ ---p '
	# all mappings: as before, up to the stacks of threads that are still
	# around (two mappings each) and a few more for the stacks glibc caches
	# for exited threads and malloc's per-thread arenas; a leak of one
	# mapping per load would be thousands
	local thr1 maps1
	thr1=$(daemon_threads) maps1=$(daemon_maps)
	[ "$maps1" -le $((maps0 + 2 * (thr1 > thr0 ? thr1 - thr0 : 0) + 12)) ]
	# resident memory: the sanitizer's quarantine grows by design; in the
	# plain build 6,000 loads may not add more than 4 MiB (the log ring
	# holds at most 1 MiB of text)
	if ! asan_build; then
		[ "$(daemon_rss_kb)" -le $((rss0 + 4096)) ]
	fi
}

# fault_loads N: N loads of faulty each with mode=2 (BUG), 3 (NULL) and 5
# (divide error); every one must fail with EFAULT
fault_loads() {
	python3 - "$MNT" "$TM" "$1" <<'PY'
import errno, os, sys
mnt, tm, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(f"{tm}/faulty.ko", "rb").read()
path = f"{mnt}/load/faulty.ko"
for i in range(n):
    for mode in (2, 3, 5):
        with open(f"{mnt}/etc/modprobe.d/tests.conf", "w") as f:
            f.write(f"options faulty mode={mode}\n")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
        except FileNotFoundError:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        try:
            os.close(fd)
            sys.exit("a faulting load succeeded")
        except OSError as e:
            if e.errno != errno.EFAULT:
                sys.exit(f"load: {os.strerror(e.errno)}")
PY
}

# param_faults N: with faulty loaded (mode=0), N parameter writes that
# oops with a NULL dereference and N with a divide error, each EFAULT
param_faults() {
	modopts faulty mode=0
	kload "$TM/faulty.ko"
	python3 - "$MNT/sys/module/faulty/parameters/crash" "$1" <<'PY'
import errno, os, sys
path, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    for val in (b"3", b"5"):
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, val)
            sys.exit("a faulting write succeeded")
        except OSError as e:
            if e.errno != errno.EFAULT:
                sys.exit(f"write: {os.strerror(e.errno)}")
        finally:
            os.close(fd)
PY
	rmdir "$MNT/sys/module/faulty"
}

@test "faulting loads and parameter handlers leak no descriptors, mappings or memory" {
	# warm up, then 300 faulting loads and 200 faulting parameter writes
	fault_loads 20
	param_faults 20
	fill_log
	settle
	local fds0 maps0 rss0 thr0
	fds0=$(daemon_fds) maps0=$(daemon_maps) rss0=$(daemon_rss_kb) thr0=$(daemon_threads)
	echo "before: $(snapshot)" >&2
	fault_loads 100
	param_faults 100
	settle "$thr0"
	echo "after:  $(snapshot)" >&2
	# (measured before reading the log: a megabyte of dmesg rendered for
	# a read sits in the sanitizer's quarantine afterwards)
	[ "$(daemon_fds)" -eq "$fds0" ]
	[ "$(arena_maps | wc -l)" -eq 1 ] || { arena_maps >&2; false; }
	local thr1
	thr1=$(daemon_threads)
	[ "$(daemon_maps)" -le $((maps0 + 2 * (thr1 > thr0 ? thr1 - thr0 : 0) + 12)) ]
	if ! asan_build; then
		[ "$(daemon_rss_kb)" -le $((rss0 + 4096)) ]
	fi
	# 60 + 40 + 300 + 200 Oopses, the last one numbered so
	[ "$(klog | grep -oE '\[#[0-9]+\] PREEMPT SMP NOPTI$' | tail -1)" = "[#600] PREEMPT SMP NOPTI" ]
	[ "$(log_count "faulty: exit")" -ge 1 ]	# (the log dropped older records)
	[ -z "$(cat "$MNT/proc/modules")" ]
}

@test "images loaded under ever new file names are not kept" {
	# the kernel may remember each name in load/ for a while (until it
	# sends FORGET); the daemon must not keep the image behind each one:
	# 1,000 images of 17 kB would be 17 MB, allow a third of that for
	# malloc's arenas
	kload "$EX/hello.ko"
	rmdir "$MNT/sys/module/hello"
	settle
	local rss0
	rss0=$(daemon_rss_kb)
	python3 - "$MNT" "$EX" 1000 <<'PY'
import os, sys
mnt, ex, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(f"{ex}/mulfile.ko", "rb").read()
for i in range(n):
    fd = os.open(f"{mnt}/load/mulfile-{i}.ko", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, data)
    os.close(fd)
    os.rmdir(f"{mnt}/sys/module/mulfile")
PY
	local rss1
	rss1=$(daemon_rss_kb)
	echo "RSS ${rss0} kB -> ${rss1} kB after 1,000 loads of a $(stat -c %s "$EX/mulfile.ko")-byte image" >&2
	[ -z "$(ls -A "$MNT/load")" ]
	if ! asan_build; then
		[ "$rss1" -le $((rss0 + 6144)) ]
	fi
}

# ---- the mount after the daemon is gone ----

# start_kmodfs: kmodfs -f on $MNT (SIGINT and SIGTERM at their defaults)
start_kmodfs() {
	env --default-signal=INT,TERM "$KMODFS" -f "$MNT" 2>>"$LOG" 3>&- &
	KPID=$!
	wait_until mountpoint -q "$MNT"
}

# mount_is_fresh: a new kmodfs on $MNT loads, lists and unloads
mount_is_fresh() {
	start_kmodfs
	[ "$(grep -c " $MNT " /proc/self/mountinfo)" -eq 1 ]
	[ -z "$(cat "$MNT/proc/modules")" ]
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
	rmdir "$MNT/sys/module/hello"
}

# messy_state: modules loaded, one that oopsed in a parameter write, a
# timer running, a faulted load: what a daemon may have when told to go
messy_state() {
	kload "$EX/kaidock.ko"
	kload "$EX/smallmod.ko"
	kload "$EX/smalluser.ko"
	kload "$TM/faulty.ko"
	refute bash -c 'echo 3 >"$1" 2>/dev/null' _ "$MNT/sys/module/faulty/parameters/crash"
	modopts initwrite how=9
	kload "$TM/initwrite.ko"
	modopts faulty mode=3
	rmdir "$MNT/sys/module/faulty"
	refute cp -- "$TM/faulty.ko" "$MNT/load/" 2>/dev/null
	[ "$(wc -l <"$MNT/proc/modules")" -eq 4 ]
}

# gone_cleanly N: the daemon exited 0, nothing is mounted on $MNT, and
# the N-th exit of smalluser is in the log (each daemon's exits run)
gone_cleanly() {
	local st=0
	wait "$KPID" || st=$?
	KPID=
	[ "$st" -eq 0 ] || { cat "$LOG" >&2; return 1; }
	refute is_mounted "$MNT"
	[ "$(grep -c 'smalluser: exit, aa1=2$' "$LOG")" -eq "$1" ]
}

@test "fusermount3 -u, SIGTERM and SIGINT after faults: no mount left, the next one works" {
	unmount_kmodfs
	TMPD=$(mktemp -d /tmp/kmodfs-test.XXXXXX)
	MNT=$TMPD/mnt LOG=$TMPD/daemon.log
	mkdir "$MNT"
	start_kmodfs
	messy_state
	fusermount3 -u "$MNT"
	gone_cleanly 1
	mount_is_fresh
	messy_state
	kill -TERM "$KPID"
	gone_cleanly 2
	mount_is_fresh
	messy_state
	kill -INT "$KPID"
	gone_cleanly 3
	mount_is_fresh
}

@test "SIGKILL leaves a dead mount; fusermount3 -u clears it and kmodfs mounts there again" {
	kload "$EX/hello.ko"
	kload "$EX/kaidock.ko"
	kill -KILL "$KPID"
	wait "$KPID" || true
	KPID=
	# the mount is still there, and dead
	is_mounted "$MNT"
	run ls "$MNT"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Transport endpoint is not connected"* ]]
	# the documented clean-up
	fusermount3 -u "$MNT"
	refute is_mounted "$MNT"
	mount_is_fresh
	unmount_kmodfs_keep_dir
	# the same with umount -l (root only)
	if [ "$(id -u)" -eq 0 ]; then
		start_kmodfs
		kill -KILL "$KPID"
		wait "$KPID" || true
		KPID=
		is_mounted "$MNT"
		umount -l "$MNT"
		refute is_mounted "$MNT"
		mount_is_fresh
	fi
}

@test "SIGKILL leaves a dead mount; the next kmodfs on the directory detaches it itself" {
	kload "$EX/hello.ko"
	kill -KILL "$KPID"
	wait "$KPID" || true
	KPID=
	run ls "$MNT"
	[[ "$output" == *"Transport endpoint is not connected"* ]]
	# no clean-up: the new daemon finds the dead mount, detaches it, mounts
	start_kmodfs
	wait_until cat "$MNT/proc/modules"
	[ "$(grep -c " $MNT " /proc/self/mountinfo)" -eq 1 ]
	grep -qF "$MNT: detached the mount left by a kmodfs that is gone" "$LOG"
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
	# and once it is unmounted, nothing is left on the directory
	unmount_kmodfs_keep_dir
	[ "$(grep -c " $MNT " /proc/self/mountinfo)" -eq 0 ]
}

# unmount_kmodfs_keep_dir: unmount this test's -f daemon, check it exited 0
unmount_kmodfs_keep_dir() {
	fusermount3 -u "$MNT"
	local st=0
	wait "$KPID" || st=$?
	KPID=
	[ "$st" -eq 0 ]
	refute is_mounted "$MNT"
}
