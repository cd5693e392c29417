/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Placeholder heap: aligned allocations from the C heap, IOVA = VA.  The
 * EAL replaces this with hugepage memory registered for DMA.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_common.h"
#include "vfn_malloc.h"

void *vfn_malloc_socket(const char *type, size_t size, size_t align,
			int socket)
{
	void *p;

	(void)type;
	(void)socket;
	if (!size || (align && !vfn_is_power_of_2(align))) {
		errno = EINVAL;
		return NULL;
	}
	if (align < VFN_CACHE_LINE_SIZE)
		align = VFN_CACHE_LINE_SIZE;
	if (posix_memalign(&p, align, vfn_align_ceil(size, align))) {
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void *vfn_zmalloc_socket(const char *type, size_t size, size_t align,
			 int socket)
{
	void *p = vfn_malloc_socket(type, size, align, socket);

	if (p)
		memset(p, 0, size);
	return p;
}

void *vfn_zmalloc(const char *type, size_t size, size_t align)
{
	return vfn_zmalloc_socket(type, size, align, VFN_SOCKET_ID_ANY);
}

void vfn_free(void *ptr)
{
	free(ptr);
}

uint64_t vfn_mem_virt2iova(const void *addr)
{
	return (uint64_t)(uintptr_t)addr;
}
