/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The order of objects through a mempool cache, for every count a burst
 * uses, with the count known only at run time: put appends the objects in
 * their order, get hands back the most recently put first (LIFO, as
 * DPDK's cache).  meson builds this file twice, once as the tree is built
 * and once without AVX, where vfn_mempool.h copies run-time counts of 8
 * or more in 32-byte chunks (VFN_MEMPOOL_CHUNKED_COPY); both builds must
 * pass.
 */
#include <stdint.h>
#include <stdio.h>

#include "vfn_mempool.h"
#include "vfn_cunit.h"

#define NB_OBJS 1024
#define CACHE_SIZE 256
#define MAX_N 64
#define BASE 5          /* objects already cached before each burst */

static struct vfn_mempool *mp;
static struct vfn_mempool_cache *cache;

/* Out of line, so n is never a compile-time constant in put and get. */
static __attribute__((noinline)) void put_n(void *const *objs, unsigned int n)
{
	vfn_mempool_generic_put(mp, objs, n, cache);
}

static __attribute__((noinline)) int get_n(void **objs, unsigned int n)
{
	return vfn_mempool_generic_get(mp, objs, n, cache);
}

/*
 * Get @p n objects and put them back, with a table of the caller's own
 * (as a PMD's burst): test_fastpath_calls.py reads these functions'
 * calls in the binary.  Knowing that table apart from the cache, GCC may
 * turn a copy loop into a call to memcpy; small bursts must not call it.
 */
static __attribute__((noinline, used)) void get_put(unsigned int n)
{
	void *objs[MAX_N];

	if (n > MAX_N)
		__builtin_unreachable();
	if (vfn_mempool_generic_get(mp, objs, n, cache) == 0)
		vfn_mempool_generic_put(mp, objs, n, cache);
}

static __attribute__((noinline, used)) void small_get_put(unsigned int n)
{
	void *objs[8];

	if (n >= 8)
		__builtin_unreachable();
	if (vfn_mempool_generic_get(mp, objs, n, cache) == 0)
		vfn_mempool_generic_put(mp, objs, n, cache);
}

static void check_burst(void **own, unsigned int n)
{
	void *out[MAX_N];
	unsigned int i, bad = 0;

	CU_ASSERT_EQUAL_FATAL(cache->len, 0);
	put_n(own + MAX_N, BASE);
	put_n(own, n);
	CU_ASSERT_EQUAL_FATAL(cache->len, BASE + n);
	for (i = 0; i < n; i++)
		bad += cache->objs[BASE + i] != own[i];
	CU_ASSERT_EQUAL(bad, 0);
	if (bad)
		printf("put n=%u: %u objects out of place\n", n, bad);

	CU_ASSERT_EQUAL_FATAL(get_n(out, n), 0);
	CU_ASSERT_EQUAL(cache->len, BASE);
	for (i = 0, bad = 0; i < n; i++)
		bad += out[i] != own[n - 1 - i];
	CU_ASSERT_EQUAL(bad, 0);
	if (bad)
		printf("get n=%u: %u objects not in LIFO order\n", n, bad);
	/* Take the first objects back too: the cache is empty again and
	 * every object is the caller's. */
	CU_ASSERT_EQUAL_FATAL(get_n(out, BASE), 0);
	for (i = 0; i < BASE; i++)
		CU_ASSERT_PTR_EQUAL(out[i], own[MAX_N + BASE - 1 - i]);
}

static void test_order_every_n(void)
{
	void *own[MAX_N + BASE];
	unsigned int n;

	mp = vfn_mempool_create("order", NB_OBJS, 64, 0, 0, NULL, NULL, NULL,
				NULL, VFN_SOCKET_ID_ANY, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	cache = vfn_mempool_cache_create(CACHE_SIZE, VFN_SOCKET_ID_ANY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cache);
	CU_ASSERT_EQUAL_FATAL(vfn_mempool_generic_get(mp, own, MAX_N + BASE,
						      NULL), 0);
	for (n = 1; n <= MAX_N; n++)
		check_burst(own, n);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), NB_OBJS - MAX_N - BASE);
	vfn_mempool_generic_put(mp, own, MAX_N + BASE, NULL);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), NB_OBJS);
	vfn_mempool_cache_free(cache);
	vfn_mempool_free(mp);
}

static const struct vfn_test_case order_cases[] = {
	{ "put and get order, n = 1..64 at run time", test_order_every_n },
	{ NULL, NULL },
};

static const struct vfn_test_suite order_suite = {
	"mempool_order", NULL, NULL, order_cases,
};

int main(void)
{
	static const struct vfn_test_suite *const suites[] = {
		&order_suite, NULL,
	};

	return vfn_cunit_main(suites);
}
