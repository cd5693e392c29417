/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared main() for CUnit test programs: each program lists its suites in
 * a NULL-terminated array of struct vfn_test_suite and calls
 * vfn_cunit_main(), which runs them with the basic (verbose) interface,
 * prints CUnit's summary, and returns non-zero when anything failed.
 * A test that cannot run here calls vfn_test_skip() with the reason: it
 * is printed as "SKIP: <test>: <reason>" and counted, never as a pass:
 * the program exits 77 (meson's SKIP) when every test skipped, and else
 * prints "vfn-cunit: N of M tests skipped", which tools/test-summary
 * counts.
 * vfn_cunit_main_tap() runs them the same way but reports in TAP
 * (tests/lib/vfn_tap.h), one result per test, for the VM tests whose
 * guest scripts join TAP streams.
 */
#ifndef VFN_CUNIT_H
#define VFN_CUNIT_H

#include <CUnit/CUnit.h>

struct vfn_test_case {
	const char *name;
	void (*fn)(void);
};

struct vfn_test_suite {
	const char *name;
	int (*init)(void);
	int (*cleanup)(void);
	const struct vfn_test_case *cases; /* terminated by { NULL, NULL } */
};

/** Run @p suites; returns the process exit status. */
int vfn_cunit_main(const struct vfn_test_suite *const *suites);

/**
 * Run @p suites and print one TAP result per test ("ok N - suite: test",
 * a skip with its reason, or "not ok" naming the first failed assertion,
 * the others as diagnostics), then the plan.
 * @return 0 unless a test failed, 2 when the registry cannot be built
 */
int vfn_cunit_main_tap(const struct vfn_test_suite *const *suites);

/** Report the current test as skipped, with a reason, and return from it. */
void vfn_test_skip_reason(const char *reason);
#define vfn_test_skip(reason) do { vfn_test_skip_reason(reason); return; } while (0)

#endif
