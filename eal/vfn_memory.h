/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * DPDK's rte_memory.h subset: the IOVA of EAL memory and the sizes and
 * alignment helpers (vfn_common.h).  Memory segments are not exposed
 * (no rte_memseg walk API).
 */
#ifndef VFN_MEMORY_H
#define VFN_MEMORY_H

#include "vfn_common.h"
#include "vfn_malloc.h"

#endif /* VFN_MEMORY_H */
