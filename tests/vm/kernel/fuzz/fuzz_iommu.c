/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzzer operations on container and group fds: the IOMMU ioctls with
 * structure-aware arguments (MAP_DMA/UNMAP_DMA ranges built around the
 * usable IOVA space and the worker's own memory and mappings, GET_INFO
 * with every argsz around the capability chain) and the group ioctls,
 * including the open/attach/detach/close life cycle.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "fuzz.h"
#include "vfn_tap.h"

#define MAP_MINSZ offsetofend(struct vfio_iommu_type1_dma_map, size)
#define UNMAP_MINSZ offsetofend(struct vfio_iommu_type1_dma_unmap, size)
#define INFO_MINSZ offsetofend(struct vfio_iommu_type1_info, iova_pgsizes)

#ifndef offsetofend
#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))
#endif

/* argsz around @exact: exact mostly, else too small, zero, huge, odd */
static uint32_t fz_argsz(struct fz *z, uint32_t minsz, uint32_t exact)
{
	switch (fz_below(z, 12)) {
	case 0: return 0;
	case 1: return minsz - 1;
	case 2: return minsz;
	case 3: return exact + 1 + fz_below(z, 64);
	case 4: return 1U << (12 + fz_below(z, 4));	/* within our 64 KiB */
	case 5: return (uint32_t)fz_value(z) & 0xffff;
	default: return exact;
	}
}

/*
 * Walk a capability chain the kernel returned in @info (@argsz bytes we
 * offered): every header inside the buffer, offsets strictly increasing,
 * known IDs, and the IOVA-range capability well formed.
 */
void fz_check_info_caps(struct fz *z, void *info, uint32_t argsz,
			uint32_t off, const char *what)
{
	uint32_t prev = 0, hops = 0;

	while (off) {
		struct vfio_info_cap_header *h = (void *)((char *)info + off);

		if (off <= prev || off < 16 ||
		    off + sizeof(*h) > argsz || ++hops > 16) {
			fz_violation(z, "%s: capability at offset %u outside the %u-byte buffer or out of order",
				     what, off, argsz);
			return;
		}
		if (!h->id || h->id > 16) {
			fz_violation(z, "%s: capability id %u at %u", what,
				     h->id, off);
			return;
		}
		prev = off;
		off = h->next;
	}
}

static void fz_iova_caps(struct fz *z, struct vfio_iommu_type1_info *info,
			 uint32_t argsz)
{
	struct vfio_iommu_type1_info_cap_iova_range *r;
	struct vfio_info_cap_header *h;
	uint32_t off = info->cap_offset, hops, i;

	fz_check_info_caps(z, info, argsz, off, "IOMMU GET_INFO");
	for (hops = 0; off && off + sizeof(*r) <= argsz && hops < 16; hops++) {
		h = (void *)((char *)info + off);
		r = (void *)h;
		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE &&
		    off + sizeof(*r) + r->nr_iovas * sizeof(r->iova_ranges[0]) >
		    argsz) {
			fz_violation(z, "IOVA range cap: %u ranges overrun %u bytes",
				     r->nr_iovas, argsz);
			return;
		}
		for (i = 0; h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE &&
			    i < r->nr_iovas; i++) {
			uint64_t s = r->iova_ranges[i].start;
			uint64_t e = r->iova_ranges[i].end;

			if (s > e || (i && s <= r->iova_ranges[i - 1].end))
				fz_violation(z, "IOVA range %u [0x%llx, 0x%llx] malformed or unsorted",
					     i, (unsigned long long)s,
					     (unsigned long long)e);
			/* the widest range (below 2^47) is where maps go */
			else if (s < (1ULL << 47) &&
				 (e < (1ULL << 47) ? e : (1ULL << 47) - 1) - s >
				 z->iova_hi - z->iova_lo)
				z->iova_lo = s, z->iova_hi = e;
		}
		if (h->next <= off)
			break;
		off = h->next;
	}
}

static void fz_get_info(struct fz *z, int fd)
{
	struct vfio_iommu_type1_info *info = (void *)z->buf;
	uint32_t argsz = fz_argsz(z, INFO_MINSZ, 4096);
	void *p = fz_ptr(z, info);
	long ret;

	z->kind = FZ_K_IOMMU_INFO;
	memset(info, 0xee, 4096);
	info->argsz = argsz;
	ret = fz_count(z, ioctl(fd, VFIO_IOMMU_GET_INFO, p));
	if (ret || p != info)
		return;
	if (argsz < INFO_MINSZ) {
		fz_violation(z, "IOMMU GET_INFO with argsz %u succeeded", argsz);
		return;
	}
	if ((info->flags & VFIO_IOMMU_INFO_CAPS) && info->argsz <= argsz &&
	    info->cap_offset)
		fz_iova_caps(z, info, argsz);
}

/* A vaddr for MAP_DMA and how many bytes are backed there */
static uint64_t fz_map_vaddr(struct fz *z, uint64_t *room)
{
	uint64_t pg;

	*room = FZ_PAGE;
	switch (fz_below(z, 16)) {
	case 0:
		if (!z->huge)
			break;
		pg = fz_below(z, FZ_HUGE >> 21);
		*room = FZ_HUGE - (pg << 21);
		return (uintptr_t)z->huge + (pg << 21);
	case 1: return (uintptr_t)z->ro;
	case 2: return (uintptr_t)z->none;
	case 3:
		if (!z->memfd_map)
			break;
		*room = 1 << 16;
		return (uintptr_t)z->memfd_map;
	case 4: {
		struct fz_mmap *m = &z->mm[fz_below(z, FZ_NMMAP)];

		if (!m->addr)	/* a BAR mmap: peer-to-peer DMA */
			break;
		*room = m->len;
		return (uintptr_t)m->addr;
	}
	case 5: return (uintptr_t)z->arena + 1 + fz_below(z, 4095);
	case 6: return fz_value(z);
	case 7: return 0xffffffff81000000ULL;
	default:
		break;
	}
	pg = fz_below(z, FZ_ARENA / FZ_PAGE);
	*room = FZ_ARENA - pg * FZ_PAGE;
	return (uintptr_t)z->arena + pg * FZ_PAGE;
}

static uint64_t fz_map_size(struct fz *z, uint64_t room)
{
	switch (fz_below(z, 12)) {
	case 0: return 0;
	case 1: return room;
	case 2: return 2ULL << 20;
	case 3: return FZ_PAGE * (1 + fz_below(z, 64)) + 1 + fz_below(z, 4095);
	case 4: return fz_value(z);
	case 5: return room + FZ_PAGE;	/* runs off the backed memory */
	default: {
		uint64_t pages = 1 + fz_below(z, 64);

		if (pages * FZ_PAGE > room)
			pages = room / FZ_PAGE ? room / FZ_PAGE : 1;
		return pages * FZ_PAGE;
	}
	}
}

static uint64_t fz_map_iova(struct fz *z, uint64_t size)
{
	struct fz_dma *d = &z->dma[fz_below(z, FZ_NDMA)];
	uint64_t lo = z->iova_hi ? z->iova_lo : 1ULL << 32;

	switch (fz_below(z, 14)) {
	case 0: return 0;
	case 1: return 0xfee00000ULL;	/* the MSI window, reserved */
	case 2: return ~0ULL - size + 1 + FZ_PAGE;	/* wraps */
	case 3: return lo + FZ_PAGE * fz_below(z, 1 << 16) + 1 +
			   fz_below(z, 4095);	/* unaligned */
	case 4: return fz_value(z);
	case 5: return 1ULL << (48 + fz_below(z, 16));	/* past the aperture */
	case 6:
	case 7:
		if (d->cont < 0)
			break;
		/* overlapping or abutting a mapping we made */
		return d->iova + FZ_PAGE * fz_below(z, 8) -
		       FZ_PAGE * fz_below(z, 4);
	default:
		break;
	}
	return (lo + FZ_PAGE * fz_below(z, 1 << 16)) & ~(FZ_PAGE - 1);
}

static int fz_map_must_fail(struct vfio_iommu_type1_dma_map *m)
{
	uint32_t rw = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;

	return m->argsz < MAP_MINSZ || (m->flags & ~rw) || !(m->flags & rw) ||
	       !m->size || ((m->iova | m->vaddr | m->size) & (FZ_PAGE - 1)) ||
	       m->iova + m->size - 1 < m->iova ||
	       m->vaddr + m->size - 1 < m->vaddr;
}

/*
 * Right after a successful map: the same range again, shifted within it,
 * must fail with EEXIST; then keep the mapping, or unmap it exactly.
 */
static void fz_map_again(struct fz *z, int ci,
			 struct vfio_iommu_type1_dma_map *m)
{
	uint64_t shift = FZ_PAGE * fz_below(z, m->size / FZ_PAGE);
	struct vfio_iommu_type1_dma_map again = *m;
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = UNMAP_MINSZ, .iova = m->iova, .size = m->size };
	int fd = z->cont[ci];
	long ret;

	again.iova += shift;
	again.size -= shift;
	ret = fz_count(z, ioctl(fd, VFIO_IOMMU_MAP_DMA, &again));
	/* another thread may have unmapped it meanwhile */
	if ((ret != -1 || errno != EEXIST) && !z->threaded)
		fz_violation(z, "MAP_DMA over a live mapping (iova 0x%llx): %ld errno %d, not EEXIST",
			     (unsigned long long)again.iova, ret, errno);
	if (fz_chance(z, 70))
		fz_dma_add(z, ci, m->iova, m->size);
	else
		fz_count(z, ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &u));
}

static void fz_map(struct fz *z, int ci)
{
	struct vfio_iommu_type1_dma_map *m = (void *)z->buf;
	uint64_t room;
	void *p;
	long ret;

	z->kind = FZ_K_MAP;
	memset(m, 0, sizeof(*m) + 64);
	m->argsz = fz_argsz(z, MAP_MINSZ, sizeof(*m));
	m->flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (fz_chance(z, 15))
		m->flags = fz_chance(z, 50) ? fz_below(z, 4) : fz_value(z);
	m->vaddr = fz_map_vaddr(z, &room);
	m->size = fz_map_size(z, room);
	m->iova = fz_map_iova(z, m->size);
	p = fz_ptr(z, m);
	ret = fz_count(z, ioctl(z->cont[ci], VFIO_IOMMU_MAP_DMA, p));
	if (ret || p != m)
		return;
	if (fz_map_must_fail(m))
		fz_violation(z, "MAP_DMA iova 0x%llx size 0x%llx vaddr 0x%llx flags 0x%x argsz %u succeeded",
			     (unsigned long long)m->iova,
			     (unsigned long long)m->size,
			     (unsigned long long)m->vaddr, m->flags, m->argsz);
	else if (fz_chance(z, 20))
		fz_map_again(z, ci, m);
	else
		fz_dma_add(z, ci, m->iova, m->size);
}

static void fz_unmap(struct fz *z, int ci)
{
	struct vfio_iommu_type1_dma_unmap *u = (void *)z->buf;
	struct fz_dma *d = &z->dma[fz_below(z, FZ_NDMA)];
	uint64_t lo = z->iova_hi ? z->iova_lo : 1ULL << 32;
	void *p;

	z->kind = FZ_K_UNMAP;
	memset(u, 0, sizeof(*u) + 64);
	u->argsz = fz_argsz(z, UNMAP_MINSZ, sizeof(*u));
	switch (fz_below(z, 8)) {
	case 0:		/* everything */
		u->flags = VFIO_DMA_UNMAP_FLAG_ALL;
		if (fz_chance(z, 20))
			u->size = FZ_PAGE;	/* ALL with a range: EINVAL */
		break;
	case 1:		/* a wide range */
		u->iova = lo;
		u->size = 1ULL << (20 + fz_below(z, 20));
		break;
	case 2:		/* cutting a mapping: v2 refuses */
		u->iova = d->iova + FZ_PAGE;
		u->size = d->size > FZ_PAGE ? d->size - FZ_PAGE : FZ_PAGE;
		break;
	case 3:
		u->iova = fz_value(z);
		u->size = fz_value(z);
		u->flags = fz_chance(z, 50) ? fz_value(z) : 0;
		break;
	default:	/* a mapping we made */
		u->iova = d->iova;
		u->size = d->size;
		break;
	}
	p = fz_ptr(z, u);
	if (!fz_count(z, ioctl(z->cont[ci], VFIO_IOMMU_UNMAP_DMA, p)) &&
	    p == u && u->argsz < UNMAP_MINSZ)
		fz_violation(z, "UNMAP_DMA with argsz %u succeeded", u->argsz);
}

/* Any VFIO ioctl number, with a random argument or a buffer of junk */
static void fz_random_ioctl(struct fz *z, int fd)
{
	unsigned long cmd = _IO(VFIO_TYPE, VFIO_BASE + fz_below(z, 32));
	unsigned int i;

	z->kind = FZ_K_RANDOM;
	if (fz_chance(z, 10))
		cmd = fz_value(z) & 0xffffffff;
	for (i = 0; i < 64; i++)
		z->buf[i] = fz_rand(z);
	if (fz_chance(z, 60))
		*(uint32_t *)z->buf = fz_below(z, 256);	/* a plausible argsz */
	fz_count(z, ioctl(fd, cmd, fz_chance(z, 70) ? (unsigned long)z->buf :
						       fz_value(z)));
}

void fz_container_op(struct fz *z)
{
	int ci = fz_below(z, FZ_NCONT), fd = z->cont[ci];

	z->kind = FZ_K_CONTAINER;
	switch (fz_below(z, 20)) {
	case 0:
		fz_count(z, ioctl(fd, VFIO_GET_API_VERSION));
		break;
	case 1:
		fz_count(z, ioctl(fd, VFIO_CHECK_EXTENSION,
				  fz_chance(z, 70) ? fz_below(z, 12) :
						     fz_value(z)));
		break;
	case 2:
		if (!fz_count(z, ioctl(fd, VFIO_SET_IOMMU,
				       fz_chance(z, 80) ? VFIO_TYPE1v2_IOMMU :
							  fz_value(z))))
			z->cont_iommu[ci] = 1;
		break;
	case 3:
		fz_get_info(z, fd);
		break;
	case 4:
		fz_random_ioctl(z, fd);
		break;
	case 5:
		if (fz_chance(z, 97))
			break;
		/* a new container; groups attached keep the old one alive */
		if (fd >= 0)
			close(fd);
		z->cont[ci] = fz_count(z, open(z->env.container_path,
					       O_RDWR | O_CLOEXEC));
		z->cont_iommu[ci] = 0;
		break;
	case 6:
	case 7:
	case 8:
	case 9:
	case 10:
		fz_unmap(z, ci);
		break;
	default:
		fz_map(z, ci);
		break;
	}
}

static void fz_get_device_fd(struct fz *z, struct fz_dev *d)
{
	char *name = (char *)z->buf;
	unsigned int i, n;
	long fd;

	z->kind = FZ_K_DEVICE_FD;
	switch (fz_below(z, 8)) {
	case 0:		/* junk */
		n = fz_below(z, 64);
		for (i = 0; i < n; i++)
			name[i] = 1 + fz_below(z, 255);
		name[n] = 0;
		break;
	case 1:		/* longer than a page, no NUL before the guard */
		memset(z->edge, 'a', FZ_PAGE);
		name = (char *)z->edge;
		break;
	case 2:		/* another group's device */
		strcpy(name, z->dev[fz_below(z, z->ndev)].bdf);
		break;
	case 3:
		name = fz_ptr(z, NULL);
		break;
	default:
		strcpy(name, d->bdf);
		break;
	}
	fd = fz_count(z, ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, name));
	if (fd < 0)
		return;
	if (d->device < 0 && name == (char *)z->buf && !strcmp(name, d->bdf)) {
		d->device = fd;
		fz_device_refresh(z, d);
	} else {
		close(fd);	/* a second fd of the device, or another's */
	}
}

void fz_group_op(struct fz *z, struct fz_dev *d)
{
	struct vfio_group_status *st = (void *)z->buf;
	int ci = fz_below(z, FZ_NCONT), fd;
	char path[256];
	void *p;

	z->kind = FZ_K_GROUP;
	switch (fz_below(z, 40)) {
	case 0:		/* close the device fd (its group's users drop) */
		if (d->device < 0 || fz_chance(z, 50))
			break;
		fz_mmap_drop_all(z);
		fz_count(z, close(d->device));
		d->device = -1;
		break;
	case 1:		/* close the group fd; reopen (EBUSY while held) */
		if (fz_chance(z, 50))
			break;
		if (d->group >= 0)
			fz_count(z, close(d->group));
		snprintf(path, sizeof(path), "%s/%d", z->env.group_dir,
			 d->group_id);
		d->group = fz_count(z, open(path, O_RDWR | O_CLOEXEC));
		break;
	case 2:
	case 3:
		fz_count(z, ioctl(d->group, VFIO_GROUP_UNSET_CONTAINER));
		break;
	case 4:
	case 5:
	case 6:
		fd = fz_chance(z, 85) ? z->cont[ci] : fz_any_fd(z);
		memcpy(z->buf, &fd, sizeof(fd));
		fz_count(z, ioctl(d->group, VFIO_GROUP_SET_CONTAINER,
				  fz_ptr(z, z->buf)));
		break;
	case 7:
	case 8:
	case 9:
	case 10:
		fz_get_device_fd(z, d);
		break;
	case 11:
	case 12:
		fz_random_ioctl(z, d->group);
		break;
	default:
		memset(st, 0xee, 64);
		st->argsz = fz_argsz(z, 8, sizeof(*st));
		p = fz_ptr(z, st);
		if (!fz_count(z, ioctl(d->group, VFIO_GROUP_GET_STATUS, p)) &&
		    p == st && (st->flags & ~(VFIO_GROUP_FLAGS_VIABLE |
					      VFIO_GROUP_FLAGS_CONTAINER_SET)))
			fz_violation(z, "GROUP_GET_STATUS flags 0x%x", st->flags);
		break;
	}
}
