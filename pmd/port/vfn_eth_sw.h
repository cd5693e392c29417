/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Data-path helpers shared by the software PMDs (null, pcap, af_packet,
 * af_xdp, memif): drivers that build received mbufs themselves instead
 * of having a NIC write descriptors.  Driver-side only; not part of the
 * application API.
 */
#ifndef VFN_ETH_SW_H
#define VFN_ETH_SW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vfn_mbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The rearm_data word of a reset mbuf of port @p port_id whose data
 * starts @p data_off bytes into its buffer (refcnt 1, one segment):
 * what a software PMD's rx queue set-up keeps for
 * vfn_eth_sw_rx_mbuf_init().
 */
static inline uint64_t vfn_eth_sw_rearm_data(uint16_t data_off,
					     uint16_t port_id)
{
	struct vfn_mbuf tmpl;

	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.data_off = data_off;
	tmpl.refcnt = 1;
	tmpl.nb_segs = 1;
	tmpl.port = port_id;
	return tmpl.rearm_data;
}

/**
 * Reset a freshly allocated rx mbuf to a single segment of @p len bytes.
 *
 * @p rearm is the queue's rearm_data template (data_off, refcnt,
 * nb_segs, port) taken once at queue set-up from a reset mbuf.  Every
 * other offload field is cleared; only VFN_MBUF_F_EXTERNAL survives in
 * ol_flags, since it describes the buffer, not the packet.  The caller
 * fills the data.
 */
static inline void vfn_eth_sw_rx_mbuf_init(struct vfn_mbuf *m,
					   uint64_t rearm, uint32_t len)
{
	m->rearm_data = rearm;
	m->next = NULL;
	m->ol_flags &= VFN_MBUF_F_EXTERNAL;
	m->packet_type = 0;
	m->pkt_len = len;
	m->data_len = (uint16_t)len;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	m->tx_offload = 0;
}

/**
 * Whether the @p n (> 0) mbufs of a sent burst can go back to the pool of
 * the first with one vfn_mempool_put_bulk(): each a single segment of
 * refcnt 1, neither indirect nor external, from that same pool.  The
 * checks are those vfn_pktmbuf_prefree_seg() makes before it returns an
 * mbuf as is; the caller frees the burst the slow way otherwise.
 */
static inline int vfn_eth_sw_tx_burst_plain(struct vfn_mbuf *const *pkts,
					    uint16_t n)
{
	const struct vfn_mempool *mp = pkts[0]->pool;
	uint64_t odd = 0;
	uint16_t i;

	for (i = 0; i < n; i++) {
		const struct vfn_mbuf *m = pkts[i];

		/* Acquire as vfn_pktmbuf_prefree_seg(): a holder that just
		 * dropped its reference is done with the buffer. */
		odd |= (uint64_t)(__atomic_load_n(&m->refcnt,
						  __ATOMIC_ACQUIRE) ^ 1) |
		       (m->ol_flags & (VFN_MBUF_F_INDIRECT |
				       VFN_MBUF_F_EXTERNAL)) |
		       (uint64_t)(uintptr_t)m->next |
		       (uint64_t)(m->nb_segs ^ 1) |
		       (uint64_t)((uintptr_t)m->pool ^ (uintptr_t)mp);
	}
	return odd == 0;
}

/**
 * Free a sent burst of @p n (> 0) mbufs: one vfn_mempool_put_bulk() when
 * vfn_eth_sw_tx_burst_plain() allows it, else vfn_pktmbuf_free_bulk().
 */
static inline void vfn_eth_sw_tx_free_burst(struct vfn_mbuf **pkts,
					    uint16_t n)
{
	if (likely(vfn_eth_sw_tx_burst_plain(pkts, n)))
		vfn_mempool_put_bulk(pkts[0]->pool, (void *const *)pkts, n);
	else
		vfn_pktmbuf_free_bulk(pkts, n);
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_ETH_SW_H */
