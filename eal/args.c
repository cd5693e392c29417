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

/* "a" or "a-b" */
static int parse_range(const char **p, unsigned long max, unsigned long *lo,
		       unsigned long *hi)
{
	if (parse_uint(p, max, lo))
		return -1;
	*hi = *lo;
	if (**p == '-') {
		(*p)++;
		if (parse_uint(p, max, hi) || *hi < *lo)
			return -1;
	}
	return 0;
}

/*
 * -l/--lcores: comma-separated elements, each "a", "a-b", "a@cpu",
 * "(a-b)@cpu" or "(a,b)@cpu".  Without "@" lcore N runs on CPU N.
 */
int eal_parse_lcores(const char *s, struct eal_config *cfg)
{
	const char *p = s;

	memset(cfg->lcore_enabled, 0, sizeof(cfg->lcore_enabled));
	cfg->lcore_count = 0;
	if (!*p)
		return -1;
	while (*p) {
		unsigned long ids[VFN_MAX_LCORE];
		unsigned int n = 0;
		unsigned long lo, hi, cpu = ULONG_MAX;
		bool group = false;

		if (*p == '(') {
			group = true;
			p++;
		}
		do {
			if (group && *p == ',')
				p++;
			if (parse_range(&p, VFN_MAX_LCORE - 1, &lo, &hi))
				return -1;
			for (unsigned long i = lo; i <= hi; i++) {
				if (n == VFN_MAX_LCORE)
					return -1;
				ids[n++] = i;
			}
		} while (group && *p == ',');
		if (group) {
			if (*p != ')')
				return -1;
			p++;
		}
		if (*p == '@') {
			p++;
			if (parse_uint(&p, 4095, &cpu))
				return -1;
		} else if (group) {
			return -1;
		}
		for (unsigned int i = 0; i < n; i++) {
			if (cfg->lcore_enabled[ids[i]])
				return -1; /* listed twice */
			cfg->lcore_enabled[ids[i]] = true;
			cfg->lcore_cpu[ids[i]] =
				cpu == ULONG_MAX ? (int)ids[i] : (int)cpu;
			cfg->lcore_count++;
		}
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
		else
			break;
	}
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
			if (bit + b >= VFN_MAX_LCORE)
				return -1;
			cfg->lcore_enabled[bit + b] = true;
			cfg->lcore_cpu[bit + b] = bit + b;
			cfg->lcore_count++;
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

static int parse_log_level(const char *s)
{
	static const char *const names[] = {
		NULL, "emerg", "alert", "crit", "err", "warning", "notice",
		"info", "debug",
	};
	const char *colon = strrchr(s, ':');
	unsigned long v;

	/* "pattern:level" (DPDK's per-type form): the level applies to all */
	if (colon)
		s = colon + 1;
	if (isdigit((unsigned char)*s)) {
		const char *p = s;

		if (parse_uint(&p, VFN_LOG_DEBUG, &v) || *p || v < 1)
			return -1;
		return (int)v;
	}
	if (!strcasecmp(s, "error"))
		return VFN_LOG_ERR;
	if (!strcasecmp(s, "warn"))
		return VFN_LOG_WARNING;
	for (int i = 1; i <= VFN_LOG_DEBUG; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -1;
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
	OPT_NO_PCI, OPT_HELP, OPT_VFIO, OPT_CHANNELS,
};

struct opt {
	const char *lng;  /* "--lcores" */
	char shrt;        /* 'l' or 0 */
	bool has_arg;
	enum opt_id id;
};

static const struct opt opts[] = {
	{ "lcores", 'l', true, OPT_LCORES },
	{ NULL, 'c', true, OPT_COREMASK },
	{ "main-lcore", 0, true, OPT_MAIN_LCORE },
	{ "allow", 'a', true, OPT_ALLOW },
	{ "block", 'b', true, OPT_BLOCK },
	{ "vdev", 0, true, OPT_VDEV },
	{ "socket-mem", 0, true, OPT_SOCKET_MEM },
	{ NULL, 'm', true, OPT_MEM },
	{ "huge-dir", 0, true, OPT_HUGE_DIR },
	{ "no-huge", 0, false, OPT_NO_HUGE },
	{ "in-memory", 0, false, OPT_IN_MEMORY },
	{ "file-prefix", 0, true, OPT_FILE_PREFIX },
	{ "iova-mode", 0, true, OPT_IOVA_MODE },
	{ "log-level", 0, true, OPT_LOG_LEVEL },
	{ "no-pci", 0, false, OPT_NO_PCI },
	{ "help", 'h', false, OPT_HELP },
	{ "vfio", 0, true, OPT_VFIO },
	{ NULL, 'n', true, OPT_CHANNELS },
};

static const struct opt *find_opt(const char *arg, const char **inline_val)
{
	*inline_val = NULL;
	if (arg[0] == '-' && arg[1] == '-') {
		const char *name = arg + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);

		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
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
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
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

/* Handle one option; 0 or -1 with the error recorded. */
static int apply_opt(const struct opt *o, const char *arg, const char *val,
		     struct eal_config *cfg)
{
	unsigned long v;
	const char *p;

	switch (o->id) {
	case OPT_LCORES:
		if (eal_parse_lcores(val, cfg))
			goto invalid;
		break;
	case OPT_COREMASK:
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
		cfg->log_level = parse_log_level(val);
		if (cfg->log_level < 0)
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
				eal_error("unrecognized EAL argument '%s' (see --help)",
					  arg);
			else
				eal_error("unexpected argument '%s': application arguments go after --",
					  arg);
			return -1;
		}
		if (o->has_arg && !val) {
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
		"  -l, --lcores LIST      lcores to run on: 0-3,5 or 0@1,(2-3)@2\n"
		"  -c MASK                lcores as a hexadecimal mask\n"
		"  --main-lcore ID        lcore of the calling thread (default: first)\n"
		"  -a, --allow BDF[,k=v]  use only these PCI devices (repeatable)\n"
		"  -b, --block BDF        never use this PCI device (repeatable)\n"
		"  --vdev NAME[,ARGS]     add a virtual device, e.g. net_null0,size=64\n"
		"  -m MB                  memory to reserve at start\n"
		"  --socket-mem MB,MB..   memory to reserve per NUMA node\n"
		"  --huge-dir DIR         hugetlbfs mount to use\n"
		"  --no-huge              anonymous memory instead of hugepages\n"
		"  --in-memory            no files: hugepages from memfd\n"
		"  --file-prefix NAME     name of this process's hugepage files\n"
		"  --iova-mode va|pa      device addresses: virtual or physical\n"
		"  --vfio vfnet|upstream  VFIO to use (default: whichever is loaded)\n"
		"  --log-level LEVEL      1-8 or emerg..debug\n"
		"  --no-pci               do not use PCI devices\n"
		"  -n N                   memory channels (accepted, unused)\n"
		"  -h, --help             this text\n", prog);
}
