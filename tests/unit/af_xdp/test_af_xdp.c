/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp across a veth pair in a network namespace this test makes
 * for itself (TAP).  Port A on xa, port B on xb: self-checking frames
 * (tests/lib/vfn_frames.h) from B to A and back, paced so none may be
 * lost, every one checked and counted, port statistics exact, in both
 * UMEM modes (umem=mbufs: the frames are the mbufs, data_off shows where
 * the kernel put them; umem=copy) and mixed; mbufs mode: every mbuf back
 * in the pool at close, none leaked over many bursts, foreign and chained
 * mbufs sent through the copy fallback, a pool that cannot be the UMEM;
 * two queue pairs on one pool, each queue's frames on its own queue;
 * imissed (rx flooded while not polled) against the XDP_STATISTICS
 * xstats; MTU set/get on the interface and a frame above it dropped;
 * dpdk-testpmd's net_af_xdp looping our frames back; restart cycles; the
 * XDP program gone from the interface after a close and after kill -9 of
 * a process that held the port; the option and permission errors.  Skips
 * with the reason when not root or without netns/veth.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
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
#define FILL 1024 /* mbufs a queue gives the kernel's fill ring */
/* data_off of a frame the kernel wrote into an mbuf: headroom + 256 */
#define MBUFS_DATA_OFF (VFN_PKTMBUF_HEADROOM + 256)
static struct vfn_mempool *pool;
static unsigned int transfer_ms = 30000; /* give up a transfer after */
static int want_data_off = -1;   /* received frames' data_off, -1: any */
static unsigned int bad_data_off; /* frames received at another one */
static struct vfn_mempool *tx_pool; /* frames built in (NULL: pool) */
static int tx_chained;              /* frames built as two segments */
static uint16_t xfer_q;             /* queue transfer() uses, both ends */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Port @p name (@p nq queue pairs, rx from @p mp) started; its id. */
static int port_up_nq(const char *name, const char *args,
		      struct vfn_mempool *mp, uint16_t nq)
{
	uint16_t id, q;
	int ret = vfn_vdev_init(name, args);

	if (ret)
		return ret;
	vfn_eth_dev_get_port_by_name(name, &id);
	ret = vfn_eth_dev_configure(id, nq, nq, NULL);
	for (q = 0; !ret && q < nq; q++)
		ret = vfn_eth_rx_queue_setup(id, q, 1024, -1, NULL, mp);
	for (q = 0; !ret && q < nq; q++)
		ret = vfn_eth_tx_queue_setup(id, q, 1024, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start(id);
	if (ret) {
		vfn_vdev_uninit(name);
		return ret;
	}
	return id;
}

static int port_up_pool(const char *name, const char *args,
			struct vfn_mempool *mp)
{
	return port_up_nq(name, args, mp, 1);
}

static int port_up(const char *name, const char *args)
{
	return port_up_pool(name, args, pool);
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
 * A self-checking frame in an mbuf of tx_pool (or pool), in two segments
 * when tx_chained.
 */
static struct vfn_mbuf *frame_alloc(uint32_t len, const uint8_t *dst,
				    uint32_t stream, uint32_t seq)
{
	struct vfn_mempool *mp = tx_pool ? tx_pool : pool;
	uint8_t buf[2048];
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(mp), *m2;
	uint32_t h = len / 2;

	if (!m)
		return NULL;
	vfn_frame_build(buf, len, dst, stream, seq);
	if (!tx_chained) {
		memcpy(vfn_pktmbuf_append(m, (uint16_t)len), buf, len);
		return m;
	}
	m2 = vfn_pktmbuf_alloc(mp);
	if (!m2) {
		vfn_pktmbuf_free(m);
		return NULL;
	}
	memcpy(vfn_pktmbuf_append(m, (uint16_t)h), buf, h);
	memcpy(vfn_pktmbuf_append(m2, (uint16_t)(len - h)), buf + h, len - h);
	vfn_pktmbuf_chain(m, m2);
	return m;
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
			pkts[k] = frame_alloc(len, dst, stream, sent + k);
			if (!pkts[k])
				break;
			k++;
		}
		/* An empty burst too: it takes back completions and kicks
		 * what the kernel left in the tx ring (as in DPDK). */
		s = vfn_eth_tx_burst((uint16_t)tx, xfer_q, pkts, k);
		if (s < k)
			vfn_pktmbuf_free_bulk(pkts + s, k - s);
		sent += s;
		*bytes += (uint64_t)s * len;
		k = vfn_eth_rx_burst((uint16_t)rx, xfer_q, pkts, BURST);
		for (i = 0; i < k; i++) {
			uint32_t st = 0, seq = 0;
			int r = vfn_frame_check(vfn_pktmbuf_mtod(pkts[i],
							uint8_t *),
						pkts[i]->pkt_len, &st, &seq);

			if (r == 0 && st == stream && seq == got) {
				got++;
				if (want_data_off >= 0 &&
				    pkts[i]->data_off != want_data_off &&
				    bad_data_off++ < 3)
					tap_diag("frame %u at data_off %u", seq,
						 pkts[i]->data_off);
			}
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

/* Let the kernel finish sending, then take back the completions. */
static void tx_settle(int p)
{
	usleep(100000);
	vfn_eth_tx_burst((uint16_t)p, 0, NULL, 0);
}

/*
 * Traffic both ways with port A in UMEM mode @p ma and port B in @p mb
 * ("mbufs" or "copy"): every frame checked, where it lies in the mbuf
 * (mbufs mode: where the kernel wrote it, no copy), stats exact, the
 * mbufs the kernel holds exactly FILL per mbufs-mode port after 10^5
 * frames (none leaked), and every one back in the pool at close.
 */
static void case_traffic(const char *ma, const char *mb)
{
	struct vfn_eth_stats sa, sb;
	char arga[128], argb[128];
	uint64_t b1, b2;
	int a, b, ok, ka = !strcmp(ma, "mbufs"), kb = !strcmp(mb, "mbufs");

	tap_diag("port A (xa) umem=%s, port B (xb, XDP_COPY) umem=%s", ma, mb);
	snprintf(arga, sizeof(arga), "iface=xa,umem=%s", ma);
	snprintf(argb, sizeof(argb), "iface=xb,force_copy=1,busy_budget=0,"
		 "umem=%s", mb);
	a = port_up("net_af_xdp0", arga);
	b = port_up("net_af_xdp1", argb);
	if (!TAP_CHECK(a >= 0 && b >= 0, "%s/%s: ports on xa and xb (%d, %d)",
		       ma, mb, a, b))
		return;
	TAP_EQ(vfn_mempool_in_use_count(pool), (ka + kb) * FILL,
	       "%s/%s: the fill rings hold %d mbufs of the pool", ma, mb,
	       (ka + kb) * FILL);
	bad_data_off = 0;
	want_data_off = ka ? MBUFS_DATA_OFF : VFN_PKTMBUF_HEADROOM;
	ok = transfer(b, a, 1, 100000, 256, 64, &b1);
	TAP_CHECK(ok, "%s/%s: 100000 64-byte frames xb -> xa, intact, in "
		  "order", ma, mb);
	want_data_off = kb ? MBUFS_DATA_OFF : VFN_PKTMBUF_HEADROOM;
	ok = transfer(a, b, 2, 20000, 256, 1500, &b2);
	TAP_CHECK(ok, "%s/%s: 20000 1500-byte frames xa -> xb, intact, in "
		  "order", ma, mb);
	want_data_off = -1;
	TAP_EQ(bad_data_off, 0, "%s/%s: received frames at data_off %d "
	       "(mbufs) / %d (copy)", ma, mb, MBUFS_DATA_OFF,
	       VFN_PKTMBUF_HEADROOM);
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
	TAP_EQ(sa.imissed + sb.imissed, 0, "nothing missed (paced)");
	tx_settle(a);
	tx_settle(b);
	TAP_EQ(vfn_mempool_in_use_count(pool), (ka + kb) * FILL,
	       "%s/%s: after 120000 frames the kernel holds the %d fill-ring "
	       "mbufs, no more", ma, mb, (ka + kb) * FILL);
	TAP_CHECK(has_xdp("xa") == 1, "XDP program attached to xa while open");
	port_down(a);
	port_down(b);
	TAP_CHECK(has_xdp("xa") == 0 && has_xdp("xb") == 0,
		  "no XDP program left after close");
	TAP_EQ(vfn_mempool_in_use_count(pool), 0, "%s/%s: every mbuf back in "
	       "the pool after close", ma, mb);
}

/*
 * mbufs mode sends mbufs it cannot post where they are through a copy:
 * mbufs of another pool and two-segment chains.  The foreign pool's
 * mbufs are freed in the burst; the port's pool is full after close,
 * also when closed with frames still in flight.
 */
static void case_mbufs_fallback(void)
{
	struct vfn_mempool *other;
	struct vfn_eth_stats sa;
	uint64_t by;
	int a, b, ok;

	other = vfn_pktmbuf_pool_create("afx_other", 2047, 0, 0, 2048 + 128,
					-1);
	a = port_up("net_af_xdp0", "iface=xa,umem=mbufs");
	b = port_up("net_af_xdp1", "iface=xb,umem=mbufs");
	if (!TAP_CHECK(other && a >= 0 && b >= 0, "fallback: ports and a "
		       "second pool"))
		goto out;
	tx_pool = other;
	ok = transfer(a, b, 3, 5000, 256, 700, &by);
	TAP_CHECK(ok, "5000 frames built in another pool's mbufs xa -> xb");
	TAP_EQ(vfn_mempool_in_use_count(other), 0, "the other pool's mbufs "
	       "were copied and freed at once");
	tx_pool = NULL;
	tx_chained = 1;
	ok = transfer(a, b, 4, 5000, 256, 1200, &by);
	tx_chained = 0;
	TAP_CHECK(ok, "5000 two-segment frames xa -> xb");
	vfn_eth_stats_get((uint16_t)a, &sa);
	TAP_EQ(sa.opackets, 10000, "xa port: opackets");
	TAP_EQ(sa.oerrors, 0, "xa port: no oerrors");
	/* Close with frames in flight: sent, never received. */
	{
		struct vfn_mbuf *m[BURST];
		static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xaa };
		uint16_t i, s;

		for (i = 0; i < BURST; i++)
			m[i] = frame_alloc(64, dst, 5, i);
		s = vfn_eth_tx_burst((uint16_t)a, 0, m, BURST);
		if (s < BURST)
			vfn_pktmbuf_free_bulk(m + s, BURST - s);
	}
out:
	if (a >= 0)
		port_down(a);
	if (b >= 0)
		port_down(b);
	TAP_EQ(vfn_mempool_in_use_count(pool), 0, "every mbuf back in the "
	       "pool after a close with frames in flight");
	tx_pool = NULL;
	vfn_mempool_free(other);
}

/*
 * A pool whose mbufs cannot be UMEM chunks (1280-byte objects, below the
 * kernel's 2048): umem=mbufs refused with the fix, umem=auto falls back
 * to copy mode and moves frames.
 */
static void case_pool_unsuitable(void)
{
	struct vfn_mempool *small;
	uint64_t by;
	int a, b;

	small = vfn_pktmbuf_pool_create("afx_small", 4095, 0, 0, 1024 + 128,
					-1);
	if (!TAP_CHECK(small != NULL, "a pool of small mbufs"))
		return;
	a = port_up_pool("net_af_xdp0", "iface=xa,umem=mbufs", small);
	TAP_EQ(a, -EINVAL, "umem=mbufs with 1152-byte data rooms refused");
	a = port_up_pool("net_af_xdp0", "iface=xa", small);
	b = port_up("net_af_xdp1", "iface=xb");
	TAP_CHECK(a >= 0 && b >= 0, "umem=auto takes the pool in copy mode");
	want_data_off = VFN_PKTMBUF_HEADROOM;
	bad_data_off = 0;
	if (a >= 0 && b >= 0)
		TAP_CHECK(transfer(b, a, 6, 2000, 256, 512, &by) &&
			  bad_data_off == 0, "2000 frames into the copy-mode "
			  "port, at the mbuf headroom");
	want_data_off = -1;
	if (a >= 0)
		port_down(a);
	if (b >= 0)
		port_down(b);
	TAP_EQ(vfn_mempool_in_use_count(small), 0, "small pool full after "
	       "close");
	vfn_mempool_free(small);
}

/*
 * Two queue pairs on a veth pair made with two queues per end, both rx
 * queues on one pool: what B's tx queue q sends arrives on A's rx queue
 * q (veth keeps the queue), intact, per-queue counts exact; in mbufs mode
 * both queues' UMEMs cover the same pool, each queue's fill ring holds
 * FILL mbufs, and all are back after close.
 */
static void case_multiqueue(const char *mode)
{
	struct vfn_eth_stats sa;
	char arg[96];
	uint64_t by;
	uint16_t q;
	int a, b, ok = 1, mb = !strcmp(mode, "mbufs");

	snprintf(arg, sizeof(arg), "iface=qa,queue_count=2,umem=%s", mode);
	a = port_up_nq("net_af_xdp0", arg, pool, 2);
	b = port_up_nq("net_af_xdp1", "iface=qb,queue_count=2,umem=copy",
		       pool, 2);
	if (!TAP_CHECK(a >= 0 && b >= 0, "multiqueue %s: 2 queue pairs on qa "
		       "and qb (%d, %d)", mode, a, b))
		goto out;
	TAP_EQ(vfn_mempool_in_use_count(pool), mb * 2 * FILL, "multiqueue "
	       "%s: %d mbufs in the two fill rings", mode, mb * 2 * FILL);
	for (q = 0; q < 2; q++) {
		xfer_q = q;
		want_data_off = mb ? MBUFS_DATA_OFF : VFN_PKTMBUF_HEADROOM;
		bad_data_off = 0;
		ok = transfer(b, a, 30 + q, 10000, 256, 64 + 100 * q, &by) &&
		     bad_data_off == 0;
		TAP_CHECK(ok, "multiqueue %s: 10000 frames qb queue %u -> qa "
			  "queue %u, intact, in order", mode, q, q);
		want_data_off = -1;
		ok = transfer(a, b, 40 + q, 2000, 256, 1000, &by);
		TAP_CHECK(ok, "multiqueue %s: 2000 frames qa queue %u -> qb "
			  "queue %u", mode, q, q);
	}
	xfer_q = 0;
	want_data_off = -1;
	vfn_eth_stats_get((uint16_t)a, &sa);
	TAP_CHECK(sa.q_ipackets[0] == 10000 && sa.q_ipackets[1] == 10000 &&
		  sa.ipackets == 20000, "multiqueue %s: per-queue ipackets "
		  "10000 + 10000 (%" PRIu64 " + %" PRIu64 ")", mode,
		  sa.q_ipackets[0], sa.q_ipackets[1]);
	TAP_CHECK(sa.q_opackets[0] == 2000 && sa.q_opackets[1] == 2000,
		  "multiqueue %s: per-queue opackets 2000 + 2000", mode);
	TAP_EQ(sa.imissed + sa.ierrors + sa.oerrors, 0, "multiqueue %s: "
	       "no drops, no errors", mode);
	usleep(100000);
	for (q = 0; q < 2; q++) {
		vfn_eth_tx_burst((uint16_t)a, q, NULL, 0);
		vfn_eth_tx_burst((uint16_t)b, q, NULL, 0);
	}
	TAP_EQ(vfn_mempool_in_use_count(pool), mb * 2 * FILL, "multiqueue "
	       "%s: after the traffic the kernel holds the fill-ring mbufs, "
	       "no more", mode);
out:
	xfer_q = 0;
	if (a >= 0)
		port_down(a);
	if (b >= 0)
		port_down(b);
	TAP_EQ(vfn_mempool_in_use_count(pool), 0, "multiqueue %s: every mbuf "
	       "back in the pool after close", mode);
}

/*
 * A tx burst of 64 in one call, then nothing more to send on that port:
 * in copy mode the kernel sends at most 32 descriptors per sendto()
 * (TX_BATCH_SIZE) and returns EAGAIN, so the driver must kick again
 * within the burst; only B's rx is polled afterwards.
 */
static void case_tx_burst64(const char *mode)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	struct vfn_mbuf *m[64];
	char arg[64];
	uint32_t got = 0, bad = 0;
	uint64_t end;
	uint16_t s = 0, i;
	int a, b;

	snprintf(arg, sizeof(arg), "iface=xa,umem=%s", mode);
	a = port_up("net_af_xdp0", arg);
	b = port_up("net_af_xdp1", "iface=xb");
	if (!TAP_CHECK(a >= 0 && b >= 0, "burst 64 %s: ports", mode))
		goto out;
	for (i = 0; i < 64; i++)
		m[i] = frame_alloc(64, dst, 60, i);
	s = vfn_eth_tx_burst((uint16_t)a, 0, m, 64);
	if (s < 64)
		vfn_pktmbuf_free_bulk(m + s, 64 - s);
	TAP_EQ(s, 64, "burst 64 %s: one tx burst takes 64 frames", mode);
	/* Only B's rx from now on: A's tx is never called again. */
	end = now_ms() + 1000;
	while (got + bad < s && now_ms() < end) {
		struct vfn_mbuf *r[BURST];
		uint16_t k = vfn_eth_rx_burst((uint16_t)b, 0, r, BURST);

		for (i = 0; i < k; i++) {
			uint32_t st = 0, seq = 0;

			if (vfn_frame_check(vfn_pktmbuf_mtod(r[i], uint8_t *),
					    r[i]->pkt_len, &st, &seq) == 0 &&
			    st == 60 && seq == got)
				got++;
			else
				bad++;
		}
		vfn_pktmbuf_free_bulk(r, k);
	}
	TAP_EQ(got, 64, "burst 64 %s: all 64 arrive, in order, without "
	       "another tx call", mode);
out:
	if (a >= 0)
		port_down(a);
	if (b >= 0)
		port_down(b);
}

static uint64_t xstat(int p, const char *name)
{
	uint64_t v = UINT64_MAX;

	vfn_eth_xstats_get_by_name((uint16_t)p, name, &v);
	return v;
}

/*
 * imissed: B floods A while A is not polled.  A's kernel socket holds
 * FILL frames (its fill ring), drops the rest for want of a frame:
 * XDP_STATISTICS rx_dropped and rx_fill_ring_empty_descs, never
 * rx_ring_full (the rx ring has room for twice FILL).  imissed is
 * rx_dropped + rx_ring_full, as the xstats show them; a reset zeroes it.
 */
static void case_imissed(const char *mode)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xaa };
	char arg[64];
	struct vfn_eth_stats sa;
	uint32_t sent = 0, got = 0, n = 3000;
	int a, b;

	snprintf(arg, sizeof(arg), "iface=xa,umem=%s", mode);
	a = port_up("net_af_xdp0", arg);
	b = port_up("net_af_xdp1", "iface=xb");
	if (!TAP_CHECK(a >= 0 && b >= 0, "imissed %s: ports", mode))
		goto out;
	/* 16 frames a millisecond: the veth's own ring never overflows. */
	while (sent < n) {
		struct vfn_mbuf *m[16];
		uint16_t k, s;

		for (k = 0; k < 16; k++)
			m[k] = frame_alloc(64, dst, 7, sent + k);
		s = vfn_eth_tx_burst((uint16_t)b, 0, m, 16);
		if (s < 16)
			vfn_pktmbuf_free_bulk(m + s, 16 - s);
		sent += s;
		usleep(1000);
	}
	usleep(200000);
	vfn_eth_stats_get((uint16_t)a, &sa);
	tap_diag("%s: sent %u, imissed %" PRIu64 ", xdp_rx_dropped %" PRIu64
		 ", xdp_rx_ring_full %" PRIu64 ", xdp_rx_fill_ring_empty_descs "
		 "%" PRIu64, mode, sent, sa.imissed, xstat(a, "xdp_rx_dropped"),
		 xstat(a, "xdp_rx_ring_full"),
		 xstat(a, "xdp_rx_fill_ring_empty_descs"));
	TAP_CHECK(sa.imissed > 0, "%s: imissed counts the flood (%" PRIu64
		  ")", mode, sa.imissed);
	TAP_EQ(sa.imissed, xstat(a, "xdp_rx_dropped") +
	       xstat(a, "xdp_rx_ring_full"), "%s: imissed = XDP_STATISTICS "
	       "rx_dropped + rx_ring_full", mode);
	TAP_EQ(xstat(a, "xdp_rx_ring_full"), 0, "%s: the rx ring never "
	       "fills", mode);
	TAP_CHECK(xstat(a, "xdp_rx_fill_ring_empty_descs") > 0, "%s: the "
		  "fill ring ran empty", mode);
	for (;;) {
		struct vfn_mbuf *m[BURST];
		uint16_t k = vfn_eth_rx_burst((uint16_t)a, 0, m, BURST);

		if (!k)
			break;
		got += k;
		vfn_pktmbuf_free_bulk(m, k);
	}
	TAP_EQ(got, FILL, "%s: the %d frames the fill ring held are "
	       "received", mode, FILL);
	TAP_CHECK(got + sa.imissed <= sent, "%s: received + imissed <= sent "
		  "(%u + %" PRIu64 " <= %u)", mode, got, sa.imissed, sent);
	vfn_eth_stats_reset((uint16_t)a);
	vfn_eth_stats_get((uint16_t)a, &sa);
	TAP_CHECK(sa.imissed == 0 && xstat(a, "xdp_rx_dropped") == 0,
		  "%s: stats reset zeroes imissed and the XDP xstats", mode);
out:
	if (a >= 0)
		port_down(a);
	if (b >= 0)
		port_down(b);
	TAP_EQ(vfn_mempool_in_use_count(pool), 0, "%s: pool full after "
	       "close", mode);
}

/*
 * The interface's MTU as the kernel has it (an ioctl in this namespace:
 * /sys/class/net shows the namespace sysfs was mounted in).
 */
static int if_mtu(const char *ifname)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mtu = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	close(fd);
	return mtu;
}

/* Whether one frame of @p len bytes B -> A arrives (stream @p stream). */
static int one_frame(int b, int a, uint32_t stream, uint32_t len)
{
	uint64_t by;
	unsigned int t = transfer_ms;
	int ok;

	transfer_ms = 300;
	ok = transfer(b, a, stream, 1, 1, len, &by);
	transfer_ms = t;
	return ok;
}

/*
 * MTU: the limits in dev_info, set/get through the interface (SIOCSIFMTU,
 * as DPDK), beyond max_mtu refused; with MTU 1000 a 1014-byte frame
 * arrives and a 1100-byte one (above the MTU plus the Ethernet and VLAN
 * headers veth allows) does not.
 */
static void case_mtu(void)
{
	struct vfn_eth_dev_info info;
	uint16_t mtu = 0;
	uint32_t want;
	int a, b;

	a = port_up("net_af_xdp0", "iface=xa,umem=mbufs");
	b = port_up("net_af_xdp1", "iface=xb");
	if (!TAP_CHECK(a >= 0 && b >= 0, "mtu: ports"))
		goto out;
	vfn_eth_dev_info_get((uint16_t)a, &info);
	want = vfn_mempool_calc_obj_size(pool->elt_size, pool->flags, NULL) -
	       pool->header_size - sizeof(struct vfn_mbuf) - MBUFS_DATA_OFF;
	TAP_EQ(info.max_rx_pktlen, want, "max_rx_pktlen: the mbuf chunk less mempool header, mbuf and "
	       "%d bytes of headroom", MBUFS_DATA_OFF);
	TAP_EQ(info.max_mtu, info.max_rx_pktlen - 18, "max_mtu = "
	       "max_rx_pktlen - 18 (DPDK's overhead)");
	TAP_EQ(info.min_mtu, 68, "min_mtu 68");
	TAP_EQ(vfn_eth_dev_get_mtu((uint16_t)a, &mtu), 0, "get_mtu");
	TAP_EQ(mtu, 1500, "MTU 1500 (configure's default, as DPDK)");
	TAP_EQ(vfn_eth_dev_set_mtu((uint16_t)a, 1000), 0, "set_mtu 1000");
	vfn_eth_dev_get_mtu((uint16_t)a, &mtu);
	TAP_EQ(mtu, 1000, "get_mtu: 1000");
	TAP_EQ(if_mtu("xa"), 1000, "the interface's MTU is 1000");
	TAP_EQ(vfn_eth_dev_set_mtu((uint16_t)a, info.max_mtu + 1), -EINVAL,
	       "MTU max_mtu + 1 refused");
	TAP_EQ(if_mtu("xa"), 1000, "the interface kept MTU 1000");
	TAP_CHECK(one_frame(b, a, 10, 1014), "a 1014-byte frame (MTU 1000) "
		  "arrives");
	TAP_CHECK(!one_frame(b, a, 11, 1100), "a 1100-byte frame does not");
	TAP_CHECK(one_frame(b, a, 12, 64), "a 64-byte frame after it does");
	TAP_EQ(vfn_eth_dev_set_mtu((uint16_t)a, 1500), 0, "set_mtu 1500");
	TAP_CHECK(one_frame(b, a, 13, 1100), "the 1100-byte frame arrives "
		  "at MTU 1500");
out:
	if (a >= 0)
		port_down(a);
	if (b >= 0)
		port_down(b);
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

/* dpdk-testpmd's path, or NULL. */
static const char *testpmd_path(void)
{
	static const char *const dirs[] = { "/usr/bin", "/usr/local/bin",
					    "/usr/sbin" };
	static char path[256];
	unsigned int i;

	for (i = 0; i < VFN_DIM(dirs); i++) {
		snprintf(path, sizeof(path), "%s/dpdk-testpmd", dirs[i]);
		if (access(path, X_OK) == 0)
			return path;
	}
	return NULL;
}

/* testpmd's "Accumulated forward statistics" RX and TX counts. */
static int testpmd_counts(FILE *f, uint64_t *rx, uint64_t *tx)
{
	char line[512];
	int in = 0, n = 0;

	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (strstr(line, "Accumulated forward statistics"))
			in = 1;
		if (!in)
			continue;
		if (sscanf(line, " RX-packets: %llu", &v) == 1) {
			*rx = v;
			n++;
		} else if (sscanf(line, " TX-packets: %llu", &v) == 1) {
			*tx = v;
			n++;
		}
	}
	return n == 2 ? 0 : -1;
}

/*
 * Interop: Debian's dpdk-testpmd (22.11, whose net_af_xdp is built with
 * unaligned chunks: its mbufs are its UMEM too) on xb, io forwarding with
 * --port-topology=loop, returns what our mbufs-mode port on xa sends:
 * frames out of our mbufs, through DPDK's rx and tx, into our fill-ring
 * mbufs, all intact and in order; testpmd's counts at exit match ours.
 */
static void case_testpmd(void)
{
	const char *tp = testpmd_path();
	struct vfn_eth_stats sa;
	uint64_t by, rx = 0, tx = 0, end, got = 0;
	FILE *out;
	int a, ok, fds[2], status = -1;
	pid_t pid;

	if (!tp) {
		vfn_tap_skip("dpdk-testpmd not installed (apt install dpdk)",
			     "interop with dpdk-testpmd net_af_xdp");
		return;
	}
	out = tmpfile();
	if (!out || pipe(fds))
		tap_bail("tmpfile/pipe: %s", strerror(errno));
	a = port_up("net_af_xdp0", "iface=xa,umem=mbufs");
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		dup2(fds[0], 0);
		dup2(fileno(out), 1);
		dup2(fileno(out), 2);
		execl(tp, tp, "--no-huge", "-m", "512", "--no-pci", "-l", "0,1",
		      "--file-prefix", "afxtp", "--vdev", "net_af_xdp0,iface=xb",
		      "--", "--forward-mode=io", "--port-topology=loop",
		      "--total-num-mbufs=16384", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	/* Until testpmd forwards: probe frames of another stream. */
	end = now_ms() + 30000;
	ok = 0;
	transfer_ms = 200;
	while (a >= 0 && !ok && now_ms() < end)
		ok = transfer(a, a, 9, 1, 1, 64, &by);
	transfer_ms = 30000;
	TAP_CHECK(ok, "dpdk-testpmd (net_af_xdp on xb) returns our frames");
	if (ok) {
		TAP_CHECK(transfer(a, a, 1, 20000, 256, 64, &by),
			  "20000 64-byte frames xa -> testpmd -> xa, intact, "
			  "in order");
		TAP_CHECK(transfer(a, a, 2, 5000, 256, 1500, &by),
			  "5000 1500-byte frames, intact, in order");
	}
	/* Late probe replies, then what we received against its counts. */
	end = now_ms() + 300;
	while (a >= 0 && now_ms() < end) {
		struct vfn_mbuf *m[BURST];
		uint16_t k = vfn_eth_rx_burst((uint16_t)a, 0, m, BURST);

		got += k;
		vfn_pktmbuf_free_bulk(m, k);
	}
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	close(fds[1]);
	TAP_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "testpmd exits cleanly on SIGINT (status %d)", status);
	if (a >= 0)
		vfn_eth_stats_get((uint16_t)a, &sa);
	ok = testpmd_counts(out, &rx, &tx) == 0;
	if (!TAP_CHECK(ok, "testpmd printed its forward statistics")) {
		char line[256];

		rewind(out);
		while (fgets(line, sizeof(line), out))
			tap_diag("testpmd: %s", line);
	}
	if (ok && a >= 0) {
		tap_diag("testpmd rx %" PRIu64 " tx %" PRIu64 "; ours: sent %"
			 PRIu64 " received %" PRIu64, rx, tx, sa.opackets,
			 sa.ipackets);
		TAP_EQ(tx, rx, "testpmd sent every frame it received");
		TAP_EQ(sa.ipackets, tx, "we received every frame testpmd sent");
	}
	fclose(out);
	if (a >= 0)
		port_down(a);
	TAP_EQ(vfn_mempool_in_use_count(pool), 0, "interop: pool full after "
	       "close");
	(void)got;
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
	case_traffic("mbufs", "mbufs");
	case_traffic("copy", "copy");
	case_traffic("mbufs", "copy");
	case_mbufs_fallback();
	case_tx_burst64("mbufs");
	case_tx_burst64("copy");
	if (vfn_netns_sh("ip link add qa numtxqueues 2 numrxqueues 2 type "
			 "veth peer name qb numtxqueues 2 numrxqueues 2") ||
	    vfn_netns_sh("ip link set qa up") ||
	    vfn_netns_sh("ip link set qb up")) {
		vfn_tap_skip("cannot make a veth pair with 2 queues",
			     "multiqueue");
	} else {
		(void)vfn_netns_sysctl("/proc/sys/net/ipv6/conf/qa/"
				       "disable_ipv6", "1");
		(void)vfn_netns_sysctl("/proc/sys/net/ipv6/conf/qb/"
				       "disable_ipv6", "1");
		case_multiqueue("mbufs");
		case_multiqueue("copy");
	}
	case_pool_unsuitable();
	case_imissed("mbufs");
	case_imissed("copy");
	case_mtu();
	case_testpmd();
	case_restart(5);
	case_kill9();
	case_fwd_xdp_packet(argc > 1 ? argv[1] : NULL);
	return tap_done();
}
