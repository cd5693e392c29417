#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd vs dpdk-testpmd: io forwarding between two net_af_xdp ports on
the two ends of one veth pair, on one forwarding lcore, in the same run,
alternating rounds.

usage: bench.py FWD [--rounds N] [--seconds S] [--qpairs Q] [--huge]
                    [--testpmd PATH] [--fwd-devargs umem=copy]

A private network namespace (removed on exit) holds veth pair bv0 <-> bv1
(IPv6 off).  Both tools get the same EAL layout (-l 0,1: lcore 1
forwards), the same ports (--vdev net_af_xdp0,iface=bv0 --vdev
net_af_xdp1,iface=bv1: each tool's default XDP program, the mbufs are
the UMEM in both (vfnet's umem=auto, DPDK 22.11 built with unaligned
chunks), the kernel copying into them on veth; --fwd-devargs umem=copy
measures vfnet's copy mode instead), burst 32, the same mbufs, and
--tx-first: 64-byte packets circulate bv0 -> port 0 -> port 1 -> bv1 ->
... as fast as the forwarding thread (and the kernel work in its system
calls) moves them.  Ratios per
forwarding-CPU second (user + system time of that thread) and wall clock:
see fwd_compare.py.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fwd_compare import veth_main  # noqa: E402

sys.exit(veth_main("af_xdp", "queue_count", "vfnb_afx"))
