/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Small definitions every part of vfnet uses: cache-line size and
 * alignment, branch hints, prefetch, the time-stamp counter, CPU pause.
 */
#ifndef VFN_COMMON_H
#define VFN_COMMON_H

#include <stdint.h>
#include <stddef.h>
#include <assert.h>
#include <time.h>

#include "vfn_branch_prediction.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a CPU cache line in bytes. */
#define VFN_CACHE_LINE_SIZE 64

/** Align a type or variable to a cache line. */
#define __vfn_cache_aligned __attribute__((aligned(VFN_CACHE_LINE_SIZE)))

/** @name Attributes and helpers as DPDK's rte_common.h */
/** @{ */
#define __vfn_noreturn __attribute__((noreturn))
#define __vfn_unused __attribute__((unused))
#define __vfn_packed __attribute__((packed))
#define __vfn_aligned(a) __attribute__((aligned(a)))
#define __vfn_always_inline inline __attribute__((always_inline))
#define __vfn_noinline __attribute__((noinline))
/** Mark a variable used (silences unused warnings). */
#define VFN_SET_USED(x) (void)(x)
/** Number of elements of an array. */
#define VFN_DIM(a) (sizeof(a) / sizeof((a)[0]))
/** Smaller / larger of two values (each evaluated once). */
#define VFN_MIN(a, b) __extension__ ({ __typeof__(a) _a = (a); \
	__typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define VFN_MAX(a, b) __extension__ ({ __typeof__(a) _a = (a); \
	__typeof__(b) _b = (b); _a > _b ? _a : _b; })
/** Fail the build when @p cond is true (DPDK's RTE_BUILD_BUG_ON). */
#define VFN_BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))
/** @} */

/** Largest number of lcores vfnet manages. */
#define VFN_MAX_LCORE 128

/** Largest number of NUMA nodes vfnet manages. */
#define VFN_MAX_NUMA_NODES 8

/** "Any NUMA node" for allocation calls. */
#define VFN_SOCKET_ID_ANY (-1)

/** An IOVA that is not valid (not in vfnet memory). */
#define VFN_BAD_IOVA ((uint64_t)-1)

/** Round @p v up to a multiple of @p align, which must be a power of two. */
static inline uint64_t vfn_align_ceil(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/** True when @p v is a non-zero power of two. */
static inline int vfn_is_power_of_2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/** Smallest power of two >= @p v (@p v > 0, result fits in 32 bits). */
static inline uint32_t vfn_align32pow2(uint32_t v)
{
	return v <= 1 ? 1 : 1u << (32 - __builtin_clz(v - 1));
}

/** Prefetch into all cache levels. */
static inline void vfn_prefetch0(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 0, 3);
}

/** Prefetch for writing. */
static inline void vfn_prefetch0_write(const volatile void *p)
{
	__builtin_prefetch((const void *)p, 1, 3);
}

/** CPU hint inside a spin-wait loop (x86 pause, arm64 yield). */
static inline void vfn_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ volatile("yield" ::: "memory");
#else
	/* No hint on this CPU; still keep the spin loop's loads in it. */
	__asm__ volatile("" ::: "memory");
#endif
}

/**
 * Read the time-stamp counter: cycles on x86 (rdtsc), the generic timer
 * on arm64 (cntvct_el0), nanoseconds elsewhere.  vfn_get_tsc_hz() gives
 * its rate in every case.
 */
static inline uint64_t vfn_rdtsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
	uint64_t t;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(t));
	return t;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
#endif
}

/** Measured TSC frequency in Hz (calibrated once, on first call). */
uint64_t vfn_get_tsc_hz(void);

/** Compiler barrier: no reordering of memory accesses across it. */
static inline void vfn_compiler_barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

/**
 * Write barrier for device memory: the CPU's writes to DMA memory
 * (descriptors) are visible to a device before the writes that follow
 * (the doorbell).  x86 keeps stores in order towards devices, so only the
 * compiler must not reorder; arm64 needs a barrier in the outer-shareable
 * domain, where devices are ("dmb oshst", as DPDK's rte_io_wmb()): the
 * "dmb ish" of a C11 release fence covers CPUs only.
 */
static inline void vfn_io_wmb(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("" ::: "memory");
#elif defined(__aarch64__)
	__asm__ volatile("dmb oshst" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/**
 * Read barrier for device memory: a status the device wrote (DD) is read
 * before the descriptor fields that follow it ("dmb oshld" on arm64, as
 * DPDK's rte_io_rmb(); a compiler barrier on x86).
 */
static inline void vfn_io_rmb(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("" ::: "memory");
#elif defined(__aarch64__)
	__asm__ volatile("dmb oshld" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_COMMON_H */
