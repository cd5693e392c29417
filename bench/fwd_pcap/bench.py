#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd vs dpdk-testpmd: pcap replay into null.  io forwarding from a
net_pcap port replaying a file (infinite_rx=1) to a net_null port that
receives nothing (no-rx=1), one forwarding lcore, the same run,
alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--packets N] [--huge]
                    [--testpmd PATH]

The file: N (default 1024) Ethernet/IPv4/UDP frames of 64 bytes, 64
flows, written here as bench input and checked with `tcpdump -r` when
tcpdump is installed.  Both tools get -l 0,1, --vdev
net_pcap0,rx_pcap=FILE,infinite_rx=1 --vdev net_null0,no-rx=1, burst 32,
the same mbufs.  Ratios: see fwd_compare.py.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fwd_compare import (add_huge_testpmd, arg_parser, compare,  # noqa: E402
                         eal_mem, io_opts, no_testpmd)


def write_capture(path, n):
    """Benchmark input: a classic pcap file (magic, version 2.4, snaplen
    65535, Ethernet) of n 64-byte UDP frames."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            eth = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0])
            ip = bytes([0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17, 0, 0,
                        10, 0, 0, 1, 10, 0, 0, 2])
            udp = struct.pack(">HHHH", 1024 + i % 64, 9, 30, 0)
            pkt = eth + ip + udp + bytes(64 - 42)
            f.write(struct.pack("<IIII", i // 1000, (i % 1000) * 1000,
                                len(pkt), len(pkt)))
            f.write(pkt)


def main():
    ap = arg_parser(6)
    ap.add_argument("--packets", type=int, default=1024)
    add_huge_testpmd(ap)
    a = ap.parse_args()
    if no_testpmd(a):
        return 77
    with tempfile.TemporaryDirectory(prefix="vfnb_pcap") as d:
        cap = os.path.join(d, "replay.pcap")
        write_capture(cap, a.packets)
        if shutil.which("tcpdump"):
            out = subprocess.run(["tcpdump", "-nr", cap], text=True,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL).stdout
            got = sum(1 for ln in out.splitlines() if ln[:1].isdigit())
            if got != a.packets:
                print("FAIL: tcpdump reads %d packets of %d in %s" % (
                    got, a.packets, cap))
                return 1
        common = eal_mem(a.huge) + [
            "-l", "0,1",
            "--vdev", "net_pcap0,rx_pcap=%s,infinite_rx=1" % cap,
            "--vdev", "net_null0,no-rx=1"]
        fwdopts = io_opts(1, tx_first=False)
        fwd_cmd = [a.fwd] + common + ["--"] + fwdopts
        tpmd_cmd = [a.testpmd] + common + [
            "--no-pci", "--file-prefix", "vfnb_pcap%d" % os.getpid(),
            "--"] + fwdopts
        return compare("fwd_pcap: pcap replay (infinite_rx) into null, io, "
                       "1 forwarding lcore, burst 32, 64 B, %d-packet file, "
                       "%s" % (a.packets,
                               "hugepages" if a.huge else "--no-huge"),
                       fwd_cmd, tpmd_cmd, a.rounds, a.seconds,
                       goal_line=("fwd.pcap.replay", ">=", 1.0))


sys.exit(main())
