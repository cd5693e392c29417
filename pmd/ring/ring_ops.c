/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring control path: a port over caller-given or self-created rings;
 * queue q of each direction is bound to ring q of that direction.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_ring.h"
#include "ring_private.h"


void ring_drain_free(struct vfn_ring *r)
{
	struct vfn_mbuf *pkts[32];
	unsigned int n;

	while ((n = vfn_ring_dequeue_burst(r, (void **)pkts, 32, NULL)) > 0)
		vfn_pktmbuf_free_bulk(pkts, n);
	vfn_ring_free(r);
}

static int ring_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	struct ring_dev *rd = port->dev_private;

	info->max_rx_queues = (uint16_t)rd->nb_rx_rings;
	info->max_tx_queues = (uint16_t)rd->nb_tx_rings;
	info->max_rx_pktlen = UINT32_MAX;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->speed_capa = VFN_ETH_LINK_SPEED_10G;
	return 0;
}

static int ring_rxq_setup(struct vfn_eth_dev *port, uint16_t q, uint16_t nb_desc,
			  int socket_id, const struct vfn_eth_rxconf *conf,
			  struct vfn_mempool *mp)
{
	struct ring_dev *rd = port->dev_private;

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	(void)mp;
	rd->rxq[q].rng = rd->rx_rings[q];
	port->rx_queues[q] = &rd->rxq[q];
	port->rxq_stats[q] = &rd->rxq[q].stats;
	return 0;
}

static int ring_txq_setup(struct vfn_eth_dev *port, uint16_t q, uint16_t nb_desc,
			  int socket_id, const struct vfn_eth_txconf *conf)
{
	struct ring_dev *rd = port->dev_private;

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	rd->txq[q].rng = rd->tx_rings[q];
	port->tx_queues[q] = &rd->txq[q];
	port->txq_stats[q] = &rd->txq[q].stats;
	return 0;
}

static int ring_start(struct vfn_eth_dev *port)
{
	port->link.link_status = VFN_ETH_LINK_UP;
	return 0;
}

static int ring_stop(struct vfn_eth_dev *port)
{
	port->link.link_status = VFN_ETH_LINK_DOWN;
	return 0;
}

/* DPDK's ring PMD: a software link an application (or test) toggles;
 * frames still move, as there. */
static int ring_link_set(struct vfn_eth_dev *port, int up)
{
	struct vfn_eth_link link;

	vfn_eth_linkstatus_get(port, &link);
	link.link_status = up ? VFN_ETH_LINK_UP : VFN_ETH_LINK_DOWN;
	vfn_eth_linkstatus_set(port, &link);
	return 0;
}

static int ring_set_link_up(struct vfn_eth_dev *port)
{
	return ring_link_set(port, 1);
}

static int ring_set_link_down(struct vfn_eth_dev *port)
{
	return ring_link_set(port, 0);
}

static int ring_close(struct vfn_eth_dev *port)
{
	struct ring_dev *rd = port->dev_private;
	unsigned int i;

	for (i = 0; i < rd->nb_owned; i++)
		ring_drain_free(rd->owned[i]);
	vfn_free(rd);
	port->dev_private = NULL;
	return 0;
}

/* A software queue has nothing to switch: the port layer moves the
 * fast-path entry between the burst function and the dummy. */
static int ring_queue_switch(struct vfn_eth_dev *port, uint16_t q)
{
	(void)port;
	(void)q;
	return 0;
}

static const struct vfn_eth_dev_ops ring_ops = {
	.info_get = ring_info,
	.rx_queue_setup = ring_rxq_setup,
	.tx_queue_setup = ring_txq_setup,
	.start = ring_start,
	.stop = ring_stop,
	.close = ring_close,
	.dev_set_link_up = ring_set_link_up,
	.dev_set_link_down = ring_set_link_down,
	.promiscuous_enable = vfn_eth_dev_op_nop,
	.promiscuous_disable = vfn_eth_dev_op_nop,
	.allmulticast_enable = vfn_eth_dev_op_nop,
	.allmulticast_disable = vfn_eth_dev_op_nop,
	.mac_addr_set = vfn_eth_dev_op_mac_addr_set_nop,
	.mtu_set = vfn_eth_dev_op_mtu_set_nop,
	.rx_queue_start = ring_queue_switch,
	.rx_queue_stop = ring_queue_switch,
	.tx_queue_start = ring_queue_switch,
	.tx_queue_stop = ring_queue_switch,
};

int ring_port_create(const char *name, struct vfn_ring *const rx[],
		     unsigned int nrx, struct vfn_ring *const tx[],
		     unsigned int ntx, int socket, struct vfn_ring *const owned[],
		     unsigned int nb_owned)
{
	struct vfn_eth_dev *port;
	struct ring_dev *rd;
	unsigned int i;
	int ret = -EINVAL;

	if (nrx < 1 || nrx > VFN_PMD_RING_MAX_QUEUES || ntx < 1 ||
	    ntx > VFN_PMD_RING_MAX_QUEUES || !rx || !tx) {
		RING_LOG(ERR, "%s: %u rx and %u tx rings: each must be 1..%d",
			 name, nrx, ntx, VFN_PMD_RING_MAX_QUEUES);
		goto err_owned;
	}
	for (i = 0; i < nrx; i++)
		if (!rx[i])
			goto err_null;
	for (i = 0; i < ntx; i++)
		if (!tx[i])
			goto err_null;
	rd = vfn_zmalloc_socket("ring_dev", sizeof(*rd), 0, socket);
	if (!rd) {
		ret = -ENOMEM;
		goto err_owned;
	}
	port = vfn_eth_dev_allocate(name);
	if (!port) {
		ret = -errno;
		vfn_free(rd);
		goto err_owned;
	}
	rd->nb_rx_rings = nrx;
	rd->nb_tx_rings = ntx;
	memcpy(rd->rx_rings, rx, nrx * sizeof(rx[0]));
	memcpy(rd->tx_rings, tx, ntx * sizeof(tx[0]));
	for (i = 0; i < nb_owned; i++)
		rd->owned[rd->nb_owned++] = owned[i];
	port->driver_name = RING_DRIVER_NAME;
	port->ops = &ring_ops;
	port->dev_private = rd;
	port->socket_id = socket;
	vfn_eth_random_addr(port->mac_addr.addr_bytes);
	port->link.link_speed = VFN_ETH_SPEED_NUM_10G;
	port->link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	port->link.link_autoneg = VFN_ETH_LINK_FIXED;
	port->rx_pkt_burst = ring_rx;
	port->tx_pkt_burst = ring_tx;
	return port->port_id;

err_null:
	RING_LOG(ERR, "%s: NULL ring in the ring list", name);
err_owned:
	for (i = 0; i < nb_owned; i++)
		ring_drain_free(owned[i]);
	return ret;
}

int vfn_eth_from_rings(const char *name, struct vfn_ring *const rx_queues[],
			unsigned int nb_rx_queues,
			struct vfn_ring *const tx_queues[],
			unsigned int nb_tx_queues, int numa_node)
{
	return ring_port_create(name, rx_queues, nb_rx_queues, tx_queues,
				nb_tx_queues, numa_node, NULL, 0);
}

int vfn_eth_from_ring(struct vfn_ring *r)
{
	struct vfn_ring *rings[1] = { r };

	if (!r)
		return -EINVAL;
	return vfn_eth_from_rings(r->name, rings, 1, rings, 1, -1);
}
