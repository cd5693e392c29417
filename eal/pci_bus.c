/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PCI bus: driver registry, addresses, the allow/block policy, and
 * probe/remove.  A device is probed when it is allowed (named by -a, or,
 * without -a, bound to the VFIO driver in use and not named by -b) and a
 * registered driver's ID table matches it; it is opened and its BARs are
 * mapped before the driver's probe() runs.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eal_private.h"
#include "pci_private.h"
#include "vfn_log.h"

static TAILQ_HEAD(, vfn_pci_driver) pci_drivers =
	TAILQ_HEAD_INITIALIZER(pci_drivers);

void vfn_pci_register_driver(struct vfn_pci_driver *drv)
{
	TAILQ_INSERT_TAIL(&pci_drivers, drv, next);
}

void vfn_pci_unregister_driver(struct vfn_pci_driver *drv)
{
	TAILQ_REMOVE(&pci_drivers, drv, next);
}

static int parse_hex(const char **p, unsigned long max, unsigned int digits,
		     unsigned long *out)
{
	unsigned long v = 0;
	unsigned int n = 0;

	while (isxdigit((unsigned char)**p) && n < digits) {
		char c = (char)tolower((unsigned char)**p);

		v = v * 16 + (unsigned long)(isdigit((unsigned char)c) ? c - '0' : c - 'a' + 10);
		(*p)++;
		n++;
	}
	if (!n || v > max || isxdigit((unsigned char)**p))
		return -1;
	*out = v;
	return 0;
}

int vfn_pci_addr_parse(const char *str, struct vfn_pci_addr *addr)
{
	unsigned long dom = 0, bus, dev, fn;
	const char *p = str;
	const char *colon1, *colon2;

	if (!str || !addr)
		return -EINVAL;
	colon1 = strchr(str, ':');
	colon2 = colon1 ? strchr(colon1 + 1, ':') : NULL;
	if (colon2) {
		if (parse_hex(&p, 0xffffffff, 8, &dom) || *p++ != ':')
			return -EINVAL;
	}
	if (parse_hex(&p, 0xff, 2, &bus) || *p++ != ':' ||
	    parse_hex(&p, 0x1f, 2, &dev) || *p++ != '.' ||
	    parse_hex(&p, 7, 1, &fn) || *p)
		return -EINVAL;
	addr->domain = (uint32_t)dom;
	addr->bus = (uint8_t)bus;
	addr->devid = (uint8_t)dev;
	addr->function = (uint8_t)fn;
	return 0;
}

void vfn_pci_addr_format(const struct vfn_pci_addr *addr, char *buf,
			 size_t size)
{
	eal_fmt(buf, size, "%04x:%02x:%02x.%x", addr->domain, addr->bus,
		 addr->devid, addr->function);
}

struct vfn_pci_device *vfn_pci_device_first(void)
{
	return TAILQ_FIRST(&pci_devices);
}

struct vfn_pci_device *vfn_pci_device_next(struct vfn_pci_device *dev)
{
	return dev ? TAILQ_NEXT(dev, next) : NULL;
}

struct eal_pci_dev *pci_find(const char *bdf)
{
	struct vfn_pci_device *dev;

	TAILQ_FOREACH(dev, &pci_devices, next)
		if (!strcmp(dev->name, bdf))
			return pci_priv(dev);
	return NULL;
}

static bool id_match(const struct vfn_pci_id *pat, const struct vfn_pci_id *id)
{
	if (pat->vendor_id != VFN_PCI_ANY_ID && pat->vendor_id != id->vendor_id)
		return false;
	if (pat->device_id != VFN_PCI_ANY_ID && pat->device_id != id->device_id)
		return false;
	if (pat->subsystem_vendor_id != VFN_PCI_ANY_ID &&
	    pat->subsystem_vendor_id && /* 0 in a table: not specified */
	    pat->subsystem_vendor_id != id->subsystem_vendor_id)
		return false;
	if (pat->subsystem_device_id != VFN_PCI_ANY_ID &&
	    pat->subsystem_device_id &&
	    pat->subsystem_device_id != id->subsystem_device_id)
		return false;
	if (pat->class_id != VFN_PCI_ANY_ID && pat->class_id &&
	    pat->class_id != id->class_id)
		return false;
	return true;
}

static struct vfn_pci_driver *find_driver(const struct vfn_pci_device *dev)
{
	struct vfn_pci_driver *drv;

	TAILQ_FOREACH(drv, &pci_drivers, next)
		for (const struct vfn_pci_id *id = drv->id_table;
		     id && id->vendor_id; id++)
			if (id_match(id, &dev->id))
				return drv;
	return NULL;
}

static struct eal_devarg *find_devarg(struct eal_devarg_list *l,
				      const char *bdf)
{
	struct eal_devarg *d;

	TAILQ_FOREACH(d, l, next)
		if (!strcmp(d->name, bdf))
			return d;
	return NULL;
}

bool eal_pci_allowed(const char *bdf, const char **devargs)
{
	struct eal_devarg *d;

	if (devargs)
		*devargs = NULL;
	if (!TAILQ_EMPTY(&eal_cfg.allow)) {
		d = find_devarg(&eal_cfg.allow, bdf);
		if (d && devargs && d->args[0])
			*devargs = d->args;
		return d != NULL;
	}
	return !find_devarg(&eal_cfg.block, bdf);
}

/*
 * Decide which devices the EAL uses and open their IOMMU groups, before
 * memory is reserved (the IOVA ranges of the container decide where).
 * Returns the number of devices to probe, or -1 with the error set.
 */
int eal_pci_prepare(void)
{
	struct eal_devarg *da;
	struct vfn_pci_device *dev;
	const char *first_kdrv = NULL;
	bool explicit = !TAILQ_EMPTY(&eal_cfg.allow);
	char msg[1024];
	int n = 0;

	TAILQ_FOREACH(da, &eal_cfg.allow, next) {
		struct eal_pci_dev *pd = pci_find(da->name);

		if (!pd) {
			eal_error("invalid EAL argument '-a %s': no such PCI device (see lspci -D)",
				  da->name);
			return -1;
		}
		if (!first_kdrv)
			first_kdrv = pd->pub.kdrv;
	}
	if (!explicit) {
		TAILQ_FOREACH(dev, &pci_devices, next)
			if (!strcmp(dev->kdrv, "vfnet-pci") ||
			    !strcmp(dev->kdrv, "vfio-pci")) {
				if (eal_cfg.vfio == EAL_VFIO_AUTO ||
				    (eal_cfg.vfio == EAL_VFIO_VFNET) ==
				    !strcmp(dev->kdrv, "vfnet-pci")) {
					first_kdrv = dev->kdrv;
					break;
				}
			}
		if (!first_kdrv)
			return 0; /* nothing bound to VFIO: nothing to do */
	}
	eal_vfio_choose(eal_cfg.vfio, first_kdrv);
	TAILQ_FOREACH(dev, &pci_devices, next) {
		struct eal_pci_dev *pd = pci_priv(dev);
		const char *args;

		if (!eal_pci_allowed(dev->name, &args))
			continue;
		if (!eal_vfio_driver_ok(dev->kdrv)) {
			if (explicit) {
				if (eal_vfio_iommu_missing())
					eal_vfio_diag_no_iommu(msg,
							       sizeof(msg));
				else if (!eal_vfio_driver_loaded())
					/* cannot bind to a driver not loaded */
					eal_diag_no_driver(msg, sizeof(msg),
						eal_vfio.container_path,
						eal_vfio_module_cmd());
				else
					eal_diag_not_bound(msg, sizeof(msg),
						dev->name, dev->kdrv,
						eal_vfio_driver_name());
				eal_error("%s", msg);
				return -1;
			}
			continue;
		}
		pd->allowed = true;
		dev->devargs = args;
		n++;
	}
	if (!n)
		return 0;
	if (eal_vfio_open(eal_cfg.vfio))
		return -1;
	TAILQ_FOREACH(dev, &pci_devices, next)
		if (pci_priv(dev)->allowed && eal_vfio_group_get(dev->name) < 0)
			return -1;
	if (eal_vfio_setup_iommu())
		return -1;
	return n;
}

int eal_pci_probe(void)
{
	struct vfn_pci_device *dev;

	TAILQ_FOREACH(dev, &pci_devices, next) {
		struct eal_pci_dev *pd = pci_priv(dev);
		struct vfn_pci_driver *drv;
		int ret;

		if (!pd->allowed)
			continue;
		drv = find_driver(dev);
		if (!drv) {
			vfn_log(VFN_LOG_NOTICE, "EAL",
				"%s (%04x:%04x): no vfnet driver for this device, not used",
				dev->name, dev->id.vendor_id, dev->id.device_id);
			continue;
		}
		if (pci_vfio_open(pd))
			return -1;
		ret = drv->probe(drv, dev);
		if (ret) {
			vfn_log(VFN_LOG_WARNING, "EAL",
				"%s: driver %s declined the device: %s",
				dev->name, drv->name, strerror(-ret));
			pci_vfio_close(pd);
			continue;
		}
		dev->driver = drv;
		pd->probed = true;
		vfn_log(VFN_LOG_INFO, "EAL", "%s: probed by %s", dev->name,
			drv->name);
	}
	return 0;
}

void eal_pci_remove_all(void)
{
	struct vfn_pci_device *dev;

	TAILQ_FOREACH_REVERSE(dev, &pci_devices, pci_device_list, next) {
		struct eal_pci_dev *pd = pci_priv(dev);

		if (pd->probed && dev->driver && dev->driver->remove)
			dev->driver->remove(dev);
		pd->probed = false;
		dev->driver = NULL;
		pci_vfio_close(pd);
	}
}

void eal_pci_close_fds(void)
{
	struct vfn_pci_device *dev;

	TAILQ_FOREACH(dev, &pci_devices, next)
		if (dev->vfio_dev_fd >= 0)
			close(dev->vfio_dev_fd);
}
