/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * type1 IOMMU model internals, shared by type1.c (the uAPI, domains, IOVA
 * ranges) and type1_dma.c (pinning and mapping one DMA range).
 */
#ifndef VFNET_TYPE1_H
#define VFNET_TYPE1_H

#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>

struct seq_file;

/**
 * struct type1_domain - one IOMMU domain of a container
 * @domain: the domain, shared by every group in @group_list
 * @next: entry in type1->domain_list
 * @group_list: struct type1_group entries attached to @domain
 * @enforce_cache_coherency: the domain blocks no-snoop DMA
 * @mapped_bytes: bytes mapped in @domain now, counted at every
 *                iommu_map()/iommu_unmap() (debugfs; must end at zero)
 */
struct type1_domain {
	struct iommu_domain *domain;
	struct list_head next;
	struct list_head group_list;
	bool enforce_cache_coherency;
	u64 mapped_bytes;
};

struct type1_group {
	struct iommu_group *iommu_group;
	struct list_head next;
};

/* A usable IOVA range, @start to @end inclusive. */
struct type1_iova {
	struct list_head list;
	dma_addr_t start;
	dma_addr_t end;
};

/*
 * Physically contiguous pages, in IOVA order within a mapping: pinned
 * pages, or (@pfnmap) MMIO PFNs of a device BAR mmapped through a vfnet
 * device fd, which are neither pinned nor charged.
 */
struct type1_run {
	unsigned long pfn;
	unsigned long npages;
	bool pfnmap;
};

/**
 * struct type1_dma - one VFIO_IOMMU_MAP_DMA mapping
 * @node: in type1->dma_list, keyed by @iova
 * @iova: first IOVA
 * @vaddr: first user virtual address
 * @size: bytes
 * @prot: IOMMU_READ/IOMMU_WRITE
 * @lock_cap: the mapper had CAP_IPC_LOCK (RLIMIT_MEMLOCK bypassed)
 * @pid: the mapper's thread group id (debugfs)
 * @mm: the mapper's address space (mmgrab()ed)
 * @locked: pages charged to @mm->locked_vm
 * @runs: what is pinned, as contiguous runs covering the range in order
 * @nr_runs: entries used in @runs
 * @max_runs: entries allocated in @runs
 * @mapped: bytes from @iova mapped in every domain
 * @pfnmap: some run is MMIO of a vfnet device (see type1_revoke_pfns())
 */
struct type1_dma {
	struct rb_node node;
	dma_addr_t iova;
	unsigned long vaddr;
	size_t size;
	int prot;
	bool lock_cap;
	pid_t pid;
	struct mm_struct *mm;
	unsigned long locked;
	struct type1_run *runs;
	unsigned long nr_runs;
	unsigned long max_runs;
	size_t mapped;
	bool pfnmap;
};

/**
 * struct type1 - a container's type1 state
 * @lock: protects everything below
 * @domain_list: struct type1_domain entries
 * @iova_list: usable IOVA ranges, sorted (struct type1_iova)
 * @dma_list: mappings by IOVA
 * @dma_avail: mappings that may still be created
 * @pgsize_bitmap: IOMMU page sizes every domain supports
 * @v2: VFIO_TYPE1v2_IOMMU semantics
 * @all_next: entry in the list of every type1 container (type1.c)
 */
struct type1 {
	struct mutex lock;
	struct list_head all_next;
	struct list_head domain_list;
	struct list_head iova_list;
	struct rb_root dma_list;
	unsigned int dma_avail;
	unsigned long pgsize_bitmap;
	bool v2;
};

/* type1_iova.c */
void vfnet_type1_iova_free(struct list_head *list);
int vfnet_type1_iova_build(struct type1 *t, struct type1_domain *extra,
		     struct list_head *list);
bool vfnet_type1_iova_valid(struct list_head *list, dma_addr_t start,
		      dma_addr_t end);
bool vfnet_type1_iova_conflict(struct type1 *t, struct list_head *list);
long vfnet_type1_get_info(struct type1 *t, void __user *arg);

/* type1_dma.c */
int vfnet_type1_dma_pin_map(struct type1 *t, struct type1_dma *dma);
void vfnet_type1_dma_unmap_unpin(struct type1 *t, struct type1_dma *dma);
int vfnet_type1_dma_replay(struct type1_dma *dma, struct type1_domain *d);
size_t vfnet_type1_unmap_one(struct type1_domain *d, dma_addr_t iova,
			     size_t size);
void vfnet_type1_stats_init(void);
void vfnet_type1_stats_exit(void);

/* type1_debug.c */
void vfnet_type1_debug_show(void *data, struct seq_file *s, bool mappings);

#endif /* VFNET_TYPE1_H */
