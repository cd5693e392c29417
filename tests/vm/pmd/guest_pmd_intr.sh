#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (tools/vm/run --guest-monitor): pmd_intr on the
# e1000e pair (hub 0), the virtio-net pair (hub 1) and the vmxnet3 pair
# (hub 3), bound to vfnet's own driver (vfnet-pci) and to upstream
# vfio-pci, then the tap-backed virtio-net pair (VFN_VM_VIRTIO_MQ, packed
# virtqueues) through vfnet-pci.  The first NIC of each pair is the one
# under test; its QEMU netdev (n02, n04, n06, q0) is the one the monitor
# takes down and up.  Reports in TAP (tests/lib/vfn_tap.sh).
# usage: guest_pmd_intr.sh BUILD_DIR [FLAVOURS [PAIRS]]
set -u
build=$1
flavours=${2:-"vfnet upstream"}
only_pairs=${3:-}
prog=$build/tests/vm/pmd/pmd_intr
top=$(dirname "$0")/../../..

. "$top/tests/lib/vfn_tap.sh"
. "$top/tools/vm/guest-lib.sh"

if [ -n "${VFN_VM_MONITOR:-}" ]; then
	stty -F "$VFN_VM_MONITOR" raw -echo ||
		tap_fail "stty raw on the monitor tty $VFN_VM_MONITOR"
fi
run=0
for fl in $flavours; do
	case $fl in
	upstream)
		modprobe vfio-pci || { tap_fail "modprobe vfio-pci"; continue; }
		drv=vfio-pci ;;
	vfnet)
		if ! grep -q '^vfnet ' /proc/modules; then
			insmod "$build/kernel/vfnet.ko" ||
				{ tap_fail "insmod vfnet.ko"; continue; }
		fi
		drv=vfnet-pci ;;
	esac
	# shellcheck disable=SC2086
	out=$(vm_bind $drv $VFN_VM_E1000E $VFN_VM_VIRTIO $VFN_VM_VMXNET3) ||
		{ tap_fail "bind to $drv" "$out"; continue; }
	pairs="e1000e virtio vmxnet3"
	if [ -n "$only_pairs" ]; then
		pairs=$only_pairs
	elif [ $fl = vfnet ] && [ -z "$VFN_VM_VIRTIO_MQ" ]; then
		tap_skip "virtio-net packed virtqueues" "no tap pair: $VFN_VM_VIRTIO_MQ_WHY"
	elif [ $fl = vfnet ]; then
		# shellcheck disable=SC2086
		if out=$(vm_bind $drv $VFN_VM_VIRTIO_MQ); then
			pairs="$pairs virtio-packed"
		else
			tap_fail "bind the tap pair to $drv" "$out"
		fi
	fi
	for pair in $pairs; do
		run=$((run + 1))
		# two rx queues where frames spread over them: e1000e (RSS),
		# the tap pair (the host's tap picks the queue per flow)
		rxq=1
		case $pair in
		e1000e) set -- $VFN_VM_E1000E; link=n02; rxq=2 ;;
		virtio) set -- $VFN_VM_VIRTIO; link=n04 ;;
		vmxnet3) set -- $VFN_VM_VMXNET3; link=n06 ;;
		virtio-packed) set -- $VFN_VM_VIRTIO_MQ; link=q0; rxq=2 ;;
		esac
		tap_run "$pair via $fl ($drv)" \
			"$prog" -l 0,1 -a "$1" -a "$2" --vfio "$fl" \
			--file-prefix "intr$run" -- --link "$link" --rxq $rxq
	done
done
tap_done
