#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (one boot), in TAP: dma_bar (MAP_DMA of a device
# BAR mmapped through the device fd, issue 14 point 10) on 0000:00:02.0
# bound to vfnet-pci, with the twin 0000:00:03.0 on upstream vfio-pci as
# the foreign BAR.
# usage: guest_dma_bar.sh path/to/vfnet.ko path/to/dma_bar
set -u
ko=$1
prog=$2
here=$(dirname "$0")
. "$here/../../lib/vfn_tap.sh"
. "$here/../../../tools/vm/guest-lib.sh"
VF=0000:00:02.0
UP=0000:00:03.0

if ! tap_check "insmod vfnet" insmod "$ko"; then
	tap_done
	exit 1
fi
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
tap_check "modprobe vfio-pci" modprobe vfio-pci
modprobe vfio_iommu_type1
tap_check "bind $VF to vfnet-pci" vm_bind vfnet-pci "$VF"
if vm_bind vfio-pci "$UP" >/dev/null; then
	tap_run dma_bar "$prog" -c /dev/vfnet/vfio -g /dev/vfnet -d "$VF" \
		-u "/dev/vfio/vfio:/dev/vfio:$UP"
else
	tap_fail "bind $UP to vfio-pci"
	tap_run dma_bar "$prog" -c /dev/vfnet/vfio -g /dev/vfnet -d "$VF"
fi
vm_unbind "$VF" "$UP"
tap_check "rmmod vfnet" rmmod vfnet
tap_done
exit $?
