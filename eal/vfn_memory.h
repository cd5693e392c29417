/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * DPDK's rte_memory.h subset: the IOVA of EAL memory, the sizes and
 * alignment helpers (vfn_common.h), and the memory segments with the
 * files behind them (rte_memseg_walk, rte_memseg_get_fd), for drivers
 * that share EAL memory with another process or the kernel (net_memif
 * zero-copy).
 *
 * Unlike DPDK, a vfnet memory segment is one mapping of one file (a
 * hugepage file, a memfd, or anonymous memory without a file): DPDK's
 * memseg lists and their segments collapse into one level.
 */
#ifndef VFN_MEMORY_H
#define VFN_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "vfn_common.h"
#include "vfn_malloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One segment of EAL memory (DPDK's struct rte_memseg subset). */
struct vfn_memseg {
	void *addr;           /**< first byte */
	uint64_t iova;        /**< IOVA of addr; VFN_BAD_IOVA if scattered */
	size_t len;           /**< length in bytes */
	uint64_t hugepage_sz; /**< page size (the base page: no hugepages) */
	int socket_id;        /**< NUMA node */
};

/**
 * Called by vfn_memseg_walk() for each segment.
 *
 * @param ms  the segment (valid during the call only)
 * @param arg the walk's argument
 * @return 0 to continue, 1 to stop the walk, -1 to stop it with an error
 */
typedef int (*vfn_memseg_walk_t)(const struct vfn_memseg *ms, void *arg);

/**
 * Call @p func for every segment of EAL memory, in address order (as
 * rte_memseg_walk()).  Segments are only ever added, never removed,
 * while the EAL runs; one added during the walk may or may not be seen.
 *
 * @param func called per segment
 * @param arg  passed to @p func
 * @return 0 when every segment was visited (or there is no EAL memory:
 *         before vfn_eal_init()), 1 or -1 as @p func returned to stop
 */
int vfn_memseg_walk(vfn_memseg_walk_t func, void *arg);

/**
 * The file descriptor of the file behind segment @p ms, mapped at
 * offset 0 from ms->addr (as rte_memseg_get_fd()).  It stays owned by
 * the EAL: do not close it; dup() it to keep it.  Such an fd can be
 * passed to another process (SCM_RIGHTS) to share the memory.
 *
 * @param ms a segment as given by vfn_memseg_walk()
 * @return the fd; -ENOTSUP when the segment has no file (anonymous
 *         memory: with --no-huge when memfd_create() is not available),
 *         -ENOENT when @p ms is not a segment of EAL memory
 */
int vfn_memseg_get_fd(const struct vfn_memseg *ms);

#ifdef __cplusplus
}
#endif

#endif /* VFN_MEMORY_H */
