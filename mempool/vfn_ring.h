/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Lock-free FIFO ring of pointers (the umbrella header of the ring).
 *
 * API of DPDK's rte_ring with the vfn_ prefix.  Each side is single- or
 * multi-threaded, chosen at creation (VFN_RING_F_SP_ENQ,
 * VFN_RING_F_SC_DEQ) and overridable per call (the _sp_/_mp_/_sc_/_mc_
 * variants).  "bulk" calls move all n objects or none; "burst" calls move
 * as many as possible.  The fast path is static inline, lock-free, and
 * neither divides nor enters the kernel.
 *
 * Rings of fixed-size elements are in vfn_ring_elem.h (included here).
 */
#ifndef VFN_RING_H
#define VFN_RING_H

#include "vfn_ring_core.h"
#include "vfn_ring_elem.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Bytes needed for a pointer ring of @p count entries.
 * @param count a power of two (ring holds count - 1), at most
 *              VFN_RING_SZ_MASK
 * @return the size in bytes, or -EINVAL if @p count is not valid
 */
ssize_t vfn_ring_get_memsize(unsigned int count);

/**
 * Initialise a pointer ring in caller memory (at least
 * vfn_ring_get_memsize() bytes, cache-line aligned).  The ring is not
 * registered for vfn_ring_lookup().
 * @param r      the memory
 * @param name   name, shorter than VFN_RING_NAMESIZE
 * @param count  power of two, or any value with VFN_RING_F_EXACT_SZ
 * @param flags  VFN_RING_F_*
 * @return 0, or -EINVAL (logged with the reason)
 */
int vfn_ring_init(struct vfn_ring *r, const char *name, unsigned int count,
		  unsigned int flags);

/**
 * Create a named pointer ring in vfnet memory and register it for lookup.
 * @param name      unique name, shorter than VFN_RING_NAMESIZE
 * @param count     power of two (holds count - 1), or any value up to
 *                  VFN_RING_SZ_MASK with VFN_RING_F_EXACT_SZ (holds count)
 * @param socket_id NUMA node or VFN_SOCKET_ID_ANY
 * @param flags     VFN_RING_F_SP_ENQ | VFN_RING_F_SC_DEQ |
 *                  VFN_RING_F_EXACT_SZ
 * @return the ring, or NULL with errno EINVAL, EEXIST or ENOMEM
 */
struct vfn_ring *vfn_ring_create(const char *name, unsigned int count,
				 int socket_id, unsigned int flags);

/**
 * Free a ring made by vfn_ring_create() or vfn_ring_create_elem() and
 * remove it from the lookup list.  NULL is a no-op; a ring initialised in
 * caller memory is only left alone (with a log message).
 */
void vfn_ring_free(struct vfn_ring *r);

/**
 * Find a ring created with vfn_ring_create() by name.
 * @return the ring, or NULL with errno ENOENT
 */
struct vfn_ring *vfn_ring_lookup(const char *name);

/**
 * Empty the ring.  Not thread-safe: nobody else may use the ring.
 */
void vfn_ring_reset(struct vfn_ring *r);

/**
 * @internal Test hook: empty the ring and start its indices at @p index,
 * e.g. just below UINT32_MAX to exercise the 32-bit wrap.  Not
 * thread-safe.
 */
void __vfn_ring_reset_at(struct vfn_ring *r, uint32_t index);

/** Print the ring's state (sizes, heads, tails, counts) to @p f. */
void vfn_ring_dump(FILE *f, const struct vfn_ring *r);

/** Multi-producer bulk enqueue. @return n or 0 */
static inline unsigned int
vfn_ring_mp_enqueue_bulk(struct vfn_ring *r, void *const *obj_table,
			 unsigned int n, unsigned int *free_space)
{
	return vfn_ring_mp_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
					     free_space);
}

/** Single-producer bulk enqueue. @return n or 0 */
static inline unsigned int
vfn_ring_sp_enqueue_bulk(struct vfn_ring *r, void *const *obj_table,
			 unsigned int n, unsigned int *free_space)
{
	return vfn_ring_sp_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
					     free_space);
}

/**
 * Enqueue all @p n pointers or none, in the ring's default producer mode.
 * @param r          the ring
 * @param obj_table  the pointers
 * @param n          how many
 * @param free_space if not NULL, receives the free entries after the call
 * @return n, or 0 when there is not room for all of them
 */
static inline unsigned int
vfn_ring_enqueue_bulk(struct vfn_ring *r, void *const *obj_table,
		      unsigned int n, unsigned int *free_space)
{
	return vfn_ring_enqueue_bulk_elem(r, obj_table, sizeof(void *), n,
					  free_space);
}

/** Multi-producer burst enqueue. @return pointers enqueued */
static inline unsigned int
vfn_ring_mp_enqueue_burst(struct vfn_ring *r, void *const *obj_table,
			  unsigned int n, unsigned int *free_space)
{
	return vfn_ring_mp_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
					      free_space);
}

/** Single-producer burst enqueue. @return pointers enqueued */
static inline unsigned int
vfn_ring_sp_enqueue_burst(struct vfn_ring *r, void *const *obj_table,
			  unsigned int n, unsigned int *free_space)
{
	return vfn_ring_sp_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
					      free_space);
}

/**
 * Enqueue up to @p n pointers (as many as fit), default producer mode.
 * @return pointers enqueued, 0..n
 */
static inline unsigned int
vfn_ring_enqueue_burst(struct vfn_ring *r, void *const *obj_table,
		       unsigned int n, unsigned int *free_space)
{
	return vfn_ring_enqueue_burst_elem(r, obj_table, sizeof(void *), n,
					   free_space);
}

/** Multi-consumer bulk dequeue. @return n or 0 */
static inline unsigned int
vfn_ring_mc_dequeue_bulk(struct vfn_ring *r, void **obj_table,
			 unsigned int n, unsigned int *available)
{
	return vfn_ring_mc_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
					     available);
}

/** Single-consumer bulk dequeue. @return n or 0 */
static inline unsigned int
vfn_ring_sc_dequeue_bulk(struct vfn_ring *r, void **obj_table,
			 unsigned int n, unsigned int *available)
{
	return vfn_ring_sc_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
					     available);
}

/**
 * Dequeue exactly @p n pointers or none, default consumer mode.
 * @param r          the ring
 * @param obj_table  receives the pointers
 * @param n          how many
 * @param available  if not NULL, receives the entries left after the call
 * @return n, or 0 when fewer than n are in the ring
 */
static inline unsigned int
vfn_ring_dequeue_bulk(struct vfn_ring *r, void **obj_table, unsigned int n,
		      unsigned int *available)
{
	return vfn_ring_dequeue_bulk_elem(r, obj_table, sizeof(void *), n,
					  available);
}

/** Multi-consumer burst dequeue. @return pointers dequeued */
static inline unsigned int
vfn_ring_mc_dequeue_burst(struct vfn_ring *r, void **obj_table,
			  unsigned int n, unsigned int *available)
{
	return vfn_ring_mc_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
					      available);
}

/** Single-consumer burst dequeue. @return pointers dequeued */
static inline unsigned int
vfn_ring_sc_dequeue_burst(struct vfn_ring *r, void **obj_table,
			  unsigned int n, unsigned int *available)
{
	return vfn_ring_sc_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
					      available);
}

/**
 * Dequeue up to @p n pointers, default consumer mode.
 * @return pointers dequeued, 0..n
 */
static inline unsigned int
vfn_ring_dequeue_burst(struct vfn_ring *r, void **obj_table, unsigned int n,
		       unsigned int *available)
{
	return vfn_ring_dequeue_burst_elem(r, obj_table, sizeof(void *), n,
					   available);
}

/** Multi-producer enqueue of one pointer. @return 0 or -ENOBUFS */
static inline int vfn_ring_mp_enqueue(struct vfn_ring *r, void *obj)
{
	return vfn_ring_mp_enqueue_bulk(r, &obj, 1, NULL) ? 0 : -ENOBUFS;
}

/** Single-producer enqueue of one pointer. @return 0 or -ENOBUFS */
static inline int vfn_ring_sp_enqueue(struct vfn_ring *r, void *obj)
{
	return vfn_ring_sp_enqueue_bulk(r, &obj, 1, NULL) ? 0 : -ENOBUFS;
}

/** Enqueue one pointer, default mode. @return 0 or -ENOBUFS (full) */
static inline int vfn_ring_enqueue(struct vfn_ring *r, void *obj)
{
	return vfn_ring_enqueue_bulk(r, &obj, 1, NULL) ? 0 : -ENOBUFS;
}

/** Multi-consumer dequeue of one pointer. @return 0 or -ENOENT */
static inline int vfn_ring_mc_dequeue(struct vfn_ring *r, void **obj_p)
{
	return vfn_ring_mc_dequeue_bulk(r, obj_p, 1, NULL) ? 0 : -ENOENT;
}

/** Single-consumer dequeue of one pointer. @return 0 or -ENOENT */
static inline int vfn_ring_sc_dequeue(struct vfn_ring *r, void **obj_p)
{
	return vfn_ring_sc_dequeue_bulk(r, obj_p, 1, NULL) ? 0 : -ENOENT;
}

/** Dequeue one pointer, default mode. @return 0 or -ENOENT (empty) */
static inline int vfn_ring_dequeue(struct vfn_ring *r, void **obj_p)
{
	return vfn_ring_dequeue_bulk(r, obj_p, 1, NULL) ? 0 : -ENOENT;
}

/**
 * Entries in the ring.  A snapshot: exact only when nobody is using the
 * ring concurrently.
 */
static inline unsigned int vfn_ring_count(const struct vfn_ring *r)
{
	/* Relaxed: a statistic; no data is read on the strength of it. */
	uint32_t prod_tail = atomic_load_explicit(&r->prod.tail,
						  memory_order_relaxed);
	uint32_t cons_tail = atomic_load_explicit(&r->cons.tail,
						  memory_order_relaxed);
	uint32_t count = (prod_tail - cons_tail) & r->mask;

	return count > r->capacity ? r->capacity : count;
}

/** Free entries in the ring (a snapshot, see vfn_ring_count()). */
static inline unsigned int vfn_ring_free_count(const struct vfn_ring *r)
{
	return r->capacity - vfn_ring_count(r);
}

/** 1 if the ring is full, else 0 (a snapshot). */
static inline int vfn_ring_full(const struct vfn_ring *r)
{
	return vfn_ring_free_count(r) == 0;
}

/** 1 if the ring is empty, else 0 (a snapshot). */
static inline int vfn_ring_empty(const struct vfn_ring *r)
{
	/* Relaxed: a snapshot, as vfn_ring_count(). */
	return atomic_load_explicit(&r->prod.tail, memory_order_relaxed) ==
	       atomic_load_explicit(&r->cons.tail, memory_order_relaxed);
}

/** Number of slots (a power of two). */
static inline unsigned int vfn_ring_get_size(const struct vfn_ring *r)
{
	return r->size;
}

/** Entries the ring can hold. */
static inline unsigned int vfn_ring_get_capacity(const struct vfn_ring *r)
{
	return r->capacity;
}

/** The ring's name. */
static inline const char *vfn_ring_get_name(const struct vfn_ring *r)
{
	return r->name;
}

/** Default producer mode (VFN_RING_SYNC_ST if created with SP_ENQ). */
static inline enum vfn_ring_sync_type
vfn_ring_get_prod_sync_type(const struct vfn_ring *r)
{
	return r->prod.sync;
}

/** Default consumer mode (VFN_RING_SYNC_ST if created with SC_DEQ). */
static inline enum vfn_ring_sync_type
vfn_ring_get_cons_sync_type(const struct vfn_ring *r)
{
	return r->cons.sync;
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_RING_H */
