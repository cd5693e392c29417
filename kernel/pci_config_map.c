// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: the per-device config map.
 *
 * At open we walk the device's capability chains and record, for every
 * config byte, which capability owns it (pci_config_map), and copy the
 * bytes into the shadow vconfig.  Capabilities whose length we do not
 * know, or that only make sense on bridges and root ports, are unlinked
 * from the chain the user sees; the first extended capability, which
 * anchors the chain, is kept as a bare header instead.  The device is not
 * trusted: walks are bounded, pointers masked and lengths clamped to the
 * config size.
 *
 * Follows upstream drivers/vfio/pci/vfio_pci_config.c (Linux 6.1.y):
 * vfio_cap_len(), vfio_ext_cap_len() and the capability-chain walks of
 * vfio_cap_init()/vfio_ecap_init(); the code is our own.
 */
#include <linux/pci.h>
#include <linux/slab.h>

#include "pci_private.h"
#include "pci_config.h"

/* Length of each standard capability; 0xff: depends on the device */
static const u8 pci_cap_length[PCI_CAP_ID_MAX + 1] = {
	[PCI_CAP_ID_BASIC]	= PCI_STD_HEADER_SIZEOF,
	[PCI_CAP_ID_PM]		= PCI_PM_SIZEOF,
	[PCI_CAP_ID_AGP]	= PCI_AGP_SIZEOF,
	[PCI_CAP_ID_VPD]	= PCI_CAP_VPD_SIZEOF,
	[PCI_CAP_ID_SLOTID]	= 0,	/* bridge only: hide */
	[PCI_CAP_ID_MSI]	= 0xff,	/* 10, 14, 20 or 24 */
	[PCI_CAP_ID_CHSWP]	= 0,
	[PCI_CAP_ID_PCIX]	= 0xff,	/* 8 or 24 */
	[PCI_CAP_ID_HT]		= 0xff,
	[PCI_CAP_ID_VNDR]	= 0xff,	/* length in the cap */
	[PCI_CAP_ID_DBG]	= 0,
	[PCI_CAP_ID_CCRC]	= 0,
	[PCI_CAP_ID_SHPC]	= 0,
	[PCI_CAP_ID_SSVID]	= 0,	/* bridge only: hide */
	[PCI_CAP_ID_AGP3]	= 0,
	[PCI_CAP_ID_SECDEV]	= 0,
	[PCI_CAP_ID_EXP]	= 0xff,	/* by version and type */
	[PCI_CAP_ID_MSIX]	= PCI_CAP_MSIX_SIZEOF,
	[PCI_CAP_ID_SATA]	= 0xff,
	[PCI_CAP_ID_AF]		= PCI_CAP_AF_SIZEOF,
};

/* Length of each extended capability; 0: hide; 0xff: variable */
static const u16 pci_ext_cap_length[PCI_EXT_CAP_ID_MAX + 1] = {
	[PCI_EXT_CAP_ID_ERR]	= PCI_ERR_ROOT_COMMAND,
	[PCI_EXT_CAP_ID_VC]	= 0xff,
	[PCI_EXT_CAP_ID_DSN]	= PCI_EXT_CAP_DSN_SIZEOF,
	[PCI_EXT_CAP_ID_PWR]	= PCI_EXT_CAP_PWR_SIZEOF,
	[PCI_EXT_CAP_ID_RCLD]	= 0,	/* root ports only */
	[PCI_EXT_CAP_ID_RCILC]	= 0,
	[PCI_EXT_CAP_ID_RCEC]	= 0,
	[PCI_EXT_CAP_ID_MFVC]	= 0xff,
	[PCI_EXT_CAP_ID_VC9]	= 0xff,
	[PCI_EXT_CAP_ID_RCRB]	= 0,
	[PCI_EXT_CAP_ID_VNDR]	= 0xff,
	[PCI_EXT_CAP_ID_CAC]	= 0,	/* obsolete */
	[PCI_EXT_CAP_ID_ACS]	= 0xff,
	[PCI_EXT_CAP_ID_ARI]	= PCI_EXT_CAP_ARI_SIZEOF,
	[PCI_EXT_CAP_ID_ATS]	= PCI_EXT_CAP_ATS_SIZEOF,
	[PCI_EXT_CAP_ID_SRIOV]	= PCI_EXT_CAP_SRIOV_SIZEOF,
	[PCI_EXT_CAP_ID_MRIOV]	= 0,
	[PCI_EXT_CAP_ID_MCAST]	= PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF,
	[PCI_EXT_CAP_ID_PRI]	= PCI_EXT_CAP_PRI_SIZEOF,
	[PCI_EXT_CAP_ID_AMD_XXX] = 0,
	[PCI_EXT_CAP_ID_REBAR]	= 0xff,
	[PCI_EXT_CAP_ID_DPA]	= 0xff,
	[PCI_EXT_CAP_ID_TPH]	= 0xff,
	[PCI_EXT_CAP_ID_LTR]	= PCI_EXT_CAP_LTR_SIZEOF,
	[PCI_EXT_CAP_ID_SECPCI]	= 0,
	[PCI_EXT_CAP_ID_PMUX]	= 0,
	[PCI_EXT_CAP_ID_PASID]	= 0,
	[PCI_EXT_CAP_ID_DVSEC]	= 0xff,
};

static int config_msi_cap_len(struct vfnet_pci_device *pv, u8 pos)
{
	u16 flags;
	int len, ret;

	ret = pci_read_config_word(pv->pdev, pos + PCI_MSI_FLAGS, &flags);
	if (ret)
		return pcibios_err_to_errno(ret);

	len = 10;
	if (flags & PCI_MSI_FLAGS_64BIT)
		len += 4;
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		len += 10;

	if (pv->msi_perm)
		return len;

	pv->msi_perm = kzalloc(sizeof(*pv->msi_perm), GFP_KERNEL_ACCOUNT);
	if (!pv->msi_perm)
		return -ENOMEM;
	ret = vfnet_cfg_init_msi_perm(pv->msi_perm, len, flags);
	if (ret) {
		kfree(pv->msi_perm);
		pv->msi_perm = NULL;
		return ret;
	}
	return len;
}

/* ---- capability lengths that depend on the device ---- */

/* PCIe and PCI-X 2.0 may have extended capabilities: any at 0x100? */
static void config_probe_ext(struct vfnet_pci_device *pv)
{
	u32 dword;

	if (pv->pdev->cfg_size <= PCI_CFG_SPACE_SIZE)
		return;
	if (!pci_read_config_dword(pv->pdev, PCI_CFG_SPACE_SIZE, &dword))
		pv->extended_caps = dword != 0;
}

static int config_cap_len(struct vfnet_pci_device *pv, u8 cap, u8 pos)
{
	struct pci_dev *pdev = pv->pdev;
	u16 word;
	u8 byte;
	int ret;

	switch (cap) {
	case PCI_CAP_ID_MSI:
		return config_msi_cap_len(pv, pos);
	case PCI_CAP_ID_PCIX:
		ret = pci_read_config_word(pdev, pos + PCI_X_CMD, &word);
		if (ret)
			return pcibios_err_to_errno(ret);
		if (PCI_X_CMD_VERSION(word)) {
			config_probe_ext(pv);
			return PCI_CAP_PCIX_SIZEOF_V2;
		}
		return PCI_CAP_PCIX_SIZEOF_V0;
	case PCI_CAP_ID_VNDR:
		/* length follows the next pointer */
		ret = pci_read_config_byte(pdev, pos + PCI_CAP_FLAGS, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		return byte;
	case PCI_CAP_ID_EXP:
		config_probe_ext(pv);
		if ((pcie_caps_reg(pdev) & PCI_EXP_FLAGS_VERS) == 1) {
			if (pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END)
				return PCI_CAP_EXP_RC_ENDPOINT_SIZEOF_V1;
			return PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
		}
		if (pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END)
			return PCI_CAP_EXP_RC_ENDPOINT_SIZEOF_V2;
		return PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
	case PCI_CAP_ID_HT:
		ret = pci_read_config_byte(pdev, pos + 3, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		return (byte & HT_3BIT_CAP_MASK) ?
			HT_CAP_SIZEOF_SHORT : HT_CAP_SIZEOF_LONG;
	case PCI_CAP_ID_SATA:
		ret = pci_read_config_byte(pdev, pos + PCI_SATA_REGS, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		byte &= PCI_SATA_REGS_MASK;
		return byte == PCI_SATA_REGS_INLINE ?
			PCI_SATA_SIZEOF_LONG : PCI_SATA_SIZEOF_SHORT;
	default:
		pci_warn(pdev, "vfnet-pci: unknown length for cap %#x@%#x\n",
			 cap, pos);
	}
	return 0;
}

/*
 * VC, VC9 and MFVC: the base registers, one resource block per VC, and
 * the VC arbitration table (phases x 4 bits, at the next 16-byte
 * boundary), as upstream's vfio_vc_cap_len() counts them.  Bytes outside
 * every capability are raw read/write gaps, so the table must be counted
 * here to stay read-only.  Port arbitration tables (root ports and
 * switches only) and function arbitration tables (MFVC, function 0) are
 * elsewhere and left out, as upstream does.
 */
static int config_vc_cap_len(struct vfnet_pci_device *pv, u16 epos)
{
	struct pci_dev *pdev = pv->pdev;
	int len = PCI_CAP_VC_BASE_SIZEOF;
	int ret, phases;
	u32 cap1, cap2;

	ret = pci_read_config_dword(pdev, epos + PCI_VC_PORT_CAP1, &cap1);
	if (!ret)
		ret = pci_read_config_dword(pdev, epos + PCI_VC_PORT_CAP2,
					    &cap2);
	if (ret)
		return pcibios_err_to_errno(ret);

	if (cap2 & PCI_VC_CAP2_128_PHASE)
		phases = 128;
	else if (cap2 & PCI_VC_CAP2_64_PHASE)
		phases = 64;
	else if (cap2 & PCI_VC_CAP2_32_PHASE)
		phases = 32;
	else
		phases = 0;

	len += ((cap1 & PCI_VC_CAP1_EVCC) + 1) * PCI_CAP_VC_PER_VC_SIZEOF;
	if (phases)
		len = round_up(len, 16) + phases * 4 / 8;
	return len;
}

static int config_ext_cap_len(struct vfnet_pci_device *pv, u16 ecap,
			      u16 epos)
{
	struct pci_dev *pdev = pv->pdev;
	u32 dword;
	u8 byte;
	int ret;

	switch (ecap) {
	case PCI_EXT_CAP_ID_VNDR:
		ret = pci_read_config_dword(pdev, epos + PCI_VSEC_HDR, &dword);
		if (ret)
			return pcibios_err_to_errno(ret);
		return dword >> PCI_VSEC_HDR_LEN_SHIFT;
	case PCI_EXT_CAP_ID_VC:
	case PCI_EXT_CAP_ID_VC9:
	case PCI_EXT_CAP_ID_MFVC:
		return config_vc_cap_len(pv, epos);
	case PCI_EXT_CAP_ID_ACS:
		ret = pci_read_config_byte(pdev, epos + PCI_ACS_CAP, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		if (byte & PCI_ACS_EC) {
			int bits;

			ret = pci_read_config_byte(pdev,
						   epos + PCI_ACS_EGRESS_BITS,
						   &byte);
			if (ret)
				return pcibios_err_to_errno(ret);
			bits = byte ? round_up(byte, 32) : 256;
			return 8 + (bits / 8);
		}
		return 8;
	case PCI_EXT_CAP_ID_REBAR:
		ret = pci_read_config_byte(pdev, epos + PCI_REBAR_CTRL, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		byte &= PCI_REBAR_CTRL_NBAR_MASK;
		byte >>= PCI_REBAR_CTRL_NBAR_SHIFT;
		return 4 + (byte * 8);
	case PCI_EXT_CAP_ID_DPA:
		ret = pci_read_config_byte(pdev, epos + PCI_DPA_CAP, &byte);
		if (ret)
			return pcibios_err_to_errno(ret);
		byte &= PCI_DPA_CAP_SUBSTATE_MASK;
		return PCI_DPA_BASE_SIZEOF + byte + 1;
	case PCI_EXT_CAP_ID_TPH:
		ret = pci_read_config_dword(pdev, epos + PCI_TPH_CAP, &dword);
		if (ret)
			return pcibios_err_to_errno(ret);
		if ((dword & PCI_TPH_CAP_LOC_MASK) == PCI_TPH_LOC_CAP) {
			int sts = (dword & PCI_TPH_CAP_ST_MASK) >>
				  PCI_TPH_CAP_ST_SHIFT;

			return PCI_TPH_BASE_SIZEOF + (sts * 2) + 2;
		}
		return PCI_TPH_BASE_SIZEOF;
	case PCI_EXT_CAP_ID_DVSEC:
		ret = pci_read_config_dword(pdev, epos + PCI_DVSEC_HEADER1,
					    &dword);
		if (ret)
			return pcibios_err_to_errno(ret);
		return PCI_DVSEC_HEADER1_LEN(dword);
	default:
		pci_warn(pdev, "vfnet-pci: unknown length for ecap %#x@%#x\n",
			 ecap, epos);
	}
	return 0;
}

/* ---- per-device setup ---- */

/* Copy @size bytes of the device's config at @offset into vconfig */
static int config_fill_vconfig(struct vfnet_pci_device *pv, int offset,
			       int size)
{
	struct pci_dev *pdev = pv->pdev;
	int ret = 0;

	while (size) {
		if (size >= 4 && !(offset % 4)) {
			__le32 *dw = (__le32 *)&pv->vconfig[offset];
			u32 v;

			ret = pci_read_config_dword(pdev, offset, &v);
			*dw = cpu_to_le32(v);
			size -= 4;
			offset += 4;
		} else if (size >= 2 && !(offset % 2)) {
			__le16 *w = (__le16 *)&pv->vconfig[offset];
			u16 v;

			ret = pci_read_config_word(pdev, offset, &v);
			*w = cpu_to_le16(v);
			size -= 2;
			offset += 2;
		} else {
			ret = pci_read_config_byte(pdev, offset,
						   &pv->vconfig[offset]);
			size--;
			offset++;
		}
		if (ret)
			return pcibios_err_to_errno(ret);
	}
	return 0;
}

static int config_cap_init(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	u8 *map = pv->pci_config_map;
	int loops, ret, caps = 0;
	u8 pos, *prev, cap;
	u16 status;

	ret = pci_read_config_word(pdev, PCI_STATUS, &status);
	if (ret)
		return pcibios_err_to_errno(ret);
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;

	ret = pci_read_config_byte(pdev, PCI_CAPABILITY_LIST, &pos);
	if (ret)
		return pcibios_err_to_errno(ret);

	/* where to write "next" when we skip a capability */
	prev = &pv->vconfig[PCI_CAPABILITY_LIST];

	/* capabilities are dwords: that bounds the walk */
	loops = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / PCI_CAP_SIZEOF;
	while (pos && loops--) {
		int i, len = 0;
		u8 next;

		pos &= ~3;
		if (pos < PCI_STD_HEADER_SIZEOF)
			break;

		ret = pci_read_config_byte(pdev, pos, &cap);
		if (!ret)
			ret = pci_read_config_byte(pdev,
						   pos + PCI_CAP_LIST_NEXT,
						   &next);
		if (ret)
			return pcibios_err_to_errno(ret);

		/* ID 0 is a null capability; it would clash with BASIC */
		if (cap && cap <= PCI_CAP_ID_MAX) {
			len = pci_cap_length[cap];
			if (len == 0xff) {
				len = config_cap_len(pv, cap, pos);
				if (len < 0)
					return len;
			}
		}

		if (!len) {
			pci_dbg(pdev, "vfnet-pci: hiding cap %#x@%#x\n",
				cap, pos);
			*prev = next;
			pos = next;
			continue;
		}

		len = min(len, PCI_CFG_SPACE_SIZE - pos);
		for (i = 0; i < len; i++) {
			if (likely(map[pos + i] == PCI_CAP_ID_INVALID))
				continue;
			pci_warn(pdev, "vfnet-pci: config conflict @%#x, was cap %#x now cap %#x\n",
				 pos + i, map[pos + i], cap);
		}

		memset(map + pos, cap, len);
		ret = config_fill_vconfig(pv, pos, len);
		if (ret)
			return ret;

		prev = &pv->vconfig[pos + PCI_CAP_LIST_NEXT];
		pos = next;
		caps++;
	}

	/* nothing left to show: say so */
	if (!caps) {
		__le16 *vstatus = (__le16 *)&pv->vconfig[PCI_STATUS];

		*vstatus &= ~cpu_to_le16(PCI_STATUS_CAP_LIST);
	}
	return 0;
}

static int config_ecap_init(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	u8 *map = pv->pci_config_map;
	__le32 *prev = NULL;
	int loops, ret, ecaps = 0;
	u16 epos;

	if (!pv->extended_caps)
		return 0;

	epos = PCI_CFG_SPACE_SIZE;
	loops = (pdev->cfg_size - PCI_CFG_SPACE_SIZE) / PCI_CAP_SIZEOF;

	while (loops-- && epos >= PCI_CFG_SPACE_SIZE) {
		bool hidden = false;
		int i, len = 0;
		u32 header;
		u16 ecap;

		ret = pci_read_config_dword(pdev, epos, &header);
		if (ret)
			return pcibios_err_to_errno(ret);

		ecap = PCI_EXT_CAP_ID(header);
		if (ecap <= PCI_EXT_CAP_ID_MAX) {
			len = pci_ext_cap_length[ecap];
			if (len == 0xff) {
				len = config_ext_cap_len(pv, ecap, epos);
				if (len < 0)
					return len;
			}
		}

		if (!len) {
			pci_dbg(pdev, "vfnet-pci: hiding ecap %#x@%#x\n",
				ecap, epos);

			/* not first in the chain: skip over it */
			if (prev) {
				u32 val = epos = PCI_EXT_CAP_NEXT(header);

				*prev &= cpu_to_le32(~(0xffcU << 20));
				*prev |= cpu_to_le32(val << 20);
				continue;
			}

			/* the first anchors the chain: keep a bare header */
			len = PCI_CAP_SIZEOF;
			hidden = true;
		}

		len = min_t(int, len, pdev->cfg_size - epos);
		for (i = 0; i < len; i++) {
			if (likely(map[epos + i] == PCI_CAP_ID_INVALID))
				continue;
			pci_warn(pdev, "vfnet-pci: config conflict @%#x, was ecap %#x now ecap %#x\n",
				 epos + i, map[epos + i], ecap);
		}

		/*
		 * ecap IDs fit in the byte map (PCI_EXT_CAP_ID_MAX < 0xff);
		 * a hidden anchor is owned by ID 0, which reads through
		 * with a virtual header and takes no writes.
		 */
		BUILD_BUG_ON(PCI_EXT_CAP_ID_MAX >= PCI_CAP_ID_INVALID);
		memset(map + epos, hidden ? 0 : ecap, len);
		ret = config_fill_vconfig(pv, epos, len);
		if (ret)
			return ret;

		if (hidden)
			*(__le32 *)&pv->vconfig[epos] &=
				cpu_to_le32((0xffcU << 20));
		else
			ecaps++;

		prev = (__le32 *)&pv->vconfig[epos];
		epos = PCI_EXT_CAP_NEXT(header);
	}

	if (!ecaps)
		*(u32 *)&pv->vconfig[PCI_CFG_SPACE_SIZE] = 0;
	return 0;
}

int vfnet_config_init(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	u8 *map, *vconfig;
	int i, ret;

	map = kmalloc(pdev->cfg_size, GFP_KERNEL_ACCOUNT);
	if (!map)
		return -ENOMEM;
	vconfig = kzalloc(pdev->cfg_size, GFP_KERNEL_ACCOUNT);
	if (!vconfig) {
		kfree(map);
		return -ENOMEM;
	}

	pv->pci_config_map = map;
	pv->vconfig = vconfig;
	pv->extended_caps = false;

	memset(map, PCI_CAP_ID_BASIC, PCI_STD_HEADER_SIZEOF);
	memset(map + PCI_STD_HEADER_SIZEOF, PCI_CAP_ID_INVALID,
	       pdev->cfg_size - PCI_STD_HEADER_SIZEOF);

	ret = config_fill_vconfig(pv, 0, PCI_STD_HEADER_SIZEOF);
	if (ret)
		goto out;

	pv->bardirty = true;

	/* what to put back if a reset clears the BARs under the user */
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		pv->rbar[i] = le32_to_cpu(*(__le32 *)
			&vconfig[PCI_BASE_ADDRESS_0 + 4 * i]);
	pv->rbar[6] = le32_to_cpu(*(__le32 *)&vconfig[PCI_ROM_ADDRESS]);

	if (pdev->is_virtfn) {
		*(__le16 *)&vconfig[PCI_VENDOR_ID] = cpu_to_le16(pdev->vendor);
		*(__le16 *)&vconfig[PCI_DEVICE_ID] = cpu_to_le16(pdev->device);

		/*
		 * SR-IOV 1.1, 3.4.1.18: a VF's interrupt pin is read-only
		 * zero; some VFs report one anyway, which the user could
		 * not tell from a real pin.
		 */
		if (vconfig[PCI_INTERRUPT_PIN])
			pci_info(pdev, "vfnet-pci: VF reports INTx pin %d, hiding it\n",
				 vconfig[PCI_INTERRUPT_PIN]);
		vconfig[PCI_INTERRUPT_PIN] = 0;
	}

	/*
	 * VFs (and devices the PCI core marks so) have no memory enable
	 * bit: it reads zero after pci_enable_device() although they
	 * decode.  The virtual bit starts set, as a PF's does.
	 */
	if (pdev->no_command_memory)
		*(__le16 *)&vconfig[PCI_COMMAND] |=
			cpu_to_le16(PCI_COMMAND_MEMORY);

	/* INTx hidden (pci_core.c's nointx table): no pin either */
	if (pv->nointx)
		vconfig[PCI_INTERRUPT_PIN] = 0;

	ret = config_cap_init(pv);
	if (ret)
		goto out;
	ret = config_ecap_init(pv);
	if (ret)
		goto out;

	/* PME is virtual and starts off */
	if (pdev->pm_cap) {
		__le16 *pmc = (__le16 *)&vconfig[pdev->pm_cap + PCI_PM_PMC];
		__le16 *ctrl = (__le16 *)&vconfig[pdev->pm_cap + PCI_PM_CTRL];

		*pmc &= ~cpu_to_le16(PCI_PM_CAP_PME_MASK);
		*ctrl &= ~cpu_to_le16(PCI_PM_CTRL_PME_ENABLE |
				      PCI_PM_CTRL_PME_STATUS);
	}
	return 0;

out:
	vfnet_config_free(pv);
	return ret;
}

void vfnet_config_free(struct vfnet_pci_device *pv)
{
	kfree(pv->vconfig);
	pv->vconfig = NULL;
	kfree(pv->pci_config_map);
	pv->pci_config_map = NULL;
	if (pv->msi_perm) {
		vfnet_cfg_free_perm_bits(pv->msi_perm);
		kfree(pv->msi_perm);
		pv->msi_perm = NULL;
	}
}

/* First byte of the capability that owns @pos */
int vfnet_cfg_find_cap_start(struct vfnet_pci_device *pv, int pos)
{
	int base = pos >= PCI_CFG_SPACE_SIZE ? PCI_CFG_SPACE_SIZE :
					       PCI_STD_HEADER_SIZEOF;
	u8 cap = pv->pci_config_map[pos];

	if (cap == PCI_CAP_ID_BASIC && pos < PCI_STD_HEADER_SIZEOF)
		return 0;

	while (pos - 1 >= base && pv->pci_config_map[pos - 1] == cap)
		pos--;
	return pos;
}

/* Bytes from @pos to the end of its dword that share its owner */
size_t vfnet_cfg_remaining_dword(struct vfnet_pci_device *pv, loff_t pos)
{
	u8 cap = pv->pci_config_map[pos];
	size_t i;

	for (i = 1; (pos + i) % 4 && pv->pci_config_map[pos + i] == cap; i++)
		;
	return i;
}
