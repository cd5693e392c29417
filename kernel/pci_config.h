/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfnet PCI bus driver: what pci_config.c (the access path),
 * pci_config_perm.c (the permission tables) and pci_config_map.c (the
 * per-device map) share.
 */
#ifndef VFNET_PCI_CONFIG_H
#define VFNET_PCI_CONFIG_H

#include "pci_private.h"

#define PCI_CAP_ID_BASIC	0	/* our fake ID for the header */
#define PCI_CAP_ID_INVALID	0xff	/* bytes no capability owns */

/**
 * struct perm_bits - what the user may do with one capability's bytes
 * @virt: per byte, the bits kept in vconfig instead of the device
 * @write: per byte, the bits the user may change
 * @readfn: read hook (NULL: reads return zeros)
 * @writefn: write hook (NULL: writes are dropped)
 */
struct perm_bits {
	u8 *virt;
	u8 *write;
	int (*readfn)(struct vfnet_pci_device *pv, int pos, int count,
		      struct perm_bits *perm, int offset, __le32 *val);
	int (*writefn)(struct vfnet_pci_device *pv, int pos, int count,
		       struct perm_bits *perm, int offset, __le32 val);
};

/* pci_config.c: the access path, and the tables it dispatches through */
extern struct perm_bits vfnet_cfg_cap_perms[PCI_CAP_ID_MAX + 1];
extern struct perm_bits vfnet_cfg_ecap_perms[PCI_EXT_CAP_ID_MAX + 1];
int vfnet_cfg_default_read(struct vfnet_pci_device *pv, int pos, int count,
			   struct perm_bits *perm, int offset, __le32 *val);
int vfnet_cfg_default_write(struct vfnet_pci_device *pv, int pos, int count,
			    struct perm_bits *perm, int offset, __le32 val);
int vfnet_cfg_raw_write(struct vfnet_pci_device *pv, int pos, int count,
			struct perm_bits *perm, int offset, __le32 val);

/* pci_config_perm.c: the tables' masks and hooks */
int vfnet_cfg_init_msi_perm(struct perm_bits *perm, int len, u16 flags);
void vfnet_cfg_free_perm_bits(struct perm_bits *perm);
int vfnet_cfg_find_cap_start(struct vfnet_pci_device *pv, int pos);
size_t vfnet_cfg_remaining_dword(struct vfnet_pci_device *pv, loff_t pos);

#endif /* VFNET_PCI_CONFIG_H */
