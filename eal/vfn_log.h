/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Logging: one stream (stderr), levels as syslog's, set by --log-level.
 */
#ifndef VFN_LOG_H
#define VFN_LOG_H

#include <stdarg.h>
#include <stdint.h>

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
 * Set the level of every log type whose name matches the glob @p pattern
 * (fnmatch(3): "lib.eal", "pmd.net.*"), as DPDK's rte_log_set_level_pattern()
 * and --log-level PATTERN:LEVEL.  A type's level, when a pattern matches it,
 * replaces the global level for its messages; the last match wins.
 * @return 0, or -1 (bad level, empty or too long pattern, too many)
 */
int vfn_log_set_level_pattern(const char *pattern, uint32_t level);

/** As vfn_log_set_level_pattern() with a POSIX extended regex
 * (DPDK's rte_log_set_level_regexp(), --log-level REGEX,LEVEL). */
int vfn_log_set_level_regexp(const char *regex, uint32_t level);

/** Forget every pattern set so far. */
void vfn_log_reset_patterns(void);

/**
 * DPDK's name of a log type ("EAL" -> "lib.eal", "e1000e" ->
 * "pmd.net.e1000e"); a type vfnet does not know keeps its own name.
 */
const char *vfn_log_type_name(const char *type);

/**
 * Level the patterns give log type @p type (vfnet's or DPDK's name),
 * or -1 when none matches (the global level applies).
 */
int vfn_log_type_level(const char *type);

/**
 * Log one message.
 * @param level  severity
 * @param type   component name printed before the message ("EAL", "ring")
 * @param fmt    printf format; a trailing newline is added if missing
 * @return number of characters written, or 0 when filtered out
 */
int vfn_log(enum vfn_log_level level, const char *type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Log one message of a component, as DPDK's RTE_LOG(level, type, ...):
 * @p level is a level without its VFN_LOG_ prefix (ERR, WARNING, NOTICE,
 * INFO, DEBUG), @p type the component's log type ("EAL", "e1000e",
 * "virtio"), which vfn_log_type_name() maps to DPDK's name
 * ("pmd.net.e1000e") for --log-level patterns.  A component defines its
 * macro once, in its private header, on this one:
 * `#define E1000E_LOG(level, ...) VFN_LOG(level, "e1000e", __VA_ARGS__)`.
 */
#define VFN_LOG(level, type, ...) vfn_log(VFN_LOG_##level, type, __VA_ARGS__)

/** As vfn_log() with a va_list. */
int vfn_vlog(enum vfn_log_level level, const char *type, const char *fmt,
	     va_list ap);

#ifdef __cplusplus
}
#endif

#endif /* VFN_LOG_H */
