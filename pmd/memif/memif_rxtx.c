/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif data path, copy mode.  Ring discipline as DPDK 22.11's
 * eth_memif_rx/eth_memif_tx (drivers/net/memif/rte_eth_memif.c):
 *
 *  - C2S ring: the client fills descriptors from head and release-stores
 *    head; the server reads [last_head, head) and release-stores tail to
 *    give the buffers back.
 *  - S2C ring: the client (receiver) hands empty buffers to the server by
 *    moving head (refill); the server fills [tail, head) and
 *    release-stores tail; the client reads [last_tail, tail).
 *
 * The acquire loads of the peer's index pair with the peer's release
 * stores: the descriptors and the buffer bytes are visible once the index
 * is.  Indices are free-running 16-bit counters masked on access.
 *
 * The peer is another process and may be hostile: each descriptor is
 * read once into locals, its region and offset+length are checked
 * against the mapped region before any copy, and a peer index that runs
 * more than a ring ahead stops the burst (counted as an error).
 *
 * Against DPDK's copy path: mbufs are allocated in one bulk get per burst
 * and freed in one bulk put, and nothing makes a system call unless the
 * peer unmasked the ring's interrupt (DPDK peers poll and mask it).
 */
#include <string.h>
#include <unistd.h>

#include "vfn_mbuf.h"
#include "vfn_eth_sw.h"
#include "memif_private.h"

/* Where a descriptor's data is, or NULL when it is outside its region. */
static inline uint8_t *desc_buf(const struct memif_queue *q, uint16_t region,
				uint32_t off, uint32_t len)
{
	const struct memif_region *r;

	if (unlikely(region >= q->nregions))
		return NULL;
	r = &q->regions[region];
	if (unlikely((uint64_t)off + len > r->size))
		return NULL;
	return r->addr + off;
}

/*
 * The peer's index is more than a ring away from ours: a broken peer,
 * or the connection went away under this burst (the ring now reads as
 * zeros, see memif_ctrl.c).  Only the first is an error.
 */
static void bad_index(struct memif_queue *q)
{
	if (__atomic_load_n(&q->ring, __ATOMIC_ACQUIRE))
		vfn_eth_qstats_add_errors(&q->stats, 1);
}

/*
 * Slow path: a packet spread over several descriptors (NEXT) or larger
 * than one mbuf.  Copies into @p m and further mbufs; *cur moves past the
 * packet.  Returns 0, or -1 when the packet must be dropped (malformed,
 * or no mbuf for a further segment; *nombuf tells which).
 */
static int rx_chain(struct memif_queue *q, const struct memif_ring *ring,
		    uint16_t *cur, uint16_t last, struct vfn_mbuf *m,
		    int *nombuf)
{
	struct vfn_mbuf *seg = m;
	uint32_t seg_off = 0;
	uint16_t c = *cur;
	int more;

	vfn_eth_sw_rx_mbuf_init(m, q->rearm, 0);
	do {
		const struct memif_desc *d = &ring->desc[c & q->mask];
		uint16_t flags = d->flags, region = d->region;
		uint32_t len = d->length, off = d->offset;
		const uint8_t *src = desc_buf(q, region, off, len);

		c++;
		more = flags & MEMIF_DESC_FLAG_NEXT;
		if (!src || (more && c == last)) {
			*cur = c;
			return -1;
		}
		while (len) {
			uint32_t cp;

			if (seg_off == q->mbuf_room) {
				struct vfn_mbuf *n = vfn_pktmbuf_alloc(q->mp);

				if (!n || m->nb_segs == UINT16_MAX) {
					if (n)
						vfn_pktmbuf_free(n);
					*nombuf = !n;
					*cur = c;
					while (more && c != last) {
						more = ring->desc[c & q->mask]
							.flags & MEMIF_DESC_FLAG_NEXT;
						c++;
					}
					*cur = c;
					return -1;
				}
				n->port = q->port_id;
				seg->next = n;
				seg = n;
				m->nb_segs++;
				seg_off = 0;
			}
			cp = q->mbuf_room - seg_off;
			if (cp > len)
				cp = len;
			memcpy(vfn_pktmbuf_mtod_offset(seg, uint8_t *, seg_off),
			       src, cp);
			src += cp;
			len -= cp;
			seg_off += cp;
			seg->data_len = (uint16_t)seg_off;
			m->pkt_len += cp;
		}
	} while (more);
	*cur = c;
	return 0;
}

/* Client: hand the free S2C slots back to the server (DPDK's refill). */
static inline void rx_refill(struct memif_queue *q, struct memif_ring *ring)
{
	uint16_t head = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
	uint16_t n = (uint16_t)(q->ring_size - (uint16_t)(head - q->last_tail));

	if (n == 0)
		return;
	while (n--) {
		struct memif_desc *d = &ring->desc[head++ & q->mask];

		d->length = q->bsize;
		d->flags = 0;
	}
	/* Release: the lengths above before the server sees the slots. */
	__atomic_store_n(&ring->head, head, __ATOMIC_RELEASE);
}

uint16_t memif_rx(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct memif_queue *q = queue;
	struct memif_ring *ring = __atomic_load_n(&q->ring, __ATOMIC_ACQUIRE);
	uint16_t cur, last, avail, got = 0, i, errors = 0;
	uint64_t bytes = 0;
	int nombuf = 0;

	if (unlikely(!ring))
		return 0;
	if (q->c2s) {
		cur = q->last_head;
		last = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
	} else {
		cur = q->last_tail;
		last = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	}
	avail = (uint16_t)(last - cur);
	if (unlikely(avail > q->ring_size)) {
		bad_index(q);
		return 0;
	}
	if (avail == 0)
		goto refill;
	if (avail < nb)
		nb = avail;
	if (unlikely(vfn_mbuf_raw_alloc_bulk(q->mp, pkts, nb) != 0)) {
		vfn_eth_qstats_add_nombuf(&q->stats, nb);
		goto refill;
	}
	for (i = 0; i < nb && cur != last; i++) {
		const struct memif_desc *d = &ring->desc[cur & q->mask];
		uint16_t flags = d->flags, region = d->region;
		uint32_t len = d->length, off = d->offset;
		struct vfn_mbuf *m = pkts[got];
		const uint8_t *src;

		if (unlikely((flags & MEMIF_DESC_FLAG_NEXT) ||
				 len > q->mbuf_room)) {
			int nb_fail = 0;

			if (rx_chain(q, ring, &cur, last, m, &nb_fail)) {
				if (m->next)
					vfn_pktmbuf_free(m->next);
				m->next = NULL;
				m->nb_segs = 1;
				nombuf += nb_fail;
				errors += !nb_fail;
				continue;
			}
		} else {
			src = desc_buf(q, region, off, len);
			cur++;
			if (unlikely(!src)) {
				errors++;
				continue;
			}
			vfn_eth_sw_rx_mbuf_init(m, q->rearm, len);
			memcpy(vfn_pktmbuf_mtod(m, void *), src, len);
		}
		bytes += m->pkt_len;
		got++;
	}
	if (got < nb)
		vfn_mempool_put_bulk(q->mp, (void *const *)&pkts[got],
				     nb - got);
	if (q->c2s) {
		/* Release: our reads of the buffers before the client reuses them. */
		__atomic_store_n(&ring->tail, cur, __ATOMIC_RELEASE);
		q->last_head = cur;
	} else {
		q->last_tail = cur;
	}
	vfn_eth_qstats_add(&q->stats, got, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->stats, errors);
	if (unlikely(nombuf))
		vfn_eth_qstats_add_nombuf(&q->stats, (uint64_t)nombuf);
refill:
	if (!q->c2s)
		rx_refill(q, ring);
	return got;
}

/*
 * Copy @p m into descriptors from *slot on; a packet larger than one
 * buffer takes several, chained with NEXT.  Returns the number of slots
 * used, 0 when @p free is too small (nothing written that counts), or
 * -1 when a descriptor points outside its region.
 */
static int tx_copy(struct memif_queue *q, struct memif_ring *ring,
		   uint16_t slot, uint16_t free_slots, struct vfn_mbuf *m)
{
	struct memif_desc *d = &ring->desc[slot & q->mask];
	uint32_t cap = q->c2s ? q->bsize : d->length;
	uint8_t *dst = desc_buf(q, d->region, d->offset, cap);
	uint32_t dst_off = 0;
	int used = 1;

	if (unlikely(!dst))
		return -1;
	for (; m; m = m->next) {
		const uint8_t *src = vfn_pktmbuf_mtod(m, const uint8_t *);
		uint32_t len = m->data_len;

		while (len) {
			uint32_t cp;

			if (dst_off == cap) {
				if ((uint16_t)used == free_slots)
					return 0;
				d->length = dst_off;
				d->flags = MEMIF_DESC_FLAG_NEXT;
				d = &ring->desc[(uint16_t)(slot + used) & q->mask];
				used++;
				cap = q->c2s ? q->bsize : d->length;
				dst = desc_buf(q, d->region, d->offset, cap);
				if (unlikely(!dst))
					return -1;
				dst_off = 0;
			}
			cp = cap - dst_off;
			if (cp > len)
				cp = len;
			memcpy(dst + dst_off, src, cp);
			src += cp;
			len -= cp;
			dst_off += cp;
		}
	}
	d->length = dst_off;
	d->flags = 0;
	return used;
}

uint16_t memif_tx(void *queue, struct vfn_mbuf **pkts, uint16_t nb)
{
	struct memif_queue *q = queue;
	struct memif_ring *ring = __atomic_load_n(&q->ring, __ATOMIC_ACQUIRE);
	uint16_t slot, free_slots, sent = 0, errors = 0;
	uint64_t bytes = 0;

	if (unlikely(!ring || nb == 0))
		return 0;
	if (q->c2s) {
		slot = __atomic_load_n(&ring->head, __ATOMIC_RELAXED);
		free_slots = (uint16_t)(q->ring_size - (uint16_t)(slot -
			__atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE)));
	} else {
		slot = __atomic_load_n(&ring->tail, __ATOMIC_RELAXED);
		free_slots = (uint16_t)(__atomic_load_n(&ring->head,
							__ATOMIC_ACQUIRE) - slot);
	}
	if (unlikely(free_slots > q->ring_size)) {
		bad_index(q);
		return 0;
	}
	while (sent < nb && free_slots) {
		struct vfn_mbuf *m = pkts[sent];
		struct memif_desc *d = &ring->desc[slot & q->mask];
		uint32_t len = m->data_len;
		uint32_t cap;
		uint8_t *dst;
		int used;

		if (likely(m->nb_segs == 1)) {
			cap = q->c2s ? q->bsize : d->length;
			if (likely(len <= cap)) {
				dst = desc_buf(q, d->region, d->offset, len);
				if (unlikely(!dst))
					goto bad_peer;
				memcpy(dst, vfn_pktmbuf_mtod(m, void *), len);
				d->length = len;
				d->flags = 0;
				slot++;
				free_slots--;
				bytes += len;
				sent++;
				continue;
			}
		}
		used = tx_copy(q, ring, slot, free_slots, m);
		if (used == 0)
			break;
		if (unlikely(used < 0))
			goto bad_peer;
		slot = (uint16_t)(slot + used);
		free_slots = (uint16_t)(free_slots - used);
		bytes += m->pkt_len;
		sent++;
	}
	goto publish;

bad_peer:
	/* A descriptor points outside its region: drop the rest. */
	errors = (uint16_t)(nb - sent);
publish:
	/* Release: descriptors and buffer bytes before the index. */
	if (q->c2s)
		__atomic_store_n(&ring->head, slot, __ATOMIC_RELEASE);
	else
		__atomic_store_n(&ring->tail, slot, __ATOMIC_RELEASE);
	if (unlikely(!(ring->flags & MEMIF_RING_FLAG_MASK_INT)) &&
	    q->intr_fd >= 0 && sent) {
		uint64_t one = 1;
		ssize_t r = write(q->intr_fd, &one, sizeof(one));

		(void)r;
	}
	if (sent + errors)
		vfn_eth_sw_tx_free_burst(pkts, (uint16_t)(sent + errors));
	vfn_eth_qstats_add(&q->stats, sent, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&q->stats, errors);
	return (uint16_t)(sent + errors);
}
