/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <time.h>

#include "vfn_common.h"
#include "vfn_cycles.h"

static uint64_t tsc_hz;

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t vfn_get_tsc_hz(void)
{
	struct timespec sl = { 0, 50 * 1000 * 1000 };
	uint64_t t0, c0, t1, c1;

	if (tsc_hz)
		return tsc_hz;
	/* 50 ms against the raw monotonic clock: good to ~0.1%. */
	t0 = monotonic_ns();
	c0 = vfn_rdtsc();
	nanosleep(&sl, NULL);
	t1 = monotonic_ns();
	c1 = vfn_rdtsc();
	tsc_hz = (c1 - c0) * 1000000000ull / (t1 - t0);
	return tsc_hz;
}

void vfn_delay_us_block(unsigned int us)
{
	uint64_t start = vfn_rdtsc();
	uint64_t ticks = vfn_get_tsc_hz() * us / 1000000;

	while (vfn_rdtsc() - start < ticks)
		vfn_pause();
}

void vfn_delay_us_sleep(unsigned int us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void vfn_delay_us(unsigned int us)
{
	vfn_delay_us_block(us);
}
