/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Rings of fixed-size elements (a multiple of 4 bytes).  The pointer API
 * of vfn_ring.h is this API with esize == sizeof(void *); pass esize as a
 * compile-time constant and the copy loops specialise to it.
 */
#ifndef VFN_RING_ELEM_H
#define VFN_RING_ELEM_H

#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include "vfn_ring_core.h"
#include "vfn_ring_c11.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Bytes needed for a ring of @p count elements of @p esize bytes.
 * @param esize  bytes per element, a multiple of 4
 * @param count  entries (a power of two unless VFN_RING_F_EXACT_SZ is used)
 * @param flags  VFN_RING_F_* (only EXACT_SZ matters here)
 * @return the size in bytes, or -EINVAL for a bad esize or count
 */
ssize_t vfn_ring_get_memsize_elem(unsigned int esize, unsigned int count,
				  unsigned int flags);

/**
 * Initialise a ring of @p esize-byte elements in caller memory of at least
 * vfn_ring_get_memsize_elem() bytes, aligned to a cache line.  The ring
 * is not registered for vfn_ring_lookup().
 * @return 0, or -EINVAL (bad size, esize, flags or alignment)
 */
int vfn_ring_init_elem(struct vfn_ring *r, const char *name,
		       unsigned int esize, unsigned int count,
		       unsigned int flags);

/**
 * Create a named ring of @p esize-byte elements in vfnet memory.
 * @param name      unique name, shorter than VFN_RING_NAMESIZE
 * @param esize     bytes per element, a multiple of 4
 * @param count     entries; a power of two, or any value with
 *                  VFN_RING_F_EXACT_SZ
 * @param socket_id NUMA node or VFN_SOCKET_ID_ANY
 * @param flags     VFN_RING_F_SP_ENQ | VFN_RING_F_SC_DEQ |
 *                  VFN_RING_F_EXACT_SZ
 * @return the ring, or NULL with errno EINVAL (bad argument, logged with
 *         the fix), EEXIST (name taken) or ENOMEM
 */
struct vfn_ring *vfn_ring_create_elem(const char *name, unsigned int esize,
				      unsigned int count, int socket_id,
				      unsigned int flags);

/*
 * GCC's -Warray-bounds sees the 32-byte chunks below reach past a caller's
 * one-pointer table on the ring's wrap-around path, where the chunk loop
 * cannot run (the count there is below the caller's n).  A false
 * positive (and so is "maybe uninitialized" for the words past n);
 * silenced for these two helpers only.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

/**
 * @internal Copy @p n 8-byte words, 32 bytes at a time: constant-size
 * copies the compiler turns into vector moves, with no call and no
 * per-word index arithmetic.  The ring and the caller's table never
 * overlap.
 */
static inline void __vfn_ring_copy64(uint64_t *__restrict dst,
				     const uint64_t *__restrict src,
				     uint32_t n)
{
	uint32_t i = 0;

	for (; i + 4 <= n; i += 4)
		__builtin_memcpy(&dst[i], &src[i], 32);
	switch (n & 3) {
	case 3:
		dst[i + 2] = src[i + 2];
		/* fall through */
	case 2:
		dst[i + 1] = src[i + 1];
		/* fall through */
	case 1:
		dst[i] = src[i];
		/* fall through */
	default:
		break;
	}
}

/** @internal Copy @p n 4-byte words (element sizes 4, 12, 20, ...). */
static inline void __vfn_ring_copy32(uint32_t *__restrict dst,
				     const uint32_t *__restrict src,
				     uint32_t n)
{
	uint32_t i = 0;

	for (; i + 8 <= n; i += 8)
		__builtin_memcpy(&dst[i], &src[i], 32);
	for (; i < n; i++)
		dst[i] = src[i];
}

#pragma GCC diagnostic pop

/*
 * Slots are copied as words of 8 bytes when the element size is a
 * multiple of 8 (pointers, 16-byte elements), else of 4 bytes.  Indices
 * and the wrap point scale by the words per element; esize is a
 * compile-time constant in every public call, so all this folds away.
 */
#define __VFN_RING_COPY(WORD, COPY, to_ring)                                 \
	do {                                                                 \
		const uint32_t w = esize / sizeof(WORD);                     \
		WORD *ring = (WORD *)vfn_ring_slots(r);                      \
		WORD *tbl = (WORD *)obj;                                     \
		const uint32_t first = r->size - idx;                        \
		if (likely(n <= first)) {                                \
			if (to_ring)                                         \
				COPY(ring + (size_t)idx * w, tbl, n * w);    \
			else                                                 \
				COPY(tbl, ring + (size_t)idx * w, n * w);    \
		} else if (to_ring) {                                        \
			COPY(ring + (size_t)idx * w, tbl, first * w);        \
			COPY(ring, tbl + (size_t)first * w, (n - first) * w); \
		} else {                                                     \
			COPY(tbl, ring + (size_t)idx * w, first * w);        \
			COPY(tbl + (size_t)first * w, ring, (n - first) * w); \
		}                                                            \
	} while (0)

/** @internal Copy @p n elements from @p obj into the ring at @p head. */
static inline void
__vfn_ring_enqueue_elems(struct vfn_ring *r, uint32_t head, const void *obj,
			 uint32_t esize, uint32_t n)
{
	const uint32_t idx = head & r->mask;

	if (esize % 8 == 0)
		__VFN_RING_COPY(uint64_t, __vfn_ring_copy64, 1);
	else
		__VFN_RING_COPY(uint32_t, __vfn_ring_copy32, 1);
}

/** @internal Copy @p n elements from the ring at @p head into @p obj. */
static inline void
__vfn_ring_dequeue_elems(struct vfn_ring *r, uint32_t head, void *obj,
			 uint32_t esize, uint32_t n)
{
	const uint32_t idx = head & r->mask;

	if (esize % 8 == 0)
		__VFN_RING_COPY(uint64_t, __vfn_ring_copy64, 0);
	else
		__VFN_RING_COPY(uint32_t, __vfn_ring_copy32, 0);
}

/**
 * @internal Enqueue with an explicit mode and behaviour.
 * @return number of elements enqueued
 */
static inline uint32_t
__vfn_ring_do_enqueue_elem(struct vfn_ring *r, const void *obj,
			   uint32_t esize, uint32_t n,
			   enum vfn_ring_queue_behavior behavior,
			   enum vfn_ring_sync_type sync,
			   unsigned int *free_space)
{
	uint32_t head, next, free_entries;

	n = __vfn_ring_move_prod_head(r, sync, n, behavior, &head, &next,
				      &free_entries, free_space != NULL);
	if (n != 0) {
		__vfn_ring_enqueue_elems(r, head, obj, esize, n);
		__vfn_ring_update_tail(&r->prod, head, next, sync);
	}
	if (free_space)
		*free_space = free_entries - n;
	return n;
}

/**
 * @internal Dequeue with an explicit mode and behaviour.
 * @return number of elements dequeued
 */
static inline uint32_t
__vfn_ring_do_dequeue_elem(struct vfn_ring *r, void *obj, uint32_t esize,
			   uint32_t n, enum vfn_ring_queue_behavior behavior,
			   enum vfn_ring_sync_type sync,
			   unsigned int *available)
{
	uint32_t head, next, entries;

	n = __vfn_ring_move_cons_head(r, sync, esize, n, behavior, &head,
				      &next, &entries, available != NULL);
	if (n != 0) {
		__vfn_ring_dequeue_elems(r, head, obj, esize, n);
		__vfn_ring_update_tail(&r->cons, head, next, sync);
	}
	if (available)
		*available = entries - n;
	return n;
}

/*
 * The public element API: {mp,sp,}_{enqueue,dequeue}_{bulk,burst}_elem.
 * "bulk" moves all n elements or none; "burst" moves as many as it can.
 * free_space/available (may be NULL) receive the room or the entries left
 * after the call.  esize must be the ring's element size.
 */

/** Multi-producer bulk enqueue: @p n elements or none. @return n or 0 */
static inline unsigned int
vfn_ring_mp_enqueue_bulk_elem(struct vfn_ring *r, const void *obj,
			      unsigned int esize, unsigned int n,
			      unsigned int *free_space)
{
	return __vfn_ring_do_enqueue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_FIXED, VFN_RING_SYNC_MT, free_space);
}

/** Single-producer bulk enqueue: @p n elements or none. @return n or 0 */
static inline unsigned int
vfn_ring_sp_enqueue_bulk_elem(struct vfn_ring *r, const void *obj,
			      unsigned int esize, unsigned int n,
			      unsigned int *free_space)
{
	return __vfn_ring_do_enqueue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_FIXED, VFN_RING_SYNC_ST, free_space);
}

/** Bulk enqueue in the ring's default producer mode. @return n or 0 */
static inline unsigned int
vfn_ring_enqueue_bulk_elem(struct vfn_ring *r, const void *obj,
			   unsigned int esize, unsigned int n,
			   unsigned int *free_space)
{
	return __vfn_ring_do_enqueue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_FIXED, r->prod.sync, free_space);
}

/** Multi-producer burst enqueue. @return elements enqueued (0..n) */
static inline unsigned int
vfn_ring_mp_enqueue_burst_elem(struct vfn_ring *r, const void *obj,
			       unsigned int esize, unsigned int n,
			       unsigned int *free_space)
{
	return __vfn_ring_do_enqueue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_VARIABLE, VFN_RING_SYNC_MT, free_space);
}

/** Single-producer burst enqueue. @return elements enqueued (0..n) */
static inline unsigned int
vfn_ring_sp_enqueue_burst_elem(struct vfn_ring *r, const void *obj,
			       unsigned int esize, unsigned int n,
			       unsigned int *free_space)
{
	return __vfn_ring_do_enqueue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_VARIABLE, VFN_RING_SYNC_ST, free_space);
}

/** Burst enqueue in the default producer mode. @return elements enqueued */
static inline unsigned int
vfn_ring_enqueue_burst_elem(struct vfn_ring *r, const void *obj,
			    unsigned int esize, unsigned int n,
			    unsigned int *free_space)
{
	return __vfn_ring_do_enqueue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_VARIABLE, r->prod.sync, free_space);
}

/** Multi-consumer bulk dequeue: @p n elements or none. @return n or 0 */
static inline unsigned int
vfn_ring_mc_dequeue_bulk_elem(struct vfn_ring *r, void *obj,
			      unsigned int esize, unsigned int n,
			      unsigned int *available)
{
	return __vfn_ring_do_dequeue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_FIXED, VFN_RING_SYNC_MT, available);
}

/** Single-consumer bulk dequeue: @p n elements or none. @return n or 0 */
static inline unsigned int
vfn_ring_sc_dequeue_bulk_elem(struct vfn_ring *r, void *obj,
			      unsigned int esize, unsigned int n,
			      unsigned int *available)
{
	return __vfn_ring_do_dequeue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_FIXED, VFN_RING_SYNC_ST, available);
}

/** Bulk dequeue in the ring's default consumer mode. @return n or 0 */
static inline unsigned int
vfn_ring_dequeue_bulk_elem(struct vfn_ring *r, void *obj,
			   unsigned int esize, unsigned int n,
			   unsigned int *available)
{
	return __vfn_ring_do_dequeue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_FIXED, r->cons.sync, available);
}

/** Multi-consumer burst dequeue. @return elements dequeued (0..n) */
static inline unsigned int
vfn_ring_mc_dequeue_burst_elem(struct vfn_ring *r, void *obj,
			       unsigned int esize, unsigned int n,
			       unsigned int *available)
{
	return __vfn_ring_do_dequeue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_VARIABLE, VFN_RING_SYNC_MT, available);
}

/** Single-consumer burst dequeue. @return elements dequeued (0..n) */
static inline unsigned int
vfn_ring_sc_dequeue_burst_elem(struct vfn_ring *r, void *obj,
			       unsigned int esize, unsigned int n,
			       unsigned int *available)
{
	return __vfn_ring_do_dequeue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_VARIABLE, VFN_RING_SYNC_ST, available);
}

/** Burst dequeue in the default consumer mode. @return elements dequeued */
static inline unsigned int
vfn_ring_dequeue_burst_elem(struct vfn_ring *r, void *obj,
			    unsigned int esize, unsigned int n,
			    unsigned int *available)
{
	return __vfn_ring_do_dequeue_elem(r, obj, esize, n,
		VFN_RING_QUEUE_VARIABLE, r->cons.sync, available);
}

/** Enqueue one element (default mode). @return 0, or -ENOBUFS if full */
static inline int
vfn_ring_enqueue_elem(struct vfn_ring *r, const void *obj, unsigned int esize)
{
	return vfn_ring_enqueue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
								    -ENOBUFS;
}

/** Dequeue one element (default mode). @return 0, or -ENOENT if empty */
static inline int
vfn_ring_dequeue_elem(struct vfn_ring *r, void *obj, unsigned int esize)
{
	return vfn_ring_dequeue_bulk_elem(r, obj, esize, 1, NULL) ? 0 :
								    -ENOENT;
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_RING_ELEM_H */
