/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one-line error of the last failed EAL call: logged once as
 * "EAL: <message>" and kept for vfn_eal_last_error() (tests compare it).
 * eal_error() leaves errno as it found it, so a caller reports the error
 * and returns -1 with the errno of the call that failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "eal_private.h"
#include "vfn_log.h"

static char last_error[1024];

void eal_error(const char *fmt, ...)
{
	int err = errno;	/* logging may fail and set its own */
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	vfn_log(VFN_LOG_ERR, "EAL", "%s", last_error);
	errno = err;
}

void eal_error_clear(void)
{
	last_error[0] = '\0';
}

const char *vfn_eal_last_error(void)
{
	return last_error;
}

int eal_fmt(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return ret;
}
