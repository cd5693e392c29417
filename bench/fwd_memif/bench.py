#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""memif between two processes: a vfnet fwd pair vs a dpdk-testpmd pair,
in the same run, alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--qpairs Q] [--zc-qpairs Q]
                    [--huge] [--zero-copy no|yes|both] [--testpmd PATH]

Each pair: a memif server process and a memif client process on one path
socket, each with one net_memif port (DPDK's defaults: 1024 slots of 2048
bytes) and one forwarding lcore, the two forwarding
threads on different CPUs (server -l 0,1; client --lcores 0@1,1@0).
Both forward io with --tx-first: each injects one burst of 64-byte
packets per queue, which then circulate server -> client -> server as
fast as the two forwarding threads move them.  Copy mode, then
zero-copy (zero-copy=yes and --single-file-segments, which DPDK's
zero-copy needs, on both tools' client: it shares its EAL memory, the
server copies), each compared on its own.  A GOAL line per mode
(fwd.memif.copy, fwd.memif.zc: vfnet/DPDK per forwarding-CPU second,
goal >= 1.25).

Stopping: the client first, then (once it exited) the server, for both
tools.  DPDK 22.11's memif unmaps the regions under its lcore when the
peer goes, and the testpmd that sees the disconnect often dies of
SIGSEGV before it printed anything (with both stopped at once, 3 of 3
copy-mode tries failed so under load); the client, stopping itself,
prints its statistics first.  So testpmd's count is its client's port
forward statistics, RX (what the server sent) + TX (what the server
received), read before its own disconnect; vfnet's count is both
processes' own counters.  Two queue pairs in copy mode.

Zero-copy runs one queue pair (--zc-qpairs): DPDK 22.11's zero-copy
client stalls within a second with two (its rx refill writes
rte_pktmbuf_alloc_bulk() past the end of its buffer array when the
refill crosses the ring's end; traffic between two testpmds stops, seen
in 3 of 3 tries).

Printed, per round and in total:
 - Mpps per second of forwarding-thread CPU time: packets received by
   both processes (each tool's own counters at exit) over the CPU time
   (user + system) of both forwarding threads, from /proc.  The headline
   ratio: a descheduled thread neither forwards nor accrues CPU time.
 - wall clock: median and best per-period rate of one process (its
   rx-pps), the first two periods dropped.
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fwd_compare import (add_huge_testpmd, arg_parser, eal_mem,  # noqa: E402
                         fwd_total, io_opts, no_testpmd, report, steady,
                         thread_cpu, worker_cpu)
from fwd_output import fwd_rates  # noqa: E402
from goal import goal  # noqa: E402


# A statistics period printed: fwd's, testpmd's.
READY = r"fwd statistics at|Port statistics ="


def wait_listener(path, secs=30):
    end = time.time() + secs
    while time.time() < end:
        with open("/proc/net/unix") as f:
            if any(line.split()[-1] == path for line in f
                   if len(line.split()) >= 8):
                return True
        time.sleep(0.02)
    return False


def testpmd_client_total(out):
    """[TX, RX] of testpmd's port forward statistics."""
    m = re.search(r"Forward statistics for port 0\s*-+\s*\n"
                  r"\s*RX-packets:\s*(\d+).*\n\s*TX-packets:\s*(\d+)", out)
    return [int(m.group(2)), int(m.group(1))] if m else [0, 0]


def testpmd_rates(out):
    return [float(v) for v in re.findall(r"Rx-pps:\s+(\d+)", out)]


def run_pair(srv_cmd, cli_cmd, sock, seconds):
    """Run server then client for @seconds; SIGINT the client and, once
    it exited, the server."""
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    logs = [tempfile.TemporaryFile(mode="w+") for _ in range(2)]
    procs = [subprocess.Popen(srv_cmd, stdout=logs[0],
                              stderr=subprocess.STDOUT, text=True)]
    if not wait_listener(sock):
        procs[0].kill()
        procs[0].wait()
        logs[0].seek(0)
        return None, logs[0].read()
    procs.append(subprocess.Popen(cli_cmd, stdout=logs[1],
                                  stderr=subprocess.STDOUT, text=True))
    acc = [{}, {}]
    # The @seconds start at the client's first statistics period: on a
    # loaded host its start-up (EAL init, connect) can eat a short run.
    # Read through a file of our own: the child shares logs[1]'s offset.
    start = time.time()
    with open("/proc/self/fd/%d" % logs[1].fileno()) as peek:
        while time.time() < start + 30 and \
                all(p.poll() is None for p in procs):
            peek.seek(0)
            if re.search(READY, peek.read()):
                break
            for p, a in zip(procs, acc):
                thread_cpu(p.pid, a)
            time.sleep(0.05)
    end = time.time() + seconds
    while time.time() < end and all(p.poll() is None for p in procs):
        for p, a in zip(procs, acc):
            thread_cpu(p.pid, a)
        time.sleep(0.05)
    deadline = time.time() + 30
    procs[1].send_signal(signal.SIGINT)
    while procs[1].poll() is None and time.time() < deadline:
        for p, a in zip(procs, acc):
            thread_cpu(p.pid, a)
        time.sleep(0.01)
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
    while any(p.poll() is None for p in procs) and time.time() < deadline:
        for p, a in zip(procs, acc):
            thread_cpu(p.pid, a)
        time.sleep(0.01)
    outs = []
    for p, log in zip(procs, logs):
        if p.poll() is None:
            p.kill()
        p.wait()
        log.seek(0)
        outs.append(log.read())
        log.close()
    return [worker_cpu(a) for a in acc], outs


def main():
    ap = arg_parser(10)
    ap.add_argument("--qpairs", type=int, default=2,
                    help="queue pairs in copy mode")
    ap.add_argument("--zc-qpairs", type=int, default=1,
                    help="queue pairs in zero-copy mode (DPDK 22.11's "
                    "zero-copy client stalls with 2)")
    ap.add_argument("--zero-copy", choices=("no", "yes", "both"),
                    default="both", help="client mode(s) to compare")
    add_huge_testpmd(ap, "use hugepages (default: --no-huge -m 512 for all)")
    a = ap.parse_args()
    if no_testpmd(a):
        return 77
    sock = "/tmp/vfnb-memif-%d.sock" % os.getpid()
    mem = eal_mem(a.huge)
    cores = {"server": ["-l", "0,1"], "client": ["--lcores", "0@1,1@0"]}

    modes = {"no": [False], "yes": [True], "both": [False, True]}
    for zc in modes[a.zero_copy]:
        opts = io_opts(a.zc_qpairs if zc else a.qpairs)
        ret = bench_mode(a, sock, mem, opts, cores, zc)
        if ret:
            return ret
    return 0


def bench_mode(a, sock, mem, opts, cores, zc):
    def cmd(tool, role):
        vdev = "net_memif0,role=%s,socket=%s,socket-abstract=no" % (role,
                                                                    sock)
        if zc and role == "client":
            vdev += ",zero-copy=yes"
        pre = ["--file-prefix", "vfnb_memif_%s_%d" % (role, os.getpid())]
        if zc and role == "client":
            # DPDK's zero-copy refuses multi-file segments ("Zero-copy
            # doesn't support multi-file segments"); vfnet takes the
            # option and its memory is one file anyway.
            pre.append("--single-file-segments")
        if tool == "fwd":
            return [a.fwd] + mem + cores[role] + pre + ["--vdev", vdev,
                                                        "--"] + opts
        return [a.testpmd] + mem + cores[role] + pre + [
            "--no-pci", "--vdev", vdev, "--"] + opts

    for tool in ("fwd", "testpmd"):
        print("%-8s server: %s" % (tool, " ".join(cmd(tool, "server"))))
        print("%-8s client: %s" % (tool, " ".join(cmd(tool, "client"))))
    parse = {"fwd": (fwd_rates, fwd_total),
             "testpmd": (testpmd_rates, None)}
    per = {"fwd": [], "testpmd": []}
    pkts = {"fwd": 0, "testpmd": 0}
    cpu = {"fwd": 0.0, "testpmd": 0.0}
    for r in range(a.rounds):
        for tool in ("fwd", "testpmd"):
            for attempt in range(3):
                cpus, outs = run_pair(cmd(tool, "server"),
                                      cmd(tool, "client"), sock, a.seconds)
                if cpus is None:
                    sys.stdout.write(outs[-3000:])
                    print("FAIL: %s server did not listen" % tool)
                    return 1
                rates_f, total_f = parse[tool]
                if tool == "testpmd":
                    n = testpmd_client_total(outs[1])
                else:
                    n = [total_f(o) for o in outs]
                rates = steady(rates_f(outs[0]))
                if min(n) > 0 and min(cpus) > 0 and rates:
                    break
                print("round %d %s: no result (rx %s, cpu %s, %d periods; "
                      "exits %s), again" % (r + 1, tool, n, cpus, len(rates),
                                            [o.count("Bye") for o in outs]))
            else:
                for o in outs:
                    sys.stdout.write(o[-3000:])
                print("FAIL: no totals from the %s pair" % tool)
                return 1
            per[tool] += rates
            pkts[tool] += sum(n)
            cpu[tool] += sum(cpus)
            print("%s round %d %-8s %7.3f Mpps/cpu-s (%d + %d pkts / %.2f + "
                  "%.2f cpu-s); server periods (Mpps): %s" % (
                      "zc" if zc else "copy", r + 1, tool,
                      sum(n) / sum(cpus) / 1e6, n[0], n[1], cpus[0], cpus[1],
                      " ".join("%.2f" % (x / 1e6) for x in rates)))
            sys.stdout.flush()
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    report("fwd_memif io between two processes, %s, %d queue pairs, "
           "1 forwarding lcore each, burst 32, 64 B, %s" % (
               "zero-copy client" if zc else "copy mode",
               a.zc_qpairs if zc else a.qpairs,
               "hugepages" if a.huge else "--no-huge"),
           a.rounds, per, pkts, cpu)
    ratio = (pkts["fwd"] / cpu["fwd"]) / (pkts["testpmd"] / cpu["testpmd"])
    goal("fwd.memif.%s" % ("zc" if zc else "copy"), ratio, ">=", 1.25,
         "per forwarding-CPU second, %d rounds" % a.rounds)
    return 0


sys.exit(main())
