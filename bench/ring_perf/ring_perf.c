/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring microbenchmark: the cases of DPDK 22.11's ring_perf_autotest, with
 * the same loops, iteration counts and units, printed in the same format
 * so that bench/compare_dpdk_mem.sh can put the two side by side:
 *
 *   single enq/deq        cycles per (enqueue 1 + dequeue 1)
 *   burst/bulk enq/deq    cycles per (enqueue n + dequeue n), one core
 *   empty bulk deq        cycles per failed dequeue of 8
 *   two physical cores    cycles per element, enqueue side + dequeue side
 *                         (one thread enqueues, the other dequeues)
 *   all worker nodes      MP/MC enqueue+dequeue loops in 100 ms per core
 *
 * for pointer rings ("legacy APIs") and 16-byte element rings ("elem
 * APIs").  Threads are pinned to CPUs 0 and 1 (as dpdk-test -l 0-1), or
 * to the CPUs given with -c A,B.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_threads.h"
#include "vfn_common.h"
#include "vfn_ring.h"

#define RING_SIZE 4096
#define MAX_BURST 32

/* Volatile so that the compiler cannot specialise on them (as DPDK). */
static const volatile unsigned int bulk_sizes[] = { 8, 32 };
#define NB_SIZES 2

enum api { SPSC, MPMC };
enum kind { SINGLE, BULK, BURST };

static int cpu_a, cpu_b = 1;

static const char *api_name(enum api a)
{
	return a == SPSC ? "SP/SC" : "MP/MC";
}

static void prefix(int esize)
{
	if (esize == -1)
		printf("legacy APIs: ");
	else
		printf("elem APIs: element size %dB: ", esize);
}

/* One enqueue of the given flavour; esize -1 is the pointer API. */
static inline __attribute__((always_inline)) unsigned int
enq(struct vfn_ring *r, void *obj, int esize, unsigned int n, enum api api,
    enum kind kind)
{
	if (esize == -1) {
		void **o = obj;

		if (kind == SINGLE)
			return api == SPSC ? !vfn_ring_sp_enqueue(r, o[0]) :
					     !vfn_ring_mp_enqueue(r, o[0]);
		if (kind == BULK)
			return api == SPSC ?
			       vfn_ring_sp_enqueue_bulk(r, o, n, NULL) :
			       vfn_ring_mp_enqueue_bulk(r, o, n, NULL);
		return api == SPSC ? vfn_ring_sp_enqueue_burst(r, o, n, NULL) :
				     vfn_ring_mp_enqueue_burst(r, o, n, NULL);
	}
	if (kind == SINGLE)
		n = 1;
	if (kind == BURST)
		return api == SPSC ?
		       vfn_ring_sp_enqueue_burst_elem(r, obj, esize, n, NULL) :
		       vfn_ring_mp_enqueue_burst_elem(r, obj, esize, n, NULL);
	return api == SPSC ?
	       vfn_ring_sp_enqueue_bulk_elem(r, obj, esize, n, NULL) :
	       vfn_ring_mp_enqueue_bulk_elem(r, obj, esize, n, NULL);
}

/* One dequeue of the given flavour. */
static inline __attribute__((always_inline)) unsigned int
deq(struct vfn_ring *r, void *obj, int esize, unsigned int n, enum api api,
    enum kind kind)
{
	if (esize == -1) {
		void **o = obj;

		if (kind == SINGLE)
			return api == SPSC ? !vfn_ring_sc_dequeue(r, o) :
					     !vfn_ring_mc_dequeue(r, o);
		if (kind == BULK)
			return api == SPSC ?
			       vfn_ring_sc_dequeue_bulk(r, o, n, NULL) :
			       vfn_ring_mc_dequeue_bulk(r, o, n, NULL);
		return api == SPSC ? vfn_ring_sc_dequeue_burst(r, o, n, NULL) :
				     vfn_ring_mc_dequeue_burst(r, o, n, NULL);
	}
	if (kind == SINGLE)
		n = 1;
	if (kind == BURST)
		return api == SPSC ?
		       vfn_ring_sc_dequeue_burst_elem(r, obj, esize, n, NULL) :
		       vfn_ring_mc_dequeue_burst_elem(r, obj, esize, n, NULL);
	return api == SPSC ?
	       vfn_ring_sc_dequeue_bulk_elem(r, obj, esize, n, NULL) :
	       vfn_ring_mc_dequeue_bulk_elem(r, obj, esize, n, NULL);
}

/*
 * A table of MAX_BURST objects for either API (16-byte elements max),
 * cache-line aligned as dpdk-test's (rte_zmalloc) so that neither side's
 * copies split cache lines.
 */
static void *burst_table(void)
{
	void *p = aligned_alloc(VFN_CACHE_LINE_SIZE, MAX_BURST * 16);

	if (!p) {
		perror("aligned_alloc");
		exit(1);
	}
	memset(p, 0, MAX_BURST * 16);
	return p;
}

#define SINGLE_ITERS (1u << 24)
#define BULK_ITERS (1u << 23)
#define EMPTY_ITERS (1u << 26)
#define PAIR_ELEMS (1u << 23) /* elements per two-core measurement */

static inline __attribute__((always_inline)) void
single_loop(struct vfn_ring *r, int esize, enum api api)
{
	void *burst = burst_table();
	uint64_t t0, t1;
	unsigned int i;

	t0 = vfn_rdtsc();
	for (i = 0; i < SINGLE_ITERS; i++) {
		enq(r, burst, esize, 1, api, SINGLE);
		deq(r, burst, esize, 1, api, SINGLE);
	}
	t1 = vfn_rdtsc();
	prefix(esize);
	printf("%s: single: %.2F\n", api_name(api),
	       (double)(t1 - t0) / SINGLE_ITERS);
	free(burst);
}

static inline __attribute__((always_inline)) void
burst_bulk_loop(struct vfn_ring *r, int esize, enum api api, enum kind kind)
{
	void *burst = burst_table();
	unsigned int sz, i, n;
	uint64_t t0, t1;

	for (sz = 0; sz < NB_SIZES; sz++) {
		n = bulk_sizes[sz];
		t0 = vfn_rdtsc();
		for (i = 0; i < BULK_ITERS; i++) {
			enq(r, burst, esize, n, api, kind);
			deq(r, burst, esize, n, api, kind);
		}
		t1 = vfn_rdtsc();
		prefix(esize);
		printf("%s: %s (size: %u): %.2F\n", api_name(api),
		       kind == BULK ? "bulk" : "burst", n,
		       (double)(t1 - t0) / BULK_ITERS);
	}
	free(burst);
}

static inline __attribute__((always_inline)) void
empty_loop(struct vfn_ring *r, int esize, enum api api)
{
	void *burst = burst_table();
	unsigned int i, n = bulk_sizes[0];
	uint64_t t0, t1;

	t0 = vfn_rdtsc();
	for (i = 0; i < EMPTY_ITERS; i++)
		deq(r, burst, esize, n, api, BULK);
	t1 = vfn_rdtsc();
	prefix(esize);
	printf("%s: bulk (size: %u): %.2F\n", api_name(api), n,
	       (double)(t1 - t0) / EMPTY_ITERS);
	free(burst);
}

/* Two cores: one thread enqueues, the other dequeues. */
struct pair_arg {
	struct vfn_ring *r;
	int esize;
	enum api api;
	unsigned int n;
	int cpu;
	double result; /* cycles per element */
	_Atomic unsigned int *go;
};

static inline __attribute__((always_inline)) void
pair_side(struct pair_arg *p, int esize, enum api api, int is_enq)
{
	void *burst = burst_table();
	struct vfn_ring *const r = p->r; /* not re-read from the shared arg */
	const unsigned int n = p->n;
	const unsigned int iters = PAIR_ELEMS / n;
	unsigned int i;
	uint64_t t0, t1;

	atomic_fetch_add(p->go, 1);
	while (atomic_load(p->go) < 2)
		vfn_pause();
	t0 = vfn_rdtsc();
	for (i = 0; i < iters; i++) {
		if (is_enq)
			while (enq(r, burst, esize, n, api, BULK) == 0)
				vfn_pause();
		else
			while (deq(r, burst, esize, n, api, BULK) == 0)
				vfn_pause();
	}
	t1 = vfn_rdtsc();
	p->result = (double)(t1 - t0) / ((double)iters * n);
	free(burst);
}

/* Constant arguments per call, so that each loop is specialised. */
static void pair_dispatch(struct pair_arg *p, int is_enq)
{
	if (p->esize == -1) {
		if (p->api == SPSC)
			is_enq ? pair_side(p, -1, SPSC, 1) :
				 pair_side(p, -1, SPSC, 0);
		else
			is_enq ? pair_side(p, -1, MPMC, 1) :
				 pair_side(p, -1, MPMC, 0);
	} else {
		if (p->api == SPSC)
			is_enq ? pair_side(p, 16, SPSC, 1) :
				 pair_side(p, 16, SPSC, 0);
		else
			is_enq ? pair_side(p, 16, MPMC, 1) :
				 pair_side(p, 16, MPMC, 0);
	}
}

static void *deq_thread(void *arg)
{
	struct pair_arg *p = arg;

	bench_pin("ring_perf", p->cpu);
	pair_dispatch(p, 0);
	return NULL;
}

static void run_pair(struct vfn_ring *r, int esize, enum api api)
{
	static int warm;
	unsigned int sz;

	/*
	 * The first two-thread run of the process is slow (the second CPU
	 * wakes up, the thread's arena is created): one untimed pass first.
	 */
	for (sz = warm++ ? 0 : NB_SIZES; sz <= NB_SIZES; sz++) {
		const unsigned int n = bulk_sizes[sz < NB_SIZES ? sz : 0];
		_Atomic unsigned int go = 0;
		struct pair_arg e = { r, esize, api, n, cpu_a, 0, &go };
		struct pair_arg d = { r, esize, api, n, cpu_b, 0, &go };
		pthread_t t;

		vfn_ring_reset(r);
		if (bench_spawn(&t, cpu_b, deq_thread, &d)) {
			perror("pthread_create");
			exit(1);
		}
		pair_dispatch(&e, 1);
		pthread_join(t, NULL);
		if (sz == NB_SIZES) { /* the warm-up pass */
			sz = (unsigned int)-1;
			continue;
		}
		prefix(esize);
		printf("%s: bulk (size: %u): %.2F\n", api_name(api), n,
		       e.result + d.result);
		if (sz == NB_SIZES - 1)
			break;
	}
}

/* All cores: MP/MC enqueue+dequeue for 100 ms each. */
struct load_arg {
	struct vfn_ring *r;
	int esize;
	unsigned int n;
	int cpu;
	uint64_t count;
	_Atomic unsigned int *go;
};

static inline __attribute__((always_inline)) void
load_loop_esize(struct load_arg *a, int esize)
{
	void *burst = burst_table();
	uint64_t hz = vfn_get_tsc_hz(), t0, end;

	bench_pin("ring_perf", a->cpu);
	atomic_fetch_add(a->go, 1);
	while (atomic_load(a->go) < 2)
		vfn_pause();
	t0 = vfn_rdtsc();
	end = t0 + hz / 10;
	a->count = 0;
	while (vfn_rdtsc() < end) {
		enq(a->r, burst, esize, a->n, MPMC, BULK);
		deq(a->r, burst, esize, a->n, MPMC, BULK);
		a->count++;
	}
	free(burst);
}

static void *load_loop(void *arg)
{
	struct load_arg *a = arg;

	if (a->esize == -1)
		load_loop_esize(a, -1);
	else
		load_loop_esize(a, 16);
	return NULL;
}

static void run_all_cores(struct vfn_ring *r, int esize)
{
	unsigned int sz;

	for (sz = 0; sz < NB_SIZES; sz++) {
		_Atomic unsigned int go = 0;
		struct load_arg a = { r, esize, bulk_sizes[sz], cpu_a, 0, &go };
		struct load_arg b = { r, esize, bulk_sizes[sz], cpu_b, 0, &go };
		pthread_t t;

		vfn_ring_reset(r);
		printf("\nBulk enq/dequeue count on size %u\n", bulk_sizes[sz]);
		if (bench_spawn(&t, cpu_b, load_loop, &b)) {
			perror("pthread_create");
			exit(1);
		}
		load_loop(&a);
		pthread_join(t, NULL);
		printf("Core [%d] count = %" PRIu64 "\n", cpu_a, a.count);
		printf("Core [%d] count = %" PRIu64 "\n", cpu_b, b.count);
		printf("Total count (size: %u): %" PRIu64 "\n", bulk_sizes[sz],
		       a.count + b.count);
	}
}

static void run_esize(int esize)
{
	struct vfn_ring *r;

	r = esize == -1 ?
	    vfn_ring_create("RING_PERF", RING_SIZE, VFN_SOCKET_ID_ANY, 0) :
	    vfn_ring_create_elem("RING_PERF", esize, RING_SIZE,
				 VFN_SOCKET_ID_ANY, 0);
	if (!r) {
		fprintf(stderr, "ring_perf: cannot create the ring\n");
		exit(1);
	}
	/*
	 * Warm up (untimed, ~0.1 s): fault the ring in and let the CPU
	 * leave any idle state after the TSC calibration's sleep.
	 */
	{
		void *burst = burst_table();
		unsigned int i;

		for (i = 0; i < (1u << 22); i++) {
			enq(r, burst, esize == -1 ? -1 : 16, 32, SPSC, BULK);
			deq(r, burst, esize == -1 ? -1 : 16, 32, SPSC, BULK);
		}
		free(burst);
	}
	printf("\n### Testing single element enq/deq ###\n");
	if (esize == -1) {
		single_loop(r, -1, SPSC);
		single_loop(r, -1, MPMC);
	} else {
		single_loop(r, 16, SPSC);
		single_loop(r, 16, MPMC);
	}
	printf("\n### Testing burst enq/deq ###\n");
	if (esize == -1) {
		burst_bulk_loop(r, -1, SPSC, BURST);
		burst_bulk_loop(r, -1, MPMC, BURST);
	} else {
		burst_bulk_loop(r, 16, SPSC, BURST);
		burst_bulk_loop(r, 16, MPMC, BURST);
	}
	printf("\n### Testing bulk enq/deq ###\n");
	if (esize == -1) {
		burst_bulk_loop(r, -1, SPSC, BULK);
		burst_bulk_loop(r, -1, MPMC, BULK);
	} else {
		burst_bulk_loop(r, 16, SPSC, BULK);
		burst_bulk_loop(r, 16, MPMC, BULK);
	}
	printf("\n### Testing empty bulk deq ###\n");
	if (esize == -1) {
		empty_loop(r, -1, SPSC);
		empty_loop(r, -1, MPMC);
	} else {
		empty_loop(r, 16, SPSC);
		empty_loop(r, 16, MPMC);
	}
	printf("\n### Testing using two physical cores ###\n");
	run_pair(r, esize, SPSC);
	run_pair(r, esize, MPMC);
	printf("\n### Testing using all worker nodes ###\n");
	run_all_cores(r, esize);
	vfn_ring_free(r);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt == 'c' && sscanf(optarg, "%d,%d", &cpu_a, &cpu_b) == 2)
			continue;
		fprintf(stderr, "usage: %s [-c CPU_A,CPU_B]\n", argv[0]);
		return 2;
	}
	bench_pin("ring_perf", cpu_a);
	printf("vfnet ring_perf (TSC %.3f GHz)\n", vfn_get_tsc_hz() / 1e9);
	run_esize(-1);
	run_esize(16);
	printf("Test OK\n");
	return 0;
}
