// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnet PCI bus driver: virqfd, a handler run when an eventfd fires.
 *
 * Used for the INTx "unmask eventfd": a hypervisor wires the guest's EOI
 * to an eventfd, and signalling it unmasks the line without a trip
 * through user space.  We hook a wait-queue entry into the eventfd; the
 * handler runs in the wakeup (atomic context, the eventfd's lock held), and
 * anything that would signal an eventfd in turn is deferred to a work
 * item.  Closing the eventfd (EPOLLHUP) or disabling tears it down from a
 * workqueue, which disable flushes so the caller can free what the
 * handler uses.
 *
 * Follows upstream drivers/vfio/virqfd.c (Linux 6.1.y); the code is our
 * own.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "pci_private.h"

struct vfnet_virqfd {
	void *opaque;
	struct eventfd_ctx *eventfd;
	int (*handler)(void *opaque, void *data);
	void (*thread)(void *opaque, void *data);
	void *data;
	struct work_struct inject;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct shutdown;
	struct work_struct flush_inject;
	struct vfnet_virqfd **pvirqfd;
};

static struct workqueue_struct *vfnet_irqfd_cleanup_wq;
static DEFINE_SPINLOCK(virqfd_lock);

int __init vfnet_virqfd_init(void)
{
	vfnet_irqfd_cleanup_wq = create_singlethread_workqueue("vfnet-irqfd-cleanup");
	return vfnet_irqfd_cleanup_wq ? 0 : -ENOMEM;
}

void vfnet_virqfd_exit(void)
{
	destroy_workqueue(vfnet_irqfd_cleanup_wq);
}

static void virqfd_deactivate(struct vfnet_virqfd *virqfd)
{
	queue_work(vfnet_irqfd_cleanup_wq, &virqfd->shutdown);
}

static int virqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			 int sync, void *key)
{
	struct vfnet_virqfd *virqfd = container_of(wait, struct vfnet_virqfd,
						   wait);
	__poll_t flags = key_to_poll(key);

	if (flags & EPOLLIN) {
		u64 cnt;

		eventfd_ctx_do_read(virqfd->eventfd, &cnt);
		/* the handler runs here, in the eventfd's wakeup */
		if ((!virqfd->handler ||
		     virqfd->handler(virqfd->opaque, virqfd->data)) &&
		    virqfd->thread)
			schedule_work(&virqfd->inject);
	}

	if (flags & EPOLLHUP) {
		unsigned long irqflags;

		spin_lock_irqsave(&virqfd_lock, irqflags);
		/* the eventfd is closing: if still ours, tear down */
		if (*virqfd->pvirqfd == virqfd) {
			*virqfd->pvirqfd = NULL;
			virqfd_deactivate(virqfd);
		}
		spin_unlock_irqrestore(&virqfd_lock, irqflags);
	}
	return 0;
}

static void virqfd_ptable_queue_proc(struct file *file,
				     wait_queue_head_t *wqh, poll_table *pt)
{
	struct vfnet_virqfd *virqfd = container_of(pt, struct vfnet_virqfd,
						   pt);

	add_wait_queue(wqh, &virqfd->wait);
}

static void virqfd_shutdown(struct work_struct *work)
{
	struct vfnet_virqfd *virqfd = container_of(work, struct vfnet_virqfd,
						   shutdown);
	u64 cnt;

	eventfd_ctx_remove_wait_queue(virqfd->eventfd, &virqfd->wait, &cnt);
	flush_work(&virqfd->inject);
	eventfd_ctx_put(virqfd->eventfd);
	kfree(virqfd);
}

static void virqfd_inject(struct work_struct *work)
{
	struct vfnet_virqfd *virqfd = container_of(work, struct vfnet_virqfd,
						   inject);

	if (virqfd->thread)
		virqfd->thread(virqfd->opaque, virqfd->data);
}

/* Runs on the cleanup workqueue, so before any later shutdown frees us */
static void virqfd_flush_inject(struct work_struct *work)
{
	struct vfnet_virqfd *virqfd = container_of(work, struct vfnet_virqfd,
						   flush_inject);

	flush_work(&virqfd->inject);
}

int vfnet_virqfd_enable(void *opaque,
			       int (*handler)(void *, void *),
			       void (*thread)(void *, void *),
			       void *data, struct vfnet_virqfd **pvirqfd,
			       int fd)
{
	struct vfnet_virqfd *virqfd;
	struct eventfd_ctx *ctx;
	struct fd irqfd;
	__poll_t events;
	int ret;

	virqfd = kzalloc(sizeof(*virqfd), GFP_KERNEL_ACCOUNT);
	if (!virqfd)
		return -ENOMEM;

	virqfd->pvirqfd = pvirqfd;
	virqfd->opaque = opaque;
	virqfd->handler = handler;
	virqfd->thread = thread;
	virqfd->data = data;
	INIT_WORK(&virqfd->shutdown, virqfd_shutdown);
	INIT_WORK(&virqfd->inject, virqfd_inject);
	INIT_WORK(&virqfd->flush_inject, virqfd_flush_inject);

	irqfd = fdget(fd);
	if (!irqfd.file) {
		ret = -EBADF;
		goto err_free;
	}

	ctx = eventfd_ctx_fileget(irqfd.file);
	if (IS_ERR(ctx)) {
		ret = PTR_ERR(ctx);
		goto err_fdput;
	}
	virqfd->eventfd = ctx;

	/* only one virqfd per slot: the user must disable first */
	spin_lock_irq(&virqfd_lock);
	if (*pvirqfd) {
		spin_unlock_irq(&virqfd_lock);
		ret = -EBUSY;
		goto err_put_ctx;
	}
	*pvirqfd = virqfd;
	spin_unlock_irq(&virqfd_lock);

	init_waitqueue_func_entry(&virqfd->wait, virqfd_wakeup);
	init_poll_funcptr(&virqfd->pt, virqfd_ptable_queue_proc);

	events = vfs_poll(irqfd.file, &virqfd->pt);

	/* already signalled before we were hooked in? */
	if (events & EPOLLIN) {
		if ((!handler || handler(opaque, data)) && thread)
			schedule_work(&virqfd->inject);
	}

	fdput(irqfd);
	return 0;

err_put_ctx:
	eventfd_ctx_put(ctx);
err_fdput:
	fdput(irqfd);
err_free:
	kfree(virqfd);
	return ret;
}

void vfnet_virqfd_disable(struct vfnet_virqfd **pvirqfd)
{
	unsigned long flags;

	spin_lock_irqsave(&virqfd_lock, flags);
	if (*pvirqfd) {
		virqfd_deactivate(*pvirqfd);
		*pvirqfd = NULL;
	}
	spin_unlock_irqrestore(&virqfd_lock, flags);

	/* a running shutdown must be done before the caller goes on */
	flush_workqueue(vfnet_irqfd_cleanup_wq);
}

/**
 * vfnet_virqfd_flush_thread - wait for the thread (inject) work of the
 * virqfd in @pvirqfd, if any, to finish
 * @pvirqfd: the slot
 *
 * For a caller that is about to free what the thread function uses (an
 * old trigger eventfd) while the virqfd itself stays.  The virqfd may be
 * torn down concurrently by its eventfd closing (EPOLLHUP), so we cannot
 * flush its inject work from here: a flush work queued under virqfd_lock
 * on the ordered cleanup workqueue runs before any shutdown queued after
 * it, and a shutdown queued before it flushes inject itself; waiting for
 * the whole workqueue covers both.
 */
void vfnet_virqfd_flush_thread(struct vfnet_virqfd **pvirqfd)
{
	unsigned long flags;

	spin_lock_irqsave(&virqfd_lock, flags);
	if (*pvirqfd && (*pvirqfd)->thread)
		queue_work(vfnet_irqfd_cleanup_wq, &(*pvirqfd)->flush_inject);
	spin_unlock_irqrestore(&virqfd_lock, flags);

	flush_workqueue(vfnet_irqfd_cleanup_wq);
}
