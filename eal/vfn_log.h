/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Logging: one stream (stderr), levels as syslog's, set by --log-level.
 */
#ifndef VFN_LOG_H
#define VFN_LOG_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

enum vfn_log_level {
	VFN_LOG_EMERG = 1,
	VFN_LOG_ALERT,
	VFN_LOG_CRIT,
	VFN_LOG_ERR,
	VFN_LOG_WARNING,
	VFN_LOG_NOTICE,
	VFN_LOG_INFO,
	VFN_LOG_DEBUG,
};

/** Set the global level: messages above it are dropped. */
void vfn_log_set_level(enum vfn_log_level level);

/** Current global level. */
enum vfn_log_level vfn_log_get_level(void);

/**
 * Log one message.
 * @param level  severity
 * @param type   component name printed before the message ("EAL", "ring")
 * @param fmt    printf format; a trailing newline is added if missing
 * @return number of characters written, or 0 when filtered out
 */
int vfn_log(enum vfn_log_level level, const char *type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** As vfn_log() with a va_list. */
int vfn_vlog(enum vfn_log_level level, const char *type, const char *fmt,
	     va_list ap);

#ifdef __cplusplus
}
#endif

#endif /* VFN_LOG_H */
