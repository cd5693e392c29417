/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * txonly: send generated Ethernet/IPv4/UDP packets of --txpkts bytes
 * (segments chained when several lengths are given), as testpmd's txonly
 * with its default addresses; with --txonly-multi-flow the source
 * address cycles over 256 values, packet by packet.
 */
#include "vfn_mbuf.h"
#include "fwd.h"

/*
 * The mempool's debug cookie check reads the table it just filled; GCC
 * cannot see the fill through the ring copy and warns in debug builds.
 */
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

static int txonly_init(struct fwd_stream *fs)
{
	fwd_pkt_template(fs, fwd_cfg.tx_pkt_len);
	return 0;
}

static uint16_t txonly_fwd(struct fwd_stream *fs, uint16_t burst)
{
	struct vfn_mbuf *pkts[FWD_MAX_BURST];
	struct vfn_mbuf *segs[FWD_MAX_BURST * FWD_MAX_SEGS];
	uint16_t nb_tx, i;
	unsigned int nsegs = fwd_cfg.nb_txsegs;

	if (vfn_pktmbuf_alloc_bulk(fs->pool, segs, burst * nsegs) != 0)
		return 0;
	for (i = 0; i < burst; i++) {
		/* testpmd's multi-flow: the source address varies, 256 flows */
		if (fwd_cfg.txonly_multi_flow)
			fwd_pkt_set_src_flow(fs->hdr, fs->flow++ & 0xff);
		pkts[i] = fwd_pkt_build(fs, segs + i * nsegs);
	}
	nb_tx = fwd_tx_burst(fs, pkts, burst);
	fwd_count(&fs->tx_packets, nb_tx);
	if (unlikely(nb_tx < burst))
		fwd_drop(fs, pkts, nb_tx, burst);
	return burst;
}

const struct fwd_engine fwd_engine_txonly = {
	.name = "txonly",
	.fwd = txonly_fwd,
	.stream_init = txonly_init,
	.generates = 1,
};
