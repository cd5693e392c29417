/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Virtual (software) devices: "--vdev net_null0,size=64" creates device
 * "net_null0" with arguments "size=64" through the registered driver whose
 * name is a prefix of the device name ("net_null"), as DPDK does.
 */
#ifndef VFN_VDEV_H
#define VFN_VDEV_H

#include <sys/queue.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A virtual device driver. */
struct vfn_vdev_driver {
	TAILQ_ENTRY(vfn_vdev_driver) next;
	/** Driver name, e.g. "net_null"; devices are named "<name><n>". */
	const char *name;
	/**
	 * Create device @p name ("net_null0") with @p args ("size=64,copy=1",
	 * or "" when none).  @return 0 or a negative errno.
	 */
	int (*probe)(const char *name, const char *args);
	/** Destroy device @p name.  @return 0 or a negative errno. */
	int (*remove)(const char *name);
};

/** Register @p drv; call from a constructor, before vfn_eal_init(). */
void vfn_vdev_register_driver(struct vfn_vdev_driver *drv);

/** Unregister @p drv. */
void vfn_vdev_unregister_driver(struct vfn_vdev_driver *drv);

/**
 * Create a virtual device now (as --vdev would at init).
 * @param name  device name; the driver is the longest registered name
 *              that is a prefix of it
 * @param args  driver arguments, NULL or "" for none
 * @return 0; -ENOENT when no driver matches; -EEXIST when @p name exists;
 *         otherwise the driver's probe() result.
 */
int vfn_vdev_init(const char *name, const char *args);

/** Remove a virtual device created by --vdev or vfn_vdev_init(). */
int vfn_vdev_uninit(const char *name);

/** Find the driver for device @p name (longest prefix), or NULL. */
struct vfn_vdev_driver *vfn_vdev_find_driver(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* VFN_VDEV_H */
