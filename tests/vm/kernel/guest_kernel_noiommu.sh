#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside a test VM without an IOMMU (tools/vm/run --no-iommu): no-IOMMU mode.
#  - without enable_unsafe_noiommu_mode a device with no IOMMU group does
#    not bind to vfnet-pci;
#  - with it, the noiommu program's checks pass and the kernel logs the
#    taint.
# Reports in TAP (tests/lib/vfn_tap.sh).
# usage: guest_kernel_noiommu.sh vfnet.ko vfio_noiommu
set -u
ko=$1 prog=$2
mod=$(basename "$ko" .ko)
VF=0000:00:02.0
dev=/sys/bus/pci/devices/$VF
. "$(dirname "$0")/../../lib/vfn_tap.sh"

bind() {
	echo "$2" > "$dev/driver_override"
	[ -e "$dev/driver" ] && echo "$1" > "$dev/driver/unbind"
	echo "$1" > /sys/bus/pci/drivers_probe 2>/dev/null
	[ -e "$dev/driver" ] && [ "$(basename "$(readlink "$dev/driver")")" = "$2" ]
}
unbind() {
	[ -e "$dev/driver" ] && echo "$VF" > "$dev/driver/unbind"
	echo > "$dev/driver_override"
}

[ ! -e "$dev/iommu_group" ] && tap_ok "guest has no IOMMU groups" ||
	tap_fail "guest has no IOMMU groups" "$VF has an IOMMU group: boot without an IOMMU (--no-iommu)"

insmod "$ko" || { tap_fail "insmod $ko"; tap_done; exit 1; }
bind "$VF" vfnet-pci && tap_fail "no bind without an IOMMU group" "bound without an IOMMU and without no-IOMMU mode" ||
	tap_ok "no bind without an IOMMU group"
[ -e /dev/vfnet/vfio ] && tap_ok "container node exists" || tap_fail "container node exists" "no /dev/vfnet/vfio"
unbind
rmmod "$mod"

insmod "$ko" enable_unsafe_noiommu_mode=1 || { tap_fail "insmod with no-IOMMU mode"; tap_done; exit 1; }
if bind "$VF" vfnet-pci; then
	tap_ok "bound in no-IOMMU mode"
	tap_run noiommu "$prog" -c /dev/vfnet/vfio -g /dev/vfnet -d "$VF"
	dmesg | grep -q "taint for vfnet no-IOMMU group" && tap_ok "taint logged" ||
		tap_fail "taint logged" "no taint message in dmesg"
else
	tap_fail "bind $VF to vfnet-pci in no-IOMMU mode"
fi
unbind
rmmod "$mod" && tap_ok "rmmod" || tap_fail "rmmod"
tap_done
