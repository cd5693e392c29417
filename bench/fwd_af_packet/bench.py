#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd vs dpdk-testpmd: io forwarding between two net_af_packet ports on
the two ends of one veth pair, on one forwarding lcore, in the same run,
alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--qpairs Q] [--huge]
                    [--testpmd PATH]

A private network namespace (removed on exit) holds veth pair bv0 <-> bv1
(IPv6 off: no stray kernel traffic).  Both tools get the same EAL layout
(-l 0,1: lcore 1 forwards), the same ports (--vdev
net_af_packet0,iface=bv0 --vdev net_af_packet1,iface=bv1, DPDK's ring
defaults), burst 32, the same mbufs, and --tx-first: each port sends one
burst of 64-byte packets, which then circulate bv0 -> port 0 -> port 1 ->
bv1 -> ... as fast as the forwarding thread (and the kernel work it does
in its system calls) can move them.  Ratios per forwarding-CPU second
(user + system time of that thread) and wall clock: see fwd_compare.py.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fwd_compare import veth_main  # noqa: E402

sys.exit(veth_main("af_packet", "qpairs", "vfnb_afp"))
