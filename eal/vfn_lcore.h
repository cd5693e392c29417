/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Logical cores: the thread-local lcore id every per-lcore structure
 * (mempool caches, statistics) is indexed by.
 */
#ifndef VFN_LCORE_H
#define VFN_LCORE_H

#include "vfn_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** lcore id of a thread that is not an EAL lcore. */
#define VFN_LCORE_ID_ANY UINT32_MAX

/** @internal The calling thread's lcore id; VFN_LCORE_ID_ANY if none. */
extern __thread unsigned int vfn_per_lcore_id;

/** The calling thread's lcore id, or VFN_LCORE_ID_ANY. */
static inline unsigned int vfn_lcore_id(void)
{
	return vfn_per_lcore_id;
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_LCORE_H */
