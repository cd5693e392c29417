#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: map_dma against upstream vfio-pci (0000:00:03.0)
# and vfnet-pci (0000:00:02.0) in the same boot, then the ratios.
# usage: run.sh vfnet.ko map_dma [ROUNDS]
set -u
ko=$1 prog=$2 rounds=${3:-5}
mod=$(basename "$ko" .ko)
VF=0000:00:02.0 UP=0000:00:03.0

. "$(dirname "$0")/../../tools/vm/guest-lib.sh"
bind() { vm_bind "$2" "$1" || exit 1; } # bind BDF DRIVER

insmod "$ko" || exit 1
modprobe vfio-pci || exit 1
bind "$UP" vfio-pci
bind "$VF" vfnet-pci
up=$("$prog" -c /dev/vfio/vfio -g /dev/vfio -d "$UP" -n "$rounds") || { echo "$up"; exit 1; }
vf=$("$prog" -c /dev/vfnet/vfio -g /dev/vfnet -d "$VF" -n "$rounds") || { echo "$vf"; exit 1; }
echo "$up" | sed 's/^RESULT/upstream/'
echo "$vf" | sed 's/^RESULT/vfnet   /'
echo "(columns: backing, map ms, unmap ms, map+unmap ms; medians of $rounds)"
for b in 2M 4K; do
	u=$(echo "$up" | awk -v b=$b '$2 == b { print $5 }')
	v=$(echo "$vf" | awk -v b=$b '$2 == b { print $5 }')
	echo "$b" "$u" "$v" | awk '{ printf "MAP+UNMAP 1 GiB in %s pages: upstream %.1f ms, vfnet %.1f ms, upstream/vfnet = %.2fx\n", $1, $2, $3, $2 / $3 }'
done
for d in "$VF" "$UP"; do
	echo "$d" > "/sys/bus/pci/devices/$d/driver/unbind"
done
rmmod "$mod"
