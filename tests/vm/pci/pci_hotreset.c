/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hot (secondary bus / slot) reset through VFIO on a device that sits alone
 * below a PCIe root port: GET_PCI_HOT_RESET_INFO and PCI_HOT_RESET argument
 * checks, a real reset with the right group fd, and the device still
 * answering afterwards.  The same program runs against vfnet and upstream
 * vfio-pci; upstream's results are the reference.
 *
 * usage: pci_hotreset CONTAINER GROUPDIR BDF
 * Reports in TAP (tests/lib/vfn_tap.h); exits 1 if a check failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/pci_regs.h>

#include "vfio_open.h"

/* ioctl result as 0 or -errno */
static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

static int parse_bdf(const char *bdf, unsigned int *seg, unsigned int *bus,
		     unsigned int *devfn)
{
	unsigned int d, f;

	if (sscanf(bdf, "%x:%x:%x.%x", seg, bus, &d, &f) != 4)
		return -1;
	*devfn = (d << 3) | f;
	return 0;
}

static void test_info(struct vfio_dev *v)
{
	struct {
		struct vfio_pci_hot_reset_info hdr;
		struct vfio_pci_dependent_device dev[8];
	} info;
	unsigned int seg, bus, devfn;
	int ret;

	/* argsz shorter than the header */
	memset(&info, 0, sizeof(info));
	info.hdr.argsz = offsetof(struct vfio_pci_hot_reset_info, count);
	ret = xioctl(v->device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info);
	TAP_EQ(ret, -EINVAL, "info: short argsz is -EINVAL");

	/* header only: -ENOSPC and the count needed */
	memset(&info, 0, sizeof(info));
	info.hdr.argsz = sizeof(info.hdr);
	ret = xioctl(v->device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info);
	TAP_EQ(ret, -ENOSPC, "info: header-only argsz is -ENOSPC");
	TAP_EQ((int)info.hdr.count, 1, "info: header-only reports count 1");

	/* full */
	memset(&info, 0, sizeof(info));
	info.hdr.argsz = sizeof(info);
	ret = xioctl(v->device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info);
	TAP_EQ(ret, 0, "info: full argsz succeeds");
	TAP_EQ((int)info.hdr.count, 1, "info: count 1");
	if (parse_bdf(v->bdf, &seg, &bus, &devfn)) {
		TAP_CHECK(0, "info: parse BDF %s", v->bdf);
		return;
	}
	if (!TAP_CHECK(info.dev[0].segment == seg && info.dev[0].bus == bus &&
		       info.dev[0].devfn == devfn, "info: entry names this device"))
		tap_diag("got bus %d devfn %d", info.dev[0].bus, info.dev[0].devfn);
	TAP_EQ((int)info.dev[0].group_id, v->group_id, "info: entry has this device's group");
}

static int hot_reset(struct vfio_dev *v, uint32_t count, const int32_t *fds)
{
	struct {
		struct vfio_pci_hot_reset hdr;
		int32_t fds[4];
	} rst;

	memset(&rst, 0, sizeof(rst));
	rst.hdr.argsz = sizeof(rst);
	rst.hdr.count = count;
	if (count)
		memcpy(rst.fds, fds, count * sizeof(*fds));
	return xioctl(v->device, VFIO_DEVICE_PCI_HOT_RESET, &rst);
}

static int bar0_read32(struct vfio_dev *v, uint32_t off, uint32_t *val)
{
	return pread(v->device, val, 4, REGION_OFF(VFIO_PCI_BAR0_REGION_INDEX) +
		     off) == 4 ? 0 : -1;
}

static void test_reset(struct vfio_dev *v)
{
	uint16_t vendor_before, device_before, cmd_before;
	uint32_t status = 0;
	int32_t fd;
	int ret, null_fd;

	vendor_before = cfg_read16(v, PCI_VENDOR_ID);
	device_before = cfg_read16(v, PCI_DEVICE_ID);
	/* enable memory so that BAR0 can be read before and after */
	cmd_before = cfg_read16(v, PCI_COMMAND);
	cfg_write16(v, PCI_COMMAND, cmd_before | PCI_COMMAND_MEMORY);
	cmd_before = cfg_read16(v, PCI_COMMAND);
	ret = bar0_read32(v, 0x8, &status);
	if (!TAP_CHECK(ret == 0 && status != 0xffffffff, "BAR0 STATUS readable before"))
		tap_diag("read %d, STATUS 0x%x", ret, (int)status);

	ret = hot_reset(v, 0, NULL);
	TAP_EQ(ret, -EINVAL, "reset: count 0 is -EINVAL");

	fd = 100000;	/* not open */
	ret = hot_reset(v, 1, &fd);
	TAP_EQ(ret, -EBADF, "reset: bogus fd is -EBADF");

	fd = -1;
	ret = hot_reset(v, 1, &fd);
	TAP_EQ(ret, -EBADF, "reset: fd -1 is -EBADF");

	null_fd = open("/dev/null", O_RDWR);
	fd = null_fd;
	ret = hot_reset(v, 1, &fd);
	TAP_EQ(ret, -EINVAL, "reset: /dev/null fd is -EINVAL");

	/* the device fd is not a group fd either */
	fd = v->device;
	ret = hot_reset(v, 1, &fd);
	TAP_EQ(ret, -EINVAL, "reset: device fd is -EINVAL");

	/* more fds than affected devices */
	{
		int32_t two[2] = { v->group, v->group };

		ret = hot_reset(v, 2, two);
		TAP_EQ(ret, -EINVAL, "reset: count > affected is -EINVAL");
	}

	fd = v->group;
	ret = hot_reset(v, 1, &fd);
	TAP_EQ(ret, 0, "reset: right group fd succeeds");

	if (!TAP_CHECK(cfg_read16(v, PCI_VENDOR_ID) == vendor_before &&
		       cfg_read16(v, PCI_DEVICE_ID) == device_before,
		       "config: vendor/device after reset"))
		tap_diag("got %x:%x", cfg_read16(v, PCI_VENDOR_ID),
			 cfg_read16(v, PCI_DEVICE_ID));
	TAP_EQ(cfg_read16(v, PCI_COMMAND), cmd_before,
	       "config: command restored after reset");

	status = 0;
	ret = bar0_read32(v, 0x8, &status);
	if (!TAP_CHECK(ret == 0 && status != 0xffffffff && status != 0,
		       "BAR0 STATUS sane after reset"))
		tap_diag("read %d, STATUS 0x%x", ret, (int)status);

	if (null_fd >= 0)
		close(null_fd);
}

int main(int argc, char **argv)
{
	struct vfio_dev v;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 4) {
		fprintf(stderr, "usage: %s CONTAINER GROUPDIR BDF\n", argv[0]);
		return 2;
	}
	if (vfio_dev_open(&v, argv[1], argv[2], argv[3]))
		tap_bail("open %s through %s", argv[3], argv[1]);
	test_info(&v);
	test_reset(&v);
	vfio_dev_close(&v);
	return tap_done();
}
