// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet: VFIO-compatible user-space device access.
 *
 * Module entry points.  For now this only announces itself; the core
 * (containers, groups, devices, type1) and the PCI bus driver register
 * from here as they land.
 */
#include <linux/module.h>
#include <linux/init.h>

#define VFNET_VERSION "0.1"

static int __init vfnet_init(void)
{
	pr_info("vfnet: version " VFNET_VERSION " loaded\n");
	return 0;
}

static void __exit vfnet_exit(void)
{
	pr_info("vfnet: unloaded\n");
}

module_init(vfnet_init);
module_exit(vfnet_exit);

MODULE_VERSION(VFNET_VERSION);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vfnet: VFIO-compatible user-space device access");
