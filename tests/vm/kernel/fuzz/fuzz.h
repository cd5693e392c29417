/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VFIO ioctl/region fuzzer's shared state (tests/vm/kernel/fuzz).
 *
 * One worker process owns one struct fz: the container, group and device
 * fds it has open, the memory it maps for DMA, the mappings it made, the
 * eventfds it hands to SET_IRQS and its BAR mmaps.  Every operation draws
 * from one seeded generator, so a worker's sequence of calls is fixed by
 * its seed (results may still differ where the kernel's timing does).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

#include "vfio_env.h"

#define FZ_MAX_DEV 4		/* devices under test */
#define FZ_NCONT 2		/* containers a worker juggles */
#define FZ_NEFD 8		/* eventfds handed to SET_IRQS */
#define FZ_NMMAP 16		/* BAR mmaps kept at once */
#define FZ_NDMA 64		/* DMA mappings remembered */
#define FZ_NREGION 9		/* vfio-pci regions: BAR0-5, ROM, config, VGA */
#define FZ_ARENA (8UL << 20)	/* small-page memory for MAP_DMA */
#define FZ_HUGE (4UL << 20)	/* hugepage memory for MAP_DMA, if any */
#define FZ_PAGE 4096UL
#define FZ_MAX_THREADS 4	/* threads of a worker on the same fds */

/* What a call exercised, for the per-kind counts printed at the end */
enum fz_kind {
	FZ_K_CONTAINER,		/* container ioctls other than below */
	FZ_K_IOMMU_INFO,	/* VFIO_IOMMU_GET_INFO */
	FZ_K_MAP,		/* VFIO_IOMMU_MAP_DMA */
	FZ_K_UNMAP,		/* VFIO_IOMMU_UNMAP_DMA */
	FZ_K_GROUP,		/* group ioctls, group/device open and close */
	FZ_K_DEVICE_FD,		/* VFIO_GROUP_GET_DEVICE_FD */
	FZ_K_REGION_RW,		/* pread/pwrite of a region */
	FZ_K_CONFIG_SWEEP,	/* config writes, byte after byte */
	FZ_K_SET_IRQS,		/* VFIO_DEVICE_SET_IRQS */
	FZ_K_DEVICE_INFO,	/* device, region and irq info */
	FZ_K_MMAP,		/* mmap, munmap, mremap, fork, touches */
	FZ_K_RESET,		/* reset, hot reset and its info */
	FZ_K_FEATURE,		/* VFIO_DEVICE_FEATURE */
	FZ_K_RANDOM,		/* any ioctl number */
	FZ_K_MISC,		/* eventfds, arena remaps */
	FZ_K_N
};

extern const char *const fz_kind_names[FZ_K_N];

struct fz_dev {
	const char *bdf;
	int group_id;
	int group;		/* group fd or -1 */
	int device;		/* device fd or -1 */
	int cont;		/* container index the group is set to, or -1 */
	uint64_t rsize[FZ_NREGION];	/* region sizes (0: none) */
	uint64_t roff[FZ_NREGION];	/* region offsets in the fd */
	uint32_t rflags[FZ_NREGION];
	uint32_t nirqs[VFIO_PCI_NUM_IRQS];
	uint32_t cfg_cursor;	/* the config sweep's next byte */
	uint16_t vendor, devid;	/* from config space, for fz_bar_write_ok() */
};

struct fz_dma {
	int cont;		/* -1: slot free */
	uint64_t iova;
	uint64_t size;
};

struct fz_mmap {
	void *addr;		/* NULL: slot free */
	size_t len;
	struct fz_dev *dev;	/* whose region */
	unsigned int region;
	uint64_t off;		/* offset in the region of @addr */
};

struct fz {
	struct venv env;
	uint64_t rng;
	unsigned long calls;	/* syscalls made */
	unsigned long ok;	/* of which succeeded */
	unsigned long violations;	/* results the uAPI forbids */
	enum fz_kind kind;	/* of the operation under way */
	int threaded;		/* other threads share the fds: results racy */
	unsigned long kcalls[FZ_K_N], kok[FZ_K_N];
	int ndev;
	struct fz_dev dev[FZ_MAX_DEV];
	int cont[FZ_NCONT];	/* container fds or -1 */
	int cont_iommu[FZ_NCONT];	/* SET_IOMMU done */
	uint64_t iova_lo, iova_hi;	/* a usable IOVA range (GET_INFO) */
	int efd[FZ_NEFD];
	struct fz_mmap mm[FZ_NMMAP];
	struct fz_dma dma[FZ_NDMA];
	uint8_t *arena;		/* FZ_ARENA read/write */
	uint8_t *huge;		/* FZ_HUGE of 2 MiB pages, or NULL */
	uint8_t *ro;		/* one read-only page */
	uint8_t *none;		/* one PROT_NONE page */
	uint8_t *edge;		/* the page before @none, read/write */
	uint8_t *memfd_map;	/* 64 KiB shared memfd mapping */
	uint8_t *buf;		/* 64 KiB scratch for ioctl arguments */
};

/* Each thread's SIGBUS/SIGSEGV guard around touches of BAR mmaps. */
extern __thread sigjmp_buf fz_touch_jmp;
extern __thread volatile int fz_touch_armed;

/* fuzz.c: the generator and bookkeeping */
uint64_t fz_rand(struct fz *z);
static inline uint64_t fz_below(struct fz *z, uint64_t n)
{
	return n ? fz_rand(z) % n : 0;
}
static inline int fz_chance(struct fz *z, unsigned int percent)
{
	return fz_below(z, 100) < percent;
}
/* An "interesting" 64-bit value: edges, powers of two, random */
uint64_t fz_value(struct fz *z);
/* A user pointer to hand the kernel: mostly @valid, else a bad one */
void *fz_ptr(struct fz *z, void *valid);
/* A random fd: one of ours of any kind, or a bogus number */
int fz_any_fd(struct fz *z);
/* Count one syscall and its result; returns @ret */
long fz_count(struct fz *z, long ret);
/* Record a result the uAPI forbids (printed for the first few) */
void fz_violation(struct fz *z, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fz_dma_add(struct fz *z, int cont, uint64_t iova, uint64_t size);

/* fuzz_iommu.c: container and group fds */
void fz_container_op(struct fz *z);
void fz_group_op(struct fz *z, struct fz_dev *d);
void fz_check_info_caps(struct fz *z, void *info, uint32_t argsz,
			uint32_t cap_offset, const char *what);

/* fuzz_device.c: device fds, regions, interrupts, mmaps */
void fz_device_op(struct fz *z, struct fz_dev *d);
void fz_device_refresh(struct fz *z, struct fz_dev *d);
void fz_mmap_drop_all(struct fz *z);
int fz_bar_write_ok(const struct fz_dev *d, unsigned int region, uint64_t off,
		    uint64_t len);

#endif /* FUZZ_H */
