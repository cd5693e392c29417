/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * No-IOMMU mode (guest booted with intel_iommu=off, module loaded with
 * enable_unsafe_noiommu_mode=1, device bound to vfnet-pci): the fake
 * group's node, the NOIOMMU extension and model, MAP_DMA refused, device
 * fds, CAP_SYS_RAWIO required, kernel tainted.
 *
 * usage: noiommu -c CONTAINER_NODE -g GROUP_DIR -d BDF
 * Reports in TAP (tests/lib/vfn_tap.h); exits 1 if a check failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vfn_tap.h"

#define TAINT_USER_BIT 6

int main(int argc, char **argv)
{
	const char *cpath = NULL, *gdir = NULL, *bdf = NULL;
	char link[PATH_MAX], target[PATH_MAX], gpath[PATH_MAX];
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m) };
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct vfio_device_info di = { .argsz = sizeof(di) };
	int opt, c, g, d, status, res = -1;
	unsigned long tainted = 0;
	ssize_t len;
	FILE *f;
	pid_t pid;

	while ((opt = getopt(argc, argv, "c:g:d:")) != -1) {
		switch (opt) {
		case 'c': cpath = optarg; break;
		case 'g': gdir = optarg; break;
		case 'd': bdf = optarg; break;
		default: return 2;
		}
	}
	if (!cpath || !gdir || !bdf) {
		fprintf(stderr, "usage: noiommu -c CONTAINER -g GROUP_DIR -d BDF\n");
		return 2;
	}
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	len = readlink(link, target, sizeof(target) - 1);
	if (!TAP_CHECK_ERRNO(len > 0, "noiommu: device has a (fake) IOMMU group %s",
			     link))
		return tap_done();
	target[len] = 0;
	snprintf(gpath, sizeof(gpath), "%s/noiommu-%s", gdir, strrchr(target, '/') + 1);
	tap_diag("noiommu: group node %s", gpath);

	c = open(cpath, O_RDWR);
	TAP_OK(c, "noiommu: open container");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU), 1,
		 "noiommu: CHECK_EXTENSION NOIOMMU offered");

	/* Without CAP_SYS_RAWIO the group cannot be opened. */
	chmod(gpath, 0666);
	pid = fork();
	if (pid == 0) {
		int fd;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		fd = open(gpath, O_RDWR);
		_exit(fd >= 0 ? 0 : errno);
	}
	waitpid(pid, &status, 0);
	TAP_EQ(WEXITSTATUS(status), EPERM, "noiommu: group open needs CAP_SYS_RAWIO");

	g = open(gpath, O_RDWR);
	if (!TAP_CHECK_ERRNO(g >= 0, "noiommu: open group node"))
		return tap_done();
	TAP_OK(ioctl(g, VFIO_GROUP_GET_STATUS, &st), "noiommu: GET_STATUS");
	TAP_EQ(st.flags, VFIO_GROUP_FLAGS_VIABLE, "noiommu: viable");
	TAP_OK(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c), "noiommu: SET_CONTAINER");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 0,
		 "noiommu: TYPE1v2 not offered to a no-IOMMU container");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU), 1,
		 "noiommu: NOIOMMU still offered");
	TAP_ERR(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), ENODEV,
		  "noiommu: SET_IOMMU TYPE1v2 refused");
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf), EINVAL,
		  "noiommu: no device fd before SET_IOMMU");
	TAP_OK(ioctl(c, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU), "noiommu: SET_IOMMU NOIOMMU");
	TAP_ERR(ioctl(c, VFIO_IOMMU_MAP_DMA, &m), ENOTTY, "noiommu: MAP_DMA refused");
	TAP_ERR(ioctl(c, VFIO_IOMMU_GET_INFO, &m), ENOTTY, "noiommu: GET_INFO refused");
	d = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf);
	TAP_OK(d, "noiommu: GET_DEVICE_FD");
	if (d >= 0) {
		TAP_OK(ioctl(d, VFIO_DEVICE_GET_INFO, &di), "noiommu: device GET_INFO");
		close(d);
	}
	close(g);
	close(c);

	f = fopen("/proc/sys/kernel/tainted", "r");
	if (f) {
		res = fscanf(f, "%lu", &tainted);
		fclose(f);
	}
	TAP_CHECK(res == 1 && (tainted & (1UL << TAINT_USER_BIT)),
		   "noiommu: kernel tainted (TAINT_USER)");
	return tap_done();
}
