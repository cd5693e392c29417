#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: fwd --rx-intr (rx interrupt mode) on vfnet-pci.
# For the e1000e, virtio-net and vmxnet3 pairs: fwd rxonly --rx-intr on the
# first NIC; while no traffic comes, its forwarding lcore's CPU time (from
# /proc/PID/task/TID/stat) must stay under 5% of a CPU; then a second fwd
# sends up to N frames (txonly) from the other NIC, which the sleeping
# lcore must all receive, woken by interrupts, before going back to sleep
# (under 5% again).  txonly does not retry a full tx ring: on virtio-net,
# whose sender stalls while the hub holds frames for the receiver, it
# drops the rest, so the check is "every frame sent was received".
# vmxnet3 never holds frames back (QEMU's device takes a frame whenever
# its link is up and drops it when its rx ring is full, busy polling or
# not), so there every frame sent must be received or counted by the
# device as missed (imissed), and some must be received.  Once,
# as a control, the same measure on fwd without --rx-intr must be above
# 50%.  Reports in TAP (tests/lib/vfn_tap.sh).
# usage: guest_fwd_rx_intr.sh BUILD_DIR FWD [FRAMES]
set -u
build=$1
fwd=$2
n=${3:-5000}
top=$(dirname "$0")/../../..
. "$top/tests/lib/vfn_tap.sh"
. "$top/tools/vm/guest-lib.sh"

insmod "$build/kernel/vfnet.ko" || { tap_fail "insmod vfnet.ko"; tap_done; exit 1; }
# shellcheck disable=SC2086
out=$(vm_bind vfnet-pci $VFN_VM_E1000E $VFN_VM_VIRTIO $VFN_VM_VMXNET3) ||
	{ tap_fail "bind to vfnet-pci" "$out"; tap_done; exit 1; }

# lcore_tid PID: the thread id of fwd's forwarding lcore (lcore 1), waiting
# up to 60 s for it to exist.
lcore_tid() {
	_i=0
	while [ $_i -lt 600 ]; do
		for _t in /proc/"$1"/task/*; do
			if [ "$(cat "$_t/comm" 2>/dev/null)" = lcore-worker-1 ]; then
				basename "$_t"
				return 0
			fi
		done
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
# ticks PID TID: utime + stime of the thread, in clock ticks
ticks() {
	sed 's/.*) //' "/proc/$1/task/$2/stat" | awk '{ print $12 + $13 }'
}
# cpu_pct PID TID SECS: the thread's CPU share over SECS, in percent
cpu_pct() {
	_a=$(ticks "$1" "$2") || return 1
	_t0=$(date +%s.%N)
	sleep "$3"
	_b=$(ticks "$1" "$2") || return 1
	_t1=$(date +%s.%N)
	echo "$_a $_b $_t0 $_t1 $(getconf CLK_TCK)" |
		awk '{ printf "%.1f\n", 100 * ($2 - $1) / $5 / ($4 - $3) }'
}

# The control: busy polling, no --rx-intr.
set -- $VFN_VM_E1000E
"$fwd" -m 64 -l 0,1 --log-level 5 -a "$1" --file-prefix ribusy -- \
	--forward-mode=rxonly --duration=30 > /tmp/fwd_ri_busy.txt 2>&1 &
pid=$!
if tid=$(lcore_tid $pid); then
	sleep 1
	# up to 3 tries: on a loaded host the vCPU itself may be starved
	for _try in 1 2 3; do
		pct=$(cpu_pct $pid "$tid" 2)
		awk "BEGIN { exit !($pct > 50) }" && break
	done
	kill -TERM $pid
	wait $pid
	tap_check "control: fwd rxonly without --rx-intr, idle port: lcore at $pct% of a CPU (> 50%)" \
		awk "BEGIN { exit !($pct > 50) }"
else
	kill -TERM $pid 2>/dev/null
	wait $pid
	sed 's/^/# /' /tmp/fwd_ri_busy.txt | tail -n 5
	tap_fail "control: fwd without --rx-intr started its lcore"
fi

for pair in e1000e virtio vmxnet3; do
	case $pair in
	e1000e) set -- $VFN_VM_E1000E ;;
	virtio) set -- $VFN_VM_VIRTIO ;;
	vmxnet3) set -- $VFN_VM_VMXNET3 ;;
	esac
	"$fwd" -m 64 -l 0,1 --log-level 5 -a "$1" --file-prefix rirx -- \
		--forward-mode=rxonly --rx-intr --duration=90 \
		> /tmp/fwd_ri_rx.txt 2>&1 &
	pid=$!
	if ! tid=$(lcore_tid $pid); then
		wait $pid
		sed 's/^/# /' /tmp/fwd_ri_rx.txt | tail -n 5
		tap_fail "$pair: fwd --rx-intr started its lcore"
		continue
	fi
	sleep 1 # set-up done, the port idle
	pct=$(cpu_pct $pid "$tid" 2)
	tap_check "$pair: fwd rxonly --rx-intr, idle port: lcore at $pct% of a CPU (< 5%)" \
		awk "BEGIN { exit !($pct < 5) }"
	"$fwd" -m 64 -l 0,1 --log-level 5 -a "$2" --file-prefix ritx -- \
		--forward-mode=txonly --nb-pkts="$n" > /tmp/fwd_ri_tx.txt 2>&1
	txs=$?
	sleep 2 # the last frames in, the lcore back to sleep
	pct=$(cpu_pct $pid "$tid" 2)
	tap_check "$pair: after the burst the lcore sleeps again: $pct% of a CPU (< 5%)" \
		awk "BEGIN { exit !($pct < 5) }"
	kill -TERM $pid
	wait $pid
	rxs=$?
	grep -E '^fwd-(summary|rx-intr)' /tmp/fwd_ri_tx.txt /tmp/fwd_ri_rx.txt | sed 's/^/# /'
	sent=$(sed -n 's/^fwd-summary: .* tx=\([0-9]*\) .*/\1/p' /tmp/fwd_ri_tx.txt)
	got=$(sed -n 's/^fwd-summary: .* rx=\([0-9]*\) .*/\1/p' /tmp/fwd_ri_rx.txt)
	woke=$(sed -n 's/^fwd-rx-intr: lcore=1 .* intr_wakeups=\([0-9]*\)/\1/p' /tmp/fwd_ri_rx.txt)
	missed=0
	if [ $pair = vmxnet3 ]; then
		missed=$(sed -n 's/^fwd-port: port=0 .* imissed=\([0-9]*\) .*/\1/p' /tmp/fwd_ri_rx.txt)
	fi
	if [ $txs -eq 0 ] && [ $rxs -eq 0 ] && [ "${sent:-0}" -gt 0 ] &&
	   [ "${got:-0}" -gt 0 ] && [ $((${got:-0} + ${missed:-0})) -eq "$sent" ] &&
	   [ "${woke:-0}" -gt 0 ]; then
		how="received"
		[ $pair = vmxnet3 ] && how="received ($got) or missed by the device ($missed)"
		tap_ok "$pair: all $sent frames sent to the sleeping lcore $how; $woke interrupt wake-ups"
	else
		tap_fail "$pair: all frames sent to the sleeping lcore received" \
			"exit $txs/$rxs, sent '$sent', received '$got', missed '$missed', interrupt wake-ups '$woke'"
	fi
done

# shellcheck disable=SC2086
vm_unbind $VFN_VM_E1000E $VFN_VM_VIRTIO $VFN_VM_VMXNET3
rmmod vfnet 2>/dev/null
tap_done
