/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers shared by the PCI VM tests: open a device through a VFIO
 * container (vfnet's or upstream's), read sysfs, count results.
 */
#ifndef VFN_TEST_VFIO_OPEN_H
#define VFN_TEST_VFIO_OPEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/vfio.h>

#define REGION_OFF(idx) ((uint64_t)(idx) << 40)

struct vdev {
	const char *bdf;
	int container;
	int group;
	int device;
	int group_id;
	char group_path[256];
};

extern int n_pass, n_fail;

/* Record one check; prints FAIL lines (and PASS lines when verbose). */
#define CHECK(cond, ...) do { \
		if (cond) { \
			n_pass++; \
		} else { \
			n_fail++; \
			printf("FAIL %s:%d: ", __func__, __LINE__); \
			printf(__VA_ARGS__); \
			printf("\n"); \
		} \
	} while (0)

/* Open container, group and device; returns 0 or -1 with a message. */
int vdev_open(struct vdev *v, const char *container, const char *groupdir,
	      const char *bdf);
void vdev_close(struct vdev *v);

/* Read sysfs config of @bdf (root sees all of it); returns bytes read. */
int sysfs_config(const char *bdf, uint8_t *buf, int len);
/* Size of resource @idx (0-5 BARs, 6 ROM) from sysfs, 0 if none. */
uint64_t sysfs_resource_size(const char *bdf, int idx, uint64_t *flags);

int cfg_read(struct vdev *v, int pos, void *buf, int len);
int cfg_write(struct vdev *v, int pos, const void *buf, int len);
uint32_t cfg_read32(struct vdev *v, int pos);
uint16_t cfg_read16(struct vdev *v, int pos);
uint8_t cfg_read8(struct vdev *v, int pos);
void cfg_write32(struct vdev *v, int pos, uint32_t val);
void cfg_write16(struct vdev *v, int pos, uint16_t val);

/* Offset of capability @id in the user's (VFIO) view, 0 if absent. */
int vfio_find_cap(struct vdev *v, int id);

/* SET_IRQS helpers: @fds may be NULL for DATA_NONE. */
int set_irqs(struct vdev *v, uint32_t flags, uint32_t index, uint32_t start,
	     uint32_t count, const void *data, size_t data_len);
int set_irqs_eventfd(struct vdev *v, uint32_t index, uint32_t start,
		     uint32_t count, const int *fds);
/* Wait up to @ms for @efd to become readable; returns its count or 0. */
uint64_t eventfd_wait(int efd, int ms);

#endif
