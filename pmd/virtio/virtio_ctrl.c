/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net device bring-up (virtio 1.1, 3.1.1 "Driver Requirements:
 * Device Initialization" and 5.1.5) and the control virtqueue (5.1.6.5).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "virtio_net.h"

/* Features this driver can use; VERSION_1 is required. */
#define WANTED_FEATURES ((1ull << VIRTIO_F_VERSION_1) | \
			 (1ull << VIRTIO_F_ACCESS_PLATFORM) | \
			 (1ull << VIRTIO_NET_F_MAC) | \
			 (1ull << VIRTIO_NET_F_STATUS) | \
			 (1ull << VIRTIO_NET_F_MTU) | \
			 (1ull << VIRTIO_NET_F_MRG_RXBUF) | \
			 (1ull << VIRTIO_NET_F_CTRL_VQ) | \
			 (1ull << VIRTIO_NET_F_CTRL_RX) | \
			 (1ull << VIRTIO_NET_F_MQ) | \
			 (1ull << VIRTIO_F_RING_PACKED) | \
			 (1ull << VIRTIO_F_RING_RESET))

#define CVQ_SIZE 64
/*
 * QEMU answers from its main loop, which a loaded host can hold up for a
 * while; DPDK waits forever, vfnet gives up after this.
 */
#define VIRTIO_CTRL_TIMEOUT_MS 5000

/*
 * Steps 1-6 of 3.1.1: reset, ACKNOWLEDGE, DRIVER, read the device
 * features, accept our subset but @p drop, FEATURES_OK.
 */
static int negotiate(struct virtio_net_adapter *ad, uint64_t drop)
{
	struct virtio_pci *vp = &ad->vp;
	uint64_t dev;
	int ret;

	ret = virtio_pci_reset(vp);
	if (ret)
		return ret;
	virtio_pci_set_status(vp, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_pci_set_status(vp, VIRTIO_STATUS_DRIVER);
	dev = virtio_pci_read_device_features(vp);
	if (!(dev & (1ull << VIRTIO_F_VERSION_1))) {
		VIRTIO_LOG(ERR, "%s: device does not offer VIRTIO_F_VERSION_1: legacy "
			   "virtio is not supported (QEMU: disable-legacy=on)",
			   vp->pci->name);
		virtio_pci_set_status(vp, VIRTIO_STATUS_FAILED);
		return -ENOTSUP;
	}
	if (ad->no_packed)
		drop |= 1ull << VIRTIO_F_RING_PACKED;
	ret = virtio_pci_negotiate(vp, WANTED_FEATURES & ~drop);
	if (ret) {
		virtio_pci_set_status(vp, VIRTIO_STATUS_FAILED);
		return ret;
	}
	return 0;
}

/* Probe-time: features, MAC, MTU, queue pairs and queue sizes. */
int virtio_net_dev_init(struct virtio_net_adapter *ad)
{
	struct virtio_pci *vp = &ad->vp;
	uint16_t v;
	int ret;

	ret = negotiate(ad, 0);
	if (ret)
		return ret;
	if (!virtio_with_feature(vp, VIRTIO_F_ACCESS_PLATFORM))
		VIRTIO_LOG(WARNING, "%s: no VIRTIO_F_ACCESS_PLATFORM: the device bypasses "
			   "the IOMMU and reads IOVAs as physical addresses (QEMU: "
			   "iommu_platform=on)", vp->pci->name);
	if (virtio_with_feature(vp, VIRTIO_NET_F_MAC)) {
		virtio_pci_read_dev_cfg(vp, VIRTIO_NET_CFG_MAC, ad->mac, 6);
	} else {
		/* Locally administered address derived from the PCI address. */
		ad->mac[0] = 0x02;
		ad->mac[1] = 0x56;
		ad->mac[2] = (uint8_t)vp->pci->addr.domain;
		ad->mac[3] = vp->pci->addr.bus;
		ad->mac[4] = vp->pci->addr.devid;
		ad->mac[5] = vp->pci->addr.function;
	}
	ad->mtu = 1500;
	if (virtio_with_feature(vp, VIRTIO_NET_F_MTU)) {
		virtio_pci_read_dev_cfg(vp, VIRTIO_NET_CFG_MTU, &v, 2);
		if (v >= 68)
			ad->mtu = v;
	}
	ad->max_qp = 1;
	if (virtio_with_feature(vp, VIRTIO_NET_F_MQ) &&
	    virtio_with_feature(vp, VIRTIO_NET_F_CTRL_VQ)) {
		virtio_pci_read_dev_cfg(vp, VIRTIO_NET_CFG_MAX_VQP, &v, 2);
		if (v >= 1)
			ad->max_qp = v;
	}
	if (ad->max_qp > VIRTIO_NET_MAX_QP)
		ad->max_qp = VIRTIO_NET_MAX_QP;
	ad->rx_max = virtio_pci_queue_max(vp, 0);
	ad->tx_max = virtio_pci_queue_max(vp, 1);
	if (!ad->rx_max || !ad->tx_max) {
		VIRTIO_LOG(ERR, "%s: device has no rx/tx queue 0", vp->pci->name);
		return -ENODEV;
	}
	return virtio_pci_reset(vp);
}

static uint16_t cvq_index(const struct virtio_net_adapter *ad)
{
	return virtio_with_feature(&ad->vp, VIRTIO_NET_F_MQ) ? 2 * ad->max_qp : 2;
}

static int cvq_setup(struct virtio_net_adapter *ad)
{
	uint16_t max = virtio_pci_queue_max(&ad->vp, cvq_index(ad));
	uint16_t size = CVQ_SIZE;

	if (!max)
		return -ENODEV;
	while (size > max)
		size >>= 1;
	if (!ad->cvq) {
		ad->cvq = virtqueue_alloc(cvq_index(ad), size, VFN_SOCKET_ID_ANY,
					  virtio_with_feature(&ad->vp,
							      VIRTIO_F_RING_PACKED));
		ad->cvq_buf = vfn_zmalloc("virtio_cvq_buf", 64, 64);
		if (!ad->cvq || !ad->cvq_buf)
			return -ENOMEM;
		ad->cvq_buf_iova = vfn_mem_virt2iova(ad->cvq_buf);
		if (ad->cvq_buf_iova == VFN_BAD_IOVA)
			return -EFAULT;
	} else {
		virtqueue_reset(ad->cvq);
	}
	ad->cvq_stuck = 0; /* the device was reset before this */
	return virtqueue_attach(ad->cvq, &ad->vp, VIRTIO_MSI_NO_VECTOR);
}

/* Post the 3-descriptor command chain on a split ring. */
static void ctrl_post_split(struct virtqueue *vq, uint64_t iova, uint16_t len)
{
	uint16_t d0, d1, d2;

	d0 = vq_pop_free(vq);
	d1 = vq_pop_free(vq);
	d2 = vq_pop_free(vq);
	vq->desc[d0] = (struct vring_desc){ iova, 2, VRING_DESC_F_NEXT, d1 };
	vq->desc[d1] = (struct vring_desc){ iova + 2, len, VRING_DESC_F_NEXT, d2 };
	vq->desc[d2] = (struct vring_desc){ iova + 40, 1, VRING_DESC_F_WRITE, 0 };
	vq->ndescs[d0] = 3;
	vq->avail->ring[vq->avail_idx & vq->mask] = d0;
	vq->avail_idx++;
	vq_publish(vq);
}

/* Take the used command chain back (split). */
static void ctrl_done_split(struct virtqueue *vq)
{
	volatile struct vring_used_elem *e =
		&vq->used->ring[vq->last_used++ & vq->mask];
	uint16_t id = (uint16_t)e->id, k = vq->ndescs[id];

	while (k--) {
		uint16_t next = vq->desc[id].next;

		vq_push_free(vq, id);
		id = next;
	}
}

/* The same on a packed ring: three slots, head flags last. */
static void ctrl_post_packed(struct virtqueue *vq, uint64_t iova, uint16_t len)
{
	static const uint16_t f[3] = { VRING_DESC_F_NEXT, VRING_DESC_F_NEXT,
				       VRING_DESC_F_WRITE };
	const uint64_t addr[3] = { iova, iova + 2, iova + 40 };
	const uint32_t lens[3] = { 2, len, 1 };
	uint16_t id = pvq_pop_id(vq), head = 0, head_flags = 0, i;

	for (i = 0; i < 3; i++) {
		uint16_t flags, slot = pvq_avail_next(vq, &flags);

		vq->pdesc[slot].addr = addr[i];
		vq->pdesc[slot].len = lens[i];
		vq->pdesc[slot].id = id;
		if (i == 0) {
			head = slot;
			head_flags = flags | f[i];
		} else {
			vq->pdesc[slot].flags = flags | f[i];
		}
	}
	vq->ndescs[id] = 3;
	vq->nb_free -= 3;
	pvq_desc_publish(vq, head, head_flags);
	pvq_kick(vq);
}

static void ctrl_done_packed(struct virtqueue *vq)
{
	uint16_t id = vq->pdesc[vq->last_used].id;

	pvq_push_id(vq, id);
	vq->nb_free += vq->ndescs[id];
	pvq_used_advance(vq, vq->ndescs[id]);
}

static int ctrl_answered(const struct virtqueue *vq)
{
	return vq->packed ? pvq_used_ready(vq) : vq_used_count(vq) != 0;
}

/* Poll for the device's answer for up to @p ms milliseconds. */
static int ctrl_wait(const struct virtqueue *vq, long ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (ctrl_answered(vq))
			return 1;
		usleep(10);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 +
		 (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	return ctrl_answered(vq);
}

/*
 * One control command (5.1.6.5): [class, command] and @p len bytes of data
 * readable by the device, one ack byte writable; wait for the answer up to
 * VIRTIO_CTRL_TIMEOUT_MS.
 */
static int ctrl_cmd(struct virtio_net_adapter *ad, uint8_t cls, uint8_t cmd,
		    const void *data, uint16_t len)
{
	struct virtqueue *vq = ad->cvq;
	uint8_t *buf = ad->cvq_buf;
	long timeout = ad->cvq_timeout_ms ? ad->cvq_timeout_ms :
					    VIRTIO_CTRL_TIMEOUT_MS;

	if (!vq || vq->nb_free < 3 || len > 32)
		return -ENOTSUP;
	if (ad->cvq_stuck) {
		VIRTIO_LOG(ERR, "%s: the control queue still holds a command that timed "
			   "out: stop and start the port (a device reset) to clear it",
			   ad->vp.pci->name);
		return -EIO;
	}
	buf[0] = cls;
	buf[1] = cmd;
	memcpy(buf + 2, data, len);
	buf[40] = 0xff;
	if (vq->packed)
		ctrl_post_packed(vq, ad->cvq_buf_iova, len);
	else
		ctrl_post_split(vq, ad->cvq_buf_iova, len);
	if (!ctrl_wait(vq, timeout)) {
		VIRTIO_LOG(ERR, "%s: control command %u/%u not answered within %ld ms",
			   ad->vp.pci->name, cls, cmd, timeout);
		/*
		 * The device may still answer, into the buffer and the ring
		 * the next command would use: no more commands until a reset.
		 */
		ad->cvq_stuck = 1;
		return -ETIMEDOUT;
	}
	if (vq->packed)
		ctrl_done_packed(vq);
	else
		ctrl_done_split(vq);
	return buf[40] == VIRTIO_NET_OK ? 0 : -EIO;
}

int virtio_net_ctrl_rx(struct virtio_net_adapter *ad, uint8_t cmd, int on)
{
	uint8_t v = !!on;

	if (!virtio_with_feature(&ad->vp, VIRTIO_NET_F_CTRL_RX))
		return -ENOTSUP;
	if (!ad->started)
		return 0; /* applied at start */
	return ctrl_cmd(ad, VIRTIO_NET_CTRL_RX, cmd, &v, 1);
}

int virtio_net_rx_needs_mrg(const struct virtio_net_adapter *ad)
{
	/* The largest frame: MTU, Ethernet header and a VLAN tag. */
	uint32_t need = VIRTIO_NET_HDR_LEN + (uint32_t)ad->mtu + 14 + 4;
	uint16_t q;

	if (ad->rx_scatter)
		return 1;
	for (q = 0; q < ad->nb_rxq; q++)
		if (ad->rxq[q] && ad->rxq[q]->buf_len < need)
			return 1;
	return 0;
}

/*
 * Start: full initialization (3.1.1) with the configured queues, then
 * DRIVER_OK, then the number of queue pairs (5.1.6.5.5) and rx filters.
 * MRG_RXBUF only when a frame may need more than one rx buffer: with it,
 * QEMU's virtio-net measures the available buffers (ring index, entry
 * and descriptor read again, each through the IOMMU) before every frame
 * it delivers, on top of taking the buffer; without it, one buffer per
 * frame is all it looks at (bench/fwd_vm/e1000e-analysis.md).
 */
int virtio_net_dev_start(struct virtio_net_adapter *ad)
{
	struct virtio_pci *vp = &ad->vp;
	uint16_t q, pairs;
	int ret;

	ret = negotiate(ad, virtio_net_rx_needs_mrg(ad) ? 0 :
			1ull << VIRTIO_NET_F_MRG_RXBUF);
	if (ret)
		return ret;
	for (q = 0; q < ad->nb_rxq; q++)
		if (ad->rxq[q])
			ad->rxq[q]->mrg_rxbuf =
				virtio_with_feature(vp, VIRTIO_NET_F_MRG_RXBUF);
	/* MSI-X vectors (when intr_conf asks) before the queues use them. */
	ret = virtio_net_intr_setup(ad);
	if (ret)
		goto fail;
	for (q = 0; q < ad->nb_rxq; q++) {
		virtqueue_reset(ad->rxq[q]->vq);
		ad->rxq_filled[q] = 0;
		/* A deferred queue is attached empty: it receives nothing
		 * until vfn_eth_dev_rx_queue_start() posts buffers. */
		if (!ad->rx_deferred[q]) {
			ret = virtio_rxq_fill(ad->rxq[q]);
			if (ret)
				goto fail;
			ad->rxq_filled[q] = 1;
		}
		ret = virtqueue_attach(ad->rxq[q]->vq, vp,
				       virtio_net_rxq_vector(ad, q));
		if (ret)
			goto fail;
	}
	for (q = 0; q < ad->nb_txq; q++) {
		virtio_txq_drain(ad->txq[q]);
		ret = virtqueue_attach(ad->txq[q]->vq, vp, VIRTIO_MSI_NO_VECTOR);
		if (ret)
			goto fail;
	}
	if (virtio_with_feature(vp, VIRTIO_NET_F_CTRL_VQ)) {
		ret = cvq_setup(ad);
		if (ret)
			goto fail;
	}
	virtio_pci_set_status(vp, VIRTIO_STATUS_DRIVER_OK);
	if (virtio_pci_get_status(vp) & VIRTIO_STATUS_NEEDS_RESET) {
		VIRTIO_LOG(ERR, "%s: device needs reset right after DRIVER_OK",
			   vp->pci->name);
		ret = -EIO;
		goto fail;
	}
	ad->started = 1;
	pairs = ad->nb_rxq > ad->nb_txq ? ad->nb_rxq : ad->nb_txq;
	if (virtio_with_feature(vp, VIRTIO_NET_F_MQ)) {
		ret = ctrl_cmd(ad, VIRTIO_NET_CTRL_MQ,
			       VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs, 2);
		if (ret) {
			VIRTIO_LOG(ERR, "%s: device refused %u queue pairs", vp->pci->name,
				   pairs);
			goto fail;
		}
	}
	if (virtio_with_feature(vp, VIRTIO_NET_F_CTRL_RX)) {
		ret = virtio_net_ctrl_rx(ad, VIRTIO_NET_CTRL_RX_PROMISC, ad->promisc);
		if (!ret)
			ret = virtio_net_ctrl_rx(ad, VIRTIO_NET_CTRL_RX_ALLMULTI,
						 ad->allmulti);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	virtio_net_dev_stop(ad);
	return ret;
}

/* Stop: device reset (all queues stop using memory), then free buffers. */
void virtio_net_dev_stop(struct virtio_net_adapter *ad)
{
	uint16_t q;

	ad->started = 0;
	virtio_pci_reset(&ad->vp);
	virtio_net_intr_teardown(ad); /* the reset unmapped the vectors */
	for (q = 0; q < ad->nb_rxq; q++)
		if (ad->rxq[q])
			virtio_rxq_drain(ad->rxq[q]);
	for (q = 0; q < ad->nb_txq; q++)
		if (ad->txq[q])
			virtio_txq_drain(ad->txq[q]);
}

const char *virtio_net_ring_layout(const struct virtio_net_adapter *ad)
{
	return virtio_with_feature(&ad->vp, VIRTIO_F_RING_PACKED) ? "packed" :
								     "split";
}

int virtio_net_link_up(struct virtio_net_adapter *ad)
{
	uint16_t st;

	if (!virtio_with_feature(&ad->vp, VIRTIO_NET_F_STATUS))
		return 1;
	virtio_pci_read_dev_cfg(&ad->vp, VIRTIO_NET_CFG_STATUS, &st, 2);
	return st & VIRTIO_NET_S_LINK_UP;
}
