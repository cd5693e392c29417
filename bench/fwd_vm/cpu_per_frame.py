#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""On the host: run bench.py's e1000e rounds in the test VM and report, for
each tool, the host CPU time that QEMU's forwarding vCPU thread spends per
forwarded frame.

usage: cpu_per_frame.py FWD_VM [--rounds N] [--seconds S]

The pps the tools print move by +-30% when another VM shares the host's
cores; CPU time per frame moves much less, because time the thread does
not get is not counted.  How: QEMU runs with named threads
(-name ...,debug-threads=on) and a timestamped trace of e1000e register
writes (tools/vm/run's VFN_VM_QEMU_ARGS); a sampler reads the CPU time of
the thread "CPU 1/TCG" (guest CPU 1 runs the forwarding lcore of both
tools) every 0.25 s.  The TDT writes that thread makes, split
where it pauses for over a second (one tool stopping, the next starting),
are the runs; the frames of a run are its TDT writes times the burst (32,
one write per full burst in steady state); the CPU time is taken over the
middle of the run (30%-95% of its TDT writes).  Runs are matched to
bench.py's attempts in order (a retried attempt is left out).  e1000e only: the trace events are e1000e's.
"""
import argparse
import bisect
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BURST = 32
TDT0, CTRL = 0x3818, 0x0


def qemu_threads(vm_pid):
    """The qemu-system-x86_64 process under vm_pid, or None."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if open("/proc/%s/comm" % pid).read().strip() != "qemu-system-x86":
                continue
            p = pid
            while p not in ("0", "1"):
                if p == str(vm_pid):
                    return pid
                p = open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()[1]
        except OSError:
            continue
    return None


def sampler(vm, out, stop, tid):
    qpid = None
    while not stop.is_set():
        if qpid is None:
            qpid = qemu_threads(vm.pid)
        else:
            cpu1 = None
            try:
                for tid_ in os.listdir("/proc/%s/task" % qpid):
                    base = "/proc/%s/task/%s/" % (qpid, tid_)
                    if open(base + "comm").read().strip() == "CPU 1/TCG":
                        tid[0] = int(tid_)
                        f = open(base + "stat").read().rsplit(")", 1)[1].split()
                        cpu1 = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
            if cpu1 is not None:
                out.append((time.time(), cpu1))
        time.sleep(0.25)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fwd")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=6)
    a = ap.parse_args()
    trace = tempfile.NamedTemporaryFile(prefix="vfnet-e1000e-", suffix=".trace",
                                        delete=False).name
    env = dict(os.environ)
    env["VFN_VM_QEMU_ARGS"] = ("-name vfnet-bench,debug-threads=on "
                               "-msg timestamp=on -trace e1000e_core_write "
                               "-D " + trace)
    cmd = [os.path.join(ROOT, "tools/vm/run"), "--timeout", "900", "--",
           "python3", os.path.join(HERE, "bench.py"), a.fwd, "--pairs",
           "e1000e", "--rounds", str(a.rounds), "--seconds", str(a.seconds)]
    samples, stop, tid = [], threading.Event(), [None]
    vm = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    th = threading.Thread(target=sampler, args=(vm, samples, stop, tid))
    th.start()
    out = vm.stdout.read()
    rc = vm.wait()
    stop.set()
    th.join()
    sys.stdout.write(out)
    if rc != 0:
        print("FAIL: the benchmark exited with %d" % rc)
        return 1

    # bench.py's attempts in order: (tool, kept?)
    attempts = []
    for line in out.splitlines():
        m = re.match(r"e1000e round \d+ (\S+)(?::| +median)", line)
        if m and "retrying" in line:
            attempts.append((m.group(1), False))
        elif m:
            attempts.append((m.group(1), True))
    # TDT writes of the forwarding vCPU thread, split where it paused for
    # more than a second (a tool stopping and the next one starting).
    runs = []
    pat = re.compile(r"(\d+)@(\d+)\.(\d+):e1000e_core_write "
                     r"Write to register 0x([0-9a-f]+)")
    with open(trace, errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if not m or int(m.group(4), 16) != TDT0 or \
                    int(m.group(1)) != tid[0]:
                continue
            t = int(m.group(2)) + int(m.group(3)) / 1e6
            if not runs or t - runs[-1][-1] > 1.0:
                runs.append([])
            runs[-1].append(t)
    os.unlink(trace)
    runs = [r for r in runs if len(r) > 2 * BURST]
    kept = [t for t, k in attempts if k]
    if len(runs) == len(attempts):
        pairs = [(t, r) for (t, k), r in zip(attempts, runs) if k]
    elif len(runs) == len(kept):
        pairs = list(zip(kept, runs))
    else:
        print("cpu_per_frame: %d forwarding runs in the trace for %d attempts "
              "(%d kept): cannot tell them apart" % (len(runs), len(attempts),
                                                   len(kept)))
        return 1
    ts = [s[0] for s in samples]
    per = {}
    for tool, r in pairs:
        lo, hi = r[int(len(r) * 0.3)], r[int(len(r) * 0.95)]
        i, j = bisect.bisect_left(ts, lo), bisect.bisect_right(ts, hi) - 1
        if j <= i:
            continue
        t0, t1 = samples[i][0], samples[j][0]
        frames = BURST * sum(1 for t in r if t0 <= t <= t1)
        cpu = samples[j][1] - samples[i][1]
        if frames:
            per.setdefault(tool, []).append(cpu / frames * 1e6)
            print("%-8s %.1f s, %d frames, %.0f kpps, forwarding vCPU %.2f s:"
                  " %.2f us CPU per frame" % (tool, t1 - t0, frames,
                                              frames / (t1 - t0) / 1e3, cpu,
                                              cpu / frames * 1e6))
    if "fwd" in per and "testpmd" in per:
        f = sorted(per["fwd"])[len(per["fwd"]) // 2]
        t = sorted(per["testpmd"])[len(per["testpmd"]) // 2]
        print("cpu_per_frame: e1000e, median host CPU per frame of the "
              "forwarding vCPU: vfnet fwd %.2f us, dpdk-testpmd %.2f us, "
              "ratio (testpmd/fwd) %.2fx" % (f, t, t / f))
    return 0


sys.exit(main())
