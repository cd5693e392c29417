#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: insert the vfnet module, check the kernel
# lists it and it announced itself, remove it, check it is gone.  The
# harness fails the test if the guest's dmesg shows a kernel error.
# usage: module_load.sh path/to/vfnet.ko
set -eu
ko=$1
name=$(basename "$ko" .ko)
fail() { echo "FAIL: $*"; exit 1; }

[ -f "$ko" ] || fail "$ko does not exist (build the module first)"
insmod "$ko" || fail "insmod $ko failed"
[ -d "/sys/module/$name" ] || fail "/sys/module/$name missing after insmod"
grep -q "^$name " /proc/modules || fail "$name not in /proc/modules"
dmesg | grep -q "vfnet: version" || fail "module did not announce itself in dmesg"
rmmod "$name" || fail "rmmod $name failed"
[ ! -d "/sys/module/$name" ] || fail "/sys/module/$name still present after rmmod"
dmesg | grep -q "vfnet: unloaded" || fail "module did not log its unload"
echo "module_load: $name inserted and removed"
echo "1 passed, 0 failed"
