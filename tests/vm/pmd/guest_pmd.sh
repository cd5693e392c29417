#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: pmd_check on the e1000e pair (hub 0), the
# virtio-net pair (hub 1) and the vmxnet3 pair (hub 3), first with the
# NICs bound to upstream vfio-pci,
# then to vfnet's own driver (vfnet-pci).  Each run gets a run id so the
# host side (hub_peer.py) can inject frames and count what crossed the hub.
# Reports in TAP (tests/lib/vfn_tap.sh); each pmd_check run says how many
# test frames it sent in a "# ...: TEST_FRAMES_SENT run=R count=N" line,
# which vm_pmd.sh (the host side) compares with what the host captured.
# usage: guest_pmd.sh BUILD_DIR FRAMES INJECT [FLAVOURS [PAIRS]]
set -u
build=$1
frames=$2
inject=$3
flavours=${4:-"upstream vfnet"}
pairs=${5:-"e1000e virtio vmxnet3"}
check=$build/tests/vm/pmd/pmd_check
top=$(dirname "$0")/../../..

. "$top/tests/lib/vfn_tap.sh"
. "$top/tools/vm/guest-lib.sh"
bind() { # bind DRIVER BDF...
	_b_out=$(vm_bind "$@") || { tap_fail "bind to $1" "$_b_out"; return 1; }
}

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
		drv=vfnet-pci
		if [ ! -d /sys/bus/pci/drivers/vfnet-pci ]; then
			tap_skip "pmd_check via vfnet" "vfnet.ko registers no vfnet-pci driver"
			continue
		fi ;;
	esac
	# shellcheck disable=SC2086
	bind $drv $VFN_VM_E1000E $VFN_VM_VIRTIO $VFN_VM_VMXNET3 || continue
	for pair in $pairs; do
		run=$((run + 1))
		extra=
		case $pair in
		e1000e) set -- $VFN_VM_E1000E ;;
		virtio)
			set -- $VFN_VM_VIRTIO
			extra="--virtio-ring split" ;; # the hub pair offers no packed rings
		vmxnet3)
			set -- $VFN_VM_VMXNET3
			# QEMU's vmxnet3 has no RSS: every frame lands on rx queue 0.
			extra="--rx-queue0-only" ;;
		esac
		tap_run "$pair via $fl ($drv), run $run" \
			"$check" -l 0 -a "$1" -a "$2" --vfio "$fl" --file-prefix "pmd$run" -- \
			--frames "$frames" --inject "$inject" --run-id "$run" $extra
	done
done
tap_done
