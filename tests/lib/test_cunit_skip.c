/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A CUnit program whose tests skip, for test_cunit_skip.sh: "all" runs
 * two tests that both skip, "some" one that skips and one that passes,
 * "fail" one that skips and one that fails.
 */
#include <string.h>

#include "vfn_cunit.h"

static void skips(void)
{
	vfn_test_skip("this check needs something absent here");
}

static void passes(void)
{
	CU_ASSERT_TRUE(1);
}

static void fails(void)
{
	CU_ASSERT_TRUE(0);
}

static const struct vfn_test_case all_cases[] = {
	{ "skips", skips }, { "skips too", skips }, { NULL, NULL },
};
static const struct vfn_test_case some_cases[] = {
	{ "skips", skips }, { "passes", passes }, { NULL, NULL },
};
static const struct vfn_test_case fail_cases[] = {
	{ "skips", skips }, { "fails", fails }, { NULL, NULL },
};

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";
	struct vfn_test_suite s = { "skip", NULL, NULL, all_cases };
	const struct vfn_test_suite *suites[] = { &s, NULL };

	if (!strcmp(mode, "some"))
		s.cases = some_cases;
	else if (!strcmp(mode, "fail"))
		s.cases = fail_cases;
	return vfn_cunit_main(suites);
}
