/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000e queues and the burst functions.
 *
 * Rx: extended descriptors (datasheet 7.1.5), one mbuf per descriptor,
 * frames up to 2048 bytes in one buffer.  Done descriptors are handed to
 * the application at once; their slots are refilled in bursts of
 * E1000E_RX_FREE_THRESH with one bulk mbuf allocation and one RDT write.
 *
 * Tx: legacy descriptors (datasheet 7.2.10.1), one per segment (two when
 * it crosses a 4 KiB page, see e1000e_xmit_pkts()), EOP on the last; RS on every E1000E_TX_RS_THRESH-th ring slot, so reclaiming checks
 * one DD bit per E1000E_TX_RS_THRESH descriptors; one TDT write per burst.
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "e1000e.h"

static int check_nb_desc(uint16_t nb_desc, const char *what)
{
	if (nb_desc < 64 || nb_desc > E1000_MAX_RING_DESCS ||
	    !vfn_is_power_of_2(nb_desc)) {
		E1000E_LOG(ERR, "%s ring of %u descriptors: use a power of two from 64 to %u",
			   what, nb_desc, E1000_MAX_RING_DESCS);
		return -EINVAL;
	}
	return 0;
}

int e1000e_rxq_alloc(struct e1000e_adapter *ad, uint16_t q, uint16_t nb_desc,
		     int socket, struct vfn_mempool *mp,
		     struct e1000e_rx_queue **out)
{
	struct e1000e_rx_queue *rxq;
	size_t ring_size;
	int ret;

	ret = check_nb_desc(nb_desc, "rx");
	if (ret)
		return ret;
	if (!mp) {
		E1000E_LOG(ERR, "%s rx queue %u: no mempool given", ad->pci->name, q);
		return -EINVAL;
	}
	if (vfn_pktmbuf_data_room_size(mp) <
	    VFN_PKTMBUF_HEADROOM + E1000E_RX_BUF_SIZE) {
		E1000E_LOG(ERR, "%s rx queue %u: mbuf data room %u too small, need %u "
			   "(headroom + 2048)", ad->pci->name, q,
			   vfn_pktmbuf_data_room_size(mp),
			   VFN_PKTMBUF_HEADROOM + E1000E_RX_BUF_SIZE);
		return -ENOBUFS;
	}
	if (vfn_mempool_avail_count(mp) < nb_desc) {
		E1000E_LOG(ERR, "%s rx queue %u: mempool has %u free mbufs, the ring needs %u",
			   ad->pci->name, q, vfn_mempool_avail_count(mp), nb_desc);
		return -ENOBUFS;
	}

	rxq = vfn_zmalloc_socket("e1000e_rxq", sizeof(*rxq), 0, socket);
	if (!rxq)
		return -ENOMEM;
	ring_size = (size_t)nb_desc * sizeof(union e1000_rx_desc_ext);
	rxq->ring = vfn_zmalloc_socket("e1000e_rx_ring", ring_size,
				       E1000_RING_ALIGN, socket);
	rxq->sw_ring = vfn_zmalloc_socket("e1000e_rx_sw", nb_desc *
					  sizeof(struct vfn_mbuf *), 0, socket);
	if (!rxq->ring || !rxq->sw_ring) {
		ret = -ENOMEM;
		goto err;
	}
	rxq->ring_iova = vfn_mem_virt2iova((const void *)rxq->ring);
	if (rxq->ring_iova == VFN_BAD_IOVA) {
		E1000E_LOG(ERR, "%s rx queue %u: ring memory has no IOVA", ad->pci->name, q);
		ret = -EFAULT;
		goto err;
	}
	rxq->mp = mp;
	rxq->nb_desc = nb_desc;
	rxq->mask = nb_desc - 1;
	rxq->queue_id = q;
	rxq->port_id = ad->port_id;
	rxq->socket = socket;
	rxq->rdt_reg = ad->hw_addr + E1000_RDT(q);
	*out = rxq;
	return 0;
err:
	e1000e_rxq_free(rxq);
	return ret;
}

/* Give every slot an mbuf; the ring is then full but for one slot. */
int e1000e_rxq_fill(struct e1000e_rx_queue *rxq)
{
	uint16_t i;

	if (vfn_pktmbuf_alloc_bulk(rxq->mp, rxq->sw_ring, rxq->nb_desc)) {
		E1000E_LOG(ERR, "rx queue %u: cannot allocate %u mbufs to fill the ring",
			   rxq->queue_id, rxq->nb_desc);
		memset(rxq->sw_ring, 0, rxq->nb_desc * sizeof(*rxq->sw_ring));
		return -ENOMEM;
	}
	for (i = 0; i < rxq->nb_desc; i++) {
		struct vfn_mbuf *m = rxq->sw_ring[i];

		rxq->ring[i].read.buffer_addr = m->buf_iova + VFN_PKTMBUF_HEADROOM;
		rxq->ring[i].read.reserved = 0;
	}
	rxq->next = 0;
	rxq->nb_hold = 0;
	rxq->discard = 0;
	return 0;
}

/* Free the mbufs the ring holds (device stopped). */
void e1000e_rxq_drain(struct e1000e_rx_queue *rxq)
{
	uint16_t i;

	for (i = 0; i < rxq->nb_desc; i++) {
		if (rxq->sw_ring[i]) {
			vfn_pktmbuf_free(rxq->sw_ring[i]);
			rxq->sw_ring[i] = NULL;
		}
	}
	memset((void *)rxq->ring, 0, rxq->nb_desc * sizeof(*rxq->ring));
}

void e1000e_rxq_free(struct e1000e_rx_queue *rxq)
{
	if (!rxq)
		return;
	if (rxq->sw_ring)
		e1000e_rxq_drain(rxq);
	vfn_free((void *)rxq->ring);
	vfn_free(rxq->sw_ring);
	vfn_free(rxq);
}

/*
 * Refill the nb_hold slots before rxq->next and hand them back with one
 * tail write (datasheet 7.1.8: RDT points one past the last valid
 * descriptor).  On allocation failure nothing changes; the next burst
 * retries.
 */
static void rx_refill(struct e1000e_rx_queue *rxq)
{
	struct vfn_mbuf *mbufs[E1000E_RX_FREE_THRESH * 2];
	uint16_t n = rxq->nb_hold, i, idx;

	if (n > sizeof(mbufs) / sizeof(mbufs[0]))
		n = sizeof(mbufs) / sizeof(mbufs[0]);
	if (unlikely(vfn_pktmbuf_alloc_bulk(rxq->mp, mbufs, n))) {
		vfn_eth_qstats_add_nombuf(&rxq->stats, n);
		return;
	}
	idx = (uint16_t)(rxq->next - rxq->nb_hold) & rxq->mask;
	for (i = 0; i < n; i++) {
		rxq->sw_ring[idx] = mbufs[i];
		rxq->ring[idx].read.buffer_addr =
			mbufs[i]->buf_iova + VFN_PKTMBUF_HEADROOM;
		rxq->ring[idx].read.reserved = 0;
		idx = (idx + 1) & rxq->mask;
	}
	rxq->nb_hold -= n;
	/* Descriptor writes must be visible before the device sees the tail. */
	vfn_io_wmb();
	vfn_write32((uint32_t)((idx - 1) & rxq->mask), rxq->rdt_reg);
}

uint16_t e1000e_recv_pkts(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct e1000e_rx_queue *rxq = queue;
	volatile union e1000_rx_desc_ext *ring = rxq->ring;
	uint16_t idx = rxq->next, nb_rx = 0, seen = 0;
	uint64_t bytes = 0;

	while (nb_rx < n) {
		volatile union e1000_rx_desc_ext *d = &ring[idx];
		uint32_t st = d->wb.status_error;
		struct vfn_mbuf *m;
		uint16_t len;

		if (!(st & E1000_RXD_STAT_DD))
			break;
		/* Read the rest of the descriptor only after DD (acquire). */
		vfn_io_rmb();
		len = d->wb.length;
		m = rxq->sw_ring[idx];
		rxq->sw_ring[idx] = NULL;
		idx = (idx + 1) & rxq->mask;
		seen++;
		vfn_prefetch0((const char *)m->buf_addr + VFN_PKTMBUF_HEADROOM);

		if (unlikely(!(st & E1000_RXD_STAT_EOP) || rxq->discard ||
				 (st & E1000_RXDEXT_ERR_FRAME))) {
			/* Frame spans buffers or has errors: drop all of it. */
			rxq->discard = !(st & E1000_RXD_STAT_EOP);
			vfn_eth_qstats_add_errors(&rxq->stats, 1);
			vfn_pktmbuf_free(m);
			continue;
		}
		m->data_off = VFN_PKTMBUF_HEADROOM;
		m->data_len = len;
		m->pkt_len = len;
		m->nb_segs = 1;
		m->next = NULL;
		m->port = rxq->port_id;
		m->packet_type = 0;
		if (rxq->rss) {
			m->hash.rss = d->wb.rss;
			m->ol_flags = VFN_MBUF_F_RX_RSS_HASH;
		} else {
			m->ol_flags = 0;
		}
		bytes += len;
		pkts[nb_rx++] = m;
	}
	rxq->next = idx;
	rxq->nb_hold += seen;
	if (nb_rx)
		vfn_eth_qstats_add(&rxq->stats, nb_rx, bytes);
	if (rxq->nb_hold >= E1000E_RX_FREE_THRESH)
		rx_refill(rxq);
	return nb_rx;
}

int e1000e_txq_alloc(struct e1000e_adapter *ad, uint16_t q, uint16_t nb_desc,
		     int socket, struct e1000e_tx_queue **out)
{
	struct e1000e_tx_queue *txq;
	size_t ring_size;
	int ret;

	ret = check_nb_desc(nb_desc, "tx");
	if (ret)
		return ret;
	txq = vfn_zmalloc_socket("e1000e_txq", sizeof(*txq), 0, socket);
	if (!txq)
		return -ENOMEM;
	ring_size = (size_t)nb_desc * sizeof(struct e1000_tx_desc);
	txq->ring = vfn_zmalloc_socket("e1000e_tx_ring", ring_size,
				       E1000_RING_ALIGN, socket);
	txq->sw_ring = vfn_zmalloc_socket("e1000e_tx_sw", nb_desc *
					  sizeof(struct vfn_mbuf *), 0, socket);
	if (!txq->ring || !txq->sw_ring) {
		ret = -ENOMEM;
		goto err;
	}
	txq->ring_iova = vfn_mem_virt2iova((const void *)txq->ring);
	if (txq->ring_iova == VFN_BAD_IOVA) {
		E1000E_LOG(ERR, "%s tx queue %u: ring memory has no IOVA", ad->pci->name, q);
		ret = -EFAULT;
		goto err;
	}
	txq->nb_desc = nb_desc;
	txq->mask = nb_desc - 1;
	txq->queue_id = q;
	txq->port_id = ad->port_id;
	txq->socket = socket;
	txq->tdt_reg = ad->hw_addr + E1000_TDT(q);
	e1000e_txq_reset(txq);
	*out = txq;
	return 0;
err:
	e1000e_txq_free(txq);
	return ret;
}

void e1000e_txq_reset(struct e1000e_tx_queue *txq)
{
	memset((void *)txq->ring, 0, txq->nb_desc * sizeof(*txq->ring));
	txq->tail = 0;
	txq->next_clean = 0;
	/* One slot stays empty: TDT == TDH means "nothing to send". */
	txq->nb_free = txq->nb_desc - 1;
}

void e1000e_txq_drain(struct e1000e_tx_queue *txq)
{
	uint16_t i;

	for (i = 0; i < txq->nb_desc; i++) {
		if (txq->sw_ring[i]) {
			vfn_pktmbuf_free(txq->sw_ring[i]);
			txq->sw_ring[i] = NULL;
		}
	}
	e1000e_txq_reset(txq);
}

void e1000e_txq_free(struct e1000e_tx_queue *txq)
{
	if (!txq)
		return;
	if (txq->sw_ring)
		e1000e_txq_drain(txq);
	vfn_free((void *)txq->ring);
	vfn_free(txq->sw_ring);
	vfn_free(txq);
}

/*
 * Reclaim one stride of E1000E_TX_RS_THRESH descriptors if the hardware
 * wrote DD back in its last one (the one with RS).  Returns 1 if it did.
 *
 * Only a stride wholly behind the tail was written in this lap: the slot
 * at or past the tail still holds the previous lap's write-back, DD
 * included, and trusting it would free frames the device has not sent.
 * The DD bit is also cleared once the stride is reclaimed.
 */
static int tx_reclaim(struct e1000e_tx_queue *txq)
{
	struct vfn_mbuf *done[E1000E_TX_RS_THRESH];
	uint16_t last = (txq->next_clean + E1000E_TX_RS_THRESH - 1) & txq->mask;
	uint16_t in_flight = (txq->tail - txq->next_clean) & txq->mask;
	uint16_t i, idx, nb = 0;

	if (in_flight < E1000E_TX_RS_THRESH ||
	    !(txq->ring[last].status & E1000_TXD_STAT_DD))
		return 0;
	/* Read the software ring only after DD (acquire). */
	vfn_io_rmb();
	txq->ring[last].status = 0;
	idx = txq->next_clean;
	for (i = 0; i < E1000E_TX_RS_THRESH; i++) {
		if (txq->sw_ring[idx]) {
			done[nb++] = txq->sw_ring[idx];
			txq->sw_ring[idx] = NULL;
		}
		idx = (idx + 1) & txq->mask;
	}
	if (nb)
		vfn_pktmbuf_free_bulk(done, nb);
	txq->next_clean = idx;
	txq->nb_free += E1000E_TX_RS_THRESH;
	return 1;
}

uint16_t e1000e_xmit_pkts(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct e1000e_tx_queue *txq = queue;
	volatile struct e1000_tx_desc *ring = txq->ring;
	uint16_t idx = txq->tail, nb_tx;
	uint64_t bytes = 0;

	/* Free strides until a burst fits (or nothing more is done). */
	while (txq->nb_free < n + E1000E_TX_RS_THRESH && tx_reclaim(txq))
		;

	for (nb_tx = 0; nb_tx < n; nb_tx++) {
		struct vfn_mbuf *m = pkts[nb_tx], *seg;
		uint32_t need = 0;
		uint16_t used = 0;

		/* Descriptors: one per 4 KiB page each segment touches. */
		for (seg = m; seg; seg = seg->next)
			need += seg->data_len ? (uint32_t)(((vfn_pktmbuf_iova(seg) &
					0xfff) + seg->data_len + 0xfff) >> 12) : 1;
		if (unlikely(need > txq->nb_free))
			break;
		for (seg = m; seg; seg = seg->next) {
			uint64_t iova = vfn_pktmbuf_iova(seg);
			uint32_t left = seg->data_len;

			do {
				volatile struct e1000_tx_desc *d = &ring[idx];
				uint32_t chunk = left;
				uint8_t cmd = E1000_TXD_CMD_IFCS;

				/*
				 * QEMU maps each descriptor's buffer through
				 * the IOMMU in one piece and drops the frame
				 * when the buffer crosses an IOMMU page; split
				 * at 4 KiB boundaries (free on real hardware).
				 */
				if (unlikely(((iova & 0xfff) + chunk) > 0x1000))
					chunk = 0x1000 - (uint32_t)(iova & 0xfff);
				left -= chunk;
				if (!left && !seg->next) {
					cmd |= E1000_TXD_CMD_EOP;
					txq->sw_ring[idx] = m;
				} else {
					txq->sw_ring[idx] = NULL;
				}
				if (((idx + 1) & (E1000E_TX_RS_THRESH - 1)) == 0)
					cmd |= E1000_TXD_CMD_RS;
				d->buffer_addr = iova;
				d->length = (uint16_t)chunk;
				d->cso = 0;
				d->cmd = cmd;
				d->status = 0;
				d->css = 0;
				d->special = 0;
				iova += chunk;
				idx = (idx + 1) & txq->mask;
				used++;
			} while (left);
		}
		txq->nb_free -= used;
		bytes += m->pkt_len;
	}
	if (likely(nb_tx)) {
		txq->tail = idx;
		vfn_eth_qstats_add(&txq->stats, nb_tx, bytes);
		/* Descriptors visible before the doorbell (release). */
		vfn_io_wmb();
		vfn_write32(idx, txq->tdt_reg);
	}
	return nb_tx;
}
