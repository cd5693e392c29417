/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tiny check helpers for the VFIO conformance programs: each check prints
 * one "ok"/"FAIL" line and is counted; vfio_check_summary() prints the
 * "N passed, N failed" line and returns the exit status.
 */
#ifndef VFIO_CHECK_H
#define VFIO_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int vfio_check_passed, vfio_check_failed;

static inline int vfio_check(int ok, const char *name, const char *detail)
{
	if (ok) {
		vfio_check_passed++;
		printf("ok   %s\n", name);
	} else {
		vfio_check_failed++;
		printf("FAIL %s%s%s\n", name, detail ? ": " : "",
		       detail ? detail : "");
	}
	fflush(stdout);
	return ok;
}

/* @ret is a syscall result: expect success (>= 0). */
#define CHECK_OK(ret, name) do {					\
	long _r = (ret);						\
	char _d[128];							\
	snprintf(_d, sizeof(_d), "returned %ld, errno %d (%s)", _r,	\
		 errno, strerror(errno));				\
	vfio_check(_r >= 0, name, _d);					\
} while (0)

/* @ret is a syscall result: expect -1 with errno @err. */
#define CHECK_ERR(ret, err, name) do {					\
	long _r;							\
	char _d[128];							\
	errno = 0;							\
	_r = (ret);							\
	snprintf(_d, sizeof(_d), "returned %ld, errno %d (%s), want %s", \
		 _r, errno, strerror(errno), #err);			\
	vfio_check(_r == -1 && errno == (err), name, _d);		\
} while (0)

#define CHECK_EQ(got, want, name) do {					\
	long long _g = (long long)(got), _w = (long long)(want);	\
	char _d[128];							\
	snprintf(_d, sizeof(_d), "got %lld (0x%llx), want %lld (0x%llx)", \
		 _g, _g, _w, _w);					\
	vfio_check(_g == _w, name, _d);				\
} while (0)

#define CHECK_TRUE(cond, name) vfio_check(!!(cond), name, #cond)

static inline int vfio_check_summary(void)
{
	printf("%d passed, %d failed\n", vfio_check_passed, vfio_check_failed);
	return vfio_check_failed ? 1 : 0;
}

#endif /* VFIO_CHECK_H */
