/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pinned-page accounting for the VM tests: VFIO's type1 pins DMA memory
 * with FOLL_PIN, so nr_foll_pin_acquired - nr_foll_pin_released in
 * /proc/vmstat is how many pages are pinned system wide right now.
 */
#ifndef VFN_FOLL_PINS_H
#define VFN_FOLL_PINS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One /proc/vmstat counter, or -1.  /proc/vmstat lags behind per-CPU
 * counter deltas; writing stat_refresh (root only) folds them in first
 * so the numbers are exact.
 */
static inline long vfn_vmstat(const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/sys/vm/stat_refresh", "w");

	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ' ')
			v = atol(line + len + 1);
	fclose(f);
	return v;
}

/* Pages pinned with FOLL_PIN right now, system wide; -1 if unknown. */
static inline long vfn_foll_pins(void)
{
	long acq = vfn_vmstat("nr_foll_pin_acquired");
	long rel = vfn_vmstat("nr_foll_pin_released");

	return acq < 0 || rel < 0 ? -1 : acq - rel;
}

/* This process's locked_vm in kB (VmLck of /proc/self/status); -1 if unknown. */
static inline long vfn_vmlck_kb(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmLck:", 6))
			v = atol(line + 6);
	fclose(f);
	return v;
}

#endif /* VFN_FOLL_PINS_H */
