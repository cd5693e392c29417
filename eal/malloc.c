/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL heap: a boundary-tag allocator over the memory segments, one
 * heap per NUMA node, each behind a mutex (allocation is a set-up-time
 * operation; fast paths use mempools).  Every block starts with a one
 * cache-line header; a block knows its predecessor in address order and
 * finds its successor by its size, so free() merges both neighbours in
 * O(1).  Alignment is obtained by splitting off a free block in front.
 *
 * Before vfn_eal_init() (library unit tests, tools) the same API falls
 * back to the C heap with IOVA = VA; vfn_free() tells the two apart by
 * address (EAL memory is one window).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "eal_private.h"
#include "vfn_lcore.h"
#include "vfn_log.h"
#include "vfn_malloc.h"

#define ELEM_MAGIC 0x7666656cu /* "vfel" */

enum elem_state { ELEM_FREE = 1, ELEM_BUSY = 2 };

struct heap;

struct elem {
	struct elem *prev;       /* previous block of the same segment */
	struct elem *next_free;  /* free list (when free) */
	struct elem *prev_free;
	struct heap *heap;
	const struct eal_memseg *ms;
	size_t size;             /* whole block, header included */
	uint32_t state;
	uint32_t magic;
	uint64_t pad;
} __vfn_cache_aligned;

#define HDR sizeof(struct elem)
#define MIN_ELEM (HDR + VFN_CACHE_LINE_SIZE)

struct heap {
	pthread_mutex_t lock;
	struct elem *free_list;
	size_t total;
	size_t free_bytes;
	unsigned int alloc_count;
};

static struct heap heaps[VFN_MAX_NUMA_NODES] = {
	[0 ... VFN_MAX_NUMA_NODES - 1] = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
	},
};

static void *seg_end(const struct elem *e)
{
	return (uint8_t *)e->ms->addr + e->ms->len;
}

static struct elem *elem_next(const struct elem *e)
{
	struct elem *n = (struct elem *)((uint8_t *)e + e->size);

	return (void *)n < seg_end(e) ? n : NULL;
}

static void free_list_insert(struct heap *h, struct elem *e)
{
	e->state = ELEM_FREE;
	e->prev_free = NULL;
	e->next_free = h->free_list;
	if (h->free_list)
		h->free_list->prev_free = e;
	h->free_list = e;
}

static void free_list_remove(struct heap *h, struct elem *e)
{
	if (e->prev_free)
		e->prev_free->next_free = e->next_free;
	else
		h->free_list = e->next_free;
	if (e->next_free)
		e->next_free->prev_free = e->prev_free;
	e->next_free = e->prev_free = NULL;
}

/* Split @e at @off bytes: @e keeps the front, the new block is returned. */
static struct elem *elem_split(struct elem *e, size_t off)
{
	struct elem *n = (struct elem *)((uint8_t *)e + off);
	struct elem *after = elem_next(e);

	n->prev = e;
	n->heap = e->heap;
	n->ms = e->ms;
	n->size = e->size - off;
	n->magic = ELEM_MAGIC;
	n->next_free = n->prev_free = NULL;
	e->size = off;
	if (after)
		after->prev = n;
	return n;
}

int eal_heap_add(struct eal_memseg *ms)
{
	struct heap *h = &heaps[ms->socket % VFN_MAX_NUMA_NODES];
	struct elem *e = ms->addr;

	memset(e, 0, HDR);
	e->heap = h;
	e->ms = ms;
	e->size = ms->len;
	e->magic = ELEM_MAGIC;
	pthread_mutex_lock(&h->lock);
	free_list_insert(h, e);
	h->total += ms->len;
	h->free_bytes += ms->len;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

void eal_heap_reset(void)
{
	for (unsigned int i = 0; i < VFN_MAX_NUMA_NODES; i++) {
		pthread_mutex_lock(&heaps[i].lock);
		heaps[i].free_list = NULL;
		heaps[i].total = heaps[i].free_bytes = 0;
		heaps[i].alloc_count = 0;
		pthread_mutex_unlock(&heaps[i].lock);
	}
}

/* Data start for @size bytes aligned to @align inside @e, or NULL. */
static uint8_t *fit(struct elem *e, size_t size, size_t align)
{
	uint8_t *start = (uint8_t *)e;
	uint8_t *data = (uint8_t *)vfn_align_ceil((uintptr_t)start + HDR, align);
	size_t gap = data - HDR - start;

	if (gap && gap < MIN_ELEM)
		data = (uint8_t *)vfn_align_ceil((uintptr_t)start + HDR + MIN_ELEM,
						 align);
	if (data + size > start + e->size)
		return NULL;
	return data;
}

static void *heap_alloc(struct heap *h, size_t size, size_t align)
{
	struct elem *e;
	uint8_t *data = NULL;

	size = vfn_align_ceil(size, VFN_CACHE_LINE_SIZE);
	pthread_mutex_lock(&h->lock);
	for (e = h->free_list; e; e = e->next_free) {
		data = fit(e, size, align);
		if (data)
			break;
	}
	if (!e) {
		pthread_mutex_unlock(&h->lock);
		return NULL;
	}
	free_list_remove(h, e);
	if (data - HDR > (uint8_t *)e) {
		/* leading slack stays free */
		struct elem *n = elem_split(e, data - HDR - (uint8_t *)e);

		free_list_insert(h, e);
		e = n;
	}
	if (e->size - HDR - size >= MIN_ELEM) {
		struct elem *tail = elem_split(e, HDR + size);

		free_list_insert(h, tail);
	}
	e->state = ELEM_BUSY;
	h->free_bytes -= e->size;
	h->alloc_count++;
	pthread_mutex_unlock(&h->lock);
	return data;
}

static void heap_free(struct elem *e)
{
	struct heap *h = e->heap;
	struct elem *n, *p;

	pthread_mutex_lock(&h->lock);
	h->free_bytes += e->size;
	h->alloc_count--;
	n = elem_next(e);
	if (n && n->state == ELEM_FREE) {
		struct elem *after;

		free_list_remove(h, n);
		e->size += n->size;
		after = elem_next(e);
		if (after)
			after->prev = e;
		n->magic = 0;
	}
	p = e->prev;
	if (p && p->state == ELEM_FREE) {
		struct elem *after;

		p->size += e->size;
		after = elem_next(p);
		if (after)
			after->prev = p;
		e->magic = 0;
	} else {
		free_list_insert(h, e);
	}
	pthread_mutex_unlock(&h->lock);
}

static void *fallback_alloc(size_t size, size_t align)
{
	void *p;

	if (posix_memalign(&p, align, vfn_align_ceil(size, align))) {
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void *vfn_malloc_socket(const char *type, size_t size, size_t align,
			int socket)
{
	void *p = NULL;
	int s, first;

	(void)type;
	if (!size || (align && !vfn_is_power_of_2(align)) ||
	    socket >= VFN_MAX_NUMA_NODES || socket < VFN_SOCKET_ID_ANY ||
	    size > (1ull << 40)) {
		errno = EINVAL;
		return NULL;
	}
	if (align < VFN_CACHE_LINE_SIZE)
		align = VFN_CACHE_LINE_SIZE;
	if (!vfn_eal_is_initialized())
		return fallback_alloc(size, align);

	first = socket == VFN_SOCKET_ID_ANY ? (int)vfn_socket_id() : socket;
	first %= VFN_MAX_NUMA_NODES;
	p = heap_alloc(&heaps[first], size, align);
	if (!p && eal_mem_grow(size + 2 * MIN_ELEM + align, first))
		p = heap_alloc(&heaps[first], size, align);
	for (s = 0; !p && socket == VFN_SOCKET_ID_ANY &&
	     s < VFN_MAX_NUMA_NODES; s++)
		if (s != first && heaps[s].total)
			p = heap_alloc(&heaps[s], size, align);
	if (!p)
		errno = ENOMEM;
	return p;
}

void *vfn_zmalloc_socket(const char *type, size_t size, size_t align,
			 int socket)
{
	void *p = vfn_malloc_socket(type, size, align, socket);

	if (p)
		memset(p, 0, size);
	return p;
}

void *vfn_zmalloc(const char *type, size_t size, size_t align)
{
	return vfn_zmalloc_socket(type, size, align, VFN_SOCKET_ID_ANY);
}

void *vfn_malloc(const char *type, size_t size, size_t align)
{
	return vfn_malloc_socket(type, size, align, VFN_SOCKET_ID_ANY);
}

void *vfn_calloc(const char *type, size_t num, size_t size, size_t align)
{
	if (size && num > SIZE_MAX / size) {
		errno = EINVAL;
		return NULL;
	}
	return vfn_zmalloc(type, num * size, align);
}

void vfn_free(void *ptr)
{
	struct elem *e;

	if (!ptr)
		return;
	if (!eal_mem_contains(ptr)) {
		free(ptr);
		return;
	}
	e = (struct elem *)((uint8_t *)ptr - HDR);
	if (e->magic != ELEM_MAGIC || e->state != ELEM_BUSY) {
		vfn_log(VFN_LOG_ERR, "EAL", "vfn_free(%p): not an allocated block (double free?)",
			ptr);
		return;
	}
	heap_free(e);
}

int vfn_malloc_get_socket_stats(int socket, struct vfn_malloc_socket_stats *st)
{
	struct heap *h;

	if (socket < 0 || socket >= VFN_MAX_NUMA_NODES || !st)
		return -EINVAL;
	h = &heaps[socket];
	pthread_mutex_lock(&h->lock);
	st->heap_totalsz_bytes = h->total;
	st->heap_freesz_bytes = h->free_bytes;
	st->heap_allocsz_bytes = h->total - h->free_bytes;
	st->alloc_count = h->alloc_count;
	st->free_count = 0;
	for (struct elem *e = h->free_list; e; e = e->next_free)
		st->free_count++;
	pthread_mutex_unlock(&h->lock);
	return 0;
}
