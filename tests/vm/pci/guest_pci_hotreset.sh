#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (one boot): the hot reset program on the e1000e
# behind the PCIe root port ($VFN_VM_BEHIND_PORT, 0000:01:00.0), bound to
# vfnet-pci and then rebound to upstream vfio-pci.
# Reports in TAP (tests/lib/vfn_tap.sh).
# usage: guest_pci_hotreset.sh path/to/vfnet.ko path/to/pci_hotreset
set -u
ko=$1
prog=$2
dev=${VFN_VM_BEHIND_PORT:-0000:01:00.0}
top=$(dirname "$0")/../../..
bindtool="sh $top/apps/bind/vfnet-bind"
. "$top/tests/lib/vfn_tap.sh"

driver_of() {
	basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null
}

# rebind DRIVER: bind $dev to DRIVER, the tool's output as diagnostics
rebind() {
	$bindtool -b "$1" "$dev" 2>&1 | sed 's/^/# /'
	[ "$(driver_of "$dev")" = "$1" ]
}

[ -e "/sys/bus/pci/devices/$dev" ] || { tap_fail "$dev present in this VM"; tap_done; exit 1; }
insmod "$ko" || { tap_fail "insmod $ko"; tap_done; exit 1; }
modprobe vfio-pci || { tap_fail "modprobe vfio-pci"; tap_done; exit 1; }
modprobe vfio_iommu_type1

if rebind vfnet-pci; then
	tap_run vfnet "$prog" /dev/vfnet/vfio /dev/vfnet "$dev"
else
	tap_fail "vfnet: $dev bound to vfnet-pci"
fi

if rebind vfio-pci; then
	tap_run vfio-pci "$prog" /dev/vfio/vfio /dev/vfio "$dev"
else
	tap_fail "vfio-pci: $dev bound to vfio-pci"
fi

$bindtool -u "$dev" 2>&1 | sed 's/^/# /'
rmmod vfnet || tap_fail "rmmod vfnet"
tap_done
