// SPDX-License-Identifier: GPL-2.0-only
/*
 * The type1 IOMMU model (VFIO_TYPE1_IOMMU, VFIO_TYPE1v2_IOMMU).
 *
 * A container's groups share IOMMU domains where the IOMMU allows (same
 * IOMMU driver, same cache coherency enforcement); every mapping is
 * mapped into every domain.  The usable IOVA space is what all domains'
 * apertures allow minus every group's reserved regions (the MSI window
 * among them), recomputed whenever a group comes or goes; a group whose
 * reserved regions collide with existing mappings is refused.
 *
 * The ioctls follow upstream's argument checks and error codes exactly,
 * since VFIO users rely on them: argsz minimums, flag masks, alignment to
 * the smallest IOMMU page, -EEXIST on overlap, -ENOSPC past
 * dma_entry_limit, and v2's rule that an unmap may not split a mapping.
 * One deliberate difference from 6.1: a range whose IOVA or vaddr end
 * wraps is -EOVERFLOW, as current upstream and its selftests have it.
 *
 * Follows upstream drivers/vfio/vfio_iommu_type1.c (Linux 6.1.y), with
 * type1_dma.c and type1_iova.c; the code is our own.
 */
#define pr_fmt(fmt) "vfnet: " fmt

#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include "type1.h"
#include "vfnet_private.h"

static unsigned int dma_entry_limit __read_mostly = U16_MAX;
module_param_named(dma_entry_limit, dma_entry_limit, uint, 0644);
MODULE_PARM_DESC(dma_entry_limit,
		 "Maximum number of user DMA mappings per container (default: 65535)");

static bool allow_unsafe_interrupts;
module_param_named(allow_unsafe_interrupts, allow_unsafe_interrupts, bool,
		   0644);
MODULE_PARM_DESC(allow_unsafe_interrupts,
		 "Allow devices on platforms without interrupt remapping (MSI isolation) (default: N)");

static bool isolate_domains;
module_param_named(isolate_domains, isolate_domains, bool, 0644);
MODULE_PARM_DESC(isolate_domains,
		 "Give every group an IOMMU domain of its own instead of sharing one (diagnostic: exercises mapping replay) (default: N)");

/* Any mapping overlapping [start, start + size); size 0: containing start. */
static struct type1_dma *type1_find_dma(struct type1 *t, dma_addr_t start,
					size_t size)
{
	struct rb_node *node = t->dma_list.rb_node;

	while (node) {
		struct type1_dma *dma = rb_entry(node, struct type1_dma, node);

		if (start + size <= dma->iova)
			node = node->rb_left;
		else if (start >= dma->iova + dma->size)
			node = node->rb_right;
		else
			return dma;
	}
	return NULL;
}

/* The lowest mapping ending above @start. */
static struct rb_node *type1_find_first(struct type1 *t, dma_addr_t start)
{
	struct rb_node *node = t->dma_list.rb_node, *res = NULL;

	while (node) {
		struct type1_dma *dma = rb_entry(node, struct type1_dma, node);

		if (start < dma->iova + dma->size) {
			res = node;
			if (start >= dma->iova)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return res;
}

static void type1_link_dma(struct type1 *t, struct type1_dma *new)
{
	struct rb_node **link = &t->dma_list.rb_node, *parent = NULL;

	while (*link) {
		struct type1_dma *dma;

		parent = *link;
		dma = rb_entry(parent, struct type1_dma, node);
		if (new->iova + new->size <= dma->iova)
			link = &(*link)->rb_left;
		else
			link = &(*link)->rb_right;
	}
	rb_link_node(&new->node, parent, link);
	rb_insert_color(&new->node, &t->dma_list);
	atomic64_inc(&vfnet_stats.dma);
}

static void type1_remove_dma(struct type1 *t, struct type1_dma *dma)
{
	vfnet_type1_dma_unmap_unpin(t, dma);
	rb_erase(&dma->node, &t->dma_list);
	atomic64_dec(&vfnet_stats.dma);
	mmdrop(dma->mm);
	kfree(dma);
	t->dma_avail++;
}

static void type1_update_pgsize_bitmap(struct type1 *t)
{
	struct type1_domain *d;

	t->pgsize_bitmap = ULONG_MAX;
	list_for_each_entry(d, &t->domain_list, next)
		t->pgsize_bitmap &= d->domain->pgsize_bitmap;
	/* Sub-page IOMMU pages: we still pin and map whole CPU pages. */
	if (t->pgsize_bitmap & ~PAGE_MASK) {
		t->pgsize_bitmap &= PAGE_MASK;
		t->pgsize_bitmap |= PAGE_SIZE;
	}
}

/*
 * Every type1 container, for type1_revoke_pfns(); type1_all_lock nests
 * outside each t->lock and inside container->group_lock.
 */
static DEFINE_MUTEX(type1_all_lock);
static LIST_HEAD(type1_all);

static bool type1_dma_hits_pfns(struct type1_dma *dma, unsigned long pfn,
				unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < dma->nr_runs; i++) {
		struct type1_run *r = &dma->runs[i];

		if (r->pfnmap && r->pfn < pfn + npages && pfn < r->pfn + r->npages)
			return true;
	}
	return false;
}

/**
 * vfnet_iommu_revoke_pfns - a device's MMIO goes away from its user
 * @pfn: first PFN of a BAR
 * @npages: its size in pages
 *
 * Called by a bus driver when the last device fd of a device closes:
 * every mapping, in any container, with a run inside [@pfn, @pfn +
 * @npages) is removed as if unmapped, so no IOMMU entry can reach the
 * BAR once the device may belong to someone else.  Mappings of the BAR
 * outlive a munmap() of it (the device is still this user's, as upstream
 * keeps them), never the device fd.
 */
void vfnet_iommu_revoke_pfns(unsigned long pfn, unsigned long npages)
{
	struct type1_dma *dma;
	struct rb_node *n;
	struct type1 *t;

	mutex_lock(&type1_all_lock);
	list_for_each_entry(t, &type1_all, all_next) {
		mutex_lock(&t->lock);
		n = rb_first(&t->dma_list);
		while (n) {
			dma = rb_entry(n, struct type1_dma, node);
			n = rb_next(n);
			if (dma->pfnmap && type1_dma_hits_pfns(dma, pfn, npages))
				type1_remove_dma(t, dma);
		}
		mutex_unlock(&t->lock);
	}
	mutex_unlock(&type1_all_lock);
}

/* Backend ops */

static void *vfnet_type1_open(unsigned long arg)
{
	struct type1 *t;

	if (arg != VFIO_TYPE1_IOMMU && arg != VFIO_TYPE1v2_IOMMU)
		return ERR_PTR(-EINVAL);
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
	mutex_init(&t->lock);
	INIT_LIST_HEAD(&t->domain_list);
	INIT_LIST_HEAD(&t->iova_list);
	t->dma_list = RB_ROOT;
	t->dma_avail = dma_entry_limit;
	t->v2 = arg == VFIO_TYPE1v2_IOMMU;
	t->pgsize_bitmap = PAGE_MASK;
	mutex_lock(&type1_all_lock);
	list_add(&t->all_next, &type1_all);
	mutex_unlock(&type1_all_lock);
	return t;
}

static void type1_remove_all(struct type1 *t)
{
	struct rb_node *n;

	while ((n = rb_first(&t->dma_list))) {
		type1_remove_dma(t, rb_entry(n, struct type1_dma, node));
		cond_resched();
	}
}

static void vfnet_type1_release(void *data)
{
	struct type1 *t = data;
	struct type1_domain *d, *dn;
	struct type1_group *g, *gn;

	mutex_lock(&type1_all_lock);
	list_del(&t->all_next);
	mutex_unlock(&type1_all_lock);

	mutex_lock(&t->lock);
	type1_remove_all(t);
	list_for_each_entry_safe(d, dn, &t->domain_list, next) {
		list_for_each_entry_safe(g, gn, &d->group_list, next) {
			iommu_detach_group(d->domain, g->iommu_group);
			list_del(&g->next);
			kfree(g);
		}
		iommu_domain_free(d->domain);
		list_del(&d->next);
		kfree(d);
	}
	vfnet_type1_iova_free(&t->iova_list);
	mutex_unlock(&t->lock);
	mutex_destroy(&t->lock);
	kfree(t);
}

static int type1_dev_bus(struct device *dev, void *data)
{
	*(const struct bus_type **)data = dev->bus;
	return 1;
}

static int type1_dev_no_intr_remap(struct device *dev, void *data)
{
	return !device_iommu_capable(dev, IOMMU_CAP_INTR_REMAP);
}

static struct type1_group *type1_find_group(struct type1 *t,
					    struct iommu_group *iommu_group,
					    struct type1_domain **domain)
{
	struct type1_domain *d;
	struct type1_group *g;

	list_for_each_entry(d, &t->domain_list, next) {
		list_for_each_entry(g, &d->group_list, next) {
			if (g->iommu_group == iommu_group) {
				if (domain)
					*domain = d;
				return g;
			}
		}
	}
	return NULL;
}

/*
 * Move @g from its own new domain @nd into an existing compatible one.
 * Returns 1 when moved, 0 when @g stays in @nd, or an error when @g could
 * be attached to neither (it is then in no domain).
 */
static int type1_try_share_domain(struct type1 *t, struct type1_domain *nd,
				  struct type1_group *g)
{
	struct type1_domain *d;
	int ret;

	if (isolate_domains)
		return 0;
	list_for_each_entry(d, &t->domain_list, next) {
		if (d->domain->ops != nd->domain->ops ||
		    d->enforce_cache_coherency != nd->enforce_cache_coherency)
			continue;
		iommu_detach_group(nd->domain, g->iommu_group);
		if (!iommu_attach_group(d->domain, g->iommu_group)) {
			list_move(&g->next, &d->group_list);
			return 1;
		}
		ret = iommu_attach_group(nd->domain, g->iommu_group);
		if (ret)
			return ret;
	}
	return 0;
}

static int vfnet_type1_attach_group(void *data, struct iommu_group *iommu_group,
				    enum vfnet_group_type type)
{
	struct type1 *t = data;
	const struct bus_type *bus = NULL;
	struct type1_domain *nd;
	struct type1_group *g;
	struct rb_node *n;
	LIST_HEAD(iova);
	int ret;

	if (type != VFNET_GROUP_IOMMU)
		return -EINVAL;

	mutex_lock(&t->lock);
	if (type1_find_group(t, iommu_group, NULL)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = -ENOMEM;
	g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);
	nd = kzalloc(sizeof(*nd), GFP_KERNEL_ACCOUNT);
	if (!g || !nd)
		goto out_free;
	g->iommu_group = iommu_group;
	INIT_LIST_HEAD(&nd->group_list);

	iommu_group_for_each_dev(iommu_group, &bus, type1_dev_bus);
	ret = -EIO;
	if (!bus)
		goto out_free;
	nd->domain = iommu_domain_alloc((struct bus_type *)bus);
	if (!nd->domain)
		goto out_free;
	ret = iommu_attach_group(nd->domain, iommu_group);
	if (ret)
		goto out_domain;
	list_add(&g->next, &nd->group_list);

	ret = vfnet_type1_iova_build(t, nd, &iova);
	if (ret)
		goto out_detach;
	if (vfnet_type1_iova_conflict(t, &iova)) {
		ret = -EINVAL;
		goto out_iova;
	}

	if (!allow_unsafe_interrupts && !irq_domain_check_msi_remap() &&
	    iommu_group_for_each_dev(iommu_group, NULL,
				     type1_dev_no_intr_remap)) {
		pr_warn("no interrupt remapping support; use the module parameter allow_unsafe_interrupts to enable VFIO IOMMU support on this platform\n");
		ret = -EPERM;
		goto out_iova;
	}

	if (nd->domain->ops->enforce_cache_coherency)
		nd->enforce_cache_coherency =
			nd->domain->ops->enforce_cache_coherency(nd->domain);

	ret = type1_try_share_domain(t, nd, g);
	if (ret == 1) {
		iommu_domain_free(nd->domain);
		kfree(nd);
		goto done;
	}
	if (ret < 0) {
		vfnet_type1_iova_free(&iova);
		goto out_domain;
	}

	/* A domain of its own: give it every existing mapping. */
	for (n = rb_first(&t->dma_list); n; n = rb_next(n)) {
		ret = vfnet_type1_dma_replay(rb_entry(n, struct type1_dma, node), nd);
		if (ret) {
			struct rb_node *p;

			for (p = rb_first(&t->dma_list); p != n; p = rb_next(p)) {
				struct type1_dma *dma =
					rb_entry(p, struct type1_dma, node);

				vfnet_type1_unmap_one(nd, dma->iova, dma->mapped);
			}
			goto out_iova;
		}
	}
	list_add(&nd->next, &t->domain_list);
	type1_update_pgsize_bitmap(t);
done:
	vfnet_type1_iova_free(&t->iova_list);
	list_splice(&iova, &t->iova_list);
	mutex_unlock(&t->lock);
	return 0;

out_iova:
	vfnet_type1_iova_free(&iova);
out_detach:
	iommu_detach_group(nd->domain, iommu_group);
out_domain:
	iommu_domain_free(nd->domain);
out_free:
	kfree(nd);
	kfree(g);
out_unlock:
	mutex_unlock(&t->lock);
	return ret;
}

static void vfnet_type1_detach_group(void *data,
				     struct iommu_group *iommu_group)
{
	struct type1 *t = data;
	struct type1_domain *d;
	struct type1_group *g;
	LIST_HEAD(iova);

	mutex_lock(&t->lock);
	g = type1_find_group(t, iommu_group, &d);
	if (WARN_ON(!g))
		goto out_unlock;
	iommu_detach_group(d->domain, iommu_group);
	list_del(&g->next);
	kfree(g);
	if (list_empty(&d->group_list)) {
		/* The last domain going takes every mapping with it. */
		if (list_is_singular(&t->domain_list))
			type1_remove_all(t);
		/* Others keep theirs; this domain's go with its page tables. */
		atomic64_sub(d->mapped_bytes, &vfnet_stats.iommu_bytes);
		list_del(&d->next);
		iommu_domain_free(d->domain);
		kfree(d);
		type1_update_pgsize_bitmap(t);
	}
	/* Fewer groups: the IOVA space can only grow. */
	if (!list_empty(&t->domain_list) && !vfnet_type1_iova_build(t, NULL, &iova)) {
		vfnet_type1_iova_free(&t->iova_list);
		list_splice(&iova, &t->iova_list);
	}
out_unlock:
	mutex_unlock(&t->lock);
}

/* ioctls */

static int type1_check_extension(struct type1 *t, unsigned long arg)
{
	struct type1_domain *d;
	int ret;

	switch (arg) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_DMA_CC_IOMMU:
		if (!t)
			return 0;
		mutex_lock(&t->lock);
		ret = 1;
		list_for_each_entry(d, &t->domain_list, next)
			if (!d->enforce_cache_coherency)
				ret = 0;
		mutex_unlock(&t->lock);
		return ret;
	default:
		return 0;
	}
}

static long type1_map_dma(struct type1 *t, void __user *arg)
{
	u32 mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	struct vfio_iommu_type1_dma_map map;
	unsigned long minsz;
	struct type1_dma *dma;
	size_t pgsize;
	int prot = 0;
	int ret;

	minsz = offsetofend(struct vfio_iommu_type1_dma_map, size);
	if (copy_from_user(&map, arg, minsz))
		return -EFAULT;
	if (map.argsz < minsz || map.flags & ~mask)
		return -EINVAL;
	/* READ/WRITE from the device's point of view. */
	if (map.flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOMMU_READ;
	if (map.flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOMMU_WRITE;
	if (!prot)
		return -EINVAL;
	if (map.size != (size_t)map.size || map.vaddr != (unsigned long)map.vaddr ||
	    map.iova != (dma_addr_t)map.iova)
		return -EINVAL;

	mutex_lock(&t->lock);
	pgsize = (size_t)1 << __ffs(t->pgsize_bitmap);
	ret = -EINVAL;
	if (!map.size || (map.size | map.iova | map.vaddr) & (pgsize - 1))
		goto out_unlock;
	/*
	 * No wrap-around of IOVA or virtual address: -EOVERFLOW, as current
	 * upstream and its selftests (6.1 said -EINVAL; doc/kernel.md).
	 */
	if (map.iova + map.size - 1 < map.iova ||
	    map.vaddr + map.size - 1 < map.vaddr) {
		ret = -EOVERFLOW;
		goto out_unlock;
	}
	if (type1_find_dma(t, map.iova, map.size)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	if (!t->dma_avail) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	if (!vfnet_type1_iova_valid(&t->iova_list, map.iova,
			      map.iova + map.size - 1))
		goto out_unlock;

	ret = -ENOMEM;
	dma = kzalloc(sizeof(*dma), GFP_KERNEL_ACCOUNT);
	if (!dma)
		goto out_unlock;
	dma->iova = map.iova;
	dma->vaddr = map.vaddr;
	dma->size = map.size;
	dma->prot = prot;
	dma->lock_cap = capable(CAP_IPC_LOCK);
	dma->pid = task_tgid_nr(current);
	dma->mm = current->mm;
	mmgrab(dma->mm);

	ret = vfnet_type1_dma_pin_map(t, dma);
	if (ret) {
		mmdrop(dma->mm);
		kfree(dma);
		goto out_unlock;
	}
	type1_link_dma(t, dma);
	t->dma_avail--;
out_unlock:
	mutex_unlock(&t->lock);
	return ret;
}

static int type1_do_unmap(struct type1 *t, struct vfio_iommu_type1_dma_unmap *unmap)
{
	bool unmap_all = unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL;
	dma_addr_t iova = unmap->iova;
	u64 size = unmap->size, unmapped = 0;
	struct type1_dma *dma;
	struct rb_node *n;
	size_t pgsize;
	int ret = -EINVAL;

	mutex_lock(&t->lock);
	pgsize = (size_t)1 << __ffs(t->pgsize_bitmap);
	if (iova & (pgsize - 1))
		goto out_unlock;
	if (unmap_all) {
		if (iova || size)
			goto out_unlock;
		size = U64_MAX;
	} else if (!size || size & (pgsize - 1) || size > SIZE_MAX) {
		goto out_unlock;
	} else if (iova + size - 1 < iova) {
		ret = -EOVERFLOW;	/* as current upstream */
		goto out_unlock;
	}

	/*
	 * v2: an unmap must cover whole mappings; it may span several, but
	 * must not cut one.  Success with size 0 means nothing was there.
	 */
	if (t->v2 && !unmap_all) {
		dma = type1_find_dma(t, iova, 1);
		if (dma && dma->iova != iova)
			goto out_unlock;
		dma = type1_find_dma(t, iova + size - 1, 0);
		if (dma && dma->iova + dma->size != iova + size)
			goto out_unlock;
	}

	ret = 0;
	n = type1_find_first(t, iova);
	while (n) {
		dma = rb_entry(n, struct type1_dma, node);
		if (dma->iova > iova + size - 1)
			break;
		/* v1: only mappings starting inside the range go. */
		if (!t->v2 && iova > dma->iova)
			break;
		/* Only the address space that mapped it may unmap it. */
		if (dma->mm != current->mm)
			break;
		unmapped += dma->size;
		n = rb_next(n);
		type1_remove_dma(t, dma);
	}
out_unlock:
	mutex_unlock(&t->lock);
	unmap->size = unmapped;
	return ret;
}

static long type1_unmap_dma(struct type1 *t, void __user *arg)
{
	u32 mask = VFIO_DMA_UNMAP_FLAG_ALL;
	struct vfio_iommu_type1_dma_unmap unmap;
	unsigned long minsz;
	int ret;

	minsz = offsetofend(struct vfio_iommu_type1_dma_unmap, size);
	if (copy_from_user(&unmap, arg, minsz))
		return -EFAULT;
	if (unmap.argsz < minsz || unmap.flags & ~mask)
		return -EINVAL;
	ret = type1_do_unmap(t, &unmap);
	if (ret)
		return ret;
	return copy_to_user(arg, &unmap, minsz) ? -EFAULT : 0;
}

static long vfnet_type1_ioctl(void *data, unsigned int cmd, unsigned long arg)
{
	struct type1 *t = data;
	void __user *uarg = (void __user *)arg;

	if (cmd == VFIO_CHECK_EXTENSION)
		return type1_check_extension(t, arg);
	if (!t)
		return -EINVAL;
	switch (cmd) {
	case VFIO_IOMMU_GET_INFO:
		return vfnet_type1_get_info(t, uarg);
	case VFIO_IOMMU_MAP_DMA:
		return type1_map_dma(t, uarg);
	case VFIO_IOMMU_UNMAP_DMA:
		return type1_unmap_dma(t, uarg);
	default:
		return -ENOTTY;
	}
}

const struct vfnet_iommu_backend vfnet_type1_backend = {
	.name = "vfnet-type1",
	.open = vfnet_type1_open,
	.release = vfnet_type1_release,
	.ioctl = vfnet_type1_ioctl,
	.attach_group = vfnet_type1_attach_group,
	.detach_group = vfnet_type1_detach_group,
	.debug_show = vfnet_type1_debug_show,
};

int vfnet_type1_init(void)
{
	vfnet_type1_stats_init();
	return 0;
}

void vfnet_type1_exit(void)
{
	vfnet_type1_stats_exit();
}
