/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The PCI bus as a PMD sees it: devices found in sysfs, opened through
 * VFIO (vfnet's kernel driver or upstream vfio-pci), with their memory
 * BARs mapped and their config space and interrupts reachable.
 *
 * A PCI driver fills a struct vfn_pci_driver and registers it from a
 * constructor (vfn_pci_register_driver()).  vfn_eal_init() scans the bus
 * and calls probe() for each allowed device whose ID matches, after the
 * device is opened and its BARs are mapped.
 */
#ifndef VFN_PCI_H
#define VFN_PCI_H

#include <stdint.h>
#include <stddef.h>
#include <sys/queue.h>

#include "vfn_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Any ID matches (in struct vfn_pci_id tables). */
#define VFN_PCI_ANY_ID 0xffff

/** Number of BARs. */
#define VFN_PCI_MAX_BARS 6

/** A PCI address: domain:bus:devid.function. */
struct vfn_pci_addr {
	uint32_t domain;
	uint8_t bus;
	uint8_t devid;
	uint8_t function;
};

/** Length of "dddd:bb:dd.f" plus the terminating NUL. */
#define VFN_PCI_NAME_LEN 13

/** Identity of a device, or a match pattern in an ID table. */
struct vfn_pci_id {
	uint32_t class_id; /**< class, subclass, prog-if; VFN_PCI_ANY_ID matches any */
	uint16_t vendor_id;
	uint16_t device_id;
	uint16_t subsystem_vendor_id;
	uint16_t subsystem_device_id;
};

/** One BAR as mapped into this process. */
struct vfn_pci_bar {
	uint64_t phys_addr; /**< bus address from sysfs (information only) */
	uint64_t len;       /**< size in bytes, 0 when the BAR is absent */
	void *addr;         /**< mapping of a memory BAR, NULL for I/O BARs or absent */
	int is_io;          /**< I/O port BAR: use vfn_pci_bar_read/write */
};

struct vfn_pci_driver;

/** One PCI device. */
struct vfn_pci_device {
	TAILQ_ENTRY(vfn_pci_device) next;
	struct vfn_pci_addr addr;
	char name[VFN_PCI_NAME_LEN];  /**< "0000:00:02.0" */
	struct vfn_pci_id id;
	int numa_node;                /**< -1 when unknown */
	char kdrv[32];                /**< kernel driver bound now ("vfnet-pci", "vfio-pci", "e1000e", "") */
	struct vfn_pci_bar bar[VFN_PCI_MAX_BARS];
	const char *devargs;          /**< ",key=value" part of -a, or NULL */
	struct vfn_pci_driver *driver; /**< driver that probed it, or NULL */
	void *driver_data;            /**< the driver's private pointer */
	int vfio_dev_fd;              /**< VFIO device fd, -1 when not opened */
	uint32_t msix_vectors;        /**< MSI-X vectors the device has (0: none) */
};

/**
 * A PCI poll-mode driver.
 * probe() returns 0 when it took the device, a negative errno otherwise.
 */
struct vfn_pci_driver {
	TAILQ_ENTRY(vfn_pci_driver) next;
	const char *name;                   /**< e.g. "net_e1000_em" */
	const struct vfn_pci_id *id_table;  /**< ends with vendor_id == 0 */
	int (*probe)(struct vfn_pci_driver *drv, struct vfn_pci_device *dev);
	int (*remove)(struct vfn_pci_device *dev);
};

/** Register @p drv; call from a constructor, before vfn_eal_init(). */
void vfn_pci_register_driver(struct vfn_pci_driver *drv);

/** Unregister @p drv. */
void vfn_pci_unregister_driver(struct vfn_pci_driver *drv);

/** Parse "dddd:bb:dd.f" or "bb:dd.f"; 0 on success, -EINVAL otherwise. */
int vfn_pci_addr_parse(const char *str, struct vfn_pci_addr *addr);

/** Format @p addr as "dddd:bb:dd.f" into @p buf (VFN_PCI_NAME_LEN bytes). */
void vfn_pci_addr_format(const struct vfn_pci_addr *addr, char *buf,
			 size_t size);

/**
 * Read @p len bytes of config space at @p offset through VFIO.
 * @return bytes read, or a negative errno.
 */
int vfn_pci_read_config(const struct vfn_pci_device *dev, void *buf,
			size_t len, off_t offset);

/** Write @p len bytes of config space at @p offset; bytes or -errno. */
int vfn_pci_write_config(const struct vfn_pci_device *dev, const void *buf,
			 size_t len, off_t offset);

/**
 * Find the standard capability @p cap_id (PCI_CAP_ID_*) in config space.
 * @return its offset, 0 when absent, or a negative errno.
 */
int vfn_pci_find_capability(const struct vfn_pci_device *dev, uint8_t cap_id);

/** Read/write a BAR by region offset (I/O BARs, or when not mmapped). */
int vfn_pci_bar_read(const struct vfn_pci_device *dev, int bar, void *buf,
		     size_t len, off_t offset);
int vfn_pci_bar_write(const struct vfn_pci_device *dev, int bar,
		      const void *buf, size_t len, off_t offset);

/** Set or clear Bus Master Enable in the command register. */
int vfn_pci_set_bus_master(const struct vfn_pci_device *dev, int enable);

/** VFIO_DEVICE_RESET; 0 or -errno (-ENOTSUP when the device has no reset). */
int vfn_pci_reset(const struct vfn_pci_device *dev);

/**
 * Interrupts as eventfds (VFIO_DEVICE_SET_IRQS).
 * Enable @p nvec MSI-X vectors, writing one eventfd per vector to
 * @p efds (the caller polls or reads them).  0 or -errno.
 */
int vfn_pci_msix_enable(struct vfn_pci_device *dev, unsigned int nvec,
			int *efds);
/** Disable MSI-X and close the eventfds vfn_pci_msix_enable() made. */
int vfn_pci_msix_disable(struct vfn_pci_device *dev);
/** Enable INTx with one eventfd (written to @p efd); 0 or -errno. */
int vfn_pci_intx_enable(struct vfn_pci_device *dev, int *efd);
/** Unmask INTx after handling (INTx is automasked on each interrupt). */
int vfn_pci_intx_unmask(struct vfn_pci_device *dev);
/** Disable INTx and close its eventfd. */
int vfn_pci_intx_disable(struct vfn_pci_device *dev);

/** Iterate the devices the bus scan found (allowed or not). */
struct vfn_pci_device *vfn_pci_device_first(void);
struct vfn_pci_device *vfn_pci_device_next(struct vfn_pci_device *dev);

/* MMIO accessors for BAR mappings (device memory: volatile, no tearing). */
static inline uint32_t vfn_read32(const volatile void *addr)
{
	return *(const volatile uint32_t *)addr;
}

static inline void vfn_write32(uint32_t val, volatile void *addr)
{
	*(volatile uint32_t *)addr = val;
}

static inline uint16_t vfn_read16(const volatile void *addr)
{
	return *(const volatile uint16_t *)addr;
}

static inline void vfn_write16(uint16_t val, volatile void *addr)
{
	*(volatile uint16_t *)addr = val;
}

static inline uint8_t vfn_read8(const volatile void *addr)
{
	return *(const volatile uint8_t *)addr;
}

static inline void vfn_write8(uint8_t val, volatile void *addr)
{
	*(volatile uint8_t *)addr = val;
}

static inline uint64_t vfn_read64(const volatile void *addr)
{
	return *(const volatile uint64_t *)addr;
}

static inline void vfn_write64(uint64_t val, volatile void *addr)
{
	*(volatile uint64_t *)addr = val;
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_PCI_H */
