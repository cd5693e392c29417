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
# vfnet/DPDK ratio tables (bench/compare_dpdk_mem.py): per case the median
# of the ratios of each round's pair, with their spread, and the issue-19
# goals as GOAL lines (bench/README.md).
#
# Equal for both: the CPUs (-c, both threads pinned), 4 KiB pages, the
# cases, loops, iteration counts, ring size (4096), pool size, object
# size and caches (512).  Not equal: the ISA unless vfnet's BUILD was
# configured with -Dmarch=corei7 (Debian's DPDK is built for corei7),
# and the mempool time per case (-k below, DPDK's time-base scaled).
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
if [ -z "$parse_only" ]; then # the -march vfnet was built for, for the tables
	meson introspect --buildoptions "$build" 2>/dev/null | python3 -c '
import json, sys
print([o["value"] for o in json.load(sys.stdin) if o["name"] == "march"][0] or "(compiler default)")' >"$outdir/march" 2>/dev/null || rm -f "$outdir/march"
fi

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

exec python3 "$(dirname "$0")/compare_dpdk_mem.py" "$outdir" "$scale"
