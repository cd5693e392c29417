/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz - a seeded, structure-aware fuzzer of vfnet's VFIO uAPI.
 *
 * Random and structure-aware arguments for every ioctl of the container,
 * group and device fds (argsz too small and huge, unknown flags, bad
 * pointers, overlapping, wrapping and unaligned IOVAs, capability chains,
 * SET_IRQS with random counts, starts and eventfds), pread/pwrite and
 * mmap at random offsets of every region, and a sweep writing every byte
 * of config space; fds and containers are opened and closed on the way.
 *
 * The budget (--calls, counted in syscalls) is split over --workers
 * processes run one after another; one of them (the last) runs without
 * CAP_IPC_LOCK under a small RLIMIT_MEMLOCK, and the odd ones run two
 * threads on the same fds (--threads T: every worker T), which races
 * every operation against every other.  Each worker's and thread's seed
 * follows from --seed, which is printed: `fuzz --seed S ...` replays a
 * single-threaded worker call for call; a threaded one replays the same
 * calls per thread, in an interleaving the scheduler picks.
 *
 * Pass: no worker dies of a signal, no result the uAPI forbids (success
 * of a map that wraps, overlaps or is unaligned; a malformed capability
 * chain), each worker's locked_vm back to its start once it closed its
 * fds, and after every worker has exited: vfnet's debugfs totals at zero
 * and /proc/vmstat's FOLL_PIN pages acquired == released.  The guest
 * script adds: no oops/WARN/BUG in dmesg, and the module unloads.
 *
 * usage: fuzz [--seed S] [--calls N] [--workers W] [--threads T]
 *             [--timeout SEC] BDF...
 * Only the devices named are touched (they must be bound to vfnet-pci).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fuzz.h"
#include "vfn_tap.h"

__thread sigjmp_buf fz_touch_jmp;
__thread volatile int fz_touch_armed;

const char *const fz_kind_names[FZ_K_N] = {
	"container", "iommu-info", "map-dma", "unmap-dma", "group",
	"get-device-fd", "region-rw", "config-sweep", "set-irqs",
	"device-info", "mmap", "reset", "feature", "random-ioctl", "misc",
};

/* What a worker tells its parent through a pipe at exit */
struct fz_result {
	unsigned long calls, ok, violations;
	unsigned long kcalls[FZ_K_N], kok[FZ_K_N];
	long long vmlck_start, vmlck_end;
};

uint64_t fz_rand(struct fz *z)
{
	/* xorshift64*: small, fast, and replayable from the seed */
	z->rng ^= z->rng >> 12;
	z->rng ^= z->rng << 25;
	z->rng ^= z->rng >> 27;
	return z->rng * 0x2545f4914f6cdd1dULL;
}

uint64_t fz_value(struct fz *z)
{
	unsigned int k = fz_below(z, 64);

	switch (fz_below(z, 10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return ~0ULL;
	case 3: return 1ULL << k;
	case 4: return (1ULL << k) - 1;
	case 5: return ~0ULL - k;
	case 6: return 0x80000000ULL + k - 32;
	case 7: return fz_below(z, 4096);
	default: return fz_rand(z);
	}
}

void *fz_ptr(struct fz *z, void *valid)
{
	if (fz_chance(z, 92))
		return valid;
	switch (fz_below(z, 7)) {
	case 0: return NULL;
	case 1: return (void *)1;
	case 2: return (void *)0x10000;		/* never mapped */
	case 3: return (void *)0xffffffff81000000ULL;	/* kernel */
	case 4: return z->none;
	case 5: return z->ro;
	default: return z->edge + FZ_PAGE - 1 - fz_below(z, 16);
	}
}

int fz_any_fd(struct fz *z)
{
	struct fz_dev *d = &z->dev[fz_below(z, z->ndev)];

	switch (fz_below(z, 9)) {
	case 0: return z->cont[fz_below(z, FZ_NCONT)];
	case 1: return d->group;
	case 2: return d->device;
	case 3: return z->efd[fz_below(z, FZ_NEFD)];
	case 4: return -1;
	case 5: return 0;
	case 6: return 999;		/* not open */
	case 7: return (int)fz_value(z);
	default: return d->group;
	}
}

long fz_count(struct fz *z, long ret)
{
	z->calls++;
	z->kcalls[z->kind]++;
	if (ret >= 0) {
		z->ok++;
		z->kok[z->kind]++;
	}
	return ret;
}

void fz_violation(struct fz *z, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	z->violations++;
	if (z->violations > 20)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tap_diag("violation (call %lu): %s", z->calls, msg);
}

void fz_dma_add(struct fz *z, int cont, uint64_t iova, uint64_t size)
{
	unsigned int i = fz_below(z, FZ_NDMA);
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u) };

	/* A full slot's mapping is unmapped first, keeping the count bounded */
	if (z->dma[i].cont >= 0 && z->cont[z->dma[i].cont] >= 0) {
		u.iova = z->dma[i].iova;
		u.size = z->dma[i].size;
		fz_count(z, ioctl(z->cont[z->dma[i].cont], VFIO_IOMMU_UNMAP_DMA,
				  &u));
	}
	z->dma[i].cont = cont;
	z->dma[i].iova = iova;
	z->dma[i].size = size;
}

static void fz_touch_handler(int sig)
{
	if (fz_touch_armed) {
		fz_touch_armed = 0;
		siglongjmp(fz_touch_jmp, sig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static int fz_memory(struct fz *z)
{
	uint8_t *two;
	int mfd;

	z->arena = mmap(NULL, FZ_ARENA, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	z->buf = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	two = mmap(NULL, 3 * FZ_PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (z->arena == MAP_FAILED || z->buf == MAP_FAILED || two == MAP_FAILED)
		return -1;
	memset(z->arena, 0x5a, FZ_ARENA);
	z->edge = two;
	z->none = two + FZ_PAGE;
	z->ro = two + 2 * FZ_PAGE;
	mprotect(z->none, FZ_PAGE, PROT_NONE);
	mprotect(z->ro, FZ_PAGE, PROT_READ);
	z->huge = mmap(NULL, FZ_HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (z->huge == MAP_FAILED)
		z->huge = NULL;
	else
		memset(z->huge, 0xa5, FZ_HUGE);
	z->memfd_map = NULL;
	mfd = memfd_create("fuzz", MFD_CLOEXEC);
	if (mfd >= 0 && !ftruncate(mfd, 1 << 16)) {
		z->memfd_map = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
				    MAP_SHARED, mfd, 0);
		if (z->memfd_map == MAP_FAILED)
			z->memfd_map = NULL;
	}
	if (mfd >= 0)
		close(mfd);
	return 0;
}

/* Open container 0, every group into it, type1v2, every device fd. */
static void fz_open_all(struct fz *z)
{
	int i;

	z->cont[0] = open(z->env.container_path, O_RDWR | O_CLOEXEC);
	for (i = 0; i < z->ndev; i++) {
		struct fz_dev *d = &z->dev[i];
		char path[256];

		snprintf(path, sizeof(path), "%s/%d", z->env.group_dir,
			 d->group_id);
		d->group = open(path, O_RDWR | O_CLOEXEC);
		if (d->group >= 0 &&
		    !ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &z->cont[0]))
			d->cont = 0;
	}
	if (!ioctl(z->cont[0], VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		z->cont_iommu[0] = 1;
	for (i = 0; i < z->ndev; i++) {
		z->dev[i].device = ioctl(z->dev[i].group,
					 VFIO_GROUP_GET_DEVICE_FD,
					 z->dev[i].bdf);
		fz_device_refresh(z, &z->dev[i]);
	}
}

/* Odds and ends: recycle an eventfd, change what arena pages hold. */
static void fz_misc_op(struct fz *z)
{
	unsigned int i = fz_below(z, FZ_NEFD);
	size_t off, len;

	z->kind = FZ_K_MISC;
	switch (fz_below(z, 4)) {
	case 0:
		/* the kernel may still hold the old eventfd's context */
		if (z->efd[i] >= 0)
			close(z->efd[i]);
		z->efd[i] = fz_count(z, eventfd(0, EFD_CLOEXEC |
						   EFD_NONBLOCK));
		break;
	case 1: {
		uint64_t v;

		fz_count(z, read(z->efd[i], &v, sizeof(v)));
		break;
	}
	case 2:
		/* new pages under pinned ones: the pins stay on the old */
		off = fz_below(z, FZ_ARENA / FZ_PAGE) * FZ_PAGE;
		len = (1 + fz_below(z, 16)) * FZ_PAGE;
		if (off + len > FZ_ARENA)
			len = FZ_ARENA - off;
		fz_count(z, (long)(intptr_t)mmap(z->arena + off, len,
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
		break;
	default:
		off = fz_below(z, FZ_ARENA / FZ_PAGE) * FZ_PAGE;
		fz_count(z, madvise(z->arena + off, FZ_PAGE,
				    fz_chance(z, 50) ? MADV_DONTNEED :
						       MADV_PAGEOUT));
		break;
	}
}

static void fz_step(struct fz *z)
{
	unsigned int r = fz_below(z, 1000);
	struct fz_dev *d = &z->dev[fz_below(z, z->ndev)];

	if (r < 250)
		fz_container_op(z);
	else if (r < 330)
		fz_group_op(z, d);
	else if (r < 980)
		fz_device_op(z, d);
	else
		fz_misc_op(z);
}

/* Drop CAP_IPC_LOCK: MAP_DMA is then held to RLIMIT_MEMLOCK. */
static int fz_drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	struct rlimit rl = { 2UL << 20, 2UL << 20 };

	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return -1;
	if (syscall(SYS_capget, &h, data))
		return -1;
	data[0].effective &= ~(1U << CAP_IPC_LOCK);
	data[0].permitted &= ~(1U << CAP_IPC_LOCK);
	return syscall(SYS_capset, &h, data);
}

struct fz_thread {
	struct fz z;
	unsigned long budget;
	pthread_t th;
};

static void *fz_thread_main(void *arg)
{
	struct fz_thread *t = arg;

	while (t->z.calls < t->budget)
		fz_step(&t->z);
	return NULL;
}

/* After the threads: close every fd but stdio and @keep, whoever opened it */
static void fz_close_every_fd(int keep)
{
	int fd;

	for (fd = 3; fd < 4096; fd++)
		if (fd != keep)
			close(fd);
}

static void fz_worker(struct fz *z, unsigned long budget, int nocap,
		      int threads, int out)
{
	struct fz_thread t[FZ_MAX_THREADS];
	struct fz_result res = { 0 };
	struct sigaction sa = { .sa_handler = fz_touch_handler };
	int i, k;

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	if (nocap && fz_drop_ipc_lock())
		tap_diag("cannot drop CAP_IPC_LOCK: %s", strerror(errno));
	res.vmlck_start = venv_vmlck_kb();
	if (fz_memory(z))
		_exit(3);
	for (i = 0; i < FZ_NEFD; i++)
		z->efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	for (i = 0; i < FZ_NDMA; i++)
		z->dma[i].cont = -1;
	fz_open_all(z);
	z->threaded = threads > 1;
	/* thread 0 is this one; the others start from the same fds */
	for (k = 0; k < threads; k++) {
		t[k].z = *z;
		t[k].z.rng = z->rng + 0x9e3779b97f4a7c15ULL * k;
		t[k].budget = budget / threads + (k < (int)(budget % threads));
		if (k && fz_memory(&t[k].z))
			_exit(3);
		if (k && pthread_create(&t[k].th, NULL, fz_thread_main, &t[k]))
			_exit(5);
	}
	fz_thread_main(&t[0]);
	for (k = 1; k < threads; k++)
		pthread_join(t[k].th, NULL);
	for (k = 0; k < threads; k++) {
		fz_mmap_drop_all(&t[k].z);
		res.calls += t[k].z.calls;
		res.ok += t[k].z.ok;
		res.violations += t[k].z.violations;
		for (i = 0; i < FZ_K_N; i++) {
			res.kcalls[i] += t[k].z.kcalls[i];
			res.kok[i] += t[k].z.kok[i];
		}
	}
	fz_close_every_fd(out);
	res.vmlck_end = venv_vmlck_kb();
	if (write(out, &res, sizeof(res)) != sizeof(res))
		_exit(4);
	_exit(0);
}

struct fz_opts {
	uint64_t seed;
	unsigned long calls;
	int workers;
	int threads;		/* 0: 2 in odd workers, 1 in even ones */
	int timeout;
};

static int fz_wait(pid_t pid, int timeout, int *status)
{
	time_t end = time(NULL) + timeout;

	while (time(NULL) < end) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return -1;
}

static void fz_run_worker(struct fz *proto, const struct fz_opts *o, int w,
			  unsigned long budget, struct fz_result *total)
{
	uint64_t seed = o->seed * 1000003ULL + w;
	int nocap = o->workers > 1 && w == o->workers - 1;
	int threads = o->threads ? o->threads : 1 + (w & 1);
	struct fz_result res = { 0 };
	int pfd[2], status = 0, timed_out, i;
	pid_t pid;

	if (pipe(pfd))
		tap_bail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		struct fz z = *proto;

		close(pfd[0]);
		z.rng = seed ? seed : 1;
		fz_worker(&z, budget, nocap, threads, pfd[1]);
	}
	close(pfd[1]);
	timed_out = fz_wait(pid, o->timeout, &status);
	if (read(pfd[0], &res, sizeof(res)) != sizeof(res))
		memset(&res, 0, sizeof(res));
	close(pfd[0]);
	tap_diag("worker %d (seed %llu, %d thread%s%s): %lu calls, %lu succeeded",
		 w, (unsigned long long)seed, threads, threads > 1 ? "s" : "",
		 nocap ? ", no CAP_IPC_LOCK" : "", res.calls, res.ok);
	TAP_CHECK(!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "worker %d ran its %lu calls and exited (status 0x%x)", w,
		  budget, status);
	TAP_EQ(res.violations, 0, "worker %d: no result the uAPI forbids", w);
	TAP_EQ(res.vmlck_end, res.vmlck_start,
	       "worker %d: locked_vm back to its start (%lld kB) after close",
	       w, res.vmlck_start);
	total->calls += res.calls;
	total->ok += res.ok;
	for (i = 0; i < FZ_K_N; i++) {
		total->kcalls[i] += res.kcalls[i];
		total->kok[i] += res.kok[i];
	}
}

static void fz_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--seed S] [--calls N] [--workers W] [--threads T] [--timeout SEC] BDF...\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	struct fz_opts o = { .calls = 200000, .workers = 4, .timeout = 900 };
	struct venv_counts c0, c1;
	struct fz_result total = { 0 };
	struct fz proto;
	int i, w;

	memset(&proto, 0, sizeof(proto));
	o.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc)
			fz_usage(argv[0]);
		if (!strcmp(argv[i], "--seed"))
			o.seed = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--calls"))
			o.calls = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--workers"))
			o.workers = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--threads"))
			o.threads = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--timeout"))
			o.timeout = atoi(argv[i + 1]);
		else
			fz_usage(argv[0]);
	}
	if (i >= argc || o.workers < 1 || o.threads < 0 ||
	    o.threads > FZ_MAX_THREADS)
		fz_usage(argv[0]);
	venv_init(&proto.env);
	for (; i < argc && proto.ndev < FZ_MAX_DEV; i++) {
		struct fz_dev *d = &proto.dev[proto.ndev++];

		d->bdf = argv[i];
		d->group_id = venv_group_id(d->bdf);
		d->group = d->device = d->cont = -1;
		if (d->group_id < 0)
			tap_bail("%s has no IOMMU group", d->bdf);
	}
	for (i = 0; i < FZ_NCONT; i++)
		proto.cont[i] = -1;

	tap_diag("seed %llu: replay with --seed %llu --calls %lu --workers %d --threads %d",
		 (unsigned long long)o.seed, (unsigned long long)o.seed,
		 o.calls, o.workers, o.threads);
	if (venv_counts(&proto.env, &c0))
		tap_bail("cannot read %s/stats (debugfs mounted?)",
			 proto.env.debugfs);
	for (w = 0; w < o.workers; w++) {
		unsigned long budget = o.calls / o.workers +
				       (w < (int)(o.calls % o.workers));

		fz_run_worker(&proto, &o, w, budget, &total);
		venv_counts(&proto.env, &c1);
		TAP_CHECK(!c1.containers && !c1.dma && !c1.pinned &&
			  !c1.locked && !c1.iommu_bytes,
			  "after worker %d: nothing left (containers %lld dma %lld pinned %lld locked %lld iommu bytes %lld)",
			  w, c1.containers, c1.dma, c1.pinned, c1.locked,
			  c1.iommu_bytes);
		TAP_EQ(c1.foll_pin_acquired - c0.foll_pin_acquired,
		       c1.foll_pin_released - c0.foll_pin_released,
		       "after worker %d: FOLL_PIN acquired == released", w);
	}
	tap_diag("total: %lu calls, %lu succeeded, seed %llu", total.calls,
		 total.ok, (unsigned long long)o.seed);
	for (i = 0; i < FZ_K_N; i++)
		tap_diag("  %-14s %8lu calls %8lu succeeded", fz_kind_names[i],
			 total.kcalls[i], total.kok[i]);
	TAP_CHECK(total.calls >= o.calls, "ran the budget: %lu calls >= %lu",
		  total.calls, o.calls);
	tap_diag("FOLL_PIN over the run: %lld acquired, %lld released",
		 c1.foll_pin_acquired - c0.foll_pin_acquired,
		 c1.foll_pin_released - c0.foll_pin_released);
	return tap_done();
}
