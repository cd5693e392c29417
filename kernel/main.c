// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet: VFIO-compatible user-space device access.
 *
 * Module entry points and module-wide parameters.  The core registers the
 * container node and the group char devices; bus drivers plug in after it
 * and are torn down before it.
 */
#define pr_fmt(fmt) "vfnet: " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "vfnet_private.h"

#define VFNET_VERSION "0.1"

#ifdef VFNET_COMPAT_BUILD
#define VFNET_COMPAT_DEFAULT true
#define VFNET_COMPAT_DEFAULT_STR "Y"
#else
#define VFNET_COMPAT_DEFAULT false
#define VFNET_COMPAT_DEFAULT_STR "N"
#endif

bool vfnet_compat = VFNET_COMPAT_DEFAULT;
module_param_named(compat, vfnet_compat, bool, 0444);
MODULE_PARM_DESC(compat,
		 "Take upstream VFIO's names: /dev/vfio/vfio (misc minor 196), /dev/vfio/<group>, driver vfio-pci (default: "
		 VFNET_COMPAT_DEFAULT_STR ")");

bool vfnet_noiommu;
module_param_named(enable_unsafe_noiommu_mode, vfnet_noiommu, bool, 0644);
MODULE_PARM_DESC(enable_unsafe_noiommu_mode,
		 "Enable UNSAFE, no-IOMMU mode: devices without an IOMMU group get a fake one and user DMA is unconfined; needs CAP_SYS_RAWIO and taints the kernel (default: N)");

bool vfnet_compat_mode(void)
{
	return vfnet_compat;
}
EXPORT_SYMBOL_GPL(vfnet_compat_mode);

bool vfnet_noiommu_enabled(void)
{
	return vfnet_noiommu;
}
EXPORT_SYMBOL_GPL(vfnet_noiommu_enabled);

/*
 * In compat mode, /sys/module/vfio and /sys/module/vfio_pci name this
 * module (symlinks), since user space such as DPDK's EAL checks that both
 * are loaded before it uses VFIO; the PCI driver lives in this module.
 */
static const char *const vfnet_compat_aliases[] = { "vfio", "vfio_pci" };
static bool vfnet_alias_made[ARRAY_SIZE(vfnet_compat_aliases)];

static void vfnet_compat_aliases_add(void)
{
	struct kobject *modules = THIS_MODULE->mkobj.kobj.parent;
	int i;

	if (!vfnet_compat || !modules)
		return;
	for (i = 0; i < ARRAY_SIZE(vfnet_compat_aliases); i++) {
		if (!strcmp(THIS_MODULE->name, vfnet_compat_aliases[i]))
			continue;
		if (sysfs_create_link(modules, &THIS_MODULE->mkobj.kobj,
				      vfnet_compat_aliases[i]))
			pr_info("compat mode: /sys/module/%s exists already, not aliased\n",
				vfnet_compat_aliases[i]);
		else
			vfnet_alias_made[i] = true;
	}
}

static void vfnet_compat_aliases_remove(void)
{
	struct kobject *modules = THIS_MODULE->mkobj.kobj.parent;
	int i;

	for (i = 0; i < ARRAY_SIZE(vfnet_compat_aliases); i++) {
		if (vfnet_alias_made[i])
			sysfs_remove_link(modules, vfnet_compat_aliases[i]);
		vfnet_alias_made[i] = false;
	}
}

/* Name of the class and char device region: "vfio" in compat mode. */
const char *vfnet_name(void)
{
	return vfnet_compat ? "vfio" : "vfnet";
}

static int __init vfnet_init(void)
{
	int ret;

	if (vfnet_noiommu)
		pr_warn_once("UNSAFE no-IOMMU mode enabled: devices without an IOMMU get no DMA protection\n");

	vfnet_debugfs_init();
	ret = vfnet_container_init();
	if (ret)
		goto err_debugfs;
	ret = vfnet_group_init();
	if (ret)
		goto err_container;
	ret = vfnet_type1_init();
	if (ret)
		goto err_group;

	/* bus drivers */
	ret = vfnet_pci_init();
	if (ret)
		goto err_type1;

	vfnet_compat_aliases_add();
	pr_info("version " VFNET_VERSION " loaded%s\n",
		vfnet_compat ? " (compat mode: /dev/vfio)" : "");
	return 0;

err_type1:
	vfnet_type1_exit();
err_group:
	vfnet_group_exit();
err_container:
	vfnet_container_exit();
err_debugfs:
	vfnet_debugfs_exit();
	return ret;
}

static void __exit vfnet_exit(void)
{
	vfnet_compat_aliases_remove();
	/* bus drivers go before the core */
	vfnet_pci_exit();

	vfnet_type1_exit();
	vfnet_group_exit();
	vfnet_container_exit();
	vfnet_debugfs_exit();
	pr_info("unloaded\n");
}

module_init(vfnet_init);
module_exit(vfnet_exit);

MODULE_VERSION(VFNET_VERSION);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vfnet: VFIO-compatible user-space device access");
