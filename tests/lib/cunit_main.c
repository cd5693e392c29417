/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "vfn_cunit.h"

static unsigned int skipped;

void vfn_test_skip_reason(const char *reason)
{
	CU_pTest t = CU_get_current_test();

	skipped++;
	printf("\n  SKIP: %s: %s\n", t ? t->pName : "?", reason);
}

static int add_suite(const struct vfn_test_suite *s)
{
	const struct vfn_test_case *c;
	CU_pSuite suite = CU_add_suite(s->name, s->init, s->cleanup);

	if (!suite)
		return -1;
	for (c = s->cases; c->name; c++)
		if (!CU_add_test(suite, c->name, c->fn))
			return -1;
	return 0;
}

/*
 * What meson (exitcode protocol) sees: 1 on any failure; 77, its SKIP,
 * when every test that ran skipped; else 0.  A partly skipped program
 * passes for meson, so the skip count goes on a line of its own that
 * tools/test-summary reads from meson's test log.
 */
static int exit_status(unsigned int failed, unsigned int ran)
{
	if (skipped)
		printf("vfn-cunit: %u of %u tests skipped\n", skipped, ran);
	if (failed)
		return 1;
	if (ran > 0 && skipped >= ran)
		return 77;
	return 0;
}

int vfn_cunit_main(const struct vfn_test_suite *const *suites)
{
	unsigned int failed, ran;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (; *suites; suites++) {
		if (add_suite(*suites)) {
			fprintf(stderr, "CUnit: cannot add suite %s: %s\n",
				(*suites)->name, CU_get_error_msg());
			CU_cleanup_registry();
			return 2;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
		 CU_get_number_of_suites_failed() +
		 CU_get_number_of_tests_failed();
	ran = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	return exit_status(failed, ran);
}
