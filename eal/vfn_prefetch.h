/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Prefetch hints, as DPDK's rte_prefetch.h (vfn_prefetch0() and
 * vfn_prefetch0_write() are in vfn_common.h).
 */
#ifndef VFN_PREFETCH_H
#define VFN_PREFETCH_H

#include "vfn_common.h"

/** Prefetch into the L2 cache and below. */
static inline void vfn_prefetch1(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 2);
}

/** Prefetch into the L3 cache. */
static inline void vfn_prefetch2(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 1);
}

/** Prefetch data used once (non-temporal). */
static inline void vfn_prefetch_non_temporal(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 0);
}

#endif /* VFN_PREFETCH_H */
