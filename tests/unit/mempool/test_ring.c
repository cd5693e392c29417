/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring unit tests: creation errors, caller memory, capacity, empty/full,
 * bulk vs burst partial results, zero counts, 32-bit index wrap-around,
 * per-call mode override, element rings, and MP/MC and SP/SC stress on two
 * threads with a checksum of everything enqueued vs dequeued.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vfn_malloc.h"
#include "vfn_ring.h"
#include "vfn_cunit.h"

static void test_create_errors(void)
{
	struct vfn_ring *r;

	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_ring_create("bad", 1000, VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_ring_create("bad", 0, VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NULL(vfn_ring_create("bad", 1, VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_PTR_NULL(vfn_ring_create("bad", 0x80000000u,
					   VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_PTR_NULL(vfn_ring_create("bad", 0, VFN_SOCKET_ID_ANY,
					   VFN_RING_F_EXACT_SZ));
	CU_ASSERT_PTR_NULL(vfn_ring_create("bad", VFN_RING_SZ_MASK,
					   VFN_SOCKET_ID_ANY,
					   VFN_RING_F_EXACT_SZ));
	CU_ASSERT_PTR_NULL(vfn_ring_create("bad", 64, VFN_SOCKET_ID_ANY,
					   0x100));
	CU_ASSERT_PTR_NULL(vfn_ring_create(
		"a_name_that_is_much_too_long_for_a_ring", 64,
		VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_PTR_NULL(vfn_ring_create(NULL, 64, VFN_SOCKET_ID_ANY, 0));
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_ring_create_elem("bad", 3, 64,
						VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NULL(vfn_ring_create_elem("bad", 0, 64,
						VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_EQUAL(vfn_ring_get_memsize(1000), -EINVAL);
	CU_ASSERT_EQUAL(vfn_ring_get_memsize_elem(6, 64, 0), -EINVAL);

	/* Duplicate names are refused; lookup finds created rings only. */
	r = vfn_ring_create("dup", 64, VFN_SOCKET_ID_ANY, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_ring_create("dup", 64, VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_EQUAL(errno, EEXIST);
	CU_ASSERT_PTR_EQUAL(vfn_ring_lookup("dup"), r);
	vfn_ring_free(r);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_ring_lookup("dup"));
	CU_ASSERT_EQUAL(errno, ENOENT);
	vfn_ring_free(NULL);
}

static void test_caller_memory(void)
{
	ssize_t sz = vfn_ring_get_memsize(64);
	struct vfn_ring *r;
	char *raw;
	void *obj;

	CU_ASSERT_FATAL(sz >= (ssize_t)(sizeof(struct vfn_ring) + 64 * 8));
	CU_ASSERT_EQUAL(sz % VFN_CACHE_LINE_SIZE, 0);
	raw = vfn_zmalloc("t", (size_t)sz + VFN_CACHE_LINE_SIZE, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	/* Misaligned memory is refused. */
	CU_ASSERT_EQUAL(vfn_ring_init((struct vfn_ring *)(raw + 8), "mis", 64,
				      0), -EINVAL);
	r = (struct vfn_ring *)raw;
	CU_ASSERT_EQUAL(vfn_ring_init(r, "caller", 64, 0), 0);
	CU_ASSERT_EQUAL(vfn_ring_get_size(r), 64);
	CU_ASSERT_EQUAL(vfn_ring_get_capacity(r), 63);
	CU_ASSERT_STRING_EQUAL(vfn_ring_get_name(r), "caller");
	CU_ASSERT_PTR_NULL(vfn_ring_lookup("caller"));
	CU_ASSERT_EQUAL(vfn_ring_enqueue(r, (void *)0x1234), 0);
	CU_ASSERT_EQUAL(vfn_ring_dequeue(r, &obj), 0);
	CU_ASSERT_PTR_EQUAL(obj, (void *)0x1234);
	/* Not ours to free: left alone. */
	vfn_ring_free(r);
	CU_ASSERT_EQUAL(vfn_ring_enqueue(r, (void *)0x1), 0);
	CU_ASSERT_EQUAL(vfn_ring_count(r), 1);
	vfn_free(raw);
}

static void test_capacity(void)
{
	struct vfn_ring *r = vfn_ring_create("cap", 8, VFN_SOCKET_ID_ANY, 0);
	struct vfn_ring *x = vfn_ring_create("capx", 1000, VFN_SOCKET_ID_ANY,
					     VFN_RING_F_EXACT_SZ);
	struct vfn_ring *one = vfn_ring_create("cap1", 1, VFN_SOCKET_ID_ANY,
					       VFN_RING_F_EXACT_SZ);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_PTR_NOT_NULL_FATAL(one);
	CU_ASSERT_EQUAL(vfn_ring_get_capacity(r), 7);
	CU_ASSERT_EQUAL(vfn_ring_get_size(x), 1024);
	CU_ASSERT_EQUAL(vfn_ring_get_capacity(x), 1000);
	CU_ASSERT_EQUAL(vfn_ring_free_count(x), 1000);
	CU_ASSERT_EQUAL(vfn_ring_get_capacity(one), 1);
	CU_ASSERT_EQUAL(vfn_ring_enqueue(one, (void *)1), 0);
	CU_ASSERT_EQUAL(vfn_ring_enqueue(one, (void *)2), -ENOBUFS);
	CU_ASSERT_TRUE(vfn_ring_full(one));
	vfn_ring_free(r);
	vfn_ring_free(x);
	vfn_ring_free(one);
}

static void test_empty_full(void)
{
	struct vfn_ring *r = vfn_ring_create("ef", 16, VFN_SOCKET_ID_ANY, 0);
	void *obj = NULL;
	uintptr_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_TRUE(vfn_ring_empty(r));
	CU_ASSERT_FALSE(vfn_ring_full(r));
	CU_ASSERT_EQUAL(vfn_ring_dequeue(r, &obj), -ENOENT);
	CU_ASSERT_EQUAL(vfn_ring_sc_dequeue(r, &obj), -ENOENT);
	CU_ASSERT_EQUAL(vfn_ring_mc_dequeue(r, &obj), -ENOENT);
	for (i = 1; i <= 15; i++) {
		CU_ASSERT_EQUAL(i % 2 ? vfn_ring_sp_enqueue(r, (void *)i) :
					vfn_ring_mp_enqueue(r, (void *)i), 0);
		CU_ASSERT_EQUAL(vfn_ring_count(r), i);
	}
	CU_ASSERT_TRUE(vfn_ring_full(r));
	CU_ASSERT_FALSE(vfn_ring_empty(r));
	CU_ASSERT_EQUAL(vfn_ring_free_count(r), 0);
	CU_ASSERT_EQUAL(vfn_ring_enqueue(r, (void *)99), -ENOBUFS);
	CU_ASSERT_EQUAL(vfn_ring_sp_enqueue(r, (void *)99), -ENOBUFS);
	CU_ASSERT_EQUAL(vfn_ring_mp_enqueue(r, (void *)99), -ENOBUFS);
	for (i = 1; i <= 15; i++) {
		CU_ASSERT_EQUAL(i % 2 ? vfn_ring_sc_dequeue(r, &obj) :
					vfn_ring_mc_dequeue(r, &obj), 0);
		CU_ASSERT_EQUAL((uintptr_t)obj, i);
	}
	CU_ASSERT_TRUE(vfn_ring_empty(r));
	vfn_ring_reset(r);
	CU_ASSERT_TRUE(vfn_ring_empty(r));
	vfn_ring_free(r);
}

static void fill(void **t, unsigned int n, uintptr_t base)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		t[i] = (void *)(base + i);
}

static int check_seq(void **t, unsigned int n, uintptr_t base)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (t[i] != (void *)(base + i))
			return 0;
	return 1;
}

static void test_bulk_vs_burst(void)
{
	struct vfn_ring *r = vfn_ring_create("bb", 8, VFN_SOCKET_ID_ANY, 0);
	void *in[16], *out[16];
	unsigned int room = 99, avail = 99;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	fill(in, 16, 100);
	CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in, 5, &room), 5);
	CU_ASSERT_EQUAL(room, 2);
	/* Bulk: all or nothing, free space still reported. */
	room = 99;
	CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in + 5, 5, &room), 0);
	CU_ASSERT_EQUAL(room, 2);
	CU_ASSERT_EQUAL(vfn_ring_count(r), 5);
	/* Burst: as many as fit. */
	CU_ASSERT_EQUAL(vfn_ring_enqueue_burst(r, in + 5, 5, &room), 2);
	CU_ASSERT_EQUAL(room, 0);
	CU_ASSERT_EQUAL(vfn_ring_enqueue_burst(r, in + 7, 5, &room), 0);
	CU_ASSERT_EQUAL(vfn_ring_sp_enqueue_burst(r, in + 7, 5, &room), 0);
	CU_ASSERT_EQUAL(vfn_ring_mp_enqueue_burst(r, in + 7, 5, &room), 0);

	CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(r, out, 10, &avail), 0);
	CU_ASSERT_EQUAL(avail, 7);
	CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(r, out, 3, &avail), 3);
	CU_ASSERT_EQUAL(avail, 4);
	CU_ASSERT_TRUE(check_seq(out, 3, 100));
	CU_ASSERT_EQUAL(vfn_ring_dequeue_burst(r, out, 10, &avail), 4);
	CU_ASSERT_EQUAL(avail, 0);
	CU_ASSERT_TRUE(check_seq(out, 4, 103));
	CU_ASSERT_EQUAL(vfn_ring_dequeue_burst(r, out, 10, &avail), 0);
	CU_ASSERT_EQUAL(vfn_ring_sc_dequeue_burst(r, out, 10, NULL), 0);
	CU_ASSERT_EQUAL(vfn_ring_mc_dequeue_burst(r, out, 10, NULL), 0);

	/* Explicit-mode bulk variants. */
	CU_ASSERT_EQUAL(vfn_ring_sp_enqueue_bulk(r, in, 3, NULL), 3);
	CU_ASSERT_EQUAL(vfn_ring_mp_enqueue_bulk(r, in + 3, 4, NULL), 4);
	CU_ASSERT_EQUAL(vfn_ring_mp_enqueue_bulk(r, in, 1, NULL), 0);
	CU_ASSERT_EQUAL(vfn_ring_sc_dequeue_bulk(r, out, 2, NULL), 2);
	CU_ASSERT_EQUAL(vfn_ring_mc_dequeue_bulk(r, out + 2, 5, NULL), 5);
	CU_ASSERT_TRUE(check_seq(out, 7, 100));
	CU_ASSERT_EQUAL(vfn_ring_mc_dequeue_bulk(r, out, 1, NULL), 0);
	vfn_ring_free(r);
}

static void test_zero_count(void)
{
	struct vfn_ring *r = vfn_ring_create("zero", 8, VFN_SOCKET_ID_ANY, 0);
	void *in[1] = { (void *)1 }, *out[1];
	unsigned int room = 99, avail = 99;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in, 0, &room), 0);
	CU_ASSERT_EQUAL(room, 7);
	CU_ASSERT_EQUAL(vfn_ring_enqueue_burst(r, in, 0, &room), 0);
	CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(r, out, 0, &avail), 0);
	CU_ASSERT_EQUAL(avail, 0);
	CU_ASSERT_EQUAL(vfn_ring_enqueue(r, in[0]), 0);
	CU_ASSERT_EQUAL(vfn_ring_dequeue_burst(r, out, 0, &avail), 0);
	CU_ASSERT_EQUAL(avail, 1);
	CU_ASSERT_EQUAL(vfn_ring_count(r), 1);
	CU_ASSERT_EQUAL(r->prod.head, r->prod.tail);
	CU_ASSERT_EQUAL(r->cons.head, r->cons.tail);
	vfn_ring_free(r);
}

/* Walk the indices across 2^32 with mixed sizes; FIFO order must hold. */
static void wrap_walk(struct vfn_ring *r, uint32_t start)
{
	void *in[32], *out[32];
	uintptr_t next_in = 1, next_out = 1;
	unsigned int step, n, k, cap = vfn_ring_get_capacity(r);
	int ok = 1;

	__vfn_ring_reset_at(r, start);
	CU_ASSERT_TRUE(vfn_ring_empty(r));
	CU_ASSERT_EQUAL(vfn_ring_count(r), 0);
	CU_ASSERT_EQUAL(vfn_ring_free_count(r), cap);
	for (step = 0; step < 200; step++) {
		n = 1 + step % 13;
		fill(in, n, next_in);
		k = vfn_ring_enqueue_burst(r, in, n, NULL);
		next_in += k;
		if (vfn_ring_count(r) != next_in - next_out)
			ok = 0;
		n = 1 + (step * 7) % 11;
		k = vfn_ring_dequeue_burst(r, out, n, NULL);
		if (!check_seq(out, k, next_out))
			ok = 0;
		next_out += k;
	}
	CU_ASSERT_TRUE(ok);
	/* The indices really crossed the wrap. */
	CU_ASSERT(r->prod.tail < start);
	/* Fill to full across the wrap, then drain. */
	__vfn_ring_reset_at(r, UINT32_MAX - 2);
	for (k = 0; k < cap; k++)
		CU_ASSERT_EQUAL(vfn_ring_enqueue(r, (void *)(uintptr_t)(k + 1)),
				0);
	CU_ASSERT_TRUE(vfn_ring_full(r));
	CU_ASSERT_EQUAL(vfn_ring_count(r), cap);
	CU_ASSERT_EQUAL(vfn_ring_enqueue(r, (void *)1), -ENOBUFS);
	for (k = 0; k < cap; k++) {
		void *o = NULL;

		CU_ASSERT_EQUAL(vfn_ring_dequeue(r, &o), 0);
		CU_ASSERT_EQUAL((uintptr_t)o, k + 1);
	}
	CU_ASSERT_TRUE(vfn_ring_empty(r));
}

static void test_wraparound(void)
{
	struct vfn_ring *r = vfn_ring_create("wrap", 16, VFN_SOCKET_ID_ANY, 0);
	struct vfn_ring *x = vfn_ring_create("wrapx", 10, VFN_SOCKET_ID_ANY,
					     VFN_RING_F_EXACT_SZ);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	wrap_walk(r, UINT32_MAX - 40);
	wrap_walk(r, UINT32_MAX);
	wrap_walk(x, UINT32_MAX - 17);
	vfn_ring_free(r);
	vfn_ring_free(x);
}

static void test_mode_override(void)
{
	struct vfn_ring *r = vfn_ring_create("modes", 64, VFN_SOCKET_ID_ANY,
					     VFN_RING_F_SP_ENQ |
					     VFN_RING_F_SC_DEQ);
	struct vfn_ring *m = vfn_ring_create("modem", 64, VFN_SOCKET_ID_ANY, 0);
	void *in[8], *out[8];

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(vfn_ring_get_prod_sync_type(r), VFN_RING_SYNC_ST);
	CU_ASSERT_EQUAL(vfn_ring_get_cons_sync_type(r), VFN_RING_SYNC_ST);
	CU_ASSERT_EQUAL(vfn_ring_get_prod_sync_type(m), VFN_RING_SYNC_MT);
	CU_ASSERT_EQUAL(vfn_ring_get_cons_sync_type(m), VFN_RING_SYNC_MT);
	fill(in, 8, 7);
	CU_ASSERT_EQUAL(vfn_ring_mp_enqueue_bulk(r, in, 8, NULL), 8);
	CU_ASSERT_EQUAL(vfn_ring_mc_dequeue_bulk(r, out, 8, NULL), 8);
	CU_ASSERT_TRUE(check_seq(out, 8, 7));
	CU_ASSERT_EQUAL(vfn_ring_sp_enqueue_bulk(m, in, 8, NULL), 8);
	CU_ASSERT_EQUAL(vfn_ring_sc_dequeue_bulk(m, out, 8, NULL), 8);
	CU_ASSERT_TRUE(check_seq(out, 8, 7));
	vfn_ring_free(r);
	vfn_ring_free(m);
}

struct elem16 {
	uint64_t a, b;
};

struct elem12 {
	uint32_t a, b, c;
};

static void test_elem_rings(void)
{
	struct vfn_ring *r4 = vfn_ring_create_elem("e4", 4, 16,
						   VFN_SOCKET_ID_ANY, 0);
	struct vfn_ring *r12 = vfn_ring_create_elem("e12", 12, 16,
						    VFN_SOCKET_ID_ANY, 0);
	struct vfn_ring *r16 = vfn_ring_create_elem("e16", 16, 16,
						    VFN_SOCKET_ID_ANY,
						    VFN_RING_F_SP_ENQ);
	uint32_t in4[10], out4[10];
	struct elem12 in12[10], out12[10];
	struct elem16 in16[10], out16[10];
	unsigned int i, round;
	int ok = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r12);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r16);
	__vfn_ring_reset_at(r4, UINT32_MAX - 3);
	__vfn_ring_reset_at(r12, UINT32_MAX - 5);
	__vfn_ring_reset_at(r16, UINT32_MAX - 7);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 10; i++) {
			in4[i] = round * 100 + i;
			in12[i] = (struct elem12){ i, round, i ^ 0x5555 };
			in16[i] = (struct elem16){ i, ~(uint64_t)round };
		}
		if (vfn_ring_enqueue_bulk_elem(r4, in4, 4, 10, NULL) != 10 ||
		    vfn_ring_mp_enqueue_burst_elem(r12, in12, 12, 10, NULL) !=
		    10 ||
		    vfn_ring_enqueue_bulk_elem(r16, in16, 16, 10, NULL) != 10)
			ok = 0;
		memset(out4, 0, sizeof(out4));
		memset(out12, 0, sizeof(out12));
		memset(out16, 0, sizeof(out16));
		if (vfn_ring_sc_dequeue_bulk_elem(r4, out4, 4, 10, NULL) != 10 ||
		    vfn_ring_dequeue_burst_elem(r12, out12, 12, 20, NULL) !=
		    10 ||
		    vfn_ring_mc_dequeue_bulk_elem(r16, out16, 16, 10, NULL) !=
		    10)
			ok = 0;
		if (memcmp(in4, out4, sizeof(in4)) ||
		    memcmp(in12, out12, sizeof(in12)) ||
		    memcmp(in16, out16, sizeof(in16)))
			ok = 0;
	}
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(vfn_ring_enqueue_elem(r16, &in16[3], 16), 0);
	CU_ASSERT_EQUAL(vfn_ring_dequeue_elem(r16, &out16[0], 16), 0);
	CU_ASSERT_EQUAL(out16[0].a, in16[3].a);
	CU_ASSERT_EQUAL(vfn_ring_dequeue_elem(r16, &out16[0], 16), -ENOENT);
	vfn_ring_free(r4);
	vfn_ring_free(r12);
	vfn_ring_free(r16);
}

/*
 * Stress: two threads each enqueue unique values (thread id in the top
 * bits) in bursts and bulks, and dequeue whatever they can, so both sides
 * are contended by both threads.  Production stops after STRESS_ITEMS
 * values or STRESS_PRODUCE_S seconds (the machine may be loaded), then
 * both drain.  Every dequeued value is marked in a bitmap: seen twice is
 * a duplicate; every value sent must be seen exactly once, nothing else,
 * and the sums must match.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define STRESS_ITEMS (1u << 17) /* sanitizers are ~20x slower */
#else
#define STRESS_ITEMS (1u << 19)
#endif
#define STRESS_PRODUCE_S 1.0  /* stop producing after this long */
#define STRESS_DEADLINE_S 8.0 /* give up (test fails) after this long */

struct stress {
	struct vfn_ring *r;
	unsigned int id;
	uint64_t enq_sum, deq_sum;
	uint64_t sent, deq_count;
	unsigned int dups, order_errors;
	int timed_out;
	uint8_t *seen;                  /* shared, one byte per value */
	_Atomic uint64_t *total_sent;
	_Atomic uint64_t *total_deq;
	_Atomic unsigned int *producers_done;
	_Atomic unsigned int *start;    /* start barrier */
};

/* Seconds since an arbitrary start (monotonic). */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Both threads start together so that they really contend. */
static void start_barrier(struct stress *s)
{
	atomic_fetch_add(s->start, 1);
	while (atomic_load(s->start) < 2)
		vfn_pause();
}

static void account(struct stress *s, void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uintptr_t v = (uintptr_t)objs[i];
		uint8_t old = __atomic_exchange_n(&s->seen[v - 1], 1,
						  __ATOMIC_RELAXED);

		if (old)
			s->dups++;
		s->deq_sum += v;
	}
	s->deq_count += n;
	atomic_fetch_add_explicit(s->total_deq, n, memory_order_relaxed);
}

static void *mpmc_worker(void *arg)
{
	struct stress *s = arg;
	void *objs[32];
	uintptr_t base = (uintptr_t)s->id * STRESS_ITEMS + 1;
	unsigned int n, k, iter = 0;
	int producing = 1;
	double t0, now;

	start_barrier(s);
	t0 = now_s();
	for (;;) {
		iter++;
		if (!(iter & 255)) {
			now = now_s();
			if (producing && now - t0 > STRESS_PRODUCE_S)
				s->sent = STRESS_ITEMS; /* stop producing */
			if (now - t0 > STRESS_DEADLINE_S) {
				s->timed_out = 1; /* lost objects: no drain */
				break;
			}
		}
		if (producing && s->sent >= STRESS_ITEMS) {
			producing = 0;
			atomic_fetch_add(s->producers_done, 1);
		}
		if (producing) {
			n = 1 + iter % 32;
			if (n > STRESS_ITEMS - s->sent)
				n = (unsigned int)(STRESS_ITEMS - s->sent);
			for (k = 0; k < n; k++)
				objs[k] = (void *)(base + s->sent + k);
			k = (iter & 1) ? vfn_ring_mp_enqueue_burst(s->r, objs,
								   n, NULL) :
					 vfn_ring_mp_enqueue_bulk(s->r, objs,
								  n, NULL);
			for (n = 0; n < k; n++)
				s->enq_sum += base + s->sent + n;
			s->sent += k;
			atomic_fetch_add(s->total_sent, k);
		}
		n = 1 + (iter * 5) % 32;
		k = (iter & 2) ? vfn_ring_mc_dequeue_burst(s->r, objs, n, NULL) :
				 vfn_ring_mc_dequeue_bulk(s->r, objs, n, NULL);
		account(s, objs, k);
		if (!producing && atomic_load(s->producers_done) == 2 &&
		    atomic_load(s->total_deq) == atomic_load(s->total_sent))
			break;
	}
	return NULL;
}

static void test_mpmc_stress(void)
{
	struct vfn_ring *r = vfn_ring_create("stress", 256, VFN_SOCKET_ID_ANY,
					     0);
	struct stress s[2];
	pthread_t t[2];
	_Atomic uint64_t total_deq = 0, total_sent = 0;
	_Atomic unsigned int start = 0, done = 0;
	uint8_t *seen = calloc(2 * STRESS_ITEMS, 1);
	uint64_t sent[2] = { 0, 0 };
	unsigned int i, id, bad = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(seen);
	__vfn_ring_reset_at(r, UINT32_MAX - 1000); /* cross the wrap too */
	for (i = 0; i < 2; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].r = r;
		s[i].id = i;
		s[i].seen = seen;
		s[i].total_deq = &total_deq;
		s[i].total_sent = &total_sent;
		s[i].producers_done = &done;
		s[i].start = &start;
		CU_ASSERT_EQUAL_FATAL(pthread_create(&t[i], NULL, mpmc_worker,
						     &s[i]), 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CU_ASSERT_FALSE(s[0].timed_out || s[1].timed_out);
	/* The sent count of a thread that was stopped by time is its sum. */
	for (id = 0; id < 2; id++)
		for (i = 0; i < STRESS_ITEMS; i++)
			sent[id] += seen[id * STRESS_ITEMS + i];
	/* Seen values must form a prefix 1..k of each thread's sequence. */
	for (id = 0; id < 2; id++)
		for (i = 0; i < STRESS_ITEMS; i++)
			bad += seen[id * STRESS_ITEMS + i] != (i < sent[id]);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(s[0].dups + s[1].dups, 0);
	CU_ASSERT_EQUAL(s[0].deq_count + s[1].deq_count,
			atomic_load(&total_sent));
	CU_ASSERT_EQUAL(sent[0] + sent[1], atomic_load(&total_sent));
	CU_ASSERT_EQUAL(s[0].enq_sum + s[1].enq_sum,
			s[0].deq_sum + s[1].deq_sum);
	CU_ASSERT(atomic_load(&total_sent) > 1000);
	CU_ASSERT_TRUE(vfn_ring_empty(r));
	free(seen);
	vfn_ring_free(r);
}

/* SP/SC across two threads: strict FIFO order must hold. */
static _Atomic uint64_t spsc_last; /* last value produced, when done */

static void *spsc_producer(void *arg)
{
	struct stress *s = arg;
	void *objs[32];
	uintptr_t next = 1;
	unsigned int n, k, iter = 0;
	double t0 = now_s();

	while (next <= STRESS_ITEMS) {
		if (!(iter & 255) && now_s() - t0 > STRESS_PRODUCE_S)
			break;
		n = 1 + iter++ % 32;
		if (n > STRESS_ITEMS + 1 - next)
			n = (unsigned int)(STRESS_ITEMS + 1 - next);
		for (k = 0; k < n; k++)
			objs[k] = (void *)(next + k);
		k = vfn_ring_sp_enqueue_burst(s->r, objs, n, NULL);
		next += k;
		if (!k)
			vfn_pause();
	}
	atomic_store(&spsc_last, next - 1);
	return NULL;
}

static void *spsc_consumer(void *arg)
{
	struct stress *s = arg;
	void *objs[32];
	uintptr_t expect = 1;
	unsigned int n, k, iter = 0;
	double t0 = now_s();

	for (;;) {
		uint64_t last = atomic_load(&spsc_last);

		if (last != UINT64_MAX && expect > last &&
		    vfn_ring_empty(s->r))
			break;
		if (!(iter & 255) && now_s() - t0 > STRESS_DEADLINE_S) {
			s->timed_out = 1;
			break;
		}
		n = 1 + (iter++ * 3) % 32;
		k = (iter & 1) ? vfn_ring_sc_dequeue_burst(s->r, objs, n, NULL) :
				 vfn_ring_sc_dequeue_bulk(s->r, objs, n, NULL);
		for (n = 0; n < k; n++)
			if ((uintptr_t)objs[n] != expect++)
				s->order_errors++;
		if (!k)
			vfn_pause();
	}
	s->deq_count = expect - 1;
	return NULL;
}

static void test_spsc_stress(void)
{
	struct vfn_ring *r = vfn_ring_create("spsc", 128, VFN_SOCKET_ID_ANY,
					     VFN_RING_F_SP_ENQ |
					     VFN_RING_F_SC_DEQ);
	struct stress p = { 0 }, c = { 0 };
	pthread_t tp, tc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	__vfn_ring_reset_at(r, UINT32_MAX - 77);
	atomic_store(&spsc_last, UINT64_MAX);
	p.r = c.r = r;
	CU_ASSERT_EQUAL_FATAL(pthread_create(&tp, NULL, spsc_producer, &p), 0);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&tc, NULL, spsc_consumer, &c), 0);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	CU_ASSERT_FALSE(c.timed_out);
	CU_ASSERT_EQUAL(c.order_errors, 0);
	CU_ASSERT_EQUAL(c.deq_count, atomic_load(&spsc_last));
	CU_ASSERT(c.deq_count > 1000);
	CU_ASSERT_TRUE(vfn_ring_empty(r));
	vfn_ring_free(r);
}

static void test_dump(void)
{
	struct vfn_ring *r = vfn_ring_create("dumped", 32, VFN_SOCKET_ID_ANY,
					     VFN_RING_F_SC_DEQ);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vfn_ring_enqueue(r, (void *)1);
	vfn_ring_dump(f, r);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "ring <dumped>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "used=1 avail=30"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "cons: SC"));
	free(buf);
	vfn_ring_free(r);
}

/*
 * Each side reads the other side's tail only when its own copy shows
 * too little room (or too few entries), or when the caller asks how
 * much is left: calls must move exactly what the real tails allow, and
 * free_space/available must be exact, however stale the copy.
 */
static void test_peer_tail_copy(void)
{
	struct vfn_ring *r = vfn_ring_create("peer", 16, VFN_SOCKET_ID_ANY, 0);
	void *in[16], *out[16];
	unsigned int left;
	int mp;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	fill(in, 15, 100);
	for (mp = 0; mp < 2; mp++) {
		/* Full: the producer's copy of cons.tail says no room. */
		CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in, 15, NULL), 15);
		CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in, 1, NULL), 0);
		CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(r, out, 15, NULL), 15);
		CU_ASSERT_TRUE(check_seq(out, 15, 100));
		/* The consumer emptied it: the stale copy must not refuse. */
		CU_ASSERT_EQUAL(mp ? vfn_ring_mp_enqueue_bulk(r, in, 15, NULL) :
				     vfn_ring_sp_enqueue_bulk(r, in, 15, NULL),
				15);
		CU_ASSERT_EQUAL(mp ? vfn_ring_mc_dequeue_burst(r, out, 16, NULL) :
				     vfn_ring_sc_dequeue_burst(r, out, 16, NULL),
				15);
		/* Room and entries reported after the other side moved. */
		CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in, 4, NULL), 4);
		CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(r, out, 2, NULL), 2);
		CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in, 1, &left), 1);
		CU_ASSERT_EQUAL(left, 12);
		CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(r, out, 1, NULL), 1);
		CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(r, in, 2, NULL), 2);
		CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(r, out, 1, &left), 1);
		CU_ASSERT_EQUAL(left, 3);
		/* A burst takes every entry the real tail shows. */
		CU_ASSERT_EQUAL(vfn_ring_enqueue_burst(r, in, 15, NULL), 12);
		CU_ASSERT_EQUAL(vfn_ring_dequeue_burst(r, out, 16, NULL), 15);
		CU_ASSERT_TRUE(vfn_ring_empty(r));
	}
	vfn_ring_free(r);
}

static const struct vfn_test_case ring_cases[] = {
	{ "create errors, duplicate names, lookup", test_create_errors },
	{ "ring in caller memory", test_caller_memory },
	{ "capacity (power of two and exact size)", test_capacity },
	{ "empty and full", test_empty_full },
	{ "bulk vs burst partial results", test_bulk_vs_burst },
	{ "zero-count calls", test_zero_count },
	{ "32-bit index wrap-around", test_wraparound },
	{ "the copy of the other side's tail", test_peer_tail_copy },
	{ "per-call SP/MP/SC/MC override", test_mode_override },
	{ "element rings (4, 12, 16 bytes)", test_elem_rings },
	{ "MP/MC stress, 2 threads, checksum", test_mpmc_stress },
	{ "SP/SC stress, 2 threads, FIFO order", test_spsc_stress },
	{ "dump", test_dump },
	{ NULL, NULL },
};

static const struct vfn_test_suite ring_suite = {
	"ring", NULL, NULL, ring_cases,
};

int main(void)
{
	static const struct vfn_test_suite *const suites[] = {
		&ring_suite, NULL,
	};

	return vfn_cunit_main(suites);
}
