#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (one boot): the PCI conformance program on
# e1000e, virtio-net and vmxnet3 bound to vfnet-pci, and on the same
# kinds of device bound to upstream vfio-pci (the twins 00:03.0 and
# 00:05.0; 00:06.0 rebound), then real interrupts (e1000e), config fuzz,
# and unbind-while-open on both drivers; then binding through ids= and
# new_id, the sparse-mmap path (msix_mmap=0), and the device going back to
# its kernel driver.  Binding is done with apps/bind/vfnet-bind.
# Reports in TAP (tests/lib/vfn_tap.sh): each run of the program is joined
# into this script's stream under a label naming driver, device and mode.
# usage: guest_pci.sh path/to/vfnet.ko path/to/pci_conformance [FUZZ_WRITES]
set -u
ko=$1
prog=$2
fuzz=${3:-${VFN_PCI_FUZZ:-100000}}
top=$(dirname "$0")/../../..
bindtool="sh $top/apps/bind/vfnet-bind"
. "$top/tests/lib/vfn_tap.sh"

driver_of() {
	basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null
}

expect() {	# expect NAME COND...: a check done by this script
	name=$1
	shift
	if "$@"; then
		tap_ok "$name"
	else
		tap_fail "$name"
	fi
}

# quietly CMD...: run a command, its output as diagnostics
quietly() {
	_q_out=$("$@" 2>&1)
	_q_rc=$?
	[ -z "$_q_out" ] || printf '%s\n' "$_q_out" | sed 's/^/# /'
	return $_q_rc
}

bind() {	# bind BDF DRIVER
	quietly $bindtool -b "$2" "$1"
	expect "$1 bound to $2" [ "$(driver_of "$1")" = "$2" ]
}

run() {	# run LABEL ARGS...: run the program, join its results
	label=$1
	shift
	tap_run "$label" "$prog" "$@"
}

insmod "$ko" || { tap_fail "insmod $ko"; tap_done; exit 1; }
modprobe vfio-pci || { tap_fail "modprobe vfio-pci"; tap_done; exit 1; }
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

quietly $bindtool --status
# the device works for its own kernel driver after we let it go
modprobe e1000e
quietly $bindtool -k 0000:00:02.0
expect "00:02.0 back on e1000e" [ "$(driver_of 0000:00:02.0)" = e1000e ]
expect "e1000e made a net device" [ -d /sys/bus/pci/devices/0000:00:02.0/net ]

quietly $bindtool -u 0000:00:04.0 0000:00:03.0 0000:00:05.0 0000:00:06.0
expect "vfnet unloads" rmmod vfnet

# ids=: matching devices without a driver are claimed at load; the
# sparse-mmap path (msix_mmap=0) on them
insmod "$ko" ids=1af4:1041,8086:10d3:ffffffff:ffffffff:020000:ffff00 msix_mmap=0
expect "ids= binds 00:04.0" [ "$(driver_of 0000:00:04.0)" = vfnet-pci ]
expect "ids= binds 00:05.0" [ "$(driver_of 0000:00:05.0)" = vfnet-pci ]
expect "ids= with class binds 00:03.0" [ "$(driver_of 0000:00:03.0)" = vfnet-pci ]
expect "ids= leaves a bound device alone" [ "$(driver_of 0000:00:02.0)" = e1000e ]
run "vfnet    0000:00:03.0 conformance msix_mmap=0" $VF 0000:00:03.0
run "vfnet    0000:00:05.0 conformance msix_mmap=0" $VF 0000:00:05.0
# new_id: a new ID binds a matching unbound device
echo "15ad 07b0" > /sys/bus/pci/drivers/vfnet-pci/new_id
expect "new_id binds 00:06.0" [ "$(driver_of 0000:00:06.0)" = vfnet-pci ]
$bindtool -g 0000:00:06.0 > /dev/null
expect "vfnet-bind -g: 00:06.0 group viable" [ $? -eq 0 ]
echo "15ad 07b0" > /sys/bus/pci/drivers/vfnet-pci/remove_id
quietly $bindtool -u 0000:00:03.0 0000:00:04.0 0000:00:05.0 0000:00:06.0
expect "vfnet unloads again" rmmod vfnet

# compat mode: the vfio.ko build takes upstream's names (/dev/vfio, driver
# vfio-pci), once upstream VFIO is gone
modprobe -r vfio_pci
modprobe -r vfio_iommu_type1
modprobe -r vfio
expect "upstream vfio unloaded" [ ! -d /sys/module/vfio ]
compat_ko=$(dirname "$ko")/vfio.ko
if [ -f "$compat_ko" ] && insmod "$compat_ko"; then
	expect "compat module is vfio" [ -d /sys/module/vfio/parameters ]
	bind 0000:00:06.0 vfio-pci
	expect "vfio-pci is ours in compat mode" [ "$(basename "$(readlink /sys/bus/pci/drivers/vfio-pci/module)")" = vfio ]
	run "compat   0000:00:06.0 conformance" /dev/vfio/vfio /dev/vfio 0000:00:06.0
	quietly $bindtool -u 0000:00:06.0
	expect "compat module unloads" rmmod vfio
else
	expect "insmod $compat_ko" false
fi

tap_done
