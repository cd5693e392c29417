/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal helpers shared by the port layer's files: port lookup with the
 * log line a caller can act on, queue release, fast-path table updates.
 */
#ifndef PORT_INTERNAL_H
#define PORT_INTERNAL_H

#include "vfn_log.h"
#include "vfn_ethdev_driver.h"

#define PORT_LOG(level, ...) VFN_LOG(level, "port", __VA_ARGS__)

/* The port for @id, or NULL after logging "no port N". */
struct vfn_eth_dev *port_lookup(uint16_t id, const char *func);

/* Release every set-up queue and the per-queue arrays. */
void port_queues_free(struct vfn_eth_dev *port);

/* Release rx (tx) queue @q, folding its counters into the retired totals. */
void port_rxq_release(struct vfn_eth_dev *port, uint16_t q);
void port_txq_release(struct vfn_eth_dev *port, uint16_t q);

/* Install the port's bursts in the fast-path tables / put the dummies back. */
void port_fp_install(struct vfn_eth_dev *port);
void port_fp_reset(uint16_t port_id);
/* The same for one queue. */
void port_fp_install_queue(struct vfn_eth_dev *port, int is_rx, uint16_t q);
void port_fp_reset_queue(struct vfn_eth_dev *port, int is_rx, uint16_t q);

/* Snapshot the reset baseline of a freshly set-up queue. */
void port_stats_queue_setup(struct vfn_eth_dev *port, int is_rx, uint16_t q);

/* Fold a queue's counts (since its baseline) into the retired totals. */
void port_stats_queue_retire(struct vfn_eth_dev *port, int is_rx, uint16_t q);

/*
 * Check that @mp can feed @nb_desc descriptors with buffers of at least
 * @min_bufsize data bytes after the headroom.  0 or -ENOBUFS / -EINVAL.
 */
int port_mempool_check(const struct vfn_eth_dev *port, uint16_t q,
		       struct vfn_mempool *mp, uint16_t nb_desc,
		       uint32_t min_bufsize);

/* LSC polling of a port without a link interrupt (intr_conf.lsc): join /
 * leave the interrupt thread's poll set at start / stop. */
int port_lsc_start(struct vfn_eth_dev *port);
void port_lsc_stop(struct vfn_eth_dev *port);

/* Forget the rx queues' eventfds and epoll registrations (after stop). */
void port_rxq_intr_reset(struct vfn_eth_dev *port);

/* Drop the callbacks registered for a port that is being released. */
void port_event_port_release(uint16_t port_id);

#endif /* PORT_INTERNAL_H */
