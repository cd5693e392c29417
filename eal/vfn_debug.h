/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Fatal errors: vfn_exit() and vfn_panic(), DPDK's rte_exit() and
 * rte_panic() (rte_debug.h).
 */
#ifndef VFN_DEBUG_H
#define VFN_DEBUG_H

#include "vfn_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Log @p format (level CRIT, type "EAL"), release the EAL with
 * vfn_eal_cleanup() when it is initialised, and exit the process with
 * @p exit_code.  Never returns.
 */
__vfn_noreturn void vfn_exit(int exit_code, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * Log the message (level CRIT) with the calling function's name and
 * abort() (a core dump).  For bugs, not for user errors.
 */
#define vfn_panic(...) __vfn_panic(__func__, __VA_ARGS__)

/** @internal */
__vfn_noreturn void __vfn_panic(const char *funcname, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif /* VFN_DEBUG_H */
