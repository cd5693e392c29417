/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DMA mappings in the VFIO container: the IOMMU type is set once the first
 * group is attached, VFIO_IOMMU_GET_INFO tells which IOVA ranges are
 * usable and how many mappings the container may hold, and every memory
 * segment is mapped as one MAP_DMA per IOVA-contiguous run (one per
 * segment in VA mode), so the mapping count stays in the tens.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "eal_private.h"
#include "vfn_log.h"

static void parse_info_caps(struct vfio_iommu_type1_info *info)
{
	uint32_t off;

	if (!(info->flags & VFIO_IOMMU_INFO_CAPS) || !info->cap_offset)
		return;
	for (off = info->cap_offset; off && off + sizeof(struct vfio_info_cap_header) <= info->argsz;) {
		struct vfio_info_cap_header *h =
			(void *)((uint8_t *)info + off);

		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			struct vfio_iommu_type1_info_cap_iova_range *r =
				(void *)h;
			unsigned int n = r->nr_iovas;

			if (n > 16)
				n = 16;
			for (unsigned int i = 0; i < n; i++) {
				eal_vfio.range_start[i] = r->iova_ranges[i].start;
				eal_vfio.range_end[i] = r->iova_ranges[i].end;
			}
			eal_vfio.n_ranges = n;
		} else if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
			struct vfio_iommu_type1_info_dma_avail *a = (void *)h;

			eal_vfio.dma_avail = a->avail;
		}
		if (h->next <= off)
			break;
		off = h->next;
	}
}

static int get_iommu_info(void)
{
	struct vfio_iommu_type1_info *info;
	uint32_t argsz = sizeof(*info);

	for (int tries = 0; tries < 3; tries++) {
		info = calloc(1, argsz);
		if (!info)
			return -1;
		info->argsz = argsz;
		if (ioctl(eal_vfio.container_fd, VFIO_IOMMU_GET_INFO, info)) {
			eal_error("VFIO_IOMMU_GET_INFO: %s", strerror(errno));
			free(info);
			return -1;
		}
		if (info->argsz <= argsz)
			break;
		argsz = info->argsz;
		free(info);
		info = NULL;
	}
	if (!info)
		return -1;
	eal_vfio.pgsizes = info->flags & VFIO_IOMMU_INFO_PGSIZES ?
			   info->iova_pgsizes : 4096;
	eal_vfio.n_ranges = 0;
	parse_info_caps(info);
	free(info);
	if (!eal_vfio.n_ranges) {
		/* no capability: the whole 64-bit space */
		eal_vfio.range_start[0] = 0;
		eal_vfio.range_end[0] = UINT64_MAX;
		eal_vfio.n_ranges = 1;
	}
	return 0;
}

int eal_vfio_setup_iommu(void)
{
	int fd = eal_vfio.container_fd;
	int type;

	if (eal_vfio.iommu_set)
		return 0;
	if (eal_vfio.noiommu)
		type = VFIO_NOIOMMU_IOMMU;
	else if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		type = VFIO_TYPE1v2_IOMMU;
	else
		type = VFIO_TYPE1_IOMMU;
	if (ioctl(fd, VFIO_SET_IOMMU, type)) {
		eal_error("VFIO_SET_IOMMU(%s): %s",
			  type == VFIO_NOIOMMU_IOMMU ? "no-IOMMU" : "type1",
			  strerror(errno));
		return -1;
	}
	eal_vfio.iommu_set = true;
	if (type == VFIO_NOIOMMU_IOMMU) {
		eal_vfio.range_start[0] = 0;
		eal_vfio.range_end[0] = UINT64_MAX;
		eal_vfio.n_ranges = 1;
		return 0;
	}
	if (get_iommu_info())
		return -1;
	vfn_log(VFN_LOG_DEBUG, "EAL",
		"VFIO type1: %u IOVA ranges, first 0x%" PRIx64 "-0x%" PRIx64
		", pgsizes 0x%" PRIx64 ", %u DMA mappings available",
		eal_vfio.n_ranges, eal_vfio.range_start[0],
		eal_vfio.range_end[0], eal_vfio.pgsizes, eal_vfio.dma_avail);
	return 0;
}

/* The largest usable range (the EAL window is placed inside it). */
void eal_vfio_best_range(uint64_t *lo, uint64_t *hi)
{
	uint64_t best = 0;

	*lo = 0;
	*hi = UINT64_MAX;
	for (unsigned int i = 0; i < eal_vfio.n_ranges; i++) {
		uint64_t len = eal_vfio.range_end[i] - eal_vfio.range_start[i];

		if (len > best) {
			best = len;
			*lo = eal_vfio.range_start[i];
			*hi = eal_vfio.range_end[i];
		}
	}
	/* user addresses stop at 47 bits on x86-64 */
	if (*hi > (1ull << 47) - 1)
		*hi = (1ull << 47) - 1;
}

static bool in_ranges(uint64_t iova, uint64_t len)
{
	for (unsigned int i = 0; i < eal_vfio.n_ranges; i++)
		if (iova >= eal_vfio.range_start[i] &&
		    iova + len - 1 <= eal_vfio.range_end[i])
			return true;
	return false;
}

static bool have_ipc_lock(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long cap = 0;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &cap) == 1)
			break;
	fclose(f);
	return cap & (1ull << 14); /* CAP_IPC_LOCK */
}

int eal_vfio_check_memlock(uint64_t need)
{
	struct rlimit rl;
	char msg[512];

	if (eal_vfio.noiommu || have_ipc_lock() || getrlimit(RLIMIT_MEMLOCK, &rl))
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	eal_diag_memlock(msg, sizeof(msg), rl.rlim_cur, need);
	eal_error("%s", msg);
	errno = ENOMEM;
	return -1;
}

/* Walk the IOVA-contiguous runs of @ms; @map 1 maps, 0 unmaps. */
static int dma_runs(struct eal_memseg *ms, int map)
{
	const uint64_t g = 1ull << EAL_IOVA_GRANULE_SHIFT;
	uint8_t *va = ms->addr, *end = va + ms->len;

	while (va < end) {
		uint64_t iova = eal_iova_of_granule(va);
		uint64_t len = g;
		int ret;

		while (va + len < end &&
		       eal_iova_of_granule(va + len) == iova + len)
			len += g;
		if (map) {
			struct vfio_iommu_type1_dma_map m = {
				.argsz = sizeof(m),
				.flags = VFIO_DMA_MAP_FLAG_READ |
					 VFIO_DMA_MAP_FLAG_WRITE,
				.vaddr = (uintptr_t)va,
				.iova = iova,
				.size = len,
			};

			if (!in_ranges(iova, len)) {
				eal_error("IOVA 0x%" PRIx64 "+0x%" PRIx64
					  " is outside the IOMMU's IOVA ranges",
					  iova, len);
				errno = EINVAL;
				return -1;
			}
			if (eal_vfio.dma_used >= eal_vfio.dma_avail) {
				eal_error("the VFIO container's limit of DMA mappings is reached (%u); use fewer, larger memory segments (-m at start)",
					  eal_vfio.dma_used);
				errno = ENOSPC;
				return -1;
			}
			ret = ioctl(eal_vfio.container_fd,
				    VFIO_IOMMU_MAP_DMA, &m);
			if (ret) {
				int err = errno;
				char msg[512];
				struct rlimit rl;

				if (err == ENOMEM && !have_ipc_lock() &&
				    !getrlimit(RLIMIT_MEMLOCK, &rl)) {
					eal_diag_memlock(msg, sizeof(msg),
							 rl.rlim_cur,
							 vfn_eal_memory_total());
					eal_error("%s", msg);
				} else {
					eal_error("VFIO_IOMMU_MAP_DMA of %" PRIu64
						  " MB at IOVA 0x%" PRIx64 ": %s",
						  len >> 20, iova,
						  strerror(err));
				}
				errno = err;
				return -1;
			}
			eal_vfio.dma_used++;
		} else {
			struct vfio_iommu_type1_dma_unmap u = {
				.argsz = sizeof(u),
				.iova = iova,
				.size = len,
			};

			if (ioctl(eal_vfio.container_fd,
				  VFIO_IOMMU_UNMAP_DMA, &u))
				vfn_log(VFN_LOG_WARNING, "EAL",
					"VFIO_IOMMU_UNMAP_DMA 0x%" PRIx64 ": %s",
					iova, strerror(errno));
			else if (eal_vfio.dma_used)
				eal_vfio.dma_used--;
		}
		va += len;
	}
	return 0;
}

int eal_vfio_dma_map(struct eal_memseg *ms)
{
	if (eal_vfio.container_fd < 0 || eal_vfio.noiommu || ms->dma_mapped)
		return 0;
	if (dma_runs(ms, 1)) {
		int err = errno;

		dma_runs(ms, 0); /* unmap the runs that did get mapped */
		errno = err;
		return -1;
	}
	ms->dma_mapped = true;
	return 0;
}

int eal_vfio_dma_unmap(struct eal_memseg *ms)
{
	if (eal_vfio.container_fd < 0 || !ms->dma_mapped)
		return 0;
	dma_runs(ms, 0);
	ms->dma_mapped = false;
	return 0;
}

/* Memory callback: map each segment as it is added. */
int eal_vfio_mem_cb(struct eal_memseg *ms, void *arg)
{
	(void)arg;
	return eal_vfio_dma_map(ms);
}
