#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The mempool cache's get and put call nothing on their fast path.

usage: test_fastpath_calls.py BINARY all|small [B_SANITIZE [BUILDTYPE]]

BINARY is a build of test_mempool_order.c, whose get_put gets and puts
back a run-time count of objects through a table of its own (as a PMD's
burst), and small_get_put the same for a count below 8.  Their only
calls may be the cache's out-of-line refill and drain (once per cache
size of objects).  Knowing the table apart from the cache, GCC turns a
plain copy loop of a run-time count into a call to memcpy, which for a
burst's few pointers costs more than the copy itself (a PLT call into
glibc; at -march=corei7 it did for get_put); vfn_mempool.h copies in
pieces instead.  "small" checks only small_get_put: with AVX a put of 8
or more is left to GCC, which may call memcpy there (measured faster
than the pieces; see __VFN_MEMPOOL_COPY_NOTE).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "..", "lib"))
from vfn_tap import tap, diag, done  # noqa: E402
from vfn_calls import call_graph, can_check  # noqa: E402

ALLOWED = {"__vfn_mempool_cache_refill", "__vfn_mempool_cache_drain"}


def main():
    binary, mode = sys.argv[1], sys.argv[2]
    sanitize = sys.argv[3] if len(sys.argv) > 3 else "none"
    buildtype = sys.argv[4] if len(sys.argv) > 4 else "release"
    if not can_check("mempool fast path without calls", sanitize, buildtype,
                     "the mempool checks every object's cookies in a "
                     "function of its own"):
        return done()
    calls = call_graph(binary, fold_clones=True)
    names = ["small_get_put"] + (["get_put"] if mode == "all" else [])
    for name in names:
        if name not in calls:
            tap(False, "%s is in the binary" % name,
                "objdump found no function %s in %s" % (name, binary))
            continue
        targets = [c for c in calls[name] if c.split("@")[0] not in ALLOWED]
        diag("%s calls: %s" % (name, ", ".join(sorted(set(calls[name])))
                               or "nothing"))
        tap(not targets, "%s calls nothing but the cache's refill and drain"
            % name, "it calls %s" % ", ".join(sorted(set(targets))))
    return done()


sys.exit(main())
