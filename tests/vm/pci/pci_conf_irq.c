/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt checks: VFIO_DEVICE_GET_IRQ_INFO / SET_IRQS semantics with
 * loopback triggers for every vector, reset, and (e1000e) interrupts the
 * device really raises.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "pci_tests.h"

#define MAX_VEC 64

static int irq_info(struct dev_ctx *c, uint32_t index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(c->v.device, VFIO_DEVICE_GET_IRQ_INFO, info) ? -errno : 0;
}

static int irq_count(struct dev_ctx *c, uint32_t index)
{
	struct vfio_irq_info info;

	return irq_info(c, index, &info) ? 0 : (int)info.count;
}

void test_irq_info(struct dev_ctx *c)
{
	struct vfio_irq_info info;
	int ret, msi, msix, exp, pin;

	pin = cfg_read8(&c->v, PCI_INTERRUPT_PIN);
	ret = irq_info(c, VFIO_PCI_INTX_IRQ_INDEX, &info);
	TAP_CHECK(ret == 0 && info.count == (pin ? 1u : 0u), "INTx info ret %d count %u pin %d",
	      ret, info.count, pin);
	TAP_CHECK(info.flags == (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
			     VFIO_IRQ_INFO_AUTOMASKED), "INTx flags %#x", info.flags);

	msi = vfio_find_cap(&c->v, PCI_CAP_ID_MSI);
	ret = irq_info(c, VFIO_PCI_MSI_IRQ_INDEX, &info);
	TAP_CHECK(ret == 0, "MSI info %d", ret);
	TAP_CHECK(info.flags == (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE),
	      "MSI flags %#x", info.flags);
	if (msi) {
		uint8_t cfg[256];
		uint16_t f;

		sysfs_config(c->v.bdf, cfg, sizeof(cfg));
		memcpy(&f, cfg + msi + PCI_MSI_FLAGS, 2);
		TAP_CHECK(info.count == 1u << ((f & PCI_MSI_FLAGS_QMASK) >> 1),
		      "MSI count %u, flags %#x", info.count, f);
	} else {
		TAP_CHECK(info.count == 0, "MSI count %u without MSI", info.count);
	}

	msix = vfio_find_cap(&c->v, PCI_CAP_ID_MSIX);
	ret = irq_info(c, VFIO_PCI_MSIX_IRQ_INDEX, &info);
	TAP_CHECK(ret == 0 && info.count == (msix ? c->msix_len / 16 : 0),
	      "MSI-X info ret %d count %u", ret, info.count);
	TAP_CHECK(info.flags == (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE),
	      "MSI-X flags %#x", info.flags);

	exp = vfio_find_cap(&c->v, PCI_CAP_ID_EXP);
	ret = irq_info(c, VFIO_PCI_ERR_IRQ_INDEX, &info);
	if (exp)
		TAP_CHECK(ret == 0 && info.count == 1, "ERR info on PCIe: %d count %u", ret, info.count);
	else
		TAP_CHECK(ret == -EINVAL, "ERR info without PCIe: %d", ret);

	ret = irq_info(c, VFIO_PCI_REQ_IRQ_INDEX, &info);
	TAP_CHECK(ret == 0 && info.count == 1, "REQ info ret %d count %u", ret, info.count);
	TAP_CHECK(info.flags == (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE),
	      "REQ flags %#x", info.flags);

	ret = irq_info(c, VFIO_PCI_NUM_IRQS, &info);
	TAP_CHECK(ret == -EINVAL, "IRQ index 5: %d", ret);
	info.argsz = offsetof(struct vfio_irq_info, count);
	info.index = 0;
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_IRQ_INFO, &info);
	TAP_CHECK(ret == -1 && errno == EINVAL, "short IRQ info argsz: %d", ret);
}

static void close_fds(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Bad SET_IRQS headers are refused before anything happens */
static void test_set_irqs_validation(struct dev_ctx *c)
{
	struct vfio_irq_set s;
	int efd = eventfd(0, EFD_NONBLOCK), ret;
	int nreq = 1;

	s.argsz = offsetof(struct vfio_irq_set, count);
	s.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	s.index = VFIO_PCI_REQ_IRQ_INDEX;
	s.start = 0;
	s.count = 1;
	ret = ioctl(c->v.device, VFIO_DEVICE_SET_IRQS, &s);
	TAP_CHECK(ret == -1 && errno == EINVAL, "short argsz: %d", ret);

	ret = set_irqs(&c->v, 1u << 9 | VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_REQ_IRQ_INDEX,
		       0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "unknown flag: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL |
		       VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "two data types: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK |
		       VFIO_IRQ_SET_ACTION_UNMASK, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == -ENOTTY, "two actions: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_NUM_IRQS, 0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "index 5: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 1, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "start past count: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 2, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "count past the end: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0xffffffff, 2, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "wrapping start+count: %d", ret);
	/* eventfd data shorter than count * 4 */
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd, 2);
	TAP_CHECK(ret == -EINVAL, "short eventfd array: %d", ret);
	/* not an eventfd */
	ret = set_irqs_eventfd(&c->v, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &(int){ 0 });
	TAP_CHECK(ret == -EINVAL, "stdin as eventfd: %d", ret);
	ret = set_irqs_eventfd(&c->v, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &(int){ 1000 });
	TAP_CHECK(ret == -EBADF, "closed fd as eventfd: %d", ret);

	/* REQ: eventfd, loopback, disable by count 0, loopback refused */
	ret = set_irqs_eventfd(&c->v, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd);
	TAP_CHECK(ret == 0, "REQ eventfd: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == 0 && eventfd_wait(efd, 1000) == 1, "REQ loopback: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &(uint8_t){ 1 }, 1);
	TAP_CHECK(ret == 0 && eventfd_wait(efd, 1000) == 1, "REQ bool loopback: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &(uint8_t){ 0 }, 1);
	TAP_CHECK(ret == 0 && eventfd_wait(efd, 50) == 0, "REQ bool false fired: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == -ENOTTY, "REQ mask: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 0, NULL, 0);
	TAP_CHECK(ret == 0, "REQ disable: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_REQ_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "REQ loopback after disable: %d", ret);
	ret = set_irqs_eventfd(&c->v, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &(int){ -1 });
	TAP_CHECK(ret == 0, "REQ fd -1: %d", ret);
	(void)nreq;

	/* ERR, on PCIe devices */
	if (irq_count(c, VFIO_PCI_ERR_IRQ_INDEX)) {
		ret = set_irqs_eventfd(&c->v, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, &efd);
		TAP_CHECK(ret == 0, "ERR eventfd: %d", ret);
		ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			       VFIO_PCI_ERR_IRQ_INDEX, 0, 1, NULL, 0);
		TAP_CHECK(ret == 0 && eventfd_wait(efd, 1000) == 1, "ERR loopback: %d", ret);
		ret = set_irqs_eventfd(&c->v, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, &(int){ -1 });
		TAP_CHECK(ret == 0, "ERR off: %d", ret);
	} else {
		ret = set_irqs_eventfd(&c->v, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, &efd);
		TAP_CHECK(ret == -EINVAL, "ERR on a non-PCIe device: %d", ret);
	}
	close(efd);
}

/* MSI or MSI-X: every vector, loopback, exclusivity, disable */
static void test_msi_kind(struct dev_ctx *c, uint32_t index, const char *name)
{
	int n = irq_count(c, index), fds[MAX_VEC], i, ret, ok;
	uint8_t bools[MAX_VEC];

	if (!n)
		return;
	if (n > MAX_VEC)
		n = MAX_VEC;
	for (i = 0; i < n; i++)
		fds[i] = eventfd(0, EFD_NONBLOCK);

	/* loopback before enabling is refused */
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       index, 0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "%s loopback while off: %d", name, ret);

	ret = set_irqs_eventfd(&c->v, index, 0, n, fds);
	TAP_CHECK(ret == 0, "%s enable %d vectors: %d", name, n, ret);
	if (ret) {
		close_fds(fds, n);
		return;
	}

	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       index, 0, n, NULL, 0);
	TAP_CHECK(ret == 0, "%s loopback all: %d", name, ret);
	for (i = 0, ok = 0; i < n; i++)
		ok += eventfd_wait(fds[i], 1000) == 1;
	TAP_CHECK(ok == n, "%s loopback: %d of %d vectors fired", name, ok, n);

	/* BOOL: only the odd ones */
	for (i = 0; i < n; i++)
		bools[i] = i & 1;
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
		       index, 0, n, bools, n);
	TAP_CHECK(ret == 0, "%s bool loopback: %d", name, ret);
	for (i = 0, ok = 0; i < n; i++)
		ok += (eventfd_wait(fds[i], i & 1 ? 1000 : 20) == 1) == (i & 1);
	TAP_CHECK(ok == n, "%s bool loopback: %d of %d vectors right", name, ok, n);

	/* mask/unmask are not offered for MSI/MSI-X */
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
		       index, 0, 1, NULL, 0);
	TAP_CHECK(ret == -ENOTTY, "%s mask: %d", name, ret);

	/* unhook the last vector with -1, its loopback is then silent */
	ret = set_irqs_eventfd(&c->v, index, n - 1, 1, &(int){ -1 });
	TAP_CHECK(ret == 0, "%s unhook vector %d: %d", name, n - 1, ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       index, n - 1, 1, NULL, 0);
	TAP_CHECK(ret == 0 && eventfd_wait(fds[n - 1], 20) == 0,
	      "%s unhooked vector fired (%d)", name, ret);
	ret = set_irqs_eventfd(&c->v, index, n - 1, 1, &fds[n - 1]);
	TAP_CHECK(ret == 0, "%s rehook vector %d: %d", name, n - 1, ret);

	/* only one interrupt type at a time */
	if (irq_count(c, VFIO_PCI_INTX_IRQ_INDEX)) {
		ret = set_irqs_eventfd(&c->v, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &fds[0]);
		TAP_CHECK(ret == -EINVAL, "INTx while %s is on: %d", name, ret);
	}

	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       index, 0, 0, NULL, 0);
	TAP_CHECK(ret == 0, "%s disable: %d", name, ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       index, 0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "%s loopback after disable: %d", name, ret);

	/* enabling a subset starting above 0 works too */
	if (n > 1) {
		ret = set_irqs_eventfd(&c->v, index, 1, 1, &fds[1]);
		TAP_CHECK(ret == 0, "%s enable vector 1 only: %d", name, ret);
		ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			       index, 1, 1, NULL, 0);
		TAP_CHECK(ret == 0 && eventfd_wait(fds[1], 1000) == 1, "%s vector 1 loopback", name);
		set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			 index, 0, 0, NULL, 0);
	}
	close_fds(fds, n);
}

static void test_intx(struct dev_ctx *c)
{
	int efd, ufd, ret;

	if (!irq_count(c, VFIO_PCI_INTX_IRQ_INDEX))
		return;
	efd = eventfd(0, EFD_NONBLOCK);
	ufd = eventfd(0, EFD_NONBLOCK);

	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "INTx unmask while off: %d", ret);

	ret = set_irqs_eventfd(&c->v, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &efd);
	TAP_CHECK(ret == 0, "INTx enable: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == 0 && eventfd_wait(efd, 1000) == 1, "INTx loopback: %d", ret);

	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == 0, "INTx mask: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &ufd, sizeof(ufd));
	TAP_CHECK(ret == -ENOTTY, "INTx mask eventfd: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_UNMASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &(uint8_t){ 1 }, 1);
	TAP_CHECK(ret == 0, "INTx bool unmask: %d", ret);

	/* the unmask eventfd: signalling it unmasks */
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &ufd, sizeof(ufd));
	TAP_CHECK(ret == 0, "INTx unmask eventfd: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &ufd, sizeof(ufd));
	TAP_CHECK(ret == -EBUSY, "second unmask eventfd: %d", ret);
	ret = write(ufd, &(uint64_t){ 1 }, 8);
	TAP_CHECK(ret == 8, "signal unmask eventfd");
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &(int){ -1 }, sizeof(int));
	TAP_CHECK(ret == 0, "unmask eventfd off: %d", ret);

	/* INTx and MSI-X exclude each other */
	if (irq_count(c, VFIO_PCI_MSIX_IRQ_INDEX)) {
		ret = set_irqs_eventfd(&c->v, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, &efd);
		TAP_CHECK(ret == -EINVAL, "MSI-X while INTx is on: %d", ret);
	}

	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 0, NULL, 0);
	TAP_CHECK(ret == 0, "INTx disable: %d", ret);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == -EINVAL, "INTx loopback after disable: %d", ret);
	close(efd);
	close(ufd);
}

void test_irqs(struct dev_ctx *c)
{
	test_set_irqs_validation(c);
	test_msi_kind(c, VFIO_PCI_MSIX_IRQ_INDEX, "MSI-X");
	test_msi_kind(c, VFIO_PCI_MSI_IRQ_INDEX, "MSI");
	test_intx(c);
}

void test_reset(struct dev_ctx *c)
{
	struct vfio_pci_hot_reset_info hi;
	struct vfio_pci_hot_reset hr;
	int ret;

	ret = ioctl(c->v.device, VFIO_DEVICE_RESET);
	if (c->reset_flag)
		TAP_CHECK(ret == 0, "RESET with the RESET flag: %s", strerror(errno));
	else
		TAP_CHECK(ret == -1 && errno == EINVAL, "RESET without the flag: %d", ret);
	TAP_CHECK(cfg_read16(&c->v, PCI_VENDOR_ID) != 0xffff, "device gone after reset");
	tap_diag("info: %s function reset %s", c->v.bdf, c->reset_flag ? "offered" : "not offered");

	memset(&hi, 0, sizeof(hi));
	hi.argsz = offsetof(struct vfio_pci_hot_reset_info, count);
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hi);
	TAP_CHECK(ret == -1 && errno == EINVAL, "short hot reset info argsz: %d", ret);
	hi.argsz = sizeof(hi);
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hi);
	TAP_CHECK((ret == -1 && (errno == ENODEV || errno == ENOSPC)) || ret == 0,
	      "hot reset info: %d errno %d", ret, errno);
	tap_diag("info: %s hot reset info: %s (count %u)", c->v.bdf,
	       ret ? strerror(errno) : "ok", hi.count);

	memset(&hr, 0, sizeof(hr));
	hr.argsz = sizeof(hr);
	hr.flags = 1;
	ret = ioctl(c->v.device, VFIO_DEVICE_PCI_HOT_RESET, &hr);
	TAP_CHECK(ret == -1 && errno == EINVAL, "hot reset with flags: %d", ret);
	hr.flags = 0;
	hr.argsz = offsetof(struct vfio_pci_hot_reset, count);
	ret = ioctl(c->v.device, VFIO_DEVICE_PCI_HOT_RESET, &hr);
	TAP_CHECK(ret == -1 && errno == EINVAL, "short hot reset argsz: %d", ret);
	hr.argsz = sizeof(hr);
	hr.count = 0;
	ret = ioctl(c->v.device, VFIO_DEVICE_PCI_HOT_RESET, &hr);
	TAP_CHECK(ret == -1 && (errno == EINVAL || errno == ENODEV),
	      "hot reset with no groups: %d errno %d", ret, errno);
}

/*
 * 82574 registers (see the 82574 datasheet, 10.2.4): ICR reads and clears
 * causes, ICS sets them, IMS/IMC enable/disable them, IVAR maps the
 * "other" causes to an MSI-X vector (bits 19:16: valid + vector).
 */
#define E1000_ICR	0x000c0
#define E1000_ICS	0x000c8
#define E1000_IMS	0x000d0
#define E1000_IMC	0x000d8
#define E1000_IVAR	0x000e4
#define E1000_ITR	0x000c4
#define E1000_EITR(n)	(0x000e8 + 4 * (n))
#define E1000_ICR_LSC	(1u << 2)
#define E1000_ICR_OTHER	(1u << 24)
#define E1000_IVAR_OTHER(vec)	((0x8u | (vec)) << 16)

static uint32_t rd(volatile uint8_t *bar, uint32_t reg)
{
	return *(volatile uint32_t *)(bar + reg);
}

static void wr(volatile uint8_t *bar, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(bar + reg) = val;
}

void test_irq_real(struct dev_ctx *c)
{
	int n = irq_count(c, VFIO_PCI_MSIX_IRQ_INDEX), fds[MAX_VEC], i, ret;
	uint16_t vendor = cfg_read16(&c->v, PCI_VENDOR_ID), dev = cfg_read16(&c->v, PCI_DEVICE_ID);
	size_t len = c->bar_size[0];
	volatile uint8_t *bar;
	int other = 4;

	if (vendor != 0x8086 || dev != 0x10d3) {
		tap_diag("--irq-real needs an 82574 (e1000e), this is %04x:%04x",
			 vendor, dev);
		TAP_SKIP("not an 82574", "real MSI-X interrupts");
		return;
	}
	/* regions were not probed in this mode */
	len = sysfs_resource_size(c->v.bdf, 0, NULL);
	bar = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, c->v.device, REGION_OFF(0));
	TAP_CHECK(bar != MAP_FAILED, "mmap BAR0: %s", strerror(errno));
	if (bar == MAP_FAILED)
		return;
	/* an MSI is a memory write by the device: it needs bus mastering */
	cfg_write16(&c->v, PCI_COMMAND, cfg_read16(&c->v, PCI_COMMAND) |
		    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

	if (n > MAX_VEC)
		n = MAX_VEC;
	TAP_CHECK(n >= 5, "82574 MSI-X vectors: %d", n);
	for (i = 0; i < n; i++)
		fds[i] = eventfd(0, EFD_NONBLOCK);

	/*
	 * No interrupt throttling: QEMU's e1000e asserts if a throttling
	 * timer armed in MSI-X mode fires after MSI-X was turned off.
	 */
	wr(bar, E1000_ITR, 0);
	for (i = 0; i < 5; i++)
		wr(bar, E1000_EITR(i), 0);

	/* MSI-X: map "other" causes to vector 4, raise LSC through ICS */
	ret = set_irqs_eventfd(&c->v, VFIO_PCI_MSIX_IRQ_INDEX, 0, n, fds);
	TAP_CHECK(ret == 0, "MSI-X enable: %d", ret);
	wr(bar, E1000_IMC, 0xffffffff);
	(void)rd(bar, E1000_ICR);
	wr(bar, E1000_IVAR, E1000_IVAR_OTHER(other));
	wr(bar, E1000_IMS, E1000_ICR_LSC | E1000_ICR_OTHER);
	wr(bar, E1000_ICS, E1000_ICR_LSC);
	ret = eventfd_wait(fds[other], 3000) >= 1;
	TAP_CHECK(ret, "device MSI-X vector %d fires", other);
	if (!ret)
		tap_diag("debug: ICR %#x IMS %#x IVAR %#x", rd(bar, E1000_ICS),
		       rd(bar, E1000_IMS), rd(bar, E1000_IVAR));
	for (i = 0; i < n; i++)
		if (i != other)
			TAP_CHECK(eventfd_wait(fds[i], 0) == 0, "vector %d fired too", i);
	wr(bar, E1000_IMC, 0xffffffff);
	(void)rd(bar, E1000_ICR);

	/* a second one, through another vector */
	wr(bar, E1000_IVAR, E1000_IVAR_OTHER(1));
	wr(bar, E1000_IMS, E1000_ICR_LSC | E1000_ICR_OTHER);
	wr(bar, E1000_ICS, E1000_ICR_LSC);
	TAP_CHECK(eventfd_wait(fds[1], 3000) >= 1, "device MSI-X vector 1 fires");
	wr(bar, E1000_IMC, 0xffffffff);
	(void)rd(bar, E1000_ICR);
	usleep(100000);	/* let any device-side timer run out in MSI-X mode */
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, NULL, 0);
	TAP_CHECK(ret == 0, "MSI-X disable: %d", ret);

	/* INTx: level, automasked until we unmask */
	ret = set_irqs_eventfd(&c->v, VFIO_PCI_INTX_IRQ_INDEX, 0, 1, &fds[0]);
	TAP_CHECK(ret == 0, "INTx enable: %d", ret);
	wr(bar, E1000_IMS, E1000_ICR_LSC);
	wr(bar, E1000_ICS, E1000_ICR_LSC);
	TAP_CHECK(eventfd_wait(fds[0], 3000) >= 1, "device INTx fires");
	/* still asserted but masked: no second event until unmask */
	TAP_CHECK(eventfd_wait(fds[0], 200) == 0, "INTx fired again while masked");
	TAP_CHECK(cfg_read16(&c->v, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE ? 0 : 1,
	      "automask leaked into the virtual command register");
	(void)rd(bar, E1000_ICR);	/* deassert */
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0);
	TAP_CHECK(ret == 0, "INTx unmask: %d", ret);
	TAP_CHECK(eventfd_wait(fds[0], 200) == 0, "INTx fired after the cause was cleared");
	/* raise again after unmask: fires again */
	wr(bar, E1000_ICS, E1000_ICR_LSC);
	TAP_CHECK(eventfd_wait(fds[0], 3000) >= 1, "device INTx fires after unmask");
	wr(bar, E1000_IMC, 0xffffffff);
	(void)rd(bar, E1000_ICR);
	set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		 VFIO_PCI_INTX_IRQ_INDEX, 0, 1, NULL, 0);
	ret = set_irqs(&c->v, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		       VFIO_PCI_INTX_IRQ_INDEX, 0, 0, NULL, 0);
	TAP_CHECK(ret == 0, "INTx disable: %d", ret);

	munmap((void *)bar, len);
	close_fds(fds, n);
}
