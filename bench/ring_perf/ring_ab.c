/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ring_ab: vfnet's ring against DPDK 22.11's rte_ring in one binary, on
 * two cores (one thread enqueues, the other dequeues, as the two-core
 * case of ring_perf_autotest), in the same memory, alternating, with the
 * number of failed calls (ring full / empty) of each side.  A tool for
 * ring work: both rings' fast paths are header code, so a change to
 * mempool/vfn_ring*.h is measured against the same DPDK code in the
 * same run, without dpdk-test's 30 s of other cases.  See
 * bench/ring_perf/two-core-analysis.md.
 *
 * Not built by meson (it needs DPDK's headers and librte_ring); from
 * the source tree, with a build directory BUILD:
 *
 *   gcc -O3 -march=corei7 -o ring_ab bench/ring_perf/ring_ab.c \
 *       mempool/ring.c -Ibench -Imempool -Ieal -I. -IBUILD \
 *       $(pkg-config --cflags libdpdk | sed 's/-march=corei7//') \
 *       -LBUILD -lvfnet -lrte_ring -lrte_eal -lpthread
 *   timeout -s KILL 20 chrt -f 1 ./ring_ab [ROUNDS] [OFFSET]
 *
 * (mempool/ring.c is compiled in so that vfn_ring_init() matches the
 * headers being tried.)  SCHED_FIFO: on a shared machine the two-core
 * figures otherwise measure the scheduler; the timeout bounds the time
 * a broken experiment can hold both CPUs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "bench_threads.h"
#include "vfn_ring.h"

#define ELEMS (1u << 22)
#define SLOTS 4096

static volatile unsigned int sizes[] = { 8, 32 };

struct side {
	int vfn, mpmc, enq;
	unsigned int n;
	void *r;
	double cycles;       /* per element */
	unsigned long fails; /* calls that moved nothing */
	_Atomic int *go;
};

#define LOOP(call)                                                     \
	do {                                                           \
		for (i = 0; i < iters; i++)                            \
			while ((call) == 0) {                          \
				fails++;                               \
				rte_pause();                           \
			}                                              \
	} while (0)

static void dpdk_side(struct side *s, void **tbl, unsigned int iters,
		      unsigned long *failp)
{
	struct rte_ring *r = s->r;
	unsigned int i, n = s->n;
	unsigned long fails = 0;

	if (s->mpmc && s->enq)
		LOOP(rte_ring_mp_enqueue_bulk(r, tbl, n, NULL));
	else if (s->mpmc)
		LOOP(rte_ring_mc_dequeue_bulk(r, tbl, n, NULL));
	else if (s->enq)
		LOOP(rte_ring_sp_enqueue_bulk(r, tbl, n, NULL));
	else
		LOOP(rte_ring_sc_dequeue_bulk(r, tbl, n, NULL));
	*failp = fails;
}

static void vfn_side(struct side *s, void **tbl, unsigned int iters,
		     unsigned long *failp)
{
	struct vfn_ring *r = s->r;
	unsigned int i, n = s->n;
	unsigned long fails = 0;

	if (s->mpmc && s->enq)
		LOOP(vfn_ring_mp_enqueue_bulk(r, tbl, n, NULL));
	else if (s->mpmc)
		LOOP(vfn_ring_mc_dequeue_bulk(r, tbl, n, NULL));
	else if (s->enq)
		LOOP(vfn_ring_sp_enqueue_bulk(r, tbl, n, NULL));
	else
		LOOP(vfn_ring_sc_dequeue_bulk(r, tbl, n, NULL));
	*failp = fails;
}

static void *run_side(void *arg)
{
	struct side *s = arg;
	void *tbl[32] __attribute__((aligned(64))) = { 0 };
	uint64_t t0;

	atomic_fetch_add(s->go, 1);
	while (atomic_load(s->go) < 2)
		rte_pause();
	t0 = rte_rdtsc();
	if (s->vfn)
		vfn_side(s, tbl, ELEMS / s->n, &s->fails);
	else
		dpdk_side(s, tbl, ELEMS / s->n, &s->fails);
	s->cycles = (double)(rte_rdtsc() - t0) / ELEMS;
	return NULL;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	int off = argc > 2 ? atoi(argv[2]) : 0; /* bytes past a page */
	char *mem = aligned_alloc(4096, 2 * 65536);

	if (!mem || off < 0 || off % 64 || off > 4096) {
		fprintf(stderr, "ring_ab: OFFSET is a multiple of 64, <= 4096\n");
		return 1;
	}
	for (int rd = 0; rd < rounds; rd++)
		for (int mp = 0; mp < 2; mp++)
			for (int sz = 0; sz < 2; sz++)
				for (int vfn = 0; vfn < 2; vfn++) {
					_Atomic int go = 0;
					struct side e = { vfn, mp, 1, sizes[sz],
							  mem + off, 0, 0, &go };
					struct side d = e;
					pthread_t t;

					d.enq = 0;
					if (vfn)
						vfn_ring_init(e.r, "ab", SLOTS, 0);
					else
						rte_ring_init(e.r, "ab", SLOTS, 0);
					if (bench_spawn(&t, 1, run_side, &d)) {
						perror("pthread_create");
						return 1;
					}
					bench_pin("ring_ab", 0);
					run_side(&e);
					pthread_join(t, NULL);
					printf("round %d %-5s %s bulk %2u: %6.2f cycles/elem "
					       "(enq %5.2f deq %5.2f), failed calls enq %lu "
					       "deq %lu\n", rd, vfn ? "vfnet" : "DPDK",
					       mp ? "MP/MC" : "SP/SC", sizes[sz],
					       e.cycles + d.cycles, e.cycles, d.cycles,
					       e.fails, d.fails);
				}
	free(mem);
	return 0;
}
