/* SPDX-License-Identifier: BSD-3-Clause */
/* rxonly: receive and free. */
#include "vfn_mbuf.h"
#include "fwd.h"

static uint16_t rxonly_fwd(struct fwd_stream *fs, uint16_t burst)
{
	struct vfn_mbuf *pkts[FWD_MAX_BURST];
	uint16_t nb_rx;

	nb_rx = fwd_rx_burst(fs, pkts, burst);
	if (unlikely(nb_rx == 0))
		return 0;
	fwd_count(&fs->rx_packets, nb_rx);
	vfn_pktmbuf_free_bulk(pkts, nb_rx);
	return nb_rx;
}

const struct fwd_engine fwd_engine_rxonly = {
	.name = "rxonly",
	.fwd = rxonly_fwd,
};
