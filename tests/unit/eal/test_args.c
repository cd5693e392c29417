/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL argument parsing: what valid arguments set, and the exact one-line
 * error of each kind of invalid argument.
 */
#include <sched.h>
#include <string.h>
#include <syslog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_cunit.h"
#include "vfn_log.h"

static struct eal_config cfg;

/* Parse a NULL-terminated list; returns eal_parse_args()'s result. */
static int parse(const char *a0, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;
	const char *s;

	argv[argc++] = (char *)"prog";
	va_start(ap, a0);
	for (s = a0; s && argc < 63; s = va_arg(ap, const char *))
		argv[argc++] = (char *)s;
	va_end(ap);
	argv[argc] = NULL;
	eal_config_free(&cfg);
	eal_config_defaults(&cfg);
	return eal_parse_args(argc, argv, &cfg);
}

#define ERR_IS(msg) CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(), msg)

static void test_lcores(void)
{
	CU_ASSERT_EQUAL(parse("-l", "0-2,5", NULL), 3);
	CU_ASSERT_EQUAL(cfg.lcore_count, 4);
	CU_ASSERT_TRUE(cfg.lcore_enabled[0] && cfg.lcore_enabled[1] &&
		       cfg.lcore_enabled[2] && cfg.lcore_enabled[5]);
	CU_ASSERT_FALSE(cfg.lcore_enabled[3]);
	CU_ASSERT_EQUAL(cfg.lcore_cpu[5], 5);

	CU_ASSERT_EQUAL(parse("--lcores=0@1,(2-3)@0", NULL), 2);
	CU_ASSERT_EQUAL(cfg.lcore_count, 3);
	CU_ASSERT_EQUAL(cfg.lcore_cpu[0], 1);
	CU_ASSERT_EQUAL(cfg.lcore_cpu[2], 0);
	CU_ASSERT_EQUAL(cfg.lcore_cpu[3], 0);

	CU_ASSERT_EQUAL(parse("-l1", "--main-lcore", "1", NULL), 4);
	CU_ASSERT_TRUE(cfg.main_lcore_set);
	CU_ASSERT_EQUAL(cfg.main_lcore, 1);

	CU_ASSERT_EQUAL(parse("-c", "0x5", NULL), 3);
	CU_ASSERT_EQUAL(cfg.lcore_count, 2);
	CU_ASSERT_TRUE(cfg.lcore_enabled[0] && cfg.lcore_enabled[2]);
}

/* The CPUs of lcore @id, as a string like "0,6". */
static const char *cpus_of(unsigned int id)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE && n < sizeof(buf) - 8; c++)
		if (CPU_ISSET(c, &cfg.lcore_cpuset[id]))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%d",
					      n ? "," : "", c);
	return buf;
}

/* --lcores with CPU sets, as DPDK 22.11's eal_parse_lcores(). */
static void test_lcore_cpusets(void)
{
	CU_ASSERT_EQUAL(parse("--lcores", "(0-1)@(0-1)", NULL), 3);
	CU_ASSERT_EQUAL(cfg.lcore_count, 2);
	CU_ASSERT_STRING_EQUAL(cpus_of(0), "0,1");
	CU_ASSERT_STRING_EQUAL(cpus_of(1), "0,1");
	CU_ASSERT_EQUAL(cfg.lcore_cpu[1], 0);

	CU_ASSERT_EQUAL(parse("--lcores=0@1,2@(3-4)", NULL), 2);
	CU_ASSERT_EQUAL(cfg.lcore_count, 2);
	CU_ASSERT_STRING_EQUAL(cpus_of(0), "1");
	CU_ASSERT_STRING_EQUAL(cpus_of(2), "3,4");
	CU_ASSERT_EQUAL(cfg.lcore_cpu[2], 3);

	/* DPDK's own example (doc comment of eal_parse_lcores()) */
	CU_ASSERT_EQUAL(parse("--lcores", "1,2@(5-7),(3-5)@(0,2),(0,6),7-8",
			      NULL), 3);
	CU_ASSERT_EQUAL(cfg.lcore_count, 9);
	CU_ASSERT_STRING_EQUAL(cpus_of(0), "0,6");
	CU_ASSERT_STRING_EQUAL(cpus_of(1), "1");
	CU_ASSERT_STRING_EQUAL(cpus_of(2), "5,6,7");
	CU_ASSERT_STRING_EQUAL(cpus_of(3), "0,2");
	CU_ASSERT_STRING_EQUAL(cpus_of(4), "0,2");
	CU_ASSERT_STRING_EQUAL(cpus_of(5), "0,2");
	CU_ASSERT_STRING_EQUAL(cpus_of(6), "0,6");
	CU_ASSERT_STRING_EQUAL(cpus_of(7), "7");
	CU_ASSERT_STRING_EQUAL(cpus_of(8), "8");

	/* a range either way round; an lcore listed again takes the later CPUs */
	CU_ASSERT_EQUAL(parse("-l", "3-1", NULL), 3);
	CU_ASSERT_EQUAL(cfg.lcore_count, 3);
	CU_ASSERT_EQUAL(parse("-l", "0,0@2", NULL), 3);
	CU_ASSERT_EQUAL(cfg.lcore_count, 1);
	CU_ASSERT_STRING_EQUAL(cpus_of(0), "2");
	CU_ASSERT_EQUAL(parse("-l", " 0 , 1 ", NULL), 3);
	CU_ASSERT_EQUAL(cfg.lcore_count, 2);

	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(parse("--lcores", "(0-1", NULL), -1);
	CU_ASSERT_EQUAL(parse("--lcores", "0@", NULL), -1);
	CU_ASSERT_EQUAL(parse("--lcores", "0@(1", NULL), -1);
	CU_ASSERT_EQUAL(parse("--lcores", "0@1@2", NULL), -1);
	CU_ASSERT_EQUAL(parse("--lcores", "0,", NULL), -1);
	CU_ASSERT_EQUAL(parse("--lcores", "(0,1)@5000", NULL), -1);
	ERR_IS("invalid EAL argument '--lcores (0,1)@5000' (see --help)");
	vfn_log_set_level(VFN_LOG_NOTICE);
}

static void test_memory_args(void)
{
	CU_ASSERT_EQUAL(parse("-m", "1024", NULL), 3);
	CU_ASSERT_EQUAL(cfg.memory, 1024ull << 20);
	CU_ASSERT_EQUAL(parse("-m", "2G", NULL), 3);
	CU_ASSERT_EQUAL(cfg.memory, 2ull << 30);
	CU_ASSERT_EQUAL(parse("--socket-mem", "512,256", NULL), 3);
	CU_ASSERT_TRUE(cfg.socket_mem_set);
	CU_ASSERT_EQUAL(cfg.socket_mem[0], 512ull << 20);
	CU_ASSERT_EQUAL(cfg.socket_mem[1], 256ull << 20);
	CU_ASSERT_EQUAL(parse("--no-huge", "--in-memory", "--huge-dir",
			      "/mnt/h", "--file-prefix", "t_1", NULL), 7);
	CU_ASSERT_TRUE(cfg.no_huge);
	CU_ASSERT_TRUE(cfg.in_memory);
	CU_ASSERT_STRING_EQUAL(cfg.huge_dir, "/mnt/h");
	CU_ASSERT_STRING_EQUAL(cfg.file_prefix, "t_1");
	CU_ASSERT_EQUAL(parse("--iova-mode", "pa", NULL), 3);
	CU_ASSERT_EQUAL(cfg.iova_mode, VFN_IOVA_PA);
	CU_ASSERT_EQUAL(parse("--iova-mode=va", NULL), 2);
	CU_ASSERT_EQUAL(cfg.iova_mode, VFN_IOVA_VA);
}

static void test_devices(void)
{
	struct eal_devarg *d;

	CU_ASSERT_EQUAL(parse("-a", "00:02.0", "--allow", "0000:00:03.0,rxq=2,x=y",
			      NULL), 5);
	d = TAILQ_FIRST(&cfg.allow);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->name, "0000:00:02.0");
	CU_ASSERT_STRING_EQUAL(d->args, "");
	d = TAILQ_NEXT(d, next);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->name, "0000:00:03.0");
	CU_ASSERT_STRING_EQUAL(d->args, "rxq=2,x=y");

	CU_ASSERT_EQUAL(parse("-b", "0000:00:1f.6", "--vdev", "net_null0,size=64",
			      "--vdev=net_ring0", NULL), 6);
	d = TAILQ_FIRST(&cfg.block);
	CU_ASSERT_STRING_EQUAL(d->name, "0000:00:1f.6");
	d = TAILQ_FIRST(&cfg.vdevs);
	CU_ASSERT_STRING_EQUAL(d->name, "net_null0");
	CU_ASSERT_STRING_EQUAL(d->args, "size=64");
	d = TAILQ_NEXT(d, next);
	CU_ASSERT_STRING_EQUAL(d->name, "net_ring0");
	CU_ASSERT_STRING_EQUAL(d->args, "");

	CU_ASSERT_EQUAL(parse("--no-pci", "--vfio", "upstream", NULL), 4);
	CU_ASSERT_TRUE(cfg.no_pci);
	CU_ASSERT_EQUAL(cfg.vfio, EAL_VFIO_UPSTREAM);
	CU_ASSERT_EQUAL(parse("--vfio=vfnet", NULL), 2);
	CU_ASSERT_EQUAL(cfg.vfio, EAL_VFIO_VFNET);
}

static void test_misc(void)
{
	CU_ASSERT_EQUAL(parse("--log-level", "debug", NULL), 3);
	CU_ASSERT_EQUAL(cfg.log_level, VFN_LOG_DEBUG);
	CU_ASSERT_EQUAL(parse("--log-level=lib.eal:4", NULL), 2);
	CU_ASSERT_EQUAL(cfg.log_level, -1); /* a type's level, not the global */
	CU_ASSERT_EQUAL(cfg.n_log_patterns, 1);
	CU_ASSERT_STRING_EQUAL(cfg.log_patterns[0].pattern, "lib.eal");
	CU_ASSERT_EQUAL(cfg.log_patterns[0].level, VFN_LOG_ERR);
	CU_ASSERT_FALSE(cfg.log_patterns[0].regex);
	CU_ASSERT_EQUAL(parse("-n", "4", "-h", NULL), 4);
	CU_ASSERT_TRUE(cfg.help);
}

static void test_double_dash(void)
{
	/* "--" is consumed; what follows is the application's */
	CU_ASSERT_EQUAL(parse("-l", "0", "--", "--forward-mode=io", "-x", NULL),
			4);
	CU_ASSERT_EQUAL(parse("--", NULL), 2);
	CU_ASSERT_EQUAL(parse(NULL), 1);
}

static void test_invalid(void)
{
	vfn_log_set_level(VFN_LOG_EMERG); /* keep the test output quiet */
	CU_ASSERT_EQUAL(parse("-l", "0-x", NULL), -1);
	ERR_IS("invalid EAL argument '-l 0-x' (see --help)");
	CU_ASSERT_EQUAL(parse("--lcores=200", NULL), -1);
	ERR_IS("invalid EAL argument '--lcores=200' (see --help)");
	CU_ASSERT_EQUAL(parse("-m", "lots", NULL), -1);
	ERR_IS("invalid EAL argument '-m lots' (see --help)");
	CU_ASSERT_EQUAL(parse("--socket-mem", "512,", NULL), -1);
	ERR_IS("invalid EAL argument '--socket-mem 512,' (see --help)");
	CU_ASSERT_EQUAL(parse("-a", "0000:00:2.x", NULL), -1);
	ERR_IS("invalid EAL argument '-a 0000:00:2.x' (see --help)");
	CU_ASSERT_EQUAL(parse("-a", "00:20.0", NULL), -1); /* device > 0x1f */
	ERR_IS("invalid EAL argument '-a 00:20.0' (see --help)");
	CU_ASSERT_EQUAL(parse("--vdev", ",size=1", NULL), -1);
	ERR_IS("invalid EAL argument '--vdev ,size=1' (see --help)");
	CU_ASSERT_EQUAL(parse("--iova-mode", "xa", NULL), -1);
	ERR_IS("invalid EAL argument '--iova-mode xa' (see --help)");
	CU_ASSERT_EQUAL(parse("--file-prefix", "a/b", NULL), -1);
	ERR_IS("invalid EAL argument '--file-prefix a/b' (see --help)");
	CU_ASSERT_EQUAL(parse("--log-level", "loud", NULL), -1);
	ERR_IS("invalid EAL argument '--log-level loud' (see --help)");
	CU_ASSERT_EQUAL(parse("--vfio", "other", NULL), -1);
	ERR_IS("invalid EAL argument '--vfio other' (see --help)");
	CU_ASSERT_EQUAL(parse("--frobnicate", NULL), -1);
	ERR_IS("unrecognized EAL argument '--frobnicate' (see --help)");
	CU_ASSERT_EQUAL(parse("-z", NULL), -1);
	ERR_IS("unrecognized EAL argument '-z' (see --help)");
	CU_ASSERT_EQUAL(parse("stray", NULL), -1);
	ERR_IS("unexpected argument 'stray': application arguments go after --");
	CU_ASSERT_EQUAL(parse("-l", NULL), -1);
	ERR_IS("EAL argument '-l' needs a value (see --help)");
	CU_ASSERT_EQUAL(parse("--no-huge=1", NULL), -1);
	ERR_IS("EAL argument '--no-huge=1' takes no value");
	CU_ASSERT_EQUAL(parse("--no-huge", "--socket-mem", "64", NULL), -1);
	ERR_IS("invalid EAL arguments: --socket-mem cannot be used with --no-huge");
	CU_ASSERT_EQUAL(parse("-m", "64", "--socket-mem", "64", NULL), -1);
	ERR_IS("invalid EAL arguments: -m and --socket-mem are mutually exclusive");
	CU_ASSERT_EQUAL(parse("-a", "00:02.0", "-b", "00:03.0", NULL), -1);
	ERR_IS("invalid EAL arguments: -a/--allow and -b/--block are mutually exclusive");
	CU_ASSERT_EQUAL(parse("--no-huge", "--iova-mode", "pa", NULL), -1);
	ERR_IS("invalid EAL arguments: --iova-mode pa needs hugepages (not --no-huge)");
	CU_ASSERT_EQUAL(parse("--no-pci", "-a", "00:02.0", NULL), -1);
	ERR_IS("invalid EAL arguments: -a/--allow cannot be used with --no-pci");
	CU_ASSERT_EQUAL(parse("-l", "0-1", "--main-lcore", "3", NULL), -1);
	ERR_IS("invalid EAL argument '--main-lcore 3': lcore 3 is not in the lcore list");
	/* -l, -c and --lcores: one of them, once, as DPDK */
	CU_ASSERT_EQUAL(parse("-l", "0", "-c", "0x3", NULL), -1);
	ERR_IS("invalid EAL argument '-c': the lcores are already set by -l; give only one of -l, -c and --lcores");
	CU_ASSERT_EQUAL(parse("-c", "0x1", "--lcores=0@1", NULL), -1);
	ERR_IS("invalid EAL argument '--lcores=0@1': the lcores are already set by -c; give only one of -l, -c and --lcores");
	CU_ASSERT_EQUAL(parse("--lcores", "0", "-l0", NULL), -1);
	ERR_IS("invalid EAL argument '-l0': the lcores are already set by --lcores; give only one of -l, -c and --lcores");
	CU_ASSERT_EQUAL(parse("-l", "0", "-l", "1", NULL), -1);
	ERR_IS("invalid EAL argument '-l': the lcores are already set by -l; give only one of -l, -c and --lcores");
	/* unknown options: the nearest known one when there is one */
	CU_ASSERT_EQUAL(parse("--lcore", "0", NULL), -1);
	ERR_IS("unrecognized EAL argument '--lcore': did you mean '--lcores'? (see --help)");
	CU_ASSERT_EQUAL(parse("--socket_mem=64", NULL), -1);
	ERR_IS("unrecognized EAL argument '--socket_mem=64': did you mean '--socket-mem'? (see --help)");
	CU_ASSERT_EQUAL(parse("--no-hug", NULL), -1);
	ERR_IS("unrecognized EAL argument '--no-hug': did you mean '--no-huge'? (see --help)");
	CU_ASSERT_EQUAL(parse("--file-prefx=a", NULL), -1);
	ERR_IS("unrecognized EAL argument '--file-prefx=a': did you mean '--file-prefix'? (see --help)");
	CU_ASSERT_EQUAL(parse("--pci", NULL), -1);
	ERR_IS("unrecognized EAL argument '--pci' (see --help)");
	vfn_log_set_level(VFN_LOG_NOTICE);
}

/* --log-level as DPDK's: global level, PATTERN:LEVEL, REGEX,LEVEL */
static void test_log_levels(void)
{
	static const struct {
		const char *arg;
		int level;
	} global[] = {
		{ "err", VFN_LOG_ERR }, { "warn", VFN_LOG_WARNING },
		{ "e", VFN_LOG_EMERG }, { "crit", VFN_LOG_CRIT },
		{ "error", VFN_LOG_ERR }, { "emerg", VFN_LOG_EMERG },
		{ "Debug", VFN_LOG_DEBUG }, { "7", VFN_LOG_INFO },
		{ "9", VFN_LOG_DEBUG } /* above the highest: the highest */,
	};

	for (size_t i = 0; i < sizeof(global) / sizeof(global[0]); i++) {
		CU_ASSERT_EQUAL(parse("--log-level", global[i].arg, NULL), 3);
		CU_ASSERT_EQUAL(cfg.log_level, global[i].level);
	}
	CU_ASSERT_EQUAL(parse("--log-level", "pmd.net.*,debug", "--log-level",
			      "lib.eal:notice", "--log-level", "3", NULL), 7);
	CU_ASSERT_EQUAL(cfg.log_level, VFN_LOG_CRIT);
	CU_ASSERT_EQUAL(cfg.n_log_patterns, 2);
	CU_ASSERT_STRING_EQUAL(cfg.log_patterns[0].pattern, "pmd.net.*");
	CU_ASSERT_TRUE(cfg.log_patterns[0].regex);
	CU_ASSERT_EQUAL(cfg.log_patterns[0].level, VFN_LOG_DEBUG);
	CU_ASSERT_EQUAL(cfg.log_patterns[1].level, VFN_LOG_NOTICE);

	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(parse("--log-level", "0", NULL), -1);
	CU_ASSERT_EQUAL(parse("--log-level", "lib.eal:", NULL), -1);
	CU_ASSERT_EQUAL(parse("--log-level", ":3", NULL), -1);
	CU_ASSERT_EQUAL(parse("--log-level", "pmd[,3", NULL), -1);
	ERR_IS("invalid EAL argument '--log-level pmd[,3' (see --help)");
	vfn_log_set_level(VFN_LOG_NOTICE);

	/* The level a type gets: last matching pattern, by DPDK's name. */
	CU_ASSERT_STRING_EQUAL(vfn_log_type_name("EAL"), "lib.eal");
	CU_ASSERT_STRING_EQUAL(vfn_log_type_name("e1000e"), "pmd.net.e1000e");
	CU_ASSERT_EQUAL(vfn_log_set_level_pattern("pmd.net.*", VFN_LOG_DEBUG), 0);
	CU_ASSERT_EQUAL(vfn_log_set_level_regexp("^pmd\\.net\\.virtio$",
						 VFN_LOG_ERR), 0);
	CU_ASSERT_EQUAL(vfn_log_set_level_pattern("x", 0), -1);
	CU_ASSERT_EQUAL(vfn_log_type_level("e1000e"), VFN_LOG_DEBUG);
	CU_ASSERT_EQUAL(vfn_log_type_level("pmd.net.e1000e"), VFN_LOG_DEBUG);
	CU_ASSERT_EQUAL(vfn_log_type_level("virtio"), VFN_LOG_ERR);
	CU_ASSERT_EQUAL(vfn_log_type_level("EAL"), -1);
	/* and what gets printed: the type's level, else the global one */
	vfn_log_set_level(VFN_LOG_NOTICE);
	CU_ASSERT_TRUE(vfn_log(VFN_LOG_DEBUG, "e1000e", "shown (a pattern says debug)") > 0);
	CU_ASSERT_EQUAL(vfn_log(VFN_LOG_WARNING, "virtio", "hidden"), 0);
	CU_ASSERT_EQUAL(vfn_log(VFN_LOG_INFO, "EAL", "hidden"), 0);
	vfn_log_reset_patterns();
	CU_ASSERT_EQUAL(vfn_log_type_level("e1000e"), -1);
}

/* Options DPDK users pass out of habit: accepted, or refused saying why. */
static void test_dpdk_habits(void)
{
	CU_ASSERT_EQUAL(parse("--proc-type=primary", "--proc-type", "auto",
			      "--legacy-mem", "--single-file-segments",
			      "--no-telemetry", "--telemetry", NULL), 8);
	CU_ASSERT_TRUE(cfg.legacy_mem);
	CU_ASSERT_TRUE(cfg.single_file_segments);
	CU_ASSERT_TRUE(cfg.telemetry);
	CU_ASSERT_EQUAL(parse("--base-virtaddr", "0x100000000", NULL), 3);
	CU_ASSERT_EQUAL(cfg.base_virtaddr, 0x100000000ull);
	CU_ASSERT_EQUAL(parse("--base-virtaddr=1000001", NULL), 2);
	CU_ASSERT_EQUAL(cfg.base_virtaddr, 0x2000000ull); /* 16 MiB up */
	CU_ASSERT_EQUAL(parse("--syslog", "local3", NULL), 3);
	CU_ASSERT_EQUAL(cfg.syslog_facility, LOG_LOCAL3);
	CU_ASSERT_EQUAL(parse("--huge-unlink", NULL), 2);
	CU_ASSERT_EQUAL(cfg.huge_unlink, EAL_HUGE_UNLINK_ALWAYS);
	CU_ASSERT_EQUAL(parse("--huge-unlink=never", NULL), 2);
	CU_ASSERT_EQUAL(cfg.huge_unlink, EAL_HUGE_UNLINK_NEVER);
	CU_ASSERT_EQUAL(parse("--huge-unlink=existing", NULL), 2);
	CU_ASSERT_EQUAL(cfg.huge_unlink, EAL_HUGE_UNLINK_EXISTING);
	CU_ASSERT_EQUAL(parse("--vfio-intr", "msix", NULL), 3);
	CU_ASSERT_EQUAL(cfg.vfio_intr, 3);
	CU_ASSERT_EQUAL(parse("--vfio-intr=legacy", NULL), 2);
	CU_ASSERT_EQUAL(cfg.vfio_intr, 1);

	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(parse("--proc-type=secondary", NULL), -1);
	ERR_IS("invalid EAL argument '--proc-type=secondary': multi-process is not supported: each vfnet process is a primary with its own memory and devices; run the secondary's work in the primary (an lcore), or start it as a primary with its own --file-prefix and devices");
	CU_ASSERT_EQUAL(parse("--proc-type", "tertiary", NULL), -1);
	ERR_IS("invalid EAL argument '--proc-type tertiary' (see --help)");
	CU_ASSERT_EQUAL(parse("--base-virtaddr", "0xzz", NULL), -1);
	CU_ASSERT_EQUAL(parse("--syslog", "bogus", NULL), -1);
	ERR_IS("invalid EAL argument '--syslog bogus' (see --help)");
	CU_ASSERT_EQUAL(parse("--huge-unlink=sometimes", NULL), -1);
	/* an optional value is only ever "=value", as with getopt */
	CU_ASSERT_EQUAL(parse("--huge-unlink", "never", NULL), -1);
	ERR_IS("unexpected argument 'never': application arguments go after --");
	CU_ASSERT_EQUAL(parse("--vfio-intr", "msi-x", NULL), -1);
	CU_ASSERT_EQUAL(parse("-s", "0x2", NULL), -1);
	ERR_IS("invalid EAL argument '-s 0x2': service cores are not supported (vfnet has no service API): run the service's loop on a worker lcore with vfn_eal_remote_launch()");
	CU_ASSERT_EQUAL(parse("-S1", NULL), -1);
	ERR_IS("invalid EAL argument '-S1': service cores are not supported (vfnet has no service API): run the service's loop on a worker lcore with vfn_eal_remote_launch()");
	CU_ASSERT_EQUAL(parse("-d", "librte_net_ixgbe.so", NULL), -1);
	ERR_IS("invalid EAL argument '-d librte_net_ixgbe.so': vfnet loads no driver plugins: every driver is built into libvfnet (link it with pkg-config libvfnet); select devices with -a or --vdev");
	vfn_log_set_level(VFN_LOG_NOTICE);
}

/* --main-lcore is checked against the default lcores too (no -l). */
static void test_main_lcore_default(void)
{
	char *argv[] = { (char *)"prog", (char *)"--no-huge", (char *)"-m",
			 (char *)"16", (char *)"--no-pci", (char *)"--main-lcore",
			 (char *)"127", NULL };
	cpu_set_t allowed;

	CU_ASSERT_EQUAL_FATAL(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
	if (CPU_ISSET(127, &allowed))
		vfn_test_skip("CPU 127 is available: --main-lcore 127 is valid here");
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(vfn_eal_init(7, argv), -1);
	vfn_log_set_level(VFN_LOG_NOTICE);
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
		"invalid EAL argument '--main-lcore 127': lcore 127 is not enabled"));
	CU_ASSERT_FALSE(vfn_eal_is_initialized());
}

/* Default lcores when every allowed CPU is above the lcore limit. */
static void test_no_cpu_available(void)
{
	cpu_set_t allowed;

	CPU_ZERO(&allowed);
	CPU_SET(200, &allowed);
	CPU_SET(201, &allowed);
	eal_config_free(&cfg);
	eal_config_defaults(&cfg);
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(eal_default_lcores(&cfg, &allowed), -1);
	vfn_log_set_level(VFN_LOG_NOTICE);
	ERR_IS("no CPU available to this process: its affinity allows 2 CPUs, the first is CPU 200, and default lcores only use CPUs 0-127; map lcores onto allowed CPUs with --lcores (e.g. --lcores 0@200) or run the process on lower CPUs (taskset -c)");
	CPU_SET(3, &allowed);
	CU_ASSERT_EQUAL(eal_default_lcores(&cfg, &allowed), 0);
	CU_ASSERT_EQUAL(cfg.lcore_count, 1);
	CU_ASSERT_TRUE(cfg.lcore_enabled[3]);
}

static void test_init_rejects(void)
{
	char *argv[] = { (char *)"prog", (char *)"--bogus", NULL };

	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(vfn_eal_init(2, argv), -1);
	ERR_IS("unrecognized EAL argument '--bogus' (see --help)");
	CU_ASSERT_FALSE(vfn_eal_is_initialized());
	vfn_log_set_level(VFN_LOG_NOTICE);
}

/* --help prints the usage on stdout and exits 0, as DPDK's EAL does */
static void test_help(void)
{
	char *argv[] = { (char *)"prog", (char *)"--help", NULL };
	char out[4096];
	int pfd[2], st;
	ssize_t n, len = 0;
	pid_t pid;

	CU_ASSERT_EQUAL_FATAL(pipe(pfd), 0);
	pid = fork();
	if (!pid) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		vfn_eal_init(2, argv);
		_exit(3); /* not reached */
	}
	close(pfd[1]);
	while ((n = read(pfd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pfd[0]);
	waitpid(pid, &st, 0);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Usage: prog [EAL options] -- [application options]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--vfio vfnet|upstream"));
}

static void test_size_parse(void)
{
	uint64_t v;

	CU_ASSERT_EQUAL(eal_parse_size("2M", 1, &v), 0);
	CU_ASSERT_EQUAL(v, 2ull << 20);
	CU_ASSERT_EQUAL(eal_parse_size("1024", 1ull << 20, &v), 0);
	CU_ASSERT_EQUAL(v, 1ull << 30);
	CU_ASSERT_EQUAL(eal_parse_size("1GB", 1, &v), 0);
	CU_ASSERT_EQUAL(v, 1ull << 30);
	CU_ASSERT_EQUAL(eal_parse_size("4kB", 1, &v), 0);
	CU_ASSERT_EQUAL(v, 4096);
	CU_ASSERT_EQUAL(eal_parse_size("-1", 1, &v), -1);
	CU_ASSERT_EQUAL(eal_parse_size("1T", 1, &v), -1);
	CU_ASSERT_EQUAL(eal_parse_size("99999999999999999999", 1, &v), -1);
}

static const struct vfn_test_case args_cases[] = {
	{ "lcore lists", test_lcores },
	{ "lcore CPU sets as DPDK's --lcores", test_lcore_cpusets },
	{ "--log-level patterns and type levels", test_log_levels },
	{ "DPDK habits: accepted or refused with the reason", test_dpdk_habits },
	{ "--main-lcore checked without -l", test_main_lcore_default },
	{ "no CPU below the lcore limit names the fix", test_no_cpu_available },
	{ "memory arguments", test_memory_args },
	{ "device arguments", test_devices },
	{ "log level, -n, --help", test_misc },
	{ "-- ends EAL arguments", test_double_dash },
	{ "invalid arguments: exact messages", test_invalid },
	{ "vfn_eal_init rejects bad arguments", test_init_rejects },
	{ "sizes with suffixes", test_size_parse },
	{ "--help", test_help },
	{ NULL, NULL },
};

static int args_cleanup(void)
{
	eal_config_free(&cfg);
	return 0;
}

static const struct vfn_test_suite args_suite = {
	"eal_args", NULL, args_cleanup, args_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &args_suite, NULL };

	return vfn_cunit_main(suites);
}
