#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: pmd_check on the e1000e pair (hub 0) and on the
# virtio-net pair (hub 1), first with the NICs bound to upstream vfio-pci,
# then to vfnet's own driver (vfnet-pci).  Each run gets a run id so the
# host side (hub_peer.py) can inject frames and count what crossed the hub.
# usage: guest_pmd.sh BUILD_DIR FRAMES INJECT [FLAVOURS]
set -u
build=$1
frames=$2
inject=$3
flavours=${4:-"upstream vfnet"}
check=$build/tests/vm/pmd/pmd_check
fails=0

. "$(dirname "$0")/../../../tools/vm/guest-lib.sh"
bind() { vm_bind "$@" || { echo "FAIL: binding to $1"; return 1; }; }

run=0
for fl in $flavours; do
	case $fl in
	upstream)
		modprobe vfio-pci || { echo "FAIL: modprobe vfio-pci"; fails=$((fails + 1)); continue; }
		drv=vfio-pci ;;
	vfnet)
		if ! grep -q '^vfnet ' /proc/modules; then
			insmod "$build/kernel/vfnet.ko" ||
				{ echo "FAIL: insmod vfnet.ko"; fails=$((fails + 1)); continue; }
		fi
		drv=vfnet-pci
		if [ ! -d /sys/bus/pci/drivers/vfnet-pci ]; then
			echo "SKIP: vfnet.ko registers no vfnet-pci driver (the module's PCI part is not built yet)"
			continue
		fi ;;
	esac
	# shellcheck disable=SC2086
	if ! bind $drv $VFN_VM_E1000E $VFN_VM_VIRTIO; then
		fails=$((fails + 1))
		continue
	fi
	for pair in e1000e virtio; do
		run=$((run + 1))
		extra=
		if [ $pair = e1000e ]; then
			set -- $VFN_VM_E1000E
		else
			set -- $VFN_VM_VIRTIO
			extra="--virtio-ring split" # the hub pair offers no packed rings
		fi
		echo "=== pmd_check $pair via $fl ($drv), run $run"
		"$check" -l 0 -a "$1" -a "$2" --vfio "$fl" --file-prefix "pmd$run" -- \
			--frames "$frames" --inject "$inject" --run-id "$run" $extra ||
			fails=$((fails + 1))
	done
done
echo "guest_pmd: $fails pmd_check run(s) failed"
[ $fails -eq 0 ]
