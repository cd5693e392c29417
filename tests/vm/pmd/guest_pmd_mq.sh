#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: virtio-net multiqueue on the tap-backed pair
# (VFN_VM_VIRTIO_MQ, 2 queue pairs each, packed virtqueues offered, see
# tools/vm/README.md).
#  1. pmd_check --rxq 2 through upstream vfio-pci, then vfnet-pci: frames
#     intact and in order per flow, both rx and both tx queues used, exact
#     counters, stop/start, reconfiguration down to 1 pair, no mbuf leaked;
#     packed virtqueues negotiated.  Then once more on vfnet-pci with the
#     device argument packed_vq=0: split virtqueues on the same devices;
#     an unknown device argument fails the probe with a message.
#  2. fwd io --tx-first with --rxq 2 --txq 2 on vfnet-pci: 4 streams on one
#     forwarding core, exactly N packets received, no mbuf lost.
# Reports in TAP (tests/lib/vfn_tap.sh); a TAP skip when the VM has no
# multi-queue pair.
# usage: guest_pmd_mq.sh BUILD_DIR FWD FWD_CHECK FRAMES
set -u
build=$1
fwd=$2
fwdcheck=$3
frames=$4
check=$build/tests/vm/pmd/pmd_check

if [ -z "$VFN_VM_VIRTIO_MQ" ]; then
	echo "1..0 # SKIP the VM has no multi-queue virtio-net pair: $VFN_VM_VIRTIO_MQ_WHY"
	exit 0
fi
set -- $VFN_VM_VIRTIO_MQ
q0=$1 q1=$2

top=$(dirname "$0")/../../..
. "$top/tests/lib/vfn_tap.sh"
. "$top/tools/vm/guest-lib.sh"
bind() { # bind DRIVER BDF...
	_b_out=$(vm_bind "$@") || { tap_fail "bind to $1" "$_b_out"; return 1; }
}

modprobe vfio-pci || { tap_fail "modprobe vfio-pci"; tap_done; exit 1; }
insmod "$build/kernel/vfnet.ko" || { tap_fail "insmod vfnet.ko"; tap_done; exit 1; }
for fl in upstream vfnet; do
	drv=vfio-pci
	[ $fl = vfnet ] && drv=vfnet-pci
	bind $drv "$q0" "$q1" || continue
	tap_run "2 queue pairs via $fl ($drv)" \
		"$check" -l 0 -a "$q0" -a "$q1" --vfio "$fl" --file-prefix "mq$fl" -- \
		--frames "$frames" --rxq 2 --run-id 1 --virtio-ring packed
done
tap_run "2 queue pairs, packed_vq=0 (vfnet-pci)" \
	"$check" -l 0 -a "$q0,packed_vq=0" -a "$q1,packed_vq=0" --vfio vfnet \
	--file-prefix mqsplit -- --frames "$frames" --rxq 2 --run-id 1 \
	--restarts 1 --virtio-ring split

out=$("$check" -l 0 -a "$q0,packed=off" -a "$q1" --vfio vfnet \
	--file-prefix mqbad -- --frames 10 2>&1)
if echo "$out" | grep -q 'unknown device argument "packed=off"'; then
	tap_ok "-a $q0,packed=off refused, naming packed_vq"
else
	echo "$out" | tail -n 5 | sed 's/^/# /'
	tap_fail "-a $q0,packed=off refused, naming packed_vq" "not refused as expected"
fi

tap_check "fwd io --tx-first on $q0 <-> $q1, --rxq=2 --txq=2 (vfnet-pci)" \
	python3 "$fwdcheck" "$fwd" --expect-rx "$frames" -- -m 64 -l 0,1 \
	--log-level 5 -a "$q0" -a "$q1" --file-prefix mqfwd -- \
	--forward-mode=io --tx-first --rxq=2 --txq=2 --nb-pkts="$frames" \
	--stats-period=2 --duration=120

vm_unbind "$q0" "$q1"
tap_done
