/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vmxnet3 as a vfnet port: the PCI driver (15ad:07b0, DPDK's name
 * net_vmxnet3) and the port operations over vmxnet3_dev.c and
 * vmxnet3_rxtx.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_ethdev_driver.h"
#include "vmxnet3.h"

#define VMXNET3_DRIVER_NAME "net_vmxnet3"

#define VMXNET3_RSS_OFFLOADS (VFN_ETH_RSS_IPV4 | VFN_ETH_RSS_FRAG_IPV4 | \
	VFN_ETH_RSS_NONFRAG_IPV4_OTHER | VFN_ETH_RSS_NONFRAG_IPV4_UDP | \
	VFN_ETH_RSS_NONFRAG_IPV4_TCP | VFN_ETH_RSS_IPV6 | \
	VFN_ETH_RSS_FRAG_IPV6 | VFN_ETH_RSS_NONFRAG_IPV6_OTHER | \
	VFN_ETH_RSS_NONFRAG_IPV6_UDP | VFN_ETH_RSS_NONFRAG_IPV6_TCP)

static struct vmxnet3_adapter *adapter(struct vfn_eth_dev *port)
{
	return port->dev_private;
}

/* Port RSS fields -> UPT1 hash types (UDP flows hash on addresses only). */
static uint16_t rss_hf_to_upt1(uint64_t hf)
{
	uint16_t t = 0;

	if (hf & (VFN_ETH_RSS_IPV4 | VFN_ETH_RSS_FRAG_IPV4 |
		  VFN_ETH_RSS_NONFRAG_IPV4_OTHER | VFN_ETH_RSS_NONFRAG_IPV4_UDP))
		t |= UPT1_RSS_HASH_TYPE_IPV4;
	if (hf & VFN_ETH_RSS_NONFRAG_IPV4_TCP)
		t |= UPT1_RSS_HASH_TYPE_TCP_IPV4;
	if (hf & (VFN_ETH_RSS_IPV6 | VFN_ETH_RSS_FRAG_IPV6 |
		  VFN_ETH_RSS_NONFRAG_IPV6_OTHER | VFN_ETH_RSS_NONFRAG_IPV6_UDP))
		t |= UPT1_RSS_HASH_TYPE_IPV6;
	if (hf & VFN_ETH_RSS_NONFRAG_IPV6_TCP)
		t |= UPT1_RSS_HASH_TYPE_TCP_IPV6;
	return t;
}

static void apply_rss_conf(struct vmxnet3_adapter *ad,
			   const struct vfn_eth_rss_conf *rc)
{
	if (rc->rss_key && rc->rss_key_len == UPT1_RSS_MAX_KEY_SIZE)
		memcpy(ad->rss_key, rc->rss_key, UPT1_RSS_MAX_KEY_SIZE);
	ad->rss_hash_type = rss_hf_to_upt1(rc->rss_hf);
}

static int vmxnet3_port_configure(struct vfn_eth_dev *port)
{
	struct vmxnet3_adapter *ad = adapter(port);
	int rss = port->conf.rxmode.mq_mode == VFN_ETH_MQ_RX_RSS;

	if (port->nb_rx_queues > 1 && !rss) {
		VMXNET3_LOG(ERR, "%s: %u rx queues need RSS to receive beyond queue "
			    "0: configure with rxmode.mq_mode = VFN_ETH_MQ_RX_RSS",
			    port->name, port->nb_rx_queues);
		return -EINVAL;
	}
	ad->rss = (uint8_t)rss;
	if (rss)
		apply_rss_conf(ad, &port->conf.rx_adv_conf.rss_conf);
	return 0;
}

static int vmxnet3_port_info(struct vfn_eth_dev *port,
			     struct vfn_eth_dev_info *info)
{
	(void)port;
	info->min_mtu = VFN_ETHER_MIN_MTU;
	info->max_mtu = VFN_ETHER_MTU;
	info->min_rx_bufsize = VMXNET3_MAX_FRAME;
	info->max_rx_pktlen = VMXNET3_MAX_FRAME;
	info->max_rx_queues = VMXNET3_PMD_MAX_QUEUES;
	info->max_tx_queues = VMXNET3_PMD_MAX_QUEUES;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = VFN_ETH_RX_OFFLOAD_RSS_HASH;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->reta_size = UPT1_RSS_MAX_IND_TABLE_SIZE;
	info->hash_key_size = UPT1_RSS_MAX_KEY_SIZE;
	info->flow_type_rss_offloads = VMXNET3_RSS_OFFLOADS;
	info->default_rxconf.rx_free_thresh = VMXNET3_RX_FREE_THRESH;
	info->default_txconf.tx_free_thresh = VMXNET3_TX_FREE_BURST;
	/* Power-of-two counts only (the driver checks; the device wants 32s). */
	info->rx_desc_lim.nb_min = 64;
	info->rx_desc_lim.nb_max = VMXNET3_RX_RING_MAX_SIZE;
	info->rx_desc_lim.nb_align = VMXNET3_RING_SIZE_ALIGN;
	info->tx_desc_lim = info->rx_desc_lim;
	info->default_rxportconf.ring_size = 256;
	info->default_txportconf.ring_size = 256;
	info->speed_capa = VFN_ETH_LINK_SPEED_1G | VFN_ETH_LINK_SPEED_10G;
	return 0;
}

static int vmxnet3_port_rxq_setup(struct vfn_eth_dev *port, uint16_t q,
				  uint16_t nb_desc, int socket,
				  const struct vfn_eth_rxconf *conf,
				  struct vfn_mempool *mp)
{
	struct vmxnet3_adapter *ad = adapter(port);
	struct vmxnet3_rx_queue *rxq;
	int ret;

	(void)conf;
	ret = vmxnet3_rxq_alloc(ad, q, nb_desc, socket, mp, &rxq);
	if (ret)
		return ret;
	ad->rxq[q] = rxq;
	port->rx_queues[q] = rxq;
	port->rxq_stats[q] = &rxq->stats;
	return 0;
}

static void vmxnet3_port_rxq_release(struct vfn_eth_dev *port, uint16_t q)
{
	struct vmxnet3_adapter *ad = adapter(port);

	vmxnet3_rxq_free(ad->rxq[q]);
	ad->rxq[q] = NULL;
	port->rx_queues[q] = NULL;
}

static int vmxnet3_port_txq_setup(struct vfn_eth_dev *port, uint16_t q,
				  uint16_t nb_desc, int socket,
				  const struct vfn_eth_txconf *conf)
{
	struct vmxnet3_adapter *ad = adapter(port);
	struct vmxnet3_tx_queue *txq;
	int ret;

	(void)conf;
	ret = vmxnet3_txq_alloc(ad, q, nb_desc, socket, &txq);
	if (ret)
		return ret;
	ad->txq[q] = txq;
	port->tx_queues[q] = txq;
	port->txq_stats[q] = &txq->stats;
	return 0;
}

static void vmxnet3_port_txq_release(struct vfn_eth_dev *port, uint16_t q)
{
	struct vmxnet3_adapter *ad = adapter(port);

	vmxnet3_txq_free(ad->txq[q]);
	ad->txq[q] = NULL;
	port->tx_queues[q] = NULL;
}

/*
 * Link from GET_LINK, stored in one atomic write (the interrupt thread
 * and the application both call this).
 */
void vmxnet3_link_refresh(struct vfn_eth_dev *port)
{
	struct vfn_eth_link link;
	uint32_t speed;
	int up;

	memset(&link, 0, sizeof(link));
	up = vmxnet3_dev_link_get(adapter(port), &speed);
	link.link_status = up ? VFN_ETH_LINK_UP : VFN_ETH_LINK_DOWN;
	link.link_speed = up ? speed : VFN_ETH_SPEED_NUM_NONE;
	link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = VFN_ETH_LINK_FIXED;
	vfn_eth_linkstatus_set(port, &link);
}

static int vmxnet3_port_link_update(struct vfn_eth_dev *port, int wait)
{
	(void)wait;
	vmxnet3_link_refresh(port);
	return 0;
}

static int vmxnet3_port_start(struct vfn_eth_dev *port)
{
	struct vmxnet3_adapter *ad = adapter(port);
	int ret;

	ad->nb_rxq = port->nb_rx_queues;
	ad->nb_txq = port->nb_tx_queues;
	ad->promisc = port->promiscuous;
	ad->allmulti = port->all_multicast;
	ad->mtu = port->mtu;
	memcpy(ad->mac, port->mac_addr.addr_bytes, 6);
	ad->intr = port->conf.intr_conf.rxq || port->conf.intr_conf.lsc;
	ad->nb_vec = ad->intr ? ad->nb_rxq + 2 : 0;
	if (ad->nb_vec > ad->pci->msix_vectors) {
		VMXNET3_LOG(ERR, "%s: intr_conf with %u rx queues needs %u MSI-X "
			    "vectors, the device has %u: configure without "
			    "intr_conf", port->name, ad->nb_rxq, ad->nb_vec,
			    ad->pci->msix_vectors);
		return -ENOTSUP;
	}
	ret = vmxnet3_dev_start(ad, port->rx_deferred);
	if (ret)
		return ret;
	ret = vmxnet3_intr_start(port);
	if (ret) {
		vmxnet3_dev_stop(ad);
		return ret;
	}
	vmxnet3_link_refresh(port);
	return 0;
}

static int vmxnet3_port_stop(struct vfn_eth_dev *port)
{
	vmxnet3_intr_stop(port);
	vmxnet3_dev_stop(adapter(port));
	vmxnet3_link_refresh(port);
	return 0;
}

static int vmxnet3_port_close(struct vfn_eth_dev *port)
{
	struct vmxnet3_adapter *ad = adapter(port);

	vmxnet3_dev_uninit(ad);
	ad->pci->driver_data = NULL;
	vfn_free(ad);
	port->dev_private = NULL;
	return 0;
}

/*
 * Per-queue start/stop.  The device has no per-queue enable: a queue's
 * rings are the device's from activation to reset.  So a stopped rx
 * queue keeps its buffers posted; whatever the device puts there while
 * it is stopped is dropped when it starts again (the device counts the
 * frames it could not place once the ring is full as out-of-buffer,
 * imissed).  A queue set up with rx_deferred_start is activated with no
 * buffers at all and gets them at its first start.
 */
static int vmxnet3_port_rxq_start(struct vfn_eth_dev *port, uint16_t q)
{
	struct vmxnet3_rx_queue *rxq = adapter(port)->rxq[q];
	int ret;

	vmxnet3_rxq_flush(rxq);
	ret = vmxnet3_rxq_post(rxq);
	if (ret)
		return ret;
	rxq->stopped = 0;
	return 0;
}

static int vmxnet3_port_rxq_stop(struct vfn_eth_dev *port, uint16_t q)
{
	adapter(port)->rxq[q]->stopped = 1;
	return 0;
}

/* Tx: the device reads a tx ring only on a TXPROD write; nothing to do. */
static int vmxnet3_port_txq_start(struct vfn_eth_dev *port, uint16_t q)
{
	(void)port;
	(void)q;
	return 0;
}

/* Frames already queued still go out; their mbufs come back here. */
static int vmxnet3_port_txq_stop(struct vfn_eth_dev *port, uint16_t q)
{
	vmxnet3_txq_reclaim(adapter(port)->txq[q]);
	return 0;
}

static int vmxnet3_port_stats_get(struct vfn_eth_dev *port,
				  struct vfn_eth_stats *st)
{
	struct vmxnet3_hw_stats s;

	vmxnet3_dev_stats(adapter(port), &s);
	st->imissed += s.rx_out_of_buf;
	st->ierrors += s.rx_errors;
	st->oerrors += s.tx_errors + s.tx_discards;
	return 0;
}

static int vmxnet3_port_stats_reset(struct vfn_eth_dev *port)
{
	vmxnet3_dev_stats_reset(adapter(port));
	return 0;
}

/* The device's UPT1 queue counters, summed over queues, as xstats. */
static const struct {
	const char *name;
	size_t off;
} vmxnet3_xstats[] = {
#define X(n, f) { n, offsetof(struct vmxnet3_hw_stats, f) }
	X("hw_rx_total_packets", rx_pkts),
	X("hw_rx_total_bytes", rx_bytes),
	X("hw_rx_unicast_packets", rx_ucast),
	X("hw_rx_multicast_packets", rx_mcast),
	X("hw_rx_broadcast_packets", rx_bcast),
	X("hw_rx_lro_packets", rx_lro_pkts),
	X("hw_rx_out_of_buffer", rx_out_of_buf),
	X("hw_rx_errors", rx_errors),
	X("hw_tx_total_packets", tx_pkts),
	X("hw_tx_total_bytes", tx_bytes),
	X("hw_tx_unicast_packets", tx_ucast),
	X("hw_tx_multicast_packets", tx_mcast),
	X("hw_tx_broadcast_packets", tx_bcast),
	X("hw_tx_tso_packets", tx_tso_pkts),
	X("hw_tx_errors", tx_errors),
	X("hw_tx_discards", tx_discards),
#undef X
};

#define VMXNET3_NB_XSTATS ((int)(sizeof(vmxnet3_xstats) / sizeof(vmxnet3_xstats[0])))

static int vmxnet3_port_xstats_names(struct vfn_eth_dev *port,
				     struct vfn_eth_xstat_name *names,
				     unsigned int size)
{
	int i;

	(void)port;
	if (!names || size < (unsigned int)VMXNET3_NB_XSTATS)
		return VMXNET3_NB_XSTATS;
	for (i = 0; i < VMXNET3_NB_XSTATS; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s",
			 vmxnet3_xstats[i].name);
	return VMXNET3_NB_XSTATS;
}

static int vmxnet3_port_xstats_get(struct vfn_eth_dev *port, uint64_t *values,
				   unsigned int n)
{
	struct vmxnet3_hw_stats s;
	int i;

	if (n < (unsigned int)VMXNET3_NB_XSTATS)
		return VMXNET3_NB_XSTATS;
	vmxnet3_dev_stats(adapter(port), &s);
	for (i = 0; i < VMXNET3_NB_XSTATS; i++)
		memcpy(&values[i], (const char *)&s + vmxnet3_xstats[i].off,
		       sizeof(uint64_t));
	return VMXNET3_NB_XSTATS;
}

static int set_rx_mode(struct vfn_eth_dev *port, int promisc, int allmulti)
{
	struct vmxnet3_adapter *ad = adapter(port);

	ad->promisc = (uint8_t)promisc;
	ad->allmulti = (uint8_t)allmulti;
	vmxnet3_dev_rx_mode(ad);
	return 0;
}

static int vmxnet3_promisc_on(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, 1, port->all_multicast);
}

static int vmxnet3_promisc_off(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, 0, port->all_multicast);
}

static int vmxnet3_allmulti_on(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, port->promiscuous, 1);
}

static int vmxnet3_allmulti_off(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, port->promiscuous, 0);
}

static int vmxnet3_port_mac_set(struct vfn_eth_dev *port,
				const struct vfn_ether_addr *mac)
{
	vmxnet3_dev_write_mac(adapter(port), mac->addr_bytes);
	return 0;
}

/* <= 1500: frames fit one buffer; the device reads it at activation. */
static int vmxnet3_port_mtu_set(struct vfn_eth_dev *port, uint16_t mtu)
{
	adapter(port)->mtu = mtu;
	return 0;
}

static int vmxnet3_port_rss_update(struct vfn_eth_dev *port,
				   const struct vfn_eth_rss_conf *rc)
{
	struct vmxnet3_adapter *ad = adapter(port);

	if (!ad->rss) {
		VMXNET3_LOG(ERR, "%s: RSS is off: configure with VFN_ETH_MQ_RX_RSS "
			    "first", port->name);
		return -EINVAL;
	}
	apply_rss_conf(ad, rc);
	return vmxnet3_dev_rss_update(ad);
}

static const struct vfn_eth_dev_ops vmxnet3_port_ops = {
	.configure = vmxnet3_port_configure,
	.info_get = vmxnet3_port_info,
	.rx_queue_setup = vmxnet3_port_rxq_setup,
	.rx_queue_release = vmxnet3_port_rxq_release,
	.tx_queue_setup = vmxnet3_port_txq_setup,
	.tx_queue_release = vmxnet3_port_txq_release,
	.start = vmxnet3_port_start,
	.stop = vmxnet3_port_stop,
	.close = vmxnet3_port_close,
	.link_update = vmxnet3_port_link_update,
	.stats_get = vmxnet3_port_stats_get,
	.stats_reset = vmxnet3_port_stats_reset,
	.xstats_get_names = vmxnet3_port_xstats_names,
	.xstats_get = vmxnet3_port_xstats_get,
	.promiscuous_enable = vmxnet3_promisc_on,
	.promiscuous_disable = vmxnet3_promisc_off,
	.allmulticast_enable = vmxnet3_allmulti_on,
	.allmulticast_disable = vmxnet3_allmulti_off,
	.mac_addr_set = vmxnet3_port_mac_set,
	.mtu_set = vmxnet3_port_mtu_set,
	.rss_hash_update = vmxnet3_port_rss_update,
	.rx_queue_start = vmxnet3_port_rxq_start,
	.rx_queue_stop = vmxnet3_port_rxq_stop,
	.tx_queue_start = vmxnet3_port_txq_start,
	.tx_queue_stop = vmxnet3_port_txq_stop,
	.rx_queue_intr_enable = vmxnet3_rx_intr_enable,
	.rx_queue_intr_disable = vmxnet3_rx_intr_disable,
};

static int vmxnet3_probe(struct vfn_pci_driver *drv, struct vfn_pci_device *dev)
{
	struct vmxnet3_adapter *ad;
	struct vfn_eth_dev *port;
	int ret, i;

	(void)drv;
	ad = vfn_zmalloc_socket("vmxnet3_adapter", sizeof(*ad), 0,
				dev->numa_node);
	if (!ad)
		return -ENOMEM;
	ret = vmxnet3_dev_init(ad, dev);
	if (ret)
		goto err_free;
	port = vfn_eth_dev_allocate(dev->name);
	if (!port) {
		ret = -errno;
		VMXNET3_LOG(ERR, "%s: cannot allocate a port: %s", dev->name,
			    strerror(errno));
		goto err_uninit;
	}
	ad->port_id = port->port_id;
	port->ops = &vmxnet3_port_ops;
	port->driver_name = VMXNET3_DRIVER_NAME;
	port->dev_private = ad;
	port->pci_dev = dev;
	port->socket_id = dev->numa_node;
	memcpy(port->mac_addr.addr_bytes, ad->mac, 6);
	port->rx_pkt_burst = vmxnet3_recv_pkts;
	port->tx_pkt_burst = vmxnet3_xmit_pkts;
	for (i = 0; i < VMXNET3_VEC_MAX; i++)
		ad->msix_efd[i] = -1;
	/* The event vector carries link changes (see vmxnet3_intr.c). */
	if (dev->msix_vectors >= VMXNET3_VEC_MAX)
		port->dev_flags |= VFN_ETH_DEV_INTR_LSC;
	vmxnet3_link_refresh(port);
	dev->driver_data = port;
	VMXNET3_LOG(INFO, "%s: port %u, MAC %02x:%02x:%02x:%02x:%02x:%02x",
		    dev->name, port->port_id, ad->mac[0], ad->mac[1], ad->mac[2],
		    ad->mac[3], ad->mac[4], ad->mac[5]);
	return 0;
err_uninit:
	vmxnet3_dev_uninit(ad);
err_free:
	vfn_pci_set_bus_master(dev, 0);
	vfn_free(ad);
	return ret;
}

static int vmxnet3_remove(struct vfn_pci_device *dev)
{
	struct vfn_eth_dev *port = dev->driver_data;

	if (!port)
		return 0;
	return vfn_eth_dev_close(port->port_id);
}

static const struct vfn_pci_id vmxnet3_ids[] = {
	{ .class_id = VFN_PCI_ANY_ID, .vendor_id = VMXNET3_VENDOR_ID,
	  .device_id = VMXNET3_DEVICE_ID,
	  .subsystem_vendor_id = VFN_PCI_ANY_ID,
	  .subsystem_device_id = VFN_PCI_ANY_ID },
	{ .vendor_id = 0 },
};

static struct vfn_pci_driver vmxnet3_driver = {
	.name = VMXNET3_DRIVER_NAME,
	.id_table = vmxnet3_ids,
	.probe = vmxnet3_probe,
	.remove = vmxnet3_remove,
};

__attribute__((constructor)) static void vmxnet3_register(void)
{
	vfn_pci_register_driver(&vmxnet3_driver);
}
