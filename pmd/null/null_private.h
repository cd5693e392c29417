/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null: a port with no device behind it (DPDK's net_null).  Rx hands
 * out mbufs of `size` bytes from the queue's pool (copying a zeroed
 * template into them with copy=1), tx frees what it is given (reading
 * the data first with copy=1).  For tests and for measuring the cost of
 * the port layer, the mempool and the application.
 */
#ifndef NULL_PRIVATE_H
#define NULL_PRIVATE_H

#include <stdint.h>

#include "vfn_common.h"
#include "vfn_ethdev_driver.h"
#include "vfn_log.h"

#define NULL_DRIVER_NAME "net_null"

/* The driver's one log macro: NULL_LOG(ERR, "...", ...) */
#define NULL_LOG(level, ...) VFN_LOG(level, NULL_DRIVER_NAME, __VA_ARGS__)
#define NULL_RSS_KEY_SIZE 40
#define NULL_RETA_SIZE 128

/* One queue; rx and tx use the same layout. */
struct null_queue {
	struct vfn_mempool *mb_pool; /* rx: where packets come from */
	uint64_t mbuf_rearm;         /* rx: data_off, refcnt 1, nb_segs 1, port */
	uint32_t packet_size;        /* bytes per packet */
	uint16_t port_id;
	uint16_t queue_id;
	void *dummy_packet;          /* copy=1: template / sink, packet_size bytes */
	struct vfn_eth_qstats stats;
} __vfn_cache_aligned;

struct null_dev {
	uint32_t packet_size;   /* size= (default 64) */
	uint8_t packet_copy;    /* copy= (default 0) */
	uint8_t no_rx;          /* no-rx= (default 0) */
	uint8_t rss_key[NULL_RSS_KEY_SIZE];
	struct null_queue *rxq; /* nb_rx_queues entries after configure */
	struct null_queue *txq;
	uint16_t nb_rxq, nb_txq;
};

/* Burst functions (null_rxtx.c). */
uint16_t null_rx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t null_rx_copy(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t null_rx_none(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t null_tx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t null_tx_copy(void *q, struct vfn_mbuf **pkts, uint16_t n);

/* Create port @name with the parsed options (null_ops.c). */
int null_port_create(const char *name, uint32_t size, int copy, int no_rx);

#endif /* NULL_PRIVATE_H */
