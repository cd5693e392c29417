# SPDX-License-Identifier: BSD-3-Clause
"""One goal line, in the shape bench/README.md defines:

    GOAL <name> <value> <cmp> <target> met|BEHIND [free text]

bench/perf-suite collects these lines from every benchmark's output."""
import re
import sys

_NAME = re.compile(r"^[a-z0-9._-]+$")


def goal(name, value, cmp, target, text=""):
    """Print the goal line for @name: @value (a ratio vfnet/DPDK) against
    @target with @cmp ("<=" or ">="); returns True when met."""
    if not _NAME.match(name) or cmp not in ("<=", ">="):
        raise ValueError("goal: bad name %r or comparison %r" % (name, cmp))
    value = round(value, 2)  # judge the figure that is printed
    met = value <= target if cmp == "<=" else value >= target
    line = "GOAL %s %.2f %s %.2f %s" % (name, value, cmp, target,
                                        "met" if met else "BEHIND")
    print(line + (" " + text if text else ""))
    sys.stdout.flush()
    return met
