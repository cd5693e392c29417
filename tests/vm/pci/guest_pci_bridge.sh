#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Inside the test VM: a PCI bridge (the root port 0000:00:07.0) must be
# refused by vfnet-pci and, the same way, by upstream vfio-pci; afterwards
# it goes back to pcieport.  Reports in TAP (tests/lib/vfn_tap.sh).
# usage: guest_pci_bridge.sh path/to/vfnet.ko
set -u
ko=$1
d=0000:00:07.0
dev=/sys/bus/pci/devices/$d
. "$(dirname "$0")/../../lib/vfn_tap.sh"

check() { # condition-status name
	if [ "$1" -eq 0 ]; then
		tap_ok "$2"
	else
		tap_fail "$2"
	fi
}
driver() { basename "$(readlink "$dev/driver" 2>/dev/null)" 2>/dev/null; }

try_bind() { # driver
	echo "$1" >"$dev/driver_override"
	[ -e "$dev/driver" ] && echo "$d" >"$dev/driver/unbind"
	echo "$d" >/sys/bus/pci/drivers_probe 2>/dev/null
	[ "$(driver)" != "$1" ]
	check $? "$1 refuses the bridge $d (bound to '$(driver)')"
	dmesg | grep -q "$1 $d.*failed with error -22\|$1: probe of $d failed with error -22"
	check $? "$1 probe of $d failed with -EINVAL"
}

insmod "$ko" || { tap_fail "insmod $ko"; tap_done; exit 1; }
modprobe vfio-pci || { tap_fail "modprobe vfio-pci"; tap_done; exit 1; }
[ "$(cut -c1-6 "$dev/class")" = 0x0604 ]
check $? "$d is a PCI bridge"
try_bind vfnet-pci
try_bind vfio-pci
echo >"$dev/driver_override"
echo "$d" >/sys/bus/pci/drivers_probe
[ "$(driver)" = pcieport ]
check $? "$d back on pcieport"
rmmod vfnet
check $? "vfnet unloads"
tap_done
