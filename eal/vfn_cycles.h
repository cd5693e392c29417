/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Time: the TSC, the timer and busy-wait delays, as DPDK's rte_cycles.h.
 * vfn_rdtsc() and vfn_get_tsc_hz() are declared in vfn_common.h.
 */
#ifndef VFN_CYCLES_H
#define VFN_CYCLES_H

#include <stdint.h>

#include "vfn_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MS_PER_S 1000
#define US_PER_S 1000000
#define NS_PER_S 1000000000

/** TSC cycles now (vfn_rdtsc()). */
static inline uint64_t vfn_get_tsc_cycles(void)
{
	return vfn_rdtsc();
}

/** Timer cycles now: the TSC (vfnet has no HPET timer). */
static inline uint64_t vfn_get_timer_cycles(void)
{
	return vfn_get_tsc_cycles();
}

/** Timer cycles per second (the TSC frequency). */
static inline uint64_t vfn_get_timer_hz(void)
{
	return vfn_get_tsc_hz();
}

/** Busy-wait @p us microseconds on the TSC (DPDK's default delay). */
void vfn_delay_us_block(unsigned int us);

/** Sleep @p us microseconds (nanosleep: gives the CPU away). */
void vfn_delay_us_sleep(unsigned int us);

/** Wait @p us microseconds: vfn_delay_us_block(). */
void vfn_delay_us(unsigned int us);

/** Wait @p ms milliseconds. */
static inline void vfn_delay_ms(unsigned int ms)
{
	vfn_delay_us(ms * 1000);
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_CYCLES_H */
