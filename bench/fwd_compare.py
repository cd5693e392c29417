# SPDX-License-Identifier: BSD-3-Clause
"""vfnet fwd vs dpdk-testpmd on the same ports, in the same run, in
alternating rounds; shared by the software-PMD benchmarks
(bench/fwd_af_packet, bench/fwd_pcap).

compare(title, fwd_cmd, testpmd_cmd, rounds, seconds) runs each command
`rounds` times, alternating, for `seconds` each, stops it with SIGINT and
prints, per round and in total:
 - Mpps per second of forwarding-thread CPU time (user + system, so the
   kernel work a syscall-bound PMD does in that thread counts): packets
   forwarded (each tool's own totals at exit) over the CPU time of the
   worker thread of lcore 1 (from /proc).  The headline ratio: on a
   shared machine a descheduled thread neither forwards nor accrues CPU.
 - wall-clock Mpps: median and best of the per-period rates each prints,
   the first two periods dropped.
Returns 0, or 1 when a tool produced no rate.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fwd_output import fwd_rates, testpmd_rates  # noqa: E402

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


def compare(title, fwd_cmd, tpmd_cmd, rounds, seconds):
    print("vfnet fwd:    ", " ".join(fwd_cmd))
    print("dpdk-testpmd: ", " ".join(tpmd_cmd))
    tools = (("fwd", fwd_cmd, fwd_rates, fwd_total),
             ("testpmd", tpmd_cmd, testpmd_rates, testpmd_total))
    per = {"fwd": [], "testpmd": []}
    pkts = {"fwd": 0, "testpmd": 0}
    cpu = {"fwd": 0.0, "testpmd": 0.0}
    for r in range(rounds):
        for name, cmd, parse, total in tools:
            rc, out, tcpu = run(cmd, seconds)
            rates, n = parse(out), total(out)
            st = steady(rates)
            if not st or max(st) <= 0 or n <= 0 or tcpu <= 0:
                sys.stdout.write(out[-3000:])
                print("FAIL: no rate from %s (exit %d)" % (name, rc))
                return 1
            per[name] += st
            pkts[name] += n
            cpu[name] += tcpu
            print("round %d %-8s %7.3f Mpps/cpu-s (%d pkts / %.2f cpu-s); "
                  "periods (Mpps): %s" % (
                      r + 1, name, n / tcpu / 1e6, n, tcpu,
                      " ".join("%.3f" % (x / 1e6) for x in rates)))
            sys.stdout.flush()
    fc, tc = pkts["fwd"] / cpu["fwd"], pkts["testpmd"] / cpu["testpmd"]
    fm, tm = statistics.median(per["fwd"]), statistics.median(per["testpmd"])
    fb, tb = max(per["fwd"]), max(per["testpmd"])
    print("%s, %d rounds:" % (title, rounds))
    print("  per forwarding-CPU second: vfnet fwd %.3f Mpps, dpdk-testpmd "
          "%.3f Mpps, ratio %.2fx" % (fc / 1e6, tc / 1e6, fc / tc))
    print("  wall clock, median period: vfnet fwd %.3f Mpps, dpdk-testpmd "
          "%.3f Mpps, ratio %.2fx" % (fm / 1e6, tm / 1e6, fm / tm))
    print("  wall clock, best period:   vfnet fwd %.3f Mpps, dpdk-testpmd "
          "%.3f Mpps, ratio %.2fx" % (fb / 1e6, tb / 1e6, fb / tb))
    return 0
