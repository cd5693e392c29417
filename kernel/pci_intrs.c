// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: interrupts as eventfds.
 *
 * One of INTx, MSI or MSI-X is active at a time (irq_type); ERR and REQ
 * are independent eventfds.  VFIO_DEVICE_SET_IRQS semantics follow
 * upstream vfio-pci exactly, because user drivers depend on the corner
 * cases: DATA_NONE/DATA_BOOL on TRIGGER are loopback tests, TRIGGER with
 * count 0 and DATA_NONE disables, an eventfd of -1 unhooks one vector.
 *
 * INTx is level triggered, so it is automasked: the handler masks the
 * line (DisINTx when the device supports it, else disable_irq) before
 * signalling, and the user unmasks through ACTION_UNMASK, possibly from
 * an "unmask eventfd" (pci_virqfd.c) that a hypervisor can wire to its
 * EOI.  The command register's INTx-disable bit is virtual and feeds the
 * same mask.  All state here is under igate; irqlock covers the mask
 * bits the hard-irq handler touches.
 *
 * Follows upstream drivers/vfio/pci/vfio_pci_intrs.c (Linux 6.1.y, with
 * its stable fixes for CVE-2024-26810/26812/27437): INTx with automask
 * and the unmask eventfd, MSI/MSI-X vectors as eventfds, ERR and REQ;
 * the code is our own.
 */
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/eventfd.h>
#include <linux/msi.h>
#include <linux/slab.h>

#include "pci_private.h"

/* ---- INTx ---- */

/*
 * Signal the user's INTx trigger.  Runs from the hard-irq handler, from
 * the virqfd inject work and under igate; the trigger may be replaced
 * meanwhile (intx_set_signal), hence READ_ONCE: the old one stays valid
 * until the replacement has synchronized with the first two.
 */
static void intx_send_eventfd(void *opaque, void *unused)
{
	struct vfnet_pci_device *pv = opaque;
	struct eventfd_ctx *trigger;

	if (likely(vfnet_pci_is_intx(pv) && !READ_ONCE(pv->virq_disabled))) {
		trigger = READ_ONCE(pv->ctx[0].trigger);
		if (likely(trigger)) {
			eventfd_signal(trigger, 1);
			atomic_long_inc(&pv->ctx[0].signals);
		}
	}
}

/* Mask INTx delivery; the caller holds igate */
static void intx_mask(struct vfnet_pci_device *pv)
{
	struct pci_dev *pdev = pv->pdev;
	unsigned long flags;

	lockdep_assert_held(&pv->igate);
	spin_lock_irqsave(&pv->irqlock, flags);

	/*
	 * Masking also comes from the virtual INTx-disable bit when INTx
	 * is not in use: then just make the physical bit follow it.
	 */
	if (unlikely(!vfnet_pci_is_intx(pv))) {
		if (pv->pci_2_3)
			pci_intx(pdev, 0);
	} else if (!pv->ctx[0].masked) {
		if (pv->pci_2_3)
			pci_intx(pdev, 0);
		else
			disable_irq_nosync(pdev->irq);
		pv->ctx[0].masked = true;
	}

	spin_unlock_irqrestore(&pv->irqlock, flags);
}

/*
 * Returns 1 when an interrupt was already pending at unmask: the caller
 * then signals the user again instead of letting it re-fire.  Called from
 * an eventfd wakeup too, where signalling an eventfd would deadlock.
 */
static int intx_unmask_handler(void *opaque, void *unused)
{
	struct vfnet_pci_device *pv = opaque;
	struct pci_dev *pdev = pv->pdev;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&pv->irqlock, flags);

	if (unlikely(!vfnet_pci_is_intx(pv))) {
		if (pv->pci_2_3)
			pci_intx(pdev, 1);
	} else if (pv->ctx[0].masked && !pv->virq_disabled) {
		if (pv->pci_2_3) {
			if (!pci_check_and_unmask_intx(pdev))
				ret = 1;
		} else {
			enable_irq(pdev->irq);
		}
		pv->ctx[0].masked = (ret > 0);
	}

	spin_unlock_irqrestore(&pv->irqlock, flags);
	return ret;
}

/* Unmask INTx delivery; the caller holds igate */
static void intx_unmask(struct vfnet_pci_device *pv)
{
	lockdep_assert_held(&pv->igate);
	if (intx_unmask_handler(pv, NULL) > 0)
		intx_send_eventfd(pv, NULL);
}

/**
 * vfnet_intx_sync_virq_disabled - make INTx delivery follow the virtual
 * INTx-disable bit of the command register after a config-space write
 * @pv: the device
 *
 * Runs under igate, like every SET_IRQS: without it a config write could
 * mask or unmask while SET_IRQS frees the INTx context or changes
 * irq_type under it (upstream's CVE-2024-26810).  The bit is read under
 * igate too, so that of two racing writers the last one to get here sees
 * the last value written and virq_disabled ends up matching vconfig.
 * virq_disabled is written only here and at close.
 */
void vfnet_intx_sync_virq_disabled(struct vfnet_pci_device *pv)
{
	__le16 cmd;
	bool disabled;

	mutex_lock(&pv->igate);
	cmd = READ_ONCE(*(__le16 *)&pv->vconfig[PCI_COMMAND]);
	disabled = !!(le16_to_cpu(cmd) & PCI_COMMAND_INTX_DISABLE);
	if (disabled != pv->virq_disabled) {
		WRITE_ONCE(pv->virq_disabled, disabled);
		if (disabled)
			intx_mask(pv);
		else
			intx_unmask(pv);
	}
	mutex_unlock(&pv->igate);
}

static irqreturn_t intx_handler(int irq, void *dev_id)
{
	struct vfnet_pci_device *pv = dev_id;
	irqreturn_t ret = IRQ_NONE;
	unsigned long flags;

	spin_lock_irqsave(&pv->irqlock, flags);

	if (!pv->pci_2_3) {
		disable_irq_nosync(pv->pdev->irq);
		pv->ctx[0].masked = true;
		ret = IRQ_HANDLED;
	} else if (!pv->ctx[0].masked &&	/* the line may be shared */
		   pci_check_and_mask_intx(pv->pdev)) {
		pv->ctx[0].masked = true;
		ret = IRQ_HANDLED;
	}

	spin_unlock_irqrestore(&pv->irqlock, flags);

	if (ret == IRQ_HANDLED)
		intx_send_eventfd(pv, NULL);
	return ret;
}

/*
 * Set INTx up with @trigger (NULL: no eventfd yet), which the context
 * owns from here on success.  The handler is registered once, here, and
 * stays registered until intx_disable(): changing the trigger never
 * frees and re-requests the line, so no interrupt is lost or left
 * disabled in between and a non-shared line cannot be taken by another
 * driver meanwhile.
 */
static int intx_enable(struct vfnet_pci_device *pv,
		       struct eventfd_ctx *trigger)
{
	struct pci_dev *pdev = pv->pdev;
	unsigned long irqflags = IRQF_SHARED;
	char *name;
	int ret;

	if (pv->irq_type != VFNET_PCI_IRQ_NONE)
		return -EINVAL;
	if (!pdev->irq || pdev->irq == IRQ_NOTCONNECTED)
		return -ENODEV;

	name = kasprintf(GFP_KERNEL_ACCOUNT, "vfnet-intx(%s)", pci_name(pdev));
	if (!name)
		return -ENOMEM;

	pv->ctx = kzalloc(sizeof(*pv->ctx), GFP_KERNEL_ACCOUNT);
	if (!pv->ctx) {
		kfree(name);
		return -ENOMEM;
	}
	pv->num_ctx = 1;
	pv->ctx[0].name = name;
	pv->ctx[0].trigger = trigger;

	/*
	 * Keep a virtually disabled INTx masked.  DisINTx devices are
	 * masked at the device, now.  Others are masked at the interrupt
	 * controller and cannot share the line: their IRQ is requested not
	 * auto-enabled, because request_irq() and then disable_irq() would
	 * let an interrupt in between, whose handler disables the line
	 * too, and the one enable_irq() of the next unmask would leave it
	 * disabled for good.  igate keeps virq_disabled and masked stable
	 * meanwhile.
	 */
	pv->ctx[0].masked = pv->virq_disabled;
	if (pv->pci_2_3)
		pci_intx(pdev, !pv->ctx[0].masked);
	else
		irqflags = pv->ctx[0].masked ? IRQF_NO_AUTOEN : 0;

	/* the handler's sends depend on it: set before the handler runs */
	pv->irq_type = VFIO_PCI_INTX_IRQ_INDEX;

	ret = request_irq(pdev->irq, intx_handler, irqflags, name, pv);
	if (ret) {
		pv->irq_type = VFNET_PCI_IRQ_NONE;
		pv->num_ctx = 0;
		kfree(pv->ctx);
		pv->ctx = NULL;
		kfree(name);
		return ret;
	}
	return 0;
}

/*
 * Replace the trigger; the context owns @trigger (may be NULL) from here.
 * The hard-irq handler and the virqfd inject work may still be signalling
 * the old one: wait for both before dropping our reference, so a user who
 * closes the old eventfd right after the ioctl frees nothing in use
 * (upstream's CVE-2024-26812).  Sends under igate cannot overlap us.
 */
static void intx_set_signal(struct vfnet_pci_device *pv,
			    struct eventfd_ctx *trigger)
{
	struct eventfd_ctx *old = pv->ctx[0].trigger;

	lockdep_assert_held(&pv->igate);
	WRITE_ONCE(pv->ctx[0].trigger, trigger);
	if (old) {
		synchronize_irq(pv->pdev->irq);
		vfnet_virqfd_flush_thread(&pv->ctx[0].unmask);
		eventfd_ctx_put(old);
	}
}

static void intx_disable(struct vfnet_pci_device *pv)
{
	struct vfnet_pci_irq_ctx *ctx = &pv->ctx[0];

	/* no virqfd handler or inject work runs after these */
	vfnet_virqfd_disable(&ctx->unmask);
	vfnet_virqfd_disable(&ctx->mask);
	/* nor the hard-irq handler after this */
	free_irq(pv->pdev->irq, pv);
	if (ctx->trigger)
		eventfd_ctx_put(ctx->trigger);
	kfree(ctx->name);
	pv->irq_type = VFNET_PCI_IRQ_NONE;
	pv->num_ctx = 0;
	kfree(pv->ctx);
	pv->ctx = NULL;
}

static int set_intx_mask(struct vfnet_pci_device *pv, unsigned int index,
			 unsigned int start, unsigned int count, u32 flags,
			 void *data)
{
	if (!vfnet_pci_is_intx(pv) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		intx_mask(pv);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			intx_mask(pv);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		return -ENOTTY;	/* as upstream: no mask eventfd */
	}
	return 0;
}

static int set_intx_unmask(struct vfnet_pci_device *pv, unsigned int index,
			   unsigned int start, unsigned int count, u32 flags,
			   void *data)
{
	if (!vfnet_pci_is_intx(pv) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		intx_unmask(pv);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			intx_unmask(pv);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd = *(s32 *)data;

		if (fd >= 0)
			return vfnet_virqfd_enable(pv, intx_unmask_handler,
						   intx_send_eventfd, NULL,
						   &pv->ctx[0].unmask, fd);
		vfnet_virqfd_disable(&pv->ctx[0].unmask);
	}
	return 0;
}

static int set_intx_trigger(struct vfnet_pci_device *pv, unsigned int index,
			    unsigned int start, unsigned int count, u32 flags,
			    void *data)
{
	if (vfnet_pci_is_intx(pv) && !count &&
	    (flags & VFIO_IRQ_SET_DATA_NONE)) {
		intx_disable(pv);
		return 0;
	}

	if (!(vfnet_pci_is_intx(pv) || pv->irq_type == VFNET_PCI_IRQ_NONE) ||
	    start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		struct eventfd_ctx *trigger = NULL;
		s32 fd = *(s32 *)data;
		int ret = 0;

		/* a negative fd: INTx without (or with no more) eventfd */
		if (fd >= 0) {
			trigger = eventfd_ctx_fdget(fd);
			if (IS_ERR(trigger))
				return PTR_ERR(trigger);
		}

		if (vfnet_pci_is_intx(pv))
			intx_set_signal(pv, trigger);
		else
			ret = intx_enable(pv, trigger);
		if (ret && trigger)
			eventfd_ctx_put(trigger);
		return ret;
	}

	if (!vfnet_pci_is_intx(pv))
		return -EINVAL;

	/* loopback */
	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		intx_send_eventfd(pv, NULL);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			intx_send_eventfd(pv, NULL);
	}
	return 0;
}

/* ---- MSI and MSI-X ---- */

/* @arg is the vector's context; its trigger is set while the irq is */
static irqreturn_t msi_handler(int irq, void *arg)
{
	struct vfnet_pci_irq_ctx *ctx = arg;

	eventfd_signal(ctx->trigger, 1);
	atomic_long_inc(&ctx->signals);
	return IRQ_HANDLED;
}

static int msi_enable(struct vfnet_pci_device *pv, int nvec, bool msix)
{
	struct pci_dev *pdev = pv->pdev;
	unsigned int flag = msix ? PCI_IRQ_MSIX : PCI_IRQ_MSI;
	int ret;
	u16 cmd;

	if (pv->irq_type != VFNET_PCI_IRQ_NONE)
		return -EINVAL;

	pv->ctx = kcalloc(nvec, sizeof(*pv->ctx), GFP_KERNEL_ACCOUNT);
	if (!pv->ctx)
		return -ENOMEM;

	/* MSI-X table writes need memory decode */
	cmd = vfnet_memory_lock_and_enable(pv);
	ret = pci_alloc_irq_vectors(pdev, 1, nvec, flag);
	if (ret < nvec) {
		/* as upstream: a short allocation returns what was possible */
		if (ret > 0)
			pci_free_irq_vectors(pdev);
		vfnet_memory_unlock_and_restore(pv, cmd);
		kfree(pv->ctx);
		pv->ctx = NULL;
		return ret;
	}
	vfnet_memory_unlock_and_restore(pv, cmd);

	pv->num_ctx = nvec;
	pv->irq_type = msix ? VFIO_PCI_MSIX_IRQ_INDEX : VFIO_PCI_MSI_IRQ_INDEX;

	/* the virtual "multiple message enable": log2 of the vectors */
	if (!msix)
		pv->msi_qmax = fls(nvec * 2 - 1) - 1;
	return 0;
}

static int msi_set_vector_signal(struct vfnet_pci_device *pv, int vector,
				 int fd, bool msix)
{
	struct pci_dev *pdev = pv->pdev;
	struct vfnet_pci_irq_ctx *ctx;
	struct eventfd_ctx *trigger;
	int irq, ret;
	u16 cmd;

	if (vector < 0 || vector >= pv->num_ctx)
		return -EINVAL;

	ctx = &pv->ctx[vector];
	irq = pci_irq_vector(pdev, vector);
	if (irq < 0)
		return -EINVAL;

	if (ctx->trigger) {
		cmd = vfnet_memory_lock_and_enable(pv);
		free_irq(irq, ctx);
		vfnet_memory_unlock_and_restore(pv, cmd);
		kfree(ctx->name);
		ctx->name = NULL;
		eventfd_ctx_put(ctx->trigger);
		ctx->trigger = NULL;
	}

	if (fd < 0)
		return 0;

	ctx->name = kasprintf(GFP_KERNEL_ACCOUNT, "vfnet-msi%s[%d](%s)",
			      msix ? "x" : "", vector, pci_name(pdev));
	if (!ctx->name)
		return -ENOMEM;

	trigger = eventfd_ctx_fdget(fd);
	if (IS_ERR(trigger)) {
		kfree(ctx->name);
		ctx->name = NULL;
		return PTR_ERR(trigger);
	}

	/*
	 * A reset the user did behind our back may have cleared the
	 * MSI-X table, which the user cannot write: rewrite the cached
	 * message before enabling the vector.
	 */
	cmd = vfnet_memory_lock_and_enable(pv);
	if (msix) {
		struct msi_msg msg;

		get_cached_msi_msg(irq, &msg);
		pci_write_msi_msg(irq, &msg);
	}
	ctx->trigger = trigger;		/* before the handler can run */
	ret = request_irq(irq, msi_handler, 0, ctx->name, ctx);
	vfnet_memory_unlock_and_restore(pv, cmd);
	if (ret) {
		ctx->trigger = NULL;
		kfree(ctx->name);
		ctx->name = NULL;
		eventfd_ctx_put(trigger);
		return ret;
	}
	return 0;
}

static int msi_set_block(struct vfnet_pci_device *pv, unsigned int start,
			 unsigned int count, s32 *fds, bool msix)
{
	unsigned int i;
	int j, ret = 0;

	if (start >= pv->num_ctx || start + count > pv->num_ctx)
		return -EINVAL;

	for (i = 0, j = start; i < count && !ret; i++, j++) {
		int fd = fds ? fds[i] : -1;

		ret = msi_set_vector_signal(pv, j, fd, msix);
	}

	/* all or nothing */
	if (ret) {
		for (--j; j >= (int)start; j--)
			msi_set_vector_signal(pv, j, -1, msix);
	}
	return ret;
}

static void msi_disable(struct vfnet_pci_device *pv, bool msix)
{
	struct pci_dev *pdev = pv->pdev;
	int i;
	u16 cmd;

	for (i = 0; i < pv->num_ctx; i++) {
		vfnet_virqfd_disable(&pv->ctx[i].unmask);
		vfnet_virqfd_disable(&pv->ctx[i].mask);
	}

	msi_set_block(pv, 0, pv->num_ctx, NULL, msix);

	cmd = vfnet_memory_lock_and_enable(pv);
	pci_free_irq_vectors(pdev);
	vfnet_memory_unlock_and_restore(pv, cmd);

	/* freeing the vectors cleared DisINTx: hidden INTx stays off */
	if (pv->nointx)
		pci_intx(pdev, 0);

	pv->irq_type = VFNET_PCI_IRQ_NONE;
	pv->num_ctx = 0;
	kfree(pv->ctx);
	pv->ctx = NULL;
}

static int set_msi_trigger(struct vfnet_pci_device *pv, unsigned int index,
			   unsigned int start, unsigned int count, u32 flags,
			   void *data)
{
	bool msix = index == VFIO_PCI_MSIX_IRQ_INDEX;
	unsigned int i;

	if (pv->irq_type == index && !count &&
	    (flags & VFIO_IRQ_SET_DATA_NONE)) {
		msi_disable(pv, msix);
		return 0;
	}

	if (!(pv->irq_type == index || pv->irq_type == VFNET_PCI_IRQ_NONE))
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 *fds = data;
		int ret;

		if (pv->irq_type == index)
			return msi_set_block(pv, start, count, fds, msix);

		ret = msi_enable(pv, start + count, msix);
		if (ret)
			return ret;

		ret = msi_set_block(pv, start, count, fds, msix);
		if (ret)
			msi_disable(pv, msix);
		return ret;
	}

	if (pv->irq_type != index || start + count > pv->num_ctx)
		return -EINVAL;

	/* loopback */
	for (i = start; i < start + count; i++) {
		if (!pv->ctx[i].trigger)
			continue;
		if (flags & VFIO_IRQ_SET_DATA_NONE) {
			eventfd_signal(pv->ctx[i].trigger, 1);
			atomic_long_inc(&pv->ctx[i].signals);
		} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
			u8 *bools = data;

			if (bools[i - start]) {
				eventfd_signal(pv->ctx[i].trigger, 1);
				atomic_long_inc(&pv->ctx[i].signals);
			}
		}
	}
	return 0;
}

/* ---- ERR and REQ: one eventfd each ---- */

static int set_ctx_trigger_single(struct eventfd_ctx **ctx,
				  unsigned int count, u32 flags, void *data)
{
	/* DATA_NONE and DATA_BOOL are loopback tests */
	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		if (*ctx) {
			if (count) {
				eventfd_signal(*ctx, 1);
			} else {
				eventfd_ctx_put(*ctx);
				*ctx = NULL;
			}
			return 0;
		}
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (!count)
			return -EINVAL;
		if (*(u8 *)data && *ctx)
			eventfd_signal(*ctx, 1);
		return 0;
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd;

		if (!count)
			return -EINVAL;

		fd = *(s32 *)data;
		if (fd == -1) {
			if (*ctx)
				eventfd_ctx_put(*ctx);
			*ctx = NULL;
		} else if (fd >= 0) {
			struct eventfd_ctx *efdctx = eventfd_ctx_fdget(fd);

			if (IS_ERR(efdctx))
				return PTR_ERR(efdctx);
			if (*ctx)
				eventfd_ctx_put(*ctx);
			*ctx = efdctx;
		}
		return 0;
	}
	return -EINVAL;
}

static int set_err_trigger(struct vfnet_pci_device *pv, unsigned int index,
			   unsigned int start, unsigned int count, u32 flags,
			   void *data)
{
	if (start != 0 || count > 1)
		return -EINVAL;
	return set_ctx_trigger_single(&pv->err_trigger, count, flags, data);
}

static int set_req_trigger(struct vfnet_pci_device *pv, unsigned int index,
			   unsigned int start, unsigned int count, u32 flags,
			   void *data)
{
	if (start != 0 || count > 1)
		return -EINVAL;
	return set_ctx_trigger_single(&pv->req_trigger, count, flags, data);
}

/* ---- entry points ---- */

int vfnet_pci_irq_count(struct vfnet_pci_device *pv, int index)
{
	struct pci_dev *pdev = pv->pdev;
	u16 flags;
	u8 pin;

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (pv->nointx || pdev->is_virtfn)
			return 0;
		pci_read_config_byte(pdev, PCI_INTERRUPT_PIN, &pin);
		return pin ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		if (!pdev->msi_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS,
				     &flags);
		return 1 << ((flags & PCI_MSI_FLAGS_QMASK) >> 1);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (!pdev->msix_cap)
			return 0;
		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS,
				     &flags);
		return (flags & PCI_MSIX_FLAGS_QSIZE) + 1;
	case VFIO_PCI_ERR_IRQ_INDEX:
		return pci_is_pcie(pdev) ? 1 : 0;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	}
	return 0;
}

/* Dispatch one SET_IRQS; the caller holds igate and checked the ranges */
int vfnet_pci_set_irqs(struct vfnet_pci_device *pv, u32 flags,
		       unsigned int index, unsigned int start,
		       unsigned int count, void *data)
{
	int (*func)(struct vfnet_pci_device *pv, unsigned int index,
		    unsigned int start, unsigned int count, u32 flags,
		    void *data) = NULL;

	lockdep_assert_held(&pv->igate);

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		switch (flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
		case VFIO_IRQ_SET_ACTION_MASK:
			func = set_intx_mask;
			break;
		case VFIO_IRQ_SET_ACTION_UNMASK:
			func = set_intx_unmask;
			break;
		case VFIO_IRQ_SET_ACTION_TRIGGER:
			func = set_intx_trigger;
			break;
		}
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		/* per-vector mask/unmask is not offered, as upstream */
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER)
			func = set_msi_trigger;
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER && pci_is_pcie(pv->pdev))
			func = set_err_trigger;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER)
			func = set_req_trigger;
		break;
	}

	if (!func)
		return -ENOTTY;
	return func(pv, index, start, count, flags, data);
}
