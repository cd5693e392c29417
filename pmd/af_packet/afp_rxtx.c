/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet data path on TPACKET_V2 rings.
 *
 * Rx: find the frames the kernel handed over (status TP_STATUS_USER, read
 * with acquire), take that many mbufs in one bulk get (none left: the
 * frames are dropped and counted in rx_nombuf), copy each frame
 * (putting back a VLAN tag the kernel moved into the frame header), and
 * give the frames back (TP_STATUS_KERNEL, stored with release).  Packets
 * the interface sent (PACKET_OUTGOING: the host's own traffic seen by a
 * tap) are given back unread, as a NIC does not receive what it sends.
 * A packet longer than a frame (the kernel keeps only its start) is
 * dropped and counted in ierrors.  No system call.
 *
 * Tx: copy each packet into the next free frame (TP_STATUS_AVAILABLE),
 * mark it TP_STATUS_SEND_REQUEST, and after the burst kick the kernel
 * with one non-blocking sendto().  When the ring is full the burst
 * returns short; packets too long for a frame are dropped as errors.
 * The kernel stops early when the socket's send buffer is full (a slow
 * qdisc, a busy device) and leaves the rest of the frames marked; only
 * another sendto() sends them.  So while frames are held, every tx burst
 * kicks, even one that finds the ring full or carries no packet, and an
 * rx burst on the same socket that finds nothing kicks too: without
 * that the tail of a stream would wait for the next packet to send.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>

#include "vfn_mbuf.h"
#include "vfn_eth_sw.h"
#include "afp_private.h"

static inline uint32_t status_load(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

static inline void status_store(struct tpacket2_hdr *h, uint32_t st)
{
	__atomic_store_n(&h->tp_status, st, __ATOMIC_RELEASE);
}

/* Copy frame @h into @m; a stripped VLAN tag goes back after the MACs. */
static inline uint32_t rx_copy(struct afp_rxq *q, struct vfn_mbuf *m,
			       const struct tpacket2_hdr *h, uint32_t st)
{
	const uint8_t *src = (const uint8_t *)h + h->tp_mac;
	uint32_t len = h->tp_snaplen;
	uint8_t *dst;

	/* The data starts where the reset puts it, not where a raw mbuf's
	 * stale data_off (left by its last user) points. */
	if (likely(!(st & TP_STATUS_VLAN_VALID) || len < 12 ||
		       len + 4 > q->room)) {
		vfn_eth_sw_rx_mbuf_init(m, q->mbuf_rearm, len);
		memcpy(vfn_pktmbuf_mtod(m, uint8_t *), src, len);
		return len;
	}
	vfn_eth_sw_rx_mbuf_init(m, q->mbuf_rearm, len + 4);
	dst = vfn_pktmbuf_mtod(m, uint8_t *);
	memcpy(dst, src, 12);
	dst[12] = (st & TP_STATUS_VLAN_TPID_VALID) ? h->tp_vlan_tpid >> 8 : 0x81;
	dst[13] = (st & TP_STATUS_VLAN_TPID_VALID) ? h->tp_vlan_tpid & 0xff : 0;
	dst[14] = (uint8_t)(h->tp_vlan_tci >> 8);
	dst[15] = (uint8_t)h->tp_vlan_tci;
	memcpy(dst + 16, src + 12, len - 12);
	return len + 4;
}

/* Collect up to @n received frames (giving back outgoing ones). */
static inline uint16_t rx_collect(struct afp_rxq *q,
				  struct tpacket2_hdr **hdr, uint32_t *st,
				  uint16_t n)
{
	uint32_t idx = q->idx;
	uint16_t k = 0;

	while (k < n) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)q->frames[idx];
		uint32_t s = status_load(h);
		const struct sockaddr_ll *sll;

		if (!(s & TP_STATUS_USER))
			break;
		if (++idx == q->nb_frames)
			idx = 0;
		sll = (const struct sockaddr_ll *)((const uint8_t *)h +
			TPACKET_ALIGN(sizeof(struct tpacket2_hdr)));
		if (unlikely(sll->sll_pkttype == PACKET_OUTGOING)) {
			status_store(h, TP_STATUS_KERNEL);
			continue;
		}
		/* Longer than a frame: the kernel kept only the start. */
		if (unlikely(h->tp_snaplen != h->tp_len ||
			     h->tp_snaplen > q->room)) {
			status_store(h, TP_STATUS_KERNEL);
			vfn_eth_qstats_add_errors(&q->stats, 1);
			continue;
		}
		hdr[k] = h;
		st[k] = s;
		k++;
	}
	q->idx = idx;
	return k;
}

uint16_t afp_rx(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct afp_rxq *q = queue;
	struct tpacket2_hdr *hdr[AFP_RX_CHUNK];
	uint32_t st[AFP_RX_CHUNK];
	uint64_t bytes = 0;
	uint16_t nb = 0;

	while (nb < n) {
		uint16_t want = n - nb < AFP_RX_CHUNK ? n - nb : AFP_RX_CHUNK;
		uint16_t k = rx_collect(q, hdr, st, want), i;

		if (!k)
			break;
		if (unlikely(vfn_mbuf_raw_alloc_bulk(q->mb_pool, pkts + nb,
							 k) != 0)) {
			/* No mbufs: drop the frames, as a NIC without rx
			 * descriptors does.  Keeping them would leave the
			 * ring with a hole where an outgoing frame was given
			 * back, and the kernel stuck behind it. */
			for (i = 0; i < k; i++)
				status_store(hdr[i], TP_STATUS_KERNEL);
			vfn_eth_qstats_add_nombuf(&q->stats, k);
			break;
		}
		for (i = 0; i < k; i++) {
			bytes += rx_copy(q, pkts[nb + i], hdr[i], st[i]);
			status_store(hdr[i], TP_STATUS_KERNEL);
		}
		nb += k;
		if (k < want)
			break;
	}
	if (unlikely(nb == 0 && q->txq &&
		     __atomic_load_n(&q->txq->held, __ATOMIC_RELAXED)))
		(void)sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	vfn_eth_qstats_add(&q->stats, nb, bytes);
	return nb;
}

static inline int tx_frame_free(uint32_t st)
{
	/* Timestamp bits may be left on a sent frame (kernel before
	 * 171c3b151118, "net: packetmmap: fix only tx timestamp on request"). */
	return (st & ~(uint32_t)(TP_STATUS_TS_SOFTWARE |
				 TP_STATUS_TS_RAW_HARDWARE)) ==
	       TP_STATUS_AVAILABLE;
}

/*
 * Ask the kernel to send the marked frames.  It takes them in ring order
 * and returns when none is left or the send buffer is full (EAGAIN,
 * ENOBUFS, or a short success); the last frame marked still waiting
 * tells which.  Returns -1 on a real error.
 */
static int tx_kick(struct afp_txq *q)
{
	uint32_t last = (q->idx ? q->idx : q->nb_frames) - 1;
	const struct tpacket2_hdr *h =
		(const struct tpacket2_hdr *)q->frames[last];

	if (sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
	    errno != ENOBUFS && errno != EAGAIN)
		return -1;
	__atomic_store_n(&q->held,
			 status_load(h) == TP_STATUS_SEND_REQUEST,
			 __ATOMIC_RELAXED);
	return 0;
}

uint16_t afp_tx(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct afp_txq *q = queue;
	const uint32_t off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
	uint32_t idx = q->idx;
	uint64_t bytes = 0;
	uint16_t i, queued = 0, dropped = 0;

	for (i = 0; i < n; i++) {
		struct tpacket2_hdr *h = (struct tpacket2_hdr *)q->frames[idx];
		struct vfn_mbuf *m = pkts[i];
		const struct vfn_mbuf *s;
		uint8_t *dst;

		if (unlikely(m->pkt_len > q->data_max)) {
			vfn_pktmbuf_free(m);
			dropped++;
			continue;
		}
		if (!tx_frame_free(status_load(h)))
			break;          /* ring full: the caller keeps the rest */
		dst = (uint8_t *)h + off;
		for (s = m; s; s = s->next) {
			memcpy(dst, vfn_pktmbuf_mtod(s, const void *), s->data_len);
			dst += s->data_len;
		}
		h->tp_len = m->pkt_len;
		h->tp_snaplen = m->pkt_len;
		status_store(h, TP_STATUS_SEND_REQUEST);
		if (++idx == q->nb_frames)
			idx = 0;
		bytes += m->pkt_len;
		pkts[queued++] = m;     /* entries before i are consumed */
	}
	q->idx = idx;
	if (queued)
		vfn_pktmbuf_free_bulk(pkts, queued);
	if ((queued || q->held) && unlikely(tx_kick(q) != 0)) {
		vfn_eth_qstats_add_errors(&q->stats, queued);
		queued = 0;
		bytes = 0;
	}
	vfn_eth_qstats_add(&q->stats, queued, bytes);
	if (dropped)
		vfn_eth_qstats_add_errors(&q->stats, dropped);
	return i;
}
