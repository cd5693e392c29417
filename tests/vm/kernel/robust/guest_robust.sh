#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM (tools/vm/run), one boot: vfnet's debugfs view
# and unbind while in use on the e1000e 0000:00:02.0, kill -9 in the
# middle of work on five devices at once (e1000e, two virtio-net, the
# e1000e behind a root port, vmxnet3), all bound to vfnet-pci; then the
# module must unload with every total back at zero and the kernel's
# FOLL_PIN counters balanced.
# usage: guest_robust.sh vfnet.ko BUILD_DIR
set -u
ko=$1 bin=$2
here=$(dirname "$0")
. "$here/../../../lib/vfn_tap.sh"
. "$here/../../../../tools/vm/guest-lib.sh"
BDF=0000:00:02.0
KILL9_DEVS="0000:00:02.0 0000:00:04.0 0000:01:00.0 0000:00:05.0 0000:00:06.0"
mod=$(basename "$ko" .ko)

# vm.stat_refresh folds the per-CPU deltas, so /proc/vmstat is exact
vmstat_refresh() { echo 1 > /proc/sys/vm/stat_refresh 2>/dev/null; }
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
vmstat_refresh
pin_acq0=$(awk '$1 == "nr_foll_pin_acquired" { print $2 }' /proc/vmstat)
pin_rel0=$(awk '$1 == "nr_foll_pin_released" { print $2 }' /proc/vmstat)
tap_diag "FOLL_PIN before: acquired $pin_acq0 released $pin_rel0"

tap_check "insmod $mod" insmod "$ko" || { tap_done; exit 1; }
# shellcheck disable=SC2086
tap_check "bind $KILL9_DEVS to vfnet-pci" vm_bind vfnet-pci $KILL9_DEVS || { tap_done; exit 1; }

tap_run debugfs "$bin/debugfs_check" "$BDF"
start=$(date +%s)
# kill -9 once stalled the guest's CPU 0 for the VM's whole 600 s (RCU
# stalls, kill9 blocked), and once aborted QEMU: both are QEMU 7.2's
# multi-threaded TCG sending an MMIO access to the wrong region while the
# other vCPU remaps a BAR (STALL.md).  Should it happen again, the
# watchdog lets the stall's backtraces reach the console and after 240 s
# says where everything stands, QEMU's view of each vCPU and its APIC
# included.
wd=$(vm_watchdog 240 kill9)
# shellcheck disable=SC2086
tap_run kill9 "$bin/kill9" ${VFN_KILL9_SEED:+--seed "$VFN_KILL9_SEED"} --children "${VFN_KILL9_CHILDREN:-1000}" $KILL9_DEVS
kill "$wd" 2>/dev/null
tap_diag "kill -9: $(($(date +%s) - start)) s"
start=$(date +%s)
tap_run unbind "$bin/unbind_req" "$BDF"
tap_diag "unbind while in use: $(($(date +%s) - start)) s"

tap_diag "stats at the end: $(tr '\n' ' ' < /sys/kernel/debug/vfnet/stats)"
# shellcheck disable=SC2086
vm_unbind $KILL9_DEVS
tap_check "rmmod $mod" rmmod "$mod"
vmstat_refresh
pin_acq=$(awk '$1 == "nr_foll_pin_acquired" { print $2 }' /proc/vmstat)
pin_rel=$(awk '$1 == "nr_foll_pin_released" { print $2 }' /proc/vmstat)
tap_diag "FOLL_PIN after: acquired $pin_acq released $pin_rel"
if [ $((pin_acq - pin_acq0)) -eq $((pin_rel - pin_rel0)) ]; then
	tap_ok "FOLL_PIN acquired == released ($((pin_acq - pin_acq0)) pins)"
else
	tap_fail "FOLL_PIN acquired == released" "acquired +$((pin_acq - pin_acq0)), released +$((pin_rel - pin_rel0))"
fi
tap_done
