#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM booted with intel_iommu=off: the "no IOMMU"
# diagnostic, then no-IOMMU mode (IOVA as PA) on upstream vfio-pci and on
# vfnet-pci.  Reports in TAP (tests/lib/vfn_tap.sh).
# usage: guest_eal_noiommu.sh path/to/vm_eal path/to/vfnet.ko
set -u
test_bin=$1
ko=$2
e1000e=${VFN_VM_E1000E%% *}
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

if [ -n "$(ls /sys/kernel/iommu_groups)" ]; then
	tap_fail "no IOMMU groups" "IOMMU groups exist: boot with intel_iommu=off"
	tap_done
	exit 1
fi
modprobe vfio-pci || { tap_fail "modprobe vfio-pci"; tap_done; exit 1; }
unbind "$e1000e"
tap_run "upstream noiommu-off" "$test_bin" noiommu-off upstream "$e1000e"
if [ -e /sys/module/vfio/parameters/enable_unsafe_noiommu_mode ]; then
	echo 1 > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode
	bind "$e1000e" vfio-pci || { tap_done; exit 1; }
	tap_run "upstream noiommu" "$test_bin" noiommu upstream "$e1000e"
	unbind "$e1000e"
else
	tap_skip "upstream noiommu" "this kernel's VFIO has no no-IOMMU mode (CONFIG_VFIO_NOIOMMU is not set)"
fi

insmod "$ko" || { tap_fail "insmod $ko"; tap_done; exit 1; }
tap_run "vfnet noiommu-off" "$test_bin" noiommu-off vfnet "$e1000e"
echo 1 > /sys/module/vfnet/parameters/enable_unsafe_noiommu_mode
bind "$e1000e" vfnet-pci && tap_run "vfnet noiommu" "$test_bin" noiommu vfnet "$e1000e"
unbind "$e1000e"
rmmod vfnet 2>/dev/null
tap_done
