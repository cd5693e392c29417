#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (one boot): the PCI conformance program on
# e1000e, virtio-net and vmxnet3 bound to vfnet-pci, and on the same
# kinds of device bound to upstream vfio-pci (the twins 00:03.0 and
# 00:05.0; 00:06.0 rebound), then real interrupts (e1000e), config fuzz,
# and unbind-while-open on both drivers.
# usage: run.sh path/to/vfnet.ko path/to/pci_conformance [FUZZ_WRITES]
set -u
ko=$1
prog=$2
fuzz=${3:-${VFN_PCI_FUZZ:-100000}}
rc=0
summary=""

bind() {	# bind BDF DRIVER
	echo "$2" > "/sys/bus/pci/devices/$1/driver_override"
	[ -e "/sys/bus/pci/devices/$1/driver" ] &&
		echo "$1" > "/sys/bus/pci/devices/$1/driver/unbind"
	echo "$1" > /sys/bus/pci/drivers_probe
	drv=$(basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null)
	[ "$drv" = "$2" ] || { echo "FAIL: $1 did not bind to $2 (bound to: ${drv:-nothing})"; rc=1; }
}

run() {	# run LABEL ARGS...: run the program, keep its result line
	label=$1
	shift
	out=$("$prog" "$@" 2>&1)
	st=$?
	echo "$out" | grep -v '^$'
	line=$(echo "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	summary="$summary
$label: ${line:-no result (exit $st)}"
	[ $st -eq 0 ] || rc=1
}

insmod "$ko" || { echo "FAIL: insmod $ko"; exit 1; }
modprobe vfio-pci || { echo "FAIL: modprobe vfio-pci"; exit 1; }
modprobe vfio_iommu_type1

VF="/dev/vfnet/vfio /dev/vfnet"
UP="/dev/vfio/vfio /dev/vfio"

for d in 0000:00:02.0 0000:00:04.0 0000:00:06.0; do bind $d vfnet-pci; done
for d in 0000:00:03.0 0000:00:05.0; do bind $d vfio-pci; done

for d in 0000:00:02.0 0000:00:04.0 0000:00:06.0; do run "vfnet    $d conformance" $VF $d; done
for d in 0000:00:03.0 0000:00:05.0; do run "vfio-pci $d conformance" $UP $d; done

run "vfnet    0000:00:02.0 irq-real" --irq-real $VF 0000:00:02.0
run "vfio-pci 0000:00:03.0 irq-real" --irq-real $UP 0000:00:03.0

for d in 0000:00:02.0 0000:00:04.0 0000:00:06.0; do
	run "vfnet    $d fuzz" --fuzz "$fuzz" $VF $d
done

run "vfnet    0000:00:06.0 unbind" --unbind vfnet-pci $VF 0000:00:06.0
bind 0000:00:06.0 vfio-pci
run "vfio-pci 0000:00:06.0 conformance" $UP 0000:00:06.0
run "vfio-pci 0000:00:06.0 unbind" --unbind vfio-pci $UP 0000:00:06.0
run "vfnet    0000:00:02.0 unbind" --unbind vfnet-pci $VF 0000:00:02.0

# the device works for its own kernel driver after we let it go
modprobe e1000e
bind 0000:00:02.0 e1000e

for d in 0000:00:04.0 0000:00:03.0 0000:00:05.0; do
	echo "$d" > "/sys/bus/pci/devices/$d/driver/unbind"
done
rmmod vfnet || { echo "FAIL: rmmod vfnet"; rc=1; }

echo "== summary$summary"
total_p=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' | awk '{s+=$1} END {print s+0}')
total_f=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' | awk '{s+=$1} END {print s+0}')
[ $rc -eq 0 ] || total_f=$((total_f > 0 ? total_f : 1))
echo "$total_p passed, $total_f failed"
exit $rc
