#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: virtio-net multiqueue on the tap-backed pair
# (VFN_VM_VIRTIO_MQ, 2 queue pairs each, see tools/vm/README.md).
#  1. pmd_check --rxq 2 through upstream vfio-pci, then vfnet-pci: frames
#     intact and in order per flow, both rx and both tx queues used, exact
#     counters, stop/start, reconfiguration down to 1 pair, no mbuf leaked.
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
		--frames "$frames" --rxq 2 --run-id 1 || fails=$((fails + 1))
done

echo "=== fwd io --tx-first on $q0 <-> $q1, --rxq=2 --txq=2 (vfnet-pci)"
python3 "$fwdcheck" "$fwd" --expect-rx "$frames" -- -m 64 -l 0,1 \
	--log-level 5 -a "$q0" -a "$q1" --file-prefix mqfwd -- \
	--forward-mode=io --tx-first --rxq=2 --txq=2 --nb-pkts="$frames" \
	--stats-period=2 --duration=120 || fails=$((fails + 1))

vm_unbind "$q0" "$q1"
echo "virtio multiqueue: $fails check group(s) failed"
[ $fails -eq 0 ]
