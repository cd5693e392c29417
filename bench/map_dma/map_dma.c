/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MAP_DMA + UNMAP_DMA timing: 1 GiB backed by 2 MiB hugepages and 1 GiB
 * backed by 4 KiB pages (THP off), each mapped with one MAP_DMA and
 * removed with one UNMAP_DMA, on whichever VFIO the paths name.
 *
 * usage: map_dma -c CONTAINER_NODE -g GROUP_DIR -d BDF [-n ROUNDS]
 * Prints "RESULT <backing> map_ms unmap_ms total_ms" (medians) per backing.
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

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << 26)
#endif

#define SZ_1G (1UL << 30)
#define MAX_ROUNDS 32

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bench(int c, const char *label, void *mem, int rounds)
{
	double map[MAX_ROUNDS], unmap[MAX_ROUNDS], total[MAX_ROUNDS], t0, t1, t2;
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)mem, .iova = SZ_1G, .size = SZ_1G,
	};
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u) };
	int i;

	for (i = 0; i < rounds; i++) {
		u.iova = SZ_1G;
		u.size = SZ_1G;
		t0 = now();
		if (ioctl(c, VFIO_IOMMU_MAP_DMA, &m)) {
			fprintf(stderr, "map_dma: MAP_DMA %s: %s\n", label, strerror(errno));
			return -1;
		}
		t1 = now();
		if (ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u) || u.size != SZ_1G) {
			fprintf(stderr, "map_dma: UNMAP_DMA %s: %s\n", label, strerror(errno));
			return -1;
		}
		t2 = now();
		map[i] = (t1 - t0) * 1e3;
		unmap[i] = (t2 - t1) * 1e3;
		total[i] = (t2 - t0) * 1e3;
	}
	printf("RESULT %s %.2f %.2f %.2f\n", label, median(map, rounds),
	       median(unmap, rounds), median(total, rounds));
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cpath = NULL, *gdir = NULL, *bdf = NULL;
	char link[PATH_MAX], target[PATH_MAX], gpath[PATH_MAX];
	int opt, c, g, rounds = 5, ret = 0;
	void *huge, *small;
	ssize_t len;

	while ((opt = getopt(argc, argv, "c:g:d:n:")) != -1) {
		switch (opt) {
		case 'c': cpath = optarg; break;
		case 'g': gdir = optarg; break;
		case 'd': bdf = optarg; break;
		case 'n': rounds = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!cpath || !gdir || !bdf || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: map_dma -c CONTAINER -g GROUP_DIR -d BDF [-n ROUNDS<=32]\n");
		return 2;
	}
	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	len = readlink(link, target, sizeof(target) - 1);
	if (len < 0) {
		fprintf(stderr, "map_dma: %s: %s (IOMMU on? device present?)\n", link, strerror(errno));
		return 2;
	}
	target[len] = 0;
	snprintf(gpath, sizeof(gpath), "%s/%s", gdir, strrchr(target, '/') + 1);

	c = open(cpath, O_RDWR);
	g = open(gpath, O_RDWR);
	if (c < 0 || g < 0 || ioctl(g, VFIO_GROUP_SET_CONTAINER, &c) ||
	    ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		fprintf(stderr, "map_dma: cannot set up %s with %s: %s\n", cpath, gpath,
			strerror(errno));
		return 1;
	}

	huge = mmap(NULL, SZ_1G, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);
	if (huge == MAP_FAILED) {
		fprintf(stderr, "map_dma: 1 GiB of 2 MiB hugepages: %s (reserve 512 hugepages)\n",
			strerror(errno));
		return 1;
	}
	memset(huge, 1, SZ_1G);
	ret |= bench(c, "2M", huge, rounds);
	munmap(huge, SZ_1G);

	small = mmap(NULL, SZ_1G, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (small == MAP_FAILED) {
		fprintf(stderr, "map_dma: 1 GiB anonymous: %s\n", strerror(errno));
		return 1;
	}
	madvise(small, SZ_1G, MADV_NOHUGEPAGE);
	memset(small, 1, SZ_1G);
	ret |= bench(c, "4K", small, rounds);
	munmap(small, SZ_1G);
	close(g);
	close(c);
	return ret ? 1 : 0;
}
