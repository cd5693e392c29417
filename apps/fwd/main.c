/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd main: EAL, options, ports, streams, launch the forwarding lcores,
 * print statistics until the duration, the packet budget or a signal
 * ends the run, then stop cleanly and print the totals.  With -i the
 * prompt (prompt.c) starts and stops forwarding instead.
 *
 * Exit status: 0 after a clean run (SIGINT/SIGTERM included), 1 for a
 * bad option or a set-up failure, 3 when mbufs leaked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "vfn_eal.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "fwd.h"

static void on_signal(int sig)
{
	fwd_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double tsc_secs(uint64_t cycles)
{
	return (double)cycles / (double)vfn_get_tsc_hz();
}

/*
 * Sleep until @p until (TSC) but at most @p cap_ns.  The main lcore must
 * stay asleep: in a VM every wake-up is a timer interrupt and a vCPU
 * wake-up that take host CPU (and under QEMU TCG the I/O thread's lock)
 * from the forwarding lcores and the emulated NICs; waking every 1 ms cost
 * about 10% of the virtio-net io forwarding rate in the test VM.
 */
static void sleep_until(uint64_t now, uint64_t until, uint64_t hz,
			uint64_t cap_ns)
{
	uint64_t ns = cap_ns;
	struct timespec ts;

	if (until > now) {
		double d = (double)(until - now) * 1e9 / (double)hz;

		if (d < (double)ns)
			ns = (uint64_t)d + 1;
	} else {
		ns = 0;
	}
	if (ns < 1000)
		ns = 1000;
	ts.tv_sec = (time_t)(ns / 1000000000u);
	ts.tv_nsec = (long)(ns % 1000000000u);
	nanosleep(&ts, NULL); /* a signal cuts it short */
}

/*
 * Without a prompt: start, watch, stop.  Returns the forwarding time in
 * seconds; *@p err is set when an lcore failed.
 */
static double run(int *err)
{
	/*
	 * With a packet budget the lcores end the run and its length is
	 * measured here: check every 1 ms.  Otherwise wake for the next
	 * statistics period or the end of the duration, and at least every
	 * 100 ms (a signal taken by another thread is seen that late).
	 */
	const uint64_t cap_ns = fwd_cfg.nb_pkts ? 1000000 : 100000000;
	uint64_t hz = vfn_get_tsc_hz(), t0, now, next;
	uint64_t period = (uint64_t)(fwd_cfg.stats_period * (double)hz);
	uint64_t duration = (uint64_t)(fwd_cfg.duration * (double)hz);

	t0 = vfn_rdtsc();
	next = t0 + period;
	now = t0;
	for (;;) {
		uint64_t until = UINT64_MAX;

		if (period)
			until = next;
		if (duration && t0 + duration < until)
			until = t0 + duration;
		sleep_until(now, until, hz, cap_ns);
		now = vfn_rdtsc();
		if (fwd_signal) {
			printf("\nfwd: signal %d received, stopping\n",
			       (int)fwd_signal);
			break;
		}
		if (duration && now - t0 >= duration)
			break;
		if (fwd_forward_finished())
			break;
		if (period && now >= next) {
			fwd_stats_period();
			next += period;
		}
	}
	if (fwd_forward_stop())
		*err = 1;
	return tsc_secs(vfn_rdtsc() - t0);
}

/* Stop and close every port, then check that no mbuf is missing. */
static int teardown(void)
{
	unsigned int in_use, total;
	int leak = 0;

	fwd_ports_close();
	if (fwd_pool) {
		total = fwd_pool->size;
		in_use = vfn_mempool_in_use_count(fwd_pool);
		printf("fwd-mbufs: total=%u in_use=%u\n", total, in_use);
		if (in_use) {
			fprintf(stderr, "fwd: %u mbufs were not returned to the "
				"pool after the ports closed\n", in_use);
			leak = 1;
		}
		vfn_mempool_free(fwd_pool);
		fwd_pool = NULL;
	}
	fwd_streams_free();
	return leak;
}

/*
 * Lock every page, now and future, as testpmd does unless --no-mlockall:
 * no page fault on the data path.  A failure is a note, not an error.
 * An unprivileged process with a finite RLIMIT_MEMLOCK is not locked at
 * all: MCL_FUTURE would make its later allocations (thread stacks, mbuf
 * pools) fail once the limit is reached.
 */
static void lock_memory(void)
{
	struct rlimit rl;

	if (geteuid() != 0 && !getrlimit(RLIMIT_MEMLOCK, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY) {
		fprintf(stderr, "fwd: note: not locking memory: RLIMIT_MEMLOCK is "
			"%llu kB; raise it (ulimit -l unlimited) or pass "
			"--no-mlockall\n", (unsigned long long)rl.rlim_cur >> 10);
		return;
	}
#if defined(__SANITIZE_ADDRESS__)
	fprintf(stderr, "fwd: note: not locking memory: AddressSanitizer "
		"makes mlockall() a no-op\n");
	return;
#endif
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		fprintf(stderr, "fwd: note: mlockall() failed: %s; running "
			"with pageable memory\n", strerror(errno));
}

int main(int argc, char **argv)
{
	int ret, err = 0, status;
	double elapsed;

	ret = vfn_eal_init(argc, argv);
	if (ret < 0) {
		if (errno == 0)
			return 0; /* --help */
		fprintf(stderr, "fwd: EAL initialisation failed: %s\n",
			vfn_eal_last_error());
		return 1;
	}
	argc -= ret;
	argv += ret;
	ret = fwd_parse_args(argc, argv, &fwd_cfg);
	if (ret) {
		vfn_eal_cleanup();
		return ret > 0 ? 0 : 1;
	}
	if (!fwd_cfg.no_mlockall)
		lock_memory();
	install_signals();
	ret = fwd_ports_init();
	if (!ret)
		ret = fwd_lcores_init();
	if (!ret)
		ret = fwd_ports_setup();
	if (!ret && fwd_cfg.interactive) {
		err = fwd_prompt_run();
		fwd_rx_intr_report();
		fwd_capture_stop_all(stdout);
		status = teardown() ? 3 : err;
		vfn_eal_cleanup();
		return status;
	}
	if (!ret)
		ret = fwd_forward_start(fwd_cfg.tx_first ? 1 : 0);
	if (ret) {
		fwd_capture_stop_all(NULL);
		teardown();
		vfn_eal_cleanup();
		return 1;
	}
	elapsed = run(&err);
	fwd_stats_final(elapsed);
	fwd_rx_intr_report();
	fwd_capture_stop_all(stdout);
	status = teardown() ? 3 : err;
	vfn_eal_cleanup();
	return status;
}
