# SPDX-License-Identifier: BSD-3-Clause
"""Rates read from the statistics that vfnet fwd and dpdk-testpmd print,
shared by bench/fwd_null/bench.py and bench/fwd_vm/bench.py."""
import re


def fwd_rates(out):
    """Per period: sum of the rx-pps column over the port rows."""
    rates, cur = [], None
    for line in out.splitlines():
        if line.startswith("---- fwd totals"):
            break  # the exit table has the same shape: not a period
        if line.startswith("---- fwd statistics"):
            if cur is not None:
                rates.append(cur)
            cur = 0.0
        elif cur is not None and re.match(r"^\d+\s", line) and \
                len(line.split()) == 8:
            cur += float(line.split()[1])
    if cur is not None:
        rates.append(cur)
    return rates


def testpmd_rates(out):
    """testpmd prints Rx-pps per port per period; sum them in pairs."""
    vals = [float(v) for v in re.findall(r"Rx-pps:\s+(\d+)", out)]
    return [vals[i] + vals[i + 1] for i in range(0, len(vals) - 1, 2)]
