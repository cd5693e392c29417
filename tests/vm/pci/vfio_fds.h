/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfio_fds.h - the few VFIO and sysfs steps the ownership and reset tests
 * (pci_reset_set.c, ../kernel/dma_bar.c) repeat: open a container, a group
 * and a device by node paths, region access, binding through sysfs.
 * Every helper returns 0 (or a value) on success and -errno on failure,
 * so a test can hand the result to TAP_EQ and see the errno it got.
 */
#ifndef VFN_TEST_VFIO_FDS_H
#define VFN_TEST_VFIO_FDS_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#define VFD_REGION(idx) ((uint64_t)(idx) << 40)

/** ioctl() as 0 (or its positive result) or -errno. */
static inline int vfd_ioctl(int fd, unsigned long req, void *arg)
{
	int r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

/** IOMMU group number of PCI device @bdf, or -1. */
static inline int vfd_group_id(const char *bdf)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	char *p;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = 0;
	p = strrchr(target, '/');
	return p ? atoi(p + 1) : -1;
}

/** Open the group node of @bdf in @groupdir; fd or -errno. */
static inline int vfd_open_group(const char *groupdir, const char *bdf)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%d", groupdir, vfd_group_id(bdf));
	fd = open(path, O_RDWR);
	return fd < 0 ? -errno : fd;
}

/**
 * Open container @cnode, attach @group to it and set type1v2; the
 * container fd or -errno (and nothing left open).
 */
static inline int vfd_attach(const char *cnode, int group)
{
	int c = open(cnode, O_RDWR), r;

	if (c < 0)
		return -errno;
	r = vfd_ioctl(group, VFIO_GROUP_SET_CONTAINER, &c);
	if (!r)
		r = vfd_ioctl(c, VFIO_SET_IOMMU, (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU);
	if (r < 0) {
		close(c);
		return r;
	}
	return c;
}

/** VFIO_GROUP_GET_DEVICE_FD; fd or -errno. */
static inline int vfd_device(int group, const char *bdf)
{
	return vfd_ioctl(group, VFIO_GROUP_GET_DEVICE_FD, (void *)bdf);
}

/** 32-bit access to region @idx at @off; 0 or -errno. */
static inline int vfd_read32(int dev, int idx, uint64_t off, uint32_t *val)
{
	ssize_t n = pread(dev, val, 4, VFD_REGION(idx) + off);

	return n == 4 ? 0 : n < 0 ? -errno : -EIO;
}

static inline int vfd_write32(int dev, int idx, uint64_t off, uint32_t val)
{
	ssize_t n = pwrite(dev, &val, 4, VFD_REGION(idx) + off);

	return n == 4 ? 0 : n < 0 ? -errno : -EIO;
}

/** VFIO_DEVICE_PCI_HOT_RESET through @dev with @n group fds; 0 or -errno. */
static inline int vfd_hot_reset(int dev, const int *groups, int n)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fds[8];
	} r = { .hdr = { .argsz = sizeof(r), .count = (uint32_t)n } };
	int i;

	for (i = 0; i < n && i < 8; i++)
		r.fds[i] = groups[i];
	return vfd_ioctl(dev, VFIO_DEVICE_PCI_HOT_RESET, &r);
}

/** Write @val to sysfs file @path; 0 or -errno. */
static inline int vfd_sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/** Name of the driver @bdf is bound to ("" for none), in @buf. */
static inline const char *vfd_driver(const char *bdf, char *buf, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	char *p;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	buf[0] = 0;
	if (n < 0)
		return buf;
	target[n] = 0;
	p = strrchr(target, '/');
	p = p ? p + 1 : target;
	if (strlen(p) < len)
		memcpy(buf, p, strlen(p) + 1);
	return buf;
}

/** Bind @bdf to @drv through driver_override; 0 when it ended up there. */
static inline int vfd_bind(const char *bdf, const char *drv)
{
	char path[PATH_MAX], cur[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	if (vfd_sysfs_write(path, drv))
		return -EIO;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	if (access(path, F_OK) == 0)
		vfd_sysfs_write(path, bdf);
	vfd_sysfs_write("/sys/bus/pci/drivers_probe", bdf);
	return strcmp(vfd_driver(bdf, cur, sizeof(cur)), drv) ? -ENODEV : 0;
}

#endif /* VFN_TEST_VFIO_FDS_H */
