/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI bus scan: one struct per device under /sys/bus/pci/devices, with its
 * IDs, NUMA node, bound kernel driver and BAR addresses and sizes (from the
 * "resource" file).  Nothing is opened here.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eal_private.h"
#include "pci_private.h"
#include "vfn_log.h"

#define IORESOURCE_IO 0x00000100

struct pci_device_list pci_devices = TAILQ_HEAD_INITIALIZER(pci_devices);

static int read_hex(const char *dir, const char *file, uint64_t *v)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	eal_fmt(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fscanf(f, "%" SCNx64, v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static void read_resources(const char *dir, struct vfn_pci_device *dev)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	eal_fmt(path, sizeof(path), "%s/resource", dir);
	f = fopen(path, "r");
	if (!f)
		return;
	for (int i = 0; i < VFN_PCI_MAX_BARS && fgets(line, sizeof(line), f);
	     i++) {
		uint64_t start, end, flags;

		if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64, &start,
			   &end, &flags) != 3)
			break;
		if (!end)
			continue;
		dev->bar[i].phys_addr = start;
		dev->bar[i].len = end - start + 1;
		dev->bar[i].is_io = !!(flags & IORESOURCE_IO);
	}
	fclose(f);
}

static struct eal_pci_dev *scan_one(const char *name)
{
	char dir[PATH_MAX], link[PATH_MAX], path[PATH_MAX];
	struct eal_pci_dev *pd;
	struct vfn_pci_device *dev;
	uint64_t v;
	ssize_t n;

	pd = calloc(1, sizeof(*pd));
	if (!pd)
		return NULL;
	dev = &pd->pub;
	if (vfn_pci_addr_parse(name, &dev->addr)) {
		free(pd);
		return NULL;
	}
	vfn_pci_addr_format(&dev->addr, dev->name, sizeof(dev->name));
	eal_fmt(dir, sizeof(dir), "%s/bus/pci/devices/%s", eal_sysfs_root,
		 name);
	if (!read_hex(dir, "vendor", &v))
		dev->id.vendor_id = (uint16_t)v;
	if (!read_hex(dir, "device", &v))
		dev->id.device_id = (uint16_t)v;
	if (!read_hex(dir, "subsystem_vendor", &v))
		dev->id.subsystem_vendor_id = (uint16_t)v;
	if (!read_hex(dir, "subsystem_device", &v))
		dev->id.subsystem_device_id = (uint16_t)v;
	if (!read_hex(dir, "class", &v))
		dev->id.class_id = (uint32_t)v & 0xffffff;
	dev->numa_node = -1;
	eal_fmt(path, sizeof(path), "%s/numa_node", dir);
	{
		FILE *f = fopen(path, "r");

		if (f) {
			if (fscanf(f, "%d", &dev->numa_node) != 1)
				dev->numa_node = -1;
			fclose(f);
		}
	}
	eal_fmt(path, sizeof(path), "%s/driver", dir);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		eal_fmt(dev->kdrv, sizeof(dev->kdrv), "%s", basename(link));
	}
	read_resources(dir, dev);
	dev->vfio_dev_fd = -1;
	pd->intx_efd = -1;
	return pd;
}

static int addr_cmp(const struct vfn_pci_addr *a, const struct vfn_pci_addr *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->devid != b->devid)
		return a->devid < b->devid ? -1 : 1;
	return (int)a->function - (int)b->function;
}

int eal_pci_scan(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int n = 0;

	eal_fmt(path, sizeof(path), "%s/bus/pci/devices", eal_sysfs_root);
	d = opendir(path);
	if (!d)
		return 0; /* no PCI bus (a container): nothing to probe */
	while ((de = readdir(d))) {
		struct eal_pci_dev *pd;
		struct vfn_pci_device *it;

		if (de->d_name[0] == '.')
			continue;
		pd = scan_one(de->d_name);
		if (!pd)
			continue;
		TAILQ_FOREACH(it, &pci_devices, next)
			if (addr_cmp(&pd->pub.addr, &it->addr) < 0)
				break;
		if (it)
			TAILQ_INSERT_BEFORE(it, &pd->pub, next);
		else
			TAILQ_INSERT_TAIL(&pci_devices, &pd->pub, next);
		n++;
	}
	closedir(d);
	return n;
}

void eal_pci_free_all(void)
{
	struct vfn_pci_device *dev;

	while ((dev = TAILQ_FIRST(&pci_devices))) {
		TAILQ_REMOVE(&pci_devices, dev, next);
		free(pci_priv(dev));
	}
}
