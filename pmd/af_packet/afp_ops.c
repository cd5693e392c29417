/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet control path and --vdev driver, with DPDK's options and
 * defaults:
 *   --vdev 'net_af_packet0,iface=eth0,qpairs=1,blocksz=4096,framesz=2048,
 *           framecnt=512,qdisc_bypass=1'
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vfn_lcore.h"
#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_vdev.h"
#include "vfn_eth_sw.h"
#include "afp_private.h"


static int afp_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	struct afp_dev *ad = port->dev_private;
	uint32_t max = afp_frame_data_max(&ad->conf);

	info->max_rx_queues = (uint16_t)ad->conf.qpairs;
	info->max_tx_queues = (uint16_t)ad->conf.qpairs;
	info->max_rx_pktlen = max;
	info->max_mtu = (uint16_t)(max - VFN_ETHER_HDR_LEN);
	info->min_rx_bufsize = max;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->speed_capa = VFN_ETH_LINK_SPEED_10G;
	info->rx_desc_lim.nb_max = UINT16_MAX;
	info->default_rxportconf.ring_size = (uint16_t)ad->conf.framecnt;
	info->default_txportconf.ring_size = (uint16_t)ad->conf.framecnt;
	return 0;
}

static int afp_rxq_setup(struct vfn_eth_dev *port, uint16_t id,
			 uint16_t nb_desc, int socket_id,
			 const struct vfn_eth_rxconf *conf,
			 struct vfn_mempool *mp)
{
	struct afp_dev *ad = port->dev_private;
	struct afp_rxq *q = &ad->rxq[id];
	uint32_t room = vfn_pktmbuf_data_room_size(mp);
	uint32_t max = afp_frame_data_max(&ad->conf);

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	room = room > VFN_PKTMBUF_HEADROOM ? room - VFN_PKTMBUF_HEADROOM : 0;
	if (max > room) {
		AFP_LOG(ERR, "%s: rx queue %u: frames of up to %u bytes "
			 "(framesz=%u) do not fit the %u-byte data room of pool "
			 "%s: lower framesz or give the pool a data room of %u",
			 port->name, id, max, ad->conf.framesz, room, mp->name,
			 max + VFN_PKTMBUF_HEADROOM);
		return -ENOMEM;
	}
	q->mb_pool = mp;
	q->room = room;
	q->port_id = port->port_id;
	q->mbuf_rearm = vfn_eth_sw_rearm_data(VFN_PKTMBUF_HEADROOM,
					       port->port_id);
	memset(&q->stats, 0, sizeof(q->stats));
	port->rx_queues[id] = q;
	port->rxq_stats[id] = &q->stats;
	return 0;
}

static int afp_txq_setup(struct vfn_eth_dev *port, uint16_t id,
			 uint16_t nb_desc, int socket_id,
			 const struct vfn_eth_txconf *conf)
{
	struct afp_dev *ad = port->dev_private;
	struct afp_txq *q = &ad->txq[id];

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	q->data_max = afp_frame_data_max(&ad->conf);
	memset(&q->stats, 0, sizeof(q->stats));
	port->tx_queues[id] = q;
	port->txq_stats[id] = &q->stats;
	return 0;
}

/* Addresses of the frames of one ring starting at @base. */
static uint8_t **frame_table(const struct afp_conf *c, uint8_t *base)
{
	uint32_t per_block = c->blocksz / c->framesz, i;
	uint8_t **f = calloc(c->framecnt, sizeof(*f));

	if (!f)
		return NULL;
	for (i = 0; i < c->framecnt; i++)
		f[i] = base + (size_t)(i / per_block) * c->blocksz +
		       (size_t)(i % per_block) * c->framesz;
	return f;
}

/* Kernel drops since the last read (PACKET_STATISTICS resets them). */
static void kstats_collect(struct afp_dev *ad, uint16_t q)
{
	struct tpacket_stats ks;
	socklen_t len = sizeof(ks);

	if (ad->rxq[q].fd < 0)
		return;
	if (getsockopt(ad->rxq[q].fd, SOL_PACKET, PACKET_STATISTICS, &ks,
		       &len) == 0)
		ad->rxq[q].kdrops += ks.tp_drops;
}

static void close_sockets(struct afp_dev *ad)
{
	uint16_t q;

	for (q = 0; q < AFP_MAX_QUEUES; q++) {
		kstats_collect(ad, q);
		afp_sock_close(&ad->sock[q]);
		free(ad->rxq[q].frames);
		free(ad->txq[q].frames);
		ad->rxq[q].frames = NULL;
		ad->txq[q].frames = NULL;
		ad->rxq[q].fd = -1;
		ad->txq[q].fd = -1;
	}
	ad->nb_sock = 0;
}

static int membership(struct afp_dev *ad, unsigned short type, int on)
{
	struct packet_mreq mr;

	if (ad->sock[0].fd < 0)
		return 0;       /* applied by start */
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = ad->ifindex;
	mr.mr_type = type;
	if (setsockopt(ad->sock[0].fd, SOL_PACKET, on ? PACKET_ADD_MEMBERSHIP :
		       PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)) != 0)
		return -errno;
	return 0;
}

/* Open socket @q and point its queues at its rings. */
static int open_queue(struct vfn_eth_dev *port, struct afp_dev *ad,
		      uint16_t q, int *group)
{
	const struct afp_conf *c = &ad->conf;
	int rx = q < port->nb_rx_queues, tx = q < port->nb_tx_queues, ret;
	struct afp_sock *s = &ad->sock[q];
	size_t ring = (size_t)c->blocksz * (c->framecnt /
					    (c->blocksz / c->framesz));

	ret = afp_sock_open(port->name, c, ad->ifindex, rx, tx, s);
	if (ret)
		return ret;
	if (rx) {
		ad->rxq[q].frames = frame_table(c, s->map);
		ad->rxq[q].nb_frames = c->framecnt;
		ad->rxq[q].idx = 0;
		ad->rxq[q].fd = s->fd;
		if (!ad->rxq[q].frames)
			return -ENOMEM;
		/* Only rx sockets share the traffic. */
		if (port->nb_rx_queues > 1) {
			ret = afp_fanout_join(port->name, s->fd, group);
			if (ret)
				return ret;
		}
	}
	if (tx) {
		ad->txq[q].frames = frame_table(c, s->map + (rx ? ring : 0));
		ad->txq[q].nb_frames = c->framecnt;
		ad->txq[q].idx = 0;
		ad->txq[q].fd = s->fd;
		ad->txq[q].held = 0;
		if (!ad->txq[q].frames)
			return -ENOMEM;
	}
	ad->rxq[q].txq = rx && tx ? &ad->txq[q] : NULL;
	return 0;
}

static int afp_link_update(struct vfn_eth_dev *port, int wait)
{
	struct afp_dev *ad = port->dev_private;
	struct ifreq ifr;
	int ret;

	(void)wait;
	memset(&ifr, 0, sizeof(ifr));
	ret = afp_iface_ioctl(ad->conf.iface, SIOCGIFFLAGS, &ifr);
	if (ret)
		return ret;
	port->link.link_status = port->started || ad->nb_sock ?
		((ifr.ifr_flags & IFF_RUNNING) ? VFN_ETH_LINK_UP :
						 VFN_ETH_LINK_DOWN) :
		VFN_ETH_LINK_DOWN;
	return 0;
}

static int afp_start(struct vfn_eth_dev *port)
{
	struct afp_dev *ad = port->dev_private;
	uint16_t n = port->nb_rx_queues > port->nb_tx_queues ?
		     port->nb_rx_queues : port->nb_tx_queues, q;
	int group = -1, ret = 0;

	for (q = 0; !ret && q < n; q++)
		ret = open_queue(port, ad, q, &group);
	ad->nb_sock = n;
	if (!ret && port->promiscuous)
		ret = membership(ad, PACKET_MR_PROMISC, 1);
	if (!ret && port->all_multicast)
		ret = membership(ad, PACKET_MR_ALLMULTI, 1);
	if (ret) {
		close_sockets(ad);
		return ret;
	}
	return afp_link_update(port, 0);
}

static int afp_stop(struct vfn_eth_dev *port)
{
	close_sockets(port->dev_private);
	port->link.link_status = VFN_ETH_LINK_DOWN;
	return 0;
}

static int afp_close(struct vfn_eth_dev *port)
{
	struct afp_dev *ad = port->dev_private;

	close_sockets(ad);
	vfn_free(ad);
	port->dev_private = NULL;
	return 0;
}

static int afp_stats_get(struct vfn_eth_dev *port, struct vfn_eth_stats *st)
{
	struct afp_dev *ad = port->dev_private;
	uint16_t q;

	for (q = 0; q < AFP_MAX_QUEUES; q++) {
		kstats_collect(ad, q);
		st->imissed += ad->rxq[q].kdrops;
	}
	return 0;
}

static int afp_stats_reset(struct vfn_eth_dev *port)
{
	struct afp_dev *ad = port->dev_private;
	uint16_t q;

	for (q = 0; q < AFP_MAX_QUEUES; q++) {
		kstats_collect(ad, q);
		ad->rxq[q].kdrops = 0;
	}
	return 0;
}

static int afp_promisc_on(struct vfn_eth_dev *port)
{
	return membership(port->dev_private, PACKET_MR_PROMISC, 1);
}

static int afp_promisc_off(struct vfn_eth_dev *port)
{
	return membership(port->dev_private, PACKET_MR_PROMISC, 0);
}

static int afp_allmulti_on(struct vfn_eth_dev *port)
{
	return membership(port->dev_private, PACKET_MR_ALLMULTI, 1);
}

static int afp_allmulti_off(struct vfn_eth_dev *port)
{
	return membership(port->dev_private, PACKET_MR_ALLMULTI, 0);
}

static int afp_mtu_set(struct vfn_eth_dev *port, uint16_t mtu)
{
	struct afp_dev *ad = port->dev_private;
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	ret = afp_iface_ioctl(ad->conf.iface, SIOCSIFMTU, &ifr);
	if (ret)
		AFP_LOG(ERR, "%s: setting MTU %u on %s: %s", port->name, mtu,
			 ad->conf.iface, strerror(-ret));
	return ret;
}

static int afp_mac_set(struct vfn_eth_dev *port,
		       const struct vfn_ether_addr *mac)
{
	struct afp_dev *ad = port->dev_private;
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac->addr_bytes, 6);
	ret = afp_iface_ioctl(ad->conf.iface, SIOCSIFHWADDR, &ifr);
	if (ret)
		AFP_LOG(ERR, "%s: setting the MAC address of %s: %s", port->name,
			 ad->conf.iface, strerror(-ret));
	return ret;
}

static const struct vfn_eth_dev_ops afp_ops = {
	.info_get = afp_info,
	.rx_queue_setup = afp_rxq_setup,
	.tx_queue_setup = afp_txq_setup,
	.start = afp_start,
	.stop = afp_stop,
	.close = afp_close,
	.link_update = afp_link_update,
	.stats_get = afp_stats_get,
	.stats_reset = afp_stats_reset,
	.promiscuous_enable = afp_promisc_on,
	.promiscuous_disable = afp_promisc_off,
	.allmulticast_enable = afp_allmulti_on,
	.allmulticast_disable = afp_allmulti_off,
	.mtu_set = afp_mtu_set,
	.mac_addr_set = afp_mac_set,
};

struct afp_args {
	const char *port;
	struct afp_conf *c;
	uint64_t qpairs, blocksz, framesz, framecnt, bypass;
};

static int afp_arg(const char *key, const char *value, void *opaque)
{
	struct afp_args *a = opaque;

	if (strcmp(key, "iface") == 0) {
		if (!value[0] || strlen(value) >= IF_NAMESIZE) {
			AFP_LOG(ERR, "%s: iface=%s: give an interface name of 1..%u "
				 "characters", a->port, value, IF_NAMESIZE - 1);
			return -EINVAL;
		}
		snprintf(a->c->iface, sizeof(a->c->iface), "%s", value);
		return 0;
	}
	if (strcmp(key, "qpairs") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, AFP_MAX_QUEUES,
					    &a->qpairs);
	if (strcmp(key, "blocksz") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, 1u << 30, &a->blocksz);
	if (strcmp(key, "framesz") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, 1u << 30, &a->framesz);
	if (strcmp(key, "framecnt") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, 1u << 24,
					    &a->framecnt);
	return vfn_eth_dev_arg_uint(key, value, 0, 1, &a->bypass);
}

/* The ring geometry the kernel accepts (packet_set_ring's rules). */
static int check_geometry(const char *port, struct afp_conf *c)
{
	long page = sysconf(_SC_PAGESIZE);
	uint32_t per_block;

	if (c->blocksz % (uint32_t)page) {
		AFP_LOG(ERR, "%s: blocksz=%u: must be a multiple of the page "
			 "size (%ld)", port, c->blocksz, page);
		return -EINVAL;
	}
	if (c->framesz % TPACKET_ALIGNMENT ||
	    c->framesz < TPACKET2_HDRLEN + VFN_ETHER_MIN_LEN) {
		AFP_LOG(ERR, "%s: framesz=%u: must be a multiple of %u and at "
			 "least %zu", port, c->framesz, TPACKET_ALIGNMENT,
			 (size_t)TPACKET2_HDRLEN + VFN_ETHER_MIN_LEN);
		return -EINVAL;
	}
	if (c->framesz > c->blocksz) {
		AFP_LOG(ERR, "%s: framesz=%u exceeds blocksz=%u: a frame must fit "
			 "in a block; raise blocksz", port, c->framesz,
			 c->blocksz);
		return -EINVAL;
	}
	per_block = c->blocksz / c->framesz;
	if (c->framecnt % per_block) {
		AFP_LOG(ERR, "%s: framecnt=%u is not a multiple of the %u frames "
			 "per block (blocksz/framesz): use framecnt=%u", port,
			 c->framecnt, per_block,
			 (c->framecnt / per_block + 1) * per_block);
		return -EINVAL;
	}
	return 0;
}

static int parse(const char *name, const char *args, struct afp_conf *c)
{
	static const char *const keys[] = {
		"iface", "qpairs", "blocksz", "framesz", "framecnt",
		"qdisc_bypass", NULL
	};
	struct afp_args a = { name, c, 1, 0, AFP_DFLT_FRAME_SIZE,
			      AFP_DFLT_FRAME_COUNT, 1 };
	int ret;

	a.blocksz = (uint64_t)sysconf(_SC_PAGESIZE);
	ret = vfn_eth_dev_args_parse(args, keys, afp_arg, &a);
	if (ret)
		return ret;
	if (!c->iface[0]) {
		AFP_LOG(ERR, "%s: no interface: give iface=NAME (see `ip link`)",
			 name);
		return -EINVAL;
	}
	c->qpairs = (uint32_t)a.qpairs;
	c->blocksz = (uint32_t)a.blocksz;
	c->framesz = (uint32_t)a.framesz;
	c->framecnt = (uint32_t)a.framecnt;
	c->qdisc_bypass = (uint32_t)a.bypass;
	return check_geometry(name, c);
}

/* The interface: index, address, MTU; a socket the kernel accepts. */
static int probe_iface(const char *name, struct afp_dev *ad,
		       struct vfn_eth_dev *port)
{
	struct afp_sock s = { -1, NULL, 0 };
	struct ifreq ifr;
	int ret;

	ad->ifindex = (int)if_nametoindex(ad->conf.iface);
	if (!ad->ifindex) {
		AFP_LOG(ERR, "%s: interface %s not found: give iface= an "
			 "interface of this network namespace (see `ip link`)",
			 name, ad->conf.iface);
		return -ENODEV;
	}
	/* Opening one socket with both rings checks permissions and the
	 * ring geometry now rather than at start. */
	ret = afp_sock_open(name, &ad->conf, ad->ifindex, 1, 1, &s);
	afp_sock_close(&s);
	if (ret)
		return ret;
	memset(&ifr, 0, sizeof(ifr));
	ret = afp_iface_ioctl(ad->conf.iface, SIOCGIFHWADDR, &ifr);
	if (ret == 0 && ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		AFP_LOG(ERR, "%s: %s is not an Ethernet interface", name,
			 ad->conf.iface);
		return -EINVAL;
	}
	if (ret == 0)
		memcpy(port->mac_addr.addr_bytes, ifr.ifr_hwaddr.sa_data, 6);
	if (ret == 0)
		ret = afp_iface_ioctl(ad->conf.iface, SIOCGIFMTU, &ifr);
	if (ret == 0)
		port->mtu = (uint16_t)ifr.ifr_mtu;
	if (ret)
		AFP_LOG(ERR, "%s: reading %s: %s", name, ad->conf.iface,
			 strerror(-ret));
	return ret;
}

static int afp_probe(const char *name, const char *args)
{
	int socket = (int)vfn_socket_id();
	struct vfn_eth_dev *port;
	struct afp_dev *ad;
	uint16_t q;
	int ret;

	ad = vfn_zmalloc_socket("afp_dev", sizeof(*ad), 0, socket);
	if (!ad)
		return -ENOMEM;
	for (q = 0; q < AFP_MAX_QUEUES; q++) {
		ad->sock[q].fd = -1;
		ad->rxq[q].fd = -1;
		ad->txq[q].fd = -1;
	}
	ret = parse(name, args, &ad->conf);
	if (ret)
		goto free_dev;
	port = vfn_eth_dev_allocate(name);
	if (!port) {
		ret = -errno;
		goto free_dev;
	}
	ret = probe_iface(name, ad, port);
	if (ret)
		goto release_port;
	port->driver_name = AFP_DRIVER_NAME;
	port->ops = &afp_ops;
	port->dev_private = ad;
	port->socket_id = socket;
	port->link.link_speed = VFN_ETH_SPEED_NUM_10G;
	port->link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	port->link.link_autoneg = VFN_ETH_LINK_FIXED;
	port->link.link_status = VFN_ETH_LINK_DOWN;
	port->rx_pkt_burst = afp_rx;
	port->tx_pkt_burst = afp_tx;
	AFP_LOG(INFO, "%s: port %u on %s, %u queue pairs, %u frames of %u "
		 "bytes in blocks of %u, qdisc bypass %u", name, port->port_id,
		 ad->conf.iface, ad->conf.qpairs, ad->conf.framecnt,
		 ad->conf.framesz, ad->conf.blocksz, ad->conf.qdisc_bypass);
	return 0;
release_port:
	vfn_eth_dev_release_port(port);
free_dev:
	vfn_free(ad);
	return ret;
}

static int afp_remove(const char *name)
{
	return vfn_eth_vdev_close_by_name(name, &afp_ops);
}

static struct vfn_vdev_driver afp_vdev_driver = {
	.name = AFP_DRIVER_NAME,
	.probe = afp_probe,
	.remove = afp_remove,
};

__attribute__((constructor)) static void afp_register(void)
{
	vfn_vdev_register_driver(&afp_vdev_driver);
}
