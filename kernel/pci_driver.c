// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: the pci_driver shell.
 *
 * Binding is explicit: a device is only claimed when user space asks,
 * through driver_override + drivers_probe, through new_id, or through the
 * ids= module parameter.  Probe checks the device is one we can hand to
 * user space safely (a normal header, an IOMMU group unless no-IOMMU mode
 * is on) and registers it with the core; remove blocks until the user has
 * closed the device fd (the core asks it to through the REQ interrupt).
 */
#define pr_fmt(fmt) "vfnet-pci: " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/iommu.h>

#include "pci_private.h"

static char ids[1024] __initdata;
module_param_string(ids, ids, sizeof(ids), 0);
MODULE_PARM_DESC(ids,
		 "Initial PCI IDs to add to the vfnet PCI driver, format is \"vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]\" and multiple comma separated entries can be specified (default: none)");

static const struct pci_device_id vfnet_pci_table[] = {
	/* matches only through driver_override */
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_ANY_ID, PCI_ANY_ID) },
	{}
};

static int vfnet_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vfnet_pci_device *pv;
	struct iommu_group *group;
	int ret;

	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL) {
		pci_info(pdev, "vfnet-pci: not a normal function (bridge?), refusing\n");
		return -EINVAL;
	}

	group = iommu_group_get(&pdev->dev);
	if (!group && !vfnet_noiommu_enabled()) {
		pci_info(pdev, "vfnet-pci: no IOMMU group, refusing (enable the IOMMU, or load with enable_unsafe_noiommu_mode=1)\n");
		return -EINVAL;
	}
	iommu_group_put(group);

	/*
	 * We cannot track the users of VFs a PF has already created, so
	 * refuse such a PF rather than disable SR-IOV under someone.
	 */
	if (pci_num_vf(pdev)) {
		pci_warn(pdev, "vfnet-pci: cannot bind to a PF with SR-IOV enabled\n");
		return -EBUSY;
	}

	pv = kzalloc(sizeof(*pv), GFP_KERNEL);
	if (!pv)
		return -ENOMEM;

	pv->pdev = pdev;
	pv->irq_type = VFNET_PCI_IRQ_NONE;
	pv->msix_bar = 0xff;
	mutex_init(&pv->igate);
	spin_lock_init(&pv->irqlock);
	init_rwsem(&pv->memory_lock);
	mutex_init(&pv->vma_lock);
	INIT_LIST_HEAD(&pv->vma_list);
	vfnet_init_device(&pv->vdev, &pdev->dev, &vfnet_pci_ops);
	dev_set_drvdata(&pdev->dev, pv);

	/*
	 * The PCI core leaves the power state unknown after a driver is
	 * removed; D0 is the only transition it allows from there.
	 */
	vfnet_pci_probe_power_state(pv);
	vfnet_pci_set_power_state(pv, PCI_D0);

	ret = vfnet_pci_reset_set_join(pv);
	if (ret)
		goto err_free;
	ret = vfnet_register_group_dev(&pv->vdev);
	if (ret)
		goto err_leave;
	return 0;

err_leave:
	vfnet_pci_reset_set_leave(pv);
err_free:
	dev_set_drvdata(&pdev->dev, NULL);
	kfree(pv->pm_save);
	kfree(pv);
	return ret;
}

static void vfnet_pci_remove(struct pci_dev *pdev)
{
	struct vfnet_pci_device *pv = dev_get_drvdata(&pdev->dev);

	/* blocks, sending REQ, until every device fd is closed */
	vfnet_unregister_group_dev(&pv->vdev);

	/* a hot reset of a neighbour looks us up in the set, under its lock */
	vfnet_pci_reset_set_leave(pv);
	dev_set_drvdata(&pdev->dev, NULL);

	kfree(pv->pm_save);
	kfree(pv);
}

static pci_ers_result_t vfnet_pci_err_detected(struct pci_dev *pdev,
					       pci_channel_state_t state)
{
	struct vfnet_pci_device *pv = dev_get_drvdata(&pdev->dev);

	if (!pv)
		return PCI_ERS_RESULT_DISCONNECT;

	mutex_lock(&pv->igate);
	if (pv->err_trigger)
		eventfd_signal(pv->err_trigger, 1);
	mutex_unlock(&pv->igate);

	return PCI_ERS_RESULT_CAN_RECOVER;
}

static const struct pci_error_handlers vfnet_pci_err_handlers = {
	.error_detected = vfnet_pci_err_detected,
};

static struct pci_driver vfnet_pci_driver = {
	.name			= "vfnet-pci",
	.id_table		= vfnet_pci_table,
	.probe			= vfnet_pci_probe,
	.remove			= vfnet_pci_remove,
	.err_handler		= &vfnet_pci_err_handlers,
	.driver_managed_dma	= true,
};

/* ids=vendor:device[:subvendor[:subdevice[:class[:class_mask]]]],... */
static void __init vfnet_pci_fill_ids(void)
{
	char *p = ids, *id;

	while ((id = strsep(&p, ","))) {
		unsigned int vendor, device, subvendor = PCI_ANY_ID;
		unsigned int subdevice = PCI_ANY_ID, class = 0, class_mask = 0;
		int fields, ret;

		if (!*id)
			continue;

		fields = sscanf(id, "%x:%x:%x:%x:%x:%x", &vendor, &device,
				&subvendor, &subdevice, &class, &class_mask);
		if (fields < 2) {
			pr_warn("invalid id string \"%s\"\n", id);
			continue;
		}

		ret = pci_add_dynid(&vfnet_pci_driver, vendor, device,
				    subvendor, subdevice, class, class_mask, 0);
		if (ret)
			pr_warn("failed to add dynamic id [%04x:%04x[%04x:%04x]] class %#08x/%08x (%d)\n",
				vendor, device, subvendor, subdevice,
				class, class_mask, ret);
		else
			pr_info("add [%04x:%04x[%04x:%04x]] class %#08x/%08x\n",
				vendor, device, subvendor, subdevice,
				class, class_mask);
	}
}

int __init vfnet_pci_init(void)
{
	int ret;

	ret = vfnet_pci_init_perm_bits();
	if (ret)
		return ret;

	ret = vfnet_virqfd_init();
	if (ret)
		goto err_perm;

	if (vfnet_compat_mode())
		vfnet_pci_driver.name = "vfio-pci";

	ret = pci_register_driver(&vfnet_pci_driver);
	if (ret) {
		pr_err("cannot register PCI driver %s (%d)%s\n",
		       vfnet_pci_driver.name, ret,
		       vfnet_compat_mode() ? ": is upstream vfio-pci loaded? rmmod vfio-pci" : "");
		goto err_virqfd;
	}

	vfnet_pci_fill_ids();
	return 0;

err_virqfd:
	vfnet_virqfd_exit();
err_perm:
	vfnet_pci_uninit_perm_bits();
	return ret;
}

void vfnet_pci_exit(void)
{
	pci_unregister_driver(&vfnet_pci_driver);
	vfnet_virqfd_exit();
	vfnet_pci_uninit_perm_bits();
}
