/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Config fuzz: random config writes (offset, width, value) through the
 * device fd, then check that the hardware BARs did not move, MSI-X is
 * still the kernel's, and the device still answers a register read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <linux/pci_regs.h>

#include "pci_tests.h"

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: reproducible from the printed seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* A register read that must look sane after the fuzz */
static int device_answers(struct dev_ctx *c, uint32_t *out)
{
	uint16_t vendor = cfg_read16(&c->v, PCI_VENDOR_ID);
	uint16_t dev = cfg_read16(&c->v, PCI_DEVICE_ID);
	uint32_t val = 0xffffffff;
	int pos, bar = -1, len = 4;
	uint64_t off = 0;

	if (vendor == 0x8086 && dev == 0x10d3) {
		bar = 0;
		off = 0x8;		/* STATUS */
	} else if (vendor == 0x15ad && dev == 0x07b0) {
		bar = 1;
		off = 0x0;		/* VRRS: revision report */
	} else if (vendor == 0x1af4) {
		/* virtio: common config, num_queues (virtio 1.x 4.1.4.3) */
		pos = cfg_read8(&c->v, PCI_CAPABILITY_LIST) & ~3;
		while (pos >= 0x40) {
			if (cfg_read8(&c->v, pos) == PCI_CAP_ID_VNDR &&
			    cfg_read8(&c->v, pos + 3) == 1) {
				bar = cfg_read8(&c->v, pos + 4);
				off = cfg_read32(&c->v, pos + 8) + 0x12;
				len = 2;
				val = 0;
				break;
			}
			pos = cfg_read8(&c->v, pos + 1) & ~3;
		}
	}
	if (bar < 0) {
		for (bar = 0; bar < 6; bar++)
			if (c->bar_is_mem[bar] && bar != c->msix_bar)
				break;
		if (bar == 6)
			return -1;
	}
	if (pread(c->v.device, &val, len, REGION_OFF(bar) + off) != len)
		return -1;
	*out = val;
	if (len == 2)	/* virtio num_queues: at least rx and tx */
		return val >= 2 && val != 0xffff ? 0 : -1;
	return val == 0xffffffff ? -1 : 0;
}

void test_fuzz(struct dev_ctx *c, int n)
{
	uint8_t before[4096], after[4096];
	int i, ret, bad = 0, pm, msix, efd;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	uint32_t val;

	if (n <= 0)
		n = 100000;
	for (i = 0; i < 6; i++) {
		uint64_t fl;

		c->bar_size[i] = sysfs_resource_size(c->v.bdf, i, &fl);
		c->bar_is_mem[i] = c->bar_size[i] && (fl & 0x200);
	}
	ret = sysfs_config(c->v.bdf, before, sizeof(before));
	TAP_CHECK(ret >= 256, "sysfs config: %d", ret);
	TAP_CHECK(device_answers(c, &val) == 0, "device does not answer before the fuzz");

	rng_state = seed | 1;
	tap_diag("info: %s fuzz seed %#llx, %d writes", c->v.bdf, (unsigned long long)rng_state, n);
	for (i = 0; i < n; i++) {
		static const int widths[] = { 1, 2, 4 };
		int w = widths[rng() % 3];
		int off = rng() % (c->cfg_size - w + 1);
		uint32_t v = rng();

		ret = cfg_write(&c->v, off, &v, w);
		if (ret != w) {
			if (bad++ < 5)
				tap_diag("note: write %d bytes @%#x = %#x: %d (%s)", w, off, v,
				       ret, strerror(errno));
		}
	}
	TAP_CHECK(bad == 0, "%d of %d config writes failed", bad, n);

	/* the user puts the device back to D0 with memory decode on */
	pm = vfio_find_cap(&c->v, PCI_CAP_ID_PM);
	if (pm)
		cfg_write16(&c->v, pm + PCI_PM_CTRL, 0);
	cfg_write16(&c->v, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);

	ret = sysfs_config(c->v.bdf, after, sizeof(after));
	TAP_CHECK(ret >= 256, "sysfs config after: %d", ret);
	TAP_CHECK(!memcmp(before + PCI_BASE_ADDRESS_0, after + PCI_BASE_ADDRESS_0, 24),
	      "hardware BARs changed");
	for (i = 0; i < 6; i++) {
		uint32_t b, a;

		memcpy(&b, before + PCI_BASE_ADDRESS_0 + 4 * i, 4);
		memcpy(&a, after + PCI_BASE_ADDRESS_0 + 4 * i, 4);
		if (a != b)
			tap_diag("note: BAR%d %#x -> %#x", i, b, a);
	}
	TAP_CHECK((*(uint32_t *)(before + PCI_ROM_ADDRESS) & ~1u) ==
	      (*(uint32_t *)(after + PCI_ROM_ADDRESS) & ~1u), "hardware ROM BAR changed");

	msix = vfio_find_cap(&c->v, PCI_CAP_ID_MSIX);
	if (msix) {
		uint16_t f;

		memcpy(&f, after + msix + PCI_MSIX_FLAGS, 2);
		TAP_CHECK(!(f & PCI_MSIX_FLAGS_ENABLE), "MSI-X enabled behind the driver: %#x", f);
		/* and the driver can still use it */
		efd = eventfd(0, EFD_NONBLOCK);
		ret = set_irqs_eventfd(&c->v, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, &efd);
		TAP_CHECK(ret == 0, "MSI-X enable after fuzz: %d", ret);
		ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			       VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, NULL, 0);
		TAP_CHECK(ret == 0 && eventfd_wait(efd, 1000) == 1, "MSI-X loopback after fuzz");
		sysfs_config(c->v.bdf, after, sizeof(after));
		memcpy(&f, after + msix + PCI_MSIX_FLAGS, 2);
		TAP_CHECK(f & PCI_MSIX_FLAGS_ENABLE, "MSI-X not enabled by SET_IRQS: %#x", f);
		set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			 VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, NULL, 0);
		close(efd);
	}

	ret = device_answers(c, &val);
	TAP_CHECK(ret == 0, "device register read after fuzz: %#x", val);
	tap_diag("info: %s register read after fuzz: %#x", c->v.bdf, val);
}
