/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread placement shared by bench/ring_perf and bench/mempool_perf.
 */
#ifndef BENCH_THREADS_H
#define BENCH_THREADS_H

#include <pthread.h>
#include <sched.h>
#include <stdio.h>

/* Pin the calling thread to @p cpu; @p prog names the program in errors. */
static inline void bench_pin(const char *prog, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr, "%s: cannot pin to CPU %d\n", prog, cpu);
}

/*
 * Start @p fn on a thread already bound to @p cpu: a thread created by a
 * pinned thread inherits its CPU, and under SCHED_FIFO it would never get
 * to run next to its spinning creator to move itself.
 */
static inline int bench_spawn(pthread_t *t, int cpu, void *(*fn)(void *),
			      void *arg)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int rc;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	rc = pthread_create(t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return rc;
}

#endif
