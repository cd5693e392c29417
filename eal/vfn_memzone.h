/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Named, IOVA-contiguous zones of EAL memory (rte_memzone's API): used for
 * descriptor rings and other memory a device reads by one base address.
 */
#ifndef VFN_MEMZONE_H
#define VFN_MEMZONE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest memzone name, NUL included. */
#define VFN_MEMZONE_NAMESIZE 32

/** A reserved zone. */
struct vfn_memzone {
	char name[VFN_MEMZONE_NAMESIZE];
	void *addr;       /**< start */
	uint64_t iova;    /**< IOVA of start; the zone is IOVA-contiguous */
	size_t len;       /**< length in bytes */
	int socket_id;    /**< NUMA node */
	unsigned int flags;
};

/**
 * Reserve @p len bytes named @p name on @p socket_id, cache-line aligned.
 * @return the zone, or NULL with errno: EEXIST (name taken), EINVAL,
 *         ENOMEM (no memory), ENOSPC (no free zone slot).
 */
const struct vfn_memzone *vfn_memzone_reserve(const char *name, size_t len,
					      int socket_id,
					      unsigned int flags);

/** As vfn_memzone_reserve() aligned to @p align (a power of two). */
const struct vfn_memzone *vfn_memzone_reserve_aligned(const char *name,
						      size_t len,
						      int socket_id,
						      unsigned int flags,
						      unsigned int align);

/** Look a zone up by name; NULL when absent. */
const struct vfn_memzone *vfn_memzone_lookup(const char *name);

/** Free a zone.  @return 0 or -EINVAL. */
int vfn_memzone_free(const struct vfn_memzone *mz);

#ifdef __cplusplus
}
#endif

#endif /* VFN_MEMZONE_H */
