/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs inside the test VM (see guest_eal.sh):
 *   vm_eal FLAVOR E1000E_BDF VIRTIO_BDF
 * with both devices bound to the VFIO driver of FLAVOR ("upstream":
 * vfio-pci, "vfnet": vfnet-pci).  vfn_eal_init() with -a on both, then:
 * hugepage memory pinned for DMA (kernel pin counters), memory added later
 * pinned too, BARs mapped (MSI-X table kept out where the kernel says so),
 * the e1000e's receive address register and the virtio-net's MAC read
 * through the BAR mappings are QEMU's MACs, config space, MSI-X eventfd
 * loopback, reset, and teardown back to the baseline pin count; then the
 * diagnostics only a real kernel can produce (group permissions,
 * RLIMIT_MEMLOCK, device not bound).
 *
 * Built from the EAL sources alone (no PMDs), so that this file's PCI
 * driver is the only one that can claim the devices.  CUnit tests,
 * reported in TAP (vfn_cunit_main_tap: one result per test) so that the
 * guest scripts join them with tests/lib/vfn_tap.sh's tap_run.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfn_foll_pins.h"
#include "eal_private.h"
#include "pci_private.h"
#include "vfn_cunit.h"
#include "vfn_eal.h"
#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_pci.h"

static const char *flavor, *e1000e_bdf, *virtio_bdf;
static struct vfn_pci_device *e1000e, *virtio;
static int probes, removes;
static long pins_baseline;

static int test_probe(struct vfn_pci_driver *drv, struct vfn_pci_device *dev)
{
	(void)drv;
	if (!strcmp(dev->name, e1000e_bdf))
		e1000e = dev;
	else if (!strcmp(dev->name, virtio_bdf))
		virtio = dev;
	probes++;
	return 0;
}

static int test_remove(struct vfn_pci_device *dev)
{
	(void)dev;
	removes++;
	return 0;
}

static const struct vfn_pci_id test_ids[] = {
	{ .vendor_id = 0x8086, .device_id = 0x10d3 },
	{ .vendor_id = 0x1af4, .device_id = 0x1041 },
	{ .vendor_id = 0 },
};

static struct vfn_pci_driver test_drv = {
	.name = "vm_eal_test",
	.id_table = test_ids,
	.probe = test_probe,
	.remove = test_remove,
};

static const char *drv_name(void)
{
	return strcmp(flavor, "vfnet") ? "vfio-pci" : "vfnet-pci";
}

static int init_suite(void)
{
	char *argv[] = { (char *)"vm_eal", (char *)"-l", (char *)"0-1",
			 (char *)"-m", (char *)"64", (char *)"--file-prefix",
			 (char *)"vmeal", (char *)"--vfio", (char *)flavor,
			 (char *)"-a", (char *)e1000e_bdf, (char *)"-a",
			 (char *)virtio_bdf, NULL };

	return vfn_eal_init(13, argv) == 12 ? 0 : -1;
}

static int cleanup_suite(void)
{
	if (vfn_eal_is_initialized())
		vfn_eal_cleanup();
	return 0;
}

static void test_probed(void)
{
	CU_ASSERT_STRING_EQUAL(vfn_eal_vfio_flavor(), flavor);
	CU_ASSERT_EQUAL(vfn_eal_iova_mode(), VFN_IOVA_VA);
	CU_ASSERT_TRUE(vfn_eal_has_hugepages());
	CU_ASSERT_EQUAL(probes, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e1000e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(virtio);
	CU_ASSERT_STRING_EQUAL(e1000e->kdrv, drv_name());
	CU_ASSERT_PTR_EQUAL(e1000e->driver, &test_drv);
	CU_ASSERT_TRUE(e1000e->vfio_dev_fd >= 0);
	CU_ASSERT_TRUE(virtio->vfio_dev_fd >= 0);
}

static void test_dma_pins(void)
{
	long pinned = vfn_foll_pins() - pins_baseline, more;
	uint64_t total = vfn_eal_memory_total();
	void *p;

	printf("\n    %s: %ld pages pinned for %" PRIu64 " MB of memory\n",
	       flavor, pinned, total >> 20);
	CU_ASSERT_TRUE(total >= (64ull << 20));
	CU_ASSERT_TRUE(pinned >= (long)(total / 4096));
	/* memory added later is pinned (mapped) as it is added */
	p = vfn_malloc("later", 80ull << 20, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	more = vfn_foll_pins() - pins_baseline - pinned;
	printf("    growth of %" PRIu64 " MB: %ld more pages pinned\n",
	       (vfn_eal_memory_total() - total) >> 20, more);
	CU_ASSERT_TRUE(more >= (long)((vfn_eal_memory_total() - total) / 4096));
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p), (uintptr_t)p);
	vfn_free(p);
}

static void test_config(void)
{
	uint16_t vendor = 0, cmd = 0;

	CU_ASSERT_EQUAL(vfn_pci_read_config(e1000e, &vendor, 2, PCI_VENDOR_ID), 2);
	CU_ASSERT_EQUAL(vendor, 0x8086);
	CU_ASSERT_EQUAL(vfn_pci_read_config(virtio, &vendor, 2, PCI_VENDOR_ID), 2);
	CU_ASSERT_EQUAL(vendor, 0x1af4);
	CU_ASSERT_EQUAL(vfn_pci_set_bus_master(e1000e, 1), 0);
	CU_ASSERT_EQUAL(vfn_pci_read_config(e1000e, &cmd, 2, PCI_COMMAND), 2);
	CU_ASSERT_TRUE(cmd & PCI_COMMAND_MASTER);
	CU_ASSERT_EQUAL(vfn_pci_set_bus_master(e1000e, 0), 0);
	CU_ASSERT_EQUAL(vfn_pci_read_config(e1000e, &cmd, 2, PCI_COMMAND), 2);
	CU_ASSERT_FALSE(cmd & PCI_COMMAND_MASTER);
	CU_ASSERT_TRUE(vfn_pci_find_capability(e1000e, PCI_CAP_ID_MSIX) >= 0x40);
	CU_ASSERT_TRUE(vfn_pci_find_capability(virtio, PCI_CAP_ID_VNDR) >= 0x40);
	CU_ASSERT_EQUAL(vfn_pci_read_config(e1000e, &cmd, 2, 4096), -EINVAL);
}

/* QEMU's MAC of the NIC in slot @slot: 52:54:00:12:34:<slot> */
static void qemu_mac(const struct vfn_pci_device *d, uint8_t mac[6])
{
	static const uint8_t base[5] = { 0x52, 0x54, 0x00, 0x12, 0x34 };

	memcpy(mac, base, 5);
	mac[5] = d->addr.devid;
}

static void test_e1000e_bar(void)
{
	uint8_t *bar0 = e1000e->bar[0].addr, mac[6];
	uint32_t ral, rah, status, status_pread = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(bar0);
	CU_ASSERT_EQUAL(e1000e->bar[0].len, 128 * 1024);
	CU_ASSERT_FALSE(e1000e->bar[0].is_io);
	/* 82574 datasheet 10.2.2.1: STATUS at 0x8; 10.2.5.19: RAL0/RAH0 */
	status = vfn_read32(bar0 + 0x8);
	CU_ASSERT_EQUAL(vfn_pci_bar_read(e1000e, 0, &status_pread, 4, 0x8), 4);
	CU_ASSERT_EQUAL(status, status_pread);
	ral = vfn_read32(bar0 + 0x5400);
	rah = vfn_read32(bar0 + 0x5404);
	qemu_mac(e1000e, mac);
	printf("\n    e1000e STATUS 0x%08x RAL0 0x%08x RAH0 0x%08x\n", status,
	       ral, rah);
	CU_ASSERT_EQUAL(ral, (uint32_t)mac[0] | mac[1] << 8 | mac[2] << 16 |
			(uint32_t)mac[3] << 24);
	CU_ASSERT_EQUAL(rah & 0xffff, (uint32_t)(mac[4] | mac[5] << 8));
	CU_ASSERT_TRUE(rah & 0x80000000u); /* address valid */
	/* the MSI-X BAR (BAR3 on the 82574) is mapped, fully or sparsely */
	CU_ASSERT_TRUE(e1000e->msix_vectors >= 1);
}

/* virtio 1.x: a vendor capability of cfg_type 4 locates device config */
static void test_virtio_bar(void)
{
	uint8_t cap[16], mac[6], got[6];
	int pos;
	bool found = false;

	CU_ASSERT_EQUAL(vfn_pci_read_config(virtio, &cap, 1, PCI_CAPABILITY_LIST), 1);
	pos = cap[0];
	for (int guard = 0; pos >= 0x40 && guard < 48; guard++) {
		CU_ASSERT_EQUAL_FATAL(vfn_pci_read_config(virtio, cap, 16, pos), 16);
		if (cap[0] == PCI_CAP_ID_VNDR && cap[3] == 4 /* DEVICE_CFG */) {
			uint8_t bar = cap[4];
			uint32_t off;
			uint8_t *base;

			memcpy(&off, cap + 8, 4);
			CU_ASSERT_TRUE_FATAL(bar < VFN_PCI_MAX_BARS);
			base = virtio->bar[bar].addr;
			CU_ASSERT_PTR_NOT_NULL_FATAL(base);
			for (int i = 0; i < 6; i++)
				got[i] = vfn_read8(base + off + i);
			qemu_mac(virtio, mac);
			printf("\n    virtio-net MAC %02x:%02x:%02x:%02x:%02x:%02x (BAR%u+0x%x)\n",
			       got[0], got[1], got[2], got[3], got[4], got[5],
			       bar, off);
			CU_ASSERT_EQUAL(memcmp(got, mac, 6), 0);
			found = true;
			break;
		}
		pos = cap[1];
	}
	CU_ASSERT_TRUE(found);
}

/* Permissions of the mapping that holds @addr, from /proc/self/maps. */
static void maps_perms(const void *addr, char perms[5])
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	strcpy(perms, "none");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			memcpy(perms, p, 5);
			break;
		}
	}
	if (f)
		fclose(f);
}

/*
 * The MSI-X table: where the kernel lists sparse-mmap areas (no
 * MSIX_MAPPABLE) the table is a PROT_NONE hole in the BAR mapping and
 * the rest of the BAR is mapped; otherwise the whole BAR is mapped.
 */
static void msix_table_hole(struct vfn_pci_device *d)
{
	int cap = vfn_pci_find_capability(d, PCI_CAP_ID_MSIX);
	uint32_t tbl = 0;
	unsigned int bir;
	struct pci_region *r;
	char perms[5];
	uint8_t *table;

	CU_ASSERT_TRUE_FATAL(cap > 0);
	CU_ASSERT_EQUAL_FATAL(vfn_pci_read_config(d, &tbl, 4, cap + PCI_MSIX_TABLE), 4);
	bir = tbl & PCI_MSIX_TABLE_BIR;
	CU_ASSERT_TRUE_FATAL(bir < VFN_PCI_MAX_BARS);
	r = &pci_priv(d)->region[bir];
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->bar[bir].addr);
	table = (uint8_t *)d->bar[bir].addr + (tbl & PCI_MSIX_TABLE_OFFSET);
	maps_perms(table, perms);
	printf("\n    %s: MSI-X table in BAR%u+0x%x, %s, mapping %s\n", d->name,
	       bir, tbl & PCI_MSIX_TABLE_OFFSET,
	       r->sparse_areas ? "sparse mmap" : "whole BAR mappable", perms);
	if (r->sparse_areas) {
		CU_ASSERT_STRING_EQUAL(perms, "---p");
	} else {
		CU_ASSERT_STRING_EQUAL(perms, "rw-s");
	}
}

static void test_msix_table(void)
{
	msix_table_hole(e1000e);
	msix_table_hole(virtio);
}

static void irq_loopback(struct vfn_pci_device *d)
{
	struct {
		struct vfio_irq_set s;
	} trig = { { .argsz = sizeof(struct vfio_irq_set),
		     .flags = VFIO_IRQ_SET_DATA_NONE |
			      VFIO_IRQ_SET_ACTION_TRIGGER,
		     .index = VFIO_PCI_MSIX_IRQ_INDEX, .start = 1, .count = 1 } };
	int efd[2] = { -1, -1 };
	uint64_t cnt = 0;

	CU_ASSERT_TRUE_FATAL(d->msix_vectors >= 2);
	CU_ASSERT_EQUAL_FATAL(vfn_pci_msix_enable(d, 2, efd), 0);
	CU_ASSERT_TRUE(efd[0] >= 0 && efd[1] >= 0);
	/* nothing pending yet */
	CU_ASSERT_EQUAL(read(efd[1], &cnt, 8), -1);
	CU_ASSERT_EQUAL(ioctl(d->vfio_dev_fd, VFIO_DEVICE_SET_IRQS, &trig), 0);
	CU_ASSERT_EQUAL(read(efd[1], &cnt, 8), 8);
	CU_ASSERT_EQUAL(cnt, 1);
	CU_ASSERT_EQUAL(read(efd[0], &cnt, 8), -1); /* only vector 1 fired */
	CU_ASSERT_EQUAL(vfn_pci_msix_enable(d, 1, efd), -EBUSY);
	CU_ASSERT_EQUAL(vfn_pci_msix_disable(d), 0);
	/* the eventfds were closed */
	CU_ASSERT_EQUAL(fcntl(efd[1], F_GETFD), -1);
}

static void test_irq_e1000e(void)
{
	irq_loopback(e1000e);
}

static void test_irq_virtio(void)
{
	irq_loopback(virtio);
}

static void test_reset(void)
{
	int ret = vfn_pci_reset(e1000e);
	uint16_t vendor = 0;

	printf("\n    e1000e reset: %s\n", ret ? strerror(-ret) : "ok");
	CU_ASSERT_TRUE(ret == 0 || ret == -ENOTSUP);
	CU_ASSERT_EQUAL(vfn_pci_read_config(e1000e, &vendor, 2, 0), 2);
	CU_ASSERT_EQUAL(vendor, 0x8086);
}

static void test_teardown(void)
{
	struct stat st;

	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_EQUAL(removes, 2);
	printf("\n    pins after cleanup: %ld (baseline %ld)\n", vfn_foll_pins(),
	       pins_baseline);
	CU_ASSERT_EQUAL(vfn_foll_pins(), pins_baseline);
	CU_ASSERT_NOT_EQUAL(stat("/dev/hugepages/vmealmap_0", &st), 0);
	/* and again: a second init in the same process works */
	e1000e = virtio = NULL;
	CU_ASSERT_EQUAL_FATAL(init_suite(), 0);
	CU_ASSERT_PTR_NOT_NULL(e1000e);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_EQUAL(vfn_foll_pins(), pins_baseline);
}

/* ---- diagnostics with a real kernel ---- */

static void group_node(const char *bdf, char *out, size_t n)
{
	char path[256], link[256];
	ssize_t len;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	len = readlink(path, link, sizeof(link) - 1);
	link[len > 0 ? len : 0] = '\0';
	snprintf(out, n, "%s/%s", strcmp(flavor, "vfnet") ? "/dev/vfio" : "/dev/vfnet",
		 strrchr(link, '/') ? strrchr(link, '/') + 1 : "?");
}

/* Run vfn_eal_init(@args) in a child as uid nobody; its message in @out. */
static void init_as_nobody(char **args, int argc, long memlock, char *out,
			   size_t n)
{
	int pfd[2], st;
	pid_t pid;
	ssize_t len;

	out[0] = '\0';
	if (pipe(pfd))
		return;
	pid = fork();
	if (!pid) {
		struct rlimit rl = { memlock, memlock };

		close(pfd[0]);
		if (memlock)
			setrlimit(RLIMIT_MEMLOCK, &rl);
		if (setgid(65534) || setuid(65534))
			_exit(2);
		vfn_log_set_level(VFN_LOG_EMERG);
		if (vfn_eal_init(argc, args) >= 0)
			vfn_eal_cleanup();
		len = write(pfd[1], vfn_eal_last_error(),
			    strlen(vfn_eal_last_error()));
		_exit(len < 0);
	}
	close(pfd[1]);
	len = read(pfd[0], out, n - 1);
	out[len > 0 ? len : 0] = '\0';
	close(pfd[0]);
	waitpid(pid, &st, 0);
}

static void test_diag_permissions(void)
{
	char node[128], msg[1024], want[1024], container[64];
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"--vfio", (char *)flavor,
			 (char *)"-a", (char *)e1000e_bdf, NULL };
	struct stat st, cst;

	group_node(e1000e_bdf, node, sizeof(node));
	snprintf(container, sizeof(container), "%s/vfio",
		 strcmp(flavor, "vfnet") ? "/dev/vfio" : "/dev/vfnet");
	CU_ASSERT_EQUAL_FATAL(stat(node, &st), 0);
	CU_ASSERT_EQUAL_FATAL(stat(container, &cst), 0);
	chmod(container, 0666);
	chmod(node, 0600);
	init_as_nobody(args, 8, 0, msg, sizeof(msg));
	snprintf(want, sizeof(want),
		 "permission denied on %s; give this user access with: chown $(id -u) %s (or run as root)",
		 node, node);
	CU_ASSERT_STRING_EQUAL(msg, want);
	chmod(node, st.st_mode & 07777);
	chmod(container, cst.st_mode & 07777);
}

static void test_diag_memlock(void)
{
	char node[128], msg[1024], container[64];
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"-m", (char *)"64",
			 (char *)"--vfio", (char *)flavor, (char *)"-a",
			 (char *)e1000e_bdf, NULL };
	struct stat st, cst;

	group_node(e1000e_bdf, node, sizeof(node));
	snprintf(container, sizeof(container), "%s/vfio",
		 strcmp(flavor, "vfnet") ? "/dev/vfio" : "/dev/vfnet");
	CU_ASSERT_EQUAL_FATAL(stat(node, &st), 0);
	CU_ASSERT_EQUAL_FATAL(stat(container, &cst), 0);
	chmod(container, 0666);
	chmod(node, 0666);
	init_as_nobody(args, 10, 64 << 10, msg, sizeof(msg));
	CU_ASSERT_STRING_EQUAL(msg, "RLIMIT_MEMLOCK is 64 kB but DMA mapping needs 65536 kB; raise it with: ulimit -l 65536 (or memlock in /etc/security/limits.conf), or run as root");
	chmod(node, st.st_mode & 07777);
	chmod(container, cst.st_mode & 07777);
}

static void test_diag_not_bound(void)
{
	const char *env = getenv("VFN_VM_VMXNET3");
	char other[32] = "";
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"--vfio", (char *)flavor,
			 (char *)"-a", other, NULL };
	char want[1024], path[256], link[256];
	const char *kdrv = "";
	ssize_t n;

	/* The first NIC of the vmxnet3 pair: a device nobody bound. */
	if (env)
		sscanf(env, "%31s", other);
	if (!*other)
		vfn_test_skip("no VFN_VM_VMXNET3 device in this VM");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", other);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		kdrv = strrchr(link, '/') + 1;
	}
	vfn_log_set_level(VFN_LOG_EMERG);
	CU_ASSERT_EQUAL(vfn_eal_init(8, args), -1);
	vfn_log_set_level(VFN_LOG_NOTICE);
	if (*kdrv)
		snprintf(want, sizeof(want),
			 "%s is bound to %s; bind it to %s with: echo %s > /sys/bus/pci/devices/%s/driver_override && echo %s > /sys/bus/pci/devices/%s/driver/unbind && echo %s > /sys/bus/pci/drivers_probe",
			 other, kdrv, drv_name(), drv_name(), other, other,
			 other, other);
	else
		snprintf(want, sizeof(want),
			 "%s is not bound to a driver; bind it to %s with: echo %s > /sys/bus/pci/devices/%s/driver_override && echo %s > /sys/bus/pci/drivers_probe",
			 other, drv_name(), drv_name(), other, other);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(), want);
}

static const struct vfn_test_case dev_cases[] = {
	{ "both devices probed", test_probed },
	{ "memory pinned for DMA, growth too", test_dma_pins },
	{ "config space", test_config },
	{ "e1000e BAR0: STATUS and RAL/RAH = QEMU MAC", test_e1000e_bar },
	{ "virtio-net BAR: device config MAC", test_virtio_bar },
	{ "MSI-X table and sparse mmap", test_msix_table },
	{ "e1000e MSI-X eventfd loopback", test_irq_e1000e },
	{ "virtio-net MSI-X eventfd loopback", test_irq_virtio },
	{ "device reset", test_reset },
	{ "teardown: pins back to baseline", test_teardown },
	{ NULL, NULL },
};

static const struct vfn_test_case diag_cases[] = {
	{ "group node permissions", test_diag_permissions },
	{ "RLIMIT_MEMLOCK too low", test_diag_memlock },
	{ "device not bound", test_diag_not_bound },
	{ NULL, NULL },
};

/* ---- modes run in other set-ups (see run_eal_vm.sh, run_eal_noiommu.sh) ---- */

static int init_quiet(char **args, int argc)
{
	int ret;

	vfn_log_set_level(VFN_LOG_EMERG);
	ret = vfn_eal_init(argc, args);
	vfn_log_set_level(VFN_LOG_NOTICE);
	return ret;
}

/* vfnet.ko not loaded, the e1000e bound to nothing, --vfio vfnet */
static void test_diag_not_loaded(void)
{
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"--vfio", (char *)"vfnet",
			 (char *)"-a", (char *)e1000e_bdf, NULL };

	CU_ASSERT_EQUAL(init_quiet(args, 8), -1);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "/dev/vfnet/vfio does not exist: the VFIO kernel driver is not loaded; load it with: insmod vfnet.ko");
}

/* The container's mapping limit (dma_entry_limit = 3, set by the script). */
static void test_dma_limit(void)
{
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0",
			 (char *)"-m", (char *)"16", (char *)"--file-prefix",
			 (char *)"vmeal", (char *)"--vfio", (char *)flavor,
			 (char *)"-a", (char *)e1000e_bdf, NULL };
	void *a, *b, *c;

	CU_ASSERT_EQUAL_FATAL(init_quiet(args, 11), 10);
	CU_ASSERT_EQUAL(eal_vfio.dma_avail, 3);
	CU_ASSERT_EQUAL(eal_vfio.dma_used, 1);
	a = vfn_malloc("a", 20 << 20, 0); /* second segment, second map */
	b = vfn_malloc("b", 20 << 20, 0); /* third */
	CU_ASSERT_PTR_NOT_NULL(a);
	CU_ASSERT_PTR_NOT_NULL(b);
	CU_ASSERT_EQUAL(eal_vfio.dma_used, 3);
	vfn_log_set_level(VFN_LOG_EMERG);
	c = vfn_malloc("c", 20 << 20, 0); /* would be a fourth: refused */
	vfn_log_set_level(VFN_LOG_NOTICE);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "the VFIO container's limit of DMA mappings is reached (3); use fewer, larger memory segments (-m at start)");
	CU_ASSERT_EQUAL(eal_memseg_count(), 3); /* the refused one is gone */
	vfn_free(a);
	vfn_free(b);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	CU_ASSERT_EQUAL(vfn_foll_pins(), pins_baseline);
}

/* No IOMMU, no-IOMMU mode on: IOVA = physical address, no DMA mapping. */
static void test_noiommu(void)
{
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0-1",
			 (char *)"-m", (char *)"16", (char *)"--file-prefix",
			 (char *)"vmeal", (char *)"--vfio", (char *)flavor,
			 (char *)"-a", (char *)e1000e_bdf, NULL };
	char *va[] = { (char *)"p", (char *)"-l", (char *)"0",
		       (char *)"--iova-mode", (char *)"va", (char *)"--vfio",
		       (char *)flavor, (char *)"-a", (char *)e1000e_bdf, NULL };
	uint8_t *p, mac[6];
	uint32_t ral;

	CU_ASSERT_EQUAL_FATAL(init_quiet(args, 11), 10);
	CU_ASSERT_TRUE(eal_vfio.noiommu);
	CU_ASSERT_EQUAL(vfn_eal_iova_mode(), VFN_IOVA_PA);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e1000e);
	CU_ASSERT_EQUAL(vfn_foll_pins(), pins_baseline); /* nothing mapped */
	p = vfn_malloc("pa", 8192, 4096);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p), eal_virt2phys(p));
	CU_ASSERT_EQUAL(vfn_mem_virt2iova(p + 4097), eal_virt2phys(p + 4097));
	CU_ASSERT_NOT_EQUAL(vfn_mem_virt2iova(p), (uintptr_t)p);
	vfn_free(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e1000e->bar[0].addr);
	ral = vfn_read32((uint8_t *)e1000e->bar[0].addr + 0x5400);
	qemu_mac(e1000e, mac);
	CU_ASSERT_EQUAL(ral, (uint32_t)mac[0] | mac[1] << 8 | mac[2] << 16 |
			(uint32_t)mac[3] << 24);
	/* no interrupt remapping here: the MSI-X table is cut out */
	msix_table_hole(e1000e);
	CU_ASSERT_TRUE(pci_priv(e1000e)->region[3].sparse_areas >= 1);
	irq_loopback(e1000e);
	CU_ASSERT_EQUAL(vfn_eal_cleanup(), 0);
	/* VA makes no sense without an IOMMU */
	CU_ASSERT_EQUAL(init_quiet(va, 9), -1);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "invalid EAL argument '--iova-mode va': the devices are in no-IOMMU mode, which needs --iova-mode pa");
}

/* No IOMMU and no-IOMMU mode off: the device cannot be bound. */
static void test_diag_no_iommu(void)
{
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"--vfio", (char *)flavor,
			 (char *)"-a", (char *)e1000e_bdf, NULL };
	char want[512];

	struct stat st;

	CU_ASSERT_EQUAL(init_quiet(args, 8), -1);
	if (!strcmp(flavor, "vfnet") ||
	    !stat("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode", &st))
		snprintf(want, sizeof(want),
			 "no IOMMU: /sys/kernel/iommu_groups is empty; boot with intel_iommu=on (Intel) or amd_iommu=on (AMD), or use the unsafe no-IOMMU mode: echo 1 > /sys/module/%s/parameters/enable_unsafe_noiommu_mode, then rebind the device",
			 strcmp(flavor, "vfnet") ? "vfio" : "vfnet");
	else
		snprintf(want, sizeof(want),
			 "no IOMMU: /sys/kernel/iommu_groups is empty; boot with intel_iommu=on (Intel) or amd_iommu=on (AMD) (this kernel's vfio has no no-IOMMU mode; vfnet.ko has one: --vfio vfnet)");
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(), want);
}

/*
 * A group with a device bound to a host driver: @e1000e_bdf here is a
 * chipset function bound to VFIO whose sibling the script bound to ahci.
 */
static void test_diag_not_viable(void)
{
	char *args[] = { (char *)"p", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"--vfio", (char *)flavor,
			 (char *)"-a", (char *)e1000e_bdf, NULL };
	const char *sibling = getenv("VFN_EAL_SIBLING");
	char want[512], path[256], link[256], *group;
	ssize_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sibling);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 e1000e_bdf);
	n = readlink(path, link, sizeof(link) - 1);
	CU_ASSERT_TRUE_FATAL(n > 0);
	link[n] = '\0';
	group = strrchr(link, '/') + 1;
	CU_ASSERT_EQUAL(init_quiet(args, 8), -1);
	snprintf(want, sizeof(want),
		 "IOMMU group %s of %s is not viable: %s (bound to ahci) in the same group must be bound to the same VFIO driver or unbound",
		 group, e1000e_bdf, sibling);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(), want);
}

static const struct vfn_test_case notviable_cases[] = {
	{ "group not viable", test_diag_not_viable },
	{ NULL, NULL },
};

static const struct vfn_test_case notloaded_cases[] = {
	{ "kernel driver not loaded", test_diag_not_loaded },
	{ NULL, NULL },
};

static const struct vfn_test_case dmalimit_cases[] = {
	{ "DMA mapping limit honoured", test_dma_limit },
	{ NULL, NULL },
};

static const struct vfn_test_case noiommu_cases[] = {
	{ "no-IOMMU mode: IOVA as PA", test_noiommu },
	{ NULL, NULL },
};

static const struct vfn_test_case noiommu_off_cases[] = {
	{ "no IOMMU", test_diag_no_iommu },
	{ NULL, NULL },
};

static int usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s upstream|vfnet E1000E_BDF VIRTIO_BDF\n"
		"       %s notloaded|notviable|dmalimit|noiommu|noiommu-off FLAVOR BDF\n",
		prog, prog);
	return 2;
}

int main(int argc, char **argv)
{
	static struct vfn_test_suite dev_suite = {
		NULL, init_suite, cleanup_suite, dev_cases,
	};
	static struct vfn_test_suite diag_suite = {
		NULL, NULL, NULL, diag_cases,
	};
	static struct vfn_test_suite mode_suite = {
		NULL, NULL, cleanup_suite, NULL,
	};
	static char n1[64], n2[64];
	const struct vfn_test_suite *suites[] = { &dev_suite, &diag_suite, NULL };
	const struct vfn_test_suite *one[] = { &mode_suite, NULL };
	const char *mode = argc > 1 ? argv[1] : "";

	if (argc != 4)
		return usage(argv[0]);
	vfn_pci_register_driver(&test_drv);
	pins_baseline = vfn_foll_pins();
	if (!strcmp(mode, "upstream") || !strcmp(mode, "vfnet")) {
		flavor = mode;
		e1000e_bdf = argv[2];
		virtio_bdf = argv[3];
		snprintf(n1, sizeof(n1), "vm_eal_%s", flavor);
		snprintf(n2, sizeof(n2), "vm_eal_diag_%s", flavor);
		dev_suite.name = n1;
		diag_suite.name = n2;
		return vfn_cunit_main_tap(suites);
	}
	flavor = argv[2];
	e1000e_bdf = argv[3];
	virtio_bdf = "none";
	snprintf(n1, sizeof(n1), "vm_eal_%s_%s", mode, flavor);
	mode_suite.name = n1;
	if (!strcmp(mode, "notloaded"))
		mode_suite.cases = notloaded_cases;
	else if (!strcmp(mode, "notviable"))
		mode_suite.cases = notviable_cases;
	else if (!strcmp(mode, "dmalimit"))
		mode_suite.cases = dmalimit_cases;
	else if (!strcmp(mode, "noiommu"))
		mode_suite.cases = noiommu_cases;
	else if (!strcmp(mode, "noiommu-off"))
		mode_suite.cases = noiommu_off_cases;
	else
		return usage(argv[0]);
	return vfn_cunit_main_tap(one);
}
