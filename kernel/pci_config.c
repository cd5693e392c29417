// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: config space virtualization.
 *
 * The user driver gets to see and drive most of config space, but it
 * cannot be trusted with all of it: the BARs and the ROM BAR decide where
 * the device decodes in the host's address space, MSI/MSI-X belong to
 * the kernel's interrupt code, the power state must go through the PCI
 * core, and the capability chain may need to hide things.  So every byte
 * of config space is classified, per capability, by two masks:
 *
 *   virt  - bits kept in a shadow copy (vconfig) and never read from or
 *           written to the device;
 *   write - bits the user may change (in vconfig if virtualized, in the
 *           device otherwise).
 *
 * A bit that is neither is read from the device and cannot be written.
 * Capabilities with special semantics add read/write hooks.  This file is
 * the access path; the tables (vfnet_cfg_cap_perms, vfnet_cfg_ecap_perms)
 * are built at module load by pci_config_perm.c, MSI's per device.
 * pci_config_map records which capability owns each byte, so that an
 * access is split at capability boundaries and dispatched to the right
 * table.
 *
 * Space that no capability claims is passed through raw, as upstream
 * does: some devices keep registers in the gaps.  Capabilities we have no
 * table for read through (with the chain pointers virtualized) and drop
 * writes; unknown capability IDs are hidden from the chain.
 *
 * Follows the design of upstream Linux's
 * drivers/vfio/pci/vfio_pci_config.c (6.1.y); the code is vfnet's.
 */
#include <linux/pci.h>
#include <linux/uaccess.h>

#include "pci_private.h"
#include "pci_config.h"

/* ---- access to the device ---- */

static int config_user_read(struct pci_dev *pdev, int pos, __le32 *val,
			    int count)
{
	int ret = -EINVAL;
	u32 tmp;

	switch (count) {
	case 1: {
		u8 b;

		ret = pci_user_read_config_byte(pdev, pos, &b);
		tmp = b;
		break;
	}
	case 2: {
		u16 w;

		ret = pci_user_read_config_word(pdev, pos, &w);
		tmp = w;
		break;
	}
	case 4:
		ret = pci_user_read_config_dword(pdev, pos, &tmp);
		break;
	}
	if (ret)
		return ret;
	*val = cpu_to_le32(tmp);
	return 0;
}

static int config_user_write(struct pci_dev *pdev, int pos, __le32 val,
			     int count)
{
	u32 tmp = le32_to_cpu(val);

	switch (count) {
	case 1:
		return pci_user_write_config_byte(pdev, pos, tmp);
	case 2:
		return pci_user_write_config_word(pdev, pos, tmp);
	case 4:
		return pci_user_write_config_dword(pdev, pos, tmp);
	}
	return -EINVAL;
}

/* ---- generic read/write through the perm masks ---- */

int vfnet_cfg_default_read(struct vfnet_pci_device *pv, int pos, int count,
			   struct perm_bits *perm, int offset, __le32 *val)
{
	__le32 virt = 0;

	memcpy(val, pv->vconfig + pos, count);
	memcpy(&virt, perm->virt + offset, count);

	/* any bits to read from the device? */
	if (cpu_to_le32(~0U >> (32 - count * 8)) != virt) {
		__le32 phys = 0;
		int ret = config_user_read(pv->pdev, pos, &phys, count);

		if (ret)
			return ret;
		*val = (phys & ~virt) | (*val & virt);
	}
	return count;
}

int vfnet_cfg_default_write(struct vfnet_pci_device *pv, int pos, int count,
			    struct perm_bits *perm, int offset, __le32 val)
{
	__le32 virt = 0, write = 0;

	memcpy(&write, perm->write + offset, count);
	if (!write)
		return count;	/* nothing writable: drop */

	memcpy(&virt, perm->virt + offset, count);

	/* virtualized writable bits land in vconfig */
	if (write & virt) {
		__le32 vval = 0;

		memcpy(&vval, pv->vconfig + pos, count);
		vval &= ~(write & virt);
		vval |= val & (write & virt);
		memcpy(pv->vconfig + pos, &vval, count);
	}

	/* the others go to the device, read-modify-write */
	if (write & ~virt) {
		__le32 phys = 0;
		int ret = config_user_read(pv->pdev, pos, &phys, count);

		if (ret)
			return ret;
		phys &= ~(write & ~virt);
		phys |= val & (write & ~virt);
		ret = config_user_write(pv->pdev, pos, phys, count);
		if (ret)
			return ret;
	}
	return count;
}

/* Read the device, but show the chain pointers from vconfig */
static int config_direct_read(struct vfnet_pci_device *pv, int pos,
			      int count, struct perm_bits *perm, int offset,
			      __le32 *val)
{
	int ret = config_user_read(pv->pdev, pos, val, count);

	if (ret)
		return ret;

	if (pos >= PCI_CFG_SPACE_SIZE) {
		/* extended header: ID, version and next are virtual */
		if (offset < 4)
			memcpy(val, pv->vconfig + pos, count);
	} else if (pos >= PCI_STD_HEADER_SIZEOF) {
		if (offset == PCI_CAP_LIST_ID && count > 1)
			memcpy(val, pv->vconfig + pos,
			       min(PCI_CAP_FLAGS, count));
		else if (offset == PCI_CAP_LIST_NEXT)
			memcpy(val, pv->vconfig + pos, 1);
	}
	return count;
}

/* Gaps and vendor capabilities: straight to the device */
static int config_raw_read(struct vfnet_pci_device *pv, int pos, int count,
			   struct perm_bits *perm, int offset, __le32 *val)
{
	int ret = config_user_read(pv->pdev, pos, val, count);

	return ret ? ret : count;
}

int vfnet_cfg_raw_write(struct vfnet_pci_device *pv, int pos, int count,
			struct perm_bits *perm, int offset, __le32 val)
{
	int ret = config_user_write(pv->pdev, pos, val, count);

	return ret ? ret : count;
}

static struct perm_bits unassigned_perms = {
	.readfn = config_raw_read,
	.writefn = vfnet_cfg_raw_write,
};

/* Filled at module load by pci_config_perm.c */
struct perm_bits vfnet_cfg_cap_perms[PCI_CAP_ID_MAX + 1] = {
	[0 ... PCI_CAP_ID_MAX] = { .readfn = config_direct_read }
};

struct perm_bits vfnet_cfg_ecap_perms[PCI_EXT_CAP_ID_MAX + 1] = {
	[0 ... PCI_EXT_CAP_ID_MAX] = { .readfn = config_direct_read }
};

static ssize_t config_do_rw(struct vfnet_pci_device *pv, char __user *buf,
			    size_t count, loff_t *ppos, bool iswrite)
{
	struct pci_dev *pdev = pv->pdev;
	struct perm_bits *perm;
	__le32 val = 0;
	int cap_start = 0, offset;
	u8 cap_id;
	ssize_t ret;

	if (*ppos < 0 || *ppos >= pdev->cfg_size ||
	    *ppos + count > pdev->cfg_size)
		return -EFAULT;

	/*
	 * Chop the access into naturally aligned pieces of 4, 2 or 1
	 * bytes that stay inside one capability.
	 */
	count = min(count, vfnet_cfg_remaining_dword(pv, *ppos));
	if (count >= 4 && !(*ppos % 4))
		count = 4;
	else if (count >= 2 && !(*ppos % 2))
		count = 2;
	else
		count = 1;

	ret = count;
	cap_id = pv->pci_config_map[*ppos];

	if (cap_id == PCI_CAP_ID_INVALID) {
		perm = &unassigned_perms;
		cap_start = *ppos;
	} else if (*ppos >= PCI_CFG_SPACE_SIZE) {
		if (cap_id > PCI_EXT_CAP_ID_MAX)
			return -EFAULT;	/* cannot happen: map is ours */
		perm = &vfnet_cfg_ecap_perms[cap_id];
		cap_start = vfnet_cfg_find_cap_start(pv, *ppos);
	} else {
		if (cap_id > PCI_CAP_ID_MAX)
			return -EFAULT;	/* cannot happen: map is ours */
		perm = &vfnet_cfg_cap_perms[cap_id];
		if (cap_id == PCI_CAP_ID_MSI)
			perm = pv->msi_perm;
		if (cap_id > PCI_CAP_ID_BASIC)
			cap_start = vfnet_cfg_find_cap_start(pv, *ppos);
	}

	offset = *ppos - cap_start;

	if (iswrite) {
		if (!perm->writefn)
			return ret;	/* read-only capability: dropped */
		if (copy_from_user(&val, buf, count))
			return -EFAULT;
		ret = perm->writefn(pv, *ppos, count, perm, offset, val);
	} else {
		if (perm->readfn) {
			ret = perm->readfn(pv, *ppos, count, perm, offset,
					   &val);
			if (ret < 0)
				return ret;
		}
		if (copy_to_user(buf, &val, count))
			return -EFAULT;
	}
	return ret;
}

ssize_t vfnet_config_rw(struct vfnet_pci_device *pv, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite)
{
	loff_t pos = *ppos & VFNET_PCI_OFFSET_MASK;
	size_t done = 0;
	ssize_t ret;

	while (count) {
		ret = config_do_rw(pv, buf, count, &pos, iswrite);
		if (ret < 0)
			return ret;
		count -= ret;
		done += ret;
		buf += ret;
		pos += ret;
	}

	*ppos += done;
	return done;
}
