#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: the core conformance program and the hugepage
# check, once against vfnet (0000:00:02.0 bound to vfnet-pci) and once
# against upstream vfio-pci (0000:00:03.0), in the same boot.  Prints each
# run's lines, then one "N passed, N failed" total; fails if any failed.
# usage: run.sh vfnet.ko vfio_conformance vfio_hugemap
set -u
ko=$1 conf=$2 huge=$3
mod=$(basename "$ko" .ko)
VF=${VFN_KCORE_VFNET_BDF:-0000:00:02.0}
UP=${VFN_KCORE_UPSTREAM_BDF:-0000:00:03.0}
passed=0 failed=0

note_fail() { echo "FAIL $*"; failed=$((failed + 1)); }

bind() {
	dev=/sys/bus/pci/devices/$1
	echo "$2" > "$dev/driver_override" || return 1
	[ -e "$dev/driver" ] && echo "$1" > "$dev/driver/unbind"
	echo "$1" > /sys/bus/pci/drivers_probe 2>/dev/null
	[ -e "$dev/driver" ] && [ "$(basename "$(readlink "$dev/driver")")" = "$2" ]
}

unbind() {
	dev=/sys/bus/pci/devices/$1
	[ -e "$dev/driver" ] && echo "$1" > "$dev/driver/unbind"
	echo > "$dev/driver_override"
}

# run LABEL PROGRAM ARGS...: run, show output, add its counts
run() {
	label=$1
	shift
	out=$("$@" 2>&1)
	echo "$out" | sed "s/^/[$label] /"
	line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		note_fail "$label: no summary line (crashed?)"
		return
	fi
	passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
	failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
}

grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
insmod "$ko" || { echo "insmod $ko failed"; echo "0 passed, 1 failed"; exit 1; }
modprobe vfio-pci || note_fail "modprobe vfio-pci"

if bind "$UP" vfio-pci; then
	run upstream "$conf" -c /dev/vfio/vfio -g /dev/vfio -d "$UP" \
		-l /sys/module/vfio_iommu_type1/parameters/dma_entry_limit
	run upstream-huge "$huge" -c /dev/vfio/vfio -g /dev/vfio -d "$UP"
else
	note_fail "bind $UP to vfio-pci"
fi

if bind "$VF" vfnet-pci; then
	run vfnet "$conf" -c /dev/vfnet/vfio -g /dev/vfnet -d "$VF" \
		-l "/sys/module/$mod/parameters/dma_entry_limit"
	run vfnet-huge "$huge" -c /dev/vfnet/vfio -g /dev/vfnet -d "$VF" \
		-s /sys/kernel/debug/vfnet/iommu_map_sizes
else
	note_fail "bind $VF to vfnet-pci (is the PCI driver in the module?)"
fi

unbind "$VF"
unbind "$UP"
rmmod "$mod" || note_fail "rmmod $mod"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
