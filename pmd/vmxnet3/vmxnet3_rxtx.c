/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmxnet3 queues and the burst functions.
 *
 * Ownership of a ring slot is a generation bit (vmxnet3_defs.h): both
 * sides start at generation 1 and flip theirs each time they wrap.  The
 * device takes a command-ring descriptor whose gen equals its own; the
 * driver takes a completion descriptor whose gen equals its own.
 *
 * Rx: ring 0 holds one head buffer per frame (maxNumRxSG = 1); ring 1
 * is registered with no buffers.  The device writes one completion per
 * buffer it fills, in ring order.  Consumed slots are refilled in bursts
 * of at least VMXNET3_RX_FREE_THRESH with one bulk mbuf allocation (and
 * one RXPROD doorbell when the device asks for them, updateRxProd).
 *
 * Tx: one descriptor per segment, split at 4 KiB boundaries (QEMU maps
 * each buffer through the IOMMU in one piece and drops a frame whose
 * buffer crosses an IOMMU page, as for net_e1000_em); EOP and CQ on the
 * last.  The first descriptor of a frame gets its valid gen last, so the
 * device never sees half a frame.  One TXPROD doorbell per burst.  The
 * device writes one completion per frame naming its EOP descriptor.
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vmxnet3.h"

/* Most descriptors one non-TSO frame may use (VMXNET3_MAX_TXD_PER_PKT). */
#define VMXNET3_MAX_TXD_PER_PKT 16

static int check_nb_desc(uint16_t nb_desc, const char *what)
{
	if (nb_desc < 64 || nb_desc > VMXNET3_RX_RING_MAX_SIZE ||
	    !vfn_is_power_of_2(nb_desc)) {
		VMXNET3_LOG(ERR, "%s ring of %u descriptors: use a power of two "
			    "from 64 to %u", what, nb_desc,
			    VMXNET3_RX_RING_MAX_SIZE);
		return -EINVAL;
	}
	return 0;
}

/* A ring the device reads by IOVA: zeroed, 512-byte aligned. */
static void *ring_alloc(const char *name, size_t len, int socket,
			uint64_t *iova)
{
	void *p = vfn_zmalloc_socket(name, len, VMXNET3_RING_BA_ALIGN, socket);

	if (!p)
		return NULL;
	*iova = vfn_mem_virt2iova(p);
	if (*iova == VFN_BAD_IOVA) {
		VMXNET3_LOG(ERR, "%s memory has no IOVA", name);
		vfn_free(p);
		return NULL;
	}
	return p;
}

int vmxnet3_rxq_alloc(struct vmxnet3_adapter *ad, uint16_t q, uint16_t nb_desc,
		      int socket, struct vfn_mempool *mp,
		      struct vmxnet3_rx_queue **out)
{
	struct vmxnet3_rx_queue *rxq;
	uint32_t room;
	int ret;

	ret = check_nb_desc(nb_desc, "rx");
	if (ret)
		return ret;
	if (!mp) {
		VMXNET3_LOG(ERR, "%s rx queue %u: no mempool given", ad->pci->name, q);
		return -EINVAL;
	}
	room = vfn_pktmbuf_data_room_size(mp);
	if (room < VFN_PKTMBUF_HEADROOM + VMXNET3_MAX_FRAME) {
		VMXNET3_LOG(ERR, "%s rx queue %u: mbuf data room %u too small, need "
			    "%u (headroom + %u: one buffer per frame)", ad->pci->name,
			    q, room, VFN_PKTMBUF_HEADROOM + VMXNET3_MAX_FRAME,
			    VMXNET3_MAX_FRAME);
		return -ENOBUFS;
	}
	if (vfn_mempool_avail_count(mp) < nb_desc) {
		VMXNET3_LOG(ERR, "%s rx queue %u: mempool has %u free mbufs, the ring "
			    "needs %u", ad->pci->name, q,
			    vfn_mempool_avail_count(mp), nb_desc);
		return -ENOBUFS;
	}
	rxq = vfn_zmalloc_socket("vmxnet3_rxq", sizeof(*rxq), 0, socket);
	if (!rxq)
		return -ENOMEM;
	rxq->nb_desc = nb_desc;
	rxq->comp_size = nb_desc + VMXNET3_RX_RING1_SIZE;
	rxq->ring = ring_alloc("vmxnet3_rx_ring", nb_desc * sizeof(*rxq->ring),
			       socket, &rxq->ring_iova);
	rxq->ring1 = ring_alloc("vmxnet3_rx_ring1", VMXNET3_RX_RING1_SIZE *
				sizeof(*rxq->ring1), socket, &rxq->ring1_iova);
	rxq->comp = ring_alloc("vmxnet3_rx_comp", rxq->comp_size *
			       sizeof(*rxq->comp), socket, &rxq->comp_iova);
	rxq->sw_ring = vfn_zmalloc_socket("vmxnet3_rx_sw", nb_desc *
					  sizeof(struct vfn_mbuf *), 0, socket);
	if (!rxq->ring || !rxq->ring1 || !rxq->comp || !rxq->sw_ring) {
		vmxnet3_rxq_free(rxq);
		return -ENOMEM;
	}
	rxq->mp = mp;
	rxq->buf_len = (uint16_t)(room - VFN_PKTMBUF_HEADROOM > VMXNET3_MAX_RX_BUF_SIZE ?
				  VMXNET3_MAX_RX_BUF_SIZE : room - VFN_PKTMBUF_HEADROOM);
	rxq->queue_id = q;
	rxq->port_id = ad->port_id;
	rxq->socket = socket;
	rxq->prod_reg = ad->bar0 + VMXNET3_REG_RXPROD(q);
	*out = rxq;
	return 0;
}

void vmxnet3_rxq_drain(struct vmxnet3_rx_queue *rxq)
{
	uint16_t i;

	for (i = 0; i < rxq->nb_desc; i++) {
		if (rxq->sw_ring[i]) {
			vfn_pktmbuf_free(rxq->sw_ring[i]);
			rxq->sw_ring[i] = NULL;
		}
	}
}

void vmxnet3_rxq_free(struct vmxnet3_rx_queue *rxq)
{
	if (!rxq)
		return;
	if (rxq->sw_ring)
		vmxnet3_rxq_drain(rxq);
	vfn_free((void *)rxq->ring);
	vfn_free((void *)rxq->ring1);
	vfn_free((void *)rxq->comp);
	vfn_free(rxq->sw_ring);
	vfn_free(rxq);
}

/*
 * Give the device buffers for up to @p max of the nb_hold empty slots
 * from rxq->fill on.  Addresses first, then (after a write barrier) the
 * words carrying the generation bit, so the device never takes a slot
 * whose address is not written yet.  0, or -ENOMEM with nothing changed.
 */
static int rx_refill(struct vmxnet3_rx_queue *rxq, uint16_t max)
{
	struct vfn_mbuf *mbufs[VMXNET3_RX_FREE_THRESH * 2];
	uint16_t n = rxq->nb_hold, mask = rxq->nb_desc - 1, i, idx;
	uint32_t gen = rxq->fill_gen;

	if (n > max)
		n = max;
	if (n > sizeof(mbufs) / sizeof(mbufs[0]))
		n = sizeof(mbufs) / sizeof(mbufs[0]);
	if (unlikely(vfn_pktmbuf_alloc_bulk(rxq->mp, mbufs, n))) {
		vfn_eth_qstats_add_nombuf(&rxq->stats, n);
		return -ENOMEM;
	}
	idx = rxq->fill;
	for (i = 0; i < n; i++) {
		rxq->sw_ring[idx] = mbufs[i];
		rxq->ring[idx].addr = mbufs[i]->buf_iova + VFN_PKTMBUF_HEADROOM;
		idx = (idx + 1) & mask;
	}
	vfn_io_wmb();
	idx = rxq->fill;
	for (i = 0; i < n; i++) {
		/* Head buffer (btype 0), its length, the current lap's gen. */
		rxq->ring[idx].dw2 = rxq->buf_len | (gen ? VMXNET3_RXD_GEN : 0);
		idx = (idx + 1) & mask;
		if (idx == 0)
			gen ^= 1;
	}
	rxq->fill = idx;
	rxq->fill_gen = (uint8_t)gen;
	rxq->nb_hold -= n;
	if (rxq->shared->update_rx_prod) {
		vfn_io_wmb();
		vfn_write32(idx, rxq->prod_reg);
	}
	return 0;
}

/* Post a buffer in every empty slot (start, deferred queue start). */
int vmxnet3_rxq_post(struct vmxnet3_rx_queue *rxq)
{
	while (rxq->nb_hold)
		if (rx_refill(rxq, rxq->nb_hold)) {
			VMXNET3_LOG(ERR, "rx queue %u: cannot allocate mbufs to fill "
				    "the ring (%u slots left)", rxq->queue_id,
				    rxq->nb_hold);
			return -ENOMEM;
		}
	return 0;
}

/*
 * Rings back to their initial state (device reset): every slot empty,
 * both sides at generation 1, then buffers posted unless the queue waits
 * for vfn_eth_dev_rx_queue_start().
 */
int vmxnet3_rxq_init(struct vmxnet3_rx_queue *rxq, int post_buffers)
{
	vmxnet3_rxq_drain(rxq);
	memset((void *)rxq->ring, 0, rxq->nb_desc * sizeof(*rxq->ring));
	memset((void *)rxq->ring1, 0, VMXNET3_RX_RING1_SIZE * sizeof(*rxq->ring1));
	memset((void *)rxq->comp, 0, rxq->comp_size * sizeof(*rxq->comp));
	rxq->fill = 0;
	rxq->fill_gen = 1;
	rxq->nb_hold = rxq->nb_desc;
	rxq->comp_next = 0;
	rxq->comp_gen = 1;
	rxq->discard = 0;
	rxq->stopped = !post_buffers;
	if (!post_buffers)
		return 0;
	return vmxnet3_rxq_post(rxq);
}

/*
 * The next completion of this lap, or NULL.  Its other words are read
 * only after its gen (acquire).
 */
static inline volatile struct vmxnet3_rx_comp_desc *
rx_next_comp(struct vmxnet3_rx_queue *rxq)
{
	volatile struct vmxnet3_rx_comp_desc *c = &rxq->comp[rxq->comp_next];

	if ((c->dw3 >> 31) != rxq->comp_gen)
		return NULL;
	vfn_io_rmb();
	if (++rxq->comp_next == rxq->comp_size) {
		rxq->comp_next = 0;
		rxq->comp_gen ^= 1;
	}
	return c;
}

/*
 * Take the mbuf of the ring 0 slot a completion names, or NULL when the
 * completion is not for this queue's ring 0 (ring 1 has no buffers, so
 * that would be a device error).
 */
static inline struct vfn_mbuf *rx_take(struct vmxnet3_rx_queue *rxq,
				       uint32_t dw0)
{
	uint16_t idx = dw0 & VMXNET3_RCD_RXIDX_MASK;
	struct vfn_mbuf *m;

	if (unlikely(((dw0 >> VMXNET3_RCD_RQID_SHIFT) & VMXNET3_RCD_RQID_MASK) !=
		     rxq->queue_id || idx >= rxq->nb_desc))
		return NULL;
	m = rxq->sw_ring[idx];
	rxq->sw_ring[idx] = NULL;
	if (m)
		rxq->nb_hold++;
	return m;
}

/*
 * Drop whatever the device completed while the queue was stopped and
 * give the slots back (vfn_eth_dev_rx_queue_start() of a stopped queue).
 */
void vmxnet3_rxq_flush(struct vmxnet3_rx_queue *rxq)
{
	volatile struct vmxnet3_rx_comp_desc *c;
	struct vfn_mbuf *m;

	while ((c = rx_next_comp(rxq)) != NULL) {
		m = rx_take(rxq, c->dw0);
		if (m)
			vfn_pktmbuf_free(m);
	}
	rxq->discard = 0;
}

uint16_t vmxnet3_recv_pkts(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct vmxnet3_rx_queue *rxq = queue;
	volatile struct vmxnet3_rx_comp_desc *c;
	uint16_t nb_rx = 0;
	uint64_t bytes = 0, errors = 0;

	while (nb_rx < n && (c = rx_next_comp(rxq)) != NULL) {
		uint32_t dw0 = c->dw0, dw2 = c->dw2;
		struct vfn_mbuf *m = rx_take(rxq, dw0);
		uint16_t len;

		if (unlikely(!m)) {
			errors++;
			continue;
		}
		vfn_prefetch0((const char *)m->buf_addr + VFN_PKTMBUF_HEADROOM);
		if (unlikely(!(dw0 & VMXNET3_RCD_SOP) || !(dw0 & VMXNET3_RCD_EOP) ||
			     rxq->discard || (dw2 & VMXNET3_RCD_ERR))) {
			/* Longer than a buffer, or an error: drop all of it. */
			rxq->discard = !(dw0 & VMXNET3_RCD_EOP);
			errors++;
			vfn_pktmbuf_free(m);
			continue;
		}
		len = dw2 & VMXNET3_RCD_LEN_MASK;
		m->data_off = VFN_PKTMBUF_HEADROOM;
		m->data_len = len;
		m->pkt_len = len;
		m->nb_segs = 1;
		m->next = NULL;
		m->port = rxq->port_id;
		m->packet_type = 0;
		if (rxq->rss && ((dw0 >> VMXNET3_RCD_RSSTYPE_SHIFT) &
				 VMXNET3_RCD_RSSTYPE_MASK)) {
			m->hash.rss = c->rss_hash;
			m->ol_flags = VFN_MBUF_F_RX_RSS_HASH;
		} else {
			m->ol_flags = 0;
		}
		bytes += len;
		pkts[nb_rx++] = m;
	}
	if (nb_rx)
		vfn_eth_qstats_add(&rxq->stats, nb_rx, bytes);
	if (unlikely(errors))
		vfn_eth_qstats_add_errors(&rxq->stats, errors);
	if (rxq->nb_hold >= VMXNET3_RX_FREE_THRESH)
		rx_refill(rxq, rxq->nb_hold);
	return nb_rx;
}

int vmxnet3_txq_alloc(struct vmxnet3_adapter *ad, uint16_t q, uint16_t nb_desc,
		      int socket, struct vmxnet3_tx_queue **out)
{
	struct vmxnet3_tx_queue *txq;
	int ret;

	ret = check_nb_desc(nb_desc, "tx");
	if (ret)
		return ret;
	txq = vfn_zmalloc_socket("vmxnet3_txq", sizeof(*txq), 0, socket);
	if (!txq)
		return -ENOMEM;
	txq->nb_desc = nb_desc;
	txq->ring = ring_alloc("vmxnet3_tx_ring", nb_desc * sizeof(*txq->ring),
			       socket, &txq->ring_iova);
	txq->comp = ring_alloc("vmxnet3_tx_comp", nb_desc * sizeof(*txq->comp),
			       socket, &txq->comp_iova);
	/* The data ring (small frames copied in) is part of the interface;
	 * this driver never uses it, the device gets one anyway. */
	txq->data_ring = ring_alloc("vmxnet3_tx_data", (size_t)nb_desc *
				    VMXNET3_HDR_COPY_SIZE, socket, &txq->data_iova);
	txq->sw_ring = vfn_zmalloc_socket("vmxnet3_tx_sw", nb_desc *
					  sizeof(struct vfn_mbuf *), 0, socket);
	if (!txq->ring || !txq->comp || !txq->data_ring || !txq->sw_ring) {
		vmxnet3_txq_free(txq);
		return -ENOMEM;
	}
	txq->queue_id = q;
	txq->port_id = ad->port_id;
	txq->socket = socket;
	txq->prod_reg = ad->bar0 + VMXNET3_REG_TXPROD(q);
	vmxnet3_txq_init(txq);
	*out = txq;
	return 0;
}

void vmxnet3_txq_drain(struct vmxnet3_tx_queue *txq)
{
	uint16_t i;

	for (i = 0; i < txq->nb_desc; i++) {
		if (txq->sw_ring[i]) {
			vfn_pktmbuf_free(txq->sw_ring[i]);
			txq->sw_ring[i] = NULL;
		}
	}
}

/* Rings back to their initial state: empty, generation 1 on both sides. */
void vmxnet3_txq_init(struct vmxnet3_tx_queue *txq)
{
	vmxnet3_txq_drain(txq);
	memset((void *)txq->ring, 0, txq->nb_desc * sizeof(*txq->ring));
	memset((void *)txq->comp, 0, txq->nb_desc * sizeof(*txq->comp));
	txq->tail = 0;
	txq->next_clean = 0;
	txq->nb_free = txq->nb_desc - 1;
	txq->comp_next = 0;
	txq->gen = 1;
	txq->comp_gen = 1;
}

void vmxnet3_txq_free(struct vmxnet3_tx_queue *txq)
{
	if (!txq)
		return;
	if (txq->sw_ring)
		vmxnet3_txq_drain(txq);
	vfn_free((void *)txq->ring);
	vfn_free((void *)txq->comp);
	vfn_free(txq->data_ring);
	vfn_free(txq->sw_ring);
	vfn_free(txq);
}

/*
 * Process up to VMXNET3_TX_FREE_BURST completions: each names the EOP
 * descriptor of a sent frame; its descriptors from next_clean on are
 * free and the frame's mbufs go back to their pool in one bulk free.
 */
static void tx_complete(struct vmxnet3_tx_queue *txq)
{
	struct vfn_mbuf *done[VMXNET3_TX_FREE_BURST];
	uint16_t mask = txq->nb_desc - 1, nb = 0;

	while (nb < VMXNET3_TX_FREE_BURST) {
		volatile struct vmxnet3_tx_comp_desc *c = &txq->comp[txq->comp_next];
		uint16_t eop;

		if ((c->dw3 >> 31) != txq->comp_gen)
			break;
		vfn_io_rmb();
		eop = c->dw0 & VMXNET3_TCD_TXIDX_MASK & mask;
		if (++txq->comp_next == txq->nb_desc) {
			txq->comp_next = 0;
			txq->comp_gen ^= 1;
		}
		if (txq->sw_ring[eop]) {
			done[nb++] = txq->sw_ring[eop];
			txq->sw_ring[eop] = NULL;
		}
		txq->nb_free += ((eop - txq->next_clean) & mask) + 1;
		txq->next_clean = (eop + 1) & mask;
	}
	if (nb)
		vfn_pktmbuf_free_bulk(done, nb);
}

/* Every completion the device has written (tx_queue_stop). */
void vmxnet3_txq_reclaim(struct vmxnet3_tx_queue *txq)
{
	uint16_t before;

	do {
		before = txq->comp_next;
		tx_complete(txq);
	} while (txq->comp_next != before);
}

/* Descriptors frame @p m needs: one per 4 KiB page each segment touches. */
static inline uint32_t tx_desc_count(const struct vfn_mbuf *m)
{
	uint32_t need = 0;

	for (; m; m = m->next)
		if (m->data_len)
			need += (uint32_t)(((vfn_pktmbuf_iova(m) & 0xfff) +
					    m->data_len + 0xfff) >> 12);
	return need;
}

/* Write frame @p m's descriptors from the tail; its SOP becomes valid last. */
static inline void tx_write(struct vmxnet3_tx_queue *txq, struct vfn_mbuf *m)
{
	volatile struct vmxnet3_tx_desc *ring = txq->ring;
	uint16_t mask = txq->nb_desc - 1, idx = txq->tail, sop = idx, last = idx;
	uint32_t sop_gen = txq->gen ? VMXNET3_TXD_GEN : 0;
	const struct vfn_mbuf *seg;

	for (seg = m; seg; seg = seg->next) {
		uint64_t iova = vfn_pktmbuf_iova(seg);
		uint32_t left = seg->data_len;

		while (left) {
			uint32_t chunk = left;

			if (((iova & 0xfff) + chunk) > 0x1000)
				chunk = 0x1000 - (uint32_t)(iova & 0xfff);
			ring[idx].addr = iova;
			ring[idx].dw3 = 0;
			/* The SOP descriptor keeps the previous lap's gen for now. */
			ring[idx].dw2 = chunk | ((txq->gen ? VMXNET3_TXD_GEN : 0) ^
						 (idx == sop ? VMXNET3_TXD_GEN : 0));
			txq->sw_ring[idx] = NULL;
			last = idx;
			iova += chunk;
			left -= chunk;
			idx = (idx + 1) & mask;
			if (idx == 0)
				txq->gen ^= 1;
		}
	}
	ring[last].dw3 = VMXNET3_TXD_EOP | VMXNET3_TXD_CQ;
	txq->sw_ring[last] = m;
	txq->tail = idx;
	vfn_io_wmb();
	ring[sop].dw2 = (ring[sop].dw2 & ~VMXNET3_TXD_GEN) | sop_gen;
}

uint16_t vmxnet3_xmit_pkts(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct vmxnet3_tx_queue *txq = queue;
	uint16_t nb_tx;
	uint64_t bytes = 0, dropped = 0;

	if (txq->nb_free < txq->nb_desc / 2)
		tx_complete(txq);
	for (nb_tx = 0; nb_tx < n; nb_tx++) {
		struct vfn_mbuf *m = pkts[nb_tx];
		uint32_t need = tx_desc_count(m);

		if (unlikely(!need || need > VMXNET3_MAX_TXD_PER_PKT)) {
			/* Empty, or more buffers than the device takes: drop. */
			vfn_pktmbuf_free(m);
			dropped++;
			continue;
		}
		if (unlikely(need > txq->nb_free)) {
			tx_complete(txq);
			if (need > txq->nb_free)
				break;
		}
		tx_write(txq, m);
		txq->nb_free -= (uint16_t)need;
		bytes += m->pkt_len;
	}
	if (likely(nb_tx)) {
		vfn_eth_qstats_add(&txq->stats, nb_tx - dropped, bytes);
		if (unlikely(dropped))
			vfn_eth_qstats_add_errors(&txq->stats, dropped);
		/* Descriptors visible before the doorbell; one per burst. */
		txq->shared->tx_num_deferred = 0;
		vfn_io_wmb();
		vfn_write32(txq->tail, txq->prod_reg);
	}
	return nb_tx;
}
