/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmd_check: end-to-end checks of a hardware PMD on a back-to-back NIC
 * pair in the test VM, through the EAL and the port API.
 *
 *   pmd_check [EAL args: -a BDF_A -a BDF_B ...] -- [--frames N]
 *             [--rxq Q] [--restarts K] [--inject M] [--run-id ID]
 *             [--virtio-ring split|packed] [--rx-queue0-only]
 *
 * Checks, each a TAP result (tests/lib/vfn_tap.h):
 *  - bad configurations fail with the documented error code and leak no
 *    mbuf (too many queues, bad descriptor counts, mempool too small);
 *  - link is reported up with a speed;
 *  - both ports send N frames each to the other at the same time: every
 *    frame arrives, intact (payload checksum), in order per flow; with 2
 *    rx queues (RSS, or the device's own steering) each flow stays on one
 *    queue and both queues are used (with --rx-queue0-only: the device
 *    is known to deliver every frame to rx queue 0, as QEMU's vmxnet3
 *    does, and that is what is checked);
 *  - port counters equal what was sent (packets and bytes, no errors), and
 *    for drivers with hardware counters the xstats "hw_*" agree too;
 *  - with --inject M: the program sends beacon frames; a host program on
 *    the hub's UDP port (hub_peer.py) answers by injecting M broadcast
 *    frames, which both ports must receive, intact and in order;
 *  - K stop/start cycles and one reconfiguration, traffic checked after
 *    each; closing the ports returns every mbuf to the pool;
 *  - virtio-net: the virtqueue layout negotiated (split or packed) is
 *    printed, and with --virtio-ring it must be the one given;
 *    VIRTIO_NET_F_MRG_RXBUF is negotiated only when needed: not with
 *    2 KiB buffers and the default MTU, but after the reconfiguration,
 *    which asks for scatter rx on virtio-net (and so runs its traffic
 *    through the mergeable rx path).
 *
 * Flow control: the sender keeps at most half an rx ring of frames in
 * flight towards the peer.  QEMU's net queue delivers a new frame before
 * the ones it had queued when a virtio rx ring ran dry and was refilled
 * (qemu_net_queue_send), so an unpaced test would see reordering that is
 * the emulator's, not the driver's.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_eal.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_ethdev.h"
#include "test_frame.h"
#include "vfn_ethdev_driver.h"
#include "virtio_net.h"             /* white box: the negotiated ring layout */
#include "vfn_tap.h"

#define MAGIC 0x76666e74u          /* "vfnt" */
#define BEACON_TYPE 0x88b5          /* guest -> host: ready for injection */
#define INJECT_TYPE 0x88b6          /* host -> guest: injected frame */
#define TEST_TYPE 0x0800            /* IPv4/UDP test frames */
#define NB_FLOWS 8
#define BURST 32
#define HDRS (14 + 20 + 8)          /* Ethernet + IPv4 + UDP */

struct payload {
	uint32_t magic;
	uint32_t run_id;
	uint16_t src_port;          /* sender's port id */
	uint16_t flow;
	uint32_t seq;               /* per (sender, flow) */
	uint32_t len;               /* frame length */
	uint32_t csum;              /* over the fill bytes after this struct */
};

static uint32_t run_id;
static uint64_t test_frames_sent;
static int rx_queue0_only;	/* --rx-queue0-only */
static int rx_scatter;		/* port_setup asks for scatter rx when offered */

static uint16_t ip_csum(const uint8_t *h)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < 20; i += 2)
		s += (uint32_t)h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

struct port_ctx {
	uint16_t id;
	struct vfn_ether_addr mac;
	uint16_t nb_rxq;
	uint16_t rx_ring;
	/* sending */
	uint32_t next_seq[NB_FLOWS];
	uint64_t sent, sent_bytes;
	/* receiving (from the peer) */
	uint32_t expect_seq[NB_FLOWS];
	int flow_queue[NB_FLOWS];
	uint64_t got, got_bytes, bad, out_of_order, other;
	uint64_t all_pkts, all_bytes;   /* every frame received */
	uint64_t per_queue[2];          /* received per rx queue */
	uint64_t per_txq[2];            /* sent per tx queue */
	uint16_t next_flow;
	/* injected frames */
	uint32_t inject_expect;
	uint64_t inject_got, inject_bad;
};

static struct vfn_mbuf *make_frame(struct vfn_mempool *mp, struct port_ctx *src,
				   const struct port_ctx *dst, uint16_t flow)
{
	struct vfn_mbuf *m = NULL;
	uint32_t seq = src->next_seq[flow];
	int len = (int)frame_len(seq + flow * 131u), i;
	struct payload pl;
	uint8_t *p, *fill;

	if (vfn_pktmbuf_alloc_bulk(mp, &m, 1))
		return NULL;
	p = vfn_pktmbuf_mtod(m, void *);
	memcpy(p, dst->mac.addr_bytes, 6);
	memcpy(p + 6, src->mac.addr_bytes, 6);
	p[12] = TEST_TYPE >> 8;
	p[13] = TEST_TYPE & 0xff;
	/* IPv4: addresses vary per flow so RSS spreads flows. */
	memset(p + 14, 0, 20);
	p[14] = 0x45;
	p[16] = (uint8_t)((len - 14) >> 8);
	p[17] = (uint8_t)(len - 14);
	p[22] = 64;
	p[23] = 17;
	p[26] = 10; p[27] = (uint8_t)src->id; p[28] = 0; p[29] = (uint8_t)(flow + 1);
	p[30] = 10; p[31] = (uint8_t)dst->id; p[32] = 1; p[33] = (uint8_t)(flow * 37 + 1);
	i = ip_csum(p + 14);
	p[24] = (uint8_t)(i >> 8);
	p[25] = (uint8_t)i;
	/* UDP, no checksum. */
	p[34] = 0x27; p[35] = (uint8_t)flow;
	p[36] = 0x27; p[37] = 0x10;
	p[38] = (uint8_t)((len - 34) >> 8);
	p[39] = (uint8_t)(len - 34);
	p[40] = p[41] = 0;
	fill = p + HDRS + sizeof(pl);
	for (i = 0; i < len - HDRS - (int)sizeof(pl); i++)
		fill[i] = (uint8_t)(seq * 3 + i + flow);
	pl.magic = MAGIC;
	pl.run_id = run_id;
	pl.src_port = src->id;
	pl.flow = flow;
	pl.seq = seq;
	pl.len = (uint32_t)len;
	pl.csum = fill_csum(fill, (uint32_t)(len - HDRS - sizeof(pl)));
	memcpy(p + HDRS, &pl, sizeof(pl));
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	return m;
}

static void check_frame(struct port_ctx *rx, uint16_t q, struct vfn_mbuf *m,
			const struct port_ctx *peer)
{
	const uint8_t *p = vfn_pktmbuf_mtod(m, const uint8_t *);
	struct payload pl;
	uint16_t type;

	if (m->pkt_len < 14 + sizeof(pl) || m->nb_segs != 1) {
		rx->other++;
		return;
	}
	type = (uint16_t)(p[12] << 8 | p[13]);
	if (type == INJECT_TYPE) {
		memcpy(&pl, p + 14, sizeof(pl));
		if (pl.magic != MAGIC || pl.run_id != run_id) {
			rx->other++;
			return;
		}
		if (pl.seq != rx->inject_expect || pl.len != m->pkt_len ||
		    pl.csum != fill_csum(p + 14 + sizeof(pl),
					 m->pkt_len - 14 - sizeof(pl)))
			rx->inject_bad++;
		rx->inject_expect = pl.seq + 1;
		rx->inject_got++;
		return;
	}
	if (m->pkt_len < HDRS + sizeof(pl)) {
		rx->other++;
		return;
	}
	memcpy(&pl, p + HDRS, sizeof(pl));
	if (type != TEST_TYPE || pl.magic != MAGIC || pl.run_id != run_id ||
	    pl.src_port != peer->id || pl.flow >= NB_FLOWS) {
		rx->other++;
		return;
	}
	if (pl.len != m->pkt_len ||
	    pl.csum != fill_csum(p + HDRS + sizeof(pl),
				 m->pkt_len - HDRS - sizeof(pl)) ||
	    memcmp(p, rx->mac.addr_bytes, 6)) {
		if (rx->bad < 5)
			tap_diag("port %u: corrupt frame flow %u seq %u len %u/%u",
				 rx->id, pl.flow, pl.seq, m->pkt_len, pl.len);
		rx->bad++;
	} else if (pl.seq != rx->expect_seq[pl.flow]) {
		if (rx->out_of_order < 5)
			tap_diag("port %u queue %u: flow %u seq %u, expected %u",
				 rx->id, q, pl.flow, pl.seq, rx->expect_seq[pl.flow]);
		rx->out_of_order++;
	}
	rx->expect_seq[pl.flow] = pl.seq + 1;
	if (rx->flow_queue[pl.flow] < 0)
		rx->flow_queue[pl.flow] = q;
	else if (rx->flow_queue[pl.flow] != q)
		rx->out_of_order++; /* a flow changed queue */
	rx->per_queue[q & 1]++;
	rx->got++;
	rx->got_bytes += m->pkt_len;
}

static void poll_rx(struct port_ctx *rx, const struct port_ctx *peer)
{
	struct vfn_mbuf *pkts[BURST];
	uint16_t q, n, i;

	for (q = 0; q < rx->nb_rxq; q++) {
		n = vfn_eth_rx_burst(rx->id, q, pkts, BURST);
		for (i = 0; i < n; i++) {
			rx->all_pkts++;
			rx->all_bytes += pkts[i]->pkt_len;
			check_frame(rx, q, pkts[i], peer);
			vfn_pktmbuf_free(pkts[i]);
		}
	}
}

/* Send up to a burst from @p tx towards @p rx, keeping the window. */
/*
 * Send up to a burst from @p tx towards @p rx, keeping the window.  Flow f
 * goes out on tx queue f % nb_txq, so every queue is used and each flow
 * keeps its order.
 */
static void push_tx(struct vfn_mempool *mp, struct port_ctx *tx,
		    const struct port_ctx *rx, uint64_t total)
{
	struct vfn_mbuf *pkts[2][BURST];
	uint32_t lens[2][BURST];
	uint64_t window = rx->rx_ring / 2, in_flight = tx->sent - rx->got;
	uint16_t n = 0, cnt[2] = { 0, 0 }, q, k, i;

	while (n < BURST && tx->sent + n < total && in_flight + n < window) {
		uint16_t flow = tx->next_flow;
		struct vfn_mbuf *m = make_frame(mp, tx, rx, flow);

		if (!m)
			break;
		q = (uint16_t)(flow % tx->nb_rxq);
		lens[q][cnt[q]] = m->pkt_len;
		pkts[q][cnt[q]++] = m;
		tx->next_seq[flow]++;
		tx->next_flow = (uint16_t)((flow + 1) % NB_FLOWS);
		n++;
	}
	for (q = 0; q < 2; q++) {
		if (!cnt[q])
			continue;
		k = vfn_eth_tx_burst(tx->id, q, pkts[q], cnt[q]);
		for (i = 0; i < k; i++)
			tx->sent_bytes += lens[q][i];
		/* Not accepted: roll the sequence numbers back, free. */
		for (i = cnt[q]; i > k; i--) {
			struct payload pl;

			memcpy(&pl, vfn_pktmbuf_mtod(pkts[q][i - 1], uint8_t *) +
			       HDRS, sizeof(pl));
			tx->next_seq[pl.flow]--;
			vfn_pktmbuf_free(pkts[q][i - 1]);
		}
		tx->sent += k;
		tx->per_txq[q] += k;
		test_frames_sent += k;
	}
}

static void ctx_reset(struct port_ctx *c)
{
	int i;

	memset(c->next_seq, 0, sizeof(c->next_seq));
	memset(c->expect_seq, 0, sizeof(c->expect_seq));
	for (i = 0; i < NB_FLOWS; i++)
		c->flow_queue[i] = -1;
	c->sent = c->sent_bytes = 0;
	c->got = c->got_bytes = c->bad = c->out_of_order = c->other = 0;
	c->all_pkts = c->all_bytes = 0;
	c->per_queue[0] = c->per_queue[1] = 0;
	c->per_txq[0] = c->per_txq[1] = 0;
	c->next_flow = 0;
}

static void check_stats(struct port_ctx *a, struct port_ctx *b);

/* Both directions at once; returns 1 when every frame arrived intact, in order. */
static int exchange(struct vfn_mempool *mp, struct port_ctx *a,
		    struct port_ctx *b, uint64_t n, const char *what)
{
	double t0 = now();
	int ok;

	ctx_reset(a);
	ctx_reset(b);
	vfn_eth_stats_reset(a->id);
	vfn_eth_stats_reset(b->id);
	while ((a->got < n || b->got < n) && now() - t0 < 10 + n / 1000.0) {
		push_tx(mp, a, b, n);
		push_tx(mp, b, a, n);
		poll_rx(a, b);
		poll_rx(b, a);
	}
	/* Late duplicates or extra frames would show up here. */
	t0 = now();
	while (now() - t0 < 0.2) {
		poll_rx(a, b);
		poll_rx(b, a);
	}
	ok = a->got == n && b->got == n && !a->bad && !b->bad &&
	     !a->out_of_order && !b->out_of_order;
	TAP_CHECK(ok, "%s: %" PRIu64 " frames each way: port %u got %" PRIu64
	       " (bad %" PRIu64 ", out of order %" PRIu64 "), port %u got %"
	       PRIu64 " (bad %" PRIu64 ", out of order %" PRIu64 ")", what, n,
	       a->id, a->got, a->bad, a->out_of_order, b->id, b->got, b->bad,
	       b->out_of_order);
	check_stats(a, b);
	return ok;
}

static int port_setup(uint16_t port, uint16_t nb_rxq, uint16_t ring,
		      struct vfn_mempool *mp)
{
	struct vfn_eth_dev_info info;
	struct vfn_eth_conf conf;
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	vfn_eth_dev_info_get(port, &info);
	/*
	 * Drivers without RSS (virtio-net without VIRTIO_NET_F_RSS) still run
	 * several queues: the device picks the queue per flow.
	 */
	if (nb_rxq > 1 && info.flow_type_rss_offloads) {
		conf.rxmode.mq_mode = VFN_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (VFN_ETH_RSS_IP |
			VFN_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	if (rx_scatter)
		conf.rxmode.offloads |= info.rx_offload_capa &
					VFN_ETH_RX_OFFLOAD_SCATTER;
	ret = vfn_eth_dev_configure(port, nb_rxq, nb_rxq, &conf);
	for (q = 0; !ret && q < nb_rxq; q++)
		ret = vfn_eth_rx_queue_setup(port, q, ring,
					      vfn_eth_dev_socket_id(port), NULL, mp);
	for (q = 0; !ret && q < nb_rxq; q++)
		ret = vfn_eth_tx_queue_setup(port, q, ring,
					      vfn_eth_dev_socket_id(port), NULL);
	if (!ret)
		ret = vfn_eth_dev_start(port);
	if (ret)
		tap_diag("port %u set-up with %u queues failed: %s", port,
			 nb_rxq, strerror(-ret));
	return ret;
}

static void check_bad_configs(uint16_t port, struct vfn_mempool *mp)
{
	struct vfn_eth_dev_info info;
	struct vfn_mempool *tiny, *small_room;
	unsigned int avail = vfn_mempool_avail_count(mp);
	int ret;

	vfn_eth_dev_info_get(port, &info);
	ret = vfn_eth_dev_configure(port, info.max_rx_queues + 1, 1, NULL);
	TAP_CHECK(ret == -EINVAL, "port %u: %u rx queues (max %u) -> %d (-EINVAL)",
	       port, info.max_rx_queues + 1, info.max_rx_queues, ret);
	ret = vfn_eth_dev_configure(port, 1, info.max_tx_queues + 1, NULL);
	TAP_CHECK(ret == -EINVAL, "port %u: %u tx queues (max %u) -> %d (-EINVAL)",
	       port, info.max_tx_queues + 1, info.max_tx_queues, ret);
	ret = vfn_eth_dev_configure(port, 1, 1, NULL);
	TAP_CHECK(ret == 0, "port %u: 1 rx + 1 tx queue -> %d", port, ret);
	ret = vfn_eth_rx_queue_setup(port, 0, 100, -1, NULL, mp);
	TAP_CHECK(ret == -EINVAL, "port %u: 100 rx descriptors -> %d (-EINVAL)",
	       port, ret);
	ret = vfn_eth_rx_queue_setup(port, 0, 96, -1, NULL, mp);
	TAP_CHECK(ret == -EINVAL, "port %u: 96 rx descriptors -> %d (-EINVAL)",
	       port, ret);
	ret = vfn_eth_tx_queue_setup(port, 0, 8192, -1, NULL);
	TAP_CHECK(ret == -EINVAL, "port %u: 8192 tx descriptors -> %d (-EINVAL)",
	       port, ret);
	tiny = vfn_pktmbuf_pool_create("tiny", 100, 0, 0,
				       VFN_PKTMBUF_HEADROOM + 2048, -1);
	if (tiny) {
		ret = vfn_eth_rx_queue_setup(port, 0, 256, -1, NULL, tiny);
		TAP_CHECK(ret == -ENOBUFS, "port %u: 256 rx descriptors, pool of "
		       "100 mbufs -> %d (-ENOBUFS)", port, ret);
		vfn_mempool_free(tiny);
	}
	small_room = vfn_pktmbuf_pool_create("smallroom", 512, 0, 0,
					     VFN_PKTMBUF_HEADROOM + 512, -1);
	if (small_room) {
		int want = info.min_rx_bufsize > 512 ? -ENOBUFS : 0;

		ret = vfn_eth_rx_queue_setup(port, 0, 256, -1, NULL, small_room);
		TAP_CHECK(ret == want, "port %u: 512-byte data room (driver "
		       "minimum %u) -> %d (%d)", port, info.min_rx_bufsize, ret,
		       want);
		/* Release the queue so the pool can go. */
		vfn_eth_dev_configure(port, 1, 1, NULL);
		TAP_CHECK(vfn_mempool_avail_count(small_room) == 512,
		       "port %u: small pool has all 512 mbufs back after "
		       "reconfiguration (%u)", port,
		       vfn_mempool_avail_count(small_room));
		vfn_mempool_free(small_room);
	}
	ret = vfn_eth_dev_start(port);
	TAP_CHECK(ret == -EPERM, "port %u: start with queues not set up -> %d "
	       "(-EPERM)", port, ret);
	TAP_CHECK(vfn_mempool_avail_count(mp) == avail,
	       "port %u: no mbuf leaked by the failed set-ups (%u/%u)", port,
	       vfn_mempool_avail_count(mp), avail);
}

static void check_link(uint16_t port)
{
	struct vfn_eth_link link;
	char buf[64];
	int ret = vfn_eth_link_get_nowait(port, &link);

	vfn_eth_link_to_str(buf, sizeof(buf), &link);
	TAP_CHECK(!ret && link.link_status == VFN_ETH_LINK_UP,
	       "port %u: link reported: %s", port, buf);
}

static int xstat(uint16_t port, const char *name, uint64_t *v)
{
	return vfn_eth_xstats_get_by_name(port, name, v);
}

static void check_stats(struct port_ctx *a, struct port_ctx *b)
{
	struct port_ctx *c[2] = { a, b };
	int i;

	for (i = 0; i < 2; i++) {
		struct port_ctx *me = c[i], *peer = c[1 - i];
		struct vfn_eth_stats st;
		uint64_t hw;

		vfn_eth_stats_get(me->id, &st);
		TAP_CHECK(st.opackets == me->sent && st.obytes == me->sent_bytes &&
		       st.oerrors == 0,
		       "port %u: opackets %" PRIu64 " obytes %" PRIu64
		       " oerrors %" PRIu64 " == sent %" PRIu64 " / %" PRIu64,
		       me->id, st.opackets, st.obytes, st.oerrors, me->sent,
		       me->sent_bytes);
		TAP_CHECK(st.ipackets == me->all_pkts &&
		       st.ibytes == me->all_bytes && me->got == peer->sent &&
		       st.ierrors == 0 && st.imissed == 0 && st.rx_nombuf == 0,
		       "port %u: ipackets %" PRIu64 " ibytes %" PRIu64
		       " ierrors %" PRIu64 " imissed %" PRIu64 " nombuf %" PRIu64
		       " == received %" PRIu64 " / %" PRIu64 " (test frames %"
		       PRIu64 ", peer sent %" PRIu64 ")", me->id, st.ipackets,
		       st.ibytes, st.ierrors, st.imissed, st.rx_nombuf,
		       me->all_pkts, me->all_bytes, me->got, peer->sent);
		if (xstat(me->id, "hw_tx_total_packets", &hw) == 0) {
			uint64_t hwr = 0, hwb = 0;

			xstat(me->id, "hw_rx_total_packets", &hwr);
			xstat(me->id, "hw_tx_total_bytes", &hwb);
			TAP_CHECK(hw == me->sent && hwr == me->all_pkts &&
			       hwb == me->sent_bytes,
			       "port %u: hardware counters tx %" PRIu64 " pkts %"
			       PRIu64 " bytes, rx %" PRIu64 " pkts agree", me->id,
			       hw, hwb, hwr);
		}
		if (me->nb_rxq > 1)
			TAP_CHECK(me->per_txq[0] && me->per_txq[1],
			       "port %u: both tx queues sent (%" PRIu64 " + %"
			       PRIu64 ")", me->id, me->per_txq[0], me->per_txq[1]);
		if (me->nb_rxq > 1 && rx_queue0_only)
			TAP_CHECK(me->per_queue[0] == me->all_pkts &&
				  !me->per_queue[1],
				  "port %u: every frame on rx queue 0, as the "
				  "device delivers (%" PRIu64 " + %" PRIu64 ")",
				  me->id, me->per_queue[0], me->per_queue[1]);
		else if (me->nb_rxq > 1)
			TAP_CHECK(me->per_queue[0] && me->per_queue[1],
			       "port %u: flows spread over both rx queues "
			       "(%" PRIu64 " + %" PRIu64 ")", me->id,
			       me->per_queue[0], me->per_queue[1]);
	}
}

static void send_beacon(struct vfn_mempool *mp, struct port_ctx *a)
{
	struct vfn_mbuf *m = NULL;
	struct payload pl = { .magic = MAGIC, .run_id = run_id };
	uint8_t *p;

	if (vfn_pktmbuf_alloc_bulk(mp, &m, 1))
		return;
	p = vfn_pktmbuf_mtod(m, void *);
	memset(p, 0xff, 6);
	memcpy(p + 6, a->mac.addr_bytes, 6);
	p[12] = BEACON_TYPE >> 8;
	p[13] = BEACON_TYPE & 0xff;
	memset(p + 14, 0, 46);
	memcpy(p + 14, &pl, sizeof(pl));
	m->data_len = 60;
	m->pkt_len = 60;
	if (vfn_eth_tx_burst(a->id, 0, &m, 1) != 1)
		vfn_pktmbuf_free(m);
}

static void check_inject(struct vfn_mempool *mp, struct port_ctx *a,
			 struct port_ctx *b, uint32_t m)
{
	double t0 = now(), last = 0;

	a->inject_expect = b->inject_expect = 0;
	a->inject_got = b->inject_got = a->inject_bad = b->inject_bad = 0;
	while ((a->inject_got < m || b->inject_got < m) && now() - t0 < 30) {
		if (now() - last > 0.2 && !a->inject_got && !b->inject_got) {
			send_beacon(mp, a);
			last = now();
		}
		poll_rx(a, b);
		poll_rx(b, a);
	}
	TAP_CHECK(a->inject_got == m && !a->inject_bad && b->inject_got == m &&
	       !b->inject_bad, "host-injected frames: port %u got %" PRIu64
	       "/%u (bad %" PRIu64 "), port %u got %" PRIu64 "/%u (bad %"
	       PRIu64 ")", a->id, a->inject_got, m, a->inject_bad, b->id,
	       b->inject_got, m, b->inject_bad);
}

/* What the command line asked for, after the EAL's arguments. */
struct options {
	uint64_t frames;
	unsigned int nb_rxq;
	unsigned int restarts;
	unsigned int inject;
	unsigned int ring;
	const char *want_ring;	/* --virtio-ring, NULL: any */
};

/* The two ports under test and the pool their buffers come from. */
struct test {
	struct port_ctx a, b;
	struct vfn_mempool *mp;
	unsigned int pool_size;
	int virtio;		/* the ports are net_virtio's (set_up) */
};

/* The EAL's arguments, then ours: 0, or -1 with the reason printed. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "frames", required_argument, NULL, 'n' },
		{ "rxq", required_argument, NULL, 'q' },
		{ "restarts", required_argument, NULL, 'r' },
		{ "inject", required_argument, NULL, 'i' },
		{ "run-id", required_argument, NULL, 'R' },
		{ "ring", required_argument, NULL, 'd' },
		{ "virtio-ring", required_argument, NULL, 'V' },
		{ "rx-queue0-only", no_argument, NULL, 'Z' },
		{ NULL, 0, NULL, 0 },
	};
	int ret, c;

	*o = (struct options){ .frames = 20000, .nb_rxq = 1, .restarts = 3,
			       .ring = 256 };
	ret = vfn_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "pmd_check: EAL init failed: %s\n",
			vfn_eal_last_error());
		return -1;
	}
	argc -= ret;
	argv += ret;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o->frames = strtoull(optarg, NULL, 0); break;
		case 'q': o->nb_rxq = (unsigned int)atoi(optarg); break;
		case 'r': o->restarts = (unsigned int)atoi(optarg); break;
		case 'i': o->inject = (unsigned int)atoi(optarg); break;
		case 'R': run_id = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'd': o->ring = (unsigned int)atoi(optarg); break;
		case 'V': o->want_ring = optarg; break;
		case 'Z': rx_queue0_only = 1; break;
		default:
			fprintf(stderr, "usage: pmd_check [EAL args] -- [--frames N] "
				"[--rxq Q] [--restarts K] [--inject M] [--run-id ID] "
				"[--ring D] [--virtio-ring split|packed] "
				"[--rx-queue0-only]\n");
			return -1;
		}
	}
	if (o->nb_rxq < 1 || o->nb_rxq > 2) {
		fprintf(stderr, "pmd_check: --rxq takes 1 or 2\n");
		return -1;
	}
	return 0;
}

/*
 * The two probed ports and the pool; bails out when there are not
 * exactly two ports or no pool.  Says which driver runs and, for
 * virtio-net, checks the virtqueue layout asked for.
 */
static void set_up(const struct options *o, struct test *t)
{
	struct vfn_eth_dev_info info;
	uint16_t pid, ids[2], n = 0;

	VFN_ETH_FOREACH_DEV(pid) {
		if (n < 2)
			ids[n] = pid;
		n++;
	}
	if (n != 2)
		tap_bail("%u ports probed, the test needs exactly 2 (-a BDF -a BDF)",
			 n);
	memset(t, 0, sizeof(*t));
	t->pool_size = 8191;
	t->mp = vfn_pktmbuf_pool_create("pmd_check", t->pool_size, 256, 0,
					VFN_PKTMBUF_HEADROOM + 2048, -1);
	if (!t->mp)
		tap_bail("mempool of %u mbufs: %s", t->pool_size, strerror(errno));
	t->a.id = ids[0];
	t->b.id = ids[1];
	vfn_eth_macaddr_get(t->a.id, &t->a.mac);
	vfn_eth_macaddr_get(t->b.id, &t->b.mac);

	vfn_eth_dev_info_get(t->a.id, &info);
	tap_diag("pmd_check: driver %s, ports %u and %u, %u rx queue(s), "
		 "run %u, VFIO %s", info.driver_name, t->a.id, t->b.id,
		 o->nb_rxq, run_id, vfn_eal_vfio_flavor());
	t->virtio = !strcmp(info.driver_name, "net_virtio");
	if (t->virtio) {
		const char *la = virtio_net_ring_layout(
			vfn_eth_dev_get(t->a.id)->dev_private);
		const char *lb = virtio_net_ring_layout(
			vfn_eth_dev_get(t->b.id)->dev_private);

		tap_diag("virtio-net ring layout: %s and %s", la, lb);
		if (o->want_ring)
			TAP_CHECK(!strcmp(la, o->want_ring) &&
				  !strcmp(lb, o->want_ring),
				  "virtio-net negotiated %s virtqueues (%s, %s)",
				  o->want_ring, la, lb);
	} else if (o->want_ring) {
		TAP_CHECK(0, "--virtio-ring given for driver %s",
			  info.driver_name);
	}
}

/*
 * virtio-net: MRG_RXBUF negotiated on both ports exactly when @p want.
 * Without it QEMU delivers a frame into one buffer without first summing
 * the available buffers' sizes: less device work per frame.
 */
static void check_virtio_mrg(const struct test *t, int want, const char *when)
{
	const struct virtio_net_adapter *a, *b;
	int ma, mb;

	if (!t->virtio)
		return;
	a = vfn_eth_dev_get(t->a.id)->dev_private;
	b = vfn_eth_dev_get(t->b.id)->dev_private;
	ma = virtio_with_feature(&a->vp, VIRTIO_NET_F_MRG_RXBUF);
	mb = virtio_with_feature(&b->vp, VIRTIO_NET_F_MRG_RXBUF);
	TAP_CHECK(ma == want && mb == want, "virtio-net %s: MRG_RXBUF %s "
		  "(negotiated: %d, %d)", when, want ? "negotiated" :
		  "not negotiated", ma, mb);
}

/* K stop/start cycles, traffic checked after each. */
static void run_restarts(const struct options *o, struct test *t)
{
	unsigned int i;
	int ret;

	for (i = 0; i < o->restarts; i++) {
		char what[64];

		ret = vfn_eth_dev_stop(t->a.id);
		ret |= vfn_eth_dev_stop(t->b.id);
		ret |= vfn_eth_dev_start(t->a.id);
		ret |= vfn_eth_dev_start(t->b.id);
		snprintf(what, sizeof(what), "stop/start cycle %u", i + 1);
		if (ret) {
			TAP_CHECK(0, "%s: %d", what, ret);
			continue;
		}
		exchange(t->mp, &t->a, &t->b, o->frames / 4, what);
	}
}

/* Reconfigure with another queue count, then traffic again. */
static void run_reconfigure(const struct options *o, struct test *t)
{
	struct port_ctx *a = &t->a, *b = &t->b;
	struct vfn_eth_dev_info info;
	uint16_t q2 = 1;

	vfn_eth_dev_info_get(a->id, &info);
	if (o->nb_rxq == 1 && info.max_rx_queues > 1 && info.flow_type_rss_offloads)
		q2 = 2;
	vfn_eth_dev_stop(a->id);
	vfn_eth_dev_stop(b->id);
	a->nb_rxq = b->nb_rxq = q2;
	rx_scatter = t->virtio;
	if (port_setup(a->id, q2, a->rx_ring, t->mp) ||
	    port_setup(b->id, q2, b->rx_ring, t->mp)) {
		TAP_CHECK(0, "reconfigure to %u queue(s)", q2);
	} else {
		check_virtio_mrg(t, 1, "reconfigured with scatter rx");
		exchange(t->mp, a, b, o->frames / 4,
			 q2 > 1 ? "reconfigured to 2 rx queues (RSS)" :
				  "reconfigured");
	}
	if (q2 > 1 && !rx_queue0_only)
		TAP_CHECK(a->per_queue[0] && a->per_queue[1] && b->per_queue[0] &&
			  b->per_queue[1], "RSS after reconfiguration: both "
			  "queues used (%" PRIu64 "+%" PRIu64 ", %" PRIu64
			  "+%" PRIu64 ")", a->per_queue[0], a->per_queue[1],
			  b->per_queue[0], b->per_queue[1]);
}

/*
 * The checks in order: bad configurations, start, link, traffic, host
 * injection, stop/start cycles, reconfiguration.
 */
static void run(const struct options *o, struct test *t)
{
	struct port_ctx *a = &t->a, *b = &t->b;

	check_bad_configs(a->id, t->mp);

	a->nb_rxq = b->nb_rxq = (uint16_t)o->nb_rxq;
	a->rx_ring = b->rx_ring = (uint16_t)o->ring;
	if (port_setup(a->id, a->nb_rxq, a->rx_ring, t->mp) ||
	    port_setup(b->id, b->nb_rxq, b->rx_ring, t->mp)) {
		TAP_CHECK(0, "start both ports with %u queue(s)", o->nb_rxq);
		return;
	}
	check_virtio_mrg(t, 0, "2 KiB buffers, MTU 1500");
	check_link(a->id);
	check_link(b->id);
	exchange(t->mp, a, b, o->frames, "traffic");

	if (o->inject)
		check_inject(t->mp, a, b, o->inject);
	else
		tap_diag("host injection: not asked (no --inject)");

	run_restarts(o, t);
	check_link(a->id);
	run_reconfigure(o, t);
}

/*
 * Close the ports (every mbuf back in the pool), say how many test
 * frames crossed the hub for the host side, and end the TAP stream.
 */
static int report(struct test *t)
{
	vfn_eth_dev_close(t->a.id);
	vfn_eth_dev_close(t->b.id);
	TAP_CHECK(vfn_mempool_avail_count(t->mp) == t->pool_size,
		  "all %u mbufs back in the pool after close (%u)", t->pool_size,
		  vfn_mempool_avail_count(t->mp));
	tap_diag("TEST_FRAMES_SENT run=%u count=%" PRIu64, run_id,
		 test_frames_sent);
	vfn_mempool_free(t->mp);
	vfn_eal_cleanup();
	return tap_done();
}

int main(int argc, char **argv)
{
	struct options o;
	struct test t;

	if (parse_args(argc, argv, &o))
		return 1;
	set_up(&o, &t);
	run(&o, &t);
	return report(&t);
}
