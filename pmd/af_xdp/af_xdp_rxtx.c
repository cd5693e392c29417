/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp data path, copy mode and mbufs mode (af_xdp_private.h).
 * Ring handling in bursts as DPDK's
 * rte_eth_af_xdp.c: rx peeks a burst of rx descriptors, copies them into
 * mbufs taken in one bulk get, and hands the same frames back to the fill
 * ring in one reserve/submit; tx reclaims the completion ring in one
 * burst onto a free-frame stack, then reserves, fills and submits a burst
 * of tx descriptors.  The kernel is woken only when it asks
 * (XDP_RING_NEED_WAKEUP): a recvfrom() when the fill ring needs it, a
 * sendto() after a tx burst, and after an empty rx burst, while the tx
 * ring holds descriptors the kernel has not taken (tx_kick(); always in
 * copy mode: the kernel sends from that system call).  The libxdp ring
 * helpers carry the memory ordering (acquire on the peer's index,
 * release on ours).
 *
 * mbufs mode follows DPDK's af_xdp_rx_zc/af_xdp_tx_zc: an rx descriptor's
 * address is the chunk (mempool object) of an mbuf plus, in its top 16
 * bits, the offset of the data in that chunk; the mbuf is at chunk +
 * mempool header and its data_off is that offset less the chunk-to-buffer
 * distance.  tx writes the same encoding for the mbuf's data.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "vfn_mbuf.h"
#include "vfn_eth_sw.h"
#include "af_xdp_private.h"

/* Most packets one mbufs-mode burst moves (larger bursts return fewer). */
#define AF_XDP_MBUF_BURST 128

/*
 * Have the kernel take what the tx ring holds.  In copy mode the kernel
 * sends from sendto() itself, at most 32 descriptors a call (the rest:
 * EAGAIN) and none while the socket's send buffer is full (EAGAIN too,
 * until the peer consumes what it has): kick again while a kick made
 * progress, as DPDK's kick_tx loops, and leave what is left to the next
 * tx or rx burst, which call this again.  Without a later kick frames
 * would wait for the next tx burst with packets, which an application
 * with nothing more to send never makes.  Reads the producer index, not
 * cached_prod: an rx burst may run on another lcore than the tx bursts
 * (a stale value costs one kick, or defers one to the next burst).
 */
static inline void tx_kick(struct af_xdp_queue *q)
{
	uint32_t prod = __atomic_load_n(q->tx.producer, __ATOMIC_RELAXED);
	uint32_t cons = __atomic_load_n(q->tx.consumer, __ATOMIC_ACQUIRE);
	uint32_t was;

	while (cons != prod && xsk_ring_prod__needs_wakeup(&q->tx)) {
		if (sendto(q->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) == 0 ||
		    (errno != EAGAIN && errno != EBUSY))
			return;
		was = cons;
		cons = __atomic_load_n(q->tx.consumer, __ATOMIC_ACQUIRE);
		if (cons == was)
			return; /* send buffer full: the next burst retries */
	}
}

uint16_t af_xdp_rx(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct af_xdp_queue *q = queue;
	uint32_t idx_rx = 0, idx_fq = 0, n, i, got = 0, errors = 0;
	uint64_t bytes = 0;

	n = xsk_ring_cons__peek(&q->rx, nb, &idx_rx);
	if (n == 0) {
		if (xsk_ring_prod__needs_wakeup(&q->fq))
			(void)recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		tx_kick(q);
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
	if (sent)
		xsk_ring_prod__submit(&q->tx, sent);
	tx_kick(q);
	if (n)
		vfn_pktmbuf_free_bulk(pkts, n);
	vfn_eth_qstats_add(&q->tx_stats, sent, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->tx_stats, errors);
	return (uint16_t)n;
}

/* ---- mbufs mode ------------------------------------------------------- */

/* Mempool object index of the chunk at UMEM offset @chunk: no division. */
static inline uint32_t obj_idx(const struct af_xdp_queue *q, uint64_t chunk)
{
	return (uint32_t)(((chunk - q->blk0) * q->blk_mul) >> 32);
}

static inline void own_set(uint64_t *bm, uint32_t i)
{
	bm[i >> 6] |= 1ULL << (i & 63);
}

static inline void own_clear(uint64_t *bm, uint32_t i)
{
	bm[i >> 6] &= ~(1ULL << (i & 63));
}

/* UMEM offset of the chunk of mbuf @m (an object of q->mp). */
static inline uint64_t mbuf_chunk(const struct af_xdp_queue *q,
				  const struct vfn_mbuf *m)
{
	return (uint64_t)((const uint8_t *)m - q->hdr_size - q->umem_area);
}

uint16_t af_xdp_rx_mbufs(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct af_xdp_queue *q = queue;
	struct vfn_mbuf *fill[AF_XDP_MBUF_BURST];
	uint32_t idx_rx = 0, idx_fq = 0, n, i;
	uint64_t bytes = 0;

	n = xsk_ring_cons__peek(&q->rx, nb < AF_XDP_MBUF_BURST ? nb :
				AF_XDP_MBUF_BURST, &idx_rx);
	if (n == 0) {
		if (xsk_ring_prod__needs_wakeup(&q->fq))
			(void)recvfrom(q->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		tx_kick(q);
		return 0;
	}
	/* Fresh mbufs for the fill ring first: all or nothing. */
	if (unlikely(vfn_mbuf_raw_alloc_bulk(q->mp, fill, n) != 0)) {
		xsk_ring_cons__cancel(&q->rx, n);
		vfn_eth_qstats_add_nombuf(&q->rx_stats, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&q->rx,
								  idx_rx + i);
		uint64_t chunk = xsk_umem__extract_addr(d->addr);
		struct vfn_mbuf *m = (struct vfn_mbuf *)(q->umem_area + chunk +
							 q->hdr_size);

		own_clear(q->rx_own, obj_idx(q, chunk));
		vfn_eth_sw_rx_mbuf_init(m, q->rearm, d->len);
		m->data_off = (uint16_t)(xsk_umem__extract_offset(d->addr) -
					 q->buf_off);
		bytes += d->len;
		pkts[i] = m;
	}
	xsk_ring_cons__release(&q->rx, n);
	/* The kernel holds AF_XDP_RING_SIZE mbufs: n fill slots are free. */
	xsk_ring_prod__reserve(&q->fq, n, &idx_fq);
	for (i = 0; i < n; i++) {
		uint64_t chunk = mbuf_chunk(q, fill[i]);

		*xsk_ring_prod__fill_addr(&q->fq, idx_fq + i) = chunk;
		own_set(q->rx_own, obj_idx(q, chunk));
	}
	xsk_ring_prod__submit(&q->fq, n);
	vfn_eth_qstats_add(&q->rx_stats, n, bytes);
	return (uint16_t)n;
}

/* Free the mbufs the kernel has sent (all of q->mp, refcnt 1, direct). */
static inline void tx_reclaim_mbufs(struct af_xdp_queue *q)
{
	void *done[64];
	uint32_t idx = 0, n, i, k = 0;

	n = xsk_ring_cons__peek(&q->cq, AF_XDP_RING_SIZE, &idx);
	for (i = 0; i < n; i++) {
		uint64_t chunk = xsk_umem__extract_addr(
			*xsk_ring_cons__comp_addr(&q->cq, idx + i));

		own_clear(q->tx_own, obj_idx(q, chunk));
		done[k++] = q->umem_area + chunk + q->hdr_size;
		if (k == VFN_DIM(done)) {
			vfn_mempool_put_bulk(q->mp, done, k);
			k = 0;
		}
	}
	if (k)
		vfn_mempool_put_bulk(q->mp, done, k);
	if (n)
		xsk_ring_cons__release(&q->cq, n);
}

/* Whether the kernel may send @m's data where it is, then free it. */
static inline int mbuf_postable(const struct af_xdp_queue *q,
				const struct vfn_mbuf *m)
{
	return m->pool == q->mp && m->nb_segs == 1 &&
	       !(m->ol_flags & (VFN_MBUF_F_INDIRECT | VFN_MBUF_F_EXTERNAL)) &&
	       vfn_mbuf_refcnt_read(m) == 1;
}

/*
 * Copy @m into an mbuf of q->mp and free @m.  @return the copy; NULL with
 * *dropped = 1 when @m does not fit one (freed, an error), NULL with
 * *dropped = 0 when the pool is empty (@m untouched: not sent).
 */
static struct vfn_mbuf *tx_copy(struct af_xdp_queue *q, struct vfn_mbuf *m,
				int *dropped)
{
	struct vfn_mbuf *c;

	*dropped = 0;
	if (unlikely(m->pkt_len > q->tx_room)) {
		*dropped = 1;
		vfn_pktmbuf_free(m);
		return NULL;
	}
	c = vfn_mbuf_raw_alloc(q->mp);
	if (unlikely(!c))
		return NULL;
	vfn_eth_sw_rx_mbuf_init(c, q->rearm, m->pkt_len);
	if (likely(m->nb_segs == 1))
		memcpy(vfn_pktmbuf_mtod(c, void *), vfn_pktmbuf_mtod(m, void *),
		       m->data_len);
	else
		vfn_pktmbuf_read(m, 0, m->pkt_len, vfn_pktmbuf_mtod(c, void *));
	vfn_pktmbuf_free(m);
	return c;
}

uint16_t af_xdp_tx_mbufs(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct af_xdp_queue *q = queue;
	uint32_t idx = 0, n, i, used = 0, errors = 0;
	uint64_t bytes = 0;

	tx_reclaim_mbufs(q);
	n = xsk_ring_prod__reserve(&q->tx, nb, &idx);
	for (i = 0; i < n; i++) {
		struct vfn_mbuf *m = pkts[i];
		struct xdp_desc *d;
		uint64_t chunk;

		if (unlikely(!mbuf_postable(q, m))) {
			int dropped;

			m = tx_copy(q, m, &dropped);
			if (!m) {
				if (!dropped)
					break; /* pool empty: the rest waits */
				errors++;
				continue;
			}
		}
		chunk = mbuf_chunk(q, m);
		d = xsk_ring_prod__tx_desc(&q->tx, idx + used);
		d->addr = chunk | ((uint64_t)(q->buf_off + m->data_off) <<
				   XSK_UNALIGNED_BUF_OFFSET_SHIFT);
		d->len = m->pkt_len;
		d->options = 0;
		own_set(q->tx_own, obj_idx(q, chunk));
		bytes += m->pkt_len;
		used++;
	}
	if (used < n)
		/* Slots reserved for packets not posted: give them back. */
		q->tx.cached_prod -= n - used;
	if (used)
		xsk_ring_prod__submit(&q->tx, used);
	tx_kick(q);
	vfn_eth_qstats_add(&q->tx_stats, used, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->tx_stats, errors);
	return (uint16_t)i;
}
