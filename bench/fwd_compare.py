# SPDX-License-Identifier: BSD-3-Clause
"""vfnet fwd vs dpdk-testpmd on the same ports, in the same run, in
alternating rounds; shared by the software-PMD benchmarks
(bench/fwd_null, bench/fwd_af_packet, bench/fwd_af_xdp, bench/fwd_pcap;
bench/fwd_memif uses its parts).

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

Also here: arg_parser() (the options every bench takes), no_testpmd(),
eal_mem(), io_opts() (the forwarding options both tools get), report()
(the summary) and veth_main() (the af_packet/af_xdp veth-pair bench).
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fwd_output import fwd_rates, testpmd_rates  # noqa: E402
from goal import goal  # noqa: E402

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
    """Run @cmd for @seconds, SIGINT it; (exit code, output, CPU seconds
    of the forwarding thread of lcore 1)."""
    rc, out, acc = run_threads(cmd, seconds)
    return rc, out, worker_cpu(acc)


def run_threads(cmd, seconds, ready=None):
    """As run(), with every thread's CPU seconds: {(tid, name): s}.
    @ready: a regex; the @seconds start when the output first matches it
    (or after 30 s), so that a start-up slowed down by a loaded machine
    does not eat the run."""
    with tempfile.TemporaryFile(mode="w+") as log:
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                             text=True)
        acc = {}
        start = time.time()
        while ready and p.poll() is None and time.time() < start + 30:
            log.seek(0)
            if re.search(ready, log.read()):
                break
            time.sleep(0.05)
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
    return p.returncode, out, acc


def fwd_total(out):
    m = re.search(r"^fwd-summary: .* rx=(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def testpmd_total(out):
    m = re.search(r"Accumulated forward statistics for all ports\+*\s*"
                  r"RX-packets:\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def steady(rates):
    return rates[2:] if len(rates) > 3 else rates


def arg_parser(seconds):
    """The options every bench takes: FWD, --rounds, --seconds (default
    @seconds); the caller adds its own."""
    ap = argparse.ArgumentParser()
    ap.add_argument("fwd")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=seconds)
    return ap


def add_huge_testpmd(ap, huge_help="use hugepages (default: --no-huge -m "
                     "512 for both)"):
    ap.add_argument("--huge", action="store_true", help=huge_help)
    add_testpmd(ap)


def add_testpmd(ap):
    ap.add_argument("--testpmd", default=shutil.which("dpdk-testpmd"))


def no_testpmd(a):
    """True (after saying SKIP) when dpdk-testpmd is not there."""
    if a.testpmd:
        return False
    print("SKIP: dpdk-testpmd not found (apt install dpdk)")
    return True


def eal_mem(huge):
    return [] if huge else ["--no-huge", "-m", "512"]


def io_opts(qpairs, tx_first=True):
    """Forwarding options both tools get: io, burst 32, 1 s stats, the
    same mbuf count and cache, @qpairs rx and tx queues."""
    return (["--forward-mode=io", "--burst=32", "--stats-period=1"] +
            (["--tx-first"] if tx_first else []) +
            ["--total-num-mbufs=16384", "--mbcache=250",
             "--rxq=%d" % qpairs, "--txq=%d" % qpairs])


def report(title, rounds, per, pkts, cpu, fmt="%.3f"):
    """Print the summary: per forwarding-CPU second, median and best
    period, from per-tool period rates, packet totals and CPU seconds."""
    fc, tc = pkts["fwd"] / cpu["fwd"], pkts["testpmd"] / cpu["testpmd"]
    fm, tm = statistics.median(per["fwd"]), statistics.median(per["testpmd"])
    fb, tb = max(per["fwd"]), max(per["testpmd"])
    both = "vfnet fwd %s Mpps, dpdk-testpmd %s Mpps, ratio %%.2fx" % (fmt, fmt)
    print("%s, %d rounds:" % (title, rounds))
    print("  per forwarding-CPU second: " + both % (
        fc / 1e6, tc / 1e6, fc / tc))
    # A stalled DPDK pair can have a median period of 0 (memif zero-copy).
    print("  wall clock, median period: " + both % (
        fm / 1e6, tm / 1e6, fm / tm if tm else float("inf")))
    print("  wall clock, best period:   " + both % (
        fb / 1e6, tb / 1e6, fb / tb if tb else float("inf")))
    return fc / tc


def compare(title, fwd_cmd, tpmd_cmd, rounds, seconds, round_fmt="%7.3f",
            period_fmt="%.3f", total_fmt="%.3f", goal_line=None):
    """@goal_line: (name, cmp, target) to print the per forwarding-CPU
    second ratio as a GOAL line (bench/README.md)."""
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
            print(("round %d %-8s " + round_fmt + " Mpps/cpu-s (%d pkts / "
                   "%.2f cpu-s); periods (Mpps): %s") % (
                      r + 1, name, n / tcpu / 1e6, n, tcpu,
                      " ".join(period_fmt % (x / 1e6) for x in rates)))
            sys.stdout.flush()
    ratio = report(title, rounds, per, pkts, cpu, total_fmt)
    if goal_line:
        name, cmp, target = goal_line
        goal(name, ratio, cmp, target, "per forwarding-CPU second, %d "
             "rounds" % rounds)
    return 0


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def veth_goal_name(drv, devargs):
    """GOAL name of a veth bench: fwd.afxdp.veth, fwd.afpacket.veth, with
    vfnet-only port options appended (fwd.afxdp.veth.umem-copy)."""
    name = "fwd.%s.veth" % drv.replace("_", "")
    if devargs:
        name += "." + re.sub(r"[^a-z0-9.-]+", "-", devargs.lower())
    return name


def veth_main(drv, qkey, ns_prefix):
    """The veth-pair bench of bench/fwd_af_packet and bench/fwd_af_xdp:
    io between net_<drv>0,iface=bv0 and net_<drv>1,iface=bv1 (@qkey=Q
    when --qpairs Q > 1) in a private network namespace named
    @ns_prefix<pid>, removed on exit; ends with a GOAL line (issue 16:
    per forwarding-CPU second >= 1.0x dpdk-testpmd).  Returns the exit
    status."""
    ap = arg_parser(8)
    ap.add_argument("--qpairs", type=int, default=1)
    ap.add_argument("--fwd-devargs", default="",
                    help="more options for vfnet's two ports only, e.g. "
                    "umem=copy for net_af_xdp (testpmd lacks them)")
    add_huge_testpmd(ap)
    a = ap.parse_args()
    if no_testpmd(a):
        return 77
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespace, veth, CAP_NET_RAW)")
        return 77
    ns = "%s%d" % (ns_prefix, os.getpid())
    try:
        sh("ip", "netns", "add", ns)
    except (OSError, subprocess.CalledProcessError):
        print("SKIP: cannot create a network namespace (ip netns add)")
        return 77
    try:
        try:
            sh("ip", "-n", ns, "link", "add", "bv0", "type", "veth",
               "peer", "name", "bv1")
        except subprocess.CalledProcessError:
            print("SKIP: no veth driver")
            return 77
        for ifc in ("bv0", "bv1"):
            subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                            "net.ipv6.conf.%s.disable_ipv6=1" % ifc],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            sh("ip", "-n", ns, "link", "set", ifc, "up")
        opt = ",%s=%d" % (qkey, a.qpairs) if a.qpairs > 1 else ""
        fopt = opt + ("," + a.fwd_devargs if a.fwd_devargs else "")

        def ports(o):
            return ["--vdev", "net_%s0,iface=bv0" % drv + o,
                    "--vdev", "net_%s1,iface=bv1" % drv + o]
        eal = eal_mem(a.huge) + ["-l", "0,1"]
        fwdopts = io_opts(a.qpairs)
        exe = ["ip", "netns", "exec", ns]
        fwd_cmd = exe + [a.fwd] + eal + ports(fopt) + ["--"] + fwdopts
        tpmd_cmd = exe + [a.testpmd] + eal + ports(opt) + [
            "--no-pci", "--file-prefix", ns, "--"] + fwdopts
        return compare("fwd_%s io on veth, %d queue pair(s), 1 "
                       "forwarding lcore, burst 32, 64 B, %s%s" % (
                           drv, a.qpairs,
                           "hugepages" if a.huge else "--no-huge",
                           ", fwd " + a.fwd_devargs if a.fwd_devargs
                           else ""),
                       fwd_cmd, tpmd_cmd, a.rounds, a.seconds,
                       goal_line=(veth_goal_name(drv, a.fwd_devargs), ">=",
                                  1.0))
    finally:
        subprocess.run(["ip", "netns", "del", ns], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
