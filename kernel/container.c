// SPDX-License-Identifier: GPL-2.0-only
/*
 * The container node (/dev/vfnet/vfio, or /dev/vfio/vfio in compat mode).
 *
 * Opening it is unprivileged and gives an empty container.  Only attaching
 * a group (whose node is root's to hand out) lets the user set an IOMMU
 * model, which may allocate finite resources; detaching the last group
 * drops the model again, so a container returns to its unset state.  All
 * of this follows upstream VFIO's container semantics, error codes
 * included, because unmodified VFIO users probe them.
 *
 * Follows the container half of upstream drivers/vfio/vfio_main.c (Linux
 * 6.1.y; drivers/vfio/container.c from 6.2); the code is our own.
 */
#define pr_fmt(fmt) "vfnet: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include "vfnet_private.h"

static const struct vfnet_iommu_backend *const vfnet_backends[] = {
	&vfnet_type1_backend,
	&vfnet_noiommu_backend,
};

static void vfnet_container_release_kref(struct kref *kref)
{
	struct vfnet_container *container =
		container_of(kref, struct vfnet_container, kref);

	WARN_ON(!list_empty(&container->group_list));
	vfnet_debugfs_container_remove(container);
	kfree(container);
}

/* Not under container->group_lock: the last put waits for debugfs readers. */
static void vfnet_container_put(struct vfnet_container *container)
{
	kref_put(&container->kref, vfnet_container_release_kref);
}

/* A no-IOMMU container may only use the no-IOMMU backend, and vice versa. */
static bool vfnet_backend_allowed(struct vfnet_container *container,
				  const struct vfnet_iommu_backend *backend)
{
	if (list_empty(&container->group_list))
		return true;
	return container->noiommu == backend->noiommu;
}

static long vfnet_container_check_extension(struct vfnet_container *container,
					    unsigned long arg)
{
	long ret = 0;
	int i;

	down_read(&container->group_lock);
	if (container->backend) {
		ret = container->backend->ioctl(container->backend_data,
						VFIO_CHECK_EXTENSION, arg);
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(vfnet_backends); i++) {
		if (!vfnet_backend_allowed(container, vfnet_backends[i]))
			continue;
		ret = vfnet_backends[i]->ioctl(NULL, VFIO_CHECK_EXTENSION, arg);
		if (ret > 0)
			break;
	}
out:
	up_read(&container->group_lock);
	return ret;
}

/* Attach every group of the container to freshly opened backend data. */
static int vfnet_container_attach_all(struct vfnet_container *container,
				      const struct vfnet_iommu_backend *backend,
				      void *data)
{
	struct vfnet_group *group;
	int ret = -ENODEV;

	list_for_each_entry(group, &container->group_list, container_next) {
		ret = backend->attach_group(data, group->iommu_group,
					    group->type);
		if (ret)
			goto err_detach;
	}
	return ret;

err_detach:
	list_for_each_entry_continue_reverse(group, &container->group_list,
					     container_next)
		backend->detach_group(data, group->iommu_group);
	return ret;
}

static long vfnet_container_set_iommu(struct vfnet_container *container,
				      unsigned long arg)
{
	long ret = -ENODEV;
	int i;

	down_write(&container->group_lock);
	/*
	 * Only attaching a group gives the right to set an IOMMU model, and a
	 * model cannot be replaced; detaching all groups drops it.
	 */
	if (list_empty(&container->group_list) || container->backend) {
		up_write(&container->group_lock);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(vfnet_backends); i++) {
		const struct vfnet_iommu_backend *backend = vfnet_backends[i];
		void *data;

		if (!vfnet_backend_allowed(container, backend))
			continue;
		/* SET_IOMMU's argument is a CHECK_EXTENSION magic. */
		if (backend->ioctl(NULL, VFIO_CHECK_EXTENSION, arg) <= 0)
			continue;
		data = backend->open(arg);
		if (IS_ERR(data)) {
			ret = PTR_ERR(data);
			continue;
		}
		ret = vfnet_container_attach_all(container, backend, data);
		if (ret) {
			backend->release(data);
			continue;
		}
		container->backend = backend;
		container->backend_data = data;
		break;
	}
	up_write(&container->group_lock);
	return ret;
}

static long vfnet_container_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	struct vfnet_container *container = file->private_data;
	long ret = -EINVAL;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return vfnet_container_check_extension(container, arg);
	case VFIO_SET_IOMMU:
		return vfnet_container_set_iommu(container, arg);
	default:
		/* Everything else belongs to the IOMMU backend, if one is set. */
		down_read(&container->group_lock);
		if (container->backend)
			ret = container->backend->ioctl(container->backend_data,
							cmd, arg);
		up_read(&container->group_lock);
		return ret;
	}
}

static int vfnet_container_open(struct inode *inode, struct file *file)
{
	struct vfnet_container *container;

	container = kzalloc(sizeof(*container), GFP_KERNEL_ACCOUNT);
	if (!container)
		return -ENOMEM;
	kref_init(&container->kref);
	init_rwsem(&container->group_lock);
	INIT_LIST_HEAD(&container->group_list);
	vfnet_debugfs_container_add(container);
	file->private_data = container;
	return 0;
}

static int vfnet_container_release(struct inode *inode, struct file *file)
{
	struct vfnet_container *container = file->private_data;

	file->private_data = NULL;
	vfnet_container_put(container);
	return 0;
}

static const struct file_operations vfnet_container_fops = {
	.owner = THIS_MODULE,
	.open = vfnet_container_open,
	.release = vfnet_container_release,
	.unlocked_ioctl = vfnet_container_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

struct vfnet_container *vfnet_container_from_file(struct file *file)
{
	if (file->f_op != &vfnet_container_fops)
		return NULL;
	return file->private_data;
}

bool vfnet_container_has_iommu(struct vfnet_container *container)
{
	bool ret;

	down_read(&container->group_lock);
	ret = container->backend;
	up_read(&container->group_lock);
	return ret;
}

/**
 * vfnet_container_attach_group - VFIO_GROUP_SET_CONTAINER
 * @container: the target container
 * @group: the group, not yet in a container
 *
 * Claims the IOMMU group for user DMA (fails while any device of the group
 * is bound to a driver doing kernel DMA) and, when the container already
 * has an IOMMU model, attaches the group to it.
 */
int vfnet_container_attach_group(struct vfnet_container *container,
				 struct vfnet_group *group)
{
	int ret = 0;

	lockdep_assert_held(&group->lock);

	if (group->type == VFNET_GROUP_NOIOMMU && !capable(CAP_SYS_RAWIO))
		return -EPERM;

	down_write(&container->group_lock);
	/* Real and fake groups cannot share a container. */
	if (!list_empty(&container->group_list) &&
	    container->noiommu != (group->type == VFNET_GROUP_NOIOMMU)) {
		ret = -EPERM;
		goto out_unlock;
	}
	if (group->type == VFNET_GROUP_IOMMU) {
		ret = iommu_group_claim_dma_owner(group->iommu_group, group);
		if (ret)
			goto out_unlock;
	}
	if (container->backend) {
		ret = container->backend->attach_group(container->backend_data,
						       group->iommu_group,
						       group->type);
		if (ret) {
			if (group->type == VFNET_GROUP_IOMMU)
				iommu_group_release_dma_owner(group->iommu_group);
			goto out_unlock;
		}
	}
	group->container = container;
	group->container_users = 1;
	container->noiommu = group->type == VFNET_GROUP_NOIOMMU;
	list_add(&group->container_next, &container->group_list);
	kref_get(&container->kref);
out_unlock:
	up_write(&container->group_lock);
	return ret;
}

/**
 * vfnet_container_detach_group - VFIO_GROUP_UNSET_CONTAINER or group close
 * @group: an attached group with no device fd open
 *
 * Detaching the last group drops the container's IOMMU model, which
 * unmaps and unpins everything mapped through it.
 */
void vfnet_container_detach_group(struct vfnet_group *group)
{
	struct vfnet_container *container = group->container;
	const struct vfnet_iommu_backend *backend;

	lockdep_assert_held(&group->lock);
	WARN_ON(group->container_users != 1);

	down_write(&container->group_lock);
	backend = container->backend;
	if (backend)
		backend->detach_group(container->backend_data,
				      group->iommu_group);
	if (group->type == VFNET_GROUP_IOMMU)
		iommu_group_release_dma_owner(group->iommu_group);
	group->container = NULL;
	group->container_users = 0;
	list_del(&group->container_next);
	if (backend && list_empty(&container->group_list)) {
		backend->release(container->backend_data);
		container->backend = NULL;
		container->backend_data = NULL;
	}
	up_write(&container->group_lock);
	vfnet_container_put(container);
}

static struct miscdevice vfnet_container_misc = {
	.fops = &vfnet_container_fops,
	.mode = 0666,
};

int vfnet_container_init(void)
{
	int ret;

	if (vfnet_compat) {
		vfnet_container_misc.minor = VFIO_MINOR;
		vfnet_container_misc.name = "vfio";
		vfnet_container_misc.nodename = "vfio/vfio";
	} else {
		vfnet_container_misc.minor = MISC_DYNAMIC_MINOR;
		vfnet_container_misc.name = "vfnet";
		vfnet_container_misc.nodename = "vfnet/vfio";
	}
	ret = misc_register(&vfnet_container_misc);
	if (ret == -EBUSY && vfnet_compat)
		pr_err("compat mode: misc minor %d (/dev/vfio/vfio) is held by upstream VFIO; unload it first (modprobe -r vfio_pci vfio_iommu_type1 vfio) or load vfnet without compat=1\n",
		       VFIO_MINOR);
	else if (ret)
		pr_err("cannot register the container node (%d)\n",
		       ret);
	return ret;
}

void vfnet_container_exit(void)
{
	misc_deregister(&vfnet_container_misc);
}
