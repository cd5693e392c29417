/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "mempool too small" checks of rx queue set-up: enough mbufs to fill
 * every descriptor, and a data room (after the headroom) of at least the
 * driver's minimum buffer size.
 */
#include <errno.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "port_internal.h"

int port_mempool_check(const struct vfn_eth_dev *port, uint16_t q,
		       struct vfn_mempool *mp, uint16_t nb_desc,
		       uint32_t min_bufsize)
{
	uint32_t room;

	if (mp->private_data_size < sizeof(struct vfn_pktmbuf_pool_private)) {
		PORT_LOG(ERR, "%s: rx queue %u: mempool %s is not an mbuf pool: "
			 "create it with vfn_pktmbuf_pool_create()", port->name,
			 q, mp->name);
		return -EINVAL;
	}
	if (mp->size < nb_desc) {
		PORT_LOG(ERR, "%s: rx queue %u: mempool %s has %u mbufs, fewer "
			 "than the %u descriptors: create a larger pool or use "
			 "fewer descriptors", port->name, q, mp->name, mp->size,
			 nb_desc);
		return -ENOBUFS;
	}
	room = vfn_pktmbuf_data_room_size(mp);
	if (room < VFN_PKTMBUF_HEADROOM + min_bufsize) {
		PORT_LOG(ERR, "%s: rx queue %u: mbufs of mempool %s have a data "
			 "room of %u bytes; this port needs %u (headroom %u + "
			 "%u): create the pool with a larger data_room_size",
			 port->name, q, mp->name, room,
			 VFN_PKTMBUF_HEADROOM + min_bufsize,
			 VFN_PKTMBUF_HEADROOM, min_bufsize);
		return -ENOBUFS;
	}
	return 0;
}
