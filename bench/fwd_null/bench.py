#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd vs dpdk-testpmd: io forwarding between two null ports on one
forwarding lcore, in the same run, alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--hugepages] [--testpmd PATH]

Both get the same EAL layout (-l 0,1: lcore 0 prints statistics, lcore 1
forwards), the same ports (net_null0/1: 64-byte packets, copy=0), burst
32, the same mbuf count and per-lcore cache, and --stats-period 1.  The
rate of a round is the median over its periods (the first two dropped as
warm-up) of the sum of both ports' rx packets per second, as each tool
prints it from the ports' counters.  Prints both medians and the ratio.
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

MBUFS = "16384"


def run(cmd, seconds, env=None):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, env=env)
    time.sleep(seconds)
    p.send_signal(signal.SIGINT)
    try:
        out, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    return p.returncode, out


def fwd_rates(out):
    """Per period: sum of the rx-pps column over the port rows."""
    rates, cur = [], None
    for line in out.splitlines():
        if line.startswith("---- fwd statistics"):
            if cur is not None:
                rates.append(cur)
            cur = 0.0
        elif cur is not None and re.match(r"^\d+\s", line) and \
                len(line.split()) == 8:
            cur += float(line.split()[1])
        elif line.startswith("lcore") and cur is not None:
            pass
    if cur is not None:
        rates.append(cur)
    return rates


def testpmd_rates(out):
    """testpmd prints Rx-pps per port per period; sum them in pairs."""
    vals = [float(v) for v in re.findall(r"Rx-pps:\s+(\d+)", out)]
    return [vals[i] + vals[i + 1] for i in range(0, len(vals) - 1, 2)]


def median_rate(rates):
    steady = rates[2:] if len(rates) > 3 else rates
    return statistics.median(steady) if steady else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fwd")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=7)
    ap.add_argument("--hugepages", action="store_true",
                    help="run both on hugepages (reserve them first)")
    ap.add_argument("--testpmd", default=shutil.which("dpdk-testpmd"))
    a = ap.parse_args()
    if not a.testpmd:
        print("SKIP: dpdk-testpmd not found (apt install dpdk)")
        return 77
    mem = [] if a.hugepages else ["--no-huge", "-m", "512"]
    common = mem + ["-l", "0,1", "--vdev", "net_null0", "--vdev", "net_null1"]
    fwd_cmd = [a.fwd] + common + [
        "--", "--forward-mode=io", "--burst=32", "--stats-period=1",
        "--total-num-mbufs=" + MBUFS, "--mbcache=250"]
    tpmd_cmd = [a.testpmd] + common + [
        "--no-pci", "--file-prefix", "vfn_bench", "--",
        "--forward-mode=io", "--burst=32", "--stats-period=1",
        "--total-num-mbufs=" + MBUFS, "--mbcache=250", "--rxq=1", "--txq=1"]
    print("vfnet fwd:    ", " ".join(fwd_cmd))
    print("dpdk-testpmd: ", " ".join(tpmd_cmd))
    res = {"fwd": [], "testpmd": []}
    for r in range(a.rounds):
        for name, cmd, parse in (("fwd", fwd_cmd, fwd_rates),
                                 ("testpmd", tpmd_cmd, testpmd_rates)):
            rc, out = run(cmd, a.seconds)
            rates = parse(out)
            m = median_rate(rates)
            if m <= 0:
                sys.stdout.write(out[-3000:])
                print("FAIL: no rate from %s (exit %d)" % (name, rc))
                return 1
            res[name].append(m)
            print("round %d %-8s %8.2f Mpps  (periods: %s)" % (
                r + 1, name, m / 1e6,
                " ".join("%.1f" % (x / 1e6) for x in rates)))
            sys.stdout.flush()
    f = statistics.median(res["fwd"])
    t = statistics.median(res["testpmd"])
    print("fwd_null io, 1 forwarding lcore, burst 32, 64 B: "
          "vfnet fwd %.2f Mpps, dpdk-testpmd %.2f Mpps, ratio %.2fx" %
          (f / 1e6, t / 1e6, f / t))
    return 0


sys.exit(main())
