/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "vfn_log.h"

static enum vfn_log_level log_level = VFN_LOG_NOTICE;

void vfn_log_set_level(enum vfn_log_level level)
{
	log_level = level;
}

enum vfn_log_level vfn_log_get_level(void)
{
	return log_level;
}

int vfn_vlog(enum vfn_log_level level, const char *type, const char *fmt,
	     va_list ap)
{
	char buf[1024];
	size_t len;

	if (level > log_level)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	/* One fprintf per message so lines from lcores do not interleave. */
	return fprintf(stderr, "%s: %s\n", type, buf);
}

int vfn_log(enum vfn_log_level level, const char *type, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfn_vlog(level, type, fmt, ap);
	va_end(ap);
	return ret;
}
