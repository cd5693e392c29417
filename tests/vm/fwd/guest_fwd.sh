#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Inside the test VM: fwd over the emulated NIC pairs bound to vfnet-pci.
#  1. io with --tx-first on the e1000e pair, then on the virtio-net pair:
#     the first bursts circulate over the wire; exactly N packets received,
#     counters consistent, no mbuf lost (fwd_check.py).
#  2. macswap the same way on the virtio-net pair.
#  3. txonly on one e1000e end and rxonly on the other, two fwd processes:
#     the receiver gets packets (all N, unless the wire dropped some within
#     its 90 s), never more than were sent.
# Reports in TAP (tests/lib/vfn_tap.sh): one check per fwd run.
# usage: guest_fwd.sh BUILD_DIR FWD FWD_CHECK N
set -u
build=$1
fwd=$2
check=$3
n=$4
top=$(dirname "$0")/../../..

. "$top/tests/lib/vfn_tap.sh"
. "$top/tools/vm/guest-lib.sh"
bail() { tap_fail "$1" "${2:-failed}"; tap_done; exit 1; }

insmod "$build/kernel/vfnet.ko" || bail "insmod vfnet.ko"
[ -d /sys/bus/pci/drivers/vfnet-pci ] ||
	bail "vfnet-pci driver registered" "vfnet.ko registers no vfnet-pci driver"
# shellcheck disable=SC2086
why=$(vm_bind vfnet-pci $VFN_VM_E1000E $VFN_VM_VIRTIO) ||
	bail "bind the NIC pairs to vfnet-pci" "$why"
eal="-m 64 -l 0,1 --log-level 5"
set -- $VFN_VM_E1000E
e0=$1 e1=$2
set -- $VFN_VM_VIRTIO
v0=$1 v1=$2

run=0
circulate() { # mode a b
	run=$((run + 1))
	# shellcheck disable=SC2086
	tap_check "fwd $1 --tx-first on $2 <-> $3: $n packets, counters consistent" \
		python3 "$check" "$fwd" --expect-rx "$n" -- $eal -a "$2" -a "$3" \
		--file-prefix "fwdvm$run" -- --forward-mode="$1" --tx-first \
		--nb-pkts="$n" --stats-period=2 --duration=120
}
circulate io "$e0" "$e1"
circulate io "$v0" "$v1"
circulate macswap "$v0" "$v1"

tap_diag "fwd rxonly on $e1 and fwd txonly on $e0 (two processes)"
# shellcheck disable=SC2086
"$fwd" -m 64 -l 0,1 --log-level 5 -a "$e1" --file-prefix fwdrx -- \
	--forward-mode=rxonly --nb-pkts="$n" --duration=90 > /tmp/fwd_rx.txt 2>&1 &
rx=$!
sleep 8
# shellcheck disable=SC2086
"$fwd" -m 64 -l 0,1 --log-level 5 -a "$e0" --file-prefix fwdtx -- \
	--forward-mode=txonly --nb-pkts="$n" > /tmp/fwd_tx.txt 2>&1
txs=$?
wait $rx
rxs=$?
cat /tmp/fwd_tx.txt /tmp/fwd_rx.txt | grep -E '^fwd-|^fwd: port' | sed 's/^/# /'
sent=$(sed -n 's/^fwd-summary: .* tx=\([0-9]*\) .*/\1/p' /tmp/fwd_tx.txt)
got=$(sed -n 's/^fwd-summary: .* rx=\([0-9]*\) .*/\1/p' /tmp/fwd_rx.txt)
if [ $txs -ne 0 ] || [ $rxs -ne 0 ] || [ -z "$sent" ] || [ -z "$got" ] ||
   [ "$got" -eq 0 ] || [ "$got" -gt "$sent" ]; then
	tap_fail "fwd txonly -> rxonly: received some, never more than sent" \
		"exit $txs/$rxs, sent '$sent', received '$got'"
else
	tap_ok "fwd txonly -> rxonly: received some, never more than sent"
	tap_diag "txonly sent $sent, rxonly received $got"
fi

# shellcheck disable=SC2086
vm_unbind $VFN_VM_E1000E $VFN_VM_VIRTIO
rmmod vfnet 2>/dev/null
tap_done
