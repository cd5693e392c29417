/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net bursts over packed virtqueues (virtio 1.1, section 2.7),
 * used when VIRTIO_F_RING_PACKED is negotiated.
 *
 * One ring of descriptors: the driver makes a descriptor available by
 * writing it with AVAIL = its wrap counter and USED = the inverse (flags
 * last), the device marks it used by writing back id, length and AVAIL =
 * USED = its wrap counter, one used descriptor per buffer, in the slots
 * the device consumed.  Buffer ids come from a stack of free ids; the
 * number of descriptors of the buffer with id N is ndescs[N], which is
 * how far the used side advances for it.
 *
 * Rx: one device-writable descriptor per mbuf, as on split rings (header
 * in the headroom, MRG_RXBUF chains num_buffers buffers).  Tx: the header
 * pushed into the headroom (one descriptor) or chained in front from the
 * per-queue array (indexed by buffer id).  Notifications as on split
 * rings: none asked from the device (driver event flags DISABLE), a kick
 * only when the device's event flags do not say DISABLE.
 */
#include <string.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "virtio_net.h"

uint16_t virtio_rx_post_packed(struct virtio_rx_queue *rxq, uint16_t n)
{
	struct virtqueue *vq = rxq->vq;
	struct vfn_mbuf *mbufs[VIRTIO_NET_BURST];
	uint16_t i, done = 0;

	while (done < n) {
		uint16_t k = n - done;

		if (k > VIRTIO_NET_BURST)
			k = VIRTIO_NET_BURST;
		if (unlikely(vfn_pktmbuf_alloc_bulk(rxq->mp, mbufs, k))) {
			vfn_eth_qstats_add_nombuf(&rxq->stats, k);
			break;
		}
		for (i = 0; i < k; i++) {
			uint16_t id = pvq_pop_id(vq), flags;
			uint16_t slot = pvq_avail_next(vq, &flags);
			volatile struct vring_packed_desc *d = &vq->pdesc[slot];

			vq->cookie[id] = mbufs[i];
			vq->ndescs[id] = 1;
			d->addr = virtio_rx_buf_iova(mbufs[i]);
			d->len = rxq->buf_len;
			d->id = id;
			pvq_desc_publish(vq, slot, flags | VRING_DESC_F_WRITE);
		}
		vq->nb_free -= k;
		done += k;
	}
	return done;
}

/* Take the used descriptor at the used slot: its mbuf and length. */
static inline struct vfn_mbuf *rx_take(struct virtqueue *vq, uint32_t *len)
{
	volatile struct vring_packed_desc *d = &vq->pdesc[vq->last_used];
	uint16_t id = d->id;
	struct vfn_mbuf *m;

	*len = d->len;
	m = vq->cookie[id];
	vq->cookie[id] = NULL;
	pvq_push_id(vq, id);
	vq->nb_free++;
	pvq_used_advance(vq, 1);
	return m;
}

/* Are the @p n used descriptors from the used slot on all written? */
static int rx_used_run(const struct virtqueue *vq, uint16_t n)
{
	uint16_t slot = vq->last_used, i;
	uint8_t wrap = vq->used_wrap;

	for (i = 0; i < n; i++) {
		if (!pvq_desc_used(vq, slot, wrap))
			return 0;
		if (++slot == vq->size) {
			slot = 0;
			wrap ^= 1;
		}
	}
	return 1;
}

uint16_t virtio_recv_pkts_packed(void *queue, struct vfn_mbuf **pkts,
				 uint16_t n)
{
	struct virtio_rx_queue *rxq = queue;
	struct virtqueue *vq = rxq->vq;
	uint16_t nb_rx = 0;
	uint64_t bytes = 0;

	while (nb_rx < n && pvq_used_ready(vq)) {
		struct vfn_mbuf *m, *prev;
		uint16_t nbufs = 1, i;
		uint32_t len;

		if (rxq->mrg_rxbuf) {
			/* num_buffers is in the first buffer's header. */
			struct vfn_mbuf *first =
				vq->cookie[vq->pdesc[vq->last_used].id];

			nbufs = virtio_rx_nbufs(vq, first); /* 0: dropped below */
			if (unlikely(nbufs > 1 && !rx_used_run(vq, nbufs)))
				break; /* rest not written yet */
		}
		m = rx_take(vq, &len);
		if (unlikely(len < VIRTIO_NET_HDR_LEN || !nbufs)) {
			vfn_eth_qstats_add_errors(&rxq->stats, 1);
			vfn_pktmbuf_free(m);
			for (i = 1; i < nbufs; i++)
				vfn_pktmbuf_free(rx_take(vq, &len));
			continue;
		}
		virtio_rx_head(m, len, rxq->port_id);
		prev = m;
		for (i = 1; i < nbufs; i++) {
			struct vfn_mbuf *seg = rx_take(vq, &len);

			virtio_rx_chain(m, prev, seg, len);
			prev = seg;
		}
		bytes += m->pkt_len;
		pkts[nb_rx++] = m;
	}
	if (nb_rx)
		vfn_eth_qstats_add(&rxq->stats, nb_rx, bytes);

	if (vq->nb_free >= VIRTIO_NET_BURST) {
		if (virtio_rx_post_packed(rxq, vq->nb_free))
			pvq_kick(vq);
	}
	return nb_rx;
}

/* Reclaim every used buffer: free its descriptors, id and mbuf. */
static void tx_reclaim(struct virtqueue *vq)
{
	struct vfn_mbuf *done[VIRTIO_NET_BURST];
	uint16_t nb = 0;

	while (pvq_used_ready(vq)) {
		uint16_t id = vq->pdesc[vq->last_used].id;
		uint16_t k = vq->ndescs[id];

		if (vq->cookie[id]) {
			done[nb++] = vq->cookie[id];
			vq->cookie[id] = NULL;
		}
		pvq_push_id(vq, id);
		vq->nb_free += k;
		pvq_used_advance(vq, k);
		if (nb == VIRTIO_NET_BURST) {
			vfn_pktmbuf_free_bulk(done, nb);
			nb = 0;
		}
	}
	if (nb)
		vfn_pktmbuf_free_bulk(done, nb);
}

uint16_t virtio_xmit_pkts_packed(void *queue, struct vfn_mbuf **pkts,
				 uint16_t n)
{
	struct virtio_tx_queue *txq = queue;
	struct virtqueue *vq = txq->vq;
	uint16_t nb_tx;
	uint64_t bytes = 0;

	if (vq->nb_free < n + VIRTIO_NET_BURST)
		tx_reclaim(vq);

	for (nb_tx = 0; nb_tx < n; nb_tx++) {
		struct vfn_mbuf *m = pkts[nb_tx], *seg;
		volatile struct vring_packed_desc *d;
		uint16_t id, head, slot, head_flags, flags;

		if (virtio_tx_can_push_hdr(m)) {
			if (unlikely(vq->nb_free < 1))
				break;
			id = pvq_pop_id(vq);
			head = pvq_avail_next(vq, &head_flags);
			d = &vq->pdesc[head];
			d->addr = virtio_tx_push_hdr(m);
			d->len = m->data_len + VIRTIO_NET_HDR_LEN;
			d->id = id;
			vq->ndescs[id] = 1;
		} else {
			if (unlikely(vq->nb_free < m->nb_segs + 1))
				break;
			id = pvq_pop_id(vq);
			head = pvq_avail_next(vq, &head_flags);
			memset(&txq->hdrs[id], 0, sizeof(txq->hdrs[id]));
			d = &vq->pdesc[head];
			d->addr = txq->hdrs_iova +
				(uint64_t)id * sizeof(struct virtio_net_hdr);
			d->len = VIRTIO_NET_HDR_LEN;
			d->id = id;
			head_flags |= VRING_DESC_F_NEXT;
			/*
			 * The other descriptors first, the head's flags last:
			 * the device sees the whole chain or none of it.
			 */
			for (seg = m; seg; seg = seg->next) {
				slot = pvq_avail_next(vq, &flags);
				d = &vq->pdesc[slot];
				d->addr = vfn_pktmbuf_iova(seg);
				d->len = seg->data_len;
				d->id = id;
				if (seg->next)
					flags |= VRING_DESC_F_NEXT;
				d->flags = flags;
			}
			vq->ndescs[id] = m->nb_segs + 1;
		}
		vq->nb_free -= vq->ndescs[id];
		vq->cookie[id] = m;
		pvq_desc_publish(vq, head, head_flags);
		bytes += m->pkt_len;
	}
	if (likely(nb_tx)) {
		vfn_eth_qstats_add(&txq->stats, nb_tx, bytes);
		pvq_kick(vq);
	}
	return nb_tx;
}
