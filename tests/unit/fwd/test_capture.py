#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""fwd --capture, end to end on net_null ports (TAP).

usage: test_capture.py FWD

Each case runs fwd with a packet budget and one or more captures, then
reads the files back with tshark (Debian's) and checks them against fwd's
own counters and against frames built here independently:
  - txonly --txpkts=42 --txonly-multi-flow sends header-only frames whose
    every byte is known (the source address steps by one per packet): the
    tx capture of port 1 holds exactly those frames, in order;
  - a BPF filter keeps exactly the frames it matches, the rest counted as
    filtered;
  - a snap length truncates (caplen < len, file snaplen);
  - rx, tx and both directions count exactly the port's packets;
  - a tiny ring drops, and every packet is captured, filtered or dropped;
  - /vfnet/capture answers through DPDK's telemetry client while fwd runs;
  - bad options and unwritable files are refused with a cause.
"""
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "lib"))
from vfn_tap import tap, skip, done  # noqa: E402

EAL = ["--no-huge", "-m", "512", "-l", "0,1", "--log-level", "5",
       "--vdev", "net_null0", "--vdev", "net_null1"]
CLIENT = "/usr/bin/dpdk-telemetry.py"


def kv(line):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}


def run_fwd(fwd, args, eal=EAL):
    r = subprocess.run([fwd] + eal + ["--"] + args, capture_output=True,
                       text=True, timeout=60)
    ports, caps = {}, {}
    for line in r.stdout.splitlines():
        if line.startswith("fwd-port:"):
            d = kv(line)
            ports[int(d["port"])] = d
        elif line.startswith("fwd-capture:"):
            d = kv(line)
            caps[d["file"]] = d
    macs = dict((int(p), m.lower()) for p, m in re.findall(
        r"fwd: port (\d+): \S+ ([0-9A-Fa-f:]{17})", r.stdout))
    return r, ports, caps, macs


def tshark_fields(path, *fields):
    argv = ["tshark", "-n", "-r", path, "-T", "fields"]
    for f in fields:
        argv += ["-e", f]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return [line.split("\t") for line in r.stdout.splitlines()], r


def tshark_raw(path):
    """Each frame's bytes, from tshark's hex dump (-x)."""
    r = subprocess.run(["tshark", "-n", "-r", path, "-x"],
                       capture_output=True, text=True, timeout=60)
    frames, cur = [], []
    for line in r.stdout.splitlines() + [""]:
        if re.match(r"^[0-9a-f]{4}  ", line):
            cur += line[6:54].split()
        elif cur:
            frames.append(bytes.fromhex("".join(cur)))
            cur = []
    return frames


def pcap_header(path):
    with open(path, "rb") as f:
        magic, _, _, _, _, snaplen, linktype = struct.unpack("<IHHiIII",
                                                             f.read(24))
    return magic, snaplen, linktype


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def txonly_frame(dst, src, flow):
    """testpmd's txonly frame of 42 bytes, source 198.18.0.1 + flow."""
    mac = bytes.fromhex(dst.replace(":", "")) + \
        bytes.fromhex(src.replace(":", "")) + b"\x08\x00"
    base = 198 << 24 | 18 << 16
    ip = bytearray(struct.pack("!BBHHHBBHII", 0x45, 0, 28, 0, 0, 64, 17, 0,
                               base + 1 + flow, base + 2))
    struct.pack_into("!H", ip, 10, csum(bytes(ip)))
    udp = struct.pack("!HHHH", 9, 9, 8, 0)
    return mac + bytes(ip) + udp


def case_bytes(fwd, d):
    """tx capture of txonly multi-flow: every byte known, in order."""
    path = os.path.join(d, "tx1.pcap")
    peer = "02:00:00:00:00:aa"
    r, ports, caps, macs = run_fwd(fwd, [
        "--forward-mode=txonly", "--txpkts=42", "--txonly-multi-flow",
        "--nb-pkts=20000", "--eth-peer=1," + peer,
        "--capture=1=" + path, "--capture-dir=tx", "--capture-ring=16384"])
    if not tap(r.returncode == 0 and path in caps,
               "txonly with --capture=1 --capture-dir=tx runs",
               r.stderr[-300:]):
        return
    c = caps[path]
    sent = int(ports[1]["opackets"])
    tap(int(c["captured"]) == sent and c["dropped"] == "0",
        "captured == port 1 opackets (%d), nothing dropped" % sent,
        repr(c))
    magic, snaplen, link = pcap_header(path)
    tap(magic == 0xa1b23c4d and link == 1 and snaplen == 262144,
        "pcap file: nanosecond magic, EN10MB, snaplen 262144",
        "magic=%#x link=%d snaplen=%d" % (magic, link, snaplen))
    t0 = time.time()
    frames = tshark_raw(path)
    print("# tshark -x: %.1f s" % (time.time() - t0))
    tap(len(frames) == sent, "tshark reads %d frames" % sent,
        "read %d" % len(frames))
    want = [txonly_frame(peer, macs[1], i % 256) for i in range(sent)]
    bad = [i for i, (a, b) in enumerate(zip(frames, want)) if a != b]
    tap(len(frames) == len(want) and not bad,
        "every frame byte-identical to the txonly frame sent (%d)" % sent,
        "first mismatch #%s: got %s want %s" % (
            bad[0], frames[bad[0]].hex(), want[bad[0]].hex()) if bad else
        "count %d != %d" % (len(frames), len(want)))
    rows, _ = tshark_fields(path, "frame.time_epoch")
    ts = [float(x[0]) for x in rows]
    tap(ts == sorted(ts) and ts and abs(ts[0] - time.time()) < 120,
        "timestamps are in order and within two minutes of now",
        "first=%s last=%s now=%f" % (ts[:1], ts[-1:], time.time()))


def case_filter(fwd, d):
    """A BPF filter keeps exactly the matching frames."""
    path = os.path.join(d, "flt.pcap")
    expr = "udp port 9 and src host 198.18.0.5"
    r, ports, caps, _ = run_fwd(fwd, [
        "--forward-mode=txonly", "--txpkts=42", "--txonly-multi-flow",
        "--nb-pkts=20000", "--capture=1=" + path, "--capture-dir=tx",
        "--capture-ring=16384", "--capture-filter=" + expr])
    if not tap(r.returncode == 0 and path in caps,
               "--capture-filter='%s' runs" % expr, r.stderr[-300:]):
        return
    c = caps[path]
    sent = int(ports[1]["opackets"])
    match = len([i for i in range(sent) if i % 256 == 4])
    tap(int(c["captured"]) == match and
        int(c["filtered"]) == sent - match and c["dropped"] == "0",
        "captured %d matching, filtered the other %d" % (match, sent - match),
        repr(c))
    rows, _ = tshark_fields(path, "ip.src", "udp.dstport")
    tap(len(rows) == match and
        all(x == ["198.18.0.5", "9"] for x in rows),
        "tshark: %d frames, all from 198.18.0.5 to udp port 9" % match,
        "%d rows, first %r" % (len(rows), rows[:2]))


def case_snaplen(fwd, d):
    """--capture-snaplen truncates: caplen 20 of 64-byte frames."""
    path = os.path.join(d, "snap.pcap")
    r, ports, caps, _ = run_fwd(fwd, [
        "--forward-mode=txonly", "--nb-pkts=2000", "--capture=0=" + path,
        "--capture-snaplen=20", "--capture-ring=4096"])
    if not tap(r.returncode == 0 and path in caps,
               "--capture-snaplen=20 runs", r.stderr[-300:]):
        return
    rows, _ = tshark_fields(path, "frame.len", "frame.cap_len")
    n = int(caps[path]["captured"])
    tap(n > 0 and len(rows) == n and all(x == ["64", "20"] for x in rows),
        "every frame: len 64, caplen 20 (%d frames)" % n,
        "%d rows, first %r" % (len(rows), rows[:2]))
    tap(pcap_header(path)[1] == 20 and int(caps[path]["bytes"]) == 20 * n,
        "file snaplen 20, bytes written 20 per frame",
        "snaplen=%d bytes=%s" % (pcap_header(path)[1], caps[path]["bytes"]))


def case_directions(fwd, d):
    """rx, tx and both count exactly the port's packets (io on nulls)."""
    files = {k: os.path.join(d, k + ".pcap") for k in ("rx", "tx", "both")}
    # A stream direction belongs to one capture: rx and tx in one run,
    # both in a second.
    r, ports, caps, _ = run_fwd(fwd, [
        "--forward-mode=io", "--nb-pkts=20000", "--capture-ring=32768",
        "--capture=0=" + files["rx"], "--capture-dir=rx",
        "--capture=1=" + files["tx"], "--capture-dir=tx"])
    ok = r.returncode == 0 and files["rx"] in caps and files["tx"] in caps
    if tap(ok, "io with an rx capture of port 0 and a tx capture of port 1",
           r.stderr[-300:]):
        for k, port, key in (("rx", 0, "ipackets"), ("tx", 1, "opackets")):
            c = caps[files[k]]
            rows, _ = tshark_fields(files[k], "frame.len")
            tap(int(c["captured"]) == int(ports[port][key]) == len(rows) and
                c["dropped"] == "0",
                "%s: captured == port %d %s == tshark frames (%s)" % (
                    k, port, key, c["captured"]),
                "%r %s=%s tshark=%d" % (c, key, ports[port][key], len(rows)))
    r, ports, caps, _ = run_fwd(fwd, [
        "--forward-mode=io", "--nb-pkts=20000", "--capture-ring=32768",
        "--capture=0=" + files["both"]])
    if tap(r.returncode == 0 and files["both"] in caps,
           "io with a capture of port 0, both directions", r.stderr[-300:]):
        c = caps[files["both"]]
        want = int(ports[0]["ipackets"]) + int(ports[0]["opackets"])
        rows, _ = tshark_fields(files["both"], "frame.len")
        tap(int(c["captured"]) == want == len(rows),
            "both: captured == port 0 ipackets + opackets == tshark frames "
            "(%d)" % want, "%r tshark=%d" % (c, len(rows)))


def case_drops(fwd, d):
    """A ring of 8 copies drops; every packet is accounted for once."""
    path = os.path.join(d, "drop.pcap")
    r, ports, caps, _ = run_fwd(fwd, [
        "--forward-mode=io", "--nb-pkts=1000000", "--capture=0=" + path,
        "--capture-ring=8"])
    if not tap(r.returncode == 0 and path in caps,
               "io 1e6 packets with --capture-ring=8", r.stderr[-300:]):
        return
    c = caps[path]
    seen = int(ports[0]["ipackets"]) + int(ports[0]["opackets"])
    got = int(c["captured"]) + int(c["filtered"]) + int(c["dropped"])
    tap(int(c["dropped"]) > 0 and got == seen,
        "dropped > 0 and captured + filtered + dropped == packets seen "
        "(%d)" % seen, "%r seen=%d" % (c, seen))
    rows, _ = tshark_fields(path, "frame.len")
    tap(len(rows) == int(c["captured"]),
        "tshark frames == captured (%s)" % c["captured"],
        "tshark=%d" % len(rows))


def rundir(prefix):
    base = os.environ.get("RUNTIME_DIRECTORY") or (
        "/var/run" if os.getuid() == 0 else
        os.environ.get("XDG_RUNTIME_DIR", "/tmp"))
    return os.path.join(base, "dpdk", prefix)


def case_telemetry(fwd, d):
    """/vfnet/capture through DPDK's client while fwd forwards."""
    if not os.path.exists(CLIENT):
        skip("/vfnet/capture via dpdk-telemetry.py", CLIENT + " missing")
        return
    prefix = "fwdcap%d" % os.getpid()
    path = os.path.join(d, "tel.pcap")
    sock = os.path.join(rundir(prefix), "dpdk_telemetry.v2")
    p = subprocess.Popen([fwd] + EAL + ["--file-prefix", prefix, "--",
                          "--forward-mode=io", "--capture=0=" + path,
                          "--capture-dir=rx", "--capture-snaplen=96",
                          "--capture-filter=udp"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    reply = None
    try:
        end = time.time() + 20
        while time.time() < end and p.poll() is None:
            if os.path.exists(sock):
                r = subprocess.run([sys.executable, CLIENT, "-f", prefix],
                                   input="/vfnet/capture\n", text=True,
                                   capture_output=True, timeout=30)
                lines = [x for x in r.stdout.splitlines() if x.strip()]
                if lines:
                    reply = json.loads(lines[-1])["/vfnet/capture"]
                    cap = reply.get("capture_0", {})
                    if cap.get("filtered", 0) + cap.get("dropped", 0) > 0:
                        break
            time.sleep(0.1)
    finally:
        p.send_signal(signal.SIGINT)
        out = p.communicate(timeout=30)[0]
    cap = (reply or {}).get("capture_0", {})
    tap(cap.get("port") == 0 and cap.get("direction") == "rx" and
        cap.get("snaplen") == 96 and cap.get("filter") == "udp" and
        cap.get("file") == path and
        cap.get("filtered", 0) + cap.get("dropped", 0) > 0,
        "/vfnet/capture: port, direction, snaplen, filter, file and moving "
        "counters", "reply=%r" % reply)
    tap(p.returncode == 0 and "fwd-capture: port=0" in out,
        "SIGINT: clean exit, capture counters printed", out[-300:])


def case_errors(fwd, d):
    cases = [
        (["--capture=0"], "expected PORT[:QUEUE]=FILE"),
        (["--capture=x=" + d + "/a.pcap"], "expected PORT[:QUEUE]=FILE"),
        (["--capture=5=" + d + "/a.pcap"], "port 5 is not forwarded"),
        (["--capture=0=" + d + "/a.pcap", "--capture-filter=udp port"],
         "capture filter"),
        (["--capture=0=" + d + "/a.pcap", "--capture-dir=up"],
         "use rx, tx or both"),
        (["--capture=0=/nonexistent-dir/a.pcap"], "cannot open"),
        (["--capture=0=" + d + "/a.pcap", "--capture=1=" + d + "/a.pcap"],
         "already written"),
        (["--capture=0=" + d + "/a.pcap", "--capture=0:0=" + d + "/b.pcap"],
         "already captured"),
    ]
    for args, text in cases:
        r, _, _, _ = run_fwd(fwd, ["--nb-pkts=1000"] + args)
        tap(r.returncode == 1 and text in r.stderr,
            "%s refused: '%s'" % (" ".join(args).replace(d, "D"), text),
            "rc=%d err=%r" % (r.returncode, r.stderr[-300:]))


def main():
    fwd = sys.argv[1]
    if not shutil.which("tshark"):
        print("1..1\nok 1 - capture # SKIP tshark is not installed "
              "(tools/setup-deps)")
        return 0
    d = tempfile.mkdtemp(prefix="fwdcap")
    try:
        for case in (case_bytes, case_filter, case_snaplen, case_directions,
                     case_drops, case_telemetry, case_errors):
            case(fwd, d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return done()


if __name__ == "__main__":
    sys.exit(main())
