// SPDX-License-Identifier: GPL-2.0-only
/*
 * type1: the container's IOVA space and VFIO_IOMMU_GET_INFO.
 *
 * The usable IOVA ranges are the intersection of every domain's aperture
 * minus every group's reserved regions (relaxable direct maps excepted, as
 * upstream does), rebuilt from scratch when a group comes or goes.
 * GET_INFO reports them in the IOVA-range capability, with the remaining
 * mapping count in the DMA-available capability, using VFIO's argsz
 * protocol: a caller whose buffer is too small for the chain gets
 * VFIO_IOMMU_INFO_CAPS and the size it needs.
 *
 * Follows the IOVA-list code of upstream drivers/vfio/vfio_iommu_type1.c
 * (Linux 6.1.y); the code is our own.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "type1.h"

void vfnet_type1_iova_free(struct list_head *list)
{
	struct type1_iova *n, *next;

	list_for_each_entry_safe(n, next, list, list) {
		list_del(&n->list);
		kfree(n);
	}
}

static int type1_iova_add(struct list_head *before, dma_addr_t start,
			  dma_addr_t end)
{
	struct type1_iova *n = kmalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);

	if (!n)
		return -ENOMEM;
	n->start = start;
	n->end = end;
	list_add_tail(&n->list, before);
	return 0;
}

/* Remove [start, end] from the sorted range list @list. */
static int type1_iova_exclude(struct list_head *list, dma_addr_t start,
			      dma_addr_t end)
{
	struct type1_iova *n, *next;
	int ret;

	list_for_each_entry_safe(n, next, list, list) {
		if (start > n->end || end < n->start)
			continue;
		if (start > n->start) {
			ret = type1_iova_add(&n->list, n->start, start - 1);
			if (ret)
				return ret;
		}
		if (end < n->end) {
			ret = type1_iova_add(&next->list, end + 1, n->end);
			if (ret)
				return ret;
		}
		list_del(&n->list);
		kfree(n);
	}
	return 0;
}

static int type1_iova_exclude_group(struct list_head *list,
				    struct iommu_group *iommu_group)
{
	struct iommu_resv_region *r, *next;
	LIST_HEAD(resv);
	int ret;

	ret = iommu_get_group_resv_regions(iommu_group, &resv);
	list_for_each_entry(r, &resv, list) {
		if (ret)
			break;
		/* Relaxable direct maps (e.g. USB RMRRs) may be reused. */
		if (r->type == IOMMU_RESV_DIRECT_RELAXABLE || !r->length)
			continue;
		ret = type1_iova_exclude(list, r->start,
					 r->start + r->length - 1);
	}
	list_for_each_entry_safe(r, next, &resv, list) {
		list_del(&r->list);
		kfree(r);
	}
	return ret;
}

static void type1_aperture_clip(struct type1_domain *d, dma_addr_t *start,
				dma_addr_t *end)
{
	*start = max(*start, d->domain->geometry.aperture_start);
	*end = min(*end, d->domain->geometry.aperture_end);
}

static int type1_iova_exclude_domain(struct list_head *list,
				     struct type1_domain *d)
{
	struct type1_group *g;
	int ret;

	list_for_each_entry(g, &d->group_list, next) {
		ret = type1_iova_exclude_group(list, g->iommu_group);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Compute the usable IOVA ranges of the container's domains plus @extra
 * (a new domain with one new group, or NULL) into @list.
 */
int vfnet_type1_iova_build(struct type1 *t, struct type1_domain *extra,
			    struct list_head *list)
{
	dma_addr_t start = 0, end = ~(dma_addr_t)0;
	struct type1_domain *d;
	int ret;

	list_for_each_entry(d, &t->domain_list, next)
		type1_aperture_clip(d, &start, &end);
	if (extra)
		type1_aperture_clip(extra, &start, &end);
	if (start > end)
		return -EINVAL;
	ret = type1_iova_add(list, start, end);
	list_for_each_entry(d, &t->domain_list, next) {
		if (ret)
			break;
		ret = type1_iova_exclude_domain(list, d);
	}
	if (!ret && extra)
		ret = type1_iova_exclude_domain(list, extra);
	if (!ret && list_empty(list))
		ret = -EINVAL;
	if (ret)
		vfnet_type1_iova_free(list);
	return ret;
}

bool vfnet_type1_iova_valid(struct list_head *list, dma_addr_t start,
			     dma_addr_t end)
{
	struct type1_iova *n;

	if (list_empty(list))
		return true;
	list_for_each_entry(n, list, list) {
		if (start >= n->start && end <= n->end)
			return true;
	}
	return false;
}

/* Every existing mapping must stay inside the ranges of @list. */
bool vfnet_type1_iova_conflict(struct type1 *t, struct list_head *list)
{
	struct rb_node *n;

	for (n = rb_first(&t->dma_list); n; n = rb_next(n)) {
		struct type1_dma *dma = rb_entry(n, struct type1_dma, node);

		if (!vfnet_type1_iova_valid(list, dma->iova,
				      dma->iova + dma->size - 1))
			return true;
	}
	return false;
}

/* Capability chain building, as VFIO's vfio_info_cap helpers do. */
struct type1_caps {
	void *buf;
	size_t size;
};

static void *type1_cap_add(struct type1_caps *caps, size_t size, u16 id,
			   u16 version)
{
	struct vfio_info_cap_header *header, *prev;
	size_t offset = caps->size;
	void *buf;

	/* Keep every capability 8-byte aligned. */
	size = ALIGN(size, sizeof(u64));
	buf = krealloc(caps->buf, caps->size + size, GFP_KERNEL | __GFP_ZERO);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	caps->buf = buf;
	header = buf + offset;
	memset(header, 0, size);
	header->id = id;
	header->version = version;
	/* Chain: the previous tail points at the new one. */
	for (prev = buf; offset && prev->next; prev = buf + prev->next)
		;
	if (offset)
		prev->next = offset;
	caps->size += size;
	return header;
}

/* Make every "next" an offset from the start of the info struct. */
static void type1_caps_shift(struct type1_caps *caps, size_t shift)
{
	struct vfio_info_cap_header *h;
	void *buf = caps->buf;

	for (h = buf; h->next; h = buf + h->next - shift)
		h->next += shift;
}

static int type1_build_caps(struct type1 *t, struct type1_caps *caps)
{
	struct vfio_iommu_type1_info_cap_iova_range *range;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct type1_iova *n;
	size_t size;
	u32 nr = 0, i = 0;

	avail = type1_cap_add(caps, sizeof(*avail),
			      VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1);
	if (IS_ERR(avail))
		return PTR_ERR(avail);
	avail->avail = t->dma_avail;

	list_for_each_entry(n, &t->iova_list, list)
		nr++;
	if (!nr)
		return 0;
	size = struct_size(range, iova_ranges, nr);
	range = type1_cap_add(caps, size, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
			      1);
	if (IS_ERR(range))
		return PTR_ERR(range);
	range->nr_iovas = nr;
	list_for_each_entry(n, &t->iova_list, list) {
		range->iova_ranges[i].start = n->start;
		range->iova_ranges[i].end = n->end;
		i++;
	}
	return 0;
}

long vfnet_type1_get_info(struct type1 *t, void __user *arg)
{
	struct vfio_iommu_type1_info info;
	struct type1_caps caps = { NULL, 0 };
	unsigned long minsz, capsz;
	int ret;

	/* cap_offset came later: old users pass a shorter struct. */
	capsz = offsetofend(struct vfio_iommu_type1_info, cap_offset);
	minsz = offsetofend(struct vfio_iommu_type1_info, iova_pgsizes);
	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (info.argsz >= capsz) {
		minsz = capsz;
		info.cap_offset = 0;
	}

	mutex_lock(&t->lock);
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = t->pgsize_bitmap;
	ret = type1_build_caps(t, &caps);
	mutex_unlock(&t->lock);
	if (ret)
		goto out;

	if (caps.size) {
		info.flags |= VFIO_IOMMU_INFO_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			/* Tell the user how much room the chain needs. */
			info.argsz = sizeof(info) + caps.size;
		} else {
			type1_caps_shift(&caps, sizeof(info));
			if (copy_to_user(arg + sizeof(info), caps.buf,
					 caps.size)) {
				ret = -EFAULT;
				goto out;
			}
			info.cap_offset = sizeof(info);
		}
	}
	if (copy_to_user(arg, &info, minsz))
		ret = -EFAULT;
out:
	kfree(caps.buf);
	return ret;
}
