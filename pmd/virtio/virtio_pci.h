/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * The virtio 1.x PCI transport ("Virtual I/O Device (VIRTIO) Version 1.1",
 * section 4.1): vendor capabilities in config space locate the common,
 * notify, ISR and device configuration structures inside the BARs.
 */
#ifndef VIRTIO_PCI_H
#define VIRTIO_PCI_H

#include <stdint.h>
#include <sys/types.h>

#include "vfn_pci.h"
#include "vfn_log.h"

/** Log from the virtio-net PMD (log type pmd.net.virtio). */
#define VIRTIO_LOG(level, ...) VFN_LOG(level, "virtio", __VA_ARGS__)

/* Vendor-specific PCI capability (4.1.4). */
#define VIRTIO_PCI_CAP_VNDR          0x09
#define VIRTIO_PCI_CAP_COMMON_CFG    1
#define VIRTIO_PCI_CAP_NOTIFY_CFG    2
#define VIRTIO_PCI_CAP_ISR_CFG       3
#define VIRTIO_PCI_CAP_DEVICE_CFG    4
#define VIRTIO_PCI_CAP_PCI_CFG       5

struct virtio_pci_cap {
	uint8_t cap_vndr;
	uint8_t cap_next;
	uint8_t cap_len;
	uint8_t cfg_type;
	uint8_t bar;
	uint8_t id;
	uint8_t padding[2];
	uint32_t offset;
	uint32_t length;
};

/* Common configuration structure (4.1.4.3). */
struct virtio_pci_common_cfg {
	uint32_t device_feature_select;
	uint32_t device_feature;
	uint32_t driver_feature_select;
	uint32_t driver_feature;
	uint16_t msix_config;
	uint16_t num_queues;
	uint8_t device_status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t queue_size;
	uint16_t queue_msix_vector;
	uint16_t queue_enable;
	uint16_t queue_notify_off;
	uint32_t queue_desc_lo, queue_desc_hi;
	uint32_t queue_avail_lo, queue_avail_hi;
	uint32_t queue_used_lo, queue_used_hi;
	/* Virtio 1.2 (4.1.4.3): present when the structure is long enough. */
	uint16_t queue_notify_data;
	uint16_t queue_reset;       /**< with VIRTIO_F_RING_RESET */
};

/** Bytes of the common structure up to the 1.2 fields (virtio 1.1 size). */
#define VIRTIO_PCI_COMMON_CFG_V1_LEN 0x38

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE    0x01
#define VIRTIO_STATUS_DRIVER         0x02
#define VIRTIO_STATUS_DRIVER_OK      0x04
#define VIRTIO_STATUS_FEATURES_OK    0x08
#define VIRTIO_STATUS_NEEDS_RESET    0x40
#define VIRTIO_STATUS_FAILED         0x80

/* Transport feature bits (6). */
#define VIRTIO_F_RING_INDIRECT_DESC  28
#define VIRTIO_F_RING_EVENT_IDX      29
#define VIRTIO_F_VERSION_1           32
#define VIRTIO_F_ACCESS_PLATFORM     33
#define VIRTIO_F_RING_PACKED         34
#define VIRTIO_F_RING_RESET          40 /* virtio 1.2: per-queue reset */

/* "No MSI-X vector" for msix_config and queue_msix_vector. */
#define VIRTIO_MSI_NO_VECTOR         0xffff

/** One modern virtio PCI device, its structures mapped. */
struct virtio_pci {
	struct vfn_pci_device *pci;
	volatile struct virtio_pci_common_cfg *common;
	uint32_t common_len;          /**< bytes of the common structure */
	volatile uint8_t *notify_base;
	uint32_t notify_off_multiplier;
	uint32_t notify_len;
	volatile uint8_t *isr;
	volatile uint8_t *device_cfg;
	uint32_t device_cfg_len;
	uint64_t device_features;
	uint64_t features;            /**< negotiated */
};

/** Find and map the capabilities; -ENODEV when not a modern device. */
int virtio_pci_init(struct virtio_pci *vp, struct vfn_pci_device *pci);
/** Reset (status 0) and wait until the device reports it; 0 or -ETIMEDOUT. */
int virtio_pci_reset(struct virtio_pci *vp);
uint8_t virtio_pci_get_status(struct virtio_pci *vp);
void virtio_pci_set_status(struct virtio_pci *vp, uint8_t bits);
uint64_t virtio_pci_read_device_features(struct virtio_pci *vp);
/**
 * Accept @p wanted & device features (3.1.1 steps 4-6): write them, set
 * FEATURES_OK, read it back.  0, or -ENOTSUP when the device refuses.
 */
int virtio_pci_negotiate(struct virtio_pci *vp, uint64_t wanted);
/** Read @p len bytes of device config at @p off, consistently (4.1.4.3.1). */
void virtio_pci_read_dev_cfg(struct virtio_pci *vp, uint32_t off, void *buf,
			     uint32_t len);
uint16_t virtio_pci_num_queues(struct virtio_pci *vp);
/** Queue size the device offers for @p q (0: absent). */
uint16_t virtio_pci_queue_max(struct virtio_pci *vp, uint16_t q);
/**
 * Program queue @p q (4.1.5.1.3): size, ring addresses (IOVAs), MSI-X
 * @p vector (VIRTIO_MSI_NO_VECTOR: none), enable.  Returns its notify
 * address, or NULL on error (logged).
 */
volatile uint16_t *virtio_pci_queue_setup(struct virtio_pci *vp, uint16_t q,
					   uint16_t size, uint64_t desc,
					   uint64_t avail, uint64_t used,
					   uint16_t vector);
/**
 * Route configuration changes to MSI-X @p vector (4.1.4.3 msix_config,
 * 4.1.5.1.2.1: read back to learn whether the device took it).
 * 0, or -EIO when the device answers VIRTIO_MSI_NO_VECTOR.
 */
int virtio_pci_set_config_vector(struct virtio_pci *vp, uint16_t vector);
/**
 * Reset queue @p q alone (virtio 1.2, 4.1.4.3.2, VIRTIO_F_RING_RESET):
 * write 1 to queue_reset, wait until queue_reset and queue_enable read 0.
 * The device no longer touches the ring.  0 or -ETIMEDOUT.
 */
int virtio_pci_queue_reset(struct virtio_pci *vp, uint16_t q);

static inline int virtio_with_feature(const struct virtio_pci *vp, int bit)
{
	return !!(vp->features & (1ull << bit));
}

#endif /* VIRTIO_PCI_H */
