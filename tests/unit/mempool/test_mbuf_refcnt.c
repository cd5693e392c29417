/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory ordering of the mbuf reference count on the free path, checked
 * deterministically: this file wraps the __atomic builtins the mbuf
 * header uses, so that it can play "the other holder" between two of
 * vfn_pktmbuf_prefree_seg()'s accesses and record which kind of access
 * touched the count.
 *
 * The interleaving: two holders (refcnt 2) free at once.  We load 2; the
 * other holder drops its reference (release); we decrement.  Our
 * decrement must be an atomic read-modify-write with acquire (DPDK's
 * prefree always uses __rte_mbuf_refcnt_update()), or we recycle the
 * buffer without having synchronised with the other holder's last
 * accesses to it; a relaxed "sole owner" shortcut does exactly that.
 */
#include <stdint.h>
#include <string.h>

#include "vfn_cunit.h"

static const volatile void *watched;  /* the refcnt being observed */
static int interfere;                 /* other holder drops after next load */
static unsigned int rmw_count, rmw_acq, plain_loads, plain_stores;

static void on_load(const volatile void *p, int order)
{
	if (p != watched)
		return;
	if (order == __ATOMIC_RELAXED)
		plain_loads++;
	if (interfere) {
		interfere = 0;
		/* The other holder's free: its release decrement. */
		__atomic_sub_fetch((uint16_t *)(uintptr_t)p, 1, __ATOMIC_RELEASE);
	}
}

static void on_rmw(const volatile void *p, int order)
{
	if (p != watched)
		return;
	rmw_count++;
	if (order == __ATOMIC_ACQ_REL || order == __ATOMIC_ACQUIRE ||
	    order == __ATOMIC_SEQ_CST)
		rmw_acq++;
}

static void on_store(const volatile void *p)
{
	if (p == watched)
		plain_stores++;
}

#define __atomic_load_n(p, o) \
	({ __auto_type v_ = __atomic_load_n(p, o); on_load((p), (o)); v_; })
#define __atomic_store_n(p, v, o) \
	do { on_store(p); __atomic_store_n(p, v, o); } while (0)
#define __atomic_add_fetch(p, v, o) \
	({ on_rmw((p), (o)); __atomic_add_fetch(p, v, o); })
#define __atomic_sub_fetch(p, v, o) \
	({ on_rmw((p), (o)); __atomic_sub_fetch(p, v, o); })
#define __atomic_fetch_add(p, v, o) \
	({ on_rmw((p), (o)); __atomic_fetch_add(p, v, o); })
#define __atomic_fetch_sub(p, v, o) \
	({ on_rmw((p), (o)); __atomic_fetch_sub(p, v, o); })

#include "vfn_mbuf.h"

static void reset(struct vfn_mbuf *m, uint16_t refcnt)
{
	memset(m, 0, sizeof(*m));
	m->refcnt = refcnt;
	m->nb_segs = 1;
	m->ol_flags = 0; /* direct */
	watched = &m->refcnt;
	rmw_count = rmw_acq = plain_loads = plain_stores = 0;
}

static void test_prefree_shared_races_other_free(void)
{
	static struct vfn_mbuf m;
	struct vfn_mbuf *r;

	reset(&m, 2);
	interfere = 1;
	r = vfn_pktmbuf_prefree_seg(&m);
	/* We dropped the last reference: the segment is ours to recycle. */
	CU_ASSERT_PTR_EQUAL(r, &m);
	CU_ASSERT_EQUAL(m.refcnt, 1);
	/* ... after one atomic decrement with acquire, not a plain store. */
	CU_ASSERT_EQUAL(rmw_count, 1);
	CU_ASSERT_EQUAL(rmw_acq, 1);
}

static void test_prefree_shared_still_held(void)
{
	static struct vfn_mbuf m;

	reset(&m, 3);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_prefree_seg(&m));
	CU_ASSERT_EQUAL(m.refcnt, 2);
	CU_ASSERT_EQUAL(rmw_count, 1);
	CU_ASSERT_EQUAL(rmw_acq, 1);
}

static void test_prefree_sole_owner(void)
{
	static struct vfn_mbuf m;

	/* The common case stays free of locked instructions. */
	reset(&m, 1);
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_prefree_seg(&m), &m);
	CU_ASSERT_EQUAL(m.refcnt, 1);
	CU_ASSERT_EQUAL(rmw_count, 0);
}

static const struct vfn_test_case refcnt_cases[] = {
	{ "prefree, shared, other holder frees between load and update",
	  test_prefree_shared_races_other_free },
	{ "prefree, shared, still held after", test_prefree_shared_still_held },
	{ "prefree, sole owner: no atomic read-modify-write",
	  test_prefree_sole_owner },
	{ NULL, NULL },
};

static const struct vfn_test_suite refcnt_suite = {
	"mbuf_refcnt", NULL, NULL, refcnt_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &refcnt_suite, NULL };

	return vfn_cunit_main(suites);
}
