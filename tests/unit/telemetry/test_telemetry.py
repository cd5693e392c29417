#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""DPDK's telemetry client against a running fwd (TAP).

usage: test_telemetry.py FWD

Runs fwd on two net_null ports with its own --file-prefix and queries it
with Debian's /usr/bin/dpdk-telemetry.py (commands on stdin, one JSON reply
per line) and with raw SOCK_SEQPACKET sockets: every DPDK command answers
valid JSON of DPDK's shape, the counters advance between two queries, bad
requests are answered with null, ten clients query at once, an eleventh is
refused while they hold their slots, clients that leave mid-reply do not
hurt the process, and the socket goes away at exit.  --no-telemetry leaves
no socket; a second process with the same prefix serves ":1" (-i 1).
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
from vfn_tap import tap, diag, done  # noqa: E402

CLIENT = "/usr/bin/dpdk-telemetry.py"


def rundir(prefix):
    base = os.environ.get("RUNTIME_DIRECTORY") or (
        "/var/run" if os.getuid() == 0 else
        os.environ.get("XDG_RUNTIME_DIR", "/tmp"))
    return os.path.join(base, "dpdk", prefix)


def start_fwd(fwd, prefix, extra=()):
    cmd = [fwd, "--no-huge", "-m", "256", "-l", "0,1", "--log-level", "5",
           "--file-prefix", prefix] + list(extra) + [
           "--vdev", "net_null0", "--vdev", "net_null1", "--",
           "--forward-mode=io", "--stats-period=0"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def wait_path(path, proc, secs=30):
    end = time.time() + secs
    while time.time() < end:
        if os.path.exists(path):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def client(prefix, cmds, instance=None):
    """Run DPDK's client with @cmds on stdin; its replies, parsed."""
    argv = [sys.executable, CLIENT, "-f", prefix]
    if instance:
        argv += ["-i", str(instance)]
    r = subprocess.run(argv, input="\n".join(cmds) + "\n", text=True,
                       capture_output=True, timeout=30)
    out = []
    for line in r.stdout.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append(("unparsed", line))
    return out, r


class Conn:
    """A raw client: the greeting, then request/reply."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.s.connect(path)  # blocking: waits while the backlog is full
        self.s.settimeout(20)
        raw = self.s.recv(1024)
        self.info = json.loads(raw.decode()) if raw else None

    def q(self, text):
        self.s.send(text.encode())
        return json.loads(self.s.recv(self.info["max_output_len"]).decode())

    def close(self):
        self.s.close()


def served_conn(path, secs=10):
    """A client fwd served (greeted), retried while all slots are taken."""
    end = time.time() + secs
    while True:
        c = Conn(path)
        if c.info or time.time() > end:
            return c
        c.close()
        time.sleep(0.05)


def wait_forwarding(path, proc, secs=20):
    """True once port 0 has received a packet, read through telemetry."""
    end = time.time() + secs
    c = Conn(path)
    try:
        while time.time() < end and proc.poll() is None:
            if c.q("/ethdev/stats,0")["/ethdev/stats"]["ipackets"] > 0:
                return True
            time.sleep(0.05)
    finally:
        c.close()
    return False


def check_client(fwd, prefix, path, proc):
    cmds = ["/", "/info", "/help,/ethdev/stats", "/eal/params",
            "/eal/app_params", "/ethdev/list", "/ethdev/stats,0",
            "/ethdev/xstats,0", "/ethdev/info,1", "/ethdev/link_status,0",
            "/mempool/list", "/vfnet/memory", "/vfnet/lcores"]
    # The socket appears in the EAL's start-up, before fwd's lcores start
    # forwarding: wait for the first packet, so that a loaded host's slow
    # start is not read as counters that never move.
    started = wait_forwarding(path, proc)
    tap(started, "fwd forwards within 20 s (port 0 rx packets > 0)")
    out, r = client(prefix, cmds)
    time.sleep(0.5)  # a second session, the counters must have moved
    out2, r2 = client(prefix, ["/ethdev/stats,0"])
    cmds.append("/ethdev/stats,0")
    out += out2
    tap(len(out) == len(cmds) and all(isinstance(o, dict) for o in out),
        "dpdk-telemetry.py: %d replies, each valid JSON" % len(cmds),
        "rc=%d out=%r err=%r" % (r.returncode, r.stdout[-300:],
                                 r.stderr[-300:]))
    if len(out) != len(cmds) or not all(isinstance(o, dict) for o in out):
        return
    rep = {}
    for c, o in zip(cmds, out):
        key = c.split(",")[0]
        tap(list(o) == [key], "reply to %s is {\"%s\": ...}" % (c, key),
            repr(o)[:200])
        rep.setdefault(c, []).append(o.get(key))
    want = {"/", "/info", "/help", "/eal/params", "/eal/app_params",
            "/ethdev/list", "/ethdev/stats", "/ethdev/xstats",
            "/ethdev/info", "/ethdev/link_status", "/mempool/list",
            "/mempool/info", "/vfnet/memory", "/vfnet/lcores", "/vfnet/fwd"}
    tap(want <= set(rep["/"][0]), "/ lists DPDK's commands and vfnet's",
        repr(rep["/"][0]))
    info = rep["/info"][0]
    tap(info.get("pid") == proc.pid and info.get("max_output_len") == 16384
        and info.get("version", "").startswith("vfnet"),
        "/info: pid, max_output_len, version", repr(info))
    tap(rep["/help,/ethdev/stats"][0] == {"/ethdev/stats":
        "Returns the common stats for a port. Parameters: int port_id"},
        "/help,/ethdev/stats: DPDK's help text", repr(rep["/help,/ethdev/stats"]))
    ep = rep["/eal/params"][0]
    tap(ep[0] == fwd and "--file-prefix" in ep and "--" not in ep,
        "/eal/params: argv[0] and the EAL options", repr(ep))
    tap(rep["/eal/app_params"][0] == ["--forward-mode=io", "--stats-period=0"],
        "/eal/app_params: the arguments after --",
        repr(rep["/eal/app_params"][0]))
    tap(rep["/ethdev/list"][0] == [0, 1], "/ethdev/list is [0, 1]",
        repr(rep["/ethdev/list"][0]))
    s1, s2 = rep["/ethdev/stats,0"]
    keys = ["ipackets", "opackets", "ibytes", "obytes", "imissed", "ierrors",
            "oerrors", "rx_nombuf", "q_ipackets", "q_opackets", "q_ibytes",
            "q_obytes", "q_errors"]
    tap(list(s1) == keys and len(s1["q_ipackets"]) == 16,
        "/ethdev/stats,0: DPDK's keys in DPDK's order, 16 queue counters",
        repr(list(s1)))
    tap(s2["ipackets"] > s1["ipackets"] > 0 and s2["opackets"] > s1["opackets"],
        "/ethdev/stats,0 advances in 0.5 s: %d then %d rx packets" %
        (s1["ipackets"], s2["ipackets"]), repr((s1, s2))[:200])
    xs = rep["/ethdev/xstats,0"][0]
    tap(xs.get("rx_good_packets", 0) > 0 and "rx_q0_packets" in xs and
        all(isinstance(v, int) for v in xs.values()),
        "/ethdev/xstats,0: named counters", repr(xs)[:200])
    ei = rep["/ethdev/info,1"][0]
    tap(ei.get("name") == "net_null1" and ei.get("port_id") == 1 and
        ei.get("dev_started") == 1 and ei.get("nb_rx_queues") == 1,
        "/ethdev/info,1: name, port_id, started", repr(ei)[:200])
    tap(rep["/ethdev/link_status,0"][0].get("status") == "UP",
        "/ethdev/link_status,0: UP", repr(rep["/ethdev/link_status,0"]))
    pools = rep["/mempool/list"][0]
    tap(isinstance(pools, list) and len(pools) >= 1, "/mempool/list",
        repr(pools))
    out, _ = client(prefix, ["/mempool/info," + pools[0]])
    mi = out[0].get("/mempool/info") if out and isinstance(out[0], dict) else None
    tap(isinstance(mi, dict) and mi.get("name") == pools[0] and
        mi.get("size", 0) > 0, "/mempool/info,%s" % pools[0], repr(out))
    mem = rep["/vfnet/memory"][0]
    tap(mem.get("total", 0) >= 256 << 20 and len(mem.get("memsegs", [])) >= 1
        and mem.get("iova_mode") in ("VA", "PA"),
        "/vfnet/memory: total and memsegs", repr(mem)[:200])
    lc = rep["/vfnet/lcores"][0]
    tap(lc.get("main_lcore") == 0 and "1" in lc, "/vfnet/lcores", repr(lc))
    # fwd's own command: per-lcore counts and the rate since the last query
    f1 = client(prefix, ["/vfnet/fwd"])[0]
    time.sleep(0.5)
    f2 = client(prefix, ["/vfnet/fwd"])[0]
    try:
        a, b = f1[0]["/vfnet/fwd"], f2[0]["/vfnet/fwd"]
        la, lb = a["lcore_1"], b["lcore_1"]
        ok = (b["mode"] == "io" and lb["rx_packets"] > la["rx_packets"] > 0
              and lb["rx_pps"] > 0 and lb["rx_pps_avg"] > 0 and
              400 <= b["interval_ms"] <= 5000)
        detail = repr(b)
    except (KeyError, IndexError, TypeError) as e:
        ok, detail = False, "%r %r %r" % (e, f1, f2)
    tap(ok, "/vfnet/fwd: lcore 1 counts advance, rate since last query",
        detail)


def check_bad(prefix, path):
    bad = ["/ethdev/stats,99", "/ethdev/stats,x", "/ethdev/stats",
           "/ethdev/info,-1", "/mempool/info,nosuchpool", "/mempool/info",
           "/help,/nosuch", "/help", "/nosuch", "/vfnet/fwd/../../x"]
    out, r = client(prefix, bad)
    tap(len(out) == len(bad), "bad requests: %d replies" % len(bad),
        r.stdout[-300:] + r.stderr[-300:])
    for c, o in zip(bad, out):
        key = c.split(",")[0]
        tap(o == {key: None}, "bad request %s answered {\"%s\": null}" %
            (c, key), repr(o))
    # requests the client cannot send: raw, with JSON-hostile bytes
    c = Conn(path)
    for req in ['/a"b\\c', '/\x01\x02', "/\xff\xfe", ",,,", ",/info",
                "/" + "x" * 2000, "/info\n"]:
        try:
            c.s.send(req.encode("latin-1"))
            raw = c.s.recv(c.info["max_output_len"])
            obj = json.loads(raw.decode())
            tap(isinstance(obj, dict) and len(obj) == 1,
                "raw request %r: one-key JSON reply" % req[:20], repr(raw[:80]))
        except (ValueError, OSError) as e:
            tap(False, "raw request %r: one-key JSON reply" % req[:20], str(e))
    c.close()


def check_many(path, proc):
    errs = []
    counts = [0] * 10
    barrier = threading.Barrier(10)

    def worker(i):
        try:
            c = Conn(path)
            barrier.wait(timeout=20)
            last = 0
            for _ in range(50):
                st = c.q("/ethdev/stats,%d" % (i % 2))["/ethdev/stats"]
                if st["ipackets"] < last:
                    errs.append("counter went back")
                last = st["ipackets"]
                c.q("/ethdev/xstats,0")
                counts[i] += 1
            c.close()
        except Exception as e:  # noqa: BLE001 - reported as a TAP failure
            errs.append("client %d: %r" % (i, e))

    th = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
    for t in th:
        t.start()
    for t in th:
        t.join(60)
    tap(not errs and sum(counts) == 500,
        "10 clients at once, 50 stats+xstats queries each: %d answered" %
        sum(counts), "; ".join(errs[:3]))

    # The 10 clients above have closed, but fwd frees a client's slot only
    # when that client's thread has seen the close: under load (ASan) the
    # first new connections can still be refused.  Each new client retries
    # for up to 10 s until it is served.
    held = [served_conn(path) for _ in range(10)]
    tap(all(h.info for h in held), "10 clients hold their connections")
    extra = Conn(path)
    tap(extra.info is None, "an 11th client is closed at once (DPDK's limit)",
        repr(extra.info))
    extra.close()
    held.pop().close()
    c = served_conn(path, 2.5)
    ok = bool(c.info) and c.q("/info")["/info"]["pid"] == proc.pid
    c.close()
    tap(ok, "after one leaves, a new client is served")
    for h in held:
        h.close()


def check_disconnect(path, proc):
    n = refused = 0
    for i in range(300):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect(path)
        if i % 3 == 1:
            s.close()  # gone before the greeting is written
            n += 1
            continue
        # requests queued faster than they are answered: the client is
        # gone while the server still writes replies (EPIPE).  The server
        # may close first too (all 10 client slots still held by the
        # previous clients' threads): this side's EPIPE is not a failure,
        # the check is that fwd lives and serves afterwards.
        try:
            if i % 3 == 0:
                s.recv(1024)
            for _ in range(20):
                s.send(b"/ethdev/xstats,0" if i % 2 else b"/vfnet/memory")
        except (BrokenPipeError, ConnectionResetError):
            refused += 1
        if i % 5 == 0:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()
        n += 1
    time.sleep(0.3)
    c = Conn(path)
    alive = proc.poll() is None and c.q("/info")["/info"]["pid"] == proc.pid
    c.close()
    tap(alive, "%d clients that leave mid-reply: fwd alive and serving" % n,
        "fwd exit %r" % proc.poll())
    print("# %d of them found the connection closed by fwd first" % refused)


def check_second_instance(fwd, prefix, path):
    p2 = start_fwd(fwd, prefix)
    path1 = path + ":1"
    up = wait_path(path1, p2)
    tap(up, "a second process with the same prefix serves %s" %
        os.path.basename(path1))
    if up:
        out, _ = client(prefix, ["/info"], instance=1)
        tap(out and out[0].get("/info", {}).get("pid") == p2.pid,
            "dpdk-telemetry.py -i 1 reaches the second process", repr(out))
    p2.send_signal(signal.SIGINT)
    p2.communicate(timeout=30)
    tap(not os.path.exists(path1) and os.path.exists(path),
        "the second process removed only its own socket")


def check_no_telemetry(fwd, prefix):
    path = os.path.join(rundir(prefix), "dpdk_telemetry.v2")
    p = start_fwd(fwd, prefix, ["--no-telemetry"])
    seen = False
    end = time.time() + 2
    while time.time() < end:
        seen = seen or os.path.exists(path)
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    out = p.communicate(timeout=30)[0]
    tap(not seen and p.returncode == 0 and "fwd-summary" in out,
        "--no-telemetry: fwd runs, no socket", "seen=%s rc=%s" %
        (seen, p.returncode))


def main():
    fwd = os.path.abspath(sys.argv[1])
    if not os.path.exists(CLIENT):
        print("1..1\nok 1 - telemetry # SKIP %s not installed "
              "(apt-get install dpdk)" % CLIENT)
        return 0
    prefix = "vfntel%d" % os.getpid()
    path = os.path.join(rundir(prefix), "dpdk_telemetry.v2")
    proc = start_fwd(fwd, prefix)
    try:
        if not tap(wait_path(path, proc), "fwd serves " + path):
            proc.kill()
            diag(proc.communicate()[0])
            return done()
        check_client(fwd, prefix, path, proc)
        check_bad(prefix, path)
        check_many(path, proc)
        check_disconnect(path, proc)
        check_second_instance(fwd, prefix, path)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        out = proc.communicate(timeout=60)[0]
    tap(proc.returncode == 0 and "fwd-summary" in out,
        "fwd exits cleanly on SIGINT", "rc=%s %s" % (proc.returncode,
                                                     out[-300:]))
    tap(not os.path.exists(path), "the socket is gone after exit")
    check_no_telemetry(fwd, prefix + "n")
    return done()


if __name__ == "__main__":
    sys.exit(main())
