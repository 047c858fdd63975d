#!/usr/bin/env python3
"""Count test cases over meson test logs: every TAP "ok"/"not ok" line
of a TAP test, or the test itself when it is not TAP (or died before
reporting any failure).  Arguments ending in .tap are plain TAP files
(fuzz/run.sh writes one): their "ok"/"not ok" lines count, and a file
with none is one failure.  Every failed case is printed with its TAP
diagnostics ("# ..." lines; meson's --print-errorlogs shows only stderr
of a TAP test), then "N passed, N failed"; exit 1 on failure."""
import json
import re
import sys

passed = failed = 0


def show_failures(where, lines):
    """Print each "not ok" line of lines with the "#" lines after it."""
    showing = False
    for out in lines:
        if re.match(r"^not ok\b", out):
            showing = True
            print(f"FAILED in {where}: {out}")
        elif showing and out.startswith("#"):
            print(f"  {out}")
        else:
            showing = False


for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        print(f"count-tests: {e}", file=sys.stderr)
        failed += 1
        continue
    if path.endswith(".tap"):
        ok = sum(1 for out in lines if re.match(r"^ok\b", out))
        not_ok = sum(1 for out in lines if re.match(r"^not ok\b", out))
        passed += ok
        failed += not_ok if ok + not_ok else 1
        show_failures(path, lines)
        continue
    for line in lines:
        t = json.loads(line)
        ok = not_ok = 0
        for out in (t.get("stdout") or "").splitlines():
            if re.match(r"^ok\b", out):
                ok += 1
            elif re.match(r"^not ok\b", out):
                not_ok += 1
        result = t.get("result")
        if ok + not_ok == 0:
            ok, not_ok = (1, 0) if result == "OK" else (0, 1)
        elif result not in ("OK", "EXPECTEDFAIL") and not_ok == 0:
            not_ok = 1
        passed += ok
        failed += not_ok
        if not_ok:
            where = f"{path.split('/')[0]} {t.get('name')}"
            show_failures(where, (t.get("stdout") or "").splitlines())
            if result not in ("OK", "EXPECTEDFAIL") and ok + not_ok and \
                    not any(re.match(r"^not ok\b", x) for x in (t.get("stdout") or "").splitlines()):
                print(f"FAILED in {where}: exit status {t.get('returncode')}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
