/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Opening a PCI device through VFIO and mapping its BARs.  A BAR is mapped
 * where the kernel allows: the whole BAR when the region has the MMAP flag
 * and no sparse-mmap capability, otherwise only the areas the sparse-mmap
 * capability lists (the kernel keeps the MSI-X table out of them).  The
 * whole BAR's address range is reserved first, so bar[i].addr + offset
 * works for every offset and the holes fault instead of aliasing other
 * memory; registers in a hole are reached with vfn_pci_bar_read/write.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "eal_private.h"
#include "pci_private.h"
#include "vfn_log.h"

/* REGION_INFO with its capability chain; caller frees. */
static struct vfio_region_info *region_info(int fd, unsigned int index)
{
	struct vfio_region_info *ri;
	uint32_t argsz = sizeof(*ri);

	for (int tries = 0; tries < 3; tries++) {
		ri = calloc(1, argsz);
		if (!ri)
			return NULL;
		ri->argsz = argsz;
		ri->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri)) {
			free(ri);
			return NULL;
		}
		if (ri->argsz <= argsz)
			return ri;
		argsz = ri->argsz;
		free(ri);
	}
	return NULL;
}

static struct vfio_info_cap_header *find_cap(struct vfio_region_info *ri,
					     uint16_t id)
{
	uint32_t off;

	if (!(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return NULL;
	for (off = ri->cap_offset; off && off + sizeof(struct vfio_info_cap_header) <= ri->argsz;) {
		struct vfio_info_cap_header *h = (void *)((uint8_t *)ri + off);

		if (h->id == id)
			return h;
		if (h->next <= off)
			break;
		off = h->next;
	}
	return NULL;
}

static int map_area(struct eal_pci_dev *pd, uint8_t *base, uint64_t off,
		    uint64_t size, uint64_t region_off)
{
	void *p = mmap(base + off, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED, pd->pub.vfio_dev_fd,
		       (off_t)(region_off + off));

	return p == MAP_FAILED ? -1 : 0;
}

static int map_bar(struct eal_pci_dev *pd, int i, struct vfio_region_info *ri)
{
	struct vfn_pci_bar *bar = &pd->pub.bar[i];
	struct pci_region *r = &pd->region[i];
	struct vfio_region_info_cap_sparse_mmap *sp;
	size_t len = vfn_align_ceil(ri->size, (uint64_t)sysconf(_SC_PAGESIZE));
	uint8_t *base;

	if (!(ri->flags & VFIO_REGION_INFO_FLAG_MMAP) || bar->is_io)
		return 0;
	base = mmap(NULL, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	sp = (void *)find_cap(ri, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	r->sparse_areas = 0;
	if (sp && !find_cap(ri, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE)) {
		for (uint32_t a = 0; a < sp->nr_areas; a++) {
			if (!sp->areas[a].size)
				continue;
			if (sp->areas[a].offset + sp->areas[a].size > len ||
			    map_area(pd, base, sp->areas[a].offset,
				     sp->areas[a].size, ri->offset))
				goto fail;
			r->sparse_areas++;
		}
		if (!r->sparse_areas) { /* nothing mappable after all */
			munmap(base, len);
			return 0;
		}
	} else if (map_area(pd, base, 0, ri->size, ri->offset)) {
		goto fail;
	}
	r->map = base;
	r->map_len = len;
	bar->addr = base;
	return 0;
fail:
	munmap(base, len);
	return -1;
}

int pci_vfio_open(struct eal_pci_dev *pd)
{
	struct vfn_pci_device *dev = &pd->pub;
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	int gfd, fd;

	gfd = eal_vfio_group_get(dev->name);
	if (gfd < 0)
		return -1;
	fd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, dev->name);
	if (fd < 0) {
		eal_error("%s: VFIO_GROUP_GET_DEVICE_FD: %s%s", dev->name,
			  strerror(errno),
			  errno == EBUSY ? " (another process uses it)" : "");
		return -1;
	}
	dev->vfio_dev_fd = fd;
	if (ioctl(fd, VFIO_DEVICE_GET_INFO, &info)) {
		eal_error("%s: VFIO_DEVICE_GET_INFO: %s", dev->name,
			  strerror(errno));
		goto fail;
	}
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		eal_error("%s: the VFIO device is not a PCI device", dev->name);
		goto fail;
	}
	pd->dev_flags = info.flags;
	pd->num_irqs = info.num_irqs;
	for (unsigned int i = 0; i < PCI_NUM_REGIONS && i < info.num_regions;
	     i++) {
		struct vfio_region_info *ri = region_info(fd, i);

		if (!ri)
			continue;
		pd->region[i].offset = ri->offset;
		pd->region[i].size = ri->size;
		pd->region[i].flags = ri->flags;
		if (i < VFN_PCI_MAX_BARS && ri->size) {
			dev->bar[i].len = ri->size;
			if (map_bar(pd, (int)i, ri)) {
				eal_error("%s: cannot map BAR%u: %s", dev->name,
					  i, strerror(errno));
				free(ri);
				goto fail;
			}
		}
		free(ri);
	}
	irq.index = VFIO_PCI_MSIX_IRQ_INDEX;
	if (info.num_irqs > VFIO_PCI_MSIX_IRQ_INDEX &&
	    !ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &irq))
		pd->msix_count = irq.count;
	dev->msix_vectors = pd->msix_count;
	return 0;
fail:
	pci_vfio_close(pd);
	return -1;
}

void pci_vfio_close(struct eal_pci_dev *pd)
{
	struct vfn_pci_device *dev = &pd->pub;

	if (dev->vfio_dev_fd < 0)
		return;
	if (pd->msix_n)
		vfn_pci_msix_disable(dev);
	if (pd->intx_efd >= 0)
		vfn_pci_intx_disable(dev);
	for (int i = 0; i < VFN_PCI_MAX_BARS; i++) {
		if (pd->region[i].map)
			munmap(pd->region[i].map, pd->region[i].map_len);
		pd->region[i].map = NULL;
		dev->bar[i].addr = NULL;
	}
	close(dev->vfio_dev_fd);
	dev->vfio_dev_fd = -1;
}
