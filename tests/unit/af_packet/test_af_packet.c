/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet tests (TAP), on a veth pair in a private network
 * namespace: option and interface errors (no port, no fd left), frames
 * with sequence numbers and checksums both ways with exact stats, UDP
 * flows spread over 4 queues by fanout (each flow whole and in order on
 * one queue), restart cycles, a stopped port receives nothing, kernel
 * drops counted as imissed, MTU, promiscuous mode (and nothing left on
 * the interface after stop), link status following the interface, an
 * oversized tx frame counted as an error, a pool too small for the frames,
 * frames received intact into mbufs left with a stale data_off.
 * Skips (exit 77) without root or veth.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/capability.h>
#include <sys/syscall.h>
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

#define IF_A "afpv0"
#define IF_B "afpv1"
#define NB_QUEUES 4
#define NB_FLOWS 64
#define WINDOW 256          /* frames in flight at most */

static struct vfn_mempool *pool;
static uint8_t mac_a[6], mac_b[6];

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

static uint32_t frame_len(uint32_t seq)
{
	return 60 + (seq * 37) % 1455;
}

static int port_up(const char *name, const char *args, uint16_t nq)
{
	int ret = vfn_vdev_init(name, args);
	uint16_t q, pid;

	if (ret)
		return ret;
	if (vfn_eth_dev_get_port_by_name(name, &pid))
		return -ENODEV;
	ret = vfn_eth_dev_configure(pid, nq, nq, NULL);
	for (q = 0; !ret && q < nq; q++)
		ret = vfn_eth_rx_queue_setup(pid, q, 512, -1, NULL, pool);
	for (q = 0; !ret && q < nq; q++)
		ret = vfn_eth_tx_queue_setup(pid, q, 512, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start(pid);
	if (ret) {
		vfn_vdev_uninit(name);
		return ret;
	}
	return pid;
}

static struct vfn_mbuf *mbuf_of(const uint8_t *buf, uint32_t len)
{
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);

	if (m)
		memcpy(vfn_pktmbuf_append(m, (uint16_t)len), buf, len);
	return m;
}

/* Receive test frames of @stream on every queue of @pid; count in order. */
struct rx_state {
	uint32_t next;       /* next expected seq */
	uint32_t bad;        /* damaged or out of order */
	uint32_t other;      /* not test frames */
};

static void drain(int pid, uint16_t nq, uint32_t stream, struct rx_state *s)
{
	struct vfn_mbuf *b[32];
	uint16_t q, n, i;

	for (q = 0; q < nq; q++) {
		while ((n = vfn_eth_rx_burst((uint16_t)pid, q, b, 32)) > 0) {
			for (i = 0; i < n; i++) {
				uint32_t st, sq;
				int r = vfn_frame_check(vfn_pktmbuf_mtod(b[i], uint8_t *),
							b[i]->data_len, &st, &sq);

				if (r == -1 || (r == 0 && st != stream))
					s->other++;
				else if (r == 0 && sq == s->next &&
					 b[i]->pkt_len == frame_len(sq))
					s->next++;
				else
					s->bad++;
			}
			vfn_pktmbuf_free_bulk(b, n);
		}
	}
}

/*
 * Send @n frames of @stream from @tx to @rx, draining @rx between bursts
 * (paced: the rx ring never overflows), then wait for the tail.
 */
static void exchange(int tx, int rx, const uint8_t *dst, uint32_t stream,
		     uint32_t n, struct rx_state *s)
{
	static uint8_t buf[2048];
	struct vfn_mbuf *b[32];
	uint32_t seq = 0;
	int idle;

	memset(s, 0, sizeof(*s));
	while (seq < n) {
		uint16_t k = 0, sent = 0;

		/* At most WINDOW in flight: with the kernel's receive work
		 * deferred to ksoftirqd on a loaded host, more could overrun
		 * the peer's backlog (netdev_max_backlog) or ring. */
		for (idle = 0; seq - s->next - s->bad > WINDOW && idle < 2000;
		     idle++) {
			drain(rx, 1, stream, s);
			if (seq - s->next - s->bad > WINDOW)
				usleep(100);
		}

		while (k < 32 && seq + k < n) {
			vfn_frame_build(buf, frame_len(seq + k), dst, stream,
					seq + k);
			b[k] = mbuf_of(buf, frame_len(seq + k));
			k++;
		}
		while (sent < k) {
			sent += vfn_eth_tx_burst((uint16_t)tx, 0, b + sent,
						 k - sent);
			drain(rx, 1, stream, s);
		}
		seq += k;
	}
	for (idle = 0; s->next + s->bad < n && idle < 500; idle++) {
		usleep(1000);
		drain(rx, 1, stream, s);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Frames the kernel leaves in the tx ring go out even when the next
 * burst finds the ring full.  A 20 Mbit/s tbf qdisc on B keeps B's
 * socket send buffer full, so the kernel's sendto() stops early with
 * EAGAIN and leaves frames marked for sending; the ring fills.  A burst
 * that queues nothing must still kick the kernel, or those frames wait
 * for ever and B never sends again; and the last frames must go out
 * when B's application polls rx without sending.
 */
static void test_tx_held_frames(int a, int b)
{
	static uint8_t buf[2048];
	const uint32_t n = 2000;
	struct vfn_mbuf *m[32];
	struct rx_state s;
	uint32_t seq = 0, full = 0;
	double end;

	if (system("tc qdisc add dev " IF_B " root tbf rate 20mbit "
		   "burst 4000 limit 10000000") != 0) {
		TAP_SKIP("tc cannot add a tbf qdisc here",
			 "held tx frames go out when the ring is full");
		return;
	}
	memset(&s, 0, sizeof(s));
	end = now_s() + 10;
	while (seq < n && now_s() < end) {
		uint16_t k = 0, sent;

		while (k < 32 && seq + k < n) {
			vfn_frame_build(buf, frame_len(seq + k), mac_a, 3,
					seq + k);
			m[k] = mbuf_of(buf, frame_len(seq + k));
			k++;
		}
		sent = vfn_eth_tx_burst((uint16_t)b, 0, m, k);
		full += sent < k;
		vfn_pktmbuf_free_bulk(m + sent, k - sent);
		seq += sent;
		drain(a, 1, 3, &s);
		if (sent < k)
			usleep(200);
	}
	/* The tail: B's application sends no more, but polls B's rx as
	 * fwd does; that empty poll must get the held frames out. */
	while (s.next + s.bad < seq && now_s() < end) {
		uint16_t r = vfn_eth_rx_burst((uint16_t)b, 0, m, 32);

		vfn_pktmbuf_free_bulk(m, r);
		usleep(1000);
		drain(a, 1, 3, &s);
	}
	TAP_CHECK(system("tc qdisc del dev " IF_B " root") == 0,
		  "tbf qdisc removed");
	tap_diag("ring found full %u times", full);
	TAP_CHECK(full > 0, "the slow qdisc filled B's tx ring");
	TAP_EQ(seq, n, "all %u frames taken by B's tx ring within 10 s", n);
	TAP_EQ(s.next, n, "all %u frames received intact, in order", n);
	TAP_EQ(s.bad + s.other, 0, "nothing else");
}

/* Probe in a child whose effective capabilities lack CAP_NET_RAW. */
static int without_net_raw(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (syscall(SYS_capget, &hdr, data) != 0)
			_exit(100);
		data[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
		if (syscall(SYS_capset, &hdr, data) != 0)
			_exit(101);
		_exit(-vfn_vdev_init("net_af_packet0", "iface=" IF_A) & 0x7f);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	return -WEXITSTATUS(st);
}

static void test_errors(void)
{
	int fds = count_fds();

	TAP_EQ(vfn_vdev_init("net_af_packet0", ""), -EINVAL, "no iface=");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=nosuch0"), -ENODEV,
	       "iface= of a missing interface: -ENODEV");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=" IF_A ",blocksz=1000"),
	       -EINVAL, "blocksz not a multiple of the page size");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=" IF_A ",framesz=1000"),
	       -EINVAL, "framesz not a multiple of 16");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=" IF_A ",framesz=8192"),
	       -EINVAL, "framesz larger than blocksz");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=" IF_A ",framecnt=3"),
	       -EINVAL, "framecnt not a multiple of the frames per block");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=" IF_A ",qpairs=0"),
	       -EINVAL, "qpairs=0");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=" IF_A ",qpairs=17"),
	       -EINVAL, "qpairs=17");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=" IF_A ",qdisc_bypass=2"),
	       -EINVAL, "qdisc_bypass=2");
	TAP_EQ(vfn_vdev_init("net_af_packet0", "iface=lo,x=1"), -EINVAL,
	       "unknown key");
	TAP_EQ(without_net_raw(), -EPERM, "without CAP_NET_RAW: -EPERM");
	TAP_EQ(vfn_eth_dev_count_avail(), 0, "no port left by failed probes");
	TAP_EQ(count_fds(), fds, "no file descriptor left by failed probes");
}

static void test_both_ways(int a, int b)
{
	struct vfn_eth_stats st;
	struct rx_state s;
	const uint32_t n = 20000;
	uint64_t bytes = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		bytes += frame_len(i);
	vfn_eth_stats_reset((uint16_t)a);
	vfn_eth_stats_reset((uint16_t)b);
	exchange(a, b, mac_b, 1, n, &s);
	TAP_EQ(s.next, n, "%u frames " IF_A " -> " IF_B ", intact, in order", n);
	TAP_EQ(s.bad, 0, "none damaged or out of order");
	TAP_EQ(s.other, 0, "no other traffic");
	exchange(b, a, mac_a, 2, n, &s);
	TAP_EQ(s.next, n, "%u frames " IF_B " -> " IF_A ", intact, in order", n);
	TAP_EQ(s.bad + s.other, 0, "nothing else");
	vfn_eth_stats_get((uint16_t)a, &st);
	TAP_EQ(st.opackets, n, "A opackets exact");
	TAP_EQ(st.obytes, bytes, "A obytes exact");
	TAP_EQ(st.ipackets, n, "A ipackets exact");
	TAP_EQ(st.ibytes, bytes, "A ibytes exact");
	TAP_EQ(st.imissed + st.ierrors + st.oerrors + st.rx_nombuf, 0,
	       "A: no drops, no errors");
	vfn_eth_stats_get((uint16_t)b, &st);
	TAP_EQ(st.opackets + st.ipackets, 2 * n, "B packets exact");
	TAP_EQ(st.imissed + st.ierrors + st.oerrors + st.rx_nombuf, 0,
	       "B: no drops, no errors");
}

/*
 * Received frames land where the mbuf reset puts the data, whatever
 * data_off the mbuf's last user left: every free mbuf of the pool is
 * returned with data_off 384 (as net_af_xdp's mbufs mode leaves them, or
 * a vfn_pktmbuf_adj()), then frames must arrive intact.
 */
static void test_stale_data_off(int a, int b)
{
	static struct vfn_mbuf *m[8192];
	struct rx_state s;
	unsigned int n = 0, i;

	while (n < VFN_DIM(m) && (m[n] = vfn_pktmbuf_alloc(pool)) != NULL)
		n++;
	for (i = 0; i < n; i++)
		m[i]->data_off = 384;
	for (i = 0; i < n; i++)
		vfn_pktmbuf_free(m[i]);
	TAP_CHECK(n > 1000, "%u free mbufs left with data_off 384", n);
	exchange(a, b, mac_b, 7, 2000, &s);
	TAP_EQ(s.next, 2000, "2000 frames received into them, intact, in "
	       "order");
	TAP_EQ(s.bad, 0, "none damaged (copied to where the reset puts the "
	       "data)");
}

/* An IPv4/UDP frame of flow @flow (its source port), payload checked. */
static uint32_t udp_build(uint8_t *p, uint32_t flow, uint32_t seq)
{
	uint32_t len = 128, i;

	memcpy(p, mac_b, 6);
	memcpy(p + 6, mac_a, 6);
	p[12] = 0x08;
	p[13] = 0x00;
	memset(p + 14, 0, 20);
	p[14] = 0x45;
	p[16] = (uint8_t)((len - 14) >> 8);
	p[17] = (uint8_t)(len - 14);
	p[22] = 64;
	p[23] = 17;
	vfn_frame_put32(p + 26, 0x0a000001);
	vfn_frame_put32(p + 30, 0x0a000002);
	p[34] = (uint8_t)((10000 + flow) >> 8);
	p[35] = (uint8_t)(10000 + flow);
	p[36] = 0x27;
	p[37] = 0x10;
	p[38] = (uint8_t)((len - 34) >> 8);
	p[39] = (uint8_t)(len - 34);
	p[40] = p[41] = 0;
	vfn_frame_put32(p + 42, VFN_FRAME_MAGIC);
	vfn_frame_put32(p + 46, flow);
	vfn_frame_put32(p + 50, seq);
	for (i = 54; i < len - 4; i++)
		p[i] = (uint8_t)(seq + i);
	vfn_frame_put32(p + len - 4, vfn_frame_sum(p + 42, len - 46));
	return len;
}

static void test_fanout(int a)
{
	static uint32_t next[NB_FLOWS], flow_q[NB_FLOWS];
	const uint32_t per_flow = 200, n = NB_FLOWS * per_flow;
	uint32_t got = 0, bad = 0, split = 0, used = 0, q_pkts[NB_QUEUES] = { 0 };
	struct vfn_eth_stats st;
	struct vfn_mbuf *b[32];
	uint8_t buf[128];
	uint32_t seq = 0, i;
	int c, idle;
	uint16_t q, k, j;

	c = port_up("net_af_packet2", "iface=" IF_B ",qpairs=4", NB_QUEUES);
	if (!TAP_CHECK(c >= 0, "port with qpairs=4 up (%d)", c))
		return;
	for (i = 0; i < NB_FLOWS; i++)
		flow_q[i] = UINT32_MAX;
	for (idle = 0; got + bad < n && idle < 500;) {
		for (k = 0; k < 32 && seq < n && seq - got - bad < WINDOW;
		     k++, seq++) {
			uint32_t len = udp_build(buf, seq % NB_FLOWS,
						 seq / NB_FLOWS);

			b[k] = mbuf_of(buf, len);
		}
		for (j = 0; j < k;)
			j += vfn_eth_tx_burst((uint16_t)a, 0, b + j, k - j);
		if (!k) {
			usleep(1000);
			idle++;
		}
		for (q = 0; q < NB_QUEUES; q++) {
			uint16_t nb = vfn_eth_rx_burst((uint16_t)c, q, b, 32);

			for (j = 0; j < nb; j++) {
				const uint8_t *p = vfn_pktmbuf_mtod(b[j], uint8_t *);
				uint32_t f = vfn_frame_get32(p + 46);
				uint32_t s = vfn_frame_get32(p + 50);

				if (b[j]->pkt_len != 128 || f >= NB_FLOWS ||
				    vfn_frame_get32(p + 124) !=
				    vfn_frame_sum(p + 42, 128 - 46) ||
				    s != next[f]) {
					bad++;
					continue;
				}
				next[f]++;
				got++;
				q_pkts[q]++;
				if (flow_q[f] == UINT32_MAX)
					flow_q[f] = q;
				else if (flow_q[f] != q)
					split++;
			}
			if (nb) {
				vfn_pktmbuf_free_bulk(b, nb);
				idle = 0;
			}
		}
	}
	TAP_EQ(got, n, "%u frames of %u UDP flows received whole and in order",
	       n, NB_FLOWS);
	TAP_EQ(bad, 0, "none damaged or out of flow order");
	TAP_EQ(split, 0, "each flow stays on one queue");
	for (q = 0; q < NB_QUEUES; q++)
		used += q_pkts[q] > 0;
	tap_diag("per queue: %u %u %u %u", q_pkts[0], q_pkts[1], q_pkts[2],
		 q_pkts[3]);
	TAP_CHECK(used >= 2, "fanout spreads the flows over %u queues", used);
	vfn_eth_stats_get((uint16_t)c, &st);
	TAP_EQ(st.ipackets, n, "ipackets exact over the 4 queues");
	for (q = 0, i = 0; q < NB_QUEUES; q++)
		i += st.q_ipackets[q] == q_pkts[q];
	TAP_EQ(i, NB_QUEUES, "per-queue ipackets exact");
	vfn_vdev_uninit("net_af_packet2");
}

/* 1 rx and 2 tx queues: queue 1's socket is tx-only and still sends. */
static void test_tx_only_queue(int b)
{
	static uint8_t buf[2048];
	struct vfn_mbuf *m[8];
	struct rx_state s;
	uint16_t pid, q, k;
	int ret;

	ret = vfn_vdev_init("net_af_packet3", "iface=" IF_A ",qpairs=2");
	if (!TAP_CHECK(ret == 0, "qpairs=2 port (%d)", ret) ||
	    vfn_eth_dev_get_port_by_name("net_af_packet3", &pid))
		return;
	ret = vfn_eth_dev_configure(pid, 1, 2, NULL);
	if (!ret)
		ret = vfn_eth_rx_queue_setup(pid, 0, 512, -1, NULL, pool);
	for (q = 0; !ret && q < 2; q++)
		ret = vfn_eth_tx_queue_setup(pid, q, 512, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start(pid);
	if (TAP_EQ(ret, 0, "1 rx + 2 tx queues start")) {
		/* B's ring still holds the fanout test's flows: empty it. */
		drain(b, 1, 60, &s);
		for (k = 0; k < 8; k++) {
			vfn_frame_build(buf, frame_len(k), mac_b, 60, k);
			m[k] = mbuf_of(buf, frame_len(k));
		}
		for (k = 0; k < 8;)
			k += vfn_eth_tx_burst(pid, 1, m + k, (uint16_t)(8 - k));
		usleep(20 * 1000);
		memset(&s, 0, sizeof(s));
		drain(b, 1, 60, &s);
		TAP_EQ(s.next, 8, "8 frames sent on the tx-only queue 1 arrive");
	}
	vfn_vdev_uninit("net_af_packet3");
}

static void test_restart(int a, int b)
{
	struct vfn_eth_stats st;
	struct rx_state s;
	uint32_t cycle, ok = 0;

	vfn_eth_stats_reset((uint16_t)b);
	for (cycle = 0; cycle < 5; cycle++) {
		if (vfn_eth_dev_stop((uint16_t)a) || vfn_eth_dev_stop((uint16_t)b) ||
		    vfn_eth_dev_start((uint16_t)a) || vfn_eth_dev_start((uint16_t)b))
			break;
		exchange(a, b, mac_b, 10 + cycle, 1000, &s);
		ok += s.next == 1000 && s.bad == 0;
	}
	TAP_EQ(ok, 5, "5 stop/start cycles, 1000 frames each");
	vfn_eth_stats_get((uint16_t)b, &st);
	TAP_EQ(st.ipackets, 5000, "ipackets counted across restarts");

	/* What arrives while stopped is not received after start. */
	TAP_EQ(vfn_eth_dev_stop((uint16_t)b), 0, "stop B");
	exchange(a, b, mac_b, 20, 100, &s);
	TAP_EQ(vfn_eth_dev_start((uint16_t)b), 0, "start B");
	usleep(20 * 1000);
	memset(&s, 0, sizeof(s));
	drain(b, 1, 20, &s);
	TAP_EQ(s.next + s.bad + s.other, 0, "frames sent while B was stopped "
	       "are not received");
}

static void test_kernel_drops(int a, int b)
{
	static uint8_t buf[2048];
	struct vfn_eth_stats st;
	struct vfn_mbuf *m[32];
	struct rx_state s;
	/* More than the 512-frame ring, less than netdev_max_backlog (1000):
	 * every frame reaches the socket, kept or dropped there. */
	const uint32_t n = 900;
	uint32_t seq = 0;
	uint16_t k, j;

	vfn_eth_stats_reset((uint16_t)b);
	/* B is not polled: its 512-frame ring fills, the kernel drops. */
	while (seq < n) {
		for (k = 0; k < 32 && seq < n; k++, seq++) {
			vfn_frame_build(buf, 64, mac_b, 30, seq);
			m[k] = mbuf_of(buf, 64);
		}
		for (j = 0; j < k;)
			j += vfn_eth_tx_burst((uint16_t)a, 0, m + j, k - j);
	}
	usleep(50 * 1000);
	memset(&s, 0, sizeof(s));
	drain(b, 1, 30, &s);
	vfn_eth_stats_get((uint16_t)b, &st);
	tap_diag("received %u, imissed %llu", s.next + s.bad,
		 (unsigned long long)st.imissed);
	TAP_CHECK(st.imissed > 0, "kernel drops seen as imissed");
	TAP_EQ(st.ipackets + st.imissed, n, "ipackets + imissed == frames sent");
	vfn_eth_stats_reset((uint16_t)b);
	vfn_eth_stats_get((uint16_t)b, &st);
	TAP_EQ(st.imissed, 0, "stats reset clears imissed");
}

/* The interface's promiscuity count (`ip -d link`: sysfs shows the
 * namespace the test started in). */
static int promiscuity(const char *ifname)
{
	char cmd[128];
	int v = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ip -d link show %s | "
		 "sed -n 's/.*promiscuity \\([0-9]*\\).*/\\1/p'", ifname);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &v) != 1)
			v = -1;
		pclose(p);
	}
	return v;
}

static unsigned long iface_mtu(const char *ifname)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	unsigned long v = 0;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd >= 0 && ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		v = (unsigned long)ifr.ifr_mtu;
	if (fd >= 0)
		close(fd);
	return v;
}

static int link_wait(int pid, int want)
{
	struct vfn_eth_link link = { 0 };
	int i;

	for (i = 0; i < 300; i++) {
		vfn_eth_link_get_nowait((uint16_t)pid, &link);
		if (link.link_status == want)
			break;
		usleep(10 * 1000);
	}
	return link.link_status;
}

/* Send @len bytes out of @ifname through a plain packet socket. */
static int host_send(const char *ifname, const uint8_t *buf, uint32_t len)
{
	struct sockaddr_ll sll;
	int fd = socket(AF_PACKET, SOCK_RAW, 0), ret;

	if (fd < 0)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, buf, 6);
	ret = sendto(fd, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll)) ==
	      (ssize_t)len ? 0 : -1;
	close(fd);
	return ret;
}

/* An empty pool: frames dropped and counted in rx_nombuf, ring not stuck. */
static void test_nombuf(int a, int b)
{
	static struct vfn_mbuf *held[1024];
	struct vfn_mempool *mp;
	struct vfn_eth_stats st;
	struct rx_state s;
	struct vfn_mbuf *m[16];
	uint8_t buf[64];
	uint32_t nheld = 0, i, got;
	uint16_t k;

	mp = vfn_pktmbuf_pool_create("afp_nombuf", 600, 0, 0, 2048 + 128,
				     VFN_SOCKET_ID_ANY);
	if (!TAP_CHECK(mp != NULL, "a 600-mbuf pool") ||
	    !TAP_CHECK(vfn_eth_dev_stop((uint16_t)b) == 0 &&
		       vfn_eth_rx_queue_setup((uint16_t)b, 0, 512, -1, NULL,
					      mp) == 0 &&
		       vfn_eth_dev_start((uint16_t)b) == 0,
		       "B receives into it"))
		return;
	while (nheld < VFN_DIM(held) && (held[nheld] = vfn_pktmbuf_alloc(mp)))
		nheld++;
	vfn_eth_stats_reset((uint16_t)b);
	for (k = 0; k < 10; k++) {
		vfn_frame_build(buf, 64, mac_b, 40, k);
		m[k] = mbuf_of(buf, 64);
	}
	for (i = 0; i < 5;)
		i += vfn_eth_tx_burst((uint16_t)a, 0, m + i, (uint16_t)(5 - i));
	/* One frame the host sends out of IF_B: B's ring gets it as
	 * PACKET_OUTGOING between the others, and gives it back unread. */
	vfn_frame_build(buf, 64, mac_a, 40, 99);
	TAP_CHECK(host_send(IF_B, buf, 64) == 0, "the host sends a frame out "
		  "of " IF_B);
	usleep(5 * 1000);
	for (i = 5; i < 10;)
		i += vfn_eth_tx_burst((uint16_t)a, 0, m + i, (uint16_t)(10 - i));
	usleep(20 * 1000);
	got = vfn_eth_rx_burst((uint16_t)b, 0, m, 16);
	TAP_EQ(got, 0, "nothing received with the pool empty");
	vfn_eth_stats_get((uint16_t)b, &st);
	TAP_EQ(st.rx_nombuf, 10, "rx_nombuf counts the 10 frames");
	for (i = 0; i < nheld; i++)
		vfn_pktmbuf_free(held[i]);
	exchange(a, b, mac_b, 41, 100, &s);
	TAP_EQ(s.next, 100, "with mbufs back, the next 100 frames arrive in "
	       "order");
	vfn_eth_dev_stop((uint16_t)b);
	vfn_eth_rx_queue_setup((uint16_t)b, 0, 512, -1, NULL, pool);
	vfn_eth_dev_start((uint16_t)b);
	vfn_mempool_free(mp);
}

/* A 3000-byte frame on a 9000-MTU link, 2048-byte ring frames: ierrors. */
static void test_truncated(int b)
{
	static uint8_t big[3000];
	struct vfn_eth_stats st;
	struct rx_state s;

	vfn_link_set(IF_A, "mtu 9000");
	vfn_link_set(IF_B, "mtu 9000");
	vfn_eth_stats_reset((uint16_t)b);
	vfn_frame_build(big, sizeof(big), mac_b, 50, 0);
	TAP_CHECK(host_send(IF_A, big, sizeof(big)) == 0, "the host sends a "
		  "3000-byte frame out of " IF_A);
	usleep(20 * 1000);
	memset(&s, 0, sizeof(s));
	drain(b, 1, 50, &s);
	TAP_EQ(s.next + s.bad + s.other, 0, "a frame longer than framesz is "
	       "not received truncated");
	vfn_eth_stats_get((uint16_t)b, &st);
	TAP_EQ(st.ierrors, 1, "it is counted in ierrors");
	TAP_EQ(st.ipackets, 0, "not in ipackets");
	vfn_link_set(IF_A, "mtu 1500");
	vfn_link_set(IF_B, "mtu 1500");
}

static void test_control(int a, int b)
{
	struct vfn_eth_stats st;
	struct vfn_eth_link link;
	struct vfn_mbuf *m, *seg;
	struct vfn_mempool *tiny;
	uint16_t mtu;

	TAP_EQ(vfn_eth_dev_set_mtu((uint16_t)a, 1800), 0, "set MTU 1800");
	TAP_EQ(iface_mtu(IF_A), 1800, "the interface has MTU 1800");
	TAP_EQ(vfn_eth_dev_get_mtu((uint16_t)a, &mtu) == 0 ? mtu : 0, 1800,
	       "get MTU 1800");
	TAP_EQ(vfn_eth_dev_set_mtu((uint16_t)a, 3000), -EINVAL,
	       "MTU 3000 does not fit framesz=2048: -EINVAL");
	vfn_eth_dev_set_mtu((uint16_t)a, 1500);

	TAP_EQ(promiscuity(IF_A), 0, "not promiscuous");
	TAP_EQ(vfn_eth_promiscuous_enable((uint16_t)a), 0, "promiscuous on");
	TAP_EQ(promiscuity(IF_A), 1, "the interface is promiscuous");
	TAP_EQ(vfn_eth_dev_stop((uint16_t)a), 0, "stop");
	TAP_EQ(promiscuity(IF_A), 0, "a stopped port leaves no "
	       "promiscuous flag");
	TAP_EQ(vfn_eth_dev_start((uint16_t)a), 0, "start");
	TAP_EQ(promiscuity(IF_A), 1, "start restores promiscuous");
	TAP_EQ(vfn_eth_promiscuous_disable((uint16_t)a), 0, "promiscuous off");
	TAP_EQ(promiscuity(IF_A), 0, "the interface is not promiscuous");

	TAP_EQ(vfn_eth_link_get_nowait((uint16_t)a, &link), 0, "link get");
	TAP_EQ(link.link_status, VFN_ETH_LINK_UP, "link up");
	/* The kernel updates the operational state asynchronously
	 * (linkwatch): wait up to 3 s for it. */
	vfn_link_set(IF_B, "down");
	TAP_EQ(link_wait(a, VFN_ETH_LINK_DOWN), VFN_ETH_LINK_DOWN,
	       "peer down: link down");
	vfn_link_set(IF_B, "up");
	TAP_EQ(link_wait(a, VFN_ETH_LINK_UP), VFN_ETH_LINK_UP,
	       "peer up: link up");

	/* A 3000-byte chain cannot fit a 2048-byte frame. */
	vfn_eth_stats_reset((uint16_t)a);
	m = vfn_pktmbuf_alloc(pool);
	seg = vfn_pktmbuf_alloc(pool);
	if (m && seg) {
		memset(vfn_pktmbuf_append(m, 1500), 0, 1500);
		memset(vfn_pktmbuf_append(seg, 1500), 0, 1500);
		vfn_pktmbuf_chain(m, seg);
		TAP_EQ(vfn_eth_tx_burst((uint16_t)a, 0, &m, 1), 1,
		       "an oversized frame is consumed");
	}
	vfn_eth_stats_get((uint16_t)a, &st);
	TAP_EQ(st.oerrors, 1, "and counted in oerrors");
	TAP_EQ(st.opackets, 0, "not in opackets");

	tiny = vfn_pktmbuf_pool_create("afp_tiny", 1024, 0, 0, 1024 + 128,
				       VFN_SOCKET_ID_ANY);
	TAP_EQ(vfn_eth_dev_stop((uint16_t)b), 0, "stop B");
	TAP_EQ(vfn_eth_rx_queue_setup((uint16_t)b, 0, 512, -1, NULL, tiny),
	       -ENOBUFS, "1024-byte mbufs for 2016-byte frames: -ENOBUFS");
	TAP_EQ(vfn_eth_rx_queue_setup((uint16_t)b, 0, 512, -1, NULL, pool), 0,
	       "the right pool");
	TAP_EQ(vfn_eth_dev_start((uint16_t)b), 0, "start B");
	vfn_mempool_free(tiny);
	test_nombuf(a, b);
	test_truncated(b);
}

int main(void)
{
	char why[256];
	uint16_t pa, pb;
	struct vfn_ether_addr mac;
	int a, b, fds;

	if (vfn_netns_enter(why, sizeof(why)) ||
	    vfn_veth_add(IF_A, IF_B, why, sizeof(why))) {
		printf("1..0 # SKIP %s\n", why);
		return 77;
	}
	pool = vfn_pktmbuf_pool_create("afp_pool", 8192, 256, 0, 2048 + 128,
				       VFN_SOCKET_ID_ANY);
	if (!pool)
		tap_bail("cannot create the mbuf pool");
	test_errors();
	fds = count_fds();
	a = port_up("net_af_packet0", "iface=" IF_A, 1);
	b = port_up("net_af_packet1", "iface=" IF_B ",qdisc_bypass=0", 1);
	if (!TAP_CHECK(a >= 0 && b >= 0, "ports on " IF_A " and " IF_B
		       " up (%d %d)", a, b))
		return tap_done();
	pa = (uint16_t)a;
	pb = (uint16_t)b;
	vfn_eth_macaddr_get(pa, &mac);
	memcpy(mac_a, mac.addr_bytes, 6);
	vfn_eth_macaddr_get(pb, &mac);
	memcpy(mac_b, mac.addr_bytes, 6);
	TAP_CHECK(vfn_is_valid_assigned_ether_addr(&mac), "port MAC is the "
		  "interface's");
	test_both_ways(a, b);
	test_tx_held_frames(a, b);
	test_stale_data_off(a, b);
	test_fanout(a);
	test_tx_only_queue(b);
	test_restart(a, b);
	test_kernel_drops(a, b);
	test_control(a, b);
	TAP_EQ(vfn_vdev_uninit("net_af_packet0"), 0, "close A");
	TAP_EQ(vfn_vdev_uninit("net_af_packet1"), 0, "close B");
	TAP_EQ(count_fds(), fds, "no file descriptor left after close");
	(void)pa;
	(void)pb;
	vfn_mempool_free(pool);
	return tap_done();
}
