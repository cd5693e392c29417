/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ring creation, naming and lookup.  The fast path is inline in the
 * headers; this file only sizes, initialises, registers and frees rings.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_ring.h"

/* Named rings for vfn_ring_lookup(); few, so a locked list is enough. */
struct ring_entry {
	struct ring_entry *next;
	struct vfn_ring *r;
};

static pthread_mutex_t ring_list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ring_entry *ring_list;

/* Slot count for @count entries, or 0 if @count is not valid. */
static uint32_t ring_slots(unsigned int esize, unsigned int count,
			   unsigned int flags)
{
	if (esize == 0 || esize % 4) {
		vfn_log(VFN_LOG_ERR, "RING",
			"element size %u is not a non-zero multiple of 4 bytes",
			esize);
		return 0;
	}
	if (flags & VFN_RING_F_EXACT_SZ) {
		if (count == 0 || count >= VFN_RING_SZ_MASK) {
			vfn_log(VFN_LOG_ERR, "RING",
				"count %u out of range: use 1..%u", count,
				VFN_RING_SZ_MASK - 1);
			return 0;
		}
		return vfn_align32pow2(count + 1);
	}
	if (!vfn_is_power_of_2(count) || count < 2 ||
	    count > VFN_RING_SZ_MASK) {
		vfn_log(VFN_LOG_ERR, "RING",
			"count %u is not a power of two in 2..%u: pass a power of two, or VFN_RING_F_EXACT_SZ for any count",
			count, VFN_RING_SZ_MASK);
		return 0;
	}
	return count;
}

ssize_t vfn_ring_get_memsize_elem(unsigned int esize, unsigned int count,
				  unsigned int flags)
{
	uint32_t slots = ring_slots(esize, count, flags);

	if (!slots)
		return -EINVAL;
	return (ssize_t)vfn_align_ceil(sizeof(struct vfn_ring) +
				       (uint64_t)slots * esize,
				       VFN_CACHE_LINE_SIZE);
}

ssize_t vfn_ring_get_memsize(unsigned int count)
{
	return vfn_ring_get_memsize_elem(sizeof(void *), count, 0);
}

int vfn_ring_init_elem(struct vfn_ring *r, const char *name,
		       unsigned int esize, unsigned int count,
		       unsigned int flags)
{
	const unsigned int known = VFN_RING_F_SP_ENQ | VFN_RING_F_SC_DEQ |
				   VFN_RING_F_EXACT_SZ;
	uint32_t slots;

	if (!r || !name) {
		vfn_log(VFN_LOG_ERR, "RING", "ring init: NULL ring or name");
		return -EINVAL;
	}
	if ((uintptr_t)r % VFN_CACHE_LINE_SIZE) {
		vfn_log(VFN_LOG_ERR, "RING",
			"ring %s: memory %p is not cache-line aligned", name,
			(void *)r);
		return -EINVAL;
	}
	if (flags & ~known) {
		vfn_log(VFN_LOG_ERR, "RING", "ring %s: unknown flags 0x%x",
			name, flags & ~known);
		return -EINVAL;
	}
	if (strnlen(name, VFN_RING_NAMESIZE) >= VFN_RING_NAMESIZE) {
		vfn_log(VFN_LOG_ERR, "RING",
			"ring name '%s' too long: at most %d characters", name,
			VFN_RING_NAMESIZE - 1);
		return -EINVAL;
	}
	slots = ring_slots(esize, count, flags);
	if (!slots)
		return -EINVAL;

	memset(r, 0, sizeof(*r));
	strcpy(r->name, name);
	r->flags = (int)flags;
	r->size = slots;
	r->mask = slots - 1;
	r->capacity = (flags & VFN_RING_F_EXACT_SZ) ? count : slots - 1;
	r->esize = esize;
	r->prod.sync = (flags & VFN_RING_F_SP_ENQ) ? VFN_RING_SYNC_ST :
						     VFN_RING_SYNC_MT;
	r->cons.sync = (flags & VFN_RING_F_SC_DEQ) ? VFN_RING_SYNC_ST :
						     VFN_RING_SYNC_MT;
	__vfn_ring_reset_at(r, 0);
	return 0;
}

int vfn_ring_init(struct vfn_ring *r, const char *name, unsigned int count,
		  unsigned int flags)
{
	return vfn_ring_init_elem(r, name, sizeof(void *), count, flags);
}

static struct vfn_ring *lookup_locked(const char *name)
{
	struct ring_entry *e;

	for (e = ring_list; e; e = e->next)
		if (!strncmp(e->r->name, name, VFN_RING_NAMESIZE))
			return e->r;
	return NULL;
}

struct vfn_ring *vfn_ring_create_elem(const char *name, unsigned int esize,
				      unsigned int count, int socket_id,
				      unsigned int flags)
{
	struct ring_entry *e;
	struct vfn_ring *r;
	ssize_t sz;

	if (!name) {
		vfn_log(VFN_LOG_ERR, "RING", "ring create: NULL name");
		errno = EINVAL;
		return NULL;
	}
	sz = vfn_ring_get_memsize_elem(esize, count, flags);
	if (sz < 0) {
		vfn_log(VFN_LOG_ERR, "RING", "cannot create ring %s", name);
		errno = EINVAL;
		return NULL;
	}
	e = malloc(sizeof(*e));
	r = vfn_zmalloc_socket("ring", (size_t)sz, VFN_CACHE_LINE_SIZE,
			       socket_id);
	if (!e || !r) {
		vfn_log(VFN_LOG_ERR, "RING",
			"ring %s: no memory for %zd bytes on socket %d", name,
			sz, socket_id);
		free(e);
		vfn_free(r);
		errno = ENOMEM;
		return NULL;
	}
	if (vfn_ring_init_elem(r, name, esize, count, flags)) {
		free(e);
		vfn_free(r);
		errno = EINVAL;
		return NULL;
	}
	r->allocated = 1;

	pthread_mutex_lock(&ring_list_lock);
	if (lookup_locked(name)) {
		pthread_mutex_unlock(&ring_list_lock);
		vfn_log(VFN_LOG_ERR, "RING",
			"ring %s already exists: pick another name or free it",
			name);
		free(e);
		vfn_free(r);
		errno = EEXIST;
		return NULL;
	}
	e->r = r;
	e->next = ring_list;
	ring_list = e;
	pthread_mutex_unlock(&ring_list_lock);
	return r;
}

struct vfn_ring *vfn_ring_create(const char *name, unsigned int count,
				 int socket_id, unsigned int flags)
{
	return vfn_ring_create_elem(name, sizeof(void *), count, socket_id,
				    flags);
}

void vfn_ring_free(struct vfn_ring *r)
{
	struct ring_entry **pp, *e = NULL;

	if (!r)
		return;
	if (!r->allocated) {
		vfn_log(VFN_LOG_ERR, "RING",
			"ring %s was initialised in caller memory: free that memory instead",
			r->name);
		return;
	}
	pthread_mutex_lock(&ring_list_lock);
	for (pp = &ring_list; *pp; pp = &(*pp)->next) {
		if ((*pp)->r == r) {
			e = *pp;
			*pp = e->next;
			break;
		}
	}
	pthread_mutex_unlock(&ring_list_lock);
	free(e);
	vfn_free(r);
}

struct vfn_ring *vfn_ring_lookup(const char *name)
{
	struct vfn_ring *r;

	if (!name) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&ring_list_lock);
	r = lookup_locked(name);
	pthread_mutex_unlock(&ring_list_lock);
	if (!r)
		errno = ENOENT;
	return r;
}

void __vfn_ring_reset_at(struct vfn_ring *r, uint32_t index)
{
	atomic_store_explicit(&r->prod.head, index, memory_order_relaxed);
	atomic_store_explicit(&r->prod.tail, index, memory_order_relaxed);
	atomic_store_explicit(&r->cons.head, index, memory_order_relaxed);
	atomic_store_explicit(&r->prod.peer_tail, index, memory_order_relaxed);
	atomic_store_explicit(&r->cons.peer_tail, index, memory_order_relaxed);
	/* Release: whoever acquires cons.tail next sees the whole reset. */
	atomic_store_explicit(&r->cons.tail, index, memory_order_release);
}

void vfn_ring_reset(struct vfn_ring *r)
{
	__vfn_ring_reset_at(r, 0);
}

void vfn_ring_dump(FILE *f, const struct vfn_ring *r)
{
	fprintf(f, "ring <%s>@%p\n", r->name, (const void *)r);
	fprintf(f, "  flags=0x%x esize=%u\n", r->flags, r->esize);
	fprintf(f, "  size=%u capacity=%u\n", r->size, r->capacity);
	fprintf(f, "  prod: %s head=%u tail=%u\n",
		r->prod.sync == VFN_RING_SYNC_ST ? "SP" : "MP",
		atomic_load_explicit(&r->prod.head, memory_order_relaxed),
		atomic_load_explicit(&r->prod.tail, memory_order_relaxed));
	fprintf(f, "  cons: %s head=%u tail=%u\n",
		r->cons.sync == VFN_RING_SYNC_ST ? "SC" : "MC",
		atomic_load_explicit(&r->cons.head, memory_order_relaxed),
		atomic_load_explicit(&r->cons.tail, memory_order_relaxed));
	fprintf(f, "  used=%u avail=%u\n", vfn_ring_count(r),
		vfn_ring_free_count(r));
}
