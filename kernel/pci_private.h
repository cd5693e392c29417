/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfnet PCI bus driver: state shared by the pci_*.c files.
 *
 * One struct vfnet_pci_device per bound function.  It embeds the core's
 * struct vfnet_device; the core hands every device-fd operation back to
 * us through vfnet_pci_ops (pci_core.c).
 */
#ifndef VFNET_PCI_PRIVATE_H
#define VFNET_PCI_PRIVATE_H

#include <linux/pci.h>
#include <linux/eventfd.h>
#include <linux/rwsem.h>
#include <linux/vfio.h>

#include "vfnet.h"

#define VFNET_PCI_OFFSET_SHIFT	40
#define VFNET_PCI_OFFSET_TO_INDEX(off)	((off) >> VFNET_PCI_OFFSET_SHIFT)
#define VFNET_PCI_INDEX_TO_OFFSET(idx)	((u64)(idx) << VFNET_PCI_OFFSET_SHIFT)
#define VFNET_PCI_OFFSET_MASK	(((u64)1 << VFNET_PCI_OFFSET_SHIFT) - 1)

/* irq_type when no INTx/MSI/MSI-X is set up */
#define VFNET_PCI_IRQ_NONE	VFIO_PCI_NUM_IRQS

struct vfnet_virqfd;
struct perm_bits;

/**
 * struct vfnet_pci_reset_set - the functions one slot or bus reset hits
 * @next: entry in the global list of sets (pci_reset.c)
 * @id: the pci_slot or pci_bus they share, or the device alone (a
 *      function on a root bus has no hot reset); compared, never followed
 * @refs: member count, under the global list's lock
 * @lock: serializes open, close (with its restore and reset), hot reset
 *        and the last-close bus reset of every member, as upstream's
 *        dev_set->lock: a reset of the set must never interleave with a
 *        member's power-state or saved-state changes.  Protects @devices
 *        and each member's @set_open and @needs_reset.  Nests inside
 *        group->lock (open/close run under it); takes no group lock.
 * @devices: members (vfnet_pci_device.reset_set_next)
 */
struct vfnet_pci_reset_set {
	struct list_head next;
	const void *id;
	unsigned int refs;
	struct mutex lock;
	struct list_head devices;
};

/* One interrupt vector as the user sees it */
struct vfnet_pci_irq_ctx {
	struct eventfd_ctx *trigger;
	struct vfnet_virqfd *unmask;
	struct vfnet_virqfd *mask;
	char *name;
	bool masked;
	atomic_long_t signals;	/* eventfd signals sent (debugfs) */
};

struct vfnet_pci_device {
	struct vfnet_device vdev;
	struct pci_dev *pdev;

	/* BARs: kernel mapping for read/write, and whether mmap is allowed */
	void __iomem *barmap[PCI_STD_NUM_BARS];
	bool bar_mmap_supported[PCI_STD_NUM_BARS];
	u8 msix_bar;		/* 0xff: no MSI-X */
	u32 msix_offset;
	u32 msix_size;

	/* config space virtualization (pci_config.c) */
	u8 *pci_config_map;	/* capability id of each config byte */
	u8 *vconfig;		/* shadow of the virtualized bits */
	struct perm_bits *msi_perm;
	u32 rbar[7];		/* BARs + ROM as found at open, for restore */
	u8 msi_qmax;
	bool bardirty;
	bool extended_caps;

	/* interrupts (pci_intrs.c), under igate; irqlock for INTx masking */
	struct mutex igate;
	spinlock_t irqlock;
	struct vfnet_pci_irq_ctx *ctx;
	int num_ctx;
	int irq_type;
	bool pci_2_3;
	bool virq_disabled;
	bool nointx;
	struct eventfd_ctx *err_trigger;
	struct eventfd_ctx *req_trigger;

	/* reset and state restore (pci_reset.c); under reset_set->lock */
	struct vfnet_pci_reset_set *reset_set;
	struct list_head reset_set_next;
	bool set_open;		/* open_device done, close_device not yet */
	bool reset_works;
	bool needs_reset;	/* closed dirty: wants a reset before reuse */
	bool needs_pm_restore;
	struct pci_saved_state *pci_saved_state;
	struct pci_saved_state *pm_save;

	/*
	 * BAR mmaps (pci_rdwr.c).  memory_lock (read) is held for every
	 * access that needs memory decode; write-held while decode or the
	 * power state changes, after every user mapping has been zapped.
	 * vma_lock protects vma_list and nests inside mmap_lock.
	 */
	struct rw_semaphore memory_lock;
	struct mutex vma_lock;
	struct list_head vma_list;
};

static inline struct vfnet_pci_device *to_pci_vdev(struct vfnet_device *vdev)
{
	return container_of(vdev, struct vfnet_pci_device, vdev);
}

static inline bool vfnet_pci_is_intx(struct vfnet_pci_device *pv)
{
	return pv->irq_type == VFIO_PCI_INTX_IRQ_INDEX;
}

/*
 * pci_power_t is __bitwise, so sparse refuses ordered comparisons on it;
 * D0..D3cold are ordered by depth, and this compares them by that order.
 */
static inline int vfnet_pm_depth(pci_power_t state)
{
	return (__force int)state;
}

/* pci_core.c */
extern const struct vfnet_device_ops vfnet_pci_ops;

bool vfnet_pci_mmap_hits_msix(struct vfnet_pci_device *pv, int bar,
			      u64 start, u64 len);

/* pci_config.c */
int vfnet_pci_init_perm_bits(void);
void vfnet_pci_uninit_perm_bits(void);
int vfnet_config_init(struct vfnet_pci_device *pv);
void vfnet_config_free(struct vfnet_pci_device *pv);
ssize_t vfnet_config_rw(struct vfnet_pci_device *pv, char __user *buf,
			size_t count, loff_t *ppos, bool iswrite);

/* pci_rdwr.c */
ssize_t vfnet_bar_rw(struct vfnet_pci_device *pv, char __user *buf,
		     size_t count, loff_t *ppos, bool iswrite);
int vfnet_pci_mmap(struct vfnet_device *vdev, struct vm_area_struct *vma);
void vfnet_pci_probe_mmaps(struct vfnet_pci_device *pv);
void vfnet_pci_bars_release(struct vfnet_pci_device *pv);
bool vfnet_memory_enabled(struct vfnet_pci_device *pv);
void vfnet_zap_and_down_write_memory_lock(struct vfnet_pci_device *pv);
bool vfnet_zap_and_vma_trylock(struct vfnet_pci_device *pv);
u16 vfnet_memory_lock_and_enable(struct vfnet_pci_device *pv);
void vfnet_memory_unlock_and_restore(struct vfnet_pci_device *pv, u16 cmd);

/* pci_intrs.c */
int vfnet_pci_irq_count(struct vfnet_pci_device *pv, int index);
int vfnet_pci_set_irqs(struct vfnet_pci_device *pv, u32 flags,
		       unsigned int index, unsigned int start,
		       unsigned int count, void *data);
void vfnet_intx_sync_virq_disabled(struct vfnet_pci_device *pv);

/* pci_virqfd.c */
int vfnet_virqfd_init(void);
void vfnet_virqfd_exit(void);
int vfnet_virqfd_enable(void *opaque, int (*handler)(void *, void *),
			void (*thread)(void *, void *), void *data,
			struct vfnet_virqfd **pvirqfd, int fd);
void vfnet_virqfd_disable(struct vfnet_virqfd **pvirqfd);
void vfnet_virqfd_flush_thread(struct vfnet_virqfd **pvirqfd);

/* pci_reset.c */
int vfnet_pci_reset_set_join(struct vfnet_pci_device *pv);
void vfnet_pci_reset_set_leave(struct vfnet_pci_device *pv);
void vfnet_pci_set_try_reset(struct vfnet_pci_reset_set *set);
void vfnet_pci_probe_power_state(struct vfnet_pci_device *pv);
void vfnet_pci_set_power_state(struct vfnet_pci_device *pv,
			       pci_power_t state);
int vfnet_pci_ioctl_reset(struct vfnet_pci_device *pv);
int vfnet_pci_hot_reset_info(struct vfnet_pci_device *pv, void __user *arg);
int vfnet_pci_hot_reset(struct vfnet_pci_device *pv, void __user *arg);
void vfnet_pci_restore_on_close(struct vfnet_pci_device *pv);

/* pci_debug.c */
void vfnet_pci_debug_show(struct vfnet_device *vdev, struct seq_file *s);

#endif /* VFNET_PCI_PRIVATE_H */
