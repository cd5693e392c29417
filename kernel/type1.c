// SPDX-License-Identifier: GPL-2.0-only
/*
 * type1 IOMMU model: placeholder until the backend lands.  It offers no
 * extension, so VFIO_SET_IOMMU fails with -ENODEV as upstream does for an
 * unknown model.
 */
#include <linux/vfio.h>

#include "vfnet_private.h"

static void *vfnet_type1_open(unsigned long arg)
{
	return ERR_PTR(-EINVAL);
}

static void vfnet_type1_release(void *data)
{
}

static long vfnet_type1_ioctl(void *data, unsigned int cmd, unsigned long arg)
{
	if (cmd == VFIO_CHECK_EXTENSION)
		return 0;
	return -ENOTTY;
}

static int vfnet_type1_attach_group(void *data, struct iommu_group *iommu_group,
				    enum vfnet_group_type type)
{
	return -EINVAL;
}

static void vfnet_type1_detach_group(void *data, struct iommu_group *iommu_group)
{
}

const struct vfnet_iommu_backend vfnet_type1_backend = {
	.name = "vfnet-type1",
	.open = vfnet_type1_open,
	.release = vfnet_type1_release,
	.ioctl = vfnet_type1_ioctl,
	.attach_group = vfnet_type1_attach_group,
	.detach_group = vfnet_type1_detach_group,
};

int vfnet_type1_init(void)
{
	return 0;
}

void vfnet_type1_exit(void)
{
}
