/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL memory with --no-huge (runs anywhere): the heap (alignment, no
 * overlap, coalescing, growth, NUMA node argument), memzones, and
 * virtual-to-IOVA lookups; and the C-heap fallback before vfn_eal_init().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_cunit.h"
#include "vfn_eal.h"
#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_memzone.h"

static int eal_up(const char *mem)
{
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"-m", (char *)mem,
			 (char *)"--no-pci", NULL };

	return vfn_eal_init(7, argv);
}

static void test_fallback_before_init(void)
{
	void *p = vfn_malloc("pre", 1000, 256);

	CU_ASSERT_FALSE(vfn_eal_is_initialized());
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL((uintptr_t)p % 256, 0);
	/* without an EAL, IOVA = VA */
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p), (uintptr_t)p);
	CU_ASSERT_EQUAL(vfn_eal_iova_mode(), VFN_IOVA_DC);
	/* freed after the EAL came up: still the C heap's */
	CU_ASSERT_EQUAL_FATAL(eal_up("32"), 6);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p), VFN_BAD_IOVA);
	vfn_free(p);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), -EALREADY);
}

#define NALLOC 500

static void test_heap(void)
{
	struct vfn_malloc_socket_stats st0, st;
	static void *ptr[NALLOC];
	static size_t len[NALLOC];
	unsigned int seed = 1;

	CU_ASSERT_EQUAL_FATAL(eal_up("64"), 6);
	CU_ASSERT_EQUAL(vfn_eal_memory_total(), 64ull << 20);
	CU_ASSERT_EQUAL(vfn_eal_iova_mode(), VFN_IOVA_VA);
	CU_ASSERT_FALSE(vfn_eal_has_hugepages());
	CU_ASSERT_EQUAL(vfn_malloc_get_socket_stats(0, &st0), 0);
	CU_ASSERT_EQUAL(st0.heap_totalsz_bytes, 64ull << 20);
	CU_ASSERT_EQUAL(st0.alloc_count, 0);

	for (int i = 0; i < NALLOC; i++) {
		size_t align = 1ull << (rand_r(&seed) % 13); /* 1 .. 4096 */

		len[i] = 1 + rand_r(&seed) % 20000;
		ptr[i] = vfn_malloc_socket("t", len[i], align, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ptr[i]);
		CU_ASSERT_EQUAL((uintptr_t)ptr[i] % align, 0);
		CU_ASSERT_EQUAL((uintptr_t)ptr[i] % VFN_CACHE_LINE_SIZE, 0);
		CU_ASSERT_TRUE(eal_mem_contains(ptr[i]));
		memset(ptr[i], i & 0xff, len[i]);
	}
	/* nothing overlapped: every block still holds its own pattern */
	for (int i = 0; i < NALLOC; i++) {
		unsigned char *b = ptr[i];

		CU_ASSERT_TRUE(b[0] == (i & 0xff) && b[len[i] - 1] == (i & 0xff));
	}
	CU_ASSERT_EQUAL(vfn_malloc_get_socket_stats(0, &st), 0);
	CU_ASSERT_EQUAL(st.alloc_count, NALLOC);
	/* free in a scrambled order: all blocks coalesce back into one */
	for (int i = 0; i < NALLOC; i += 2)
		vfn_free(ptr[i]);
	for (int i = NALLOC - 1; i > 0; i -= 2)
		vfn_free(ptr[i]);
	CU_ASSERT_EQUAL(vfn_malloc_get_socket_stats(0, &st), 0);
	CU_ASSERT_EQUAL(st.alloc_count, 0);
	CU_ASSERT_EQUAL(st.free_count, 1);
	CU_ASSERT_EQUAL(st.heap_freesz_bytes, st.heap_totalsz_bytes);

	/* zeroed, calloc overflow, bad arguments */
	{
		unsigned char *z = vfn_zmalloc("z", 4096, 0);
		int zero = 1;

		CU_ASSERT_PTR_NOT_NULL_FATAL(z);
		for (int i = 0; i < 4096; i++)
			zero &= z[i] == 0;
		CU_ASSERT_TRUE(zero);
		vfn_free(z);
		errno = 0;
		CU_ASSERT_PTR_NULL(vfn_calloc("c", SIZE_MAX / 2, 4, 0));
		CU_ASSERT_EQUAL(errno, EINVAL);
		CU_ASSERT_PTR_NULL(vfn_malloc_socket("t", 64, 48, 0));
		CU_ASSERT_PTR_NULL(vfn_malloc_socket("t", 64, 64,
						     VFN_MAX_NUMA_NODES));
		vfn_free(NULL);
	}
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static void test_growth(void)
{
	struct vfn_malloc_socket_stats st;
	void *big, *big2;

	CU_ASSERT_EQUAL_FATAL(eal_up("16"), 6);
	CU_ASSERT_EQUAL(eal_memseg_count(), 1);
	big = vfn_malloc("big", 40ull << 20, 1 << 21);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	CU_ASSERT_EQUAL((uintptr_t)big % (1 << 21), 0);
	CU_ASSERT_EQUAL(eal_memseg_count(), 2);
	CU_ASSERT_TRUE(vfn_eal_memory_total() > (56ull << 20));
	memset(big, 0xa5, 40ull << 20);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova((char *)big + 12345),
			(uintptr_t)big + 12345);
	big2 = vfn_malloc("big2", 40ull << 20, 0);
	CU_ASSERT_PTR_NOT_NULL(big2);
	vfn_free(big);
	vfn_free(big2);
	CU_ASSERT_EQUAL(vfn_malloc_get_socket_stats(0, &st), 0);
	CU_ASSERT_EQUAL(st.alloc_count, 0);
	CU_ASSERT_EQUAL(st.free_count, eal_memseg_count());
	/* a NUMA node that does not exist cannot grow */
	CU_ASSERT_PTR_NULL(vfn_malloc_socket("n", 64, 0, VFN_MAX_NUMA_NODES - 1));
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	/* after cleanup: the C heap again */
	big = vfn_malloc("after", 100, 0);
	CU_ASSERT_PTR_NOT_NULL(big);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(big), (uintptr_t)big);
	vfn_free(big);
}

static void test_virt2iova(void)
{
	int on_stack;
	char *p;

	CU_ASSERT_EQUAL_FATAL(eal_up("8"), 6);
	p = vfn_malloc("v", 3 << 20, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (size_t off = 0; off < (3u << 20); off += 65537)
		CU_ASSERT_EQUAL(vfn_mem_virt2iova(p + off), (uintptr_t)(p + off));
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(&on_stack), VFN_BAD_IOVA);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(NULL), VFN_BAD_IOVA);
	vfn_free(p);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static void test_memzone(void)
{
	const struct vfn_memzone *a, *b;

	CU_ASSERT_EQUAL_FATAL(eal_up("16"), 6);
	a = vfn_memzone_reserve("ring0", 100000, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_STRING_EQUAL(a->name, "ring0");
	CU_ASSERT_EQUAL(a->len, 100000);
	CU_ASSERT_EQUAL(a->iova, (uintptr_t)a->addr);
	CU_ASSERT_EQUAL((uintptr_t)a->addr % VFN_CACHE_LINE_SIZE, 0);
	CU_ASSERT_PTR_EQUAL(vfn_memzone_lookup("ring0"), a);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_memzone_reserve("ring0", 64, 0, 0));
	CU_ASSERT_EQUAL(errno, EEXIST);
	b = vfn_memzone_reserve_aligned("desc", 4096, VFN_SOCKET_ID_ANY, 0,
					1 << 16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL((uintptr_t)b->addr % (1 << 16), 0);
	CU_ASSERT_EQUAL(vfn_memzone_free(a), 0);
	CU_ASSERT_PTR_NULL(vfn_memzone_lookup("ring0"));
	CU_ASSERT_EQUAL(vfn_memzone_free(a), -EINVAL);
	CU_ASSERT_PTR_NULL(vfn_memzone_reserve("", 64, 0, 0));
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_PTR_NULL(vfn_memzone_lookup("desc"));
}

/* The EAL window is placed inside the IOVA range the IOMMU accepts. */
static void test_window_in_iova_range(void)
{
	/* 80-81 TiB: away from the kernel's mmap base and ASan's shadow */
	const uint64_t lo = 80ull << 40, hi = (81ull << 40) - 1;
	struct eal_memseg *ms;

	eal_iova_mode_set(VFN_IOVA_VA);
	CU_ASSERT_EQUAL_FATAL(eal_mem_va_init(lo, hi), 0);
	ms = eal_mem_add(4 << 20, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
	CU_ASSERT_TRUE((uintptr_t)ms->addr >= lo);
	CU_ASSERT_TRUE((uintptr_t)ms->addr + ms->len - 1 <= hi);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova((char *)ms->addr + 100),
			(uintptr_t)ms->addr + 100);
	eal_heap_reset();
	eal_mem_release();
	eal_iova_mode_set(VFN_IOVA_DC);
	/* a range too small for any window */
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(eal_mem_va_init(0x100000, 0x1fffff), -1);
	vfn_log_set_level(VFN_LOG_WARNING);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "the IOMMU's IOVA range 0x100000-0x1fffff is too small for EAL memory");
}

/* The two ways the EAL runs out of room say what to do about it. */
static void test_limits_name_the_fix(void)
{
	const uint64_t lo = 80ull << 40, hi = (81ull << 40) - 1;
	unsigned int i;

	eal_iova_mode_set(VFN_IOVA_VA);
	CU_ASSERT_EQUAL_FATAL(eal_mem_va_init(lo, hi), 0);
	vfn_log_set_level(VFN_LOG_EMERG);
	/* More than the 64 GiB window. */
	CU_ASSERT_PTR_NULL(eal_mem_add(128ull << 30, 0, 0));
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
				      "EAL address window full: 131072 MB asked"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
				      "ask for less memory (-m, --socket-mem"));
	/* The 257th segment (2 MiB each: 512 MiB in all, briefly). */
	for (i = 0; i < 256; i++)
		if (!eal_mem_add(2 << 20, 0, 0))
			break;
	CU_ASSERT_EQUAL(i, 256);
	CU_ASSERT_PTR_NULL(eal_mem_add(2 << 20, 0, 0));
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
				      "too many memory segments (256)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
				      "reserve the memory at start-up with -m or --socket-mem"));
	vfn_log_set_level(VFN_LOG_WARNING);
	eal_heap_reset();
	eal_mem_release();
	eal_iova_mode_set(VFN_IOVA_DC);
}

/* --legacy-mem: the heap does not grow; --base-virtaddr places the window. */
static void test_legacy_mem_and_base(void)
{
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"-m", (char *)"16",
			 (char *)"--no-pci", (char *)"--legacy-mem",
			 (char *)"--base-virtaddr", (char *)"0x500000000000", NULL };
	struct eal_memseg *ms;

	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL_FATAL(vfn_eal_init(10, argv), 9);
	vfn_log_set_level(VFN_LOG_WARNING);
	CU_ASSERT_PTR_NULL(vfn_malloc("big", 40ull << 20, 0));
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
		"with --legacy-mem it is all reserved at start-up and never grows; give more with -m"));
	CU_ASSERT_EQUAL(eal_memseg_count(), 1);
	ms = eal_memseg_get(0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
	/* 0x500000000000 is 80 TiB: 1 GiB aligned and inside any IOVA range */
	CU_ASSERT_EQUAL((uintptr_t)ms->addr, 0x500000000000ull);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static int alloc_many(void *arg)
{
	void *p[64];

	(void)arg;
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 64; i++) {
			p[i] = vfn_malloc("mt", 64 << 10, 0);
			if (!p[i])
				return -1;
			memset(p[i], round, 64 << 10);
		}
		for (int i = 0; i < 64; i++)
			vfn_free(p[i]);
	}
	return 0;
}

/* Two lcores allocate (and grow the heap) at the same time. */
static void test_concurrent_growth(void)
{
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)"0-1",
			 (char *)"--no-huge", (char *)"-m", (char *)"2",
			 (char *)"--no-pci", NULL };
	struct vfn_malloc_socket_stats st;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		vfn_test_skip("needs 2 CPUs");
	CU_ASSERT_EQUAL_FATAL(vfn_eal_init(7, argv), 6);
	CU_ASSERT_EQUAL(vfn_eal_remote_launch(alloc_many, NULL, 1), 0);
	CU_ASSERT_EQUAL(alloc_many(NULL), 0);
	CU_ASSERT_EQUAL(vfn_eal_wait_lcore(1), 0);
	CU_ASSERT_TRUE(eal_memseg_count() > 1);
	CU_ASSERT_EQUAL(vfn_malloc_get_socket_stats(0, &st), 0);
	CU_ASSERT_EQUAL(st.alloc_count, 0);
	CU_ASSERT_EQUAL(st.heap_freesz_bytes, st.heap_totalsz_bytes);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
}

static const struct vfn_test_case mem_cases[] = {
	{ "two lcores grow the heap at once", test_concurrent_growth },
	{ "EAL window inside the IOVA range", test_window_in_iova_range },
	{ "window and segment limits name the fix", test_limits_name_the_fix },
	{ "C heap before vfn_eal_init", test_fallback_before_init },
	{ "heap: alignment, overlap, coalescing", test_heap },
	{ "heap grows with new segments", test_growth },
	{ "--legacy-mem and --base-virtaddr", test_legacy_mem_and_base },
	{ "virt2iova in VA mode", test_virt2iova },
	{ "memzones", test_memzone },
	{ NULL, NULL },
};

static const struct vfn_test_suite mem_suite = {
	"eal_memory", NULL, NULL, mem_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &mem_suite, NULL };

	vfn_log_set_level(VFN_LOG_WARNING);
	return vfn_cunit_main(suites);
}
