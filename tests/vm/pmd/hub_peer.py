#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Host side of the PMD VM test: joins the test VM's hubs through their
UDP ports (tools/vm/run --hubN-port P: datagrams sent to 127.0.0.1:P are
injected as frames, every hub frame is sent to 127.0.0.1:P+1).

For every beacon frame a guest test sends (ethertype 0x88b5, payload
magic + run id) it injects, once per run id, M broadcast frames
(ethertype 0x88b6, sequence numbers and a payload checksum) into that hub.
It also counts the guest's test frames (IPv4, payload magic) per run id,
so the caller can check that every frame the guest sent crossed the hub.
On SIGTERM it writes "run=ID captured=N injected=M" lines to --out.
"""
import argparse
import select
import signal
import socket
import struct
import sys
import time

MAGIC = 0x76666E74
BEACON = 0x88B5
INJECT = 0x88B6
HDRS = 14 + 20 + 8
PAYLOAD = struct.Struct("<IIHHIII")  # magic run src flow seq len csum


def fnv(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def make_inject(run_id, seq):
    length = 60 + (seq * 37) % 541
    fill_len = length - 14 - PAYLOAD.size
    fill = bytes((seq * 5 + i) & 0xFF for i in range(fill_len))
    pl = PAYLOAD.pack(MAGIC, run_id, 0, 0, seq, length, fnv(fill))
    eth = b"\xff" * 6 + bytes([0x02, 0, 0, 0, 0, 0x99]) + struct.pack("!H", INJECT)
    return eth + pl + fill


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hub", type=int, action="append", required=True,
                    help="hub UDP port P (inject to P, capture on P+1)")
    ap.add_argument("--inject", type=int, default=1000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    socks = []
    for p in args.hub:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # A large buffer so bursts from the guest are not dropped while
        # this loop is descheduled: SO_RCVBUFFORCE (root) passes
        # net.core.rmem_max, SO_RCVBUF is capped by it.
        try:
            s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE
        except OSError:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
        s.bind(("127.0.0.1", p + 1))
        socks.append((s, p))
    captured = {}
    injected = {}
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))

    while not stop:
        try:
            r, _, _ = select.select([s for s, _ in socks], [], [], 0.2)
        except InterruptedError:
            continue
        for s in r:
            port = dict((x, p) for x, p in socks)[s]
            while True:
                try:
                    frame = s.recv(65536, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                if len(frame) < 14 + PAYLOAD.size:
                    continue
                etype = struct.unpack("!H", frame[12:14])[0]
                if etype == BEACON:
                    magic, run = struct.unpack("<II", frame[14:22])
                    if magic == MAGIC and run not in injected:
                        injected[run] = 0
                        for seq in range(args.inject):
                            s.sendto(make_inject(run, seq), ("127.0.0.1", port))
                            injected[run] += 1
                            # The guest polls under TCG: pace so QEMU's
                            # socket backend never overflows its buffer.
                            if seq % 8 == 7:
                                time.sleep(0.005)
                elif etype == 0x0800 and len(frame) >= HDRS + PAYLOAD.size:
                    magic, run = struct.unpack("<II", frame[HDRS:HDRS + 8])
                    if magic == MAGIC:
                        captured[run] = captured.get(run, 0) + 1
    with open(args.out, "w") as f:
        for run in sorted(set(captured) | set(injected)):
            f.write("run=%d captured=%d injected=%d\n"
                    % (run, captured.get(run, 0), injected.get(run, 0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
