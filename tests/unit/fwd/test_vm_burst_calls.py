#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd_vm's forwarding path calls nothing in a shared library.

usage: test_vm_burst_calls.py FWD_VM [B_SANITIZE [BUILDTYPE]]

Under QEMU 7.2 TCG (the test VM), glibc's memcpy/memset resolve to
their AVX2 versions, and a guest AVX instruction leaves the host's upper
YMM state dirty until the vCPU next leaves translated code: the
e1000e/vmxnet3 doorbell that QEMU emulates after it, in the same host
thread, then costs twice the host CPU (bench/fwd_vm/e1000e-analysis.md).
So the functions that io forwarding runs per burst on the VM's PMDs
(e1000e, vmxnet3, virtio-net) and everything they call directly must not
call through the PLT.  GCC turns copy loops into memcpy calls unless
told not to (apps/fwd/meson.build builds fwd_vm with
-fno-tree-loop-distribute-patterns).  Static: objdump's call graph of
the binary, from the burst functions and io_fwd.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "..", "lib"))
from vfn_tap import tap, diag, done  # noqa: E402
from vfn_calls import call_graph, can_check  # noqa: E402

ROOTS = r"(e1000e|vmxnet3|virtio)_(recv|xmit)_pkts\w*|io_fwd"
# fwd --capture copies every frame by design (vfn_pktmbuf_copy, memcpy):
# not the forwarding path this guards.
NOT_FOLLOWED = {"tap_copy_burst"}


def main():
    binary = sys.argv[1]
    sanitize = sys.argv[2] if len(sys.argv) > 2 else "none"
    buildtype = sys.argv[3] if len(sys.argv) > 3 else "release"
    # The property is about the builds that forward for speed.
    # -fsanitize instruments every access with calls into libasan and
    # libubsan; buildtype=debug checks every mbuf's cookies and logs
    # through libc on a bad one.  Both call libraries by design.
    if not can_check("burst path without PLT calls", sanitize, buildtype,
                     "the mempool's cookie checks log through libc from "
                     "the burst functions"):
        return done()
    calls = call_graph(binary)
    roots = sorted(f for f in calls if re.fullmatch(ROOTS, f))
    want = {"e1000e_recv_pkts", "e1000e_xmit_pkts", "vmxnet3_recv_pkts",
            "vmxnet3_xmit_pkts", "virtio_recv_pkts", "virtio_xmit_pkts",
            "io_fwd"}
    tap(want <= set(roots), "the burst functions are in the symbol table",
        "missing: %s" % sorted(want - set(roots)))
    seen, stack, parent = set(), list(roots), {}
    while stack:
        f = stack.pop()
        if f in seen:
            continue
        seen.add(f)
        for c in calls.get(f, ()):
            if c.endswith("@plt") or c in NOT_FOLLOWED or c in seen:
                continue
            parent.setdefault(c, f)
            stack.append(c)
    bad = []
    for f in sorted(seen):
        for c in sorted(x for x in calls.get(f, ()) if x.endswith("@plt")):
            path, p = [f], f
            while p in parent:
                p = parent[p]
                path.append(p)
            bad.append("%s calls %s (via %s)" % (f, c, " <- ".join(path)))
    diag("%d functions on the path from %d roots" % (len(seen), len(roots)))
    tap(not bad, "the VM forwarding path calls no shared-library function",
        "\n".join(bad))
    return done()


sys.exit(main())
