/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VFIO core + type1 conformance: drives every container, group and type1
 * ioctl, good and bad, on one PCI device.  The same program runs against
 * vfnet (/dev/vfnet/...) and against upstream vfio-pci (/dev/vfio/...);
 * both must pass, which is how we know vfnet behaves as upstream does.
 *
 * usage: conformance -c CONTAINER_NODE -g GROUP_NODE_DIR -d BDF
 *                    [-2 SECOND_BDF] [-l DMA_ENTRY_LIMIT_PARAM] [-u]
 * With -2 (a device in another IOMMU group) it also checks two groups
 * sharing one container.
 * Runs as root; a part drops to uid 65534 to check RLIMIT_MEMLOCK.
 * Reports in TAP (tests/lib/vfn_tap.h); exits 1 if a check failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vfn_foll_pins.h"
#include "vfn_tap.h"

#define PG 4096UL
#define IOVA_BASE 0x10000000ULL

static const char *container_path, *group_dir, *bdf, *bdf2, *limit_param;
static int unbind_test;
static char group_path[PATH_MAX], group2_path[PATH_MAX];

static int group_number(const char *dev)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	char *p;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", dev);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = 0;
	p = strrchr(target, '/');
	return p ? atoi(p + 1) : -1;
}

/*
 * A wrapping IOVA or vaddr range: 6.1's vfio_iommu_type1 says EINVAL, vfnet
 * EOVERFLOW as current upstream does (doc/kernel.md, newer upstream).
 */
static int wrap_errno(void)
{
	return strstr(container_path, "vfnet") ||
	       access("/sys/module/vfio_iommu_type1", F_OK) ? EOVERFLOW : EINVAL;
}


static void *anon(size_t size, int prot)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(p, 0x5a, size);	/* real pages, not the zero page */
	if (prot != (PROT_READ | PROT_WRITE))
		mprotect(p, size, prot);
	return p;
}

static int map_dma(int c, uint64_t vaddr, uint64_t iova, uint64_t size,
		   uint32_t flags)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = flags,
		.vaddr = vaddr, .iova = iova, .size = size,
	};

	return ioctl(c, VFIO_IOMMU_MAP_DMA, &m);
}

/* Returns the ioctl result; *unmapped gets the reported size. */
static int unmap_dma(int c, uint64_t iova, uint64_t size, uint32_t flags,
		     uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .flags = flags, .iova = iova, .size = size,
	};
	int ret = ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u);

	if (unmapped)
		*unmapped = u.size;
	return ret;
}

#define RW (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* Open container + group, attach, set TYPE1v2. */
static int open_all(int *cp, int *gp)
{
	int c = open(container_path, O_RDWR), g = open(group_path, O_RDWR);

	if (c < 0 || g < 0 || ioctl(g, VFIO_GROUP_SET_CONTAINER, &c) ||
	    ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		if (c >= 0)
			close(c);
		if (g >= 0)
			close(g);
		return -1;
	}
	*cp = c;
	*gp = g;
	return 0;
}

static struct vfio_info_cap_header *find_cap(void *info, uint32_t off,
					     uint16_t id)
{
	while (off) {
		struct vfio_info_cap_header *h = (void *)((char *)info + off);

		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

static uint32_t dma_avail(int c)
{
	char buf[4096];
	struct vfio_iommu_type1_info *info = (void *)buf;
	struct vfio_iommu_type1_info_dma_avail *a;

	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(buf);
	if (ioctl(c, VFIO_IOMMU_GET_INFO, info) || !(info->flags & VFIO_IOMMU_INFO_CAPS))
		return UINT32_MAX;
	a = (void *)find_cap(info, info->cap_offset, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	return a ? a->avail : UINT32_MAX;
}

static void test_container_alone(void)
{
	int c = open(container_path, O_RDWR), c2;
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m) };

	if (!TAP_CHECK_ERRNO(c >= 0, "container: open"))
		return;
	TAP_EQ(ioctl(c, VFIO_GET_API_VERSION), VFIO_API_VERSION,
		 "container: GET_API_VERSION");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU), 1,
		 "container: CHECK_EXTENSION TYPE1");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 1,
		 "container: CHECK_EXTENSION TYPE1v2");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL), 1,
		 "container: CHECK_EXTENSION UNMAP_ALL");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU), 0,
		 "container: CHECK_EXTENSION NOIOMMU (not enabled)");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_IOMMU), 0,
		 "container: CHECK_EXTENSION SPAPR_TCE (not here)");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, 12345), 0,
		 "container: CHECK_EXTENSION unknown");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU), 0,
		 "container: CHECK_EXTENSION DMA_CC without IOMMU");
	TAP_ERR(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), EINVAL,
		  "container: SET_IOMMU without a group");
	TAP_ERR(ioctl(c, VFIO_IOMMU_MAP_DMA, &m), EINVAL,
		  "container: MAP_DMA without IOMMU");
	TAP_ERR(ioctl(c, _IO(VFIO_TYPE, VFIO_BASE + 77)), EINVAL,
		  "container: unknown ioctl without IOMMU");
	TAP_ERR(read(c, &m, sizeof(m)), EINVAL, "container: read");
	TAP_CHECK(mmap(NULL, PG, PROT_READ, MAP_SHARED, c, 0) == MAP_FAILED && errno == ENODEV,
		   "container: mmap refused with ENODEV");
	/* Every open is a new, independent container. */
	c2 = open(container_path, O_RDWR);
	TAP_OK(c2, "container: second open");
	if (c2 >= 0)
		close(c2);
	close(c);
}

static void test_group_and_container(void)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int c, g, g2, d, d2, nul, bad = -1, c2;
	struct vfio_device_info di = { .argsz = sizeof(di) };

	c = open(container_path, O_RDWR);
	g = open(group_path, O_RDWR);
	if (!TAP_CHECK_ERRNO(c >= 0 && g >= 0, "group: open"))
		return;
	TAP_ERR(open(group_path, O_RDWR), EBUSY, "group: second open is exclusive");

	st.argsz = sizeof(st) - 1;
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_STATUS, &st), EINVAL,
		  "group: GET_STATUS short argsz");
	st.argsz = sizeof(st);
	st.flags = ~0u;
	TAP_OK(ioctl(g, VFIO_GROUP_GET_STATUS, &st), "group: GET_STATUS");
	TAP_EQ(st.flags, VFIO_GROUP_FLAGS_VIABLE, "group: viable, no container");
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_STATUS, NULL), EFAULT,
		  "group: GET_STATUS bad pointer");

	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf), EINVAL,
		  "group: GET_DEVICE_FD without container");
	TAP_ERR(ioctl(g, VFIO_GROUP_UNSET_CONTAINER), EINVAL,
		  "group: UNSET_CONTAINER when not set");
	TAP_ERR(ioctl(g, VFIO_GROUP_SET_CONTAINER, &bad), EBADF,
		  "group: SET_CONTAINER fd -1");
	bad = 987;
	TAP_ERR(ioctl(g, VFIO_GROUP_SET_CONTAINER, &bad), EBADF,
		  "group: SET_CONTAINER unused fd");
	nul = open("/dev/null", O_RDWR);
	TAP_ERR(ioctl(g, VFIO_GROUP_SET_CONTAINER, &nul), EINVAL,
		  "group: SET_CONTAINER with /dev/null");
	TAP_ERR(ioctl(g, VFIO_GROUP_SET_CONTAINER, &g), EINVAL,
		  "group: SET_CONTAINER with a group fd");
	close(nul);
	TAP_ERR(ioctl(g, VFIO_GROUP_SET_CONTAINER, NULL), EFAULT,
		  "group: SET_CONTAINER bad pointer");
	TAP_ERR(ioctl(g, _IO(VFIO_TYPE, VFIO_BASE + 77)), ENOTTY,
		  "group: unknown ioctl");
	TAP_ERR(read(g, &st, sizeof(st)), EINVAL, "group: read");
	TAP_CHECK(mmap(NULL, PG, PROT_READ, MAP_SHARED, g, 0) == MAP_FAILED && errno == ENODEV,
		   "group: mmap refused with ENODEV");

	TAP_OK(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c), "group: SET_CONTAINER");
	TAP_OK(ioctl(g, VFIO_GROUP_GET_STATUS, &st), "group: GET_STATUS attached");
	TAP_EQ(st.flags, VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET,
		 "group: viable + container set");
	TAP_ERR(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c), EINVAL,
		  "group: SET_CONTAINER twice");
	c2 = open(container_path, O_RDWR);
	TAP_ERR(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c2), EINVAL,
		  "group: SET_CONTAINER to a second container");
	close(c2);
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf), EINVAL,
		  "group: GET_DEVICE_FD before SET_IOMMU");

	TAP_ERR(ioctl(c, VFIO_SET_IOMMU, 12345), ENODEV,
		  "container: SET_IOMMU unknown model");
	TAP_ERR(ioctl(c, VFIO_SET_IOMMU, VFIO_UNMAP_ALL), EINVAL,
		  "container: SET_IOMMU with a non-model extension");
	TAP_OK(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU),
		 "container: SET_IOMMU TYPE1v2");
	TAP_ERR(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), EINVAL,
		  "container: SET_IOMMU twice");
	TAP_EQ(ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 1,
		 "container: CHECK_EXTENSION with IOMMU set");
	g2 = ioctl(c, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU);
	tap_diag("DMA_CC_IOMMU: %d", g2);
	TAP_CHECK(g2 == 0 || g2 == 1, "container: CHECK_EXTENSION DMA_CC with IOMMU");
	TAP_ERR(ioctl(c, _IO(VFIO_TYPE, VFIO_BASE + 77)), ENOTTY,
		  "container: unknown ioctl with IOMMU");

	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, "0000:99:99.9"), ENODEV,
		  "group: GET_DEVICE_FD unknown device");
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, ""), ENODEV,
		  "group: GET_DEVICE_FD empty name");
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, NULL), EFAULT,
		  "group: GET_DEVICE_FD bad pointer");
	d = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf);
	TAP_OK(d, "group: GET_DEVICE_FD");
	if (d >= 0) {
		TAP_OK(ioctl(d, VFIO_DEVICE_GET_INFO, &di), "device: GET_INFO dispatched");
		TAP_CHECK(di.flags & VFIO_DEVICE_FLAGS_PCI, "device: is PCI");
		TAP_CHECK(fcntl(d, F_GETFD) & FD_CLOEXEC, "device: fd is close-on-exec");
		/* A second fd for the same device is allowed. */
		d2 = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf);
		TAP_OK(d2, "group: GET_DEVICE_FD again");
		if (d2 >= 0)
			close(d2);
		TAP_ERR(ioctl(g, VFIO_GROUP_UNSET_CONTAINER), EBUSY,
			  "group: UNSET_CONTAINER with a device fd open");
		/* The device fd keeps the group: closing the group fd first is fine. */
		close(g);
		TAP_ERR(open(group_path, O_RDWR), EBUSY,
			  "group: still owned while a device fd is open");
		close(d);
		g = open(group_path, O_RDWR);
		TAP_OK(g, "group: reopen after the device fd closed");
		if (g < 0)
			goto out;
		TAP_OK(ioctl(g, VFIO_GROUP_GET_STATUS, &st), "group: GET_STATUS after reopen");
		TAP_EQ(st.flags, VFIO_GROUP_FLAGS_VIABLE,
			 "group: detached when the last file closed");
		TAP_ERR(ioctl(c, VFIO_IOMMU_MAP_DMA, &(struct vfio_iommu_type1_dma_map){ .argsz = 32 }),
			  EINVAL, "container: IOMMU model dropped with its last group");
		TAP_OK(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c), "group: SET_CONTAINER again");
	}
	TAP_OK(ioctl(g, VFIO_GROUP_UNSET_CONTAINER), "group: UNSET_CONTAINER");
	TAP_ERR(ioctl(g, VFIO_GROUP_UNSET_CONTAINER), EINVAL,
		  "group: UNSET_CONTAINER twice");
	TAP_OK(ioctl(g, VFIO_GROUP_GET_STATUS, &st), "group: GET_STATUS unset");
	TAP_EQ(st.flags, VFIO_GROUP_FLAGS_VIABLE, "group: no container after unset");
	close(g);
out:
	close(c);
}

static void test_get_info(int c)
{
	char buf[4096];
	struct vfio_iommu_type1_info *info = (void *)buf;
	struct vfio_iommu_type1_info_cap_iova_range *r;
	struct vfio_iommu_type1_info_dma_avail *a;
	uint32_t need, i;
	int msi_excluded = 1, has_low = 0;

	memset(buf, 0xff, sizeof(buf));
	info->argsz = 15;
	TAP_ERR(ioctl(c, VFIO_IOMMU_GET_INFO, info), EINVAL, "GET_INFO argsz 15");

	/* The old 16-byte struct: flags and sizes, nothing past them. */
	memset(buf, 0xab, sizeof(buf));
	info->argsz = 16;
	TAP_OK(ioctl(c, VFIO_IOMMU_GET_INFO, info), "GET_INFO argsz 16");
	TAP_CHECK(info->flags & VFIO_IOMMU_INFO_PGSIZES, "GET_INFO PGSIZES flag");
	TAP_CHECK(info->iova_pgsizes & PG, "GET_INFO 4 KiB pages");
	TAP_CHECK(info->iova_pgsizes & (2UL << 20), "GET_INFO 2 MiB pages");
	TAP_EQ(info->cap_offset, 0xabababab, "GET_INFO argsz 16 leaves cap_offset alone");

	/* Room for the struct only: CAPS flagged, needed size reported. */
	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(*info);
	TAP_OK(ioctl(c, VFIO_IOMMU_GET_INFO, info), "GET_INFO no room for caps");
	TAP_CHECK(info->flags & VFIO_IOMMU_INFO_CAPS, "GET_INFO CAPS flag");
	TAP_CHECK(info->argsz > sizeof(*info), "GET_INFO reports needed argsz");
	TAP_EQ(info->cap_offset, 0, "GET_INFO no cap_offset without room");
	need = info->argsz;

	memset(buf, 0, sizeof(buf));
	info->argsz = need;
	TAP_OK(ioctl(c, VFIO_IOMMU_GET_INFO, info), "GET_INFO with room");
	TAP_EQ(info->argsz, need, "GET_INFO argsz unchanged with room");
	TAP_EQ(info->cap_offset, sizeof(*info), "GET_INFO caps right after the struct");
	a = (void *)find_cap(info, info->cap_offset, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	r = (void *)find_cap(info, info->cap_offset, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
	if (TAP_CHECK(a != NULL, "GET_INFO DMA_AVAIL cap"))
		TAP_CHECK(a->avail > 0, "GET_INFO DMA_AVAIL > 0");
	if (TAP_CHECK(r != NULL, "GET_INFO IOVA_RANGE cap")) {
		TAP_CHECK(r->nr_iovas >= 2, "GET_INFO at least 2 IOVA ranges (MSI hole)");
		for (i = 0; i < r->nr_iovas; i++) {
			uint64_t s = r->iova_ranges[i].start, e = r->iova_ranges[i].end;

			if (s <= 0xfee00000ULL && e >= 0xfeefffffULL)
				msi_excluded = 0;
			if (s <= IOVA_BASE && e >= IOVA_BASE + (64ULL << 20))
				has_low = 1;
			tap_diag("iova range %#llx-%#llx", (unsigned long long)s,
			       (unsigned long long)e);
		}
		TAP_CHECK(msi_excluded, "GET_INFO MSI window excluded");
		TAP_CHECK(has_low, "GET_INFO test IOVA usable");
	}
}

static void test_map_unmap(int c)
{
	size_t sz = 16 * PG;
	char *mem = anon(4 * sz, PROT_READ | PROT_WRITE);
	char *ro = anon(sz, PROT_READ);
	char *hole = anon(sz, PROT_READ | PROT_WRITE);
	char *part = anon(2 * sz, PROT_READ | PROT_WRITE);
	uint64_t v = (uintptr_t)mem, unmapped = 0;
	struct vfio_iommu_type1_dma_map m = { .argsz = sizeof(m) };
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u) };
	uint32_t avail0, avail1;
	long pin0 = vfn_foll_pins(), lck0 = vfn_vmlck_kb();

	munmap(hole, sz);
	munmap(part + sz, sz);
	/* MAP_DMA argument checks */
	m.argsz = offsetof(struct vfio_iommu_type1_dma_map, size) + 7;
	m.flags = RW; m.vaddr = v; m.iova = IOVA_BASE; m.size = sz;
	TAP_ERR(ioctl(c, VFIO_IOMMU_MAP_DMA, &m), EINVAL, "MAP_DMA short argsz");
	TAP_ERR(ioctl(c, VFIO_IOMMU_MAP_DMA, NULL), EFAULT, "MAP_DMA bad pointer");
	TAP_ERR(map_dma(c, v, IOVA_BASE, sz, RW | (1u << 5)), EINVAL, "MAP_DMA unknown flag");
	TAP_ERR(map_dma(c, v, IOVA_BASE, sz, 0), EINVAL, "MAP_DMA no READ/WRITE");
	TAP_ERR(map_dma(c, v, IOVA_BASE, 0, RW), EINVAL, "MAP_DMA size 0");
	TAP_ERR(map_dma(c, v, IOVA_BASE, sz + 1, RW), EINVAL, "MAP_DMA unaligned size");
	TAP_ERR(map_dma(c, v, IOVA_BASE + 8, sz, RW), EINVAL, "MAP_DMA unaligned iova");
	TAP_ERR(map_dma(c, v + 8, IOVA_BASE, sz, RW), EINVAL, "MAP_DMA unaligned vaddr");
	TAP_ERR(map_dma(c, v, -PG, 2 * PG, RW), wrap_errno(), "MAP_DMA iova wraps");
	TAP_ERR(map_dma(c, -PG, IOVA_BASE, 2 * PG, RW), wrap_errno(), "MAP_DMA vaddr wraps");
	TAP_ERR(map_dma(c, v, 0xfee00000ULL, PG, RW), EINVAL, "MAP_DMA in the MSI window");
	TAP_ERR(map_dma(c, v, 1ULL << 60, PG, RW), EINVAL, "MAP_DMA beyond the aperture");
	TAP_ERR(map_dma(c, (uintptr_t)ro, IOVA_BASE, sz, RW), EFAULT,
		  "MAP_DMA read-only memory device-writable");
	TAP_ERR(map_dma(c, (uintptr_t)hole, IOVA_BASE, sz, RW), EFAULT,
		  "MAP_DMA unmapped vaddr");
	TAP_ERR(map_dma(c, (uintptr_t)part, IOVA_BASE, sz * 2, RW), EFAULT,
		  "MAP_DMA partly unmapped vaddr");
	TAP_EQ(vfn_foll_pins() - pin0, 0, "pins: failed maps leave nothing pinned");
	TAP_EQ(vfn_vmlck_kb() - lck0, 0, "locked_vm: failed maps leave nothing charged");

	avail0 = dma_avail(c);
	TAP_OK(map_dma(c, v, IOVA_BASE, sz, RW), "MAP_DMA");
	TAP_EQ(vfn_foll_pins() - pin0, sz / PG, "pins: MAP_DMA pinned every page");
	TAP_EQ(vfn_vmlck_kb() - lck0, sz / 1024, "locked_vm: MAP_DMA charged");
	avail1 = dma_avail(c);
	TAP_EQ(avail0 - avail1, 1, "DMA_AVAIL counts the mapping");
	TAP_ERR(map_dma(c, v, IOVA_BASE, sz, RW), EEXIST, "MAP_DMA same range again");
	TAP_ERR(map_dma(c, v, IOVA_BASE + sz - PG, sz, RW), EEXIST, "MAP_DMA overlapping end");
	TAP_ERR(map_dma(c, v, IOVA_BASE - PG, 2 * PG, RW), EEXIST, "MAP_DMA overlapping start");
	TAP_ERR(map_dma(c, v, IOVA_BASE - PG, sz + 2 * PG, RW), EEXIST, "MAP_DMA covering");
	TAP_OK(map_dma(c, (uintptr_t)ro, IOVA_BASE + sz, sz, VFIO_DMA_MAP_FLAG_READ),
		 "MAP_DMA read-only memory device-read-only, adjacent");
	TAP_OK(map_dma(c, v, IOVA_BASE + 3 * sz, sz, VFIO_DMA_MAP_FLAG_WRITE),
		 "MAP_DMA write-only, same vaddr again");

	/* UNMAP_DMA argument checks */
	u.argsz = 8; u.iova = IOVA_BASE; u.size = sz;
	TAP_ERR(ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u), EINVAL, "UNMAP_DMA short argsz");
	TAP_ERR(ioctl(c, VFIO_IOMMU_UNMAP_DMA, NULL), EFAULT, "UNMAP_DMA bad pointer");
	TAP_ERR(unmap_dma(c, IOVA_BASE, sz, 1u << 7, NULL), EINVAL, "UNMAP_DMA unknown flag");
	TAP_ERR(unmap_dma(c, IOVA_BASE, sz, VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, NULL),
		  EINVAL, "UNMAP_DMA dirty bitmap without tracking");
	TAP_ERR(unmap_dma(c, IOVA_BASE, 0, 0, NULL), EINVAL, "UNMAP_DMA size 0");
	TAP_ERR(unmap_dma(c, IOVA_BASE + 8, sz, 0, NULL), EINVAL, "UNMAP_DMA unaligned iova");
	TAP_ERR(unmap_dma(c, IOVA_BASE, sz + 8, 0, NULL), EINVAL, "UNMAP_DMA unaligned size");
	TAP_ERR(unmap_dma(c, -PG, 2 * PG, 0, NULL), wrap_errno(), "UNMAP_DMA wraps");
	TAP_ERR(unmap_dma(c, IOVA_BASE, PG, 0, NULL), EINVAL, "UNMAP_DMA v2 cuts a mapping (end)");
	TAP_ERR(unmap_dma(c, IOVA_BASE + PG, sz - PG, 0, NULL), EINVAL,
		  "UNMAP_DMA v2 cuts a mapping (start)");
	TAP_ERR(unmap_dma(c, IOVA_BASE, PG, VFIO_DMA_UNMAP_FLAG_ALL, NULL), EINVAL,
		  "UNMAP_DMA ALL with a range");
	TAP_OK(unmap_dma(c, IOVA_BASE + 2 * sz, sz, 0, &unmapped), "UNMAP_DMA empty range");
	TAP_EQ(unmapped, 0, "UNMAP_DMA empty range reports 0");
	TAP_EQ(vfn_foll_pins() - pin0, 3 * sz / PG, "pins: failed unmaps unpinned nothing");

	TAP_OK(unmap_dma(c, IOVA_BASE, sz, 0, &unmapped), "UNMAP_DMA one mapping");
	TAP_EQ(unmapped, sz, "UNMAP_DMA reports its size");
	TAP_EQ(dma_avail(c), avail0 - 2, "DMA_AVAIL returns the entry");
	TAP_OK(map_dma(c, v, IOVA_BASE, sz, RW), "MAP_DMA again after unmap");
	TAP_OK(unmap_dma(c, IOVA_BASE, 2 * sz, 0, &unmapped), "UNMAP_DMA two mappings");
	TAP_EQ(unmapped, 2 * sz, "UNMAP_DMA reports both");
	TAP_OK(map_dma(c, v, IOVA_BASE, sz, RW), "MAP_DMA for UNMAP ALL");
	TAP_OK(unmap_dma(c, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &unmapped), "UNMAP_DMA ALL");
	TAP_EQ(unmapped, 2 * sz, "UNMAP_DMA ALL reports everything");
	TAP_EQ(dma_avail(c), avail0, "DMA_AVAIL back to start");
	TAP_EQ(vfn_foll_pins() - pin0, 0, "pins: back to baseline after unmap");
	TAP_EQ(vfn_vmlck_kb() - lck0, 0, "locked_vm: uncharged after unmap");

	/* Memory the process unmapped after MAP_DMA stays pinned until UNMAP. */
	TAP_OK(map_dma(c, v + sz, IOVA_BASE, sz, RW), "MAP_DMA then munmap the memory");
	munmap(mem + sz, sz);
	TAP_EQ(vfn_foll_pins() - pin0, sz / PG, "pins: kept after munmap");
	TAP_OK(unmap_dma(c, IOVA_BASE, sz, 0, &unmapped), "UNMAP_DMA after munmap");
	TAP_EQ(vfn_foll_pins() - pin0, 0, "pins: released after UNMAP");

	munmap(mem, sz);
	munmap(mem + 2 * sz, 2 * sz);
	munmap(ro, sz);
	munmap(part, sz);
}

/* type1 v1: an unmap that covers a mapping's first IOVA takes all of it. */
static void test_type1_v1(void)
{
	size_t sz = 16 * PG;
	char *mem = anon(sz, PROT_READ | PROT_WRITE);
	uint64_t unmapped = 1;
	long pin0 = vfn_foll_pins();
	int c = open(container_path, O_RDWR), g = open(group_path, O_RDWR);

	if (!TAP_CHECK_ERRNO(c >= 0 && g >= 0 &&
			     !ioctl(g, VFIO_GROUP_SET_CONTAINER, &c),
			     "v1: open and attach"))
		goto out;
	TAP_OK(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU), "v1: SET_IOMMU TYPE1");
	TAP_OK(map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW), "v1: MAP_DMA");
	TAP_OK(unmap_dma(c, IOVA_BASE + PG, PG, 0, &unmapped), "v1: UNMAP_DMA inside a mapping");
	TAP_EQ(unmapped, 0, "v1: inside a mapping unmaps nothing");
	TAP_OK(unmap_dma(c, IOVA_BASE, PG, 0, &unmapped), "v1: UNMAP_DMA of the first page");
	TAP_EQ(unmapped, sz, "v1: first page takes the whole mapping");
	TAP_EQ(vfn_foll_pins() - pin0, 0, "v1: all unpinned");
out:
	if (g >= 0)
		close(g);
	if (c >= 0)
		close(c);
	munmap(mem, sz);
}

static void test_entry_limit(void)
{
	char old[32] = "";
	int fd, c, g, i, ok = 1;
	char *mem;

	if (!limit_param)
		return;
	fd = open(limit_param, O_RDWR);
	if (!TAP_CHECK_ERRNO(fd >= 0 && read(fd, old, sizeof(old) - 1) > 0,
			     "dma_entry_limit: read parameter %s", limit_param))
		return;
	if (pwrite(fd, "4\n", 2, 0) != 2)
		ok = 0;
	if (!ok || open_all(&c, &g)) {
		TAP_CHECK_ERRNO(0, "dma_entry_limit: set to 4 and open");
		goto out;
	}
	TAP_EQ(dma_avail(c), 4, "dma_entry_limit: DMA_AVAIL is the limit");
	mem = anon(5 * PG, PROT_READ | PROT_WRITE);
	for (i = 0; i < 4; i++)
		ok &= map_dma(c, (uintptr_t)mem + i * PG, IOVA_BASE + 2 * i * PG, PG, RW) == 0;
	TAP_CHECK(ok, "dma_entry_limit: 4 mappings");
	TAP_EQ(dma_avail(c), 0, "dma_entry_limit: DMA_AVAIL 0");
	TAP_ERR(map_dma(c, (uintptr_t)mem + 4 * PG, IOVA_BASE + 8 * PG, PG, RW), ENOSPC,
		  "dma_entry_limit: fifth mapping");
	close(g);
	close(c);
	munmap(mem, 5 * PG);
out:
	if (pwrite(fd, old, strlen(old), 0) < 0)
		perror("restore dma_entry_limit");
	close(fd);
}

/* Close with live mappings: everything unpinned. */
static void test_close_releases(void)
{
	long pin0 = vfn_foll_pins();
	size_t sz = 64 * PG;
	char *mem = anon(sz, PROT_READ | PROT_WRITE);
	int c, g, d;

	if (!TAP_CHECK_ERRNO(open_all(&c, &g) == 0, "close: open"))
		return;
	d = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf);
	TAP_OK(map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW), "close: MAP_DMA");
	TAP_EQ(vfn_foll_pins() - pin0, sz / PG, "close: pinned");
	/* Close in the "wrong" order: container, group, then device. */
	close(c);
	close(g);
	TAP_EQ(vfn_foll_pins() - pin0, d >= 0 ? (long)(sz / PG) : 0,
		 "close: device fd keeps the mappings");
	if (d >= 0)
		close(d);
	TAP_EQ(vfn_foll_pins() - pin0, 0, "close: pins back to baseline");
	g = open(group_path, O_RDWR);
	TAP_OK(g, "close: group can be opened again");
	if (g >= 0)
		close(g);
	munmap(mem, sz);
}

/* kill -9 with live mappings and fds: everything released. */
static void test_kill9(void)
{
	long pin0 = vfn_foll_pins();
	int pfd[2], st, g;
	char ch = 0;
	pid_t pid;

	if (pipe(pfd))
		return;
	pid = fork();
	if (pid == 0) {
		size_t sz = 256 * PG;
		char *mem = anon(sz, PROT_READ | PROT_WRITE);
		int c, gg;

		close(pfd[0]);
		if (open_all(&c, &gg) == 0 &&
		    ioctl(gg, VFIO_GROUP_GET_DEVICE_FD, bdf) >= 0 &&
		    map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW) == 0)
			ch = 1;
		if (write(pfd[1], &ch, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &ch, 1) != 1)
		ch = 0;
	close(pfd[0]);
	TAP_CHECK(ch == 1, "kill -9: child mapped 1 MiB with a device fd open");
	TAP_EQ(vfn_foll_pins() - pin0, ch ? 256 : 0, "kill -9: child's pages pinned");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	TAP_EQ(vfn_foll_pins() - pin0, 0, "kill -9: pins back to baseline");
	g = open(group_path, O_RDWR);
	TAP_OK(g, "kill -9: group can be opened again");
	if (g >= 0)
		close(g);
}

/* RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK. */
static void test_rlimit(void)
{
	int pfd[2], st;
	pid_t pid;
	int res[4] = { -1, -1, -1, -1 };

	if (pipe(pfd))
		return;
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 64 * PG, 64 * PG };
		size_t sz = 128 * PG;
		char *mem = anon(sz, PROT_READ | PROT_WRITE);
		int c, g, r[4] = { -1, -1, -1, -1 };

		close(pfd[0]);
		if (open_all(&c, &g) == 0 && setrlimit(RLIMIT_MEMLOCK, &rl) == 0 &&
		    setresgid(65534, 65534, 65534) == 0 &&
		    setresuid(65534, 65534, 65534) == 0) {
			r[0] = map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW) ? errno : 0;
			r[1] = map_dma(c, (uintptr_t)mem, IOVA_BASE, 32 * PG, RW) ? errno : 0;
			r[2] = map_dma(c, (uintptr_t)mem + 32 * PG, IOVA_BASE + 32 * PG,
				       64 * PG, RW) ? errno : 0;
			r[3] = map_dma(c, (uintptr_t)mem + 32 * PG, IOVA_BASE + 32 * PG,
				       32 * PG, RW) ? errno : 0;
		}
		if (write(pfd[1], r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof(res)) != sizeof(res))
		res[0] = -1;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	TAP_EQ(res[0], ENOMEM, "rlimit: non-root MAP_DMA past RLIMIT_MEMLOCK");
	TAP_EQ(res[1], 0, "rlimit: non-root MAP_DMA within the limit");
	TAP_EQ(res[2], ENOMEM, "rlimit: second map crossing the limit");
	TAP_EQ(res[3], 0, "rlimit: second map up to the limit");
}

/* Two groups in one container: mappings reach both, survive either leaving. */
static void test_two_groups(void)
{
	long pin0 = vfn_foll_pins();
	size_t sz = 32 * PG;
	char *mem = anon(2 * sz, PROT_READ | PROT_WRITE);
	struct vfio_group_status st = { .argsz = sizeof(st) };
	uint64_t unmapped = 0;
	int c, g, g2, d, d2;

	if (!bdf2)
		return;
	if (!TAP_CHECK_ERRNO(open_all(&c, &g) == 0, "two groups: first group"))
		goto out_mem;
	g2 = open(group2_path, O_RDWR);
	if (!TAP_CHECK_ERRNO(g2 >= 0, "two groups: open second group"))
		goto out;
	TAP_OK(map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW), "two groups: MAP_DMA with one group");
	TAP_OK(ioctl(g2, VFIO_GROUP_SET_CONTAINER, &c),
		 "two groups: second group joins a container with mappings");
	TAP_OK(ioctl(g2, VFIO_GROUP_GET_STATUS, &st), "two groups: GET_STATUS second");
	TAP_EQ(st.flags, VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET,
		 "two groups: second group attached");
	TAP_OK(map_dma(c, (uintptr_t)mem + sz, IOVA_BASE + sz, sz, RW),
		 "two groups: MAP_DMA with both groups");
	TAP_EQ(vfn_foll_pins() - pin0, 2 * sz / PG, "two groups: each page pinned once");
	d = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf);
	d2 = ioctl(g2, VFIO_GROUP_GET_DEVICE_FD, bdf2);
	TAP_OK(d, "two groups: device fd of the first");
	TAP_OK(d2, "two groups: device fd of the second");
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf2), ENODEV,
		  "two groups: second device not in the first group");
	if (d >= 0)
		close(d);
	if (d2 >= 0)
		close(d2);
	TAP_OK(ioctl(g, VFIO_GROUP_UNSET_CONTAINER), "two groups: first group leaves");
	TAP_EQ(vfn_foll_pins() - pin0, 2 * sz / PG, "two groups: mappings stay with the other group");
	TAP_OK(unmap_dma(c, IOVA_BASE, 2 * sz, 0, &unmapped), "two groups: UNMAP_DMA both");
	TAP_EQ(unmapped, 2 * sz, "two groups: both mappings were still there");
	TAP_OK(map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW), "two groups: MAP_DMA again");
	TAP_OK(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c), "two groups: first group rejoins");
	close(g2);
	TAP_EQ(vfn_foll_pins() - pin0, sz / PG, "two groups: closing one group keeps the mapping");
	close(g);
	TAP_EQ(vfn_foll_pins() - pin0, 0, "two groups: last group gone, mapping gone");
	g = -1;
out:
	if (g >= 0)
		close(g);
	close(c);
out_mem:
	munmap(mem, 2 * sz);
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * The device is unbound while its group is attached with live mappings
 * but no device fd: the unbind does not wait, the group node goes, the
 * open group keeps its container and mappings until closed, then the
 * device binds again and the group works.  (-u; driver_override must name
 * the driver the device is bound to.)
 */
static void test_unbind_attached(void)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[PATH_MAX];
	size_t sz = 16 * PG;
	char *mem = anon(sz, PROT_READ | PROT_WRITE);
	uint64_t unmapped = 0;
	long pin0 = vfn_foll_pins();
	struct stat sb;
	int c, g, d;

	if (!unbind_test)
		return;
	if (!TAP_CHECK_ERRNO(open_all(&c, &g) == 0, "unbind: open"))
		goto out_mem;
	TAP_OK(map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW), "unbind: MAP_DMA");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	TAP_OK(sysfs_write(path, bdf), "unbind: unbind the device (no device fd open)");
	TAP_CHECK(stat(group_path, &sb) < 0 && errno == ENOENT, "unbind: group node removed");
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_STATUS, &st), ENODEV, "unbind: GET_STATUS on a dead group");
	TAP_ERR(ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf), ENODEV, "unbind: no device fd from a dead group");
	/* the group left its container, as upstream since 6.2 (doc/kernel.md) */
	TAP_EQ(vfn_foll_pins() - pin0, 0, "unbind: the last device's removal released the mapping");
	TAP_ERR(unmap_dma(c, IOVA_BASE, sz, 0, &unmapped), EINVAL, "unbind: the container has no IOMMU model");
	TAP_ERR(map_dma(c, (uintptr_t)mem, IOVA_BASE, sz, RW), EINVAL, "unbind: no MAP_DMA either");
	close(g);
	close(c);
	TAP_EQ(vfn_foll_pins() - pin0, 0, "unbind: closing releases everything");
	TAP_OK(sysfs_write("/sys/bus/pci/drivers_probe", bdf), "unbind: bind again");
	TAP_CHECK(stat(group_path, &sb) == 0, "unbind: group node back");
	if (TAP_CHECK_ERRNO(open_all(&c, &g) == 0, "unbind: group usable again")) {
		d = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, bdf);
		TAP_OK(d, "unbind: device fd after rebind");
		if (d >= 0)
			close(d);
		close(g);
		close(c);
	}
out_mem:
	munmap(mem, sz);
}

static void usage(void)
{
	fprintf(stderr, "usage: conformance -c CONTAINER_NODE -g GROUP_DIR -d BDF [-2 BDF2] [-l DMA_ENTRY_LIMIT_PARAM] [-u]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt, c, g, grp;

	while ((opt = getopt(argc, argv, "c:g:d:2:l:u")) != -1) {
		switch (opt) {
		case 'u': unbind_test = 1; break;
		case '2': bdf2 = optarg; break;
		case 'c': container_path = optarg; break;
		case 'g': group_dir = optarg; break;
		case 'd': bdf = optarg; break;
		case 'l': limit_param = optarg; break;
		default: usage();
		}
	}
	if (!container_path || !group_dir || !bdf)
		usage();
	grp = group_number(bdf);
	if (grp < 0) {
		tap_bail("conformance: %s has no IOMMU group (is the IOMMU on?)", bdf);
	}
	snprintf(group_path, sizeof(group_path), "%s/%d", group_dir, grp);
	if (bdf2) {
		grp = group_number(bdf2);
		if (grp < 0) {
			tap_bail("conformance: %s has no IOMMU group", bdf2);
		}
		snprintf(group2_path, sizeof(group2_path), "%s/%d", group_dir, grp);
	}
	tap_diag("conformance: container %s, group %s, device %s",
		 container_path, group_path, bdf);

	test_container_alone();
	test_group_and_container();
	if (TAP_CHECK_ERRNO(open_all(&c, &g) == 0, "type1: open container and group")) {
		test_get_info(c);
		test_map_unmap(c);
		close(g);
		close(c);
	}
	test_type1_v1();
	test_entry_limit();
	test_close_releases();
	test_kill9();
	test_rlimit();
	test_two_groups();
	test_unbind_attached();
	return tap_done();
}
