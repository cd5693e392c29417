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
# Exits 77 (skip) when the VM has no multi-queue pair.
# usage: guest_mq.sh BUILD_DIR FWD FWD_CHECK FRAMES
set -u
build=$1
fwd=$2
fwdcheck=$3
frames=$4
check=$build/tests/vm/pmd/pmd_check
fails=0

if [ -z "$VFN_VM_VIRTIO_MQ" ]; then
	echo "SKIP: the VM has no multi-queue virtio-net pair: $VFN_VM_VIRTIO_MQ_WHY"
	exit 77
fi
set -- $VFN_VM_VIRTIO_MQ
q0=$1 q1=$2

. "$(dirname "$0")/../../../tools/vm/guest-lib.sh"
bind() { vm_bind "$@" || { echo "FAIL: binding to $1"; return 1; }; }

modprobe vfio-pci || { echo "FAIL: modprobe vfio-pci"; exit 1; }
insmod "$build/kernel/vfnet.ko" || { echo "FAIL: insmod vfnet.ko"; exit 1; }
for fl in upstream vfnet; do
	drv=vfio-pci
	[ $fl = vfnet ] && drv=vfnet-pci
	bind $drv "$q0" "$q1" || { fails=$((fails + 1)); continue; }
	echo "=== pmd_check virtio-net, 2 queue pairs, via $fl ($drv)"
	"$check" -l 0 -a "$q0" -a "$q1" --vfio "$fl" --file-prefix "mq$fl" -- \
		--frames "$frames" --rxq 2 --run-id 1 --virtio-ring packed ||
		fails=$((fails + 1))
done
echo "=== pmd_check virtio-net, 2 queue pairs, packed_vq=0 (vfnet-pci)"
"$check" -l 0 -a "$q0,packed_vq=0" -a "$q1,packed_vq=0" --vfio vfnet \
	--file-prefix mqsplit -- --frames "$frames" --rxq 2 --run-id 1 \
	--restarts 1 --virtio-ring split || fails=$((fails + 1))

echo "=== an unknown virtio-net device argument is refused"
out=$("$check" -l 0 -a "$q0,packed=off" -a "$q1" --vfio vfnet \
	--file-prefix mqbad -- --frames 10 2>&1)
if echo "$out" | grep -q 'unknown device argument "packed=off"'; then
	echo "PASS: -a $q0,packed=off refused, naming packed_vq"
else
	echo "FAIL: -a $q0,packed=off not refused as expected:"
	echo "$out" | tail -n 5
	fails=$((fails + 1))
fi

echo "=== fwd io --tx-first on $q0 <-> $q1, --rxq=2 --txq=2 (vfnet-pci)"
python3 "$fwdcheck" "$fwd" --expect-rx "$frames" -- -m 64 -l 0,1 \
	--log-level 5 -a "$q0" -a "$q1" --file-prefix mqfwd -- \
	--forward-mode=io --tx-first --rxq=2 --txq=2 --nb-pkts="$frames" \
	--stats-period=2 --duration=120 || fails=$((fails + 1))

vm_unbind "$q0" "$q1"
echo "virtio multiqueue: $fails check group(s) failed"
[ $fails -eq 0 ]
