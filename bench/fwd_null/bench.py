#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd vs dpdk-testpmd: io forwarding between two null ports on one
forwarding lcore, in the same run, alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--no-huge]
                [--copy 0|1|both] [--testpmd PATH]

Equal for both tools: the EAL layout (-l 0,1: lcore 0 prints statistics,
lcore 1 forwards; both threads pinned by each EAL to those CPUs), the
ports (net_null0/1: 64-byte packets, copy=0 or copy=1: with copy=1 the
rx path writes every packet into its mbuf and the tx path reads it
back, as DPDK's net_null), io forwarding, burst 32, 16384 mbufs with a
250-mbuf per-lcore cache, one rx and one tx queue per port, and
--stats-period 1.  Not equal: the code (vfnet built for the -march of
its build directory, Debian's DPDK for corei7; bench/perf-suite runs
both), and descriptor counts do not apply (null ports have no rings).

Two measures, both printed:
 - Mpps per second of forwarding-thread CPU time: packets forwarded over
   the whole run (each tool's own totals at exit) divided by the CPU time
   of the forwarding thread (from /proc, sampled until the process ends).
   On a machine shared with other work, a thread that is descheduled
   neither forwards nor accrues CPU time, so this measures the code, not
   the neighbours.  This is the headline ratio, and the goal line's:
   fwd.null >= 2.50 (copy=0) and fwd.null.copy >= 1.50 (copy=1).
 - Wall-clock Mpps: the median and the best of the per-period rates each
   tool prints (sum of both ports' Rx-pps), first two periods dropped.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fwd_compare import add_testpmd, arg_parser, compare, no_testpmd  # noqa: E402

MBUFS = "16384"
GOALS = {0: ("fwd.null", ">=", 2.5), 1: ("fwd.null.copy", ">=", 1.5)}


def one(a, copy):
    mem = ["--no-huge", "-m", "512"] if a.no_huge else []
    common = mem + ["-l", "0,1", "--vdev", "net_null0,copy=%d" % copy,
                    "--vdev", "net_null1,copy=%d" % copy]
    fwd_cmd = [a.fwd] + common + [
        "--", "--forward-mode=io", "--burst=32", "--stats-period=1",
        "--total-num-mbufs=" + MBUFS, "--mbcache=250"]
    tpmd_cmd = [a.testpmd] + common + [
        "--no-pci", "--file-prefix", "vfn_bench", "--",
        "--forward-mode=io", "--burst=32", "--stats-period=1",
        "--total-num-mbufs=" + MBUFS, "--mbcache=250", "--rxq=1", "--txq=1"]
    return compare("fwd_null io, copy=%d, 1 forwarding lcore, burst 32, "
                   "64 B, %s" % (copy, "--no-huge" if a.no_huge else
                                 "hugepages"),
                   fwd_cmd, tpmd_cmd, a.rounds, a.seconds, round_fmt="%6.1f",
                   period_fmt="%.1f", total_fmt="%.2f",
                   goal_line=GOALS[copy])


def main():
    ap = arg_parser(6)
    ap.add_argument("--no-huge", action="store_true",
                    help="run both without hugepages")
    ap.add_argument("--copy", choices=("0", "1", "both"), default="both",
                    help="net_null copy mode (default: both, one after "
                    "the other)")
    add_testpmd(ap)
    a = ap.parse_args()
    if no_testpmd(a):
        return 77
    rc = 0
    for copy in ((0, 1) if a.copy == "both" else (int(a.copy),)):
        rc |= one(a, copy)
    return rc


sys.exit(main())
