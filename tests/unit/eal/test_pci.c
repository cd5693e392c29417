/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI bus without devices to open: address parsing and formatting, the
 * sysfs scan (IDs, driver, NUMA node, BARs) on a fake tree, and the
 * allow/block policy.  Opening devices is tested in tests/vm/eal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_cunit.h"
#include "vfn_log.h"
#include "vfn_pci.h"

static void test_addr(void)
{
	struct vfn_pci_addr a;
	char buf[VFN_PCI_NAME_LEN];

	CU_ASSERT_EQUAL(vfn_pci_addr_parse("0000:00:02.0", &a), 0);
	CU_ASSERT_TRUE(a.domain == 0 && a.bus == 0 && a.devid == 2 &&
		       a.function == 0);
	CU_ASSERT_EQUAL(vfn_pci_addr_parse("3:a1:1f.7", &a), 0);
	CU_ASSERT_TRUE(a.domain == 3 && a.bus == 0xa1 && a.devid == 0x1f &&
		       a.function == 7);
	vfn_pci_addr_format(&a, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0003:a1:1f.7");
	CU_ASSERT_EQUAL(vfn_pci_addr_parse("01:00.1", &a), 0);
	vfn_pci_addr_format(&a, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0000:01:00.1");
	CU_ASSERT_EQUAL(vfn_pci_addr_parse("01:00.8", &a), -EINVAL);
	CU_ASSERT_EQUAL(vfn_pci_addr_parse("01:20.0", &a), -EINVAL);
	CU_ASSERT_EQUAL(vfn_pci_addr_parse("100:00.0", &a), -EINVAL);
	CU_ASSERT_EQUAL(vfn_pci_addr_parse("0000:00:02.0x", &a), -EINVAL);
	CU_ASSERT_EQUAL(vfn_pci_addr_parse("", &a), -EINVAL);
	CU_ASSERT_EQUAL(vfn_pci_addr_parse(NULL, &a), -EINVAL);
}

static char root[64], sys_root[128];

static void put(const char *rel, const char *content)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static void test_scan(void)
{
	struct vfn_pci_device *d;
	char cmd[128], link[256], tgt[256];
	int n = 0;

	snprintf(root, sizeof(root), "/tmp/vfn_pci_XXXXXX");
	if (!mkdtemp(root))
		vfn_test_skip("cannot create a temporary directory");
	snprintf(sys_root, sizeof(sys_root), "%s/sys", root);
	/* two devices, created in reverse order: the scan sorts them */
	put("sys/bus/pci/devices/0000:00:04.0/vendor", "0x1af4\n");
	put("sys/bus/pci/devices/0000:00:04.0/device", "0x1041\n");
	put("sys/bus/pci/devices/0000:00:04.0/class", "0x020000\n");
	put("sys/bus/pci/devices/0000:00:04.0/numa_node", "-1\n");
	put("sys/bus/pci/devices/0000:00:04.0/resource",
	    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	    "0x00000000febd1000 0x00000000febd1fff 0x0000000000040200\n"
	    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	put("sys/bus/pci/devices/0000:00:02.0/vendor", "0x8086\n");
	put("sys/bus/pci/devices/0000:00:02.0/device", "0x10d3\n");
	put("sys/bus/pci/devices/0000:00:02.0/subsystem_vendor", "0x8086\n");
	put("sys/bus/pci/devices/0000:00:02.0/subsystem_device", "0x0000\n");
	put("sys/bus/pci/devices/0000:00:02.0/class", "0x020000\n");
	put("sys/bus/pci/devices/0000:00:02.0/numa_node", "0\n");
	put("sys/bus/pci/devices/0000:00:02.0/resource",
	    "0x00000000feb80000 0x00000000feb9ffff 0x0000000000040200\n"
	    "0x00000000feba0000 0x00000000febbffff 0x0000000000040200\n"
	    "0x000000000000c000 0x000000000000c01f 0x0000000000040101\n"
	    "0x00000000febd0000 0x00000000febd3fff 0x0000000000040200\n");
	put("sys/bus/pci/drivers/e1000e/bind", "");
	snprintf(link, sizeof(link), "%s/bus/pci/devices/0000:00:02.0/driver",
		 sys_root);
	snprintf(tgt, sizeof(tgt), "%s/bus/pci/drivers/e1000e", sys_root);
	CU_ASSERT_EQUAL(symlink(tgt, link), 0);
	eal_sysfs_root = sys_root;
	CU_ASSERT_EQUAL(eal_pci_scan(), 2);
	d = vfn_pci_device_first();
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->name, "0000:00:02.0");
	CU_ASSERT_EQUAL(d->id.vendor_id, 0x8086);
	CU_ASSERT_EQUAL(d->id.device_id, 0x10d3);
	CU_ASSERT_EQUAL(d->id.subsystem_vendor_id, 0x8086);
	CU_ASSERT_EQUAL(d->id.class_id, 0x020000);
	CU_ASSERT_EQUAL(d->numa_node, 0);
	CU_ASSERT_STRING_EQUAL(d->kdrv, "e1000e");
	CU_ASSERT_EQUAL(d->bar[0].phys_addr, 0xfeb80000);
	CU_ASSERT_EQUAL(d->bar[0].len, 0x20000);
	CU_ASSERT_FALSE(d->bar[0].is_io);
	CU_ASSERT_EQUAL(d->bar[2].len, 0x20);
	CU_ASSERT_TRUE(d->bar[2].is_io);
	CU_ASSERT_EQUAL(d->bar[4].len, 0);
	CU_ASSERT_EQUAL(d->vfio_dev_fd, -1);
	CU_ASSERT_PTR_NULL(d->bar[0].addr);
	d = vfn_pci_device_next(d);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->name, "0000:00:04.0");
	CU_ASSERT_EQUAL(d->numa_node, -1);
	CU_ASSERT_STRING_EQUAL(d->kdrv, "");
	CU_ASSERT_EQUAL(d->bar[1].len, 0x1000);
	for (d = vfn_pci_device_first(); d; d = vfn_pci_device_next(d))
		n++;
	CU_ASSERT_EQUAL(n, 2);
	eal_pci_free_all();
	CU_ASSERT_PTR_NULL(vfn_pci_device_first());
	eal_sysfs_root = "/sys";
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_allow_block(void)
{
	char *a[] = { (char *)"p", (char *)"-a", (char *)"00:02.0,x=1", NULL };
	char *b[] = { (char *)"p", (char *)"-b", (char *)"00:02.0", NULL };
	const char *args;

	eal_config_defaults(&eal_cfg);
	CU_ASSERT_TRUE(eal_pci_allowed("0000:00:07.0", &args)); /* no lists */
	CU_ASSERT_EQUAL(eal_parse_args(3, a, &eal_cfg), 3);
	CU_ASSERT_TRUE(eal_pci_allowed("0000:00:02.0", &args));
	CU_ASSERT_STRING_EQUAL(args, "x=1");
	CU_ASSERT_FALSE(eal_pci_allowed("0000:00:03.0", &args));
	eal_config_free(&eal_cfg);
	eal_config_defaults(&eal_cfg);
	CU_ASSERT_EQUAL(eal_parse_args(3, b, &eal_cfg), 3);
	CU_ASSERT_FALSE(eal_pci_allowed("0000:00:02.0", &args));
	CU_ASSERT_TRUE(eal_pci_allowed("0000:00:03.0", &args));
	CU_ASSERT_PTR_NULL(args);
	eal_config_free(&eal_cfg);
}

static void test_unopened_access(void)
{
	struct vfn_pci_device *d = vfn_pci_device_first();
	uint32_t v;

	/* a device the EAL did not open (here: none at all) is refused */
	CU_ASSERT_PTR_NULL(d);
	CU_ASSERT_EQUAL(vfn_pci_read_config(NULL, &v, 4, 0), -EINVAL);
	CU_ASSERT_EQUAL(vfn_pci_reset(NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_pci_msix_enable(NULL, 1, (int *)&v), -EINVAL);
}

/* Bus mastering on a device the EAL did not open: the error says why. */
static void test_bus_master_error(void)
{
	struct vfn_pci_device d = { .name = "0000:00:02.0", .vfio_dev_fd = -1 };

	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(vfn_pci_set_bus_master(&d, 1), -EINVAL);
	vfn_log_set_level(VFN_LOG_WARNING);
	CU_ASSERT_PTR_NOT_NULL(strstr(vfn_eal_last_error(),
		"0000:00:02.0: cannot enable bus mastering: the device is not open through VFIO; bind it to vfio-pci or vfnet-pci"));
}

/* A 65th IOMMU group: the error says the limit and what to do. */
static void test_too_many_groups(void)
{
	char link[256], cmd[128];
	unsigned int i;

	snprintf(root, sizeof(root), "/tmp/vfn_pci_XXXXXX");
	if (!mkdtemp(root))
		vfn_test_skip("cannot create a temporary directory");
	snprintf(sys_root, sizeof(sys_root), "%s/sys", root);
	put("sys/kernel/iommu_groups/7/type", "DMA\n");
	put("sys/bus/pci/devices/0000:00:02.0/vendor", "0x8086\n");
	snprintf(link, sizeof(link), "%s/bus/pci/devices/0000:00:02.0/iommu_group",
		 sys_root);
	CU_ASSERT_EQUAL(symlink("../../../../kernel/iommu_groups/7", link), 0);
	eal_sysfs_root = sys_root;
	/* 64 groups already open (none of them group 7) */
	for (i = 0; i < 64; i++) {
		eal_vfio.groups[i].num = 100 + (int)i;
		eal_vfio.groups[i].fd = -1;
	}
	eal_vfio.n_groups = 64;
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(eal_vfio_group_get("0000:00:02.0"), -1);
	vfn_log_set_level(VFN_LOG_WARNING);
	eal_vfio.n_groups = 0;
	eal_sysfs_root = "/sys";
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
		"too many IOMMU groups: the devices opened so far are in 64 groups, the most one process can use; allow fewer devices with -a, or give them to several processes");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static const struct vfn_test_case pci_cases[] = {
	{ "addresses", test_addr },
	{ "sysfs scan", test_scan },
	{ "allow and block lists", test_allow_block },
	{ "access without an open device", test_unopened_access },
	{ "bus mastering error names the fix", test_bus_master_error },
	{ "too many IOMMU groups names the fix", test_too_many_groups },
	{ NULL, NULL },
};

static const struct vfn_test_suite pci_suite = {
	"eal_pci", NULL, NULL, pci_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &pci_suite, NULL };

	return vfn_cunit_main(suites);
}
