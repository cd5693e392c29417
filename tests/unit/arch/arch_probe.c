/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One function per CPU-specific primitive of vfn_common.h, compiled to
 * assembly for another architecture by cross_aarch64.sh, which checks the
 * instructions each one became.
 */
#include "vfn_common.h"

void probe_io_wmb(void);
void probe_io_rmb(void);
void probe_pause(void);
uint64_t probe_rdtsc(void);

void probe_io_wmb(void)
{
	vfn_io_wmb();
}

void probe_io_rmb(void)
{
	vfn_io_rmb();
}

void probe_pause(void)
{
	vfn_pause();
}

uint64_t probe_rdtsc(void)
{
	return vfn_rdtsc();
}
