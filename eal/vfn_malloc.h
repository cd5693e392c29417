/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Allocation from vfnet memory: hugepages (or --no-huge memory) registered
 * for DMA once the EAL is up, from a per-NUMA-node heap that grows on
 * demand; plain aligned C-heap memory before vfn_eal_init() (IOVA = VA),
 * so libraries and their tests work without an EAL.  Memory allocated
 * before vfn_eal_init() may still be freed with vfn_free() after it.
 */
#ifndef VFN_MALLOC_H
#define VFN_MALLOC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Allocate @p size bytes aligned to @p align on NUMA node @p socket.
 * @param type    a name for debugging (may be NULL)
 * @param size    bytes, > 0
 * @param align   power of two, or 0 for a cache line
 * @param socket  NUMA node or VFN_SOCKET_ID_ANY
 * @return the memory, or NULL with errno set (EINVAL, ENOMEM)
 */
void *vfn_malloc_socket(const char *type, size_t size, size_t align,
			int socket);

/** As vfn_malloc_socket(), zero-filled. */
void *vfn_zmalloc_socket(const char *type, size_t size, size_t align,
			 int socket);

/** As vfn_zmalloc_socket() on any node. */
void *vfn_zmalloc(const char *type, size_t size, size_t align);

/** As vfn_malloc_socket() on any node (the caller's first). */
void *vfn_malloc(const char *type, size_t size, size_t align);

/** Zeroed array of @p num elements of @p size bytes, on any node. */
void *vfn_calloc(const char *type, size_t num, size_t size, size_t align);

/** Free memory from vfn_malloc_socket() and friends; NULL is a no-op. */
void vfn_free(void *ptr);

/**
 * IO virtual address of @p addr for device DMA.
 * @return the IOVA, or VFN_BAD_IOVA when @p addr is not DMA-able vfnet
 *         memory.  Without an EAL (or with --no-huge in VA mode) the IOVA
 *         is the virtual address.
 */
uint64_t vfn_mem_virt2iova(const void *addr);

/** Heap statistics of one NUMA node. */
struct vfn_malloc_socket_stats {
	size_t heap_totalsz_bytes;  /**< memory given to the heap */
	size_t heap_freesz_bytes;   /**< of which free */
	size_t heap_allocsz_bytes;  /**< of which allocated (headers included) */
	unsigned int alloc_count;   /**< live allocations */
	unsigned int free_count;    /**< free blocks */
};

/**
 * Statistics of the EAL heap of @p socket (all zero before vfn_eal_init()).
 * @return 0 or -EINVAL.
 */
int vfn_malloc_get_socket_stats(int socket,
				struct vfn_malloc_socket_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* VFN_MALLOC_H */
