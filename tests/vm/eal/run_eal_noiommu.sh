#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM booted with intel_iommu=off: the "no IOMMU"
# diagnostic, then no-IOMMU mode (IOVA as PA) on upstream vfio-pci and on
# vfnet-pci.
# usage: run_eal_noiommu.sh path/to/vm_eal path/to/vfnet.ko
set -u
test_bin=$1
ko=$2
e1000e=${VFN_VM_E1000E%% *}
rc=0

. "$(dirname "$0")/../../../tools/vm/guest-lib.sh"
bind() { vm_bind "$2" "$1" || { echo "FAIL: binding $1 to $2"; return 1; }; } # bind BDF DRIVER
unbind() { vm_unbind "$1"; }

if [ -n "$(ls /sys/kernel/iommu_groups)" ]; then
	echo "FAIL: IOMMU groups exist: boot with intel_iommu=off"
	exit 1
fi
modprobe vfio-pci || { echo "FAIL: modprobe vfio-pci"; exit 1; }
unbind "$e1000e"
echo "== upstream, no-IOMMU mode off"
"$test_bin" noiommu-off upstream "$e1000e" || rc=1
echo "== upstream, no-IOMMU mode on"
if [ -e /sys/module/vfio/parameters/enable_unsafe_noiommu_mode ]; then
	echo 1 > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode
	bind "$e1000e" vfio-pci || exit 1
	"$test_bin" noiommu upstream "$e1000e" || rc=1
	unbind "$e1000e"
else
	echo "SKIP: this kernel's VFIO has no no-IOMMU mode (CONFIG_VFIO_NOIOMMU is not set)"
fi

insmod "$ko" || { echo "FAIL: insmod $ko"; exit 1; }
echo "== vfnet, no-IOMMU mode off"
"$test_bin" noiommu-off vfnet "$e1000e" || rc=1
echo "== vfnet, no-IOMMU mode on"
echo 1 > /sys/module/vfnet/parameters/enable_unsafe_noiommu_mode
if bind "$e1000e" vfnet-pci; then
	"$test_bin" noiommu vfnet "$e1000e" || rc=1
else
	rc=1
fi
unbind "$e1000e"
rmmod vfnet 2>/dev/null
exit $rc
