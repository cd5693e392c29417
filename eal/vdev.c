/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual devices.  Drivers register by name from constructors; a device
 * "net_null0" goes to the driver with the longest name that is a prefix of
 * the device name ("net_null"), as DPDK's vdev bus does.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eal_private.h"
#include "vfn_log.h"
#include "vfn_vdev.h"

struct vdev {
	TAILQ_ENTRY(vdev) next;
	char name[64];
	struct vfn_vdev_driver *drv;
};

static TAILQ_HEAD(, vfn_vdev_driver) drivers =
	TAILQ_HEAD_INITIALIZER(drivers);
static TAILQ_HEAD(vdev_list_head, vdev) devices = TAILQ_HEAD_INITIALIZER(devices);
static pthread_mutex_t vdev_lock = PTHREAD_MUTEX_INITIALIZER;

void vfn_vdev_register_driver(struct vfn_vdev_driver *drv)
{
	pthread_mutex_lock(&vdev_lock);
	TAILQ_INSERT_TAIL(&drivers, drv, next);
	pthread_mutex_unlock(&vdev_lock);
}

void vfn_vdev_unregister_driver(struct vfn_vdev_driver *drv)
{
	pthread_mutex_lock(&vdev_lock);
	TAILQ_REMOVE(&drivers, drv, next);
	pthread_mutex_unlock(&vdev_lock);
}

static struct vfn_vdev_driver *find_driver(const char *name)
{
	struct vfn_vdev_driver *drv, *best = NULL;
	size_t best_len = 0;

	TAILQ_FOREACH(drv, &drivers, next) {
		size_t len = strlen(drv->name);

		if (!strncmp(name, drv->name, len) && len > best_len) {
			best = drv;
			best_len = len;
		}
	}
	return best;
}

struct vfn_vdev_driver *vfn_vdev_find_driver(const char *name)
{
	struct vfn_vdev_driver *drv;

	if (!name)
		return NULL;
	pthread_mutex_lock(&vdev_lock);
	drv = find_driver(name);
	pthread_mutex_unlock(&vdev_lock);
	return drv;
}

static struct vdev *find_device(const char *name)
{
	struct vdev *d;

	TAILQ_FOREACH(d, &devices, next)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

int vfn_vdev_init(const char *name, const char *args)
{
	struct vfn_vdev_driver *drv;
	struct vdev *d;
	int ret;

	if (!name || !name[0] || strlen(name) >= sizeof(d->name))
		return -EINVAL;
	pthread_mutex_lock(&vdev_lock);
	if (find_device(name)) {
		pthread_mutex_unlock(&vdev_lock);
		return -EEXIST;
	}
	drv = find_driver(name);
	pthread_mutex_unlock(&vdev_lock);
	if (!drv)
		return -ENOENT;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	eal_fmt(d->name, sizeof(d->name), "%s", name);
	d->drv = drv;
	ret = drv->probe(name, args ? args : "");
	if (ret) {
		free(d);
		return ret < 0 ? ret : -EIO;
	}
	pthread_mutex_lock(&vdev_lock);
	TAILQ_INSERT_TAIL(&devices, d, next);
	pthread_mutex_unlock(&vdev_lock);
	return 0;
}

int vfn_vdev_uninit(const char *name)
{
	struct vdev *d;
	int ret = 0;

	if (!name)
		return -EINVAL;
	pthread_mutex_lock(&vdev_lock);
	d = find_device(name);
	if (d)
		TAILQ_REMOVE(&devices, d, next);
	pthread_mutex_unlock(&vdev_lock);
	if (!d)
		return -ENOENT;
	if (d->drv->remove)
		ret = d->drv->remove(name);
	free(d);
	return ret;
}

static void driver_names(char *buf, size_t n)
{
	struct vfn_vdev_driver *drv;
	size_t len = 0;

	buf[0] = '\0';
	TAILQ_FOREACH(drv, &drivers, next) {
		int w = eal_fmt(buf + len, n - len, "%s%s", len ? ", " : "",
				 drv->name);

		if (w < 0 || (size_t)w >= n - len)
			break;
		len += w;
	}
	if (!len)
		eal_fmt(buf, n, "none");
}

int eal_vdev_probe_all(void)
{
	struct eal_devarg *da;

	TAILQ_FOREACH(da, &eal_cfg.vdevs, next) {
		int ret = vfn_vdev_init(da->name, da->args);

		if (ret == -ENOENT) {
			char names[256];

			pthread_mutex_lock(&vdev_lock);
			driver_names(names, sizeof(names));
			pthread_mutex_unlock(&vdev_lock);
			eal_error("invalid EAL argument '--vdev %s': no virtual device driver for '%s' (registered: %s)",
				  da->name, da->name, names);
			return -1;
		}
		if (ret == -EEXIST) {
			eal_error("invalid EAL argument '--vdev %s': device %s given twice",
				  da->name, da->name);
			return -1;
		}
		if (ret) {
			eal_error("--vdev %s%s%s: driver %s failed to create it: %s",
				  da->name, da->args[0] ? "," : "", da->args,
				  vfn_vdev_find_driver(da->name)->name,
				  strerror(-ret));
			return -1;
		}
	}
	return 0;
}

void eal_vdev_remove_all(void)
{
	struct vdev *d;

	for (;;) {
		char name[64];

		pthread_mutex_lock(&vdev_lock);
		d = TAILQ_LAST(&devices, vdev_list_head);
		if (d)
			eal_fmt(name, sizeof(name), "%s", d->name);
		pthread_mutex_unlock(&vdev_lock);
		if (!d)
			break;
		vfn_vdev_uninit(name);
	}
}
