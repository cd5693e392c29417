// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: the config-space permission tables.
 *
 * For each capability we virtualize, the masks of which bits are virtual
 * and which the user may write (pci_config.c explains both), and the
 * read/write hooks of capabilities with side effects: the BARs and the
 * command register of the standard header, the power state, VPD, the
 * virtual function-level resets of PCIe and AF, MSI.  The tables are
 * built at module load from one list (perm_setup), which unload walks
 * too; MSI's depends on the device's flags and is built per device.
 *
 * Follows the design of upstream Linux's
 * drivers/vfio/pci/vfio_pci_config.c (6.1.y); the code is vfnet's.
 */
#include <linux/pci.h>
#include <linux/slab.h>

#include "pci_private.h"
#include "pci_config.h"

#define ALL_VIRT	0xffffffffU
#define NO_VIRT		0
#define ALL_WRITE	0xffffffffU
#define NO_WRITE	0

/* ---- building the masks ---- */

static void p_set(struct perm_bits *p, int off, u32 virt, u32 write,
		  int size)
{
	int i;

	for (i = 0; i < size; i++) {
		p->virt[off + i] = virt >> (8 * i);
		p->write[off + i] = write >> (8 * i);
	}
}

#define p_setb(p, off, virt, write)	p_set(p, off, virt, write, 1)
#define p_setw(p, off, virt, write)	p_set(p, off, virt, write, 2)
#define p_setd(p, off, virt, write)	p_set(p, off, virt, write, 4)

static int alloc_perm_bits(struct perm_bits *perm, int size)
{
	/* whole dwords, so a 4-byte access at the end stays inside */
	size = round_up(size, 4);

	perm->virt = kzalloc(size, GFP_KERNEL_ACCOUNT);
	perm->write = kzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!perm->virt || !perm->write) {
		kfree(perm->virt);
		kfree(perm->write);
		perm->virt = NULL;
		perm->write = NULL;
		return -ENOMEM;
	}
	perm->readfn = vfnet_cfg_default_read;
	perm->writefn = vfnet_cfg_default_write;
	return 0;
}

void vfnet_cfg_free_perm_bits(struct perm_bits *perm)
{
	kfree(perm->virt);
	kfree(perm->write);
	perm->virt = NULL;
	perm->write = NULL;
}

/* ---- the standard header ---- */

static bool is_bar(int offset)
{
	return (offset >= PCI_BASE_ADDRESS_0 &&
		offset < PCI_BASE_ADDRESS_5 + 4) ||
	       (offset >= PCI_ROM_ADDRESS && offset < PCI_ROM_ADDRESS + 4);
}

static __le32 bar_flags(struct pci_dev *pdev, int bar)
{
	unsigned long flags = pci_resource_flags(pdev, bar);
	u32 val;

	if (flags & IORESOURCE_IO)
		return cpu_to_le32(PCI_BASE_ADDRESS_SPACE_IO);

	val = PCI_BASE_ADDRESS_SPACE_MEMORY;
	if (flags & IORESOURCE_PREFETCH)
		val |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	if (flags & IORESOURCE_MEM_64)
		val |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	return cpu_to_le32(val);
}

/*
 * The user writes whatever it likes into the virtual BARs; before it
 * reads them back we apply each BAR's size mask and type bits, so that
 * all-ones sizing returns the size and the device never moves.
 */
static void config_bar_fixup(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	__le32 *vbar;
	u64 mask;
	int i;

	if (!pv->bardirty)
		return;

	vbar = (__le32 *)&pv->vconfig[PCI_BASE_ADDRESS_0];
	for (i = 0; i < PCI_STD_NUM_BARS; i++, vbar++) {
		if (!pci_resource_start(pdev, i)) {
			*vbar = 0;	/* unassigned: unimplemented */
			continue;
		}

		mask = ~(pci_resource_len(pdev, i) - 1);
		*vbar &= cpu_to_le32((u32)mask);
		*vbar |= bar_flags(pdev, i);

		if (*vbar & cpu_to_le32(PCI_BASE_ADDRESS_MEM_TYPE_64)) {
			vbar++;
			*vbar &= cpu_to_le32((u32)(mask >> 32));
			i++;
		}
	}

	vbar = (__le32 *)&pv->vconfig[PCI_ROM_ADDRESS];
	if (pci_resource_start(pdev, PCI_ROM_RESOURCE)) {
		mask = ~(pci_resource_len(pdev, PCI_ROM_RESOURCE) - 1);
		mask |= PCI_ROM_ADDRESS_ENABLE;
		*vbar &= cpu_to_le32((u32)mask);
	} else if (pdev->resource[PCI_ROM_RESOURCE].flags &
		   IORESOURCE_ROM_SHADOW) {
		mask = ~(0x20000 - 1);
		mask |= PCI_ROM_ADDRESS_ENABLE;
		*vbar &= cpu_to_le32((u32)mask);
	} else {
		*vbar = 0;
	}

	pv->bardirty = false;
}

/* Did a reset behind our back clear the BARs? */
static bool config_need_bar_restore(struct vfnet_pci_device *pv)
{
	int i, pos;
	u32 bar;

	for (i = 0, pos = PCI_BASE_ADDRESS_0; pos <= PCI_BASE_ADDRESS_5;
	     i++, pos += 4) {
		if (!pv->rbar[i])
			continue;
		if (pci_user_read_config_dword(pv->pdev, pos, &bar) ||
		    pv->rbar[i] != bar)
			return true;
	}
	return false;
}

static void config_bar_restore(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	int i, pos;

	if (pdev->is_virtfn)
		return;

	pci_info(pdev, "vfnet-pci: reset recovery - restoring BARs\n");
	for (i = 0, pos = PCI_BASE_ADDRESS_0; pos <= PCI_BASE_ADDRESS_5;
	     i++, pos += 4)
		pci_user_write_config_dword(pdev, pos, pv->rbar[i]);
	pci_user_write_config_dword(pdev, PCI_ROM_ADDRESS, pv->rbar[6]);
}

static int config_basic_read(struct vfnet_pci_device *pv, int pos,
			     int count, struct perm_bits *perm, int offset,
			     __le32 *val)
{
	if (is_bar(offset))
		config_bar_fixup(pv);

	count = vfnet_cfg_default_read(pv, pos, count, perm, offset, val);

	/* VFs have no memory enable of their own: show the virtual one */
	if (count >= 0 && offset == PCI_COMMAND && pv->pdev->no_command_memory) {
		u16 cmd = le16_to_cpu(*(__le16 *)&pv->vconfig[PCI_COMMAND]);
		u32 tmp = le32_to_cpu(*val);

		tmp |= cmd & PCI_COMMAND_MEMORY;
		*val = cpu_to_le32(tmp);
	}
	return count;
}

static int config_basic_write(struct vfnet_pci_device *pv, int pos,
			      int count, struct perm_bits *perm, int offset,
			      __le32 val)
{
	struct pci_dev *pdev = pv->pdev;
	__le16 *virt_cmd = (__le16 *)&pv->vconfig[PCI_COMMAND];
	u16 new_cmd = 0;
	int ret;

	if (offset == PCI_COMMAND) {
		bool phys_mem, virt_mem, new_mem, phys_io, virt_io, new_io;
		u16 phys_cmd;

		ret = pci_user_read_config_word(pdev, PCI_COMMAND, &phys_cmd);
		if (ret)
			return ret;

		new_cmd = le32_to_cpu(val);

		phys_io = !!(phys_cmd & PCI_COMMAND_IO);
		virt_io = !!(le16_to_cpu(*virt_cmd) & PCI_COMMAND_IO);
		new_io = !!(new_cmd & PCI_COMMAND_IO);

		phys_mem = !!(phys_cmd & PCI_COMMAND_MEMORY);
		virt_mem = !!(le16_to_cpu(*virt_cmd) & PCI_COMMAND_MEMORY);
		new_mem = !!(new_cmd & PCI_COMMAND_MEMORY);

		/* turning memory off: nobody may keep a mapping */
		if (!new_mem)
			vfnet_zap_and_down_write_memory_lock(pv);
		else
			down_write(&pv->memory_lock);

		/*
		 * Enabling what we think is enabled but the device shows
		 * off: it went through a reset we did not see, so put the
		 * BARs back before it decodes again.
		 */
		if ((new_mem && virt_mem && !phys_mem &&
		     !pdev->no_command_memory) ||
		    (new_io && virt_io && !phys_io) ||
		    config_need_bar_restore(pv))
			config_bar_restore(pv);
	}

	count = vfnet_cfg_default_write(pv, pos, count, perm, offset, val);
	if (count < 0) {
		if (offset == PCI_COMMAND)
			up_write(&pv->memory_lock);
		return count;
	}

	/* remember what the user asked for memory/io decode */
	if (offset == PCI_COMMAND) {
		u16 mask = PCI_COMMAND_MEMORY | PCI_COMMAND_IO;

		*virt_cmd &= cpu_to_le16(~mask);
		*virt_cmd |= cpu_to_le16(new_cmd & mask);
		up_write(&pv->memory_lock);
	}

	/* INTx disable is virtual: it masks our INTx delivery */
	if (offset >= PCI_COMMAND && offset <= PCI_COMMAND + 1)
		vfnet_intx_sync_virq_disabled(pv);

	if (is_bar(offset))
		pv->bardirty = true;

	return count;
}

static int __init init_basic_perm(struct perm_bits *perm)
{
	int i;

	if (alloc_perm_bits(perm, PCI_STD_HEADER_SIZEOF))
		return -ENOMEM;

	perm->readfn = config_basic_read;
	perm->writefn = config_basic_write;

	/* VFs read ffff here; keep the IDs virtual */
	p_setw(perm, PCI_VENDOR_ID, (u16)ALL_VIRT, NO_WRITE);
	p_setw(perm, PCI_DEVICE_ID, (u16)ALL_VIRT, NO_WRITE);

	/* INTx disable is ours, the rest of the command register passes */
	p_setw(perm, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, (u16)ALL_WRITE);

	/* the capability-list bit is ours: we may hide every cap */
	p_setw(perm, PCI_STATUS, PCI_STATUS_CAP_LIST, NO_WRITE);

	/* harmless */
	p_setb(perm, PCI_CACHE_LINE_SIZE, NO_VIRT, (u8)ALL_WRITE);
	p_setb(perm, PCI_LATENCY_TIMER, NO_VIRT, (u8)ALL_WRITE);
	p_setb(perm, PCI_BIST, NO_VIRT, (u8)ALL_WRITE);

	/* the BARs and ROM BAR are entirely virtual */
	for (i = PCI_BASE_ADDRESS_0; i <= PCI_BASE_ADDRESS_5; i += 4)
		p_setd(perm, i, ALL_VIRT, ALL_WRITE);
	p_setd(perm, PCI_ROM_ADDRESS, ALL_VIRT, ALL_WRITE);

	p_setb(perm, PCI_CAPABILITY_LIST, (u8)ALL_VIRT, NO_WRITE);

	/* used by software only */
	p_setb(perm, PCI_INTERRUPT_LINE, (u8)ALL_VIRT, (u8)ALL_WRITE);

	/* virtual, so INTx can be hidden */
	p_setb(perm, PCI_INTERRUPT_PIN, (u8)ALL_VIRT, NO_WRITE);
	return 0;
}

/* ---- power management ---- */

static int config_pm_write(struct vfnet_pci_device *pv, int pos, int count,
			   struct perm_bits *perm, int offset, __le32 val)
{
	count = vfnet_cfg_default_write(pv, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	if (offset == PCI_PM_CTRL) {
		pci_power_t state;

		switch (le32_to_cpu(val) & PCI_PM_CTRL_STATE_MASK) {
		case 0:
			state = PCI_D0;
			break;
		case 1:
			state = PCI_D1;
			break;
		case 2:
			state = PCI_D2;
			break;
		default:
			state = PCI_D3hot;
			break;
		}

		/* D3 turns memory off: zap mappings first */
		if (vfnet_pm_depth(state) >= vfnet_pm_depth(PCI_D3hot))
			vfnet_zap_and_down_write_memory_lock(pv);
		else
			down_write(&pv->memory_lock);
		vfnet_pci_set_power_state(pv, state);
		up_write(&pv->memory_lock);
	}
	return count;
}

static int __init init_pm_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, PCI_PM_SIZEOF))
		return -ENOMEM;

	perm->writefn = config_pm_write;

	/* next pointer virtual everywhere, so caps can be hidden */
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);

	/* the user cannot handle PME: virtualize PME support */
	p_setw(perm, PCI_PM_PMC, PCI_PM_CAP_PME_MASK, NO_WRITE);

	/*
	 * The state field is read-only to the user: we trap the write and
	 * change the state through the PCI core.  PME enable/status are
	 * virtual.
	 */
	p_setd(perm, PCI_PM_CTRL,
	       PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS,
	       ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS |
		 PCI_PM_CTRL_STATE_MASK));
	return 0;
}

/* ---- VPD ---- */

static int config_vpd_write(struct vfnet_pci_device *pv, int pos, int count,
			    struct perm_bits *perm, int offset, __le32 val)
{
	struct pci_dev *pdev = pv->pdev;
	int cap = pos - offset;
	__le16 *paddr = (__le16 *)(pv->vconfig + cap + PCI_VPD_ADDR);
	__le32 *pdata = (__le32 *)(pv->vconfig + cap + PCI_VPD_DATA);
	u16 addr;
	u32 data;

	/*
	 * Both registers are virtual.  A write that reaches the upper
	 * address byte (the F flag) starts a transfer.
	 */
	count = vfnet_cfg_default_write(pv, pos, count, perm, offset, val);
	if (count < 0 || offset > PCI_VPD_ADDR + 1 ||
	    offset + count <= PCI_VPD_ADDR + 1)
		return count;

	addr = le16_to_cpu(*paddr);
	if (addr & PCI_VPD_ADDR_F) {
		data = le32_to_cpu(*pdata);
		if (pci_write_vpd(pdev, addr & ~PCI_VPD_ADDR_F, 4, &data) != 4)
			return count;
	} else {
		data = 0;
		if (pci_read_vpd(pdev, addr, 4, &data) < 0)
			return count;
		*pdata = cpu_to_le32(data);
	}

	/* toggling F signals completion; on error the user times out */
	addr ^= PCI_VPD_ADDR_F;
	*paddr = cpu_to_le16(addr);
	return count;
}

static int __init init_vpd_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, PCI_CAP_VPD_SIZEOF))
		return -ENOMEM;

	perm->writefn = config_vpd_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	p_setw(perm, PCI_VPD_ADDR, (u16)ALL_VIRT, (u16)ALL_WRITE);
	p_setd(perm, PCI_VPD_DATA, ALL_VIRT, ALL_WRITE);
	return 0;
}

/* ---- PCI-X ---- */

static int __init init_pcix_perm(struct perm_bits *perm)
{
	/* only the v0 registers are writable; the v1/v2 rest reads through */
	if (alloc_perm_bits(perm, PCI_CAP_PCIX_SIZEOF_V2))
		return -ENOMEM;

	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	p_setw(perm, PCI_X_CMD, NO_VIRT, (u16)ALL_WRITE);
	p_setd(perm, PCI_X_ECC_CSR, NO_VIRT, ALL_WRITE);
	return 0;
}

/* ---- PCI Express ---- */

static int config_exp_write(struct vfnet_pci_device *pv, int pos, int count,
			    struct perm_bits *perm, int offset, __le32 val)
{
	__le16 *ctrl = (__le16 *)(pv->vconfig + pos - offset +
				  PCI_EXP_DEVCTL);
	int readrq = le16_to_cpu(*ctrl) & PCI_EXP_DEVCTL_READRQ;

	count = vfnet_cfg_default_write(pv, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	/*
	 * Initiate FLR is virtual: if set and the device has FLR, reset
	 * the function (the PCI core picks the method).  It always reads
	 * back as zero.
	 */
	if (*ctrl & cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR)) {
		u32 cap;
		int ret;

		*ctrl &= ~cpu_to_le16(PCI_EXP_DEVCTL_BCR_FLR);

		ret = pci_user_read_config_dword(pv->pdev,
						 pos - offset + PCI_EXP_DEVCAP,
						 &cap);
		if (!ret && (cap & PCI_EXP_DEVCAP_FLR)) {
			vfnet_zap_and_down_write_memory_lock(pv);
			pci_try_reset_function(pv->pdev);
			up_write(&pv->memory_lock);
		}
	}

	/*
	 * MPS is virtual (it needs a system-wide view).  MRRS goes to the
	 * device, but never below the physical MPS so full TLPs still work.
	 */
	if (readrq != (le16_to_cpu(*ctrl) & PCI_EXP_DEVCTL_READRQ)) {
		readrq = 128 <<
			((le16_to_cpu(*ctrl) & PCI_EXP_DEVCTL_READRQ) >> 12);
		readrq = max(readrq, pcie_get_mps(pv->pdev));
		pcie_set_readrq(pv->pdev, readrq);
	}
	return count;
}

static int __init init_exp_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, PCI_CAP_EXP_ENDPOINT_SIZEOF_V2))
		return -ENOMEM;

	perm->writefn = config_exp_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);

	/*
	 * Device control is writable except phantom functions (would
	 * confuse the IOMMU); FLR, MPS and MRRS are virtual (handled in
	 * the hook).  ARI in devctl2 was set up at enumeration: keep it.
	 */
	p_setw(perm, PCI_EXP_DEVCTL,
	       PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD |
	       PCI_EXP_DEVCTL_READRQ, ~PCI_EXP_DEVCTL_PHANTOM);
	p_setw(perm, PCI_EXP_DEVCTL2, NO_VIRT, ~PCI_EXP_DEVCTL2_ARI);
	return 0;
}

/* ---- Advanced Features ---- */

static int config_af_write(struct vfnet_pci_device *pv, int pos, int count,
			   struct perm_bits *perm, int offset, __le32 val)
{
	u8 *ctrl = pv->vconfig + pos - offset + PCI_AF_CTRL;

	count = vfnet_cfg_default_write(pv, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	/* virtual initiate-FLR, as for PCIe */
	if (*ctrl & PCI_AF_CTRL_FLR) {
		u8 cap;
		int ret;

		*ctrl &= ~PCI_AF_CTRL_FLR;
		ret = pci_user_read_config_byte(pv->pdev,
						pos - offset + PCI_AF_CAP,
						&cap);
		if (!ret && (cap & PCI_AF_CAP_FLR) && (cap & PCI_AF_CAP_TP)) {
			vfnet_zap_and_down_write_memory_lock(pv);
			pci_try_reset_function(pv->pdev);
			up_write(&pv->memory_lock);
		}
	}
	return count;
}

static int __init init_af_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, PCI_CAP_AF_SIZEOF))
		return -ENOMEM;

	perm->writefn = config_af_write;
	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);
	p_setb(perm, PCI_AF_CTRL, PCI_AF_CTRL_FLR, PCI_AF_CTRL_FLR);
	return 0;
}

/* ---- MSI (per device: the layout depends on its flags) ---- */

static int config_msi_read(struct vfnet_pci_device *pv, int pos, int count,
			   struct perm_bits *perm, int offset, __le32 *val)
{
	/* show the vector count we actually allocated */
	if (offset <= PCI_MSI_FLAGS && offset + count >= PCI_MSI_FLAGS) {
		__le16 *flags = (__le16 *)&pv->vconfig[pos - offset +
						       PCI_MSI_FLAGS];

		*flags &= cpu_to_le16(~PCI_MSI_FLAGS_QMASK);
		*flags |= cpu_to_le16(pv->msi_qmax << 1);
	}
	return vfnet_cfg_default_read(pv, pos, count, perm, offset, val);
}

static int config_msi_write(struct vfnet_pci_device *pv, int pos, int count,
			    struct perm_bits *perm, int offset, __le32 val)
{
	count = vfnet_cfg_default_write(pv, pos, count, perm, offset, val);
	if (count < 0)
		return count;

	/* queue size and enable go to the device, checked */
	if (offset <= PCI_MSI_FLAGS && offset + count >= PCI_MSI_FLAGS) {
		int start = pos - offset;
		__le16 *pflags = (__le16 *)&pv->vconfig[start + PCI_MSI_FLAGS];
		u16 flags;
		int ret;

		/*
		 * MSI is enabled only through VFIO_DEVICE_SET_IRQS.  igate
		 * keeps irq_type and msi_qmax from changing between the
		 * test and the write: else a SET_IRQS disabling MSI
		 * meanwhile would leave the device with MSI enabled and its
		 * vectors freed.
		 */
		mutex_lock(&pv->igate);
		flags = le16_to_cpu(*pflags);
		if (pv->irq_type != VFIO_PCI_MSI_IRQ_INDEX)
			flags &= ~PCI_MSI_FLAGS_ENABLE;

		if (((flags & PCI_MSI_FLAGS_QSIZE) >> 4) > pv->msi_qmax) {
			flags &= ~PCI_MSI_FLAGS_QSIZE;
			flags |= pv->msi_qmax << 4;
		}

		*pflags = cpu_to_le16(flags);
		ret = pci_user_write_config_word(pv->pdev,
						 start + PCI_MSI_FLAGS, flags);
		mutex_unlock(&pv->igate);
		if (ret)
			return ret;
	}
	return count;
}

int vfnet_cfg_init_msi_perm(struct perm_bits *perm, int len, u16 flags)
{
	if (alloc_perm_bits(perm, len))
		return -ENOMEM;

	perm->readfn = config_msi_read;
	perm->writefn = config_msi_write;

	p_setb(perm, PCI_CAP_LIST_NEXT, (u8)ALL_VIRT, NO_WRITE);

	/* the upper byte of control is reserved */
	p_setb(perm, PCI_MSI_FLAGS, (u8)ALL_VIRT, (u8)ALL_WRITE);
	p_setd(perm, PCI_MSI_ADDRESS_LO, ALL_VIRT, ALL_WRITE);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		p_setd(perm, PCI_MSI_ADDRESS_HI, ALL_VIRT, ALL_WRITE);
		p_setw(perm, PCI_MSI_DATA_64, (u16)ALL_VIRT, (u16)ALL_WRITE);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			p_setd(perm, PCI_MSI_MASK_64, NO_VIRT, ALL_WRITE);
			p_setd(perm, PCI_MSI_PENDING_64, NO_VIRT, ALL_WRITE);
		}
	} else {
		p_setw(perm, PCI_MSI_DATA_32, (u16)ALL_VIRT, (u16)ALL_WRITE);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			p_setd(perm, PCI_MSI_MASK_32, NO_VIRT, ALL_WRITE);
			p_setd(perm, PCI_MSI_PENDING_32, NO_VIRT, ALL_WRITE);
		}
	}
	return 0;
}

/* ---- AER and power budgeting (extended) ---- */

static int __init init_ext_err_perm(struct perm_bits *perm)
{
	u32 mask;

	if (alloc_perm_bits(perm, PCI_ERR_ROOT_COMMAND))
		return -ENOMEM;

	/* the header dword holds the next pointer: virtual */
	p_setd(perm, 0, ALL_VIRT, NO_WRITE);

	mask = PCI_ERR_UNC_UND | PCI_ERR_UNC_DLP | PCI_ERR_UNC_SURPDN |
	       PCI_ERR_UNC_POISON_TLP | PCI_ERR_UNC_FCP |
	       PCI_ERR_UNC_COMP_TIME | PCI_ERR_UNC_COMP_ABORT |
	       PCI_ERR_UNC_UNX_COMP | PCI_ERR_UNC_RX_OVER |
	       PCI_ERR_UNC_MALF_TLP | PCI_ERR_UNC_ECRC | PCI_ERR_UNC_UNSUP |
	       PCI_ERR_UNC_ACSV | PCI_ERR_UNC_INTN | PCI_ERR_UNC_MCBTLP |
	       PCI_ERR_UNC_ATOMEG | PCI_ERR_UNC_TLPPRE;
	p_setd(perm, PCI_ERR_UNCOR_STATUS, NO_VIRT, mask);
	p_setd(perm, PCI_ERR_UNCOR_MASK, NO_VIRT, mask);
	p_setd(perm, PCI_ERR_UNCOR_SEVER, NO_VIRT, mask);

	mask = PCI_ERR_COR_RCVR | PCI_ERR_COR_BAD_TLP | PCI_ERR_COR_BAD_DLLP |
	       PCI_ERR_COR_REP_ROLL | PCI_ERR_COR_REP_TIMER |
	       PCI_ERR_COR_ADV_NFAT | PCI_ERR_COR_INTERNAL |
	       PCI_ERR_COR_LOG_OVER;
	p_setd(perm, PCI_ERR_COR_STATUS, NO_VIRT, mask);
	p_setd(perm, PCI_ERR_COR_MASK, NO_VIRT, mask);

	mask = PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE;
	p_setd(perm, PCI_ERR_CAP, NO_VIRT, mask);
	return 0;
}

static int __init init_ext_pwr_perm(struct perm_bits *perm)
{
	if (alloc_perm_bits(perm, PCI_EXT_CAP_PWR_SIZEOF))
		return -ENOMEM;

	p_setd(perm, 0, ALL_VIRT, NO_WRITE);
	/* the data select register */
	p_setb(perm, PCI_PWR_DATA, NO_VIRT, (u8)ALL_WRITE);
	return 0;
}

/* ---- vendor-specific: the vendor's driver knows, let it write ---- */

static int __init init_raw_write_perm(struct perm_bits *perm)
{
	perm->writefn = vfnet_cfg_raw_write;
	return 0;
}

/* Every table entry built at load, with its builder */
struct perm_setup {
	struct perm_bits *perm;
	int (*init)(struct perm_bits *perm);
};

static const struct perm_setup perm_setup[] __initconst = {
	{ &vfnet_cfg_cap_perms[PCI_CAP_ID_BASIC],	init_basic_perm },
	{ &vfnet_cfg_cap_perms[PCI_CAP_ID_PM],		init_pm_perm },
	{ &vfnet_cfg_cap_perms[PCI_CAP_ID_VPD],		init_vpd_perm },
	{ &vfnet_cfg_cap_perms[PCI_CAP_ID_PCIX],	init_pcix_perm },
	{ &vfnet_cfg_cap_perms[PCI_CAP_ID_VNDR],	init_raw_write_perm },
	{ &vfnet_cfg_cap_perms[PCI_CAP_ID_EXP],		init_exp_perm },
	{ &vfnet_cfg_cap_perms[PCI_CAP_ID_AF],		init_af_perm },
	{ &vfnet_cfg_ecap_perms[PCI_EXT_CAP_ID_ERR],	init_ext_err_perm },
	{ &vfnet_cfg_ecap_perms[PCI_EXT_CAP_ID_PWR],	init_ext_pwr_perm },
	{ &vfnet_cfg_ecap_perms[PCI_EXT_CAP_ID_VNDR],	init_raw_write_perm },
	{ &vfnet_cfg_ecap_perms[PCI_EXT_CAP_ID_DVSEC],	init_raw_write_perm },
};

/*
 * Free what the builders allocated.  Runs at unload, when perm_setup
 * (init data) is gone: the masks are freed wherever they are, and a
 * table without masks (kfree(NULL)) costs nothing.
 */
void vfnet_pci_uninit_perm_bits(void)
{
	int i;

	for (i = 0; i <= PCI_CAP_ID_MAX; i++)
		vfnet_cfg_free_perm_bits(&vfnet_cfg_cap_perms[i]);
	for (i = 0; i <= PCI_EXT_CAP_ID_MAX; i++)
		vfnet_cfg_free_perm_bits(&vfnet_cfg_ecap_perms[i]);
}

int __init vfnet_pci_init_perm_bits(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(perm_setup); i++) {
		ret = perm_setup[i].init(perm_setup[i].perm);
		if (ret) {
			vfnet_pci_uninit_perm_bits();
			return ret;
		}
	}
	return 0;
}
