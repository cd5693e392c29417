/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The ring structure and its flags.
 *
 * A ring is a fixed-size, power-of-two array of slots with two
 * head/tail pairs: the producer's and the consumer's.  Indices are
 * free-running 32-bit counters (they wrap at 2^32, never reset) and are
 * masked with (size - 1) only when a slot is touched, so "entries in use"
 * is always prod.tail - cons.tail in unsigned arithmetic, even across the
 * wrap.  Producer and consumer state live on separate cache lines (with
 * an empty line between them, so the adjacent-line prefetcher of one core
 * does not pull in the other side's line).
 *
 * Enqueue = (1) reserve slots by moving prod.head, (2) write the slots,
 * (3) publish by moving prod.tail.  Dequeue is the mirror image on cons.
 * With several producers, step (1) is a compare-and-swap and step (3)
 * waits until earlier reservations have been published, so tails always
 * move in reservation order.
 */
#ifndef VFN_RING_CORE_H
#define VFN_RING_CORE_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "vfn_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest ring name, including the terminating NUL. */
#define VFN_RING_NAMESIZE 32

/** Default enqueue is single-producer (set at creation). */
#define VFN_RING_F_SP_ENQ 0x0001
/** Default dequeue is single-consumer (set at creation). */
#define VFN_RING_F_SC_DEQ 0x0002
/**
 * The ring holds exactly @p count entries: its internal size is rounded
 * up to a power of two greater than @p count.  Without this flag @p count
 * must be a power of two and the ring holds count - 1 entries.
 */
#define VFN_RING_F_EXACT_SZ 0x0004

/** Largest ring size (number of slots). */
#define VFN_RING_SZ_MASK 0x7fffffffU

/** Synchronisation mode of one side (producer or consumer) of a ring. */
enum vfn_ring_sync_type {
	VFN_RING_SYNC_MT = 0, /**< several threads may use this side */
	VFN_RING_SYNC_ST = 1, /**< one thread at a time uses this side */
};

/** @internal Whether a call takes exactly n or as many as possible. */
enum vfn_ring_queue_behavior {
	VFN_RING_QUEUE_FIXED = 0,    /**< bulk: n or nothing */
	VFN_RING_QUEUE_VARIABLE = 1, /**< burst: as many as possible */
};

/** @internal One side of a ring: where it reserves and where it publishes. */
struct vfn_ring_headtail {
	_Atomic uint32_t head;         /**< next slot to reserve */
	_Atomic uint32_t tail;         /**< slots before this are published */
	enum vfn_ring_sync_type sync;  /**< default mode for this side */
	/**
	 * The other side's tail as this side last read it: never ahead of
	 * it.  While it shows room enough, a call skips reading the other
	 * side's line (see vfn_ring_c11.h).
	 */
	_Atomic uint32_t peer_tail;
};

/**
 * A ring.  The slots follow the structure in the same allocation; see
 * vfn_ring_get_memsize().  Fields are read-only after vfn_ring_init()
 * except for the head/tail pairs.
 */
struct vfn_ring {
	char name[VFN_RING_NAMESIZE]; /**< name (for lookup and dumps) */
	int flags;                    /**< VFN_RING_F_* given at creation */
	uint32_t size;                /**< number of slots, a power of two */
	uint32_t mask;                /**< size - 1 */
	uint32_t capacity;            /**< usable entries (<= size - 1) */
	uint32_t esize;               /**< bytes per entry, multiple of 4 */
	uint32_t allocated;           /**< @internal 1 if from vfn_ring_create */

	/** @internal Empty line: keeps the prefetcher off the producer. */
	char pad0[VFN_CACHE_LINE_SIZE] __vfn_cache_aligned;
	/** Producer state, alone on its cache line. */
	struct vfn_ring_headtail prod __vfn_cache_aligned;
	/** @internal Empty line between producer and consumer. */
	char pad1[VFN_CACHE_LINE_SIZE] __vfn_cache_aligned;
	/** Consumer state, alone on its cache line. */
	struct vfn_ring_headtail cons __vfn_cache_aligned;
	/** @internal Empty line between the consumer and the slots. */
	char pad2[VFN_CACHE_LINE_SIZE] __vfn_cache_aligned;
};

static_assert(offsetof(struct vfn_ring, cons) -
	      offsetof(struct vfn_ring, prod) >= 2 * VFN_CACHE_LINE_SIZE,
	      "ring producer and consumer must not share a cache-line pair");
static_assert(offsetof(struct vfn_ring, prod) >= 2 * VFN_CACHE_LINE_SIZE,
	      "ring producer must not share a line pair with the fields");
static_assert(sizeof(struct vfn_ring) % VFN_CACHE_LINE_SIZE == 0,
	      "ring slots must start on a cache line");

/** @internal First slot of ring @p r. */
static inline void *vfn_ring_slots(const struct vfn_ring *r)
{
	return (void *)((uintptr_t)r + sizeof(*r));
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_RING_CORE_H */
