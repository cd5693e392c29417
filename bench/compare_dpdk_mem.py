#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Tables and GOAL lines of bench/compare_dpdk_mem.sh.

usage: compare_dpdk_mem.py OUTDIR SCALE

OUTDIR holds dpdk_ring.N / vfn_ring.N and dpdk_mempool.N /
vfn_mempool.N, the outputs of round N of each tool (the rounds
alternate, so round N of both ran close in time).  Per case and round
the ratio vfnet/DPDK is taken pair by pair; the tables print the median
of each tool's figure, the median of the paired ratios and their spread
(min-max over the rounds): on a shared machine the pairs cancel most of
the drift, the spread says how noisy it was.
"""
import glob
import math
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goal import goal  # noqa: E402


def ring_parse(path):
    """{(section, api, case): value} from ring_perf output (either tool)."""
    res, sec, api = {}, None, "legacy APIs"
    for line in open(path, errors="replace"):
        line = line.strip()
        m = re.match(r"### Testing (.*) ###", line)
        if m:
            sec = m.group(1)
            continue
        m = re.match(r"(legacy APIs|elem APIs: element size 16B): (.*): "
                     r"([0-9.]+)$", line)
        if m and sec:
            api = m.group(1)
            res[(sec, api, m.group(2))] = float(m.group(3))
            continue
        m = re.match(r"Total count \(size: (\d+)\): (\d+)", line)
        if m and sec:
            res[(sec, api, "MP/MC: bulk (size: %s) loops in 100 ms" %
                 m.group(1))] = float(m.group(2))
    return res


def mempool_parse(path, mult):
    res, sec = {}, None
    for line in open(path, errors="replace"):
        m = re.match(r"start performance test (.*)", line.strip())
        if m:
            sec = m.group(1)
            continue
        m = re.match(r"mempool_autotest cache=(\d+) cores=(\d+) "
                     r"n_get_bulk=(\d+) n_put_bulk=(\d+) n_keep=(\d+) "
                     r"constant_n=(\d+) rate_persec=(\d+)", line.strip())
        if m and sec and not sec.startswith("for "):
            key = (sec,) + tuple(int(x) for x in m.groups()[:6])
            res.setdefault(key, float(m.group(7)) * mult)  # first of dups
    return res


def gmean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else \
        float("nan")


def rounds_of(outdir, prefix):
    files = glob.glob(os.path.join(outdir, prefix + ".*"))
    return {int(f.rsplit(".", 1)[1]): f for f in files
            if f.rsplit(".", 1)[1].isdigit()}


def paired(outdir, dname, vname, parse_d, parse_v, higher_better):
    """Per case: (median DPDK, median vfnet, median ratio, min, max, n)
    with ratio vfnet/DPDK for cycles (lower better) and for rates
    (higher better) alike."""
    dr, vr = rounds_of(outdir, dname), rounds_of(outdir, vname)
    rounds = sorted(set(dr) & set(vr))
    per = {}
    order = []
    for r in rounds:
        d, v = parse_d(dr[r]), parse_v(vr[r])
        for k in d:
            if k in v and d[k] > 0 and v[k] > 0:
                if k not in per:
                    per[k] = ([], [], [])
                    order.append(k)
                per[k][0].append(d[k])
                per[k][1].append(v[k])
                per[k][2].append(v[k] / d[k])
    out = {}
    for k in order:
        ds, vs, rs = per[k]
        out[k] = (statistics.median(ds), statistics.median(vs),
                  statistics.median(rs), min(rs), max(rs), len(rs))
    return out, len(rounds)


def size_of(case):
    m = re.search(r"size: (\d+)", case)
    return int(m.group(1)) if m else 1


def spread(x):
    return "%.2f-%.2f" % (x[3], x[4])


def ring_report(outdir, tag):
    res, n = paired(outdir, "dpdk_ring", "vfn_ring", ring_parse, ring_parse,
                    False)
    if not res:
        return
    print()
    print("RING%s, %d alternating rounds: median cycles, lower is better; "
          "ratio = median of the paired vfnet/DPDK ratios (< 1.00: vfnet "
          "faster), spread = their min-max" % (tag, n))
    print("  units: single core = cycles per (enqueue n + dequeue n); two "
          "cores = cycles per element, enqueue side + dequeue side;")
    print("         100 ms loops: loop count, higher is better (ratio "
          "inverted: DPDK/vfnet)")
    print("%-50s %10s %10s %6s %11s" % ("case", "DPDK", "vfnet", "ratio",
                                         "spread"))
    ratios = []
    for k, x in res.items():
        sec, api, case = k
        api_s = "ptr" if api.startswith("legacy") else "16B"
        name = "%s %s %s" % (api_s, sec.replace("using ", "").replace(
            " enq/deq", ""), case)
        r, lo, hi = x[2], x[3], x[4]
        if "loops" in case:
            r, lo, hi = 1 / r, 1 / hi, 1 / lo
        ratios.append(r)
        print("%-50s %10.2f %10.2f %6.2f %5.2f-%.2f" % (
            name[:50], x[0], x[1], r, lo, hi))
    print("geometric mean of the ratios: %.2f" % gmean(ratios))
    two = "using two physical cores"
    for api, sz in (("SP/SC", 8), ("SP/SC", 32), ("MP/MC", 8), ("MP/MC", 32)):
        k = (two, "legacy APIs", "%s: bulk (size: %d)" % (api, sz))
        if k in res:
            x = res[k]
            goal("ring.2core.%s.bulk%d" % (api.replace("/", "").lower(), sz),
                 x[2], "<=", 0.9, "cycles/elem DPDK %.2f vfnet %.2f, "
                 "spread %s, %d rounds" % (x[0], x[1], spread(x), x[5]))


def mempool_report(outdir, scale, tag):
    res, n = paired(outdir, "dpdk_mempool", "vfn_mempool",
                    lambda f: mempool_parse(f, scale),
                    lambda f: mempool_parse(f, 1.0), True)
    if not res:
        return
    print()
    print("MEMPOOL%s, %d alternating rounds: objects got+put per second, "
          "higher is better; ratio = median of paired vfnet/DPDK (> 1.00: "
          "vfnet faster)" % (tag, n))
    short = {"(without cache)": "no cache", "(with cache)": "lcore cache",
             "(with user-owned cache)": "user cache"}
    print("%-52s %12s %12s %6s %11s" % (
        "case (cache 512, get = put bulk, n_keep 128)", "DPDK", "vfnet",
        "ratio", "spread"))
    for k, x in res.items():
        sec, cache, cores, g, p, keep, const = k
        if g != p or keep != 128:
            continue
        name = "%-11s cores=%d bulk=%-2d %s" % (
            short.get(sec, sec), cores, g,
            "n constant" if const else "n variable")
        print("%-52s %12.0f %12.0f %6.2f %11s" % (name, x[0], x[1], x[2],
                                                   spread(x)))
    print("geometric mean of vfnet/DPDK over all %d common cases, per "
          "section and cores:" % len(res))
    groups = {}
    for k, x in res.items():
        groups.setdefault((k[0], k[2]), []).append((x[2], k))
    for (sec, cores), rs in groups.items():
        lo = min(rs)
        print("  %-26s cores=%d: %5.2f over %3d cases (min %.2f: get %d put "
              "%d keep %d %s, max %.2f)" % (
                  sec, cores, gmean([r for r, _ in rs]), len(rs), lo[0],
                  lo[1][3], lo[1][4], lo[1][5],
                  "const" if lo[1][6] else "var", max(rs)[0]))
    cached = [(x[2], k) for k, x in res.items()
              if k[0] in ("(with cache)", "(with user-owned cache)")]
    if cached:
        lo = min(cached)
        goal("mempool.cache.min", lo[0], ">=", 1.0,
             "worst cached case: %s cores=%d get %d put %d keep %d %s" % (
                 short[lo[1][0]], lo[1][2], lo[1][3], lo[1][4], lo[1][5],
                 "const" if lo[1][6] else "var"))
        goal("mempool.cache.gmean", gmean([r for r, _ in cached]), ">=", 1.2,
             "geometric mean over %d cached cases" % len(cached))
    for const, name in ((1, "const"), (0, "var")):
        rs = [x for k, x in res.items() if k[0] == "(with cache)" and
              k[2] == 1 and k[3] == 32 and k[4] == 32 and k[6] == const]
        if rs:
            goal("mempool.pmd.%s" % name, gmean([x[2] for x in rs]), ">=",
                 1.1, "lcore cache, 1 core, bulk 32, n %s, geometric mean "
                 "over n_keep 32/128/512" % ("constant" if const else
                                             "variable"))


def main():
    outdir, scale = sys.argv[1], float(sys.argv[2])
    tag = ""
    if os.path.exists(os.path.join(outdir, "march")):
        tag = " (vfnet -march=%s)" % open(
            os.path.join(outdir, "march")).read().strip()
    ring_report(outdir, tag)
    mempool_report(outdir, scale, tag)


main()
