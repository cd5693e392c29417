/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory segments.  All EAL memory lives in one virtual window reserved at
 * start (PROT_NONE, no memory behind it), placed inside the IOVA ranges the
 * IOMMU accepts, so that IOVA = VA is always mappable and "is this EAL
 * memory" is one subtraction.  Segments are appended to the window as they
 * are reserved: hugepage files (one file per segment), memfds with
 * MFD_HUGETLB for --in-memory, or for --no-huge base pages in a sealed
 * memfd (as DPDK, so the memory can be shared with another process; plain
 * anonymous memory where memfds are unavailable).  Each new
 * segment is pre-faulted, locked, mapped for DMA through the registered
 * callbacks (VFIO), and only then given to the heap.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef VFN_HAVE_NUMA
#include <numa.h>
#include <numaif.h>
#endif

#include "eal_private.h"
#include "vfn_log.h"
#include "vfn_memory.h"

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT 26
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* 64 GiB of address space (no memory) unless the IOVA range is smaller. */
#define VA_WINDOW_SIZE (64ull << 30)
#define VA_WINDOW_ALIGN (1ull << 30)

static uint8_t *va_base;
static size_t va_len;
static size_t va_used;
static struct eal_memseg memsegs[EAL_MAX_MEMSEGS];
static unsigned int n_memsegs;
static unsigned int file_seq;

static eal_mem_cb_t mem_cb;
static void *mem_cb_arg;

/* Try to reserve the window at @hint exactly. */
static void *reserve_at(uintptr_t hint, size_t len)
{
	void *p = mmap((void *)hint, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		       MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if ((uintptr_t)p != hint) { /* old kernel ignoring NOREPLACE */
		munmap(p, len);
		return NULL;
	}
	return p;
}

/*
 * --base-virtaddr: the window at the given address (rounded up to the
 * window alignment) when it is free and inside the IOVA range; else a
 * warning and NULL (the address is a hint, as in DPDK).
 */
static uint8_t *base_virtaddr_window(uint64_t iova_lo, uint64_t iova_hi,
				     size_t len)
{
	uint64_t want = vfn_align_ceil(eal_cfg.base_virtaddr, VA_WINDOW_ALIGN);
	uint8_t *p;

	if (!eal_cfg.base_virtaddr)
		return NULL;
	p = want >= iova_lo && want + len - 1 <= iova_hi && want + len > want ?
	    reserve_at((uintptr_t)want, len) : NULL;
	if (!p)
		vfn_log(VFN_LOG_WARNING, "EAL",
			"--base-virtaddr 0x%" PRIx64 ": cannot place %zu MB of EAL memory at 0x%" PRIx64
			" (in use, or outside the IOVA range 0x%" PRIx64 "-0x%" PRIx64 "); using another address",
			(uint64_t)eal_cfg.base_virtaddr, len >> 20, want,
			iova_lo, iova_hi);
	return p;
}

int eal_mem_va_init(uint64_t iova_lo, uint64_t iova_hi)
{
	size_t len = VA_WINDOW_SIZE;
	uint8_t *p;

	if (va_base)
		return 0;
	if (iova_hi - iova_lo + 1 < len + VA_WINDOW_ALIGN)
		len = ((iova_hi - iova_lo + 1) / 2) & ~(VA_WINDOW_ALIGN - 1);
	if (len < VA_WINDOW_ALIGN) {
		eal_error("the IOMMU's IOVA range 0x%" PRIx64 "-0x%" PRIx64
			  " is too small for EAL memory", iova_lo, iova_hi);
		return -1;
	}
	p = base_virtaddr_window(iova_lo, iova_hi, len);
	if (p)
		goto reserved;
	/* let the kernel choose, then check against the IOVA range */
	p = mmap(NULL, len + VA_WINDOW_ALIGN, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p != MAP_FAILED) {
		uint8_t *a = (uint8_t *)vfn_align_ceil((uintptr_t)p,
						      VA_WINDOW_ALIGN);

		if (a > p)
			munmap(p, a - p);
		munmap(a + len, (p + len + VA_WINDOW_ALIGN) - (a + len));
		p = a;
		if ((uintptr_t)p < iova_lo || (uintptr_t)p + len - 1 > iova_hi) {
			munmap(p, len);
			p = NULL;
		}
	} else {
		p = NULL;
	}
	/* outside the range (a small IOMMU address width): go below its top */
	for (uint64_t top = (iova_hi + 1) & ~(VA_WINDOW_ALIGN - 1);
	     !p && top >= iova_lo + len && top > len; top -= len)
		p = reserve_at(top - len, len);
	if (!p) {
		eal_error("cannot reserve %zu MB of address space inside the IOVA range 0x%" PRIx64 "-0x%" PRIx64,
			  len >> 20, iova_lo, iova_hi);
		return -1;
	}
reserved:
	va_base = p;
	va_len = len;
	va_used = 0;
	if (eal_iova_table_init(va_base, va_len)) {
		munmap(va_base, va_len);
		va_base = NULL;
		eal_error("out of memory for the IOVA table");
		return -1;
	}
	return 0;
}

bool eal_mem_contains(const void *p)
{
	return (uintptr_t)p - (uintptr_t)va_base < va_used;
}

unsigned int eal_memseg_count(void)
{
	return n_memsegs;
}

struct eal_memseg *eal_memseg_get(unsigned int i)
{
	return i < n_memsegs ? &memsegs[i] : NULL;
}

int eal_mem_cb_register(eal_mem_cb_t cb, void *arg)
{
	mem_cb = cb;
	mem_cb_arg = arg;
	return 0;
}

void eal_mem_cb_unregister(void)
{
	mem_cb = NULL;
	mem_cb_arg = NULL;
}

static int open_huge_fd(struct eal_memseg *ms, uint64_t page_sz)
{
	const struct eal_config *cfg = &eal_cfg;

	if (cfg->in_memory) {
		char name[96];
		unsigned int shift = __builtin_ctzll(page_sz);

		eal_fmt(name, sizeof(name), "%smap_%u", cfg->file_prefix,
			 file_seq++);
		ms->fd = (int)syscall(SYS_memfd_create, name,
				      MFD_HUGETLB | MFD_CLOEXEC |
				      MFD_ALLOW_SEALING |
				      (shift << MFD_HUGE_SHIFT));
		if (ms->fd < 0) {
			eal_error("memfd_create(MFD_HUGETLB, %" PRIu64
				  " kB pages) failed: %s", page_sz >> 10,
				  strerror(errno));
			return -1;
		}
		return 0;
	}
	eal_fmt(ms->path, sizeof(ms->path), "%s/%smap_%u",
		 eal_mem_huge_mount(page_sz), cfg->file_prefix, file_seq++);
	ms->fd = open(ms->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (ms->fd < 0) {
		eal_error("cannot create hugepage file %s: %s", ms->path,
			  strerror(errno));
		ms->path[0] = '\0';
		return -1;
	}
	if (flock(ms->fd, LOCK_SH)) {
		eal_error("cannot lock hugepage file %s: %s", ms->path,
			  strerror(errno));
		return -1;
	}
	return 0;
}

/* Place the pages of [@addr, @addr + @len) on NUMA node @socket. */
static void numa_bind_range(void *addr, size_t len, int socket)
{
#ifdef VFN_HAVE_NUMA
	unsigned long mask;

	if (socket < 0 || numa_available() < 0 || numa_max_node() == 0)
		return;
	mask = 1ul << socket;
	if (mbind(addr, len, MPOL_BIND, &mask, sizeof(mask) * 8, 0))
		vfn_log(VFN_LOG_WARNING, "EAL", "mbind to node %d: %s", socket,
			strerror(errno));
#else
	(void)addr;
	(void)len;
	(void)socket;
#endif
}

/* Undo a memseg's mapping and file; keeps errno (a failure path's). */
static void memseg_unmap(struct eal_memseg *ms)
{
	int err = errno;

	/* give the address range back to the window (PROT_NONE again) */
	mmap(ms->addr, ms->len, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	if (ms->fd >= 0)
		close(ms->fd);
	if (ms->path[0] && eal_cfg.huge_unlink != EAL_HUGE_UNLINK_NEVER)
		unlink(ms->path);
	ms->fd = -1;
	ms->path[0] = '\0';
	errno = err;
}

/*
 * A memfd for --no-huge memory, as DPDK 22.11 makes one: the memory then
 * has a file that can be shared (net_memif zero-copy).  Sealed at its
 * size: a process it is passed to can trust it not to shrink under its
 * mappings.  -1 when memfds are unavailable (anonymous memory then).
 */
static int nohuge_memfd(size_t len)
{
	char name[96];
	int fd;

	eal_fmt(name, sizeof(name), "%snohuge_%u", eal_cfg.file_prefix,
		file_seq++);
	fd = (int)syscall(SYS_memfd_create, name,
			  MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)len) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Back @ms with base pages, faulted in: a memfd when possible, else
 * anonymous memory.  0, or -1 with errno set.
 */
static int memseg_map_anon(struct eal_memseg *ms)
{
	void *p;

	ms->fd = nohuge_memfd(ms->len);
	if (ms->fd >= 0)
		p = mmap(ms->addr, ms->len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, ms->fd, 0);
	else
		p = mmap(ms->addr, ms->len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED ||
	    eal_populate(p, ms->len, 1ull << EAL_IOVA_GRANULE_SHIFT,
			 eal_process_cpus())) {
		eal_error("cannot allocate %zu MB of anonymous memory: %s",
			  ms->len >> 20, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Back @ms with a hugepage file of @ms->page_sz pages placed on NUMA node
 * @socket (-1: anywhere), faulted in and locked: 0, or -1 with errno set.
 */
static int memseg_map_huge(struct eal_memseg *ms, int socket)
{
	uint64_t page_sz = ms->page_sz;
	void *p;

	if (open_huge_fd(ms, page_sz))
		return -1;
	/* a shared hugetlbfs mapping reserves its pages here, or fails */
	if (ftruncate(ms->fd, ms->len)) {
		eal_error("cannot size hugepage file: %s", strerror(errno));
		return -1;
	}
	/* A memfd keeps its size for whoever it is shared with (memif). */
	if (!ms->path[0])
		(void)fcntl(ms->fd, F_ADD_SEALS,
			    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	p = mmap(ms->addr, ms->len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, ms->fd, 0);
	if (p == MAP_FAILED) {
		eal_error("cannot reserve %zu MB of %" PRIu64 " kB hugepages: %s",
			  ms->len >> 20, page_sz >> 10, strerror(errno));
		return -1;
	}
	if (eal_cfg.huge_unlink == EAL_HUGE_UNLINK_ALWAYS && ms->path[0]) {
		/* --huge-unlink: no file left behind, even on a crash */
		unlink(ms->path);
		ms->path[0] = '\0';
	}
	numa_bind_range(p, ms->len, socket);
	if (eal_populate(p, ms->len, page_sz, eal_process_cpus())) {
		eal_error("cannot fault in %zu MB of %" PRIu64
			  " kB hugepages on node %d: %s", ms->len >> 20,
			  page_sz >> 10, socket, strerror(errno));
		return -1;
	}
	if (mlock(p, ms->len))
		vfn_log(VFN_LOG_DEBUG, "EAL", "mlock: %s", strerror(errno));
	return 0;
}

struct eal_memseg *eal_mem_add(size_t len, int socket, uint64_t page_sz)
{
	uint64_t align = page_sz ? page_sz : (1ull << EAL_IOVA_GRANULE_SHIFT);
	struct eal_memseg *ms;
	size_t off;

	if (!va_base) {
		eal_error("EAL memory is not initialised");
		errno = EINVAL;
		return NULL;
	}
	if (n_memsegs == EAL_MAX_MEMSEGS) {
		eal_error("too many memory segments (%d): the EAL heap grew in %d pieces; reserve the memory at start-up with -m or --socket-mem (MB) so that it comes in few large segments",
			  EAL_MAX_MEMSEGS, EAL_MAX_MEMSEGS);
		errno = ENOSPC;
		return NULL;
	}
	len = vfn_align_ceil(len, align);
	off = vfn_align_ceil(va_used, align);
	if (!len || off + len > va_len || off + len < off) {
		eal_error("EAL address window full: %zu MB asked, %zu of its %zu MB in use (the window is at most 64 GiB, and half the IOMMU's IOVA range when that is smaller); ask for less memory (-m, --socket-mem, smaller pools) or free what is unused",
			  (size_t)(len >> 20), va_used >> 20, va_len >> 20);
		errno = ENOMEM;
		return NULL;
	}
	ms = &memsegs[n_memsegs];
	memset(ms, 0, sizeof(*ms));
	ms->fd = -1;
	ms->addr = va_base + off;
	ms->len = len;
	ms->page_sz = page_sz ? page_sz : (uint64_t)sysconf(_SC_PAGESIZE);
	ms->socket = socket < 0 ? 0 : socket;

	if (page_sz ? memseg_map_huge(ms, socket) : memseg_map_anon(ms))
		goto fail;
	if (eal_iova_table_set(ms)) {
		eal_error("cannot find the physical address of hugepages (needs root for --iova-mode pa)");
		errno = EPERM;
		goto fail;
	}
	n_memsegs++;
	if (va_used < off + len)
		va_used = off + len;
	if (mem_cb && mem_cb(ms, mem_cb_arg)) {
		n_memsegs--;
		va_used = off;
		eal_iova_table_clear(ms);
		memseg_unmap(ms);
		return NULL;
	}
	if (eal_heap_add(ms)) {
		eal_error("cannot add a memory segment to the heap");
		errno = ENOMEM;
		return NULL;
	}
	vfn_log(VFN_LOG_DEBUG, "EAL",
		"memseg %u: %zu MB at %p, %" PRIu64 " kB pages, node %d",
		n_memsegs - 1, len >> 20, ms->addr, ms->page_sz >> 10,
		ms->socket);
	return ms;
fail:
	memseg_unmap(ms);
	if (!errno)
		errno = ENOMEM;
	return NULL;
}

void eal_mem_unlink_files(void)
{
	for (unsigned int i = 0; i < n_memsegs; i++)
		if (memsegs[i].path[0])
			unlink(memsegs[i].path);
}

void eal_mem_release(void)
{
	for (unsigned int i = 0; i < n_memsegs; i++)
		memseg_unmap(&memsegs[i]);
	n_memsegs = 0;
	if (va_base)
		munmap(va_base, va_len);
	va_base = NULL;
	va_len = 0;
	va_used = 0;
	file_seq = 0;
	eal_iova_table_free();
}

int vfn_memseg_walk(vfn_memseg_walk_t func, void *arg)
{
	unsigned int n = __atomic_load_n(&n_memsegs, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++) {
		const struct eal_memseg *m = &memsegs[i];
		struct vfn_memseg ms = {
			.addr = m->addr, .iova = m->iova, .len = m->len,
			.hugepage_sz = m->page_sz, .socket_id = m->socket,
		};
		int ret = func(&ms, arg);

		if (ret)
			return ret;
	}
	return 0;
}

int vfn_memseg_get_fd(const struct vfn_memseg *ms)
{
	unsigned int n = __atomic_load_n(&n_memsegs, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++)
		if (memsegs[i].addr == ms->addr)
			return memsegs[i].fd >= 0 ? memsegs[i].fd : -ENOTSUP;
	return -ENOENT;
}

uint64_t vfn_eal_memory_total(void)
{
	uint64_t t = 0;

	for (unsigned int i = 0; i < n_memsegs; i++)
		t += memsegs[i].len;
	return t;
}
