/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfnet core <-> bus driver interface.
 *
 * The core (container.c, group.c, device.c, type1.c) owns the VFIO uAPI
 * character devices and the IOMMU; a bus driver (pci_*.c) embeds a
 * struct vfnet_device in its own per-device state, fills in the ops and
 * registers it.  The core then hands the device fd's file operations to
 * those ops, after it has checked the group is attached to a container
 * with an IOMMU set, so a bus driver never sees a device fd whose DMA is
 * not confined.
 */
#ifndef VFNET_H
#define VFNET_H

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/completion.h>

struct vfnet_device;
struct vfnet_group;
struct seq_file;
struct dentry;

/**
 * struct vfnet_device_ops - what a bus driver implements for a device fd
 * @name: bus driver name, for logs
 * @open_device: first open of the device fd (enable the device)
 * @close_device: last close of the device fd (disable, reset, restore)
 * @read: pread() at a region offset
 * @write: pwrite() at a region offset
 * @ioctl: every VFIO_DEVICE_* ioctl
 * @mmap: mmap() at a region offset
 * @request: the device is being removed; ask the user (REQ irq) to let go.
 *           @count is how many times it has been asked so far.
 * @match: does @buf (from VFIO_GROUP_GET_DEVICE_FD) name this device?
 *         Return 1 for yes, 0 for no; NULL means compare dev_name().
 * @debug_show: print the bus driver's view of the device to its debugfs
 *              file; may sleep and take the driver's own locks; called
 *              only while the device is registered, with no core lock held
 */
struct vfnet_device_ops {
	const char *name;
	int (*open_device)(struct vfnet_device *vdev);
	void (*close_device)(struct vfnet_device *vdev);
	ssize_t (*read)(struct vfnet_device *vdev, char __user *buf,
			size_t count, loff_t *ppos);
	ssize_t (*write)(struct vfnet_device *vdev, const char __user *buf,
			 size_t count, loff_t *ppos);
	long (*ioctl)(struct vfnet_device *vdev, unsigned int cmd,
		      unsigned long arg);
	int (*mmap)(struct vfnet_device *vdev, struct vm_area_struct *vma);
	void (*request)(struct vfnet_device *vdev, unsigned int count);
	int (*match)(struct vfnet_device *vdev, char *buf);
	void (*debug_show)(struct vfnet_device *vdev, struct seq_file *s);
};

/**
 * struct vfnet_device - one device as the core sees it
 * @dev: the bus device (e.g. &pci_dev->dev)
 * @ops: the bus driver's callbacks
 * @group: set by registration
 * @group_next: entry in the group's device list (core private)
 * @refcount: registration holds one, each device fd one more (core private)
 * @comp: completed when @refcount drops to zero (core private)
 * @open_count: device fds open now, under the group's lock (core private)
 * @debugfs: its debugfs folder while registered (core private)
 */
struct vfnet_device {
	struct device *dev;
	const struct vfnet_device_ops *ops;
	struct vfnet_group *group;
	struct list_head group_next;
	refcount_t refcount;
	struct completion comp;
	unsigned int open_count;
	struct dentry *debugfs;
};

/*
 * Registration.  vfnet_register_group_dev() finds (or, in no-IOMMU mode
 * for a device without an IOMMU group, creates) the group and its char
 * device.  vfnet_unregister_group_dev() blocks until every device fd is
 * closed, calling ops->request() periodically while it waits.
 */
void vfnet_init_device(struct vfnet_device *vdev, struct device *dev,
		       const struct vfnet_device_ops *ops);
int vfnet_register_group_dev(struct vfnet_device *vdev);
void vfnet_unregister_group_dev(struct vfnet_device *vdev);

/* True when the module was loaded with no-IOMMU mode enabled. */
bool vfnet_noiommu_enabled(void);

/*
 * For VFIO_DEVICE_PCI_HOT_RESET: is @file a vfnet group fd, and is it the
 * (live) group of @vdev?  @file must be held by the caller.
 */
bool vfnet_file_is_group(struct file *file);
bool vfnet_file_has_dev(struct file *file, struct vfnet_device *vdev);

/*
 * True when @vdev's group is attached to a container and that container
 * also holds @other's group, i.e. one user owns both (used by hot reset).
 */
bool vfnet_device_same_owner(struct vfnet_device *vdev,
			     struct vfnet_device *other);

/*
 * A device's last fd closed: remove every type1 mapping of its MMIO
 * [@pfn, @pfn + @npages) (BARs mmapped and DMA-mapped by the user).
 */
void vfnet_iommu_revoke_pfns(unsigned long pfn, unsigned long npages);

/* True when @file is a vfnet device fd (its BAR mmaps may be DMA-mapped). */
bool vfnet_file_is_device(struct file *file);

/* Module-wide names: "vfnet"/"vfnet-pci" or, in compat mode, VFIO's. */
bool vfnet_compat_mode(void);

/* Bus drivers, called from the module's init/exit in main.c. */
int vfnet_pci_init(void);
void vfnet_pci_exit(void);

#endif /* VFNET_H */
