/* SPDX-License-Identifier: BSD-3-Clause */
/* io: forward packets unchanged from the rx queue to the peer's tx queue. */
#include "vfn_mbuf.h"
#include "fwd.h"

static uint16_t io_fwd(struct fwd_stream *fs, uint16_t burst)
{
	struct vfn_mbuf *pkts[FWD_MAX_BURST];
	uint16_t nb_rx, nb_tx;

	nb_rx = fwd_rx_burst(fs, pkts, burst);
	if (unlikely(nb_rx == 0))
		return 0;
	fwd_count(&fs->rx_packets, nb_rx);
	nb_tx = fwd_tx_burst(fs, pkts, nb_rx);
	fwd_count(&fs->tx_packets, nb_tx);
	if (unlikely(nb_tx < nb_rx))
		fwd_drop(fs, pkts, nb_tx, nb_rx);
	return nb_rx;
}

const struct fwd_engine fwd_engine_io = {
	.name = "io",
	.fwd = io_fwd,
};
