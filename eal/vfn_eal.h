/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Environment abstraction layer: the first call of every vfnet program.
 *
 * vfn_eal_init() parses the DPDK-style EAL arguments, reserves hugepage
 * memory (or anonymous memory with --no-huge), opens VFIO (vfnet's kernel
 * driver at /dev/vfnet/vfio or upstream VFIO at /dev/vfio/vfio, whichever
 * is present), maps that memory for device DMA, probes the allowed PCI
 * devices and the --vdev devices, and starts one pinned thread per worker
 * lcore.  vfn_eal_cleanup() undoes all of it.
 */
#ifndef VFN_EAL_H
#define VFN_EAL_H

#include <stdint.h>

#include "vfn_common.h"
#include "vfn_lcore.h"
#include "vfn_launch.h"
#include "vfn_debug.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How device DMA addresses relate to this process's addresses. */
enum vfn_iova_mode {
	VFN_IOVA_DC = 0,      /**< not decided yet (before vfn_eal_init()) */
	VFN_IOVA_PA = 1,      /**< IOVA = physical address (no-IOMMU mode) */
	VFN_IOVA_VA = 2,      /**< IOVA = virtual address (IOMMU, default) */
};

/**
 * Initialise the EAL.
 *
 * Arguments (DPDK habits): -l/--lcores LIST, --main-lcore ID,
 * -a/--allow BDF[,key=val...], -b/--block BDF, --vdev NAME[,args],
 * -m MB, --socket-mem MB,MB..., --huge-dir DIR, --no-huge, --in-memory,
 * --file-prefix NAME, --iova-mode va|pa, --log-level LEVEL, --no-pci,
 * --vfio vfnet|upstream, -h/--help.  "--" ends the EAL arguments.
 *
 * @param argc  argument count, argv[0] is the program name
 * @param argv  arguments
 * @return as DPDK's rte_eal_init(): the number of arguments parsed,
 *         argv[0] not counted and a "--" counted, with argv[ret] set to
 *         argv[0], so the usual `argc -= ret; argv += ret;` leaves the
 *         application's own arguments behind its program name, ready
 *         for getopt(); or -1 after logging a one-line message that
 *         names the argument or the fix (also available from
 *         vfn_eal_last_error()), errno set.  --help prints the usage on
 *         stdout and exits the process with status 0, as DPDK's EAL does.
 */
int vfn_eal_init(int argc, char **argv);

/**
 * Undo vfn_eal_init(): stop worker lcores, remove devices, unmap DMA,
 * close VFIO, release memory and delete hugepage files.
 * @return 0, or -EALREADY when the EAL is not initialised.
 */
int vfn_eal_cleanup(void);

/** The message of the last vfn_eal_init() failure ("" when none). */
const char *vfn_eal_last_error(void);

/** IOVA mode in use (VFN_IOVA_DC before vfn_eal_init()). */
enum vfn_iova_mode vfn_eal_iova_mode(void);

/** True when the EAL runs on hugepages (not --no-huge). */
int vfn_eal_has_hugepages(void);

/** True when PCI devices are used (not --no-pci). */
int vfn_eal_has_pci(void);

/** True between a successful vfn_eal_init() and vfn_eal_cleanup(). */
int vfn_eal_is_initialized(void);

/**
 * Which VFIO is in use: "vfnet", "upstream", or "" when no container was
 * opened (no device allowed or --no-pci).
 */
const char *vfn_eal_vfio_flavor(void);

/** Total bytes of EAL memory reserved so far (all memsegs). */
uint64_t vfn_eal_memory_total(void);

#ifdef __cplusplus
}
#endif

#endif /* VFN_EAL_H */
