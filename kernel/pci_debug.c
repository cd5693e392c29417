// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: the device's debugfs view (devices/<bdf>/info,
 * after the core's lines; see debugfs.c).
 *
 * Interrupt state is read under igate, the lock every SET_IRQS holds, so
 * the context array cannot be freed under us; the mask bit is the hard-irq
 * handler's and read once.  Populated BAR mappings are counted under
 * vma_lock.  The reset flags are plain bools the open/close/reset paths
 * update under their own lock: read once, they may be a moment old.
 */
#include <linux/pci.h>
#include <linux/seq_file.h>

#include "pci_private.h"

static const char *const vfnet_irq_type_names[] = {
	[VFIO_PCI_INTX_IRQ_INDEX] = "intx",
	[VFIO_PCI_MSI_IRQ_INDEX] = "msi",
	[VFIO_PCI_MSIX_IRQ_INDEX] = "msix",
	[VFIO_PCI_ERR_IRQ_INDEX] = "err",
	[VFIO_PCI_REQ_IRQ_INDEX] = "req",
	[VFNET_PCI_IRQ_NONE] = "none",
};

/* The PCI core's reset_methods[] values, in Linux 6.1's order. */
static const char *const vfnet_reset_names[] = {
	NULL, "device_specific", "acpi", "flr", "af_flr", "pm", "bus",
	"cxl_bus",
};

static void vfnet_pci_show_irqs(struct vfnet_pci_device *pv,
				struct seq_file *s)
{
	int i;

	mutex_lock(&pv->igate);
	if (pv->irq_type >= 0 && pv->irq_type < ARRAY_SIZE(vfnet_irq_type_names))
		seq_printf(s, "irq_type %s\n", vfnet_irq_type_names[pv->irq_type]);
	else
		seq_printf(s, "irq_type %d\n", pv->irq_type);
	seq_printf(s, "irq_vectors %d\n", pv->num_ctx);
	for (i = 0; i < pv->num_ctx; i++)
		seq_printf(s, "vector %d eventfd %d masked %d signals %ld\n", i,
			   !!pv->ctx[i].trigger, READ_ONCE(pv->ctx[i].masked),
			   atomic_long_read(&pv->ctx[i].signals));
	seq_printf(s, "err_eventfd %d\nreq_eventfd %d\n", !!pv->err_trigger,
		   !!pv->req_trigger);
	mutex_unlock(&pv->igate);
}

static void vfnet_pci_show_reset(struct vfnet_pci_device *pv,
				 struct seq_file *s)
{
	struct pci_dev *pdev = pv->pdev;
	int i, m, state;

	seq_puts(s, "reset_methods");
	for (i = 0; i < PCI_NUM_RESET_METHODS; i++) {
		m = pdev->reset_methods[i];
		if (!m)
			break;
		if (m < ARRAY_SIZE(vfnet_reset_names))
			seq_printf(s, " %s", vfnet_reset_names[m]);
		else
			seq_printf(s, " method%d", m);
	}
	seq_printf(s, "\nreset_works %d\nneeds_reset %d\n",
		   READ_ONCE(pv->reset_works), READ_ONCE(pv->needs_reset));
	/* pci_power_names[] is indexed by state + 1, from PCI_POWER_ERROR */
	state = vfnet_pm_depth(READ_ONCE(pdev->current_state));
	if (state >= vfnet_pm_depth(PCI_POWER_ERROR) &&
	    state <= vfnet_pm_depth(PCI_UNKNOWN))
		seq_printf(s, "power_state %s\n", pci_power_names[state + 1]);
	else
		seq_printf(s, "power_state %d\n", state);
}

void vfnet_pci_debug_show(struct vfnet_device *vdev, struct seq_file *s)
{
	struct vfnet_pci_device *pv = to_pci_vdev(vdev);
	struct list_head *pos;
	unsigned int vmas = 0;

	vfnet_pci_show_irqs(pv, s);
	vfnet_pci_show_reset(pv, s);
	mutex_lock(&pv->vma_lock);
	list_for_each(pos, &pv->vma_list)
		vmas++;
	mutex_unlock(&pv->vma_lock);
	seq_printf(s, "mmaps_live %u\n", vmas);
}
