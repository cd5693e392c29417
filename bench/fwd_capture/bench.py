#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""What live capture costs fwd's data path when no capture runs.

usage: bench.py FWD FWD_NOCAP [--rounds N] [--pkts N] [--copy 0|1]
                [--huge] [--capture-on] [--timeout S]

FWD is fwd as built (the capture hook in fwd_rx_burst()/fwd_tx_burst():
one load of the stream's tap pointer and one branch per burst); FWD_NOCAP
is the same sources built with -DFWD_NO_CAPTURE_HOOK, which compiles the
hook out (bench/fwd_capture/meson.build).  Both forward io between two
net_null ports (64-byte packets, copy=0 by default: the per-packet work
is smallest, so a per-burst cost shows most) on one forwarding lcore,
burst 32, with no --capture, for a fixed --nb-pkts, in alternating rounds
(A B, then B A, ..., so that a drift of the machine falls on both).

The measure is bench/fwd_compare's headline one: packets forwarded (fwd's
own total at exit) per second of CPU time of the forwarding thread, which
a busy shared host disturbs least; here the CPU time is read from the
thread's schedstat (nanoseconds; /proc's stat has 10 ms ticks, several
percent of a one-second run).  Printed: each round,
each build's median and round-to-round spread, the ratio
fwd/fwd_nocap (median of the per-pair ratios), and the verdict
"unchanged within noise" when |ratio - 1| is at most twice the larger
coefficient of variation of the two builds' rounds and a sign test over
the pairs does not say otherwise (p < 0.05 with a ratio 1% or more off).

--capture-on adds a third build-alike run, FWD with a capture of port 0
(both directions, snap length 64, a filter no packet matches, so nothing
is written and the figure is the copy cost on the forwarding lcore), for
the record; it is not part of the verdict.

Not a test: `meson test --suite bench bench_fwd_capture`, or by hand.
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from fwd_compare import fwd_total  # noqa: E402


WORKER = "lcore-worker-1"   # the forwarding thread (vfnet's EAL name)


def worker_ns(pid, tid):
    """CPU time (ns) of the forwarding thread, from its schedstat (ns, not
    /proc's 10 ms ticks); finds the thread first.  Returns (tid, ns)."""
    if tid is None:
        try:
            for t in os.listdir("/proc/%d/task" % pid):
                with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
                    if f.read().strip() == WORKER:
                        tid = t
                        break
        except OSError:
            return None, 0
        if tid is None:
            return None, 0
    try:
        with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
            return tid, int(f.read().split()[0])
    except OSError:
        return tid, 0


def rate(name, cmd, timeout):
    """Mpps per forwarding-CPU second of one run to its --nb-pkts, or
    None.  The thread's CPU time is sampled every 2 ms until fwd exits:
    the worker thread lives on (idle) through fwd's teardown, so the
    last sample holds its whole forwarding time."""
    with tempfile.TemporaryFile(mode="w+") as log:
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        tid, ns = None, 0
        end = time.time() + timeout
        while p.poll() is None and time.time() < end:
            tid, x = worker_ns(p.pid, tid)
            ns = max(ns, x)
            time.sleep(0.002)
        if p.poll() is None:
            p.kill()
        rc = p.wait()
        log.seek(0)
        out = log.read()
    n = fwd_total(out)
    cpu = ns / 1e9
    if rc != 0 or n <= 0 or cpu <= 0:
        sys.stdout.write(out[-3000:])
        print("FAIL: %s: exit %d, %d packets, %.3f cpu-s" % (name, rc, n,
                                                               cpu))
        return None
    r = n / cpu / 1e6
    print("  %-10s %7.2f Mpps/cpu-s (%d pkts / %.3f cpu-s)" % (name, r, n,
                                                                 cpu))
    sys.stdout.flush()
    return r


def cv(xs):
    return statistics.stdev(xs) / statistics.mean(xs) if len(xs) > 1 else 0.0


def sign_test(k, n):
    """Two-sided exact sign test: how likely k or more (or as few) of n
    pairs fall on one side when both builds are the same."""
    k = max(k, n - k)
    tail = sum(math.comb(n, i) for i in range(k, n + 1)) / 2.0 ** n
    return min(1.0, 2 * tail)


def summary(name, xs):
    print("  %-10s median %7.2f Mpps/cpu-s, min %.2f, max %.2f, "
          "cv %.1f%%" % (name, statistics.median(xs), min(xs), max(xs),
                         100 * cv(xs)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fwd")
    ap.add_argument("fwd_nocap")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--pkts", type=float, default=0,
                    help="packets per run (default 3e8 with copy=0, "
                    "1.5e8 with copy=1: about a CPU-second each)")
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds a run may take (a loaded host)")
    ap.add_argument("--copy", choices=("0", "1"), default="0")
    ap.add_argument("--huge", action="store_true",
                    help="hugepages (default: --no-huge -m 512)")
    ap.add_argument("--capture-on", action="store_true",
                    help="also run fwd with a capture of port 0")
    a = ap.parse_args()

    mem = [] if a.huge else ["--no-huge", "-m", "512"]
    eal = mem + ["-l", "0,1", "--vdev", "net_null0,copy=" + a.copy,
                 "--vdev", "net_null1,copy=" + a.copy]
    pkts = int(a.pkts or (3e8 if a.copy == "0" else 1.5e8))
    opts = ["--", "--forward-mode=io", "--burst=32", "--stats-period=0",
            "--total-num-mbufs=16384", "--mbcache=250",
            "--nb-pkts=%d" % pkts]
    cmds = {"fwd": [a.fwd] + eal + opts,
            "fwd_nocap": [a.fwd_nocap] + eal + opts}
    tmp = tempfile.mkdtemp(prefix="fwdcapbench")
    pcap = os.path.join(tmp, "p0.pcap")
    if a.capture_on:
        cmds["capture-on"] = cmds["fwd"] + [
            "--capture=0=" + pcap, "--capture-snaplen=64",
            "--capture-filter=ip proto 132"]
    print("fwd_capture: io on net_null0/1 copy=%s, 1 forwarding lcore, "
          "burst 32, 64 B, %s, %d rounds of %d packets" % (
              a.copy, "hugepages" if a.huge else "--no-huge", a.rounds,
              pkts))
    for name, cmd in cmds.items():
        print("%-11s %s" % (name + ":", " ".join(cmd)))
    res = {name: [] for name in cmds}
    pairs = []
    try:
        for r in range(a.rounds):
            order = ["fwd", "fwd_nocap"] if r % 2 == 0 else \
                ["fwd_nocap", "fwd"]
            if a.capture_on:
                order.append("capture-on")
            print("round %d" % (r + 1))
            got = {}
            for name in order:
                x = rate(name, cmds[name], a.timeout)
                if x is None:
                    return 1
                got[name] = x
                res[name].append(x)
            pairs.append(got["fwd"] / got["fwd_nocap"])
    finally:
        if os.path.exists(pcap):
            os.unlink(pcap)
        os.rmdir(tmp)

    print("summary, per forwarding-CPU second:")
    for name in cmds:
        summary(name, res[name])
    ratio = statistics.median(pairs)
    noise = max(cv(res["fwd"]), cv(res["fwd_nocap"]))
    slower = sum(1 for p in pairs if p < 1)
    p = sign_test(slower, len(pairs))
    print("  per-round ratios fwd/fwd_nocap: %s" % " ".join(
        "%.3f" % x for x in pairs))
    if len(pairs) < 3:
        verdict = "too few rounds for a verdict (--rounds 3 or more)"
    elif abs(ratio - 1) <= 2 * noise and (p >= 0.05 or
                                          abs(ratio - 1) < 0.01):
        verdict = "unchanged within noise"
    else:
        verdict = "DIFFERENT beyond noise"
    print("capture off vs no capture support: ratio fwd/fwd_nocap %.3f "
          "(median of %d pairs; %.3f of the medians); noise: larger "
          "round-to-round cv %.1f%%; fwd slower in %d of %d pairs (sign "
          "test p=%.2f): %s" % (
              ratio, len(pairs),
              statistics.median(res["fwd"]) /
              statistics.median(res["fwd_nocap"]), 100 * noise, slower,
              len(pairs), p, verdict))
    if a.capture_on:
        print("capture on (port 0 both directions, snaplen 64, filter "
              "matching nothing) vs off: ratio %.3f" % (
                  statistics.median(res["capture-on"]) /
                  statistics.median(res["fwd"])))
    return 0


sys.exit(main())
