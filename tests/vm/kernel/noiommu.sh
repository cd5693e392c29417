#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside a test VM without an IOMMU (tools/vm/run --no-iommu): no-IOMMU mode.
#  - without enable_unsafe_noiommu_mode a device with no IOMMU group does
#    not bind to vfnet-pci;
#  - with it, the noiommu program's checks pass and the kernel logs the
#    taint.
# usage: noiommu.sh vfnet.ko noiommu
set -u
ko=$1 prog=$2
mod=$(basename "$ko" .ko)
VF=0000:00:02.0
dev=/sys/bus/pci/devices/$VF
passed=0 failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

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

[ ! -e "$dev/iommu_group" ] && ok "guest has no IOMMU groups" || bad "$VF has an IOMMU group: boot without an IOMMU (--no-iommu)"

insmod "$ko" || { echo "0 passed, 1 failed"; exit 1; }
bind "$VF" vfnet-pci && bad "bound without an IOMMU and without no-IOMMU mode" || ok "no bind without an IOMMU group"
[ -e /dev/vfnet/vfio ] && ok "container node exists" || bad "no /dev/vfnet/vfio"
unbind
rmmod "$mod"

insmod "$ko" enable_unsafe_noiommu_mode=1 || { bad "insmod with no-IOMMU mode"; echo "$passed passed, $failed failed"; exit 1; }
if bind "$VF" vfnet-pci; then
	ok "bound in no-IOMMU mode"
	out=$("$prog" -c /dev/vfnet/vfio -g /dev/vfnet -d "$VF" 2>&1)
	echo "$out"
	line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -n "$line" ]; then
		passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
		failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
	else
		bad "noiommu program crashed"
	fi
	dmesg | grep -q "taint for vfnet no-IOMMU group" && ok "taint logged" || bad "no taint message in dmesg"
else
	bad "bind $VF to vfnet-pci in no-IOMMU mode"
fi
unbind
rmmod "$mod" && ok "rmmod" || bad "rmmod"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
