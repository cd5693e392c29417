/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp data path, copy mode.  Ring handling in bursts as DPDK's
 * rte_eth_af_xdp.c: rx peeks a burst of rx descriptors, copies them into
 * mbufs taken in one bulk get, and hands the same frames back to the fill
 * ring in one reserve/submit; tx reclaims the completion ring in one
 * burst onto a free-frame stack, then reserves, fills and submits a burst
 * of tx descriptors.  The kernel is woken only when it asks
 * (XDP_RING_NEED_WAKEUP): a recvfrom() when the fill ring needs it, a
 * sendto() after a tx burst (always in copy mode: the kernel sends from
 * that system call).  The libxdp ring helpers carry the memory ordering
 * (acquire on the peer's index, release on ours).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "vfn_mbuf.h"
#include "vfn_eth_sw.h"
#include "af_xdp_private.h"

uint16_t af_xdp_rx(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct af_xdp_queue *q = queue;
	uint32_t idx_rx = 0, idx_fq = 0, n, i, got = 0, errors = 0;
	uint64_t bytes = 0;

	n = xsk_ring_cons__peek(&q->rx, nb, &idx_rx);
	if (n == 0) {
		if (xsk_ring_prod__needs_wakeup(&q->fq))
			(void)recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		return 0;
	}
	if (unlikely(vfn_mbuf_raw_alloc_bulk(q->mp, pkts, n) != 0)) {
		/* Leave the frames in the ring for the next burst. */
		xsk_ring_cons__cancel(&q->rx, n);
		vfn_eth_qstats_add_nombuf(&q->rx_stats, n);
		return 0;
	}
	/* The fill ring holds every rx frame: n slots are always free. */
	xsk_ring_prod__reserve(&q->fq, n, &idx_fq);
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&q->rx,
								  idx_rx + i);
		uint64_t addr = xsk_umem__add_offset_to_addr(d->addr);
		uint32_t len = d->len;

		*xsk_ring_prod__fill_addr(&q->fq, idx_fq + i) =
			xsk_umem__extract_addr(d->addr);
		if (unlikely(len > q->mbuf_room)) {
			errors++;
			continue;
		}
		vfn_eth_sw_rx_mbuf_init(pkts[got], q->rearm, len);
		memcpy(vfn_pktmbuf_mtod(pkts[got], void *),
		       xsk_umem__get_data(q->umem_area, addr), len);
		bytes += len;
		got++;
	}
	xsk_ring_prod__submit(&q->fq, n);
	xsk_ring_cons__release(&q->rx, n);
	if (got < n)
		vfn_mempool_put_bulk(q->mp, (void *const *)&pkts[got], n - got);
	vfn_eth_qstats_add(&q->rx_stats, got, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->rx_stats, errors);
	return (uint16_t)got;
}

/* Take back the frames the kernel has sent. */
static inline void tx_reclaim(struct af_xdp_queue *q)
{
	uint32_t idx = 0, n, i;

	n = xsk_ring_cons__peek(&q->cq, AF_XDP_RING_SIZE, &idx);
	for (i = 0; i < n; i++)
		q->free_frames[q->nb_free++] =
			*xsk_ring_cons__comp_addr(&q->cq, idx + i);
	if (n)
		xsk_ring_cons__release(&q->cq, n);
}

uint16_t af_xdp_tx(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct af_xdp_queue *q = queue;
	uint32_t idx = 0, n, i, sent = 0, errors = 0;
	uint64_t bytes = 0;

	tx_reclaim(q);
	n = nb < q->nb_free ? nb : q->nb_free;
	n = xsk_ring_prod__reserve(&q->tx, n, &idx);
	for (i = 0; i < n; i++) {
		struct vfn_mbuf *m = pkts[i];
		struct xdp_desc *d;
		uint64_t addr;

		if (unlikely(m->pkt_len > AF_XDP_FRAME_SIZE)) {
			errors++;
			continue;
		}
		addr = q->free_frames[--q->nb_free];
		d = xsk_ring_prod__tx_desc(&q->tx, idx + sent);
		d->addr = addr;
		d->len = m->pkt_len;
		d->options = 0;
		if (likely(m->nb_segs == 1))
			memcpy(xsk_umem__get_data(q->umem_area, addr),
			       vfn_pktmbuf_mtod(m, void *), m->data_len);
		else
			vfn_pktmbuf_read(m, 0, m->pkt_len,
					 xsk_umem__get_data(q->umem_area, addr));
		bytes += m->pkt_len;
		sent++;
	}
	if (sent < n)
		/* Slots reserved for oversized packets: give them back. */
		q->tx.cached_prod -= n - sent;
	if (sent) {
		xsk_ring_prod__submit(&q->tx, sent);
		if (xsk_ring_prod__needs_wakeup(&q->tx))
			(void)sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
	}
	if (n)
		vfn_pktmbuf_free_bulk(pkts, n);
	vfn_eth_qstats_add(&q->tx_stats, sent, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->tx_stats, errors);
	return (uint16_t)n;
}
