# SPDX-License-Identifier: BSD-3-Clause
"""Rates read from the statistics that vfnet fwd and dpdk-testpmd print,
shared by bench/fwd_null/bench.py and bench/fwd_vm/bench.py."""
import re


def fwd_rates(out):
    """Per period: sum of Rx-pps over the ports of a "Port statistics"
    block (testpmd's layout, which fwd prints every --stats-period)."""
    rates, cur = [], None
    for line in out.splitlines():
        if "Forward statistics for port" in line:
            break  # the final blocks: not a period
        if line.startswith("Port statistics ===="):
            if cur is not None:
                rates.append(cur)
            cur = 0.0
        elif cur is not None:
            m = re.match(r"^\s+Rx-pps:\s+(\d+)", line)
            if m:
                cur += float(m.group(1))
    if cur is not None:
        rates.append(cur)
    return rates


def testpmd_rates(out):
    """testpmd prints Rx-pps per port per period; sum them in pairs."""
    vals = [float(v) for v in re.findall(r"Rx-pps:\s+(\d+)", out)]
    return [vals[i] + vals[i + 1] for i in range(0, len(vals) - 1, 2)]
