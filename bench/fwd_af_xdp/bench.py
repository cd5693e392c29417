#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd vs dpdk-testpmd: io forwarding between two net_af_xdp ports on
the two ends of one veth pair, on one forwarding lcore, in the same run,
alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--qpairs Q] [--huge]
                    [--testpmd PATH]

A private network namespace (removed on exit) holds veth pair bv0 <-> bv1
(IPv6 off).  Both tools get the same EAL layout (-l 0,1: lcore 1
forwards), the same ports (--vdev net_af_xdp0,iface=bv0 --vdev
net_af_xdp1,iface=bv1: copy mode on veth, each tool's default XDP
program), burst 32, the same mbufs, and --tx-first: 64-byte packets
circulate bv0 -> port 0 -> port 1 -> bv1 -> ... as fast as the forwarding
thread (and the kernel work in its system calls) moves them.  Ratios per
forwarding-CPU second (user + system time of that thread) and wall clock:
see fwd_compare.py.
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fwd_compare import compare  # noqa: E402


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fwd")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--qpairs", type=int, default=1)
    ap.add_argument("--huge", action="store_true",
                    help="use hugepages (default: --no-huge -m 512 for both)")
    ap.add_argument("--testpmd", default=shutil.which("dpdk-testpmd"))
    a = ap.parse_args()
    if not a.testpmd:
        print("SKIP: dpdk-testpmd not found (apt install dpdk)")
        return 77
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespace, veth, CAP_NET_RAW)")
        return 77
    ns = "vfnb_afx%d" % os.getpid()
    try:
        sh("ip", "netns", "add", ns)
    except (OSError, subprocess.CalledProcessError):
        print("SKIP: cannot create a network namespace (ip netns add)")
        return 77
    try:
        try:
            sh("ip", "-n", ns, "link", "add", "bv0", "type", "veth",
               "peer", "name", "bv1")
        except subprocess.CalledProcessError:
            print("SKIP: no veth driver")
            return 77
        for ifc in ("bv0", "bv1"):
            subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                            "net.ipv6.conf.%s.disable_ipv6=1" % ifc],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            sh("ip", "-n", ns, "link", "set", ifc, "up")
        mem = [] if a.huge else ["--no-huge", "-m", "512"]
        opt = ",queue_count=%d" % a.qpairs if a.qpairs > 1 else ""
        common = mem + ["-l", "0,1",
                        "--vdev", "net_af_xdp0,iface=bv0" + opt,
                        "--vdev", "net_af_xdp1,iface=bv1" + opt]
        fwdopts = ["--forward-mode=io", "--burst=32", "--stats-period=1",
                   "--tx-first", "--total-num-mbufs=16384", "--mbcache=250",
                   "--rxq=%d" % a.qpairs, "--txq=%d" % a.qpairs]
        exe = ["ip", "netns", "exec", ns]
        fwd_cmd = exe + [a.fwd] + common + ["--"] + fwdopts
        tpmd_cmd = exe + [a.testpmd] + common + [
            "--no-pci", "--file-prefix", ns, "--"] + fwdopts
        return compare("fwd_af_xdp io on veth, %d queue pair(s), 1 "
                       "forwarding lcore, burst 32, 64 B, %s" % (
                           a.qpairs, "hugepages" if a.huge else "--no-huge"),
                       fwd_cmd, tpmd_cmd, a.rounds, a.seconds)
    finally:
        subprocess.run(["ip", "netns", "del", ns], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


sys.exit(main())
