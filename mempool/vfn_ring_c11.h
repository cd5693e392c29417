/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * @internal
 * Head and tail moves of the ring, with C11 atomics.
 *
 * Two happens-before edges carry all the data:
 *  - producer -> consumer: slot writes, then store-release of prod.tail;
 *    the consumer load-acquires prod.tail before reading the slots.
 *  - consumer -> producer: slot reads, then store-release of cons.tail;
 *    the producer load-acquires cons.tail before overwriting the slots.
 * Heads only arbitrate between threads of the same side (CAS when
 * multi-threaded, a plain store when single-threaded) and never carry
 * data, so they are relaxed.
 *
 * Each side keeps the other side's tail as it last read it (peer_tail,
 * on its own cache line) and reads the other side's line only when that
 * copy shows too little room (or too few entries) for the call, or when
 * the caller asks how much is left.  The other side's tail only moves
 * forward, so the copy can only under-count: a call that fits by the
 * copy fits for real, and one that does not reads the real tail, so
 * every call moves exactly the elements it would have moved with the
 * real tail.  What it saves is the line transfer per call: with the
 * producer and the consumer on two cores, each read of the other side's
 * tail takes its line away from the side that writes it next.
 * Ordering: the copy is stored with release after the acquire of the
 * real tail and loaded with acquire, so the other side's slot accesses
 * happen-before ours through it too.  A copy is at most capacity + n
 * behind this side's head (it is refreshed as soon as it shows less
 * than n), so the unsigned room and entry counts computed from it stay
 * meaningful; only a thread stopped between reading the real tail and
 * storing its copy for 2^32 - capacity ring moves could store one older
 * than that, the same window as the 32-bit head's own wrap (ABA) that
 * the compare-and-swap already has.
 * A single-threaded side always reads the real tail, and still stores
 * its copy when the tail moved: a multi-threaded call on the same ring
 * (a per-call override) then starts from a fresh copy, not one left from
 * the last reset, which after 2^32 moves could count slots still unread.
 */
#ifndef VFN_RING_C11_H
#define VFN_RING_C11_H

#include "vfn_ring_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @internal Publish slots [old_val, new_val) of one side.
 * With several threads on this side, wait until every earlier
 * reservation has been published, so the tail never skips a slot that
 * another thread is still filling (or still reading).
 */
static inline void
__vfn_ring_update_tail(struct vfn_ring_headtail *ht, uint32_t old_val,
		       uint32_t new_val, enum vfn_ring_sync_type sync)
{
	if (sync == VFN_RING_SYNC_MT) {
		/*
		 * Acquire: the thread that published old_val did so with a
		 * release store; acquiring it here makes its slot accesses
		 * happen-before our release below, so the other side, which
		 * acquires our new_val, sees them too (happens-before is
		 * transitive; a plain store does not extend a release
		 * sequence by itself).
		 */
		while (atomic_load_explicit(&ht->tail, memory_order_acquire) !=
		       old_val)
			vfn_pause();
	}
	/*
	 * Release: our slot writes (enqueue) or slot reads (dequeue) must be
	 * complete before the other side can observe the new tail.  Pairs
	 * with the load-acquire of this tail in the other side's head move.
	 */
	atomic_store_explicit(&ht->tail, new_val, memory_order_release);
}

/**
 * @internal Reserve up to @p n slots for enqueue.
 * @param r          the ring
 * @param sync       producer mode for this call
 * @param n          slots wanted
 * @param behavior   FIXED (n or 0) or VARIABLE (up to n)
 * @param old_head   out: first reserved index
 * @param new_head   out: index after the last reserved
 * @param free_entries out: free entries seen before the reservation
 * @param exact      the caller reports @p free_entries: read cons.tail
 *                   itself, not this side's copy of it
 * @return number of slots reserved (0 when not enough room)
 */
static inline uint32_t
__vfn_ring_move_prod_head(struct vfn_ring *r, enum vfn_ring_sync_type sync,
			  uint32_t n, enum vfn_ring_queue_behavior behavior,
			  uint32_t *old_head, uint32_t *new_head,
			  uint32_t *free_entries, int exact)
{
	const uint32_t capacity = r->capacity;
	const uint32_t max = n;
	uint32_t cons_tail;
	int ok;

	/* Relaxed: the head only arbitrates among producers (see below). */
	*old_head = atomic_load_explicit(&r->prod.head, memory_order_relaxed);
	do {
		n = max;
		/*
		 * Acquire fence: cons.tail must be read after prod.head (the
		 * initial load or the value a failed CAS returned).  Read the
		 * other way round, a stale cons.tail against a newer head
		 * would make capacity + cons_tail - head wrap to a huge free
		 * count and let us overwrite unread slots.  Free on x86.
		 */
		atomic_thread_fence(memory_order_acquire);
		/* This side's copy of cons.tail first (see the top). */
		cons_tail = sync == VFN_RING_SYNC_ST ? *old_head - capacity :
			atomic_load_explicit(&r->prod.peer_tail,
					     memory_order_acquire);
		/* Unsigned arithmetic: correct across the 2^32 wrap. */
		*free_entries = capacity + cons_tail - *old_head;
		if (sync == VFN_RING_SYNC_ST || exact || *free_entries < n ||
		    *free_entries > capacity) {
			/*
			 * Acquire: pairs with the consumer's release of
			 * cons.tail, so its reads of the slots we are about
			 * to reuse are done.
			 */
			uint32_t copy = cons_tail;

			cons_tail = atomic_load_explicit(&r->cons.tail,
							 memory_order_acquire);
			/* Polling a full ring: no store while nothing moved. */
			if (cons_tail != copy)
				atomic_store_explicit(&r->prod.peer_tail,
						      cons_tail,
						      memory_order_release);
			*free_entries = capacity + cons_tail - *old_head;
		}
		if (unlikely(n > *free_entries))
			n = behavior == VFN_RING_QUEUE_FIXED ? 0 : *free_entries;
		if (n == 0)
			return 0;
		*new_head = *old_head + n;
		if (sync == VFN_RING_SYNC_ST) {
			/*
			 * Relaxed: no other producer reads prod.head; the
			 * consumer only ever reads prod.tail.
			 */
			atomic_store_explicit(&r->prod.head, *new_head,
					      memory_order_relaxed);
			ok = 1;
		} else {
			/*
			 * Relaxed CAS: it only decides which producer owns
			 * [old_head, new_head).  Slot data is ordered by the
			 * tail release, not by the head.  On failure old_head
			 * is reloaded and the fence above orders the next
			 * cons.tail read after it.
			 */
			ok = atomic_compare_exchange_strong_explicit(
				&r->prod.head, old_head, *new_head,
				memory_order_relaxed, memory_order_relaxed);
		}
	} while (unlikely(!ok));
	return n;
}

/** @internal Most bytes of slots a multi-consumer dequeue prefetches. */
#define __VFN_RING_MC_PREFETCH_BYTES 256

/**
 * @internal Prefetch the first published slots from @p head that a
 * multi-consumer dequeue of @p n elements of @p esize bytes is about to
 * claim (at most __VFN_RING_MC_PREFETCH_BYTES of them).
 *
 * The claim is a locked compare-and-swap, a full barrier on x86: the
 * slot loads after it cannot start before it completes, and it often
 * waits for the consumer line (the producer reads cons.tail on it).
 * With the producer on another core the slots are misses too, so the
 * dequeue paid for the CAS and then for the slots, one after the other;
 * prefetched before the CAS, the slots arrive meanwhile.  The slots are
 * published (prod.tail said so), so the prefetch reads finished data;
 * should another consumer claim them first it is only wasted.  A
 * dequeue of one line or less is left alone: there, on two cores, it
 * cost more than it saved (bulk 8 of pointers 92-99 -> 104-106 cycles
 * per element); bulk 32 went 28-35 -> 23-25
 * (bench/ring_perf/two-core-analysis.md).
 */
static inline void
__vfn_ring_mc_prefetch(const struct vfn_ring *r, uint32_t head,
		       uint32_t esize, uint32_t n)
{
	uintptr_t slots = (uintptr_t)vfn_ring_slots(r);
	uintptr_t p = slots + (uintptr_t)(head & r->mask) * esize;
	uintptr_t end = slots + (uintptr_t)r->size * esize;
	uint32_t bytes = n * esize;

	if (bytes <= VFN_CACHE_LINE_SIZE)
		return;
	if (bytes > __VFN_RING_MC_PREFETCH_BYTES)
		bytes = __VFN_RING_MC_PREFETCH_BYTES;
	if (end > p + bytes)
		end = p + bytes;
	for (p &= ~(uintptr_t)(VFN_CACHE_LINE_SIZE - 1); p < end;
	     p += VFN_CACHE_LINE_SIZE)
		__builtin_prefetch((const void *)p, 0, 3);
}

/**
 * @internal Reserve up to @p n filled slots for dequeue.
 * Parameters as __vfn_ring_move_prod_head(), with @p entries the number of
 * filled entries seen before the reservation and @p esize the element
 * size in bytes (for the slots a multi-consumer claim prefetches).
 */
static inline uint32_t
__vfn_ring_move_cons_head(struct vfn_ring *r, enum vfn_ring_sync_type sync,
			  uint32_t esize, uint32_t n,
			  enum vfn_ring_queue_behavior behavior,
			  uint32_t *old_head, uint32_t *new_head,
			  uint32_t *entries, int exact)
{
	const uint32_t max = n;
	uint32_t prod_tail;
	int ok;

	/* Relaxed: the head only arbitrates among consumers. */
	*old_head = atomic_load_explicit(&r->cons.head, memory_order_relaxed);
	do {
		n = max;
		/*
		 * Acquire fence: prod.tail must be read after cons.head, or a
		 * stale prod.tail against a newer head would wrap the entry
		 * count and let us read slots nobody wrote yet.
		 */
		atomic_thread_fence(memory_order_acquire);
		/* This side's copy of prod.tail first (see the top). */
		prod_tail = sync == VFN_RING_SYNC_ST ? *old_head :
			atomic_load_explicit(&r->cons.peer_tail,
					     memory_order_acquire);
		*entries = prod_tail - *old_head;
		if (sync == VFN_RING_SYNC_ST || exact || *entries < n ||
		    *entries > r->capacity) {
			/*
			 * Acquire: pairs with the producer's release of
			 * prod.tail, so the slot contents it published are
			 * visible to our reads.
			 */
			uint32_t copy = prod_tail;

			prod_tail = atomic_load_explicit(&r->prod.tail,
							 memory_order_acquire);
			/* Polling an empty ring: no store while nothing moved. */
			if (prod_tail != copy)
				atomic_store_explicit(&r->cons.peer_tail,
						      prod_tail,
						      memory_order_release);
			*entries = prod_tail - *old_head;
		}
		if (n > *entries)
			n = behavior == VFN_RING_QUEUE_FIXED ? 0 : *entries;
		if (unlikely(n == 0))
			return 0;
		*new_head = *old_head + n;
		if (sync == VFN_RING_SYNC_ST) {
			/* Relaxed: only this consumer reads cons.head. */
			atomic_store_explicit(&r->cons.head, *new_head,
					      memory_order_relaxed);
			ok = 1;
		} else {
			/* Before the CAS: see __vfn_ring_mc_prefetch(). */
			__vfn_ring_mc_prefetch(r, *old_head, esize, n);
			/*
			 * Relaxed CAS: ownership of [old_head, new_head) only;
			 * the data was ordered by the prod.tail acquire.
			 */
			ok = atomic_compare_exchange_strong_explicit(
				&r->cons.head, old_head, *new_head,
				memory_order_relaxed, memory_order_relaxed);
		}
	} while (unlikely(!ok));
	return n;
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_RING_C11_H */
