/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Does the emulator deliver a guest MMIO access to the region it was
 * addressed to while another vCPU changes the memory map?  No vfnet: two
 * devices that no driver owns, through sysfs.
 *
 * One thread, on CPU 0, flips the memory-decode bit of the "toggle"
 * device's command register (each flip remaps its BARs).  Another, on
 * CPU 1, reads one 32-bit register of the "read" device's BAR, through a
 * sysfs resource mmap, in runs of 32 loads with no branch between them,
 * and compares each value with the one read before the flipping began.
 * A real machine never returns anything else.  QEMU 7.2 under multi-
 * threaded TCG can: its tcg_commit() publishes the new dispatch table to
 * every vCPU at once but flushes another vCPU's TLB only asynchronously,
 * so until that vCPU leaves its translation block, an MMIO access that
 * hits the TLB looks its stale section index up in the new table and
 * lands in some other region (see STALL.md).
 *
 * With --write, the runs are stores of that same value instead: nothing
 * to compare, but a store that lands in another device's MSI-X table,
 * past its last entry, aborts QEMU 7.2 (msix_table_mmio_write's
 * assertion), as one CI run of kernel_robust did.
 *
 * With --timer, CPU 1 flips the bit and CPU 0 only sleeps 20 us at a
 * time: each wakeup is a local APIC timer interrupt, whose handler writes
 * the APIC's EOI and initial-count registers (QEMU 7.2's TCG offers
 * neither x2APIC nor TSC-deadline, so both are MMIO).  If one of those
 * stores lands elsewhere, CPU 0's timer stops for good: its sleeper
 * stops waking, as CPU 0 stopped taking ticks in the stalled CI run.
 *
 * READ_BDF "mem" reads physical address OFFSET through /dev/mem (BAR is
 * ignored), e.g. the local APIC's version register at 0xfee00030.
 *
 * usage: qemu_mmio_race [--seconds S] [--write] TOGGLE_BDF READ_BDF BAR OFFSET
 *        qemu_mmio_race [--seconds S] --timer TOGGLE_BDF
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "vfn_tap.h"

#define RUN 32
#define SHOW 8

static volatile int stop;

struct toggler {
	int fd;
	int cpu;
	unsigned long flips;
};

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *toggle(void *arg)
{
	struct toggler *t = arg;
	uint16_t cmd, off;

	pin(t->cpu);
	if (pread(t->fd, &cmd, 2, 4) != 2)
		return NULL;
	while (!stop) {
		off = cmd & ~2;	/* PCI_COMMAND_MEMORY */
		if (pwrite(t->fd, &off, 2, 4) != 2 ||
		    pwrite(t->fd, &cmd, 2, 4) != 2)
			break;
		t->flips++;
	}
	pwrite(t->fd, &cmd, 2, 4);
	return NULL;
}

/*
 * RUN accesses with no branch between them, so that they share one
 * translation block whatever the optimization level: spelt out.
 */
#define LD4(i) (v[i] = *p, v[(i) + 1] = *p, v[(i) + 2] = *p, v[(i) + 3] = *p)
#define ST4() (*p = x, *p = x, *p = x, *p = x)

static void load_run(volatile uint32_t *p, uint32_t *v)
{
	LD4(0), LD4(4), LD4(8), LD4(12), LD4(16), LD4(20), LD4(24), LD4(28);
}

static void store_run(volatile uint32_t *p, uint32_t x)
{
	ST4(), ST4(), ST4(), ST4(), ST4(), ST4(), ST4(), ST4();
}

static volatile unsigned long wakeups;

static void *sleeper(void *arg)
{
	struct timespec ts = { .tv_nsec = 20000 };

	(void)arg;
	pin(0);
	while (!stop) {
		clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
		wakeups++;
	}
	return NULL;
}

static void show_loc(void)
{
	char line[512];
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "LOC:") || strstr(line, "RES:") ||
		    strstr(line, "CAL:"))
			tap_diag("%.*s", (int)strcspn(line, "\n"), line);
	if (f)
		fclose(f);
}

/* CPU 1 remaps, CPU 0 lives on its APIC timer: does it keep waking? */
static int timer_mode(const char *bdf, double seconds)
{
	struct toggler t = { .cpu = 1 };
	unsigned long last = 0, still = 0, s;
	pthread_t th, sl;
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	t.fd = open(path, O_RDWR);
	if (!TAP_OK(t.fd, "open %s", path))
		return tap_done();
	pin(1);
	show_loc();
	pthread_create(&sl, NULL, sleeper, NULL);
	pthread_create(&th, NULL, toggle, &t);
	for (s = 0; s < (unsigned long)seconds && still < 10; s++) {
		sleep(1);
		still = wakeups == last ? still + 1 : 0;
		last = wakeups;
	}
	stop = 1;
	pthread_join(th, NULL);
	tap_diag("%lu decode flips of %s in %lu s; CPU 0's sleeper woke %lu times",
		 t.flips, bdf, s, last);
	show_loc();
	TAP_CHECK(t.flips > 0, "the decode bit was flipped");
	if (!TAP_CHECK(still < 10,
		       "CPU 0 kept waking from its 20 us sleeps while CPU 1 remapped a device (stuck %lu s)",
		       still))
		return tap_done();	/* the sleeper never returns */
	pthread_join(sl, NULL);
	return tap_done();
}

int main(int argc, char **argv)
{
	unsigned long loads = 0, wrong = 0, i;
	uint32_t want, v[RUN], seen[SHOW];
	struct toggler t = { .fd = -1 };
	int a = 1, fd, nseen = 0, j, write = 0;
	volatile uint32_t *p;
	unsigned long off;
	double seconds = 20;
	char path[128];
	pthread_t th;
	time_t end;
	void *map;

	if (argc > a + 1 && !strcmp(argv[a], "--seconds")) {
		seconds = atof(argv[a + 1]);
		a += 2;
	}
	if (argc == a + 2 && !strcmp(argv[a], "--timer"))
		return timer_mode(argv[a + 1], seconds);
	if (argc > a && !strcmp(argv[a], "--write")) {
		write = 1;
		a++;
	}
	if (argc - a != 4) {
		fprintf(stderr, "usage: %s [--seconds S] [--write] TOGGLE_BDF READ_BDF BAR OFFSET\n",
			argv[0]);
		return 2;
	}
	off = strtoul(argv[a + 3], NULL, 0);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", argv[a]);
	t.fd = open(path, O_RDWR);
	if (!TAP_OK(t.fd, "open %s", path))
		return tap_done();
	/* READ_BDF "mem": OFFSET is a physical address, through /dev/mem */
	if (!strcmp(argv[a + 1], "mem"))
		snprintf(path, sizeof(path), "/dev/mem");
	else
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%s",
			 argv[a + 1], argv[a + 2]);
	fd = open(path, O_RDWR | O_SYNC);
	if (!TAP_OK(fd, "open %s", path))
		return tap_done();
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   off & ~4095UL);
	if (!TAP_CHECK(map != MAP_FAILED, "mmap %s page 0x%lx", path,
		       off & ~4095UL))
		return tap_done();
	p = (volatile uint32_t *)((char *)map + (off & 4095));

	pin(1);
	want = *p;
	for (i = 0; i < 100000; i++)
		if (*p != want)
			break;
	if (!TAP_CHECK(i == 100000, "register 0x%lx of %s reads 0x%08x steadily",
		       off, argv[a + 1], want))
		return tap_done();

	pthread_create(&th, NULL, toggle, &t);
	end = time(NULL) + (time_t)seconds;
	while (time(NULL) < end) {
		if (write) {
			store_run(p, want);
			loads += RUN;
			continue;
		}
		load_run(p, v);
		loads += RUN;
		for (j = 0; j < RUN; j++) {
			if (v[j] == want)
				continue;
			if (wrong++ < SHOW)
				seen[nseen++] = v[j];
		}
	}
	stop = 1;
	pthread_join(th, NULL);

	tap_diag("%lu decode flips of %s, %lu %s of %s BAR%s+0x%lx",
		 t.flips, argv[a], loads, write ? "stores" : "loads",
		 argv[a + 1], argv[a + 2], off);
	for (j = 0; j < nseen; j++)
		tap_diag("wrong value: 0x%08x (expected 0x%08x)", seen[j], want);
	TAP_CHECK(t.flips > 0, "the decode bit was flipped");
	TAP_EQ(wrong, 0,
	       "every load of the steady register returned its value while another CPU remapped another device");
	return tap_done();
}
