/* SPDX-License-Identifier: BSD-3-Clause */
/* macswap: forward packets with their Ethernet source and destination swapped. */
#include "vfn_mbuf.h"
#include "fwd.h"

static uint16_t macswap_fwd(struct fwd_stream *fs, uint16_t burst)
{
	struct vfn_mbuf *pkts[FWD_MAX_BURST];
	uint16_t nb_rx, nb_tx, i;

	nb_rx = fwd_rx_burst(fs, pkts, burst);
	if (unlikely(nb_rx == 0))
		return 0;
	fwd_count(&fs->rx_packets, nb_rx);
	for (i = 0; i < nb_rx; i++) {
		struct vfn_ether_hdr *eth;
		struct vfn_ether_addr tmp;

		if (i + 1 < nb_rx)
			vfn_prefetch0(vfn_pktmbuf_mtod(pkts[i + 1], void *));
		eth = vfn_pktmbuf_mtod(pkts[i], struct vfn_ether_hdr *);
		tmp = eth->dst_addr;
		eth->dst_addr = eth->src_addr;
		eth->src_addr = tmp;
		pkts[i]->ol_flags &= VFN_MBUF_F_INDIRECT | VFN_MBUF_F_EXTERNAL;
		pkts[i]->l2_len = sizeof(*eth);
	}
	nb_tx = fwd_tx_burst(fs, pkts, nb_rx);
	fwd_count(&fs->tx_packets, nb_tx);
	if (unlikely(nb_tx < nb_rx))
		fwd_drop(fs, pkts, nb_tx, nb_rx);
	return nb_rx;
}

const struct fwd_engine fwd_engine_macswap = {
	.name = "macswap",
	.fwd = macswap_fwd,
};
