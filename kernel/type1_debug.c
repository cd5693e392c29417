// SPDX-License-Identifier: GPL-2.0-only
/*
 * type1: what a container's debugfs files show (debugfs.c calls
 * vfnet_type1_debug_show() with the container's group_lock read-held).
 *
 * info: the model, the mapping count and room left, pages pinned and
 * charged to locked_vm, and each IOMMU domain with its groups and the
 * bytes mapped in it.  dma: one line per mapping, in IOVA order.  Both
 * are read under t->lock, so they are a consistent snapshot; a reader
 * holds up MAP_DMA/UNMAP_DMA of that container for as long as it prints.
 */
#include <linux/sizes.h>
#include <linux/iommu.h>
#include <linux/seq_file.h>

#include "type1.h"
#include "vfnet_private.h"

/* Runs at least this long may map as 2 MiB IOMMU pages. */
#define TYPE1_HUGE_RUN_PAGES (SZ_2M >> PAGE_SHIFT)

struct type1_dma_counts {
	unsigned long pinned;
	unsigned long huge_runs;
};

static void type1_dma_count(struct type1_dma *dma, struct type1_dma_counts *c)
{
	unsigned long i;

	c->pinned = 0;
	c->huge_runs = 0;
	for (i = 0; i < dma->nr_runs; i++) {
		c->pinned += dma->runs[i].npages;
		if (dma->runs[i].npages >= TYPE1_HUGE_RUN_PAGES)
			c->huge_runs++;
	}
}

static void type1_show_summary(struct type1 *t, struct seq_file *s)
{
	unsigned long n = 0, pinned = 0, locked = 0;
	struct type1_dma_counts c;
	struct type1_domain *d;
	struct type1_group *g;
	struct rb_node *node;
	unsigned int i = 0;

	for (node = rb_first(&t->dma_list); node; node = rb_next(node)) {
		struct type1_dma *dma = rb_entry(node, struct type1_dma, node);

		type1_dma_count(dma, &c);
		pinned += c.pinned;
		locked += dma->locked;
		n++;
	}
	seq_printf(s, "v2 %d\ndma_mappings %lu\ndma_avail %u\n", t->v2, n,
		   t->dma_avail);
	seq_printf(s, "pinned_pages %lu\nlocked_pages %lu\npgsize_bitmap 0x%lx\n",
		   pinned, locked, t->pgsize_bitmap);
	list_for_each_entry(d, &t->domain_list, next) {
		seq_printf(s, "domain %u mappings %lu mapped_bytes %llu coherent %d groups",
			   i++, n, d->mapped_bytes, d->enforce_cache_coherency);
		list_for_each_entry(g, &d->group_list, next)
			seq_printf(s, " %d", iommu_group_id(g->iommu_group));
		seq_putc(s, '\n');
	}
}

static void type1_show_mappings(struct type1 *t, struct seq_file *s)
{
	struct type1_dma_counts c;
	struct rb_node *node;

	seq_puts(s, "# iova size vaddr prot pinned_pages runs huge_runs locked_pages pid\n");
	for (node = rb_first(&t->dma_list); node; node = rb_next(node)) {
		struct type1_dma *dma = rb_entry(node, struct type1_dma, node);

		type1_dma_count(dma, &c);
		seq_printf(s, "0x%llx 0x%zx 0x%lx %c%c %lu %lu %lu %lu %d\n",
			   (u64)dma->iova, dma->size, dma->vaddr,
			   dma->prot & IOMMU_READ ? 'r' : '-',
			   dma->prot & IOMMU_WRITE ? 'w' : '-',
			   c.pinned, dma->nr_runs, c.huge_runs, dma->locked,
			   dma->pid);
	}
}

void vfnet_type1_debug_show(void *data, struct seq_file *s, bool mappings)
{
	struct type1 *t = data;

	mutex_lock(&t->lock);
	if (mappings)
		type1_show_mappings(t, s);
	else
		type1_show_summary(t, s);
	mutex_unlock(&t->lock);
}
