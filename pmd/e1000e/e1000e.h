/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * The e1000e PMD (Intel 82574L as QEMU emulates it): adapter and queue
 * state shared by the hardware code (e1000e_hw.c), the burst functions
 * (e1000e_rxtx.c) and the port glue (e1000e_port.c).
 */
#ifndef E1000E_H
#define E1000E_H

#include <stdint.h>
#include <sys/types.h>

#include "vfn_common.h"
#include "vfn_pci.h"
#include "vfn_ethdev_driver.h"
#include "e1000e_regs.h"
#include "vfn_log.h"

/** Log from the e1000e PMD (log type pmd.net.e1000e). */
#define E1000E_LOG(level, ...) VFN_LOG(level, "e1000e", __VA_ARGS__)

struct vfn_mbuf;
struct vfn_mempool;

/** Queues the 82574 has (datasheet 7.1.11: two rx queues with RSS). */
#define E1000E_MAX_QUEUES 2

/** Tx descriptors between two RS (report status) bits; also the reclaim burst. */
#define E1000E_TX_RS_THRESH 32

/** Rx descriptors returned to the hardware per refill burst (at most). */
#define E1000E_RX_FREE_THRESH 32

/** Receive buffer the driver programs (RCTL.BSIZE = 2048, BSEX = 0). */
#define E1000E_RX_BUF_SIZE 2048

/**
 * MSI-X vectors the PMD uses: one per rx queue (vector q), then one for
 * the "other" causes (link status change).
 */
#define E1000E_MSIX_RXQ(q)   (q)
#define E1000E_MSIX_OTHER    E1000E_MAX_QUEUES
#define E1000E_MSIX_NB       (E1000E_MAX_QUEUES + 1)

/** Longest frame accepted without LPE: 1518 + VLAN tag. */
#define E1000E_MAX_FRAME 1522

struct e1000e_rx_queue {
	volatile union e1000_rx_desc_ext *ring;
	struct vfn_mbuf **sw_ring;      /**< mbuf behind each descriptor */
	struct vfn_mempool *mp;
	volatile void *rdt_reg;         /**< RDT(q) in BAR0 */
	uint16_t nb_desc;
	uint16_t mask;                  /**< nb_desc - 1 (power of two) */
	uint16_t next;                  /**< next descriptor to look at */
	uint16_t nb_hold;               /**< done descriptors not yet refilled */
	uint16_t port_id;
	uint16_t queue_id;
	uint8_t discard;                /**< dropping a multi-descriptor frame */
	uint8_t rss;                    /**< RSS on: report hash in mbufs */
	uint64_t ring_iova;
	struct vfn_eth_qstats stats;   /**< summed by the port layer */
	int socket;
} __vfn_cache_aligned;

struct e1000e_tx_queue {
	volatile struct e1000_tx_desc *ring;
	struct vfn_mbuf **sw_ring;      /**< packet head at its EOP descriptor */
	volatile void *tdt_reg;         /**< TDT(q) in BAR0 */
	uint16_t nb_desc;
	uint16_t mask;
	uint16_t tail;                  /**< next descriptor to fill */
	uint16_t next_clean;            /**< first descriptor not reclaimed */
	uint16_t nb_free;               /**< descriptors free for new packets */
	uint16_t port_id;
	uint16_t queue_id;
	uint64_t ring_iova;
	struct vfn_eth_qstats stats;
	int socket;
} __vfn_cache_aligned;

/** Hardware statistics accumulated from the clear-on-read registers. */
struct e1000e_hw_stats {
	uint64_t tpr, tpt, tor, tot;     /**< total packets/octets rx/tx */
	uint64_t gprc, gptc, bprc, mprc, bptc, mptc;
	uint64_t ruc, roc;
	/* Registers that do not clear on read: value at the last reset. */
	uint32_t base_mpc, base_rnbc, base_crcerrs, base_rlec, base_rxerrc;
	uint64_t mpc, rnbc, crcerrs, rlec, rxerrc;
};

struct e1000e_adapter {
	struct vfn_pci_device *pci;
	volatile uint8_t *hw_addr;      /**< BAR0 mapping */
	uint8_t mac[6];
	uint16_t port_id;
	uint16_t nb_rxq, nb_txq;
	uint8_t rss;                    /**< RSS configured (nb_rxq == 2 or asked) */
	uint8_t promisc, allmulti;
	uint8_t started;
	uint8_t rss_key[E1000_RSSRK_SIZE];
	uint32_t rss_mrqc;              /**< MRQC hash-field enables */
	struct e1000e_rx_queue *rxq[E1000E_MAX_QUEUES];
	struct e1000e_tx_queue *txq[E1000E_MAX_QUEUES];
	uint8_t rx_deferred[E1000E_MAX_QUEUES]; /**< left stopped by start */
	uint8_t tx_deferred[E1000E_MAX_QUEUES];
	struct e1000e_hw_stats hw_stats;
	/* Interrupts (e1000e_intr.c); all off unless intr_conf asks. */
	int msix_efd[E1000E_MSIX_NB];   /**< eventfd per vector, -1: off */
	uint8_t msix_on;                /**< MSI-X enabled through VFIO */
	uint8_t lsc_on;                 /**< "other" vector watched for LSC */
	uint16_t lsc_status;            /**< link status last reported (LSC) */
};

static inline uint32_t e1000e_read(const struct e1000e_adapter *ad,
				   uint32_t reg)
{
	return vfn_read32(ad->hw_addr + reg);
}

static inline void e1000e_write(const struct e1000e_adapter *ad,
				uint32_t reg, uint32_t val)
{
	vfn_write32(val, ad->hw_addr + reg);
}

/** Posted writes reach the device before this returns. */
static inline void e1000e_flush(const struct e1000e_adapter *ad)
{
	(void)e1000e_read(ad, E1000_STATUS);
}

/* e1000e_hw.c: register sequences. */
int e1000e_hw_reset(struct e1000e_adapter *ad);
int e1000e_hw_read_mac(struct e1000e_adapter *ad);
void e1000e_hw_write_mac(struct e1000e_adapter *ad, const uint8_t mac[6]);
void e1000e_hw_link_setup(struct e1000e_adapter *ad);
int e1000e_hw_link_get(struct e1000e_adapter *ad, uint32_t *speed_mbps,
		       int *full_duplex);
void e1000e_hw_stats_reset(struct e1000e_adapter *ad);
void e1000e_hw_stats_update(struct e1000e_adapter *ad);
void e1000e_hw_stats_rebase(struct e1000e_adapter *ad);
void e1000e_hw_rx_mode(struct e1000e_adapter *ad);
void e1000e_hw_rx_ring_init(struct e1000e_adapter *ad,
			    struct e1000e_rx_queue *rxq);
void e1000e_hw_tx_ring_init(struct e1000e_adapter *ad,
			    struct e1000e_tx_queue *txq);
void e1000e_hw_rss_setup(struct e1000e_adapter *ad);
void e1000e_hw_rx_enable(struct e1000e_adapter *ad);
void e1000e_hw_tx_enable(struct e1000e_adapter *ad);
void e1000e_hw_stop(struct e1000e_adapter *ad);

/* e1000e_dev.c: life cycle. */
int e1000e_dev_init(struct e1000e_adapter *ad, struct vfn_pci_device *pci);
int e1000e_dev_start(struct e1000e_adapter *ad);
void e1000e_dev_stop(struct e1000e_adapter *ad);

/* e1000e_intr.c: MSI-X, rx interrupts, link interrupts, queue start/stop. */
int e1000e_intr_start(struct vfn_eth_dev *port);
void e1000e_intr_stop(struct vfn_eth_dev *port);
int e1000e_rx_intr_enable(struct vfn_eth_dev *port, uint16_t q);
int e1000e_rx_intr_disable(struct vfn_eth_dev *port, uint16_t q);
int e1000e_rx_queue_start(struct vfn_eth_dev *port, uint16_t q);
int e1000e_rx_queue_stop(struct vfn_eth_dev *port, uint16_t q);
int e1000e_tx_queue_start(struct vfn_eth_dev *port, uint16_t q);
int e1000e_tx_queue_stop(struct vfn_eth_dev *port, uint16_t q);
void e1000e_link_refresh(struct vfn_eth_dev *port);
int e1000e_rxq_start(struct e1000e_adapter *ad, struct e1000e_rx_queue *rxq);

/* e1000e_rxtx.c: queues and bursts. */
int e1000e_rxq_alloc(struct e1000e_adapter *ad, uint16_t q, uint16_t nb_desc,
		     int socket, struct vfn_mempool *mp,
		     struct e1000e_rx_queue **out);
void e1000e_rxq_free(struct e1000e_rx_queue *rxq);
int e1000e_rxq_fill(struct e1000e_rx_queue *rxq);
void e1000e_rxq_drain(struct e1000e_rx_queue *rxq);
int e1000e_txq_alloc(struct e1000e_adapter *ad, uint16_t q, uint16_t nb_desc,
		     int socket, struct e1000e_tx_queue **out);
void e1000e_txq_free(struct e1000e_tx_queue *txq);
void e1000e_txq_reset(struct e1000e_tx_queue *txq);
void e1000e_txq_drain(struct e1000e_tx_queue *txq);
uint16_t e1000e_recv_pkts(void *rxq, struct vfn_mbuf **pkts, uint16_t n);
uint16_t e1000e_xmit_pkts(void *txq, struct vfn_mbuf **pkts, uint16_t n);

#endif /* E1000E_H */
