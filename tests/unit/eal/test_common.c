/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdint.h>

#include "vfn_common.h"
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

static const struct vfn_test_case common_cases[] = {
	{ "align helpers", test_align },
	{ "tsc", test_tsc },
	{ "lcore id outside EAL", test_lcore_default },
	{ "malloc alignment and errors", test_malloc_align },
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
