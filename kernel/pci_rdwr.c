// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: BAR and ROM read/write, BAR mmap.
 *
 * Reads and writes go through a kernel mapping of the BAR, in naturally
 * aligned 4/2/1-byte accesses, and only while memory decode is on (the
 * user may have turned it off through the command register; a read then
 * is -EIO rather than a machine check).  The MSI-X table belongs to the
 * kernel: reads of it return all-ones, writes are dropped.
 *
 * mmap is lazy: the whole VMA is populated on its first fault, and every
 * populated VMA is on vma_list so that disabling memory decode, a reset or
 * a D3 transition can zap them all first; a later fault while memory is
 * off gets SIGBUS.  The lock dance in vfnet_zap_and_vma_lock() keeps the
 * mmap_lock -> vma_lock -> memory_lock order that the fault path imposes.
 *
 * Follows upstream drivers/vfio/pci/vfio_pci_rdwr.c and the mmap, fault
 * and zap parts of vfio_pci_core.c (Linux 6.1.y); the code is our own.
 */
#include <linux/pci.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/io.h>

#include "pci_private.h"

struct vfnet_mmap_vma {
	struct vm_area_struct *vma;
	struct list_head next;
};

bool vfnet_memory_enabled(struct vfnet_pci_device *pv)
{
	u16 cmd = le16_to_cpu(*(__le16 *)&pv->vconfig[PCI_COMMAND]);

	if (vfnet_pm_depth(pv->pdev->current_state) >= vfnet_pm_depth(PCI_D3hot))
		return false;
	return pv->pdev->no_command_memory || (cmd & PCI_COMMAND_MEMORY);
}

/* Which memory BARs may be mmapped: page-sized or larger ones */
void vfnet_pci_probe_mmaps(struct vfnet_pci_device *pv)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *res = &pv->pdev->resource[bar];

		pv->bar_mmap_supported[bar] = (res->flags & IORESOURCE_MEM) &&
					      resource_size(res) >= PAGE_SIZE;
	}
}

static int vfnet_setup_barmap(struct vfnet_pci_device *pv, int bar)
{
	struct pci_dev *pdev = pv->pdev;
	void __iomem *io;
	int ret;

	if (pv->barmap[bar])
		return 0;

	ret = pci_request_selected_regions(pdev, 1 << bar,
					   vfnet_compat_mode() ? "vfio" : "vfnet");
	if (ret)
		return ret;

	io = pci_iomap(pdev, bar, 0);
	if (!io) {
		pci_release_selected_regions(pdev, 1 << bar);
		return -ENOMEM;
	}
	pv->barmap[bar] = io;
	return 0;
}

void vfnet_pci_bars_release(struct vfnet_pci_device *pv)
{
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!pv->barmap[bar])
			continue;
		pci_iounmap(pv->pdev, pv->barmap[bar]);
		pci_release_selected_regions(pv->pdev, 1 << bar);
		pv->barmap[bar] = NULL;
	}
}

/* One access of 1, 2 or 4 bytes, with memory decode checked for MMIO */
static int vfnet_io_one(struct vfnet_pci_device *pv, bool test_mem,
			void __iomem *io, char __user *buf, size_t n,
			bool iswrite)
{
	u32 val = 0;
	int ret = 0;

	if (iswrite && copy_from_user(&val, buf, n))
		return -EFAULT;

	if (test_mem) {
		down_read(&pv->memory_lock);
		if (!vfnet_memory_enabled(pv)) {
			up_read(&pv->memory_lock);
			return -EIO;
		}
	}

	if (iswrite) {
		if (n == 4)
			iowrite32(le32_to_cpu((__force __le32)val), io);
		else if (n == 2)
			iowrite16(le16_to_cpu((__force __le16)(u16)val), io);
		else
			iowrite8(val, io);
	} else {
		if (n == 4)
			val = (__force u32)cpu_to_le32(ioread32(io));
		else if (n == 2)
			val = (__force u16)cpu_to_le16(ioread16(io));
		else
			val = ioread8(io);
	}

	if (test_mem)
		up_read(&pv->memory_lock);

	if (!iswrite && copy_to_user(buf, &val, n))
		ret = -EFAULT;
	return ret;
}

/*
 * Copy @count bytes at @off of @io, skipping [x_start, x_end): reads of
 * the excluded range return 0xff, writes to it are dropped.
 */
static ssize_t vfnet_do_io_rw(struct vfnet_pci_device *pv, bool test_mem,
			      void __iomem *io, char __user *buf, loff_t off,
			      size_t count, size_t x_start, size_t x_end,
			      bool iswrite)
{
	ssize_t done = 0;
	int ret;

	while (count) {
		size_t fillable, filled;

		if (off < x_start)
			fillable = min(count, (size_t)(x_start - off));
		else if (off >= x_end)
			fillable = count;
		else
			fillable = 0;

		if (fillable >= 4 && !(off % 4))
			filled = 4;
		else if (fillable >= 2 && !(off % 2))
			filled = 2;
		else if (fillable)
			filled = 1;
		else
			filled = 0;

		if (filled) {
			ret = vfnet_io_one(pv, test_mem, io + off, buf, filled,
					   iswrite);
			if (ret)
				return ret;
		} else {
			size_t i;

			filled = min(count, (size_t)(x_end - off));
			if (!iswrite) {
				for (i = 0; i < filled; i++)
					if (put_user((u8)0xff, buf + i))
						return -EFAULT;
			}
		}

		count -= filled;
		done += filled;
		off += filled;
		buf += filled;
	}
	return done;
}

ssize_t vfnet_bar_rw(struct vfnet_pci_device *pv, char __user *buf,
		     size_t count, loff_t *ppos, bool iswrite)
{
	struct pci_dev *pdev = pv->pdev;
	loff_t pos = *ppos & VFNET_PCI_OFFSET_MASK;
	int bar = VFNET_PCI_OFFSET_TO_INDEX(*ppos);
	struct resource *res = &pdev->resource[bar];
	size_t x_start = 0, x_end = 0;
	resource_size_t end;
	void __iomem *io;
	ssize_t done;

	if (pci_resource_start(pdev, bar))
		end = pci_resource_len(pdev, bar);
	else if (bar == PCI_ROM_RESOURCE &&
		 res->flags & IORESOURCE_ROM_SHADOW)
		end = 0x20000;
	else
		return -EINVAL;

	if (pos >= end)
		return -EINVAL;

	count = min(count, (size_t)(end - pos));

	if (bar == PCI_ROM_RESOURCE) {
		/*
		 * The ROM may fill less than its BAR: read the rest as
		 * 0xff without touching the device.
		 */
		io = pci_map_rom(pdev, &x_start);
		if (!io)
			return -ENOMEM;
		x_end = end;
	} else {
		int ret = vfnet_setup_barmap(pv, bar);

		if (ret)
			return ret;
		io = pv->barmap[bar];
	}

	if (bar == pv->msix_bar) {
		x_start = pv->msix_offset;
		x_end = pv->msix_offset + pv->msix_size;
	}

	done = vfnet_do_io_rw(pv, res->flags & IORESOURCE_MEM, io, buf, pos,
			      count, x_start, x_end, iswrite);
	if (done >= 0)
		*ppos += done;

	if (bar == PCI_ROM_RESOURCE)
		pci_unmap_rom(pdev, io);
	return done;
}

/*
 * Zap every populated BAR mapping and return with vma_lock held and
 * vma_list empty (or, with @try, return 0 if a lock was contended).
 * vma_lock nests inside mmap_lock, so to zap a VMA we look up its mm
 * under vma_lock, drop vma_lock, take that mm's mmap_lock, and retake
 * vma_lock.
 */
static int vfnet_zap_and_vma_lock(struct vfnet_pci_device *pv, bool try)
{
	struct vfnet_mmap_vma *mv, *tmp;

	for (;;) {
		struct mm_struct *mm = NULL;

		if (try) {
			if (!mutex_trylock(&pv->vma_lock))
				return 0;
		} else {
			mutex_lock(&pv->vma_lock);
		}

		while (!list_empty(&pv->vma_list)) {
			mv = list_first_entry(&pv->vma_list,
					      struct vfnet_mmap_vma, next);
			mm = mv->vma->vm_mm;
			if (mmget_not_zero(mm))
				break;
			/* the mm is going away with its mappings */
			list_del(&mv->next);
			kfree(mv);
			mm = NULL;
		}
		if (!mm)
			return 1;
		mutex_unlock(&pv->vma_lock);

		if (try) {
			if (!mmap_read_trylock(mm)) {
				mmput(mm);
				return 0;
			}
			if (!mutex_trylock(&pv->vma_lock)) {
				mmap_read_unlock(mm);
				mmput(mm);
				return 0;
			}
		} else {
			mmap_read_lock(mm);
			mutex_lock(&pv->vma_lock);
		}

		list_for_each_entry_safe(mv, tmp, &pv->vma_list, next) {
			struct vm_area_struct *vma = mv->vma;

			if (vma->vm_mm != mm)
				continue;
			list_del(&mv->next);
			kfree(mv);
			zap_vma_ptes(vma, vma->vm_start,
				     vma->vm_end - vma->vm_start);
		}
		mutex_unlock(&pv->vma_lock);
		mmap_read_unlock(mm);
		mmput(mm);
	}
}

/* For hot reset: zap and take vma_lock, or fail on contention */
bool vfnet_zap_and_vma_trylock(struct vfnet_pci_device *pv)
{
	return vfnet_zap_and_vma_lock(pv, true);
}

void vfnet_zap_and_down_write_memory_lock(struct vfnet_pci_device *pv)
{
	vfnet_zap_and_vma_lock(pv, false);
	down_write(&pv->memory_lock);
	mutex_unlock(&pv->vma_lock);
}

/* Take memory_lock for writing with memory decode forced on */
u16 vfnet_memory_lock_and_enable(struct vfnet_pci_device *pv)
{
	u16 cmd;

	down_write(&pv->memory_lock);
	pci_read_config_word(pv->pdev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(pv->pdev, PCI_COMMAND,
				      cmd | PCI_COMMAND_MEMORY);
	return cmd;
}

void vfnet_memory_unlock_and_restore(struct vfnet_pci_device *pv, u16 cmd)
{
	pci_write_config_word(pv->pdev, PCI_COMMAND, cmd);
	up_write(&pv->memory_lock);
}

static void vfnet_mmap_open(struct vm_area_struct *vma)
{
	/*
	 * A copy (fork) or split of a populated VMA: it is not on our
	 * list, so unpopulate it and let its own fault track it.
	 */
	zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
}

static void vfnet_mmap_close(struct vm_area_struct *vma)
{
	struct vfnet_pci_device *pv = vma->vm_private_data;
	struct vfnet_mmap_vma *mv;

	mutex_lock(&pv->vma_lock);
	list_for_each_entry(mv, &pv->vma_list, next) {
		if (mv->vma == vma) {
			list_del(&mv->next);
			kfree(mv);
			break;
		}
	}
	mutex_unlock(&pv->vma_lock);
}

static vm_fault_t vfnet_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfnet_pci_device *pv = vma->vm_private_data;
	struct vfnet_mmap_vma *mv;
	vm_fault_t ret = VM_FAULT_NOPAGE;

	mutex_lock(&pv->vma_lock);
	down_read(&pv->memory_lock);

	if (!vfnet_memory_enabled(pv)) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}

	/* populated already (a concurrent fault on the same VMA)? */
	list_for_each_entry(mv, &pv->vma_list, next)
		if (mv->vma == vma)
			goto out;

	mv = kmalloc(sizeof(*mv), GFP_KERNEL_ACCOUNT);
	if (!mv) {
		ret = VM_FAULT_OOM;
		goto out;
	}

	if (io_remap_pfn_range(vma, vma->vm_start, vma->vm_pgoff,
			       vma->vm_end - vma->vm_start,
			       vma->vm_page_prot)) {
		kfree(mv);
		zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	mv->vma = vma;
	list_add(&mv->next, &pv->vma_list);
out:
	up_read(&pv->memory_lock);
	mutex_unlock(&pv->vma_lock);
	return ret;
}

static const struct vm_operations_struct vfnet_pci_mmap_ops = {
	.open = vfnet_mmap_open,
	.close = vfnet_mmap_close,
	.fault = vfnet_mmap_fault,
};

int vfnet_pci_mmap(struct vfnet_device *vdev, struct vm_area_struct *vma)
{
	struct vfnet_pci_device *pv = to_pci_vdev(vdev);
	struct pci_dev *pdev = pv->pdev;
	u64 phys_len, req_len, pgoff, req_start;
	unsigned int index;
	int ret;

	index = vma->vm_pgoff >> (VFNET_PCI_OFFSET_SHIFT - PAGE_SHIFT);

	if (index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	if (vma->vm_end < vma->vm_start)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (index >= VFIO_PCI_ROM_REGION_INDEX)
		return -EINVAL;
	if (!pv->bar_mmap_supported[index])
		return -EINVAL;

	phys_len = PAGE_ALIGN(pci_resource_len(pdev, index));
	req_len = vma->vm_end - vma->vm_start;
	pgoff = vma->vm_pgoff &
		((1U << (VFNET_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1);
	req_start = pgoff << PAGE_SHIFT;

	if (req_start + req_len > phys_len)
		return -EINVAL;

	/* the MSI-X table is the kernel's unless interrupts are remapped */
	if (vfnet_pci_mmap_hits_msix(pv, index, req_start, req_len))
		return -EINVAL;

	/* claim the region; barmap tracks that we did */
	ret = vfnet_setup_barmap(pv, index);
	if (ret)
		return ret;

	vma->vm_private_data = pv;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_pgoff = (pci_resource_start(pdev, index) >> PAGE_SHIFT) + pgoff;

	/* io_remap_pfn_range() wants these, and a fault can't set them */
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &vfnet_pci_mmap_ops;
	return 0;
}
