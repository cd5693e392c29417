// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: the device fd.
 *
 * Open enables the device and snapshots its config state, close undoes
 * everything the user did (interrupts, BAR mappings, config) and resets
 * the function when it can, so the next owner finds it as we did.  The
 * ioctls are the VFIO_DEVICE_* ones of <linux/vfio.h>, with upstream
 * vfio-pci's argsz and error semantics: one helper per ioctl.
 *
 * Follows upstream drivers/vfio/pci/vfio_pci_core.c (Linux 6.1.y): enable
 * and disable, the region and IRQ info ioctls; the code is our own.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/iommu.h>
#include <linux/nospec.h>

#include "pci_private.h"

/* A growing buffer of region-info capabilities, as vfio_info_cap */
struct vfnet_info_cap {
	void *buf;
	size_t size;
	size_t last;	/* offset of the last header in buf */
};

static int vfnet_info_add_cap(struct vfnet_info_cap *caps,
			      const void *cap, size_t size)
{
	struct vfio_info_cap_header *hdr;
	void *buf;

	buf = krealloc(caps->buf, caps->size + size, GFP_KERNEL);
	if (!buf) {
		kfree(caps->buf);
		caps->buf = NULL;
		caps->size = 0;
		return -ENOMEM;
	}
	caps->buf = buf;
	memcpy(buf + caps->size, cap, size);
	hdr = buf + caps->size;
	hdr->next = 0;
	if (caps->size) {
		hdr = buf + caps->last;
		hdr->next = caps->size;
	}
	caps->last = caps->size;
	caps->size += size;
	return 0;
}

/* Make the chain's offsets relative to the start of the user's struct */
static void vfnet_info_cap_shift(struct vfnet_info_cap *caps, size_t shift)
{
	struct vfio_info_cap_header *hdr = caps->buf;

	while (hdr->next) {
		u32 next = hdr->next;

		hdr->next += shift;
		hdr = caps->buf + next;
	}
}

/*
 * As upstream vfio-pci's: mask INTx at the interrupt controller with an
 * exclusive line instead of with the command register's DisINTx, for
 * devices whose DisINTx does not work though the PCI core believes it
 * does.  Read at each open.
 */
static bool nointxmask;
module_param(nointxmask, bool, 0644);
MODULE_PARM_DESC(nointxmask,
		 "Disable support for PCI 2.3 style INTx masking; masks INTx at the interrupt controller, which needs an exclusive line (default: N)");

/*
 * Devices whose DisINTx works but whose PCI_STATUS never shows INTx
 * pending, as upstream's vfio_pci_nointx() lists them.  On a shared line
 * we could not tell their interrupt from a neighbour's: every interrupt
 * of the line would look like ours, or none would, and the line would be
 * disabled as spurious.  We control whether they assert INTx at all, so
 * we hide INTx instead (pin 0, no INTx interrupt) and keep DisINTx set.
 * QEMU emulates none of these, so no VM test reaches this table.
 */
static const struct pci_device_id vfnet_pci_nointx_ids[] = {
	/* i40e: XL710/X710/XXV710 10/20/25/40GbE */
	{ PCI_VDEVICE(INTEL, 0x1572) },
	{ PCI_VDEVICE(INTEL, 0x1574) },
	{ PCI_VDEVICE(INTEL, 0x1580) },
	{ PCI_VDEVICE(INTEL, 0x1581) },
	{ PCI_VDEVICE(INTEL, 0x1583) },
	{ PCI_VDEVICE(INTEL, 0x1584) },
	{ PCI_VDEVICE(INTEL, 0x1585) },
	{ PCI_VDEVICE(INTEL, 0x1586) },
	{ PCI_VDEVICE(INTEL, 0x1587) },
	{ PCI_VDEVICE(INTEL, 0x1588) },
	{ PCI_VDEVICE(INTEL, 0x1589) },
	{ PCI_VDEVICE(INTEL, 0x158a) },
	{ PCI_VDEVICE(INTEL, 0x158b) },
	{ PCI_VDEVICE(INTEL, 0x37d0) },
	{ PCI_VDEVICE(INTEL, 0x37d1) },
	{ PCI_VDEVICE(INTEL, 0x37d2) },
	/* X550 */
	{ PCI_VDEVICE(INTEL, 0x1563) },
	{}
};

static int vfnet_pci_enable(struct vfnet_pci_device *pv);
static void vfnet_pci_disable(struct vfnet_pci_device *pv);

/* First open; under group->lock, takes the reset set's lock */
static int vfnet_pci_open_device(struct vfnet_device *vdev)
{
	struct vfnet_pci_device *pv = to_pci_vdev(vdev);
	struct vfnet_pci_reset_set *set = pv->reset_set;
	int ret;

	/* no hot reset of the set may run while we power up and save */
	mutex_lock(&set->lock);
	ret = vfnet_pci_enable(pv);
	if (!ret)
		pv->set_open = true;
	mutex_unlock(&set->lock);
	return ret;
}

static int vfnet_pci_enable(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	int ret;
	u16 cmd;

	lockdep_assert_held(&pv->reset_set->lock);
	vfnet_pci_set_power_state(pv, PCI_D0);

	/* the saved state must not include bus mastering */
	pci_clear_master(pdev);

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;

	/* a reset that fails on the device lock fails the open */
	ret = pci_try_reset_function(pdev);
	if (ret == -EAGAIN)
		goto err_disable;
	pv->reset_works = !ret;

	pci_save_state(pdev);
	pv->pci_saved_state = pci_store_saved_state(pdev);
	if (!pv->pci_saved_state)
		pci_dbg(pdev, "vfnet-pci: couldn't store saved state\n");

	pv->nointx = false;
	pv->pci_2_3 = false;
	if (!nointxmask) {
		if (pci_match_id(vfnet_pci_nointx_ids, pdev)) {
			pci_info(pdev, "vfnet-pci: masking broken INTx support\n");
			pv->nointx = true;
			pci_intx(pdev, 0);
		} else {
			pv->pci_2_3 = pci_intx_mask_supported(pdev);
		}
	}
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (pv->pci_2_3 && (cmd & PCI_COMMAND_INTX_DISABLE)) {
		cmd &= ~PCI_COMMAND_INTX_DISABLE;
		pci_write_config_word(pdev, PCI_COMMAND, cmd);
	}

	ret = vfnet_config_init(pv);
	if (ret)
		goto err_free_state;

	if (pdev->msix_cap) {
		u16 flags;
		u32 table;

		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				     &flags);
		pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_TABLE,
				      &table);
		pv->msix_bar = table & PCI_MSIX_TABLE_BIR;
		pv->msix_offset = table & PCI_MSIX_TABLE_OFFSET;
		pv->msix_size = ((flags & PCI_MSIX_FLAGS_QSIZE) + 1) * 16;
	} else {
		pv->msix_bar = 0xff;
	}

	vfnet_pci_probe_mmaps(pv);
	return 0;

err_free_state:
	kfree(pv->pci_saved_state);
	pv->pci_saved_state = NULL;
err_disable:
	pci_disable_device(pdev);
	return ret;
}

/*
 * Last close; under group->lock, takes the reset set's lock so that no
 * hot reset of the set sees a half-restored member, and resets the set's
 * bus when this was its last user and a member could not be reset alone.
 */
static void vfnet_pci_close_device(struct vfnet_device *vdev)
{
	struct vfnet_pci_device *pv = to_pci_vdev(vdev);
	struct vfnet_pci_reset_set *set = pv->reset_set;

	mutex_lock(&set->lock);
	vfnet_pci_disable(pv);
	pv->set_open = false;
	vfnet_pci_set_try_reset(set);
	mutex_unlock(&set->lock);
}

/*
 * No DMA mapping may reach our BARs once the device can change hands:
 * remove those the user made of its BAR mmaps (type1 follows their PFNs).
 * Called with no memory or vma lock held: MAP_DMA faults BAR mmaps in
 * under the type1 lock, which this takes.
 */
static void vfnet_pci_revoke_bar_dma(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		resource_size_t len = pci_resource_len(pdev, i);

		if (!len || !(pci_resource_flags(pdev, i) & IORESOURCE_MEM))
			continue;
		vfnet_iommu_revoke_pfns(PHYS_PFN(pci_resource_start(pdev, i)),
					PFN_UP(len));
	}
}

static void vfnet_pci_disable(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;

	lockdep_assert_held(&pv->reset_set->lock);
	vfnet_pci_revoke_bar_dma(pv);
	vfnet_pci_set_power_state(pv, PCI_D0);

	/* stop the device from further DMA */
	pci_clear_master(pdev);

	mutex_lock(&pv->igate);
	vfnet_pci_set_irqs(pv, VFIO_IRQ_SET_DATA_NONE |
			   VFIO_IRQ_SET_ACTION_TRIGGER,
			   pv->irq_type, 0, 0, NULL);
	if (pv->err_trigger)
		eventfd_ctx_put(pv->err_trigger);
	pv->err_trigger = NULL;
	if (pv->req_trigger)
		eventfd_ctx_put(pv->req_trigger);
	pv->req_trigger = NULL;
	mutex_unlock(&pv->igate);

	pv->virq_disabled = false;

	vfnet_config_free(pv);
	vfnet_pci_bars_release(pv);
	vfnet_pci_restore_on_close(pv);
	pci_disable_device(pdev);
}

static ssize_t vfnet_pci_rw(struct vfnet_pci_device *pv, char __user *buf,
			    size_t count, loff_t *ppos, bool iswrite)
{
	unsigned int index = VFNET_PCI_OFFSET_TO_INDEX(*ppos);

	if (*ppos < 0 || index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;

	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return vfnet_config_rw(pv, buf, count, ppos, iswrite);
	case VFIO_PCI_ROM_REGION_INDEX:
		if (iswrite)
			return -EINVAL;
		return vfnet_bar_rw(pv, buf, count, ppos, false);
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		return vfnet_bar_rw(pv, buf, count, ppos, iswrite);
	default:
		/* no VGA support */
		return -EINVAL;
	}
}

static ssize_t vfnet_pci_read(struct vfnet_device *vdev, char __user *buf,
			      size_t count, loff_t *ppos)
{
	if (!count)
		return 0;
	return vfnet_pci_rw(to_pci_vdev(vdev), buf, count, ppos, false);
}

static ssize_t vfnet_pci_write(struct vfnet_device *vdev,
			       const char __user *buf, size_t count,
			       loff_t *ppos)
{
	if (!count)
		return 0;
	return vfnet_pci_rw(to_pci_vdev(vdev), (char __user *)buf, count,
			    ppos, true);
}

static int vfnet_pci_ioctl_get_info(struct vfnet_pci_device *pv,
				    void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	unsigned long capsz = offsetofend(struct vfio_device_info, cap_offset);
	struct vfio_device_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	/* older users pass the short struct: only fill cap_offset if room */
	if (info.argsz >= capsz) {
		minsz = capsz;
		info.cap_offset = 0;
	}

	info.flags = VFIO_DEVICE_FLAGS_PCI;
	if (pv->reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/*
 * The MSI-X table may be mmapped only when the platform isolates
 * interrupts (interrupt remapping): then a user who scribbles on the
 * table can only hurt itself, and we say so with the MSIX_MAPPABLE
 * capability.  Otherwise the table and PBA pages are cut out of the BAR
 * with a sparse-mmap capability, and mmap refuses them.
 */
static bool msix_mmap = true;
module_param(msix_mmap, bool, 0644);
MODULE_PARM_DESC(msix_mmap,
		 "Let user space mmap the MSI-X table when interrupts are remapped; N always cuts it out with a sparse-mmap capability (default: Y)");

static bool vfnet_msix_mappable(struct vfnet_pci_device *pv)
{
	return msix_mmap &&
	       device_iommu_capable(&pv->pdev->dev, IOMMU_CAP_INTR_REMAP);
}

/* Pages [start, end) of the MSI-X BAR that hold the table or the PBA */
static void vfnet_msix_hole(struct vfnet_pci_device *pv, u64 *start,
			    u64 *end)
{
	struct pci_dev *pdev = pv->pdev;
	u64 s = pv->msix_offset, e = pv->msix_offset + pv->msix_size;
	u32 pba;

	pci_read_config_dword(pdev, pdev->msix_cap + PCI_MSIX_PBA, &pba);
	if ((pba & PCI_MSIX_PBA_BIR) == pv->msix_bar) {
		u64 ps = pba & PCI_MSIX_PBA_OFFSET;
		/* one pending bit per vector, in qwords */
		u64 pe = ps + DIV_ROUND_UP(pv->msix_size / 16, 64) * 8;

		s = min(s, ps);
		e = max(e, pe);
	}
	*start = round_down(s, PAGE_SIZE);
	*end = round_up(e, PAGE_SIZE);
}

bool vfnet_pci_mmap_hits_msix(struct vfnet_pci_device *pv, int bar,
			      u64 start, u64 len)
{
	u64 hs, he;

	if (bar != pv->msix_bar || vfnet_msix_mappable(pv))
		return false;
	vfnet_msix_hole(pv, &hs, &he);
	return start < he && hs < start + len;
}

static int vfnet_msix_caps(struct vfnet_pci_device *pv,
			   struct vfnet_info_cap *caps)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	u64 bar_len = PAGE_ALIGN(pci_resource_len(pv->pdev, pv->msix_bar));
	u64 hs, he;
	size_t size;
	int n = 0, ret;

	if (vfnet_msix_mappable(pv)) {
		struct vfio_info_cap_header hdr = {
			.id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
			.version = 1,
		};

		return vfnet_info_add_cap(caps, &hdr, sizeof(hdr));
	}

	vfnet_msix_hole(pv, &hs, &he);
	size = struct_size(sparse, areas, 2);
	sparse = kzalloc(size, GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;
	sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	sparse->header.version = 1;
	if (hs > 0) {
		sparse->areas[n].offset = 0;
		sparse->areas[n].size = hs;
		n++;
	}
	if (he < bar_len) {
		sparse->areas[n].offset = he;
		sparse->areas[n].size = bar_len - he;
		n++;
	}
	sparse->nr_areas = n;
	ret = vfnet_info_add_cap(caps, sparse, struct_size(sparse, areas, n));
	kfree(sparse);
	return ret;
}

static int vfnet_pci_ioctl_region_info(struct vfnet_pci_device *pv,
				       void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfnet_info_cap caps = { };
	struct pci_dev *pdev = pv->pdev;
	struct vfio_region_info info;
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.offset = VFNET_PCI_INDEX_TO_OFFSET(info.index);
		info.size = pdev->cfg_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		info.offset = VFNET_PCI_INDEX_TO_OFFSET(info.index);
		info.size = pci_resource_len(pdev, info.index);
		if (!info.size) {
			info.flags = 0;
			break;
		}
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		if (pv->bar_mmap_supported[info.index]) {
			info.flags |= VFIO_REGION_INFO_FLAG_MMAP;
			if (info.index == pv->msix_bar) {
				ret = vfnet_msix_caps(pv, &caps);
				if (ret)
					return ret;
			}
		}
		break;
	case VFIO_PCI_ROM_REGION_INDEX: {
		void __iomem *io;
		size_t size;
		u16 cmd;

		info.offset = VFNET_PCI_INDEX_TO_OFFSET(info.index);
		info.flags = 0;

		/* the BAR size, not the ROM's */
		info.size = pci_resource_len(pdev, info.index);
		if (!info.size) {
			/* shadow ROMs appear as PCI option ROMs */
			if (pdev->resource[PCI_ROM_RESOURCE].flags &
			    IORESOURCE_ROM_SHADOW)
				info.size = 0x20000;
			else
				break;
		}

		/* is it really there?  pci_map_rom() needs memory decode */
		cmd = vfnet_memory_lock_and_enable(pv);
		io = pci_map_rom(pdev, &size);
		if (io) {
			info.flags = VFIO_REGION_INFO_FLAG_READ;
			pci_unmap_rom(pdev, io);
		} else {
			info.size = 0;
		}
		vfnet_memory_unlock_and_restore(pv, cmd);
		break;
	}
	default:
		/* VGA (index 8) is not supported, nor device-specific regions */
		return -EINVAL;
	}

	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			info.argsz = sizeof(info) + caps.size;
			info.cap_offset = 0;
		} else {
			vfnet_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(arg + sizeof(info), caps.buf,
					 caps.size)) {
				kfree(caps.buf);
				return -EFAULT;
			}
			info.cap_offset = sizeof(info);
		}
		kfree(caps.buf);
	}

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vfnet_pci_ioctl_irq_info(struct vfnet_pci_device *pv,
				    void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;

	switch (info.index) {
	case VFIO_PCI_INTX_IRQ_INDEX ... VFIO_PCI_MSIX_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
		if (pci_is_pcie(pv->pdev))
			break;
		fallthrough;
	default:
		return -EINVAL;
	}

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = vfnet_pci_irq_count(pv, info.index);
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE |
			      VFIO_IRQ_INFO_AUTOMASKED;
	else
		info.flags |= VFIO_IRQ_INFO_NORESIZE;

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* argsz/index/start/count/flags checks shared by every SET_IRQS */
static int vfnet_set_irqs_validate(struct vfio_irq_set *hdr, int num_irqs,
				   size_t *data_size)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	size_t size;

	if (hdr->argsz < minsz || hdr->index >= VFIO_PCI_NUM_IRQS ||
	    hdr->count >= (U32_MAX - hdr->start) ||
	    (hdr->flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
			    VFIO_IRQ_SET_ACTION_TYPE_MASK)))
		return -EINVAL;

	*data_size = 0;

	if (hdr->start >= num_irqs || hdr->start + hdr->count > num_irqs)
		return -EINVAL;

	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		size = 0;
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		size = sizeof(u8);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		size = sizeof(s32);
		break;
	default:
		return -EINVAL;
	}

	if (size) {
		if (hdr->argsz - minsz < (u64)hdr->count * size)
			return -EINVAL;
		*data_size = hdr->count * size;
	}
	return 0;
}

static int vfnet_pci_ioctl_set_irqs(struct vfnet_pci_device *pv,
				    struct vfio_irq_set __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	u8 *data = NULL;
	int ret, max;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;

	max = vfnet_pci_irq_count(pv, hdr.index);
	ret = vfnet_set_irqs_validate(&hdr, max, &data_size);
	if (ret)
		return ret;

	if (data_size) {
		data = memdup_user(&arg->data, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	mutex_lock(&pv->igate);
	ret = vfnet_pci_set_irqs(pv, hdr.flags, hdr.index, hdr.start,
				 hdr.count, data);
	mutex_unlock(&pv->igate);
	kfree(data);
	return ret;
}

/*
 * VFIO_DEVICE_FEATURE: upstream's header checks, then no feature is
 * offered: no migration, no VF token (PFs with VFs are refused at probe),
 * no runtime low-power states.
 */
static int vfnet_pci_ioctl_feature(struct vfnet_pci_device *pv,
				   void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_feature, flags);
	struct vfio_device_feature feature;

	if (copy_from_user(&feature, arg, minsz))
		return -EFAULT;
	if (feature.argsz < minsz)
		return -EINVAL;
	if (feature.flags & ~(VFIO_DEVICE_FEATURE_MASK |
			      VFIO_DEVICE_FEATURE_SET |
			      VFIO_DEVICE_FEATURE_GET |
			      VFIO_DEVICE_FEATURE_PROBE))
		return -EINVAL;
	/* GET and SET exclude each other except in a PROBE */
	if (!(feature.flags & VFIO_DEVICE_FEATURE_PROBE) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_SET) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_GET))
		return -EINVAL;
	return -ENOTTY;
}

static long vfnet_pci_ioctl(struct vfnet_device *vdev, unsigned int cmd,
			    unsigned long arg)
{
	struct vfnet_pci_device *pv = to_pci_vdev(vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfnet_pci_ioctl_get_info(pv, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfnet_pci_ioctl_region_info(pv, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfnet_pci_ioctl_irq_info(pv, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return vfnet_pci_ioctl_set_irqs(pv, uarg);
	case VFIO_DEVICE_RESET:
		return vfnet_pci_ioctl_reset(pv);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return vfnet_pci_hot_reset_info(pv, uarg);
	case VFIO_DEVICE_PCI_HOT_RESET:
		return vfnet_pci_hot_reset(pv, uarg);
	case VFIO_DEVICE_FEATURE:
		return vfnet_pci_ioctl_feature(pv, uarg);
	default:
		return -ENOTTY;
	}
}

/* The core asks the user to release the device (unbind, unplug) */
static void vfnet_pci_request(struct vfnet_device *vdev, unsigned int count)
{
	struct vfnet_pci_device *pv = to_pci_vdev(vdev);
	struct pci_dev *pdev = pv->pdev;

	mutex_lock(&pv->igate);
	if (pv->req_trigger) {
		if (!(count % 10))
			pci_notice_ratelimited(pdev,
					       "Relaying device request to user (#%u)\n",
					       count);
		eventfd_signal(pv->req_trigger, 1);
	} else if (count == 0) {
		pci_warn(pdev,
			 "No device request channel registered, blocked until released by user\n");
	}
	mutex_unlock(&pv->igate);
}

const struct vfnet_device_ops vfnet_pci_ops = {
	.name		= "vfnet-pci",
	.open_device	= vfnet_pci_open_device,
	.close_device	= vfnet_pci_close_device,
	.read		= vfnet_pci_read,
	.write		= vfnet_pci_write,
	.ioctl		= vfnet_pci_ioctl,
	.mmap		= vfnet_pci_mmap,
	.request	= vfnet_pci_request,
	.debug_show	= vfnet_pci_debug_show,
};
