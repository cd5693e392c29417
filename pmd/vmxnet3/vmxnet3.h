/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * The vmxnet3 PMD (VMware's paravirtual NIC, as QEMU's hw/net/vmxnet3.c
 * emulates it): adapter and queue state shared by the device control
 * (vmxnet3_dev.c), the burst functions (vmxnet3_rxtx.c) and the port
 * glue (vmxnet3_port.c).
 */
#ifndef VMXNET3_H
#define VMXNET3_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "vfn_common.h"
#include "vfn_pci.h"
#include "vfn_ethdev_driver.h"
#include "vfn_log.h"
#include "vmxnet3_regs.h"

/** Log from the vmxnet3 PMD (log type pmd.net.vmxnet3). */
#define VMXNET3_LOG(level, ...) VFN_LOG(level, "vmxnet3", __VA_ARGS__)

struct vfn_mbuf;
struct vfn_mempool;

/*
 * Queues the driver offers: QEMU's device takes up to 8 of each
 * (VMXNET3_DEVICE_MAX_TX/RX_QUEUES in hw/net/vmxnet3.h).
 */
#define VMXNET3_PMD_MAX_QUEUES 8

/** Rx ring 1 (body buffers) is registered but never given buffers. */
#define VMXNET3_RX_RING1_SIZE VMXNET3_RING_SIZE_ALIGN

/** Rx descriptors given back to the device per refill burst (at least). */
#define VMXNET3_RX_FREE_THRESH 32

/** Longest frame received in one buffer (MTU 1500 + header + VLAN tag). */
#define VMXNET3_MAX_FRAME 1522

/** Tx completions processed before new frames are queued, at most. */
#define VMXNET3_TX_FREE_BURST 64

/*
 * MSI-X vectors when the port is configured with intr_conf (see
 * vmxnet3_intr.c): the events (link), one per rx queue, one shared by
 * the tx queues (never unmasked).  Without intr_conf every queue and the
 * events name vector 0, which stays masked.
 */
#define VMXNET3_VEC_EVENT 0
#define VMXNET3_VEC_RXQ(q) (1 + (q))
#define VMXNET3_VEC_TX(nb_rxq) (1 + (nb_rxq))
#define VMXNET3_VEC_MAX (VMXNET3_PMD_MAX_QUEUES + 2)

struct vmxnet3_rx_queue {
	volatile struct vmxnet3_rx_desc *ring;      /**< ring 0: head buffers */
	volatile struct vmxnet3_rx_desc *ring1;     /**< ring 1: empty */
	volatile struct vmxnet3_rx_comp_desc *comp;
	struct vfn_mbuf **sw_ring;                  /**< mbuf behind each ring 0 slot */
	struct vfn_mempool *mp;
	volatile struct vmxnet3_rx_queue_desc *shared; /**< this queue's descriptor */
	volatile void *prod_reg;                    /**< RXPROD(q) in BAR0 */
	uint16_t nb_desc;
	uint16_t comp_size;
	uint16_t comp_next;         /**< next completion to look at */
	uint16_t fill;              /**< next ring 0 slot to give a buffer */
	uint16_t nb_hold;           /**< slots consumed, not yet refilled */
	uint16_t buf_len;           /**< bytes the device may write per buffer */
	uint8_t comp_gen;           /**< generation of the completion ring lap */
	uint8_t fill_gen;           /**< generation to write at ring 0 slot fill */
	uint8_t rss;                /**< report the RSS hash in mbufs */
	uint8_t stopped;            /**< rx_queue_stop: discard, do not deliver */
	uint8_t discard;            /**< dropping the rest of a multi-buffer frame */
	uint16_t port_id;
	uint16_t queue_id;
	uint64_t ring_iova, ring1_iova, comp_iova;
	struct vfn_eth_qstats stats;
	int socket;
} __vfn_cache_aligned;

struct vmxnet3_tx_queue {
	volatile struct vmxnet3_tx_desc *ring;
	volatile struct vmxnet3_tx_comp_desc *comp;
	void *data_ring;            /**< the tx data ring (unused, registered) */
	struct vfn_mbuf **sw_ring;  /**< packet at its EOP descriptor */
	volatile struct vmxnet3_tx_queue_desc *shared;
	volatile void *prod_reg;    /**< TXPROD(q) in BAR0 */
	uint16_t nb_desc;
	uint16_t tail;              /**< next descriptor to fill */
	uint16_t next_clean;        /**< first descriptor not completed */
	uint16_t nb_free;           /**< descriptors free for new frames */
	uint16_t comp_next;
	uint8_t gen;                /**< generation of the slot at tail */
	uint8_t comp_gen;
	uint16_t port_id;
	uint16_t queue_id;
	uint64_t ring_iova, comp_iova, data_iova;
	struct vfn_eth_qstats stats;
	int socket;
} __vfn_cache_aligned;

/** The device's counters, summed over queues and kept across activations. */
struct vmxnet3_hw_stats {
	uint64_t rx_pkts, rx_bytes;           /**< ucast + mcast + bcast */
	uint64_t rx_ucast, rx_mcast, rx_bcast;
	uint64_t rx_lro_pkts;
	uint64_t rx_out_of_buf, rx_errors;
	uint64_t tx_pkts, tx_bytes;
	uint64_t tx_ucast, tx_mcast, tx_bcast;
	uint64_t tx_tso_pkts;
	uint64_t tx_errors, tx_discards;
};

struct vmxnet3_adapter {
	struct vfn_pci_device *pci;
	volatile uint8_t *bar0;     /**< doorbells */
	volatile uint8_t *bar1;     /**< control registers */
	pthread_mutex_t cmd_lock;   /**< one command/result pair at a time */
	struct vmxnet3_driver_shared *shared;
	uint64_t shared_iova;
	void *queue_descs;          /**< tx queue descs, then rx queue descs */
	uint64_t queue_descs_iova;
	struct upt1_rss_conf *rss_conf;
	uint64_t rss_conf_iova;
	uint8_t perm_mac[6];
	uint8_t mac[6];
	uint16_t port_id;
	uint16_t nb_rxq, nb_txq;
	uint16_t mtu;
	uint8_t rss;                /**< RSS configured */
	uint8_t promisc, allmulti;
	uint8_t started;
	uint8_t intr;               /**< vector layout above at activation */
	uint8_t msix_on;            /**< MSI-X enabled through VFIO */
	uint8_t lsc_on;             /**< event vector watched for LSC */
	uint16_t nb_vec;            /**< vectors enabled (nb_rxq + 2) */
	uint16_t lsc_status;        /**< link status last reported (LSC) */
	int msix_efd[VMXNET3_VEC_MAX]; /**< eventfd per vector, -1: off */
	uint8_t rss_key[UPT1_RSS_MAX_KEY_SIZE];
	uint16_t rss_hash_type;     /**< UPT1_RSS_HASH_TYPE_* */
	struct vmxnet3_rx_queue *rxq[VMXNET3_PMD_MAX_QUEUES];
	struct vmxnet3_tx_queue *txq[VMXNET3_PMD_MAX_QUEUES];
	struct vmxnet3_hw_stats hw_done;  /**< counted by earlier activations */
	struct vmxnet3_hw_stats hw_base;  /**< totals at the last reset */
};

static inline uint32_t vmxnet3_bar1_read(const struct vmxnet3_adapter *ad,
					 uint32_t reg)
{
	return vfn_read32(ad->bar1 + reg);
}

static inline void vmxnet3_bar1_write(const struct vmxnet3_adapter *ad,
				      uint32_t reg, uint32_t val)
{
	vfn_write32(val, ad->bar1 + reg);
}

static inline void vmxnet3_bar0_write(const struct vmxnet3_adapter *ad,
				      uint32_t reg, uint32_t val)
{
	vfn_write32(val, ad->bar0 + reg);
}

/* vmxnet3_dev.c: the device's control interface. */
int vmxnet3_dev_init(struct vmxnet3_adapter *ad, struct vfn_pci_device *pci);
void vmxnet3_dev_uninit(struct vmxnet3_adapter *ad);
uint32_t vmxnet3_cmd(struct vmxnet3_adapter *ad, uint32_t cmd);
void vmxnet3_cmd_write(struct vmxnet3_adapter *ad, uint32_t cmd);
int vmxnet3_dev_start(struct vmxnet3_adapter *ad, const uint8_t *rx_deferred);
void vmxnet3_dev_stop(struct vmxnet3_adapter *ad);
void vmxnet3_dev_write_mac(struct vmxnet3_adapter *ad, const uint8_t mac[6]);
void vmxnet3_dev_rx_mode(struct vmxnet3_adapter *ad);
int vmxnet3_dev_rss_update(struct vmxnet3_adapter *ad);
int vmxnet3_dev_link_get(struct vmxnet3_adapter *ad, uint32_t *speed_mbps);
void vmxnet3_dev_stats(struct vmxnet3_adapter *ad, struct vmxnet3_hw_stats *out);
void vmxnet3_dev_stats_reset(struct vmxnet3_adapter *ad);

/* vmxnet3_intr.c: link and rx interrupts. */
int vmxnet3_intr_start(struct vfn_eth_dev *port);
void vmxnet3_intr_stop(struct vfn_eth_dev *port);
int vmxnet3_rx_intr_enable(struct vfn_eth_dev *port, uint16_t q);
int vmxnet3_rx_intr_disable(struct vfn_eth_dev *port, uint16_t q);

/* vmxnet3_port.c */
void vmxnet3_link_refresh(struct vfn_eth_dev *port);

/* vmxnet3_rxtx.c: queues and bursts. */
int vmxnet3_rxq_alloc(struct vmxnet3_adapter *ad, uint16_t q, uint16_t nb_desc,
		      int socket, struct vfn_mempool *mp,
		      struct vmxnet3_rx_queue **out);
void vmxnet3_rxq_free(struct vmxnet3_rx_queue *rxq);
int vmxnet3_rxq_init(struct vmxnet3_rx_queue *rxq, int post_buffers);
int vmxnet3_rxq_post(struct vmxnet3_rx_queue *rxq);
void vmxnet3_rxq_flush(struct vmxnet3_rx_queue *rxq);
void vmxnet3_rxq_drain(struct vmxnet3_rx_queue *rxq);
int vmxnet3_txq_alloc(struct vmxnet3_adapter *ad, uint16_t q, uint16_t nb_desc,
		      int socket, struct vmxnet3_tx_queue **out);
void vmxnet3_txq_free(struct vmxnet3_tx_queue *txq);
void vmxnet3_txq_init(struct vmxnet3_tx_queue *txq);
void vmxnet3_txq_reclaim(struct vmxnet3_tx_queue *txq);
void vmxnet3_txq_drain(struct vmxnet3_tx_queue *txq);
uint16_t vmxnet3_recv_pkts(void *rxq, struct vfn_mbuf **pkts, uint16_t n);
uint16_t vmxnet3_xmit_pkts(void *txq, struct vfn_mbuf **pkts, uint16_t n);

#endif /* VMXNET3_H */
