/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks vfn_tap.h itself: each macro's line, numbering, failure details,
 * name cleaning, the plan and the exit status.  The header under test
 * writes into a memory stream; the results of this program are TAP too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_tap.h"

static char *buf;
static size_t len;
static unsigned int saved_count, saved_failed, saved_skipped;

/* Start capturing: the header's counters restart for the inner run. */
static void capture(void)
{
	free(buf);
	buf = NULL;
	vfn_tap_out = open_memstream(&buf, &len);
	if (!vfn_tap_out)
		tap_bail("open_memstream: %s", strerror(errno));
	saved_count = vfn_tap_count;
	saved_failed = vfn_tap_failed;
	saved_skipped = vfn_tap_skipped;
	vfn_tap_count = vfn_tap_failed = vfn_tap_skipped = 0;
}

/* Stop capturing; returns the inner counters as "count/failed/skipped". */
static const char *release(void)
{
	static char counts[64];

	fclose(vfn_tap_out);
	vfn_tap_out = NULL;
	snprintf(counts, sizeof(counts), "%u/%u/%u", vfn_tap_count,
		 vfn_tap_failed, vfn_tap_skipped);
	vfn_tap_count = saved_count;
	vfn_tap_failed = saved_failed;
	vfn_tap_skipped = saved_skipped;
	return counts;
}

static void check_pass_and_fail(void)
{
	int ok, bad;

	capture();
	ok = TAP_CHECK(1 + 1 == 2, "sum of %d", 2);
	bad = TAP_CHECK(1 + 1 == 3, "wrong sum");
	TAP_CHECK(strcmp(release(), "2/1/0") == 0, "two checks counted, one failed");
	TAP_CHECK(ok == 1 && bad == 0, "TAP_CHECK returns the result");
	TAP_CHECK(strncmp(buf, "ok 1 - sum of 2\nnot ok 2 - wrong sum # ", 38) == 0,
		  "numbered ok and not ok lines");
	TAP_CHECK(strstr(buf, "test_tap.c:") && strstr(buf, ": 1 + 1 == 3\n"),
		  "failure names file:line and the expression");
}

static void check_syscalls(void)
{
	capture();
	TAP_OK(open("/", O_RDONLY | O_DIRECTORY), "open / succeeds");
	TAP_OK(open("/nonexistent/vfn-tap", O_RDONLY), "open fails");
	TAP_ERR(open("/nonexistent/vfn-tap", O_RDONLY), ENOENT, "ENOENT expected");
	TAP_ERR(open("/nonexistent/vfn-tap", O_RDONLY), EINVAL, "EINVAL expected");
	TAP_CHECK_ERRNO(open("/nonexistent/vfn-tap", O_RDONLY) >= 0, "open check");
	TAP_CHECK(strcmp(release(), "5/3/0") == 0, "syscall checks counted");
	TAP_CHECK(strstr(buf, "ok 1 - open / succeeds\n") != NULL, "TAP_OK pass");
	TAP_CHECK(strstr(buf, "not ok 2 - open fails # ") &&
		  strstr(buf, "observed -1, errno 2 (No such file or directory)\n"),
		  "TAP_OK failure shows the value and errno");
	TAP_CHECK(strstr(buf, "ok 3 - ENOENT expected\n") != NULL, "TAP_ERR pass");
	TAP_CHECK(strstr(buf, "not ok 4 - EINVAL expected # ") &&
		  strstr(buf, "fails with EINVAL, observed -1, errno 2"),
		  "TAP_ERR failure shows the errno observed");
	TAP_CHECK(strstr(buf, "not ok 5 - open check # ") &&
		  strstr(buf, ">= 0, errno 2 (No such file or directory)\n"),
		  "TAP_CHECK_ERRNO failure shows the expression and errno");
}

static void check_eq_skip_and_names(void)
{
	capture();
	TAP_EQ(16, 0x10, "equal");
	TAP_EQ(3, 4, "unequal");
	TAP_SKIP("no device #2", "msix # loopback");
	tap_diag("a note");
	TAP_CHECK(strcmp(release(), "3/1/1") == 0, "skip counted as a skip");
	TAP_CHECK(strstr(buf, "observed 3 (0x3), expected 4 (0x4)") != NULL,
		  "TAP_EQ failure shows both values");
	TAP_CHECK(strstr(buf, "ok 3 - msix _ loopback # SKIP no device _2\n") != NULL,
		  "skip directive, '#' cleaned from name and reason");
	TAP_CHECK(strstr(buf, "\n# a note\n") != NULL, "diagnostic line");
}

static void check_plan(void)
{
	int rc;

	capture();
	rc = tap_done();
	release();
	TAP_CHECK(rc == 0 && strcmp(buf, "1..0 # SKIP no checks ran\n") == 0,
		  "no checks: skip-all plan, status 0");
	capture();
	TAP_CHECK(0, "fails");
	rc = tap_done();
	release();
	TAP_CHECK(rc == 1 && strstr(buf, "\n1..1\n"), "a failure: plan, status 1");
}

int main(void)
{
	check_pass_and_fail();
	check_syscalls();
	check_eq_skip_and_names();
	check_plan();
	free(buf);
	return tap_done();
}
