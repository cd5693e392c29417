/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Logical cores: the thread-local lcore id every per-lcore structure
 * (mempool caches, statistics) is indexed by.
 */
#ifndef VFN_LCORE_H
#define VFN_LCORE_H

#include "vfn_common.h"
#include "vfn_per_lcore.h"

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
	const unsigned int *id = &vfn_per_lcore_id;

	/*
	 * An opaque pointer, not the variable: under register pressure
	 * GCC 12 keeps the initial-exec offset of a TLS variable in a
	 * vector register, loaded as "lea x@gottpoff(%rip)" + "vmovq",
	 * which ld cannot relax when it links an executable ("TLS
	 * transition from R_X86_64_GOTTPOFF to R_X86_64_TPOFF32 ...
	 * failed"); given the address it keeps the address instead.
	 */
	__asm__("" : "+r"(id));
	return *id;
}

/** Number of enabled lcores (main included); 1 before vfn_eal_init(). */
unsigned int vfn_lcore_count(void);

/** lcore id of the main lcore (the thread that called vfn_eal_init()). */
unsigned int vfn_get_main_lcore(void);

/**
 * Next enabled lcore after @p i.
 * @param i          current lcore id; pass -1 to get the first
 * @param skip_main  skip the main lcore
 * @param wrap       wrap around after the last lcore
 * @return the next lcore id, or VFN_MAX_LCORE when there is none
 */
unsigned int vfn_get_next_lcore(unsigned int i, int skip_main, int wrap);

/** True when @p lcore_id is an enabled lcore. */
int vfn_lcore_is_enabled(unsigned int lcore_id);

/** NUMA node of @p lcore_id (0 when unknown). */
unsigned int vfn_lcore_to_socket_id(unsigned int lcore_id);

/** CPU @p lcore_id is pinned to, or -1. */
int vfn_lcore_to_cpu_id(unsigned int lcore_id);

/** NUMA node of the calling thread's lcore (or of its CPU if not an lcore). */
unsigned int vfn_socket_id(void);

/** Iterate every enabled lcore. */
#define VFN_LCORE_FOREACH(i)                                           \
	for ((i) = vfn_get_next_lcore(-1, 0, 0); (i) < VFN_MAX_LCORE;     \
	     (i) = vfn_get_next_lcore((i), 0, 0))

/** Iterate every enabled worker lcore (main skipped). */
#define VFN_LCORE_FOREACH_WORKER(i)                                    \
	for ((i) = vfn_get_next_lcore(-1, 1, 0); (i) < VFN_MAX_LCORE;     \
	     (i) = vfn_get_next_lcore((i), 1, 0))

#ifdef __cplusplus
}
#endif

#endif /* VFN_LCORE_H */
