/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * @internal Telemetry inside the EAL (telemetry.c, telemetry_data.c,
 * telemetry_eal.c).  Not installed.
 */
#ifndef TELEMETRY_INTERNAL_H
#define TELEMETRY_INTERNAL_H

#include <sched.h>

struct vfn_tel_data;

/** Free what @d owns and make it empty again (not @d itself). */
void tel_data_clear(struct vfn_tel_data *d);

/**
 * Start serving: create the socket in DPDK's runtime directory of
 * @prefix and the listener thread, pinned to @cpus (NULL: inherited).
 * 0, or -1 with eal_error() set (telemetry then stays off).
 */
int eal_telemetry_init(const char *prefix, const cpu_set_t *cpus);
/** Stop the threads, close and unlink the socket; idempotent. */
void eal_telemetry_fini(void);
/** Keep copies of the EAL's and the application's arguments. */
void eal_telemetry_save_args(int argc, char **argv);
/** Free the copies. */
void eal_telemetry_free_args(void);
/** The copies, NULL-terminated (argv[0] first; the part after "--"). */
char *const *eal_telemetry_eal_args(void);
char *const *eal_telemetry_app_args(void);

#endif /* TELEMETRY_INTERNAL_H */
