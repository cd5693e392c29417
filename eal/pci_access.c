/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Config space and BAR access through the VFIO device fd (pread/pwrite at
 * the region offset), bus mastering, capabilities, reset.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "eal_private.h"
#include "pci_private.h"

static int region_rw(const struct vfn_pci_device *dev, unsigned int index,
		     void *buf, size_t len, off_t offset, int write)
{
	const struct pci_region *r;
	ssize_t n;

	if (!dev || dev->vfio_dev_fd < 0 || index >= PCI_NUM_REGIONS)
		return -EINVAL;
	r = &pci_priv(dev)->region[index];
	if (offset < 0 || (uint64_t)offset + len > r->size)
		return -EINVAL;
	if (write)
		n = pwrite(dev->vfio_dev_fd, buf, len, (off_t)r->offset + offset);
	else
		n = pread(dev->vfio_dev_fd, buf, len, (off_t)r->offset + offset);
	return n < 0 ? -errno : (int)n;
}

int vfn_pci_read_config(const struct vfn_pci_device *dev, void *buf,
			size_t len, off_t offset)
{
	return region_rw(dev, VFIO_PCI_CONFIG_REGION_INDEX, buf, len, offset, 0);
}

int vfn_pci_write_config(const struct vfn_pci_device *dev, const void *buf,
			 size_t len, off_t offset)
{
	return region_rw(dev, VFIO_PCI_CONFIG_REGION_INDEX, (void *)buf, len,
			 offset, 1);
}

int vfn_pci_bar_read(const struct vfn_pci_device *dev, int bar, void *buf,
		     size_t len, off_t offset)
{
	if (bar < 0 || bar >= VFN_PCI_MAX_BARS)
		return -EINVAL;
	return region_rw(dev, (unsigned int)bar, buf, len, offset, 0);
}

int vfn_pci_bar_write(const struct vfn_pci_device *dev, int bar,
		      const void *buf, size_t len, off_t offset)
{
	if (bar < 0 || bar >= VFN_PCI_MAX_BARS)
		return -EINVAL;
	return region_rw(dev, (unsigned int)bar, (void *)buf, len, offset, 1);
}

/*
 * Why bus mastering could not be enabled, and what to do about it.
 * (Disabling is best-effort teardown, often after this very failure:
 * it stays quiet so as not to replace the first cause.)
 */
static void bus_master_error(const struct vfn_pci_device *dev, int err)
{
	if (!dev || dev->vfio_dev_fd < 0) {
		eal_error("%s: cannot enable bus mastering: the device is not open through VFIO; bind it to vfio-pci or vfnet-pci (apps/bind/vfnet-bind) and let the EAL probe it (-a %s)",
			  dev ? dev->name : "(null)", dev ? dev->name : "BDF");
		return;
	}
	eal_error("%s: cannot enable bus mastering: access to the PCI command register failed (%s); check that the device is still present (lspci -s %s) and bound to vfio-pci or vfnet-pci, and dmesg for the kernel's reason",
		  dev->name, strerror(-err), dev->name);
}

int vfn_pci_set_bus_master(const struct vfn_pci_device *dev, int enable)
{
	uint16_t cmd;
	int ret = vfn_pci_read_config(dev, &cmd, sizeof(cmd), PCI_COMMAND);

	if (ret >= 0 && ret != sizeof(cmd))
		ret = -EIO;
	if (ret < 0)
		goto err;
	if (enable)
		cmd |= PCI_COMMAND_MASTER;
	else
		cmd &= (uint16_t)~PCI_COMMAND_MASTER;
	ret = vfn_pci_write_config(dev, &cmd, sizeof(cmd), PCI_COMMAND);
	if (ret >= 0 && ret != sizeof(cmd))
		ret = -EIO;
	if (ret < 0)
		goto err;
	return 0;
err:
	if (enable)
		bus_master_error(dev, ret);
	return ret;
}

int vfn_pci_find_capability(const struct vfn_pci_device *dev, uint8_t cap_id)
{
	uint16_t status;
	uint8_t pos, hdr[2];
	int ret, guard = 48; /* at most 48 capabilities fit in 256 bytes */

	ret = vfn_pci_read_config(dev, &status, sizeof(status), PCI_STATUS);
	if (ret < 0)
		return ret;
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	ret = vfn_pci_read_config(dev, &pos, 1, PCI_CAPABILITY_LIST);
	if (ret < 0)
		return ret;
	while (pos >= 0x40 && guard--) {
		pos &= ~3;
		ret = vfn_pci_read_config(dev, hdr, 2, pos);
		if (ret < 0)
			return ret;
		if (hdr[0] == 0xff)
			return 0;
		if (hdr[0] == cap_id)
			return pos;
		pos = hdr[1];
	}
	return 0;
}

int vfn_pci_reset(const struct vfn_pci_device *dev)
{
	if (!dev || dev->vfio_dev_fd < 0)
		return -EINVAL;
	if (!(pci_priv(dev)->dev_flags & VFIO_DEVICE_FLAGS_RESET))
		return -ENOTSUP;
	return ioctl(dev->vfio_dev_fd, VFIO_DEVICE_RESET) ? -errno : 0;
}
