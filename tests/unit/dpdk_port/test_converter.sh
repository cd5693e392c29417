#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tools/dpdk-to-vfnet on a sample of DPDK spellings: what it renames, what
# it leaves, and how it reports a DPDK header vfnet does not have.  TAP.
# usage: test_converter.sh SOURCE_ROOT
set -u
src_root=$1
. "$src_root/tests/lib/vfn_tap.sh"
tmp=$(mktemp -d /tmp/vfn_conv.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

cat > "$tmp/in.c" <<'SAMPLE'
#include <rte_ethdev.h>
#include "rte_mbuf.h"
#include <rte_flow.h>
static __rte_noreturn void f(void) { RTE_ETH_FOREACH_DEV(p) rte_eth_dev_start(p); }
int my_rte_count, rte_x = RTE_MAX_ETHPORTS;
SAMPLE
cat > "$tmp/want.c" <<'SAMPLE'
#include <vfn_ethdev.h>
#include <vfn_mbuf.h>
#include <rte_flow.h>
static __vfn_noreturn void f(void) { VFN_ETH_FOREACH_DEV(p) vfn_eth_dev_start(p); }
int my_rte_count, vfn_x = VFN_MAX_ETHPORTS;
SAMPLE
"$src_root/tools/dpdk-to-vfnet" -I "$src_root/eal" -I "$src_root/mempool" \
	-I "$src_root/pmd/port" -o "$tmp/out.c" "$tmp/in.c" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ]; then
	tap_ok "exit status 2 for a DPDK header vfnet lacks"
else
	tap_fail "exit status 2 for a DPDK header vfnet lacks" "status $rc"
fi
if grep -q "vfnet has no vfn_flow.h" "$tmp/err"; then
	tap_ok "the missing header is named on stderr"
else
	tap_fail "the missing header is named on stderr" "$(cat "$tmp/err")"
fi
tap_check "identifiers and existing headers renamed, others left" \
	diff -u "$tmp/want.c" "$tmp/out.c"
tap_done
exit $?
