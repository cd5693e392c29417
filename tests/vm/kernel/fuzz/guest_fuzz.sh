#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (tools/vm/run): the VFIO fuzzer against vfnet-pci
# on an e1000e (0000:00:02.0), a virtio-net (0000:00:04.0) and the e1000e
# behind a root port (0000:01:00.0, which a hot reset can reset), each in
# a group of its own, for CALLS syscalls; then unbind, unload, and check the
# kernel's FOLL_PIN counters balanced.  VFN_FUZZ_SEED replays a seed;
# VFN_FUZZ_THREADS runs every worker with that many threads.
# Only those devices are touched: never the 9p root at 0000:00:1e.0.
# usage: guest_fuzz.sh vfnet.ko vfio_fuzz CALLS
set -u
ko=$1 fuzz=$2 calls=$3
here=$(dirname "$0")
. "$here/../../../lib/vfn_tap.sh"
. "$here/../../../../tools/vm/guest-lib.sh"
DEVS="0000:00:02.0 0000:00:04.0 0000:01:00.0"
mod=$(basename "$ko" .ko)

vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

# vm.stat_refresh folds the per-CPU deltas, so /proc/vmstat is exact
vmstat_refresh() { echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null; }
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
vmstat_refresh
acq0=$(vmstat nr_foll_pin_acquired) rel0=$(vmstat nr_foll_pin_released)
tap_check "insmod $mod" insmod "$ko" || { tap_done; exit 1; }
# shellcheck disable=SC2086
tap_check "bind $DEVS to vfnet-pci" vm_bind vfnet-pci $DEVS || { tap_done; exit 1; }

start=$(date +%s)
# shellcheck disable=SC2086
tap_run fuzz "$fuzz" ${VFN_FUZZ_SEED:+--seed "$VFN_FUZZ_SEED"} \
	${VFN_FUZZ_THREADS:+--threads "$VFN_FUZZ_THREADS"} --calls "$calls" $DEVS
tap_diag "fuzzer: $((($(date +%s) - start))) s for $calls calls"

# shellcheck disable=SC2086
vm_unbind $DEVS
tap_check "rmmod $mod" rmmod "$mod"
vmstat_refresh
acq=$(vmstat nr_foll_pin_acquired) rel=$(vmstat nr_foll_pin_released)
if [ $((acq - acq0)) -eq $((rel - rel0)) ]; then
	tap_ok "FOLL_PIN acquired == released after unload ($((acq - acq0)) pages)"
else
	tap_fail "FOLL_PIN acquired == released after unload" "acquired +$((acq - acq0)), released +$((rel - rel0))"
fi
tap_done
