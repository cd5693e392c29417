/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * race_intx: threads of one process race the INTx paths of an e1000e
 * bound to vfnet-pci (or to upstream vfio-pci, for reference), as a
 * hostile user would, for a fixed number of iterations:
 *
 *   cfg      one thread toggles PCI_COMMAND_INTX_DISABLE through the config
 *            region while the other enables INTx (eventfd trigger), masks
 *            (DATA_NONE), unmasks (DATA_BOOL), replaces the trigger, loops
 *            it back and disables INTx again, cycle after cycle;
 *   trigger  INTx stays enabled with an unmask eventfd (virqfd); one thread
 *            replaces the trigger with a fresh eventfd and closes the old
 *            one at once, while a second unmasks through the command
 *            register and the UNMASK ioctl and loops the trigger back, and
 *            a third unmasks through the unmask eventfd and re-registers
 *            or closes it;
 *   msi      one thread writes MSI enable into the MSI control register
 *            while the other enables and disables MSI through SET_IRQS;
 *            after each disable the device must not have MSI enabled.
 *
 * Meanwhile the device keeps its INTx asserted (an LSC cause set through
 * ICS and never cleared), so the hard-irq handler and the "pending at
 * unmask" resend run against every change.  Afterwards: every ioctl and
 * config write of the race returned success, no retired eventfd is
 * signalled any more, loopback counts are exact, INTx enabled under the
 * virtual DisINTx fires once it is cleared, and the device still raises,
 * automasks and re-raises a real INTx.  The kernel side (no Oops,
 * WARNING or BUG in the guest's dmesg) is checked by tools/vm/run.
 *
 * usage: race_intx [-n ITERATIONS] [-p cfg|trigger|msi|all|none] [-r] [-x]
 *                  CONTAINER GROUPDIR BDF
 * -r: the driver is the reference, upstream vfio-pci.  It leaves MSI
 * enabled after some disables of the msi race (the window this driver
 * closes), so there that count is only measured.
 * -x: the driver masks INTx at the interrupt controller (nointxmask=1).
 * Then "fires once DisINTx is cleared" is only measured: in this VM an
 * exclusive line requested masked and enabled later with the cause
 * already pending does not fire in most rounds, on upstream vfio-pci
 * as on vfnet, so the check cannot tell a lost enable from that.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "vfio_open.h"
#include "vfn_tap.h"

/* 82574 registers (datasheet 10.2.4: interrupt registers) */
#define E1000_ICR	0x000c0
#define E1000_ICS	0x000c8
#define E1000_IMS	0x000d0
#define E1000_IMC	0x000d8
#define E1000_ITR	0x000c4
#define E1000_ICR_LSC	(1u << 2)

#define NTRIG	3	/* trigger eventfds the tests rotate through */

#define INTX		VFIO_PCI_INTX_IRQ_INDEX
#define SET_NONE	VFIO_IRQ_SET_DATA_NONE
#define SET_BOOL	VFIO_IRQ_SET_DATA_BOOL
#define SET_EFD		VFIO_IRQ_SET_DATA_EVENTFD
#define ACT_MASK	VFIO_IRQ_SET_ACTION_MASK
#define ACT_UNMASK	VFIO_IRQ_SET_ACTION_UNMASK
#define ACT_TRIGGER	VFIO_IRQ_SET_ACTION_TRIGGER

struct race {
	struct vfio_dev v;
	volatile uint8_t *bar;
	size_t bar_len;
	uint16_t cmd;		/* command register with memory decode on */
	int trig[NTRIG];	/* trigger eventfds */
	int unmask_fd;
	long iterations;
	atomic_int stop;
	/* failures seen by the racing threads, with the first one's text */
	atomic_long errors;
	char first_error[160];
	long toggles, unmasks, efd_unmasks;	/* the side threads' work */
	int msi_cap;
};

static void wr32(struct race *r, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(r->bar + reg) = val;
}

static uint32_t rd32(struct race *r, uint32_t reg)
{
	return *(volatile uint32_t *)(r->bar + reg);
}

static void race_error(struct race *r, const char *what, int ret)
{
	if (atomic_fetch_add(&r->errors, 1) == 0)
		snprintf(r->first_error, sizeof(r->first_error),
			 "%s returned %d (%s)", what, ret,
			 ret < 0 ? strerror(-ret) : "short");
}

static int intx_set(struct race *r, uint32_t flags, uint32_t count,
		    const void *data, size_t len)
{
	return set_irqs(&r->v, flags, INTX, 0, count, data, len);
}

/* One SET_IRQS that must succeed during the race */
static void must(struct race *r, const char *what, uint32_t flags,
		 uint32_t count, const void *data, size_t len)
{
	int ret = intx_set(r, flags, count, data, len);

	if (ret)
		race_error(r, what, ret);
}

/* Write the command register with INTx-disable on or off */
static void cmd_intx(struct race *r, int disable)
{
	uint16_t cmd = r->cmd & ~PCI_COMMAND_INTX_DISABLE;
	int ret;

	if (disable)
		cmd |= PCI_COMMAND_INTX_DISABLE;
	ret = cfg_write(&r->v, PCI_COMMAND, &cmd, sizeof(cmd));
	if (ret != sizeof(cmd))
		race_error(r, "config write of PCI_COMMAND",
			   ret < 0 ? -errno : ret);
}

/* Read and drop whatever an eventfd holds; returns the count */
static uint64_t drain(int fd)
{
	uint64_t cnt = 0;

	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return 0;
	return cnt;
}

/* Keep INTx asserted: an LSC cause that nobody clears */
static void assert_intx(struct race *r)
{
	wr32(r, E1000_ITR, 0);
	wr32(r, E1000_IMS, E1000_ICR_LSC);
	wr32(r, E1000_ICS, E1000_ICR_LSC);
}

static void deassert_intx(struct race *r)
{
	wr32(r, E1000_IMC, 0xffffffff);
	(void)rd32(r, E1000_ICR);
}

/* ---- cfg: command-register toggles against enable/mask/disable ---- */

static void *toggle_thread(void *arg)
{
	struct race *r = arg;
	long i;

	for (i = 0; !atomic_load(&r->stop); i++)
		cmd_intx(r, i & 1);
	r->toggles = i;
	return NULL;
}

static void race_cfg(struct race *r)
{
	pthread_t t;
	long i;

	atomic_store(&r->stop, 0);
	if (!TAP_CHECK(pthread_create(&t, NULL, toggle_thread, r) == 0,
		       "cfg: start the command-register thread"))
		return;

	for (i = 0; i < r->iterations; i++) {
		int fd = r->trig[i % NTRIG];
		int next = r->trig[(i + 1) % NTRIG];
		uint8_t one = 1;

		must(r, "enable INTx", SET_EFD | ACT_TRIGGER, 1,
		     &fd, sizeof(fd));
		must(r, "mask (DATA_NONE)", SET_NONE | ACT_MASK, 1, NULL, 0);
		must(r, "unmask (DATA_BOOL)", SET_BOOL | ACT_UNMASK, 1,
		     &one, 1);
		must(r, "replace the trigger", SET_EFD | ACT_TRIGGER, 1,
		     &next, sizeof(next));
		must(r, "loopback (DATA_BOOL)", SET_BOOL | ACT_TRIGGER, 1,
		     &one, 1);
		must(r, "mask (DATA_BOOL)", SET_BOOL | ACT_MASK, 1, &one, 1);
		must(r, "unmask (DATA_NONE)", SET_NONE | ACT_UNMASK, 1,
		     NULL, 0);
		must(r, "disable INTx", SET_NONE | ACT_TRIGGER, 0, NULL, 0);
	}

	atomic_store(&r->stop, 1);
	pthread_join(t, NULL);
	tap_diag("cfg: %ld enable/mask/unmask/replace/disable cycles against %ld command-register writes",
		 r->iterations, r->toggles);
	TAP_CHECK(r->toggles > 0, "cfg: the command-register thread ran");
}

/* ---- trigger: trigger replacement against every unmask path ---- */

/* Unmask through the command register, the UNMASK ioctl; loop back */
static void *unmask_thread(void *arg)
{
	struct race *r = arg;
	long i;

	for (i = 0; !atomic_load(&r->stop); i++) {
		switch (i % 4) {
		case 0:
		case 1:
			cmd_intx(r, i & 1);	/* virtual DisINTx on, off */
			break;
		case 2:
			must(r, "unmask (DATA_NONE)", SET_NONE | ACT_UNMASK, 1,
			     NULL, 0);
			break;
		case 3:
			must(r, "loopback (DATA_NONE)", SET_NONE | ACT_TRIGGER,
			     1, NULL, 0);
			break;
		}
	}
	r->unmasks = i;
	return NULL;
}

/*
 * Unmask through the unmask eventfd: the virqfd runs the unmask in the
 * eventfd wakeup and, the cause being pending, signals the trigger from
 * its inject work.  Now and then tear the virqfd down and hook it in
 * again, through SET_IRQS or by closing the eventfd (EPOLLHUP).
 */
static void *unmask_efd_thread(void *arg)
{
	struct race *r = arg;
	uint64_t one = 1;
	int off = -1;
	long i;

	for (i = 0; !atomic_load(&r->stop); i++) {
		if (write(r->unmask_fd, &one, sizeof(one)) != sizeof(one))
			race_error(r, "write of the unmask eventfd", -errno);
		if (i % 64 != 63)
			continue;
		if ((i / 64) % 2) {
			must(r, "unmask eventfd off", SET_EFD | ACT_UNMASK, 1,
			     &off, sizeof(off));
		} else {
			close(r->unmask_fd);
			r->unmask_fd = eventfd(0, EFD_NONBLOCK);
			if (r->unmask_fd < 0)
				race_error(r, "eventfd", -errno);
		}
		must(r, "unmask eventfd on", SET_EFD | ACT_UNMASK, 1,
		     &r->unmask_fd, sizeof(r->unmask_fd));
	}
	r->efd_unmasks = i;
	return NULL;
}

static void race_trigger(struct race *r)
{
	pthread_t t, te;
	long i;

	if (!TAP_EQ(intx_set(r, SET_EFD | ACT_TRIGGER, 1, &r->trig[0],
			     sizeof(int)), 0, "trigger: enable INTx") ||
	    !TAP_EQ(intx_set(r, SET_EFD | ACT_UNMASK, 1, &r->unmask_fd,
			     sizeof(int)), 0, "trigger: unmask eventfd"))
		return;

	atomic_store(&r->stop, 0);
	if (!TAP_CHECK(pthread_create(&t, NULL, unmask_thread, r) == 0,
		       "trigger: start the unmask thread"))
		return;
	if (!TAP_CHECK(pthread_create(&te, NULL, unmask_efd_thread, r) == 0,
		       "trigger: start the unmask-eventfd thread")) {
		atomic_store(&r->stop, 1);
		pthread_join(t, NULL);
		return;
	}

	/*
	 * As an attacker would: each replacement installs a fresh eventfd
	 * and closes the one it replaced at once, so a late signal of the
	 * old trigger would touch freed memory.
	 */
	for (i = 0; i < r->iterations; i++) {
		int cur = i % NTRIG, next = (i + 1) % NTRIG;

		must(r, "replace the trigger", SET_EFD | ACT_TRIGGER, 1,
		     &r->trig[next], sizeof(int));
		close(r->trig[cur]);
		r->trig[cur] = eventfd(0, EFD_NONBLOCK);
		if (r->trig[cur] < 0)
			race_error(r, "eventfd", -errno);
	}

	atomic_store(&r->stop, 1);
	pthread_join(t, NULL);
	pthread_join(te, NULL);
	cmd_intx(r, 0);
	tap_diag("trigger: %ld trigger replacements against %ld config/ioctl unmasks and loopbacks and %ld unmask-eventfd writes",
		 r->iterations, r->unmasks, r->efd_unmasks);
	TAP_CHECK(r->unmasks > 0, "trigger: the unmask thread ran");
	TAP_CHECK(r->efd_unmasks > 0, "trigger: the unmask-eventfd thread ran");
	TAP_EQ(intx_set(r, SET_NONE | ACT_TRIGGER, 0, NULL, 0), 0,
	       "trigger: disable INTx");
}

/* ---- msi: MSI control writes against MSI enable/disable ---- */

static void *msi_flags_thread(void *arg)
{
	struct race *r = arg;
	uint16_t flags = PCI_MSI_FLAGS_ENABLE;
	long i;

	for (i = 0; !atomic_load(&r->stop); i++) {
		/* the user asks for MSI enable; only SET_IRQS may grant it */
		if (cfg_write(&r->v, r->msi_cap + PCI_MSI_FLAGS, &flags,
			      sizeof(flags)) != sizeof(flags))
			race_error(r, "config write of the MSI flags", -errno);
	}
	r->toggles = i;
	return NULL;
}

/* MSI enable as the device has it (sysfs: root reads the real config) */
static int msi_enabled_phys(struct race *r)
{
	uint8_t cfg[256];

	if (sysfs_config(r->v.bdf, cfg, sizeof(cfg)) != sizeof(cfg))
		return -1;
	return !!(cfg[r->msi_cap + PCI_MSI_FLAGS] & PCI_MSI_FLAGS_ENABLE);
}

/*
 * One thread writes MSI enable into the MSI control register over and
 * over, while the other enables and disables MSI through SET_IRQS.
 * MSI is the kernel's to enable: once SET_IRQS has disabled it, the
 * device must not be left with MSI enabled (it would send messages to
 * vectors and remapping entries that were freed).
 */
static void race_msi(struct race *r, int reference)
{
	long i, leaked = 0;
	pthread_t t;

	r->msi_cap = vfio_find_cap(&r->v, PCI_CAP_ID_MSI);
	if (!r->msi_cap) {
		TAP_SKIP("the device shows no MSI capability",
			 "msi: MSI enable stays the kernel's");
		return;
	}
	atomic_store(&r->stop, 0);
	if (!TAP_CHECK(pthread_create(&t, NULL, msi_flags_thread, r) == 0,
		       "msi: start the MSI-control thread"))
		return;

	for (i = 0; i < r->iterations / 10; i++) {
		int fd = r->trig[i % NTRIG];

		int ret;

		ret = set_irqs(&r->v, SET_EFD | ACT_TRIGGER,
			       VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &fd, sizeof(fd));
		if (ret)
			race_error(r, "enable MSI", ret);
		ret = set_irqs(&r->v, SET_NONE | ACT_TRIGGER,
			       VFIO_PCI_MSI_IRQ_INDEX, 0, 0, NULL, 0);
		if (ret)
			race_error(r, "disable MSI", ret);
		leaked += msi_enabled_phys(r) != 0;
	}

	atomic_store(&r->stop, 1);
	pthread_join(t, NULL);
	tap_diag("msi: %ld MSI enable/disable cycles against %ld MSI-control writes",
		 i, r->toggles);
	if (reference) {
		/* measured, not asserted: see the usage text of -r */
		tap_diag("msi: MSI left enabled on the device after %ld of %ld disables",
			 leaked, i);
		TAP_SKIP("upstream vfio-pci 6.1.y tests irq_type and writes the MSI flags without its interrupt gate",
			 "msi: MSI never left enabled on the device after SET_IRQS disabled it");
	} else {
		TAP_EQ(leaked, 0,
		       "msi: MSI never left enabled on the device after SET_IRQS disabled it");
	}
	TAP_EQ(msi_enabled_phys(r), 0, "msi: MSI off on the device at the end");
}

/* ---- afterwards ---- */

/* No retired trigger may be signalled once INTx is off */
static void check_quiet(struct race *r, const char *phase)
{
	uint64_t late = 0;
	int i;

	for (i = 0; i < NTRIG; i++)
		drain(r->trig[i]);
	usleep(300000);
	for (i = 0; i < NTRIG; i++)
		late += drain(r->trig[i]);
	TAP_EQ(late, 0, "%s: no eventfd signalled after INTx was disabled",
	       phase);
}

/* Loopback counts are exact and reach only the current trigger */
static void check_loopback(struct race *r)
{
	uint64_t got[NTRIG];
	uint8_t one = 1, zero = 0;
	int i, k;

	deassert_intx(r);
	TAP_EQ(intx_set(r, SET_EFD | ACT_TRIGGER, 1, &r->trig[0],
			sizeof(int)), 0, "loopback: enable INTx");
	TAP_EQ(intx_set(r, SET_EFD | ACT_TRIGGER, 1, &r->trig[1],
			sizeof(int)), 0, "loopback: replace the trigger");
	for (i = 0; i < NTRIG; i++)
		drain(r->trig[i]);
	for (k = 0; k < 100; k++) {
		intx_set(r, SET_NONE | ACT_TRIGGER, 1, NULL, 0);
		intx_set(r, SET_BOOL | ACT_TRIGGER, 1, &one, 1);
		intx_set(r, SET_BOOL | ACT_TRIGGER, 1, &zero, 1);
	}
	for (i = 0; i < NTRIG; i++)
		got[i] = drain(r->trig[i]);
	TAP_EQ(got[1], 200, "loopback: 200 signals on the current trigger");
	TAP_EQ(got[0] + got[2], 0, "loopback: none on the others");

	/* virtual DisINTx: loopback is dropped, as upstream */
	cmd_intx(r, 1);
	intx_set(r, SET_NONE | ACT_TRIGGER, 1, NULL, 0);
	TAP_EQ(drain(r->trig[1]), 0, "loopback: dropped under DisINTx");
	cmd_intx(r, 0);
	TAP_EQ(intx_set(r, SET_NONE | ACT_TRIGGER, 0, NULL, 0), 0,
	       "loopback: disable INTx");
}

static uint64_t wait_efd(int fd, int ms)
{
	return eventfd_wait(fd, ms);
}

/* The device still raises, automasks and re-raises a real INTx */
static void check_device_works(struct race *r)
{
	int fd = r->trig[2];

	deassert_intx(r);
	drain(fd);
	TAP_EQ(cfg_read16(&r->v, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE, 0,
	       "after: virtual DisINTx reads back clear");
	if (!TAP_EQ(intx_set(r, SET_EFD | ACT_TRIGGER, 1, &fd, sizeof(fd)),
		    0, "after: enable INTx"))
		return;
	wr32(r, E1000_IMS, E1000_ICR_LSC);
	wr32(r, E1000_ICS, E1000_ICR_LSC);
	TAP_CHECK(wait_efd(fd, 3000) >= 1, "after: a real INTx fires");
	TAP_EQ(wait_efd(fd, 200), 0, "after: automasked until unmask");
	(void)rd32(r, E1000_ICR);
	TAP_EQ(intx_set(r, SET_NONE | ACT_UNMASK, 1, NULL, 0), 0,
	       "after: unmask");
	TAP_EQ(wait_efd(fd, 200), 0, "after: quiet once the cause is clear");
	wr32(r, E1000_ICS, E1000_ICR_LSC);
	TAP_CHECK(wait_efd(fd, 3000) >= 1, "after: fires again after unmask");
	deassert_intx(r);
	intx_set(r, SET_NONE | ACT_UNMASK, 1, NULL, 0);
	TAP_EQ(intx_set(r, SET_NONE | ACT_TRIGGER, 0, NULL, 0), 0,
	       "after: disable INTx");
}

/*
 * INTx enabled while the virtual DisINTx is set and the cause already
 * pending stays quiet, and fires as soon as DisINTx is cleared.  Without
 * DisINTx support (nointxmask=1) the driver masks at the interrupt
 * controller; had it requested the line enabled and disabled it after,
 * the interrupt arriving in between would disable it a second time and
 * the one enable at unmask would leave INTx dead.  Repeated, because
 * that window is a matter of timing.
 */
static void check_masked_enable(struct race *r, int rounds, int exclusive)
{
	int fd = r->trig[0], k, quiet = 0, fired = 0;

	for (k = 0; k < rounds; k++) {
		deassert_intx(r);
		drain(fd);
		cmd_intx(r, 1);
		assert_intx(r);
		if (intx_set(r, SET_EFD | ACT_TRIGGER, 1, &fd, sizeof(fd))) {
			TAP_CHECK(0, "masked enable: enable INTx (round %d)",
				  k);
			cmd_intx(r, 0);
			return;
		}
		quiet += wait_efd(fd, 50) == 0;
		cmd_intx(r, 0);
		fired += wait_efd(fd, 2000) >= 1;
		deassert_intx(r);
		intx_set(r, SET_NONE | ACT_UNMASK, 1, NULL, 0);
		intx_set(r, SET_NONE | ACT_TRIGGER, 0, NULL, 0);
	}
	TAP_EQ(quiet, rounds,
	       "masked enable: quiet under DisINTx with the cause pending, %d rounds",
	       rounds);
	if (exclusive) {
		/* measured, not asserted: see the usage text of -x */
		tap_diag("masked enable: fired once DisINTx was cleared in %d of %d rounds",
			 fired, rounds);
		TAP_SKIP("with an exclusive line masked at the interrupt controller, upstream vfio-pci (6.1.192, nointxmask=1) fires in 0 of 50 rounds in this VM too",
			 "masked enable: fires once DisINTx is cleared");
		return;
	}
	TAP_EQ(fired, rounds,
	       "masked enable: fires once DisINTx is cleared, %d rounds",
	       rounds);
}

static void report_race(struct race *r, const char *phase)
{
	long n = atomic_load(&r->errors);

	if (!TAP_EQ(n, 0, "%s: every ioctl and config write of the race succeeded",
		    phase))
		tap_diag("%s: first failure: %s", phase, r->first_error);
	atomic_store(&r->errors, 0);
}

static int setup(struct race *r, const char *container, const char *groupdir,
		 const char *bdf)
{
	uint16_t vendor, device;
	int i;

	if (vfio_dev_open(&r->v, container, groupdir, bdf))
		tap_bail("cannot open %s through %s", bdf, container);
	vendor = cfg_read16(&r->v, PCI_VENDOR_ID);
	device = cfg_read16(&r->v, PCI_DEVICE_ID);
	if (vendor != 0x8086 || device != 0x10d3)
		tap_bail("%s is %04x:%04x, not an 82574 (e1000e)", bdf, vendor,
			 device);

	r->bar_len = sysfs_resource_size(bdf, 0, NULL);
	r->bar = mmap(NULL, r->bar_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		      r->v.device, REGION_OFF(0));
	if (r->bar == MAP_FAILED)
		tap_bail("mmap of BAR0: %s", strerror(errno));

	r->cmd = (cfg_read16(&r->v, PCI_COMMAND) | PCI_COMMAND_MEMORY) &
		 ~PCI_COMMAND_INTX_DISABLE;
	cmd_intx(r, 0);
	for (i = 0; i < NTRIG; i++)
		r->trig[i] = eventfd(0, EFD_NONBLOCK);
	r->unmask_fd = eventfd(0, EFD_NONBLOCK);
	if (r->unmask_fd < 0 || r->trig[NTRIG - 1] < 0)
		tap_bail("eventfd: %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	static struct race r = { .iterations = 20000 };
	const char *phase = "all";
	int opt, exclusive = 0, reference = 0;

	while ((opt = getopt(argc, argv, "n:p:rx")) != -1) {
		switch (opt) {
		case 'r':
			reference = 1;
			break;
		case 'x':
			exclusive = 1;
			break;
		case 'n':
			r.iterations = strtol(optarg, NULL, 0);
			break;
		case 'p':
			phase = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 3)
		goto usage;

	setup(&r, argv[optind], argv[optind + 1], argv[optind + 2]);
	tap_diag("%s: %ld iterations per race", r.v.bdf, r.iterations);

	if (!strcmp(phase, "cfg") || !strcmp(phase, "all")) {
		assert_intx(&r);
		race_cfg(&r);
		report_race(&r, "cfg");
		cmd_intx(&r, 0);
		check_quiet(&r, "cfg");
	}
	if (!strcmp(phase, "trigger") || !strcmp(phase, "all")) {
		assert_intx(&r);
		race_trigger(&r);
		report_race(&r, "trigger");
		check_quiet(&r, "trigger");
	}
	if (!strcmp(phase, "msi") || !strcmp(phase, "all")) {
		deassert_intx(&r);
		race_msi(&r, reference);
		report_race(&r, "msi");
	}
	check_loopback(&r);
	check_masked_enable(&r, 50, exclusive);
	check_device_works(&r);

	munmap((void *)r.bar, r.bar_len);
	vfio_dev_close(&r.v);
	return tap_done();

usage:
	fprintf(stderr, "usage: %s [-n ITERATIONS] [-p cfg|trigger|msi|all|none] [-r] [-x] CONTAINER GROUPDIR BDF\n",
		argv[0]);
	return 2;
}
