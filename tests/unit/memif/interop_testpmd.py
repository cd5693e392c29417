#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""vfnet fwd with net_memif against Debian's dpdk-testpmd with net_memif (TAP).

usage: interop_testpmd.py FWD TEST_MEMIF

Four cases, two queue pairs each: vfnet server or client, frames from vfnet to DPDK or from DPDK
to vfnet.  testpmd runs interactively, driven through its stdin (and so
does a sending fwd, so that it stops forwarding before it disconnects): the
receiver runs first and last, the sender forwards for a while and stops,
then the receiver's count must equal the sender's exactly (testpmd
runs with --no-flush-rx: its "start" would otherwise drop what a vfnet
sender queued before it) (vfnet's
counters and its port statistics, testpmd's "stop" forward statistics).
One more case uses DPDK's default abstract socket.  Zero-copy: vfnet's
client with zero-copy=yes (its --no-huge memfd shared with testpmd's
server) both directions, counted as above, and testpmd's zero-copy client
(its --no-huge memfd, which cannot take seals, shared with vfnet's
server) both directions; and an echo with sequence
numbers: test_memif --echo, a zero-copy client, sends self-checking
frames of 64 to 1518 bytes that testpmd (server, io forwarding) sends
back, each checked in order and intact.  Skips with the reason when
dpdk-testpmd or DPDK's memif driver is missing.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
from vfn_tap import tap, diag, done  # noqa: E402

NQ = 2  # queue pairs: testpmd prints per-stream counts with several

# Every process's log, in one directory made at the first log: removed
# when all checks pass, kept (and named in a diagnostic) when one fails.
LOGDIR = []


def logpath(tag):
    if not LOGDIR:
        LOGDIR.append(tempfile.mkdtemp(prefix="vfn-memif-interop-"))
    return os.path.join(LOGDIR[0], tag + ".log")


def memif_pmd_present():
    return bool(glob.glob("/usr/lib/*/dpdk/pmds-*/librte_net_memif.so*"))


class TestPmd:
    def __init__(self, vdev, tag, eal=()):
        # Line-buffered, so that "start" shows when it is done.
        cmd = ["stdbuf", "-oL", "dpdk-testpmd", "--no-huge", "--no-pci", "-m", "512"] + \
            list(eal) + [
               "--lcores", "0@1,1@0", "--file-prefix", tag,
               "--log-level", "pmd.net.memif:info", "--vdev", vdev, "--",
               "-i", "--total-num-mbufs=16384", "--no-lsc-interrupt", "--no-flush-rx",
               "--rxq=%d" % NQ, "--txq=%d" % NQ]
        self.log = open(logpath(tag), "w+")
        # meson's MALLOC_PERTURB_ is for our programs, not the reference.
        env = {k: v for k, v in os.environ.items() if k != "MALLOC_PERTURB_"}
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                  stdout=self.log, stderr=subprocess.STDOUT,
                                  text=True, env=env)

    def cmd(self, line):
        try:
            self.p.stdin.write(line + "\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            pass

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def wait_for(self, text, secs=30):
        """Wait until @text shows in testpmd's output (or it exited)."""
        end = time.time() + secs
        while time.time() < end and self.p.poll() is None:
            # Its own open file: testpmd shares self.log's offset.
            with open(self.log.name) as f:
                if text in f.read():
                    return True
            time.sleep(0.05)
        return False

    def quit(self):
        self.cmd("quit")
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        self.killed = False
        try:
            self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.killed = True
            self.p.kill()
            self.p.wait()
        return self.output()

    def crashed(self):
        """The signal testpmd died of, if it was not ours, else 0."""
        rc = self.p.returncode
        return -rc if rc is not None and rc < 0 and not self.killed else 0


def fwd_cmd(fwd, vdev, tag, mode, duration, interactive=False):
    return [fwd, "--no-huge", "-m", "256", "-l", "0,1", "--file-prefix", tag,
            "--log-level", "6", "--vdev", vdev, "--",
            "--forward-mode=" + mode, "--duration=%g" % duration,
            "--rxq=%d" % NQ, "--txq=%d" % NQ] + (["-i"] if interactive else [])


def fwd_prompt_totals(out):
    """The counts fwd_totals reads, from fwd's prompt: "stop"'s forward
    statistics (what the engine sent), "show port stats 0" (the port's
    own counters) and the mbuf line printed at exit."""
    f = re.search(r"Forward statistics for port 0 .*?\n"
                  r"\s*RX-packets:\s*(\d+).*?\n\s*TX-packets:\s*(\d+)",
                  out, re.S)
    n = re.search(r"NIC statistics for port 0 .*?RX-packets:\s*(\d+)"
                  r".*?RX-errors:\s*(\d+).*?TX-packets:\s*(\d+)", out, re.S)
    b = re.search(r"^fwd-mbufs: .*in_use=(\d+)", out, re.M)
    if not f or not n:
        return None
    return {"ipackets": int(n.group(1)), "ierrors": int(n.group(2)),
            "opackets": int(n.group(3)), "s_rx": f.group(1),
            "s_tx": f.group(2), "in_use": int(b.group(1)) if b else -1}


def fwd_totals(out):
    m = re.search(r"^fwd-port: port=0 (.*)$", out, re.M)
    s = re.search(r"^fwd-summary: (.*)$", out, re.M)
    b = re.search(r"^fwd-mbufs: .*in_use=(\d+)", out, re.M)
    if not m or not s:
        return None
    d = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)\b", m.group(1))}
    d.update({"s_" + k: v for k, v in re.findall(r"(\w+)=(\S+)", s.group(1))})
    d["in_use"] = int(b.group(1)) if b else -1
    return d


def testpmd_fwd_stats(out):
    """Sum of testpmd's per-stream counters (printed with several streams).

    Not its port statistics: DPDK's memif reports zero once disconnected,
    so the port-based totals of "stop" wrap after the peer went away.
    """
    st = re.findall(r"Forward Stats for RX Port=\s*\d+/Queue=\s*\d+ .*?\n"
                    r"\s*RX-packets:\s*(\d+)\s+TX-packets:\s*(\d+)", out)
    if len(st) != NQ:
        return None
    return sum(int(r) for r, _ in st), sum(int(t) for _, t in st)


def nic_packets(out, field):
    """@field ("RX" or "TX") of the last "show port stats" block in @out."""
    st = re.findall(r"NIC statistics for port 0 .*?%s-packets:\s*(\d+)"
                    % field, out, re.S)
    return int(st[-1]) if st else None


def wait_drained(tp, fwd_out, secs=20):
    """After a vfnet sender's "stop": wait until testpmd's port has
    received all fwd sent, so its own "stop" comes after the last frame.
    A fixed pause was too short once the host was loaded (1024 frames, a
    full ring per queue, still in flight after 0.5 s)."""
    end = time.time() + secs
    sent = None
    while time.time() < end and sent is None:
        sent = nic_packets(fwd_out(), "TX")
        time.sleep(0.05)
    while time.time() < end and sent is not None:
        tp.cmd("show port stats 0")
        time.sleep(0.2)
        got = nic_packets(tp.output(), "RX")
        if got is not None and got >= sent:
            return
    diag("testpmd's port had not received all fwd sent after %d s" % secs)


def wait_listener(sock, abstract, secs=20):
    """Wait until a server listens on @sock (fwd's EAL init may be slow)."""
    name = ("@" if abstract else "") + sock
    end = time.time() + secs
    while time.time() < end:
        with open("/proc/net/unix") as f:
            if any(line.split()[-1] == name for line in f
                   if len(line.split()) >= 8):
                return
        time.sleep(0.05)


def run_case(fwd, vrole, direction, sock, abstract, idx, zc=False):
    """One case; once more when testpmd itself died of a signal.

    DPDK 22.11's memif sets up and unmaps the regions in its interrupt
    thread while its forwarding lcore may be reading the rings
    (rte_eth_memif.c, memif_connect/memif_disconnect): testpmd then dies
    of SIGSEGV when the vfnet peer connects or stops, rarely (seen in CI
    after "Connected." with an ASan fwd as the client).  That is DPDK's
    bug, not a count to compare; it is reported with the signal and the
    case runs again, up to three times: a fault vfnet caused would repeat.
    """
    retry_crashed("case", lambda tag, last: run_case_once(
        fwd, vrole, direction, sock, abstract, "%d_%s" % (idx, tag), last,
        zc))


def retry_crashed(what, once):
    """Run once(tag, last) up to three times while it returns the signal
    testpmd died of (see run_case); the third run reports as it is."""
    for attempt in range(3):
        res = once(str(attempt), attempt == 2)
        if not res:
            return
        diag("testpmd died of signal %d (DPDK memif maps and unmaps "
             "under its lcore); running the %s again" % (res, what))


def run_case_once(fwd, vrole, direction, sock, abstract, idx, last, zc):
    trole = "client" if vrole == "server" else "server"
    sockarg = "socket=%s" % sock + ("" if abstract else ",socket-abstract=no")
    # zc: the client (vfnet's or testpmd's) runs zero-copy=yes.
    vzc, tzc = zc and vrole == "client", zc and vrole == "server"
    name = "vfnet %s%s, %s%s%s" % (vrole, " zero-copy" if vzc else "",
                                   direction,
                                   ", DPDK zero-copy client" if tzc else "",
                                   ", abstract socket" if abstract else "")
    if not abstract:
        try:
            os.unlink(sock)
        except FileNotFoundError:
            pass
    tag = "vfnip%d_%s" % (os.getpid(), idx)
    vsend = direction == "vfnet->dpdk"
    vdev_v = "net_memif0,role=%s,%s%s" % (vrole, sockarg,
                                          ",zero-copy=yes" if vzc else "")
    vdev_t = "net_memif0,role=%s,%s%s" % (trole, sockarg,
                                          ",zero-copy=yes" if tzc else "")
    # fwd runs until SIGINT: timed from the connection, not from its
    # launch (EAL init, testpmd's start and DPDK's one connect attempt
    # take seconds on a loaded host).  The receiver lives longer than
    # the sender on both sides.
    #
    # A vfnet sender runs at fwd's prompt and stops forwarding before
    # testpmd stops and before it quits: DPDK 22.11's memif crashes
    # testpmd (see run_case) when the disconnect comes while its lcore
    # polls a ring that still receives, and with DPDK's zero-copy client
    # that happened in 3 of 3 tries on a loaded host.
    start = []
    flog = open(logpath(tag + "v"), "w")

    def start_fwd():
        start.append(subprocess.Popen(
            fwd_cmd(fwd, vdev_v, tag + "v", "txonly" if vsend else "rxonly",
                    60, interactive=vsend),
            stdin=subprocess.PIPE if vsend else subprocess.DEVNULL,
            stdout=flog, stderr=subprocess.STDOUT, text=True))
        if vsend:
            fwd_say("start")

    def fwd_out():
        with open(flog.name) as f:
            return f.read()

    def fwd_say(line):
        start[0].stdin.write(line + "\n")
        start[0].stdin.flush()

    def stop_fwd():
        start[0].send_signal(signal.SIGINT)
        start[0].wait(timeout=60)
        flog.close()
        return fwd_out()

    def quit_fwd():
        fwd_say("quit")
        start[0].stdin.close()
        start[0].wait(timeout=60)
        flog.close()
        return fwd_out()

    # DPDK's client does not retry its connect: its server goes first.
    if vrole == "server":
        start_fwd()
        wait_listener(sock, abstract)
    # DPDK's zero-copy refuses multi-file segments.
    tp = TestPmd(vdev_t, tag + "t",
                 ["--single-file-segments"] if tzc else [])
    tp.cmd("set fwd %s" % ("rxonly" if vsend else "txonly"))
    tp.cmd("start")
    tp.wait_for("packet forwarding - ports=")
    if vrole == "client":
        start_fwd()
    fw = start[0]
    tp.wait_for("Connected.")
    time.sleep(1.5)
    if vsend:
        fwd_say("stop")
        fwd_say("show port stats 0")
        wait_drained(tp, fwd_out)
        tp.cmd("stop")
        time.sleep(0.5)
        out = quit_fwd()
    else:
        tp.cmd("stop")
        time.sleep(0.5)
        out = stop_fwd()
    time.sleep(0.5)
    tp.cmd("show port stats 0")
    time.sleep(0.3)
    tout = tp.quit()
    if tp.crashed() and not last:
        fw.wait()
        return tp.crashed()
    v = fwd_prompt_totals(out) if vsend else fwd_totals(out)
    t = testpmd_fwd_stats(tout)
    if not tap(fw.returncode == 0 and v is not None,
               "%s: fwd ran and exited 0" % name,
               "exit %s" % fw.returncode):
        diag(out[-3000:])
        return
    if not tap(t is not None, "%s: testpmd printed its forward statistics"
               % name, "testpmd exit %s%s" % (tp.p.returncode,
                                             ", killed by the test after 20 s"
                                             if tp.killed else "")):
        diag(tout[-3000:])
        return
    sent, got = (v["opackets"], t[0]) if vsend else (t[1], v["ipackets"])
    tap(sent > 1000, "%s: link came up and frames flowed (%d sent)"
        % (name, sent), "only %d frames sent" % sent)
    ok = tap(sent == got, "%s: %s received %d of %d sent" %
             (name, "DPDK" if vsend else "vfnet", got, sent),
             "sent %d received %d" % (sent, got))
    if not ok:
        diag(out[-2000:])
        diag(tout[-3000:])
    if vsend:
        tap(v["s_tx"] == str(v["opackets"]),
            "%s: fwd's tx count equals the port's opackets" % name)
    else:
        tap(v["s_rx"] == str(v["ipackets"]) and v["ierrors"] == 0,
            "%s: fwd's rx count equals the port's ipackets, no errors"
            % name)
    tap(v["in_use"] == 0, "%s: every mbuf back in the pool" % name)


def run_echo(test_memif, sock, idx):
    """vfnet zero-copy client (test_memif --echo) against testpmd's server
    in io mode: self-checking frames with sequence numbers, both ways.
    Once more when testpmd died at the disconnect (see run_case)."""
    retry_crashed("echo", lambda tag, last: run_echo_once(
        test_memif, sock, "%d_%s" % (idx, tag), last))


def run_echo_once(test_memif, sock, idx, last):
    name = "vfnet client zero-copy, echo through testpmd"
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    tag = "vfnip%d_%s" % (os.getpid(), idx)
    sockarg = "socket=%s,socket-abstract=no" % sock
    tp = TestPmd("net_memif0,role=server,%s" % sockarg, tag + "t")
    tp.cmd("set fwd io")
    tp.cmd("start")
    wait_listener(sock, False)
    per_q = 20000
    p = subprocess.run([test_memif, "--echo",
                        "role=client,%s,zero-copy=yes" % sockarg,
                        str(NQ), str(per_q)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=120)
    tp.cmd("stop")
    time.sleep(0.3)
    tout = tp.quit()
    if tp.crashed() and not last:
        return tp.crashed()
    m = re.search(r"echo ok=(\d) tx=(\d+) rx=(\d+) bad=(\d+)", p.stdout)
    u = re.search(r"inuse=(\d+)", p.stdout)
    want = per_q * NQ
    ok = tap(p.returncode == 0 and m is not None and m.group(1) == "1"
             and int(m.group(3)) == want and m.group(4) == "0",
             "%s: %d frames of 64-1518 B on %d queues came back in order "
             "and intact" % (name, want, NQ),
             m.group(0) if m else "exit %d" % p.returncode)
    if not ok:
        diag(p.stdout[-2000:])
        diag(tout[-2000:])
    t = testpmd_fwd_stats(tout)
    tap(t is not None and t[0] == want and t[1] == want,
        "%s: testpmd received and sent %d" % (name, want),
        "testpmd rx/tx %s" % (t,))
    tap(u is not None and u.group(1) == "0",
        "%s: every mbuf back in vfnet's pool" % name,
        u.group(0) if u else "no inuse line")


def main():
    fwd = sys.argv[1]
    test_memif = sys.argv[2]
    if not shutil.which("dpdk-testpmd"):
        print("1..0 # SKIP dpdk-testpmd not installed (Debian package "
              "dpdk; tools/setup-deps installs it)")
        return 0
    if not memif_pmd_present():
        print("1..0 # SKIP DPDK's net_memif driver is not installed")
        return 0
    sock = "/tmp/vfn-memif-interop-%d.sock" % os.getpid()
    idx = 0
    for vrole in ("server", "client"):
        for direction in ("vfnet->dpdk", "dpdk->vfnet"):
            idx += 1
            run_case(fwd, vrole, direction, sock, False, idx)
    run_case(fwd, "client", "dpdk->vfnet",
             "vfn-memif-interop-%d" % os.getpid(), True, idx + 1)
    idx += 1
    for direction in ("vfnet->dpdk", "dpdk->vfnet"):
        idx += 1
        run_case(fwd, "client", direction, sock, False, idx, zc=True)
    for direction in ("vfnet->dpdk", "dpdk->vfnet"):
        idx += 1
        run_case(fwd, "server", direction, sock, False, idx, zc=True)
    run_echo(test_memif, sock, idx + 1)
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    rc = done()
    if rc and LOGDIR:
        diag("logs kept in %s" % LOGDIR[0])
    elif LOGDIR:
        shutil.rmtree(LOGDIR[0], ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
