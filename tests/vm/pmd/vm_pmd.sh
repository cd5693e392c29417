#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Host side of the hardware PMD test: boots the test VM with the e1000e,
# virtio-net and vmxnet3 hubs (0, 1, 3) joined to host UDP ports, runs
# guest_pmd.sh in it while hub_peer.py injects frames and counts what
# crosses the hubs, then checks that the host saw every test frame each
# guest run reported sending.  Reports in
# TAP (tests/lib/vfn_tap.sh): the guest's results, then the host's.
# usage: vm_pmd.sh BUILD_DIR [FRAMES [INJECT [FLAVOURS [PAIRS]]]]
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
build=$(cd "$1" && pwd)
frames=${2:-20000}
inject=${3:-1000}
flavours=${4:-"upstream vfnet"}
pairs=${5:-"e1000e virtio vmxnet3"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib/vfn_tap.sh"

# Three free UDP port pairs (P and P+1 each).
ports=$(python3 - <<'EOF'
import socket
found = []
p = 20000 + (__import__("os").getpid() % 2000) * 8
while len(found) < 3 and p < 65000:
    ok = True
    for q in (p, p + 1):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", q))
        except OSError:
            ok = False
        s.close()
    if ok:
        found.append(p)
    p += 2
print(*found)
EOF
)
set -- $ports
p0=$1
p1=$2
p3=$3

python3 "$here/hub_peer.py" --hub "$p0" --hub "$p1" --hub "$p3" \
	--inject "$inject" --out "$tmp/peer.txt" &
peer=$!
sleep 0.5

cd "$src"
"$src/tools/vm/run" --timeout 600 --hub0-port "$p0" --hub1-port "$p1" \
	--hub3-port "$p3" -- \
	"$here/guest_pmd.sh" "$build" "$frames" "$inject" "$flavours" "$pairs" \
	> "$tmp/guest.txt" 2>&1
status=$?
kill -TERM "$peer"
wait "$peer"

# The guest's stream, renumbered; its exit status counts as the guest's.
tap_run guest sh -c 'cat "$1"; exit "$2"' _ "$tmp/guest.txt" "$status"
tap_diag "host side (hub_peer.py)"
sed 's/^/# /' "$tmp/peer.txt"
for line in $(sed -n 's/^# .*TEST_FRAMES_SENT //p' "$tmp/guest.txt" | sed 's/ /,/'); do
	run=${line%%,*}
	run=${run#run=}
	sent=${line##*count=}
	got=$(sed -n "s/^run=$run captured=\([0-9]*\).*/\1/p" "$tmp/peer.txt")
	if [ "${got:-0}" = "$sent" ]; then
		tap_ok "run $run: the host captured all $sent test frames from the hub"
	else
		tap_fail "run $run: the host captured all $sent test frames from the hub" \
			"guest sent $sent test frames, host captured ${got:-0}"
	fi
done
grep -q '^# .*TEST_FRAMES_SENT' "$tmp/guest.txt" || tap_fail "a guest run reported its test frames"
tap_done
