// SPDX-License-Identifier: GPL-2.0-only
/*
 * type1: pinning user memory and mapping it into the IOMMU domains.
 *
 * A mapping's pages are pinned long-term (pin_user_pages_fast() with
 * FOLL_LONGTERM) in batches and recorded as physically contiguous runs.
 * Each run is mapped with a single iommu_map() call, which lets the IOMMU
 * core use the largest page sizes the alignment allows: a 2 MiB hugepage
 * becomes one 2 MiB IOMMU page instead of 512 small ones.  Keeping the
 * runs means unmapping is one iommu_unmap() per domain and one unpin per
 * run, and that exactly what was pinned is unpinned, whatever the user did
 * to its address space in between.
 *
 * Each batch is charged to locked_vm (RLIMIT_MEMLOCK unless the mapper had
 * CAP_IPC_LOCK) before it is pinned, and what was not pinned is given
 * back, so a mapping over the limit fails with -ENOMEM and, unwound,
 * leaves nothing pinned or charged.
 *
 * Memory that cannot be pinned because it is a device BAR mmapped through
 * a vfnet device fd (VM_PFNMAP) is followed to its PFNs instead, as
 * upstream's vaddr_get_pfns() (drivers/vfio/vfio_iommu_type1.c, Linux 6.1)
 * does: peer-to-peer DMA to a BAR.  Those runs are MMIO, so they are
 * neither pinned nor charged, and unmapping does not unpin them.  Unlike
 * 6.1, which keeps such a mapping however long it lives, the mapping
 * goes when the device's last fd is closed (vfnet_iommu_revoke_pfns()),
 * and PFNMAP areas that no vfnet device fd backs are refused (-EFAULT):
 * nothing would tell us when their MMIO changes hands.
 */
#define pr_fmt(fmt) "vfnet: " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "type1.h"
#include "vfnet_private.h"

/* Page pointers per pin_user_pages_fast() call. */
#define TYPE1_PIN_BATCH 4096UL

/*
 * IOMMU pages created, by log2 of their size: what the IOMMU core does
 * with each iommu_map() call (largest supported size that fits the
 * remaining length and the alignment of IOVA and physical address).
 */
static atomic64_t type1_map_sizes[BITS_PER_LONG];
static struct dentry *type1_debugfs;

static void type1_count_pages(unsigned long pgsize_bitmap, unsigned long iova,
			      phys_addr_t paddr, size_t size)
{
	unsigned long counts[BITS_PER_LONG] = { 0 };
	unsigned long pgsizes, addr_merge;
	unsigned int shift;

	while (size) {
		addr_merge = iova | paddr;
		pgsizes = pgsize_bitmap & GENMASK(__fls(size), 0);
		if (addr_merge)
			pgsizes &= GENMASK(__ffs(addr_merge), 0);
		if (WARN_ON_ONCE(!pgsizes))
			return;
		shift = __fls(pgsizes);
		counts[shift]++;
		iova += 1UL << shift;
		paddr += 1UL << shift;
		size -= 1UL << shift;
	}
	for (shift = 0; shift < BITS_PER_LONG; shift++)
		if (counts[shift])
			atomic64_add(counts[shift], &type1_map_sizes[shift]);
}

static int type1_map_sizes_show(struct seq_file *s, void *unused)
{
	unsigned int shift;

	for (shift = PAGE_SHIFT; shift < BITS_PER_LONG; shift++) {
		s64 n = atomic64_read(&type1_map_sizes[shift]);

		if (n)
			seq_printf(s, "%lu %lld\n", 1UL << shift, n);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(type1_map_sizes);

/* In the module's debugfs folder (debugfs.c), which exists by now. */
void vfnet_type1_stats_init(void)
{
	type1_debugfs = debugfs_create_file("iommu_map_sizes", 0444,
					    vfnet_debugfs_root, NULL,
					    &type1_map_sizes_fops);
}

void vfnet_type1_stats_exit(void)
{
	debugfs_remove(type1_debugfs);
	type1_debugfs = NULL;
}

static int type1_lock_acct(struct type1_dma *dma, long npages)
{
	int ret;

	if (!npages)
		return 0;
	/* The mapper's address space may be gone (the process exited). */
	if (!mmget_not_zero(dma->mm))
		return npages > 0 ? -ESRCH : 0;
	mmap_write_lock(dma->mm);
	ret = __account_locked_vm(dma->mm, abs(npages), npages > 0, current,
				  dma->lock_cap);
	mmap_write_unlock(dma->mm);
	mmput(dma->mm);
	if (ret == -ENOMEM)
		pr_warn_ratelimited("%s (%d): RLIMIT_MEMLOCK (%lu) exceeded\n",
				    current->comm, task_pid_nr(current),
				    rlimit(RLIMIT_MEMLOCK));
	return ret;
}

static int type1_runs_grow(struct type1_dma *dma)
{
	unsigned long max = dma->max_runs ? dma->max_runs * 2 : 16;
	struct type1_run *runs;

	runs = kvmalloc_array(max, sizeof(*runs), GFP_KERNEL_ACCOUNT);
	if (!runs)
		return -ENOMEM;
	if (dma->nr_runs)
		memcpy(runs, dma->runs, dma->nr_runs * sizeof(*runs));
	kvfree(dma->runs);
	dma->runs = runs;
	dma->max_runs = max;
	return 0;
}

/* Record pinned @pages; on failure they are not recorded (nor unpinned). */
static int type1_runs_add(struct type1_dma *dma, struct page **pages,
			  unsigned long n)
{
	unsigned long i, pfn;
	struct type1_run *r;
	int ret;

	for (i = 0; i < n; i++) {
		pfn = page_to_pfn(pages[i]);
		r = dma->nr_runs ? &dma->runs[dma->nr_runs - 1] : NULL;
		if (r && !r->pfnmap && r->pfn + r->npages == pfn) {
			r->npages++;
			continue;
		}
		if (dma->nr_runs == dma->max_runs) {
			ret = type1_runs_grow(dma);
			if (ret) {
				unpin_user_pages(pages + i, n - i);
				atomic64_add(i, &vfnet_stats.pinned);
				return ret;
			}
		}
		r = &dma->runs[dma->nr_runs++];
		r->pfn = pfn;
		r->npages = 1;
		r->pfnmap = false;
	}
	atomic64_add(n, &vfnet_stats.pinned);
	return 0;
}

/*
 * The PFN behind @vaddr in PFNMAP area @vma, faulting it in if need be,
 * as 6.1's follow_fault_pfn(); -EAGAIN when the fault dropped mmap_lock
 * (@vma may be gone), -EFAULT when @write and the PTE is read-only.
 */
static int type1_follow_pfn(struct vm_area_struct *vma, unsigned long vaddr,
			    bool write, unsigned long *pfn)
{
	struct mm_struct *mm = vma->vm_mm;
	bool unlocked = false;
	int ret, tries;

	for (tries = 0; tries < 2; tries++) {
		spinlock_t *ptl;
		pte_t *ptep, pte;

		/* 6.1's signature; 6.10 takes the vma, 6.12 follow_pfnmap_*() */
		ret = follow_pte(mm, vaddr, &ptep, &ptl);
		if (!ret) {
			/* follow_pte() returned with *ptl held: tell sparse */
			__acquire(ptl);
			pte = ptep_get(ptep);
			ret = write && !pte_write(pte) ? -EFAULT : 0;
			*pfn = pte_pfn(pte);
			pte_unmap_unlock(ptep, ptl);
			return ret;
		}
		if (tries)
			break;
		ret = fixup_user_fault(mm, vaddr, FAULT_FLAG_REMOTE |
				       (write ? FAULT_FLAG_WRITE : 0), &unlocked);
		if (unlocked)
			return -EAGAIN;
		if (ret)
			return ret;
	}
	return ret;
}

/*
 * @vaddr could not be pinned.  When it lies in a BAR that a vfnet device
 * fd mapped, record the longest physically contiguous stretch from it
 * (at most @max pages, inside that VMA) as an unpinned MMIO run.
 * Returns the pages recorded, 0 when @vaddr is no such BAR (the caller
 * keeps its pinning error), or -errno.
 */
static long type1_pfnmap_run(struct type1_dma *dma, unsigned long vaddr,
			     unsigned long max)
{
	bool write = dma->prot & IOMMU_WRITE;
	struct vm_area_struct *vma;
	unsigned long first = 0, pfn, n = 0;
	struct type1_run *r;
	int ret = 0;

	mmap_read_lock(dma->mm);
retry:
	vma = vma_lookup(dma->mm, vaddr);
	if (!vma || !(vma->vm_flags & VM_PFNMAP) || !vma->vm_file ||
	    !vfnet_file_is_device(vma->vm_file))
		goto out_unlock;
	max = min(max, (vma->vm_end - vaddr) >> PAGE_SHIFT);
	for (n = 0; n < max; n++) {
		ret = type1_follow_pfn(vma, vaddr + (n << PAGE_SHIFT), write,
				       &pfn);
		if (ret == -EAGAIN && !n)
			goto retry;
		if (ret)
			break;
		/* RAM with a struct page behind a PFNMAP: not ours to map */
		if (pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn))) {
			ret = -EFAULT;
			break;
		}
		if (!n)
			first = pfn;
		else if (pfn != first + n)
			break;
	}
	if (n)
		ret = 0;
out_unlock:
	mmap_read_unlock(dma->mm);
	if (ret || !n)
		return ret;

	if (dma->nr_runs == dma->max_runs) {
		ret = type1_runs_grow(dma);
		if (ret)
			return ret;
	}
	r = &dma->runs[dma->nr_runs++];
	r->pfn = first;
	r->npages = n;
	r->pfnmap = true;
	dma->pfnmap = true;
	return n;
}

static int type1_map_one(struct type1_domain *d, dma_addr_t iova,
			 unsigned long pfn, size_t size, int prot)
{
	phys_addr_t paddr = PFN_PHYS(pfn);
	int ret;

	ret = iommu_map(d->domain, iova, paddr, size, prot | IOMMU_CACHE);
	if (!ret) {
		type1_count_pages(d->domain->pgsize_bitmap, iova, paddr, size);
		d->mapped_bytes += size;
		atomic64_add(size, &vfnet_stats.iommu_bytes);
	}
	return ret;
}

/* Every unmap goes through here, to keep the mapped-bytes counts. */
size_t vfnet_type1_unmap_one(struct type1_domain *d, dma_addr_t iova,
			     size_t size)
{
	size_t unmapped = iommu_unmap(d->domain, iova, size);

	d->mapped_bytes -= unmapped;
	atomic64_sub(unmapped, &vfnet_stats.iommu_bytes);
	return unmapped;
}

/* Map run @r at the end of what @dma has mapped, in every domain. */
static int type1_map_run(struct type1 *t, struct type1_dma *dma,
			 struct type1_run *r)
{
	dma_addr_t iova = dma->iova + dma->mapped;
	size_t size = r->npages << PAGE_SHIFT;
	struct type1_domain *d;
	int ret;

	list_for_each_entry(d, &t->domain_list, next) {
		ret = type1_map_one(d, iova, r->pfn, size, dma->prot);
		if (ret)
			goto err_unmap;
	}
	dma->mapped += size;
	return 0;

err_unmap:
	list_for_each_entry_continue_reverse(d, &t->domain_list, next)
		vfnet_type1_unmap_one(d, iova, size);
	return ret;
}

/**
 * vfnet_type1_dma_pin_map - pin and map a new mapping
 * @t: the container's state, locked
 * @dma: the mapping, with iova, vaddr, size, prot, lock_cap and mm set
 *
 * On failure nothing stays pinned, mapped or charged.
 */
int vfnet_type1_dma_pin_map(struct type1 *t, struct type1_dma *dma)
{
	unsigned long npages = dma->size >> PAGE_SHIFT, done = 0, mapped_runs = 0;
	unsigned int gup_flags = FOLL_LONGTERM;
	struct page **pages;
	long got;
	int ret;

	lockdep_assert_held(&t->lock);
	if (dma->prot & IOMMU_WRITE)
		gup_flags |= FOLL_WRITE;

	pages = kvmalloc_array(min(npages, TYPE1_PIN_BATCH), sizeof(*pages),
			       GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	while (done < npages) {
		unsigned long n = min(npages - done, TYPE1_PIN_BATCH);
		unsigned long vaddr = dma->vaddr + (done << PAGE_SHIFT);

		ret = type1_lock_acct(dma, n);
		if (ret)
			goto err_free;
		got = pin_user_pages_fast(vaddr, n, gup_flags, pages);
		/* keep the charge of what was pinned only */
		if (got < (long)n)
			type1_lock_acct(dma, -(long)(n - max(got, 0L)));
		if (got > 0) {
			dma->locked += got;
			atomic64_add(got, &vfnet_stats.locked);
			ret = type1_runs_add(dma, pages, got);
			if (ret)
				goto err_free;
		} else {
			ret = got ? got : -EFAULT;
			got = type1_pfnmap_run(dma, vaddr, npages - done);
			if (got < 0)
				ret = got;
			if (got <= 0)
				goto err_free;
		}
		done += got;
		/* Map every run that can no longer grow. */
		for (; mapped_runs + 1 < dma->nr_runs; mapped_runs++) {
			ret = type1_map_run(t, dma, &dma->runs[mapped_runs]);
			if (ret)
				goto err_free;
		}
		cond_resched();
	}
	ret = type1_map_run(t, dma, &dma->runs[mapped_runs]);
	if (ret)
		goto err_free;
	kvfree(pages);
	return 0;

err_free:
	kvfree(pages);
	vfnet_type1_dma_unmap_unpin(t, dma);
	return ret;
}

/* Unmap, unpin and uncharge whatever @dma holds (also a partial map). */
void vfnet_type1_dma_unmap_unpin(struct type1 *t, struct type1_dma *dma)
{
	bool dirty = dma->prot & IOMMU_WRITE;
	struct type1_domain *d;
	unsigned long i;
	size_t unmapped;

	if (dma->mapped) {
		list_for_each_entry(d, &t->domain_list, next) {
			unmapped = vfnet_type1_unmap_one(d, dma->iova, dma->mapped);
			WARN_ON(unmapped != dma->mapped);
		}
		dma->mapped = 0;
	}
	for (i = 0; i < dma->nr_runs; i++) {
		if (dma->runs[i].pfnmap)
			continue;	/* MMIO: never pinned */
		unpin_user_page_range_dirty_lock(pfn_to_page(dma->runs[i].pfn),
						 dma->runs[i].npages, dirty);
		atomic64_sub(dma->runs[i].npages, &vfnet_stats.pinned);
		if (!(i % 64))
			cond_resched();
	}
	kvfree(dma->runs);
	dma->runs = NULL;
	dma->nr_runs = 0;
	dma->max_runs = 0;
	type1_lock_acct(dma, -(long)dma->locked);
	atomic64_sub(dma->locked, &vfnet_stats.locked);
	dma->locked = 0;
}

/**
 * vfnet_type1_dma_replay - map an existing mapping into a new domain
 * @dma: a completely mapped mapping
 * @d: the new domain, not yet on the container's list
 *
 * On failure @d holds nothing of @dma.
 */
int vfnet_type1_dma_replay(struct type1_dma *dma, struct type1_domain *d)
{
	size_t off = 0, size;
	unsigned long i;
	int ret;

	for (i = 0; i < dma->nr_runs && off < dma->mapped; i++) {
		size = dma->runs[i].npages << PAGE_SHIFT;
		ret = type1_map_one(d, dma->iova + off, dma->runs[i].pfn, size,
				    dma->prot);
		if (ret) {
			if (off)
				vfnet_type1_unmap_one(d, dma->iova, off);
			return ret;
		}
		off += size;
	}
	return 0;
}
