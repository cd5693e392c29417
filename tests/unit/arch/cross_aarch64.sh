#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# vfnet's userspace on arm64, checked with Debian's cross compiler: every
# library and fwd source builds warning-free for aarch64, and the device
# barriers, the spin hint and the time-stamp counter of vfn_common.h are
# the instructions arm64 needs (dmb oshst / dmb oshld as DPDK's
# rte_io_wmb/rte_io_rmb, yield, cntvct_el0).
# usage: cross_aarch64.sh SOURCE_ROOT
. "$(dirname "$0")/../../lib/vfn_tap.sh"
src=$1
cc=aarch64-linux-gnu-gcc
if ! command -v $cc >/dev/null 2>&1; then
	echo "1..0 # SKIP $cc not installed: apt-get install gcc-aarch64-linux-gnu (tools/setup-deps)"
	exit 0
fi
flags="-std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror
	-Wno-missing-field-initializers -Wshadow -Wpointer-arith
	-I$src/eal -I$src/mempool -I$src/net -I$src/pmd/port -I$src/pmd/ring"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$src"/eal/*.c "$src"/mempool/*.c "$src"/net/*.c "$src"/pmd/*/*.c "$src"/apps/fwd/*.c; do
	rel=${f#"$src"/}
	# shellcheck disable=SC2086
	tap_check "$rel builds for aarch64" $cc $flags -I"$(dirname "$f")" \
		-c "$f" -o "$tmp/o.o"
done

# shellcheck disable=SC2086
if tap_check "arch_probe.c to aarch64 assembly" $cc $flags \
	-S "$(dirname "$0")/arch_probe.c" -o "$tmp/probe.s"; then
	# body FUNCTION: the instructions of FUNCTION, one per line
	body() {
		sed -n "/^$1:/,/\.size[[:space:]]*$1,/p" "$tmp/probe.s" |
			grep -v '^[[:space:]]*\.' | tr '\t' ' '
	}
	for want in "probe_io_wmb:dmb oshst" "probe_io_rmb:dmb oshld" \
		"probe_pause:yield" "probe_rdtsc:mrs x0, cntvct_el0"; do
		fn=${want%%:*} insn=${want#*:}
		if body "$fn" | grep -q " $insn\$"; then
			tap_ok "$fn is '$insn' on aarch64"
		else
			tap_fail "$fn is '$insn' on aarch64" \
				"got: $(body "$fn" | tail -n +2 | tr '\n' ';')"
		fi
	done
fi
tap_done
exit $?
