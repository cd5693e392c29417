#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: insert the vfnet module, check the kernel
# lists it and it announced itself, remove it, check it is gone.  The
# harness fails the test if the guest's dmesg shows a kernel error.
# Reports in TAP (tests/lib/vfn_tap.sh); stops at the first failure, as
# every later check depends on the earlier ones.
# usage: guest_module_load.sh path/to/vfnet.ko
set -u
ko=$1
name=$(basename "$ko" .ko)
. "$(dirname "$0")/../lib/vfn_tap.sh"

# expect NAME COND...: a check; the first failing one ends the test
expect() {
	_e_name=$1
	shift
	if "$@"; then
		tap_ok "$_e_name"
	else
		tap_fail "$_e_name"
		tap_done
		exit 1
	fi
}

expect "$ko exists (build the module first)" [ -f "$ko" ]
expect "insmod $ko" insmod "$ko"
expect "/sys/module/$name present after insmod" [ -d "/sys/module/$name" ]
expect "$name in /proc/modules" grep -q "^$name " /proc/modules
expect "module announced itself in dmesg" sh -c 'dmesg | grep -q "vfnet: version"'
expect "rmmod $name" rmmod "$name"
expect "/sys/module/$name gone after rmmod" [ ! -d "/sys/module/$name" ]
expect "module logged its unload" sh -c 'dmesg | grep -q "vfnet: unloaded"'
tap_done
