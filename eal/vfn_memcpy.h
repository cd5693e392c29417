/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * vfn_memcpy(), DPDK's rte_memcpy(): the C library's memcpy (which the
 * compiler inlines for small constant sizes); no hand-written vector copy.
 */
#ifndef VFN_MEMCPY_H
#define VFN_MEMCPY_H

#include <string.h>

/** Copy @p n bytes from @p src to @p dst (no overlap); returns @p dst. */
static inline void *vfn_memcpy(void *dst, const void *src, size_t n)
{
	return memcpy(dst, src, n);
}

#endif /* VFN_MEMCPY_H */
