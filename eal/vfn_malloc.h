/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Allocation from vfnet memory (hugepages registered for DMA once the EAL
 * is up; plain aligned heap memory before that, so libraries and tests
 * work without an EAL).
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

/** Free memory from vfn_malloc_socket() and friends; NULL is a no-op. */
void vfn_free(void *ptr);

/**
 * IO virtual address of @p addr for device DMA.
 * @return the IOVA, or VFN_BAD_IOVA when @p addr is not DMA-able vfnet
 *         memory.  Without an EAL (or with --no-huge in VA mode) the IOVA
 *         is the virtual address.
 */
uint64_t vfn_mem_virt2iova(const void *addr);

#ifdef __cplusplus
}
#endif

#endif /* VFN_MALLOC_H */
