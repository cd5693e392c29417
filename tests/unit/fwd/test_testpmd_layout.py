#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd -i and Debian's dpdk-testpmd print the same thing (TAP).

usage: test_testpmd_layout.py FWD

The same commands typed into both, through a pseudo-terminal, on two
net_null ports with two queues each; each command's output compared line
by line once numbers (and MAC addresses) are masked: the words, their
order and the columns (numbers are masked by a run of '#' as wide as the
number, so a shifted column shows).  Commands whose output cannot be the
same are not compared: `start` (testpmd adds its NUMA and mempool
settings), `show port N rss-hash` (facts of each port API: testpmd's
net_null has no RSS key, vfnet's has), and errors
(fwd names the nearest command, testpmd does not).  `show port info`
is compared by its field names and their order (the values are facts of
each port API).  Skipped when
dpdk-testpmd is not installed.
"""
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
from test_prompt import PROMPT, Session  # noqa: E402
from vfn_tap import tap, skip, done  # noqa: E402

COMMANDS = ["set burst 16", "set fwd macswap", "set nbcore 1",
            "show config cores", "show config rxtx", "start", "stop",
            "show port stats 0", "show port xstats 1",
            "clear port stats all", "stop", "set portmask 0x3",
            "set txpkts 64,100", "set fwd txonly", "show config rxtx",
            "show port info 0"]
COMPARED = {c for c in COMMANDS if c not in ("start", "show port info 0")}


def info_keys(text):
    """show port info: the field names, in order, from the header to the
    descriptor limits (the values are each port API's facts; past these
    testpmd adds fields vfnet's port API does not have)."""
    keys = []
    for line in text.split("\n"):
        if ":" in line and not line.startswith(" "):
            keys.append(line.split(":", 1)[0].strip())
        if line.startswith("TXDs number alignment"):
            break
    return [k for k in keys if k != "Supported RSS offload flow types"]


def mask(text):
    text = re.sub(r"([0-9A-F]{2}:){5}[0-9A-F]{2}", "MAC", text)
    return [re.sub(r"\d+", lambda m: "#" * len(m.group(0)), line).rstrip()
            for line in text.split("\n") if line.strip()]


def short(x):
    return re.sub(r"#+", "#", re.sub(r" +", " ", x))


def line_ok(x, y):
    """The same words in the same order; and where the numbers have the
    same widths, the same columns."""
    if short(x) != short(y):
        return False
    if re.findall(r"#+", x) == re.findall(r"#+", y):
        return x == y
    return True


def session(argv):
    s = Session.__new__(Session)
    import pty
    s.pid, s.fd = pty.fork()
    if s.pid == 0:
        os.execv(argv[0], argv)
    s.buf = s.log = ""
    if s.until(PROMPT, 120) is None:
        return None, s
    time.sleep(0.5)
    out = {}
    for i, c in enumerate(COMMANDS):
        r = s.cmd(c, 60)
        out["%d %s" % (i, c)] = r or ""
        if c == "start":
            time.sleep(1)
    s.send("quit\r")
    s.until("Bye...", 60)
    s.finish(30)
    return out, s


def main():
    fwd = sys.argv[1]
    testpmd = shutil.which("dpdk-testpmd")
    if not testpmd:
        print("1..0 # SKIP dpdk-testpmd not installed (apt install dpdk)")
        return 0
    eal = ["--no-huge", "-m", "1024", "-l", "0,1", "--log-level", "5",
           "--vdev", "net_null0", "--vdev", "net_null1"]
    app = ["-i", "--rxq=2", "--txq=2", "--total-num-mbufs=16384",
           "--no-lsc-interrupt"]
    pid = os.getpid()
    ours, s1 = session([fwd, "--file-prefix", "layf%d" % pid] + eal +
                       ["--"] + app)
    theirs, s2 = session([testpmd, "--no-pci", "--file-prefix",
                          "layt%d" % pid] + eal + ["--"] + app)
    if not tap(ours is not None, "fwd -i runs the commands", s1.log[-2000:]):
        return done()
    if theirs is None:
        skip("dpdk-testpmd", "did not start here: %s" %
             s2.log[-300:].replace("\n", " "))
        return done()
    for key in sorted(ours, key=lambda k: int(k.split()[0])):
        if key.split(" ", 1)[1] not in COMPARED:
            continue
        a, b = mask(ours[key]), mask(theirs[key])
        diff = "fwd:\n%s\ntestpmd:\n%s" % ("\n".join(a), "\n".join(b))
        tap(len(a) == len(b) and all(line_ok(x, y) for x, y in zip(a, b)),
            "'%s': testpmd's output" % key.split(" ", 1)[1], diff)
    key = [k for k in ours if k.endswith("show port info 0")][0]
    a, b = info_keys(ours[key]), info_keys(theirs[key])
    tap(a and a == b, "'show port info 0': testpmd's fields in testpmd's "
        "order", "fwd: %s\ntestpmd: %s" % (a, b))
    return done()


sys.exit(main())
