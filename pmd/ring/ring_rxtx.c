/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring data path: a burst is one ring dequeue or enqueue (single or
 * multi producer/consumer as the ring was created) and a packet count.
 * As DPDK's net_ring (drivers/net/ring/rte_eth_ring.c), no byte count:
 * summing pkt_len would read every mbuf, which nothing else here touches
 * (io forwarding over ring ports then never loads an mbuf), so ibytes,
 * obytes and the per-queue byte counters of a ring port stay 0.
 */
#include "vfn_ring.h"
#include "ring_private.h"

uint16_t ring_rx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rq = q;
	unsigned int nb;

	nb = vfn_ring_dequeue_burst(rq->rng, (void **)pkts, n, NULL);
	vfn_eth_qstats_add_pkts(&rq->stats, nb);
	return (uint16_t)nb;
}

uint16_t ring_tx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rq = q;
	unsigned int nb;

	nb = vfn_ring_enqueue_burst(rq->rng, (void *const *)pkts, n, NULL);
	vfn_eth_qstats_add_pkts(&rq->stats, nb);
	return (uint16_t)nb;
}
