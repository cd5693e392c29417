/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Real hugepages: the test reserves 2 MiB pages (nr_hugepages) and mounts
 * its own hugetlbfs, as root; it skips with the reason when it cannot.
 * Checks discovery, reservation and release (kernel free counts and
 * files), growth, the per-prefix lock, stale files of a killed process,
 * files removed on a fatal signal, --in-memory, IOVA as PA, 1 GiB pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_cunit.h"
#include "vfn_eal.h"
#include "vfn_log.h"
#include "vfn_malloc.h"

#define NEED_PAGES 80
#define H2M "/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define H1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/"

static char mnt[64];
static bool mounted;
static long orig_nr = -1, set_nr = -1;
static const char *skip_reason;

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%ld\n", v) > 0;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static long free_2m(void)
{
	return read_long(H2M "free_hugepages");
}

static int suite_init(void)
{
	long nr = read_long(H2M "nr_hugepages"), fr = free_2m();

	if (nr < 0) {
		skip_reason = "this kernel has no 2 MiB hugepages";
		return 0;
	}
	if (fr < NEED_PAGES) {
		orig_nr = nr;
		set_nr = nr + NEED_PAGES - fr;
		if (write_long(H2M "nr_hugepages", set_nr) ||
		    free_2m() < NEED_PAGES) {
			skip_reason = "cannot reserve 80 free 2 MiB hugepages (needs root and free memory)";
			return 0;
		}
	}
	snprintf(mnt, sizeof(mnt), "/tmp/vfn_huge_XXXXXX");
	if (!mkdtemp(mnt) ||
	    mount("nodev", mnt, "hugetlbfs", 0, "pagesize=2M")) {
		skip_reason = "cannot mount hugetlbfs (needs root)";
		return 0;
	}
	mounted = true;
	return 0;
}

static int suite_cleanup(void)
{
	if (mounted) {
		umount(mnt);
		rmdir(mnt);
	}
	/* give back what we reserved, unless someone changed it since */
	if (set_nr >= 0 && read_long(H2M "nr_hugepages") == set_nr)
		write_long(H2M "nr_hugepages", orig_nr);
	return 0;
}

#define NEED_HUGE()                                     \
	do {                                            \
		if (skip_reason)                        \
			vfn_test_skip(skip_reason);     \
	} while (0)

static int eal_up_v(const char *extra[])
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"prog";
	argv[argc++] = (char *)"-l";
	argv[argc++] = (char *)"0";
	argv[argc++] = (char *)"--no-pci";
	argv[argc++] = (char *)"--huge-dir";
	argv[argc++] = mnt;
	for (int i = 0; extra[i]; i++)
		argv[argc++] = (char *)extra[i];
	argv[argc] = NULL;
	return vfn_eal_init(argc, argv);
}

#define EAL_UP(...) eal_up_v((const char *[]){ __VA_ARGS__, NULL })

static bool file_exists(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", mnt, name);
	return !stat(path, &st);
}

static void test_discovery(void)
{
	struct eal_huge_info info;
	char out[PATH_MAX];
	bool found = false;

	NEED_HUGE();
	CU_ASSERT_EQUAL_FATAL(eal_huge_discover(&info, NULL), 0);
	CU_ASSERT_TRUE(info.n_sizes >= 1);
	CU_ASSERT_EQUAL(info.default_sz, 2ull << 20);
	CU_ASSERT_EQUAL(info.sizes[0].page_sz, info.default_sz);
	for (unsigned int i = 0; i < info.n_sizes; i++) {
		if (info.sizes[i].page_sz != (2ull << 20))
			continue;
		found = true;
		CU_ASSERT_TRUE(info.sizes[i].total_free >= NEED_PAGES);
		CU_ASSERT_TRUE(info.sizes[i].mount[0] != '\0');
		CU_ASSERT_EQUAL(info.sizes[i].free_pages[0],
				(uint64_t)free_2m());
	}
	CU_ASSERT_TRUE(found);
	CU_ASSERT_EQUAL(eal_huge_find_mount_dir("/proc/mounts", mnt,
						info.default_sz, 2ull << 20,
						out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, mnt);
	CU_ASSERT_EQUAL(eal_huge_find_mount_dir("/proc/mounts", "/tmp",
						info.default_sz, 2ull << 20,
						out, sizeof(out)), -1);
	/* --huge-dir that is not a hugetlbfs */
	CU_ASSERT_EQUAL(eal_huge_discover(&info, "/tmp"), -ENOENT);
}

static void test_reserve_release(void)
{
	long before = free_2m();
	char *p;

	NEED_HUGE();
	CU_ASSERT_EQUAL_FATAL(EAL_UP("-m", "64", "--file-prefix", "vfnut"), 9);
	CU_ASSERT_TRUE(vfn_eal_has_hugepages());
	CU_ASSERT_EQUAL(vfn_eal_memory_total(), 64ull << 20);
	CU_ASSERT_EQUAL(free_2m(), before - 32);
	CU_ASSERT_TRUE(file_exists("vfnutmap_0"));
	CU_ASSERT_EQUAL(eal_memseg_get(0)->page_sz, 2ull << 20);
	p = vfn_malloc("h", 1 << 20, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	memset(p, 0x5a, 1 << 20);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p), (uintptr_t)p);
	/* growth: a second file */
	CU_ASSERT_PTR_NOT_NULL(vfn_malloc("g", 70ull << 20, 0));
	CU_ASSERT_TRUE(file_exists("vfnutmap_1"));
	CU_ASSERT_TRUE(free_2m() <= before - 32 - 35);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_FALSE(file_exists("vfnutmap_0"));
	CU_ASSERT_FALSE(file_exists("vfnutmap_1"));
	CU_ASSERT_EQUAL(free_2m(), before);
}

static void test_not_enough(void)
{
	char want[512];
	long fr = free_2m(), nr = read_long(H2M "nr_hugepages");

	NEED_HUGE();
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(EAL_UP("-m", "100000", "--file-prefix", "vfnut"), -1);
	vfn_log_set_level(VFN_LOG_WARNING);
	snprintf(want, sizeof(want),
		 "not enough hugepages of 2048 kB: 100000 MB needs 50000 pages, %ld free; reserve them with: echo %ld > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages (or run with --no-huge)",
		 fr, nr + 50000 - fr);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(), want);
	CU_ASSERT_EQUAL(free_2m(), fr);
}

static void test_prefix_lock(void)
{
	NEED_HUGE();
	CU_ASSERT_EQUAL_FATAL(eal_run_lock("vfnut2"), 0);
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(EAL_UP("-m", "4", "--file-prefix", "vfnut2"), -1);
	vfn_log_set_level(VFN_LOG_WARNING);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "another vfnet process runs with --file-prefix vfnut2; give this one another --file-prefix (or use --in-memory)");
	eal_run_unlock();
	CU_ASSERT_EQUAL(EAL_UP("-m", "4", "--file-prefix", "vfnut2"), 9);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static void test_stale_files(void)
{
	long before = free_2m();
	int st, fd, pfd[2];
	char path[256], c;
	pid_t pid, holder;

	NEED_HUGE();
	/* a process killed with SIGKILL leaves its files */
	pid = fork();
	if (!pid) {
		vfn_log_set_level(VFN_LOG_EMERG);
		if (EAL_UP("-m", "8", "--file-prefix", "vfnut3") < 0)
			_exit(1);
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	waitpid(pid, &st, 0);
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CU_ASSERT_TRUE(file_exists("vfnut3map_0"));
	CU_ASSERT_EQUAL(free_2m(), before - 4);

	/* a live process's file (shared lock held) must survive */
	snprintf(path, sizeof(path), "%s/vfnut3map_77", mnt);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	CU_ASSERT_TRUE_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(ftruncate(fd, 2 << 20), 0);
	close(fd);
	CU_ASSERT_EQUAL(pipe(pfd), 0);
	holder = fork();
	if (!holder) {
		fd = open(path, O_RDWR);
		flock(fd, LOCK_SH);
		c = 'r';
		if (write(pfd[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	CU_ASSERT_EQUAL(read(pfd[0], &c, 1), 1);

	/* the next process with that prefix reclaims the dead one's pages */
	CU_ASSERT_EQUAL_FATAL(EAL_UP("-m", "8", "--file-prefix", "vfnut3"), 9);
	CU_ASSERT_TRUE(file_exists("vfnut3map_0")); /* its own, new */
	CU_ASSERT_TRUE(file_exists("vfnut3map_77"));
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_FALSE(file_exists("vfnut3map_0"));
	CU_ASSERT_EQUAL(free_2m(), before);
	kill(holder, SIGKILL);
	waitpid(holder, &st, 0);
	unlink(path);
	close(pfd[0]);
	close(pfd[1]);
}

/* --huge-unlink: no file even while running; =never: files outlive exit. */
static void test_huge_unlink(void)
{
	long before = free_2m();
	char path[256];
	int st;
	pid_t pid;

	NEED_HUGE();
	pid = fork();
	if (!pid) {
		vfn_log_set_level(VFN_LOG_EMERG);
		if (EAL_UP("-m", "8", "--file-prefix", "vfnut5",
			   "--huge-unlink") != 10)
			_exit(1);
		/* memory in use, no file: a SIGKILL leaves nothing behind */
		_exit(file_exists("vfnut5map_0") ? 2 : 0);
	}
	waitpid(pid, &st, 0);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_FALSE(file_exists("vfnut5map_0"));
	CU_ASSERT_EQUAL(free_2m(), before);

	CU_ASSERT_EQUAL_FATAL(EAL_UP("-m", "8", "--file-prefix", "vfnut6",
				     "--huge-unlink=never"), 10);
	CU_ASSERT_TRUE(file_exists("vfnut6map_0"));
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_TRUE(file_exists("vfnut6map_0")); /* kept, as DPDK's never */
	snprintf(path, sizeof(path), "%s/vfnut6map_0", mnt);
	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(free_2m(), before);
}

static void test_fatal_signal(void)
{
	long before = free_2m();
	int st;
	pid_t pid;

	NEED_HUGE();
	pid = fork();
	if (!pid) {
		vfn_log_set_level(VFN_LOG_EMERG);
		if (EAL_UP("-m", "8", "--file-prefix", "vfnut4") < 0)
			_exit(1);
		raise(SIGBUS);
		_exit(2);
	}
	waitpid(pid, &st, 0);
	CU_ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS);
	CU_ASSERT_FALSE(file_exists("vfnut4map_0"));
	CU_ASSERT_EQUAL(free_2m(), before);
}

static void test_in_memory(void)
{
	long before = free_2m();

	NEED_HUGE();
	CU_ASSERT_EQUAL_FATAL(EAL_UP("-m", "32", "--in-memory",
				     "--file-prefix", "vfnut5"), 10);
	CU_ASSERT_EQUAL(free_2m(), before - 16);
	CU_ASSERT_FALSE(file_exists("vfnut5map_0"));
	CU_ASSERT_TRUE(eal_memseg_get(0)->fd >= 0);
	CU_ASSERT_STRING_EQUAL(eal_memseg_get(0)->path, "");
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_EQUAL(free_2m(), before);
}

static void test_iova_pa(void)
{
	uint8_t *p;
	uint64_t iova;

	NEED_HUGE();
	if (geteuid() != 0)
		vfn_test_skip("physical addresses in /proc/self/pagemap need root");
	CU_ASSERT_EQUAL_FATAL(EAL_UP("-m", "8", "--iova-mode", "pa",
				     "--file-prefix", "vfnut6"), 11);
	CU_ASSERT_EQUAL(vfn_eal_iova_mode(), VFN_IOVA_PA);
	p = vfn_malloc("pa", 1 << 20, 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	iova = vfn_mem_virt2iova(p);
	CU_ASSERT_NOT_EQUAL(iova, VFN_BAD_IOVA);
	CU_ASSERT_NOT_EQUAL(iova, (uintptr_t)p);
	CU_ASSERT_EQUAL(iova, eal_virt2phys(p));
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p + 4096 + 7), iova + 4096 + 7);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p + 4096), eal_virt2phys(p + 4096));
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static void test_1g_pages(void)
{
	char mnt1g[64];
	long orig = read_long(H1G "nr_hugepages");
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)"0",
			 (char *)"--no-pci", (char *)"--huge-dir", mnt1g,
			 (char *)"-m", (char *)"1024", (char *)"--file-prefix",
			 (char *)"vfnut7", NULL };

	if (orig < 0)
		vfn_test_skip("this CPU/kernel has no 1 GiB hugepages");
	if (write_long(H1G "nr_hugepages", orig + 1) ||
	    read_long(H1G "free_hugepages") < 1) {
		write_long(H1G "nr_hugepages", orig);
		vfn_test_skip("cannot reserve a 1 GiB hugepage now (no contiguous free GiB, or not root)");
	}
	snprintf(mnt1g, sizeof(mnt1g), "/tmp/vfn_huge1g_XXXXXX");
	if (!mkdtemp(mnt1g) ||
	    mount("nodev", mnt1g, "hugetlbfs", 0, "pagesize=1G")) {
		write_long(H1G "nr_hugepages", orig);
		vfn_test_skip("cannot mount a 1 GiB hugetlbfs");
	}
	CU_ASSERT_EQUAL(vfn_eal_init(10, argv), 9);
	if (vfn_eal_is_initialized()) {
		CU_ASSERT_EQUAL(eal_memseg_get(0)->page_sz, 1ull << 30);
		CU_ASSERT_EQUAL(read_long(H1G "free_hugepages"), 0);
		CU_ASSERT_PTR_NOT_NULL(vfn_malloc("1g", 512 << 20, 0));
		CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	}
	CU_ASSERT_EQUAL(read_long(H1G "free_hugepages"), 1);
	umount(mnt1g);
	rmdir(mnt1g);
	write_long(H1G "nr_hugepages", orig);
}

static const struct vfn_test_case huge_cases[] = {
	{ "discovery of sizes, free pages and mounts", test_discovery },
	{ "reservation, growth and release", test_reserve_release },
	{ "not enough hugepages", test_not_enough },
	{ "one process per --file-prefix", test_prefix_lock },
	{ "stale files of a killed process reclaimed", test_stale_files },
	{ "--huge-unlink and --huge-unlink=never", test_huge_unlink },
	{ "files removed on a fatal signal", test_fatal_signal },
	{ "--in-memory uses memfd", test_in_memory },
	{ "IOVA as PA from pagemap", test_iova_pa },
	{ "1 GiB pages", test_1g_pages },
	{ NULL, NULL },
};

static const struct vfn_test_suite huge_suite = {
	"eal_hugepage", suite_init, suite_cleanup, huge_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &huge_suite, NULL };

	vfn_log_set_level(VFN_LOG_WARNING);
	return vfn_cunit_main(suites);
}
