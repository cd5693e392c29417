// SPDX-License-Identifier: GPL-2.0-only
/*
 * The debugfs tree, /sys/kernel/debug/vfnet/ (/sys/kernel/debug/vfio/ in
 * compat mode): what an operator, and the robustness tests, can read.
 *
 *   stats                module-wide totals (struct vfnet_stats): all zero
 *                        when no container is open
 *   iommu_map_sizes      IOMMU pages created, by size (type1_dma.c)
 *   containers/<n>/info  owner, IOMMU model, groups, and the model's
 *                        summary (type1: domains, pinned and charged pages)
 *   containers/<n>/dma   one line per DMA mapping
 *   devices/<name>/info  open count and the bus driver's view (pci_debug.c)
 *
 * Lifetimes.  Each file's private data is the object it shows, and the
 * folder is removed before the object is freed: a container's when its
 * last reference goes (vfnet_container_release_kref()), a device's when
 * it is unregistered.  debugfs_remove_recursive() waits for every read in
 * progress and makes later reads fail with -EIO, so a show function never
 * sees a freed object, whichever of reader and close comes first.  The
 * price: removal must not happen under a lock a show function takes.
 * Container shows take container->group_lock (read) and the backend's
 * lock; device shows take group->lock and then, with it dropped, the bus
 * driver's locks.  Container removal runs with at most a group->lock
 * held, device removal with none, so neither can wait on a reader that
 * waits on the remover.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/sched.h>

#include "vfnet_private.h"

struct vfnet_stats vfnet_stats;
struct dentry *vfnet_debugfs_root;
static struct dentry *vfnet_debugfs_containers;
static struct dentry *vfnet_debugfs_devices;
static atomic_t vfnet_container_seq = ATOMIC_INIT(0);

static int vfnet_stats_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "containers %lld\n",
		   atomic64_read(&vfnet_stats.containers));
	seq_printf(s, "dma_mappings %lld\n", atomic64_read(&vfnet_stats.dma));
	seq_printf(s, "iommu_mapped_bytes %lld\n",
		   atomic64_read(&vfnet_stats.iommu_bytes));
	seq_printf(s, "pinned_pages %lld\n",
		   atomic64_read(&vfnet_stats.pinned));
	seq_printf(s, "locked_pages %lld\n",
		   atomic64_read(&vfnet_stats.locked));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfnet_stats);

static void vfnet_container_show_groups(struct seq_file *s,
					struct vfnet_container *container)
{
	struct vfnet_group *group;

	lockdep_assert_held(&container->group_lock);
	seq_puts(s, "groups");
	/* iommu_group and type are fixed for the group's life */
	list_for_each_entry(group, &container->group_list, container_next)
		seq_printf(s, " %s%d",
			   group->type == VFNET_GROUP_NOIOMMU ? "noiommu-" : "",
			   iommu_group_id(group->iommu_group));
	seq_putc(s, '\n');
}

static int vfnet_container_info_show(struct seq_file *s, void *unused)
{
	struct vfnet_container *container = s->private;

	seq_printf(s, "owner_pid %d\nowner_comm %s\n", container->owner_pid,
		   container->owner_comm);
	down_read(&container->group_lock);
	vfnet_container_show_groups(s, container);
	seq_printf(s, "iommu %s\n",
		   container->backend ? container->backend->name : "none");
	if (container->backend && container->backend->debug_show)
		container->backend->debug_show(container->backend_data, s,
					       false);
	up_read(&container->group_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfnet_container_info);

static int vfnet_container_dma_show(struct seq_file *s, void *unused)
{
	struct vfnet_container *container = s->private;

	down_read(&container->group_lock);
	if (container->backend && container->backend->debug_show)
		container->backend->debug_show(container->backend_data, s,
					       true);
	up_read(&container->group_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfnet_container_dma);

/* At open of the container node, before the file is installed. */
void vfnet_debugfs_container_add(struct vfnet_container *container)
{
	char name[16];

	container->owner_pid = task_tgid_nr(current);
	get_task_comm(container->owner_comm, current);
	container->debug_id = atomic_inc_return(&vfnet_container_seq);
	atomic64_inc(&vfnet_stats.containers);
	snprintf(name, sizeof(name), "%u", container->debug_id);
	container->debugfs = debugfs_create_dir(name, vfnet_debugfs_containers);
	debugfs_create_file("info", 0400, container->debugfs, container,
			    &vfnet_container_info_fops);
	debugfs_create_file("dma", 0400, container->debugfs, container,
			    &vfnet_container_dma_fops);
}

/*
 * Before the container is freed; waits for readers, so the caller must
 * not hold container->group_lock.
 */
void vfnet_debugfs_container_remove(struct vfnet_container *container)
{
	debugfs_remove_recursive(container->debugfs);
	container->debugfs = NULL;
	atomic64_dec(&vfnet_stats.containers);
}

static int vfnet_device_info_show(struct seq_file *s, void *unused)
{
	struct vfnet_device *vdev = s->private;
	struct vfnet_group *group = vdev->group;	/* fixed while registered */

	seq_printf(s, "name %s\ndriver %s\ngroup %d\n", dev_name(vdev->dev),
		   vdev->ops->name, iommu_group_id(group->iommu_group));
	mutex_lock(&group->lock);
	seq_printf(s, "open_count %u\n", vdev->open_count);
	if (group->container)
		seq_printf(s, "container %u\n", group->container->debug_id);
	else
		seq_puts(s, "container none\n");
	mutex_unlock(&group->lock);
	if (vdev->ops->debug_show)
		vdev->ops->debug_show(vdev, s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfnet_device_info);

/* Once registered (vdev->group set, on the group's list). */
void vfnet_debugfs_device_add(struct vfnet_device *vdev)
{
	vdev->debugfs = debugfs_create_dir(dev_name(vdev->dev),
					   vfnet_debugfs_devices);
	debugfs_create_file("info", 0400, vdev->debugfs, vdev,
			    &vfnet_device_info_fops);
}

/* At unregistration, before vdev->group goes; waits for readers. */
void vfnet_debugfs_device_remove(struct vfnet_device *vdev)
{
	debugfs_remove_recursive(vdev->debugfs);
	vdev->debugfs = NULL;
}

/*
 * First thing at module load, last at unload.  Without debugfs the
 * dentries are error pointers, which every debugfs call accepts.
 */
void vfnet_debugfs_init(void)
{
	vfnet_debugfs_root = debugfs_create_dir(vfnet_name(), NULL);
	vfnet_debugfs_containers = debugfs_create_dir("containers",
						      vfnet_debugfs_root);
	vfnet_debugfs_devices = debugfs_create_dir("devices",
						   vfnet_debugfs_root);
	debugfs_create_file("stats", 0400, vfnet_debugfs_root, NULL,
			    &vfnet_stats_fops);
}

void vfnet_debugfs_exit(void)
{
	debugfs_remove_recursive(vfnet_debugfs_root);
	vfnet_debugfs_root = NULL;
	/* Every container and mapping is gone: the totals must be zero. */
	WARN(atomic64_read(&vfnet_stats.containers) ||
	     atomic64_read(&vfnet_stats.dma) ||
	     atomic64_read(&vfnet_stats.pinned) ||
	     atomic64_read(&vfnet_stats.locked) ||
	     atomic64_read(&vfnet_stats.iommu_bytes),
	     "vfnet: unloading with containers %lld dma %lld pinned %lld locked %lld iommu bytes %lld left\n",
	     atomic64_read(&vfnet_stats.containers),
	     atomic64_read(&vfnet_stats.dma),
	     atomic64_read(&vfnet_stats.pinned),
	     atomic64_read(&vfnet_stats.locked),
	     atomic64_read(&vfnet_stats.iommu_bytes));
}
