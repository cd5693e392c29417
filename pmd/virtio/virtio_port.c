/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net as a vfnet port: the PCI driver for modern virtio-net
 * (1af4:1041, and transitional 1af4:1000 through its modern interface;
 * DPDK's name net_virtio) and the port operations.
 */
#include <errno.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_ethdev_driver.h"
#include "virtio_net.h"

#define VIRTIO_DRIVER_NAME "net_virtio"

static struct virtio_net_adapter *adapter(struct vfn_eth_dev *port)
{
	return port->dev_private;
}

static int virtio_port_configure(struct vfn_eth_dev *port)
{
	struct virtio_net_adapter *ad = adapter(port);

	if (port->nb_rx_queues != port->nb_tx_queues) {
		VIRTIO_LOG(ERR, "%s: virtio-net runs queue pairs: configure as many rx "
			   "as tx queues (%u rx, %u tx asked)", port->name,
			   port->nb_rx_queues, port->nb_tx_queues);
		return -EINVAL;
	}
	if (port->conf.rxmode.mtu > ad->mtu) {
		VIRTIO_LOG(ERR, "%s: MTU %u above the device's %u", port->name,
			   port->conf.rxmode.mtu, ad->mtu);
		return -EINVAL;
	}
	return 0;
}

static int virtio_port_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	struct virtio_net_adapter *ad = adapter(port);
	int mrg = virtio_net_mrg_offered(ad);

	info->min_mtu = VFN_ETHER_MIN_MTU;
	info->max_mtu = ad->mtu;
	info->min_rx_bufsize = mrg ? 64 : ad->mtu + VFN_ETHER_HDR_LEN + 4;
	info->max_rx_pktlen = ad->mtu + VFN_ETHER_HDR_LEN + 4;
	info->max_rx_queues = ad->max_qp;
	info->max_tx_queues = ad->max_qp;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = mrg ? VFN_ETH_RX_OFFLOAD_SCATTER : 0;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->default_rxconf.rx_free_thresh = VIRTIO_NET_BURST;
	info->default_txconf.tx_free_thresh = VIRTIO_NET_BURST;
	info->rx_desc_lim.nb_min = 64;
	info->rx_desc_lim.nb_max = ad->rx_max;
	info->rx_desc_lim.nb_align = 64;
	info->tx_desc_lim.nb_min = 64;
	info->tx_desc_lim.nb_max = ad->tx_max;
	info->tx_desc_lim.nb_align = 64;
	info->default_rxportconf.ring_size = ad->rx_max;
	info->default_txportconf.ring_size = ad->tx_max;
	info->speed_capa = VFN_ETH_LINK_SPEED_10G;
	return 0;
}

static int virtio_port_rxq_setup(struct vfn_eth_dev *port, uint16_t q,
				 uint16_t nb_desc, int socket,
				 const struct vfn_eth_rxconf *conf,
				 struct vfn_mempool *mp)
{
	struct virtio_net_adapter *ad = adapter(port);
	struct virtio_rx_queue *rxq;
	int ret;

	(void)conf;
	ret = virtio_rxq_alloc(ad, q, nb_desc, socket, mp, &rxq);
	if (ret)
		return ret;
	ad->rxq[q] = rxq;
	port->rx_queues[q] = rxq;
	port->rxq_stats[q] = &rxq->stats;
	return 0;
}

static void virtio_port_rxq_release(struct vfn_eth_dev *port, uint16_t q)
{
	struct virtio_net_adapter *ad = adapter(port);

	virtio_rxq_free(ad->rxq[q]);
	ad->rxq[q] = NULL;
	port->rx_queues[q] = NULL;
}

static int virtio_port_txq_setup(struct vfn_eth_dev *port, uint16_t q,
				 uint16_t nb_desc, int socket,
				 const struct vfn_eth_txconf *conf)
{
	struct virtio_net_adapter *ad = adapter(port);
	struct virtio_tx_queue *txq;
	int ret;

	(void)conf;
	ret = virtio_txq_alloc(ad, q, nb_desc, socket, &txq);
	if (ret)
		return ret;
	ad->txq[q] = txq;
	port->tx_queues[q] = txq;
	port->txq_stats[q] = &txq->stats;
	return 0;
}

static void virtio_port_txq_release(struct vfn_eth_dev *port, uint16_t q)
{
	struct virtio_net_adapter *ad = adapter(port);

	virtio_txq_free(ad->txq[q]);
	ad->txq[q] = NULL;
	port->tx_queues[q] = NULL;
}

/*
 * Link from the net config status (5.1.4, VIRTIO_NET_F_STATUS), stored
 * in one atomic write: the interrupt thread and the application both
 * call this.
 */
void virtio_link_refresh(struct vfn_eth_dev *port)
{
	struct virtio_net_adapter *ad = adapter(port);
	struct vfn_eth_link link;
	int up;

	memset(&link, 0, sizeof(link));
	up = virtio_net_link_up(ad);
	link.link_status = up ? VFN_ETH_LINK_UP : VFN_ETH_LINK_DOWN;
	/* virtio-net has no speed without VIRTIO_NET_F_SPEED_DUPLEX. */
	link.link_speed = up ? VFN_ETH_SPEED_NUM_UNKNOWN : VFN_ETH_SPEED_NUM_NONE;
	link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = VFN_ETH_LINK_FIXED;
	vfn_eth_linkstatus_set(port, &link);
}

static int virtio_port_link_update(struct vfn_eth_dev *port, int wait)
{
	(void)wait;
	virtio_link_refresh(port);
	return 0;
}

static int virtio_port_start(struct vfn_eth_dev *port)
{
	struct virtio_net_adapter *ad = adapter(port);
	uint16_t q;
	int ret;

	ad->nb_rxq = port->nb_rx_queues;
	ad->nb_txq = port->nb_tx_queues;
	ad->promisc = port->promiscuous;
	ad->allmulti = port->all_multicast;
	ad->intr_rxq = port->conf.intr_conf.rxq;
	ad->intr_lsc = port->conf.intr_conf.lsc;
	ad->rx_scatter = !!(port->conf.rxmode.offloads & VFN_ETH_RX_OFFLOAD_SCATTER);
	ad->port = port;
	for (q = 0; q < VIRTIO_NET_MAX_QP; q++)
		ad->rx_deferred[q] = q < port->nb_rx_queues && port->rx_deferred[q];
	ret = virtio_net_dev_start(ad);
	if (ret)
		return ret;
	if (ad->intr_rxq)
		for (q = 0; q < ad->nb_rxq; q++)
			port->rxq_intr_fd[q] = ad->msix_efd[VIRTIO_NET_VEC_RXQ(q)];
	virtio_link_refresh(port);
	return 0;
}

static int virtio_port_stop(struct vfn_eth_dev *port)
{
	virtio_net_dev_stop(adapter(port));
	return 0;
}

static void adapter_free(struct virtio_net_adapter *ad)
{
	virtqueue_free(ad->cvq);
	vfn_free(ad->cvq_buf);
	vfn_free(ad);
}

static int virtio_port_close(struct vfn_eth_dev *port)
{
	struct virtio_net_adapter *ad = adapter(port);

	virtio_pci_reset(&ad->vp);
	vfn_pci_set_bus_master(ad->vp.pci, 0);
	ad->vp.pci->driver_data = NULL;
	adapter_free(ad);
	port->dev_private = NULL;
	return 0;
}

static int set_rx_mode(struct vfn_eth_dev *port, uint8_t cmd, int on)
{
	struct virtio_net_adapter *ad = adapter(port);

	if (!virtio_with_feature(&ad->vp, VIRTIO_NET_F_CTRL_RX)) {
		VIRTIO_LOG(ERR, "%s: the device has no VIRTIO_NET_F_CTRL_RX: receive "
			   "modes cannot change", port->name);
		return -ENOTSUP;
	}
	if (cmd == VIRTIO_NET_CTRL_RX_PROMISC)
		ad->promisc = (uint8_t)on;
	else
		ad->allmulti = (uint8_t)on;
	return virtio_net_ctrl_rx(ad, cmd, on);
}

static int virtio_promisc_on(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, VIRTIO_NET_CTRL_RX_PROMISC, 1);
}

static int virtio_promisc_off(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, VIRTIO_NET_CTRL_RX_PROMISC, 0);
}

static int virtio_allmulti_on(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, VIRTIO_NET_CTRL_RX_ALLMULTI, 1);
}

static int virtio_allmulti_off(struct vfn_eth_dev *port)
{
	return set_rx_mode(port, VIRTIO_NET_CTRL_RX_ALLMULTI, 0);
}

static int virtio_port_mtu_set(struct vfn_eth_dev *port, uint16_t mtu)
{
	struct virtio_net_adapter *ad = adapter(port);

	if (mtu > ad->mtu)
		return -EINVAL;
	return 0;
}

static const struct vfn_eth_dev_ops virtio_port_ops = {
	.configure = virtio_port_configure,
	.info_get = virtio_port_info,
	.rx_queue_setup = virtio_port_rxq_setup,
	.rx_queue_release = virtio_port_rxq_release,
	.tx_queue_setup = virtio_port_txq_setup,
	.tx_queue_release = virtio_port_txq_release,
	.start = virtio_port_start,
	.stop = virtio_port_stop,
	.close = virtio_port_close,
	.link_update = virtio_port_link_update,
	.promiscuous_enable = virtio_promisc_on,
	.promiscuous_disable = virtio_promisc_off,
	.allmulticast_enable = virtio_allmulti_on,
	.allmulticast_disable = virtio_allmulti_off,
	.mtu_set = virtio_port_mtu_set,
	.rx_queue_start = virtio_rx_queue_start,
	.rx_queue_stop = virtio_rx_queue_stop,
	.tx_queue_start = virtio_tx_queue_start,
	.tx_queue_stop = virtio_tx_queue_stop,
	.rx_queue_intr_enable = virtio_rx_intr_enable,
	.rx_queue_intr_disable = virtio_rx_intr_disable,
};

/*
 * Device arguments, DPDK's: -a BDF,packed_vq=0 keeps the split ring layout
 * even when the device offers VIRTIO_F_RING_PACKED (packed_vq=1, the
 * default, negotiates it when offered).
 */
static int parse_devargs(struct virtio_net_adapter *ad, const char *args,
			 const char *name)
{
	char buf[256], *kv, *save = NULL;

	if (!args || !*args)
		return 0;
	if (strlen(args) >= sizeof(buf)) {
		VIRTIO_LOG(ERR, "%s: device arguments too long", name);
		return -EINVAL;
	}
	strcpy(buf, args);
	for (kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		if (!strcmp(kv, "packed_vq=0")) {
			ad->no_packed = 1;
		} else if (!strcmp(kv, "packed_vq=1")) {
			ad->no_packed = 0;
		} else {
			VIRTIO_LOG(ERR, "%s: unknown device argument \"%s\": net_virtio "
				   "takes packed_vq=0|1", name, kv);
			return -EINVAL;
		}
	}
	return 0;
}

static int virtio_probe(struct vfn_pci_driver *drv, struct vfn_pci_device *dev)
{
	struct virtio_net_adapter *ad;
	struct vfn_eth_dev *port;
	int ret;

	(void)drv;
	ad = vfn_zmalloc_socket("virtio_adapter", sizeof(*ad), 0,
				dev->numa_node);
	if (!ad)
		return -ENOMEM;
	ret = parse_devargs(ad, dev->devargs, dev->name);
	if (ret)
		goto err_free;
	ret = vfn_pci_set_bus_master(dev, 1);
	if (ret)
		goto err_free;
	ret = virtio_pci_init(&ad->vp, dev);
	if (ret)
		goto err_free;
	ret = virtio_net_dev_init(ad);
	if (ret)
		goto err_free;
	port = vfn_eth_dev_allocate(dev->name);
	if (!port) {
		ret = -errno;
		VIRTIO_LOG(ERR, "%s: cannot allocate a port: %s", dev->name,
			   strerror(errno));
		goto err_free;
	}
	ad->port_id = port->port_id;
	port->ops = &virtio_port_ops;
	port->driver_name = VIRTIO_DRIVER_NAME;
	port->dev_private = ad;
	port->pci_dev = dev;
	port->socket_id = dev->numa_node;
	memcpy(port->mac_addr.addr_bytes, ad->mac, 6);
	if (virtio_with_feature(&ad->vp, VIRTIO_F_RING_PACKED)) {
		port->rx_pkt_burst = virtio_recv_pkts_packed;
		port->tx_pkt_burst = virtio_xmit_pkts_packed;
	} else {
		port->rx_pkt_burst = virtio_recv_pkts;
		port->tx_pkt_burst = virtio_xmit_pkts;
	}
	/* Link changes arrive on the config vector (see virtio_intr.c). */
	if (virtio_with_feature(&ad->vp, VIRTIO_NET_F_STATUS) &&
	    dev->msix_vectors >= 2)
		port->dev_flags |= VFN_ETH_DEV_INTR_LSC;
	for (int i = 0; i <= VIRTIO_NET_MAX_QP; i++)
		ad->msix_efd[i] = -1;
	virtio_link_refresh(port);
	dev->driver_data = port;
	VIRTIO_LOG(INFO, "%s: port %u, MAC %02x:%02x:%02x:%02x:%02x:%02x, features "
		   "0x%llx, %u queue pair(s), %s virtqueues", dev->name, port->port_id, ad->mac[0],
		   ad->mac[1], ad->mac[2], ad->mac[3], ad->mac[4], ad->mac[5],
		   (unsigned long long)ad->vp.features, ad->max_qp,
		   virtio_net_ring_layout(ad));
	return 0;
err_free:
	if (ad->vp.common)
		virtio_pci_reset(&ad->vp);
	vfn_pci_set_bus_master(dev, 0);
	adapter_free(ad);
	return ret;
}

static int virtio_remove(struct vfn_pci_device *dev)
{
	struct vfn_eth_dev *port = dev->driver_data;

	if (!port)
		return 0;
	return vfn_eth_dev_close(port->port_id);
}

static const struct vfn_pci_id virtio_ids[] = {
	{ .class_id = VFN_PCI_ANY_ID, .vendor_id = 0x1af4, .device_id = 0x1041,
	  .subsystem_vendor_id = VFN_PCI_ANY_ID,
	  .subsystem_device_id = VFN_PCI_ANY_ID },
	{ .class_id = VFN_PCI_ANY_ID, .vendor_id = 0x1af4, .device_id = 0x1000,
	  .subsystem_vendor_id = VFN_PCI_ANY_ID,
	  .subsystem_device_id = VFN_PCI_ANY_ID },
	{ .vendor_id = 0 },
};

static struct vfn_pci_driver virtio_driver = {
	.name = VIRTIO_DRIVER_NAME,
	.id_table = virtio_ids,
	.probe = virtio_probe,
	.remove = virtio_remove,
};

__attribute__((constructor)) static void virtio_register(void)
{
	vfn_pci_register_driver(&virtio_driver);
}
