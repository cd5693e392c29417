/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up time: vfn_eal_init() with 1 GiB of 2 MiB hugepages, against
 * DPDK 22.11's dpdk-testpmd with the same memory, in the same run.
 *
 *   eal_startup [--runs N] [--mem MB] [--huge-dir DIR] [--testpmd PATH]
 *               [--dpdk-eal PATH]
 *
 * Each measurement is a fresh process, timed from fork() to the line
 * that says it is ready: "vfnet ready" from this program's child mode,
 * "Press enter to exit" from testpmd (--no-pci, no ports), and, when the
 * DPDK EAL-only child is built (eal_startup_dpdk), "dpdk ready" right
 * after rte_eal_init() returns.  Both sides are told to exit after the
 * ready line; exits are not timed.  Runs alternate so drift hits both.
 * Prints the medians and the ratio vfnet/DPDK (goal: <= 0.5).
 *
 * Child mode: eal_startup --child EAL-ARGS...
 */
#include <errno.h>
#include <pty.h>
#include <termios.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vfn_eal.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int child_main(int argc, char **argv)
{
	char buf[16];

	if (vfn_eal_init(argc, argv) < 0)
		return 1;
	printf("vfnet ready\n");
	fflush(stdout);
	if (!fgets(buf, sizeof(buf), stdin))
		buf[0] = '\0';
	vfn_eal_cleanup();
	return 0;
}

/*
 * Run @argv on a pseudo-terminal (so its stdout is line-buffered, as in
 * an interactive start) and return the milliseconds from fork to the
 * output line containing @ready, or -1.  Then the child gets a newline on
 * its stdin, which both sides take as "exit".
 */
static double time_to_ready(char *const argv[], const char *ready)
{
	struct termios tio;
	char line[8192];
	size_t len = 0;
	double t0, t = -1;
	int master, st;
	pid_t pid;

	memset(&tio, 0, sizeof(tio));
	cfmakeraw(&tio);
	t0 = now_ms();
	pid = forkpty(&master, NULL, &tio, NULL);
	if (pid < 0)
		return -1;
	if (!pid) {
		execvp(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		ssize_t n = read(master, line + len, sizeof(line) - 1 - len);

		if (n <= 0)
			break;
		len += n;
		line[len] = '\0';
		if (strstr(line, ready)) {
			t = now_ms() - t0;
			break;
		}
		if (len > sizeof(line) / 2) { /* keep the tail only */
			memmove(line, line + len - 256, 256);
			len = 256;
		}
	}
	if (write(master, "\n", 1) != 1)
		kill(pid, SIGTERM);
	while (read(master, line, sizeof(line)) > 0)
		; /* drain until the child exits (EIO then) */
	close(master);
	waitpid(pid, &st, 0);
	if (t < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "%s: %s (status 0x%x)\n", argv[0],
			t < 0 ? "never ready" : "failed", st);
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long free_hugepages(void)
{
	FILE *f = fopen("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *testpmd = "dpdk-testpmd", *dpdk_eal = NULL, *huge_dir = NULL;
	char self[4096], mem[16] = "1024";
	int runs = 5, i;
	double *tv, *tt, *td, mv, mt, md = 0;
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "--child"))
		return child_main(argc - 1, argv + 1);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--mem") && i + 1 < argc)
			snprintf(mem, sizeof(mem), "%s", argv[++i]);
		else if (!strcmp(argv[i], "--huge-dir") && i + 1 < argc)
			huge_dir = argv[++i];
		else if (!strcmp(argv[i], "--testpmd") && i + 1 < argc)
			testpmd = argv[++i];
		else if (!strcmp(argv[i], "--dpdk-eal") && i + 1 < argc)
			dpdk_eal = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--runs N] [--mem MB] [--huge-dir DIR] [--testpmd PATH] [--dpdk-eal PATH]\n",
				argv[0]);
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	if (free_hugepages() < atol(mem) / 2) {
		printf("SKIP: %s MB of 2 MiB hugepages needed, %ld free: add %ld to /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages and mount a hugetlbfs\n",
		       mem, free_hugepages(), atol(mem) / 2 - free_hugepages());
		return 77;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = '\0';

	{
		char *vf[16], *tp[16], *de[16];
		int a = 0, b = 0, c = 0;

		vf[a++] = self; vf[a++] = (char *)"--child";
		vf[a++] = (char *)"-l"; vf[a++] = (char *)"0-1";
		vf[a++] = (char *)"-m"; vf[a++] = mem;
		vf[a++] = (char *)"--no-pci";
		vf[a++] = (char *)"--file-prefix"; vf[a++] = (char *)"vfnbench";
		tp[b++] = (char *)testpmd;
		tp[b++] = (char *)"-l"; tp[b++] = (char *)"0-1";
		tp[b++] = (char *)"-n"; tp[b++] = (char *)"1";
		tp[b++] = (char *)"-m"; tp[b++] = mem;
		tp[b++] = (char *)"--no-pci";
		tp[b++] = (char *)"--file-prefix"; tp[b++] = (char *)"dpdkbench";
		/* DPDK keeps its hugepage files after exit unless told */
		tp[b++] = (char *)"--huge-unlink";
		if (dpdk_eal) {
			memcpy(de, tp, sizeof(tp));
			de[0] = (char *)dpdk_eal;
			c = b;
		}
		if (huge_dir) {
			vf[a++] = (char *)"--huge-dir"; vf[a++] = (char *)huge_dir;
			tp[b++] = (char *)"--huge-dir"; tp[b++] = (char *)huge_dir;
			if (dpdk_eal) {
				de[c++] = (char *)"--huge-dir";
				de[c++] = (char *)huge_dir;
			}
		}
		vf[a] = NULL;
		tp[b] = NULL;
		de[c] = NULL;

		tv = calloc(runs, sizeof(double));
		tt = calloc(runs, sizeof(double));
		td = calloc(runs, sizeof(double));
		if (!tv || !tt || !td)
			return 1;
		/* one warm-up of each: page cache, shared libraries */
		time_to_ready(vf, "vfnet ready");
		time_to_ready(tp, "Press enter to exit");
		for (i = 0; i < runs; i++) {
			tv[i] = time_to_ready(vf, "vfnet ready");
			tt[i] = time_to_ready(tp, "Press enter to exit");
			if (dpdk_eal)
				td[i] = time_to_ready(de, "dpdk ready");
			if (tv[i] < 0 || tt[i] < 0 || (dpdk_eal && td[i] < 0))
				return 1;
			printf("run %d: vfnet %.1f ms, testpmd %.1f ms", i + 1,
			       tv[i], tt[i]);
			if (dpdk_eal)
				printf(", rte_eal_init %.1f ms", td[i]);
			printf("\n");
		}
	}
	mv = median(tv, runs);
	mt = median(tt, runs);
	if (dpdk_eal)
		md = median(td, runs);
	printf("eal_startup: %s MB of 2 MiB hugepages, %d runs, medians:\n", mem,
	       runs);
	printf("  vfn_eal_init to ready:        %8.1f ms\n", mv);
	printf("  dpdk-testpmd to ready:        %8.1f ms\n", mt);
	if (dpdk_eal)
		printf("  rte_eal_init to ready:        %8.1f ms\n", md);
	printf("  ratio vfnet/testpmd:          %8.3f (goal <= 0.5)\n", mv / mt);
	if (dpdk_eal)
		printf("  ratio vfnet/rte_eal_init:     %8.3f\n", mv / md);
	return 0;
}
