/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named memory zones on the EAL heap.  A zone must be IOVA-contiguous (a
 * device gets one base address): in VA mode every allocation is; in PA
 * mode a zone that straddles two hugepages with unrelated physical
 * addresses is retried aligned to its own size (rounded to a power of
 * two, at most the 2 MiB granule), which keeps it inside one page.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "eal_private.h"
#include "vfn_malloc.h"
#include "vfn_memzone.h"

#define MAX_ZONES 1024
#define GRANULE (1ull << EAL_IOVA_GRANULE_SHIFT)

static struct vfn_memzone zones[MAX_ZONES];
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

static bool iova_contig(const void *p, size_t len)
{
	uint64_t first = vfn_mem_virt2iova(p);
	const uint8_t *a = p;

	if (first == VFN_BAD_IOVA)
		return false;
	for (size_t off = GRANULE - ((uintptr_t)a & (GRANULE - 1)); off < len;
	     off += GRANULE)
		if (vfn_mem_virt2iova(a + off) != first + off)
			return false;
	return true;
}

static struct vfn_memzone *find(const char *name)
{
	for (unsigned int i = 0; i < MAX_ZONES; i++)
		if (zones[i].addr && !strcmp(zones[i].name, name))
			return &zones[i];
	return NULL;
}

const struct vfn_memzone *vfn_memzone_reserve_aligned(const char *name,
						      size_t len,
						      int socket_id,
						      unsigned int flags,
						      unsigned int align)
{
	struct vfn_memzone *mz = NULL;
	void *p;

	if (!name || !name[0] || strlen(name) >= VFN_MEMZONE_NAMESIZE ||
	    !len || (align && !vfn_is_power_of_2(align))) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&zone_lock);
	if (find(name)) {
		pthread_mutex_unlock(&zone_lock);
		errno = EEXIST;
		return NULL;
	}
	for (unsigned int i = 0; i < MAX_ZONES && !mz; i++)
		if (!zones[i].addr)
			mz = &zones[i];
	if (!mz) {
		pthread_mutex_unlock(&zone_lock);
		errno = ENOSPC;
		return NULL;
	}
	p = vfn_malloc_socket(name, len, align, socket_id);
	if (p && !iova_contig(p, len)) {
		size_t a = len <= GRANULE ? vfn_align32pow2(len) : 0;

		vfn_free(p);
		p = NULL;
		if (a && a > align)
			p = vfn_malloc_socket(name, len, a, socket_id);
		if (p && !iova_contig(p, len)) {
			vfn_free(p);
			p = NULL;
		}
		if (!p)
			errno = ENOMEM;
	}
	if (!p) {
		pthread_mutex_unlock(&zone_lock);
		return NULL;
	}
	eal_fmt(mz->name, sizeof(mz->name), "%s", name);
	mz->addr = p;
	mz->iova = vfn_mem_virt2iova(p);
	mz->len = len;
	mz->socket_id = socket_id < 0 ? (int)vfn_socket_id() : socket_id;
	mz->flags = flags;
	pthread_mutex_unlock(&zone_lock);
	return mz;
}

const struct vfn_memzone *vfn_memzone_reserve(const char *name, size_t len,
					      int socket_id,
					      unsigned int flags)
{
	return vfn_memzone_reserve_aligned(name, len, socket_id, flags,
					   VFN_CACHE_LINE_SIZE);
}

const struct vfn_memzone *vfn_memzone_lookup(const char *name)
{
	struct vfn_memzone *mz;

	if (!name)
		return NULL;
	pthread_mutex_lock(&zone_lock);
	mz = find(name);
	pthread_mutex_unlock(&zone_lock);
	return mz;
}

int vfn_memzone_free(const struct vfn_memzone *cmz)
{
	struct vfn_memzone *mz = (struct vfn_memzone *)cmz;

	if (!mz || mz < zones || mz >= zones + MAX_ZONES || !mz->addr)
		return -EINVAL;
	pthread_mutex_lock(&zone_lock);
	vfn_free(mz->addr);
	memset(mz, 0, sizeof(*mz));
	pthread_mutex_unlock(&zone_lock);
	return 0;
}

int eal_memzone_reset(void)
{
	pthread_mutex_lock(&zone_lock);
	memset(zones, 0, sizeof(zones));
	pthread_mutex_unlock(&zone_lock);
	return 0;
}
