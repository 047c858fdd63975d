#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The timing driver of the kmodfs benchmark (run through bench/run.sh).

Every figure is a ratio against a baseline timed in the same process,
interleaved repetition by repetition (A B, B A, A B, ...), and reported
as the ratio of the medians, because these machines are noisy.  The
system calls are the ones the shell tools make:

  cp SRC DIR/NAME   stat(NAME); open(NAME, O_WRONLY|O_TRUNC), and if that
                    is ENOENT (or NAME did not exist) open(NAME,
                    O_WRONLY|O_CREAT|O_EXCL, 0644); fstat; one write of
                    the image; close (whose error is the load's)
  cat FILE          open; read(128 KiB) until 0; close
  rmdir DIR         rmdir

(cp's first open is O_TRUNC because the name is still in the kernel's
dentry cache from the previous load: kmodfs removes the file at close
but the entry stays cached for its entry timeout; floorfs does the same,
so both mounts see the same requests.)  Where a note says "daemon CPU",
it is the user + system time the daemon process used over the timed
loop (exited threads included), divided by the operations it served.
"""
import traceback
import argparse
import ctypes
import gc
import os
import platform
import re
import statistics
import subprocess
import sys
import time

now = time.perf_counter_ns
QUICK = os.environ.get("BENCH_QUICK") == "1"
LOAD0 = os.getloadavg()


def reps(n):
    return max(5, n // 10) if QUICK else n


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ---- the operations -------------------------------------------------------

O_TRUNC_W = os.O_WRONLY | os.O_TRUNC
O_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL


def cp(dst, data):
    """cp's system calls for a regular file into DST (a full path)."""
    fd = None
    try:
        os.stat(dst)
        try:
            fd = os.open(dst, O_TRUNC_W)
        except FileNotFoundError:
            pass
    except FileNotFoundError:
        pass
    if fd is None:
        fd = os.open(dst, O_NEW, 0o644)
    try:
        os.fstat(fd)
        if os.write(fd, data) != len(data):
            raise OSError("short write")
    finally:
        os.close(fd)


def cat(path, _read=os.read, _open=os.open, _close=os.close):
    fd = _open(path, os.O_RDONLY)
    n = 0
    while True:
        b = _read(fd, 131072)
        if not b:
            break
        n += len(b)
    _close(fd)
    return n


def spawn(argv, stdout="/dev/null"):
    """Run a command as a shell would (posix_spawn + wait); its time in ns."""
    fa = [(os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    t0 = now()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=fa)
    _, status = os.waitpid(pid, 0)
    t = now() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} failed: {status}")
    return t


def interleave(fns, n, warmup=20, on_start=None):
    """Call every fn n times, interleaved and alternating the order; each
    fn returns its own elapsed time in ns.  Returns one list per fn.
    on_start() runs after the warm-up."""
    for _ in range(warmup):
        for f in fns:
            f()
    if on_start:
        on_start()
    out = [[] for _ in fns]
    order = list(range(len(fns)))
    gc.collect()
    gc.disable()
    try:
        for r in range(n):
            for i in (order if r % 2 == 0 else order[::-1]):
                out[i].append(fns[i]())
    finally:
        gc.enable()
    return out


def med(xs):
    return statistics.median(xs)


# ---- mounts ---------------------------------------------------------------

def find_daemon(binary, mnt):
    binary = os.path.realpath(binary)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")[:-1]
            exe = os.path.realpath(f"/proc/{pid}/exe")
        except OSError:
            continue
        if exe == binary and argv and argv[-1].decode() == mnt:
            return int(pid)
    raise RuntimeError(f"no daemon for {mnt}")


class Mount:
    def __init__(self, binary, mnt, args=()):
        self.binary, self.mnt = binary, mnt
        os.makedirs(mnt, exist_ok=True)
        # both daemonize once mounted, as kmodfs is normally run
        subprocess.run([binary, *args, mnt], check=True)
        self.pid = find_daemon(binary, mnt)

    def umount(self):
        if self.pid is None:
            return
        subprocess.run(["fusermount3", "-u", self.mnt], check=False)
        for _ in range(500):
            if not os.path.exists(f"/proc/{self.pid}"):
                break
            time.sleep(0.01)
        self.pid = None


def cpu_ns(pid):
    """CPU time (user + system) a process has used, its exited threads included."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1e9 / os.sysconf("SC_CLK_TCK")


class DaemonCPU:
    """Daemon CPU time per operation over an interleaved loop (the kernel
    counts it in clock ticks, 10 ms, so only long loops give a figure)."""

    def __init__(self, *pids):
        self.pids = pids

    def start(self):
        self.t0 = [cpu_ns(p) for p in self.pids]

    def per_op(self, n):
        return [(cpu_ns(p) - t) / n for p, t in zip(self.pids, self.t0)]


def smaps(pid):
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            m = re.match(r"(\w+):\s+(\d+) kB", line)
            if m:
                out[m.group(1)] = int(m.group(2))
    return out


# ---- the table -------------------------------------------------------------

rows = []


def row(figure, kmodfs, baseline, ratio, target, note=""):
    if target is None:
        verdict = "report"
        target_s = "report"
    else:
        verdict = "ok" if ratio <= target else "MISS"
        target_s = f"<= {target:g}x"
    ratio_s = f"{ratio:.2f}x" if ratio is not None else "-"
    rows.append((figure, kmodfs, baseline, ratio_s, target_s, verdict, note))
    log(f"{figure}: {kmodfs} vs {baseline} = {ratio_s} {verdict} {note}")


def us(ns):
    return f"{ns / 1e3:.1f} us"


def ms(ns):
    return f"{ns / 1e6:.1f} ms"


def print_table(machine):
    head = ("figure", "kmodfs", "baseline", "ratio", "target", "verdict")
    cols = list(zip(*([head] + [r[:6] for r in rows])))
    width = [max(len(c) for c in col) for col in cols]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, width)) + " |"

    print()
    print(machine)
    print()
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in width) + "|")
    for r in rows:
        print(line(r[:6]))
    print()
    for i, r in enumerate(rows):
        if r[6]:
            print(f"  {r[0]}: {r[6]}")


def machine_line():
    model = "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"^Model name:\s*(.+)$", out, re.M)
        model = m.group(1).strip() if m else model
    except OSError:
        pass
    return (f"kmodfs benchmark, {time.strftime('%Y-%m-%d %H:%M:%S %z')}, "
            f"{model}, nproc {os.cpu_count()}, Linux {platform.release()}, load average "
            f"{LOAD0[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
            + (" (BENCH_QUICK: few repetitions)" if QUICK else ""))


# ---- the figures ---------------------------------------------------------------

def fig_cycle(a, K, F, hello):
    """load + init + unload of hello.ko vs the FUSE floor and vs dlopen."""
    libc = ctypes.CDLL(None)
    dlopen, dlclose = libc.dlopen, libc.dlclose
    dlopen.restype, dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
    dlclose.argtypes = [ctypes.c_void_p]
    so = os.path.join(a.build, "bench", "dlmod.so").encode()
    RTLD_NOW = 2

    # the .so really goes away at dlclose (no NODELETE), so each dlopen
    # maps it and runs its constructor again
    h = dlopen(so, RTLD_NOW)
    assert h, "dlopen dlmod.so"
    lib = ctypes.CDLL(so.decode(), handle=h)
    lib.dlmod_last.restype = ctypes.c_char_p
    assert b"hello: init" in lib.dlmod_last()
    dlclose(h)
    with open("/proc/self/maps") as f:
        assert "dlmod.so" not in f.read(), "dlmod.so stayed mapped after dlclose"

    sub = {"k_load": [], "k_unload": [], "f_load": [], "f_unload": []}

    def fuse_cycle(mnt, key):
        dst, mod = f"{mnt}/load/hello.ko", f"{mnt}/sys/module/hello"
        lo, un = sub[key + "_load"], sub[key + "_unload"]

        def f():
            t0 = now()
            cp(dst, hello)
            t1 = now()
            os.rmdir(mod)
            t2 = now()
            lo.append(t1 - t0)
            un.append(t2 - t1)
            return t2 - t0
        return f

    shm_dst = os.path.join(a.tmpfs, "hello.ko")

    def dl_cycle():
        t0 = now()
        h = dlopen(so, RTLD_NOW)
        dlclose(h)
        cp(shm_dst, hello)
        return now() - t0

    cpu = DaemonCPU(K.pid, F.pid)
    k, fl, dl = interleave([fuse_cycle(K.mnt, "k"), fuse_cycle(F.mnt, "f"), dl_cycle],
                           reps(2000), on_start=cpu.start)
    ck, cf = cpu.per_op(len(k))
    mk, mf, md = med(k), med(fl), med(dl)
    n = len(k)
    note = (f"load (cp) {us(med(sub['k_load'][-n:]))} vs {us(med(sub['f_load'][-n:]))}, "
            f"unload (rmdir) {us(med(sub['k_unload'][-n:]))} vs {us(med(sub['f_unload'][-n:]))}; "
            f"daemon CPU per cycle {us(ck)} vs {us(cf)}; {n} cycles each")
    row("hello.ko cycle (cp into load/, rmdir) vs FUSE floor", us(mk), us(mf), mk / mf, 1.5, note)
    row("hello.ko cycle vs dlopen+dlclose + tmpfs write", us(mk), us(md), mk / md, None)


def host_param():
    best = None
    for m in sorted(os.listdir("/sys/module")):
        d = f"/sys/module/{m}/parameters"
        if not os.path.isdir(d):
            continue
        for p in sorted(os.listdir(d)):
            path = f"{d}/{p}"
            try:
                n = cat(path)
            except OSError:
                continue
            if n and (best is None or n < best[1]):
                best = (path, n)
        if best and best[1] <= 8:
            break
    return best


def timed_cat(path):
    def f():
        t0 = now()
        cat(path)
        return now() - t0
    return f


def fig_param(a, K, F):
    """open+read+close of a parameter vs a file of the same size."""
    cp(f"{K.mnt}/load/bparam.ko", open(os.path.join(a.fixtures, "bparam.ko"), "rb").read())
    kpath = f"{K.mnt}/sys/module/bparam/parameters/value"
    size = cat(kpath)
    fpath = f"{F.mnt}/sys/module/bparam/parameters/{size}"
    assert cat(fpath) == size
    hp = host_param()

    fns = [timed_cat(kpath), timed_cat(fpath)] + ([timed_cat(hp[0])] if hp else [])
    cpu = DaemonCPU(K.pid, F.pid)
    res = interleave(fns, reps(10000), warmup=100, on_start=cpu.start)
    ck, cf = cpu.per_op(len(res[0]))
    mk, mf = med(res[0]), med(res[1])
    row("parameter read (open+read+close) vs FUSE floor", us(mk), us(mf), mk / mf, 1.2,
        f"{size}-byte value of sys/module/bparam/parameters/value; daemon CPU per read "
        f"{us(ck)} vs {us(cf)}; {len(res[0])} reads each")
    if hp:
        mh = med(res[2])
        row("parameter read vs host /sys/module/*/parameters/*", us(mk), us(mh), mk / mh, None,
            f"host file {hp[0]} ({hp[1]} bytes)")
    else:
        row("parameter read vs host /sys/module/*/parameters/*", us(mk), "n/a", None, None,
            "no readable parameter on this host")
    os.rmdir(f"{K.mnt}/sys/module/bparam")


def fig_link(a):
    """kmodfs-link --placeholders of amdgpu.ko vs GNU ld to a fixed address."""
    link = os.path.join(a.build, "src", "tools", "kmodfs-link")
    out = os.path.join(a.tmpfs, "link.out")
    kargv = [link, f"--kernel={a.headers}", "--placeholders", a.amdgpu]
    # a final link (every relocation applied) to a fixed address; undefined
    # symbols are 0, as kmodfs-link's placeholders are one address
    largv = ["ld", "-o", os.path.join(a.tmpfs, "amdgpu.elf"), "-Ttext=0x1000000",
             "--unresolved-symbols=ignore-all", "-e", "0", a.amdgpu]
    inner = []

    def k():
        t = spawn(kargv, out)
        with open(out) as f:
            m = re.search(r"linked in ([\d.]+) ms", f.read())
        if not m:
            raise RuntimeError("kmodfs-link did not link amdgpu.ko: " + open(out).read())
        inner.append(float(m.group(1)) * 1e6)
        return t

    def l():
        return spawn(largv, out)

    kt, lt = interleave([k, l], reps(30), warmup=2)
    nrel = 0
    try:
        nrel = int(subprocess.run(f"readelf -rW '{a.amdgpu}' | grep -c '^[0-9a-f]'",
                                  shell=True, capture_output=True, text=True).stdout)
    except ValueError:
        pass
    mk, ml, mi = med(kt), med(lt), med(inner[-len(kt):])
    row("link amdgpu.ko with placeholders: kmodfs-link vs GNU ld", ms(mk), ms(ml), mk / ml, 0.5,
        f"whole processes (kmodfs-link: boot, --kernel profile, read() of the file, link, "
        f"exit; ld: read, link, write to tmpfs), {len(kt)} runs each; "
        f"{os.path.getsize(a.amdgpu) / 2**20:.1f} MiB, {nrel} relocations")
    row("  the same, link_module() alone (kmodfs-link's own timer) vs GNU ld", ms(mi), ms(ml),
        mi / ml, None, "")


def fig_compressed(a, K):
    """load of hello.ko.{zst,xz,gz} vs load of hello.ko + the CLI decompressor."""
    plain = open(os.path.join(a.fixtures, "hello.ko"), "rb").read()
    mod = f"{K.mnt}/sys/module/hello"
    for ext, tool in (("zst", "zstd"), ("xz", "xz"), ("gz", "gzip")):
        path = os.path.join(a.fixtures, "hello.ko." + ext)
        comp = open(path, "rb").read()
        dst = f"{K.mnt}/load/hello.ko.{ext}"
        plain_only = []

        def load_comp():
            t0 = now()
            cp(dst, comp)
            t = now() - t0
            os.rmdir(mod)
            return t

        def load_plain_cli():
            t0 = now()
            cp(f"{K.mnt}/load/hello.ko", plain)
            t = now() - t0
            os.rmdir(mod)
            plain_only.append(t)
            return t + spawn([tool, "-dc", path])

        c, b = interleave([load_comp, load_plain_cli], reps(300))
        mc, mb, mp = med(c), med(b), med(plain_only[-len(c):])
        row(f"load hello.ko.{ext} vs hello.ko + `{tool} -dc`", us(mc), us(mb), mc / mb, 1.1,
            f"{len(comp)} bytes; the plain load alone {us(mp)}: {mc / mp:.2f}x of it")


def fig_memory(a):
    """daemon memory per loaded hello.ko beyond the module's own pages."""
    mnt = os.path.join(a.work, "kmodfs-mem")
    M = Mount(os.path.join(a.build, "src", "fs", "kmodfs"), mnt)
    try:
        hello = open(os.path.join(a.fixtures, "hello.ko"), "rb").read()
        for _ in range(3):   # one-time costs (first load, tick thread) out of the way
            cp(f"{mnt}/load/hello.ko", hello)
            os.rmdir(f"{mnt}/sys/module/hello")
        time.sleep(0.3)
        before = smaps(M.pid)
        copies = sorted(os.listdir(os.path.join(a.fixtures, "hello-copies")))
        copies = [c for c in copies if c.endswith(".ko")][:200]
        for c in copies:
            cp(f"{mnt}/load/{c}", open(os.path.join(a.fixtures, "hello-copies", c), "rb").read())
        time.sleep(0.3)
        after = smaps(M.pid)
        own = 0
        for c in copies:
            with open(f"{mnt}/sys/module/{c[:-3]}/coresize") as f:
                own += (int(f.read()) + 4095) // 4096 * 4
        n = len(copies)
        pss = (after["Pss"] - before["Pss"] - own) / n
        rss = (after["Rss"] - before["Rss"] - own) / n
        rows.append((f"memory per loaded hello.ko beyond its own pages (N={n})",
                     f"{pss:.1f} KiB", "-", "-", "<= 64 KiB", "ok" if pss <= 64 else "MISS",
                     f"daemon PSS {before['Pss']} -> {after['Pss']} KiB, RSS {before['Rss']} -> "
                     f"{after['Rss']} KiB ({rss:.1f} KiB per module by RSS); the module's own "
                     f"pages (coresize) {own // n} KiB each"))
        log(f"memory: {pss:.1f} KiB per module")
    finally:
        M.umount()


def fig_scale(a, F):
    """1,000 different modules: load of the last vs the first; proc/modules."""
    kmodfs = os.path.join(a.build, "src", "fs", "kmodfs")
    d = os.path.join(a.fixtures, "many")
    names = sorted(f for f in os.listdir(d) if f.endswith(".ko"))
    images = [open(os.path.join(d, f), "rb").read() for f in names]
    count = len(names) if not QUICK else 200
    mounts = []
    try:
        # One mount gets every module, timed one by one; side by side, a
        # mount that stays empty loads and unloads one module (always the
        # same, the last), so both daemons serve as many loads and the
        # drift of the machine shows in both.
        full = Mount(kmodfs, os.path.join(a.work, "kmodfs-many"))
        mounts.append(full)
        empty = Mount(kmodfs, os.path.join(a.work, "kmodfs-empty"))
        mounts.append(empty)
        lf, le = [], []
        gc.disable()
        for i in range(count):
            for j in ((0, 1) if i % 2 == 0 else (1, 0)):
                t0 = now()
                if j == 0:
                    cp(f"{full.mnt}/load/{names[i]}", images[i])
                    lf.append(now() - t0)
                else:
                    cp(f"{empty.mnt}/load/{names[count - 1]}", images[count - 1])
                    le.append(now() - t0)
                    os.rmdir(f"{empty.mnt}/sys/module/{names[count - 1][:-3]}")
        gc.enable()
        w = max(5, count // 20)
        growth = med(lf[-w:]) / med(lf[:w])
        drift = med(le[-w:]) / med(le[:w])
        row(f"{count} modules: load of the last vs the first", f"{growth:.2f}x", f"{drift:.2f}x",
            growth / drift, 1.2,
            f"kmodfs: median of the last {w} loads / of the first {w} "
            f"({us(med(lf[-w:]))} / {us(med(lf[:w]))}) into the mount that keeps them; baseline: "
            f"the same for the loads and unloads of one module into an empty mount alongside "
            f"({us(med(le[-w:]))} / {us(med(le[:w]))}), i.e. the drift of the machine")

        # the same, side by side: the last module into the full mount
        # (count-1 others loaded) and into a fresh one
        empty.umount()
        fresh = Mount(kmodfs, os.path.join(a.work, "kmodfs-fresh"))
        mounts.append(fresh)
        last_name = names[count - 1]
        os.rmdir(f"{full.mnt}/sys/module/{last_name[:-3]}")

        def cyc(m):
            def f():
                t0 = now()
                cp(f"{m}/load/{last_name}", images[count - 1])
                t = now() - t0
                os.rmdir(f"{m}/sys/module/{last_name[:-3]}")
                return t
            return f
        tfull, tempty = interleave([cyc(full.mnt), cyc(fresh.mnt)], reps(500))
        mfu, mem = med(tfull), med(tempty)
        row(f"  the same, interleaved: a load with {count - 1} modules loaded vs none",
            us(mfu), us(mem), mfu / mem, 1.2, f"two mounts side by side; {len(tfull)} loads each")
        cp(f"{full.mnt}/load/{last_name}", images[count - 1])

        # proc/modules with 0, count/4, count/2 and count modules: one mount
        # each, read interleaved, each against a floorfs file of its size
        levels = {0: fresh.mnt, count: full.mnt}
        for n in (count // 4, count // 2):
            m = Mount(kmodfs, os.path.join(a.work, f"kmodfs-{n}"))
            mounts.append(m)
            for i in range(n):
                cp(f"{m.mnt}/load/{names[i]}", images[i])
            levels[n] = m.mnt
        time.sleep(0.5)
        ns = sorted(levels)
        sizes = [cat(f"{levels[n]}/proc/modules") for n in ns]
        fns = [timed_cat(f"{levels[n]}/proc/modules") for n in ns]
        fns += [timed_cat(f"{F.mnt}/sys/module/x/parameters/{size}") for size in sizes]
        res = interleave(fns, reps(1000), warmup=10)
        tk = [med(x) for x in res[:len(ns)]]
        tf = [med(x) for x in res[len(ns):]]
        t = dict(zip(ns, tk))
        # linear if the second half of the modules adds what the first
        # half did (1 = linear, 3 = quadratic)
        grow = (t[count] - t[count // 2]) / max(1, t[count // 2] - t[0])
        curve = ", ".join(f"{n}: {us(x)} (floorfs {us(y)}, {size} B)"
                          for n, x, y, size in zip(ns, tk, tf, sizes))
        rows.append((f"cat proc/modules, 0..{count} modules loaded", us(t[count]), us(t[0]), "-",
                     "linear", "ok" if grow <= 1.5 else "MISS",
                     f"{curve}; time added by the second half of the modules / by the first "
                     f"half = {grow:.2f} (1 = linear, 3 = quadratic); one mount per level, "
                     f"read interleaved, {len(res[0])} reads each"))
        log(f"proc/modules: {curve}; growth {grow:.2f}")
    finally:
        for m in mounts:
            m.umount()


def main():
    ap = argparse.ArgumentParser()
    for opt in ("build", "work", "tmpfs", "fixtures", "amdgpu", "headers"):
        ap.add_argument("--" + opt, required=True)
    ap.add_argument("--commit", default="unknown")
    ap.add_argument("--only", default="", help="comma-separated figures: cycle,param,link,compressed,memory,scale")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))

    def want(x):
        return not only or x in only

    with open("/proc/mounts") as f:
        fstype = {l.split()[1]: l.split()[2] for l in f}
    if fstype.get(os.path.dirname(a.tmpfs)) != "tmpfs":
        log(f"warning: {a.tmpfs} is not on tmpfs")

    hello = open(os.path.join(a.fixtures, "hello.ko"), "rb").read()
    K = Mount(os.path.join(a.build, "src", "fs", "kmodfs"), os.path.join(a.work, "kmodfs"))
    F = Mount(os.path.join(a.build, "bench", "floorfs"), os.path.join(a.work, "floorfs"))
    figures = [
        ("cycle", "load/unload cycles", lambda: fig_cycle(a, K, F, hello)),
        ("param", "parameter reads", lambda: fig_param(a, K, F)),
        ("link", "linking amdgpu.ko", lambda: fig_link(a)),
        ("compressed", "compressed loads", lambda: fig_compressed(a, K)),
        ("memory", "memory", lambda: fig_memory(a)),
        ("scale", "1,000 modules", lambda: fig_scale(a, F)),
    ]
    failed = False
    try:
        for key, what, fn in figures:
            if not want(key):
                continue
            log(what)
            try:
                fn()
            except Exception:   # the other figures still run
                failed = True
                traceback.print_exc()
                rows.append((f"{what}: failed", "-", "-", "-", "-", "ERROR",
                             traceback.format_exc().strip().splitlines()[-1]))
                for m in os.listdir(f"{K.mnt}/sys/module"):   # a clean slate
                    if m != "module":
                        try:
                            os.rmdir(f"{K.mnt}/sys/module/{m}")
                        except OSError:
                            pass
    finally:
        F.umount()
        K.umount()
    print_table(machine_line() + f"\nkmodfs {a.commit}, build {a.build}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
