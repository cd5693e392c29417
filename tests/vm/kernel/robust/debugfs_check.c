/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfnet's debugfs tree shows what a user holds, and nothing once it has
 * let go: a container's owner, groups and DMA mappings (pages pinned and
 * charged, huge runs), a device's open count, interrupts and live mmaps,
 * and module-wide totals that return to zero.  A reader racing the close
 * of what it reads gets an error or the data, never a crash.
 *
 * usage: debugfs_check BDF   (the device bound to vfnet-pci, with MSI-X)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vfio_env.h"
#include "vfn_tap.h"

#define SZ_2M (2UL << 20)
#define SMALL_SIZE (64UL << 10)
#define IOVA_SMALL 0x100000000ULL
#define IOVA_HUGE 0x200000000ULL

static struct venv env;
static const char *bdf;

/* debugfs folder of the container whose owner is @pid, or -1 */
static int find_container(pid_t pid)
{
	char path[PATH_MAX];
	struct dirent *d;
	int id = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/containers", env.debugfs);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/containers/%s/info",
			 env.debugfs, d->d_name);
		if (venv_file_key(path, "owner_pid", -1) == pid) {
			id = atoi(d->d_name);
			break;
		}
	}
	closedir(dir);
	return id;
}

static int file_has(const char *path, const char *needle)
{
	static char buf[1 << 16];

	if (venv_read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	return strstr(buf, needle) != NULL;
}

/* Show a debugfs file in the log, line by line */
static void diag_file(const char *path)
{
	static char buf[1 << 16];
	char *line, *save;

	if (venv_read_file(path, buf, sizeof(buf)) < 0)
		return;
	tap_diag("%s:", path);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		tap_diag("  %s", line);
}

static void check_zero(const char *when)
{
	struct venv_counts c;

	if (!TAP_OK(venv_counts(&env, &c), "%s: debugfs stats readable", when))
		return;
	TAP_EQ(c.containers, 0, "%s: no container", when);
	TAP_EQ(c.dma, 0, "%s: no DMA mapping", when);
	TAP_EQ(c.pinned, 0, "%s: no page pinned", when);
	TAP_EQ(c.locked, 0, "%s: no page charged to locked_vm", when);
	TAP_EQ(c.iommu_bytes, 0, "%s: nothing mapped in an IOMMU domain", when);
}

static int map(int container, void *va, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .vaddr = (uintptr_t)va, .iova = iova,
		.size = size,
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &m);
}

static void check_container(struct vdev_fds *f, void *small, void *huge)
{
	char info[PATH_MAX], dma[PATH_MAX], line[256];
	long long pinned = SMALL_SIZE / 4096;
	int id = find_container(getpid());

	if (!TAP_CHECK(id > 0, "containers/<n>/info names this pid as owner"))
		return;
	snprintf(info, sizeof(info), "%s/containers/%d/info", env.debugfs, id);
	snprintf(dma, sizeof(dma), "%s/containers/%d/dma", env.debugfs, id);
	snprintf(line, sizeof(line), "groups %d\n", f->group_id);
	TAP_CHECK(file_has(info, line), "info lists the group");
	TAP_CHECK(file_has(info, "iommu vfnet-type1\n") ||
		  file_has(info, "iommu vfio-type1\n") ||
		  file_has(info, "type1"), "info names the type1 model");
	if (huge)
		pinned += SZ_2M / 4096;
	TAP_EQ(venv_file_key(info, "dma_mappings", -1), huge ? 2 : 1,
	       "info counts the mappings");
	TAP_EQ(venv_file_key(info, "pinned_pages", -1), pinned,
	       "info counts the pinned pages");
	TAP_EQ(venv_file_key(info, "locked_pages", -1), pinned,
	       "info counts the pages charged to locked_vm");
	snprintf(line, sizeof(line), "0x%llx 0x%lx 0x%lx rw %lu ",
		 IOVA_SMALL, SMALL_SIZE, (unsigned long)small,
		 SMALL_SIZE / 4096);
	TAP_CHECK(file_has(dma, line), "dma shows the 64 KiB mapping (%s...)",
		  line);
	snprintf(line, sizeof(line), " %lu %d\n", SMALL_SIZE / 4096, getpid());
	TAP_CHECK(file_has(dma, line), "dma shows its charge and mapper pid");
	if (huge) {
		snprintf(line, sizeof(line), "0x%llx 0x%lx 0x%lx rw 512 1 1 512 ",
			 IOVA_HUGE, SZ_2M, (unsigned long)huge);
		TAP_CHECK(file_has(dma, line),
			  "dma shows the hugepage as one huge run (%s...)", line);
	} else {
		TAP_SKIP("no 2 MiB hugepage free", "dma shows a huge run");
	}
	snprintf(line, sizeof(line), "mapped_bytes %lu ",
		 SMALL_SIZE + (huge ? SZ_2M : 0));
	TAP_CHECK(file_has(info, line), "info shows the domain's mapped bytes");
	diag_file(info);
	diag_file(dma);
}

static void check_device(struct vdev_fds *f)
{
	char info[PATH_MAX];
	int efd[2], i, bar_ok;
	struct {
		struct vfio_irq_set s;
		int32_t fds[2];
	} irq = { .s = { .argsz = sizeof(irq),
			 .flags = VFIO_IRQ_SET_DATA_EVENTFD |
				  VFIO_IRQ_SET_ACTION_TRIGGER,
			 .index = VFIO_PCI_MSIX_IRQ_INDEX, .start = 0,
			 .count = 2 } };
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = 0 };
	void *bar;

	snprintf(info, sizeof(info), "%s/devices/%s/info", env.debugfs, bdf);
	TAP_EQ(venv_file_key(info, "open_count", -1), 1, "device open_count 1");
	TAP_CHECK(file_has(info, "irq_type none\n"), "no interrupts yet");
	TAP_CHECK(file_has(info, "reset_methods"), "reset methods shown");
	TAP_EQ(venv_file_key(info, "container", -1),
	       find_container(getpid()), "device names its container");

	for (i = 0; i < 2; i++)
		irq.fds[i] = efd[i] = eventfd(0, EFD_CLOEXEC);
	if (TAP_OK(ioctl(f->device, VFIO_DEVICE_SET_IRQS, &irq),
		   "MSI-X with 2 eventfds")) {
		TAP_CHECK(file_has(info, "irq_type msix\n"), "irq_type msix");
		TAP_EQ(venv_file_key(info, "irq_vectors", -1), 2, "2 vectors");
		TAP_CHECK(file_has(info, "vector 1 eventfd 1"),
			  "vector 1 has its eventfd");
		/* three loopback triggers of vector 1 */
		irq.s.flags = VFIO_IRQ_SET_DATA_NONE |
			      VFIO_IRQ_SET_ACTION_TRIGGER;
		irq.s.argsz = sizeof(irq.s);
		irq.s.start = 1;
		irq.s.count = 1;
		for (i = 0; i < 3; i++)
			ioctl(f->device, VFIO_DEVICE_SET_IRQS, &irq.s);
		TAP_CHECK(file_has(info, "vector 1 eventfd 1 masked 0 signals 3\n"),
			  "vector 1 counts its 3 signals");
		TAP_CHECK(file_has(info, "vector 0 eventfd 1 masked 0 signals 0\n"),
			  "vector 0 counts none");
		diag_file(info);
		irq.s.start = 0;
	}
	irq.s.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	irq.s.count = 0;
	irq.s.argsz = sizeof(irq.s);
	TAP_OK(ioctl(f->device, VFIO_DEVICE_SET_IRQS, &irq.s), "MSI-X off");
	TAP_CHECK(file_has(info, "irq_type none\n"), "irq_type none again");

	/* INTx: an eventfd, two loopback triggers, counted on vector 0 */
	irq.s.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	irq.s.index = VFIO_PCI_INTX_IRQ_INDEX;
	irq.s.count = 1;
	irq.s.argsz = sizeof(irq.s) + 4;
	if (TAP_OK(ioctl(f->device, VFIO_DEVICE_SET_IRQS, &irq),
		   "INTx with an eventfd")) {
		irq.s.flags = VFIO_IRQ_SET_DATA_NONE |
			      VFIO_IRQ_SET_ACTION_TRIGGER;
		irq.s.argsz = sizeof(irq.s);
		for (i = 0; i < 2; i++)
			ioctl(f->device, VFIO_DEVICE_SET_IRQS, &irq.s);
		TAP_CHECK(file_has(info, "irq_type intx\n") &&
			  file_has(info, " signals 2\n"),
			  "INTx counts its 2 signals");
		irq.s.count = 0;
		TAP_OK(ioctl(f->device, VFIO_DEVICE_SET_IRQS, &irq.s),
		       "INTx off");
	}
	close(efd[0]);
	close(efd[1]);

	bar_ok = !ioctl(f->device, VFIO_DEVICE_GET_REGION_INFO, &ri) &&
		 (ri.flags & VFIO_REGION_INFO_FLAG_MMAP);
	if (!bar_ok) {
		TAP_SKIP("BAR0 cannot be mmapped", "mmaps_live");
		return;
	}
	bar = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, f->device,
		   ri.offset);
	if (!TAP_CHECK(bar != MAP_FAILED, "mmap BAR0"))
		return;
	(void)*(volatile uint32_t *)((char *)bar + 8);	/* fault it in */
	TAP_EQ(venv_file_key(info, "mmaps_live", -1), 1,
	       "a touched BAR mmap is live");
	munmap(bar, 4096);
	TAP_EQ(venv_file_key(info, "mmaps_live", -1), 0,
	       "none after munmap");
}

struct reader {
	char path[2][PATH_MAX];
	volatile int stop;
	long reads, errors;
};

static void *reader_loop(void *arg)
{
	struct reader *r = arg;
	static char buf[1 << 16];
	int i = 0;

	while (!r->stop) {
		if (venv_read_file(r->path[i++ & 1], buf, sizeof(buf)) < 0)
			r->errors++;
		r->reads++;
	}
	return NULL;
}

/* Readers of a container's and a device's files while they go away. */
static void race_readers(int rounds)
{
	struct reader r;
	pthread_t th;
	int i, ok = 1, id;
	void *mem;

	mem = mmap(NULL, SMALL_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&r, 0, sizeof(r));
	for (i = 0; i < rounds && ok; i++) {
		struct vdev_fds f;

		if (vdev_open_fds(&env, bdf, 0, &f)) {
			ok = 0;
			break;
		}
		map(f.container, mem, IOVA_SMALL, SMALL_SIZE);
		id = find_container(getpid());
		snprintf(r.path[0], sizeof(r.path[0]), "%s/containers/%d/dma",
			 env.debugfs, id);
		snprintf(r.path[1], sizeof(r.path[1]), "%s/containers/%d/info",
			 env.debugfs, id);
		r.stop = 0;
		pthread_create(&th, NULL, reader_loop, &r);
		usleep(200 + (i % 7) * 300);
		vdev_close_fds(&f);
		usleep(i % 3 ? 0 : 500);
		r.stop = 1;
		pthread_join(th, NULL);
	}
	TAP_EQ(i, rounds, "%d rounds of close with a debugfs reader running",
	       rounds);
	tap_diag("%ld reads, %ld failed with the object gone", r.reads,
		 r.errors);
	munmap(mem, SMALL_SIZE);
}

int main(int argc, char **argv)
{
	struct vdev_fds f;
	void *small, *huge;
	char path[PATH_MAX];

	if (argc < 2) {
		fprintf(stderr, "usage: %s BDF\n", argv[0]);
		return 2;
	}
	bdf = argv[1];
	venv_init(&env);
	check_zero("before");
	snprintf(path, sizeof(path), "%s/devices/%s/info", env.debugfs, bdf);
	TAP_EQ(venv_file_key(path, "open_count", -1), 0,
	       "devices/%s/info: open_count 0", bdf);

	if (vdev_open_fds(&env, bdf, 0, &f))
		tap_bail("cannot open %s through %s", bdf, env.container_path);
	small = mmap(NULL, SMALL_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	huge = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge == MAP_FAILED)
		huge = NULL;
	TAP_OK(map(f.container, small, IOVA_SMALL, SMALL_SIZE),
	       "MAP_DMA 64 KiB");
	if (huge)
		TAP_OK(map(f.container, huge, IOVA_HUGE, SZ_2M),
		       "MAP_DMA a 2 MiB hugepage");
	check_container(&f, small, huge);
	check_device(&f);

	vdev_close_fds(&f);
	TAP_EQ(find_container(getpid()), -1, "the container's folder is gone");
	TAP_EQ(venv_file_key(path, "open_count", -1), 0, "open_count 0 again");
	check_zero("after close");

	race_readers(100);
	check_zero("after the reader race");
	if (huge)
		munmap(huge, SZ_2M);
	munmap(small, SMALL_SIZE);
	return tap_done();
}
