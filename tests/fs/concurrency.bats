#!/usr/bin/env bats
# Concurrency (issue 7): loads, unloads, parameter reads and writes,
# proc/modules, sysfs, the log and timer callbacks all at once stay
# correct -- no torn reads, no use-after-free when a module goes while
# its files are open or its timers and works are pending (Linux would
# crash there; kmodfs removes them and says so in the log).  Under the
# sanitizer build the daemon's exit status at unmount (teardown) proves
# that none of it touched freed memory or leaked.

load helpers

# no_trouble: nothing in the log that a race would leave behind
no_trouble() {
	refute klog_grep '^(BUG|WARNING|Oops|general protection|invalid opcode|divide error)'
	refute klog_grep 'still pending at unload|leaked|below zero'
}

# pyrun SCRIPT ARGS...: python3 with this test's mount as argv[1]
pyrun() {
	local script=$1
	shift
	python3 -c "$script" "$MNT" "$@"
}

# Shared by the python scripts: the mount, and cp(1)'s way to write a
# file, reading a whole file and writing a string (tests/fs/pylib.py).
PYLIB='
import errno, os, re, sys, threading, time
from pylib import cp, read_all, write_str
mnt = sys.argv[1]
'

@test "loads, unloads, proc/modules, sysfs, the log and parameters at once stay consistent" {
	run pyrun "$PYLIB"'
ex, tm, dur = sys.argv[2], sys.argv[3], float(sys.argv[4])
stop = time.time() + dur
errors, stats, lock = [], {}, threading.Lock()

def err(msg):
    with lock:
        if len(errors) < 30:
            errors.append(msg)

def count(k):
    with lock:
        stats[k] = stats.get(k, 0) + 1

# a module unloaded under an open file: its files answer ENOENT or (as
# kernfs does) ENODEV
GONE = (errno.ENOENT, errno.ENODEV)

# each cycler owns its modules: every load and every unload must succeed
def cycler(mods):
    datas = [(m, open(f"{d}/{m}.ko", "rb").read()) for d, m in mods]
    while time.time() < stop:
        for m, data in datas:
            try:
                cp(f"{mnt}/load/{m}.ko", data)
                count("load")
            except OSError as e:
                err(f"load {m}: {os.strerror(e.errno)}")
        for m, _ in reversed(datas):
            try:
                os.rmdir(f"{mnt}/sys/module/{m}")
                count("unload")
            except OSError as e:
                err(f"rmdir {m}: {os.strerror(e.errno)}")

# Linux: NAME SIZE REFCNT USERS STATE ADDRESS[ (TAINTS)]; a module being
# unloaded has dropped its base reference and shows -1
LINE = re.compile(r"^([a-z_0-9]+) (\d+) (-?\d+) (-|(?:[a-z_0-9]+,)+) (Live|Loading|Unloading) 0x[0-9a-f]{16}(?: \([A-Z+-]+\))?$")
KNOWN = {"hello", "mulfile", "getargs", "kaidock", "smallmod", "smalluser",
         "racer", "testmod", "usetestmod"}

def modules_reader():
    while time.time() < stop:
        text = read_all(f"{mnt}/proc/modules").decode()
        count("proc/modules")
        if text and not text.endswith("\n"):
            err(f"proc/modules cut short: {text!r}")
        seen = {}
        for line in text.splitlines():
            mm = LINE.match(line)
            if not mm or mm.group(1) not in KNOWN:
                err(f"bad proc/modules line: {line!r}")
                continue
            if mm.group(1) in seen:
                err(f"listed twice: {text!r}")
            seen[mm.group(1)] = mm
        # one snapshot: a user is never listed without its holder
        for user, holder in (("smalluser", "smallmod"), ("usetestmod", "testmod")):
            if user in seen:
                h = seen.get(holder)
                if not h or f"{user}," not in h.group(4):
                    err(f"{user} without {holder} holding it: {text!r}")

def sysfs_reader():
    while time.time() < stop:
        mods = os.listdir(f"{mnt}/sys/module")
        count("listdir")
        if "module" not in mods:
            err(f"sys/module lost its built-in entry: {mods}")
        for m in mods:
            if m == "module":
                continue
            for attr in ("initstate", "refcnt", "coresize", "taint"):
                try:
                    v = read_all(f"{mnt}/sys/module/{m}/{attr}").decode()
                except OSError as e:
                    if e.errno not in GONE:
                        err(f"read {m}/{attr}: {e}")
                    continue
                count("attr")
                if attr == "initstate" and v not in ("live\n", "coming\n", "going\n"):
                    err(f"{m}/initstate = {v!r}")
                if attr in ("refcnt", "coresize") and not re.fullmatch(r"-?\d+\n", v):
                    err(f"{m}/{attr} = {v!r}")
                if attr == "taint" and v != "OE\n":
                    err(f"{m}/taint = {v!r}")

SYM = re.compile(r"[0-9a-f]{16} [a-zA-Z?] \S+(\t\[[a-z_0-9]+\])?")
def log_reader():
    while time.time() < stop:
        t = read_all(f"{mnt}/dmesg").decode()
        count("dmesg")
        for line in t.splitlines():
            if not re.fullmatch(r"<\d+>\[ *\d+\.\d{6}\] .*", line):
                err(f"bad dmesg line {line!r}")
        for line in read_all(f"{mnt}/proc/kallsyms").decode().splitlines():
            if not SYM.fullmatch(line):
                err(f"bad kallsyms line {line!r}")
        count("kallsyms")
        if read_all(f"{mnt}/proc/sys/kernel/tainted") != b"12288\n":
            err("tainted is not O|E only")

VALS = [b"a" * 100, b"b" * 100, b"c" * 50]
def param_hammer():
    i = 0
    p = f"{mnt}/sys/module/racer/parameters/words"
    while time.time() < stop:
        try:
            write_str(p, VALS[i % 3])
            v = read_all(p)
            count("param")
            if v.rstrip(b"\n") not in VALS + [b"initial"]:
                err(f"torn parameter value {v!r}")
        except OSError as e:
            if e.errno not in GONE:
                err(f"param: {e}")
        i += 1

# an exception ends only its thread: count it as an error
def guard(f):
    def run(*a):
        try:
            f(*a)
        except Exception as e:
            err(f"{f.__name__}: {e!r}")
    return run

threads = [threading.Thread(target=guard(cycler), args=(mods,)) for mods in (
    [(ex, "hello"), (ex, "mulfile")],
    [(ex, "getargs"), (ex, "kaidock")],
    [(ex, "smallmod"), (ex, "smalluser")],
    [(tm, "racer")],
    [(tm, "testmod"), (tm, "usetestmod")],
)]
threads += [threading.Thread(target=guard(f)) for f in
            (modules_reader, modules_reader, sysfs_reader, log_reader, param_hammer, param_hammer)]
for t in threads: t.start()
for t in threads: t.join()
print(" ".join(f"{k}={v}" for k, v in sorted(stats.items())))
for e in errors: print("ERROR", e)
sys.exit(1 if errors or stats.get("load", 0) < 50 or stats.get("param", 0) < 10 else 0)
' "$EX" "$TM" 5
	echo "$output" >&2
	[ "$status" -eq 0 ]
	# everything went; nothing oopsed, warned or was left pending
	[ -z "$(cat "$MNT/proc/modules")" ]
	[ "$(ls "$MNT/sys/module")" = module ]
	no_trouble
	[ "$(tainted)" -eq 12288 ]
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
}

@test "eight writers load the same module at once: one loads it, the others get EEXIST" {
	local i pids=()
	for i in 1 2 3 4 5 6 7 8; do
		cp "$EX/hello.ko" "$MNT/load/hello$i.ko" 2>"$BATS_TEST_TMPDIR/cp$i.err" &
		pids+=($!)
	done
	local ok=0 exists=0
	for i in 1 2 3 4 5 6 7 8; do
		if wait "${pids[$((i - 1))]}"; then
			ok=$((ok + 1))
		elif [ "$(cat "$BATS_TEST_TMPDIR/cp$i.err")" = "cp: failed to close '$MNT/load/hello$i.ko': File exists" ]; then
			exists=$((exists + 1))
		else
			cat "$BATS_TEST_TMPDIR/cp$i.err" >&2
		fi
	done
	[ "$ok" -eq 1 ]
	[ "$exists" -eq 7 ]
	[ "$(log_count "hello: init")" -eq 1 ]
	[ "$(grep -c '^hello ' "$MNT/proc/modules")" -eq 1 ]
	[ -z "$(ls -A "$MNT/load")" ]
	no_trouble
}

@test "eight rmdirs of one module at once: one unloads it, the others fail cleanly" {
	kload "$EX/hello.ko"
	kload "$EX/kaidock.ko"
	local i pids=()
	for i in 1 2 3 4 5 6 7 8; do
		rmdir "$MNT/sys/module/kaidock" 2>"$BATS_TEST_TMPDIR/rm$i.err" &
		pids+=($!)
	done
	local ok=0 other=0
	for i in 1 2 3 4 5 6 7 8; do
		if wait "${pids[$((i - 1))]}"; then
			ok=$((ok + 1))
		else
			# gone already, or still going (Linux's delete_module errnos)
			grep -qE ": (No such file or directory|Device or resource busy)\$" \
				"$BATS_TEST_TMPDIR/rm$i.err" && other=$((other + 1))
		fi
	done
	[ "$ok" -eq 1 ]
	[ "$other" -eq 7 ]
	[ ! -e "$MNT/sys/module/kaidock" ]
	[ "$(cat "$MNT/proc/modules" | cut -d' ' -f1)" = hello ]
	no_trouble
}

@test "parameter reads never tear, whole or a byte at a time, while writers race" {
	kload "$TM/racer.ko"
	local t0
	t0=$(cat "$MNT/sys/module/racer/parameters/ticks")
	run pyrun "$PYLIB"'
P = f"{mnt}/sys/module/racer/parameters/"
# values of different lengths: a torn read mixes letters or lengths
VALUES = {
    "words": [b"a" * 120, b"b" * 7, b"c" * 60],
    "text": [b"x" * 200, b"y" * 3, b"z" * 90],
    "vals": [b"1,1,1,1,1,1,1,1", b"22,22", b"333,333,333,333"],
}
stop = time.time() + 2.0
errors, reads = [], [0]

def writer(name, k):
    i = k
    try:
        while time.time() < stop:
            write_str(P + name, VALUES[name][i % 3])
            i += 1
    except OSError as e:
        errors.append(f"write {name}: {e}")

def reader(name, chunk):
    try:
        while time.time() < stop:
            v = read_all(P + name, chunk).rstrip(b"\n")
            reads[0] += 1
            if v not in VALUES[name] and v not in (b"initial", b""):
                errors.append(f"{name} read {v!r} in chunks of {chunk}")
    except OSError as e:
        errors.append(f"read {name}: {e}")

threads = []
for name in VALUES:
    threads += [threading.Thread(target=writer, args=(name, k)) for k in (0, 1)]
    threads += [threading.Thread(target=reader, args=(name, c)) for c in (4096, 1)]
for t in threads: t.start()
for t in threads: t.join()
print(f"{reads[0]} reads")
for e in errors[:20]: print("ERROR", e)
sys.exit(1 if errors or reads[0] < 20 else 0)
'
	echo "$output" >&2
	[ "$status" -eq 0 ]
	# the module's timer ticked all along (HZ=250: 2 s is ~500 ticks)
	[ $(($(cat "$MNT/sys/module/racer/parameters/ticks") - t0)) -gt 100 ]
	rmdir "$MNT/sys/module/racer"
	klog_line "racer: exit after [0-9]+ ticks"
	no_trouble
}

@test "a module unloaded while its files are open: snapshots read, writes fail, no crash" {
	kload "$TM/racer.ko"
	run pyrun "$PYLIB"'
M = f"{mnt}/sys/module/racer"
fds = {
    "text": os.open(M + "/parameters/text", os.O_RDONLY),
    "words": os.open(M + "/parameters/words", os.O_RDWR),
    "slow": os.open(M + "/parameters/slow", os.O_WRONLY),
    "refcnt": os.open(M + "/refcnt", os.O_RDONLY),
    "section": os.open(M + "/sections/.text", os.O_RDONLY),
    "modules": os.open(f"{mnt}/proc/modules", os.O_RDONLY),
    "kallsyms": os.open(f"{mnt}/proc/kallsyms", os.O_RDONLY),
}
d = os.open(M, os.O_RDONLY | os.O_DIRECTORY)
os.rmdir(M)
out = []
# what was rendered at open is what the open file reads
for name in ("text", "refcnt", "modules"):
    out.append(f"{name}: {os.pread(fds[name], 4096, 0)!r}")
out.append("kallsyms has racer: %s" % (b"[racer]" in os.pread(fds["kallsyms"], 1 << 20, 0)))
# the module is gone: its parameters cannot be set any more
for name, val in (("words", b"late"), ("slow", b"1")):
    try:
        os.write(fds[name], val)
        out.append(f"write {name}: succeeded")
    except OSError as e:
        out.append(f"write {name}: {errno.errorcode[e.errno]}")
for name in ("parameters/text", "refcnt"):
    try:
        os.close(os.open(name, os.O_RDONLY, dir_fd=d))
        out.append(f"openat {name}: succeeded")
    except OSError as e:
        out.append(f"openat {name}: {errno.errorcode[e.errno]}")
for fd in list(fds.values()) + [d]:
    os.close(fd)
print("\n".join(out))
'
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "text: b'initial\\n'" ]
	[ "${lines[1]}" = "refcnt: b'0\\n'" ]
	[[ "${lines[2]}" =~ ^modules:\ b\'racer\ [0-9]+\ 0\ -\ Live\ 0x[0-9a-f]{16}\ \(OE\)\\n\'$ ]]
	[ "${lines[3]}" = "kallsyms has racer: True" ]
	# kernfs answers ENODEV for an attribute of a removed kobject; ENOENT
	# says as much
	[[ "${lines[4]}" =~ ^write\ words:\ (ENODEV|ENOENT)$ ]]
	[[ "${lines[5]}" =~ ^write\ slow:\ (ENODEV|ENOENT)$ ]]
	[ "${lines[6]}" = "openat parameters/text: ENOENT" ]
	[ "${lines[7]}" = "openat refcnt: ENOENT" ]
	refute log_has "racer: slow setter"
	log_has "racer: exit after"
	# the same module loads again, with fresh parameters
	kload "$TM/racer.ko"
	[ "$(cat "$MNT/sys/module/racer/parameters/words")" = initial ]
	no_trouble
}

@test "rmdir waits for a parameter setter that is running, then unloads" {
	kload "$TM/racer.ko"
	echo 700 >"$MNT/sys/module/racer/parameters/slow_ms"
	bash -c 'echo 5 >"$1"' _ "$MNT/sys/module/racer/parameters/slow" \
		2>"$BATS_TEST_TMPDIR/set.err" &
	local setter=$!
	wait_until log_has "racer: slow setter starts"
	local t0 t1
	t0=$(date +%s%N)
	rmdir "$MNT/sys/module/racer"
	t1=$(date +%s%N)
	wait "$setter" || { cat "$BATS_TEST_TMPDIR/set.err" >&2; false; }
	# it waited for the setter (about 0.7 s), which finished first
	[ $(((t1 - t0) / 1000000)) -ge 300 ]
	klog_in_order "racer: slow setter starts" "racer: slow setter ends \(0\)" \
		"racer: exit after [0-9]+ ticks"
	[ ! -e "$MNT/sys/module/racer" ]
	no_trouble
}

@test "rmdir while a timer callback runs: it waits for it, removes the re-armed timer, warns" {
	# the callback busy-waits 200 ms and re-arms itself every jiffy; the
	# exit function forgets it
	modopts faultytimer leave=4 busy_ms=200
	kload "$TM/faultytimer.ko"
	wait_for '[ "$(cat "$MNT/sys/module/faultytimer/parameters/busy_runs")" -ge 1 ]'
	rmdir "$MNT/sys/module/faultytimer"
	klog_in_order "faultytimer: exit leaves its timers and works behind" \
		"faultytimer: 1 timer\(s\) still pending at unload were removed \(on Linux this crashes\)"
	[ "$(log_count "still pending at unload")" -eq 1 ]
	# nothing runs in the freed module afterwards
	sleep 0.5
	refute log_has "Oops"
	refute log_has "BUG:"
	[ "$(tainted)" -eq 12288 ]
	kload "$EX/hello.ko"
	[ "$(kattr hello initstate)" = live ]
}

@test "a module being freed is never seen unformed: its directory goes first, as mod_sysfs_teardown() does" {
	# free_module() waits for the running timer callback (it busy-waits
	# 1.5 s): a window in which the module is still registered but no
	# longer formed.  Linux tears its sysfs directory down before that.
	modopts faultytimer leave=4 busy_ms=1500
	kload "$TM/faultytimer.ko"
	wait_for '[ "$(cat "$MNT/sys/module/faultytimer/parameters/busy_runs")" -ge 1 ]'
	run pyrun "$PYLIB"'
import subprocess
d = f"{mnt}/sys/module/faultytimer"
# (looked up relative to the open directory, as a reader that got the
# directory just before the unload does)
dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
rm = subprocess.Popen(["rmdir", d])
seen = {}
while rm.poll() is None:
    try:
        fd = os.open("initstate", os.O_RDONLY, dir_fd=dfd)
        v = os.read(fd, 64).decode().strip()
        os.close(fd)
    except OSError as e:
        v = errno.errorcode[e.errno]
    seen[v] = seen.get(v, 0) + 1
os.close(dfd)
print(seen)
# gone (ENOENT, or ENODEV for a file opened just before) while the rmdir
# still waited, and nothing but live/going/gone ever
ok = rm.returncode == 0 and set(seen) <= {"live", "going", "ENOENT", "ENODEV"}
sys.exit(0 if ok and ("ENOENT" in seen or "ENODEV" in seen) else 1)
'
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ ! -e "$MNT/sys/module/faultytimer" ]
	[ "$(log_count "still pending at unload")" -eq 1 ]
}

@test "a timer and a delayed work left pending at unload are removed with a warning, never run" {
	modopts faultytimer leave=3 delay_ms=3000
	kload "$TM/faultytimer.ko"
	local t0
	t0=$(date +%s%N)
	rmdir "$MNT/sys/module/faultytimer"
	# the unload did not wait for them (due 3 s after the load)
	[ $((($(date +%s%N) - t0) / 1000000)) -lt 2500 ]
	klog_in_order "faultytimer: exit leaves its timers and works behind" \
		"faultytimer: 1 timer\(s\) still pending at unload were removed \(on Linux this crashes\)" \
		"faultytimer: 1 work item\(s\) or RCU callback\(s\) still pending at unload were removed \(on Linux this crashes\)"
	# past the time they were due: they never fire into the freed module
	sleep 3.5
	refute log_has "left behind"
	refute log_has "Oops"
	[ "$(tainted)" -eq 12288 ]
	# and the same module, behaving, comes and goes without warnings
	modopts faultytimer timer_mode=0
	kload "$TM/faultytimer.ko"
	rmdir "$MNT/sys/module/faultytimer"
	log_has "faultytimer: exit"
	[ "$(log_count "still pending at unload")" -eq 2 ]
}

@test "faulting loads while other modules load and unload: only the faulting ones fail" {
	modopts faulty mode=3
	run pyrun "$PYLIB"'
ex, tm = sys.argv[2], sys.argv[3]
faulty = open(f"{tm}/faulty.ko", "rb").read()
results = {"good": 0, "efault": 0, "other": []}
lock = threading.Lock()

def good(m):
    data = open(f"{ex}/{m}.ko", "rb").read()
    for i in range(40):
        cp(f"{mnt}/load/{m}.ko", data)
        os.rmdir(f"{mnt}/sys/module/{m}")
        with lock:
            results["good"] += 1

def bad(k):
    for i in range(10):
        try:
            cp(f"{mnt}/load/faulty{k}.ko", faulty)
            with lock:
                results["other"].append("a faulting load succeeded")
        except OSError as e:
            with lock:
                if e.errno == errno.EFAULT:
                    results["efault"] += 1
                elif e.errno == errno.EBUSY:
                    pass    # another faulty was being loaded (Linux: EBUSY)
                else:
                    results["other"].append(os.strerror(e.errno))

ts = [threading.Thread(target=good, args=(m,)) for m in ("hello", "mulfile", "kaidock")]
ts += [threading.Thread(target=bad, args=(k,)) for k in (1, 2)]
for t in ts: t.start()
for t in ts: t.join()
print(results["good"], results["efault"], results["other"])
sys.exit(1 if results["other"] or results["good"] != 120 or results["efault"] < 5 else 0)
' "$EX" "$TM"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	local n
	n=$(echo "$output" | cut -d' ' -f2)
	# one Oops per faulting load, numbered 1..n
	[ "$(log_count "BUG: kernel NULL pointer dereference")" -eq "$n" ]
	local i
	for i in $(seq "$n"); do
		[ "$(klog | grep -cxF "Oops: 0000 [#$i] PREEMPT SMP NOPTI")" -eq 1 ]
	done
	[ -z "$(cat "$MNT/proc/modules")" ]
	[ "$(log_count "hello: init")" -eq 40 ]
	[ "$(log_count "hello: exit")" -eq 40 ]
}

@test "the same file name loads again right away through cat > and dd" {
	# a shell redirection and dd open the name with O_CREAT|O_TRUNC (no
	# retry like cp's): the name of the image just loaded must not linger
	local i
	for i in 1 2 3; do
		cat "$EX/hello.ko" >"$MNT/load/hello.ko"
		rmdir "$MNT/sys/module/hello"
	done
	for i in 1 2 3; do
		dd if="$EX/hello.ko" of="$MNT/load/hello.ko" bs=4k status=none
		rmdir "$MNT/sys/module/hello"
	done
	[ "$(log_count "hello: init")" -eq 6 ]
	[ "$(log_count "hello: exit")" -eq 6 ]
	# the listing does not show it; the name may resolve a moment longer
	# (install(1) chmods it by name after close), not for good
	cat "$EX/hello.ko" >"$MNT/load/hello.ko"
	[ -z "$(ls -A "$MNT/load")" ]
	wait_until [ ! -e "$MNT/load/hello.ko" ]
	[ "$(kattr hello initstate)" = live ]
}

@test "a late release of the last image does not drop the next one of the same name" {
	# close() returns at flush; the release of a file comes later, and
	# only once every copy of the descriptor is closed (here a child
	# holds one).  The next writer of the name has reopened it by then
	# and not written yet: that empty image must still load at its close.
	run pyrun "$PYLIB"'
ex = sys.argv[2]
data = open(f"{ex}/hello.ko", "rb").read()
p = f"{mnt}/load/hello.ko"
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, data)
r, w = os.pipe()
pid = os.fork()
if pid == 0:                    # holds a copy of fd until told to go
    os.close(w)
    os.read(r, 1)
    os._exit(0)
os.close(r)
os.close(fd)                    # the load (flush); no release yet
assert os.path.isdir(f"{mnt}/sys/module/hello"), "first load"
os.rmdir(f"{mnt}/sys/module/hello")
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.close(w)                     # the child exits: the release comes now
os.waitpid(pid, 0)
time.sleep(0.2)
os.write(fd, data)
os.close(fd)                    # the second load
assert os.path.isdir(f"{mnt}/sys/module/hello"), "second load"
print("ok")
' "$EX"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	[ "$(log_count "hello: init")" -eq 2 ]
}
