/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * The virtio-net PMD (virtio 1.1, section 5.1): device config, feature
 * bits, the per-packet header, and the adapter and queue state shared by
 * virtio_rxtx.c, virtio_ctrl.c and virtio_port.c.
 */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include <stdint.h>
#include <string.h>

#include "vfn_mbuf.h"
#include "vfn_ethdev_driver.h"
#include "virtio_pci.h"
#include "virtqueue.h"

struct vfn_mbuf;
struct vfn_mempool;

/* Network device feature bits (5.1.3). */
#define VIRTIO_NET_F_MTU        3
#define VIRTIO_NET_F_MAC        5
#define VIRTIO_NET_F_MRG_RXBUF  15
#define VIRTIO_NET_F_STATUS     16
#define VIRTIO_NET_F_CTRL_VQ    17
#define VIRTIO_NET_F_CTRL_RX    18
#define VIRTIO_NET_F_MQ         22

/* Device configuration layout (5.1.4). */
#define VIRTIO_NET_CFG_MAC      0
#define VIRTIO_NET_CFG_STATUS   6
#define VIRTIO_NET_CFG_MAX_VQP  8
#define VIRTIO_NET_CFG_MTU      10
#define VIRTIO_NET_S_LINK_UP    1

/* Per-packet header with VIRTIO_F_VERSION_1 (5.1.6): 12 bytes. */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

#define VIRTIO_NET_HDR_LEN ((uint16_t)sizeof(struct virtio_net_hdr))

/* Control virtqueue (5.1.6.5). */
#define VIRTIO_NET_CTRL_RX                0
#define VIRTIO_NET_CTRL_RX_PROMISC        0
#define VIRTIO_NET_CTRL_RX_ALLMULTI       1
#define VIRTIO_NET_CTRL_MQ                4
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET   0
#define VIRTIO_NET_OK                     0

/** Queue pairs this driver runs at most. */
#define VIRTIO_NET_MAX_QP 8
/** Rx refill and tx reclaim burst. */
#define VIRTIO_NET_BURST 32

struct virtio_rx_queue {
	struct virtqueue *vq;
	struct vfn_mempool *mp;
	uint16_t queue_id;
	uint16_t port_id;
	uint16_t nb_desc;
	uint8_t mrg_rxbuf;
	uint32_t buf_len;               /**< bytes offered per buffer (hdr + data) */
	struct vfn_eth_qstats stats;   /**< summed by the port layer */
	int socket;
} __vfn_cache_aligned;

struct virtio_tx_queue {
	struct virtqueue *vq;
	struct virtio_net_hdr *hdrs;    /**< one header per descriptor (fallback) */
	uint64_t hdrs_iova;
	uint16_t queue_id;
	uint16_t port_id;
	uint16_t nb_desc;
	struct vfn_eth_qstats stats;
	int socket;
} __vfn_cache_aligned;

struct virtio_net_adapter {
	struct virtio_pci vp;
	uint8_t mac[6];
	uint16_t port_id;
	uint16_t max_qp;                /**< queue pairs the device has */
	uint16_t nb_rxq, nb_txq;
	uint16_t rx_max, tx_max;        /**< queue size the device offers */
	uint16_t mtu;
	uint8_t promisc, allmulti;
	uint8_t started;
	uint8_t no_packed;              /**< devarg packed_vq=0 */
	uint8_t rx_scatter;             /**< rxmode asks VFN_ETH_RX_OFFLOAD_SCATTER */
	uint8_t cvq_stuck;              /**< a command timed out: reset needed */
	uint16_t cvq_timeout_ms;        /**< 0: VIRTIO_CTRL_TIMEOUT_MS */
	struct virtio_rx_queue *rxq[VIRTIO_NET_MAX_QP];
	struct virtio_tx_queue *txq[VIRTIO_NET_MAX_QP];
	uint8_t rx_deferred[VIRTIO_NET_MAX_QP]; /**< left empty by start */
	uint8_t rxq_filled[VIRTIO_NET_MAX_QP];  /**< rx ring holds buffers */
	/* Interrupts (virtio_intr.c): asked at start from port->conf. */
	uint8_t intr_rxq, intr_lsc;     /**< intr_conf.rxq / .lsc */
	uint8_t msix_on, lsc_on;
	uint16_t lsc_status;            /**< link status last reported (LSC) */
	int msix_efd[1 + VIRTIO_NET_MAX_QP]; /**< config, then rx queue q */
	struct vfn_eth_dev *port;       /**< for the link interrupt handler */
	struct virtqueue *cvq;          /**< control queue, NULL without CTRL_VQ */
	void *cvq_buf;                  /**< command buffer (DMA-able) */
	uint64_t cvq_buf_iova;
};

/*
 * The device can merge rx buffers: what rx queue set-up and the port info
 * go by (start negotiates MRG_RXBUF only when needed).
 */
static inline int virtio_net_mrg_offered(const struct virtio_net_adapter *ad)
{
	return !!(ad->vp.device_features & (1ull << VIRTIO_NET_F_MRG_RXBUF));
}

/* IOVA the device writes an rx buffer at: the header, then the frame. */
static inline uint64_t virtio_rx_buf_iova(const struct vfn_mbuf *m)
{
	return m->buf_iova + VFN_PKTMBUF_HEADROOM - VIRTIO_NET_HDR_LEN;
}

/*
 * Buffers of the mergeable frame whose first buffer is @p first:
 * num_buffers from its header (0 read as 1), or 0 when it claims more
 * than the device holds (posted and not yet taken back).  Such a frame
 * can never complete: waiting for it would stall the queue for good.
 */
static inline uint16_t virtio_rx_nbufs(const struct virtqueue *vq,
				       const struct vfn_mbuf *first)
{
	const struct virtio_net_hdr *hdr = (const struct virtio_net_hdr *)
		((const char *)first->buf_addr + VFN_PKTMBUF_HEADROOM -
		 VIRTIO_NET_HDR_LEN);
	uint16_t nbufs = hdr->num_buffers;

	if (unlikely(nbufs == 0))
		nbufs = 1;
	if (unlikely(nbufs > vq->size - vq->nb_free))
		return 0;
	return nbufs;
}

/*
 * Can the zeroed virtio-net header go in the headroom of @p m (one
 * direct, unshared segment with room), as one descriptor?
 */
static inline int virtio_tx_can_push_hdr(const struct vfn_mbuf *m)
{
	return m->nb_segs == 1 && vfn_mbuf_refcnt_read(m) == 1 &&
	       !(m->ol_flags & VFN_MBUF_F_INDIRECT) &&
	       m->data_off >= VIRTIO_NET_HDR_LEN;
}

/* Zero the header in the headroom of @p m; returns its IOVA. */
static inline uint64_t virtio_tx_push_hdr(struct vfn_mbuf *m)
{
	memset((char *)m->buf_addr + m->data_off - VIRTIO_NET_HDR_LEN, 0,
	       VIRTIO_NET_HDR_LEN);
	return vfn_pktmbuf_iova(m) - VIRTIO_NET_HDR_LEN;
}

/* First buffer of a received frame: @p len bytes written, header first. */
static inline void virtio_rx_head(struct vfn_mbuf *m, uint32_t len,
				  uint16_t port_id)
{
	m->data_off = VFN_PKTMBUF_HEADROOM;
	m->data_len = (uint16_t)(len - VIRTIO_NET_HDR_LEN);
	m->pkt_len = m->data_len;
	m->nb_segs = 1;
	m->next = NULL;
	m->port = port_id;
	m->ol_flags = 0;
	m->packet_type = 0;
}

/*
 * Chain @p seg, a later buffer of frame @p m with @p len bytes, after
 * @p prev.  Later buffers carry no header: their data starts at the
 * header spot.
 */
static inline void virtio_rx_chain(struct vfn_mbuf *m, struct vfn_mbuf *prev,
				   struct vfn_mbuf *seg, uint32_t len)
{
	seg->data_off = VFN_PKTMBUF_HEADROOM - VIRTIO_NET_HDR_LEN;
	seg->data_len = (uint16_t)len;
	seg->next = NULL;
	prev->next = seg;
	m->pkt_len += len;
	m->nb_segs++;
}

/* virtio_rxtx.c */
int virtio_rxq_alloc(struct virtio_net_adapter *ad, uint16_t q,
		     uint16_t nb_desc, int socket, struct vfn_mempool *mp,
		     struct virtio_rx_queue **out);
void virtio_rxq_free(struct virtio_rx_queue *rxq);
int virtio_rxq_fill(struct virtio_rx_queue *rxq);
void virtio_rxq_drain(struct virtio_rx_queue *rxq);
int virtio_txq_alloc(struct virtio_net_adapter *ad, uint16_t q,
		     uint16_t nb_desc, int socket, struct virtio_tx_queue **out);
void virtio_txq_free(struct virtio_tx_queue *txq);
void virtio_txq_drain(struct virtio_tx_queue *txq);
uint16_t virtio_recv_pkts(void *rxq, struct vfn_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts(void *txq, struct vfn_mbuf **pkts, uint16_t n);

/* virtio_rxtx_packed.c */
/** Post up to @p n fresh rx buffers on a packed ring; returns how many. */
uint16_t virtio_rx_post_packed(struct virtio_rx_queue *rxq, uint16_t n);
uint16_t virtio_recv_pkts_packed(void *rxq, struct vfn_mbuf **pkts, uint16_t n);
uint16_t virtio_xmit_pkts_packed(void *txq, struct vfn_mbuf **pkts, uint16_t n);

/* virtio_ctrl.c: device bring-up and the control queue. */
/** Ring layout in use: "packed" or "split". */
const char *virtio_net_ring_layout(const struct virtio_net_adapter *ad);
int virtio_net_dev_init(struct virtio_net_adapter *ad);
/**
 * Do the configured rx queues need VIRTIO_NET_F_MRG_RXBUF: scatter asked,
 * or a buffer smaller than the header and the largest frame the device's
 * MTU allows?  Start negotiates MRG_RXBUF only then.
 */
int virtio_net_rx_needs_mrg(const struct virtio_net_adapter *ad);
int virtio_net_dev_start(struct virtio_net_adapter *ad);
void virtio_net_dev_stop(struct virtio_net_adapter *ad);
int virtio_net_ctrl_rx(struct virtio_net_adapter *ad, uint8_t cmd, int on);
int virtio_net_link_up(struct virtio_net_adapter *ad);

/* virtio_intr.c: MSI-X vectors, rx and link interrupts, queue start/stop. */
/** MSI-X vector of configuration changes and of rx queue @p q. */
#define VIRTIO_NET_VEC_CONFIG 0
#define VIRTIO_NET_VEC_RXQ(q) (1 + (q))
int virtio_net_intr_setup(struct virtio_net_adapter *ad);
void virtio_net_intr_teardown(struct virtio_net_adapter *ad);
uint16_t virtio_net_rxq_vector(const struct virtio_net_adapter *ad, uint16_t q);
int virtio_rx_intr_enable(struct vfn_eth_dev *port, uint16_t q);
int virtio_rx_intr_disable(struct vfn_eth_dev *port, uint16_t q);
int virtio_rx_queue_start(struct vfn_eth_dev *port, uint16_t q);
int virtio_rx_queue_stop(struct vfn_eth_dev *port, uint16_t q);
int virtio_tx_queue_start(struct vfn_eth_dev *port, uint16_t q);
int virtio_tx_queue_stop(struct vfn_eth_dev *port, uint16_t q);
void virtio_link_refresh(struct vfn_eth_dev *port);

#endif /* VIRTIO_NET_H */
