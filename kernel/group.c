// SPDX-License-Identifier: GPL-2.0-only
/*
 * IOMMU groups as char devices (/dev/vfnet/<id>, or /dev/vfio/<id>).
 *
 * A group is the unit of ownership: the IOMMU cannot tell its devices
 * apart, so user space gets all of them or none.  A group node can be open
 * once at a time; the open file owns the group's container attachment and
 * every device fd holds a reference to it, so the attachment (and with it
 * the DMA ownership claim and every mapping) goes away exactly when the
 * last of those files is closed, however the process ends, or when the
 * group's last device is unbound (the open group file then refers to a
 * dead group).
 *
 * Follows the group half of upstream drivers/vfio/vfio_main.c (Linux
 * 6.1.y; drivers/vfio/group.c from 6.2, whose last-device removal it
 * takes); the code is our own.
 */
#define pr_fmt(fmt) "vfnet: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include "vfnet_private.h"

#define VFNET_GROUP_MINORS (MINORMASK + 1)

/*
 * The class is registered statically and group devices are named
 * "<class>!<id>" so devtmpfs creates /dev/<class>/<id> without a devnode
 * callback (whose prototype differs between kernel releases).
 */
static struct class vfnet_class;
static dev_t vfnet_group_devt;
static DEFINE_IDA(vfnet_group_ida);
static DEFINE_MUTEX(vfnet_groups_lock);
static LIST_HEAD(vfnet_groups);

static int vfnet_group_open(struct inode *inode, struct file *file)
{
	struct vfnet_group *group =
		container_of(inode->i_cdev, struct vfnet_group, cdev);
	int ret = 0;

	mutex_lock(&group->lock);
	if (group->removed) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (group->type == VFNET_GROUP_NOIOMMU && !capable(CAP_SYS_RAWIO)) {
		ret = -EPERM;
		goto out_unlock;
	}
	/* One owner at a time. */
	if (group->opened_file) {
		ret = -EBUSY;
		goto out_unlock;
	}
	group->opened_file = file;
	file->private_data = group;
out_unlock:
	mutex_unlock(&group->lock);
	return ret;
}

static int vfnet_group_release(struct inode *inode, struct file *file)
{
	struct vfnet_group *group = file->private_data;

	file->private_data = NULL;
	mutex_lock(&group->lock);
	/* Device fds hold this file, so none is open any more. */
	if (group->container)
		vfnet_container_detach_group(group);
	group->opened_file = NULL;
	mutex_unlock(&group->lock);
	return 0;
}

static int vfnet_group_get_status(struct vfnet_group *group,
				  struct vfio_group_status __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_group_status, flags);
	struct vfio_group_status status;

	if (copy_from_user(&status, arg, minsz))
		return -EFAULT;
	if (status.argsz < minsz)
		return -EINVAL;

	status.flags = 0;
	mutex_lock(&group->lock);
	if (group->removed) {
		mutex_unlock(&group->lock);
		return -ENODEV;
	}
	/*
	 * Viable means user DMA can own the group: no device in it is bound
	 * to a driver doing kernel DMA.  Once attached, we own it.
	 */
	if (group->container)
		status.flags |= VFIO_GROUP_FLAGS_CONTAINER_SET |
				VFIO_GROUP_FLAGS_VIABLE;
	else if (group->type == VFNET_GROUP_NOIOMMU ||
		 !iommu_group_dma_owner_claimed(group->iommu_group))
		status.flags |= VFIO_GROUP_FLAGS_VIABLE;
	mutex_unlock(&group->lock);

	if (copy_to_user(arg, &status, minsz))
		return -EFAULT;
	return 0;
}

static int vfnet_group_set_container(struct vfnet_group *group,
				     int __user *arg)
{
	struct vfnet_container *container;
	struct fd f;
	int ret, fd;

	if (get_user(fd, arg))
		return -EFAULT;
	f = fdget(fd);
	if (!f.file)
		return -EBADF;

	mutex_lock(&group->lock);
	if (group->removed) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (group->container || WARN_ON(group->container_users)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	container = vfnet_container_from_file(f.file);
	if (!container) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = vfnet_container_attach_group(container, group);
out_unlock:
	mutex_unlock(&group->lock);
	fdput(f);
	return ret;
}

static int vfnet_group_unset_container(struct vfnet_group *group)
{
	int ret = 0;

	mutex_lock(&group->lock);
	if (!group->container)
		ret = -EINVAL;
	else if (group->container_users != 1)
		ret = -EBUSY;	/* a device fd is open */
	else
		vfnet_container_detach_group(group);
	mutex_unlock(&group->lock);
	return ret;
}

static int vfnet_group_get_device_fd(struct vfnet_group *group,
				     char __user *arg)
{
	char *buf;
	int ret;

	buf = strndup_user(arg, PAGE_SIZE);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = vfnet_device_open_fd(group, buf);
	kfree(buf);
	return ret;
}

static long vfnet_group_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct vfnet_group *group = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_GROUP_GET_DEVICE_FD:
		return vfnet_group_get_device_fd(group, uarg);
	case VFIO_GROUP_GET_STATUS:
		return vfnet_group_get_status(group, uarg);
	case VFIO_GROUP_SET_CONTAINER:
		return vfnet_group_set_container(group, uarg);
	case VFIO_GROUP_UNSET_CONTAINER:
		return vfnet_group_unset_container(group);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vfnet_group_fops = {
	.owner = THIS_MODULE,
	.open = vfnet_group_open,
	.release = vfnet_group_release,
	.unlocked_ioctl = vfnet_group_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

bool vfnet_file_is_group(struct file *file)
{
	return file->f_op == &vfnet_group_fops;
}
EXPORT_SYMBOL_GPL(vfnet_file_is_group);

/*
 * Proof of ownership is the group object itself, not its iommu_group: a
 * group whose devices all went away is dead even if the same iommu_group
 * comes back with a new vfnet group, so its old fd proves nothing.  No
 * lock is taken (hot reset calls this under its reset-set lock, which
 * nests inside group->lock): both pointers only ever change to or from
 * NULL/true once, and the file keeps the group alive.
 */
bool vfnet_file_has_dev(struct file *file, struct vfnet_device *vdev)
{
	struct vfnet_group *group;

	if (!vfnet_file_is_group(file))
		return false;
	group = file->private_data;
	return READ_ONCE(vdev->group) == group && !READ_ONCE(group->removed);
}
EXPORT_SYMBOL_GPL(vfnet_file_has_dev);

static void vfnet_group_release_dev(struct device *dev)
{
	struct vfnet_group *group = container_of(dev, struct vfnet_group, dev);

	WARN_ON(group->container || group->opened_file);
	mutex_destroy(&group->lock);
	ida_free(&vfnet_group_ida, MINOR(group->dev.devt));
	iommu_group_put(group->iommu_group);
	kfree(group);
}

/* Takes over the caller's reference on @iommu_group, also on failure. */
static struct vfnet_group *vfnet_group_create(struct iommu_group *iommu_group,
					      enum vfnet_group_type type)
{
	struct vfnet_group *group;
	int minor, ret;

	lockdep_assert_held(&vfnet_groups_lock);

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group) {
		iommu_group_put(iommu_group);
		return ERR_PTR(-ENOMEM);
	}
	minor = ida_alloc_max(&vfnet_group_ida, VFNET_GROUP_MINORS - 1,
			      GFP_KERNEL);
	if (minor < 0) {
		iommu_group_put(iommu_group);
		kfree(group);
		return ERR_PTR(minor);
	}
	mutex_init(&group->lock);
	INIT_LIST_HEAD(&group->device_list);
	group->iommu_group = iommu_group;
	group->type = type;

	/* From here on the device's release frees everything. */
	device_initialize(&group->dev);
	group->dev.devt = MKDEV(MAJOR(vfnet_group_devt), minor);
	group->dev.class = &vfnet_class;
	group->dev.release = vfnet_group_release_dev;
	cdev_init(&group->cdev, &vfnet_group_fops);
	group->cdev.owner = THIS_MODULE;

	ret = dev_set_name(&group->dev, "%s!%s%d", vfnet_name(),
			   type == VFNET_GROUP_NOIOMMU ? "noiommu-" : "",
			   iommu_group_id(iommu_group));
	if (ret)
		goto err_put;
	ret = cdev_device_add(&group->cdev, &group->dev);
	if (ret)
		goto err_put;
	list_add(&group->vfnet_next, &vfnet_groups);
	return group;

err_put:
	put_device(&group->dev);
	return ERR_PTR(ret);
}

/* No IOMMU behind @dev: give it a fake group of its own, taint. */
static struct vfnet_group *vfnet_noiommu_group_create(struct device *dev)
{
	struct iommu_group *iommu_group;
	struct vfnet_group *group;
	int ret;

	iommu_group = iommu_group_alloc();
	if (IS_ERR(iommu_group))
		return ERR_CAST(iommu_group);
	ret = iommu_group_set_name(iommu_group, "vfio-noiommu");
	if (!ret)
		ret = iommu_group_add_device(iommu_group, dev);
	if (ret) {
		iommu_group_put(iommu_group);
		return ERR_PTR(ret);
	}
	/* The group keeps the reference iommu_group_alloc() gave us. */
	group = vfnet_group_create(iommu_group, VFNET_GROUP_NOIOMMU);
	if (IS_ERR(group)) {
		iommu_group_remove_device(dev);
		return group;
	}
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	dev_warn(dev, "adding kernel taint for vfnet no-IOMMU group on device\n");
	return group;
}

/**
 * vfnet_group_get_for_dev - find or create the group of @dev, add @dev
 * @dev: the bus device being registered
 *
 * Called with the device not yet on any list; the caller links it into
 * the returned group's device list under the group's lock.
 */
struct vfnet_group *vfnet_group_get_for_dev(struct device *dev)
{
	struct iommu_group *iommu_group;
	struct vfnet_group *group;

	iommu_group = iommu_group_get(dev);
	mutex_lock(&vfnet_groups_lock);
	if (!iommu_group) {
		if (vfnet_noiommu)
			group = vfnet_noiommu_group_create(dev);
		else
			group = ERR_PTR(-EINVAL);
		goto out_unlock;
	}
	/*
	 * Mappings are always made cache coherent (IOMMU_CACHE) because user
	 * space has no way to flush caches; an IOMMU that cannot is refused.
	 */
	if (!device_iommu_capable(dev, IOMMU_CAP_CACHE_COHERENCY)) {
		iommu_group_put(iommu_group);
		group = ERR_PTR(-EINVAL);
		goto out_unlock;
	}
	list_for_each_entry(group, &vfnet_groups, vfnet_next) {
		if (group->iommu_group == iommu_group && !group->removed) {
			iommu_group_put(iommu_group);
			goto out_unlock;
		}
	}
	group = vfnet_group_create(iommu_group, VFNET_GROUP_IOMMU);
out_unlock:
	if (!IS_ERR(group)) {
		mutex_lock(&group->lock);
		group->dev_counter++;
		mutex_unlock(&group->lock);
	}
	mutex_unlock(&vfnet_groups_lock);
	return group;
}

/**
 * vfnet_group_put_for_dev - @dev (already off the device list) has gone
 * @group: its group
 * @dev: the bus device
 *
 * The last device takes the group's node away and, as upstream's
 * vfio_device_remove_group() does, detaches the group from its container
 * and gives up the DMA ownership claim: the host driver can bind again at
 * once, and an open group file is left with a dead group (every ioctl
 * fails with -ENODEV or -EINVAL) that keeps only the structure alive.
 * Every device fd is closed by now (unregistration waits for them), so
 * the attachment's only user is the group file.
 */
void vfnet_group_put_for_dev(struct vfnet_group *group, struct device *dev)
{
	bool last;

	mutex_lock(&vfnet_groups_lock);
	mutex_lock(&group->lock);
	last = --group->dev_counter == 0;
	if (last) {
		WRITE_ONCE(group->removed, true);
		list_del(&group->vfnet_next);
		if (group->container)
			vfnet_container_detach_group(group);
	}
	mutex_unlock(&group->lock);
	if (last)
		cdev_device_del(&group->cdev, &group->dev);
	mutex_unlock(&vfnet_groups_lock);

	if (group->type == VFNET_GROUP_NOIOMMU)
		iommu_group_remove_device(dev);
	if (last)
		put_device(&group->dev);
}

int vfnet_group_init(void)
{
	int ret;

	vfnet_class.name = vfnet_name();
	ret = class_register(&vfnet_class);
	if (ret) {
		pr_err("cannot create class %s (%d)%s\n",
		       vfnet_name(), ret,
		       ret == -EEXIST ? ": upstream VFIO is loaded; unload it or load vfnet without compat=1" : "");
		return ret;
	}
	ret = alloc_chrdev_region(&vfnet_group_devt, 0, VFNET_GROUP_MINORS,
				  vfnet_name());
	if (ret) {
		class_unregister(&vfnet_class);
		return ret;
	}
	return 0;
}

void vfnet_group_exit(void)
{
	WARN_ON(!list_empty(&vfnet_groups));
	unregister_chrdev_region(vfnet_group_devt, VFNET_GROUP_MINORS);
	class_unregister(&vfnet_class);
	ida_destroy(&vfnet_group_ida);
}
