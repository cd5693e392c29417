/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfn_tap.h - the one reporting style of every vfnet test that is not a
 * CUnit program: TAP (Test Anything Protocol, version 13), read by meson
 * with `protocol: 'tap'`, so every check is counted in the suite summary.
 *
 *   ok 3 - MAP_DMA of 2 MiB
 *   not ok 4 - UNMAP_DMA size # conformance.c:212: r == 0, observed -1, errno 22 (Invalid argument)
 *   ok 5 - MSI-X loopback # SKIP device has no MSI-X
 *   1..5
 *
 * Each check macro takes the condition (or the values to compare) and a
 * printf-style name, prints one line, counts it and returns whether it
 * passed, so a test can stop early: `if (!TAP_OK(fd = open(...), "open"))`.
 * A failing line says where (file:line), what was expected (the
 * expression), what was observed, and errno.  Lines that are not results
 * go out as "# " diagnostics, which TAP readers show and do not count.
 *
 * A program ends with `return tap_done();`: it prints the plan ("1..N")
 * and returns the exit status (0 unless a check failed).  Numbering is per
 * process; a shell script that runs several such programs in one VM boot
 * joins them into one stream with tests/lib/vfn_tap.sh's tap_run.
 *
 * The counters are weak symbols so that a program built from several .c
 * files shares one set without a separate definition file.
 */
#ifndef VFN_TAP_H
#define VFN_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Checks run so far (the next one gets number vfn_tap_count + 1). */
__attribute__((weak)) unsigned int vfn_tap_count;
/** Checks that failed so far. */
__attribute__((weak)) unsigned int vfn_tap_failed;
/** Checks reported as skipped so far. */
__attribute__((weak)) unsigned int vfn_tap_skipped;
/** Where results go; stdout unless a test (of this header) redirects it. */
__attribute__((weak)) FILE *vfn_tap_out;

static inline FILE *vfn_tap_file(void)
{
	return vfn_tap_out ? vfn_tap_out : stdout;
}

/*
 * A name must stay on one line and must not contain '#', which would start
 * a TAP directive: both are replaced, so a name built from data (a device
 * string, an errno text) cannot corrupt the stream.
 */
static inline void vfn_tap_clean(char *s)
{
	for (; *s; s++)
		if (*s == '#' || *s == '\n' || *s == '\r')
			*s = *s == '#' ? '_' : ' ';
}

/**
 * @internal Print one result line.
 * @param ok      whether the check passed
 * @param file    source file of the check (its basename is printed)
 * @param line    source line of the check
 * @param detail  why it failed (expression, observed value), or NULL
 * @param err     errno saved right after the checked call, 0 for none
 * @param fmt     printf-style name of the check
 * @return @p ok
 */
__attribute__((format(printf, 6, 7)))
static inline int vfn_tap_result(int ok, const char *file, int line,
				 const char *detail, int err,
				 const char *fmt, ...)
{
	const char *base = strrchr(file, '/');
	char name[256];
	va_list ap;
	FILE *out = vfn_tap_file();

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	vfn_tap_clean(name);
	vfn_tap_count++;
	if (ok) {
		fprintf(out, "ok %u - %s\n", vfn_tap_count, name);
	} else {
		vfn_tap_failed++;
		fprintf(out, "not ok %u - %s # %s:%d: %s", vfn_tap_count, name,
			base ? base + 1 : file, line, detail ? detail : "");
		if (err)
			fprintf(out, ", errno %d (%s)", err, strerror(err));
		fputc('\n', out);
	}
	fflush(out);
	return ok;
}

/**
 * Report a check that could not run here, with the reason; counted as a
 * skip (meson shows SKIP), never as a pass.
 */
__attribute__((format(printf, 2, 3)))
static inline void vfn_tap_skip(const char *reason, const char *fmt, ...)
{
	char name[256], why[256];
	va_list ap;
	FILE *out = vfn_tap_file();

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	snprintf(why, sizeof(why), "%s", reason);
	vfn_tap_clean(name);
	vfn_tap_clean(why);
	vfn_tap_count++;
	vfn_tap_skipped++;
	fprintf(out, "ok %u - %s # SKIP %s\n", vfn_tap_count, name, why);
	fflush(out);
}

/** A diagnostic line ("# ..."): shown by TAP readers, not counted. */
__attribute__((format(printf, 1, 2)))
static inline void tap_diag(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	FILE *out = vfn_tap_file();

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(out, "# %s\n", msg);
	fflush(out);
}

/**
 * Stop the whole test: prints "Bail out! reason" (meson counts it as an
 * error) and exits 1.  For set-up that every later check depends on.
 */
__attribute__((format(printf, 1, 2), noreturn))
static inline void tap_bail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	FILE *out = vfn_tap_file();

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vfn_tap_clean(msg);
	fprintf(out, "Bail out! %s\n", msg);
	fflush(out);
	exit(1);
}

/** Print the plan and return the exit status: 0 unless a check failed. */
static inline int tap_done(void)
{
	FILE *out = vfn_tap_file();

	if (vfn_tap_count == 0)
		fprintf(out, "1..0 # SKIP no checks ran\n");
	else
		fprintf(out, "1..%u\n", vfn_tap_count);
	fflush(out);
	return vfn_tap_failed ? 1 : 0;
}

/** Pass when @p cond is true; the failure line shows the expression. */
#define TAP_CHECK(cond, ...)						\
	vfn_tap_result(!!(cond), __FILE__, __LINE__, #cond, 0, __VA_ARGS__)

/**
 * Pass when @p cond is true; a failure shows the expression and the errno
 * left by it: errno is not cleared first, so a condition on a value
 * set just before (`fd >= 0` after an open) shows that call's errno.
 */
#define TAP_CHECK_ERRNO(cond, ...) ({					\
	int _tap_c, _tap_e;						\
	_tap_c = !!(cond);						\
	_tap_e = errno;							\
	vfn_tap_result(_tap_c, __FILE__, __LINE__, #cond,		\
		       _tap_c ? 0 : _tap_e, __VA_ARGS__);		\
})

/** Pass when syscall-style @p ret is >= 0; shows the value and errno. */
#define TAP_OK(ret, ...) ({						\
	long long _tap_r;						\
	int _tap_e;							\
	char _tap_d[192];						\
	errno = 0;							\
	_tap_r = (long long)(ret);					\
	_tap_e = errno;							\
	snprintf(_tap_d, sizeof(_tap_d), "%s >= 0, observed %lld",	\
		 #ret, _tap_r);						\
	vfn_tap_result(_tap_r >= 0, __FILE__, __LINE__, _tap_d,		\
		       _tap_r < 0 ? _tap_e : 0, __VA_ARGS__);		\
})

/** Pass when syscall-style @p ret is -1 with errno @p err. */
#define TAP_ERR(ret, err, ...) ({					\
	long long _tap_r;						\
	int _tap_e;							\
	char _tap_d[192];						\
	errno = 0;							\
	_tap_r = (long long)(ret);					\
	_tap_e = errno;							\
	snprintf(_tap_d, sizeof(_tap_d),				\
		 "%s fails with %s, observed %lld", #ret, #err, _tap_r); \
	vfn_tap_result(_tap_r == -1 && _tap_e == (err), __FILE__,	\
		       __LINE__, _tap_d, _tap_e, __VA_ARGS__);		\
})

/** Pass when integers @p got and @p want are equal; shows both. */
#define TAP_EQ(got, want, ...) ({					\
	long long _tap_g = (long long)(got), _tap_w = (long long)(want); \
	char _tap_d[192];						\
	snprintf(_tap_d, sizeof(_tap_d),				\
		 "%s == %s, observed %lld (0x%llx), expected %lld (0x%llx)", \
		 #got, #want, _tap_g, _tap_g, _tap_w, _tap_w);		\
	vfn_tap_result(_tap_g == _tap_w, __FILE__, __LINE__, _tap_d, 0,	\
		       __VA_ARGS__);					\
})

/** Report a skipped check: TAP_SKIP("no MSI-X on this device", "name"). */
#define TAP_SKIP(reason, ...) vfn_tap_skip(reason, __VA_ARGS__)

#endif /* VFN_TAP_H */
