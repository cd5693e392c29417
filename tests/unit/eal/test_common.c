/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdint.h>

#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vfn_common.h"
#include "vfn_cycles.h"
#include "vfn_debug.h"
#include "vfn_lcore.h"
#include "vfn_malloc.h"
#include "vfn_cunit.h"

static void test_align(void)
{
	CU_ASSERT_EQUAL(vfn_align_ceil(0, 64), 0);
	CU_ASSERT_EQUAL(vfn_align_ceil(1, 64), 64);
	CU_ASSERT_EQUAL(vfn_align_ceil(64, 64), 64);
	CU_ASSERT_EQUAL(vfn_align_ceil(65, 4096), 4096);
	CU_ASSERT_EQUAL(vfn_align32pow2(1), 1);
	CU_ASSERT_EQUAL(vfn_align32pow2(3), 4);
	CU_ASSERT_EQUAL(vfn_align32pow2(1024), 1024);
	CU_ASSERT_EQUAL(vfn_align32pow2(1025), 2048);
	CU_ASSERT_TRUE(vfn_is_power_of_2(1));
	CU_ASSERT_FALSE(vfn_is_power_of_2(0));
	CU_ASSERT_FALSE(vfn_is_power_of_2(6));
}

static void test_tsc(void)
{
	uint64_t a = vfn_rdtsc(), b = vfn_rdtsc();
	uint64_t hz = vfn_get_tsc_hz();

	CU_ASSERT(b >= a);
	/* Any real x86 TSC runs between 100 MHz and 10 GHz. */
	CU_ASSERT(hz > 100000000ull && hz < 10000000000ull);
}

static void test_lcore_default(void)
{
	CU_ASSERT_EQUAL(vfn_lcore_id(), VFN_LCORE_ID_ANY);
}

static void test_malloc_align(void)
{
	void *p = vfn_zmalloc("t", 100, 4096);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL((uintptr_t)p % 4096, 0);
	CU_ASSERT_EQUAL(((unsigned char *)p)[99], 0);
	CU_ASSERT_NOT_EQUAL(vfn_mem_virt2iova(p), VFN_BAD_IOVA);
	vfn_free(p);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_malloc_socket("t", 64, 3, VFN_SOCKET_ID_ANY));
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NULL(vfn_malloc_socket("t", 0, 64, VFN_SOCKET_ID_ANY));
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* vfn_delay_us/ms wait at least as long as asked (rte_cycles.h) */
static void test_delay(void)
{
	uint64_t t0 = now_us();

	vfn_delay_us(3000);
	CU_ASSERT_TRUE(now_us() - t0 >= 3000);
	t0 = now_us();
	vfn_delay_ms(2);
	CU_ASSERT_TRUE(now_us() - t0 >= 2000);
	t0 = now_us();
	vfn_delay_us_sleep(1500);
	CU_ASSERT_TRUE(now_us() - t0 >= 1500);
	CU_ASSERT_EQUAL(vfn_get_timer_hz(), vfn_get_tsc_hz());
	CU_ASSERT_TRUE(vfn_get_timer_cycles() > 0);
}

/* vfn_exit() exits with the code given, as rte_exit() */
static void test_exit(void)
{
	int st;
	pid_t pid = fork();

	CU_ASSERT_FATAL(pid >= 0);
	if (!pid)
		vfn_exit(42, "test_exit: leaving with %d", 42);
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 42);
}

/* rte_common.h helpers */
static void test_common_macros(void)
{
	int a[7];
	int x = 3;

	VFN_SET_USED(a);
	CU_ASSERT_EQUAL(VFN_DIM(a), 7);
	CU_ASSERT_EQUAL(VFN_MIN(x++, 10), 3);
	CU_ASSERT_EQUAL(x, 4); /* evaluated once */
	CU_ASSERT_EQUAL(VFN_MAX(-1, 2), 2);
}

static const struct vfn_test_case common_cases[] = {
	{ "align helpers", test_align },
	{ "tsc", test_tsc },
	{ "lcore id outside EAL", test_lcore_default },
	{ "malloc alignment and errors", test_malloc_align },
	{ "delay_us/ms and the timer", test_delay },
	{ "vfn_exit exit code", test_exit },
	{ "rte_common.h macros", test_common_macros },
	{ NULL, NULL },
};

static const struct vfn_test_suite common_suite = {
	"eal_common", NULL, NULL, common_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &common_suite, NULL };

	return vfn_cunit_main(suites);
}
