/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Diagnostics a person can act on.  Each names what is wrong and the
 * command that fixes it; the unit tests compare the exact text, so change
 * a message here and in tests/unit/eal/test_diag.c together.
 */
#include <inttypes.h>
#include <stdio.h>

#include "eal_private.h"

void eal_diag_no_hugepages(char *buf, size_t n, uint64_t need_bytes,
			   uint64_t page_sz, uint64_t free_pages,
			   uint64_t total_pages)
{
	uint64_t need = (need_bytes + page_sz - 1) / page_sz;
	uint64_t kb = page_sz >> 10;

	eal_fmt(buf, n,
		 "%s hugepages of %" PRIu64 " kB: %" PRIu64 " MB needs %" PRIu64
		 " pages, %" PRIu64 " free; reserve them with: echo %" PRIu64
		 " > /sys/kernel/mm/hugepages/hugepages-%" PRIu64
		 "kB/nr_hugepages (or run with --no-huge)",
		 total_pages ? "not enough" : "no", kb, need_bytes >> 20, need,
		 free_pages, total_pages + need - free_pages, kb);
}

void eal_diag_no_hugetlbfs(char *buf, size_t n, uint64_t page_sz)
{
	const char *sz = page_sz >= (1ull << 30) ? "1G" : "2M";

	eal_fmt(buf, n,
		 "no hugetlbfs mount for %" PRIu64 " kB pages; mount one with: "
		 "mkdir -p /dev/hugepages && mount -t hugetlbfs -o pagesize=%s "
		 "nodev /dev/hugepages (or run with --in-memory)",
		 page_sz >> 10, sz);
}

void eal_diag_no_iommu(char *buf, size_t n, const char *module,
		       bool have_noiommu)
{
	if (have_noiommu)
		eal_fmt(buf, n,
			"no IOMMU: /sys/kernel/iommu_groups is empty; boot with "
			"intel_iommu=on (Intel) or amd_iommu=on (AMD), or use the "
			"unsafe no-IOMMU mode: echo 1 > "
			"/sys/module/%s/parameters/enable_unsafe_noiommu_mode, "
			"then rebind the device", module);
	else
		eal_fmt(buf, n,
			"no IOMMU: /sys/kernel/iommu_groups is empty; boot with "
			"intel_iommu=on (Intel) or amd_iommu=on (AMD) (this "
			"kernel's %s has no no-IOMMU mode; vfnet.ko has one: "
			"--vfio vfnet)", module);
}

void eal_diag_not_bound(char *buf, size_t n, const char *bdf,
			const char *kdrv, const char *want_drv)
{
	char unbind[128] = "";

	if (kdrv && kdrv[0])
		eal_fmt(unbind, sizeof(unbind),
			 "echo %s > /sys/bus/pci/devices/%s/driver/unbind && ",
			 bdf, bdf);
	eal_fmt(buf, n,
		 "%s is %s%s; bind it to %s with: echo %s > "
		 "/sys/bus/pci/devices/%s/driver_override && %secho %s > "
		 "/sys/bus/pci/drivers_probe",
		 bdf, kdrv && kdrv[0] ? "bound to " : "not bound to a driver",
		 kdrv && kdrv[0] ? kdrv : "", want_drv, want_drv, bdf, unbind,
		 bdf);
}

void eal_diag_group_not_viable(char *buf, size_t n, const char *bdf,
			       const char *group, const char *others)
{
	eal_fmt(buf, n,
		 "IOMMU group %s of %s is not viable: %s in the same group "
		 "must be bound to the same VFIO driver or unbound",
		 group, bdf, others);
}

void eal_diag_memlock(char *buf, size_t n, uint64_t have, uint64_t need)
{
	eal_fmt(buf, n,
		 "RLIMIT_MEMLOCK is %" PRIu64 " kB but DMA mapping needs %" PRIu64
		 " kB; raise it with: ulimit -l %" PRIu64
		 " (or memlock in /etc/security/limits.conf), or run as root",
		 have >> 10, need >> 10, need >> 10);
}

void eal_diag_no_driver(char *buf, size_t n, const char *node,
			const char *module)
{
	eal_fmt(buf, n, "%s does not exist: the VFIO kernel driver is not "
		 "loaded; load it with: %s", node, module);
}

void eal_diag_group_perm(char *buf, size_t n, const char *node)
{
	eal_fmt(buf, n,
		 "permission denied on %s; give this user access with: "
		 "chown $(id -u) %s (or run as root)", node, node);
}
