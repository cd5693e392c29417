/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers for the PCI VM tests: see vfio_open.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/pci_regs.h>

#include "vfio_open.h"

int vfio_dev_open(struct vfio_dev *v, const char *container, const char *groupdir,
	      const char *bdf)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char link[PATH_MAX], path[PATH_MAX];
	const char *p;
	ssize_t n;

	memset(v, 0, sizeof(*v));
	v->bdf = bdf;
	v->container = v->group = v->device = -1;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		tap_diag("%s: no IOMMU group (%s): %s", bdf, path, strerror(errno));
		return -1;
	}
	link[n] = 0;
	p = strrchr(link, '/');
	v->group_id = atoi(p ? p + 1 : link);
	snprintf(v->group_path, sizeof(v->group_path), "%s/%d", groupdir,
		 v->group_id);

	v->container = open(container, O_RDWR);
	if (v->container < 0) {
		tap_diag("open %s: %s", container, strerror(errno));
		return -1;
	}
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		tap_diag("%s: wrong API version", container);
		return -1;
	}
	v->group = open(v->group_path, O_RDWR);
	if (v->group < 0) {
		tap_diag("open %s: %s", v->group_path, strerror(errno));
		return -1;
	}
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		tap_diag("%s: group not viable", v->group_path);
		return -1;
	}
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container)) {
		tap_diag("SET_CONTAINER: %s", strerror(errno));
		return -1;
	}
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) &&
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU)) {
		tap_diag("SET_IOMMU: %s", strerror(errno));
		return -1;
	}
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (v->device < 0) {
		tap_diag("GET_DEVICE_FD %s: %s", bdf, strerror(errno));
		return -1;
	}
	return 0;
}

void vfio_dev_close(struct vfio_dev *v)
{
	if (v->device >= 0)
		close(v->device);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	v->device = v->group = v->container = -1;
}

int sysfs_config(const char *bdf, uint8_t *buf, int len)
{
	char path[PATH_MAX];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, 0);
	close(fd);
	return n;
}

uint64_t sysfs_resource_size(const char *bdf, int idx, uint64_t *flags)
{
	unsigned long long start, end, fl;
	char path[PATH_MAX];
	uint64_t size = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return 0;
	for (i = 0; i <= idx; i++) {
		if (fscanf(f, "%llx %llx %llx", &start, &end, &fl) != 3) {
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	if (start || end)
		size = end - start + 1;
	if (flags)
		*flags = fl;
	return size;
}

int cfg_read(struct vfio_dev *v, int pos, void *buf, int len)
{
	return pread(v->device, buf, len, REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX) + pos);
}

int cfg_write(struct vfio_dev *v, int pos, const void *buf, int len)
{
	return pwrite(v->device, buf, len, REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX) + pos);
}

uint32_t cfg_read32(struct vfio_dev *v, int pos)
{
	uint32_t val = 0xffffffff;

	cfg_read(v, pos, &val, 4);
	return val;
}

uint16_t cfg_read16(struct vfio_dev *v, int pos)
{
	uint16_t val = 0xffff;

	cfg_read(v, pos, &val, 2);
	return val;
}

uint8_t cfg_read8(struct vfio_dev *v, int pos)
{
	uint8_t val = 0xff;

	cfg_read(v, pos, &val, 1);
	return val;
}

void cfg_write32(struct vfio_dev *v, int pos, uint32_t val)
{
	if (cfg_write(v, pos, &val, 4) != 4)
		tap_diag("note: config write32 @%#x failed: %s", pos, strerror(errno));
}

void cfg_write16(struct vfio_dev *v, int pos, uint16_t val)
{
	if (cfg_write(v, pos, &val, 2) != 2)
		tap_diag("note: config write16 @%#x failed: %s", pos, strerror(errno));
}

int vfio_find_cap(struct vfio_dev *v, int id)
{
	int pos, loops = 48;

	if (!(cfg_read16(v, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = cfg_read8(v, PCI_CAPABILITY_LIST) & ~3;
	while (pos >= 0x40 && loops--) {
		if (cfg_read8(v, pos) == id)
			return pos;
		pos = cfg_read8(v, pos + 1) & ~3;
	}
	return 0;
}

int set_irqs(struct vfio_dev *v, uint32_t flags, uint32_t index, uint32_t start,
	     uint32_t count, const void *data, size_t data_len)
{
	char buf[sizeof(struct vfio_irq_set) + 4096];
	struct vfio_irq_set *s = (struct vfio_irq_set *)buf;

	if (data_len > 4096)
		return -EINVAL;
	s->argsz = sizeof(*s) + data_len;
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (data_len)
		memcpy(s->data, data, data_len);
	return ioctl(v->device, VFIO_DEVICE_SET_IRQS, s) ? -errno : 0;
}

int set_irqs_eventfd(struct vfio_dev *v, uint32_t index, uint32_t start,
		     uint32_t count, const int *fds)
{
	return set_irqs(v, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
			index, start, count, fds, count * sizeof(int));
}

uint64_t eventfd_wait(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t cnt = 0;

	if (poll(&p, 1, ms) != 1)
		return 0;
	if (read(efd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return 0;
	return cnt;
}
