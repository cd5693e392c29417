/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool unit tests: creation errors, layout and IOVA, constructors,
 * exhaustion and refill, the per-lcore cache (refill, 1.5x flush
 * threshold, bypass, flush), non-EAL threads, user caches, counts, audit,
 * debug cookies, and a two-thread get/put stress.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vfn_lcore.h"
#include "vfn_malloc.h"
#include "vfn_mempool.h"
#include "vfn_cunit.h"

/* Tests pretend to be EAL lcore 0 where a cache is wanted. */
static void as_lcore(unsigned int id)
{
	vfn_per_lcore_id = id;
}

static void test_create_errors(void)
{
	struct vfn_mempool *mp;

	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_mempool_create("e", 0, 64, 0, 0, NULL, NULL,
					      NULL, NULL, VFN_SOCKET_ID_ANY,
					      0));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NULL(vfn_mempool_create("e", 64, 0, 0, 0, NULL, NULL,
					      NULL, NULL, VFN_SOCKET_ID_ANY,
					      0));
	CU_ASSERT_PTR_NULL(vfn_mempool_create("e", 4096, 64,
					      VFN_MEMPOOL_CACHE_MAX_SIZE + 1,
					      0, NULL, NULL, NULL, NULL,
					      VFN_SOCKET_ID_ANY, 0));
	/* 1.5 x cache size must not exceed the object count. */
	CU_ASSERT_PTR_NULL(vfn_mempool_create("e", 47, 64, 32, 0, NULL, NULL,
					      NULL, NULL, VFN_SOCKET_ID_ANY,
					      0));
	CU_ASSERT_PTR_NULL(vfn_mempool_create("e", 64, 64, 0, 0, NULL, NULL,
					      NULL, NULL, VFN_SOCKET_ID_ANY,
					      0x8000));
	CU_ASSERT_PTR_NULL(vfn_mempool_create("name_too_long_for_a_mempool",
					      64, 64, 0, 0, NULL, NULL, NULL,
					      NULL, VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_PTR_NULL(vfn_mempool_create(NULL, 64, 64, 0, 0, NULL, NULL,
					      NULL, NULL, VFN_SOCKET_ID_ANY,
					      0));
	mp = vfn_mempool_create("e", 48, 64, 32, 0, NULL, NULL, NULL, NULL,
				VFN_SOCKET_ID_ANY, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_mempool_create("e", 48, 64, 0, 0, NULL, NULL,
					      NULL, NULL, VFN_SOCKET_ID_ANY,
					      0));
	CU_ASSERT_EQUAL(errno, EEXIST);
	CU_ASSERT_PTR_EQUAL(vfn_mempool_lookup("e"), mp);
	vfn_mempool_free(mp);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_mempool_lookup("e"));
	CU_ASSERT_EQUAL(errno, ENOENT);
	vfn_mempool_free(NULL);
	CU_ASSERT_PTR_NULL(vfn_mempool_cache_create(0, VFN_SOCKET_ID_ANY));
	CU_ASSERT_PTR_NULL(vfn_mempool_cache_create(
		VFN_MEMPOOL_CACHE_MAX_SIZE + 1, VFN_SOCKET_ID_ANY));
}

struct ctor_log {
	unsigned int pool_calls;
	unsigned int obj_calls;
	unsigned int idx_sum;
};

static void pool_ctor(struct vfn_mempool *mp, void *arg)
{
	struct ctor_log *log = arg;
	unsigned char *priv = vfn_mempool_get_priv(mp);
	unsigned int i, nonzero = 0;

	for (i = 0; i < mp->private_data_size; i++)
		nonzero += priv[i] != 0;
	if (!nonzero)
		log->pool_calls++;
	priv[0] = 0xab;
}

static void obj_ctor(struct vfn_mempool *mp, void *arg, void *obj,
		     unsigned int idx)
{
	struct ctor_log *log = arg;

	memset(obj, 0x5a, mp->elt_size);
	*(uint32_t *)obj = idx;
	log->obj_calls++;
	log->idx_sum += idx;
}

static void count_obj(struct vfn_mempool *mp, void *arg, void *obj,
		      unsigned int idx)
{
	unsigned int *n = arg;

	(void)mp;
	if (*(uint32_t *)obj == idx)
		(*n)++;
}

static void test_layout_and_ctors(void)
{
	struct ctor_log log = { 0 };
	struct vfn_mempool *mp;
	void *objs[64];
	unsigned int i, j, seen = 0, aligned = 0, iova_ok = 0, owner_ok = 0;
	int distinct = 1;

	mp = vfn_mempool_create("layout", 64, 100, 0, 40, pool_ctor, &log,
				obj_ctor, &log, VFN_SOCKET_ID_ANY, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	CU_ASSERT_EQUAL(log.pool_calls, 1);
	CU_ASSERT_EQUAL(log.obj_calls, 64);
	CU_ASSERT_EQUAL(log.idx_sum, 63 * 64 / 2);
	CU_ASSERT_EQUAL(((unsigned char *)vfn_mempool_get_priv(mp))[0], 0xab);
	CU_ASSERT_EQUAL(vfn_mempool_obj_iter(mp, count_obj, &seen), 64);
	CU_ASSERT_EQUAL(seen, 64);
	CU_ASSERT_EQUAL(vfn_mempool_calc_obj_size(100, 0, NULL) %
			VFN_CACHE_LINE_SIZE, 0);
	CU_ASSERT(vfn_mempool_calc_obj_size(100, 0, NULL) >= 100 + 32);

	for (i = 0; i < 64; i++)
		CU_ASSERT_EQUAL_FATAL(vfn_mempool_get(mp, &objs[i]), 0);
	for (i = 0; i < 64; i++) {
		aligned += (uintptr_t)objs[i] % VFN_CACHE_LINE_SIZE == 0;
		iova_ok += vfn_mempool_virt2iova(objs[i]) ==
			   vfn_mem_virt2iova(objs[i]);
		owner_ok += vfn_mempool_from_obj(objs[i]) == mp;
		for (j = 0; j < i; j++)
			if (objs[j] == objs[i])
				distinct = 0;
	}
	CU_ASSERT_EQUAL(aligned, 64);
	CU_ASSERT_EQUAL(iova_ok, 64);
	CU_ASSERT_EQUAL(owner_ok, 64);
	CU_ASSERT_TRUE(distinct);
	vfn_mempool_put_bulk(mp, objs, 64);
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
	vfn_mempool_free(mp);
}

static void test_exhaustion_no_cache(void)
{
	struct vfn_mempool *mp = vfn_mempool_create("exh", 100, 64, 0, 0, NULL,
						    NULL, NULL, NULL,
						    VFN_SOCKET_ID_ANY, 0);
	void *objs[100], *one;

	as_lcore(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	CU_ASSERT_PTR_NULL(vfn_mempool_default_cache(mp, 0));
	CU_ASSERT_TRUE(vfn_mempool_full(mp));
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs, 60), 0);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 60);
	/* All or nothing. */
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs + 60, 41), -ENOENT);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), 40);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs + 60, 40), 0);
	CU_ASSERT_TRUE(vfn_mempool_empty(mp));
	CU_ASSERT_EQUAL(vfn_mempool_get(mp, &one), -ENOENT);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, &one, 0), 0);
	vfn_mempool_put_bulk(mp, objs, 100);
	CU_ASSERT_TRUE(vfn_mempool_full(mp));
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
	vfn_mempool_free(mp);
	as_lcore(VFN_LCORE_ID_ANY);
}

static void test_cache_policy(void)
{
	struct vfn_mempool *mp = vfn_mempool_create("cache", 1024, 64, 32, 0,
						    NULL, NULL, NULL, NULL,
						    VFN_SOCKET_ID_ANY, 0);
	struct vfn_mempool_cache *c;
	void *objs[256], *last;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	as_lcore(0);
	c = vfn_mempool_default_cache(mp, vfn_lcore_id());
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->size, 32);
	CU_ASSERT_EQUAL(c->flushthresh, 48);
	CU_ASSERT_EQUAL(c->len, 0);

	/* Miss: refill to size + n from the ring in one go, serve n. */
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs, 4), 0);
	CU_ASSERT_EQUAL(c->len, 32);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 1024 - 36);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 4);
	/* Hit: served from the cache, ring untouched; LIFO order. */
	last = c->objs[c->len - 1];
	CU_ASSERT_EQUAL(vfn_mempool_get(mp, &objs[4]), 0);
	CU_ASSERT_PTR_EQUAL(objs[4], last);
	CU_ASSERT_EQUAL(c->len, 31);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 1024 - 36);

	/* Puts fill the cache up to the 1.5x threshold, no flush. */
	vfn_mempool_put_bulk(mp, objs, 5);
	CU_ASSERT_EQUAL(c->len, 36);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs, 12), 0);
	CU_ASSERT_EQUAL(c->len, 24);
	vfn_mempool_put_bulk(mp, objs, 12);
	CU_ASSERT_EQUAL(c->len, 36);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs, 20), 0);
	CU_ASSERT_EQUAL(c->len, 16);
	vfn_mempool_put_bulk(mp, objs, 20);
	CU_ASSERT_EQUAL(c->len, 36);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs + 100, 24), 0);
	CU_ASSERT_EQUAL(c->len, 12);
	/* Miss with 12 cached: refill by 31 + 32 - 12, serve 31. */
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs, 31), 0);
	CU_ASSERT_EQUAL(c->len, 32);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 55);
	/* Up to the threshold exactly: no flush. */
	vfn_mempool_put_bulk(mp, objs, 16);
	CU_ASSERT_EQUAL(c->len, 48);
	/* One more crosses it: the whole cache goes to the ring first. */
	i = vfn_ring_count(mp->ring);
	vfn_mempool_put(mp, objs[16]);
	CU_ASSERT_EQUAL(c->len, 1);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), i + 48);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 38);

	/* Requests >= the cache size bypass the cache. */
	i = vfn_ring_count(mp->ring);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs + 130, 32), 0);
	CU_ASSERT_EQUAL(c->len, 1);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), i - 32);
	/* Puts larger than the threshold go straight to the ring. */
	for (i = 0; i < 14; i++)
		objs[162 + i] = objs[17 + i];
	for (i = 0; i < 3; i++)
		objs[176 + i] = objs[100 + i];
	i = vfn_ring_count(mp->ring);
	vfn_mempool_put_bulk(mp, objs + 130, 49);
	CU_ASSERT_EQUAL(c->len, 1);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), i + 49);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 21);
	vfn_mempool_put_bulk(mp, objs + 103, 21);
	CU_ASSERT_EQUAL(c->len, 22);
	CU_ASSERT_TRUE(vfn_mempool_full(mp));

	/* Explicit flush empties the cache into the ring. */
	vfn_mempool_cache_flush(NULL, mp);
	CU_ASSERT_EQUAL(c->len, 0);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 1024);
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
	vfn_mempool_free(mp);
	as_lcore(VFN_LCORE_ID_ANY);
}

static void test_exhaustion_with_cache(void)
{
	struct vfn_mempool *mp = vfn_mempool_create("exhc", 100, 64, 10, 0,
						    NULL, NULL, NULL, NULL,
						    VFN_SOCKET_ID_ANY, 0);
	void *objs[100], *extra;
	unsigned int i;
	int ok = 1;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	as_lcore(3);
	/* One by one: the refills shrink near the end but never fail. */
	for (i = 0; i < 100; i++)
		if (vfn_mempool_get(mp, &objs[i]))
			ok = 0;
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(vfn_mempool_get(mp, &extra), -ENOENT);
	CU_ASSERT_TRUE(vfn_mempool_empty(mp));
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 100);
	/* Refill: everything comes back. */
	for (i = 0; i < 100; i++)
		vfn_mempool_put(mp, objs[i]);
	CU_ASSERT_TRUE(vfn_mempool_full(mp));
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
	/*
	 * And can be taken again in bulk.  As in DPDK, a request >= the
	 * cache size goes to the ring only, so objects sitting in the cache
	 * are not found by it.
	 */
	vfn_mempool_cache_flush(NULL, mp);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs, 9), 0);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 81);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs + 9, 82), -ENOENT);
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs + 9, 81), 0);
	for (i = 90; i < 100; i++)
		CU_ASSERT_EQUAL(vfn_mempool_get(mp, &objs[i]), 0);
	CU_ASSERT_EQUAL(vfn_mempool_get(mp, &extra), -ENOENT);
	vfn_mempool_put_bulk(mp, objs, 100);
	CU_ASSERT_TRUE(vfn_mempool_full(mp));
	vfn_mempool_free(mp);
	as_lcore(VFN_LCORE_ID_ANY);
}

static void test_non_eal_thread(void)
{
	struct vfn_mempool *mp = vfn_mempool_create("noeal", 256, 64, 32, 0,
						    NULL, NULL, NULL, NULL,
						    VFN_SOCKET_ID_ANY, 0);
	struct vfn_mempool_cache *uc;
	void *objs[8];
	unsigned int i, cached = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	as_lcore(VFN_LCORE_ID_ANY);
	CU_ASSERT_PTR_NULL(vfn_mempool_default_cache(mp, vfn_lcore_id()));
	CU_ASSERT_PTR_NULL(vfn_mempool_default_cache(mp, VFN_MAX_LCORE));
	CU_ASSERT_EQUAL(vfn_mempool_get_bulk(mp, objs, 8), 0);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 248);
	for (i = 0; i < VFN_MAX_LCORE; i++)
		cached += mp->local_cache[i].len;
	CU_ASSERT_EQUAL(cached, 0);
	vfn_mempool_put_bulk(mp, objs, 8);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 256);

	/* A user-owned cache works the same way as an lcore cache. */
	uc = vfn_mempool_cache_create(16, VFN_SOCKET_ID_ANY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(uc);
	CU_ASSERT_EQUAL(vfn_mempool_generic_get(mp, objs, 4, uc), 0);
	CU_ASSERT_EQUAL(uc->len, 16);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 236);
	vfn_mempool_generic_put(mp, objs, 4, uc);
	CU_ASSERT_EQUAL(uc->len, 20);
	vfn_mempool_cache_flush(uc, mp);
	CU_ASSERT_EQUAL(uc->len, 0);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 256);
	vfn_mempool_cache_free(uc);
	vfn_mempool_free(mp);
}

static void test_sp_sc_flags_and_dump(void)
{
	struct vfn_mempool *mp = vfn_mempool_create("spsc", 64, 32, 8, 0,
						    NULL, NULL, NULL, NULL,
						    VFN_SOCKET_ID_ANY,
						    VFN_MEMPOOL_F_SP_PUT |
						    VFN_MEMPOOL_F_SC_GET |
						    VFN_MEMPOOL_F_NO_CACHE_ALIGN);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	void *o = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	CU_ASSERT_EQUAL(vfn_ring_get_prod_sync_type(mp->ring),
			VFN_RING_SYNC_ST);
	CU_ASSERT_EQUAL(vfn_ring_get_cons_sync_type(mp->ring),
			VFN_RING_SYNC_ST);
	CU_ASSERT_EQUAL(vfn_mempool_get(mp, &o), 0);
	CU_ASSERT_EQUAL((uintptr_t)o % 8, 0);
	f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vfn_mempool_dump(f, mp);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "mempool <spsc>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "in_use_count=1"));
	free(buf);
	vfn_mempool_put(mp, o);
	vfn_mempool_free(mp);
}

static void test_audit_detects_corruption(void)
{
	struct vfn_mempool *mp = vfn_mempool_create("audit", 16, 64, 0, 0,
						    NULL, NULL, NULL, NULL,
						    VFN_SOCKET_ID_ANY, 0);
	void *o = NULL;
	struct vfn_mempool *saved;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
	CU_ASSERT_EQUAL(vfn_mempool_get(mp, &o), 0);
	/* An underflow from the previous object clobbers this header. */
	saved = __vfn_mempool_get_header(o)->mp;
	__vfn_mempool_get_header(o)->mp = NULL;
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), -EFAULT);
	__vfn_mempool_get_header(o)->mp = saved;
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
	vfn_mempool_put(mp, o);
	vfn_mempool_free(mp);
}

static void test_debug_double_free(void)
{
#ifdef VFN_MEMPOOL_DEBUG
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct vfn_mempool *mp = vfn_mempool_create("dbl", 16, 64, 0,
			0, NULL, NULL, NULL, NULL, VFN_SOCKET_ID_ANY, 0);
		void *o;

		if (!mp || vfn_mempool_get(mp, &o))
			_exit(3);
		vfn_mempool_put(mp, o);
		vfn_mempool_put(mp, o); /* must abort */
		_exit(0);
	}
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
#else
	vfn_test_skip("cookie checks only exist in debug builds (VFN_MEMPOOL_DEBUG)");
#endif
}

/* Fake IOVA-as-PA memory: every 8 KiB page lands somewhere else. */
static uint64_t fake_iova_8k(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	return a + (a >> 13) * 0x100000ull;
}

/* Every 4 KiB page elsewhere: no 5000-byte object can ever fit. */
static uint64_t fake_iova_4k(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	return a + (a >> 12) * 0x100000ull;
}

static void test_iova_breaks(void)
{
	struct vfn_mempool *mp;
	unsigned int i, straddle = 0, iova_ok = 0;

	__vfn_mempool_virt2iova_hook = fake_iova_8k;
	mp = vfn_mempool_create("iova", 64, 3000, 0, 0, NULL, NULL, NULL,
				NULL, VFN_SOCKET_ID_ANY, 0);
	CU_ASSERT_PTR_NOT_NULL(mp);
	if (mp) {
		for (i = 0; i < 64; i++) {
			char *o = mp->objs[i];

			straddle += fake_iova_8k(o + 2999) !=
				    fake_iova_8k(o) + 2999;
			iova_ok += vfn_mempool_virt2iova(o) == fake_iova_8k(o);
		}
		CU_ASSERT_EQUAL(straddle, 0);
		CU_ASSERT_EQUAL(iova_ok, 64);
		/* Moving objects past breaks needed more than one chunk. */
		CU_ASSERT(mp->nb_mem_chunks >= 2);
		CU_ASSERT_TRUE(vfn_mempool_full(mp));
		CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
		vfn_mempool_free(mp);
	}
	/* Without the contiguity requirement, one chunk at fixed stride. */
	mp = vfn_mempool_create("iova", 64, 3000, 0, 0, NULL, NULL, NULL,
				NULL, VFN_SOCKET_ID_ANY,
				VFN_MEMPOOL_F_NO_IOVA_CONTIG);
	CU_ASSERT_PTR_NOT_NULL(mp);
	if (mp) {
		CU_ASSERT_EQUAL(mp->nb_mem_chunks, 1);
		vfn_mempool_free(mp);
	}
	/* Objects larger than the contiguous runs: a clear error. */
	__vfn_mempool_virt2iova_hook = fake_iova_4k;
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_mempool_create("iova", 8, 5000, 0, 0, NULL,
					      NULL, NULL, NULL,
					      VFN_SOCKET_ID_ANY, 0));
	CU_ASSERT_EQUAL(errno, ENOMEM);
	__vfn_mempool_virt2iova_hook = vfn_mem_virt2iova;
	CU_ASSERT_PTR_NULL(vfn_mempool_lookup("iova"));
}

/* Two lcores hammer one pool; afterwards every object is back once. */
struct mp_stress {
	struct vfn_mempool *mp;
	unsigned int lcore;
	unsigned int failures;
	_Atomic unsigned int *start;
};

static void *mp_worker(void *arg)
{
	struct mp_stress *s = arg;
	void *objs[64];
	unsigned int iter, n;

	vfn_per_lcore_id = s->lcore;
	atomic_fetch_add(s->start, 1);
	while (atomic_load(s->start) < 2)
		vfn_pause();
	for (iter = 0; iter < 200000; iter++) {
		n = 1 + (iter * 7 + s->lcore) % 64;
		if (vfn_mempool_get_bulk(s->mp, objs, n)) {
			s->failures++;
			continue;
		}
		/* Write the objects: ASan/races would show reuse. */
		for (unsigned int k = 0; k < n; k++)
			*(uintptr_t *)objs[k] = (uintptr_t)objs[k];
		for (unsigned int k = 0; k < n; k++)
			if (*(uintptr_t *)objs[k] != (uintptr_t)objs[k])
				s->failures += 1000;
		vfn_mempool_put_bulk(s->mp, objs, n);
	}
	return NULL;
}

static void *mp_worker_noeal(void *arg)
{
	struct mp_stress *s = arg;

	s->lcore = 5;
	return mp_worker(arg);
}

static void test_two_thread_stress(void)
{
	struct vfn_mempool *mp = vfn_mempool_create("stress", 2048, 64, 64, 0,
						    NULL, NULL, NULL, NULL,
						    VFN_SOCKET_ID_ANY, 0);
	struct mp_stress s[2];
	_Atomic unsigned int start = 0;
	pthread_t t[2];
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	for (i = 0; i < 2; i++) {
		s[i] = (struct mp_stress){ mp, i + 1, 0, &start };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&t[i], NULL,
			i ? mp_worker_noeal : mp_worker, &s[i]), 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CU_ASSERT_EQUAL(s[0].failures + s[1].failures, 0);
	CU_ASSERT_TRUE(vfn_mempool_full(mp));
	CU_ASSERT_EQUAL(vfn_mempool_audit(mp), 0);
	/* Flush the caches: the ring must hold each object exactly once. */
	vfn_mempool_cache_flush(&mp->local_cache[1], mp);
	vfn_mempool_cache_flush(&mp->local_cache[5], mp);
	CU_ASSERT_EQUAL(vfn_ring_count(mp->ring), 2048);
	{
		void **all = calloc(2048, sizeof(void *));
		unsigned int dups = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(all);
		CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(mp->ring, all, 2048,
						      NULL), 2048);
		for (i = 0; i < 2048; i++) {
			/* Mark each object's header pad: a second visit is a dup. */
			if (__vfn_mempool_get_header(all[i])->pad == 0xfeed)
				dups++;
			__vfn_mempool_get_header(all[i])->pad = 0xfeed;
		}
		CU_ASSERT_EQUAL(dups, 0);
		CU_ASSERT_EQUAL(vfn_ring_enqueue_bulk(mp->ring, all, 2048,
						      NULL), 2048);
		free(all);
	}
	vfn_mempool_free(mp);
}

static const struct vfn_test_case mempool_cases[] = {
	{ "create errors, duplicate names, lookup", test_create_errors },
	{ "layout, alignment, IOVA, constructors, iteration",
	  test_layout_and_ctors },
	{ "exhaustion and refill without cache", test_exhaustion_no_cache },
	{ "cache refill, 1.5x flush threshold, bypass, flush",
	  test_cache_policy },
	{ "exhaustion and refill with cache", test_exhaustion_with_cache },
	{ "non-EAL thread and user-owned cache", test_non_eal_thread },
	{ "SP/SC flags, no cache align, dump", test_sp_sc_flags_and_dump },
	{ "audit detects a clobbered header", test_audit_detects_corruption },
	{ "debug build aborts on double free", test_debug_double_free },
	{ "objects never straddle an IOVA break", test_iova_breaks },
	{ "two-thread get/put stress", test_two_thread_stress },
	{ NULL, NULL },
};

static const struct vfn_test_suite mempool_suite = {
	"mempool", NULL, NULL, mempool_cases,
};

int main(void)
{
	static const struct vfn_test_suite *const suites[] = {
		&mempool_suite, NULL,
	};

	return vfn_cunit_main(suites);
}
