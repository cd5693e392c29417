/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfnet core internals: shared by main.c, container.c, group.c, device.c
 * and the IOMMU backends.  Bus drivers use vfnet.h only.
 *
 * Objects and their lifetimes:
 *  - vfnet_container: one per open of the container node; a kref held by
 *    the container file and by every group attached to it.
 *  - vfnet_group: one per IOMMU group that has at least one registered
 *    device; lifetime is its struct device (the registrations hold one
 *    reference, an open group file another through its cdev).
 *  - vfnet_device: embedded in the bus driver's state (see vfnet.h).
 *
 * Lock order: vfnet_groups_lock -> group->lock -> container->group_lock
 * -> backend locks.
 */
#ifndef VFNET_PRIVATE_H
#define VFNET_PRIVATE_H

#include <linux/cdev.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rwsem.h>
#include <linux/sched.h>

#include "vfnet.h"

struct seq_file;

enum vfnet_group_type {
	VFNET_GROUP_IOMMU,	/* a real IOMMU group: DMA confined */
	VFNET_GROUP_NOIOMMU,	/* a fake group: no DMA confinement */
};

struct vfnet_container;

/**
 * struct vfnet_group - one IOMMU group as a char device
 * @dev: the group's device (/dev/vfnet/<id>); its refcount is the group's
 * @cdev: char device, parented to @dev so an open file pins the group
 * @iommu_group: reference held for the group's whole life
 * @type: real or no-IOMMU group
 * @lock: protects everything below
 * @device_list: registered vfnet_devices
 * @dev_counter: number of entries in @device_list
 * @removed: every device unregistered; no new opens or fds
 * @opened_file: the one open group file, or NULL
 * @container: the container the group is attached to, or NULL
 * @container_users: 1 for the attachment plus one per open device fd
 * @container_next: entry in the container's group list
 * @vfnet_next: entry in the global group list (under vfnet_groups_lock)
 */
struct vfnet_group {
	struct device dev;
	struct cdev cdev;
	struct iommu_group *iommu_group;
	enum vfnet_group_type type;
	struct mutex lock;
	struct list_head device_list;
	unsigned int dev_counter;
	bool removed;
	struct file *opened_file;
	struct vfnet_container *container;
	unsigned int container_users;
	struct list_head container_next;
	struct list_head vfnet_next;
};

/**
 * struct vfnet_iommu_backend - an IOMMU model a container can be set to
 * @name: for logs
 * @noiommu: the backend for no-IOMMU groups (the only one they may use)
 * @open: VFIO_SET_IOMMU with @arg; returns backend data or ERR_PTR
 * @release: the container lost its last group or was freed
 * @ioctl: VFIO_CHECK_EXTENSION (with NULL @data when no IOMMU is set yet)
 *         and every container ioctl the core does not handle itself
 * @attach_group: a group joins (or, at SET_IOMMU, already is in) the container
 * @detach_group: a group leaves
 * @debug_show: print the backend's state to debugfs (debugfs.c): a summary,
 *              or with @mappings one line per DMA mapping; takes its own
 *              locks, called with the container's group_lock read-held
 */
struct vfnet_iommu_backend {
	const char *name;
	bool noiommu;
	void *(*open)(unsigned long arg);
	void (*release)(void *data);
	long (*ioctl)(void *data, unsigned int cmd, unsigned long arg);
	int (*attach_group)(void *data, struct iommu_group *iommu_group,
			    enum vfnet_group_type type);
	void (*detach_group)(void *data, struct iommu_group *iommu_group);
	void (*debug_show)(void *data, struct seq_file *s, bool mappings);
};

/**
 * struct vfnet_container - what the container node's fd refers to
 * @kref: container file + one per attached group
 * @group_lock: protects @group_list, @backend, @backend_data, @noiommu
 * @group_list: attached groups
 * @backend: IOMMU backend after VFIO_SET_IOMMU, else NULL
 * @backend_data: the backend's state
 * @noiommu: the attached groups are no-IOMMU groups
 * @debug_id: its number under debugfs containers/ (fixed at open)
 * @debugfs: its debugfs folder; removed before the container is freed
 * @owner_pid: thread group id of the process that opened it
 * @owner_comm: that process's name then
 */
struct vfnet_container {
	struct kref kref;
	struct rw_semaphore group_lock;
	struct list_head group_list;
	const struct vfnet_iommu_backend *backend;
	void *backend_data;
	bool noiommu;
	unsigned int debug_id;
	struct dentry *debugfs;
	pid_t owner_pid;
	char owner_comm[TASK_COMM_LEN];
};

/**
 * struct vfnet_stats - module-wide totals, for debugfs "stats" and the
 * tests that prove nothing is left behind; all zero when nothing is open
 * @containers: containers not yet freed
 * @dma: type1 DMA mappings (struct type1_dma) live
 * @pinned: pages pinned (FOLL_PIN) for DMA now
 * @locked: pages charged to some mm's locked_vm for DMA now
 * @iommu_bytes: bytes mapped in IOMMU domains now (a mapping mapped in two
 *               domains counts twice)
 */
struct vfnet_stats {
	atomic64_t containers;
	atomic64_t dma;
	atomic64_t pinned;
	atomic64_t locked;
	atomic64_t iommu_bytes;
};

/* debugfs.c */
extern struct vfnet_stats vfnet_stats;
extern struct dentry *vfnet_debugfs_root;
void vfnet_debugfs_init(void);
void vfnet_debugfs_exit(void);
void vfnet_debugfs_container_add(struct vfnet_container *container);
void vfnet_debugfs_container_remove(struct vfnet_container *container);
void vfnet_debugfs_device_add(struct vfnet_device *vdev);
void vfnet_debugfs_device_remove(struct vfnet_device *vdev);

/* main.c */
extern bool vfnet_compat;
extern bool vfnet_noiommu;
const char *vfnet_name(void);

/* container.c */
int vfnet_container_init(void);
void vfnet_container_exit(void);
struct vfnet_container *vfnet_container_from_file(struct file *file);
int vfnet_container_attach_group(struct vfnet_container *container,
				 struct vfnet_group *group);
void vfnet_container_detach_group(struct vfnet_group *group);
bool vfnet_container_has_iommu(struct vfnet_container *container);

/* group.c */
int vfnet_group_init(void);
void vfnet_group_exit(void);
struct vfnet_group *vfnet_group_get_for_dev(struct device *dev);
void vfnet_group_put_for_dev(struct vfnet_group *group, struct device *dev);

/* device.c */
int vfnet_device_open_fd(struct vfnet_group *group, const char *name);

/* type1.c, noiommu.c */
extern const struct vfnet_iommu_backend vfnet_type1_backend;
extern const struct vfnet_iommu_backend vfnet_noiommu_backend;
int vfnet_type1_init(void);
void vfnet_type1_exit(void);

#endif /* VFNET_PRIVATE_H */
