/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD shim for dpdk-test, used by bench/compare_dpdk_mem.sh only.
 *
 * DPDK's mempool_perf_autotest runs each of its ~720 cases for a fixed
 * TIME_S = 5 seconds (an hour in all).  Its loop stops when
 * elapsed_cycles / rte_get_tsc_hz() reaches TIME_S and it prints
 * objects / TIME_S.  This shim divides rte_get_tsc_hz() by
 * VFN_DPDK_TIME_SCALE (K): each case then runs 5/K real seconds and the
 * printed rate is the real rate divided by K, which the compare script
 * multiplies back.  Nothing else in those tests uses the TSC frequency.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t rte_get_tsc_hz(void);

uint64_t rte_get_tsc_hz(void)
{
	static uint64_t (*real)(void);
	static uint64_t scale;

	if (!real) {
		const char *s = getenv("VFN_DPDK_TIME_SCALE");

		real = (uint64_t (*)(void))dlsym(RTLD_NEXT, "rte_get_tsc_hz");
		if (!real) {
			fprintf(stderr, "dpdk_time_scale: rte_get_tsc_hz not found\n");
			abort();
		}
		scale = s ? strtoull(s, NULL, 10) : 1;
		if (scale == 0)
			scale = 1;
	}
	return real() / scale;
}
