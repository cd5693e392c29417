/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual to IO virtual address, in O(1) for any EAL address: one table
 * entry per 2 MiB granule of the EAL address window holds the IOVA of the
 * granule's start (VFN_BAD_IOVA where nothing is mapped).  In VA mode the
 * entry is the virtual address; in PA mode it is the physical address of
 * the hugepage read once from /proc/self/pagemap (root only), which is why
 * PA mode needs hugepages: a 2 MiB granule of 4 KiB pages is not
 * physically contiguous.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_malloc.h"

#define GRANULE (1ull << EAL_IOVA_GRANULE_SHIFT)

static uintptr_t tbl_base;
static size_t tbl_len;
static uint64_t *tbl;
static enum vfn_iova_mode iova_mode = VFN_IOVA_DC;

enum vfn_iova_mode eal_iova_mode_get(void)
{
	return iova_mode;
}

void eal_iova_mode_set(enum vfn_iova_mode m)
{
	iova_mode = m;
}

enum vfn_iova_mode vfn_eal_iova_mode(void)
{
	return iova_mode;
}

uint64_t eal_virt2phys(const void *virt)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t ent;
	off_t off = (off_t)((uintptr_t)virt / psz * sizeof(uint64_t));
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return VFN_BAD_IOVA;
	n = pread(fd, &ent, sizeof(ent), off);
	close(fd);
	/* bit 63: present; bits 0-54: PFN (zero without CAP_SYS_ADMIN) */
	if (n != sizeof(ent) || !(ent & (1ull << 63)))
		return VFN_BAD_IOVA;
	ent &= (1ull << 55) - 1;
	if (!ent)
		return VFN_BAD_IOVA;
	return ent * psz + (uintptr_t)virt % psz;
}

int eal_iova_table_init(void *base, size_t len)
{
	size_t n = len >> EAL_IOVA_GRANULE_SHIFT;

	tbl = malloc(n * sizeof(*tbl));
	if (!tbl)
		return -1;
	for (size_t i = 0; i < n; i++)
		tbl[i] = VFN_BAD_IOVA;
	tbl_base = (uintptr_t)base;
	tbl_len = len;
	return 0;
}

void eal_iova_table_free(void)
{
	free(tbl);
	tbl = NULL;
	tbl_base = 0;
	tbl_len = 0;
}

int eal_iova_table_set(struct eal_memseg *ms)
{
	size_t first = ((uintptr_t)ms->addr - tbl_base) >> EAL_IOVA_GRANULE_SHIFT;
	size_t n = ms->len >> EAL_IOVA_GRANULE_SHIFT;
	bool contig = true;

	for (size_t i = 0; i < n; i++) {
		uint8_t *va = (uint8_t *)ms->addr + i * GRANULE;
		uint64_t iova;

		if (iova_mode == VFN_IOVA_PA) {
			iova = eal_virt2phys(va);
			if (iova == VFN_BAD_IOVA) {
				while (i--)
					tbl[first + i] = VFN_BAD_IOVA;
				return -1;
			}
		} else {
			iova = (uintptr_t)va;
		}
		tbl[first + i] = iova;
		if (i && iova != tbl[first + i - 1] + GRANULE)
			contig = false;
	}
	ms->iova = contig ? tbl[first] : VFN_BAD_IOVA;
	return 0;
}

void eal_iova_table_clear(struct eal_memseg *ms)
{
	size_t first = ((uintptr_t)ms->addr - tbl_base) >> EAL_IOVA_GRANULE_SHIFT;

	for (size_t i = 0; i < ms->len >> EAL_IOVA_GRANULE_SHIFT; i++)
		tbl[first + i] = VFN_BAD_IOVA;
}

uint64_t eal_iova_of_granule(const void *va)
{
	return tbl[((uintptr_t)va - tbl_base) >> EAL_IOVA_GRANULE_SHIFT];
}

uint64_t vfn_mem_virt2iova(const void *addr)
{
	uintptr_t off = (uintptr_t)addr - tbl_base;
	uint64_t g;

	if (!tbl) /* no EAL: heap memory, IOVA = VA */
		return (uintptr_t)addr;
	if (off >= tbl_len)
		return VFN_BAD_IOVA;
	g = tbl[off >> EAL_IOVA_GRANULE_SHIFT];
	if (g == VFN_BAD_IOVA)
		return g;
	return g + (off & (GRANULE - 1));
}
