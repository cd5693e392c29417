/* SPDX-License-Identifier: BSD-3-Clause */
/* The engine table and what every engine shares. */
#include <string.h>

#include "vfn_mbuf.h"
#include "fwd.h"

static const struct fwd_engine *const engines[] = {
	&fwd_engine_io, &fwd_engine_mac, &fwd_engine_macswap,
	&fwd_engine_rxonly, &fwd_engine_txonly, &fwd_engine_flowgen,
	&fwd_engine_csum, &fwd_engine_5tswap, &fwd_engine_icmpecho, NULL,
};

/* The @p i-th engine, NULL past the last (the prompt completes names). */
const struct fwd_engine *fwd_engine_at(unsigned int i)
{
	return i < sizeof(engines) / sizeof(engines[0]) ? engines[i] : NULL;
}

const struct fwd_engine *fwd_engine_find(const char *name)
{
	unsigned int i;

	for (i = 0; engines[i]; i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	return NULL;
}

void fwd_drop(struct fwd_stream *fs, struct vfn_mbuf **pkts, uint16_t nb_tx,
	      uint16_t nb)
{
	fwd_count(&fs->fwd_dropped, nb - nb_tx);
	vfn_pktmbuf_free_bulk(pkts + nb_tx, nb - nb_tx);
}
