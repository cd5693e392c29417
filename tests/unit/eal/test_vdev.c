/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual devices: --vdev goes to the driver whose name is the longest
 * prefix of the device name, with the arguments after the first comma;
 * devices are removed at cleanup; unknown names fail with the list of
 * registered drivers.
 */
#include <errno.h>
#include <string.h>

#include "vfn_cunit.h"
#include "vfn_eal.h"
#include "vfn_log.h"
#include "vfn_vdev.h"

static char probed[8][64], probed_args[8][64], removed[8][64];
static int n_probed, n_removed;

static int record_probe(const char *name, const char *args)
{
	if (!strcmp(args, "fail=1"))
		return -EINVAL;
	snprintf(probed[n_probed], sizeof(probed[0]), "%s", name);
	snprintf(probed_args[n_probed++], sizeof(probed_args[0]), "%s", args);
	return 0;
}

static int record_remove(const char *name)
{
	snprintf(removed[n_removed++], sizeof(removed[0]), "%s", name);
	return 0;
}

static struct vfn_vdev_driver drv_null = {
	.name = "net_null", .probe = record_probe, .remove = record_remove,
};
static struct vfn_vdev_driver drv_null_ext = {
	.name = "net_nullx", .probe = record_probe, .remove = record_remove,
};
static struct vfn_vdev_driver drv_ring = {
	.name = "net_ring", .probe = record_probe, .remove = record_remove,
};

static void reset(void)
{
	n_probed = n_removed = 0;
	memset(probed, 0, sizeof(probed));
	memset(removed, 0, sizeof(removed));
}

static void test_vdev_args(void)
{
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"-m", (char *)"8",
			 (char *)"--no-pci", (char *)"--vdev",
			 (char *)"net_null0,size=64,copy=1",
			 (char *)"--vdev=net_nullx3", (char *)"--vdev",
			 (char *)"net_ring1", (char *)"--", (char *)"app", NULL };

	reset();
	/* DPDK's count: argv[0] not counted, "--" counted, and the program
	 * name moved in front of the application's arguments */
	CU_ASSERT_EQUAL_FATAL(vfn_eal_init(14, argv), 12);
	CU_ASSERT_STRING_EQUAL(argv[12], "prog");
	CU_ASSERT_STRING_EQUAL(argv[13], "app");
	CU_ASSERT_EQUAL(n_probed, 3);
	CU_ASSERT_STRING_EQUAL(probed[0], "net_null0");
	CU_ASSERT_STRING_EQUAL(probed_args[0], "size=64,copy=1");
	CU_ASSERT_STRING_EQUAL(probed[1], "net_nullx3"); /* longest prefix */
	CU_ASSERT_STRING_EQUAL(probed_args[1], "");
	CU_ASSERT_STRING_EQUAL(probed[2], "net_ring1");
	CU_ASSERT_PTR_EQUAL(vfn_vdev_find_driver("net_nullx3"), &drv_null_ext);
	CU_ASSERT_PTR_EQUAL(vfn_vdev_find_driver("net_null9"), &drv_null);
	CU_ASSERT_PTR_NULL(vfn_vdev_find_driver("net_tap0"));
	/* at run time too */
	CU_ASSERT_EQUAL(vfn_vdev_init("net_null1", "size=128"), 0);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_null1", NULL), -EEXIST);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_tap0", NULL), -ENOENT);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_null1"), 0);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_null1"), -ENOENT);
	CU_ASSERT_EQUAL(n_removed, 1);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	/* removed in reverse order at cleanup */
	CU_ASSERT_EQUAL(n_removed, 4);
	CU_ASSERT_STRING_EQUAL(removed[1], "net_ring1");
	CU_ASSERT_STRING_EQUAL(removed[3], "net_null0");
}

static void test_vdev_errors(void)
{
	char *unknown[] = { (char *)"prog", (char *)"-l", (char *)"0",
			    (char *)"--no-huge", (char *)"--no-pci",
			    (char *)"--vdev", (char *)"net_tap0,iface=x", NULL };
	char *failing[] = { (char *)"prog", (char *)"-l", (char *)"0",
			    (char *)"--no-huge", (char *)"--no-pci",
			    (char *)"--vdev", (char *)"net_null0,fail=1", NULL };
	char *twice[] = { (char *)"prog", (char *)"-l", (char *)"0",
			  (char *)"--no-huge", (char *)"--no-pci",
			  (char *)"--vdev", (char *)"net_null0",
			  (char *)"--vdev", (char *)"net_null0", NULL };

	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(vfn_eal_init(7, unknown), -1);
	/* the registered list grows with every software PMD: check its shape */
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
		"invalid EAL argument '--vdev net_tap0': no virtual device driver for 'net_tap0' (registered: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(), "net_null, "));
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(), "net_ring"));
	CU_ASSERT_EQUAL(vfn_eal_init(7, failing), -1);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "--vdev net_null0,fail=1: driver net_null failed to create it: Invalid argument");
	reset();
	CU_ASSERT_EQUAL(vfn_eal_init(9, twice), -1);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "invalid EAL argument '--vdev net_null0': device net_null0 given twice");
	/* the first one was created, then removed by the unwinding */
	CU_ASSERT_EQUAL(n_probed, 1);
	CU_ASSERT_EQUAL(n_removed, 1);
	CU_ASSERT_FALSE(vfn_eal_is_initialized());
	vfn_log_set_level(VFN_LOG_WARNING);
}

static const struct vfn_test_case vdev_cases[] = {
	{ "--vdev by name prefix, args, removal", test_vdev_args },
	{ "--vdev errors", test_vdev_errors },
	{ NULL, NULL },
};

static const struct vfn_test_suite vdev_suite = {
	"eal_vdev", NULL, NULL, vdev_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &vdev_suite, NULL };
	struct vfn_vdev_driver *real;

	/*
	 * libvfnet's own net_null and net_ring drivers are linked in too:
	 * take them out so the recording fakes of the same names are used.
	 */
	while ((real = vfn_vdev_find_driver("net_null0")) != NULL)
		vfn_vdev_unregister_driver(real);
	while ((real = vfn_vdev_find_driver("net_ring0")) != NULL)
		vfn_vdev_unregister_driver(real);
	vfn_vdev_register_driver(&drv_null);
	vfn_vdev_register_driver(&drv_null_ext);
	vfn_vdev_register_driver(&drv_ring);
	vfn_log_set_level(VFN_LOG_WARNING);
	return vfn_cunit_main(suites);
}
