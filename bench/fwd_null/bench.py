#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd vs dpdk-testpmd: io forwarding between two null ports on one
forwarding lcore, in the same run, alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--no-huge] [--testpmd PATH]

Both get the same EAL layout (-l 0,1: lcore 0 prints statistics, lcore 1
forwards), the same ports (net_null0/1: 64-byte packets, copy=0), burst
32, the same mbuf count and per-lcore cache, and --stats-period 1.

Two measures, both printed:
 - Mpps per second of forwarding-thread CPU time: packets forwarded over
   the whole run (each tool's own totals at exit) divided by the CPU time
   of the forwarding thread (from /proc, sampled until the process ends).
   On a machine shared with other work, a thread that is descheduled
   neither forwards nor accrues CPU time, so this measures the code, not
   the neighbours.  This is the headline ratio.
 - Wall-clock Mpps: the median and the best of the per-period rates each
   tool prints (sum of both ports' rx-pps), first two periods dropped.
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fwd_output import fwd_rates, testpmd_rates  # noqa: E402

MBUFS = "16384"
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Thread names of the worker on lcore 1: vfnet's EAL, DPDK 22.11's EAL.
WORKERS = ("lcore-worker-1", "rte-worker-1")


def thread_cpu(pid, acc):
    """Update acc[(tid, comm)] with each thread's utime+stime (seconds)."""
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        t = (int(fields[11]) + int(fields[12])) / CLK_TCK
        key = (tid, comm)
        acc[key] = max(acc.get(key, 0.0), t)


def worker_cpu(acc):
    """CPU time of the forwarding thread (the worker of lcore 1, by its
    name; the busiest thread if neither name is found)."""
    named = [t for (tid, comm), t in acc.items() if comm in WORKERS]
    if named:
        return max(named)
    return max(acc.values()) if acc else 0.0


def run(cmd, seconds):
    with tempfile.TemporaryFile(mode="w+") as log:
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                             text=True)
        acc = {}
        end = time.time() + seconds
        while time.time() < end and p.poll() is None:
            thread_cpu(p.pid, acc)
            time.sleep(0.05)
        p.send_signal(signal.SIGINT)
        deadline = time.time() + 30
        while p.poll() is None and time.time() < deadline:
            thread_cpu(p.pid, acc)
            time.sleep(0.01)
        if p.poll() is None:
            p.kill()
        p.wait()
        log.seek(0)
        out = log.read()
    return p.returncode, out, worker_cpu(acc)



def fwd_total(out):
    m = re.search(r"^fwd-summary: .* rx=(\d+)", out, re.M)
    return int(m.group(1)) if m else 0



def testpmd_total(out):
    m = re.search(r"Accumulated forward statistics for all ports\+*\s*"
                  r"RX-packets:\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def steady(rates):
    return rates[2:] if len(rates) > 3 else rates


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fwd")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=6)
    ap.add_argument("--no-huge", action="store_true",
                    help="run both without hugepages")
    ap.add_argument("--testpmd", default=shutil.which("dpdk-testpmd"))
    a = ap.parse_args()
    if not a.testpmd:
        print("SKIP: dpdk-testpmd not found (apt install dpdk)")
        return 77
    mem = ["--no-huge", "-m", "512"] if a.no_huge else []
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
    tools = (("fwd", fwd_cmd, fwd_rates, fwd_total),
             ("testpmd", tpmd_cmd, testpmd_rates, testpmd_total))
    per = {"fwd": [], "testpmd": []}
    pkts = {"fwd": 0, "testpmd": 0}
    cpu = {"fwd": 0.0, "testpmd": 0.0}
    for r in range(a.rounds):
        for name, cmd, parse, total in tools:
            rc, out, tcpu = run(cmd, a.seconds)
            rates, n = parse(out), total(out)
            st = steady(rates)
            if not st or max(st) <= 0 or n <= 0 or tcpu <= 0:
                sys.stdout.write(out[-3000:])
                print("FAIL: no rate from %s (exit %d)" % (name, rc))
                return 1
            per[name] += st
            pkts[name] += n
            cpu[name] += tcpu
            print("round %d %-8s %6.1f Mpps/cpu-s (%d pkts / %.2f cpu-s); "
                  "periods (Mpps): %s" % (
                      r + 1, name, n / tcpu / 1e6, n, tcpu,
                      " ".join("%.1f" % (x / 1e6) for x in rates)))
            sys.stdout.flush()
    fc, tc = pkts["fwd"] / cpu["fwd"], pkts["testpmd"] / cpu["testpmd"]
    fm, tm = statistics.median(per["fwd"]), statistics.median(per["testpmd"])
    fb, tb = max(per["fwd"]), max(per["testpmd"])
    print("fwd_null io, 1 forwarding lcore, burst 32, 64 B, %s, %d rounds:" %
          ("--no-huge" if a.no_huge else "hugepages", a.rounds))
    print("  per forwarding-CPU second: vfnet fwd %.2f Mpps, dpdk-testpmd "
          "%.2f Mpps, ratio %.2fx" % (fc / 1e6, tc / 1e6, fc / tc))
    print("  wall clock, median period: vfnet fwd %.2f Mpps, dpdk-testpmd "
          "%.2f Mpps, ratio %.2fx" % (fm / 1e6, tm / 1e6, fm / tm))
    print("  wall clock, best period:   vfnet fwd %.2f Mpps, dpdk-testpmd "
          "%.2f Mpps, ratio %.2fx" % (fb / 1e6, tb / 1e6, fb / tb))
    return 0


sys.exit(main())
