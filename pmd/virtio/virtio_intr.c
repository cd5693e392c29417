/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net interrupts and single-queue start/stop (virtio 1.1 and 1.2).
 *
 * MSI-X (4.1.4.3 msix_config / queue_msix_vector, 4.1.5.1.2): vector 0
 * carries configuration changes (the link status in the net config,
 * 5.1.4, with VIRTIO_NET_F_STATUS: the device signals a configuration
 * change when it flips, 5.1.4.2), vector 1 + q carries rx queue q; tx
 * and control queues have none.  The kernel driver signals one eventfd
 * per vector (VFIO_DEVICE_SET_IRQS).  MSI-X is enabled only when the
 * port is configured with intr_conf.rxq or intr_conf.lsc; vectors are
 * written after the reset of start and vanish with the reset of stop.
 *
 * Rx interrupts: without VIRTIO_F_EVENT_IDX (not negotiated), the driver
 * asks for used-buffer notifications by clearing
 * VRING_AVAIL_F_NO_INTERRUPT in the avail ring (split, 2.6.7) or by
 * writing RING_EVENT_FLAGS_ENABLE in the driver event suppression
 * structure (packed, 2.7.10).  Queues start with them off (we poll).
 *
 * Single queues: VIRTIO_F_RING_RESET (virtio 1.2, 4.1.4.3.2, offered by
 * QEMU 7.2) resets one queue, after which the device no longer uses its
 * buffers and the queue can be programmed and enabled again.  Without
 * it only deferred start works (the queue was attached empty at start).
 */
#include <errno.h>
#include <string.h>

#include "vfn_interrupts.h"
#include "virtio_net.h"

static struct virtio_net_adapter *adapter(struct vfn_eth_dev *port)
{
	return port->dev_private;
}

/* Interrupt thread: the configuration vector fired. */
static void virtio_intr_config(void *arg)
{
	struct virtio_net_adapter *ad = arg;
	struct vfn_eth_link link;

	/* Compared with the state last reported, not the one last stored:
	 * an application reading the link may have stored it first. */
	virtio_link_refresh(ad->port);
	vfn_eth_linkstatus_get(ad->port, &link);
	if (link.link_status == ad->lsc_status)
		return;
	ad->lsc_status = link.link_status;
	vfn_eth_dev_callback_process(ad->port, VFN_ETH_EVENT_INTR_LSC, NULL);
}

uint16_t virtio_net_rxq_vector(const struct virtio_net_adapter *ad, uint16_t q)
{
	return ad->msix_on && ad->intr_rxq ? VIRTIO_NET_VEC_RXQ(q) :
					     VIRTIO_MSI_NO_VECTOR;
}

int virtio_net_intr_setup(struct virtio_net_adapter *ad)
{
	struct vfn_pci_device *pci = ad->vp.pci;
	unsigned int nvec = 1 + ad->nb_rxq;
	int ret;

	if (!ad->intr_rxq && !ad->intr_lsc) {
		vfn_write16(VIRTIO_MSI_NO_VECTOR, &ad->vp.common->msix_config);
		return 0;
	}
	if (pci->msix_vectors < nvec) {
		VIRTIO_LOG(ERR, "%s: intr_conf needs %u MSI-X vectors, the device "
			   "has %u (QEMU: vectors=N): configure without intr_conf",
			   pci->name, nvec, pci->msix_vectors);
		return -ENOTSUP;
	}
	if (ad->intr_lsc && !virtio_with_feature(&ad->vp, VIRTIO_NET_F_STATUS))
		VIRTIO_LOG(WARNING, "%s: no VIRTIO_NET_F_STATUS: the link is always "
			   "up and never changes", pci->name);
	ret = vfn_pci_msix_enable(pci, nvec, ad->msix_efd);
	if (ret) {
		VIRTIO_LOG(ERR, "%s: cannot enable MSI-X: %s", pci->name,
			   strerror(-ret));
		return ret;
	}
	ad->msix_on = 1;
	ret = virtio_pci_set_config_vector(&ad->vp, ad->intr_lsc ?
					   VIRTIO_NET_VEC_CONFIG :
					   VIRTIO_MSI_NO_VECTOR);
	if (ret)
		goto teardown;
	if (ad->intr_lsc) {
		ad->lsc_status = virtio_net_link_up(ad) ? VFN_ETH_LINK_UP :
							  VFN_ETH_LINK_DOWN;
		ret = vfn_intr_callback_register(ad->msix_efd[VIRTIO_NET_VEC_CONFIG],
						 virtio_intr_config, ad);
		if (ret)
			goto teardown;
		ad->lsc_on = 1;
	}
	return 0;
teardown:
	virtio_net_intr_teardown(ad);
	return ret;
}

void virtio_net_intr_teardown(struct virtio_net_adapter *ad)
{
	int i;

	if (ad->lsc_on)
		vfn_intr_callback_unregister(ad->msix_efd[VIRTIO_NET_VEC_CONFIG],
					     virtio_intr_config, ad);
	ad->lsc_on = 0;
	if (!ad->msix_on)
		return;
	vfn_pci_msix_disable(ad->vp.pci); /* closes the eventfds */
	for (i = 0; i <= VIRTIO_NET_MAX_QP; i++)
		ad->msix_efd[i] = -1;
	ad->msix_on = 0;
}

int virtio_rx_intr_enable(struct vfn_eth_dev *port, uint16_t q)
{
	virtqueue_intr_set(adapter(port)->rxq[q]->vq, 1);
	return 0;
}

int virtio_rx_intr_disable(struct vfn_eth_dev *port, uint16_t q)
{
	virtqueue_intr_set(adapter(port)->rxq[q]->vq, 0);
	return 0;
}

static int has_ring_reset(const struct virtio_net_adapter *ad)
{
	return virtio_with_feature(&ad->vp, VIRTIO_F_RING_RESET) &&
	       ad->vp.common_len >= sizeof(struct virtio_pci_common_cfg);
}

static int no_ring_reset(struct vfn_eth_dev *port, const char *what)
{
	VIRTIO_LOG(ERR, "%s: %s needs VIRTIO_F_RING_RESET, which the device "
		   "does not offer", port->name, what);
	return -ENOTSUP;
}

int virtio_rx_queue_start(struct vfn_eth_dev *port, uint16_t q)
{
	struct virtio_net_adapter *ad = adapter(port);
	struct virtio_rx_queue *rxq = ad->rxq[q];
	int ret;

	if (!ad->rxq_filled[q] && !has_ring_reset(ad)) {
		/* Deferred: attached empty at start; post buffers, ring. */
		ret = virtio_rxq_fill(rxq);
		if (ret)
			return ret;
		ad->rxq_filled[q] = 1;
		virtqueue_kick(rxq->vq);
		return 0;
	}
	if (!has_ring_reset(ad))
		return no_ring_reset(port, "starting a stopped rx queue");
	ret = virtio_pci_queue_reset(&ad->vp, rxq->vq->index);
	if (ret)
		return ret;
	virtio_rxq_drain(rxq);
	ret = virtio_rxq_fill(rxq);
	if (ret)
		return ret;
	ret = virtqueue_attach(rxq->vq, &ad->vp, virtio_net_rxq_vector(ad, q));
	if (ret) {
		virtio_rxq_drain(rxq);
		return ret;
	}
	ad->rxq_filled[q] = 1;
	virtqueue_kick(rxq->vq);
	return 0;
}

int virtio_rx_queue_stop(struct vfn_eth_dev *port, uint16_t q)
{
	struct virtio_net_adapter *ad = adapter(port);
	struct virtio_rx_queue *rxq = ad->rxq[q];
	int ret;

	if (!has_ring_reset(ad))
		return no_ring_reset(port, "stopping an rx queue");
	ret = virtio_pci_queue_reset(&ad->vp, rxq->vq->index);
	if (ret)
		return ret;
	virtio_rxq_drain(rxq); /* the device let go: mbufs back to the pool */
	ad->rxq_filled[q] = 0;
	return 0;
}

int virtio_tx_queue_start(struct vfn_eth_dev *port, uint16_t q)
{
	struct virtio_net_adapter *ad = adapter(port);
	struct virtio_tx_queue *txq = ad->txq[q];
	int ret;

	if (!has_ring_reset(ad))
		return 0; /* deferred: attached empty at start, ready as is */
	ret = virtio_pci_queue_reset(&ad->vp, txq->vq->index);
	if (ret)
		return ret;
	virtio_txq_drain(txq);
	return virtqueue_attach(txq->vq, &ad->vp, VIRTIO_MSI_NO_VECTOR);
}

int virtio_tx_queue_stop(struct vfn_eth_dev *port, uint16_t q)
{
	struct virtio_net_adapter *ad = adapter(port);
	struct virtio_tx_queue *txq = ad->txq[q];
	int ret;

	if (!has_ring_reset(ad))
		return no_ring_reset(port, "stopping a tx queue");
	ret = virtio_pci_queue_reset(&ad->vp, txq->vq->index);
	if (ret)
		return ret;
	virtio_txq_drain(txq); /* frees the mbufs not yet sent or reclaimed */
	return 0;
}
