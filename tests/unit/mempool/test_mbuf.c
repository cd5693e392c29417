/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mbuf unit tests: pool creation and the initial state of an mbuf,
 * headroom/tailroom and prepend/append/adj/trim with their edges, bulk
 * alloc/free, chains (chain, read across segments, linearize, copy),
 * reference counts, clone/attach/detach, check and dump, layout.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_lcore.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_cunit.h"

#define NB_MBUF 64

static struct vfn_mempool *pool;  /* 2176-byte buffers, priv 16 */
static struct vfn_mempool *small; /* 256-byte buffers, for chains */

static int suite_init(void)
{
	vfn_per_lcore_id = 0;
	pool = vfn_pktmbuf_pool_create("mbufs", NB_MBUF, 8, 16,
				       VFN_MBUF_DEFAULT_BUF_SIZE,
				       VFN_SOCKET_ID_ANY);
	small = vfn_pktmbuf_pool_create("small", NB_MBUF, 0, 0, 256,
					VFN_SOCKET_ID_ANY);
	return pool && small ? 0 : -1;
}

static int suite_cleanup(void)
{
	vfn_mempool_free(pool);
	vfn_mempool_free(small);
	return 0;
}

static int all_free(void)
{
	vfn_mempool_cache_flush(NULL, pool);
	return vfn_mempool_full(pool) && vfn_mempool_full(small);
}

static void test_pool_create_errors(void)
{
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_pool_create("bad", 16, 0, 12, 2048,
						   VFN_SOCKET_ID_ANY));
	CU_ASSERT_EQUAL(errno, EINVAL);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_pool_create("bad", 0, 0, 0, 2048,
						   VFN_SOCKET_ID_ANY));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_pool_create("mbufs", 16, 0, 0, 2048,
						   VFN_SOCKET_ID_ANY));
}

static void test_layout(void)
{
	CU_ASSERT_EQUAL(sizeof(struct vfn_mbuf), 128);
	CU_ASSERT(offsetof(struct vfn_mbuf, next) < 64);
	CU_ASSERT(offsetof(struct vfn_mbuf, pool) < 64);
	CU_ASSERT(offsetof(struct vfn_mbuf, buf_iova) < 64);
	CU_ASSERT_EQUAL(offsetof(struct vfn_mbuf, data_off),
			offsetof(struct vfn_mbuf, rearm_data));
	CU_ASSERT(offsetof(struct vfn_mbuf, tx_offload) >= 64);
}

static void test_alloc_state(void)
{
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);
	const char *why = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL((uintptr_t)m % VFN_CACHE_LINE_SIZE, 0);
	CU_ASSERT_PTR_EQUAL(m->pool, pool);
	CU_ASSERT_EQUAL(m->priv_size, 16);
	CU_ASSERT_EQUAL(vfn_pktmbuf_priv_size(pool), 16);
	CU_ASSERT_EQUAL(vfn_pktmbuf_data_room_size(pool),
			VFN_MBUF_DEFAULT_BUF_SIZE);
	CU_ASSERT_PTR_EQUAL(m->buf_addr, (char *)m + 128 + 16);
	CU_ASSERT_PTR_EQUAL(vfn_mbuf_to_priv(m), (char *)m + 128);
	CU_ASSERT_EQUAL(m->buf_iova, vfn_mem_virt2iova(m->buf_addr));
	CU_ASSERT_EQUAL(m->buf_len, VFN_MBUF_DEFAULT_BUF_SIZE);
	CU_ASSERT_EQUAL(m->data_off, VFN_PKTMBUF_HEADROOM);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 1);
	CU_ASSERT_EQUAL(m->nb_segs, 1);
	CU_ASSERT_EQUAL(m->port, VFN_MBUF_PORT_INVALID);
	CU_ASSERT_PTR_NULL(m->next);
	CU_ASSERT_EQUAL(m->pkt_len, 0);
	CU_ASSERT_EQUAL(m->data_len, 0);
	CU_ASSERT_EQUAL(m->ol_flags, 0);
	CU_ASSERT_TRUE(vfn_mbuf_is_direct(m));
	CU_ASSERT_EQUAL(vfn_pktmbuf_headroom(m), 128);
	CU_ASSERT_EQUAL(vfn_pktmbuf_tailroom(m), 2048);
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_mtod(m, void *), (char *)m->buf_addr + 128);
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_mtod_offset(m, void *, 10),
			    (char *)m->buf_addr + 138);
	CU_ASSERT_EQUAL(vfn_pktmbuf_iova(m), m->buf_iova + 128);
	CU_ASSERT_EQUAL(vfn_pktmbuf_iova_offset(m, 6), m->buf_iova + 134);
	CU_ASSERT_EQUAL(vfn_mbuf_check(m, 1, &why), 0);
	vfn_pktmbuf_free(m);
	vfn_pktmbuf_free(NULL);
	CU_ASSERT_TRUE(all_free());
}

static void test_data_ops(void)
{
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);
	char *p, *q;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	p = vfn_pktmbuf_append(m, 100);
	CU_ASSERT_PTR_EQUAL(p, vfn_pktmbuf_mtod(m, void *));
	memset(p, 'a', 100);
	CU_ASSERT_EQUAL(m->data_len, 100);
	CU_ASSERT_EQUAL(vfn_pktmbuf_pkt_len(m), 100);
	CU_ASSERT_EQUAL(vfn_pktmbuf_data_len(m), 100);
	CU_ASSERT_EQUAL(vfn_pktmbuf_tailroom(m), 1948);
	/* Append beyond the tailroom: refused, nothing changes. */
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_append(m, 1949));
	CU_ASSERT_EQUAL(m->pkt_len, 100);
	CU_ASSERT_PTR_NOT_NULL(vfn_pktmbuf_append(m, 1948));
	CU_ASSERT_EQUAL(vfn_pktmbuf_tailroom(m), 0);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_append(m, 1));
	CU_ASSERT_EQUAL(vfn_pktmbuf_trim(m, 1948), 0);

	q = vfn_pktmbuf_prepend(m, 14);
	CU_ASSERT_PTR_EQUAL(q, p - 14);
	CU_ASSERT_EQUAL(m->data_len, 114);
	CU_ASSERT_EQUAL(m->pkt_len, 114);
	CU_ASSERT_EQUAL(vfn_pktmbuf_headroom(m), 114);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_prepend(m, 115));
	CU_ASSERT_PTR_NOT_NULL(vfn_pktmbuf_prepend(m, 114));
	CU_ASSERT_EQUAL(vfn_pktmbuf_headroom(m), 0);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_prepend(m, 1));

	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_adj(m, 128), p);
	CU_ASSERT_EQUAL(m->pkt_len, 100);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_adj(m, 101));
	CU_ASSERT_EQUAL(vfn_pktmbuf_trim(m, 101), -1);
	CU_ASSERT_EQUAL(vfn_pktmbuf_trim(m, 40), 0);
	CU_ASSERT_EQUAL(m->pkt_len, 60);
	CU_ASSERT_EQUAL(m->data_len, 60);
	/* Zero-length operations are no-ops that succeed. */
	CU_ASSERT_PTR_NOT_NULL(vfn_pktmbuf_adj(m, 0));
	CU_ASSERT_EQUAL(vfn_pktmbuf_trim(m, 0), 0);
	CU_ASSERT_PTR_NOT_NULL(vfn_pktmbuf_append(m, 0));
	CU_ASSERT_EQUAL(m->pkt_len, 60);
	/* Reset brings back an empty packet with default headroom. */
	m->ol_flags = VFN_MBUF_F_RX_VLAN | VFN_MBUF_F_TX_IP_CKSUM;
	m->l2_len = 14;
	vfn_pktmbuf_reset(m);
	CU_ASSERT_EQUAL(m->pkt_len, 0);
	CU_ASSERT_EQUAL(m->data_off, VFN_PKTMBUF_HEADROOM);
	CU_ASSERT_EQUAL(m->ol_flags, 0);
	CU_ASSERT_EQUAL(m->tx_offload, 0);
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());
}

static void test_bulk(void)
{
	struct vfn_mbuf *ms[NB_MBUF + 1];
	unsigned int i, fresh = 0;

	/* Dirty some mbufs so that alloc_bulk must reset them. */
	CU_ASSERT_EQUAL_FATAL(vfn_pktmbuf_alloc_bulk(pool, ms, 32), 0);
	for (i = 0; i < 32; i++) {
		vfn_pktmbuf_append(ms[i], 10);
		ms[i]->port = 3;
	}
	vfn_pktmbuf_free_bulk(ms, 32);
	CU_ASSERT_TRUE(all_free());
	/* More than exist: refused, nothing taken. */
	CU_ASSERT_EQUAL(vfn_pktmbuf_alloc_bulk(pool, ms, NB_MBUF + 1),
			-ENOENT);
	CU_ASSERT_TRUE(all_free());
	CU_ASSERT_EQUAL_FATAL(vfn_pktmbuf_alloc_bulk(pool, ms, NB_MBUF), 0);
	for (i = 0; i < NB_MBUF; i++)
		fresh += ms[i]->pkt_len == 0 && ms[i]->port ==
			 VFN_MBUF_PORT_INVALID && ms[i]->nb_segs == 1;
	CU_ASSERT_EQUAL(fresh, NB_MBUF);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_alloc(pool));
	/* NULL entries are skipped; mixed pools are fine. */
	{
		struct vfn_mbuf *kept = ms[5];

		ms[5] = NULL;
		vfn_pktmbuf_free_bulk(ms, NB_MBUF);
		CU_ASSERT_EQUAL(vfn_mempool_in_use_count(pool), 1);
		CU_ASSERT_EQUAL(vfn_pktmbuf_alloc_bulk(pool, ms, 0), 0);
		vfn_mempool_cache_flush(NULL, pool);
		CU_ASSERT_EQUAL(vfn_ring_count(pool->ring), NB_MBUF - 1);
		vfn_pktmbuf_free(kept);
		CU_ASSERT_TRUE(all_free());
	}
	/* Raw API: no reset, free invariants hold. */
	{
		struct vfn_mbuf *raw[4];

		CU_ASSERT_EQUAL(vfn_mbuf_raw_alloc_bulk(pool, raw, 4), 0);
		for (i = 0; i < 4; i++) {
			CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(raw[i]), 1);
			CU_ASSERT_PTR_NULL(raw[i]->next);
			CU_ASSERT_EQUAL(raw[i]->nb_segs, 1);
			vfn_mbuf_raw_free(raw[i]);
		}
	}
}

/* Build a packet of @nseg segments of @seglen bytes with a byte pattern. */
static struct vfn_mbuf *make_chain(unsigned int nseg, uint16_t seglen)
{
	struct vfn_mbuf *head = NULL;
	unsigned int s, i, pos = 0;

	for (s = 0; s < nseg; s++) {
		struct vfn_mbuf *m = vfn_pktmbuf_alloc(small);
		unsigned char *d;

		if (!m)
			return NULL;
		d = (unsigned char *)vfn_pktmbuf_append(m, seglen);
		for (i = 0; i < seglen; i++)
			d[i] = (unsigned char)(pos++ * 7);
		if (!head)
			head = m;
		else if (vfn_pktmbuf_chain(head, m))
			return NULL;
	}
	return head;
}

static int pattern_ok(const unsigned char *d, unsigned int off,
		      unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (d[i] != (unsigned char)((off + i) * 7))
			return 0;
	return 1;
}

static void test_chains(void)
{
	struct vfn_mbuf *m = make_chain(3, 100);
	unsigned char buf[300];
	const unsigned char *p;
	const char *why = NULL;
	uint16_t saved;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->nb_segs, 3);
	CU_ASSERT_EQUAL(m->pkt_len, 300);
	CU_ASSERT_EQUAL(m->next->pkt_len, 100);
	CU_ASSERT_FALSE(vfn_pktmbuf_is_contiguous(m));
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_lastseg(m), m->next->next);
	CU_ASSERT_EQUAL(vfn_mbuf_check(m, 1, &why), 0);

	/* Read inside one segment: a pointer into it, no copy. */
	p = vfn_pktmbuf_read(m, 10, 20, buf);
	CU_ASSERT_PTR_EQUAL(p, vfn_pktmbuf_mtod_offset(m, void *, 10));
	p = vfn_pktmbuf_read(m, 120, 20, buf);
	CU_ASSERT_PTR_EQUAL(p, vfn_pktmbuf_mtod_offset(m->next, void *, 20));
	/* Across segments: copied to the linear buffer. */
	p = vfn_pktmbuf_read(m, 50, 200, buf);
	CU_ASSERT_PTR_EQUAL(p, buf);
	CU_ASSERT_TRUE(pattern_ok(buf, 50, 200));
	p = vfn_pktmbuf_read(m, 0, 300, buf);
	CU_ASSERT_TRUE(p == buf && pattern_ok(buf, 0, 300));
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_read(m, 250, 51, buf));
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_read(m, 301, 0, buf));

	/* Append and trim work on the last segment. */
	CU_ASSERT_PTR_NOT_NULL(vfn_pktmbuf_append(m, 28));
	CU_ASSERT_EQUAL(m->pkt_len, 328);
	CU_ASSERT_EQUAL(vfn_pktmbuf_lastseg(m)->data_len, 128);
	CU_ASSERT_EQUAL(vfn_pktmbuf_trim(m, 28), 0);
	CU_ASSERT_EQUAL(m->pkt_len, 300);

	/* Inconsistent metadata is reported. */
	m->pkt_len = 299;
	CU_ASSERT_EQUAL(vfn_mbuf_check(m, 1, &why), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "pkt_len"));
	m->pkt_len = 300;
	m->nb_segs = 2;
	CU_ASSERT_EQUAL(vfn_mbuf_check(m, 1, &why), -1);
	m->nb_segs = 3;

	/* Chaining past the segment limit is refused. */
	saved = m->nb_segs;
	m->nb_segs = VFN_MBUF_MAX_NB_SEGS;
	{
		struct vfn_mbuf *t = vfn_pktmbuf_alloc(small);

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_EQUAL(vfn_pktmbuf_chain(m, t), -EOVERFLOW);
		vfn_pktmbuf_free(t);
	}
	m->nb_segs = saved;

	/* Linearize: too big for the first 256-byte buffer, refused. */
	CU_ASSERT_EQUAL(vfn_pktmbuf_linearize(m), -1);
	CU_ASSERT_EQUAL(m->nb_segs, 3);
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());

	/* Linearize one that fits: 3 x 40 bytes into 128 of tailroom. */
	m = make_chain(3, 40);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(vfn_pktmbuf_linearize(m), 0);
	CU_ASSERT_EQUAL(m->nb_segs, 1);
	CU_ASSERT_PTR_NULL(m->next);
	CU_ASSERT_EQUAL(m->data_len, 120);
	CU_ASSERT_EQUAL(m->pkt_len, 120);
	CU_ASSERT_TRUE(pattern_ok(vfn_pktmbuf_mtod(m, void *), 0, 120));
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(small), 1);
	CU_ASSERT_EQUAL(vfn_pktmbuf_linearize(m), 0);
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());
}

/*
 * A read of 0 bytes at the very end of a chain (or at a segment boundary)
 * is in bounds: it returns a pointer and does not walk past the last
 * segment.
 */
static void test_read_empty_at_end(void)
{
	struct vfn_mbuf *m = make_chain(3, 100);
	const char *end;
	unsigned char buf[4];

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	end = (const char *)m->next->next->buf_addr + m->next->next->data_off + 100;
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_read(m, 300, 0, buf), end);
	/* At a boundary the read starts in the next segment. */
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_read(m, 200, 0, buf),
			    end - 100);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_read(m, 301, 0, buf));
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());
}

static void test_copy(void)
{
	struct vfn_mbuf *m = make_chain(3, 100), *c;
	unsigned char buf[300];

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	m->port = 7;
	m->ol_flags = VFN_MBUF_F_RX_RSS_HASH;
	m->hash.rss = 0x1234;
	/* Copy into the big pool: one segment. */
	c = vfn_pktmbuf_copy(m, pool, 0, UINT32_MAX);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->pkt_len, 300);
	CU_ASSERT_EQUAL(c->nb_segs, 1);
	CU_ASSERT_EQUAL(c->port, 7);
	CU_ASSERT_EQUAL(c->hash.rss, 0x1234);
	CU_ASSERT_TRUE(pattern_ok(vfn_pktmbuf_mtod(c, void *), 0, 300));
	vfn_pktmbuf_free(c);
	/* A slice into the small pool: several segments. */
	c = vfn_pktmbuf_copy(m, small, 90, 200);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->pkt_len, 200);
	CU_ASSERT(c->nb_segs >= 1);
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_read(c, 0, 200, buf) == buf ? buf :
			    buf, buf);
	CU_ASSERT_TRUE(pattern_ok(vfn_pktmbuf_read(c, 0, 200, buf), 90, 200));
	vfn_pktmbuf_free(c);
	CU_ASSERT_PTR_NULL(vfn_pktmbuf_copy(m, pool, 301, 1));
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());
}

static void test_refcnt(void)
{
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_update(m, 1), 2);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_update(m, 1), 3);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_update(m, -1), 2);
	/* Freeing a shared mbuf only drops a reference. */
	vfn_pktmbuf_free(m);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 1);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(pool), 1);
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());
	/* Chains: every segment gets the reference. */
	m = make_chain(2, 10);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	vfn_pktmbuf_refcnt_update(m, 1);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m->next), 2);
	vfn_pktmbuf_free(m);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(small), 2);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m->next), 1);
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());
}

static void test_clone_attach(void)
{
	struct vfn_mbuf *m = make_chain(2, 50), *c, *c2, *seg2;
	unsigned char buf[100];

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	seg2 = m->next;
	m->vlan_tci = 42;
	c = vfn_pktmbuf_clone(m, pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->nb_segs, 2);
	CU_ASSERT_EQUAL(c->pkt_len, 100);
	CU_ASSERT_EQUAL(c->vlan_tci, 42);
	CU_ASSERT_TRUE(vfn_mbuf_is_indirect(c));
	CU_ASSERT_TRUE(vfn_mbuf_is_indirect(c->next));
	CU_ASSERT_PTR_EQUAL(vfn_pktmbuf_mtod(c, void *), vfn_pktmbuf_mtod(m, void *));
	CU_ASSERT_EQUAL(vfn_pktmbuf_iova(c), vfn_pktmbuf_iova(m));
	CU_ASSERT_PTR_EQUAL(vfn_mbuf_from_indirect(c), m);
	CU_ASSERT_PTR_EQUAL(vfn_mbuf_from_indirect(c->next), seg2);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 2);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(seg2), 2);
	CU_ASSERT_TRUE(pattern_ok(vfn_pktmbuf_read(c, 0, 100, buf), 0, 100));

	/* A clone of the clone attaches to the direct mbufs. */
	c2 = vfn_pktmbuf_clone(c, pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c2);
	CU_ASSERT_PTR_EQUAL(vfn_mbuf_from_indirect(c2), m);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 3);

	/* The original stays alive while clones reference it. */
	vfn_pktmbuf_free(m);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(small), 2);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 2);
	vfn_pktmbuf_free(c);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(small), 2);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(pool), 2);
	vfn_pktmbuf_free(c2);
	CU_ASSERT_TRUE(all_free());

	/* Attach and detach by hand; detach restores the own buffer. */
	m = vfn_pktmbuf_alloc(small);
	c = vfn_pktmbuf_alloc(pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	vfn_pktmbuf_append(m, 20);
	{
		void *own = c->buf_addr;
		uint64_t own_iova = c->buf_iova;

		vfn_pktmbuf_attach(c, m);
		CU_ASSERT_PTR_EQUAL(c->buf_addr, m->buf_addr);
		CU_ASSERT_EQUAL(c->data_len, 20);
		CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 2);
		vfn_pktmbuf_detach(c);
		CU_ASSERT_TRUE(vfn_mbuf_is_direct(c));
		CU_ASSERT_PTR_EQUAL(c->buf_addr, own);
		CU_ASSERT_EQUAL(c->buf_iova, own_iova);
		CU_ASSERT_EQUAL(c->priv_size, 16);
		CU_ASSERT_EQUAL(c->buf_len, VFN_MBUF_DEFAULT_BUF_SIZE);
		CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 1);
	}
	/* Detaching the last reference returns the direct mbuf. */
	vfn_pktmbuf_attach(c, m);
	vfn_pktmbuf_free(m);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(small), 1);
	vfn_pktmbuf_free(c);
	CU_ASSERT_TRUE(all_free());
}

static void test_clone_exhaustion(void)
{
	struct vfn_mbuf *m = make_chain(3, 10), *hold[NB_MBUF], *c;
	unsigned int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	/* Leave 2 mbufs in the clone pool: cloning 3 segments fails. */
	while (vfn_mempool_avail_count(pool) > 2)
		hold[n++] = vfn_pktmbuf_alloc(pool);
	c = vfn_pktmbuf_clone(m, pool);
	CU_ASSERT_PTR_NULL(c);
	/* And undid itself: references and mbufs back. */
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m), 1);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(m->next), 1);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(pool), 2);
	vfn_pktmbuf_free_bulk(hold, n);
	vfn_pktmbuf_free(m);
	CU_ASSERT_TRUE(all_free());
}

static void test_dump_and_names(void)
{
	struct vfn_mbuf *m = make_chain(2, 20);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	vfn_pktmbuf_dump(f, m, 24);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "pkt_len=40"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "nb_segs=2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "00 07 0e 15"));
	CU_ASSERT_PTR_NULL(strstr(out, "inconsistent"));
	free(out);
	vfn_pktmbuf_free(m);
	CU_ASSERT_STRING_EQUAL(vfn_get_rx_ol_flag_name(VFN_MBUF_F_RX_VLAN),
			       "RX_VLAN");
	CU_ASSERT_STRING_EQUAL(vfn_get_tx_ol_flag_name(
		VFN_MBUF_F_TX_UDP_CKSUM), "TX_UDP_CKSUM");
	CU_ASSERT_PTR_NULL(vfn_get_rx_ol_flag_name(1ULL << 40));
	CU_ASSERT_TRUE(all_free());
}

static const struct vfn_test_case mbuf_cases[] = {
	{ "pool create errors", test_pool_create_errors },
	{ "layout", test_layout },
	{ "state of a fresh mbuf", test_alloc_state },
	{ "append/prepend/adj/trim and edges", test_data_ops },
	{ "bulk alloc/free and raw alloc", test_bulk },
	{ "chains, read, linearize", test_chains },
	{ "read of 0 bytes at the end of a chain", test_read_empty_at_end },
	{ "copy", test_copy },
	{ "reference counts", test_refcnt },
	{ "clone, attach, detach", test_clone_attach },
	{ "clone undoes itself when the pool runs out",
	  test_clone_exhaustion },
	{ "dump and flag names", test_dump_and_names },
	{ NULL, NULL },
};

static const struct vfn_test_suite mbuf_suite = {
	"mbuf", suite_init, suite_cleanup, mbuf_cases,
};

int main(void)
{
	static const struct vfn_test_suite *const suites[] = {
		&mbuf_suite, NULL,
	};

	return vfn_cunit_main(suites);
}
