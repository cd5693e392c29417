#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (one boot), in TAP: pci_reset_set's ownership
# and reset-set checks (issue 14, points 4, 6, 8) on the e1000e behind the
# root port ($VFN_VM_BEHIND_PORT) and on the two-function e1000e that the
# meson test adds behind a second root port (0000:02:00.0 and .1, one
# IOMMU group, one reset set).
# usage: guest_reset_set.sh path/to/vfnet.ko path/to/pci_reset_set [RACE_ITERS]
set -u
ko=$1
prog=$2
iters=${3:-2000}
here=$(dirname "$0")
. "$here/../../lib/vfn_tap.sh"
. "$here/../../../tools/vm/guest-lib.sh"
dev=${VFN_VM_BEHIND_PORT:-0000:01:00.0}
fa=0000:02:00.0
fb=0000:02:00.1
VF="/dev/vfnet/vfio /dev/vfnet"

if ! tap_check "insmod vfnet" insmod "$ko"; then
	tap_done
	exit 1
fi
tap_check "bind $dev to vfnet-pci" vm_bind vfnet-pci "$dev"
modprobe e1000e

tap_run remove "$prog" remove $VF "$dev"

vm_bind vfnet-pci "$dev" >/dev/null
rm_path=/sys/bus/pci/devices/$dev/reset_method
tap_check "clear reset_method of $dev" sh -c "echo > $rm_path"
tap_diag "reset_method now: '$(cat "$rm_path")'"
tap_run lastclose "$prog" lastclose $VF "$dev"
echo default > "$rm_path"

if [ -e "/sys/bus/pci/devices/$fa" ] && [ -e "/sys/bus/pci/devices/$fb" ]; then
	tap_check "bind $fa $fb to vfnet-pci" vm_bind vfnet-pci "$fa" "$fb"
	# The race takes ~130 s under TCG; one that runs 3x longer hung.
	# A hang here may be QEMU's misrouted MMIO (tests/vm/kernel/robust/
	# STALL.md): the watchdog lets its backtraces reach the console and
	# asks QEMU's monitor about each vCPU and its APIC.
	wd=$(vm_watchdog 400 "${prog##*/}")
	tap_run race "$prog" race $VF "$fa" "$fb" "$iters"
	kill "$wd" 2>/dev/null
	vm_unbind "$fa" "$fb"
else
	tap_skip "race: hot reset vs open/close" "no two-function device at $fa (the meson test adds it with VFN_VM_QEMU_ARGS)"
fi

vm_unbind "$dev"
tap_check "rmmod vfnet" rmmod vfnet
tap_done
exit $?
