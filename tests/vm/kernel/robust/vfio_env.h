/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the kernel robustness tests (fuzz, kill -9, unbind,
 * debugfs): open a device through vfnet's nodes, read vfnet's debugfs
 * totals and the kernel's pin counters, so that every test can prove it
 * left nothing behind.
 */
#ifndef VFIO_ENV_H
#define VFIO_ENV_H

#include <stdint.h>
#include <linux/vfio.h>

/** Region index to its offset in the device fd (vfio-pci's layout). */
#define VENV_REGION_OFF(idx) ((uint64_t)(idx) << 40)

/** The nodes and debugfs folder of the driver under test. */
struct venv {
	const char *container_path;	/**< e.g. /dev/vfnet/vfio */
	const char *group_dir;		/**< e.g. /dev/vfnet */
	const char *debugfs;		/**< e.g. /sys/kernel/debug/vfnet */
};

/** The fds of one opened device. */
struct vdev_fds {
	int container;
	int group;
	int device;
	int group_id;
};

/** Fill @p e from VFN_CONTAINER, VFN_GROUP_DIR, VFN_DEBUGFS or defaults. */
void venv_init(struct venv *e);

/** IOMMU group number of PCI device @p bdf, or -1. */
int venv_group_id(const char *bdf);

/**
 * Open container, group (SET_CONTAINER, SET_IOMMU type1v2) and, unless
 * @p no_device, the device fd of @p bdf.  Returns 0, or -errno with the
 * failing step printed as a TAP diagnostic; on failure nothing stays open.
 */
int vdev_open_fds(const struct venv *e, const char *bdf, int no_device,
		  struct vdev_fds *f);
/** Close whatever @p f holds (device, group, container). */
void vdev_close_fds(struct vdev_fds *f);

/** Totals of debugfs "stats" and the kernel's FOLL_PIN counters. */
struct venv_counts {
	long long containers;
	long long dma;
	long long pinned;
	long long locked;
	long long iommu_bytes;
	long long foll_pin_acquired;	/**< /proc/vmstat */
	long long foll_pin_released;	/**< /proc/vmstat */
};

/** Read the counters; returns 0, or -1 when debugfs stats is unreadable. */
int venv_counts(const struct venv *e, struct venv_counts *c);

/**
 * Value of "key N" in a debugfs-style file, or @p dflt when the file or
 * the key is missing.
 */
long long venv_file_key(const char *path, const char *key, long long dflt);

/** This process's locked_vm in KiB (VmLck of /proc/self/status). */
long long venv_vmlck_kb(void);

/** Read a whole (small) file into @p buf; returns bytes or -1. */
long venv_read_file(const char *path, char *buf, size_t size);

#endif /* VFIO_ENV_H */
