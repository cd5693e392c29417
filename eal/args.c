/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL command line, with DPDK's spelling.  Hand-written rather than
 * getopt_long(): no global state to reset between calls, no reordering
 * of the application's arguments, and every error is one line that names
 * the argument.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "eal_private.h"
#include "vfn_log.h"
#include "vfn_pci.h"

void eal_config_defaults(struct eal_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	TAILQ_INIT(&cfg->allow);
	TAILQ_INIT(&cfg->block);
	TAILQ_INIT(&cfg->vdevs);
	for (unsigned int i = 0; i < VFN_MAX_LCORE; i++)
		cfg->lcore_cpu[i] = -1;
	eal_fmt(cfg->file_prefix, sizeof(cfg->file_prefix), "vfnet");
	cfg->log_level = -1;
	cfg->syslog_facility = -1;
}

static void devarg_list_free(struct eal_devarg_list *l)
{
	struct eal_devarg *d;

	while ((d = TAILQ_FIRST(l))) {
		TAILQ_REMOVE(l, d, next);
		free(d->args);
		free(d);
	}
}

void eal_config_free(struct eal_config *cfg)
{
	devarg_list_free(&cfg->allow);
	devarg_list_free(&cfg->block);
	devarg_list_free(&cfg->vdevs);
}

int eal_parse_size(const char *s, uint64_t unit, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0':
		break;
	case 'K':
		unit = 1ull << 10, end++;
		break;
	case 'M':
		unit = 1ull << 20, end++;
		break;
	case 'G':
		unit = 1ull << 30, end++;
		break;
	default:
		return -1;
	}
	if (*end && strcasecmp(end, "B") && strcasecmp(end, "iB"))
		return -1;
	if (v > UINT64_MAX / unit)
		return -1;
	*out = v * unit;
	return 0;
}

static int parse_uint(const char **p, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	v = strtoul(*p, &end, 10);
	if (errno || v > max)
		return -1;
	*p = end;
	*out = v;
	return 0;
}

void eal_lcore_assign(struct eal_config *cfg, unsigned int id,
		      const cpu_set_t *set)
{
	int first = 0;

	while (first < CPU_SETSIZE && !CPU_ISSET(first, set))
		first++;
	if (!cfg->lcore_enabled[id])
		cfg->lcore_count++;
	cfg->lcore_enabled[id] = true;
	cfg->lcore_cpuset[id] = *set;
	cfg->lcore_cpu[id] = first;
}

static const char *skip_blank(const char *p)
{
	while (isblank((unsigned char)*p))
		p++;
	return p;
}

/* One number below CPU_SETSIZE. */
static int parse_cpu(const char **p, unsigned long *out)
{
	*p = skip_blank(*p);
	return parse_uint(p, CPU_SETSIZE - 1, out);
}

/* "n" or "a-b" (either order): add those CPUs to @set; 0 or -1. */
static int parse_cpu_range(const char **p, cpu_set_t *set)
{
	unsigned long lo, hi;

	if (parse_cpu(p, &lo))
		return -1;
	hi = lo;
	*p = skip_blank(*p);
	if (**p == '-') {
		(*p)++;
		if (parse_cpu(p, &hi))
			return -1;
		*p = skip_blank(*p);
	}
	for (unsigned long c = lo < hi ? lo : hi; c <= (lo < hi ? hi : lo); c++)
		CPU_SET(c, set);
	return 0;
}

/*
 * A set as DPDK's eal_parse_set(): "n", "a-b" (either order) or
 * "(n,a-b,...)".  Fills @set and returns the characters consumed (blanks
 * after a group included), or -1.
 */
static int parse_set(const char *in, cpu_set_t *set)
{
	const char *p = skip_blank(in);

	CPU_ZERO(set);
	if (*p != '(') {
		if (parse_cpu_range(&p, set))
			return -1;
		if (*p != ',' && *p != '\0' && *p != '@')
			return -1;
		return (int)(p - in);
	}
	p++;
	do {
		if (parse_cpu_range(&p, set))
			return -1;
		if (*p == ',')
			p++;
		else if (*p != ')')
			return -1;
	} while (*p != ')');
	return (int)(skip_blank(p + 1) - in);
}

/*
 * -l/--lcores, as DPDK's eal_parse_lcores(): comma-separated elements
 * LCORES[@CPUS], each side "n", "a-b" or "(set)".  Without "@", "a-b"
 * runs lcore n on CPU n, and "(set)" runs every lcore of the set on the
 * whole set.  An lcore listed again takes the later CPUs.
 */
int eal_parse_lcores(const char *s, struct eal_config *cfg)
{
	const char *p = skip_blank(s), *end;

	memset(cfg->lcore_enabled, 0, sizeof(cfg->lcore_enabled));
	cfg->lcore_count = 0;
	do {
		cpu_set_t ids, cpus;
		const char *start;
		bool each_own = false;
		int n;

		p = skip_blank(p);
		if (!*p)
			return -1;
		start = p;
		n = parse_set(start, &ids);
		if (n < 0)
			return -1;
		p = start + n;
		if (*p == '@') {
			n = parse_set(p + 1, &cpus);
			if (n < 0)
				return -1;
			end = p + 1 + n;
		} else {
			cpus = ids;
			end = p;
			/* "a-b" (not a group): one CPU per lcore */
			each_own = *skip_blank(start) != '(';
		}
		if (*end != ',' && *end != '\0')
			return -1;
		for (int id = 0; id < CPU_SETSIZE; id++) {
			if (!CPU_ISSET(id, &ids))
				continue;
			if (id >= VFN_MAX_LCORE)
				return -1; /* beyond the lcores vfnet has */
			if (each_own) {
				CPU_ZERO(&cpus);
				CPU_SET(id, &cpus);
			}
			eal_lcore_assign(cfg, (unsigned int)id, &cpus);
		}
		p = end + 1;
	} while (*end != '\0');
	return cfg->lcore_count ? 0 : -1;
}

/* -c hex coremask */
static int parse_coremask(const char *s, struct eal_config *cfg)
{
	size_t len;
	unsigned int bit = 0;

	if (!strncasecmp(s, "0x", 2))
		s += 2;
	len = strlen(s);
	if (!len)
		return -1;
	memset(cfg->lcore_enabled, 0, sizeof(cfg->lcore_enabled));
	cfg->lcore_count = 0;
	for (size_t i = len; i-- > 0; bit += 4) {
		int v;

		if (!isxdigit((unsigned char)s[i]))
			return -1;
		v = isdigit((unsigned char)s[i]) ? s[i] - '0' :
			tolower((unsigned char)s[i]) - 'a' + 10;
		for (int b = 0; b < 4; b++) {
			if (!(v & (1 << b)))
				continue;
			cpu_set_t one;

			if (bit + b >= VFN_MAX_LCORE)
				return -1;
			CPU_ZERO(&one);
			CPU_SET(bit + b, &one);
			eal_lcore_assign(cfg, bit + b, &one);
		}
	}
	return cfg->lcore_count ? 0 : -1;
}

static int parse_socket_mem(const char *s, struct eal_config *cfg)
{
	unsigned int node = 0;
	char buf[256], *tok, *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return -1;
	eal_fmt(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (node == VFN_MAX_NUMA_NODES)
			return -1;
		if (eal_parse_size(tok, 1ull << 20, &cfg->socket_mem[node++]))
			return -1;
	}
	if (!node || s[strlen(s) - 1] == ',')
		return -1;
	cfg->socket_mem_set = true;
	return 0;
}

/*
 * A level as DPDK's eal_parse_log_priority(): a prefix of a level's name
 * ("emergency", "alert", "critical", "error", "warning", "notice",
 * "info", "debug": "err", "warn", "crit" work) or a number 1-8 (above 8:
 * 8).  -1 when invalid.
 */
static int parse_level(const char *s)
{
	static const char *const names[] = {
		NULL, "emergency", "alert", "critical", "error", "warning",
		"notice", "info", "debug",
	};
	size_t len = strlen(s);
	unsigned long v;
	char *end;

	if (!len)
		return -1;
	for (int i = 1; i <= VFN_LOG_DEBUG; i++)
		if (!strncasecmp(names[i], s, len))
			return i;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !isdigit((unsigned char)*s) || v == 0)
		return -1;
	return v > VFN_LOG_DEBUG ? VFN_LOG_DEBUG : (int)v;
}

/*
 * --log-level as DPDK's: LEVEL (the global level), PATTERN:LEVEL (a glob
 * over log type names, "lib.eal", "pmd.net.*") or REGEX,LEVEL.  Type
 * levels are kept in order; the last match wins, as in DPDK.
 */
static int parse_log_level(const char *s, struct eal_config *cfg)
{
	const char *sep = strchr(s, ',');
	struct eal_log_pattern *lp;
	bool regex = sep != NULL;
	size_t plen;
	int level;

	if (!sep)
		sep = strchr(s, ':');
	level = parse_level(sep ? sep + 1 : s);
	if (level < 0)
		return -1;
	if (!sep) {
		cfg->log_level = level;
		return 0;
	}
	plen = (size_t)(sep - s);
	if (!plen || cfg->n_log_patterns == EAL_MAX_LOG_PATTERNS)
		return -1;
	lp = &cfg->log_patterns[cfg->n_log_patterns];
	if (plen >= sizeof(lp->pattern))
		return -1;
	memcpy(lp->pattern, s, plen);
	lp->pattern[plen] = '\0';
	lp->level = level;
	lp->regex = regex;
	if (regex && eal_log_check_regexp(lp->pattern))
		return -1;
	cfg->n_log_patterns++;
	return 0;
}

/* --syslog FACILITY, DPDK's names. */
static int parse_syslog(const char *s)
{
	static const struct {
		const char *name;
		int value;
	} map[] = {
		{ "auth", LOG_AUTH }, { "cron", LOG_CRON },
		{ "daemon", LOG_DAEMON }, { "ftp", LOG_FTP },
		{ "kern", LOG_KERN }, { "lpr", LOG_LPR },
		{ "mail", LOG_MAIL }, { "news", LOG_NEWS },
		{ "syslog", LOG_SYSLOG }, { "user", LOG_USER },
		{ "uucp", LOG_UUCP }, { "local0", LOG_LOCAL0 },
		{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
		{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
		{ "local7", LOG_LOCAL7 },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(s, map[i].name))
			return map[i].value;
	return -1;
}

/* --base-virtaddr HEX, rounded up to 16 MiB as DPDK does. */
static int parse_base_virtaddr(const char *s, uintptr_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 16);
	if (errno || !*s || *end || *s == '-' || v > UINTPTR_MAX - (16u << 20))
		return -1;
	*out = (uintptr_t)vfn_align_ceil(v, 16ull << 20);
	return 0;
}

static int add_devarg(struct eal_devarg_list *l, const char *s, bool pci)
{
	struct eal_devarg *d;
	const char *comma = strchr(s, ',');
	size_t nlen = comma ? (size_t)(comma - s) : strlen(s);

	if (!nlen || nlen >= sizeof(d->name))
		return -1;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	memcpy(d->name, s, nlen);
	if (pci) {
		struct vfn_pci_addr a;

		if (vfn_pci_addr_parse(d->name, &a)) {
			free(d);
			return -1;
		}
		vfn_pci_addr_format(&a, d->name, sizeof(d->name));
	}
	d->args = strdup(comma ? comma + 1 : "");
	if (!d->args) {
		free(d);
		return -1;
	}
	TAILQ_INSERT_TAIL(l, d, next);
	return 0;
}

static bool valid_prefix(const char *s)
{
	if (!*s || strlen(s) >= sizeof(eal_cfg.file_prefix))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

enum opt_id {
	OPT_LCORES, OPT_COREMASK, OPT_MAIN_LCORE, OPT_ALLOW, OPT_BLOCK,
	OPT_VDEV, OPT_SOCKET_MEM, OPT_MEM, OPT_HUGE_DIR, OPT_NO_HUGE,
	OPT_IN_MEMORY, OPT_FILE_PREFIX, OPT_IOVA_MODE, OPT_LOG_LEVEL,
	OPT_NO_PCI, OPT_HELP, OPT_VFIO, OPT_CHANNELS, OPT_PROC_TYPE,
	OPT_LEGACY_MEM, OPT_SINGLE_FILE_SEGMENTS, OPT_TELEMETRY,
	OPT_NO_TELEMETRY, OPT_BASE_VIRTADDR, OPT_SYSLOG, OPT_HUGE_UNLINK,
	OPT_VFIO_INTR, OPT_SERVICE_CORES, OPT_DRIVER_PLUGIN,
};

/* has_arg: no value, a value (next argument or "=value"), or "=value" only */
enum { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

struct opt {
	const char *lng;  /* "--lcores" */
	char shrt;        /* 'l' or 0 */
	int has_arg;
	enum opt_id id;
};

static const struct opt opts[] = {
	{ "lcores", 'l', ARG_REQUIRED, OPT_LCORES },
	{ NULL, 'c', ARG_REQUIRED, OPT_COREMASK },
	{ "main-lcore", 0, ARG_REQUIRED, OPT_MAIN_LCORE },
	{ "allow", 'a', ARG_REQUIRED, OPT_ALLOW },
	{ "block", 'b', ARG_REQUIRED, OPT_BLOCK },
	{ "vdev", 0, ARG_REQUIRED, OPT_VDEV },
	{ "socket-mem", 0, ARG_REQUIRED, OPT_SOCKET_MEM },
	{ NULL, 'm', ARG_REQUIRED, OPT_MEM },
	{ "huge-dir", 0, ARG_REQUIRED, OPT_HUGE_DIR },
	{ "no-huge", 0, ARG_NONE, OPT_NO_HUGE },
	{ "in-memory", 0, ARG_NONE, OPT_IN_MEMORY },
	{ "file-prefix", 0, ARG_REQUIRED, OPT_FILE_PREFIX },
	{ "iova-mode", 0, ARG_REQUIRED, OPT_IOVA_MODE },
	{ "log-level", 0, ARG_REQUIRED, OPT_LOG_LEVEL },
	{ "no-pci", 0, ARG_NONE, OPT_NO_PCI },
	{ "help", 'h', ARG_NONE, OPT_HELP },
	{ "vfio", 0, ARG_REQUIRED, OPT_VFIO },
	{ NULL, 'n', ARG_REQUIRED, OPT_CHANNELS },
	{ "proc-type", 0, ARG_REQUIRED, OPT_PROC_TYPE },
	{ "legacy-mem", 0, ARG_NONE, OPT_LEGACY_MEM },
	{ "single-file-segments", 0, ARG_NONE, OPT_SINGLE_FILE_SEGMENTS },
	{ "telemetry", 0, ARG_NONE, OPT_TELEMETRY },
	{ "no-telemetry", 0, ARG_NONE, OPT_NO_TELEMETRY },
	{ "base-virtaddr", 0, ARG_REQUIRED, OPT_BASE_VIRTADDR },
	{ "syslog", 0, ARG_REQUIRED, OPT_SYSLOG },
	{ "huge-unlink", 0, ARG_OPTIONAL, OPT_HUGE_UNLINK },
	{ "vfio-intr", 0, ARG_REQUIRED, OPT_VFIO_INTR },
	{ NULL, 's', ARG_REQUIRED, OPT_SERVICE_CORES },
	{ NULL, 'S', ARG_REQUIRED, OPT_SERVICE_CORES },
	{ NULL, 'd', ARG_REQUIRED, OPT_DRIVER_PLUGIN },
};

#define NB_OPTS (sizeof(opts) / sizeof(opts[0]))

/* Edit distance (insertions, deletions, substitutions), for suggestions. */
static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[64], prev, tmp;

	if (la >= 63 || lb >= 63)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/*
 * The known long option nearest to @name (without dashes, up to '='), or
 * NULL when none is close: at most 2 edits, and fewer than half its length.
 */
static const char *nearest_opt(const char *name)
{
	size_t len = strcspn(name, "="), best = SIZE_MAX;
	const char *found = NULL;

	for (size_t i = 0; i < NB_OPTS; i++) {
		size_t d;

		if (!opts[i].lng)
			continue;
		d = edit_distance(name, len, opts[i].lng);
		if (d < best) {
			best = d;
			found = opts[i].lng;
		}
	}
	return best <= 2 && best * 2 < len ? found : NULL;
}

/* Error for an option no entry matches, with the nearest known one. */
static void unknown_opt_error(const char *arg)
{
	const char *name = arg + strspn(arg, "-");
	const char *near = strlen(name) > 1 ? nearest_opt(name) : NULL;

	if (near)
		eal_error("unrecognized EAL argument '%s': did you mean '--%s'? (see --help)",
			  arg, near);
	else
		eal_error("unrecognized EAL argument '%s' (see --help)", arg);
}

static const struct opt *find_opt(const char *arg, const char **inline_val)
{
	*inline_val = NULL;
	if (arg[0] == '-' && arg[1] == '-') {
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);

		for (size_t i = 0; i < NB_OPTS; i++) {
			if (opts[i].lng && strlen(opts[i].lng) == len &&
			    !strncmp(opts[i].lng, name, len)) {
				if (eq)
					*inline_val = eq + 1;
				return &opts[i];
			}
		}
		return NULL;
	}
	if (arg[0] == '-' && arg[1]) {
		for (size_t i = 0; i < NB_OPTS; i++) {
			if (opts[i].shrt && opts[i].shrt == arg[1]) {
				if (arg[2]) {
					if (!opts[i].has_arg)
						return NULL;
					*inline_val = arg + 2;
				}
				return &opts[i];
			}
		}
	}
	return NULL;
}

/* Error for a valid option vfnet cannot honour: the cause and the way out. */
static int unsupported(const char *arg, const char *val, const char *why)
{
	if (val && *val && !(val >= arg && val < arg + strlen(arg)))
		eal_error("invalid EAL argument '%s %s': %s", arg, val, why);
	else
		eal_error("invalid EAL argument '%s': %s", arg, why);
	return -1;
}

/*
 * Options DPDK users pass out of habit (DPDK 22.11 semantics); see
 * doc/porting-from-dpdk.md for what each does here.
 */
static int apply_dpdk_habit(const struct opt *o, const char *arg,
			    const char *val, struct eal_config *cfg)
{
	switch (o->id) {
	case OPT_PROC_TYPE:
		if (!strcasecmp(val, "primary") || !strcasecmp(val, "auto"))
			return 0; /* every vfnet process is a primary */
		if (!strcasecmp(val, "secondary"))
			return unsupported(arg, val, "multi-process is not supported: each vfnet process is a primary with its own memory and devices; run the secondary's work in the primary (an lcore), or start it as a primary with its own --file-prefix and devices");
		return -2;
	case OPT_LEGACY_MEM:
		cfg->legacy_mem = true;
		return 0;
	case OPT_SINGLE_FILE_SEGMENTS:
		cfg->single_file_segments = true; /* already so */
		return 0;
	case OPT_TELEMETRY:
		cfg->telemetry = true;
		cfg->no_telemetry = false;
		return 0;
	case OPT_NO_TELEMETRY:
		cfg->no_telemetry = true;
		return 0;
	case OPT_BASE_VIRTADDR:
		return parse_base_virtaddr(val, &cfg->base_virtaddr) ? -2 : 0;
	case OPT_SYSLOG:
		cfg->syslog_facility = parse_syslog(val);
		return cfg->syslog_facility < 0 ? -2 : 0;
	case OPT_HUGE_UNLINK:
		if (!*val || !strcmp(val, "always"))
			cfg->huge_unlink = EAL_HUGE_UNLINK_ALWAYS;
		else if (!strcmp(val, "existing"))
			cfg->huge_unlink = EAL_HUGE_UNLINK_EXISTING;
		else if (!strcmp(val, "never"))
			cfg->huge_unlink = EAL_HUGE_UNLINK_NEVER;
		else
			return -2;
		return 0;
	case OPT_VFIO_INTR:
		if (!strcmp(val, "legacy"))
			cfg->vfio_intr = 1;
		else if (!strcmp(val, "msi"))
			cfg->vfio_intr = 2;
		else if (!strcmp(val, "msix"))
			cfg->vfio_intr = 3;
		else
			return -2;
		return 0;
	case OPT_SERVICE_CORES:
		return unsupported(arg, val, "service cores are not supported (vfnet has no service API): run the service's loop on a worker lcore with vfn_eal_remote_launch()");
	case OPT_DRIVER_PLUGIN:
		return unsupported(arg, val, "vfnet loads no driver plugins: every driver is built into libvfnet (link it with pkg-config libvfnet); select devices with -a or --vdev");
	default:
		return -2;
	}
}

/*
 * -l, -c and --lcores each set the whole lcore map, so DPDK refuses a second
 * one rather than letting the last silently win; so does vfnet.
 */
static int lcore_opt_once(const char *arg, struct eal_config *cfg)
{
	const char *name = strncmp(arg, "--", 2) ? (arg[1] == 'c' ? "-c" : "-l")
						: "--lcores";

	if (cfg->lcore_opt) {
		eal_error("invalid EAL argument '%s': the lcores are already set by %s; give only one of -l, -c and --lcores",
			  arg, cfg->lcore_opt);
		return -1;
	}
	cfg->lcore_opt = name;
	return 0;
}

/* Handle one option; 0 or -1 with the error recorded. */
static int apply_opt(const struct opt *o, const char *arg, const char *val,
		     struct eal_config *cfg)
{
	unsigned long v;
	const char *p;
	int ret;

	switch (o->id) {
	case OPT_LCORES:
		if (lcore_opt_once(arg, cfg))
			return -1;
		if (eal_parse_lcores(val, cfg))
			goto invalid;
		break;
	case OPT_COREMASK:
		if (lcore_opt_once(arg, cfg))
			return -1;
		if (parse_coremask(val, cfg))
			goto invalid;
		break;
	case OPT_MAIN_LCORE:
		p = val;
		if (parse_uint(&p, VFN_MAX_LCORE - 1, &v) || *p)
			goto invalid;
		cfg->main_lcore = (unsigned int)v;
		cfg->main_lcore_set = true;
		break;
	case OPT_ALLOW:
		if (add_devarg(&cfg->allow, val, true))
			goto invalid;
		break;
	case OPT_BLOCK:
		if (add_devarg(&cfg->block, val, true))
			goto invalid;
		break;
	case OPT_VDEV:
		if (add_devarg(&cfg->vdevs, val, false))
			goto invalid;
		break;
	case OPT_SOCKET_MEM:
		if (parse_socket_mem(val, cfg))
			goto invalid;
		break;
	case OPT_MEM:
		if (eal_parse_size(val, 1ull << 20, &cfg->memory) ||
		    !cfg->memory)
			goto invalid;
		break;
	case OPT_HUGE_DIR:
		if (!*val || strlen(val) >= sizeof(cfg->huge_dir))
			goto invalid;
		eal_fmt(cfg->huge_dir, sizeof(cfg->huge_dir), "%s", val);
		break;
	case OPT_NO_HUGE:
		cfg->no_huge = true;
		break;
	case OPT_IN_MEMORY:
		cfg->in_memory = true;
		break;
	case OPT_FILE_PREFIX:
		if (!valid_prefix(val))
			goto invalid;
		eal_fmt(cfg->file_prefix, sizeof(cfg->file_prefix), "%s",
			 val);
		break;
	case OPT_IOVA_MODE:
		if (!strcmp(val, "va"))
			cfg->iova_mode = VFN_IOVA_VA;
		else if (!strcmp(val, "pa"))
			cfg->iova_mode = VFN_IOVA_PA;
		else
			goto invalid;
		break;
	case OPT_LOG_LEVEL:
		if (parse_log_level(val, cfg))
			goto invalid;
		break;
	case OPT_NO_PCI:
		cfg->no_pci = true;
		break;
	case OPT_HELP:
		cfg->help = true;
		break;
	case OPT_VFIO:
		if (!strcmp(val, "vfnet"))
			cfg->vfio = EAL_VFIO_VFNET;
		else if (!strcmp(val, "upstream"))
			cfg->vfio = EAL_VFIO_UPSTREAM;
		else if (!strcmp(val, "auto"))
			cfg->vfio = EAL_VFIO_AUTO;
		else
			goto invalid;
		break;
	case OPT_CHANNELS: /* -n: memory channels, accepted for habit */
		p = val;
		if (parse_uint(&p, 32, &v) || *p || !v)
			goto invalid;
		break;
	default:
		ret = apply_dpdk_habit(o, arg, val, cfg);
		if (ret == -2) /* a value it does not know */
			goto invalid;
		return ret;
	}
	return 0;
invalid:
	if (val >= arg && val < arg + strlen(arg)) /* "--opt=val", "-lval" */
		eal_error("invalid EAL argument '%s' (see --help)", arg);
	else
		eal_error("invalid EAL argument '%s %s' (see --help)", arg,
			  val);
	return -1;
}

static int check_conflicts(struct eal_config *cfg)
{
	if (cfg->no_huge && cfg->socket_mem_set) {
		eal_error("invalid EAL arguments: --socket-mem cannot be used with --no-huge");
		return -1;
	}
	if (cfg->memory && cfg->socket_mem_set) {
		eal_error("invalid EAL arguments: -m and --socket-mem are mutually exclusive");
		return -1;
	}
	if (!TAILQ_EMPTY(&cfg->allow) && !TAILQ_EMPTY(&cfg->block)) {
		eal_error("invalid EAL arguments: -a/--allow and -b/--block are mutually exclusive");
		return -1;
	}
	if (cfg->no_huge && cfg->iova_mode == VFN_IOVA_PA) {
		eal_error("invalid EAL arguments: --iova-mode pa needs hugepages (not --no-huge)");
		return -1;
	}
	if (cfg->no_pci && !TAILQ_EMPTY(&cfg->allow)) {
		eal_error("invalid EAL arguments: -a/--allow cannot be used with --no-pci");
		return -1;
	}
	if (cfg->main_lcore_set && cfg->lcore_count &&
	    !cfg->lcore_enabled[cfg->main_lcore]) {
		eal_error("invalid EAL argument '--main-lcore %u': lcore %u is not in the lcore list",
			  cfg->main_lcore, cfg->main_lcore);
		return -1;
	}
	return 0;
}

int eal_parse_args(int argc, char **argv, struct eal_config *cfg)
{
	int i;

	eal_error_clear();
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		const struct opt *o;

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		o = find_opt(arg, &val);
		if (!o) {
			if (arg[0] == '-')
				unknown_opt_error(arg);
			else
				eal_error("unexpected argument '%s': application arguments go after --",
					  arg);
			return -1;
		}
		if (o->has_arg == ARG_OPTIONAL && !val) {
			val = "";
		} else if (o->has_arg && !val) {
			if (i + 1 >= argc) {
				eal_error("EAL argument '%s' needs a value (see --help)",
					  arg);
				return -1;
			}
			val = argv[++i];
		} else if (!o->has_arg && val) {
			eal_error("EAL argument '%s' takes no value", arg);
			return -1;
		}
		if (apply_opt(o, arg, o->has_arg ? val : "", cfg))
			return -1;
	}
	if (check_conflicts(cfg))
		return -1;
	return i;
}

void eal_usage(const char *prog, void *stream)
{
	FILE *f = stream;

	fprintf(f,
		"Usage: %s [EAL options] -- [application options]\n"
		"EAL options:\n"
		"  -l, --lcores LIST      lcores to run on: 0-3,5 or 0@1,(2-3)@(0-1)\n"
		"  -c MASK                lcores as a hexadecimal mask\n"
		"  --main-lcore ID        lcore of the calling thread (default: first)\n"
		"  -a, --allow BDF[,k=v]  use only these PCI devices (repeatable)\n"
		"  -b, --block BDF        never use this PCI device (repeatable)\n"
		"  --vdev NAME[,ARGS]     add a virtual device, e.g. net_null0,size=64\n"
		"  -m MB                  memory to reserve at start\n"
		"  --socket-mem MB,MB..   memory to reserve per NUMA node\n"
		"  --huge-dir DIR         hugetlbfs mount to use\n"
		"  --no-huge              base pages (a memfd) instead of hugepages\n"
		"  --in-memory            no files: hugepages from memfd\n"
		"  --file-prefix NAME     name of this process's hugepage files\n"
		"  --iova-mode va|pa      device addresses: virtual or physical\n"
		"  --vfio vfnet|upstream  VFIO to use (default: whichever is loaded)\n"
		"  --log-level [TYPE:]LEVEL  1-8 or emergency..debug; TYPE a glob\n"
		"                         (lib.eal, pmd.net.*) or TYPE_REGEX,LEVEL\n"
		"  --syslog FACILITY      also log to syslog (daemon, local0..7, ...)\n"
		"  --proc-type primary|auto  accepted (secondary: not supported)\n"
		"  --legacy-mem           reserve all memory at start, never grow\n"
		"  --huge-unlink[=always|existing|never]  hugepage file removal\n"
		"  --base-virtaddr HEX    where to place EAL memory (a hint)\n"
		"  --single-file-segments, --no-telemetry, --telemetry,\n"
		"  --vfio-intr legacy|msi|msix  accepted, no effect (see docs)\n"
		"  --no-pci               do not use PCI devices\n"
		"  -n N                   memory channels (accepted, unused)\n"
		"  -h, --help             this text\n", prog);
}
