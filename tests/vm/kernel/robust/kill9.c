/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kill -9 in the middle of work: children open the device and loop over
 * MAP_DMA/UNMAP_DMA, SET_IRQS, or BAR mmap/touch/munmap (or all three),
 * and each is SIGKILLed after a random delay, wherever it is: opening,
 * pinning, inside an ioctl.  After every round is reaped, vfnet's debugfs
 * totals must be zero (no container, mapping, pin, locked_vm charge or
 * IOMMU mapping left), and at the end /proc/vmstat's FOLL_PIN pages
 * acquired must equal those released.  The random delays follow --seed.
 *
 * Children run on every device given at once (one per device per round),
 * which overlaps the reset sleeps of their opens and closes.
 *
 * usage: kill9 [--children N] [--seed S] BDF...
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "vfio_env.h"
#include "vfn_tap.h"

#define ARENA (4UL << 20)
#define IOVA_BASE 0x100000000ULL

enum mode { M_DMA, M_IRQ, M_MMAP, M_ALL, M_N };
static const char *const mode_names[M_N] = { "dma", "irqs", "mmap", "all" };

/* Shared with the children: how far each got, to show kills landed mid-work */
struct progress {
	volatile unsigned long ops;
	volatile int opened;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void work_dma(int container, uint8_t *arena, uint64_t r)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u) };
	uint64_t pages = 1 + r % (ARENA / 4096);

	m.vaddr = (uintptr_t)arena;
	m.size = pages * 4096;
	m.iova = IOVA_BASE + ((r >> 20) % 64) * ARENA;
	ioctl(container, VFIO_IOMMU_MAP_DMA, &m);
	if (r & 1) {	/* sometimes leave it for the kill to find */
		u.iova = m.iova;
		u.size = m.size;
		ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u);
	}
	if (!(r & 0x1e)) {
		u.flags = VFIO_DMA_UNMAP_FLAG_ALL;
		u.iova = u.size = 0;
		ioctl(container, VFIO_IOMMU_UNMAP_DMA, &u);
	}
}

static void work_irq(int device, const int *efd, uint64_t r)
{
	struct {
		struct vfio_irq_set s;
		int32_t fds[4];
	} a;
	unsigned int i, n = 1 + r % 4;
	uint32_t index = (r >> 8) % 3 == 0 ? VFIO_PCI_INTX_IRQ_INDEX :
			 (r >> 8) % 3 == 1 ? VFIO_PCI_MSIX_IRQ_INDEX :
					     VFIO_PCI_REQ_IRQ_INDEX;

	if (index != VFIO_PCI_MSIX_IRQ_INDEX)
		n = 1;
	memset(&a, 0, sizeof(a));
	a.s.argsz = sizeof(a.s) + 4 * n;
	a.s.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	a.s.index = index;
	a.s.count = n;
	for (i = 0; i < n; i++)
		a.fds[i] = efd[i];
	ioctl(device, VFIO_DEVICE_SET_IRQS, &a);
	/* loopback: fire them */
	a.s.argsz = sizeof(a.s);
	a.s.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	ioctl(device, VFIO_DEVICE_SET_IRQS, &a);
	if (r & 0x10) {	/* and off again, or left on for the kill */
		a.s.count = 0;
		ioctl(device, VFIO_DEVICE_SET_IRQS, &a);
	}
}

static void work_mmap(int device, uint64_t bar_off, uint64_t bar_size,
		      uint64_t r)
{
	size_t len = bar_size < 16 * 4096 ? bar_size : 16 * 4096;
	volatile uint32_t *p;
	uint32_t v;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, device,
		 bar_off);
	if (p == MAP_FAILED)
		return;
	v = p[(r % len) / 4];	/* fault it in */
	(void)v;
	if (r & 2)	/* leave some mapped for the kill */
		munmap((void *)p, len);
}

static void child(const struct venv *e, const char *bdf, enum mode mode,
		  struct progress *pg, uint64_t seed)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = 0 };
	struct vdev_fds f;
	uint8_t *arena;
	int efd[4], i;

	rng_state = seed ? seed : 1;
	arena = mmap(NULL, ARENA, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < 4; i++)
		efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vdev_open_fds(e, bdf, mode == M_DMA, &f))
		_exit(3);
	if (f.device >= 0)
		ioctl(f.device, VFIO_DEVICE_GET_REGION_INFO, &ri);
	pg->opened = 1;
	for (;;) {
		uint64_t r = rnd();
		enum mode m = mode == M_ALL ? (enum mode)(r % 3) : mode;

		if (m == M_DMA)
			work_dma(f.container, arena, r >> 2);
		else if (m == M_IRQ)
			work_irq(f.device, efd, r >> 2);
		else if (ri.size)
			work_mmap(f.device, ri.offset, ri.size, r >> 2);
		pg->ops++;
	}
}

#define MAX_LANES 6

/* One child of a round, from fork to reaping */
struct lane {
	const char *bdf;
	pid_t pid;
	enum mode mode;
	int wait_open;		/* kill only once it has opened everything */
	uint64_t delay_us;	/* then after this long */
	double deadline;	/* ms; 0 until known */
	int killed;
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct tally {
	unsigned long children, killed_open, killed_ops, bad_exit, leaks;
	unsigned long by_mode[M_N];
};

/*
 * One round: a child per lane (device), run at once since most of a
 * device child's time is the reset sleeps of its open and close; each
 * is killed on its own schedule, all are reaped, then nothing may be
 * left anywhere.
 */
static void round_run(const struct venv *e, struct lane *l, int nl,
		      struct progress *pg, unsigned long first, struct tally *t)
{
	struct venv_counts c;
	int j, left = nl, status;

	for (j = 0; j < nl; j++) {
		uint64_t r = rnd();

		/*
		 * One in eight is killed within 0-20 ms of its fork, most
		 * likely while it opens; the others 0-15 ms after they have
		 * opened everything, in the middle of their loop.
		 */
		l[j].mode = (enum mode)((first + j) % M_N);
		l[j].wait_open = r % 8 != 0;
		l[j].delay_us = (r >> 8) % (l[j].wait_open ? 15000 : 20000);
		l[j].deadline = 0;
		l[j].killed = 0;
		pg[j].ops = 0;
		pg[j].opened = 0;
		l[j].pid = fork();
		if (l[j].pid == 0)
			child(e, l[j].bdf, l[j].mode, &pg[j], r);
		if (l[j].pid < 0)
			tap_bail("fork: %s", strerror(errno));
		if (!l[j].wait_open)
			l[j].deadline = now_ms() + l[j].delay_us / 1e3;
	}
	for (double start = now_ms(); left; usleep(200)) {
		double t_now = now_ms();

		for (j = 0; j < nl; j++) {
			if (l[j].killed)
				continue;
			if (!l[j].deadline &&
			    (pg[j].opened || t_now - start > 5000))
				l[j].deadline = t_now + l[j].delay_us / 1e3;
			if (!l[j].deadline || t_now < l[j].deadline)
				continue;
			kill(l[j].pid, SIGKILL);
			l[j].killed = 1;
			left--;
		}
	}
	for (j = 0; j < nl; j++) {
		waitpid(l[j].pid, &status, 0);
		t->children++;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			if (++t->bad_exit <= 5)
				tap_diag("child %lu (%s on %s) ended with status 0x%x before the kill",
					 first + j, mode_names[l[j].mode],
					 l[j].bdf, status);
		}
		if (pg[j].opened) {
			t->killed_open++;
			t->by_mode[l[j].mode]++;
		}
		if (pg[j].ops)
			t->killed_ops++;
	}
	if (venv_counts(e, &c) || c.containers || c.dma || c.pinned ||
	    c.locked || c.iommu_bytes) {
		if (++t->leaks <= 5)
			tap_diag("after children %lu-%lu: containers %lld dma %lld pinned %lld locked %lld iommu bytes %lld",
				 first, first + nl - 1, c.containers, c.dma,
				 c.pinned, c.locked, c.iommu_bytes);
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	unsigned long children = 1000, i;
	struct venv_counts c0, c;
	struct lane lanes[MAX_LANES];
	struct tally t = { 0 };
	struct progress *pg;
	struct venv env;
	double t0;
	int a, nl = 0;

	for (a = 1; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		if (!strcmp(argv[a], "--children"))
			children = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "--seed"))
			seed = strtoull(argv[a + 1], NULL, 0);
	}
	for (; a < argc && nl < MAX_LANES; a++)
		lanes[nl++].bdf = argv[a];
	if (!nl) {
		fprintf(stderr, "usage: %s [--children N] [--seed S] BDF...\n",
			argv[0]);
		return 2;
	}
	venv_init(&env);
	rng_state = seed ? seed : 1;
	tap_diag("seed %llu: replay with --seed %llu --children %lu",
		 (unsigned long long)seed, (unsigned long long)seed, children);
	pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pg == MAP_FAILED || venv_counts(&env, &c0))
		tap_bail("set-up: shared page or %s/stats", env.debugfs);
	if (c0.containers || c0.dma || c0.pinned || c0.locked ||
	    c0.iommu_bytes)
		tap_bail("vfnet holds something before the first child");

	t0 = now_ms();
	for (i = 0; i < children; i += nl)
		round_run(&env, lanes, children - i < (unsigned long)nl ?
			  (int)(children - i) : nl, pg, i, &t);
	tap_diag("%lu children in %.1f s on %d devices at once: %lu killed after opening everything (dma %lu, irqs %lu, mmap %lu, all %lu), %lu after at least one loop",
		 t.children, (now_ms() - t0) / 1e3, nl, t.killed_open,
		 t.by_mode[M_DMA], t.by_mode[M_IRQ], t.by_mode[M_MMAP],
		 t.by_mode[M_ALL], t.killed_ops);
	TAP_EQ(t.bad_exit, 0, "every child was still working when killed");
	TAP_CHECK(t.killed_open > t.children / 2,
		  "most kills landed mid-work (%lu of %lu)", t.killed_open,
		  t.children);
	TAP_EQ(t.leaks, 0,
	       "after each round of kills (%lu children): no container, mapping, pin, charge or IOMMU mapping left",
	       t.children);
	venv_counts(&env, &c);
	tap_diag("FOLL_PIN: %lld acquired, %lld released over the run",
		 c.foll_pin_acquired - c0.foll_pin_acquired,
		 c.foll_pin_released - c0.foll_pin_released);
	TAP_EQ(c.foll_pin_acquired - c0.foll_pin_acquired,
	       c.foll_pin_released - c0.foll_pin_released,
	       "FOLL_PIN acquired == released");
	return tap_done();
}
