/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * @internal What the EAL keeps per PCI device beyond the public
 * struct vfn_pci_device: VFIO region offsets, mappings and IRQ eventfds.
 */
#ifndef PCI_PRIVATE_H
#define PCI_PRIVATE_H

#include <sys/types.h>

#include "vfn_pci.h"

#define PCI_NUM_REGIONS 9 /* BAR0-5, ROM, config, VGA */
#define PCI_CONFIG_REGION 7

struct pci_region {
	uint64_t offset;   /* in the device fd */
	uint64_t size;
	uint32_t flags;    /* VFIO_REGION_INFO_FLAG_* */
	void *map;         /* reservation of the whole BAR when mmapped */
	size_t map_len;
	uint32_t sparse_areas; /* areas mapped from the sparse-mmap cap, 0: whole */
};

struct eal_pci_dev {
	struct vfn_pci_device pub;
	struct pci_region region[PCI_NUM_REGIONS];
	uint32_t num_irqs;
	uint32_t dev_flags;      /* VFIO_DEVICE_FLAGS_* */
	uint32_t msix_count;     /* vectors VFIO reports for the MSI-X index */
	int *msix_efds;          /* eventfds enabled by vfn_pci_msix_enable() */
	unsigned int msix_n;
	int intx_efd;
	bool allowed;            /* -a / not -b */
	bool probed;
};

static inline struct eal_pci_dev *pci_priv(const struct vfn_pci_device *d)
{
	return (struct eal_pci_dev *)d;
}

TAILQ_HEAD(pci_device_list, vfn_pci_device);
extern struct pci_device_list pci_devices;

/** Open the VFIO device and map its BARs; 0 or -1 with the error set. */
int pci_vfio_open(struct eal_pci_dev *pd);
/** Unmap BARs, disable IRQs and close the device fd. */
void pci_vfio_close(struct eal_pci_dev *pd);
/** Find a scanned device by name. */
struct eal_pci_dev *pci_find(const char *bdf);

#endif
