# SPDX-License-Identifier: BSD-3-Clause
"""TAP for vfnet's Python tests, as tests/lib/vfn_tap.h is for C and
tests/lib/vfn_tap.sh for shell: numbered ok/not ok lines, a failure's
details as "# " lines after it, skips reported as skips with their
reason, and the plan at the end.  A test puts tests/lib on sys.path:

    sys.path.insert(0, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "..", "lib"))
    from vfn_tap import tap, skip, diag, done
"""
import sys

_count = 0
_failed = 0


def diag(text):
    """Print @text as TAP diagnostics, one "# " line per line."""
    for line in str(text).splitlines():
        print("# " + line)
    sys.stdout.flush()


def tap(ok, name, detail=""):
    """One check: "ok N - name", or "not ok N - name" followed by the
    last 60 lines of @detail as diagnostics.  Returns @ok."""
    global _count, _failed
    _count += 1
    if not ok:
        _failed += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", _count, name))
    if detail and not ok:
        diag("\n".join(str(detail).splitlines()[-60:]))
    sys.stdout.flush()
    return ok


def skip(name, why):
    """A check that could not run here, and why (meson shows SKIP)."""
    global _count
    _count += 1
    print("ok %d - %s # SKIP %s" % (_count, name, why))
    sys.stdout.flush()


def done():
    """Print the plan; the exit status: 1 if any check failed."""
    print("1..%d" % _count)
    sys.stdout.flush()
    return 1 if _failed else 0
