/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp across a veth pair in a network namespace this test makes
 * for itself (TAP).  Port A on xa, port B on xb: self-checking frames
 * (tests/lib/vfn_frames.h) from B to A and back, paced so none may be
 * lost, every one checked and counted, port statistics exact; restart
 * cycles; the XDP program gone from the interface after a close and after
 * kill -9 of a process that held the port; the option and permission
 * errors.  Skips with the reason when not root or without netns/veth.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "vfn_ethdev.h"
#include "vfn_log.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_vdev.h"
#include "vfn_tap.h"
#include "vfn_netns.h"
#include "vfn_frames.h"

#define BURST 32
static struct vfn_mempool *pool;
static unsigned int transfer_ms = 30000; /* give up a transfer after */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int port_up(const char *name, const char *args)
{
	uint16_t id;
	int ret = vfn_vdev_init(name, args);

	if (ret)
		return ret;
	vfn_eth_dev_get_port_by_name(name, &id);
	ret = vfn_eth_dev_configure(id, 1, 1, NULL);
	if (!ret)
		ret = vfn_eth_rx_queue_setup(id, 0, 1024, -1, NULL, pool);
	if (!ret)
		ret = vfn_eth_tx_queue_setup(id, 0, 1024, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start(id);
	if (ret) {
		vfn_vdev_uninit(name);
		return ret;
	}
	return id;
}

static void port_down(int p)
{
	char name[VFN_ETH_NAME_MAX_LEN];

	vfn_eth_dev_get_name_by_port((uint16_t)p, name);
	vfn_eth_dev_stop((uint16_t)p);
	vfn_vdev_uninit(name);
}

/* Whether `ip link show` lists an XDP program on @p ifname. */
static int has_xdp(const char *ifname)
{
	char cmd[128], line[512];
	int found = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip link show dev %s", ifname);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "xdp") || strstr(line, "prog/"))
			found = 1;
	pclose(f);
	return found;
}

/*
 * Send @p n frames of @p len bytes from port @p tx to port @p rx, at most
 * @p window in flight; every frame must arrive intact and in order.
 */
static int transfer(int tx, int rx, uint32_t stream, uint32_t n,
		    uint32_t window, uint32_t len, uint64_t *bytes)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	uint32_t sent = 0, got = 0, bad = 0;
	uint64_t end = now_ms() + transfer_ms;

	*bytes = 0;
	while (got < n && now_ms() < end && !bad) {
		struct vfn_mbuf *pkts[BURST];
		uint16_t k = 0, s, i;

		while (k < BURST && sent + k < n && sent + k - got < window) {
			pkts[k] = vfn_pktmbuf_alloc(pool);
			if (!pkts[k])
				break;
			vfn_frame_build((uint8_t *)vfn_pktmbuf_append(pkts[k],
				(uint16_t)len), len, dst, stream, sent + k);
			k++;
		}
		s = k ? vfn_eth_tx_burst((uint16_t)tx, 0, pkts, k) : 0;
		if (s < k)
			vfn_pktmbuf_free_bulk(pkts + s, k - s);
		sent += s;
		*bytes += (uint64_t)s * len;
		k = vfn_eth_rx_burst((uint16_t)rx, 0, pkts, BURST);
		for (i = 0; i < k; i++) {
			uint32_t st = 0, seq = 0;
			int r = vfn_frame_check(vfn_pktmbuf_mtod(pkts[i],
							uint8_t *),
						pkts[i]->pkt_len, &st, &seq);

			if (r == 0 && st == stream && seq == got)
				got++;
			else if (r == -2 || (r == 0 && st == stream)) {
				if (bad++ < 3)
					tap_diag("bad frame: check %d stream %u "
						 "seq %u (want %u)", r, st, seq,
						 got);
			}
		}
		if (k)
			vfn_pktmbuf_free_bulk(pkts, k);
	}
	if (got < n && n > 1)
		tap_diag("%u of %u frames arrived (%u sent)", got, n, sent);
	return got == n && !bad;
}

static void case_traffic(void)
{
	struct vfn_eth_stats sa, sb;
	uint64_t b1, b2;
	int a, b, ok;

	a = port_up("net_af_xdp0", "iface=xa");
	b = port_up("net_af_xdp1", "iface=xb,force_copy=1,busy_budget=0");
	if (!TAP_CHECK(a >= 0 && b >= 0, "ports on xa and xb (%d, %d)", a, b))
		return;
	ok = transfer(b, a, 1, 100000, 256, 64, &b1);
	TAP_CHECK(ok, "100000 64-byte frames xb -> xa, intact, in order");
	ok = transfer(a, b, 2, 20000, 256, 1500, &b2);
	TAP_CHECK(ok, "20000 1500-byte frames xa -> xb, intact, in order");
	vfn_eth_stats_get((uint16_t)a, &sa);
	vfn_eth_stats_get((uint16_t)b, &sb);
	TAP_EQ(sb.opackets, 100000, "xb port: opackets");
	TAP_EQ(sa.ipackets, 100000, "xa port: ipackets");
	TAP_EQ(sa.opackets, 20000, "xa port: opackets");
	TAP_EQ(sb.ipackets, 20000, "xb port: ipackets");
	TAP_EQ(sa.ibytes, b1, "xa port: ibytes");
	TAP_EQ(sb.ibytes, b2, "xb port: ibytes");
	TAP_EQ(sa.ierrors + sb.ierrors + sa.oerrors + sb.oerrors, 0,
	       "no errors");
	TAP_CHECK(has_xdp("xa") == 1, "XDP program attached to xa while open");
	port_down(a);
	port_down(b);
	TAP_CHECK(has_xdp("xa") == 0 && has_xdp("xb") == 0,
		  "no XDP program left after close");
	TAP_EQ(vfn_mempool_in_use_count(pool), 0, "no mbuf leaked");
}

static void case_restart(int cycles)
{
	int i, ok = 1;
	uint64_t by;

	for (i = 0; i < cycles && ok; i++) {
		int a = port_up("net_af_xdp0", "iface=xa");
		int b = port_up("net_af_xdp1", "iface=xb");

		ok = a >= 0 && b >= 0 && transfer(b, a, 3, 2000, 256, 128, &by);
		if (a >= 0)
			port_down(a);
		if (b >= 0)
			port_down(b);
	}
	TAP_CHECK(ok, "%d open/traffic/close cycles", cycles);
	TAP_CHECK(has_xdp("xa") == 0, "no XDP program left after the cycles");
}

static void case_kill9(void)
{
	int fds[2], status;
	char c = 0;
	pid_t pid;

	if (pipe(fds))
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		c = port_up("net_af_xdp0", "iface=xa") >= 0 ? 'y' : 'n';
		if (write(fds[1], &c, 1) != 1)
			_exit(2);
		pause();
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		c = 0;
	close(fds[0]);
	TAP_CHECK(c == 'y' && has_xdp("xa") == 1,
		  "a child process holds a port on xa (program attached)");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	/* The kernel releases the link with the process's files. */
	{
		uint64_t end = now_ms() + 3000;

		while (has_xdp("xa") == 1 && now_ms() < end)
			usleep(20000);
	}
	TAP_CHECK(has_xdp("xa") == 0, "no XDP program left on xa after kill -9");
	status = port_up("net_af_xdp0", "iface=xa");
	TAP_CHECK(status >= 0, "the interface takes a new port after the kill");
	if (status >= 0)
		port_down(status);
}

/* Without privileges the error names what is missing. */
static void case_unprivileged(void)
{
	char buf[4096] = "";
	int fds[2], status = -1;
	ssize_t n, off = 0;
	pid_t pid;

	if (pipe(fds))
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		vfn_log_set_level(VFN_LOG_ERR);
		if (setgid(65534) || setuid(65534))
			_exit(3);
		_exit(port_up("net_af_xdp0", "iface=xa") < 0 ? 0 : 1);
	}
	close(fds[1]);
	while (off < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fds[0], buf + off, sizeof(buf) - 1 - off)) > 0)
		off += n;
	close(fds[0]);
	waitpid(pid, &status, 0);
	TAP_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "an unprivileged process cannot open the port");
	TAP_CHECK(strstr(buf, "CAP_NET_ADMIN") != NULL,
		  "its error names the fix (CAP_NET_ADMIN, CAP_BPF, root)");
}

/*
 * The end-to-end case: fwd (another process) forwards between an
 * af_xdp port on p1b and an af_packet port on p2b; this process sends
 * 10^6 frames into p1a (af_xdp) and receives them from p2a (af_packet),
 * at most 256 in flight: none may be lost, all intact and in order.
 */
static void case_fwd_xdp_packet(const char *fwd)
{
	char why[256];
	uint64_t bytes, end;
	int a, b, ok, status = -1;
	pid_t pid;

	if (!fwd) {
		vfn_tap_skip("no fwd path given", "fwd af_xdp <-> af_packet");
		return;
	}
	if (vfn_veth_add("p1a", "p1b", why, sizeof(why)) ||
	    vfn_veth_add("p2a", "p2b", why, sizeof(why))) {
		vfn_tap_skip(why, "fwd af_xdp <-> af_packet");
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);

		dup2(nul, 1);
		execl(fwd, fwd, "--no-huge", "-m", "256", "-l", "0,1",
		      "--file-prefix", "afxfwd", "--log-level", "4",
		      "--vdev", "net_af_xdp0,iface=p1b",
		      "--vdev", "net_af_packet0,iface=p2b", "--",
		      "--forward-mode=io", (char *)NULL);
		_exit(127);
	}
	a = port_up("net_af_xdp0", "iface=p1a");
	b = port_up("net_af_packet0", "iface=p2a");
	TAP_CHECK(a >= 0 && b >= 0, "test ports on p1a (af_xdp) and p2a "
		  "(af_packet)");
	/* Until fwd forwards: probe frames of another stream. */
	end = now_ms() + 20000;
	ok = 0;
	transfer_ms = 200;
	while (a >= 0 && b >= 0 && !ok && now_ms() < end)
		ok = transfer(a, b, 9, 1, 1, 64, &bytes);
	transfer_ms = 280000; /* ~13k frames/s on a loaded 2-CPU host */
	TAP_CHECK(ok, "fwd forwards p1b (af_xdp) -> p2b (af_packet)");
	if (ok)
		TAP_CHECK(transfer(a, b, 1, 1000000, 256, 64, &bytes),
			  "10^6 frames through fwd, none lost, intact, in "
			  "order");
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	TAP_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "fwd exits cleanly on SIGINT (status %d)", status);
	if (a >= 0)
		port_down(a);
	if (b >= 0)
		port_down(b);
}

static void case_errors(void)
{
	uint16_t id;

	TAP_EQ(vfn_vdev_init("net_af_xdp0", "iface=nosuchif0"), -ENODEV,
	       "missing interface refused");
	TAP_EQ(vfn_vdev_init("net_af_xdp0", ""), -EINVAL, "no iface= refused");
	TAP_EQ(vfn_vdev_init("net_af_xdp0", "iface=xa,force_copy=2"), -EINVAL,
	       "force_copy=2 refused");
	TAP_EQ(vfn_vdev_init("net_af_xdp0", "iface=xa,bogus=1"), -EINVAL,
	       "unknown option refused");
	TAP_CHECK(port_up("net_af_xdp0", "iface=xa,xdp_prog=/nonexistent.o")
		  < 0, "a missing xdp_prog= object refused at queue set-up");
	TAP_CHECK(port_up("net_af_xdp0", "iface=xa,start_queue=7") < 0,
		  "a queue the interface does not have refused");
	TAP_CHECK(has_xdp("xa") == 0, "failed set-ups leave no program");
	TAP_EQ(vfn_vdev_init("net_af_xdp0", "iface=xa,queue_count=2"), 0,
	       "queue_count=2 accepted");
	vfn_eth_dev_get_port_by_name("net_af_xdp0", &id);
	TAP_EQ(vfn_eth_dev_configure(id, 2, 1, NULL), -EINVAL,
	       "unequal rx and tx queue counts refused");
	vfn_vdev_uninit("net_af_xdp0");
	TAP_EQ(vfn_eth_dev_count_avail(), 0, "no port left behind");
}

int main(int argc, char **argv)
{
	char why[256];

	vfn_log_set_level(getenv("AFXDP_TEST_DEBUG") ? VFN_LOG_DEBUG :
			  VFN_LOG_CRIT);
	if (vfn_netns_enter(why, sizeof(why)) ||
	    vfn_veth_add("xa", "xb", why, sizeof(why))) {
		printf("1..0 # SKIP %s\n", why);
		return 0;
	}
	pool = vfn_pktmbuf_pool_create("afx", 8191, 0, 0, 2048 + 128, -1);
	if (!pool)
		tap_bail("cannot create the mbuf pool");
	{
		int p = port_up("net_af_xdp0", "iface=xa");

		if (p < 0) {
			printf("1..0 # SKIP cannot open an AF_XDP port here "
			       "(%d: no XDP sockets or BPF in this kernel or "
			       "container)\n", p);
			return 0;
		}
		port_down(p);
	}
	case_errors();
	case_unprivileged();
	case_traffic();
	case_restart(5);
	case_kill9();
	case_fwd_xdp_packet(argc > 1 ? argv[1] : NULL);
	return tap_done();
}
