#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# vfnet-bind against a fake sysfs tree: listing, group viability and the
# explanation of what to bind.  (Binding itself is exercised for real in
# the VM test tests/vm/pci/run.sh.)
# usage: test_bind.sh path/to/vfnet-bind
set -u
tool=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
check() {	# check NAME COND...
	name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}

mkdir -p "$T/bus/pci/devices" "$T/bus/pci/drivers/vfnet-pci" "$T/bus/pci/drivers/e1000e" \
	"$T/kernel/iommu_groups/1/devices" "$T/kernel/iommu_groups/2/devices"
dev() {	# dev BDF CLASS VENDOR DEVICE GROUP [DRIVER]
	d=$T/bus/pci/devices/$1
	mkdir -p "$d"
	echo "0x$2" > "$d/class"
	echo "0x$3" > "$d/vendor"
	echo "0x$4" > "$d/device"
	printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' > "$d/config"
	ln -s "../../../../kernel/iommu_groups/$5" "$d/iommu_group"
	ln -s "../../../../bus/pci/devices/$1" "$T/kernel/iommu_groups/$5/devices/$1"
	[ -z "${6:-}" ] || ln -s "../../../../bus/pci/drivers/$6" "$d/driver"
}
dev 0000:00:02.0 020000 8086 10d3 1 vfnet-pci
dev 0000:00:03.0 020000 8086 10d3 1 e1000e
dev 0000:00:04.0 020000 1af4 1041 2 vfnet-pci
dev 0000:00:1f.0 060100 8086 2918 2

export VFNET_BIND_SYSFS=$T
out=$(sh "$tool" --status)
check "status lists network devices" sh -c 'echo "$1" | grep -q "^0000:00:02.0 *8086:10d3 *1 *vfnet-pci"' _ "$out"
check "status hides non-network devices" sh -c '! echo "$1" | grep -q 00:1f.0' _ "$out"
check "status --all shows them" sh -c 'sh "$1" --status --all | grep -q "0000:00:1f.0 *8086:2918 *2 *-"' _ "$tool"
check "status flags the non-viable group" sh -c 'echo "$1" | grep "^0000:00:02.0" | grep -q "not viable"' _ "$out"
check "status: viable group is ready" sh -c 'echo "$1" | grep "^0000:00:04.0" | grep -q "ready"' _ "$out"

out=$(sh "$tool" -g 00:02.0)
st=$?
check "group check fails" [ $st -ne 0 ]
check "group check names the culprit and the fix" sh -c 'echo "$1" | grep -q "0000:00:03.0 .*bound to e1000e.*-b vfnet-pci 0000:00:03.0"' _ "$out"

rm "$T/bus/pci/devices/0000:00:03.0/driver"
out=$(sh "$tool" -g 0000:00:02.0)
st=$?
check "group viable once the other device is unbound" [ $st -eq 0 ]
check "viable message" sh -c 'echo "$1" | grep -q "is viable for vfnet-pci"' _ "$out"

sh "$tool" -b vfnet-pci 0000:00:09.0 > /dev/null 2>&1
check "bind of a missing device fails" [ $? -ne 0 ]
sh "$tool" -b nosuchdrv 0000:00:03.0 > /dev/null 2>&1
check "bind to a missing driver fails" [ $? -ne 0 ]
sh "$tool" --bogus > /dev/null 2>&1
check "unknown option fails" [ $? -ne 0 ]
check "shell syntax" sh -n "$tool"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
