/* SPDX-License-Identifier: BSD-3-Clause */
/* vfn_exit() and vfn_panic() (vfn_debug.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "vfn_debug.h"
#include "vfn_eal.h"
#include "vfn_log.h"

void vfn_exit(int exit_code, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vfn_vlog(VFN_LOG_CRIT, "EAL", format, ap);
	va_end(ap);
	if (vfn_eal_is_initialized())
		vfn_eal_cleanup();
	exit(exit_code);
}

void __vfn_panic(const char *funcname, const char *format, ...)
{
	va_list ap;

	vfn_log(VFN_LOG_CRIT, "EAL", "PANIC in %s():", funcname);
	va_start(ap, format);
	vfn_vlog(VFN_LOG_CRIT, "EAL", format, ap);
	va_end(ap);
	abort();
}
