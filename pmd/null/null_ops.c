/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null control path: port creation, queues, info, link, RSS and the
 * --vdev driver ("--vdev net_null0,size=64,copy=0,no-rx=0", as DPDK's).
 */
#include <errno.h>
#include <string.h>

#include "vfn_lcore.h"
#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_vdev.h"
#include "vfn_eth_sw.h"
#include "null_private.h"


/* DPDK's default key (Microsoft's Toeplitz example key). */
static const uint8_t null_default_rss_key[NULL_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static int null_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	struct null_dev *nd = port->dev_private;

	info->max_rx_queues = VFN_MAX_QUEUES_PER_PORT;
	info->max_tx_queues = VFN_MAX_QUEUES_PER_PORT;
	info->max_rx_pktlen = UINT32_MAX;
	/* With copy=1 every packet is written into the mbuf's data room. */
	info->min_rx_bufsize = nd->packet_copy ? nd->packet_size : 0;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->hash_key_size = NULL_RSS_KEY_SIZE;
	info->reta_size = NULL_RETA_SIZE;
	info->flow_type_rss_offloads = VFN_ETH_RSS_IP | VFN_ETH_RSS_TCP |
				       VFN_ETH_RSS_UDP;
	info->speed_capa = VFN_ETH_LINK_SPEED_10G;
	return 0;
}

static void null_free_queues(struct null_dev *nd)
{
	vfn_free(nd->rxq);
	vfn_free(nd->txq);
	nd->rxq = NULL;
	nd->txq = NULL;
	nd->nb_rxq = 0;
	nd->nb_txq = 0;
}

static int null_configure(struct vfn_eth_dev *port)
{
	struct null_dev *nd = port->dev_private;
	const struct vfn_eth_rss_conf *rss = &port->conf.rx_adv_conf.rss_conf;

	null_free_queues(nd);
	nd->rxq = vfn_zmalloc_socket("null_rxq", sizeof(struct null_queue) *
				     port->nb_rx_queues, 0, port->socket_id);
	nd->txq = vfn_zmalloc_socket("null_txq", sizeof(struct null_queue) *
				     port->nb_tx_queues, 0, port->socket_id);
	if (!nd->rxq || !nd->txq) {
		null_free_queues(nd);
		return -ENOMEM;
	}
	nd->nb_rxq = port->nb_rx_queues;
	nd->nb_txq = port->nb_tx_queues;
	if (rss->rss_key)
		memcpy(nd->rss_key, rss->rss_key, NULL_RSS_KEY_SIZE);
	return 0;
}

static int null_queue_init(struct vfn_eth_dev *port, struct null_queue *q,
			   uint16_t id, int socket_id)
{
	struct null_dev *nd = port->dev_private;

	memset(q, 0, sizeof(*q));
	q->packet_size = nd->packet_size;
	q->port_id = port->port_id;
	q->queue_id = id;
	if (nd->packet_copy) {
		q->dummy_packet = vfn_zmalloc_socket("null_pkt", nd->packet_size,
						     0, socket_id);
		if (!q->dummy_packet)
			return -ENOMEM;
	}
	return 0;
}

static int null_rxq_setup(struct vfn_eth_dev *port, uint16_t id,
			  uint16_t nb_desc, int socket_id,
			  const struct vfn_eth_rxconf *conf,
			  struct vfn_mempool *mp)
{
	struct null_dev *nd = port->dev_private;
	struct null_queue *q = &nd->rxq[id];
	uint16_t room = vfn_pktmbuf_data_room_size(mp);
	int ret;

	(void)nb_desc;
	(void)conf;
	ret = null_queue_init(port, q, id, socket_id);
	if (ret)
		return ret;
	q->mb_pool = mp;
	/* What vfn_pktmbuf_reset() and the port stamp give every mbuf. */
	q->mbuf_rearm = vfn_eth_sw_rearm_data(
		room < VFN_PKTMBUF_HEADROOM ? room : VFN_PKTMBUF_HEADROOM,
		port->port_id);
	port->rx_queues[id] = q;
	port->rxq_stats[id] = &q->stats;
	return 0;
}

static int null_txq_setup(struct vfn_eth_dev *port, uint16_t id,
			  uint16_t nb_desc, int socket_id,
			  const struct vfn_eth_txconf *conf)
{
	struct null_dev *nd = port->dev_private;
	struct null_queue *q = &nd->txq[id];
	int ret;

	(void)nb_desc;
	(void)conf;
	ret = null_queue_init(port, q, id, socket_id);
	if (ret)
		return ret;
	port->tx_queues[id] = q;
	port->txq_stats[id] = &q->stats;
	return 0;
}

static void null_rxq_release(struct vfn_eth_dev *port, uint16_t id)
{
	struct null_dev *nd = port->dev_private;

	vfn_free(nd->rxq[id].dummy_packet);
	nd->rxq[id].dummy_packet = NULL;
}

static void null_txq_release(struct vfn_eth_dev *port, uint16_t id)
{
	struct null_dev *nd = port->dev_private;

	vfn_free(nd->txq[id].dummy_packet);
	nd->txq[id].dummy_packet = NULL;
}

static int null_start(struct vfn_eth_dev *port)
{
	port->link.link_status = VFN_ETH_LINK_UP;
	return 0;
}

static int null_stop(struct vfn_eth_dev *port)
{
	port->link.link_status = VFN_ETH_LINK_DOWN;
	return 0;
}

static int null_close(struct vfn_eth_dev *port)
{
	struct null_dev *nd = port->dev_private;

	null_free_queues(nd);
	vfn_free(nd);
	port->dev_private = NULL;
	return 0;
}

static int null_rss_update(struct vfn_eth_dev *port,
			   const struct vfn_eth_rss_conf *rss)
{
	struct null_dev *nd = port->dev_private;

	if (rss->rss_key)
		memcpy(nd->rss_key, rss->rss_key, NULL_RSS_KEY_SIZE);
	return 0;
}

/* A software queue has nothing to switch: the port layer moves the
 * fast-path entry between the burst function and the dummy. */
static int null_queue_switch(struct vfn_eth_dev *port, uint16_t q)
{
	(void)port;
	(void)q;
	return 0;
}

static const struct vfn_eth_dev_ops null_ops = {
	.configure = null_configure,
	.info_get = null_info,
	.rx_queue_setup = null_rxq_setup,
	.rx_queue_release = null_rxq_release,
	.tx_queue_setup = null_txq_setup,
	.tx_queue_release = null_txq_release,
	.start = null_start,
	.stop = null_stop,
	.close = null_close,
	.promiscuous_enable = vfn_eth_dev_op_nop,
	.promiscuous_disable = vfn_eth_dev_op_nop,
	.allmulticast_enable = vfn_eth_dev_op_nop,
	.allmulticast_disable = vfn_eth_dev_op_nop,
	.mac_addr_set = vfn_eth_dev_op_mac_addr_set_nop,
	.mtu_set = vfn_eth_dev_op_mtu_set_nop,
	.rx_queue_start = null_queue_switch,
	.rx_queue_stop = null_queue_switch,
	.tx_queue_start = null_queue_switch,
	.tx_queue_stop = null_queue_switch,
	.rss_hash_update = null_rss_update,
};

int null_port_create(const char *name, uint32_t size, int copy, int no_rx)
{
	struct vfn_eth_dev *port;
	struct null_dev *nd;
	int socket = (int)vfn_socket_id();

	nd = vfn_zmalloc_socket("null_dev", sizeof(*nd), 0, socket);
	if (!nd)
		return -ENOMEM;
	port = vfn_eth_dev_allocate(name);
	if (!port) {
		int err = errno;

		vfn_free(nd);
		return -err;
	}
	nd->packet_size = size;
	nd->packet_copy = (uint8_t)copy;
	nd->no_rx = (uint8_t)no_rx;
	memcpy(nd->rss_key, null_default_rss_key, sizeof(nd->rss_key));
	port->driver_name = NULL_DRIVER_NAME;
	port->ops = &null_ops;
	port->dev_private = nd;
	port->socket_id = socket;
	vfn_eth_random_addr(port->mac_addr.addr_bytes);
	port->link.link_speed = VFN_ETH_SPEED_NUM_10G;
	port->link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	port->link.link_autoneg = VFN_ETH_LINK_FIXED;
	port->link.link_status = VFN_ETH_LINK_DOWN;
	if (no_rx)
		port->rx_pkt_burst = null_rx_none;
	else
		port->rx_pkt_burst = copy ? null_rx_copy : null_rx;
	port->tx_pkt_burst = copy ? null_tx_copy : null_tx;
	NULL_LOG(INFO, "%s: port %u, packet size %u, copy %d, no-rx %d", name,
		 port->port_id, size, copy, no_rx);
	return 0;
}

struct null_args {
	uint64_t size, copy, no_rx;
};

static int null_arg(const char *key, const char *value, void *opaque)
{
	struct null_args *a = opaque;

	if (strcmp(key, "size") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, UINT16_MAX, &a->size);
	if (strcmp(key, "copy") == 0)
		return vfn_eth_dev_arg_uint(key, value, 0, 1, &a->copy);
	return vfn_eth_dev_arg_uint(key, value, 0, 1, &a->no_rx);
}

static int null_probe(const char *name, const char *args)
{
	static const char *const keys[] = { "size", "copy", "no-rx", NULL };
	struct null_args a = { 64, 0, 0 };
	int ret;

	ret = vfn_eth_dev_args_parse(args, keys, null_arg, &a);
	if (ret)
		return ret;
	return null_port_create(name, (uint32_t)a.size, (int)a.copy,
				(int)a.no_rx);
}

static int null_remove(const char *name)
{
	return vfn_eth_vdev_close_by_name(name, &null_ops);
}

static struct vfn_vdev_driver null_vdev_driver = {
	.name = NULL_DRIVER_NAME,
	.probe = null_probe,
	.remove = null_remove,
};

__attribute__((constructor)) static void null_register(void)
{
	vfn_vdev_register_driver(&null_vdev_driver);
}
