/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ownership and reset-set rules of the vfnet PCI driver (issue 14, points
 * 4, 6 and 8), on devices below a PCIe root port, in TAP:
 *
 *  remove CNODE GDIR BDF       unbind a device whose group and container
 *                              are open: the REQ eventfd fires, the unbind
 *                              finishes once the device fd is closed, the
 *                              group leaves its container (the host driver
 *                              e1000e binds at once), and the stale group
 *                              fd proves nothing for a hot reset of the
 *                              device once it is bound to us again.
 *  lastclose CNODE GDIR BDF    a device without a function reset (its
 *                              reset_method cleared by the caller) is bus
 *                              reset on last close: a register written by
 *                              the user is back to its reset value.
 *  race CNODE GDIR BDF_A BDF_B N
 *                              two functions of one reset set (one group):
 *                              N hot resets through A while another thread
 *                              opens and closes B (with a D3hot/D0 trip)
 *                              N times; every call ends in success or
 *                              -EBUSY and both devices still answer.
 *
 * The guest script tests/vm/pci/guest_reset_set.sh sets the devices up.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <linux/pci_regs.h>

#include "vfn_tap.h"
#include "vfio_fds.h"

/* 82574L receive descriptor base low (queue 0): read/write, reset 0 */
#define E1000_RDBAL0	0x2800
#define MARKER		0x12345670u

static const char *cnode, *gdir;

static int req_eventfd(int dev)
{
	struct {
		struct vfio_irq_set hdr;
		int32_t fd;
	} s = { .hdr = { .argsz = sizeof(s), .flags = VFIO_IRQ_SET_DATA_EVENTFD |
					VFIO_IRQ_SET_ACTION_TRIGGER,
			 .index = VFIO_PCI_REQ_IRQ_INDEX, .count = 1 } };

	s.fd = eventfd(0, EFD_CLOEXEC);
	if (s.fd < 0 || vfd_ioctl(dev, VFIO_DEVICE_SET_IRQS, &s) < 0)
		return -1;
	return s.fd;
}

/* Point 4: the group's last device goes away while the group is open. */
static void test_remove(const char *bdf)
{
	char path[PATH_MAX], drv[64];
	int g, c, d, efd, g2, c2, d2, st;
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct pollfd p;
	pid_t pid;

	g = vfd_open_group(gdir, bdf);
	if (!TAP_OK(g, "remove: open the group of %s", bdf))
		return;
	c = vfd_attach(cnode, g);
	d = c < 0 ? c : vfd_device(g, bdf);
	if (!TAP_OK(d, "remove: container and device fd"))
		return;
	efd = req_eventfd(d);
	TAP_OK(efd, "remove: REQ eventfd registered");

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	pid = fork();
	if (pid == 0) {
		/* the child's copy of the device fd would block its own unbind */
		close(d);
		_exit(vfd_sysfs_write(path, bdf) ? 1 : 0);
	}
	p = (struct pollfd){ .fd = efd, .events = POLLIN };
	TAP_EQ(poll(&p, 1, 30000), 1, "remove: unbind signals REQ");
	close(d);
	TAP_EQ(waitpid(pid, &st, 0), pid, "remove: unbind returns");
	TAP_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "remove: unbind finishes once the device fd is closed");

	TAP_EQ(vfd_ioctl(g, VFIO_GROUP_GET_STATUS, &gs), -ENODEV,
	       "remove: stale group fd: GET_STATUS is -ENODEV");
	TAP_EQ(vfd_ioctl(c, VFIO_IOMMU_GET_INFO, &info), -EINVAL,
	       "remove: the container lost the group and its IOMMU model");
	TAP_EQ(vfd_bind(bdf, "e1000e"), 0,
	       "remove: host driver binds while the stale group fd is open (%s)",
	       vfd_driver(bdf, drv, sizeof(drv)));
	if (!TAP_EQ(vfd_bind(bdf, "vfnet-pci"), 0, "remove: bound to vfnet-pci again"))
		return;

	g2 = vfd_open_group(gdir, bdf);
	TAP_OK(g2, "remove: open the new group node");
	c2 = g2 < 0 ? g2 : vfd_attach(cnode, g2);
	TAP_OK(c2, "remove: the new group attaches to a container");
	d2 = c2 < 0 ? c2 : vfd_device(g2, bdf);
	if (TAP_OK(d2, "remove: device fd through the new group")) {
		TAP_EQ(vfd_hot_reset(d2, &g, 1), -EINVAL,
		       "remove: the stale group fd does not prove ownership");
		TAP_EQ(vfd_hot_reset(d2, &g2, 1), 0,
		       "remove: the new group fd does");
		close(d2);
	}
	if (c2 >= 0)
		close(c2);
	if (g2 >= 0)
		close(g2);
	close(efd);
	close(c);
	close(g);
}

/* Point 8: no function reset, so the last close resets the bus. */
static void test_lastclose(const char *bdf)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	uint32_t v = 0;
	int g, c, d;

	g = vfd_open_group(gdir, bdf);
	c = g < 0 ? g : vfd_attach(cnode, g);
	d = c < 0 ? c : vfd_device(g, bdf);
	if (!TAP_OK(d, "lastclose: open %s", bdf))
		return;
	TAP_EQ(vfd_ioctl(d, VFIO_DEVICE_GET_INFO, &info), 0, "lastclose: GET_INFO");
	if (!TAP_CHECK(!(info.flags & VFIO_DEVICE_FLAGS_RESET),
		       "lastclose: no function reset offered (reset_method cleared)"))
		return;
	TAP_EQ(vfd_write32(d, VFIO_PCI_BAR0_REGION_INDEX, E1000_RDBAL0, MARKER), 0,
	       "lastclose: write RDBAL0");
	TAP_EQ(vfd_read32(d, VFIO_PCI_BAR0_REGION_INDEX, E1000_RDBAL0, &v), 0,
	       "lastclose: read RDBAL0");
	TAP_EQ(v, MARKER, "lastclose: the device holds the user's value");
	close(d);

	d = vfd_device(g, bdf);
	if (TAP_OK(d, "lastclose: reopen")) {
		v = ~0u;
		TAP_EQ(vfd_read32(d, VFIO_PCI_BAR0_REGION_INDEX, E1000_RDBAL0, &v), 0,
		       "lastclose: read RDBAL0 again");
		TAP_EQ(v, 0, "lastclose: bus reset on last close cleared it");
		close(d);
	}
	close(c);
	close(g);
}

/* Point 6: hot reset of the set against open/close of another member. */
struct race {
	int group, dev_a;
	const char *bdf_b;
	int iters;
	int reset_ok, reset_busy, reset_other, last_other;
	int open_ok, open_fail, last_open_err;
};

static void *race_reset(void *arg)
{
	struct race *r = arg;
	int i, ret;

	for (i = 0; i < r->iters; i++) {
		ret = vfd_hot_reset(r->dev_a, &r->group, 1);
		if (!ret)
			r->reset_ok++;
		else if (ret == -EBUSY)
			r->reset_busy++;
		else
			r->reset_other++, r->last_other = ret;
	}
	return NULL;
}

/* Offset of the PM capability in the user's view of the config space */
static int pm_cap(int dev)
{
	uint32_t v;
	int pos, n;

	if (vfd_read32(dev, VFIO_PCI_CONFIG_REGION_INDEX, PCI_CAPABILITY_LIST & ~3, &v))
		return 0;
	pos = (v >> 8 * (PCI_CAPABILITY_LIST & 3)) & 0xfc;
	for (n = 0; pos && n < 48; n++) {
		if (vfd_read32(dev, VFIO_PCI_CONFIG_REGION_INDEX, pos, &v))
			return 0;
		if ((v & 0xff) == PCI_CAP_ID_PM)
			return pos;
		pos = (v >> 8) & 0xfc;
	}
	return 0;
}

static void *race_open(void *arg)
{
	struct race *r = arg;
	int i, d, pm;
	uint16_t ctrl;

	for (i = 0; i < r->iters; i++) {
		d = vfd_device(r->group, r->bdf_b);
		if (d < 0) {
			r->open_fail++;
			r->last_open_err = d;
			continue;
		}
		r->open_ok++;
		pm = pm_cap(d);
		if (pm && i % 2) {
			/* a D3hot/D0 trip saves and reloads the PM state */
			ctrl = 3;
			pwrite(d, &ctrl, 2, VFD_REGION(VFIO_PCI_CONFIG_REGION_INDEX) +
			       pm + PCI_PM_CTRL);
			if (i % 4 == 1) {
				ctrl = 0;
				pwrite(d, &ctrl, 2,
				       VFD_REGION(VFIO_PCI_CONFIG_REGION_INDEX) +
				       pm + PCI_PM_CTRL);
			}
		}
		close(d);
	}
	return NULL;
}

static void test_race(const char *bdf_a, const char *bdf_b, int iters)
{
	struct race r = { .bdf_b = bdf_b, .iters = iters };
	pthread_t tr, to;
	uint32_t id = 0;
	int c;

	if (vfd_group_id(bdf_a) != vfd_group_id(bdf_b)) {
		TAP_SKIP("the two functions are in different IOMMU groups",
			 "race: one group for %s and %s", bdf_a, bdf_b);
		return;
	}
	r.group = vfd_open_group(gdir, bdf_a);
	c = r.group < 0 ? r.group : vfd_attach(cnode, r.group);
	r.dev_a = c < 0 ? c : vfd_device(r.group, bdf_a);
	if (!TAP_OK(r.dev_a, "race: open %s", bdf_a))
		return;
	TAP_EQ(vfd_hot_reset(r.dev_a, &r.group, 1), 0,
	       "race: a hot reset of the set works when nothing else runs");

	pthread_create(&tr, NULL, race_reset, &r);
	pthread_create(&to, NULL, race_open, &r);
	pthread_join(tr, NULL);
	pthread_join(to, NULL);
	tap_diag("race: %d hot resets: %d done, %d -EBUSY, %d other (last %d); "
		 "%d opens of %s, %d failed (last %d)", iters, r.reset_ok,
		 r.reset_busy, r.reset_other, r.last_other, r.open_ok, bdf_b,
		 r.open_fail, r.last_open_err);
	TAP_EQ(r.reset_other, 0, "race: every hot reset succeeded or was -EBUSY");
	TAP_CHECK(r.reset_ok > 0, "race: some hot resets ran (%d)", r.reset_ok);
	TAP_EQ(r.open_fail, 0, "race: every open of %s succeeded", bdf_b);
	TAP_EQ(vfd_read32(r.dev_a, VFIO_PCI_CONFIG_REGION_INDEX, 0, &id), 0,
	       "race: %s config still readable", bdf_a);
	TAP_EQ(id & 0xffff, 0x8086, "race: %s still answers with its vendor ID", bdf_a);
	TAP_EQ(vfd_hot_reset(r.dev_a, &r.group, 1), 0, "race: hot reset after the race");
	close(r.dev_a);
	close(c);
	close(r.group);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: pci_reset_set remove|lastclose CNODE GDIR BDF\n"
				"       pci_reset_set race CNODE GDIR BDF_A BDF_B N\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	cnode = argv[2];
	gdir = argv[3];
	if (!strcmp(argv[1], "remove"))
		test_remove(argv[4]);
	else if (!strcmp(argv[1], "lastclose"))
		test_lastclose(argv[4]);
	else if (!strcmp(argv[1], "race") && argc == 7)
		test_race(argv[4], argv[5], atoi(argv[6]));
	else
		tap_bail("unknown mode %s", argv[1]);
	return tap_done();
}
