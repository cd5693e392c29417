#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (one boot): the interrupt-path race tests on the
# e1000e pair, 00:02.0 bound to vfnet-pci and its twin 00:03.0 bound to
# upstream vfio-pci as the reference; then vfnet-pci again with
# nointxmask=1, where INTx is masked at the interrupt controller
# (disable_irq) instead of with DisINTx.  The guest's dmesg is checked for
# Oops/WARNING/BUG by tools/vm/run (exit 254).
# usage: guest_race.sh path/to/vfnet.ko path/to/race_intx [ITERATIONS]
set -u
ko=$1
prog=$2
iters=${3:-${VFN_RACE_ITERATIONS:-20000}}
phase=${VFN_RACE_PHASE:-all}
here=$(dirname "$0")
bindtool="sh $here/../../../apps/bind/vfnet-bind"
. "$here/../../lib/vfn_tap.sh"
VF=0000:00:02.0
UP=0000:00:03.0

driver_of() {
	basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null
}

bound() {	# bound BDF DRIVER: bind and check
	$bindtool -b "$2" "$1" >/dev/null 2>&1
	[ "$(driver_of "$1")" = "$2" ]
}

tap_check "insmod vfnet" insmod "$ko" || { tap_done; exit 1; }
tap_check "modprobe vfio-pci" modprobe vfio-pci
modprobe vfio_iommu_type1

if tap_check "$VF bound to vfnet-pci" bound $VF vfnet-pci; then
	tap_run "vfnet $VF" "$prog" -n "$iters" -p "$phase" /dev/vfnet/vfio /dev/vfnet $VF
fi
if tap_check "$UP bound to vfio-pci" bound $UP vfio-pci; then
	tap_run "vfio-pci $UP" "$prog" -n "$iters" -p "$phase" -r \
		/dev/vfio/vfio /dev/vfio $UP
fi

$bindtool -u $VF >/dev/null 2>&1
tap_check "vfnet unloads" rmmod vfnet

# without DisINTx: masking at the interrupt controller, exclusive line
tap_check "insmod vfnet nointxmask=1" insmod "$ko" nointxmask=1
if tap_check "$VF bound to vfnet-pci (nointxmask=1)" bound $VF vfnet-pci; then
	tap_run "vfnet nointxmask $VF" "$prog" -n "$iters" -p "$phase" -x \
		/dev/vfnet/vfio /dev/vfnet $VF
fi
$bindtool -u $VF >/dev/null 2>&1
tap_check "vfnet unloads (nointxmask=1)" rmmod vfnet

tap_done
exit $?
