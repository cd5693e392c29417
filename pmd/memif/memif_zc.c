/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif zero-copy, control path.  As in DPDK 22.11 (memif_regions_init
 * and memif_region_init_zc in drivers/net/memif/rte_eth_memif.c), only the
 * client offers zero-copy, and its server cannot tell: the protocol is
 * unchanged, the regions are different.
 *
 *  - Region 0 is a sealed memfd holding the rings only (no buffers).
 *  - Every segment of EAL memory that has a file (hugepage file, or the
 *    memfd of --no-huge memory) becomes one more region: its fd is sent
 *    in ADD_REGION, so the server maps the memory our mbufs live in.
 *    DPDK sends one region per memseg list; a vfnet memseg is one file,
 *    so one region per memseg.  A descriptor offset is 32 bits, so a
 *    region covers at most the first 4 GiB of its segment.
 *  - Descriptors point at mbuf data: the rx queue posts fresh mbufs in
 *    its S2C ring (the server copies frames into them), the tx queue
 *    posts the application's mbufs in its C2S ring (the server copies
 *    them out); memif_rxtx_zc.c runs both.
 *
 * Each queue keeps, per ring slot, the mbuf posted there (buffers).
 * When the connection goes, a burst may still be running on it (see
 * "Disconnect" in memif_ctrl.c), so the table and the mbufs it holds are
 * released only at the next graveyard flush, like the old mappings.
 */
#include <errno.h>
#include <stdlib.h>

#include "vfn_log.h"
#include "vfn_mbuf.h"
#include "vfn_memory.h"
#include "memif_private.h"

struct zc_count {
	unsigned int segs, nofd;
};

static int count_seg(const struct vfn_memseg *ms, void *arg)
{
	struct zc_count *c = arg;

	c->segs++;
	c->nofd += vfn_memseg_get_fd(ms) < 0;
	return 0;
}

int memif_zc_check_memory(const char *name)
{
	struct zc_count c = { 0, 0 };

	vfn_memseg_walk(count_seg, &c);
	if (c.segs == 0) {
		MEMIF_LOG(ERR, "%s: zero-copy=yes shares the EAL's memory with "
			  "the server, and there is none: initialise the EAL "
			  "(vfn_eal_init) before creating the port, or use "
			  "zero-copy=no", name);
		return -ENOTSUP;
	}
	if (c.nofd) {
		MEMIF_LOG(ERR, "%s: zero-copy=yes needs EAL memory backed by "
			  "files the server can map (hugepages, or --no-huge "
			  "with memfd_create()), but %u of %u memory segments "
			  "are anonymous: use hugepages or zero-copy=no", name,
			  c.nofd, c.segs);
		return -ENOTSUP;
	}
	return 0;
}

static int add_seg(const struct vfn_memseg *ms, void *arg)
{
	struct memif_dev *md = arg;
	struct memif_region *r;
	int fd = vfn_memseg_get_fd(ms);

	if (fd < 0)
		return 0;
	if (md->nregions == MEMIF_MAX_REGIONS) {
		MEMIF_LOG(WARNING, "%s: more than %d memory segments: mbufs "
			  "beyond them cannot be sent or received",
			  md->port->name, MEMIF_MAX_REGIONS - 1);
		return 1;
	}
	r = &md->regions[md->nregions++];
	r->addr = ms->addr;
	r->size = ms->len < MEMIF_ZC_REGION_MAX ? ms->len : MEMIF_ZC_REGION_MAX;
	r->fd = fd;
	r->external = 1;
	if (ms->len > MEMIF_ZC_REGION_MAX)
		MEMIF_LOG(WARNING, "%s: memory segment at %p is %zu MB: memif "
			  "offsets reach its first 4096 MB only",
			  md->port->name, ms->addr, ms->len >> 20);
	return 0;
}

/* Client, region 0 made: one region per file-backed memory segment. */
int memif_zc_add_regions(struct memif_dev *md)
{
	uint16_t first = md->nregions;

	vfn_memseg_walk(add_seg, md);
	if (md->nregions == first) {
		MEMIF_LOG(ERR, "%s: zero-copy: no EAL memory segment with a "
			  "file to share", md->port->name);
		return -ENOTSUP;
	}
	return 0;
}

/*
 * Client, connecting: give queue @p q its slot table on ring @p r; an rx
 * queue posts a ring of fresh mbufs at once (DPDK does it in its first
 * rx burst; at once, the server can send before our first burst).
 */
int memif_zc_queue_arm(struct memif_dev *md, struct memif_queue *q,
		       struct memif_ring *r)
{
	/* The previous connection's table went at the graveyard flush. */
	q->buffers = calloc(q->ring_size, sizeof(*q->buffers));
	if (!q->buffers)
		return -ENOMEM;
	q->zc_head = 0;
	q->zc_base = NULL;
	q->zc_size = 0;
	q->zc_region = 0;
	if (!q->is_rx)
		return 0;
	/* Posts and publishes (release store of head) a ring of mbufs. */
	if (memif_zc_rx_refill(q, r) == 0) {
		MEMIF_LOG(ERR, "%s: rx queue %u: no mbuf of pool %s could be "
			  "posted (pool empty, or its memory outside the EAL "
			  "memory shared with the server)", md->port->name,
			  q->queue_id, q->mp->name);
		return -ENOBUFS;
	}
	return 0;
}

/*
 * Free the mbufs a closed connection's ring still held (posted and not
 * handed up, or sent and not yet freed: slots last_tail .. zc_head) and
 * the table.  Called at the graveyard flush: no burst runs on it.
 */
void memif_zc_queue_release(struct memif_queue *q)
{
	uint16_t i;

	if (!q->buffers)
		return;
	for (i = q->last_tail; i != q->zc_head; i++) {
		struct vfn_mbuf *m = q->buffers[i & q->mask];

		if (m)
			vfn_pktmbuf_free_seg(m);
	}
	free(q->buffers);
	q->buffers = NULL;
	q->zc_stale = 0;
}
