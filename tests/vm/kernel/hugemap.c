/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hugepage mapping: MAP_DMA 1 GiB of 2 MiB hugepages and check, from the
 * driver's count of IOMMU page sizes (-s FILE, vfnet's debugfs
 * iommu_map_sizes), that it became 2 MiB (or 1 GiB) IOMMU pages and not
 * 4 KiB ones; that every page was pinned once and unpinned on UNMAP.
 * Without -s (upstream VFIO has no such count) only the pin and
 * unmap checks run.
 *
 * usage: hugemap -c CONTAINER_NODE -g GROUP_DIR -d BDF [-s MAP_SIZES_FILE]
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
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vfn_foll_pins.h"
#include "vfn_tap.h"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << 26)
#endif

#define SZ_2M (2UL << 20)
#define SZ_1G (1UL << 30)

/* Count for IOMMU page size @size in the "SIZE COUNT" lines of @path. */
static long long map_count(const char *path, unsigned long size)
{
	unsigned long s;
	long long n, v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%lu %lld", &s, &n) == 2)
		if (s == size)
			v = n;
	fclose(f);
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *cpath = NULL, *gdir = NULL, *bdf = NULL, *sizes = NULL;
	char link[PATH_MAX], target[PATH_MAX], gpath[PATH_MAX];
	long long n4k = 0, n2m = 0, n1g = 0;
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m) };
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u) };
	int opt, c, g;
	long pin0;
	ssize_t len;
	double t0, t1, t2;
	char *mem;

	while ((opt = getopt(argc, argv, "c:g:d:s:")) != -1) {
		switch (opt) {
		case 'c': cpath = optarg; break;
		case 'g': gdir = optarg; break;
		case 'd': bdf = optarg; break;
		case 's': sizes = optarg; break;
		default: return 2;
		}
	}
	if (!cpath || !gdir || !bdf) {
		fprintf(stderr, "usage: hugemap -c CONTAINER -g GROUP_DIR -d BDF [-s MAP_SIZES]\n");
		return 2;
	}
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	len = readlink(link, target, sizeof(target) - 1);
	if (len < 0) {
		perror(link);
		return 2;
	}
	target[len] = 0;
	snprintf(gpath, sizeof(gpath), "%s/%s", gdir, strrchr(target, '/') + 1);

	mem = mmap(NULL, SZ_1G, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);
	if (mem == MAP_FAILED) {
		tap_bail("hugemap: mmap 1 GiB of 2 MiB hugepages: %s (reserve 512+ hugepages)",
			 strerror(errno));
	}
	memset(mem, 1, SZ_1G);

	c = open(cpath, O_RDWR);
	g = open(gpath, O_RDWR);
	if (!TAP_CHECK_ERRNO(c >= 0 && g >= 0 &&
			     !ioctl(g, VFIO_GROUP_SET_CONTAINER, &c) &&
			     !ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU),
			     "hugemap: container and group"))
		return tap_done();

	if (sizes) {
		n4k = map_count(sizes, 4096);
		n2m = map_count(sizes, SZ_2M);
		n1g = map_count(sizes, SZ_1G);
		TAP_CHECK(n4k >= 0, "hugemap: read IOMMU page-size counts from %s",
			  sizes);
	}
	pin0 = vfn_foll_pins();
	m.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	m.vaddr = (uintptr_t)mem;
	m.iova = SZ_1G;
	m.size = SZ_1G;
	t0 = now();
	TAP_OK(ioctl(c, VFIO_IOMMU_MAP_DMA, &m), "hugemap: MAP_DMA 1 GiB");
	t1 = now();
	TAP_EQ(vfn_foll_pins() - pin0, SZ_1G / 4096, "hugemap: every 4 KiB subpage pinned");
	if (sizes) {
		long long d4k = map_count(sizes, 4096) - n4k;
		long long d2m = map_count(sizes, SZ_2M) - n2m;
		long long d1g = map_count(sizes, SZ_1G) - n1g;

		tap_diag("IOMMU pages used: %lld x 4K, %lld x 2M, %lld x 1G",
		       d4k, d2m, d1g);
		TAP_EQ(d4k, 0, "hugemap: no 4 KiB IOMMU pages");
		TAP_EQ(d2m * SZ_2M + d1g * SZ_1G, SZ_1G,
			 "hugemap: 1 GiB in 2 MiB/1 GiB IOMMU pages");
		TAP_CHECK(d2m > 0 || d1g > 0, "hugemap: large IOMMU pages used");
	}
	u.iova = SZ_1G;
	u.size = SZ_1G;
	t2 = now();
	TAP_OK(ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u), "hugemap: UNMAP_DMA");
	TAP_EQ(u.size, SZ_1G, "hugemap: 1 GiB unmapped");
	tap_diag("map %.1f ms, unmap %.1f ms", (t1 - t0) * 1e3, (now() - t2) * 1e3);
	TAP_EQ(vfn_foll_pins() - pin0, 0, "hugemap: pins back to baseline");
	close(g);
	close(c);
	munmap(mem, SZ_1G);
	return tap_done();
}
