#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run fwd and check its totals exactly.

usage: fwd_check.py FWD [--expect-rx N] [--expect-exit C] [--sigint N]
                        [--expect-stderr TEXT] -- FWD-ARGS...

--sigint N sends SIGINT once N periodic statistics blocks were printed
and one showed packets (so forwarding is known to run) and expects a clean exit with rx > 0;
--sigterm N does the same with SIGTERM.  --expect-locked yes|no (with
--sigint) checks VmLck of the running process: memory locked or not.
--expect-stdout TEXT checks a run's standard output.

Checks (unless the run is expected to fail): exit status, every mbuf back
in the pool, rx == N when given, tx + dropped == rx for the forwarding
engines, and the ports' counters agree with the forwarder's counters.
"""
import re
import signal
import subprocess
import sys
import time


def fail(msg, out=""):
    sys.stdout.write(out)
    print("FAIL:", msg)
    sys.exit(1)


def kv(line):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}


def main():
    argv = sys.argv[1:]
    sep = argv.index("--")
    fwd, opts, args = argv[0], argv[1:sep], argv[sep + 1:]
    expect_rx = expect_exit = sigint = None
    signum = signal.SIGINT
    expect_stderr = expect_locked = expect_stdout = None
    i = 0
    while i < len(opts):
        if opts[i] == "--expect-rx":
            expect_rx = int(opts[i + 1])
        elif opts[i] == "--expect-exit":
            expect_exit = int(opts[i + 1])
        elif opts[i] in ("--sigint", "--sigterm"):
            sigint = int(opts[i + 1])
            if opts[i] == "--sigterm":
                signum = signal.SIGTERM
        elif opts[i] == "--expect-stderr":
            expect_stderr = opts[i + 1]
        elif opts[i] == "--expect-locked":
            expect_locked = opts[i + 1] == "yes"
        elif opts[i] == "--expect-stdout":
            expect_stdout = opts[i + 1]
        i += 2
    cmd = [fwd] + args
    print("running:", " ".join(cmd))
    if sigint is not None:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        # N periods, one at least with packets: on a loaded host the
        # lcore may get its CPU only after the first periods.
        head, seen, moving = [], 0, False
        deadline = time.time() + 60
        while (seen < sigint or not moving) and time.time() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            head.append(line)
            seen += line.startswith("Port statistics ====")
            moving |= re.match(r"\s+RX-packets: [1-9]", line) is not None
        if seen < sigint or not moving:
            p.kill()
            fail("no periodic statistics before the signal", "".join(head))
        if expect_locked is not None:
            with open("/proc/%d/status" % p.pid) as f:
                lck = int(re.search(r"^VmLck:\s+(\d+)", f.read(),
                                    re.M).group(1))
            print("VmLck: %d kB" % lck)
            if expect_locked and lck == 0 and any(
                    "AddressSanitizer makes mlockall() a no-op" in l
                    for l in head):
                p.kill()
                sys.stdout.write("".join(head))
                print("SKIP: cannot lock memory under AddressSanitizer")
                sys.exit(77)
            if (lck > 0) != expect_locked:
                p.kill()
                fail("VmLck %d kB: memory %slocked" %
                     (lck, "not " if expect_locked else ""), "".join(head))
        p.send_signal(signum)
        rest, _ = p.communicate(timeout=60)
        out, err = "".join(head) + rest, ""
    else:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        out, err = p.communicate(timeout=120)
    both = out + err
    if expect_exit is not None and expect_exit != 0:
        if p.returncode != expect_exit:
            fail("exit status %d, expected %d" % (p.returncode, expect_exit),
                 both)
        if expect_stderr and expect_stderr not in err:
            fail("stderr lacks %r" % expect_stderr, both)
        sys.stdout.write(both)
        print("PASS: failed as expected")
        return
    if p.returncode != 0:
        fail("exit status %d" % p.returncode, both)
    if expect_stdout is not None:
        if expect_stdout not in out:
            fail("stdout lacks %r" % expect_stdout, both)
        sys.stdout.write(out)
        print("PASS: output as expected")
        return
    sys.stdout.write(out)
    summary = [kv(l) for l in out.splitlines() if l.startswith("fwd-summary:")]
    ports = [kv(l) for l in out.splitlines() if l.startswith("fwd-port:")]
    cores = [kv(l) for l in out.splitlines() if l.startswith("fwd-core:")]
    mbufs = [kv(l) for l in out.splitlines() if l.startswith("fwd-mbufs:")]
    if len(summary) != 1 or not ports or not cores or len(mbufs) != 1:
        fail("missing fwd-summary/fwd-port/fwd-core/fwd-mbufs lines", both)
    s = summary[0]
    rx, tx, dropped = int(s["rx"]), int(s["tx"]), int(s["dropped"])
    mode = s["mode"]
    if int(mbufs[0]["in_use"]) != 0:
        fail("%s mbufs not returned to the pool" % mbufs[0]["in_use"])
    if expect_rx is not None:
        counted = tx + dropped if mode in ("txonly", "flowgen") else rx
        if counted != expect_rx:
            fail("counted %d packets, expected exactly %d" % (counted,
                                                              expect_rx))
    if sum(int(c["rx"]) for c in cores) != rx:
        fail("per-core rx does not add up to the total")
    if sum(int(c["tx"]) for c in cores) != tx:
        fail("per-core tx does not add up to the total")
    ipk = sum(int(x["ipackets"]) for x in ports)
    opk = sum(int(x["opackets"]) for x in ports)
    if mode not in ("txonly", "flowgen") and ipk != rx:
        fail("ports received %d, forwarder counted %d" % (ipk, rx))
    if opk != tx:
        fail("ports sent %d, forwarder counted %d" % (opk, tx))
    if mode in ("io", "mac", "macswap") and "--tx-first" not in args:
        if tx + dropped != rx:
            fail("tx %d + dropped %d != rx %d" % (tx, dropped, rx))
    if sigint is not None and (rx == 0 or "signal %d received" % signum
                               not in out):
        fail("SIGINT run: no packets forwarded or no signal message")
    if "--tx-first" in args and tx + dropped < rx:
        fail("tx %d + dropped %d < rx %d" % (tx, dropped, rx))
    if sum(int(x["fwd_dropped"]) for x in ports) != dropped:
        fail("per-port drops do not add up")
    print("PASS: %s rx=%d tx=%d dropped=%d" % (mode, rx, tx, dropped))


main()
