// SPDX-License-Identifier: GPL-2.0-only
/*
 * The no-IOMMU "IOMMU model": for machines with no IOMMU, when the module
 * was loaded with enable_unsafe_noiommu_mode=1.  It confines nothing: the
 * user programs the device with physical addresses and can DMA anywhere.
 * That is why it is opt-in, needs CAP_SYS_RAWIO and taints the kernel, and
 * why it offers no DMA mapping ioctls at all (user space finds physical
 * addresses itself, e.g. through /proc/self/pagemap).
 */
#include <linux/err.h>
#include <linux/vfio.h>

#include "vfnet_private.h"

static void *vfnet_noiommu_open(unsigned long arg)
{
	if (arg != VFIO_NOIOMMU_IOMMU)
		return ERR_PTR(-EINVAL);
	if (!capable(CAP_SYS_RAWIO))
		return ERR_PTR(-EPERM);
	return NULL;
}

static void vfnet_noiommu_release(void *data)
{
}

static long vfnet_noiommu_ioctl(void *data, unsigned int cmd,
				unsigned long arg)
{
	if (cmd == VFIO_CHECK_EXTENSION)
		return vfnet_noiommu && arg == VFIO_NOIOMMU_IOMMU ? 1 : 0;
	return -ENOTTY;
}

static int vfnet_noiommu_attach_group(void *data,
				      struct iommu_group *iommu_group,
				      enum vfnet_group_type type)
{
	return 0;
}

static void vfnet_noiommu_detach_group(void *data,
				       struct iommu_group *iommu_group)
{
}

const struct vfnet_iommu_backend vfnet_noiommu_backend = {
	.name = "vfnet-noiommu",
	.noiommu = true,
	.open = vfnet_noiommu_open,
	.release = vfnet_noiommu_release,
	.ioctl = vfnet_noiommu_ioctl,
	.attach_group = vfnet_noiommu_attach_group,
	.detach_group = vfnet_noiommu_detach_group,
};
