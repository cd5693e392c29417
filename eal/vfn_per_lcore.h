/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Per-lcore (thread-local) variables, as DPDK's rte_per_lcore.h.
 */
#ifndef VFN_PER_LCORE_H
#define VFN_PER_LCORE_H

/** Define a per-lcore (thread-local) variable: VFN_DEFINE_PER_LCORE(int, x). */
#define VFN_DEFINE_PER_LCORE(type, name) __thread __typeof__(type) per_lcore_##name
/** Declare a per-lcore variable defined elsewhere. */
#define VFN_DECLARE_PER_LCORE(type, name) \
	extern __thread __typeof__(type) per_lcore_##name
/** The calling lcore's instance of a per-lcore variable (an lvalue). */
#define VFN_PER_LCORE(name) (per_lcore_##name)

#endif /* VFN_PER_LCORE_H */
