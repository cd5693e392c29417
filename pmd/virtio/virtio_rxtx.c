/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net queues and bursts over split virtqueues.
 *
 * Rx: one device-writable descriptor per mbuf; the 12-byte header lands in
 * the mbuf headroom just before the data, so data starts at the usual
 * headroom.  With MRG_RXBUF a frame may use num_buffers buffers; they are
 * chained.  Refill: bulk allocation of up to VIRTIO_NET_BURST mbufs, one
 * avail index update and at most one doorbell per burst.
 *
 * Tx: the header is pushed into the mbuf headroom when the mbuf is
 * unshared, single-segment and has room (one descriptor); otherwise a
 * header from a per-queue array is chained in front of the segments.
 * Used entries are reclaimed in bursts when descriptors run short.
 *
 * This file holds the split-ring bursts and the queue set-up shared with
 * the packed rings (virtio_rxtx_packed.c).
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "virtio_net.h"

static int check_nb_desc(uint16_t nb_desc, uint16_t max, const char *what)
{
	if (nb_desc < 64 || nb_desc > max || !vfn_is_power_of_2(nb_desc)) {
		VIRTIO_LOG(ERR, "%s queue of %u descriptors: use a power of two from 64 "
			   "to %u (the device's queue size)", what, nb_desc, max);
		return -EINVAL;
	}
	return 0;
}

int virtio_rxq_alloc(struct virtio_net_adapter *ad, uint16_t q,
		     uint16_t nb_desc, int socket, struct vfn_mempool *mp,
		     struct virtio_rx_queue **out)
{
	struct virtio_rx_queue *rxq;
	uint32_t room;
	int ret;

	ret = check_nb_desc(nb_desc, ad->rx_max, "rx");
	if (ret)
		return ret;
	if (!mp) {
		VIRTIO_LOG(ERR, "%s rx queue %u: no mempool given", ad->vp.pci->name, q);
		return -EINVAL;
	}
	room = vfn_pktmbuf_data_room_size(mp);
	if (room < VFN_PKTMBUF_HEADROOM + 64 ||
	    (!virtio_net_mrg_offered(ad) &&
	     room < VFN_PKTMBUF_HEADROOM + (uint32_t)ad->mtu + 14 + 4)) {
		VIRTIO_LOG(ERR, "%s rx queue %u: mbuf data room %u too small for MTU %u "
			   "without mergeable rx buffers", ad->vp.pci->name, q, room,
			   ad->mtu);
		return -ENOBUFS;
	}
	if (vfn_mempool_avail_count(mp) < nb_desc) {
		VIRTIO_LOG(ERR, "%s rx queue %u: mempool has %u free mbufs, the ring needs %u",
			   ad->vp.pci->name, q, vfn_mempool_avail_count(mp), nb_desc);
		return -ENOBUFS;
	}
	rxq = vfn_zmalloc_socket("virtio_rxq", sizeof(*rxq), 0, socket);
	if (!rxq)
		return -ENOMEM;
	rxq->vq = virtqueue_alloc(2 * q, nb_desc, socket,
				  virtio_with_feature(&ad->vp, VIRTIO_F_RING_PACKED));
	if (!rxq->vq) {
		vfn_free(rxq);
		return -ENOMEM;
	}
	rxq->mp = mp;
	rxq->queue_id = q;
	rxq->port_id = ad->port_id;
	rxq->nb_desc = nb_desc;
	rxq->socket = socket;
	/* Set again at start, which negotiates MRG_RXBUF only when needed. */
	rxq->mrg_rxbuf = virtio_with_feature(&ad->vp, VIRTIO_NET_F_MRG_RXBUF);
	/* Header in the headroom, data from the headroom on. */
	rxq->buf_len = room - VFN_PKTMBUF_HEADROOM + VIRTIO_NET_HDR_LEN;
	*out = rxq;
	return 0;
}

/* Post up to @p n fresh buffers; returns how many. */
static uint16_t rx_post(struct virtio_rx_queue *rxq, uint16_t n)
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
			uint16_t id = vq_pop_free(vq);
			volatile struct vring_desc *d = &vq->desc[id];

			vq->cookie[id] = mbufs[i];
			d->addr = virtio_rx_buf_iova(mbufs[i]);
			d->len = rxq->buf_len;
			d->flags = VRING_DESC_F_WRITE;
			vq->avail->ring[vq->avail_idx & vq->mask] = id;
			vq->avail_idx++;
		}
		done += k;
	}
	return done;
}

int virtio_rxq_fill(struct virtio_rx_queue *rxq)
{
	uint16_t n = rxq->vq->nb_free;
	uint16_t done = rxq->vq->packed ? virtio_rx_post_packed(rxq, n) :
					  rx_post(rxq, n);

	if (done != n) {
		VIRTIO_LOG(ERR, "rx queue %u: cannot allocate %u mbufs to fill the ring",
			   rxq->queue_id, n);
		virtio_rxq_drain(rxq);
		return -ENOMEM;
	}
	if (rxq->vq->packed)
		return 0; /* descriptors are live as written */
	__atomic_store_n(&rxq->vq->avail->idx, rxq->vq->avail_idx,
			 __ATOMIC_RELEASE);
	return 0;
}

void virtio_rxq_drain(struct virtio_rx_queue *rxq)
{
	struct virtqueue *vq = rxq->vq;
	uint16_t i;

	for (i = 0; i < vq->size; i++) {
		if (vq->cookie[i]) {
			vfn_pktmbuf_free(vq->cookie[i]);
			vq->cookie[i] = NULL;
		}
	}
	virtqueue_reset(vq);
}

void virtio_rxq_free(struct virtio_rx_queue *rxq)
{
	if (!rxq)
		return;
	if (rxq->vq) {
		virtio_rxq_drain(rxq);
		virtqueue_free(rxq->vq);
	}
	vfn_free(rxq);
}

/* Take used entry @p slot: its mbuf and written length. */
static inline struct vfn_mbuf *rx_take(struct virtqueue *vq, uint16_t slot,
				       uint32_t *len)
{
	volatile struct vring_used_elem *e = &vq->used->ring[slot & vq->mask];
	uint16_t id = (uint16_t)e->id;
	struct vfn_mbuf *m;

	*len = e->len;
	m = vq->cookie[id];
	vq->cookie[id] = NULL;
	vq_push_free(vq, id);
	return m;
}

uint16_t virtio_recv_pkts(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct virtio_rx_queue *rxq = queue;
	struct virtqueue *vq = rxq->vq;
	uint16_t avail = vq_used_count(vq), nb_rx = 0;
	uint64_t bytes = 0;

	while (nb_rx < n && avail) {
		struct vfn_mbuf *m, *prev;
		uint16_t nbufs = 1, i;
		uint32_t len;

		if (rxq->mrg_rxbuf) {
			/* num_buffers is in the first buffer's header. */
			volatile struct vring_used_elem *e =
				&vq->used->ring[vq->last_used & vq->mask];
			struct vfn_mbuf *first = vq->cookie[(uint16_t)e->id];

			nbufs = virtio_rx_nbufs(vq, first); /* 0: dropped below */
			if (unlikely(nbufs > avail))
				break; /* rest not written yet */
		}
		m = rx_take(vq, vq->last_used++, &len);
		avail--;
		if (unlikely(len < VIRTIO_NET_HDR_LEN || !nbufs)) {
			vfn_eth_qstats_add_errors(&rxq->stats, 1);
			vfn_pktmbuf_free(m);
			for (i = 1; i < nbufs; i++, avail--)
				vfn_pktmbuf_free(rx_take(vq, vq->last_used++, &len));
			continue;
		}
		virtio_rx_head(m, len, rxq->port_id);
		prev = m;
		for (i = 1; i < nbufs; i++, avail--) {
			struct vfn_mbuf *seg = rx_take(vq, vq->last_used++, &len);

			virtio_rx_chain(m, prev, seg, len);
			prev = seg;
		}
		bytes += m->pkt_len;
		pkts[nb_rx++] = m;
	}
	if (nb_rx)
		vfn_eth_qstats_add(&rxq->stats, nb_rx, bytes);

	if (vq->nb_free >= VIRTIO_NET_BURST) {
		if (rx_post(rxq, vq->nb_free))
			vq_publish(vq);
	}
	return nb_rx;
}

int virtio_txq_alloc(struct virtio_net_adapter *ad, uint16_t q,
		     uint16_t nb_desc, int socket, struct virtio_tx_queue **out)
{
	struct virtio_tx_queue *txq;
	int ret;

	ret = check_nb_desc(nb_desc, ad->tx_max, "tx");
	if (ret)
		return ret;
	txq = vfn_zmalloc_socket("virtio_txq", sizeof(*txq), 0, socket);
	if (!txq)
		return -ENOMEM;
	txq->vq = virtqueue_alloc(2 * q + 1, nb_desc, socket,
				  virtio_with_feature(&ad->vp, VIRTIO_F_RING_PACKED));
	txq->hdrs = vfn_zmalloc_socket("virtio_tx_hdrs",
				       nb_desc * sizeof(struct virtio_net_hdr),
				       0, socket);
	if (!txq->vq || !txq->hdrs) {
		virtio_txq_free(txq);
		return -ENOMEM;
	}
	txq->hdrs_iova = vfn_mem_virt2iova(txq->hdrs);
	if (txq->hdrs_iova == VFN_BAD_IOVA) {
		virtio_txq_free(txq);
		return -EFAULT;
	}
	txq->queue_id = q;
	txq->port_id = ad->port_id;
	txq->nb_desc = nb_desc;
	txq->socket = socket;
	*out = txq;
	return 0;
}

void virtio_txq_drain(struct virtio_tx_queue *txq)
{
	struct virtqueue *vq = txq->vq;
	uint16_t i;

	for (i = 0; i < vq->size; i++) {
		if (vq->cookie[i]) {
			vfn_pktmbuf_free(vq->cookie[i]);
			vq->cookie[i] = NULL;
		}
	}
	virtqueue_reset(vq);
}

void virtio_txq_free(struct virtio_tx_queue *txq)
{
	if (!txq)
		return;
	if (txq->vq) {
		virtio_txq_drain(txq);
		virtqueue_free(txq->vq);
	}
	vfn_free(txq->hdrs);
	vfn_free(txq);
}

/* Reclaim every used chain: return its descriptors, free its mbuf. */
static void tx_reclaim(struct virtqueue *vq)
{
	struct vfn_mbuf *done[VIRTIO_NET_BURST];
	uint16_t used = vq_used_count(vq), nb = 0;

	while (used--) {
		volatile struct vring_used_elem *e =
			&vq->used->ring[vq->last_used++ & vq->mask];
		uint16_t id = (uint16_t)e->id, k = vq->ndescs[id];

		if (vq->cookie[id]) {
			done[nb++] = vq->cookie[id];
			vq->cookie[id] = NULL;
		}
		while (k--) {
			uint16_t next = vq->desc[id].next;

			vq_push_free(vq, id);
			id = next;
		}
		if (nb == VIRTIO_NET_BURST) {
			vfn_pktmbuf_free_bulk(done, nb);
			nb = 0;
		}
	}
	if (nb)
		vfn_pktmbuf_free_bulk(done, nb);
}

uint16_t virtio_xmit_pkts(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct virtio_tx_queue *txq = queue;
	struct virtqueue *vq = txq->vq;
	uint16_t nb_tx;
	uint64_t bytes = 0;

	if (vq->nb_free < n + VIRTIO_NET_BURST)
		tx_reclaim(vq);

	for (nb_tx = 0; nb_tx < n; nb_tx++) {
		struct vfn_mbuf *m = pkts[nb_tx], *seg;
		uint16_t head, id, prev;

		if (virtio_tx_can_push_hdr(m)) {
			if (unlikely(vq->nb_free < 1))
				break;
			head = vq_pop_free(vq);
			vq->desc[head].addr = virtio_tx_push_hdr(m);
			vq->desc[head].len = m->data_len + VIRTIO_NET_HDR_LEN;
			vq->desc[head].flags = 0;
			vq->ndescs[head] = 1;
		} else {
			if (unlikely(vq->nb_free < m->nb_segs + 1))
				break;
			head = vq_pop_free(vq);
			memset(&txq->hdrs[head], 0, sizeof(txq->hdrs[head]));
			vq->desc[head].addr = txq->hdrs_iova +
				(uint64_t)head * sizeof(struct virtio_net_hdr);
			vq->desc[head].len = VIRTIO_NET_HDR_LEN;
			prev = head;
			for (seg = m; seg; seg = seg->next) {
				id = vq_pop_free(vq);
				vq->desc[prev].flags = VRING_DESC_F_NEXT;
				vq->desc[prev].next = id;
				vq->desc[id].addr = vfn_pktmbuf_iova(seg);
				vq->desc[id].len = seg->data_len;
				vq->desc[id].flags = 0;
				prev = id;
			}
			vq->ndescs[head] = m->nb_segs + 1;
		}
		vq->cookie[head] = m;
		vq->avail->ring[vq->avail_idx & vq->mask] = head;
		vq->avail_idx++;
		bytes += m->pkt_len;
	}
	if (likely(nb_tx)) {
		vfn_eth_qstats_add(&txq->stats, nb_tx, bytes);
		vq_publish(vq);
	}
	return nb_tx;
}
