#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Scaling: fwd vs dpdk-testpmd, io forwarding on 1, 2, 4 ... forwarding
lcores with as many queue pairs per port, on null ports and on ring
ports, in the same run, alternating tools.

usage: bench.py FWD [-o OUTDIR] [--ports null,ring] [--lcores 1,2,4]
                [--seconds S] [--rounds N] [--no-huge] [--testpmd PATH]

Layout, the same for both tools: two ports with K rx and K tx queues
each, K forwarding lcores (--nb-cores=K), lcore i pinned to CPU
cpus[i % ncpu] (--lcores 0@c0,1@c1,...), the main lcore 0 (statistics,
asleep between periods) on the first CPU.  Default K: 1, 2, 4 ... up to
the CPUs this process may use, so that no two forwarding lcores share a
CPU (on a 2-CPU machine: K = 1 and 2, and at K = 2 the main lcore shares
CPU 0 with forwarding lcore 2).  Streams: port 0 queue q -> port 1 queue
q and back, two per lcore (which two differs: fwd gives lcore 1 port 0's
queues, testpmd gives it queue 0 of both ports; for these ports, whose
queues cost the same, that does not change the work per lcore).  Each
tool's run is timed from its first statistics period, so start-up (slow
on a loaded machine) is not part of it.
 - null: net_null0/1 (64 B, copy=0): rx generates, tx frees; every lcore
   works alone but for the mempool.
 - ring: net_ring0/1 without arguments (DPDK's form: each port's tx
   queue q loops back to its rx queue q), --tx-first: each stream's first
   burst then circulates, so packets cross between the lcores through
   the rings.
Equal too: burst 32, 16384 x K mbufs, 250-mbuf per-lcore cache,
--stats-period 1.  Not equal: vfnet's -march (its build directory's)
against Debian's DPDK built for corei7.

Per lcore, two measures: packets over the forwarding threads' summed CPU
time (Mpps per forwarding-CPU second: robust on a shared machine, the
GOAL line's, fwd.scale.PORTS.K >= 1.00) and the median period's rate
over K (wall clock).  Writes OUTDIR/scaling.txt and, with
python3-matplotlib, OUTDIR/scaling.png (drawn by /usr/bin/python3 when
the running python3 has no matplotlib); the rows go to
OUTDIR/scaling.json, and --plot-only redraws the plot from it.
"""
import os
import re
import json
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from fwd_compare import (add_testpmd, arg_parser, eal_mem, fwd_total,  # noqa
                         no_testpmd, run_threads, steady, testpmd_total)
from fwd_output import fwd_rates, testpmd_rates  # noqa: E402
from goal import goal  # noqa: E402


# The first statistics period of either tool: forwarding runs.
READY = r"fwd statistics at|Port statistics ="


def worker_cpu(acc, k):
    """CPU seconds of forwarding lcores 1..k (both EALs' thread names)."""
    names = {"%s-worker-%d" % (p, i) for p in ("lcore", "rte")
             for i in range(1, k + 1)}
    return sum(t for (tid, comm), t in acc.items() if comm in names)


def lcore_map(k, cpus):
    return ",".join("%d@%d" % (i, cpus[i % len(cpus)]) for i in range(k + 1))


def one(a, tool, ports, k, cpus):
    vdevs = (["--vdev", "net_null0", "--vdev", "net_null1"]
             if ports == "null" else
             ["--vdev", "net_ring0", "--vdev", "net_ring1"])
    eal = eal_mem(not a.no_huge) + ["--lcores", lcore_map(k, cpus)] + vdevs
    opts = (["--forward-mode=io", "--burst=32", "--stats-period=1",
             "--total-num-mbufs=%d" % (16384 * k), "--mbcache=250",
             "--rxq=%d" % k, "--txq=%d" % k, "--nb-cores=%d" % k] +
            (["--tx-first"] if ports == "ring" else []))
    if tool == "fwd":
        cmd = [a.fwd] + eal + ["--"] + opts
    else:
        cmd = [a.testpmd] + eal + ["--no-pci", "--file-prefix",
                                   "vfn_scale%d" % os.getpid(), "--"] + opts
    rc, out, acc = run_threads(cmd, a.seconds, READY)
    rates = steady(fwd_rates(out) if tool == "fwd" else testpmd_rates(out))
    pkts = fwd_total(out) if tool == "fwd" else testpmd_total(out)
    cpu = worker_cpu(acc, k)
    if pkts <= 0 or cpu <= 0:
        sys.stdout.write(out[-2000:])
        print("FAIL: no packets from %s (%s, %d lcores, exit %d): %s" % (
            tool, ports, k, rc, " ".join(cmd)))
        return None
    # A loaded machine may print no period in a short run: the wall-clock
    # rate then falls back to the total over the run's length.
    wall = statistics.median(rates) if rates else pkts / a.seconds
    return pkts, cpu, wall


def plot(outdir, rows):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        # Debian's python3-matplotlib is for the system interpreter; a
        # python3 of its own (pyenv, venv) first on PATH does not see it.
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) \
                and os.access(system, os.X_OK):
            r = subprocess.run([system, os.path.abspath(__file__),
                                "--plot-only", "-o", outdir, "x"])
            if r.returncode == 0:
                return
        print("no plot: python3-matplotlib missing (tools/setup-deps)")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for ports, style in (("null", "-"), ("ring", "--")):
        pr = [r for r in rows if r["ports"] == ports]
        if not pr:
            continue
        ks = [r["k"] for r in pr]
        ax.plot(ks, [r["fwd_cpu"] for r in pr], "o" + style,
                label="vfnet fwd, %s ports" % ports)
        ax.plot(ks, [r["tpmd_cpu"] for r in pr], "s" + style,
                label="dpdk-testpmd, %s ports" % ports)
    ax.set_xlabel("forwarding lcores (= queue pairs per port)")
    ax.set_ylabel("Mpps per lcore (per forwarding-CPU second)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(sorted({r["k"] for r in rows}))
    ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
    ax.set_title("io forwarding, burst 32, 64 B: Mpps per lcore")
    fig.tight_layout()
    path = os.path.join(outdir, "scaling.png")
    fig.savefig(path, dpi=100)
    print("plot: " + path)


def main():
    ap = arg_parser(6)
    ap.set_defaults(rounds=1)
    ap.add_argument("-o", "--outdir", default="fwd_scale")
    ap.add_argument("--ports", default="null,ring")
    ap.add_argument("--lcores", default="")
    ap.add_argument("--no-huge", action="store_true",
                    help="run both without hugepages")
    ap.add_argument("--plot-only", action="store_true",
                    help="only draw OUTDIR/scaling.png from OUTDIR/"
                    "scaling.json (FWD is then ignored)")
    add_testpmd(ap)
    a = ap.parse_args()
    if a.plot_only:
        with open(os.path.join(a.outdir, "scaling.json")) as f:
            plot(a.outdir, json.load(f))
        return 0
    if no_testpmd(a):
        return 77
    cpus = sorted(os.sched_getaffinity(0))
    if a.lcores:
        ks = [int(x) for x in a.lcores.split(",")]
    else:
        ks, k = [], 1
        while k <= len(cpus):
            ks.append(k)
            k *= 2
    os.makedirs(a.outdir, exist_ok=True)
    rows = []
    for ports in a.ports.split(","):
        for k in ks:
            res = {"fwd": [], "testpmd": []}
            for _ in range(a.rounds):
                for tool in ("fwd", "testpmd"):
                    r = one(a, tool, ports, k, cpus)
                    if r is None:
                        return 1
                    res[tool].append(r)
            f = [sum(x[i] for x in res["fwd"]) for i in range(3)]
            t = [sum(x[i] for x in res["testpmd"]) for i in range(3)]
            row = {"ports": ports, "k": k,
                   "fwd_cpu": f[0] / f[1] / 1e6,
                   "tpmd_cpu": t[0] / t[1] / 1e6,
                   "fwd_wall": f[2] / a.rounds / k / 1e6,
                   "tpmd_wall": t[2] / a.rounds / k / 1e6}
            rows.append(row)
            print("%s ports, %d lcores: fwd %.2f, testpmd %.2f Mpps per "
                  "lcore-CPU-second" % (ports, k, row["fwd_cpu"],
                                        row["tpmd_cpu"]))
            sys.stdout.flush()
    lines = ["Scaling, io forwarding, burst 32, 64 B, %d CPUs, %d s x %d "
             "round(s) per point, %s" % (
                 len(cpus), a.seconds, a.rounds,
                 "--no-huge" if a.no_huge else "hugepages"),
             "Mpps per lcore: per forwarding-CPU second | wall clock "
             "(median period / lcores)",
             "%-5s %7s %9s %9s %6s | %9s %9s %6s" % (
                 "ports", "lcores", "fwd", "testpmd", "ratio", "fwd",
                 "testpmd", "ratio")]
    for r in rows:
        lines.append("%-5s %7d %9.2f %9.2f %6.2f | %9.2f %9.2f %6.2f" % (
            r["ports"], r["k"], r["fwd_cpu"], r["tpmd_cpu"],
            r["fwd_cpu"] / r["tpmd_cpu"], r["fwd_wall"], r["tpmd_wall"],
            r["fwd_wall"] / r["tpmd_wall"]))
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(a.outdir, "scaling.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(a.outdir, "scaling.json"), "w") as f:
        json.dump(rows, f)
    plot(a.outdir, rows)
    for r in rows:
        goal("fwd.scale.%s.%d" % (r["ports"], r["k"]),
             r["fwd_cpu"] / r["tpmd_cpu"], ">=", 1.0,
             "Mpps per lcore-CPU-second fwd %.2f testpmd %.2f" % (
                 r["fwd_cpu"], r["tpmd_cpu"]))
    return 0


sys.exit(main())
