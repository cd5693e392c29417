/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "vfn_cunit.h"
#include "vfn_tap.h"

static unsigned int skipped;
/* TAP mode (vfn_cunit_main_tap): the current test's skip reason, if any */
static int tap_mode;
static char skip_reason[256];

void vfn_test_skip_reason(const char *reason)
{
	CU_pTest t = CU_get_current_test();

	skipped++;
	if (tap_mode) {
		snprintf(skip_reason, sizeof(skip_reason), "%s", reason);
		return;
	}
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

static int add_suites(const struct vfn_test_suite *const *suites)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return -1;
	for (; *suites; suites++) {
		if (add_suite(*suites)) {
			fprintf(stderr, "CUnit: cannot add suite %s: %s\n",
				(*suites)->name, CU_get_error_msg());
			CU_cleanup_registry();
			return -1;
		}
	}
	return 0;
}

static void tap_test_start(const CU_pTest test, const CU_pSuite suite)
{
	(void)test;
	(void)suite;
	skip_reason[0] = '\0';
}

/* One TAP result per test: the first failed assertion says where. */
static void tap_test_complete(const CU_pTest test, const CU_pSuite suite,
			      const CU_pFailureRecord failures)
{
	CU_pFailureRecord f;

	if (!failures && skip_reason[0]) {
		vfn_tap_skip(skip_reason, "%s: %s", suite->pName, test->pName);
		return;
	}
	if (!failures) {
		vfn_tap_result(1, __FILE__, __LINE__, NULL, 0, "%s: %s",
			       suite->pName, test->pName);
		return;
	}
	for (f = failures->pNext; f; f = f->pNext)
		tap_diag("also failed: %s:%u: %s", f->strFileName,
			 f->uiLineNumber, f->strCondition);
	vfn_tap_result(0, failures->strFileName, (int)failures->uiLineNumber,
		       failures->strCondition, 0, "%s: %s", suite->pName,
		       test->pName);
}

static void tap_suite_init_failed(const CU_pSuite suite)
{
	vfn_tap_result(0, __FILE__, __LINE__, "the suite's init returned non-zero",
		       0, "%s: set-up", suite->pName);
}

static void tap_suite_cleanup_failed(const CU_pSuite suite)
{
	vfn_tap_result(0, __FILE__, __LINE__,
		       "the suite's cleanup returned non-zero", 0,
		       "%s: clean-up", suite->pName);
}

int vfn_cunit_main_tap(const struct vfn_test_suite *const *suites)
{
	if (add_suites(suites))
		return 2;
	tap_mode = 1;
	CU_set_test_start_handler(tap_test_start);
	CU_set_test_complete_handler(tap_test_complete);
	CU_set_suite_init_failure_handler(tap_suite_init_failed);
	CU_set_suite_cleanup_failure_handler(tap_suite_cleanup_failed);
	CU_run_all_tests();
	CU_cleanup_registry();
	return tap_done();
}

int vfn_cunit_main(const struct vfn_test_suite *const *suites)
{
	unsigned int failed, ran;

	if (add_suites(suites))
		return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
		 CU_get_number_of_suites_failed() +
		 CU_get_number_of_tests_failed();
	ran = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	return exit_status(failed, ran);
}
