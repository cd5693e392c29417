/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000e as a vfnet port: the PCI driver (8086:10d3, DPDK's name
 * net_e1000_em) and the port operations over e1000e_dev.c and
 * e1000e_rxtx.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_ethdev_driver.h"
#include "e1000e.h"

#define E1000E_DRIVER_NAME "net_e1000_em"

#define E1000E_RSS_OFFLOADS (VFN_ETH_RSS_IPV4 | VFN_ETH_RSS_FRAG_IPV4 | \
	VFN_ETH_RSS_NONFRAG_IPV4_TCP | VFN_ETH_RSS_NONFRAG_IPV4_OTHER | \
	VFN_ETH_RSS_NONFRAG_IPV4_UDP | VFN_ETH_RSS_IPV6 | \
	VFN_ETH_RSS_FRAG_IPV6 | VFN_ETH_RSS_NONFRAG_IPV6_TCP | \
	VFN_ETH_RSS_NONFRAG_IPV6_UDP | VFN_ETH_RSS_NONFRAG_IPV6_OTHER | \
	VFN_ETH_RSS_IPV6_EX)

static struct e1000e_adapter *adapter(struct vfn_eth_dev *port)
{
	return port->dev_private;
}

/* Port RSS fields -> MRQC hash enables (datasheet 10.2.5.x MRQC). */
static uint32_t rss_hf_to_mrqc(uint64_t hf)
{
	uint32_t m = 0;

	/* The 82574 hashes UDP flows on their addresses only. */
	if (hf & (VFN_ETH_RSS_IPV4 | VFN_ETH_RSS_FRAG_IPV4 |
		  VFN_ETH_RSS_NONFRAG_IPV4_OTHER | VFN_ETH_RSS_NONFRAG_IPV4_UDP))
		m |= E1000_MRQC_RSS_IPV4;
	if (hf & VFN_ETH_RSS_NONFRAG_IPV4_TCP)
		m |= E1000_MRQC_RSS_TCPIPV4;
	if (hf & (VFN_ETH_RSS_IPV6 | VFN_ETH_RSS_FRAG_IPV6 |
		  VFN_ETH_RSS_NONFRAG_IPV6_OTHER | VFN_ETH_RSS_NONFRAG_IPV6_UDP))
		m |= E1000_MRQC_RSS_IPV6;
	if (hf & VFN_ETH_RSS_NONFRAG_IPV6_TCP)
		m |= E1000_MRQC_RSS_TCPIPV6;
	if (hf & VFN_ETH_RSS_IPV6_EX)
		m |= E1000_MRQC_RSS_IPV6EX;
	return m;
}

static void apply_rss_conf(struct e1000e_adapter *ad,
			   const struct vfn_eth_rss_conf *rc)
{
	if (rc->rss_key && rc->rss_key_len == E1000_RSSRK_SIZE)
		memcpy(ad->rss_key, rc->rss_key, E1000_RSSRK_SIZE);
	ad->rss_mrqc = rss_hf_to_mrqc(rc->rss_hf);
}

static int e1000e_port_configure(struct vfn_eth_dev *port)
{
	struct e1000e_adapter *ad = adapter(port);
	int rss = port->conf.rxmode.mq_mode == VFN_ETH_MQ_RX_RSS;

	if (port->nb_rx_queues > 1 && !rss) {
		E1000E_LOG(ERR, "%s: %u rx queues need RSS to receive on queue 1: "
			   "configure with rxmode.mq_mode = VFN_ETH_MQ_RX_RSS",
			   port->name, port->nb_rx_queues);
		return -EINVAL;
	}
	ad->rss = (uint8_t)rss;
	if (rss)
		apply_rss_conf(ad, &port->conf.rx_adv_conf.rss_conf);
	return 0;
}

static int e1000e_port_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	(void)port;
	info->min_mtu = VFN_ETHER_MIN_MTU;
	info->max_mtu = VFN_ETHER_MTU;
	info->min_rx_bufsize = E1000E_RX_BUF_SIZE;
	info->max_rx_pktlen = E1000E_MAX_FRAME;
	info->max_rx_queues = E1000E_MAX_QUEUES;
	info->max_tx_queues = E1000E_MAX_QUEUES;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = VFN_ETH_RX_OFFLOAD_RSS_HASH;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->reta_size = E1000_RETA_ENTRIES;
	info->hash_key_size = E1000_RSSRK_SIZE;
	info->flow_type_rss_offloads = E1000E_RSS_OFFLOADS;
	info->default_rxconf.rx_free_thresh = E1000E_RX_FREE_THRESH;
	info->default_txconf.tx_rs_thresh = E1000E_TX_RS_THRESH;
	info->default_txconf.tx_free_thresh = E1000E_TX_RS_THRESH;
	/* Power-of-two counts only (the driver checks; 32 is the stride). */
	info->rx_desc_lim.nb_min = 64;
	info->rx_desc_lim.nb_max = E1000_MAX_RING_DESCS;
	info->rx_desc_lim.nb_align = E1000E_TX_RS_THRESH;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = 256;
	info->default_txportconf.ring_size = 256;
	info->speed_capa = VFN_ETH_LINK_SPEED_10M | VFN_ETH_LINK_SPEED_100M |
			   VFN_ETH_LINK_SPEED_1G;
	return 0;
}

static int e1000e_port_rxq_setup(struct vfn_eth_dev *port, uint16_t q,
				 uint16_t nb_desc, int socket,
				 const struct vfn_eth_rxconf *conf,
				 struct vfn_mempool *mp)
{
	struct e1000e_adapter *ad = adapter(port);
	struct e1000e_rx_queue *rxq;
	int ret;

	(void)conf;
	ret = e1000e_rxq_alloc(ad, q, nb_desc, socket, mp, &rxq);
	if (ret)
		return ret;
	ad->rxq[q] = rxq;
	port->rx_queues[q] = rxq;
	port->rxq_stats[q] = &rxq->stats;
	return 0;
}

static void e1000e_port_rxq_release(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	e1000e_rxq_free(ad->rxq[q]);
	ad->rxq[q] = NULL;
	port->rx_queues[q] = NULL;
}

static int e1000e_port_txq_setup(struct vfn_eth_dev *port, uint16_t q,
				 uint16_t nb_desc, int socket,
				 const struct vfn_eth_txconf *conf)
{
	struct e1000e_adapter *ad = adapter(port);
	struct e1000e_tx_queue *txq;
	int ret;

	(void)conf;
	ret = e1000e_txq_alloc(ad, q, nb_desc, socket, &txq);
	if (ret)
		return ret;
	ad->txq[q] = txq;
	port->tx_queues[q] = txq;
	port->txq_stats[q] = &txq->stats;
	return 0;
}

static void e1000e_port_txq_release(struct vfn_eth_dev *port, uint16_t q)
{
	struct e1000e_adapter *ad = adapter(port);

	e1000e_txq_free(ad->txq[q]);
	ad->txq[q] = NULL;
	port->tx_queues[q] = NULL;
}

/*
 * Link from STATUS, stored in one atomic write (the interrupt thread and
 * the application both call this).
 */
void e1000e_link_refresh(struct vfn_eth_dev *port)
{
	struct e1000e_adapter *ad = adapter(port);
	struct vfn_eth_link link;
	uint32_t speed;
	int fd, up;

	memset(&link, 0, sizeof(link));
	up = e1000e_hw_link_get(ad, &speed, &fd);
	link.link_status = up ? VFN_ETH_LINK_UP : VFN_ETH_LINK_DOWN;
	link.link_speed = up ? speed : VFN_ETH_SPEED_NUM_NONE;
	link.link_duplex = fd ? VFN_ETH_LINK_FULL_DUPLEX :
				VFN_ETH_LINK_HALF_DUPLEX;
	link.link_autoneg = VFN_ETH_LINK_AUTONEG;
	vfn_eth_linkstatus_set(port, &link);
}

static int e1000e_port_link_update(struct vfn_eth_dev *port, int wait)
{
	(void)wait;
	e1000e_link_refresh(port);
	return 0;
}

static int e1000e_port_start(struct vfn_eth_dev *port)
{
	struct e1000e_adapter *ad = adapter(port);
	uint16_t q;
	int ret;

	ad->nb_rxq = port->nb_rx_queues;
	ad->nb_txq = port->nb_tx_queues;
	ad->promisc = port->promiscuous;
	ad->allmulti = port->all_multicast;
	memcpy(ad->mac, port->mac_addr.addr_bytes, 6);
	for (q = 0; q < E1000E_MAX_QUEUES; q++) {
		ad->rx_deferred[q] = q < port->nb_rx_queues && port->rx_deferred[q];
		ad->tx_deferred[q] = q < port->nb_tx_queues && port->tx_deferred[q];
	}
	ret = e1000e_dev_start(ad);
	if (ret)
		return ret;
	ret = e1000e_intr_start(port);
	if (ret) {
		e1000e_dev_stop(ad);
		return ret;
	}
	e1000e_link_refresh(port);
	return 0;
}

static int e1000e_port_stop(struct vfn_eth_dev *port)
{
	e1000e_intr_stop(port);
	e1000e_dev_stop(adapter(port));
	e1000e_link_refresh(port);
	return 0;
}

static int e1000e_port_close(struct vfn_eth_dev *port)
{
	struct e1000e_adapter *ad = adapter(port);

	e1000e_hw_reset(ad);
	e1000e_write(ad, E1000_CTRL_EXT,
		     e1000e_read(ad, E1000_CTRL_EXT) & ~E1000_CTRL_EXT_DRV_LOAD);
	vfn_pci_set_bus_master(ad->pci, 0);
	ad->pci->driver_data = NULL;
	vfn_free(ad);
	port->dev_private = NULL;
	return 0;
}

static int e1000e_port_stats_get(struct vfn_eth_dev *port,
				 struct vfn_eth_stats *st)
{
	struct e1000e_adapter *ad = adapter(port);
	const struct e1000e_hw_stats *s = &ad->hw_stats;

	e1000e_hw_stats_update(ad);
	st->imissed += s->mpc;
	st->ierrors += s->crcerrs + s->rlec + s->rxerrc;
	return 0;
}

static int e1000e_port_stats_reset(struct vfn_eth_dev *port)
{
	e1000e_hw_stats_reset(adapter(port));
	return 0;
}

/* Hardware counters as xstats (datasheet 10.2.8). */
static const struct {
	const char *name;
	size_t off;
} e1000e_xstats[] = {
#define X(n, f) { n, offsetof(struct e1000e_hw_stats, f) }
	X("hw_rx_total_packets", tpr),
	X("hw_tx_total_packets", tpt),
	X("hw_rx_total_bytes", tor),
	X("hw_tx_total_bytes", tot),
	X("hw_rx_good_packets", gprc),
	X("hw_tx_good_packets", gptc),
	X("hw_rx_broadcast_packets", bprc),
	X("hw_rx_multicast_packets", mprc),
	X("hw_tx_broadcast_packets", bptc),
	X("hw_tx_multicast_packets", mptc),
	X("hw_rx_undersize_packets", ruc),
	X("hw_rx_oversize_packets", roc),
	X("hw_rx_missed_packets", mpc),
	X("hw_rx_no_buffer_count", rnbc),
	X("hw_rx_crc_errors", crcerrs),
	X("hw_rx_length_errors", rlec),
	X("hw_rx_symbol_errors", rxerrc),
#undef X
};

#define E1000E_NB_XSTATS ((int)(sizeof(e1000e_xstats) / sizeof(e1000e_xstats[0])))

static int e1000e_port_xstats_names(struct vfn_eth_dev *port,
				    struct vfn_eth_xstat_name *names,
				    unsigned int size)
{
	int i;

	(void)port;
	if (!names || size < (unsigned int)E1000E_NB_XSTATS)
		return E1000E_NB_XSTATS;
	for (i = 0; i < E1000E_NB_XSTATS; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s",
			 e1000e_xstats[i].name);
	return E1000E_NB_XSTATS;
}

static int e1000e_port_xstats_get(struct vfn_eth_dev *port, uint64_t *values,
				  unsigned int n)
{
	struct e1000e_adapter *ad = adapter(port);
	int i;

	if (n < (unsigned int)E1000E_NB_XSTATS)
		return E1000E_NB_XSTATS;
	e1000e_hw_stats_update(ad);
	for (i = 0; i < E1000E_NB_XSTATS; i++) {
		const char *p = (const char *)&ad->hw_stats + e1000e_xstats[i].off;
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		values[i] = v;
	}
	return E1000E_NB_XSTATS;
}

static int set_rx_mode(struct vfn_eth_dev *port, int promisc, int allmulti)
{
	struct e1000e_adapter *ad = adapter(port);

	ad->promisc = (uint8_t)promisc;
	ad->allmulti = (uint8_t)allmulti;
	if (ad->started)
		e1000e_hw_rx_mode(ad);
	return 0;
}

static int e1000e_promisc_on(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, 1, port->all_multicast);
}

static int e1000e_promisc_off(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, 0, port->all_multicast);
}

static int e1000e_allmulti_on(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, port->promiscuous, 1);
}

static int e1000e_allmulti_off(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, port->promiscuous, 0);
}

static int e1000e_port_mac_set(struct vfn_eth_dev *port,
			       const struct vfn_ether_addr *mac)
{
	e1000e_hw_write_mac(adapter(port), mac->addr_bytes);
	return 0;
}

static int e1000e_port_mtu_set(struct vfn_eth_dev *port, uint16_t mtu)
{
	(void)port;
	(void)mtu; /* <= 1500: frames fit the 2048-byte buffers, no LPE */
	return 0;
}

static int e1000e_port_rss_update(struct vfn_eth_dev *port,
				  const struct vfn_eth_rss_conf *rc)
{
	struct e1000e_adapter *ad = adapter(port);

	if (!ad->rss) {
		E1000E_LOG(ERR, "%s: RSS is off: configure with VFN_ETH_MQ_RX_RSS first",
			   port->name);
		return -EINVAL;
	}
	apply_rss_conf(ad, rc);
	if (ad->started)
		e1000e_hw_rss_setup(ad);
	return 0;
}

static const struct vfn_eth_dev_ops e1000e_port_ops = {
	.configure = e1000e_port_configure,
	.info_get = e1000e_port_info,
	.rx_queue_setup = e1000e_port_rxq_setup,
	.rx_queue_release = e1000e_port_rxq_release,
	.tx_queue_setup = e1000e_port_txq_setup,
	.tx_queue_release = e1000e_port_txq_release,
	.start = e1000e_port_start,
	.stop = e1000e_port_stop,
	.close = e1000e_port_close,
	.link_update = e1000e_port_link_update,
	.stats_get = e1000e_port_stats_get,
	.stats_reset = e1000e_port_stats_reset,
	.xstats_get_names = e1000e_port_xstats_names,
	.xstats_get = e1000e_port_xstats_get,
	.promiscuous_enable = e1000e_promisc_on,
	.promiscuous_disable = e1000e_promisc_off,
	.allmulticast_enable = e1000e_allmulti_on,
	.allmulticast_disable = e1000e_allmulti_off,
	.mac_addr_set = e1000e_port_mac_set,
	.mtu_set = e1000e_port_mtu_set,
	.rss_hash_update = e1000e_port_rss_update,
	.rx_queue_start = e1000e_rx_queue_start,
	.rx_queue_stop = e1000e_rx_queue_stop,
	.tx_queue_start = e1000e_tx_queue_start,
	.tx_queue_stop = e1000e_tx_queue_stop,
	.rx_queue_intr_enable = e1000e_rx_intr_enable,
	.rx_queue_intr_disable = e1000e_rx_intr_disable,
};

static int e1000e_probe(struct vfn_pci_driver *drv, struct vfn_pci_device *dev)
{
	struct e1000e_adapter *ad;
	struct vfn_eth_dev *port;
	int ret;

	(void)drv;
	ad = vfn_zmalloc_socket("e1000e_adapter", sizeof(*ad), 0,
				dev->numa_node);
	if (!ad)
		return -ENOMEM;
	ret = e1000e_dev_init(ad, dev);
	if (ret)
		goto err_free;
	port = vfn_eth_dev_allocate(dev->name);
	if (!port) {
		ret = -errno;
		E1000E_LOG(ERR, "%s: cannot allocate a port: %s", dev->name,
			   strerror(errno));
		goto err_free;
	}
	ad->port_id = port->port_id;
	port->ops = &e1000e_port_ops;
	port->driver_name = E1000E_DRIVER_NAME;
	port->dev_private = ad;
	port->pci_dev = dev;
	port->socket_id = dev->numa_node;
	memcpy(port->mac_addr.addr_bytes, ad->mac, 6);
	port->rx_pkt_burst = e1000e_recv_pkts;
	port->tx_pkt_burst = e1000e_xmit_pkts;
	/* The "other" MSI-X vector carries LSC (see e1000e_intr.c). */
	if (dev->msix_vectors >= E1000E_MSIX_NB)
		port->dev_flags |= VFN_ETH_DEV_INTR_LSC;
	e1000e_link_refresh(port);
	dev->driver_data = port;
	E1000E_LOG(INFO, "%s: port %u, MAC %02x:%02x:%02x:%02x:%02x:%02x", dev->name,
		   port->port_id, ad->mac[0], ad->mac[1], ad->mac[2], ad->mac[3],
		   ad->mac[4], ad->mac[5]);
	return 0;
err_free:
	vfn_pci_set_bus_master(dev, 0);
	vfn_free(ad);
	return ret;
}

static int e1000e_remove(struct vfn_pci_device *dev)
{
	struct vfn_eth_dev *port = dev->driver_data;

	if (!port)
		return 0;
	return vfn_eth_dev_close(port->port_id);
}

static const struct vfn_pci_id e1000e_ids[] = {
	{ .class_id = VFN_PCI_ANY_ID, .vendor_id = 0x8086, .device_id = 0x10d3,
	  .subsystem_vendor_id = VFN_PCI_ANY_ID,
	  .subsystem_device_id = VFN_PCI_ANY_ID },
	{ .vendor_id = 0 },
};

static struct vfn_pci_driver e1000e_driver = {
	.name = E1000E_DRIVER_NAME,
	.id_table = e1000e_ids,
	.probe = e1000e_probe,
	.remove = e1000e_remove,
};

__attribute__((constructor)) static void e1000e_register(void)
{
	vfn_pci_register_driver(&e1000e_driver);
}
