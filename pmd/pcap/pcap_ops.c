/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap control path and --vdev driver, with DPDK's options:
 *   --vdev 'net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap'
 *   --vdev 'net_pcap0,rx_pcap=in.pcap,infinite_rx=1'
 *   --vdev 'net_pcap0,rx_iface=eth0,tx_iface=eth1'   (rx_iface_in=: incoming only)
 *   --vdev 'net_pcap0,iface=eth0,phy_mac=1'
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_lcore.h"
#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_vdev.h"
#include "vfn_eth_sw.h"
#include "pcap_private.h"


static int pcap_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	struct pcap_dev *pd = port->dev_private;

	info->max_rx_queues = pd->nb_rx;
	info->max_tx_queues = pd->nb_tx;
	info->max_rx_pktlen = PCAP_SNAPLEN;
	info->max_mtu = PCAP_SNAPLEN - VFN_ETHER_HDR_LEN;
	info->min_rx_bufsize = 0;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->speed_capa = VFN_ETH_LINK_SPEED_10G;
	return 0;
}

static void close_rx(struct pcap_rxq *q)
{
	if (q->pcap)
		pcap_close(q->pcap);
	q->pcap = NULL;
}

static void close_tx(struct pcap_txq *q)
{
	if (q->dumper)
		pcap_dump_close(q->dumper); /* flushes the file */
	if (q->pcap)
		pcap_close(q->pcap);
	q->dumper = NULL;
	q->pcap = NULL;
}

static void close_all(struct pcap_dev *pd)
{
	uint16_t i;

	for (i = 0; i < PCAP_MAX_QUEUES; i++) {
		close_rx(&pd->rxq[i]);
		close_tx(&pd->txq[i]);
	}
}

static int open_all(const char *port, struct pcap_dev *pd, uint16_t nb_rx,
		    uint16_t nb_tx)
{
	uint16_t i;
	int ret;

	for (i = 0; i < nb_rx; i++) {
		/* A replayed file is in memory once loaded. */
		if (pd->rxq[i].pcap || pd->rxq[i].replay.nb)
			continue;
		ret = pcap_open_rx(port, &pd->rx[i], &pd->rxq[i].pcap);
		if (ret)
			return ret;
	}
	for (i = 0; i < nb_tx; i++) {
		if (pd->txq[i].pcap)
			continue;
		ret = pcap_open_tx(port, &pd->tx[i], &pd->txq[i].pcap,
				   &pd->txq[i].dumper);
		if (ret)
			return ret;
	}
	return 0;
}

static int pcap_rxq_setup(struct vfn_eth_dev *port, uint16_t id,
			  uint16_t nb_desc, int socket_id,
			  const struct vfn_eth_rxconf *conf,
			  struct vfn_mempool *mp)
{
	struct pcap_dev *pd = port->dev_private;
	struct pcap_rxq *q = &pd->rxq[id];
	uint16_t room = vfn_pktmbuf_data_room_size(mp);

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	if (room <= VFN_PKTMBUF_HEADROOM) {
		PCAP_LOG(ERR, "%s: rx queue %u: mbufs of pool %s have no room "
			 "after the %u-byte headroom: give the pool a larger "
			 "data room", port->name, id, mp->name,
			 VFN_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	q->mb_pool = mp;
	q->port_id = port->port_id;
	q->queue_id = id;
	q->mbuf_rearm = vfn_eth_sw_rearm_data(VFN_PKTMBUF_HEADROOM,
					       port->port_id);
	memset(&q->stats, 0, sizeof(q->stats));
	port->rx_queues[id] = q;
	port->rxq_stats[id] = &q->stats;
	if (pd->rx[id].kind == PCAP_KIND_NONE)
		port->rxq_pkt_burst[id] = pcap_rx_none;
	else
		port->rxq_pkt_burst[id] = pd->infinite_rx ? pcap_rx_replay :
							    pcap_rx;
	return 0;
}

static int pcap_txq_setup(struct vfn_eth_dev *port, uint16_t id,
			  uint16_t nb_desc, int socket_id,
			  const struct vfn_eth_txconf *conf)
{
	struct pcap_dev *pd = port->dev_private;
	struct pcap_txq *q = &pd->txq[id];

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	if (!q->lin) {
		q->lin = malloc(PCAP_SNAPLEN);
		if (!q->lin)
			return -ENOMEM;
	}
	memset(&q->stats, 0, sizeof(q->stats));
	port->tx_queues[id] = q;
	port->txq_stats[id] = &q->stats;
	switch (pd->tx[id].kind) {
	case PCAP_KIND_FILE:
		port->txq_pkt_burst[id] = pcap_tx_dump;
		break;
	case PCAP_KIND_IFACE:
		port->txq_pkt_burst[id] = pcap_tx_inject;
		break;
	default:
		port->txq_pkt_burst[id] = pcap_tx_drop;
	}
	return 0;
}

/* Load replayed files (once) and check their packets fit the mbufs. */
static int replay_prepare(struct vfn_eth_dev *port, struct pcap_dev *pd)
{
	uint16_t i;
	int ret;

	for (i = 0; i < port->nb_rx_queues; i++) {
		struct pcap_rxq *q = &pd->rxq[i];
		uint16_t room;

		if (pd->rx[i].kind != PCAP_KIND_FILE)
			continue;
		if (!q->replay.nb) {
			ret = pcap_replay_load(port->name, &pd->rx[i], &q->replay);
			if (ret)
				return ret;
			close_rx(q);
		}
		q->replay.next = 0;
		room = vfn_pktmbuf_data_room_size(q->mb_pool) -
		       VFN_PKTMBUF_HEADROOM;
		if (q->replay.max_len > room) {
			PCAP_LOG(ERR, "%s: rx_pcap=%s has a %u-byte packet and "
				 "infinite_rx=1 replays into one mbuf, whose data "
				 "room is %u: give pool %s a data room of at least "
				 "%u", port->name, pd->rx[i].name,
				 q->replay.max_len, room, q->mb_pool->name,
				 q->replay.max_len + VFN_PKTMBUF_HEADROOM);
			return -EINVAL;
		}
	}
	return 0;
}

static int pcap_start(struct vfn_eth_dev *port)
{
	struct pcap_dev *pd = port->dev_private;
	uint16_t i;
	int ret;

	ret = open_all(port->name, pd, port->nb_rx_queues, port->nb_tx_queues);
	if (!ret && pd->infinite_rx)
		ret = replay_prepare(port, pd);
	if (ret) {
		close_all(pd);
		return ret;
	}
	for (i = 0; i < port->nb_rx_queues; i++)
		pd->rxq[i].eof = 0;
	port->link.link_status = VFN_ETH_LINK_UP;
	return 0;
}

/* Close the handles: tx files are complete on disk after stop. */
static int pcap_stop(struct vfn_eth_dev *port)
{
	struct pcap_dev *pd = port->dev_private;

	close_all(pd);
	port->link.link_status = VFN_ETH_LINK_DOWN;
	return 0;
}

static void free_dev(struct pcap_dev *pd)
{
	uint16_t i;

	close_all(pd);
	for (i = 0; i < PCAP_MAX_QUEUES; i++) {
		pcap_replay_free(&pd->rxq[i].replay);
		free(pd->txq[i].lin);
	}
	vfn_free(pd);
}

static int pcap_close_op(struct vfn_eth_dev *port)
{
	free_dev(port->dev_private);
	port->dev_private = NULL;
	return 0;
}

static const struct vfn_eth_dev_ops pcap_ops = {
	.info_get = pcap_info,
	.rx_queue_setup = pcap_rxq_setup,
	.tx_queue_setup = pcap_txq_setup,
	.start = pcap_start,
	.stop = pcap_stop,
	.close = pcap_close_op,
	.promiscuous_enable = vfn_eth_dev_op_nop,
	.promiscuous_disable = vfn_eth_dev_op_nop,
	.allmulticast_enable = vfn_eth_dev_op_nop,
	.allmulticast_disable = vfn_eth_dev_op_nop,
	.mac_addr_set = vfn_eth_dev_op_mac_addr_set_nop,
	.mtu_set = vfn_eth_dev_op_mtu_set_nop,
};

struct pcap_args {
	struct pcap_dev *pd;
	const char *port;
	uint64_t infinite_rx, phy_mac;
	int iface;               /* iface= given */
};

static int add_endpoint(struct pcap_args *a, int rx, enum pcap_kind kind,
			int in_only, const char *key, const char *value)
{
	struct pcap_dev *pd = a->pd;
	uint16_t *nb = rx ? &pd->nb_rx : &pd->nb_tx;
	struct pcap_endpoint *ep = rx ? &pd->rx[*nb] : &pd->tx[*nb];

	if (*nb == PCAP_MAX_QUEUES) {
		PCAP_LOG(ERR, "%s: more than %u %s queues: give at most %u "
			 "rx_* and %u tx_* arguments", a->port, PCAP_MAX_QUEUES,
			 rx ? "rx" : "tx", PCAP_MAX_QUEUES, PCAP_MAX_QUEUES);
		return -EINVAL;
	}
	if (!value[0] || strlen(value) >= sizeof(ep->name)) {
		PCAP_LOG(ERR, "%s: %s= needs a %s", a->port, key,
			 kind == PCAP_KIND_FILE ? "file path" : "interface name");
		return -EINVAL;
	}
	ep->kind = kind;
	ep->in_only = (uint8_t)in_only;
	snprintf(ep->name, sizeof(ep->name), "%s", value);
	(*nb)++;
	return 0;
}

static int pcap_arg(const char *key, const char *value, void *opaque)
{
	struct pcap_args *a = opaque;
	int ret;

	if (strcmp(key, "rx_pcap") == 0)
		return add_endpoint(a, 1, PCAP_KIND_FILE, 0, key, value);
	if (strcmp(key, "tx_pcap") == 0)
		return add_endpoint(a, 0, PCAP_KIND_FILE, 0, key, value);
	if (strcmp(key, "rx_iface") == 0)
		return add_endpoint(a, 1, PCAP_KIND_IFACE, 0, key, value);
	if (strcmp(key, "rx_iface_in") == 0)
		return add_endpoint(a, 1, PCAP_KIND_IFACE, 1, key, value);
	if (strcmp(key, "tx_iface") == 0)
		return add_endpoint(a, 0, PCAP_KIND_IFACE, 0, key, value);
	if (strcmp(key, "iface") == 0) {
		/* One queue pair on the interface; rx sees only what arrives,
		 * not what the port sends. */
		a->iface = 1;
		ret = add_endpoint(a, 1, PCAP_KIND_IFACE, 1, key, value);
		return ret ? ret : add_endpoint(a, 0, PCAP_KIND_IFACE, 0, key,
						value);
	}
	if (strcmp(key, "infinite_rx") == 0)
		return vfn_eth_dev_arg_uint(key, value, 0, 1, &a->infinite_rx);
	return vfn_eth_dev_arg_uint(key, value, 0, 1, &a->phy_mac);
}

/* Cross-argument rules, as DPDK's. */
static int check_args(struct pcap_args *a)
{
	struct pcap_dev *pd = a->pd;
	uint16_t i;

	if (a->iface && (pd->nb_rx != 1 || pd->nb_tx != 1)) {
		PCAP_LOG(ERR, "%s: iface= is a whole port (one rx and one tx "
			 "queue): use rx_iface=/tx_iface= to combine interfaces",
			 a->port);
		return -EINVAL;
	}
	for (i = 0; a->infinite_rx && i < pd->nb_rx; i++) {
		if (pd->rx[i].kind != PCAP_KIND_FILE) {
			PCAP_LOG(ERR, "%s: infinite_rx=1 replays files: use it "
				 "with rx_pcap= only", a->port);
			return -EINVAL;
		}
	}
	if (a->infinite_rx && !pd->nb_rx) {
		PCAP_LOG(ERR, "%s: infinite_rx=1 needs an rx_pcap= file",
			 a->port);
		return -EINVAL;
	}
	/* No source or sink: one queue that receives nothing / drops. */
	if (!pd->nb_rx)
		pd->nb_rx = 1;
	if (!pd->nb_tx)
		pd->nb_tx = 1;
	pd->infinite_rx = (uint8_t)a->infinite_rx;
	return 0;
}

static int set_mac(struct vfn_eth_dev *port, struct pcap_args *a)
{
	const struct pcap_dev *pd = a->pd;
	const char *ifname = NULL;
	uint16_t i;
	int ret;

	vfn_eth_random_addr(port->mac_addr.addr_bytes);
	if (!a->phy_mac)
		return 0;
	for (i = 0; !ifname && i < pd->nb_rx; i++)
		if (pd->rx[i].kind == PCAP_KIND_IFACE)
			ifname = pd->rx[i].name;
	for (i = 0; !ifname && i < pd->nb_tx; i++)
		if (pd->tx[i].kind == PCAP_KIND_IFACE)
			ifname = pd->tx[i].name;
	if (!ifname) {
		PCAP_LOG(ERR, "%s: phy_mac=1 takes the MAC of an interface: "
			 "give iface= or rx_iface=/tx_iface=", a->port);
		return -EINVAL;
	}
	ret = pcap_iface_mac(ifname, port->mac_addr.addr_bytes);
	if (ret)
		PCAP_LOG(ERR, "%s: phy_mac=1: cannot read the MAC of %s: %s",
			 a->port, ifname, strerror(-ret));
	return ret;
}

static int pcap_probe(const char *name, const char *args)
{
	static const char *const keys[] = {
		"rx_pcap", "tx_pcap", "rx_iface", "rx_iface_in", "tx_iface",
		"iface", "infinite_rx", "phy_mac", NULL
	};
	int socket = (int)vfn_socket_id();
	struct pcap_args a = { 0 };
	struct vfn_eth_dev *port;
	int ret;

	a.port = name;
	a.pd = vfn_zmalloc_socket("pcap_dev", sizeof(*a.pd), 0, socket);
	if (!a.pd)
		return -ENOMEM;
	ret = vfn_eth_dev_args_parse(args, keys, pcap_arg, &a);
	if (!ret)
		ret = check_args(&a);
	/* Open now so that a bad file or interface fails the probe. */
	if (!ret)
		ret = open_all(name, a.pd, a.pd->nb_rx, a.pd->nb_tx);
	if (ret)
		goto fail;
	port = vfn_eth_dev_allocate(name);
	if (!port) {
		ret = -errno;
		goto fail;
	}
	port->driver_name = PCAP_DRIVER_NAME;
	port->ops = &pcap_ops;
	port->dev_private = a.pd;
	port->socket_id = socket;
	ret = set_mac(port, &a);
	if (ret) {
		vfn_eth_dev_release_port(port);
		goto fail;
	}
	port->link.link_speed = VFN_ETH_SPEED_NUM_10G;
	port->link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	port->link.link_autoneg = VFN_ETH_LINK_FIXED;
	port->link.link_status = VFN_ETH_LINK_DOWN;
	port->rx_pkt_burst = pcap_rx_none;
	port->tx_pkt_burst = pcap_tx_drop;
	PCAP_LOG(INFO, "%s: port %u, %u rx and %u tx queues%s", name,
		 port->port_id, a.pd->nb_rx, a.pd->nb_tx,
		 a.pd->infinite_rx ? ", infinite rx" : "");
	return 0;
fail:
	free_dev(a.pd);
	return ret;
}

static int pcap_remove(const char *name)
{
	return vfn_eth_vdev_close_by_name(name, &pcap_ops);
}

static struct vfn_vdev_driver pcap_vdev_driver = {
	.name = PCAP_DRIVER_NAME,
	.probe = pcap_probe,
	.remove = pcap_remove,
};

__attribute__((constructor)) static void pcap_register(void)
{
	vfn_vdev_register_driver(&pcap_vdev_driver);
}
