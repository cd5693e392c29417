/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hugepage discovery: which page sizes the kernel offers, how many pages
 * of each are free on each NUMA node, and where each size is mounted as
 * hugetlbfs.  Read from sysfs and /proc/mounts; nothing is reserved here.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eal_private.h"
#include "vfn_log.h"

const char *eal_sysfs_root = "/sys";
const char *eal_dev_root = "/dev";
const char *eal_proc_root = "/proc";

static int read_u64(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%" SCNu64, v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static uint64_t default_hugepage_size(void)
{
	char path[PATH_MAX], line[256];
	uint64_t kb = 0;
	FILE *f;

	eal_fmt(path, sizeof(path), "%s/meminfo", eal_proc_root);
	f = fopen(path, "r");
	if (!f)
		return 2ull << 20;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %" SCNu64 " kB", &kb) == 1)
			break;
	fclose(f);
	return kb ? kb << 10 : 2ull << 20;
}

/* "pagesize=2M" / "pagesize=1024M" / "pagesize=1G" in mount options */
static uint64_t mount_pagesize(const char *opts, uint64_t default_sz)
{
	const char *p = strstr(opts, "pagesize=");
	uint64_t v;

	if (!p)
		return default_sz;
	p += strlen("pagesize=");
	{
		char tmp[32];
		size_t n = strcspn(p, ",");

		if (n >= sizeof(tmp))
			return 0;
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		if (eal_parse_size(tmp, 1, &v))
			return 0;
	}
	return v;
}

int eal_huge_find_mount(const char *mounts_file, uint64_t page_sz,
			uint64_t default_sz, char *out, size_t n)
{
	char line[PATH_MAX + 256];
	FILE *f = fopen(mounts_file, "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char dev[256], dir[PATH_MAX], type[64], opts[512];

		if (sscanf(line, "%255s %4095s %63s %511s", dev, dir, type,
			   opts) != 4)
			continue;
		if (strcmp(type, "hugetlbfs"))
			continue;
		if (mount_pagesize(opts, default_sz) != page_sz)
			continue;
		/* the first mount wins, as in DPDK; /dev/hugepages if several */
		if (found < 0 || !strcmp(dir, "/dev/hugepages")) {
			eal_fmt(out, n, "%s", dir);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

int eal_huge_find_mount_dir(const char *mounts_file, const char *dir,
			    uint64_t default_sz, uint64_t page_sz, char *out,
			    size_t n)
{
	char line[PATH_MAX + 256], real[PATH_MAX];
	FILE *f;
	int found = -1;

	if (!realpath(dir, real))
		return -1;
	f = fopen(mounts_file, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char dev[256], mdir[PATH_MAX], type[64], opts[512];

		if (sscanf(line, "%255s %4095s %63s %511s", dev, mdir, type,
			   opts) != 4)
			continue;
		if (strcmp(type, "hugetlbfs") || strcmp(mdir, real))
			continue;
		if (mount_pagesize(opts, default_sz) != page_sz)
			continue;
		eal_fmt(out, n, "%s", real);
		found = 0;
	}
	fclose(f);
	return found;
}

static void count_free_per_node(struct eal_huge_size *hs)
{
	char path[PATH_MAX];
	unsigned int node;
	uint64_t v;

	hs->total_free = 0;
	for (node = 0; node < VFN_MAX_NUMA_NODES; node++) {
		eal_fmt(path, sizeof(path),
			 "%s/devices/system/node/node%u/hugepages/hugepages-%"
			 PRIu64 "kB/free_hugepages", eal_sysfs_root, node,
			 hs->page_sz >> 10);
		if (read_u64(path, &v))
			continue;
		hs->free_pages[node] = v;
		hs->total_free += v;
	}
	if (!hs->total_free) {
		/* no per-node files (no NUMA in the kernel): all on node 0 */
		eal_fmt(path, sizeof(path),
			 "%s/kernel/mm/hugepages/hugepages-%" PRIu64
			 "kB/free_hugepages", eal_sysfs_root,
			 hs->page_sz >> 10);
		if (!read_u64(path, &v)) {
			hs->free_pages[0] = v;
			hs->total_free = v;
		}
	}
	eal_fmt(path, sizeof(path),
		 "%s/kernel/mm/hugepages/hugepages-%" PRIu64 "kB/nr_hugepages",
		 eal_sysfs_root, hs->page_sz >> 10);
	if (read_u64(path, &hs->total_pages))
		hs->total_pages = hs->total_free;
}

int eal_huge_discover(struct eal_huge_info *info, const char *huge_dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	memset(info, 0, sizeof(*info));
	info->default_sz = default_hugepage_size();
	eal_fmt(path, sizeof(path), "%s/kernel/mm/hugepages", eal_sysfs_root);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)) && info->n_sizes < EAL_MAX_HUGE_SIZES) {
		struct eal_huge_size *hs;
		uint64_t kb;

		if (sscanf(de->d_name, "hugepages-%" SCNu64 "kB", &kb) != 1)
			continue;
		hs = &info->sizes[info->n_sizes++];
		hs->page_sz = kb << 10;
		count_free_per_node(hs);
		eal_fmt(path, sizeof(path), "%s/mounts", eal_proc_root);
		if (eal_huge_find_mount(path, hs->page_sz, info->default_sz,
					hs->mount, sizeof(hs->mount)))
			hs->mount[0] = '\0';
	}
	closedir(d);
	/* default size first, then ascending */
	for (unsigned int i = 0; i < info->n_sizes; i++) {
		for (unsigned int j = i + 1; j < info->n_sizes; j++) {
			struct eal_huge_size *a = &info->sizes[i];
			struct eal_huge_size *b = &info->sizes[j];
			bool swap = b->page_sz == info->default_sz ||
				(a->page_sz != info->default_sz &&
				 b->page_sz < a->page_sz);

			if (swap) {
				struct eal_huge_size t = *a;

				*a = *b;
				*b = t;
			}
		}
	}
	if (huge_dir && huge_dir[0]) {
		/* --huge-dir: only the size mounted there */
		unsigned int keep = info->n_sizes;

		eal_fmt(path, sizeof(path), "%s/mounts", eal_proc_root);
		for (unsigned int i = 0; i < info->n_sizes; i++) {
			char m[PATH_MAX];

			if (!eal_huge_find_mount_dir(path, huge_dir,
						     info->default_sz,
						     info->sizes[i].page_sz,
						     m, sizeof(m))) {
				info->sizes[0] = info->sizes[i];
				eal_fmt(info->sizes[0].mount,
					 sizeof(info->sizes[0].mount), "%s", m);
				keep = 1;
				break;
			}
		}
		if (keep != 1)
			return -ENOENT;
		info->n_sizes = 1;
	}
	return 0;
}
