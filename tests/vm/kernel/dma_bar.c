/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VFIO_IOMMU_MAP_DMA of a device BAR mmapped through the device fd (issue
 * 14, point 10): peer-to-peer DMA targets.  Upstream type1 follows the
 * PFNs of such VM_PFNMAP areas instead of pinning them; so must vfnet.
 * Checks, in TAP: a whole BAR and one page of it map, with nothing pinned
 * (/proc/vmstat FOLL_PIN counts) and nothing charged (VmLck); a
 * misaligned vaddr is -EINVAL, a range running past the BAR into memory
 * that cannot be mapped is -EFAULT, a read-only mmap cannot be mapped
 * device-writable; UNMAP_DMA returns the sizes and unpins nothing.
 * Lifetime (vfnet's answer, doc/kernel.md): a mapping outlives munmap()
 * of the BAR while the device is still open, and is torn down when the
 * device's last reference (fd or mmap) goes, so no IOMMU entry can reach
 * the BAR of a device that changed hands.  With -u, a BAR mmapped through
 * upstream vfio-pci (not a vfnet device) is refused (-EFAULT).
 *
 * usage: dma_bar -c CONTAINER -g GROUPDIR -d BDF [-u UCONT:UGROUPDIR:UBDF]
 */
#include <getopt.h>
#include <sys/mman.h>

#include "vfn_foll_pins.h"
#include "vfn_tap.h"
#include "vfio_fds.h"

#define PG 4096UL
#define IOVA_A 0x40000000ULL
#define IOVA_B 0x50000000ULL
#define RW (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* vfnet's debugfs count of bytes mapped in IOMMU domains, or -1 */
static long long iommu_bytes(void)
{
	char line[128];
	long long v = -1;
	FILE *f = fopen("/sys/kernel/debug/vfnet/stats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "iommu_mapped_bytes ", 19))
			v = atoll(line + 19);
	fclose(f);
	return v;
}

static int map_dma(int c, void *vaddr, uint64_t iova, uint64_t size, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = flags, .vaddr = (uintptr_t)vaddr,
		.iova = iova, .size = size,
	};

	return vfd_ioctl(c, VFIO_IOMMU_MAP_DMA, &m);
}

/* UNMAP_DMA; the size the kernel says it unmapped, or -errno */
static long long unmap_dma(int c, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};
	int r = vfd_ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u);

	return r < 0 ? r : (long long)u.size;
}

/* BAR 0 of @dev: its size, or 0 when it is not mmappable */
static uint64_t bar0_size(int dev)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = 0 };

	if (vfd_ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0 ||
	    !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return 0;
	return ri.size;
}

static void *bar_mmap(int dev, uint64_t size, int prot)
{
	void *p = mmap(NULL, size, prot, MAP_SHARED, dev, VFD_REGION(0));

	return p == MAP_FAILED ? NULL : p;
}

static void test_bar(int c, int dev, uint64_t sz)
{
	long pin0 = vfn_foll_pins(), lck0 = vfn_vmlck_kb();
	char *bar, *guard;

	bar = bar_mmap(dev, sz, PROT_READ | PROT_WRITE);
	if (!TAP_CHECK(bar, "mmap BAR0 (%llu bytes)", (unsigned long long)sz))
		return;
	TAP_EQ(map_dma(c, bar, IOVA_A, sz, RW), 0, "MAP_DMA the whole BAR");
	TAP_EQ(map_dma(c, bar + PG, IOVA_B, PG, RW), 0, "MAP_DMA one page of it");
	TAP_EQ(vfn_foll_pins() - pin0, 0, "pins: BAR mappings pin nothing");
	TAP_EQ(vfn_vmlck_kb() - lck0, 0, "locked_vm: BAR mappings charge nothing");
	TAP_EQ(map_dma(c, bar + 8, IOVA_B + PG, PG, RW), -EINVAL,
	       "MAP_DMA misaligned vaddr in the BAR is -EINVAL");
	TAP_EQ(map_dma(c, bar, IOVA_A, PG, RW), -EEXIST, "MAP_DMA overlapping IOVA is -EEXIST");
	TAP_EQ(unmap_dma(c, IOVA_B, PG), PG, "UNMAP_DMA the page");
	TAP_EQ(unmap_dma(c, IOVA_A, sz), sz, "UNMAP_DMA the BAR");
	TAP_EQ(vfn_foll_pins() - pin0, 0, "pins: unmapping unpinned nothing");
	TAP_EQ(vfn_vmlck_kb() - lck0, 0, "locked_vm: nothing uncharged either");
	munmap(bar, sz);

	/* a range that runs past the BAR into an inaccessible page */
	guard = mmap(NULL, sz + PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bar = guard == MAP_FAILED ? MAP_FAILED :
	      mmap(guard, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, dev,
		   VFD_REGION(0));
	if (TAP_CHECK(bar != MAP_FAILED, "mmap BAR0 before a PROT_NONE page")) {
		TAP_EQ(map_dma(c, bar, IOVA_A, sz + PG, RW), -EFAULT,
		       "MAP_DMA past the BAR's end is -EFAULT");
		TAP_EQ(unmap_dma(c, IOVA_A, sz + PG), 0, "the failed MAP_DMA left no mapping");
	}
	if (guard != MAP_FAILED)
		munmap(guard, sz + PG);

	bar = bar_mmap(dev, sz, PROT_READ);
	if (TAP_CHECK(bar, "mmap BAR0 read-only")) {
		TAP_EQ(map_dma(c, bar, IOVA_A, sz, RW), -EFAULT,
		       "MAP_DMA of a read-only mmap device-writable is -EFAULT");
		TAP_EQ(map_dma(c, bar, IOVA_A, sz, VFIO_DMA_MAP_FLAG_READ), 0,
		       "MAP_DMA of a read-only mmap device-read-only");
		TAP_EQ(unmap_dma(c, IOVA_A, sz), sz, "UNMAP_DMA it");
		munmap(bar, sz);
	}
	TAP_EQ(vfn_foll_pins() - pin0, 0, "pins: back to where they started");
}

/* The mapping outlives the BAR's munmap, not the device. */
static void test_lifetime(int c, int g, const char *bdf, uint64_t sz)
{
	long pin0 = vfn_foll_pins();
	long long io0 = iommu_bytes();
	char *bar;
	int dev;

	dev = vfd_device(g, bdf);
	bar = dev < 0 ? NULL : bar_mmap(dev, sz, PROT_READ | PROT_WRITE);
	if (!TAP_CHECK(bar, "lifetime: device fd and BAR mmap"))
		return;
	TAP_EQ(map_dma(c, bar, IOVA_A, sz, RW), 0, "lifetime: MAP_DMA the BAR");
	munmap(bar, sz);
	TAP_EQ(unmap_dma(c, IOVA_A, sz), sz,
	       "lifetime: the mapping outlived munmap() while the device is open");

	bar = bar_mmap(dev, sz, PROT_READ | PROT_WRITE);
	if (!TAP_CHECK(bar, "lifetime: mmap again"))
		return;
	TAP_EQ(map_dma(c, bar, IOVA_A, sz, RW), 0, "lifetime: MAP_DMA the BAR again");
	close(dev);
	TAP_EQ(map_dma(c, bar, IOVA_B, PG, RW), 0,
	       "lifetime: the mmap keeps the device open after close(fd)");
	if (io0 >= 0)
		TAP_EQ(iommu_bytes() - io0, sz + PG, "lifetime: debugfs: BAR mapped in the IOMMU");
	munmap(bar, sz);
	if (io0 >= 0)
		TAP_EQ(iommu_bytes() - io0, 0, "lifetime: debugfs: no IOMMU entry left for the BAR");
	else
		TAP_SKIP("no /sys/kernel/debug/vfnet/stats", "lifetime: debugfs: no IOMMU entry left");
	TAP_EQ(unmap_dma(c, IOVA_A, sz), 0,
	       "lifetime: the device's last reference gone, its BAR mapping was torn down");
	TAP_EQ(unmap_dma(c, IOVA_B, PG), 0, "lifetime: the page mapping too");
	TAP_EQ(vfn_foll_pins() - pin0, 0, "lifetime: pins unchanged");
}

/* A PFNMAP area that is not a vfnet device: an upstream vfio-pci BAR. */
static void test_foreign(int c, char *spec)
{
	char *ucont = strtok(spec, ":"), *ugdir = strtok(NULL, ":");
	char *ubdf = strtok(NULL, "");
	int ug, uc, ud;
	uint64_t sz;
	char *bar;

	if (!ucont || !ugdir || !ubdf)
		tap_bail("-u wants CONTAINER:GROUPDIR:BDF");
	ug = vfd_open_group(ugdir, ubdf);
	uc = ug < 0 ? ug : vfd_attach(ucont, ug);
	ud = uc < 0 ? uc : vfd_device(ug, ubdf);
	sz = ud < 0 ? 0 : bar0_size(ud);
	bar = sz ? bar_mmap(ud, sz, PROT_READ | PROT_WRITE) : NULL;
	if (TAP_CHECK(bar, "foreign: mmap BAR0 of %s through upstream vfio-pci", ubdf)) {
		TAP_EQ(map_dma(c, bar, IOVA_A, sz, RW), -EFAULT,
		       "foreign: a BAR no vfnet device backs is refused");
		munmap(bar, sz);
	}
	if (ud >= 0)
		close(ud);
	if (uc >= 0)
		close(uc);
	if (ug >= 0)
		close(ug);
}

int main(int argc, char **argv)
{
	const char *cnode = NULL, *gdir = NULL, *bdf = NULL;
	char *foreign = NULL;
	int opt, g, c, dev;
	uint64_t sz;

	while ((opt = getopt(argc, argv, "c:g:d:u:")) != -1) {
		switch (opt) {
		case 'c': cnode = optarg; break;
		case 'g': gdir = optarg; break;
		case 'd': bdf = optarg; break;
		case 'u': foreign = optarg; break;
		default: tap_bail("usage: dma_bar -c CONTAINER -g GROUPDIR -d BDF [-u C:G:BDF]");
		}
	}
	if (!cnode || !gdir || !bdf)
		tap_bail("usage: dma_bar -c CONTAINER -g GROUPDIR -d BDF [-u C:G:BDF]");
	g = vfd_open_group(gdir, bdf);
	c = g < 0 ? g : vfd_attach(cnode, g);
	dev = c < 0 ? c : vfd_device(g, bdf);
	if (dev < 0)
		tap_bail("cannot open %s through %s: %s", bdf, cnode, strerror(-dev));
	sz = bar0_size(dev);
	if (!sz)
		tap_bail("BAR0 of %s cannot be mmapped", bdf);

	test_bar(c, dev, sz);
	close(dev);
	test_lifetime(c, g, bdf, sz);
	if (foreign)
		test_foreign(c, foreign);
	close(c);
	close(g);
	return tap_done();
}
