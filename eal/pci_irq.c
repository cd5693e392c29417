/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts as eventfds: VFIO_DEVICE_SET_IRQS with DATA_EVENTFD |
 * ACTION_TRIGGER hands the kernel one eventfd per vector; the kernel
 * signals it when the device raises the vector.  INTx is automasked on
 * each interrupt and must be unmasked after handling.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "eal_private.h"
#include "pci_private.h"

static int set_irqs(const struct vfn_pci_device *dev, uint32_t index,
		    uint32_t flags, uint32_t start, uint32_t count,
		    const int *fds)
{
	size_t sz = sizeof(struct vfio_irq_set) + (fds ? count * sizeof(int) : 0);
	struct vfio_irq_set *s = calloc(1, sz);
	int ret;

	if (!s)
		return -ENOMEM;
	s->argsz = (uint32_t)sz;
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (fds)
		memcpy(s->data, fds, count * sizeof(int));
	ret = ioctl(dev->vfio_dev_fd, VFIO_DEVICE_SET_IRQS, s) ? -errno : 0;
	free(s);
	return ret;
}

int vfn_pci_msix_enable(struct vfn_pci_device *dev, unsigned int nvec,
			int *efds)
{
	struct eal_pci_dev *pd;
	int *fds, ret;

	if (!dev || dev->vfio_dev_fd < 0 || !nvec || !efds)
		return -EINVAL;
	pd = pci_priv(dev);
	if (nvec > pd->msix_count)
		return -EINVAL;
	if (pd->msix_n)
		return -EBUSY;
	fds = calloc(nvec, sizeof(int));
	if (!fds)
		return -ENOMEM;
	for (unsigned int i = 0; i < nvec; i++) {
		fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (fds[i] < 0) {
			ret = -errno;
			while (i--)
				close(fds[i]);
			free(fds);
			return ret;
		}
	}
	ret = set_irqs(dev, VFIO_PCI_MSIX_IRQ_INDEX,
		       VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       0, nvec, fds);
	if (ret) {
		for (unsigned int i = 0; i < nvec; i++)
			close(fds[i]);
		free(fds);
		return ret;
	}
	memcpy(efds, fds, nvec * sizeof(int));
	pd->msix_efds = fds;
	pd->msix_n = nvec;
	return 0;
}

int vfn_pci_msix_disable(struct vfn_pci_device *dev)
{
	struct eal_pci_dev *pd;
	int ret;

	if (!dev || dev->vfio_dev_fd < 0)
		return -EINVAL;
	pd = pci_priv(dev);
	if (!pd->msix_n)
		return 0;
	ret = set_irqs(dev, VFIO_PCI_MSIX_IRQ_INDEX,
		       VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       0, 0, NULL);
	for (unsigned int i = 0; i < pd->msix_n; i++)
		close(pd->msix_efds[i]);
	free(pd->msix_efds);
	pd->msix_efds = NULL;
	pd->msix_n = 0;
	return ret;
}

int vfn_pci_intx_enable(struct vfn_pci_device *dev, int *efd)
{
	struct eal_pci_dev *pd;
	int fd, ret;

	if (!dev || dev->vfio_dev_fd < 0 || !efd)
		return -EINVAL;
	pd = pci_priv(dev);
	if (pd->intx_efd >= 0)
		return -EBUSY;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = set_irqs(dev, VFIO_PCI_INTX_IRQ_INDEX,
		       VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       0, 1, &fd);
	if (ret) {
		close(fd);
		return ret;
	}
	pd->intx_efd = fd;
	*efd = fd;
	return 0;
}

int vfn_pci_intx_unmask(struct vfn_pci_device *dev)
{
	if (!dev || dev->vfio_dev_fd < 0)
		return -EINVAL;
	return set_irqs(dev, VFIO_PCI_INTX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
			0, 1, NULL);
}

int vfn_pci_intx_disable(struct vfn_pci_device *dev)
{
	struct eal_pci_dev *pd;
	int ret;

	if (!dev || dev->vfio_dev_fd < 0)
		return -EINVAL;
	pd = pci_priv(dev);
	if (pd->intx_efd < 0)
		return 0;
	ret = set_irqs(dev, VFIO_PCI_INTX_IRQ_INDEX,
		       VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       0, 0, NULL);
	close(pd->intx_efd);
	pd->intx_efd = -1;
	return ret;
}
