/* SPDX-License-Identifier: BSD-3-Clause */
/* net_ring internals shared by its control path, data path and vdev parser. */
#ifndef RING_PRIVATE_H
#define RING_PRIVATE_H

#include <stdint.h>

#include "vfn_common.h"
#include "vfn_ethdev_driver.h"
#include "vfn_log.h"
#include "vfn_eth_ring.h"

#define RING_DRIVER_NAME "net_ring"

/* The driver's one log macro: RING_LOG(ERR, "...", ...) */
#define RING_LOG(level, ...) VFN_LOG(level, RING_DRIVER_NAME, __VA_ARGS__)

struct ring_queue {
	struct vfn_ring *rng;
	struct vfn_eth_qstats stats;
} __vfn_cache_aligned;

struct ring_dev {
	unsigned int nb_rx_rings, nb_tx_rings;
	struct vfn_ring *rx_rings[VFN_PMD_RING_MAX_QUEUES];
	struct vfn_ring *tx_rings[VFN_PMD_RING_MAX_QUEUES];
	/* Rings this port created: drained and freed at close. */
	struct vfn_ring *owned[2 * VFN_PMD_RING_MAX_QUEUES];
	unsigned int nb_owned;
	struct ring_queue rxq[VFN_PMD_RING_MAX_QUEUES];
	struct ring_queue txq[VFN_PMD_RING_MAX_QUEUES];
};

uint16_t ring_rx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t ring_tx(void *q, struct vfn_mbuf **pkts, uint16_t n);

/*
 * Create a port over the given rings; @owned (may be NULL) are freed at
 * close.  Returns the port id or a negative errno (the owned rings are
 * freed on failure too).
 */
int ring_port_create(const char *name, struct vfn_ring *const rx[],
		     unsigned int nrx, struct vfn_ring *const tx[],
		     unsigned int ntx, int socket, struct vfn_ring *const owned[],
		     unsigned int nb_owned);

/* Drain a ring (free the mbufs in it) and free it. */
void ring_drain_free(struct vfn_ring *r);

#endif /* RING_PRIVATE_H */
