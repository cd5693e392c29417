# SPDX-License-Identifier: BSD-3-Clause
"""Direct calls of a binary's functions, from objdump, for the tests that
check a hot path calls nothing it should not (fwd_vm_burst_calls,
mempool_fastpath_calls)."""
import re
import shutil
import subprocess

from vfn_tap import skip

_FN = re.compile(r"^[0-9a-f]+ <(.+)>:$")
_CALL = re.compile(r"\s(?:call|jmp)\s+[0-9a-f]+ <([^>+]+)(?:\+0x[0-9a-f]+)?>")


def call_graph(binary, fold_clones=False):
    """{function: set of direct call/jump targets} from objdump -d.

    With fold_clones, GCC's clones (put_n.constprop.0) count as their
    function, and jumps between a function and its clones are dropped."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary],
                         capture_output=True, text=True, check=True).stdout
    calls, fn = {}, None
    for line in out.splitlines():
        m = _FN.match(line)
        if m:
            fn = m.group(1).split(".")[0] if fold_clones else m.group(1)
            calls.setdefault(fn, set())
            continue
        m = _CALL.search(line)
        if not m or not fn:
            continue
        target = m.group(1)
        if (target.split(".")[0] if fold_clones else target) != fn:
            calls[fn].add(target)
    return calls


def can_check(name, sanitize, buildtype, debug_why):
    """False, after a TAP skip with the reason, where a build calls
    libraries by design or objdump is missing."""
    if sanitize != "none":
        skip(name, "built with -fsanitize=%s, which calls libasan and "
             "libubsan from every function" % sanitize)
        return False
    if buildtype == "debug":
        skip(name, "buildtype=debug: " + debug_why)
        return False
    if not shutil.which("objdump"):
        skip(name, "no objdump (binutils)")
        return False
    return True
