/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The port API as a driver sees it (DPDK's ethdev_driver.h).
 *
 * A driver, from its PCI probe() or virtual-device probe():
 *  1. port = vfn_eth_dev_allocate("net_null0") (or the PCI name);
 *  2. fills port->ops, port->driver_name, port->dev_private,
 *     port->socket_id, port->mac_addr, port->rx_pkt_burst and
 *     port->tx_pkt_burst (and optionally per-queue burst functions in
 *     port->rxq_pkt_burst[q] / txq_pkt_burst[q] from its queue set-up);
 *  3. returns; the port is usable.
 * Its remove() calls vfn_eth_dev_close() (or vfn_eth_dev_release_port() when the
 * port was never used).
 *
 * The port layer does the argument and state checks listed in vfn_ethdev.h
 * before calling an op, so ops only validate what is driver-specific.
 * Queue set-up ops store the driver's queue in port->rx_queues[q] /
 * port->tx_queues[q]; vfn_eth_dev_start() installs (burst, queue) pairs in
 * the fast-path tables, vfn_eth_dev_stop() swaps in dummies.
 *
 * Statistics: a driver keeps one struct vfn_eth_qstats per queue,
 * updated with vfn_eth_qstats_add() by the (single) thread polling the
 * queue, and points port->rxq_stats[q] / txq_stats[q] at it from its
 * queue set-up op.  The port layer sums them into vfn_eth_stats and the
 * generic xstats, implements reset without racing the data path (it keeps
 * a baseline), and keeps the counts of released queues.  Driver-only
 * counters (imissed from a hardware register, ...) come from the optional
 * stats_get op, which adds to what the port layer filled in.
 */
#ifndef VFN_ETHDEV_DRIVER_H
#define VFN_ETHDEV_DRIVER_H

#include <stdint.h>
#include <string.h>

#include "vfn_common.h"
#include "vfn_ethdev.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vfn_eth_dev;
struct vfn_pci_device;

_Static_assert(sizeof(struct vfn_eth_link) == sizeof(uint64_t),
	       "vfn_eth_linkstatus_set() stores the link as one 64-bit word");

/**
 * Per-queue counters: written by the one thread that polls the queue
 * (relaxed atomic stores, plain adds on x86), read by any thread.
 */
struct vfn_eth_qstats {
	uint64_t packets; /**< packets received / sent */
	uint64_t bytes;   /**< bytes received / sent */
	uint64_t errors;  /**< rx: bad packets dropped; tx: packets failed */
	uint64_t nombuf;  /**< rx only: mbuf allocation failures */
};

/** Count @p pkts packets of @p bytes bytes in total (data path). */
static inline void vfn_eth_qstats_add(struct vfn_eth_qstats *s,
				       uint64_t pkts, uint64_t bytes)
{
	/* Single writer: a relaxed load-add-store is enough; readers only
	 * need untorn 64-bit values, which relaxed atomics give. */
	__atomic_store_n(&s->packets, s->packets + pkts, __ATOMIC_RELAXED);
	__atomic_store_n(&s->bytes, s->bytes + bytes, __ATOMIC_RELAXED);
}

/** Count @p n packets only (drivers that do not count bytes). */
static inline void vfn_eth_qstats_add_pkts(struct vfn_eth_qstats *s,
					    uint64_t n)
{
	__atomic_store_n(&s->packets, s->packets + n, __ATOMIC_RELAXED);
}

/** Count @p n errors (data path). */
static inline void vfn_eth_qstats_add_errors(struct vfn_eth_qstats *s,
					      uint64_t n)
{
	__atomic_store_n(&s->errors, s->errors + n, __ATOMIC_RELAXED);
}

/** Count @p n rx mbuf allocation failures (data path). */
static inline void vfn_eth_qstats_add_nombuf(struct vfn_eth_qstats *s,
					      uint64_t n)
{
	__atomic_store_n(&s->nombuf, s->nombuf + n, __ATOMIC_RELAXED);
}

/**
 * What a driver implements.  NULL ops are "not supported" (-ENOTSUP),
 * except where noted.  All ops run on the control path, called by the
 * port layer after its generic checks; they return 0 or a negative errno.
 */
struct vfn_eth_dev_ops {
	/** Apply port->conf / nb_rx_queues / nb_tx_queues (port stopped). Optional. */
	int (*configure)(struct vfn_eth_dev *port);
	/**
	 * Fill the driver-specific fields of @p info (limits, capabilities,
	 * defaults).  The port layer filled name, driver_name, socket_id,
	 * mac_addr, link_speed, nb_rx/tx_queues beforehand.  Required.
	 */
	int (*info_get)(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info);
	/**
	 * Set up rx queue @p q (any previous one was released).  Store the
	 * queue in port->rx_queues[q] and, when counted by the port layer,
	 * its counters in port->rxq_stats[q].  @p nb_desc is already checked
	 * against info.rx_desc_lim and @p conf is never NULL.  Required.
	 */
	int (*rx_queue_setup)(struct vfn_eth_dev *port, uint16_t q,
			      uint16_t nb_desc, int socket_id,
			      const struct vfn_eth_rxconf *conf,
			      struct vfn_mempool *mp);
	/** Free rx queue @p q (port stopped); must free its mbufs. Optional. */
	void (*rx_queue_release)(struct vfn_eth_dev *port, uint16_t q);
	/** As rx_queue_setup for tx queue @p q. Required. */
	int (*tx_queue_setup)(struct vfn_eth_dev *port, uint16_t q,
			      uint16_t nb_desc, int socket_id,
			      const struct vfn_eth_txconf *conf);
	/** Free tx queue @p q (port stopped); frees mbufs still queued. Optional. */
	void (*tx_queue_release)(struct vfn_eth_dev *port, uint16_t q);
	/** Start the device; bursts are installed after it returns 0. Optional. */
	int (*start)(struct vfn_eth_dev *port);
	/** Stop the device; the dummies are installed before it runs. Optional. */
	int (*stop)(struct vfn_eth_dev *port);
	/** Free the device (queues already released, port stopped). Optional. */
	int (*close)(struct vfn_eth_dev *port);
	/** Refresh port->link, waiting when @p wait_to_complete. Optional. */
	int (*link_update)(struct vfn_eth_dev *port, int wait_to_complete);
	/** Add driver-only counters to @p stats (already filled). Optional. */
	int (*stats_get)(struct vfn_eth_dev *port, struct vfn_eth_stats *stats);
	/** Zero driver-only counters. Optional. */
	int (*stats_reset)(struct vfn_eth_dev *port);
	/**
	 * Names of the driver's own xstats (after the generic ones).
	 * @return their number; write nothing when @p names is NULL or
	 * @p size is too small.  Optional (no driver xstats).
	 */
	int (*xstats_get_names)(struct vfn_eth_dev *port,
				struct vfn_eth_xstat_name *names,
				unsigned int size);
	/** Values of the driver's own xstats, same order; returns the count. */
	int (*xstats_get)(struct vfn_eth_dev *port, uint64_t *values,
			  unsigned int n);
	/** Zero the driver's own xstats. Optional. */
	int (*xstats_reset)(struct vfn_eth_dev *port);
	int (*promiscuous_enable)(struct vfn_eth_dev *port);
	int (*promiscuous_disable)(struct vfn_eth_dev *port);
	int (*allmulticast_enable)(struct vfn_eth_dev *port);
	int (*allmulticast_disable)(struct vfn_eth_dev *port);
	/** Program a new unicast address (port->mac_addr updated on success). */
	int (*mac_addr_set)(struct vfn_eth_dev *port,
			    const struct vfn_ether_addr *mac);
	/** Apply a new MTU (already range-checked; port->mtu updated on success). */
	int (*mtu_set)(struct vfn_eth_dev *port, uint16_t mtu);
	/** Apply new RSS fields/key (port->conf updated on success). */
	int (*rss_hash_update)(struct vfn_eth_dev *port,
			       const struct vfn_eth_rss_conf *rss_conf);
	/**
	 * Start / stop one queue of a started port (optional: without them
	 * deferred start and per-queue start/stop are -ENOTSUP).  The port
	 * layer installs the queue's burst after start returns 0 and puts
	 * the dummy back before stop runs.  The device start op must leave
	 * queues with port->rx_deferred[q] / tx_deferred[q] set stopped.
	 */
	int (*rx_queue_start)(struct vfn_eth_dev *port, uint16_t q);
	int (*rx_queue_stop)(struct vfn_eth_dev *port, uint16_t q);
	int (*tx_queue_start)(struct vfn_eth_dev *port, uint16_t q);
	int (*tx_queue_stop)(struct vfn_eth_dev *port, uint16_t q);
	/**
	 * Arm / disarm the interrupt of rx queue @p q (port started with
	 * conf.intr_conf.rxq; checked by the port layer).  Optional: without
	 * them, intr_conf.rxq is refused.  A driver that has them fills
	 * port->rxq_intr_fd[q] from its start op when conf.intr_conf.rxq is
	 * set; the port layer sets the entries back to -1 after stop.
	 */
	int (*rx_queue_intr_enable)(struct vfn_eth_dev *port, uint16_t q);
	int (*rx_queue_intr_disable)(struct vfn_eth_dev *port, uint16_t q);
	/** Bring the link up / down (port started). Optional. */
	int (*dev_set_link_up)(struct vfn_eth_dev *port);
	int (*dev_set_link_down)(struct vfn_eth_dev *port);
};

/** @internal Counters kept by the port layer (reset baselines, released queues). */
struct vfn_eth_stats_state {
	struct vfn_eth_qstats *rx_base; /**< per rx queue: value at last reset */
	struct vfn_eth_qstats *tx_base; /**< per tx queue */
	struct vfn_eth_stats retired;   /**< totals of released queues */
};

/** A port (DPDK's rte_eth_dev + rte_eth_dev_data). */
struct vfn_eth_dev {
	uint16_t port_id;                  /**< index in the port table */
	char name[VFN_ETH_NAME_MAX_LEN];  /**< "net_null0", "0000:00:02.0" */
	const char *driver_name;           /**< "net_null" (static string) */
	const struct vfn_eth_dev_ops *ops;    /**< the driver's operations */
	void *dev_private;                 /**< the driver's data */
	struct vfn_pci_device *pci_dev;    /**< PCI device, NULL for vdevs */
	int socket_id;                     /**< NUMA node, -1 when unknown */

	struct vfn_ether_addr mac_addr;    /**< current MAC address */
	struct vfn_eth_link link;         /**< last known link state */
	uint16_t mtu;                      /**< current MTU */
	uint8_t promiscuous;               /**< promiscuous mode on */
	uint8_t all_multicast;             /**< all-multicast mode on */
	uint8_t configured;                /**< vfn_eth_dev_configure() succeeded */
	uint8_t started;                   /**< vfn_eth_dev_start() succeeded */

	struct vfn_eth_conf conf;         /**< last configuration (rss_key -> rss_key_buf) */
	uint8_t rss_key_buf[VFN_ETH_RSS_KEY_MAX];
	uint16_t nb_rx_queues;             /**< configured rx queues */
	uint16_t nb_tx_queues;             /**< configured tx queues */
	void **rx_queues;                  /**< driver queue per rx queue (NULL: not set up) */
	void **tx_queues;                  /**< driver queue per tx queue */
	struct vfn_mempool **rx_mempools;  /**< pool given to each rx queue */
	uint16_t *rx_nb_desc;              /**< descriptors of each rx queue */
	uint16_t *tx_nb_desc;              /**< descriptors of each tx queue */

	vfn_eth_rx_burst_t rx_pkt_burst;       /**< rx burst function for every queue */
	vfn_eth_tx_burst_t tx_pkt_burst;       /**< tx burst function for every queue */
	vfn_eth_rx_burst_t *rxq_pkt_burst;     /**< per-queue override (NULL entry: default) */
	vfn_eth_tx_burst_t *txq_pkt_burst;     /**< per-queue override */

	struct vfn_eth_qstats **rxq_stats;/**< per rx queue counters, or NULL */
	struct vfn_eth_qstats **txq_stats;/**< per tx queue counters, or NULL */
	struct vfn_eth_stats_state st;    /**< @internal */

	uint8_t *rx_deferred;              /**< rx queue set up with rx_deferred_start */
	uint8_t *tx_deferred;              /**< tx queue set up with tx_deferred_start */
	uint8_t *rxq_started;              /**< rx queue moving packets now */
	uint8_t *txq_started;              /**< tx queue moving packets now */

	uint32_t dev_flags;                /**< VFN_ETH_DEV_* (set at probe) */
	int *rxq_intr_fd;                  /**< per rx queue eventfd, -1: none */
	struct vfn_epoll_event *rxq_intr_ev; /**< @internal epoll registration */
	struct vfn_eth_link lsc_reported;  /**< @internal last link polled LSC reported */
	uint8_t lsc_polled;                /**< @internal in the LSC poll set */
};

/**
 * Report @p event of @p port to the application's callbacks
 * (vfn_eth_dev_callback_register()), on the calling thread: drivers call
 * it from their interrupt-thread handler, after updating port->link for
 * #VFN_ETH_EVENT_INTR_LSC.  Callbacks registered for the port and for
 * #VFN_ETH_ALL run in registration order.
 * @return the last callback's return value, 0 when none ran
 */
int vfn_eth_dev_callback_process(struct vfn_eth_dev *port,
				 enum vfn_eth_event_type event,
				 void *ret_param);

/**
 * Store @p link as @p port's link state in one atomic store (the
 * interrupt thread and the application may both update it).
 * @return 0 when the state changed, -1 when it was already @p link (as
 *         DPDK's rte_eth_linkstatus_set())
 */
static inline int vfn_eth_linkstatus_set(struct vfn_eth_dev *port,
					 const struct vfn_eth_link *link)
{
	struct vfn_eth_link tmp;
	uint64_t nv, old;

	/* Copy field by field into zeroed memory: padding compares equal. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.link_speed = link->link_speed;
	tmp.link_duplex = link->link_duplex;
	tmp.link_autoneg = link->link_autoneg;
	tmp.link_status = link->link_status;
	memcpy(&nv, &tmp, sizeof(nv));
	old = __atomic_exchange_n((uint64_t *)&port->link, nv,
				  __ATOMIC_SEQ_CST);
	return old == nv ? -1 : 0;
}

/** Read @p port's link state in one atomic load into @p link. */
static inline void vfn_eth_linkstatus_get(const struct vfn_eth_dev *port,
					  struct vfn_eth_link *link)
{
	uint64_t v = __atomic_load_n((const uint64_t *)&port->link,
				     __ATOMIC_SEQ_CST);

	memcpy(link, &v, sizeof(v));
}

/**
 * Allocate a port called @p name (unique) with the first free id, in the
 * stopped, unconfigured state, MTU VFN_ETHER_MTU.
 * @return the port, or NULL with errno EEXIST (name in use), ENOSPC (all
 *         VFN_MAX_ETHPORTS ids taken), EINVAL (bad name), ENOMEM
 */
struct vfn_eth_dev *vfn_eth_dev_allocate(const char *name);

/**
 * Free a port's id and its port-layer memory (not the driver's): for a
 * probe that fails after vfn_eth_dev_allocate(), or from a driver's close.
 * Normal teardown goes through vfn_eth_dev_close().
 */
void vfn_eth_dev_release_port(struct vfn_eth_dev *port);

/** The port with id @p port_id, or NULL when it does not exist. */
struct vfn_eth_dev *vfn_eth_dev_get(uint16_t port_id);

/** The port called @p name, or NULL. */
struct vfn_eth_dev *vfn_eth_dev_allocated(const char *name);

/**
 * Parse "key=value,key=value" device arguments, calling @p cb for each
 * pair in order.  Keys not in @p valid_keys (NULL-terminated) are an
 * error, logged with the list of valid keys.  A key without '=' gets
 * the value "".
 * @param args        the arguments, NULL or "" for none
 * @param valid_keys  the keys the driver takes, NULL-terminated
 * @param cb          called with each key, its value and @p opaque
 * @param opaque      passed to @p cb
 * @return 0, -EINVAL (unknown key or malformed), or @p cb's first
 *         non-zero return
 */
int vfn_eth_dev_args_parse(const char *args, const char *const *valid_keys,
			int (*cb)(const char *key, const char *value,
				  void *opaque),
			void *opaque);

/**
 * Parse an unsigned integer device argument (decimal, 0x hex, or octal)
 * in [min, max] into *@p out.  @return 0 or -EINVAL (logged with @p key).
 */
int vfn_eth_dev_arg_uint(const char *key, const char *value, uint64_t min,
		      uint64_t max, uint64_t *out);

/**
 * Ops for software ports that have nothing to program.  Each succeeds
 * without doing anything: vfn_eth_dev_op_nop() for promiscuous_* and
 * allmulticast_* (a software port sees every frame anyway),
 * vfn_eth_dev_op_mac_addr_set_nop() and vfn_eth_dev_op_mtu_set_nop()
 * where the port layer's stored value is all there is.
 */
int vfn_eth_dev_op_nop(struct vfn_eth_dev *port);
int vfn_eth_dev_op_mac_addr_set_nop(struct vfn_eth_dev *port,
				    const struct vfn_ether_addr *mac);
int vfn_eth_dev_op_mtu_set_nop(struct vfn_eth_dev *port, uint16_t mtu);

/**
 * A virtual-device driver's remove(): close the port called @p name if
 * it is one of this driver's (its ops are @p ops).
 * @return vfn_eth_dev_close()'s result, or -ENODEV if no such port of
 *         this driver exists
 */
int vfn_eth_vdev_close_by_name(const char *name,
			       const struct vfn_eth_dev_ops *ops);

#ifdef __cplusplus
}
#endif

#endif /* VFN_ETHDEV_DRIVER_H */
