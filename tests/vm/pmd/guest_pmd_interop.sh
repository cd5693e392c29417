#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Runs inside the test VM: one dpdk-testpmd (upstream vfio-pci) drives the
# first NIC of each pair (port 0: e1000e 00:02.0, port 1: virtio-net
# 00:04.0 on split virtqueues, port 2: vmxnet3 00:06.0 (DPDK's
# net_vmxnet3), port 3 when the VM has the tap pair: virtio-net 00:08.0
# on packed virtqueues, which both DPDK and vfnet negotiate); vfnet's
# interop_peer drives the second NIC of the pair.
# Two exchanges per pair, counts checked on both sides:
#  1. vfnet -> DPDK -> vfnet: interop_peer sends N frames, testpmd
#     (macswap) returns them: every frame back intact and in order, and
#     testpmd's port counters show N received and N sent.
#  2. DPDK -> vfnet -> DPDK: testpmd (rxonly) starts with "start tx_first
#     10": 320 frames per port; both interop_peers echo them: testpmd
#     counts 320 sent and 320 received per port, interop_peer 320 each way.
# Reports in TAP (tests/lib/vfn_tap.sh).
# usage: guest_pmd_interop.sh BUILD_DIR [FRAMES]
set -u
build=$1
frames=${2:-5000}
peer=$build/tests/vm/pmd/interop_peer
bursts=10
want=$((bursts * 32))

. "$(dirname "$0")/../../lib/vfn_tap.sh"
fail() { tap_fail "$*"; }
pass() { tap_ok "$*"; }

# Pairs: name and the two BDFs (testpmd's NIC first).
pairs="e1000e virtio vmxnet3"
[ -n "${VFN_VM_VIRTIO_MQ:-}" ] && pairs="$pairs virtio_packed"
bdfs_of() {
	case $1 in
	e1000e) echo $VFN_VM_E1000E ;;
	virtio) echo $VFN_VM_VIRTIO ;;
	vmxnet3) echo $VFN_VM_VMXNET3 ;;
	virtio_packed) echo $VFN_VM_VIRTIO_MQ ;;
	esac
}
nports=0
for pair in $pairs; do nports=$((nports + 1)); done
last=$((nports - 1))

if ! command -v dpdk-testpmd >/dev/null; then
	echo "1..0 # SKIP dpdk-testpmd not installed (apt install dpdk)"
	exit 0
fi
modprobe vfio-pci || { fail "modprobe vfio-pci"; tap_done; exit 1; }
for pair in $pairs; do for d in $(bdfs_of $pair); do
	echo vfio-pci > /sys/bus/pci/devices/$d/driver_override
	[ -e /sys/bus/pci/devices/$d/driver ] &&
		echo "$d" > /sys/bus/pci/devices/$d/driver/unbind
	echo "$d" > /sys/bus/pci/drivers_probe
done; done

# MAC of a NIC in the test VM: 52:54:00:12:34:<slot>.
mac_of() { echo "52:54:00:12:34:$(echo "$1" | cut -d: -f3 | cut -d. -f1)"; }

# wait_for FILE PATTERN SECONDS [MIN_COUNT]: until PATTERN occurs MIN_COUNT times
wait_for() {
	t_end=$(($(date +%s) + $3))
	while :; do
		n=$(grep -c "$2" "$1" 2>/dev/null)
		[ "${n:-0}" -ge "${4:-1}" ] && return 0
		[ "$(date +%s)" -ge $t_end ] && return 1
		sleep 0.3
	done
}

# port_stat LOG PORT FIELD: FIELD in the last "show port stats PORT" block
port_stat() {
	awk -v p="NIC statistics for port $2 " -v f="$3:" '
		index($0, p) { inb = 1; v = ""; next }
		inb && /####/ { inb = 0; if (v != "") last = v; next }
		inb { for (i = 1; i < NF; i++) if ($i == f) v = $(i + 1) }
		END { print last }' "$1"
}

# check_counters N: every testpmd port received and sent exactly N
check_counters() {
	for port in $(seq 0 $last); do
		rxp=$(port_stat "$log" $port RX-packets)
		txp=$(port_stat "$log" $port TX-packets)
		if [ "$rxp" = "$1" ] && [ "$txp" = "$1" ]; then
			pass "testpmd port $port counted $rxp received and $txp sent"
		else
			fail "testpmd port $port counted ${rxp:-?} received and ${txp:-?} sent, expected $1 each"
		fi
	done
}

# show_stats: ask testpmd for both ports' counters and wait for them
nshow=0
show_stats() {
	for port in $(seq 0 $last); do
		echo "show port stats $port" >&3
	done
	nshow=$((nshow + 1))
	wait_for "$log" "NIC statistics for port $last " 60 $nshow
}

# stop_testpmd PID: give it 20 s to quit, then kill it
stop_testpmd() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# testpmd: -a and --eth-peer per pair; port N is the N-th pair.
tp_args=
port=0
for pair in $pairs; do
	set -- $(bdfs_of $pair)
	tp_args="$tp_args -a $1"
	peers="${peers:-} --eth-peer=$port,$(mac_of "$2")"
	port=$((port + 1))
done
# A FIFO needs a local filesystem: / is the host's over 9p.
dir=$(mktemp -d -p /run)
log=$dir/tp.log
mkfifo "$dir/in"
exec 3<> "$dir/in" # read-write: the open never blocks
tap_diag "dpdk-testpmd: ports 0.. = $pairs ($tp_args)"
# Line-buffered so the counters can be read while it runs.
# shellcheck disable=SC2086
stdbuf -oL dpdk-testpmd -l 0,1 -n 1 --iova-mode=va $tp_args --file-prefix tp \
	-- -i --port-topology=loop --forward-mode=macswap --total-num-mbufs=8192 \
	$peers < "$dir/in" > "$log" 2>&1 &
tp=$!
if ! wait_for "$log" "testpmd> " 120; then
	fail "testpmd did not come up"
	sed 's/^/# /' "$log"
	exec 3>&-
	stop_testpmd $tp
	tap_done
	exit 1
fi

# 1. vfnet originates, one pair after the other.
echo "clear port stats all" >&3
echo "start" >&3
port=0
for pair in $pairs; do
	set -- $(bdfs_of $pair)
	dpdk=$1
	shift
	tap_diag "$pair: vfnet on $1 -> testpmd port $port ($dpdk)"
	tap_run "$pair: $frames frames vfnet -> testpmd -> vfnet, all back intact and in order" \
		timeout 120 "$peer" -l 0 -m 64 -a "$1" --file-prefix "vf$pair" -- \
		--mode check --peer "$(mac_of "$dpdk")" --frames "$frames"
	port=$((port + 1))
done
echo "stop" >&3
show_stats
check_counters "$frames"

# 2. DPDK originates: every vfnet port echoes at once.  32 MB each (the
# pool is ~10 MB): with four pairs, 64 MB each and testpmd's memory are
# more than the VM's 128 hugepages.
echo "clear port stats all" >&3
echo "set fwd rxonly" >&3
pids=
for pair in $pairs; do
	set -- $(bdfs_of $pair)
	shift
	timeout 120 "$peer" -l 0 -m 32 -a "$1" --file-prefix "vf$pair" -- \
		--mode echo --idle 2 --max 90 > "$dir/echo.$pair" 2>&1 &
	pids="$pids $!"
done
for pair in $pairs; do
	wait_for "$dir/echo.$pair" "^# ready" 90 ||
		fail "$pair: interop_peer echo did not start"
done
echo "start tx_first $bursts" >&3
set -- $pids
for pair in $pairs; do
	wait "$1"
	st=$?
	shift
	sed 's/^/# /' "$dir/echo.$pair"
	erx=$(sed -n 's/.*mode echo: rx \([0-9]*\) tx \([0-9]*\).*/\1/p' "$dir/echo.$pair")
	etx=$(sed -n 's/.*mode echo: rx \([0-9]*\) tx \([0-9]*\).*/\2/p' "$dir/echo.$pair")
	if [ $st -eq 0 ] && [ "$erx" = "$want" ] && [ "$etx" = "$want" ]; then
		pass "$pair: vfnet echoed all $want frames testpmd sent first"
	else
		fail "$pair: vfnet echo: rx ${erx:-?} tx ${etx:-?} (status $st), expected $want"
	fi
done
echo "stop" >&3
show_stats
check_counters "$want"
[ "$tap_failed" -eq 0 ] || tail -40 "$log" | sed 's/^/# /'
echo "quit" >&3
exec 3>&-
stop_testpmd $tp
rm -rf "$dir"
tap_done
