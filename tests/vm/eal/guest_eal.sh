#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: the EAL on one e1000e and one virtio-net, first
# bound to upstream vfio-pci, then to vfnet's vfnet-pci, in the same run;
# the DMA mapping limit on both; "driver not loaded" before vfnet.ko is.
# Reports in TAP (tests/lib/vfn_tap.sh): each vm_eal run (one result per
# CUnit test) joined under a label, and this script's own checks.
# usage: guest_eal.sh path/to/vm_eal path/to/vfnet.ko
set -u
test_bin=$1
ko=$2
e1000e=${VFN_VM_E1000E%% *}
virtio=${VFN_VM_VIRTIO%% *}
top=$(dirname "$0")/../../..

. "$top/tests/lib/vfn_tap.sh"
. "$top/tools/vm/guest-lib.sh"
bind() { # bind BDF DRIVER
	_b_out=$(vm_bind "$2" "$1")
	_b_rc=$?
	[ -z "$_b_out" ] || tap_diag "$_b_out"
	[ $_b_rc -eq 0 ] || tap_fail "bind $1 to $2"
	return $_b_rc
}
unbind() { vm_unbind "$1"; }

dma_limit() { # dma_limit PARAM_FILE FLAVOR
	old=$(cat "$1")
	echo 3 > "$1"
	tap_run "$2 dmalimit" "$test_bin" dmalimit "$2" "$e1000e"
	echo "$old" > "$1"
}

# not viable: a chipset function (SMBus) bound to VFIO while its sibling
# in the same IOMMU group (SATA) is bound to ahci
smbus=0000:00:1f.3
sata=0000:00:1f.2
not_viable() { # not_viable DRIVER FLAVOR
	if [ "$(readlink /sys/bus/pci/devices/$smbus/iommu_group)" != \
	     "$(readlink /sys/bus/pci/devices/$sata/iommu_group)" ] ||
	   ! modprobe ahci 2>/dev/null ||
	   [ "$(basename "$(readlink /sys/bus/pci/devices/$sata/driver)")" != ahci ]; then
		tap_skip "$2 notviable" "no chipset group with a device on ahci here"
		return
	fi
	bind "$smbus" "$1" || return
	VFN_EAL_SIBLING=$sata tap_run "$2 notviable" "$test_bin" notviable "$2" "$smbus"
	unbind "$smbus"
}

modprobe vfio-pci || { tap_fail "modprobe vfio-pci"; tap_done; exit 1; }
unbind "$e1000e"
tap_diag "vfnet.ko not loaded yet"
tap_run "vfnet notloaded" "$test_bin" notloaded vfnet "$e1000e"

tap_diag "upstream vfio-pci"
bind "$e1000e" vfio-pci && bind "$virtio" vfio-pci || { tap_done; exit 1; }
tap_run upstream "$test_bin" upstream "$e1000e" "$virtio"
dma_limit /sys/module/vfio_iommu_type1/parameters/dma_entry_limit upstream
not_viable vfio-pci upstream
unbind "$e1000e"; unbind "$virtio"

tap_diag "vfnet-pci"
insmod "$ko" || { tap_fail "insmod $ko"; tap_done; exit 1; }
if [ -d /sys/bus/pci/drivers/vfnet-pci ]; then
	bind "$e1000e" vfnet-pci && bind "$virtio" vfnet-pci || { tap_done; exit 1; }
	tap_run vfnet "$test_bin" vfnet "$e1000e" "$virtio"
	dma_limit /sys/module/vfnet/parameters/dma_entry_limit vfnet
	not_viable vfnet-pci vfnet
	unbind "$e1000e"; unbind "$virtio"
else
	tap_skip "vfnet half" "vfnet.ko has no PCI driver (vfnet-pci) yet"
fi
rmmod vfnet 2>/dev/null
tap_done
