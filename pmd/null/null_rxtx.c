/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null data path.  Rx takes a burst of mbufs from the pool in one
 * bulk get (all or nothing, as DPDK's net_null) and initialises each as
 * vfn_pktmbuf_reset() would plus the packet length and input port, with
 * the data_off/refcnt/nb_segs/port word written as one precomputed
 * 8-byte store.  Tx frees the burst: when every mbuf is a direct,
 * unshared, single-segment mbuf of one pool (what vfn_pktmbuf_free()
 * would hand back unchanged) the burst goes back to the pool in one bulk
 * put; anything else takes vfn_pktmbuf_free_bulk(), which honours
 * reference counts, indirect mbufs and chains.
 */
#include <string.h>

#include "vfn_mbuf.h"
#include "vfn_eth_sw.h"
#include "null_private.h"

static inline uint16_t null_rx_common(struct null_queue *q,
				      struct vfn_mbuf **pkts, uint16_t n,
				      int copy)
{
	const uint64_t rearm = q->mbuf_rearm;
	const uint32_t size = q->packet_size;
	uint16_t i;

	if (unlikely(vfn_mbuf_raw_alloc_bulk(q->mb_pool, pkts, n) != 0)) {
		vfn_eth_qstats_add_nombuf(&q->stats, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		vfn_eth_sw_rx_mbuf_init(pkts[i], rearm, size);
		if (copy)
			memcpy(vfn_pktmbuf_mtod(pkts[i], void *), q->dummy_packet, size);
	}
	vfn_eth_qstats_add(&q->stats, n, (uint64_t)n * size);
	return n;
}

uint16_t null_rx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	return null_rx_common(q, pkts, n, 0);
}

uint16_t null_rx_copy(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	return null_rx_common(q, pkts, n, 1);
}

uint16_t null_rx_none(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	(void)q;
	(void)pkts;
	(void)n;
	return 0;
}

uint16_t null_tx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct null_queue *nq = q;
	uint64_t bytes = 0;
	uint16_t i;

	if (unlikely(n == 0))
		return 0;
	for (i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	vfn_eth_sw_tx_free_burst(pkts, n);
	vfn_eth_qstats_add(&nq->stats, n, bytes);
	return n;
}

uint16_t null_tx_copy(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct null_queue *nq = q;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		uint32_t len = pkts[i]->data_len < nq->packet_size ?
			       pkts[i]->data_len : nq->packet_size;

		memcpy(nq->dummy_packet, vfn_pktmbuf_mtod(pkts[i], void *), len);
		bytes += pkts[i]->pkt_len;
	}
	if (n)
		vfn_eth_sw_tx_free_burst(pkts, n);
	vfn_eth_qstats_add(&nq->stats, n, bytes);
	return n;
}
