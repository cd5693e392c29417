/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers for the kernel robustness tests: see vfio_env.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "vfio_env.h"
#include "vfn_tap.h"

void venv_init(struct venv *e)
{
	const char *s;

	s = getenv("VFN_CONTAINER");
	e->container_path = s ? s : "/dev/vfnet/vfio";
	s = getenv("VFN_GROUP_DIR");
	e->group_dir = s ? s : "/dev/vfnet";
	s = getenv("VFN_DEBUGFS");
	e->debugfs = s ? s : "/sys/kernel/debug/vfnet";
}

int venv_group_id(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	p = strrchr(link, '/');
	return atoi(p ? p + 1 : link);
}

static int venv_fail(const char *what, struct vdev_fds *f)
{
	int err = errno ? errno : EIO;

	tap_diag("%s: %s", what, strerror(err));
	vdev_close_fds(f);
	return -err;
}

int vdev_open_fds(const struct venv *e, const char *bdf, int no_device,
		  struct vdev_fds *f)
{
	char path[PATH_MAX];

	f->container = f->group = f->device = -1;
	f->group_id = venv_group_id(bdf);
	if (f->group_id < 0)
		return venv_fail("no IOMMU group", f);
	f->container = open(e->container_path, O_RDWR | O_CLOEXEC);
	if (f->container < 0)
		return venv_fail(e->container_path, f);
	snprintf(path, sizeof(path), "%s/%d", e->group_dir, f->group_id);
	f->group = open(path, O_RDWR | O_CLOEXEC);
	if (f->group < 0)
		return venv_fail(path, f);
	if (ioctl(f->group, VFIO_GROUP_SET_CONTAINER, &f->container))
		return venv_fail("VFIO_GROUP_SET_CONTAINER", f);
	if (ioctl(f->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return venv_fail("VFIO_SET_IOMMU", f);
	if (no_device)
		return 0;
	f->device = ioctl(f->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (f->device < 0)
		return venv_fail("VFIO_GROUP_GET_DEVICE_FD", f);
	return 0;
}

void vdev_close_fds(struct vdev_fds *f)
{
	if (f->device >= 0)
		close(f->device);
	if (f->group >= 0)
		close(f->group);
	if (f->container >= 0)
		close(f->container);
	f->device = f->group = f->container = -1;
}

long venv_read_file(const char *path, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got + 1 < size) {
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = 0;
	return (long)got;
}

long long venv_file_key(const char *path, const char *key, long long dflt)
{
	size_t klen = strlen(key);
	char line[512];
	FILE *fp;
	long long v = dflt;

	fp = fopen(path, "re");
	if (!fp)
		return dflt;
	while (fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, key, klen) &&
		    (line[klen] == ' ' || line[klen] == ':')) {
			v = strtoll(line + klen + 1, NULL, 0);
			break;
		}
	}
	fclose(fp);
	return v;
}

/*
 * /proc/vmstat folds the per-CPU deltas of its counters only now and then;
 * writing vm.stat_refresh folds them all (root only), so that two reads
 * compare exact values.
 */
static void venv_vmstat_refresh(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "1", 1) != 1)
		tap_diag("vm.stat_refresh: %s", strerror(errno));
	close(fd);
}

int venv_counts(const struct venv *e, struct venv_counts *c)
{
	char path[PATH_MAX];

	venv_vmstat_refresh();
	snprintf(path, sizeof(path), "%s/stats", e->debugfs);
	c->containers = venv_file_key(path, "containers", -1);
	c->dma = venv_file_key(path, "dma_mappings", -1);
	c->pinned = venv_file_key(path, "pinned_pages", -1);
	c->locked = venv_file_key(path, "locked_pages", -1);
	c->iommu_bytes = venv_file_key(path, "iommu_mapped_bytes", -1);
	c->foll_pin_acquired = venv_file_key("/proc/vmstat",
					     "nr_foll_pin_acquired", -1);
	c->foll_pin_released = venv_file_key("/proc/vmstat",
					     "nr_foll_pin_released", -1);
	return c->containers < 0 ? -1 : 0;
}

long long venv_vmlck_kb(void)
{
	return venv_file_key("/proc/self/status", "VmLck", -1);
}
