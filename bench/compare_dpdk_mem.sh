#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Side by side: vfnet's ring and mempool against DPDK 22.11's, in one run.
#
#   bench/compare_dpdk_mem.sh [-b BUILD] [-r | -m] [-n ROUNDS] [-M ROUNDS]
#                             [-k SCALE] [-c CPU_A,CPU_B] [-o OUTDIR]
#
# Runs DPDK's `dpdk-test` (Debian package "dpdk") ring_perf_autotest and
# mempool_perf_autotest and vfnet's bench/ring_perf and bench/mempool_perf
# (same cases, loops and units), alternating them ROUNDS times, and prints
# vfnet/DPDK ratio tables.  Cycle figures keep the best (lowest) of the
# rounds and rates the best (highest): this machine is shared, and the
# best of several runs is the one least disturbed by other work.
#
#   -b BUILD   meson build directory with the benchmarks (default: build)
#   -r / -m    ring only / mempool only (default: both)
#   -n ROUNDS  ring rounds (default 3)
#   -M ROUNDS  mempool rounds (default 1)
#   -k SCALE   mempool: run each case 5/SCALE s instead of DPDK's fixed
#              5 s (default 10: ~0.5 s, ~10 min for DPDK's 720 cases).
#              dpdk-test gets an LD_PRELOAD shim that scales the TSC
#              frequency it sees (bench/mempool_perf/dpdk_time_scale.c);
#              its printed rates are multiplied back by SCALE.
#   -c A,B     the two CPUs (default 0,1, as dpdk-test -l 0-1)
#   -o OUTDIR  where the raw outputs go (default BUILD/bench-compare/DATE)
#   -p OUTDIR  only print the tables of an earlier run's OUTDIR
#   -N         do not raise the benchmarks' priority (default, as root:
#              nice -n -20 for both tools, so that other work on a shared
#              machine disturbs them less)
#   -F         run both tools SCHED_FIFO (chrt -f 1, root): other work is
#              held off the two CPUs (but for the kernel's 5% RT
#              throttle) while a benchmark runs.  Cleanest figures on a
#              busy machine; starves everything else meanwhile.
#
# Memory: dpdk-test runs with --no-huge (4 KiB pages) and vfnet's
# benchmarks without an EAL (heap memory, 4 KiB pages): the same page
# size for both.
set -eu

build=build
do_ring=1
do_mempool=1
rounds=3
mrounds=1
scale=10
cpus=0,1
outdir=
parse_only=
prio="nice -n -20"
[ "$(id -u)" = 0 ] || prio=

while getopts "b:rmn:M:k:c:o:p:NFh" opt; do
	case $opt in
	b) build=$OPTARG ;;
	r) do_mempool=0 ;;
	m) do_ring=0 ;;
	n) rounds=$OPTARG ;;
	M) mrounds=$OPTARG ;;
	k) scale=$OPTARG ;;
	c) cpus=$OPTARG ;;
	o) outdir=$OPTARG ;;
	p) parse_only=$OPTARG ;;
	N) prio= ;;
	F) prio="chrt -f 1" ;;
	*) sed -n "3,41p" "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done

if [ -n "$parse_only" ]; then
	outdir=$parse_only
	do_ring=0
	do_mempool=0
fi
dpdk_test=$(command -v dpdk-test || true)
if [ -z "$dpdk_test" ]; then
	echo "compare_dpdk_mem: dpdk-test not found: install Debian's DPDK (apt-get install dpdk)" >&2
	exit 1
fi
ring_bin=$build/bench/ring_perf/vfn_ring_perf
mempool_bin=$build/bench/mempool_perf/vfn_mempool_perf
shim=$build/bench/mempool_perf/libvfn_dpdk_time_scale.so
for f in "$ring_bin" "$mempool_bin" "$shim"; do
	if [ ! -e "$f" ]; then
		echo "compare_dpdk_mem: $f missing: build first (meson setup $build && ninja -C $build)" >&2
		exit 1
	fi
done
shim=$(cd "$(dirname "$shim")" && pwd)/$(basename "$shim")
[ -n "$outdir" ] || outdir=$build/bench-compare/$(date -u +%Y%m%d-%H%M%S)
if [ -n "$parse_only" ] && [ -f "$outdir/scale" ]; then
	scale=$(cat "$outdir/scale")
fi
mkdir -p "$outdir"

cpu_a=${cpus%,*}
cpu_b=${cpus#*,}
eal="--no-huge -m 1024 -l $cpu_a,$cpu_b --no-pci --file-prefix vfn_cmp_$$ --log-level=lib.eal:error"

dpdk() { # dpdk-test autotest name, output file, extra environment
	name=$1 out=$2
	shift 2
	# shellcheck disable=SC2086
	echo "$name" | $prio env "$@" "$dpdk_test" $eal >"$out" 2>&1 || true
	if ! grep -q "Test OK" "$out"; then
		echo "compare_dpdk_mem: dpdk-test $name failed, see $out" >&2
		tail -5 "$out" >&2
		exit 1
	fi
}

[ -n "$parse_only" ] || echo "vfnet vs DPDK $(dpkg-query -W -f '${Version}' dpdk 2>/dev/null || echo '?') on CPUs $cpus, outputs in $outdir"
if [ $do_ring = 1 ]; then
	i=1
	while [ $i -le "$rounds" ]; do
		echo "ring round $i/$rounds: dpdk-test ring_perf_autotest ..."
		dpdk ring_perf_autotest "$outdir/dpdk_ring.$i"
		echo "ring round $i/$rounds: vfn_ring_perf ..."
		$prio "$ring_bin" -c "$cpus" >"$outdir/vfn_ring.$i"
		i=$((i + 1))
	done
fi
if [ $do_mempool = 1 ]; then
	secs=$(awk "BEGIN { print 5 / $scale }")
	echo "$scale" >"$outdir/scale"
	i=1
	while [ $i -le "$mrounds" ]; do
		echo "mempool round $i/$mrounds: dpdk-test mempool_perf_autotest, $secs s per case (~$(awk "BEGIN { printf \"%d\", 720 * $secs / 60 + 1 }") min) ..."
		dpdk mempool_perf_autotest "$outdir/dpdk_mempool.$i" \
			LD_PRELOAD="$shim" VFN_DPDK_TIME_SCALE="$scale"
		echo "mempool round $i/$mrounds: vfn_mempool_perf, $secs s per case ..."
		$prio "$mempool_bin" -t "$secs" -c "$cpus" >"$outdir/vfn_mempool.$i"
		i=$((i + 1))
	done
fi

exec python3 - "$outdir" "$scale" <<'EOF'
import glob, math, os, re, sys

outdir, scale = sys.argv[1], float(sys.argv[2])

def ring_parse(path):
    """{(section, api, case): value} from ring_perf output (either tool)."""
    res, sec, api = {}, None, "legacy APIs"
    for line in open(path, errors="replace"):
        line = line.strip()
        m = re.match(r"### Testing (.*) ###", line)
        if m:
            sec = m.group(1)
            continue
        m = re.match(r"(legacy APIs|elem APIs: element size 16B): (.*): ([0-9.]+)$", line)
        if m and sec:
            api = m.group(1)
            res[(sec, api, m.group(2))] = float(m.group(3))
            continue
        m = re.match(r"Total count \(size: (\d+)\): (\d+)", line)
        if m and sec:
            res[(sec, api, "MP/MC: bulk (size: %s) loops in 100 ms" % m.group(1))] = float(m.group(2))
    return res

def mempool_parse(path, mult):
    res, sec = {}, None
    for line in open(path, errors="replace"):
        m = re.match(r"start performance test (.*)", line.strip())
        if m:
            sec = m.group(1)
            continue
        m = re.match(r"mempool_autotest cache=(\d+) cores=(\d+) n_get_bulk=(\d+) n_put_bulk=(\d+) n_keep=(\d+) constant_n=(\d+) rate_persec=(\d+)", line.strip())
        if m and sec and not sec.startswith("for "):
            key = (sec,) + tuple(int(x) for x in m.groups()[:6])
            res.setdefault(key, float(m.group(7)) * mult)  # first of duplicates
    return res

def best(files, parse, better):
    out = {}
    for f in files:
        for k, v in parse(f).items():
            out[k] = v if k not in out else better(out[k], v)
    return out

def gmean(xs):
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")

def size_of(case):
    m = re.search(r"size: (\d+)", case)
    return int(m.group(1)) if m else 1

dr = sorted(glob.glob(os.path.join(outdir, "dpdk_ring.*")))
vr = sorted(glob.glob(os.path.join(outdir, "vfn_ring.*")))
if dr and vr:
    d = {}; v = {}
    for src, dst in ((dr, d), (vr, v)):
        for f in src:
            for k, x in ring_parse(f).items():
                if k not in dst:
                    dst[k] = x
                elif "loops" in k[2]:
                    dst[k] = max(dst[k], x)
                else:
                    dst[k] = min(dst[k], x)
    print()
    print("RING (best of %d rounds): cycles, lower is better; ratio = vfnet/DPDK, < 1.00 means vfnet is faster" % min(len(dr), len(vr)))
    print("  units: single core = cycles per (enqueue n + dequeue n) [and per element];")
    print("         two cores = cycles per element, enqueue side + dequeue side; 100 ms loops: higher is better")
    print("%-52s %11s %11s %7s" % ("case", "DPDK", "vfnet", "ratio"))
    ratios = {}
    for k in sorted(d, key=lambda k: list(d).index(k)):
        if k not in v:
            continue
        sec, api, case = k
        api_s = "ptr" if api.startswith("legacy") else "16B"
        name = "%s %s %s" % (api_s, sec.replace("using ", "").replace(" enq/deq", ""), case)
        r = v[k] / d[k] if d[k] else float("nan")
        extra = ""
        if sec in ("burst enq/deq", "bulk enq/deq") and size_of(case) > 1:
            n = size_of(case)
            extra = "   per elem %.2f vs %.2f" % (d[k] / n, v[k] / n)
        if "loops" in case:
            r = d[k] / v[k] if v[k] else float("nan")  # invert: higher is better
            extra = "   (ratio = DPDK/vfnet)"
        ratios[k] = r
        print("%-52s %11.2f %11.2f %7.2f%s" % (name[:52], d[k], v[k], r, extra))
    print("geometric mean of the ratios: %.2f" % gmean(list(ratios.values())))
    goals = [
        (("bulk enq/deq", "legacy APIs", "SP/SC: bulk (size: 32)"), "ring SP/SC bulk-32, one core"),
        (("using two physical cores", "legacy APIs", "SP/SC: bulk (size: 32)"), "ring SP/SC bulk-32, two cores"),
        (("using two physical cores", "legacy APIs", "MP/MC: bulk (size: 8)"), "ring MP/MC bulk-8, two cores"),
        (("using two physical cores", "legacy APIs", "MP/MC: bulk (size: 32)"), "ring MP/MC bulk-32, two cores"),
    ]
    print("goals (ratio <= 1.00 met):")
    for k, label in goals:
        if k in ratios:
            print("  %-40s %5.2f  %s" % (label, ratios[k], "met" if ratios[k] <= 1.0 else "BEHIND by %.0f%%" % ((ratios[k] - 1) * 100)))

dm = sorted(glob.glob(os.path.join(outdir, "dpdk_mempool.*")))
vm = sorted(glob.glob(os.path.join(outdir, "vfn_mempool.*")))
if dm and vm:
    d = best(dm, lambda f: mempool_parse(f, scale), max)
    v = best(vm, lambda f: mempool_parse(f, 1.0), max)
    common = [k for k in d if k in v]
    print()
    print("MEMPOOL (best of %d rounds): objects got+put per second, higher is better; ratio = vfnet/DPDK, > 1.00 means vfnet is faster" % min(len(dm), len(vm)))
    short = {"(without cache)": "no cache", "(with cache)": "lcore cache 512",
             "(with user-owned cache)": "user cache 512"}
    print("%-56s %13s %13s %6s" % ("case (get = put bulk, n_keep 128)", "DPDK", "vfnet", "ratio"))
    for k in common:
        sec, cache, cores, g, p, keep, const = k
        if g != p or g not in (1, 32) or keep != 128:
            continue
        name = "%-15s cores=%d bulk=%-2d %s" % (short.get(sec, sec), cores, g,
                                              "n constant" if const else "n variable")
        print("%-56s %13.0f %13.0f %6.2f" % (name, d[k], v[k], v[k] / d[k]))
    print("geometric mean of vfnet/DPDK over all %d common cases, per section and cores:" % len(common))
    groups = {}
    for k in common:
        groups.setdefault((k[0], k[2]), []).append(v[k] / d[k])
    for (sec, cores), rs in groups.items():
        print("  %-28s cores=%d: %5.2f over %d cases (min %.2f, max %.2f)" % (sec, cores, gmean(rs), len(rs), min(rs), max(rs)))
    cached = [v[k] / d[k] for k in common if k[0] == "(with cache)"]
    if cached:
        gm = gmean(cached)
        print("goal: mempool get/put with cache >= DPDK: %.2f %s" % (gm, "met" if gm >= 1.0 else "BEHIND by %.0f%%" % ((1 - gm) * 100)))
EOF
