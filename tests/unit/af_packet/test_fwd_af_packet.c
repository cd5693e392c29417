/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd end to end over net_af_packet (TAP): in a private network namespace
 * with veth pairs fa0<->fb0 and fa1<->fb1, `fwd` forwards (io) between
 * net_af_packet ports on fb0 and fb1 while this program, with
 * net_af_packet ports of its own, sends 10^6 self-checking frames into
 * fa0, paced (at most WINDOW in flight), and receives them from fa1: all
 * must arrive intact and in order, and fwd's own totals must match.
 *
 * usage: test_fwd_af_packet FWD [frames]   (skips without root or veth)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vfn_ethdev.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_vdev.h"
#include "vfn_frames.h"
#include "vfn_netns.h"
#include "vfn_tap.h"

#define WINDOW 384
#define PROBE_STREAM 99

static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xfe };
static struct vfn_mempool *pool;

static uint32_t frame_len(uint32_t seq)
{
	return 60 + seq % 200;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int port_up(const char *name, const char *args)
{
	uint16_t pid;

	if (vfn_vdev_init(name, args) ||
	    vfn_eth_dev_get_port_by_name(name, &pid) ||
	    vfn_eth_dev_configure(pid, 1, 1, NULL) ||
	    vfn_eth_rx_queue_setup(pid, 0, 512, -1, NULL, pool) ||
	    vfn_eth_tx_queue_setup(pid, 0, 512, -1, NULL) ||
	    vfn_eth_dev_start(pid))
		return -1;
	return pid;
}

static int send_one(uint16_t pid, uint32_t stream, uint32_t seq)
{
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);
	uint32_t len = frame_len(seq);

	if (!m)
		return 0;
	vfn_frame_build((uint8_t *)vfn_pktmbuf_append(m, (uint16_t)len), len,
			dst, stream, seq);
	if (vfn_eth_tx_burst(pid, 0, &m, 1) == 1)
		return 1;
	vfn_pktmbuf_free(m);
	return 0;
}

/* Send frames @seq.. of stream 1 in one burst, keeping at most WINDOW
 * beyond @done in flight; @return how many went. */
static uint32_t send_burst(uint16_t pid, uint32_t seq, uint32_t n,
			   uint32_t done)
{
	struct vfn_mbuf *m[32];
	uint32_t k = 0, room = WINDOW - (seq - done);
	uint16_t sent;

	while (k < 32 && k < room && seq + k < n) {
		uint32_t len = frame_len(seq + k);

		m[k] = vfn_pktmbuf_alloc(pool);
		if (!m[k])
			break;
		vfn_frame_build((uint8_t *)vfn_pktmbuf_append(m[k], (uint16_t)len),
				len, dst, 1, seq + k);
		k++;
	}
	sent = vfn_eth_tx_burst(pid, 0, m, (uint16_t)k);
	if (sent < k)
		vfn_pktmbuf_free_bulk(m + sent, k - sent);
	return sent;
}

struct rx_count {
	uint32_t next, bad, probes, other;
};

static void receive(uint16_t pid, struct rx_count *c)
{
	struct vfn_mbuf *b[32];
	uint16_t n, i;

	while ((n = vfn_eth_rx_burst(pid, 0, b, 32)) > 0) {
		for (i = 0; i < n; i++) {
			uint32_t st, sq;
			int r = vfn_frame_check(vfn_pktmbuf_mtod(b[i], uint8_t *),
						b[i]->data_len, &st, &sq);

			if (r == 0 && st == PROBE_STREAM)
				c->probes++;
			else if (r == 0 && st == 1 && sq == c->next &&
				 b[i]->pkt_len == frame_len(sq))
				c->next++;
			else if (r == -1)
				c->other++;
			else
				c->bad++;
		}
		vfn_pktmbuf_free_bulk(b, n);
	}
}

static pid_t start_fwd(const char *fwd, const char *log)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		/* fwd dies with this test on any exit path. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(fwd, fwd, "--no-huge", "-m", "256", "-l", "0,1",
		      "--log-level", "5",
		      "--vdev", "net_af_packet0,iface=fb0",
		      "--vdev", "net_af_packet1,iface=fb1", "--",
		      "--forward-mode=io", "--stats-period=0", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* "fwd-summary: ... rx=N tx=M dropped=D" and "fwd-mbufs: ... in_use=U". */
static int parse_log(const char *log, unsigned long long *rx,
		     unsigned long long *tx, unsigned long long *dropped,
		     long *in_use)
{
	char line[512];
	FILE *f = fopen(log, "r");
	int found = 0;

	if (!f)
		return -1;
	*in_use = -1;
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "fwd-summary:");

		if (p && (p = strstr(p, " rx=")) &&
		    sscanf(p, " rx=%llu tx=%llu dropped=%llu", rx, tx,
			   dropped) == 3)
			found = 1;
		p = strstr(line, "fwd-mbufs:");
		if (p && (p = strstr(p, "in_use=")))
			*in_use = strtol(p + 7, NULL, 10);
	}
	fclose(f);
	return found ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned long long frx = 0, ftx = 0, fdrop = 0;
	uint32_t n = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 1000000;
	char why[256], log[] = "/tmp/vfn_fwd_afp_XXXXXX";
	struct rx_count c = { 0 };
	uint32_t sent = 0, probes = 0;
	double t0, last;
	long in_use = -1;
	pid_t child;
	int a, b, st = 0, fd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FWD [frames]\n", argv[0]);
		return 2;
	}
	if (vfn_netns_enter(why, sizeof(why)) ||
	    vfn_veth_add("fa0", "fb0", why, sizeof(why)) ||
	    vfn_veth_add("fa1", "fb1", why, sizeof(why))) {
		printf("1..0 # SKIP %s\n", why);
		return 77;
	}
	fd = mkstemp(log);
	if (fd < 0)
		tap_bail("mkstemp: %s", strerror(errno));
	close(fd);
	pool = vfn_pktmbuf_pool_create("fwd_afp", 4096, 256, 0, 2048 + 128,
				       VFN_SOCKET_ID_ANY);
	a = pool ? port_up("net_af_packet0", "iface=fa0") : -1;
	b = pool ? port_up("net_af_packet1", "iface=fa1") : -1;
	if (a < 0 || b < 0) {
		unlink(log);
		tap_bail("cannot start this program's ports on fa0/fa1");
	}
	child = start_fwd(argv[1], log);
	if (!TAP_CHECK(child > 0, "fwd started"))
		return tap_done();

	/* Probe until fwd forwards: a frame sent before its ports are up
	 * is lost, and must not be one of the counted ones. */
	t0 = now();
	while (!c.probes && now() - t0 < 30) {
		probes += send_one((uint16_t)a, PROBE_STREAM, probes);
		usleep(20 * 1000);
		receive((uint16_t)b, &c);
	}
	TAP_CHECK(c.probes > 0, "fwd forwards (after %.1f s, %u probes)",
		  now() - t0, probes);
	usleep(50 * 1000);
	receive((uint16_t)b, &c);

	t0 = last = now();
	while (c.next + c.bad < n && now() - last < 10) {
		uint32_t before = c.next + c.bad;

		sent += send_burst((uint16_t)a, sent, n, before);

		receive((uint16_t)b, &c);
		if (c.next + c.bad != before)
			last = now();
	}
	tap_diag("%u frames in %.2f s", c.next, now() - t0);
	TAP_EQ(c.next, n, "%u frames forwarded by fwd, intact and in order", n);
	TAP_EQ(c.bad, 0, "none damaged, lost or out of order");
	TAP_EQ(c.other, 0, "no other traffic");

	kill(child, SIGINT);
	TAP_CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) &&
		  WEXITSTATUS(st) == 0, "fwd exits 0 on SIGINT (status 0x%x)",
		  st);
	if (TAP_CHECK(parse_log(log, &frx, &ftx, &fdrop, &in_use) == 0,
		      "fwd printed its summary")) {
		TAP_EQ(frx, (unsigned long long)n + c.probes,
		       "fwd rx = the frames + the %u probes that reached it",
		       c.probes);
		TAP_EQ(ftx, frx, "fwd tx = rx");
		TAP_EQ(fdrop, 0, "fwd dropped nothing");
		TAP_EQ(in_use, 0, "fwd got every mbuf back");
	}
	unlink(log);
	vfn_vdev_uninit("net_af_packet0");
	vfn_vdev_uninit("net_af_packet1");
	vfn_mempool_free(pool);
	return tap_done();
}
