/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Branch hints with DPDK's names (rte_branch_prediction.h): likely() and
 * unlikely(), unprefixed as in DPDK; an application's own definitions
 * win.
 */
#ifndef VFN_BRANCH_PREDICTION_H
#define VFN_BRANCH_PREDICTION_H

/** Hint that @p x is usually true. */
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif

/** Hint that @p x is usually false. */
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#endif /* VFN_BRANCH_PREDICTION_H */
