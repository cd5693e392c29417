/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers shared by the PCI VM tests: open a device through a VFIO
 * container (vfnet's or upstream's), read sysfs.  The tests report with
 * tests/lib/vfn_tap.h.
 */
#ifndef VFN_TEST_VFIO_OPEN_H
#define VFN_TEST_VFIO_OPEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/vfio.h>

#include "vfn_tap.h"

#define REGION_OFF(idx) ((uint64_t)(idx) << 40)

/* A device opened through a VFIO container, its group and its device fd. */
struct vfio_dev {
	const char *bdf;
	int container;
	int group;
	int device;
	int group_id;
	char group_path[256];
};

/* Open container, group and device; returns 0 or -1 with a diagnostic. */
int vfio_dev_open(struct vfio_dev *v, const char *container, const char *groupdir,
	      const char *bdf);
void vfio_dev_close(struct vfio_dev *v);

/* Read sysfs config of @bdf (root sees all of it); returns bytes read. */
int sysfs_config(const char *bdf, uint8_t *buf, int len);
/* Size of resource @idx (0-5 BARs, 6 ROM) from sysfs, 0 if none. */
uint64_t sysfs_resource_size(const char *bdf, int idx, uint64_t *flags);

int cfg_read(struct vfio_dev *v, int pos, void *buf, int len);
int cfg_write(struct vfio_dev *v, int pos, const void *buf, int len);
uint32_t cfg_read32(struct vfio_dev *v, int pos);
uint16_t cfg_read16(struct vfio_dev *v, int pos);
uint8_t cfg_read8(struct vfio_dev *v, int pos);
void cfg_write32(struct vfio_dev *v, int pos, uint32_t val);
void cfg_write16(struct vfio_dev *v, int pos, uint16_t val);

/* Offset of capability @id in the user's (VFIO) view, 0 if absent. */
int vfio_find_cap(struct vfio_dev *v, int id);

/* SET_IRQS helpers: @fds may be NULL for DATA_NONE. */
int set_irqs(struct vfio_dev *v, uint32_t flags, uint32_t index, uint32_t start,
	     uint32_t count, const void *data, size_t data_len);
int set_irqs_eventfd(struct vfio_dev *v, uint32_t index, uint32_t start,
		     uint32_t count, const int *fds);
/* Wait up to @ms for @efd to become readable; returns its count or 0. */
uint64_t eventfd_wait(int efd, int ms);

#endif
