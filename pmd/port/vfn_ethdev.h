/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The port API: what an application sees of a network port, whichever
 * driver (PCI NIC or virtual device) is behind it.  It is DPDK 22.11's
 * rte_ethdev with rte_ spelled vfn_: same names, argument order, return
 * values (0 or a negative errno) and struct field names.
 *
 * Life cycle of a port (each call returns 0 or a negative errno):
 *
 *     probe (driver) --> vfn_eth_dev_configure() --> vfn_eth_rx_queue_setup()
 *     / vfn_eth_tx_queue_setup() for every queue --> vfn_eth_dev_start()
 *     --> rx/tx bursts --> vfn_eth_dev_stop() (--> reconfigure, restart ...)
 *     --> vfn_eth_dev_close()
 *
 * Error codes used throughout:
 *  - -ENODEV   no such port (bad id, or closed)
 *  - -EINVAL   a bad argument (queue count above the maximum, descriptor
 *              count outside the limits or not a multiple of nb_align,
 *              unsupported offload or RSS hash field, NULL pointer)
 *  - -EBUSY    the port is started and the call needs it stopped
 *  - -EPERM    called in the wrong order: queue set-up before
 *              vfn_eth_dev_configure(), start with a queue not set up
 *  - -ENOBUFS  the mempool is too small for the queue (fewer mbufs than
 *              descriptors, or a data room below the driver's minimum)
 *  - -ENOTSUP  the driver does not implement the operation
 *  - -ENOMEM   out of memory
 * Every failing call logs one line (type "port") naming the fix.
 *
 * Data path: vfn_eth_rx_burst() and vfn_eth_tx_burst() are inline calls
 * through a per-queue function pointer, with no lock, no syscall and no
 * check in release builds; a queue that is not started has a dummy burst
 * function that moves nothing.  A queue must be used by one thread at a
 * time (as in DPDK).
 */
#ifndef VFN_ETHDEV_H
#define VFN_ETHDEV_H

#include <stdint.h>
#include <stddef.h>

#include "vfn_common.h"
#include "vfn_ether.h"
#include "vfn_interrupts.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vfn_mbuf;
struct vfn_mempool;

/** Largest number of ports. */
#define VFN_MAX_ETHPORTS 32
/** Largest number of rx (and of tx) queues per port. */
#define VFN_MAX_QUEUES_PER_PORT 1024
/** Number of queues that get per-queue counters in struct vfn_eth_stats. */
#define VFN_ETHDEV_QUEUE_STAT_CNTRS 16
/** Longest port name, with the NUL ("net_null0", "0000:00:02.0"). */
#define VFN_ETH_NAME_MAX_LEN 64
/** Longest xstat name, with the NUL. */
#define VFN_ETH_XSTATS_NAME_SIZE 64
/** Longest RSS key the API carries. */
#define VFN_ETH_RSS_KEY_MAX 64

/** @name Multi-queue rx modes (vfn_eth_conf.rxmode.mq_mode) */
/** @{ */
#define VFN_ETH_MQ_RX_NONE 0 /**< one rx queue, or the driver's default */
#define VFN_ETH_MQ_RX_RSS  1 /**< spread flows over the rx queues by hash */
/** @} */

/** @name RSS hash fields (DPDK's RTE_ETH_RSS_* bit positions) */
/** @{ */
#define VFN_ETH_RSS_IPV4               (1ull << 2)
#define VFN_ETH_RSS_FRAG_IPV4          (1ull << 3)
#define VFN_ETH_RSS_NONFRAG_IPV4_TCP   (1ull << 4)
#define VFN_ETH_RSS_NONFRAG_IPV4_UDP   (1ull << 5)
#define VFN_ETH_RSS_NONFRAG_IPV4_OTHER (1ull << 7)
#define VFN_ETH_RSS_IPV6               (1ull << 8)
#define VFN_ETH_RSS_FRAG_IPV6          (1ull << 9)
#define VFN_ETH_RSS_NONFRAG_IPV6_TCP   (1ull << 10)
#define VFN_ETH_RSS_NONFRAG_IPV6_UDP   (1ull << 11)
#define VFN_ETH_RSS_NONFRAG_IPV6_OTHER (1ull << 13)
#define VFN_ETH_RSS_IPV6_EX            (1ull << 15)
#define VFN_ETH_RSS_IPV6_TCP_EX        (1ull << 16)
#define VFN_ETH_RSS_IPV6_UDP_EX        (1ull << 17)
#define VFN_ETH_RSS_IP (VFN_ETH_RSS_IPV4 | VFN_ETH_RSS_FRAG_IPV4 | \
	VFN_ETH_RSS_NONFRAG_IPV4_OTHER | VFN_ETH_RSS_IPV6 | \
	VFN_ETH_RSS_FRAG_IPV6 | VFN_ETH_RSS_NONFRAG_IPV6_OTHER | \
	VFN_ETH_RSS_IPV6_EX)
#define VFN_ETH_RSS_UDP (VFN_ETH_RSS_NONFRAG_IPV4_UDP | \
	VFN_ETH_RSS_NONFRAG_IPV6_UDP | VFN_ETH_RSS_IPV6_UDP_EX)
#define VFN_ETH_RSS_TCP (VFN_ETH_RSS_NONFRAG_IPV4_TCP | \
	VFN_ETH_RSS_NONFRAG_IPV6_TCP | VFN_ETH_RSS_IPV6_TCP_EX)
/** @} */

/** @name Rx offloads (DPDK's RTE_ETH_RX_OFFLOAD_* bit positions) */
/** @{ */
#define VFN_ETH_RX_OFFLOAD_VLAN_STRIP  (1ull << 0)
#define VFN_ETH_RX_OFFLOAD_IPV4_CKSUM  (1ull << 1)
#define VFN_ETH_RX_OFFLOAD_UDP_CKSUM   (1ull << 2)
#define VFN_ETH_RX_OFFLOAD_TCP_CKSUM   (1ull << 3)
#define VFN_ETH_RX_OFFLOAD_TCP_LRO     (1ull << 4)
#define VFN_ETH_RX_OFFLOAD_VLAN_FILTER (1ull << 9)
#define VFN_ETH_RX_OFFLOAD_SCATTER     (1ull << 13)
#define VFN_ETH_RX_OFFLOAD_KEEP_CRC    (1ull << 16)
#define VFN_ETH_RX_OFFLOAD_RSS_HASH    (1ull << 19)
#define VFN_ETH_RX_OFFLOAD_CHECKSUM (VFN_ETH_RX_OFFLOAD_IPV4_CKSUM | \
	VFN_ETH_RX_OFFLOAD_UDP_CKSUM | VFN_ETH_RX_OFFLOAD_TCP_CKSUM)
/** @} */

/** @name Tx offloads (DPDK's RTE_ETH_TX_OFFLOAD_* bit positions) */
/** @{ */
#define VFN_ETH_TX_OFFLOAD_VLAN_INSERT     (1ull << 0)
#define VFN_ETH_TX_OFFLOAD_IPV4_CKSUM      (1ull << 1)
#define VFN_ETH_TX_OFFLOAD_UDP_CKSUM       (1ull << 2)
#define VFN_ETH_TX_OFFLOAD_TCP_CKSUM       (1ull << 3)
#define VFN_ETH_TX_OFFLOAD_TCP_TSO         (1ull << 5)
#define VFN_ETH_TX_OFFLOAD_MULTI_SEGS      (1ull << 15)
#define VFN_ETH_TX_OFFLOAD_MBUF_FAST_FREE  (1ull << 16)
/** @} */

/** @name Link speeds in Mbps (vfn_eth_link.link_speed) */
/** @{ */
#define VFN_ETH_SPEED_NUM_NONE    0
#define VFN_ETH_SPEED_NUM_10M     10
#define VFN_ETH_SPEED_NUM_100M    100
#define VFN_ETH_SPEED_NUM_1G      1000
#define VFN_ETH_SPEED_NUM_10G     10000
#define VFN_ETH_SPEED_NUM_25G     25000
#define VFN_ETH_SPEED_NUM_40G     40000
#define VFN_ETH_SPEED_NUM_100G    100000
#define VFN_ETH_SPEED_NUM_UNKNOWN UINT32_MAX
/** @} */

/** @name Link speed capabilities (vfn_eth_dev_info.speed_capa) */
/** @{ */
#define VFN_ETH_LINK_SPEED_AUTONEG 0
#define VFN_ETH_LINK_SPEED_10M     (1u << 2)
#define VFN_ETH_LINK_SPEED_100M    (1u << 4)
#define VFN_ETH_LINK_SPEED_1G      (1u << 5)
#define VFN_ETH_LINK_SPEED_10G     (1u << 8)
/** @} */

#define VFN_ETH_LINK_DOWN        0
#define VFN_ETH_LINK_UP          1
#define VFN_ETH_LINK_HALF_DUPLEX 0
#define VFN_ETH_LINK_FULL_DUPLEX 1
#define VFN_ETH_LINK_FIXED       0
#define VFN_ETH_LINK_AUTONEG     1

/** Link state (8-byte aligned: drivers update it with one atomic store). */
struct __vfn_aligned(8) vfn_eth_link {
	uint32_t link_speed;      /**< VFN_ETH_SPEED_NUM_* (Mbps) */
	uint16_t link_duplex : 1; /**< VFN_ETH_LINK_[HALF|FULL]_DUPLEX */
	uint16_t link_autoneg : 1;/**< VFN_ETH_LINK_[FIXED|AUTONEG] */
	uint16_t link_status : 1; /**< VFN_ETH_LINK_[DOWN|UP] */
};

/** RSS configuration: which fields are hashed, with which key. */
struct vfn_eth_rss_conf {
	uint8_t *rss_key;    /**< key, or NULL for the driver's default */
	uint8_t rss_key_len; /**< bytes in rss_key (the driver's hash_key_size) */
	uint64_t rss_hf;     /**< VFN_ETH_RSS_* fields to hash; 0 = RSS off */
};

/**
 * Interrupts a port raises (vfn_eth_conf.intr_conf, DPDK's
 * rte_eth_intr_conf).  Both default to off: a port then neither wakes
 * sleeping lcores nor reports link changes.
 */
struct vfn_eth_intr_conf {
	/**
	 * Report link-state changes to the callbacks registered for
	 * #VFN_ETH_EVENT_INTR_LSC while the port is started.  A port whose
	 * info.dev_flags has #VFN_ETH_DEV_INTR_LSC does it from the device's
	 * link interrupt; any other port (the software PMDs) is polled by the
	 * interrupt thread every #VFN_ETH_LSC_POLL_MS ms instead.
	 */
	uint32_t lsc : 1;
	/**
	 * Give each rx queue an interrupt (an eventfd) for rx interrupt mode:
	 * vfn_eth_dev_rx_intr_ctl_q() and vfn_eth_dev_rx_intr_enable().
	 * Ports whose driver has no rx interrupts refuse it (-ENOTSUP).
	 */
	uint32_t rxq : 1;
};

/** Port configuration for vfn_eth_dev_configure(). Zero = defaults. */
struct vfn_eth_conf {
	uint32_t link_speeds; /**< VFN_ETH_LINK_SPEED_*; 0 = autonegotiate */
	struct {
		uint32_t mq_mode;  /**< VFN_ETH_MQ_RX_NONE or VFN_ETH_MQ_RX_RSS */
		uint32_t mtu;      /**< 0 = VFN_ETHER_MTU */
		uint64_t offloads; /**< VFN_ETH_RX_OFFLOAD_* for every queue */
	} rxmode;
	struct {
		uint64_t offloads; /**< VFN_ETH_TX_OFFLOAD_* for every queue */
	} txmode;
	struct {
		struct vfn_eth_rss_conf rss_conf; /**< with VFN_ETH_MQ_RX_RSS */
	} rx_adv_conf;
	struct vfn_eth_intr_conf intr_conf; /**< interrupts to raise */
};

/** Rx queue configuration; NULL in vfn_eth_rx_queue_setup() = defaults. */
struct vfn_eth_rxconf {
	uint16_t rx_free_thresh;  /**< refill descriptors in batches of this */
	uint8_t rx_drop_en;       /**< drop when no descriptors are free */
	uint8_t rx_deferred_start;/**< left stopped by vfn_eth_dev_start(): start
				       it with vfn_eth_dev_rx_queue_start() */
	uint64_t offloads;        /**< extra per-queue VFN_ETH_RX_OFFLOAD_* */
};

/** Tx queue configuration; NULL in vfn_eth_tx_queue_setup() = defaults. */
struct vfn_eth_txconf {
	uint16_t tx_free_thresh;  /**< reclaim sent mbufs when fewer are free */
	uint16_t tx_rs_thresh;    /**< report-status every this many descriptors */
	uint8_t tx_deferred_start;/**< left stopped by vfn_eth_dev_start(): start
				       it with vfn_eth_dev_tx_queue_start() */
	uint64_t offloads;        /**< extra per-queue VFN_ETH_TX_OFFLOAD_* */
};

/** Descriptor count limits of a queue. */
struct vfn_eth_desc_lim {
	uint16_t nb_max;   /**< most descriptors */
	uint16_t nb_min;   /**< fewest descriptors */
	uint16_t nb_align; /**< count must be a multiple of this (power of 2) */
};

/** A driver's preferred queue set-up (0: no preference). */
struct vfn_eth_dev_portconf {
	uint16_t burst_size; /**< preferred burst size */
	uint16_t ring_size;  /**< preferred descriptors per queue */
	uint16_t nb_queues;  /**< preferred number of queues */
};

/** @name Port flags (*vfn_eth_dev_info.dev_flags, DPDK's RTE_ETH_DEV_*) */
/** @{ */
/** The device raises an interrupt on link changes (else LSC is polled). */
#define VFN_ETH_DEV_INTR_LSC (1u << 1)
/** @} */

/** What a port is and can do (vfn_eth_dev_info_get()). */
struct vfn_eth_dev_info {
	const char *driver_name;       /**< "net_null", "net_e1000_em", ... */
	char name[VFN_ETH_NAME_MAX_LEN]; /**< device name ("net_null0") */
	int socket_id;                 /**< NUMA node, -1 when unknown */
	struct vfn_ether_addr mac_addr;/**< current MAC address */
	uint32_t link_speed;           /**< current link speed (Mbps), 0 if down */
	uint16_t min_mtu;              /**< smallest MTU accepted */
	uint16_t max_mtu;              /**< largest MTU accepted */
	uint32_t min_rx_bufsize;       /**< smallest mbuf data room (after headroom) */
	uint32_t max_rx_pktlen;        /**< longest frame received */
	uint16_t max_rx_queues;        /**< most rx queues */
	uint16_t max_tx_queues;        /**< most tx queues */
	uint32_t max_mac_addrs;        /**< unicast addresses the filter holds */
	uint64_t rx_offload_capa;      /**< VFN_ETH_RX_OFFLOAD_* supported */
	uint64_t tx_offload_capa;      /**< VFN_ETH_TX_OFFLOAD_* supported */
	uint16_t reta_size;            /**< RSS redirection table entries */
	uint8_t hash_key_size;         /**< RSS key bytes (0: no RSS) */
	uint64_t flow_type_rss_offloads; /**< VFN_ETH_RSS_* supported */
	struct vfn_eth_rxconf default_rxconf; /**< used for a NULL rxconf */
	struct vfn_eth_txconf default_txconf; /**< used for a NULL txconf */
	struct vfn_eth_desc_lim rx_desc_lim;  /**< rx descriptor limits */
	struct vfn_eth_desc_lim tx_desc_lim;  /**< tx descriptor limits */
	struct vfn_eth_dev_portconf default_rxportconf; /**< suggested rx set-up */
	struct vfn_eth_dev_portconf default_txportconf; /**< suggested tx set-up */
	uint32_t speed_capa;           /**< VFN_ETH_LINK_SPEED_* supported */
	uint16_t nb_rx_queues;         /**< rx queues configured now */
	uint16_t nb_tx_queues;         /**< tx queues configured now */
	const uint32_t *dev_flags;     /**< the port's VFN_ETH_DEV_* flags */
};

/** Basic counters (vfn_eth_stats_get()); all since the last reset. */
struct vfn_eth_stats {
	uint64_t ipackets;  /**< packets received */
	uint64_t opackets;  /**< packets sent */
	uint64_t ibytes;    /**< bytes received */
	uint64_t obytes;    /**< bytes sent */
	uint64_t imissed;   /**< packets the hardware dropped: no rx descriptor */
	uint64_t ierrors;   /**< bad packets received */
	uint64_t oerrors;   /**< packets that failed to send */
	uint64_t rx_nombuf; /**< rx mbuf allocation failures */
	uint64_t q_ipackets[VFN_ETHDEV_QUEUE_STAT_CNTRS]; /**< per rx queue */
	uint64_t q_opackets[VFN_ETHDEV_QUEUE_STAT_CNTRS]; /**< per tx queue */
	uint64_t q_ibytes[VFN_ETHDEV_QUEUE_STAT_CNTRS];   /**< per rx queue */
	uint64_t q_obytes[VFN_ETHDEV_QUEUE_STAT_CNTRS];   /**< per tx queue */
	uint64_t q_errors[VFN_ETHDEV_QUEUE_STAT_CNTRS];   /**< per rx queue errors */
};

/** One extended statistic: an index into the name table and a value. */
struct vfn_eth_xstat {
	uint64_t id;
	uint64_t value;
};

/** The name of one extended statistic. */
struct vfn_eth_xstat_name {
	char name[VFN_ETH_XSTATS_NAME_SIZE];
};

/* ---- data path --------------------------------------------------------- */

/** An rx burst function: receive up to @p n mbufs into @p pkts. */
typedef uint16_t (*vfn_eth_rx_burst_t)(void *rxq, struct vfn_mbuf **pkts,
				   uint16_t n);
/** A tx burst function: queue up to @p n mbufs; returns how many it took. */
typedef uint16_t (*vfn_eth_tx_burst_t)(void *txq, struct vfn_mbuf **pkts,
				   uint16_t n);

/**
 * @internal Fast-path view of one queue: its burst function and the
 * driver's queue data, 16 bytes, so a burst is one indexed load pair and
 * an indirect call.  A queue that is not started points at a dummy that
 * moves nothing.
 */
struct vfn_eth_fp_queue {
	void *burst;  /**< vfn_eth_rx_burst_t or vfn_eth_tx_burst_t */
	void *data;   /**< the driver's queue */
};

/** @internal Fast-path tables, written by vfn_eth_dev_start()/stop(). */
extern struct vfn_eth_fp_queue
	vfn_eth_fp_rxq[VFN_MAX_ETHPORTS][VFN_MAX_QUEUES_PER_PORT];
/** @internal */
extern struct vfn_eth_fp_queue
	vfn_eth_fp_txq[VFN_MAX_ETHPORTS][VFN_MAX_QUEUES_PER_PORT];

/**
 * Receive up to @p nb_pkts packets from rx queue @p queue_id of
 * @p port_id.  No lock and no syscall; the queue must be polled by one
 * thread at a time.  Port and queue ids are not checked (define
 * VFN_ETHDEV_DEBUG to check them): pass ids you configured.
 * @return number of mbufs stored in @p rx_pkts (0..nb_pkts)
 */
static inline uint16_t vfn_eth_rx_burst(uint16_t port_id, uint16_t queue_id,
					 struct vfn_mbuf **rx_pkts,
					 uint16_t nb_pkts)
{
	const struct vfn_eth_fp_queue *q;

#ifdef VFN_ETHDEV_DEBUG
	if (port_id >= VFN_MAX_ETHPORTS || queue_id >= VFN_MAX_QUEUES_PER_PORT)
		return 0;
#endif
	q = &vfn_eth_fp_rxq[port_id][queue_id];
	return ((vfn_eth_rx_burst_t)q->burst)(q->data, rx_pkts, nb_pkts);
}

/**
 * Send up to @p nb_pkts packets on tx queue @p queue_id of @p port_id.
 * The port takes ownership of the mbufs it accepted (the first n of
 * @p tx_pkts); the caller still owns the rest (retry or free them).
 * @return number of packets accepted (0..nb_pkts)
 */
static inline uint16_t vfn_eth_tx_burst(uint16_t port_id, uint16_t queue_id,
					 struct vfn_mbuf **tx_pkts,
					 uint16_t nb_pkts)
{
	const struct vfn_eth_fp_queue *q;

#ifdef VFN_ETHDEV_DEBUG
	if (port_id >= VFN_MAX_ETHPORTS || queue_id >= VFN_MAX_QUEUES_PER_PORT)
		return 0;
#endif
	q = &vfn_eth_fp_txq[port_id][queue_id];
	return ((vfn_eth_tx_burst_t)q->burst)(q->data, tx_pkts, nb_pkts);
}

/* ---- control path ------------------------------------------------------ */

/** Number of ports that exist (probed and not closed). */
uint16_t vfn_eth_dev_count_avail(void);

/** 1 when @p port_id is a port that exists, 0 otherwise. */
int vfn_eth_dev_is_valid_port(uint16_t port_id);

/**
 * First existing port id >= @p port_id, or VFN_MAX_ETHPORTS when none.
 * Iterate with: for (p = vfn_eth_find_next(0); p < VFN_MAX_ETHPORTS;
 * p = vfn_eth_find_next(p + 1)).
 */
uint16_t vfn_eth_find_next(uint16_t port_id);

/** Iterate over existing ports. */
#define VFN_ETH_FOREACH_DEV(p) \
	for ((p) = vfn_eth_find_next(0); (p) < VFN_MAX_ETHPORTS; \
	     (p) = vfn_eth_find_next((p) + 1))

/**
 * Port id of the port named @p name ("net_null0", "0000:00:02.0").
 * @return 0 with *@p port_id set, or -ENODEV
 */
int vfn_eth_dev_get_port_by_name(const char *name, uint16_t *port_id);

/** Copy the name of @p port_id into @p name (VFN_ETH_NAME_MAX_LEN). */
int vfn_eth_dev_get_name_by_port(uint16_t port_id, char *name);

/** NUMA node of the port's device, or -1 when unknown / bad port. */
int vfn_eth_dev_socket_id(uint16_t port_id);

/**
 * Fill @p info with what the port is and can do.
 * @return 0, -ENODEV, -EINVAL (NULL @p info)
 */
int vfn_eth_dev_info_get(uint16_t port_id, struct vfn_eth_dev_info *info);

/**
 * Clamp descriptor counts to the port's limits, as DPDK's: each of
 * *@p nb_rx_desc and *@p nb_tx_desc (either may be NULL) is rounded up to
 * a multiple of nb_align, lowered to nb_max and raised to nb_min of
 * info.rx_desc_lim / tx_desc_lim.
 * @return 0, -ENODEV, or the driver's info_get error
 */
int vfn_eth_dev_adjust_nb_rx_tx_desc(uint16_t port_id, uint16_t *nb_rx_desc,
				     uint16_t *nb_tx_desc);

/**
 * Configure a stopped port: queue counts, multi-queue mode, RSS, MTU,
 * offloads.  Queues set up before are released.
 * @param port_id      the port
 * @param nb_rx_queue  1..info.max_rx_queues
 * @param nb_tx_queue  1..info.max_tx_queues
 * @param conf         configuration; NULL = all defaults
 * @return 0, -ENODEV, -EBUSY (started), -EINVAL (too many queues, an RSS
 *         key of the wrong length, an unsupported hash field or offload,
 *         an MTU out of range), or the driver's error
 */
int vfn_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queue,
		       uint16_t nb_tx_queue, const struct vfn_eth_conf *conf);

/**
 * Set up rx queue @p rx_queue_id of a configured, stopped port.
 * @param port_id     the port
 * @param rx_queue_id 0..nb_rx_queue - 1 of vfn_eth_dev_configure()
 * @param nb_rx_desc  ring size within info.rx_desc_lim; 0 = the driver's
 *                    default
 * @param socket_id   NUMA node for the ring, or VFN_SOCKET_ID_ANY
 * @param rx_conf     NULL = info.default_rxconf
 * @param mb_pool     mbuf pool the queue receives into; must hold at least
 *                    nb_rx_desc mbufs of at least info.min_rx_bufsize data
 *                    room after the headroom
 * @return 0, -ENODEV, -EPERM (not configured), -EBUSY (started), -EINVAL
 *         (queue id >= configured count, bad descriptor count, NULL pool),
 *         -ENOBUFS (pool too small), or the driver's error
 */
int vfn_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id,
			    uint16_t nb_rx_desc, int socket_id,
			    const struct vfn_eth_rxconf *rx_conf,
			    struct vfn_mempool *mb_pool);

/**
 * Set up tx queue @p tx_queue_id of a configured, stopped port.
 * @return as vfn_eth_rx_queue_setup() (without the pool checks)
 */
int vfn_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id,
			    uint16_t nb_tx_desc, int socket_id,
			    const struct vfn_eth_txconf *tx_conf);

/**
 * Start a configured port whose queues are all set up: the burst calls
 * start moving packets.  Starting a started port is a no-op.
 * @return 0, -ENODEV, -EPERM (not configured / a queue not set up), or the
 *         driver's error
 */
int vfn_eth_dev_start(uint16_t port_id);

/**
 * Stop a port: bursts move nothing afterwards.  No burst on this port may
 * be running concurrently.  Stopping a stopped port is a no-op.
 * @return 0, -ENODEV, or the driver's error
 */
int vfn_eth_dev_stop(uint16_t port_id);

/**
 * Close a port: stop it if started, release its queues and the device;
 * the id becomes free.
 * @return 0, -ENODEV, or the driver's error (the port is closed anyway)
 */
int vfn_eth_dev_close(uint16_t port_id);

/** 1 when the port is started, 0 when stopped, -ENODEV for a bad port. */
int vfn_eth_dev_is_started(uint16_t port_id);

/**
 * Start one rx queue of a started port: a queue set up with
 * rx_deferred_start, or one stopped with vfn_eth_dev_rx_queue_stop().
 * Starting a started queue is a no-op.
 * @return 0, -ENODEV, -EINVAL (no such queue, or not set up), -EPERM (the
 *         port is not started), -ENOTSUP (the driver cannot start queues
 *         one by one), or the driver's error
 */
int vfn_eth_dev_rx_queue_start(uint16_t port_id, uint16_t rx_queue_id);

/**
 * Stop one rx queue of a started port: its bursts move nothing until it
 * is started again.  No burst on that queue may be running concurrently.
 * @return as vfn_eth_dev_rx_queue_start()
 */
int vfn_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t rx_queue_id);

/** As vfn_eth_dev_rx_queue_start() for a tx queue. */
int vfn_eth_dev_tx_queue_start(uint16_t port_id, uint16_t tx_queue_id);

/** As vfn_eth_dev_rx_queue_stop() for a tx queue. */
int vfn_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t tx_queue_id);

/** @name Receive filters; each returns 0, -ENODEV, -ENOTSUP or the driver's error */
/** @{ */
int vfn_eth_promiscuous_enable(uint16_t port_id);
int vfn_eth_promiscuous_disable(uint16_t port_id);
/** 1 when enabled, 0 when not, -ENODEV */
int vfn_eth_promiscuous_get(uint16_t port_id);
int vfn_eth_allmulticast_enable(uint16_t port_id);
int vfn_eth_allmulticast_disable(uint16_t port_id);
/** 1 when enabled, 0 when not, -ENODEV */
int vfn_eth_allmulticast_get(uint16_t port_id);
/** @} */

/** Current MAC address into @p mac; 0, -ENODEV, -EINVAL. */
int vfn_eth_macaddr_get(uint16_t port_id, struct vfn_ether_addr *mac);

/**
 * Set the port's MAC address.
 * @return 0, -ENODEV, -EINVAL (not a valid unicast address), -ENOTSUP
 */
int vfn_eth_dev_default_mac_addr_set(uint16_t port_id,
				  const struct vfn_ether_addr *mac);

/**
 * Set the MTU (within info.min_mtu..info.max_mtu).
 * @return 0, -ENODEV, -EINVAL, -EBUSY (the driver needs the port stopped),
 *         -ENOTSUP
 */
int vfn_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu);

/** Current MTU into *@p mtu; 0 or -ENODEV. */
int vfn_eth_dev_get_mtu(uint16_t port_id, uint16_t *mtu);

/**
 * Link status now, without waiting (asks the driver to poll the device).
 * @return 0, -ENODEV, -EINVAL
 */
int vfn_eth_link_get_nowait(uint16_t port_id, struct vfn_eth_link *link);

/**
 * Link status, waiting up to 9 s for autonegotiation to finish when the
 * link is down (as rte_eth_link_get()).
 */
int vfn_eth_link_get(uint16_t port_id, struct vfn_eth_link *link);

/** "Link up at 10 Gbps FDX Autoneg" style text into @p buf; bytes or -EINVAL. */
int vfn_eth_link_to_str(char *buf, size_t len, const struct vfn_eth_link *link);

/**
 * Basic counters (queue counters for the first VFN_ETHDEV_QUEUE_STAT_CNTRS
 * queues).  Safe to call while bursts run on other threads.
 * @return 0, -ENODEV, -EINVAL
 */
int vfn_eth_stats_get(uint16_t port_id, struct vfn_eth_stats *stats);

/** Zero the basic counters (and the xstats). 0, -ENODEV. */
int vfn_eth_stats_reset(uint16_t port_id);

/**
 * Names of the extended statistics: the generic ones ("rx_good_packets",
 * "rx_q0_packets", ...) followed by the driver's.
 * @param port_id  the port
 * @param names  array of @p size entries, or NULL to get the count
 * @param size   entries in @p names
 * @return the number of xstats (when > @p size nothing is written), or
 *         -ENODEV
 */
int vfn_eth_xstats_get_names(uint16_t port_id,
			      struct vfn_eth_xstat_name *names,
			      unsigned int size);

/**
 * Values of the extended statistics, in the order of the names.
 * @return the number of xstats (when > @p n nothing is written), or -ENODEV
 */
int vfn_eth_xstats_get(uint16_t port_id, struct vfn_eth_xstat *xstats,
			unsigned int n);

/**
 * Value of the xstat called @p name into *@p value.
 * @return 0, -ENODEV, -ENOENT (no such name), -ENOMEM
 */
int vfn_eth_xstats_get_by_name(uint16_t port_id, const char *name,
				uint64_t *value);

/** Zero the extended statistics (and the basic ones). 0, -ENODEV. */
int vfn_eth_xstats_reset(uint16_t port_id);

/**
 * Change the RSS hash fields and key of a configured port.
 * @return 0, -ENODEV, -EINVAL, -ENOTSUP
 */
int vfn_eth_dev_rss_hash_update(uint16_t port_id,
			     struct vfn_eth_rss_conf *rss_conf);

/**
 * Current RSS configuration; @p rss_conf->rss_key, when not NULL, must
 * have room for info.hash_key_size bytes.
 */
int vfn_eth_dev_rss_hash_conf_get(uint16_t port_id,
			       struct vfn_eth_rss_conf *rss_conf);

/* ---- events: link-state change callbacks ------------------------------ */

/** Port id meaning "every port" in vfn_eth_dev_callback_register(). */
#define VFN_ETH_ALL VFN_MAX_ETHPORTS

/**
 * Period of link polling for ports without a link interrupt (no
 * #VFN_ETH_DEV_INTR_LSC) configured with intr_conf.lsc: the interrupt
 * thread reads their link state this often and reports changes, so a
 * change is seen within this many ms.
 */
#define VFN_ETH_LSC_POLL_MS 250

/**
 * Port events: DPDK's rte_eth_event_type with the same values.  vfnet's
 * drivers raise only #VFN_ETH_EVENT_INTR_LSC; the others exist so that
 * DPDK code compiles and registers unchanged, and never fire.
 */
enum vfn_eth_event_type {
	VFN_ETH_EVENT_UNKNOWN,          /**< unknown event type */
	VFN_ETH_EVENT_INTR_LSC,         /**< link status changed */
	VFN_ETH_EVENT_QUEUE_STATE,      /**< queue state (never raised) */
	VFN_ETH_EVENT_INTR_RESET,       /**< reset needed (never raised) */
	VFN_ETH_EVENT_VF_MBOX,          /**< VF message (never raised) */
	VFN_ETH_EVENT_MACSEC,           /**< MACsec (never raised) */
	VFN_ETH_EVENT_INTR_RMV,         /**< device removed (never raised) */
	VFN_ETH_EVENT_NEW,              /**< port probed (never raised) */
	VFN_ETH_EVENT_DESTROY,          /**< port released (never raised) */
	VFN_ETH_EVENT_IPSEC,            /**< IPsec (never raised) */
	VFN_ETH_EVENT_FLOW_AGED,        /**< aged flows (never raised) */
	VFN_ETH_EVENT_RX_AVAIL_THRESH,  /**< rx threshold (never raised) */
	VFN_ETH_EVENT_ERR_RECOVERING,   /**< error recovery (never raised) */
	VFN_ETH_EVENT_RECOVERY_SUCCESS, /**< recovered (never raised) */
	VFN_ETH_EVENT_RECOVERY_FAILED,  /**< not recovered (never raised) */
	VFN_ETH_EVENT_MAX               /**< number of event types */
};

/**
 * A port event callback.  #VFN_ETH_EVENT_INTR_LSC callbacks run on the
 * interrupt thread (vfn_interrupts.h), never on a data-path lcore, one at
 * a time; the new link state is read with vfn_eth_link_get_nowait().
 * A callback must not stop or close ports (do that from the application's
 * own thread) nor unregister itself.
 * @param port_id    the port the event is about
 * @param event      the event
 * @param cb_arg     the argument given at registration
 * @param ret_param  event-specific data (NULL for INTR_LSC)
 * @return 0 (the value is returned to the driver and otherwise ignored)
 */
typedef int (*vfn_eth_dev_cb_fn)(uint16_t port_id,
				  enum vfn_eth_event_type event, void *cb_arg,
				  void *ret_param);

/**
 * Call @p cb_fn with @p cb_arg on each @p event of port @p port_id (or of
 * every port, present and future: #VFN_ETH_ALL).  LSC events come only
 * from ports configured with intr_conf.lsc = 1, while they are started.
 * Registering the same (port, event, function, argument) twice is a
 * no-op.
 * @return 0, -EINVAL (bad event or NULL @p cb_fn), -ENODEV (no such port),
 *         -ENOMEM
 */
int vfn_eth_dev_callback_register(uint16_t port_id,
				  enum vfn_eth_event_type event,
				  vfn_eth_dev_cb_fn cb_fn, void *cb_arg);

/**
 * Remove the callbacks registered with the same @p port_id, @p event and
 * @p cb_fn, and argument @p cb_arg (or any argument: (void *)-1, as DPDK).
 * @return 0, -EINVAL, -ENODEV, -ENOENT (nothing matched), -EAGAIN (the
 *         callback is running now: try again)
 */
int vfn_eth_dev_callback_unregister(uint16_t port_id,
				    enum vfn_eth_event_type event,
				    vfn_eth_dev_cb_fn cb_fn, void *cb_arg);

/* ---- rx interrupt mode ------------------------------------------------- */

/**
 * Arm the interrupt of rx queue @p queue_id: the queue's eventfd fires
 * when a packet arrives (or already arrived).  An lcore arms its idle
 * queues, polls them once more (a packet may have come in between), then
 * sleeps in vfn_epoll_wait().  The port must be configured with
 * intr_conf.rxq = 1 and started.  Not a data-path call (it may write a
 * device register or a ring flag).
 * @return 0, -ENODEV, -EINVAL (no such queue), -EPERM (port stopped, or
 *         configured without intr_conf.rxq), -ENOTSUP (driver has no rx
 *         interrupts), or the driver's error
 */
int vfn_eth_dev_rx_intr_enable(uint16_t port_id, uint16_t queue_id);

/**
 * Disarm the interrupt of rx queue @p queue_id (after waking up, before
 * busy-polling again).
 * @return as vfn_eth_dev_rx_intr_enable()
 */
int vfn_eth_dev_rx_intr_disable(uint16_t port_id, uint16_t queue_id);

/**
 * Add (#VFN_INTR_EVENT_ADD) rx queue @p queue_id's eventfd to the epoll
 * set @p epfd (#VFN_EPOLL_PER_THREAD: the calling thread's), or remove it
 * (#VFN_INTR_EVENT_DEL).  vfn_epoll_wait() on that set drains the eventfd
 * and returns @p data in vfn_epoll_event.epdata.data.  A queue is in one
 * set at a time.  Stopping the port closes its eventfds, which removes
 * them from every set: add them again after a restart.
 * @return 0, -ENODEV, -EINVAL (no such queue, bad @p op), -EPERM (no
 *         interrupt: port stopped or configured without intr_conf.rxq),
 *         -EEXIST (already added), -ENOENT (DEL of a queue not added), or
 *         the errno of epoll_ctl()
 */
int vfn_eth_dev_rx_intr_ctl_q(uint16_t port_id, uint16_t queue_id, int epfd,
			      int op, void *data);

/**
 * vfn_eth_dev_rx_intr_ctl_q() for every rx queue of the port, each with
 * the same @p data.  @return as vfn_eth_dev_rx_intr_ctl_q(), stopping at
 * the first failure.
 */
int vfn_eth_dev_rx_intr_ctl(uint16_t port_id, int epfd, int op, void *data);

/**
 * The eventfd of rx queue @p queue_id, for an application that runs its
 * own event loop (it must read the 8-byte counter to clear it).  Valid
 * until the port stops.
 * @return the fd, or -ENODEV, -EINVAL, -EPERM as vfn_eth_dev_rx_intr_ctl_q()
 */
int vfn_eth_dev_rx_intr_ctl_q_get_fd(uint16_t port_id, uint16_t queue_id);

/**
 * Bring the link of a started port up / down where the driver can (the
 * ring PMD: a software link that an LSC test toggles).
 * @return 0, -ENODEV, -ENOTSUP, or the driver's error
 */
int vfn_eth_dev_set_link_up(uint16_t port_id);

/** As vfn_eth_dev_set_link_up(), to bring the link down. */
int vfn_eth_dev_set_link_down(uint16_t port_id);

#ifdef __cplusplus
}
#endif

#endif /* VFN_ETHDEV_H */
