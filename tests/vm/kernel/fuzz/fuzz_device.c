/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzzer operations on device fds: the VFIO_DEVICE_* ioctls (INFO with
 * capability chains, SET_IRQS with random indexes, actions, data types,
 * starts, counts and eventfds, resets, hot reset, features), pread and
 * pwrite at random offsets of every region, a sweep that writes every
 * byte of config space in turn, and mmap/munmap/mremap/fork of BAR
 * mappings, each touched under a SIGBUS guard (a zapped BAR raises it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "fuzz.h"
#include "vfn_tap.h"

#ifndef offsetofend
#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))
#endif

#define CFG VFIO_PCI_CONFIG_REGION_INDEX

/*
 * Device register writes the fuzzer leaves out because they crash QEMU's
 * device model, not the kernel (QEMU 7.2, hw/net/e1000e_core.c): an ITR
 * or EITR throttling timer armed in one interrupt mode and firing in the
 * other aborts QEMU on `!msix_enabled(...)` / `msix_enabled(...)`.
 * ITR can also be written through the I/O BAR's IOADDR/IODATA window,
 * so writes to IODATA are left out too.  Reads are never left out.
 */
struct fz_hole {
	uint16_t vendor, devid;
	unsigned int region;
	uint64_t start, end;	/* [start, end) */
};

static const struct fz_hole fz_holes[] = {
	{ 0x8086, 0x10d3, VFIO_PCI_BAR0_REGION_INDEX, 0xc4, 0xc8 },	/* ITR */
	{ 0x8086, 0x10d3, VFIO_PCI_BAR0_REGION_INDEX, 0xe8, 0xfc },	/* EITR */
	{ 0x8086, 0x10d3, VFIO_PCI_BAR2_REGION_INDEX, 0x4, 0x8 },	/* IODATA */
};

int fz_bar_write_ok(const struct fz_dev *d, unsigned int region, uint64_t off,
		    uint64_t len)
{
	unsigned int i;

	for (i = 0; i < sizeof(fz_holes) / sizeof(fz_holes[0]); i++) {
		const struct fz_hole *h = &fz_holes[i];

		if (h->vendor == d->vendor && h->devid == d->devid &&
		    h->region == region && off < h->end && off + len > h->start)
			return 0;
	}
	return 1;
}

/* Learn the device's regions and interrupt counts (after it is opened). */
void fz_device_refresh(struct fz *z, struct fz_dev *d)
{
	struct vfio_region_info ri;
	struct vfio_irq_info ii;
	unsigned int i;

	for (i = 0; i < FZ_NREGION; i++) {
		memset(&ri, 0, sizeof(ri));
		ri.argsz = sizeof(ri);
		ri.index = i;
		if (d->device >= 0 &&
		    !ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, &ri)) {
			d->rsize[i] = ri.size;
			d->roff[i] = ri.offset;
			d->rflags[i] = ri.flags;
		} else {
			d->rsize[i] = 0;
			d->roff[i] = VENV_REGION_OFF(i);
			d->rflags[i] = 0;
		}
	}
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		memset(&ii, 0, sizeof(ii));
		ii.argsz = sizeof(ii);
		ii.index = i;
		d->nirqs[i] = d->device >= 0 &&
			      !ioctl(d->device, VFIO_DEVICE_GET_IRQ_INFO, &ii) ?
			      ii.count : 0;
	}
	if (d->device >= 0 &&
	    pread(d->device, &d->vendor, 2, d->roff[CFG]) == 2 &&
	    pread(d->device, &d->devid, 2, d->roff[CFG] + 2) == 2)
		return;
	d->vendor = d->devid = 0;
	(void)z;
}

static unsigned int fz_region(struct fz *z)
{
	return fz_chance(z, 90) ? fz_below(z, FZ_NREGION) : fz_value(z);
}

/* An offset in region @r: inside, at its edges, past it, or anything */
static uint64_t fz_region_off(struct fz *z, struct fz_dev *d, unsigned int r,
			      uint64_t len)
{
	uint64_t size = r < FZ_NREGION ? d->rsize[r] : 0;
	uint64_t base = r < FZ_NREGION ? d->roff[r] : VENV_REGION_OFF(r);

	switch (fz_below(z, 10)) {
	case 0: return base + size - (len ? len : 1);	/* the last bytes */
	case 1: return base + size - fz_below(z, 8);	/* across the end */
	case 2: return base + size + fz_below(z, 1 << 16);	/* past it */
	case 3: return fz_value(z);
	default: return base + fz_below(z, size ? size : 4096);
	}
}

static size_t fz_rw_len(struct fz *z)
{
	static const size_t lens[] = { 1, 2, 4, 4, 4, 8, 3, 6 };

	if (fz_chance(z, 80))
		return lens[fz_below(z, 8)];
	return fz_below(z, 1 << 16);	/* <= our 64 KiB buffer */
}

static void fz_region_rw(struct fz *z, struct fz_dev *d)
{
	unsigned int r = fz_region(z);
	size_t len = fz_rw_len(z), i;
	uint64_t off = fz_region_off(z, d, r, len);
	void *p = fz_ptr(z, z->buf);

	z->kind = FZ_K_REGION_RW;
	if (fz_chance(z, 50)) {
		fz_count(z, pread(d->device, p, len, off));
		return;
	}
	for (i = 0; i < len && i < 64; i++)
		z->buf[i] = fz_value(z);
	/* the region is what the offset says, whatever r was */
	if (!fz_bar_write_ok(d, off >> 40, off & ((1ULL << 40) - 1), len)) {
		fz_count(z, pread(d->device, p, len, off));
		return;
	}
	fz_count(z, pwrite(d->device, p, len, off));
}

/* Every byte of config space in turn, with a random width and value. */
static void fz_config_sweep(struct fz *z, struct fz_dev *d)
{
	uint64_t size = d->rsize[CFG] ? d->rsize[CFG] : 256;
	static const size_t widths[] = { 1, 2, 4 };
	size_t w = widths[fz_below(z, 3)];
	uint32_t v = fz_value(z);

	z->kind = FZ_K_CONFIG_SWEEP;
	if (d->cfg_cursor >= size)
		d->cfg_cursor = 0;
	fz_count(z, pwrite(d->device, &v, w, d->roff[CFG] + d->cfg_cursor));
	d->cfg_cursor++;
}

static void fz_set_irqs(struct fz *z, struct fz_dev *d)
{
	struct vfio_irq_set *s = (void *)z->buf;
	static const uint32_t data[] = { VFIO_IRQ_SET_DATA_NONE,
		VFIO_IRQ_SET_DATA_BOOL, VFIO_IRQ_SET_DATA_EVENTFD };
	static const uint32_t action[] = { VFIO_IRQ_SET_ACTION_MASK,
		VFIO_IRQ_SET_ACTION_UNMASK, VFIO_IRQ_SET_ACTION_TRIGGER };
	uint32_t i, n, elem;
	int32_t *fds;

	z->kind = FZ_K_SET_IRQS;
	memset(s, 0, sizeof(*s));
	s->index = fz_chance(z, 95) ? fz_below(z, VFIO_PCI_NUM_IRQS) :
				      fz_value(z);
	n = s->index < VFIO_PCI_NUM_IRQS ? d->nirqs[s->index] : 1;
	s->flags = data[fz_below(z, 3)] | action[fz_below(z, 3)];
	if (fz_chance(z, 60))	/* eventfds for triggers, the common case */
		s->flags = VFIO_IRQ_SET_DATA_EVENTFD |
			   VFIO_IRQ_SET_ACTION_TRIGGER;
	if (fz_chance(z, 5))
		s->flags = fz_value(z);
	s->start = fz_chance(z, 85) ? fz_below(z, n + 1) : fz_value(z);
	switch (fz_below(z, 8)) {
	case 0: s->count = 0; break;	/* with DATA_NONE: disable */
	case 1: s->count = fz_value(z); break;
	case 2: s->count = 1 + fz_below(z, 4096); break;
	default: s->count = n > s->start ? 1 + fz_below(z, n - s->start) : 1;
	}
	elem = s->flags & VFIO_IRQ_SET_DATA_EVENTFD ? 4 :
	       s->flags & VFIO_IRQ_SET_DATA_BOOL ? 1 : 0;
	fds = (int32_t *)s->data;
	for (i = 0; elem && i < s->count && i < 4096; i++) {
		if (elem == 1)
			s->data[i] = fz_below(z, 3);
		else if (fz_chance(z, 80))
			fds[i] = z->efd[fz_below(z, FZ_NEFD)];
		else
			fds[i] = fz_chance(z, 50) ? -1 : fz_any_fd(z);
	}
	s->argsz = sizeof(*s) + (uint64_t)elem * s->count;
	if (fz_chance(z, 10))
		s->argsz = fz_chance(z, 50) ? fz_below(z, sizeof(*s) + 8) :
					      fz_value(z);
	fz_count(z, ioctl(d->device, VFIO_DEVICE_SET_IRQS, fz_ptr(z, s)));
}

static void fz_region_info(struct fz *z, struct fz_dev *d)
{
	struct vfio_region_info *ri = (void *)z->buf;
	uint32_t minsz = offsetofend(struct vfio_region_info, offset);
	uint32_t argsz;
	void *p;

	memset(ri, 0xee, 4096);
	switch (fz_below(z, 6)) {
	case 0: argsz = fz_below(z, minsz); break;
	case 1: argsz = minsz; break;
	case 2: argsz = 4096; break;
	case 3: argsz = fz_value(z) & 0xffff; break;
	default: argsz = minsz + 8 * fz_below(z, 8); break;
	}
	ri->argsz = argsz;
	ri->index = fz_region(z);
	p = fz_ptr(z, ri);
	if (fz_count(z, ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, p)) ||
	    p != ri)
		return;
	if (argsz < minsz)
		fz_violation(z, "GET_REGION_INFO with argsz %u succeeded", argsz);
	else if ((ri->flags & VFIO_REGION_INFO_FLAG_CAPS) &&
		 ri->argsz <= argsz && ri->cap_offset)
		fz_check_info_caps(z, ri, argsz, ri->cap_offset,
				   "GET_REGION_INFO");
}

static void fz_info(struct fz *z, struct fz_dev *d)
{
	struct vfio_device_info *di = (void *)z->buf;
	struct vfio_irq_info *ii = (void *)z->buf;
	void *p;

	z->kind = FZ_K_DEVICE_INFO;
	switch (fz_below(z, 3)) {
	case 0:
		memset(di, 0xee, 256);
		di->argsz = fz_chance(z, 80) ? sizeof(*di) : fz_value(z) & 0xfff;
		p = fz_ptr(z, di);
		if (!fz_count(z, ioctl(d->device, VFIO_DEVICE_GET_INFO, p)) &&
		    p == di && (di->num_regions > 64 || di->num_irqs > 64))
			fz_violation(z, "DEVICE_GET_INFO: %u regions, %u irqs",
				     di->num_regions, di->num_irqs);
		break;
	case 1:
		fz_region_info(z, d);
		break;
	default:
		memset(ii, 0xee, 64);
		ii->argsz = fz_chance(z, 80) ? sizeof(*ii) : fz_value(z) & 0xfff;
		ii->index = fz_chance(z, 90) ? fz_below(z, 8) : fz_value(z);
		fz_count(z, ioctl(d->device, VFIO_DEVICE_GET_IRQ_INFO,
				  fz_ptr(z, ii)));
		break;
	}
}

static void fz_hot_reset(struct fz *z, struct fz_dev *d)
{
	struct vfio_pci_hot_reset *hr = (void *)z->buf;
	struct vfio_pci_hot_reset_info *hi = (void *)z->buf;
	uint32_t i;

	z->kind = FZ_K_RESET;
	if (fz_chance(z, 60)) {
		memset(hi, 0, 64);
		hi->argsz = fz_chance(z, 50) ? sizeof(*hi) :
			    fz_chance(z, 50) ? 4096 : fz_value(z) & 0xffff;
		fz_count(z, ioctl(d->device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				  fz_ptr(z, hi)));
		return;
	}
	memset(hr, 0, sizeof(*hr));
	hr->count = fz_chance(z, 80) ? fz_below(z, 4) : fz_value(z);
	for (i = 0; i < hr->count && i < 64; i++)
		hr->group_fds[i] = fz_chance(z, 60) ?
			z->dev[fz_below(z, z->ndev)].group : fz_any_fd(z);
	hr->argsz = sizeof(*hr) + 4 * (hr->count < 64 ? hr->count : 64);
	if (fz_chance(z, 20))
		hr->argsz = fz_value(z);
	if (fz_chance(z, 10))
		hr->flags = fz_value(z);
	fz_count(z, ioctl(d->device, VFIO_DEVICE_PCI_HOT_RESET, fz_ptr(z, hr)));
}

static void fz_feature(struct fz *z, struct fz_dev *d)
{
	struct vfio_device_feature *f = (void *)z->buf;

	z->kind = FZ_K_FEATURE;
	memset(f, 0, 64);
	f->argsz = fz_chance(z, 70) ? sizeof(*f) + fz_below(z, 32) :
				      fz_value(z);
	f->flags = fz_chance(z, 70) ? (fz_below(z, 16) |
		(uint32_t)(fz_below(z, 8) << 16)) : fz_value(z);
	fz_count(z, ioctl(d->device, VFIO_DEVICE_FEATURE, fz_ptr(z, f)));
}

/* Read (or, less often, write) a byte of a BAR mmap; a zapped one SIGBUSes */
static void fz_touch(struct fz *z, struct fz_mmap *m)
{
	uint64_t at = fz_below(z, m->len);
	volatile uint8_t *p = (uint8_t *)m->addr + at;
	int write = fz_chance(z, 15) &&
		    fz_bar_write_ok(m->dev, m->region, m->off + at, 1);
	uint8_t v = fz_rand(z);

	z->calls++;	/* a page fault into the driver, counted as a call */
	z->kcalls[FZ_K_MMAP]++;
	if (sigsetjmp(fz_touch_jmp, 1)) {
		return;
	}
	fz_touch_armed = 1;
	if (write)
		*p = v;
	else
		v = *p;
	fz_touch_armed = 0;
	(void)v;
}

static void fz_mmap_slot_drop(struct fz_mmap *m)
{
	if (m->addr)
		munmap(m->addr, m->len);
	m->addr = NULL;
	m->len = 0;
}

void fz_mmap_drop_all(struct fz *z)
{
	unsigned int i;

	for (i = 0; i < FZ_NMMAP; i++)
		fz_mmap_slot_drop(&z->mm[i]);
}

/* A child inherits the BAR mmaps and the fds, uses them and exits. */
static void fz_fork(struct fz *z, struct fz_dev *d)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .flags = VFIO_DMA_UNMAP_FLAG_ALL };
	unsigned int i;
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		for (i = 0; i < FZ_NMMAP; i++)
			if (z->mm[i].addr)
				fz_touch(z, &z->mm[i]);
		/* not its address space: UNMAP_DMA must leave them be */
		ioctl(z->cont[0], VFIO_IOMMU_UNMAP_DMA, &u);
		fz_region_rw(z, d);
		_exit(0);
	}
	fz_count(z, pid);
	if (pid > 0)
		waitpid(pid, &status, 0);
}

static void fz_mmap_op(struct fz *z, struct fz_dev *d)
{
	struct fz_mmap *m = &z->mm[fz_below(z, FZ_NMMAP)];
	unsigned int r, pages;
	uint64_t off;
	size_t len;
	void *a;
	int prot, flags;

	z->kind = FZ_K_MMAP;
	switch (fz_below(z, 10)) {
	case 0:		/* unmap a page inside, then the rest: splits the VMA */
		if (!m->addr || m->len <= FZ_PAGE)
			break;
		pages = fz_below(z, m->len / FZ_PAGE);
		fz_count(z, munmap((uint8_t *)m->addr + pages * FZ_PAGE,
				   FZ_PAGE));
		if ((pages + 1) * FZ_PAGE < m->len)
			fz_count(z, munmap((uint8_t *)m->addr +
					   (pages + 1) * FZ_PAGE,
					   m->len - (pages + 1) * FZ_PAGE));
		m->len = pages * FZ_PAGE;	/* the front is left */
		if (!m->len)
			m->addr = NULL;
		return;
	case 1:		/* grow or move: a PFN map refuses or moves whole */
		if (!m->addr)
			break;
		a = mremap(m->addr, m->len, m->len + FZ_PAGE, MREMAP_MAYMOVE);
		fz_count(z, a == MAP_FAILED ? -1 : 0);
		if (a != MAP_FAILED) {
			m->addr = a;
			m->len += FZ_PAGE;
		}
		return;
	case 2:
		if (m->addr) {
			fz_touch(z, m);
			return;
		}
		break;
	case 3:
		if (fz_chance(z, 3)) {
			fz_fork(z, d);
			return;
		}
		break;
	default:
		break;
	}
	fz_mmap_slot_drop(m);
	r = fz_chance(z, 80) ? fz_below(z, VFIO_PCI_ROM_REGION_INDEX + 2) :
			       fz_region(z);
	pages = 1 + fz_below(z, 32);
	len = fz_chance(z, 80) ? pages * FZ_PAGE :
	      fz_chance(z, 50) && r < FZ_NREGION ? d->rsize[r] : fz_value(z);
	off = fz_region_off(z, d, r, len) & ~(FZ_PAGE - 1);
	if (fz_chance(z, 5))
		off |= 1 + fz_below(z, 4095);
	prot = fz_chance(z, 80) ? PROT_READ | PROT_WRITE : fz_below(z, 8);
	flags = fz_chance(z, 90) ? MAP_SHARED : MAP_PRIVATE;
	a = mmap(NULL, len, prot, flags, d->device, off);
	fz_count(z, a == MAP_FAILED ? -1 : 0);
	if (a == MAP_FAILED)
		return;
	m->addr = a;
	m->len = len;
	m->dev = d;
	m->region = off >> 40;
	m->off = off & ((1ULL << 40) - 1);
	if (prot & PROT_READ)
		fz_touch(z, m);
}

void fz_device_op(struct fz *z, struct fz_dev *d)
{
	unsigned int r = fz_below(z, 1000);

	if (d->device < 0) {
		fz_group_op(z, d);	/* it may get the fd back */
		return;
	}
	if (r < 400)
		fz_region_rw(z, d);
	else if (r < 580)
		fz_config_sweep(z, d);
	else if (r < 720)
		fz_set_irqs(z, d);
	else if (r < 800)
		fz_info(z, d);
	else if (r < 900)
		fz_mmap_op(z, d);
	else if (r < 930)
		fz_hot_reset(z, d);
	else if (r < 955)
		fz_feature(z, d);
	else if (r < 995) {
		unsigned long cmd = _IO(VFIO_TYPE, VFIO_BASE + fz_below(z, 32));

		z->kind = FZ_K_RANDOM;
		memset(z->buf, 0, 64);
		*(uint32_t *)z->buf = fz_below(z, 64);
		fz_count(z, ioctl(d->device, fz_chance(z, 90) ? cmd :
				  (unsigned long)fz_value(z), fz_ptr(z, z->buf)));
	} else {
		z->kind = FZ_K_RESET;
		fz_count(z, ioctl(d->device, VFIO_DEVICE_RESET));
	}
}
