/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Pools of fixed-size objects in vfnet (DMA-able) memory.
 *
 * API of DPDK's rte_mempool with the vfn_ prefix.  The free objects sit
 * in a backing vfn_ring; each EAL lcore has a private cache in front of it
 * (indexed by vfn_lcore_id()), so most gets and puts touch neither the
 * ring nor another core's cache lines.  Threads that are not EAL lcores
 * (vfn_lcore_id() == VFN_LCORE_ID_ANY) go to the ring directly, unless
 * they bring their own cache (vfn_mempool_cache_create()).
 *
 * Cache policy (as DPDK): a put that would take the cache above its flush
 * threshold (1.5 x the cache size) first flushes the whole cache to the
 * ring; a get that the cache cannot satisfy refills it to its size plus
 * the request in one ring dequeue.
 *
 * Each object is cache-line aligned and preceded by a small header that
 * holds its pool and its IOVA, computed once at creation with
 * vfn_mem_virt2iova(), so a driver never translates addresses per packet.
 */
#ifndef VFN_MEMPOOL_H
#define VFN_MEMPOOL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vfn_common.h"
#include "vfn_lcore.h"
#include "vfn_ring.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest pool name, including the terminating NUL. */
#define VFN_MEMPOOL_NAMESIZE 26

/** Largest per-lcore cache size (objects). */
#define VFN_MEMPOOL_CACHE_MAX_SIZE 512

/** Do not align objects on cache lines. */
#define VFN_MEMPOOL_F_NO_CACHE_ALIGN 0x0002
/** Default put is single-producer (one thread puts at a time). */
#define VFN_MEMPOOL_F_SP_PUT 0x0004
/** Default get is single-consumer (one thread gets at a time). */
#define VFN_MEMPOOL_F_SC_GET 0x0008
/** Objects need not be IOVA-contiguous (no IOVA check at creation). */
#define VFN_MEMPOOL_F_NO_IOVA_CONTIG 0x0020

/**
 * Most memory chunks of one pool.  Objects never straddle a break in IOVA
 * contiguity (hugepage boundaries in IOVA-as-PA mode): an object that
 * would is moved past the break, and when a chunk runs out another one is
 * allocated.
 */
#define VFN_MEMPOOL_MAX_CHUNKS 16

/** Flush threshold of a cache of @p size objects: 1.5 x size, as DPDK. */
#define VFN_MEMPOOL_CALC_CACHE_FLUSHTHRESH(size) ((size) * 3 / 2)

/** Header cookie of an object that is in the pool (debug builds). */
#define VFN_MEMPOOL_HEADER_COOKIE_FREE 0xbadbadbadadd2e55ULL
/** Header cookie of an object a user holds (debug builds). */
#define VFN_MEMPOOL_HEADER_COOKIE_USED 0xf2eef2eedadd2e55ULL
/** Trailer cookie after each object (debug builds). */
#define VFN_MEMPOOL_TRAILER_COOKIE 0xadd2e55badbadbadULL

struct vfn_mempool;

/**
 * A cache of free objects in front of the pool's ring.  One per lcore
 * inside the pool; more with vfn_mempool_cache_create().
 */
struct vfn_mempool_cache {
	uint32_t size;        /**< nominal size (objects) */
	uint32_t flushthresh; /**< flush to the ring above this length */
	uint32_t len;         /**< objects cached now */
	/**
	 * Cached objects; room for 2 x the largest size because a refill
	 * brings the cache to size + request (request < size).
	 */
	void *objs[VFN_MEMPOOL_CACHE_MAX_SIZE * 2] __vfn_cache_aligned;
} __vfn_cache_aligned;

/**
 * @internal Header just before every object: its pool and its IOVA.
 * Read on the fast path by vfn_mempool_virt2iova() and
 * vfn_mempool_from_obj().
 */
struct vfn_mempool_objhdr {
	struct vfn_mempool *mp; /**< pool that owns the object */
	uint64_t iova;          /**< IOVA of the object, or VFN_BAD_IOVA */
	uint64_t cookie;        /**< VFN_MEMPOOL_HEADER_COOKIE_* */
	uint64_t pad;           /**< keeps the header 8-byte multiple */
};

/** A pool.  Read-only after creation except for the caches. */
struct vfn_mempool {
	char name[VFN_MEMPOOL_NAMESIZE]; /**< name, for lookup */
	unsigned int flags;              /**< VFN_MEMPOOL_F_* */
	int socket_id;                   /**< NUMA node of the objects */
	uint32_t size;                   /**< number of objects */
	uint32_t cache_size;             /**< per-lcore cache size, 0 = none */
	uint32_t elt_size;               /**< object size asked for */
	uint32_t header_size;            /**< bytes before each object */
	uint32_t trailer_size;           /**< bytes after each object */
	uint32_t private_data_size;      /**< size of vfn_mempool_get_priv() */
	uint32_t populated_size;         /**< objects created */
	struct vfn_ring *ring;           /**< the free objects */
	struct vfn_mempool_cache *local_cache; /**< VFN_MAX_LCORE or NULL */
	void *priv;                      /**< private data area */
	void **objs;                     /**< every object, in memory order */
	/** Memory chunks holding the objects (usually one). */
	void *mem[VFN_MEMPOOL_MAX_CHUNKS];
	size_t mem_size;                 /**< bytes in all chunks */
	unsigned int nb_mem_chunks;      /**< chunks used */
} __vfn_cache_aligned;

/** Pool constructor, called once at creation before the objects exist. */
typedef void (vfn_mempool_ctor_t)(struct vfn_mempool *mp, void *arg);

/** Object constructor or iteration callback: @p obj is object @p idx. */
typedef void (vfn_mempool_obj_cb_t)(struct vfn_mempool *mp, void *arg,
				    void *obj, unsigned int idx);

/**
 * Create a pool of @p n objects of @p elt_size bytes.
 * @param name              unique name, shorter than VFN_MEMPOOL_NAMESIZE
 * @param n                 number of objects (> 0)
 * @param elt_size          bytes per object (> 0)
 * @param cache_size        per-lcore cache size, 0 for none; at most
 *                          VFN_MEMPOOL_CACHE_MAX_SIZE and with
 *                          1.5 x cache_size <= n
 * @param private_data_size bytes of pool private data (see
 *                          vfn_mempool_get_priv())
 * @param mp_init           called once on the pool, may be NULL
 * @param mp_init_arg       its argument
 * @param obj_init          called on each object, may be NULL
 * @param obj_init_arg      its argument
 * @param socket_id         NUMA node or VFN_SOCKET_ID_ANY
 * @param flags             VFN_MEMPOOL_F_*
 * @return the pool, or NULL with errno EINVAL (bad argument; the log
 *         says which and how to fix it), EEXIST (name taken) or ENOMEM
 */
struct vfn_mempool *
vfn_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
		   unsigned int cache_size, unsigned int private_data_size,
		   vfn_mempool_ctor_t *mp_init, void *mp_init_arg,
		   vfn_mempool_obj_cb_t *obj_init, void *obj_init_arg,
		   int socket_id, unsigned int flags);

/**
 * Free a pool, its objects and its ring.  Objects still held by users
 * become invalid.  NULL is a no-op.
 */
void vfn_mempool_free(struct vfn_mempool *mp);

/** Find a pool by name. @return it, or NULL with errno ENOENT */
struct vfn_mempool *vfn_mempool_lookup(const char *name);

/**
 * Call @p obj_cb on every object of the pool, in memory order, whether
 * free or in use.
 * @return the number of objects visited
 */
uint32_t vfn_mempool_obj_iter(struct vfn_mempool *mp,
			      vfn_mempool_obj_cb_t *obj_cb, void *obj_cb_arg);

/**
 * Call @p fn on every pool, under the pool list's lock (DPDK's
 * rte_mempool_walk()): @p fn must not create or free pools.
 */
void vfn_mempool_walk(void (*fn)(struct vfn_mempool *mp, void *arg),
		      void *arg);

/**
 * Free objects: in the ring plus in every lcore cache.  A snapshot when
 * other threads use the pool.
 */
unsigned int vfn_mempool_avail_count(const struct vfn_mempool *mp);

/** Objects held by users: size - vfn_mempool_avail_count(). */
unsigned int vfn_mempool_in_use_count(const struct vfn_mempool *mp);

/** 1 if every object is free (a snapshot). */
static inline int vfn_mempool_full(const struct vfn_mempool *mp)
{
	return vfn_mempool_avail_count(mp) == mp->size;
}

/** 1 if no object is free (a snapshot). */
static inline int vfn_mempool_empty(const struct vfn_mempool *mp)
{
	return vfn_mempool_avail_count(mp) == 0;
}

/**
 * Check the pool's consistency: cache lengths within bounds, free count
 * not above the size and, in debug builds (VFN_MEMPOOL_DEBUG), every
 * object's header and trailer cookies.  Not thread-safe.
 * @return 0 when consistent, else -EFAULT (what is wrong is logged)
 */
int vfn_mempool_audit(struct vfn_mempool *mp);

/** Print the pool's state to @p f. */
void vfn_mempool_dump(FILE *f, const struct vfn_mempool *mp);

/**
 * Bytes one object takes in memory (header + element + trailer), as
 * vfn_mempool_create() would lay it out.
 * @param elt_size object size
 * @param flags    VFN_MEMPOOL_F_*
 * @param sz       if not NULL, receives header/element/trailer sizes
 *                 (fields header_size, elt_size, trailer_size of a
 *                 struct vfn_mempool)
 */
uint32_t vfn_mempool_calc_obj_size(uint32_t elt_size, unsigned int flags,
				   struct vfn_mempool *sz);

/** Pool private data area (private_data_size bytes, zeroed at creation). */
static inline void *vfn_mempool_get_priv(struct vfn_mempool *mp)
{
	return mp->priv;
}

/**
 * Create a cache for a thread without an lcore cache (for example a
 * non-EAL thread).  The caller owns it: one thread at a time.
 * @param size  nominal size, 1..VFN_MEMPOOL_CACHE_MAX_SIZE
 * @param socket_id NUMA node for the cache memory
 * @return the cache, or NULL with errno EINVAL or ENOMEM
 */
struct vfn_mempool_cache *vfn_mempool_cache_create(uint32_t size,
						   int socket_id);

/** Free a cache made by vfn_mempool_cache_create(); flush it first. */
void vfn_mempool_cache_free(struct vfn_mempool_cache *cache);

/**
 * @internal Debug-build cookie check of @p n objects, which are handed to
 * the user (@p to_user = 1, get) or returned (0, put); aborts on error.
 */
void __vfn_mempool_check_cookies(const struct vfn_mempool *mp,
				 void *const *obj_table, unsigned int n,
				 int to_user);

/**
 * @internal Test hook: the virtual-to-IOVA translation vfn_mempool_create()
 * uses (vfn_mem_virt2iova() by default).  Tests point it at a fake
 * translation to exercise objects placed around IOVA breaks.
 */
extern uint64_t (*__vfn_mempool_virt2iova_hook)(const void *addr);

/** @internal Header of object @p obj. */
static inline struct vfn_mempool_objhdr *__vfn_mempool_get_header(void *obj)
{
	return (struct vfn_mempool_objhdr *)((uintptr_t)obj -
		sizeof(struct vfn_mempool_objhdr));
}

/** Pool that object @p obj belongs to. */
static inline struct vfn_mempool *vfn_mempool_from_obj(void *obj)
{
	return __vfn_mempool_get_header(obj)->mp;
}

/**
 * IOVA of object @p obj, computed at pool creation (no translation here).
 * @return the IOVA, or VFN_BAD_IOVA if the memory is not DMA-able
 */
static inline uint64_t vfn_mempool_virt2iova(const void *obj)
{
	return __vfn_mempool_get_header((void *)(uintptr_t)obj)->iova;
}

/**
 * The calling lcore's cache in @p mp, or NULL (no cache configured, or
 * @p lcore_id is not an EAL lcore).
 */
static inline struct vfn_mempool_cache *
vfn_mempool_default_cache(struct vfn_mempool *mp, unsigned int lcore_id)
{
	if (mp->cache_size == 0 || lcore_id >= VFN_MAX_LCORE)
		return NULL;
	return &mp->local_cache[lcore_id];
}

/*
 * The cache's ring operations are out of line, as DPDK's (which go
 * through the pool's ops table).  Inlined, the ring's code shared the
 * get and put fast paths' registers: GCC 12 kept cache->len in a stack
 * slot across the whole loop, one more store-to-load round trip per call
 * on the chain every call waits for.  They run once per cache size of
 * objects, so the call costs nothing measurable.
 */

/**
 * @internal Refill @p cache from @p mp's ring to its size + @p n in one
 * ring operation.
 * @return the cache's length after: below @p n if the ring is short
 */
unsigned int __vfn_mempool_cache_refill(struct vfn_mempool *mp,
					struct vfn_mempool_cache *cache,
					unsigned int n);

/** @internal Move every object of @p cache to @p mp's ring. */
void __vfn_mempool_cache_drain(struct vfn_mempool *mp,
			       struct vfn_mempool_cache *cache);

/** Move every object of @p cache back to @p mp's ring. */
static inline void vfn_mempool_cache_flush(struct vfn_mempool_cache *cache,
					   struct vfn_mempool *mp)
{
	if (cache == NULL)
		cache = vfn_mempool_default_cache(mp, vfn_lcore_id());
	if (cache == NULL || cache->len == 0)
		return;
	__vfn_mempool_cache_drain(mp, cache);
}

/*
 * __VFN_MEMPOOL_COPY_NOTE: the cache copies in put and get.  With n not
 * a compile-time constant, GCC turns a plain copy loop into a vectorised
 * loop behind an overlap check, with scalar prologue and epilogue, which
 * at a baseline ISA (corei7, as Debian's DPDK) costs more than the copy:
 * lcore cache, one core, bulk 32, variable n ran at 0.96x DPDK.  There
 * (x86-64 without AVX) a run-time n is copied in SSE2 registers, two
 * pointers each, get swapping each pair for the LIFO order; constant n
 * keeps the plain loop, which GCC unrolls.  With AVX, GCC's own wide
 * loop is faster than 32-byte chunks (-20-40% measured with them at
 * -march=native) and stays for n of 8 or more; a put of a run-time n
 * below 8 goes in pieces (__vfn_mempool_copy_fwd), because there GCC's
 * loop became a call to memcpy.  As in vfn_ring_elem.h, GCC warns about
 * the pieces when inlined for a one-pointer table, where they cannot
 * run: a false positive, silenced there only.
 */
#if defined(__x86_64__) && !defined(__AVX__)
#define VFN_MEMPOOL_CHUNKED_COPY 1
#include <emmintrin.h>
#else
#define VFN_MEMPOOL_CHUNKED_COPY 0
#endif

#if VFN_MEMPOOL_CHUNKED_COPY
/*
 * SSE2 copies of a run-time count, two pointers to a register.  Written
 * with pointers stepping, not an index, and with explicit registers:
 * GCC built the index form's 4-pointer pieces through a stack temporary
 * (two extra stores per piece on get) and recomputed each piece's
 * addresses from the index.
 */

/** @internal Copy @p n pointers from @p src to @p dst, in order. */
static inline void __vfn_mempool_copy_fwd(void **dst, void *const *src,
					  unsigned int n)
{
	for (; n >= 4; n -= 4, dst += 4, src += 4) {
		__m128i a = _mm_loadu_si128((const __m128i *)src);
		__m128i b = _mm_loadu_si128((const __m128i *)(src + 2));

		_mm_storeu_si128((__m128i *)dst, a);
		_mm_storeu_si128((__m128i *)(dst + 2), b);
	}
	if (n & 2) {
		_mm_storeu_si128((__m128i *)dst,
				 _mm_loadu_si128((const __m128i *)src));
		dst += 2;
		src += 2;
	}
	if (n & 1)
		*dst = *src;
}

/** @internal Swap the two pointers of @p v. */
static inline __m128i __vfn_mempool_swap2(__m128i v)
{
	return _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2));
}

/**
 * @internal Copy @p n pointers in reverse: dst[i] = top[-i], the cache's
 * LIFO order on get.
 */
static inline void __vfn_mempool_copy_rev(void **dst, void *const *top,
					  unsigned int n)
{
	for (; n >= 4; n -= 4, dst += 4, top -= 4) {
		__m128i hi = _mm_loadu_si128((const __m128i *)(top - 1));
		__m128i lo = _mm_loadu_si128((const __m128i *)(top - 3));

		_mm_storeu_si128((__m128i *)dst, __vfn_mempool_swap2(hi));
		_mm_storeu_si128((__m128i *)(dst + 2), __vfn_mempool_swap2(lo));
	}
	if (n & 2) {
		__m128i v = _mm_loadu_si128((const __m128i *)(top - 1));

		_mm_storeu_si128((__m128i *)dst, __vfn_mempool_swap2(v));
		dst += 2;
		top -= 2;
	}
	if (n & 1)
		*dst = *top;
}
#else
/**
 * @internal Copy @p n pointers in 4-, 2- and 1-pointer pieces.  A plain
 * loop of a run-time count is what GCC replaces with a call to memcpy,
 * which for the 1 to 7 pointers of a small put costs more than the copy
 * (and, in a TCG guest, runs glibc's AVX code: see apps/fwd/meson.build).
 * See also __VFN_MEMPOOL_COPY_NOTE above.
 */
static inline void __vfn_mempool_copy_fwd(void **dst, void *const *src,
					  unsigned int n)
{
	unsigned int i;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wstringop-overread"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
	for (i = 0; i + 4 <= n; i += 4)
		__builtin_memcpy(&dst[i], &src[i], 4 * sizeof(void *));
	if (n & 2) {
		__builtin_memcpy(&dst[i], &src[i], 2 * sizeof(void *));
		i += 2;
	}
	if (n & 1)
		dst[i] = src[i];
#pragma GCC diagnostic pop
}

/** @internal Copy @p n pointers in reverse: dst[i] = top[-i]. */
static inline void __vfn_mempool_copy_rev(void **dst, void *const *top,
					  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = *(top - i);
}
#endif

/**
 * Put @p n objects back, through @p cache (may be NULL: straight to the
 * ring).  Never fails: the ring has room for every object of the pool.
 */
static inline void vfn_mempool_generic_put(struct vfn_mempool *mp,
					   void *const *obj_table,
					   unsigned int n,
					   struct vfn_mempool_cache *cache)
{
	void **dst;
	unsigned int i, len;

#ifdef VFN_MEMPOOL_DEBUG
	__vfn_mempool_check_cookies(mp, obj_table, n, 0);
#endif
	/* No cache, or more than the cache could ever hold: the ring. */
	if (unlikely(cache == NULL || n > cache->flushthresh)) {
		vfn_ring_enqueue_bulk(mp->ring, obj_table, n, NULL);
		return;
	}
	len = cache->len;
	if (unlikely(len + n > cache->flushthresh)) {
		/* Would cross the threshold: flush everything, keep these. */
		__vfn_mempool_cache_drain(mp, cache);
		len = 0;
	}
	dst = &cache->objs[len];
	cache->len = len + n;
	if (__builtin_constant_p(n) || (!VFN_MEMPOOL_CHUNKED_COPY && n >= 8)) {
		for (i = 0; i < n; i++)
			dst[i] = obj_table[i];
		return;
	}
	__vfn_mempool_copy_fwd(dst, obj_table, n);
}

/** Put @p n objects back through the calling lcore's cache. */
static inline void vfn_mempool_put_bulk(struct vfn_mempool *mp,
					void *const *obj_table, unsigned int n)
{
	vfn_mempool_generic_put(mp, obj_table, n,
				vfn_mempool_default_cache(mp, vfn_lcore_id()));
}

/** Put one object back. */
static inline void vfn_mempool_put(struct vfn_mempool *mp, void *obj)
{
	vfn_mempool_put_bulk(mp, &obj, 1);
}

/**
 * Get @p n objects, all or none, through @p cache (may be NULL).
 * @return 0, or -ENOENT when fewer than @p n objects are free
 */
static inline int vfn_mempool_generic_get(struct vfn_mempool *mp,
					  void **obj_table, unsigned int n,
					  struct vfn_mempool_cache *cache)
{
	void **src;
	unsigned int i, len;

	if (unlikely(cache == NULL || n >= cache->size))
		goto from_ring;
	len = cache->len;
	if (unlikely(len < n)) {
		len = __vfn_mempool_cache_refill(mp, cache, n);
		if (unlikely(len < n))
			goto from_ring; /* short on objects: try exact n */
	}
	/* LIFO: the most recently freed objects are the warmest. */
	src = &cache->objs[len - 1];
	if (VFN_MEMPOOL_CHUNKED_COPY && !__builtin_constant_p(n))
		__vfn_mempool_copy_rev(obj_table, src, n);
	else
		for (i = 0; i < n; i++)
			obj_table[i] = *(src - i);
	cache->len = len - n;
#ifdef VFN_MEMPOOL_DEBUG
	__vfn_mempool_check_cookies(mp, obj_table, n, 1);
#endif
	return 0;

from_ring:
	if (unlikely(!vfn_ring_dequeue_bulk(mp->ring, obj_table, n,
						NULL) && n != 0))
		return -ENOENT;
#ifdef VFN_MEMPOOL_DEBUG
	__vfn_mempool_check_cookies(mp, obj_table, n, 1);
#endif
	return 0;
}

/**
 * Get @p n objects, all or none, through the calling lcore's cache.
 * @return 0, or -ENOENT when fewer than @p n are free
 */
static inline int vfn_mempool_get_bulk(struct vfn_mempool *mp,
				       void **obj_table, unsigned int n)
{
	return vfn_mempool_generic_get(mp, obj_table, n,
			vfn_mempool_default_cache(mp, vfn_lcore_id()));
}

/** Get one object. @return 0, or -ENOENT when the pool is empty */
static inline int vfn_mempool_get(struct vfn_mempool *mp, void **obj_p)
{
	return vfn_mempool_get_bulk(mp, obj_p, 1);
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_MEMPOOL_H */
