/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * flowgen: as txonly, with the IPv4 destination (and UDP ports) cycling
 * over --flowgen-flows flows, one per packet, checksum recomputed.
 */
#include "vfn_mbuf.h"
#include "fwd.h"

/*
 * The mempool's debug cookie check reads the table it just filled; GCC
 * cannot see the fill through the ring copy and warns in debug builds.
 */
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

static int flowgen_init(struct fwd_stream *fs)
{
	fwd_pkt_template(fs, fwd_cfg.tx_pkt_len);
	fs->flow = 0;
	return 0;
}

static uint16_t flowgen_fwd(struct fwd_stream *fs, uint16_t burst)
{
	struct vfn_mbuf *pkts[FWD_MAX_BURST];
	struct vfn_mbuf *segs[FWD_MAX_BURST * FWD_MAX_SEGS];
	uint16_t nb_tx, i;
	unsigned int nsegs = fwd_cfg.nb_txsegs;

	if (vfn_pktmbuf_alloc_bulk(fs->pool, segs, burst * nsegs) != 0)
		return 0;
	for (i = 0; i < burst; i++) {
		pkts[i] = fwd_pkt_build(fs, segs + i * nsegs);
		fwd_pkt_set_flow(vfn_pktmbuf_mtod(pkts[i], void *), fs->flow);
		if (++fs->flow == fwd_cfg.flowgen_flows)
			fs->flow = 0;
	}
	nb_tx = fwd_tx_burst(fs, pkts, burst);
	fwd_count(&fs->tx_packets, nb_tx);
	if (unlikely(nb_tx < burst))
		fwd_drop(fs, pkts, nb_tx, burst);
	return burst;
}

const struct fwd_engine fwd_engine_flowgen = {
	.name = "flowgen",
	.fwd = flowgen_fwd,
	.stream_init = flowgen_init,
	.generates = 1,
};
