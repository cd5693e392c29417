#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd -i driven through a pseudo-terminal, as a person types (TAP).

usage: test_prompt.py FWD

Scripted sessions on net_null and net_ring ports: configure, start, stop,
and the counts of testpmd's printed blocks checked against each other
(per port, per stream, accumulated, NIC counters) and against what was
asked (tx_first bursts); libedit's tab completion and history through the
terminal; errors for unknown commands (with the nearest command) and bad
arguments; link changes printed as testpmd prints them; quit returns every
mbuf.  Every session has its own --file-prefix.
"""
import os
import pty
import re
import select
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
from vfn_tap import tap, skip, done  # noqa: E402

PROMPT = "testpmd> "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|[\x07\x08]")


class Session:
    """fwd -i on a pseudo-terminal; send() types, until() reads."""

    def __init__(self, fwd, eal, opts, prefix):
        cmd = [fwd, "--no-huge", "-m", "256", "-l", "0,1", "--log-level",
               "5", "--file-prefix", prefix] + eal + ["--", "-i"] + opts
        self.argv = " ".join(cmd)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(fwd, cmd)
        self.buf = ""
        self.log = ""

    def read(self, secs):
        r, _, _ = select.select([self.fd], [], [], secs)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536).decode(errors="replace")
        except OSError:
            return None  # the child closed the terminal
        if not data:
            return None
        self.buf += data
        self.log += data
        return True

    def until(self, text, secs=20):
        """Output up to and including @text (escapes and CRs removed)."""
        end = time.time() + secs
        while True:
            clean = ANSI.sub("", self.buf).replace("\r", "")
            i = clean.find(text)
            if i >= 0:
                self.buf = clean[i + len(text):]
                return clean[:i + len(text)]
            left = end - time.time()
            if left <= 0 or self.read(left) is None:
                return None

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def cmd(self, line, secs=20):
        """Type @line and Enter; the output up to the next prompt."""
        self.send(line + "\r")
        out = self.until(PROMPT, secs)
        if out is None:
            return None
        # Drop the echoed line (the first) and the prompt.  Keys that
        # arrive before libedit has put the terminal in raw mode (it
        # prints the prompt first; a loaded host widens that window) are
        # echoed twice, by the tty driver and by libedit: drop a second
        # echo too.
        if "\n" not in out:
            return ""
        rest = out.split("\n", 1)[1][:-len(PROMPT)]
        first, nl, after = rest.partition("\n")
        if first.strip() == line.strip():
            return after if nl else ""
        return rest

    def finish(self, secs=30):
        end = time.time() + secs
        while time.time() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self.read(0.1):
                    pass
                return os.waitstatus_to_exitcode(status)
            self.read(0.1)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None


def nums(text, key):
    return [int(v) for v in re.findall(key + r":\s+(\d+)", text)]


def blocks(out, title):
    """The blocks whose header line holds @title, as text, in order."""
    parts = re.split(r"\n(?=\s+[-#+]{7,} )", out)
    return [p for p in parts if title in p.split("\n", 1)[0]]


def fwd_stats(out):
    """testpmd's stop output: {port: (rx, rx_drop, tx, tx_drop)}, acc."""
    ports = {}
    for b in blocks(out, "Forward statistics for port"):
        p = int(re.search(r"for port (\d+)", b).group(1))
        rx, rxd = nums(b, "RX-packets")[0], nums(b, "RX-dropped")[0]
        tx, txd = nums(b, "TX-packets")[0], nums(b, "TX-dropped")[0]
        ports[p] = (rx, rxd, tx, txd)
    acc = blocks(out, "Accumulated forward statistics")
    a = None
    if acc:
        a = (nums(acc[0], "RX-packets")[0], nums(acc[0], "RX-dropped")[0],
             nums(acc[0], "TX-packets")[0], nums(acc[0], "TX-dropped")[0],
             nums(acc[0], "RX-total")[0], nums(acc[0], "TX-total")[0])
    return ports, a


def acc_adds_up(ports, acc):
    return acc is not None and ports and all(
        acc[i] == sum(v[i] for v in ports.values()) for i in range(4)) and \
        acc[4] == acc[0] + acc[1] and acc[5] == acc[2] + acc[3]


def nic_stats(out):
    """show port stats: {port: (rx, tx)}."""
    res = {}
    for b in blocks(out, "NIC statistics for port"):
        p = int(re.search(r"for port (\d+)", b).group(1))
        res[p] = (nums(b, "RX-packets")[0], nums(b, "TX-packets")[0])
    return res


def wait_rx(s, least=1000, secs=30):
    """Show port stats until every port received @least packets (a loaded
    host may give the lcore its CPU late).  The last output."""
    end = time.time() + secs
    while True:
        out = s.cmd("show port stats all") or ""
        nic = nic_stats(out)
        if nic and all(v[0] >= least for v in nic.values()) or \
                time.time() > end:
            return out
        time.sleep(0.2)


def session_null(fwd):
    s = Session(fwd, ["--vdev", "net_null0", "--vdev", "net_null1"],
                ["--nb-cores=1"], "prompt_null%d" % os.getpid())
    head = s.until(PROMPT, 60)
    if not tap(head is not None, "null: the prompt appears", s.log):
        s.finish(1)
        return
    out = s.cmd("help")
    tap(out and "start tx_first" in out and "show port stats" in out and
        "port config all rxq|txq|rxd|txd" in out, "help lists the commands",
        out or s.log)
    out = s.cmd("show config fwd")
    tap(out and "io packet forwarding - ports=2 - cores=1 - streams=2" in out
        and "RX P=0/Q=0 (socket 0) -> TX P=1/Q=0 (socket 0)" in out,
        "show config fwd: testpmd's stream lines", out or s.log)
    out = s.cmd("set fwd macswap")
    tap(out and "Set macswap packet forwarding mode" in out,
        "set fwd macswap", out or s.log)
    out = s.cmd("set burst 16")
    tap(out and "Number of packets per burst set to 16" in out,
        "set burst 16", out or s.log)
    out = s.cmd("show config rxtx")
    tap(out and "macswap packet forwarding packets/burst=16" in out,
        "show config rxtx follows the settings", out or s.log)
    out = s.cmd("show config cores")
    tap(out and re.search(r"List of forwarding lcores:\s+1\b", out),
        "show config cores", out or s.log)
    out = s.cmd("start")
    tap(out is not None and "macswap packet forwarding" in out,
        "start", out or s.log)
    out = wait_rx(s)
    nic = nic_stats(out)
    tap(sorted(nic) == [0, 1] and all(v[0] > 0 for v in nic.values()) and
        "Throughput (since last show)" in out,
        "show port stats all while forwarding: both ports receive",
        out or s.log)
    out = s.cmd("start")
    tap(out and "Packet forwarding already started" in out,
        "a second start is refused", out or s.log)
    out = s.cmd("stop", 30)
    ports, acc = fwd_stats(out or "")
    tap(out and "Telling cores to stop..." in out and "Done." in out and
        sorted(ports) == [0, 1], "stop prints a block per port",
        out or s.log)
    tap(acc_adds_up(ports, acc), "accumulated block = sum of the port "
        "blocks, totals = packets + dropped", out or s.log)
    tap(ports and acc[0] > 0 and acc[2] + acc[3] == acc[0],
        "macswap: every packet received was sent or dropped", out or s.log)
    nic = nic_stats(s.cmd("show port stats all") or "")
    tap(ports and all(nic.get(p, (None,))[0] == ports[p][0] and
                      nic[p][1] == ports[p][2] for p in ports),
        "NIC counters after stop equal the forward statistics",
        "%s %s" % (nic, ports))
    out = s.cmd("clear port stats all")
    tap(out and "NIC statistics for port 0 cleared" in out and
        "NIC statistics for port 1 cleared" in out, "clear port stats all",
        out or s.log)
    nic = nic_stats(s.cmd("show port stats 1") or "")
    tap(nic == {1: (0, 0)}, "show port stats 1 after clear: zero",
        str(nic))
    out = s.cmd("stop")
    tap(out and "Packet forwarding not started" in out,
        "stop when stopped", out or s.log)
    # Queues: two per port, so four streams and testpmd's stream blocks.
    out = s.cmd("port config all rxq 2")
    tap(out and "Please stop all ports first" in out,
        "port config refused while ports run", out or s.log)
    out = s.cmd("port stop all")
    tap(out and "Port 0 stopped" in out and "Port 1 stopped" in out,
        "port stop all", out or s.log)
    out = s.cmd("start")
    tap(out and "Not all ports were started" in out,
        "start with ports stopped is refused", out or s.log)
    s.cmd("port config all rxq 2")
    s.cmd("port config all txq 2")
    out = s.cmd("port start all")
    tap(out and "Configuring Port 0" in out and "Port 1 started" in out
        and "Done" in out, "port start all reconfigures", out or s.log)
    out = s.cmd("set nbcore 1")
    tap(out and "Number of forwarding cores set to 1" in out,
        "set nbcore 1", out or s.log)
    out = s.cmd("start")
    tap(out and "streams=4" in out and "RX queue number: 2" in out,
        "start on 2 queues: 4 streams", out or s.log)
    # Each of the 4 streams moves packets once both ports did twice the
    # lcore's share (streams with no packets have no block, as testpmd).
    wait_rx(s, 100000)
    out = s.cmd("stop", 30) or ""
    ports, acc = fwd_stats(out)
    streams = blocks(out, "Forward Stats for RX Port=")
    srx = sum(nums("\n".join(streams), "RX-packets"))
    tap(len(streams) == 4 and acc is not None and srx == acc[0],
        "stop: 4 stream blocks whose rx adds up to the accumulated rx",
        out)
    out = s.cmd("show port 0 rss-hash")
    tap(out and ("RSS functions:" in out or "RSS disabled" in out or
                 "hash key size" in out), "show port 0 rss-hash",
        out or s.log)
    out = s.cmd("show port info 0")
    tap(out and "Infos for port 0" in out and "Current number of RX "
        "queues: 2" in out, "show port info 0", out or s.log)
    out = s.cmd("show port xstats all")
    tap(out and "NIC extended statistics for port 0" in out and
        "NIC extended statistics for port 1" in out,
        "show port xstats all", out or s.log)
    out = s.cmd("set promisc all on")
    tap(out is not None and "Error" not in out, "set promisc all on",
        out or s.log)
    out = s.cmd("set portmask 0x1")
    tap(out == "", "set portmask 0x1: silent, as testpmd", out or s.log)
    out = s.cmd("show config fwd")
    tap(out and "ports=1" in out, "show config fwd after set portmask",
        out or s.log)
    s.cmd("set portmask 0x3")
    s.cmd("set txpkts 64,100")
    s.cmd("set fwd txonly")
    out = s.cmd("show config rxtx")
    tap(out and "packet len=164 - nb packet segments=2" in out,
        "set txpkts 64,100: show config rxtx under txonly", out or s.log)
    s.cmd("set fwd macswap")
    # Errors.
    out = s.cmd("strt")
    tap(out and "Command not found" in out and "did you mean 'start'" in
        out, "unknown command: the nearest is suggested", out or s.log)
    out = s.cmd("start tx_frist")
    tap(out and "did you mean 'start tx_first" in out,
        "a misspelt second word: the nearest is suggested", out or s.log)
    out = s.cmd("show port stats")
    tap(out and "Bad arguments: usage: show port stats|xstats|info all|N"
        in out, "a missing argument: the usage", out or s.log)
    out = s.cmd("show port stats al")
    tap(out and "Bad arguments" in out and "ports are 0 1" in out,
        "bad port: the ports are listed", out or s.log)
    out = s.cmd("set fwd bogus")
    tap(out and "not a forwarding mode" in out and "macswap" in out,
        "bad mode: the modes are listed", out or s.log)
    out = s.cmd("set burst 100000")
    tap(out and "nb pkts per burst must be" in out, "burst out of range",
        out or s.log)
    # libedit: completion of a command and of port ids, history.
    s.send("sho\t")
    echo = s.until("show ", 10)
    tap(echo is not None, "TAB completes 'sho' to 'show '", s.log[-300:])
    s.send("port sta\t")
    echo = s.until("stats ", 10)
    tap(echo is not None, "TAB completes 'port sta' to 'port stats '",
        s.log[-300:])
    s.send("\t")
    echo = s.until("all  0  1", 10)
    tap(echo is not None and s.until(PROMPT + "show port stats ", 10)
        is not None, "TAB lists 'all 0 1' and redraws the line",
        s.log[-300:])
    out = s.cmd("0")
    tap(out and nic_stats(out).keys() == {0},
        "the completed line runs: show port stats 0", out or s.log)
    s.cmd("set burst 8")
    s.cmd("show config cores")
    s.send("\x1b[A\x1b[A")
    out = s.cmd("")
    tap(out and "Number of packets per burst set to 8" in out,
        "up arrow twice recalls 'set burst 8'", out or s.log[-500:])
    out = s.cmd("start tx_first 3")
    tap(out is not None and "macswap packet forwarding" in out,
        "start tx_first 3", out or s.log)
    s.send("quit\r")
    out = s.until("Bye...", 30)
    tap(out and "Accumulated forward statistics" in out,
        "quit while forwarding stops first", out or s.log)
    code = s.finish()
    tap(code == 0 and "fwd-mbufs: total=" in s.log and
        re.search(r"fwd-mbufs: total=\d+ in_use=0", s.log),
        "exit 0, every mbuf back in the pool", "exit %s\n%s" %
        (code, s.log[-2000:]))


def session_ring(fwd):
    rings = ["--vdev", "net_ring0,rx=pr_a,tx=pr_b",
             "--vdev", "net_ring1,rx=pr_b,tx=pr_a"]
    s = Session(fwd, rings, [], "prompt_ring%d" % os.getpid())
    if not tap(s.until(PROMPT, 60) is not None, "ring: the prompt appears",
               s.log):
        s.finish(1)
        return
    # io on a ring pair forwards only what tx_first puts in: 3 bursts of
    # 32 on each of the 2 streams are 192 packets that circulate.
    s.cmd("set burst 32")
    pcap = "/tmp/prompt_ring%d.pcap" % os.getpid()
    out = s.cmd("capture start 0 " + pcap)
    tap(out and "Capturing port 0 (rx and tx) to " + pcap in out,
        "ring: capture start before start", out or s.log)
    out = s.cmd("start tx_first 3")
    tap(out is not None and "io packet forwarding" in out,
        "ring: start tx_first 3", out or s.log)
    wait_rx(s)
    out = s.cmd("stop", 30) or ""
    ports, acc = fwd_stats(out)
    tap(acc_adds_up(ports, acc), "ring: accumulated block adds up", out)
    tap(acc is not None and acc[0] > 0 and acc[5] == acc[0] + 192,
        "ring: tx total = rx + 3 bursts x 32 x 2 streams", out)
    inflight = acc[5] - acc[3] - acc[0] if acc else -1
    tap(acc is not None and 0 <= inflight <= 192,
        "ring: sent - received is what is still in the rings (%d)" %
        inflight, out)
    out = s.cmd("capture list")
    tap(out and pcap in out, "ring: capture list", out or s.log)
    out = s.cmd("capture stop 0 " + pcap) or ""
    m = re.search(r"fwd-capture: port=0 .* captured=(\d+) filtered=(\d+) "
                  r"dropped=(\d+)", out)
    seen = ports[0][0] + ports[0][2] if 0 in ports else -1
    tap(m and sum(int(x) for x in m.groups()) == seen,
        "ring: captured + filtered + dropped = port 0 rx + tx (%d)" % seen,
        out)
    try:
        import subprocess
        r = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-e",
                            "frame.number"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, timeout=60)
        frames = len([x for x in r.stdout.split() if x.isdigit()])
        tap(m and frames == int(m.group(1)),
            "ring: tshark reads as many frames as captured (%d)" % frames,
            r.stdout[-500:])
    except FileNotFoundError:
        skip("ring: tshark count", "no tshark")
    finally:
        if os.path.exists(pcap):
            os.unlink(pcap)
    out = s.cmd("capture stop 0 " + pcap)
    tap(out and "is not captured" in out, "ring: capture stop twice",
        out or s.log)
    # Link changes, as testpmd prints them (LSC polled on ring ports,
    # every 250 ms).  The event of the ports' start came long ago.
    ev = "Port 0: link state change event"
    for word, state in (("down", "down"), ("up", "up")):
        s.send("set link-%s port 0\r" % word)
        out = s.until(ev, 10)
        tap(out is not None and "set link-%s port 0" % word in out,
            "ring: set link-%s port 0 prints testpmd's event line" % word,
            s.log[-500:])
        out = s.cmd("show port info 0")
        tap(out and "Link status: %s" % state in out,
            "ring: port 0 link is %s" % state, out or s.log)
    out = s.cmd("set link-down port 5")
    tap(out and "the ports are 0 1" in out, "ring: set link-down of no "
        "port", out or s.log)
    s.send("quit\r")
    s.until("Bye...", 30)
    code = s.finish()
    tap(code == 0 and re.search(r"fwd-mbufs: total=\d+ in_use=0", s.log),
        "ring: exit 0, every mbuf back in the pool",
        "exit %s\n%s" % (code, s.log[-2000:]))


def session_eof(fwd):
    """Ctrl-D at the prompt leaves as quit does; SIGINT too."""
    s = Session(fwd, ["--vdev", "net_null0", "--vdev", "net_null1"],
                ["--auto-start"], "prompt_eof%d" % os.getpid())
    out = s.until(PROMPT, 60)
    tap(out and "io packet forwarding" in out,
        "--auto-start starts forwarding before the prompt", s.log)
    # libedit prints the prompt before it puts the terminal in raw mode: a
    # Ctrl-D typed ahead in cooked mode would be the terminal's EOF, not
    # a key.  Nobody types that fast: wait as a person would.
    time.sleep(0.3)
    s.send("\x04")
    out = s.until("Bye...", 30)
    tap(out and "Accumulated forward statistics" in out,
        "Ctrl-D stops forwarding and leaves", s.log[-1000:])
    tap(s.finish() == 0, "Ctrl-D: exit 0", s.log[-1000:])
    s = Session(fwd, ["--vdev", "net_null0", "--vdev", "net_null1"], [],
                "prompt_int%d" % os.getpid())
    s.until(PROMPT, 60)
    s.cmd("start")
    os.kill(s.pid, signal.SIGINT)
    out = s.until("Bye...", 30)
    tap(out and "Signal 2 received" in out and
        "Accumulated forward statistics" in out,
        "SIGINT at the prompt stops forwarding and leaves", s.log[-1000:])
    tap(s.finish() == 0, "SIGINT: exit 0", s.log[-1000:])


def session_pipe(fwd):
    """Commands piped in, as scripts drive testpmd: echoed after the
    prompt, run in order, the end of the input leaves."""
    import subprocess
    cmd = [fwd, "--no-huge", "-m", "256", "-l", "0,1", "--log-level", "5",
           "--file-prefix", "prompt_pipe%d" % os.getpid(), "--vdev",
           "net_null0", "--vdev", "net_null1", "--", "-i"]
    r = subprocess.run(cmd, input="set fwd rxonly\nstart\nshow port stats "
                       "0\nstop\n", stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=60)
    out = r.stdout
    ports, acc = fwd_stats(out)
    tap(r.returncode == 0 and PROMPT + "set fwd rxonly\n" in out and
        "Set rxonly packet forwarding mode" in out and
        acc_adds_up(ports, acc) and acc[2] == 0 and "Bye..." in out,
        "piped commands: echoed, run, rxonly sends nothing, exit 0", out)


def main():
    fwd = sys.argv[1]
    session_null(fwd)
    session_ring(fwd)
    session_eof(fwd)
    session_pipe(fwd)
    return done()


if __name__ == "__main__":
    sys.exit(main())
