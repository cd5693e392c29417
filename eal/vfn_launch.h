/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Running functions on worker lcores (rte_launch.h's API).
 */
#ifndef VFN_LAUNCH_H
#define VFN_LAUNCH_H

#ifdef __cplusplus
extern "C" {
#endif

/** A function run on an lcore; its return value is kept for wait. */
typedef int (vfn_lcore_function_t)(void *arg);

/** State of a worker lcore. */
enum vfn_lcore_state {
	VFN_LCORE_WAIT = 0, /**< idle, waiting for a function */
	VFN_LCORE_RUNNING,  /**< running a function */
	VFN_LCORE_FINISHED, /**< function returned; not yet waited for */
};

/**
 * Run @p f(@p arg) on worker lcore @p worker_id.
 * @return 0; -EBUSY when that lcore is not idle; -EINVAL when it is not
 *         an enabled worker lcore (the main lcore runs code by itself).
 */
int vfn_eal_remote_launch(vfn_lcore_function_t *f, void *arg,
			  unsigned int worker_id);

/** Call mode of vfn_eal_mp_remote_launch(). */
enum vfn_rmt_call_main {
	VFN_SKIP_MAIN = 0, /**< run on workers only */
	VFN_CALL_MAIN,     /**< run on the main lcore too, after launching */
};

/**
 * Run @p f on every worker lcore (and on the main lcore with
 * VFN_CALL_MAIN).  @return 0 or -EBUSY when a worker is busy.
 */
int vfn_eal_mp_remote_launch(vfn_lcore_function_t *f, void *arg,
			     enum vfn_rmt_call_main call_main);

/**
 * Wait for worker lcore @p worker_id to finish its function.
 * @return the function's return value, or 0 when the lcore was idle.
 */
int vfn_eal_wait_lcore(unsigned int worker_id);

/** Wait for every worker lcore to finish. */
void vfn_eal_mp_wait_lcore(void);

/** State of worker lcore @p worker_id. */
enum vfn_lcore_state vfn_eal_get_lcore_state(unsigned int worker_id);

#ifdef __cplusplus
}
#endif

#endif /* VFN_LAUNCH_H */
