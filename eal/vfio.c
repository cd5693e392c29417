/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VFIO container and groups, on vfnet's kernel driver (/dev/vfnet/vfio,
 * PCI driver vfnet-pci) or on upstream VFIO (/dev/vfio/vfio, vfio-pci):
 * the uAPI is the same, only the node names and the driver name differ.
 * Everything that can go wrong here is something the user fixes outside
 * the program, so every failure says how (see diag.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "eal_private.h"
#include "vfn_log.h"

struct eal_vfio eal_vfio = { .container_fd = -1 };

static const char *const flavor_names[] = {
	[EAL_VFIO_AUTO] = "", [EAL_VFIO_VFNET] = "vfnet",
	[EAL_VFIO_UPSTREAM] = "upstream",
};

const char *vfn_eal_vfio_flavor(void)
{
	return eal_vfio.container_fd >= 0 ? flavor_names[eal_vfio.flavor] : "";
}

static void set_flavor(enum eal_vfio_flavor f)
{
	eal_vfio.flavor = f;
	if (f == EAL_VFIO_VFNET) {
		eal_vfio.drv_name = "vfnet-pci";
		eal_fmt(eal_vfio.group_dir, sizeof(eal_vfio.group_dir),
			 "%s/vfnet", eal_dev_root);
	} else {
		eal_vfio.drv_name = "vfio-pci";
		eal_fmt(eal_vfio.group_dir, sizeof(eal_vfio.group_dir),
			 "%s/vfio", eal_dev_root);
	}
	eal_fmt(eal_vfio.container_path, sizeof(eal_vfio.container_path),
		 "%s/vfio", eal_vfio.group_dir);
}

const char *eal_vfio_driver_name(void)
{
	return eal_vfio.drv_name ? eal_vfio.drv_name : "vfio-pci";
}

bool eal_vfio_driver_ok(const char *kdrv)
{
	return !strcmp(kdrv, eal_vfio_driver_name());
}

/*
 * Choose the flavor before opening: forced, or the driver the first device
 * is bound to, or whichever container node exists (vfnet first).
 */
void eal_vfio_choose(enum eal_vfio_flavor want, const char *first_kdrv)
{
	char path[96];
	struct stat st;

	if (want != EAL_VFIO_AUTO) {
		set_flavor(want);
		return;
	}
	if (first_kdrv && !strcmp(first_kdrv, "vfnet-pci")) {
		set_flavor(EAL_VFIO_VFNET);
		return;
	}
	if (first_kdrv && !strcmp(first_kdrv, "vfio-pci")) {
		set_flavor(EAL_VFIO_UPSTREAM);
		return;
	}
	eal_fmt(path, sizeof(path), "%s/vfnet/vfio", eal_dev_root);
	set_flavor(stat(path, &st) ? EAL_VFIO_UPSTREAM : EAL_VFIO_VFNET);
}

static bool iommu_groups_exist(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool any = false;
	DIR *d;

	eal_fmt(path, sizeof(path), "%s/kernel/iommu_groups", eal_sysfs_root);
	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			any = true;
			break;
		}
	closedir(d);
	return any;
}

const char *eal_vfio_module_cmd(void)
{
	return eal_vfio.flavor == EAL_VFIO_VFNET ? "insmod vfnet.ko" :
						   "modprobe vfio-pci";
}

bool eal_vfio_driver_loaded(void)
{
	struct stat st;

	return !stat(eal_vfio.container_path, &st);
}

/* No-IOMMU mode offered by the chosen flavor's module? */
bool eal_vfio_noiommu_available(void)
{
	char path[PATH_MAX];
	struct stat st;

	if (eal_vfio.flavor == EAL_VFIO_VFNET)
		return true; /* vfnet.ko always has the parameter */
	eal_fmt(path, sizeof(path),
		"%s/module/vfio/parameters/enable_unsafe_noiommu_mode",
		eal_sysfs_root);
	return !stat(path, &st);
}

void eal_vfio_diag_no_iommu(char *msg, size_t n)
{
	eal_diag_no_iommu(msg, n,
			  eal_vfio.flavor == EAL_VFIO_VFNET ? "vfnet" : "vfio",
			  eal_vfio_noiommu_available());
}

bool eal_vfio_iommu_missing(void)
{
	char path[PATH_MAX];
	char c = 'N';
	FILE *f;

	if (iommu_groups_exist())
		return false;
	eal_fmt(path, sizeof(path),
		"%s/module/%s/parameters/enable_unsafe_noiommu_mode",
		eal_sysfs_root,
		eal_vfio.flavor == EAL_VFIO_VFNET ? "vfnet" : "vfio");
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%c", &c) != 1)
			c = 'N';
		fclose(f);
	}
	return c != 'Y' && c != '1';
}

static int open_node(const char *path)
{
	char msg[512];
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == EACCES || errno == EPERM) {
		eal_diag_group_perm(msg, sizeof(msg), path);
		eal_error("%s", msg);
	}
	return -1;
}

int eal_vfio_open(enum eal_vfio_flavor want)
{
	char msg[512];
	int fd, ver;

	if (eal_vfio.container_fd >= 0)
		return 0;
	if (!eal_vfio.drv_name)
		eal_vfio_choose(want, NULL);
	fd = open_node(eal_vfio.container_path);
	if (fd < 0) {
		if (errno == ENOENT) {
			eal_diag_no_driver(msg, sizeof(msg),
					   eal_vfio.container_path,
					   eal_vfio_module_cmd());
			eal_error("%s", msg);
		} else if (errno != EACCES && errno != EPERM) {
			eal_error("cannot open %s: %s", eal_vfio.container_path,
				  strerror(errno));
		}
		return -1;
	}
	ver = ioctl(fd, VFIO_GET_API_VERSION);
	if (ver != VFIO_API_VERSION) {
		eal_error("%s speaks VFIO API %d, not %d",
			  eal_vfio.container_path, ver, VFIO_API_VERSION);
		close(fd);
		return -1;
	}
	if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0 &&
	    ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0 &&
	    ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU) <= 0) {
		eal_error("%s offers neither the type1 IOMMU nor no-IOMMU mode",
			  eal_vfio.container_path);
		close(fd);
		return -1;
	}
	eal_vfio.container_fd = fd;
	eal_vfio.n_groups = 0;
	eal_vfio.dma_avail = UINT32_MAX;
	eal_vfio.dma_used = 0;
	return 0;
}

/* IOMMU group number of @bdf from sysfs; -1 when it has none. */
static int device_group(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	eal_fmt(path, sizeof(path), "%s/bus/pci/devices/%s/iommu_group",
		 eal_sysfs_root, bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	return atoi(basename(link));
}

static int read_link_base(const char *path, char *out, size_t n)
{
	char link[PATH_MAX];
	ssize_t len = readlink(path, link, sizeof(link) - 1);

	out[0] = '\0';
	if (len < 0)
		return -1;
	link[len] = '\0';
	eal_fmt(out, n, "%s", basename(link));
	return 0;
}

int eal_vfio_group_offenders(const char *group, const char *bdf, char *out,
			     size_t n)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t len = 0;
	int count = 0;
	DIR *d;

	out[0] = '\0';
	eal_fmt(path, sizeof(path), "%s/kernel/iommu_groups/%s/devices",
		 eal_sysfs_root, group);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char drv[64], dpath[PATH_MAX];
		int w;

		if (de->d_name[0] == '.' || !strcmp(de->d_name, bdf))
			continue;
		eal_fmt(dpath, sizeof(dpath), "%s/%s/driver", path,
			 de->d_name);
		if (read_link_base(dpath, drv, sizeof(drv)))
			continue; /* no driver: harmless */
		if (eal_vfio_driver_ok(drv) || !strcmp(drv, "pci-stub") ||
		    !strcmp(drv, "pcieport"))
			continue;
		w = eal_fmt(out + len, n - len, "%s%s (bound to %s)",
			     count ? ", " : "", de->d_name, drv);
		if (w > 0 && (size_t)w < n - len)
			len += w;
		count++;
	}
	closedir(d);
	return count;
}

static struct eal_vfio_group *find_group(int num)
{
	for (unsigned int i = 0; i < eal_vfio.n_groups; i++)
		if (eal_vfio.groups[i].num == num)
			return &eal_vfio.groups[i];
	return NULL;
}

int eal_vfio_group_get(const char *bdf)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct eal_vfio_group *g;
	char path[PATH_MAX], gname[32], msg[1024];
	struct stat st;
	int num, fd;
	bool noiommu = false;

	num = device_group(bdf);
	if (num < 0) {
		if (!iommu_groups_exist()) {
			eal_vfio_diag_no_iommu(msg, sizeof(msg));
			eal_error("%s", msg);
		} else {
			eal_error("%s has no IOMMU group (a PCI bridge, or the IOMMU does not cover it)",
				  bdf);
		}
		return -1;
	}
	g = find_group(num);
	if (g)
		return g->fd;
	if (eal_vfio.n_groups == sizeof(eal_vfio.groups) / sizeof(eal_vfio.groups[0])) {
		eal_error("too many IOMMU groups: the devices opened so far are in %zu groups, the most one process can use; allow fewer devices with -a, or give them to several processes",
			  sizeof(eal_vfio.groups) / sizeof(eal_vfio.groups[0]));
		return -1;
	}
	eal_fmt(path, sizeof(path), "%s/%d", eal_vfio.group_dir, num);
	if (stat(path, &st)) {
		eal_fmt(path, sizeof(path), "%s/noiommu-%d",
			 eal_vfio.group_dir, num);
		if (stat(path, &st)) {
			char kdrv[64], dpath[PATH_MAX];

			eal_fmt(dpath, sizeof(dpath),
				 "%s/bus/pci/devices/%s/driver",
				 eal_sysfs_root, bdf);
			read_link_base(dpath, kdrv, sizeof(kdrv));
			eal_diag_not_bound(msg, sizeof(msg), bdf, kdrv,
					   eal_vfio_driver_name());
			eal_error("%s", msg);
			return -1;
		}
		noiommu = true;
	}
	fd = open_node(path);
	if (fd < 0) {
		if (errno != EACCES && errno != EPERM)
			eal_error("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &status)) {
		eal_error("VFIO_GROUP_GET_STATUS on %s: %s", path,
			  strerror(errno));
		close(fd);
		return -1;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		char others[600];

		eal_fmt(gname, sizeof(gname), "%d", num);
		if (!eal_vfio_group_offenders(gname, bdf, others,
					      sizeof(others)))
			eal_fmt(others, sizeof(others),
				 "a device of the group (see ls %s/kernel/iommu_groups/%d/devices)",
				 eal_sysfs_root, num);
		eal_diag_group_not_viable(msg, sizeof(msg), bdf, gname,
					  others);
		eal_error("%s", msg);
		close(fd);
		return -1;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_CONTAINER_SET) &&
	    ioctl(fd, VFIO_GROUP_SET_CONTAINER, &eal_vfio.container_fd)) {
		eal_error("VFIO_GROUP_SET_CONTAINER for group %d: %s", num,
			  strerror(errno));
		close(fd);
		return -1;
	}
	g = &eal_vfio.groups[eal_vfio.n_groups++];
	g->num = num;
	g->fd = fd;
	g->noiommu = noiommu;
	if (noiommu)
		eal_vfio.noiommu = true;
	return fd;
}

void eal_vfio_close_fds(void)
{
	for (unsigned int i = 0; i < eal_vfio.n_groups; i++)
		close(eal_vfio.groups[i].fd);
	if (eal_vfio.container_fd >= 0)
		close(eal_vfio.container_fd);
}

void eal_vfio_close(void)
{
	for (unsigned int i = 0; i < eal_vfio.n_groups; i++) {
		ioctl(eal_vfio.groups[i].fd, VFIO_GROUP_UNSET_CONTAINER);
		close(eal_vfio.groups[i].fd);
	}
	if (eal_vfio.container_fd >= 0)
		close(eal_vfio.container_fd);
	memset(&eal_vfio, 0, sizeof(eal_vfio));
	eal_vfio.container_fd = -1;
}
