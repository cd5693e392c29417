#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Inside the test VM: vfnet fwd vs dpdk-testpmd, io forwarding with
--tx-first across the back-to-back e1000e pair and the virtio-net pair,
both tools on upstream vfio-pci, one forwarding lcore, burst 32, the same
mbuf count.  TCG emulation bounds the rates; the ratio still tells.

usage: guest_bench.py FWD SECONDS
Each tool runs SECONDS after its first statistics period (start-up under
TCG takes long); the rate of a run is the median of the per-period sums
of both ports' rx-pps as each tool prints them (first two periods
dropped).
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

E1000E = os.environ.get("VFN_VM_E1000E", "").split()
VIRTIO = os.environ.get("VFN_VM_VIRTIO", "").split()


def bind(drv, bdfs):
    for d in bdfs:
        base = "/sys/bus/pci/devices/" + d
        with open(base + "/driver_override", "w") as f:
            f.write(drv)
        if os.path.exists(base + "/driver"):
            with open(base + "/driver/unbind", "w") as f:
                f.write(d)
        with open("/sys/bus/pci/drivers_probe", "w") as f:
            f.write(d)
        cur = os.path.basename(os.readlink(base + "/driver"))
        if cur != drv:
            raise SystemExit("FAIL: %s bound to %s, not %s" % (d, cur, drv))


def run(cmd, seconds, started):
    """Run until @started appears in the output (forwarding began, up to
    180 s of start-up under TCG), then @seconds more, then SIGINT."""
    with tempfile.TemporaryFile(mode="w+") as log:
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                             text=True)
        deadline = time.time() + 180
        while time.time() < deadline and p.poll() is None:
            log.seek(0)
            if started in log.read():
                break
            time.sleep(0.5)
        time.sleep(seconds)
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        log.seek(0)
        return p.returncode, log.read()


def fwd_rates(out):
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
    vals = [float(v) for v in re.findall(r"Rx-pps:\s+(\d+)", out)]
    return [vals[i] + vals[i + 1] for i in range(0, len(vals) - 1, 2)]


def main():
    fwd, seconds = sys.argv[1], float(sys.argv[2])
    subprocess.run(["modprobe", "vfio-pci"], check=True)
    bind("vfio-pci", E1000E + VIRTIO)
    app = ["--forward-mode=io", "--tx-first", "--burst=32",
           "--stats-period=1", "--total-num-mbufs=8192"]
    fails = 0
    for name, pair in (("e1000e", E1000E), ("virtio-net", VIRTIO)):
        devs = ["-a", pair[0], "-a", pair[1]]
        tools = (
            ("fwd", [fwd, "-l", "0,1", "--vfio", "upstream",
                     "--file-prefix", "bfwd"] + devs + ["--"] + app,
             fwd_rates, "---- fwd statistics"),
            ("testpmd", ["dpdk-testpmd", "-l", "0,1", "-n", "1",
                         "--iova-mode=va", "--file-prefix", "btp"] + devs +
             ["--"] + app, testpmd_rates, "Rx-pps:"))
        res = {}
        for tool, cmd, parse, started in tools:
            rc, out = run(cmd, seconds, started)
            rates = parse(out)
            steady = rates[2:] if len(rates) > 3 else rates
            if not steady or max(steady) <= 0:
                sys.stdout.write(out[:4000] + "\n...\n" + out[-1500:])
                sent = re.search(r"Accumulated forward statistics.*?"
                                 r"TX-packets:\s+(\d+)", out, re.S)
                if tool == "testpmd" and sent and sent.group(1) == "0":
                    # Seen with net_e1000_em on QEMU's 82574L: the
                    # tx_first burst never leaves, nothing circulates.
                    print("SKIP: %s ratio: dpdk-testpmd sent nothing "
                          "(TX-packets 0 after --tx-first)" % name)
                else:
                    print("FAIL: %s on %s: no rate (exit %d)" %
                          (tool, name, rc))
                    fails += 1
                break
            res[tool] = statistics.median(steady)
            print("%s %-8s periods (kpps): %s" % (
                name, tool, " ".join("%.0f" % (r / 1e3) for r in rates)))
            sys.stdout.flush()
        if len(res) == 2:
            print("fwd_vm %s io --tx-first, 1 forwarding lcore (QEMU TCG): "
                  "vfnet fwd %.3f Mpps, dpdk-testpmd %.3f Mpps, ratio %.2fx" %
                  (name, res["fwd"] / 1e6, res["testpmd"] / 1e6,
                   res["fwd"] / res["testpmd"]))
    return 1 if fails else 0


sys.exit(main())
