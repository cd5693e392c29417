/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif data path, zero-copy (client only), as DPDK 22.11's
 * eth_memif_rx_zc/eth_memif_tx_zc (drivers/net/memif/rte_eth_memif.c):
 * descriptors point at mbuf data in EAL memory, which the server maps
 * (memif_zc.c), so only the server copies.
 *
 *  - rx, S2C ring: slots [last_tail, zc_head) hold mbufs we posted
 *    empty; the server fills [last_tail, tail) and release-stores tail;
 *    we hand those mbufs up as they are, and post fresh ones from zc_head
 *    on (release store of head).
 *  - tx, C2S ring: we post the application's mbufs from zc_head on
 *    (release store of head); the server copies them out and
 *    release-stores tail; the next burst frees [last_tail, tail).
 *
 * Our own indices (zc_head, last_tail) are kept here, never read back
 * from the shared ring: the peer only moves tail, and a tail more than
 * the posted slots ahead of ours stops the burst (an error).  What the
 * peer writes in a descriptor is only trusted for the length and the
 * chain flag, both checked; the mbuf of a slot comes from our table.
 *
 * Against DPDK: mbufs are posted and freed in bulk (one mempool get or
 * put per burst, DPDK frees per segment), and the region of a buffer is
 * looked up (with a one-entry cache) instead of assumed to be region 1.
 */
#include <unistd.h>

#include "vfn_mbuf.h"
#include "vfn_eth_sw.h"
#include "memif_private.h"

/* Do not refill fewer slots than this (as DPDK): bulk gets stay bulk. */
#define ZC_REFILL_MIN 32

/* The region holding [p, p + len): slow path of zc_locate(). */
static int zc_locate_slow(struct memif_queue *q, const uint8_t *p,
			  uint32_t len, uint16_t *region, uint32_t *off)
{
	uint16_t i;

	for (i = 1; i < q->nregions; i++) {
		const struct memif_region *r = &q->regions[i];
		uintptr_t o = (uintptr_t)p - (uintptr_t)r->addr;

		if (o < r->size && len <= r->size - o) {
			q->zc_region = i;
			q->zc_base = r->addr;
			q->zc_size = r->size;
			*region = i;
			*off = (uint32_t)o;
			return 0;
		}
	}
	return -1;
}

/* Region and offset of [p, p + len); -1 when outside shared memory. */
static inline int zc_locate(struct memif_queue *q, const uint8_t *p,
			    uint32_t len, uint16_t *region, uint32_t *off)
{
	uintptr_t o = (uintptr_t)p - (uintptr_t)q->zc_base;

	if (likely(o < q->zc_size && len <= q->zc_size - o)) {
		*region = q->zc_region;
		*off = (uint32_t)o;
		return 0;
	}
	return zc_locate_slow(q, p, len, region, off);
}

/*
 * Post fresh mbufs in the free slots of rx ring @p ring (at least
 * ZC_REFILL_MIN of them, or none) and publish them.  Returns the number
 * posted.
 */
uint16_t memif_zc_rx_refill(struct memif_queue *q, struct memif_ring *ring)
{
	uint16_t head = q->zc_head;
	uint16_t n = (uint16_t)(q->ring_size - (uint16_t)(head - q->last_tail));
	uint16_t first = (uint16_t)(q->ring_size - (head & q->mask));
	uint16_t posted = 0;

	if (n < ZC_REFILL_MIN)
		return 0;
	if (first > n)
		first = n;
	/* One bulk get per contiguous run of the slot table. */
	if (unlikely(vfn_mbuf_raw_alloc_bulk(q->mp, &q->buffers[head & q->mask],
					     first) != 0)) {
		vfn_eth_qstats_add_nombuf(&q->stats, n);
		return 0;
	}
	if (n > first && vfn_mbuf_raw_alloc_bulk(q->mp, q->buffers,
						 n - first) != 0) {
		vfn_eth_qstats_add_nombuf(&q->stats, n - first);
		n = first;
	}
	while (posted < n) {
		uint16_t s = (uint16_t)(head + posted) & q->mask;
		struct vfn_mbuf *m = q->buffers[s];
		struct memif_desc *d = &ring->desc[s];
		uint8_t *data = (uint8_t *)m->buf_addr + VFN_PKTMBUF_HEADROOM;
		uint16_t region;
		uint32_t off;

		if (unlikely(zc_locate(q, data, q->mbuf_room, &region, &off))) {
			/* Not in shared memory: give this and the rest back. */
			uint16_t k;

			for (k = posted; k < n; k++)
				vfn_mbuf_raw_free(q->buffers[(uint16_t)(head + k) &
							     q->mask]);
			vfn_eth_qstats_add_errors(&q->stats, 1);
			break;
		}
		d->region = region;
		d->offset = off;
		d->length = q->mbuf_room;
		d->flags = 0;
		posted++;
	}
	if (posted == 0)
		return 0;
	q->zc_head = (uint16_t)(head + posted);
	/* Release: the descriptors before the server sees the slots. */
	__atomic_store_n(&ring->head, q->zc_head, __ATOMIC_RELEASE);
	return posted;
}

/*
 * A packet the server spread over several slots (NEXT): chain their
 * mbufs behind @p m.  *cur moves past the packet.  Returns 0, or -1 when
 * the chain is malformed (the mbufs are freed, *cur is past them).
 */
static int rx_zc_chain(struct memif_queue *q, const struct memif_ring *ring,
		       uint16_t *cur, uint16_t last, struct vfn_mbuf *m)
{
	struct vfn_mbuf *seg = m;
	uint16_t c = *cur;
	int bad = 0, more;

	do {
		const struct memif_desc *d = &ring->desc[c & q->mask];
		uint16_t flags = d->flags;
		uint32_t len = d->length;
		struct vfn_mbuf *s = q->buffers[c & q->mask];

		c++;
		more = flags & MEMIF_DESC_FLAG_NEXT;
		vfn_eth_sw_rx_mbuf_init(s, q->rearm, len);
		bad |= len > q->mbuf_room || (more && c == last);
		if (s != m) {
			seg->next = s;
			seg = s;
			m->nb_segs++;
			m->pkt_len += len;
		}
	} while (more && c != last);
	*cur = c;
	if (!bad)
		return 0;
	vfn_pktmbuf_free(m);
	return -1;
}

uint16_t memif_rx_zc(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct memif_queue *q = queue;
	struct memif_ring *ring = __atomic_load_n(&q->ring, __ATOMIC_ACQUIRE);
	uint16_t cur, last, got = 0, errors = 0;
	uint64_t bytes = 0;

	if (unlikely(!ring))
		return 0;
	cur = q->last_tail;
	last = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	if (unlikely((uint16_t)(last - cur) > (uint16_t)(q->zc_head - cur))) {
		/* Filled more slots than we posted. */
		if (__atomic_load_n(&q->ring, __ATOMIC_ACQUIRE))
			vfn_eth_qstats_add_errors(&q->stats, 1);
		return 0;
	}
	while (got < nb && cur != last) {
		const struct memif_desc *d = &ring->desc[cur & q->mask];
		uint16_t flags = d->flags;
		uint32_t len = d->length;
		struct vfn_mbuf *m = q->buffers[cur & q->mask];

		if (unlikely((flags & MEMIF_DESC_FLAG_NEXT) ||
			     len > q->mbuf_room)) {
			if (rx_zc_chain(q, ring, &cur, last, m)) {
				errors++;
				continue;
			}
		} else {
			cur++;
			vfn_eth_sw_rx_mbuf_init(m, q->rearm, len);
		}
		bytes += m->pkt_len;
		pkts[got++] = m;
	}
	q->last_tail = cur;
	vfn_eth_qstats_add(&q->stats, got, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->stats, errors);
	memif_zc_rx_refill(q, ring);
	return got;
}

/*
 * Free @p n sent segments: one bulk put when each is a plain segment of
 * refcnt 1 from the pool of the first, else one by one (a chain's head
 * still points at its next segment, which has its own slot).
 */
static inline void tx_zc_free(struct vfn_mbuf **segs, uint16_t n)
{
	uint16_t i;

	if (likely(vfn_eth_sw_tx_burst_plain(segs, n))) {
		vfn_mempool_put_bulk(segs[0]->pool, (void *const *)segs, n);
		return;
	}
	for (i = 0; i < n; i++)
		vfn_pktmbuf_free_seg(segs[i]);
}

/* Free what the server has consumed: slots [last_tail, tail). */
static inline int tx_zc_reclaim(struct memif_queue *q,
				const struct memif_ring *ring)
{
	uint16_t tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	uint16_t n = (uint16_t)(tail - q->last_tail);
	uint16_t s = q->last_tail & q->mask;

	if (unlikely(n > (uint16_t)(q->zc_head - q->last_tail)))
		return -1;
	if (n == 0)
		return 0;
	if (s + n > q->ring_size) {
		tx_zc_free(&q->buffers[s], (uint16_t)(q->ring_size - s));
		tx_zc_free(q->buffers, (uint16_t)(s + n - q->ring_size));
	} else {
		tx_zc_free(&q->buffers[s], n);
	}
	q->last_tail = tail;
	return 0;
}

/*
 * Post every segment of @p m from slot @p slot on.  Returns the slots
 * used, 0 when @p free_slots is too few, -1 when a segment is outside
 * the shared memory (nothing posted).
 */
static int tx_zc_chain(struct memif_queue *q, struct memif_ring *ring,
		       uint16_t slot, uint16_t free_slots, struct vfn_mbuf *m)
{
	struct vfn_mbuf *seg;
	uint16_t i = 0;

	if (m->nb_segs > free_slots)
		return 0;
	for (seg = m; seg; seg = seg->next, i++) {
		struct memif_desc *d = &ring->desc[(uint16_t)(slot + i) &
						   q->mask];
		uint16_t region;
		uint32_t off;

		if (zc_locate(q, vfn_pktmbuf_mtod(seg, uint8_t *),
			      seg->data_len, &region, &off))
			return -1;
		d->region = region;
		d->offset = off;
		d->length = seg->data_len;
		d->flags = seg->next ? MEMIF_DESC_FLAG_NEXT : 0;
	}
	for (seg = m, i = 0; seg; seg = seg->next, i++)
		q->buffers[(uint16_t)(slot + i) & q->mask] = seg;
	return i;
}

uint16_t memif_tx_zc(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct memif_queue *q = queue;
	struct memif_ring *ring = __atomic_load_n(&q->ring, __ATOMIC_ACQUIRE);
	uint16_t slot, free_slots, sent = 0, errors = 0;
	uint64_t bytes = 0;

	if (unlikely(!ring || nb == 0))
		return 0;
	if (unlikely(tx_zc_reclaim(q, ring))) {
		if (__atomic_load_n(&q->ring, __ATOMIC_ACQUIRE))
			vfn_eth_qstats_add_errors(&q->stats, 1);
		return 0;
	}
	slot = q->zc_head;
	free_slots = (uint16_t)(q->ring_size - (uint16_t)(slot - q->last_tail));
	while (sent + errors < nb && free_slots) {
		struct vfn_mbuf *m = pkts[sent + errors];
		struct memif_desc *d = &ring->desc[slot & q->mask];
		uint16_t region;
		uint32_t off;
		int used;

		if (likely(m->nb_segs == 1)) {
			if (unlikely(zc_locate(q, vfn_pktmbuf_mtod(m, uint8_t *),
					       m->data_len, &region, &off)))
				goto outside;
			d->region = region;
			d->offset = off;
			d->length = m->data_len;
			d->flags = 0;
			q->buffers[slot & q->mask] = m;
			slot++;
			free_slots--;
			bytes += m->data_len;
			sent++;
			continue;
		}
		used = tx_zc_chain(q, ring, slot, free_slots, m);
		if (used == 0)
			break;
		if (unlikely(used < 0))
			goto outside;
		slot = (uint16_t)(slot + used);
		free_slots = (uint16_t)(free_slots - used);
		bytes += m->pkt_len;
		sent++;
		continue;
outside:
		/*
		 * Not in memory the server maps (a pool outside EAL memory,
		 * or created after the connection): dropped, counted.  Only
		 * possible before the first packet that was posted, or we
		 * would reorder pkts[]: stop there otherwise.
		 */
		if (sent)
			break;
		vfn_pktmbuf_free(m);
		errors++;
	}
	q->zc_head = slot;
	/* Release: the descriptors before the index. */
	__atomic_store_n(&ring->head, slot, __ATOMIC_RELEASE);
	if (unlikely(!(ring->flags & MEMIF_RING_FLAG_MASK_INT)) &&
	    q->intr_fd >= 0 && sent) {
		uint64_t one = 1;
		ssize_t r = write(q->intr_fd, &one, sizeof(one));

		(void)r;
	}
	vfn_eth_qstats_add(&q->stats, sent, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->stats, errors);
	return (uint16_t)(sent + errors);
}
