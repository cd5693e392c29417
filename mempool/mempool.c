/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mempool creation, lookup, counting, iteration and audit.  get/put are
 * inline in vfn_mempool.h.
 *
 * Object layout, one block per object, each block a multiple of a cache
 * line (unless VFN_MEMPOOL_F_NO_CACHE_ALIGN):
 *
 *   | pad | objhdr (mp, iova, cookie) | element ...  | trailer cookie |
 *   ^ block start                     ^ object (cache-line aligned)
 *
 * The IOVA of every object is computed here, once, with
 * vfn_mem_virt2iova(), and stored in its header.  A device DMAs into an
 * object as one IOVA range, so no object may straddle a break in IOVA
 * contiguity (in IOVA-as-PA mode, every hugepage boundary may be one):
 * an object that would is moved to start at the break, and if its chunk
 * of memory runs out, another chunk is allocated.  Objects are therefore
 * found through a table (mp->objs), not by a fixed stride.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mempool.h"

struct pool_entry {
	struct pool_entry *next;
	struct vfn_mempool *mp;
};

static pthread_mutex_t pool_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pool_entry *pool_list;

uint32_t vfn_mempool_calc_obj_size(uint32_t elt_size, unsigned int flags,
				   struct vfn_mempool *sz)
{
	uint32_t align = (flags & VFN_MEMPOOL_F_NO_CACHE_ALIGN) ?
			 sizeof(uint64_t) : VFN_CACHE_LINE_SIZE;
	uint32_t header = (uint32_t)vfn_align_ceil(
		sizeof(struct vfn_mempool_objhdr), align);
	uint32_t elt = (uint32_t)vfn_align_ceil(elt_size, sizeof(uint64_t));
	uint32_t trailer = 0;
	uint32_t total;

#ifdef VFN_MEMPOOL_DEBUG
	trailer = sizeof(uint64_t);
#endif
	/* Pad the trailer so every block, hence every object, is aligned. */
	total = (uint32_t)vfn_align_ceil((uint64_t)header + elt + trailer,
					 align);
	trailer = total - header - elt;
	if (sz) {
		sz->header_size = header;
		sz->elt_size = elt_size;
		sz->trailer_size = trailer;
	}
	return total;
}

static inline uint32_t block_size(const struct vfn_mempool *mp)
{
	return mp->header_size + (uint32_t)vfn_align_ceil(mp->elt_size, 8) +
	       mp->trailer_size;
}

/* Translation used at creation; tests replace it to fake IOVA breaks. */
uint64_t (*__vfn_mempool_virt2iova_hook)(const void *addr) =
	vfn_mem_virt2iova;

static inline uint64_t *trailer_of(const struct vfn_mempool *mp, void *obj)
{
	return (uint64_t *)((char *)obj + vfn_align_ceil(mp->elt_size, 8));
}

static int check_args(const char *name, unsigned int n, unsigned int elt_size,
		      unsigned int cache_size, unsigned int flags)
{
	const unsigned int known = VFN_MEMPOOL_F_NO_CACHE_ALIGN |
				   VFN_MEMPOOL_F_SP_PUT |
				   VFN_MEMPOOL_F_SC_GET |
				   VFN_MEMPOOL_F_NO_IOVA_CONTIG;

	if (!name) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL", "mempool create: NULL name");
		return -1;
	}
	if (strnlen(name, VFN_MEMPOOL_NAMESIZE) >= VFN_MEMPOOL_NAMESIZE) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool name '%s' too long: at most %d characters",
			name, VFN_MEMPOOL_NAMESIZE - 1);
		return -1;
	}
	if (n == 0 || n >= VFN_RING_SZ_MASK) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool %s: %u objects: use 1..%u", name, n,
			VFN_RING_SZ_MASK - 1);
		return -1;
	}
	if (elt_size == 0 || elt_size > UINT32_MAX / 2) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool %s: element size %u: use 1..%u", name,
			elt_size, UINT32_MAX / 2);
		return -1;
	}
	if (cache_size > VFN_MEMPOOL_CACHE_MAX_SIZE) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool %s: cache size %u above the maximum %u",
			name, cache_size, VFN_MEMPOOL_CACHE_MAX_SIZE);
		return -1;
	}
	if (VFN_MEMPOOL_CALC_CACHE_FLUSHTHRESH(cache_size) > n) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool %s: cache size %u too big for %u objects: 1.5 x cache size must be <= the object count",
			name, cache_size, n);
		return -1;
	}
	if (flags & ~known) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool %s: unknown flags 0x%x", name, flags & ~known);
		return -1;
	}
	return 0;
}

static void cache_init(struct vfn_mempool_cache *c, uint32_t size)
{
	c->size = size;
	c->flushthresh = VFN_MEMPOOL_CALC_CACHE_FLUSHTHRESH(size);
	c->len = 0;
}

/*
 * First address in (obj, obj + len) whose IOVA does not continue the
 * object's, checked at every 4 KiB boundary (breaks are page boundaries);
 * NULL if the object is IOVA-contiguous or has no IOVA at all.
 */
static char *iova_break(char *obj, size_t len, uint64_t iova)
{
	uintptr_t b = vfn_align_ceil((uintptr_t)obj + 1, 4096);

	if (iova == VFN_BAD_IOVA)
		return NULL;
	for (; b < (uintptr_t)obj + len; b += 4096)
		if (__vfn_mempool_virt2iova_hook((void *)b) !=
		    iova + (b - (uintptr_t)obj))
			return (char *)b;
	return NULL;
}

/* Add a chunk with room for @n more blocks; 0 or -1 (logged). */
static int add_chunk(struct vfn_mempool *mp, uint32_t n, size_t *len)
{
	size_t sz = (size_t)block_size(mp) * n;
	void *m;

	if (mp->nb_mem_chunks == VFN_MEMPOOL_MAX_CHUNKS) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool %s: memory too fragmented in IOVA (more than %d chunks): use larger hugepages or VFN_MEMPOOL_F_NO_IOVA_CONTIG",
			mp->name, VFN_MEMPOOL_MAX_CHUNKS);
		return -1;
	}
	m = vfn_malloc_socket("mempool objects", sz, VFN_CACHE_LINE_SIZE,
			      mp->socket_id);
	if (!m)
		return -1;
	mp->mem[mp->nb_mem_chunks++] = m;
	mp->mem_size += sz;
	*len = sz;
	return 0;
}

/* Lay out the objects, compute their IOVAs and put them in the ring. */
static int populate(struct vfn_mempool *mp, vfn_mempool_obj_cb_t *obj_init,
		    void *obj_init_arg)
{
	const uint32_t total = block_size(mp);
	const uint32_t elt = (uint32_t)vfn_align_ceil(mp->elt_size, 8);
	const int check = !(mp->flags & VFN_MEMPOOL_F_NO_IOVA_CONTIG);
	size_t off = 0, len = 0;
	uint32_t i;

	for (i = 0; i < mp->size; i++) {
		struct vfn_mempool_objhdr *hdr;
		char *chunk, *obj, *brk;
		uint64_t iova;

		for (;;) {
			if (off + total > len) {
				if (add_chunk(mp, mp->size - i, &len))
					return -1;
				off = 0;
			}
			chunk = mp->mem[mp->nb_mem_chunks - 1];
			obj = chunk + off + mp->header_size;
			iova = __vfn_mempool_virt2iova_hook(obj);
			brk = check ? iova_break(obj, elt, iova) : NULL;
			if (!brk)
				break;
			/* Start the object at the break instead. */
			off = (size_t)(brk - chunk) - mp->header_size;
		}
		off += total;
		hdr = __vfn_mempool_get_header(obj);
		hdr->mp = mp;
		hdr->iova = iova;
		hdr->cookie = VFN_MEMPOOL_HEADER_COOKIE_FREE;
#ifdef VFN_MEMPOOL_DEBUG
		*trailer_of(mp, obj) = VFN_MEMPOOL_TRAILER_COOKIE;
#endif
		mp->objs[i] = obj;
		if (obj_init)
			obj_init(mp, obj_init_arg, obj, i);
		if (vfn_ring_enqueue(mp->ring, obj) < 0)
			return -1; /* cannot happen: the ring holds size */
		mp->populated_size++;
	}
	return 0;
}

static void destroy(struct vfn_mempool *mp)
{
	if (!mp)
		return;
	vfn_ring_free(mp->ring);
	while (mp->nb_mem_chunks)
		vfn_free(mp->mem[--mp->nb_mem_chunks]);
	vfn_free(mp->objs);
	vfn_free(mp->local_cache);
	vfn_free(mp->priv);
	vfn_free(mp);
}

struct vfn_mempool *
vfn_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
		   unsigned int cache_size, unsigned int private_data_size,
		   vfn_mempool_ctor_t *mp_init, void *mp_init_arg,
		   vfn_mempool_obj_cb_t *obj_init, void *obj_init_arg,
		   int socket_id, unsigned int flags)
{
	char ring_name[VFN_RING_NAMESIZE];
	struct vfn_mempool *mp;
	struct pool_entry *e;
	unsigned int ring_flags = VFN_RING_F_EXACT_SZ;
	uint32_t i;

	if (check_args(name, n, elt_size, cache_size, flags)) {
		errno = EINVAL;
		return NULL;
	}
	mp = vfn_zmalloc_socket("mempool", sizeof(*mp), 0, socket_id);
	e = calloc(1, sizeof(*e));
	if (!mp || !e)
		goto nomem;
	strcpy(mp->name, name);
	mp->flags = flags;
	mp->socket_id = socket_id;
	mp->size = n;
	mp->cache_size = cache_size;
	mp->private_data_size = private_data_size;
	vfn_mempool_calc_obj_size(elt_size, flags, mp);

	if (private_data_size) {
		mp->priv = vfn_zmalloc_socket("mempool priv",
					      private_data_size, 0, socket_id);
		if (!mp->priv)
			goto nomem;
	}
	if (cache_size) {
		mp->local_cache = vfn_zmalloc_socket("mempool cache",
			sizeof(struct vfn_mempool_cache) * VFN_MAX_LCORE, 0,
			socket_id);
		if (!mp->local_cache)
			goto nomem;
		for (i = 0; i < VFN_MAX_LCORE; i++)
			cache_init(&mp->local_cache[i], cache_size);
	}

	if (flags & VFN_MEMPOOL_F_SP_PUT)
		ring_flags |= VFN_RING_F_SP_ENQ;
	if (flags & VFN_MEMPOOL_F_SC_GET)
		ring_flags |= VFN_RING_F_SC_DEQ;
	/* "MP_" + up to 25 characters fits VFN_RING_NAMESIZE. */
	snprintf(ring_name, sizeof(ring_name), "MP_%s", name);
	mp->ring = vfn_ring_create(ring_name, n, socket_id, ring_flags);
	if (!mp->ring) {
		if (errno == EEXIST) {
			destroy(mp);
			free(e);
			vfn_log(VFN_LOG_ERR, "MEMPOOL",
				"mempool %s already exists", name);
			errno = EEXIST;
			return NULL;
		}
		goto nomem;
	}

	mp->objs = vfn_malloc_socket("mempool object table",
				     sizeof(void *) * n, 0, socket_id);
	if (!mp->objs)
		goto nomem;

	if (mp_init)
		mp_init(mp, mp_init_arg);
	if (populate(mp, obj_init, obj_init_arg)) {
		if (mp->nb_mem_chunks < VFN_MEMPOOL_MAX_CHUNKS)
			goto nomem;
		destroy(mp);
		free(e);
		errno = ENOMEM;
		return NULL;
	}

	pthread_mutex_lock(&pool_list_lock);
	e->mp = mp;
	e->next = pool_list;
	pool_list = e;
	pthread_mutex_unlock(&pool_list_lock);
	return mp;

nomem:
	vfn_log(VFN_LOG_ERR, "MEMPOOL",
		"mempool %s: out of memory for %u objects of %u bytes on socket %d: reserve more (huge) memory or make the pool smaller",
		name, n, elt_size, socket_id);
	destroy(mp);
	free(e);
	errno = ENOMEM;
	return NULL;
}

void vfn_mempool_free(struct vfn_mempool *mp)
{
	struct pool_entry **pp, *e = NULL;

	if (!mp)
		return;
	pthread_mutex_lock(&pool_list_lock);
	for (pp = &pool_list; *pp; pp = &(*pp)->next) {
		if ((*pp)->mp == mp) {
			e = *pp;
			*pp = e->next;
			break;
		}
	}
	pthread_mutex_unlock(&pool_list_lock);
	free(e);
	destroy(mp);
}

void vfn_mempool_walk(void (*fn)(struct vfn_mempool *mp, void *arg),
		      void *arg)
{
	pthread_mutex_lock(&pool_list_lock);
	for (struct pool_entry *e = pool_list; e; e = e->next)
		fn(e->mp, arg);
	pthread_mutex_unlock(&pool_list_lock);
}

struct vfn_mempool *vfn_mempool_lookup(const char *name)
{
	struct pool_entry *e;
	struct vfn_mempool *mp = NULL;

	if (!name) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&pool_list_lock);
	for (e = pool_list; e; e = e->next) {
		if (!strncmp(e->mp->name, name, VFN_MEMPOOL_NAMESIZE)) {
			mp = e->mp;
			break;
		}
	}
	pthread_mutex_unlock(&pool_list_lock);
	if (!mp)
		errno = ENOENT;
	return mp;
}

uint32_t vfn_mempool_obj_iter(struct vfn_mempool *mp,
			      vfn_mempool_obj_cb_t *obj_cb, void *obj_cb_arg)
{
	uint32_t i;

	for (i = 0; i < mp->populated_size; i++)
		obj_cb(mp, obj_cb_arg, mp->objs[i], i);
	return i;
}

unsigned int vfn_mempool_avail_count(const struct vfn_mempool *mp)
{
	unsigned int count = vfn_ring_count(mp->ring);
	unsigned int i;

	if (mp->local_cache)
		for (i = 0; i < VFN_MAX_LCORE; i++)
			count += mp->local_cache[i].len;
	/* Caches are read without their owners' cooperation: clamp. */
	return count > mp->size ? mp->size : count;
}

unsigned int vfn_mempool_in_use_count(const struct vfn_mempool *mp)
{
	return mp->size - vfn_mempool_avail_count(mp);
}

struct vfn_mempool_cache *vfn_mempool_cache_create(uint32_t size,
						   int socket_id)
{
	struct vfn_mempool_cache *c;

	if (size == 0 || size > VFN_MEMPOOL_CACHE_MAX_SIZE) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"cache size %u: use 1..%u", size,
			VFN_MEMPOOL_CACHE_MAX_SIZE);
		errno = EINVAL;
		return NULL;
	}
	c = vfn_zmalloc_socket("mempool cache", sizeof(*c), 0, socket_id);
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	cache_init(c, size);
	return c;
}

void vfn_mempool_cache_free(struct vfn_mempool_cache *cache)
{
	vfn_free(cache);
}

unsigned int __vfn_mempool_cache_refill(struct vfn_mempool *mp,
					struct vfn_mempool_cache *cache,
					unsigned int n)
{
	uint32_t req = n + (cache->size - cache->len);

	if (vfn_ring_dequeue_bulk(mp->ring, &cache->objs[cache->len], req,
				  NULL))
		cache->len += req;
	return cache->len;
}

void __vfn_mempool_cache_drain(struct vfn_mempool *mp,
			       struct vfn_mempool_cache *cache)
{
	vfn_ring_enqueue_bulk(mp->ring, cache->objs, cache->len, NULL);
	cache->len = 0;
}

void __vfn_mempool_check_cookies(const struct vfn_mempool *mp,
				 void *const *obj_table, unsigned int n,
				 int to_user)
{
	const uint64_t want = to_user ? VFN_MEMPOOL_HEADER_COOKIE_FREE :
					VFN_MEMPOOL_HEADER_COOKIE_USED;
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *obj = obj_table[i];
		struct vfn_mempool_objhdr *hdr;

		if (obj == NULL ||
		    ((uintptr_t)obj & (sizeof(uint64_t) - 1))) {
			vfn_log(VFN_LOG_CRIT, "MEMPOOL",
				"mempool %s: %p is not one of its objects",
				mp->name, obj);
			abort();
		}
		hdr = __vfn_mempool_get_header(obj);
		if (hdr->mp != mp || hdr->cookie != want) {
			vfn_log(VFN_LOG_CRIT, "MEMPOOL",
				"mempool %s: object %p: bad header cookie 0x%llx (%s)",
				mp->name, obj, (unsigned long long)hdr->cookie,
				to_user ? "corrupt free object" :
					  "double free or corruption");
			abort();
		}
		if (*trailer_of(mp, obj) != VFN_MEMPOOL_TRAILER_COOKIE &&
		    mp->trailer_size >= sizeof(uint64_t)) {
			vfn_log(VFN_LOG_CRIT, "MEMPOOL",
				"mempool %s: object %p: trailer overwritten (write past the element)",
				mp->name, obj);
			abort();
		}
		hdr->cookie = to_user ? VFN_MEMPOOL_HEADER_COOKIE_USED :
					VFN_MEMPOOL_HEADER_COOKIE_FREE;
	}
}

int vfn_mempool_audit(struct vfn_mempool *mp)
{
	unsigned int i, sum;
	int bad = 0;

	if (mp->local_cache) {
		for (i = 0; i < VFN_MAX_LCORE; i++) {
			const struct vfn_mempool_cache *c = &mp->local_cache[i];

			if (c->len > VFN_MEMPOOL_CACHE_MAX_SIZE * 2 ||
			    c->size != mp->cache_size) {
				vfn_log(VFN_LOG_ERR, "MEMPOOL",
					"mempool %s: lcore %u cache corrupt (len %u size %u)",
					mp->name, i, c->len, c->size);
				bad = 1;
			}
		}
	}
	sum = vfn_ring_count(mp->ring);
	if (mp->local_cache)
		for (i = 0; i < VFN_MAX_LCORE; i++)
			sum += mp->local_cache[i].len;
	if (sum > mp->size) {
		vfn_log(VFN_LOG_ERR, "MEMPOOL",
			"mempool %s: %u free objects for a size of %u (double free?)",
			mp->name, sum, mp->size);
		bad = 1;
	}
	for (i = 0; i < mp->populated_size; i++) {
		void *obj = mp->objs[i];
		struct vfn_mempool_objhdr *hdr = __vfn_mempool_get_header(obj);

		if (hdr->mp != mp) {
			vfn_log(VFN_LOG_ERR, "MEMPOOL",
				"mempool %s: object %u header overwritten",
				mp->name, i);
			bad = 1;
		}
#ifdef VFN_MEMPOOL_DEBUG
		if ((hdr->cookie != VFN_MEMPOOL_HEADER_COOKIE_FREE &&
		     hdr->cookie != VFN_MEMPOOL_HEADER_COOKIE_USED) ||
		    *trailer_of(mp, obj) != VFN_MEMPOOL_TRAILER_COOKIE) {
			vfn_log(VFN_LOG_ERR, "MEMPOOL",
				"mempool %s: object %u cookie overwritten",
				mp->name, i);
			bad = 1;
		}
#endif
	}
	return bad ? -EFAULT : 0;
}

void vfn_mempool_dump(FILE *f, const struct vfn_mempool *mp)
{
	unsigned int i, cached = 0;

	fprintf(f, "mempool <%s>@%p\n", mp->name, (const void *)mp);
	fprintf(f, "  flags=0x%x socket_id=%d\n", mp->flags, mp->socket_id);
	fprintf(f, "  size=%u populated_size=%u cache_size=%u\n", mp->size,
		mp->populated_size, mp->cache_size);
	fprintf(f, "  header_size=%u elt_size=%u trailer_size=%u total_obj_size=%u\n",
		mp->header_size, mp->elt_size, mp->trailer_size,
		block_size(mp));
	fprintf(f, "  private_data_size=%u mem_chunks=%u mem_size=%zu\n",
		mp->private_data_size, mp->nb_mem_chunks, mp->mem_size);
	if (mp->local_cache) {
		for (i = 0; i < VFN_MAX_LCORE; i++) {
			if (mp->local_cache[i].len)
				fprintf(f, "    cache_count[%u]=%u\n", i,
					mp->local_cache[i].len);
			cached += mp->local_cache[i].len;
		}
	}
	fprintf(f, "  total_cache_count=%u\n", cached);
	fprintf(f, "  common_pool_count=%u\n", vfn_ring_count(mp->ring));
	fprintf(f, "  avail_count=%u in_use_count=%u\n",
		vfn_mempool_avail_count(mp), vfn_mempool_in_use_count(mp));
}
