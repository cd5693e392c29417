#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Host side of the hardware PMD test: boots the test VM with both hubs
# joined to host UDP ports, runs guest_pmd.sh in it while hub_peer.py
# injects frames and counts what crosses the hubs, then checks that the
# host saw every test frame each guest run reported sending.
# usage: vm_pmd.sh BUILD_DIR [FRAMES [INJECT [FLAVOURS]]]
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
build=$(cd "$1" && pwd)
frames=${2:-20000}
inject=${3:-1000}
flavours=${4:-"upstream vfnet"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Two free UDP port pairs (P and P+1 each).
ports=$(python3 - <<'EOF'
import socket
found = []
p = 20000 + (__import__("os").getpid() % 2000) * 8
while len(found) < 2 and p < 65000:
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

python3 "$here/hub_peer.py" --hub "$p0" --hub "$p1" --inject "$inject" \
	--out "$tmp/peer.txt" &
peer=$!
sleep 0.5

cd "$src"
"$src/tools/vm/run" --timeout 600 --hub0-port "$p0" --hub1-port "$p1" -- \
	"$here/guest_pmd.sh" "$build" "$frames" "$inject" "'$flavours'" \
	> "$tmp/guest.txt" 2>&1
status=$?
cat "$tmp/guest.txt"
kill -TERM "$peer"
wait "$peer"

fails=0
echo "--- host side (hub_peer.py)"
cat "$tmp/peer.txt"
for line in $(grep '^TEST_FRAMES_SENT' "$tmp/guest.txt" | sed 's/TEST_FRAMES_SENT //; s/ /,/'); do
	run=${line%%,*}
	run=${run#run=}
	sent=${line##*count=}
	got=$(sed -n "s/^run=$run captured=\([0-9]*\).*/\1/p" "$tmp/peer.txt")
	if [ "${got:-0}" = "$sent" ]; then
		echo "PASS: run $run: the host captured all $sent test frames from the hub"
	else
		echo "FAIL: run $run: guest sent $sent test frames, host captured ${got:-0}"
		fails=$((fails + 1))
	fi
done
grep -q '^TEST_FRAMES_SENT' "$tmp/guest.txt" || { echo "FAIL: no guest run reported"; fails=$((fails + 1)); }
[ "$status" -eq 0 ] || echo "FAIL: guest side exited $status"
[ "$status" -eq 0 ] && [ $fails -eq 0 ]
