/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL argument parsing: what valid arguments set, and the exact one-line
 * error of each kind of invalid argument.
 */
#include <string.h>
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
	CU_ASSERT_EQUAL(cfg.log_level, VFN_LOG_ERR);
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
	CU_ASSERT_EQUAL(parse("-l", "3-1", NULL), -1);
	ERR_IS("invalid EAL argument '-l 3-1' (see --help)");
	CU_ASSERT_EQUAL(parse("-l", "0,0", NULL), -1);
	ERR_IS("invalid EAL argument '-l 0,0' (see --help)");
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
	vfn_log_set_level(VFN_LOG_NOTICE);
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
