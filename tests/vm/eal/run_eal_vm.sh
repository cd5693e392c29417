#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: the EAL on one e1000e and one virtio-net, first
# bound to upstream vfio-pci, then to vfnet's vfnet-pci, in the same run;
# the DMA mapping limit on both; "driver not loaded" before vfnet.ko is.
# usage: run_eal_vm.sh path/to/vm_eal path/to/vfnet.ko
set -u
test_bin=$1
ko=$2
e1000e=${VFN_VM_E1000E%% *}
virtio=${VFN_VM_VIRTIO%% *}
rc=0

. "$(dirname "$0")/../../../tools/vm/guest-lib.sh"
bind() { vm_bind "$2" "$1" || { echo "FAIL: binding $1 to $2"; return 1; }; } # bind BDF DRIVER
unbind() { vm_unbind "$1"; }

dma_limit() { # dma_limit PARAM_FILE FLAVOR
	old=$(cat "$1")
	echo 3 > "$1"
	"$test_bin" dmalimit "$2" "$e1000e" || rc=1
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
		echo "SKIP: no chipset group with a device on ahci here"
		return
	fi
	bind "$smbus" "$1" || { rc=1; return; }
	VFN_EAL_SIBLING=$sata "$test_bin" notviable "$2" "$smbus" || rc=1
	unbind "$smbus"
}

modprobe vfio-pci || { echo "FAIL: modprobe vfio-pci"; exit 1; }
unbind "$e1000e"
echo "== vfnet.ko not loaded yet"
"$test_bin" notloaded vfnet "$e1000e" || rc=1

echo "== upstream vfio-pci"
bind "$e1000e" vfio-pci && bind "$virtio" vfio-pci || exit 1
"$test_bin" upstream "$e1000e" "$virtio" || rc=1
dma_limit /sys/module/vfio_iommu_type1/parameters/dma_entry_limit upstream
not_viable vfio-pci upstream
unbind "$e1000e"; unbind "$virtio"

echo "== vfnet-pci"
insmod "$ko" || { echo "FAIL: insmod $ko"; exit 1; }
if [ -d /sys/bus/pci/drivers/vfnet-pci ]; then
	bind "$e1000e" vfnet-pci && bind "$virtio" vfnet-pci || exit 1
	"$test_bin" vfnet "$e1000e" "$virtio" || rc=1
	dma_limit /sys/module/vfnet/parameters/dma_entry_limit vfnet
	not_viable vfnet-pci vfnet
	unbind "$e1000e"; unbind "$virtio"
else
	echo "SKIP: vfnet.ko has no PCI driver (vfnet-pci) yet: vfnet half not run"
fi
rmmod vfnet 2>/dev/null
exit $rc
