/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring data path: a burst is one ring dequeue or enqueue (single or
 * multi producer/consumer as the ring was created).  Bytes are summed
 * before the enqueue: once on the ring, an mbuf belongs to the consumer.
 */
#include "vfn_mbuf.h"
#include "vfn_ring.h"
#include "ring_private.h"

uint16_t ring_rx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rq = q;
	uint64_t bytes = 0;
	unsigned int i, nb;

	nb = vfn_ring_dequeue_burst(rq->rng, (void **)pkts, n, NULL);
	for (i = 0; i < nb; i++)
		bytes += pkts[i]->pkt_len;
	vfn_eth_qstats_add(&rq->stats, nb, bytes);
	return (uint16_t)nb;
}

uint16_t ring_tx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rq = q;
	uint64_t bytes = 0;
	unsigned int i, nb;

	for (i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	nb = vfn_ring_enqueue_burst(rq->rng, (void *const *)pkts, n, NULL);
	/* The ones not taken are still ours to read. */
	for (i = nb; i < n; i++)
		bytes -= pkts[i]->pkt_len;
	vfn_eth_qstats_add(&rq->stats, nb, bytes);
	return (uint16_t)nb;
}
