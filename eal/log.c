/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Logging: one stream (stderr, and syslog after --syslog), a global level,
 * and levels per named log type set by pattern (DPDK's --log-level
 * PATTERN:LEVEL and REGEX,LEVEL).
 *
 * Log types: a message's type is the short name its component passes
 * ("EAL", "e1000e"); patterns match DPDK's name for it ("lib.eal",
 * "pmd.net.e1000e", see type_names[]) or, for a type not in the table,
 * the short name itself.  The pattern list is written at start-up
 * (vfn_eal_init() or the application) before lcores log; it is read
 * without a lock.
 */
#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "eal_private.h"
#include "vfn_log.h"

static enum vfn_log_level log_level = VFN_LOG_NOTICE;

/* DPDK's log type names of vfnet's components. */
static const struct {
	const char *type;
	const char *name;
} type_names[] = {
	{ "EAL", "lib.eal" },
	{ "RING", "lib.ring" },
	{ "MEMPOOL", "lib.mempool" },
	{ "MBUF", "lib.mbuf" },
	{ "port", "lib.ethdev" },
	{ "e1000e", "pmd.net.e1000e" },
	{ "virtio", "pmd.net.virtio" },
	{ "net_null", "pmd.net.null" },
	{ "net_ring", "pmd.net.ring" },
};

#define MAX_PATTERNS 32

static struct {
	char text[64];
	uint32_t level;
	bool regex;
	regex_t re;
} patterns[MAX_PATTERNS];
static unsigned int n_patterns;

static int syslog_on;

void vfn_log_set_level(enum vfn_log_level level)
{
	log_level = level;
}

enum vfn_log_level vfn_log_get_level(void)
{
	return log_level;
}

const char *vfn_log_type_name(const char *type)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (!strcmp(type_names[i].type, type))
			return type_names[i].name;
	return type;
}

static int add_pattern(const char *text, uint32_t level, bool regex)
{
	unsigned int i = n_patterns;

	if (level < VFN_LOG_EMERG || level > VFN_LOG_DEBUG || !text ||
	    !*text || strlen(text) >= sizeof(patterns[0].text) ||
	    i == MAX_PATTERNS)
		return -1;
	if (regex && regcomp(&patterns[i].re, text, REG_EXTENDED | REG_NOSUB))
		return -1;
	memcpy(patterns[i].text, text, strlen(text) + 1);
	patterns[i].level = level;
	patterns[i].regex = regex;
	n_patterns++;
	return 0;
}

int vfn_log_set_level_pattern(const char *pattern, uint32_t level)
{
	return add_pattern(pattern, level, false);
}

int vfn_log_set_level_regexp(const char *regex, uint32_t level)
{
	return add_pattern(regex, level, true);
}

void vfn_log_reset_patterns(void)
{
	for (unsigned int i = 0; i < n_patterns; i++)
		if (patterns[i].regex)
			regfree(&patterns[i].re);
	n_patterns = 0;
}

int eal_log_check_regexp(const char *regex)
{
	regex_t re;

	if (regcomp(&re, regex, REG_EXTENDED | REG_NOSUB))
		return -1;
	regfree(&re);
	return 0;
}

int vfn_log_type_level(const char *type)
{
	const char *name = vfn_log_type_name(type);
	int level = -1;

	/* The last pattern that matches wins, as in DPDK. */
	for (unsigned int i = 0; i < n_patterns; i++) {
		bool hit = patterns[i].regex ?
			!regexec(&patterns[i].re, name, 0, NULL, 0) :
			!fnmatch(patterns[i].text, name, 0);

		if (hit)
			level = (int)patterns[i].level;
	}
	return level;
}

void eal_log_syslog(const char *ident, int facility)
{
	if (syslog_on)
		closelog();
	syslog_on = facility >= 0;
	if (syslog_on)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

int vfn_vlog(enum vfn_log_level level, const char *type, const char *fmt,
	     va_list ap)
{
	int max = n_patterns ? vfn_log_type_level(type) : -1;
	char buf[1024];
	size_t len;

	if ((int)level > (max >= 0 ? max : (int)log_level))
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	/* As DPDK 22.11: the console always, syslog too when asked. */
	if (syslog_on)
		syslog((int)level - 1, "%s: %s", type, buf);
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
