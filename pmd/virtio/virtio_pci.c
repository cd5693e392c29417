/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The modern virtio PCI transport (virtio 1.1, section 4.1).  The common
 * configuration structure is device memory: every access goes through the
 * vfn_read/vfn_write accessors, 64-bit fields as two 32-bit halves (4.1.3.1).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vfn_log.h"
#include "virtio_pci.h"

#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34

/* Map a capability to its BAR; NULL when it points outside a memory BAR. */
static volatile uint8_t *cap_addr(struct virtio_pci *vp,
				  const struct virtio_pci_cap *cap)
{
	const struct vfn_pci_bar *bar;

	if (cap->bar >= VFN_PCI_MAX_BARS)
		return NULL;
	bar = &vp->pci->bar[cap->bar];
	if (!bar->addr || (uint64_t)cap->offset + cap->length > bar->len) {
		VIRTIO_LOG(ERR, "%s: virtio structure type %u in BAR%u at 0x%x+0x%x is "
			   "outside the mapped BAR (len 0x%llx)", vp->pci->name,
			   cap->cfg_type, cap->bar, cap->offset, cap->length,
			   (unsigned long long)bar->len);
		return NULL;
	}
	return (volatile uint8_t *)bar->addr + cap->offset;
}

/*
 * Walk the capability list (4.1.4): for each vendor capability take the
 * first structure of each type, as the spec recommends.
 */
int virtio_pci_init(struct virtio_pci *vp, struct vfn_pci_device *pci)
{
	uint16_t status;
	uint8_t pos;
	int guard = 48;

	memset(vp, 0, sizeof(*vp));
	vp->pci = pci;
	if (vfn_pci_read_config(pci, &status, 2, PCI_STATUS) != 2 ||
	    !(status & PCI_STATUS_CAP_LIST)) {
		VIRTIO_LOG(ERR, "%s: no PCI capability list: not a modern virtio device",
			   pci->name);
		return -ENODEV;
	}
	if (vfn_pci_read_config(pci, &pos, 1, PCI_CAPABILITY_LIST) != 1)
		return -EIO;
	while (pos >= 0x40 && guard--) {
		struct virtio_pci_cap cap;
		uint32_t mult;

		if (vfn_pci_read_config(pci, &cap, 2, pos) != 2)
			return -EIO;
		if (cap.cap_vndr == VIRTIO_PCI_CAP_VNDR) {
			if (vfn_pci_read_config(pci, &cap, sizeof(cap), pos) !=
			    (int)sizeof(cap))
				return -EIO;
			switch (cap.cfg_type) {
			case VIRTIO_PCI_CAP_COMMON_CFG:
				if (!vp->common && cap.length >=
				    VIRTIO_PCI_COMMON_CFG_V1_LEN) {
					vp->common = (volatile void *)cap_addr(vp, &cap);
					vp->common_len = cap.length;
				}
				break;
			case VIRTIO_PCI_CAP_NOTIFY_CFG:
				if (vp->notify_base)
					break;
				if (vfn_pci_read_config(pci, &mult, 4,
							pos + sizeof(cap)) != 4)
					return -EIO;
				vp->notify_base = cap_addr(vp, &cap);
				vp->notify_off_multiplier = mult;
				vp->notify_len = cap.length;
				break;
			case VIRTIO_PCI_CAP_ISR_CFG:
				if (!vp->isr)
					vp->isr = cap_addr(vp, &cap);
				break;
			case VIRTIO_PCI_CAP_DEVICE_CFG:
				if (!vp->device_cfg) {
					vp->device_cfg = cap_addr(vp, &cap);
					vp->device_cfg_len = cap.length;
				}
				break;
			default:
				break;
			}
		}
		pos = cap.cap_next;
	}
	if (!vp->common || !vp->notify_base || !vp->device_cfg) {
		VIRTIO_LOG(ERR, "%s: virtio common/notify/device structures not all found "
			   "(legacy-only device? start QEMU with disable-legacy=on)",
			   pci->name);
		return -ENODEV;
	}
	return 0;
}

uint8_t virtio_pci_get_status(struct virtio_pci *vp)
{
	return vfn_read8(&vp->common->device_status);
}

void virtio_pci_set_status(struct virtio_pci *vp, uint8_t bits)
{
	uint8_t st = bits ? virtio_pci_get_status(vp) | bits : 0;

	vfn_write8(st, &vp->common->device_status);
}

/* Reset (4.1.4.3.1): write 0, then the device reads 0 once done. */
int virtio_pci_reset(struct virtio_pci *vp)
{
	int i;

	virtio_pci_set_status(vp, 0);
	for (i = 0; i < 1000; i++) {
		if (virtio_pci_get_status(vp) == 0)
			return 0;
		usleep(1000);
	}
	VIRTIO_LOG(ERR, "%s: device did not finish reset within 1 s", vp->pci->name);
	return -ETIMEDOUT;
}

uint64_t virtio_pci_read_device_features(struct virtio_pci *vp)
{
	uint64_t lo, hi;

	vfn_write32(0, &vp->common->device_feature_select);
	lo = vfn_read32(&vp->common->device_feature);
	vfn_write32(1, &vp->common->device_feature_select);
	hi = vfn_read32(&vp->common->device_feature);
	vp->device_features = lo | hi << 32;
	return vp->device_features;
}

int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted)
{
	uint64_t f = wanted & vp->device_features;

	vfn_write32(0, &vp->common->driver_feature_select);
	vfn_write32((uint32_t)f, &vp->common->driver_feature);
	vfn_write32(1, &vp->common->driver_feature_select);
	vfn_write32((uint32_t)(f >> 32), &vp->common->driver_feature);
	virtio_pci_set_status(vp, VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_pci_get_status(vp) & VIRTIO_STATUS_FEATURES_OK)) {
		VIRTIO_LOG(ERR, "%s: device refused features 0x%llx (FEATURES_OK not set)",
			   vp->pci->name, (unsigned long long)f);
		return -ENOTSUP;
	}
	vp->features = f;
	return 0;
}

void virtio_pci_read_dev_cfg(struct virtio_pci *vp, uint32_t off, void *buf,
			     uint32_t len)
{
	uint8_t gen, *p = buf;
	uint32_t i;

	do {
		gen = vfn_read8(&vp->common->config_generation);
		for (i = 0; i < len; i++)
			p[i] = off + i < vp->device_cfg_len ?
			       vfn_read8(vp->device_cfg + off + i) : 0;
	} while (gen != vfn_read8(&vp->common->config_generation));
}

uint16_t virtio_pci_num_queues(struct virtio_pci *vp)
{
	return vfn_read16(&vp->common->num_queues);
}

uint16_t virtio_pci_queue_max(struct virtio_pci *vp, uint16_t q)
{
	vfn_write16(q, &vp->common->queue_select);
	return vfn_read16(&vp->common->queue_size);
}

volatile uint16_t *virtio_pci_queue_setup(struct virtio_pci *vp, uint16_t q,
					   uint16_t size, uint64_t desc,
					   uint64_t avail, uint64_t used,
					   uint16_t vector)
{
	volatile struct virtio_pci_common_cfg *c = vp->common;
	uint32_t off;

	vfn_write16(q, &c->queue_select);
	if (vfn_read16(&c->queue_size) < size) {
		VIRTIO_LOG(ERR, "%s: queue %u holds %u entries, %u asked", vp->pci->name,
			   q, vfn_read16(&c->queue_size), size);
		return NULL;
	}
	vfn_write16(size, &c->queue_size);
	vfn_write16(vector, &c->queue_msix_vector);
	if (vfn_read16(&c->queue_msix_vector) != vector) {
		VIRTIO_LOG(ERR, "%s: queue %u: the device did not take MSI-X vector "
			   "%u (out of vectors?)", vp->pci->name, q, vector);
		return NULL;
	}
	vfn_write32((uint32_t)desc, &c->queue_desc_lo);
	vfn_write32((uint32_t)(desc >> 32), &c->queue_desc_hi);
	vfn_write32((uint32_t)avail, &c->queue_avail_lo);
	vfn_write32((uint32_t)(avail >> 32), &c->queue_avail_hi);
	vfn_write32((uint32_t)used, &c->queue_used_lo);
	vfn_write32((uint32_t)(used >> 32), &c->queue_used_hi);
	off = (uint32_t)vfn_read16(&c->queue_notify_off) * vp->notify_off_multiplier;
	if (off + 2 > vp->notify_len) {
		VIRTIO_LOG(ERR, "%s: queue %u notify offset 0x%x outside the notify area",
			   vp->pci->name, q, off);
		return NULL;
	}
	vfn_write16(1, &c->queue_enable);
	return (volatile uint16_t *)(vp->notify_base + off);
}

int virtio_pci_set_config_vector(struct virtio_pci *vp, uint16_t vector)
{
	vfn_write16(vector, &vp->common->msix_config);
	if (vfn_read16(&vp->common->msix_config) != vector) {
		VIRTIO_LOG(ERR, "%s: the device did not take MSI-X vector %u for "
			   "configuration changes", vp->pci->name, vector);
		return -EIO;
	}
	return 0;
}

int virtio_pci_queue_reset(struct virtio_pci *vp, uint16_t q)
{
	volatile struct virtio_pci_common_cfg *c = vp->common;
	int i;

	vfn_write16(q, &c->queue_select);
	vfn_write16(1, &c->queue_reset);
	for (i = 0; i < 1000; i++) {
		if (!vfn_read16(&c->queue_reset) && !vfn_read16(&c->queue_enable))
			return 0;
		usleep(1000);
	}
	VIRTIO_LOG(ERR, "%s: queue %u did not finish its reset within 1 s",
		   vp->pci->name, q);
	return -ETIMEDOUT;
}
