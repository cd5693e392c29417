// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device registration for bus drivers, and the device fds that
 * VFIO_GROUP_GET_DEVICE_FD hands out.
 *
 * A device fd exists only while its group is attached to a container with
 * an IOMMU model set, so every DMA the device can do is confined by the
 * time the bus driver first enables it.  The fd holds a reference on the
 * group file (keeping the attachment) and on the registration (so a bus
 * driver's remove waits, asking the user to let go, until the fd is gone).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "vfnet_private.h"

void vfnet_init_device(struct vfnet_device *vdev, struct device *dev,
		       const struct vfnet_device_ops *ops)
{
	memset(vdev, 0, sizeof(*vdev));
	vdev->dev = dev;
	vdev->ops = ops;
	INIT_LIST_HEAD(&vdev->group_next);
	init_completion(&vdev->comp);
}
EXPORT_SYMBOL_GPL(vfnet_init_device);

static void vfnet_device_put(struct vfnet_device *vdev)
{
	if (refcount_dec_and_test(&vdev->refcount))
		complete(&vdev->comp);
}

static bool vfnet_device_try_get(struct vfnet_device *vdev)
{
	return refcount_inc_not_zero(&vdev->refcount);
}

int vfnet_register_group_dev(struct vfnet_device *vdev)
{
	struct vfnet_group *group;
	struct vfnet_device *it;

	if (WARN_ON(!vdev->dev || !vdev->ops))
		return -EINVAL;

	group = vfnet_group_get_for_dev(vdev->dev);
	if (IS_ERR(group))
		return PTR_ERR(group);

	mutex_lock(&group->lock);
	list_for_each_entry(it, &group->device_list, group_next) {
		if (it->dev == vdev->dev) {
			mutex_unlock(&group->lock);
			dev_warn(vdev->dev, "already registered with vfnet\n");
			vfnet_group_put_for_dev(group, vdev->dev);
			return -EBUSY;
		}
	}
	WRITE_ONCE(vdev->group, group);
	vdev->open_count = 0;
	reinit_completion(&vdev->comp);
	refcount_set(&vdev->refcount, 1);	/* the registration's */
	list_add(&vdev->group_next, &group->device_list);
	mutex_unlock(&group->lock);
	vfnet_debugfs_device_add(vdev);
	return 0;
}
EXPORT_SYMBOL_GPL(vfnet_register_group_dev);

void vfnet_unregister_group_dev(struct vfnet_device *vdev)
{
	struct vfnet_group *group = vdev->group;
	unsigned int count = 0;
	bool interrupted = false, reported = false;
	long rc;

	vfnet_device_put(vdev);
	rc = try_wait_for_completion(&vdev->comp);
	while (rc <= 0) {
		if (vdev->ops->request)
			vdev->ops->request(vdev, count++);
		if (interrupted) {
			rc = wait_for_completion_timeout(&vdev->comp, HZ * 10);
		} else {
			rc = wait_for_completion_interruptible_timeout(&vdev->comp,
								       HZ * 10);
			if (rc < 0)
				interrupted = true;
		}
		/*
		 * Upstream's words, once: at a signal (as upstream) or when
		 * the first request period passes unanswered, so a user that
		 * ignores REQ shows in the log without anyone signalling us.
		 */
		if (rc <= 0 && !reported) {
			reported = true;
			dev_warn(vdev->dev,
				 "Device is currently in use, task \"%s\" (%d) blocked until device is released\n",
				 current->comm, task_pid_nr(current));
		}
	}

	vfnet_debugfs_device_remove(vdev);
	mutex_lock(&group->lock);
	list_del_init(&vdev->group_next);
	mutex_unlock(&group->lock);
	WRITE_ONCE(vdev->group, NULL);
	vfnet_group_put_for_dev(group, vdev->dev);
}
EXPORT_SYMBOL_GPL(vfnet_unregister_group_dev);

bool vfnet_device_same_owner(struct vfnet_device *vdev,
			     struct vfnet_device *other)
{
	struct vfnet_container *c1, *c2;

	/* One group lock at a time: no lock order between groups. */
	mutex_lock(&vdev->group->lock);
	c1 = vdev->group->container;
	mutex_unlock(&vdev->group->lock);
	if (!c1)
		return false;
	if (other->group == vdev->group)
		return true;
	mutex_lock(&other->group->lock);
	c2 = other->group->container;
	mutex_unlock(&other->group->lock);
	return c1 == c2;
}
EXPORT_SYMBOL_GPL(vfnet_device_same_owner);

static int vfnet_device_fop_release(struct inode *inode, struct file *file)
{
	struct vfnet_device *vdev = file->private_data;
	struct vfnet_group *group = vdev->group;
	struct file *group_file;

	mutex_lock(&group->lock);
	if (vdev->open_count == 1 && vdev->ops->close_device)
		vdev->ops->close_device(vdev);
	vdev->open_count--;
	group->container_users--;
	group_file = group->opened_file;
	mutex_unlock(&group->lock);

	fput(group_file);
	vfnet_device_put(vdev);
	return 0;
}

static long vfnet_device_fop_ioctl(struct file *file, unsigned int cmd,
				   unsigned long arg)
{
	struct vfnet_device *vdev = file->private_data;

	if (!vdev->ops->ioctl)
		return -EINVAL;
	return vdev->ops->ioctl(vdev, cmd, arg);
}

static ssize_t vfnet_device_fop_read(struct file *file, char __user *buf,
				     size_t count, loff_t *ppos)
{
	struct vfnet_device *vdev = file->private_data;

	if (!vdev->ops->read)
		return -EINVAL;
	return vdev->ops->read(vdev, buf, count, ppos);
}

static ssize_t vfnet_device_fop_write(struct file *file,
				      const char __user *buf,
				      size_t count, loff_t *ppos)
{
	struct vfnet_device *vdev = file->private_data;

	if (!vdev->ops->write)
		return -EINVAL;
	return vdev->ops->write(vdev, buf, count, ppos);
}

static int vfnet_device_fop_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vfnet_device *vdev = file->private_data;

	if (!vdev->ops->mmap)
		return -EINVAL;
	return vdev->ops->mmap(vdev, vma);
}

static const struct file_operations vfnet_device_fops = {
	.owner = THIS_MODULE,
	.release = vfnet_device_fop_release,
	.read = vfnet_device_fop_read,
	.write = vfnet_device_fop_write,
	.unlocked_ioctl = vfnet_device_fop_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = vfnet_device_fop_mmap,
};

bool vfnet_file_is_device(struct file *file)
{
	return file->f_op == &vfnet_device_fops;
}

static struct vfnet_device *vfnet_device_find(struct vfnet_group *group,
					      char *name)
{
	struct vfnet_device *it;
	int match;

	lockdep_assert_held(&group->lock);
	list_for_each_entry(it, &group->device_list, group_next) {
		if (it->ops->match)
			match = it->ops->match(it, name);
		else
			match = !strcmp(dev_name(it->dev), name);
		if (match > 0 && vfnet_device_try_get(it))
			return it;
	}
	return NULL;
}

/* Undo what vfnet_device_open_fd() did under the group lock. */
static void vfnet_device_close_locked(struct vfnet_device *vdev)
{
	struct vfnet_group *group = vdev->group;

	lockdep_assert_held(&group->lock);
	if (vdev->open_count == 1 && vdev->ops->close_device)
		vdev->ops->close_device(vdev);
	vdev->open_count--;
	group->container_users--;
}

/**
 * vfnet_device_open_fd - VFIO_GROUP_GET_DEVICE_FD
 * @group: the group whose file the ioctl came through
 * @name: the device name from user space
 *
 * Return: a new fd, or -ENODEV (no such device), -EINVAL (no container or
 * no IOMMU model yet), -EPERM (no-IOMMU without CAP_SYS_RAWIO) or the bus
 * driver's open_device error.
 */
int vfnet_device_open_fd(struct vfnet_group *group, const char *name)
{
	struct vfnet_device *vdev;
	struct file *file;
	int fd, ret;

	mutex_lock(&group->lock);
	if (group->removed) {
		ret = -ENODEV;
		goto err_unlock;
	}
	vdev = vfnet_device_find(group, (char *)name);
	if (!vdev) {
		ret = -ENODEV;
		goto err_unlock;
	}
	if (!group->container || !vfnet_container_has_iommu(group->container) ||
	    WARN_ON(!group->container_users)) {
		ret = -EINVAL;
		goto err_put;
	}
	if (group->type == VFNET_GROUP_NOIOMMU && !capable(CAP_SYS_RAWIO)) {
		ret = -EPERM;
		goto err_put;
	}
	vdev->open_count++;
	group->container_users++;
	if (vdev->open_count == 1 && vdev->ops->open_device) {
		ret = vdev->ops->open_device(vdev);
		if (ret) {
			vdev->open_count--;
			group->container_users--;
			goto err_put;
		}
	}
	get_file(group->opened_file);
	mutex_unlock(&group->lock);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_close;
	}
	/* Not anon_inode_getfd(): pread/pwrite must be allowed too. */
	file = anon_inode_getfile("[vfio-device]", &vfnet_device_fops, vdev,
				  O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto err_put_fd;
	}
	file->f_mode |= FMODE_PREAD | FMODE_PWRITE;

	if (group->type == VFNET_GROUP_NOIOMMU)
		dev_warn(vdev->dev, "vfnet no-IOMMU device opened by user (%s:%d)\n",
			 current->comm, task_pid_nr(current));
	/* The references taken above now belong to the file. */
	fd_install(fd, file);
	return fd;

err_put_fd:
	put_unused_fd(fd);
err_close:
	mutex_lock(&group->lock);
	vfnet_device_close_locked(vdev);
	mutex_unlock(&group->lock);
	fput(group->opened_file);
	vfnet_device_put(vdev);
	return ret;

err_put:
	vfnet_device_put(vdev);
err_unlock:
	mutex_unlock(&group->lock);
	return ret;
}
