/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool microbenchmark: the cases and the loop of DPDK 22.11's
 * mempool_perf_autotest, printed in its format so that
 * bench/compare_dpdk_mem.sh can put the two side by side.
 *
 * Each core gets n_keep objects in bulks of n_get_bulk, then puts them
 * back in bulks of n_put_bulk, for TIME_S seconds; the result is objects
 * got and put per second, summed over the cores.  Bulks 1, 4, 8 and 32,
 * n_keep 32, 128 and 512, each case with equal get and put bulks replayed
 * with the bulk size a compile-time constant (constant_n=1).  Pools of
 * 2048-byte objects, sized lcores x (512 + 512) - 1 as DPDK's, without
 * cache, with a 512-object per-lcore cache, and with a user-owned
 * 512-object cache (DPDK's "default pool" section is the no-cache case
 * again and is not repeated).
 *
 * Options: -t SECONDS per case (DPDK: 5; may be a fraction), -q (quick:
 * only get == put bulks of 1 and 32 and n_keep 128), -c CPU_A,CPU_B
 * (default 0,1), -s SECTIONS (n = no cache, c = cache, u = user-owned
 * cache; default "ncu").
 */
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_threads.h"
#include "vfn_common.h"
#include "vfn_lcore.h"
#include "vfn_mempool.h"

#define N 65536
#define MEMPOOL_ELT_SIZE 2048
#define MAX_KEEP 512
#define NB_LCORES 2
#define MEMPOOL_SIZE (NB_LCORES * (MAX_KEEP + VFN_MEMPOOL_CACHE_MAX_SIZE) - 1)

static double time_s = 5;
static int cpus[NB_LCORES] = { 0, 1 };
static int use_external_cache;
static const unsigned int external_cache_size = VFN_MEMPOOL_CACHE_MAX_SIZE;

/* Not const: the loop must not be specialised on them (as DPDK). */
static unsigned int n_get_bulk, n_put_bulk, n_keep;
/* 1: replay with the bulk size a compile-time constant (as DPDK). */
static int use_constant_values;

static _Atomic unsigned int synchro;
static int quick;

struct stats {
	uint64_t enq_count;
} __vfn_cache_aligned;
static struct stats stats[NB_LCORES];

struct worker {
	struct vfn_mempool *mp;
	unsigned int lcore;
	int ret;
};

static void obj_init(struct vfn_mempool *mp, void *arg, void *obj,
		     unsigned int i)
{
	(void)arg;
	memset(obj, 0, mp->elt_size);
	*(uint32_t *)obj = i;
}

static inline __attribute__((always_inline)) int
test_loop(struct vfn_mempool *mp, struct vfn_mempool_cache *cache,
	  unsigned int x_keep, unsigned int x_get_bulk, unsigned int x_put_bulk)
{
	void *obj_table[MAX_KEEP] __vfn_cache_aligned;
	unsigned int i, idx;
	int ret;

	for (i = 0; likely(i < N / x_keep); i++) {
		for (idx = 0; idx < x_keep; idx += x_get_bulk) {
			ret = vfn_mempool_generic_get(mp, &obj_table[idx],
						      x_get_bulk, cache);
			if (unlikely(ret < 0)) {
				vfn_mempool_dump(stdout, mp);
				return ret;
			}
		}
		for (idx = 0; idx < x_keep; idx += x_put_bulk)
			vfn_mempool_generic_put(mp, &obj_table[idx],
						x_put_bulk, cache);
	}
	return 0;
}

static int per_lcore_test(struct worker *w)
{
	struct vfn_mempool *mp = w->mp;
	struct vfn_mempool_cache *cache;
	uint64_t start, limit, hz = vfn_get_tsc_hz(), time_diff = 0;
	int ret = 0;

	vfn_per_lcore_id = w->lcore;
	bench_pin("mempool_perf", cpus[w->lcore]);
	if (use_external_cache) {
		cache = vfn_mempool_cache_create(external_cache_size,
						 VFN_SOCKET_ID_ANY);
		if (!cache)
			return -1;
	} else {
		/* NULL when the pool has no cache. */
		cache = vfn_mempool_default_cache(mp, w->lcore);
	}
	stats[w->lcore].enq_count = 0;
	if (w->lcore != 0)
		while (atomic_load(&synchro) == 0)
			;
	limit = (uint64_t)(time_s * hz);
	start = vfn_rdtsc();
	while (time_diff < limit) {
		if (!use_constant_values)
			ret = test_loop(mp, cache, n_keep, n_get_bulk,
					n_put_bulk);
		else if (n_get_bulk == 1)
			ret = test_loop(mp, cache, n_keep, 1, 1);
		else if (n_get_bulk == 4)
			ret = test_loop(mp, cache, n_keep, 4, 4);
		else if (n_get_bulk == 8)
			ret = test_loop(mp, cache, n_keep, 8, 8);
		else if (n_get_bulk == 32)
			ret = test_loop(mp, cache, n_keep, 32, 32);
		else
			ret = -1;
		if (ret < 0)
			break;
		time_diff = vfn_rdtsc() - start;
		stats[w->lcore].enq_count += N;
	}
	if (use_external_cache) {
		vfn_mempool_cache_flush(cache, mp);
		vfn_mempool_cache_free(cache);
	}
	return ret;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->ret = per_lcore_test(w);
	return NULL;
}

static int launch_cores(struct vfn_mempool *mp, unsigned int cores)
{
	struct worker w[NB_LCORES];
	pthread_t t[NB_LCORES];
	uint64_t rate = 0;
	unsigned int i;
	int ret = 0;

	atomic_store(&synchro, 0);
	memset(stats, 0, sizeof(stats));
	printf("mempool_autotest cache=%u cores=%u n_get_bulk=%u n_put_bulk=%u n_keep=%u constant_n=%u ",
	       use_external_cache ? external_cache_size : mp->cache_size,
	       cores, n_get_bulk, n_put_bulk, n_keep, use_constant_values);
	fflush(stdout);
	if (vfn_mempool_avail_count(mp) != MEMPOOL_SIZE) {
		printf("mempool is not full\n");
		return -1;
	}
	for (i = 0; i < cores; i++)
		w[i] = (struct worker){ mp, i, 0 };
	for (i = 1; i < cores; i++)
		if (bench_spawn(&t[i], cpus[i], worker_main, &w[i]))
			return -1;
	atomic_store(&synchro, 1);
	w[0].ret = per_lcore_test(&w[0]);
	for (i = 1; i < cores; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < cores; i++)
		if (w[i].ret < 0)
			ret = -1;
	if (ret < 0) {
		printf("per-lcore test returned -1\n");
		return -1;
	}
	for (i = 0; i < NB_LCORES; i++)
		rate += (uint64_t)(stats[i].enq_count / time_s);
	printf("rate_persec=%" PRIu64 "\n", rate);
	return 0;
}

static int do_one_test(struct vfn_mempool *mp, unsigned int cores)
{
	static const unsigned int bulk_tab[] = { 1, 4, 8, 32, 0 };
	static const unsigned int keep_tab[] = { 32, 128, 512, 0 };
	const unsigned int *g, *p, *k;

	for (g = bulk_tab; *g; g++) {
		for (p = bulk_tab; *p; p++) {
			for (k = keep_tab; *k; k++) {
				if (quick && (*g != *p || *k != 128 ||
					      (*g != 1 && *g != 32)))
					continue;
				use_constant_values = 0;
				n_get_bulk = *g;
				n_put_bulk = *p;
				n_keep = *k;
				if (launch_cores(mp, cores) < 0)
					return -1;
				if (n_get_bulk != n_put_bulk)
					continue;
				use_constant_values = 1;
				if (launch_cores(mp, cores) < 0)
					return -1;
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vfn_mempool *mp_cache, *mp_nocache;
	const char *sections = "ncu";
	int opt;

	while ((opt = getopt(argc, argv, "t:qc:s:")) != -1) {
		switch (opt) {
		case 't':
			time_s = atof(optarg);
			break;
		case 'q':
			quick = 1;
			break;
		case 'c':
			if (sscanf(optarg, "%d,%d", &cpus[0], &cpus[1]) == 2)
				break;
			/* fall through */
		case 's':
			if (opt == 's') {
				sections = optarg;
				break;
			}
			/* fall through */
		default:
			fprintf(stderr,
				"usage: %s [-t SECONDS] [-q] [-c CPU_A,CPU_B] [-s ncu]\n",
				argv[0]);
			return 2;
		}
	}
	if (time_s <= 0)
		time_s = 1;
	mp_nocache = vfn_mempool_create("perf_test_nocache", MEMPOOL_SIZE,
					MEMPOOL_ELT_SIZE, 0, 0, NULL, NULL,
					obj_init, NULL, VFN_SOCKET_ID_ANY, 0);
	mp_cache = vfn_mempool_create("perf_test_cache", MEMPOOL_SIZE,
				      MEMPOOL_ELT_SIZE,
				      VFN_MEMPOOL_CACHE_MAX_SIZE, 0, NULL, NULL,
				      obj_init, NULL, VFN_SOCKET_ID_ANY, 0);
	if (!mp_nocache || !mp_cache) {
		fprintf(stderr, "mempool_perf: cannot create the pools\n");
		return 1;
	}
	bench_pin("mempool_perf", cpus[0]);
	printf("vfnet mempool_perf (TSC %.3f GHz, %.2f s per case)\n",
	       vfn_get_tsc_hz() / 1e9, time_s);
	if (strchr(sections, 'n')) {
		printf("start performance test (without cache)\n");
		if (do_one_test(mp_nocache, 1) || do_one_test(mp_nocache, 2))
			return 1;
	}
	if (strchr(sections, 'c')) {
		printf("start performance test (with cache)\n");
		if (do_one_test(mp_cache, 1) || do_one_test(mp_cache, 2))
			return 1;
	}
	if (strchr(sections, 'u')) {
		printf("start performance test (with user-owned cache)\n");
		use_external_cache = 1;
		if (do_one_test(mp_nocache, 1) || do_one_test(mp_nocache, 2))
			return 1;
	}
	vfn_mempool_free(mp_cache);
	vfn_mempool_free(mp_nocache);
	printf("Test OK\n");
	return 0;
}
