#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (one boot): the hot reset program on the e1000e
# behind the PCIe root port ($VFN_VM_BEHIND_PORT, 0000:01:00.0), bound to
# vfnet-pci and then rebound to upstream vfio-pci.
# usage: hotreset.sh path/to/vfnet.ko path/to/pci_hotreset
set -u
ko=$1
prog=$2
dev=${VFN_VM_BEHIND_PORT:-0000:01:00.0}
bindtool="sh $(dirname "$0")/../../../apps/bind/vfnet-bind"
rc=0
summary=""

driver_of() {
	basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null
}

run() {	# run LABEL ARGS...
	label=$1
	shift
	out=$("$prog" "$@" 2>&1)
	st=$?
	echo "$out" | sed "s/^/$label: /"
	line=$(echo "$out" | grep -oE '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	summary="$summary
$label: ${line:-no result (exit $st)}"
	[ $st -eq 0 ] || rc=1
}

[ -e "/sys/bus/pci/devices/$dev" ] || { echo "FAIL: no $dev in this VM"; exit 1; }
insmod "$ko" || { echo "FAIL: insmod $ko"; exit 1; }
modprobe vfio-pci || { echo "FAIL: modprobe vfio-pci"; exit 1; }
modprobe vfio_iommu_type1

$bindtool -b vfnet-pci "$dev"
if [ "$(driver_of "$dev")" = vfnet-pci ]; then
	run vfnet /dev/vfnet/vfio /dev/vfnet "$dev"
else
	echo "FAIL: $dev not bound to vfnet-pci"
	summary="$summary
vfnet: 0 passed, 1 failed"
	rc=1
fi

$bindtool -b vfio-pci "$dev"
if [ "$(driver_of "$dev")" = vfio-pci ]; then
	run vfio-pci /dev/vfio/vfio /dev/vfio "$dev"
else
	echo "FAIL: $dev not bound to vfio-pci"
	summary="$summary
vfio-pci: 0 passed, 1 failed"
	rc=1
fi

$bindtool -u "$dev"
rmmod vfnet || { echo "FAIL: rmmod vfnet"; rc=1; }
echo "== summary$summary"
exit $rc
