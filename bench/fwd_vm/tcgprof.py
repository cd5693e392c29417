#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Guest instructions and MMIO accesses per forwarded frame, per function,
for vfnet fwd and dpdk-testpmd on the test VM's NIC pairs (bench.py's
commands), counted by the TCG plugin tools/vm/tcgprof.

usage (on the host):
  tcgprof.py FWD_VM PLUGIN_SO [--pairs e1000e,virtio] [--periods N]
             [--mem] [--out DIR] [--top N]

It boots the VM with the plugin (tools/vm/run --plugin) and runs this
script again inside it (--guest): for each pair and tool, the tool
forwards as in bench.py; after its 3rd statistics period the guest asks
the plugin for a snapshot of its counters, after N more periods for a
second one, and saves the tool's /proc/PID/maps and the kernel's
kallsyms.  Back on the host, the difference of the two snapshots for
guest CPU 1 (the forwarding lcore of both tools) is attributed to
functions (nm of the mapped files; DPDK's Debian libraries are stripped,
so their code is counted per library and exported symbol) and divided by
the frames forwarded in the window (the difference of the ports'
cumulative RX-packets printed with the two snapshots).  Instruction
counts do not depend on how busy the host is; the rates do (and the
plugin slows the guest, mem=on most).
"""
import argparse
import bisect
import collections
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from bench import bind  # noqa: E402  (bench/fwd_vm/bench.py)
PAIRS = {"e1000e": "VFN_VM_E1000E", "virtio": "VFN_VM_VIRTIO",
         "virtio_packed": "VFN_VM_VIRTIO_MQ"}
KERNEL = 0xffff800000000000


# ---------------------------------------------------------------- guest
class Ctl:
    def __init__(self, path):
        self.path, self.seq = path, 0

    def snap(self, out):
        self.seq += 1
        with open(self.path, "w") as f:
            f.write("%d %s\n" % (self.seq, out))
            f.flush()
            os.fsync(f.fileno())
        return time.monotonic()


def guest_run(name, cmd, header, rate_re, per_period, ctl, out, periods):
    """Run cmd; snapshot after period 3 and 3+periods; returns the rates
    (pps) of the periods in between, the window's length and the frames
    received in it (the ports' cumulative RX-packets of the statistics
    blocks printed with the two snapshots, or None without them)."""
    p = subprocess.Popen(["stdbuf", "-oL"] + cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    nper, vals, rates, t_a, t_b, log = 0, [], [], None, None, []
    rx, rx_a, rx_b = [], None, None
    for line in p.stdout:
        log.append(line)
        if header in line:
            nper += 1
            rx = []
            if nper == 3:
                t_a = ctl.snap(out + ".a")
                with open("/proc/%d/maps" % p.pid) as f, \
                        open(out + ".maps", "w") as g:
                    g.write(f.read())
            elif nper == 4 + periods:
                t_b = ctl.snap(out + ".b")
        m = re.search(r"RX-packets:\s+(\d+)", line)
        if m and nper in (3, 4 + periods):
            rx.append(int(m.group(1)))
            if len(rx) == per_period:
                if nper == 3:
                    rx_a = sum(rx)
                else:
                    rx_b = sum(rx)
                    break
        m = re.search(rate_re, line)
        if m and 3 <= nper < 4 + periods:
            vals.append(float(m.group(1)))
            if len(vals) == per_period:
                if nper > 3:
                    rates.append(sum(vals))
                vals = []
        if nper == 0 and len(log) > 400:
            break
        if t_b is not None and len(log) > 100000:
            break
    p.send_signal(signal.SIGINT)
    try:
        p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
    if t_b is None:
        sys.stdout.write("".join(log[-40:]))
        print("FAIL: %s never reached %d statistics periods" % (name, 4 + periods))
        return None
    frames = rx_b - rx_a if rx_a is not None and rx_b is not None else None
    return rates, t_b - t_a, frames


def guest_main(a):
    os.makedirs(a.out, exist_ok=True)
    shutil.copy("/proc/kallsyms", os.path.join(a.out, "kallsyms"))
    ctl = Ctl(os.path.join(a.out, "ctl"))
    testpmd = shutil.which("dpdk-testpmd")
    for pair in a.pairs.split(","):
        bdfs = os.environ.get(PAIRS[pair], "").split()
        if len(bdfs) != 2:
            print("%s: SKIP: the VM has no such pair" % pair)
            continue
        bind(bdfs)
        common = ["-l", "0,1", "-n", "1"] + sum((["-a", d] for d in bdfs), [])
        opts = ["--forward-mode=io", "--burst=32", "--stats-period=1",
                "--rxd=256", "--txd=256", "--total-num-mbufs=8192",
                "--tx-first"]
        tools = [("fwd", [a.fwd] + common + a.fwd_eal.split() +
                  ["--file-prefix", "fwdvm", "--"] + opts + a.fwd_args.split(),
                  "NIC statistics for port 0", r"Rx-pps:\s+(\d+)")]
        if testpmd:
            tools.append(("testpmd", [testpmd] + common + a.testpmd_eal.split() + [
                "--iova-mode=va", "--file-prefix", "tpvm", "--"] + opts +
                ["--rxq=1", "--txq=1"] + a.testpmd_args.split(), "NIC statistics for port 0", r"Rx-pps:\s+(\d+)"))
        for rnd, (name, cmd, header, rate_re) in (
                (r, t) for r in range(a.rounds) for t in tools):
            if name not in a.tools.split(","):
                continue
            out = os.path.join(a.out, "%s-%s%s" % (pair, name, "-%d" % rnd if rnd else ""))
            r = guest_run(name, cmd, header, rate_re, 2, ctl, out, a.periods)
            if r is None:
                return 1
            rates, window, frames = r
            # Frames counted from the cumulative counters when both blocks
            # were seen; else the mean of the periods' rates over the window.
            rate = frames / window if frames else statistics.mean(rates)
            with open(out + ".window", "w") as f:
                f.write("%f %f %s\n" % (window, rate,
                                        " ".join("%.0f" % x for x in rates)))
            print("%s %s: window %.2f s, %s frames, %.0f pps (periods %s)" % (
                pair, name, window, frames if frames else "~%.0f" % (rate * window),
                rate, " ".join("%.0f" % x for x in rates)))
            sys.stdout.flush()
            time.sleep(0.5)
    return 0


# ---------------------------------------------------------------- host
def read_snap(path):
    """{(vaddr, ninsn, kinds): [(exec, mem, io) per vcpu]} and io rows."""
    tbs, io, head = collections.defaultdict(lambda: None), [], None
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                head = line.split()
                continue
            w = line.split()
            if w[0] == "tb":
                vals = list(map(int, w[4:]))
                key = (int(w[1], 16), int(w[2]), w[3])
                per = [vals[i:i + 4] for i in range(0, len(vals), 4)]
                old = tbs[key]
                if old is not None:
                    per = [[x + y for x, y in zip(u, v)] for u, v in zip(old, per)]
                tbs[key] = per
            elif w[0] == "tlb":
                io.append((int(w[1]), "tlb", int(w[2]), "-", int(w[3])))
            elif w[0] == "io":
                io.append((int(w[1]), w[2], int(w[3], 16), w[4], int(w[5])))
    kinds = head[-1].split(",") if head else []
    return dict(tbs), io, kinds


class Symbols:
    """Address -> (object, function) from the saved maps and kallsyms."""

    def __init__(self, maps, kallsyms):
        self.maps = []
        with open(maps) as f:
            for line in f:
                w = line.split()
                if len(w) >= 6 and "x" in w[1]:
                    lo, hi = (int(x, 16) for x in w[0].split("-"))
                    self.maps.append((lo, hi, int(w[2], 16), w[5]))
        self.ksyms = []
        with open(kallsyms) as f:
            for line in f:
                w = line.split()
                if len(w) >= 3 and w[1] in "tTwW":
                    self.ksyms.append((int(w[0], 16), w[2]))
        self.ksyms.sort()
        self.kaddr = [x[0] for x in self.ksyms]
        self.elf = {}

    def _elf(self, path):
        if path in self.elf:
            return self.elf[path]
        loads, syms = [], []
        try:
            ph = subprocess.run(["readelf", "-lW", path], capture_output=True,
                                text=True).stdout
            for line in ph.splitlines():
                w = line.split()
                if w and w[0] == "LOAD":
                    loads.append((int(w[1], 16), int(w[2], 16), int(w[4], 16)))
            for opt in (["-n", "--defined-only"], ["-D", "-n", "--defined-only"]):
                out = subprocess.run(["nm"] + opt + [path], capture_output=True,
                                     text=True).stdout
                for line in out.splitlines():
                    w = line.split()
                    if len(w) == 3 and w[1] in "tTwWiI":
                        syms.append((int(w[0], 16), w[2]))
        except OSError:
            pass
        syms = sorted(set(syms))
        self.elf[path] = (loads, syms, [s[0] for s in syms])
        return self.elf[path]

    def lookup(self, va):
        if va >= KERNEL:
            i = bisect.bisect_right(self.kaddr, va) - 1
            return "[kernel]", self.ksyms[i][1] if i >= 0 else "?"
        for lo, hi, off, path in self.maps:
            if lo <= va < hi:
                loads, syms, addrs = self._elf(path)
                foff = va - lo + off
                vaddr = foff
                for pv, po, sz in loads:
                    if po <= foff < po + sz:
                        vaddr = pv + foff - po
                i = bisect.bisect_right(addrs, vaddr) - 1
                obj = os.path.basename(path)
                if not syms:
                    return obj, "(stripped: whole object)"
                return obj, syms[i][1] if i >= 0 else "?"
        return "[other]", "?"


def analyse(outdir, pair, tool, top, cpu=1):
    base = os.path.join(outdir, "%s-%s" % (pair, tool))
    a, io_a, kinds = read_snap(base + ".a")
    b, io_b, _ = read_snap(base + ".b")
    with open(base + ".window") as f:
        window, rate = (float(x) for x in f.read().split()[:2])
    frames = window * rate
    sym = Symbols(base + ".maps", os.path.join(outdir, "kallsyms"))
    per_fn = collections.Counter()
    per_obj = collections.Counter()
    kind_tot = collections.Counter()
    tot = {"insn": 0, "mem": 0, "io": 0, "insn0": 0, "tb": 0, "miss": 0}
    miss_fn = collections.Counter()
    kind_fn = collections.Counter()
    mmio_fn = collections.Counter()
    for key, per in b.items():
        old = a.get(key) or [[0, 0, 0, 0]] * len(per)
        d = [[y - x for x, y in zip(u, v)] for u, v in zip(old, per)]
        va, n, ks = key
        tot["insn0"] += d[0][0] * n
        if len(d) <= cpu:
            continue
        ex, mem, io, miss = d[cpu]
        if ex <= 0:
            continue
        obj, fn = sym.lookup(va)
        if va >= KERNEL:
            obj = "[kernel]"
        per_fn[(obj, fn)] += ex * n
        per_obj[obj] += ex * n
        tot["insn"] += ex * n
        tot["mem"] += mem
        tot["io"] += io
        tot["miss"] += miss
        if miss:
            miss_fn[(obj, fn)] += miss
        if io:
            mmio_fn[(obj, fn)] += io
        tot["tb"] += ex
        for k, c in zip(kinds, ks.split(",")):
            kind_tot[k] += ex * int(c)
            if int(c):
                kind_fn[(k, obj, fn)] += ex * int(c)
    ioc = collections.Counter()
    for v, dev, addr, rw, c in io_b:
        if v == cpu:
            ioc[(dev, addr, rw)] += c
    for v, dev, addr, rw, c in io_a:
        if v == cpu:
            ioc[(dev, addr, rw)] -= c
    print("== %s %s: window %.1f s at %.0f pps = %.0f frames" % (
        pair, tool, window, rate, frames))
    if frames <= 0:
        return None
    print("  per frame on CPU 1: %.1f instructions, %.1f memory accesses, "
          "%.3f MMIO accesses; CPU 0: %.1f instructions" % (
              tot["insn"] / frames, tot["mem"] / frames, tot["io"] / frames,
              tot["insn0"] / frames))
    print("  translation blocks executed per frame: %.1f" % (tot["tb"] / frames))
    print("  instruction kinds per frame: " + ", ".join(
        "%s %.3f" % (k, kind_tot[k] / frames) for k in kinds))
    for (k, obj, fn), c in kind_fn.most_common():
        if c / frames >= 0.001:
            print("    %-7s %8.4f  %s %s" % (k, c / frames, fn, obj))
    if kind_tot["ymm"] / frames >= 0.001:
        print("  WARNING: YMM instructions on the forwarding lcore: TCG leaves the"
              " host's upper YMM state dirty after them, and a doorbell emulated"
              " before the vCPU leaves translated code costs the host twice as"
              " much (e1000e-analysis.md, \"The mechanism\")")
    print("  per object:")
    for obj, c in per_obj.most_common():
        if c / frames >= 0.05:
            print("    %8.1f  %s" % (c / frames, obj))
    print("  per function (top %d):" % top)
    for (obj, fn), c in per_fn.most_common(top):
        print("    %8.1f  %-40s %s" % (c / frames, fn, obj))
    tlb = sorted((addr, c) for (dev, addr, rw), c in ioc.items() if dev == "tlb")
    if tlb:
        print("  data TLB model misses per frame: " + ", ".join(
            "%d entries %.2f" % (n, c / frames) for n, c in tlb))
        print("  256-entry model misses per frame by function:")
        for (obj, fn), c in miss_fn.most_common(12):
            print("    %8.2f  %-40s %s" % (c / frames, fn, obj))
    if ioc:
        print("  MMIO per frame (device, address, r/w):")
        for (dev, addr, rw), c in sorted(ioc.items(), key=lambda x: -x[1]):
            if c > 0 and dev != "tlb":
                print("    %8.4f  %s %#x %s" % (c / frames, dev, addr, rw))
    return tot["insn"] / frames, tot["io"] / frames, tot["miss"] / frames


THREAD_NAMES = {}  # QEMU thread id -> name, for the trace's thread ids


def qemu_threads_cpu(name):
    """CPU seconds of each thread of the QEMU named name, by thread name
    (threads of the same name summed): "CPU 1/TCG" runs the forwarding
    vCPU, "qemu-system-x86" the main loop (virtio-net's device side)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if ("-name\0%s," % name) not in open("/proc/%s/cmdline" % pid).read():
                continue
            cpu = collections.Counter()
            for t in os.listdir("/proc/%s/task" % pid):
                base = "/proc/%s/task/%s/" % (pid, t)
                comm = open(base + "comm").read().strip()
                THREAD_NAMES[t] = comm
                f = open(base + "stat").read().rsplit(")", 1)[1].split()
                cpu[comm] += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
            if "CPU 1/TCG" in cpu:  # not a wrapper with QEMU's arguments
                return cpu
        except OSError:
            continue
    return None


def watch_ctl(ctl, name, marks, stop):
    """Host CPU time of the forwarding vCPU's thread at each snapshot the
    guest asks for (the plugin takes it within 20 ms of this)."""
    last = ""
    while not stop.is_set():
        try:
            cur = open(ctl).read().strip()
        except OSError:
            cur = last
        if cur and cur != last:
            last = cur
            marks[cur.split()[1]] = (time.time(), qemu_threads_cpu(name))
        time.sleep(0.005)


def print_trace(path, t0, t1, frames):
    """QEMU trace events (log backend: "pid@sec.usec:event args") between
    host times t0 and t1, per frame.  Events are keyed by name and their
    queue (vq pointers numbered in order of appearance, per event);
    virtqueue_flush adds its count, virtqueue_pop also splits by
    descriptor counts (in_num/out_num)."""
    counts, vqs = collections.Counter(), {}
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(r"(\d+)@(\d+\.\d+):(\w+) ?(.*)", line)
            if not m:
                continue
            t = float(m.group(2))
            if t < t0 or t > t1:
                continue
            ev, args = m.group(3), m.group(4)
            vq = re.search(r"vq (0x[0-9a-f]+)", args)
            key = ev
            if vq:
                key += " vq%d" % vqs.setdefault(vq.group(1), len(vqs))
            if ev == "virtqueue_flush":
                counts[key + " (entries)"] += int(re.search(r"count (\d+)", args).group(1))
            if ev == "virtqueue_pop":
                n = re.search(r"in_num (\d+) out_num (\d+)", args)
                key += " in %s out %s" % n.groups()
            if ev.startswith("memory_region_ops"):
                key += " " + " ".join(re.findall(r"(?:addr|size) \S+", args))
            counts[key + " [%s]" % THREAD_NAMES.get(m.group(1), m.group(1))] += 1
    for key in sorted(counts):
        print("    %-50s %8.4f per frame" % (key, counts[key] / frames))


def host_main(a):
    import threading
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    ctl = os.path.join(out, "ctl")
    open(ctl, "w").close()
    name = "vfnet-tcgprof-%d" % os.getpid()
    cmd = [os.path.join(ROOT, "tools/vm/run"), "--timeout", str(a.timeout)]
    if a.plugin:
        cmd += ["--plugin", "%s,ctl=%s%s%s" % (os.path.abspath(a.plugin), ctl,
                                             ",mem=on" if a.mem else "",
                                             ",io=off" if a.no_io else "")]
    cmd += ["--", "python3", os.path.abspath(__file__),
            "--guest", os.path.abspath(a.fwd), "--out", out, "--pairs", a.pairs,
            "--periods", str(a.periods), "--tools", a.tools,
            "--rounds", str(a.rounds), "--fwd-eal=" + a.fwd_eal,
            "--testpmd-eal=" + a.testpmd_eal, "--fwd-args=" + a.fwd_args,
            "--testpmd-args=" + a.testpmd_args]
    env = dict(os.environ)
    env["VFN_VM_QEMU_ARGS"] = (env.get("VFN_VM_QEMU_ARGS", "") +
                               " -name %s,debug-threads=on" % name)
    tracelog = None
    if a.trace:
        tracelog = os.path.join(out, "qemu-trace.log")
        if os.path.exists(tracelog):
            os.unlink(tracelog)
        env["VFN_VM_QEMU_ARGS"] += "".join(
            " -trace " + e for e in a.trace.split(",")) + \
            " -msg timestamp=on -D " + tracelog
    marks, stop = {}, threading.Event()
    th = threading.Thread(target=watch_ctl, args=(ctl, name, marks, stop))
    th.start()
    rc = subprocess.run(cmd, env=env).returncode
    stop.set()
    th.join()
    if rc != 0:
        print("FAIL: the VM run exited with %d" % rc)
        return 1
    cpf = collections.defaultdict(list)
    for pair in a.pairs.split(","):
        for r in range(a.rounds):
            for tool in a.tools.split(","):
                base = os.path.join(out, "%s-%s%s" % (pair, tool, "-%d" % r if r else ""))
                ma, mb = marks.get(base + ".a"), marks.get(base + ".b")
                if not ma or not mb or not ma[1] or not mb[1] or \
                        not os.path.exists(base + ".window"):
                    continue
                with open(base + ".window") as f:
                    window, rate = (float(x) for x in f.read().split()[:2])
                frames = window * rate
                ca, cb = ma[1]["CPU 1/TCG"], mb[1]["CPU 1/TCG"]
                us = (cb - ca) / frames * 1e6
                cpf[(pair, tool)].append(us)
                print("%s %s round %d: forwarding vCPU thread %.2f s CPU in %.1f s, "
                      "%.0f pps: %.2f us per frame" % (pair, tool, r + 1, cb - ca,
                                                      window, rate, us))
                print("  host CPU per frame by QEMU thread: " + ", ".join(
                    "%s %.2f us" % (t, (mb[1][t] - ma[1].get(t, 0)) / frames * 1e6)
                    for t in sorted(mb[1]) if mb[1][t] - ma[1].get(t, 0) > 0))
                if tracelog:
                    print_trace(tracelog, ma[0], mb[0], frames)
    for pair in a.pairs.split(","):
        f, t = cpf.get((pair, "fwd")), cpf.get((pair, "testpmd"))
        if f and t:
            print("cpu per frame %s: fwd %.2f us, testpmd %.2f us (medians), "
                  "testpmd/fwd %.2fx" % (pair, statistics.median(f),
                                         statistics.median(t),
                                         statistics.median(t) / statistics.median(f)))
    if not a.plugin:
        return 0
    summary = []
    for pair in a.pairs.split(","):
        for tool in ("fwd", "testpmd"):
            if os.path.exists(os.path.join(out, "%s-%s.b" % (pair, tool))):
                r = analyse(out, pair, tool, a.top)
                if r:
                    summary.append((pair, tool) + r)
    print("tcgprof summary: guest CPU 1 instructions and MMIO accesses per frame")
    for pair, tool, ins, io, miss in summary:
        print("  %-14s %-8s %8.1f insn/frame  %.3f MMIO/frame  %.2f TLB-256 misses/frame"
              % (pair, tool, ins, io, miss))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fwd")
    ap.add_argument("plugin", nargs="?")
    ap.add_argument("--guest", action="store_true")
    ap.add_argument("--pairs", default="e1000e,virtio")
    ap.add_argument("--periods", type=int, default=5)
    ap.add_argument("--mem", action="store_true")
    ap.add_argument("--no-io", action="store_true",
                    help="with --mem: no MMIO counts (plugin io=off)")
    ap.add_argument("--tools", default="fwd,testpmd")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--fwd-eal", default="",
                    help="extra EAL options for fwd (experiments)")
    ap.add_argument("--fwd-args", default="",
                    help="extra fwd options after the common ones")
    ap.add_argument("--testpmd-args", default="",
                    help="extra dpdk-testpmd options after the common ones")
    ap.add_argument("--testpmd-eal", default="",
                    help="extra EAL options for dpdk-testpmd (experiments)")
    ap.add_argument("--trace", default="",
                    help="QEMU trace events (comma-separated) to count per "
                    "frame in each window, e.g. virtqueue_pop,virtio_queue_notify")
    ap.add_argument("--out", default="/tmp/vfnet-tcgprof")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--analyse", action="store_true",
                    help="only analyse the snapshots already in --out")
    a = ap.parse_args()
    if a.guest:
        return guest_main(a)
    if a.analyse:
        for pair in a.pairs.split(","):
            for tool in ("fwd", "testpmd"):
                if os.path.exists(os.path.join(a.out, "%s-%s.b" % (pair, tool))):
                    analyse(a.out, pair, tool, a.top)
        return 0
    return host_main(a)


sys.exit(main())
