/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pre-faulting new memory on several CPUs at once.  Faulting in hugepages
 * is mostly the kernel zeroing them (about 0.1-0.3 s per GiB per CPU), so
 * start-up time is dominated by it; one thread per allowed CPU (at most
 * 8) each populates its own slice with MADV_POPULATE_WRITE (Linux 5.14+;
 * older kernels: a write per page).  The helper threads run on the
 * process's original CPU set, not on the main lcore's single CPU.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>

#include "eal_private.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define MAX_THREADS 8

struct slice {
	uint8_t *addr;
	size_t len;
	size_t page_sz;
	int err;
};

static int populate_one(struct slice *s)
{
	if (!madvise(s->addr, s->len, MADV_POPULATE_WRITE))
		return 0;
	if (errno != EINVAL)
		return errno; /* ENOMEM, EFAULT: out of hugepages */
	/* old kernel: touch each page (the memory is new: zero is fine) */
	for (size_t off = 0; off < s->len; off += s->page_sz)
		((volatile uint8_t *)s->addr)[off] = 0;
	return 0;
}

static void *populate_thread(void *arg)
{
	struct slice *s = arg;

	s->err = populate_one(s);
	return NULL;
}

int eal_populate(void *addr, size_t len, size_t page_sz,
		 const cpu_set_t *cpus)
{
	struct slice sl[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	size_t pages = len / page_sz, per;
	unsigned int n = cpus ? (unsigned int)CPU_COUNT(cpus) : 1;
	pthread_attr_t attr;
	int err = 0;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	if (n > pages)
		n = (unsigned int)pages;
	if (n < 1)
		n = 1;
	per = (pages + n - 1) / n;
	pthread_attr_init(&attr);
	if (cpus)
		pthread_attr_setaffinity_np(&attr, sizeof(*cpus), cpus);
	for (unsigned int i = 0; i < n; i++) {
		size_t first = i * per;

		sl[i].addr = (uint8_t *)addr + first * page_sz;
		sl[i].len = (first + per > pages ? pages - first : per) * page_sz;
		sl[i].page_sz = page_sz;
		sl[i].err = 0;
		if (!sl[i].len)
			continue;
		/* slice 0 on this thread; others on helpers if they start */
		if (i && !pthread_create(&th[i], &attr, populate_thread, &sl[i]))
			started[i] = true;
	}
	pthread_attr_destroy(&attr);
	for (unsigned int i = 0; i < n; i++) {
		if (!sl[i].len || started[i])
			continue;
		sl[i].err = populate_one(&sl[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		if (sl[i].err && !err)
			err = sl[i].err;
	}
	return err ? (errno = err, -1) : 0;
}
