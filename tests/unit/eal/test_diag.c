/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The diagnostics a person acts on, each checked word for word.  Where
 * the situation can be staged without a VM, vfn_eal_init() runs against a
 * fake /sys, /proc and /dev tree (eal_sysfs_root & co.); the rest is
 * checked in tests/vm/eal with real devices.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_cunit.h"
#include "vfn_log.h"

static char root[64];

static void put(const char *rel, const char *content)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static void mkdirs(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/.keep", rel);
	put(path, "");
}

static void link_to(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
	CU_ASSERT_EQUAL(symlink(target, path), 0);
}

/* A fake PCI device @bdf bound to @drv ("" = none) in IOMMU group @grp
 * (-1 = none). */
static void fake_dev(const char *bdf, const char *drv, int grp)
{
	char rel[256], tgt[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/vendor", bdf);
	put(rel, "0x8086\n");
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/device", bdf);
	put(rel, "0x10d3\n");
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/class", bdf);
	put(rel, "0x020000\n");
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/resource", bdf);
	put(rel, "0x00000000febc0000 0x00000000febdffff 0x0000000000040200\n");
	if (drv[0]) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s/new_id", drv);
		put(rel, "");
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver", bdf);
		snprintf(tgt, sizeof(tgt), "%s/sys/bus/pci/drivers/%s", root,
			 drv);
		link_to(tgt, rel);
	}
	if (grp >= 0) {
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices/x",
			 grp);
		put(rel, "");
		snprintf(tgt, sizeof(tgt), "%s/sys/kernel/iommu_groups/%d/devices/x",
			 root, grp);
		unlink(tgt);
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices/%s",
			 grp, bdf);
		snprintf(tgt, sizeof(tgt), "%s/sys/bus/pci/devices/%s", root, bdf);
		link_to(tgt, rel);
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/iommu_group",
			 bdf);
		snprintf(tgt, sizeof(tgt), "%s/sys/kernel/iommu_groups/%d", root,
			 grp);
		link_to(tgt, rel);
	}
}

static char sys_root[128], dev_root[128], proc_root[128];

static int setup_tree(void)
{
	snprintf(root, sizeof(root), "/tmp/vfn_diag_XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(sys_root, sizeof(sys_root), "%s/sys", root);
	snprintf(dev_root, sizeof(dev_root), "%s/dev", root);
	snprintf(proc_root, sizeof(proc_root), "%s/proc", root);
	mkdirs("sys/kernel/iommu_groups");
	mkdirs("sys/bus/pci/devices");
	mkdirs("dev");
	put("proc/meminfo", "Hugepagesize:       2048 kB\n");
	put("proc/mounts", "proc /proc proc rw 0 0\n");
	eal_sysfs_root = sys_root;
	eal_dev_root = dev_root;
	eal_proc_root = proc_root;
	return 0;
}

static void teardown_tree(void)
{
	char cmd[128];

	eal_sysfs_root = "/sys";
	eal_dev_root = "/dev";
	eal_proc_root = "/proc";
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", root);
}

static int init_args(const char *a1, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;
	const char *s;
	int ret;

	argv[argc++] = (char *)"prog";
	va_start(ap, a1);
	for (s = a1; s && argc < 31; s = va_arg(ap, const char *))
		argv[argc++] = (char *)s;
	va_end(ap);
	argv[argc] = NULL;
	vfn_log_set_level(VFN_LOG_EMERG);
	ret = vfn_eal_init(argc, argv);
	vfn_log_set_level(VFN_LOG_NOTICE);
	if (ret >= 0)
		vfn_eal_cleanup();
	return ret;
}

#define ERR_IS(msg) CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(), msg)

static void test_no_hugepages(void)
{
	char mnt[256];

	if (setup_tree())
		vfn_test_skip("cannot create a temporary directory");
	put("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "0\n");
	put("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "0\n");
	snprintf(mnt, sizeof(mnt),
		 "proc /proc proc rw 0 0\nnodev %s hugetlbfs rw,relatime,pagesize=2M 0 0\n",
		 root);
	put("proc/mounts", mnt);
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-pci", "-m", "128",
				  "--file-prefix", "diagtest", NULL), -1);
	ERR_IS("no hugepages of 2048 kB: 128 MB needs 64 pages, 0 free; reserve them with: echo 64 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages (or run with --no-huge)");
	/* some reserved, not enough: the command gives the new total */
	put("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "10\n");
	put("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "30\n");
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-pci", "-m", "128",
				  "--file-prefix", "diagtest", NULL), -1);
	ERR_IS("not enough hugepages of 2048 kB: 128 MB needs 64 pages, 10 free; reserve them with: echo 84 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages (or run with --no-huge)");
	teardown_tree();
}

static void test_no_hugetlbfs(void)
{
	if (setup_tree())
		vfn_test_skip("cannot create a temporary directory");
	put("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "512\n");
	put("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "512\n");
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-pci", "-m", "64",
				  "--file-prefix", "diagtest", NULL), -1);
	ERR_IS("no hugetlbfs mount for 2048 kB pages; mount one with: mkdir -p /dev/hugepages && mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages (or run with --in-memory)");
	teardown_tree();
}

static void test_no_iommu(void)
{
	if (setup_tree())
		vfn_test_skip("cannot create a temporary directory");
	fake_dev("0000:00:02.0", "e1000e", -1);
	/* upstream VFIO built without CONFIG_VFIO_NOIOMMU (Debian's) */
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "-a", "00:02.0",
				  NULL), -1);
	ERR_IS("no IOMMU: /sys/kernel/iommu_groups is empty; boot with intel_iommu=on (Intel) or amd_iommu=on (AMD) (this kernel's vfio has no no-IOMMU mode; vfnet.ko has one: --vfio vfnet)");
	/* and with it */
	put("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N\n");
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "-a", "00:02.0",
				  NULL), -1);
	ERR_IS("no IOMMU: /sys/kernel/iommu_groups is empty; boot with intel_iommu=on (Intel) or amd_iommu=on (AMD), or use the unsafe no-IOMMU mode: echo 1 > /sys/module/vfio/parameters/enable_unsafe_noiommu_mode, then rebind the device");
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "--vfio", "vfnet",
				  "-a", "00:02.0", NULL), -1);
	ERR_IS("no IOMMU: /sys/kernel/iommu_groups is empty; boot with intel_iommu=on (Intel) or amd_iommu=on (AMD), or use the unsafe no-IOMMU mode: echo 1 > /sys/module/vfnet/parameters/enable_unsafe_noiommu_mode, then rebind the device");
	teardown_tree();
}

static void test_not_bound(void)
{
	if (setup_tree())
		vfn_test_skip("cannot create a temporary directory");
	fake_dev("0000:00:02.0", "e1000e", 3);
	fake_dev("0000:00:03.0", "", 4);
	put("dev/vfio/vfio", ""); /* upstream VFIO loaded, vfnet not */
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "-a", "00:02.0",
				  NULL), -1);
	ERR_IS("0000:00:02.0 is bound to e1000e; bind it to vfio-pci with: echo vfio-pci > /sys/bus/pci/devices/0000:00:02.0/driver_override && echo 0000:00:02.0 > /sys/bus/pci/devices/0000:00:02.0/driver/unbind && echo 0000:00:02.0 > /sys/bus/pci/drivers_probe");
	put("dev/vfnet/vfio", ""); /* vfnet loaded too */
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "--vfio", "vfnet",
				  "-a", "0000:00:03.0", NULL), -1);
	ERR_IS("0000:00:03.0 is not bound to a driver; bind it to vfnet-pci with: echo vfnet-pci > /sys/bus/pci/devices/0000:00:03.0/driver_override && echo 0000:00:03.0 > /sys/bus/pci/drivers_probe");
	/* a device that does not exist */
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "-a", "00:09.0",
				  NULL), -1);
	ERR_IS("invalid EAL argument '-a 0000:00:09.0': no such PCI device (see lspci -D)");
	teardown_tree();
}

static void test_driver_not_loaded(void)
{
	char want[512];

	if (setup_tree())
		vfn_test_skip("cannot create a temporary directory");
	fake_dev("0000:00:02.0", "vfio-pci", 5);
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "-a", "00:02.0",
				  NULL), -1);
	snprintf(want, sizeof(want),
		 "%s/vfio/vfio does not exist: the VFIO kernel driver is not loaded; load it with: modprobe vfio-pci",
		 dev_root);
	ERR_IS(want);
	/* a device to bind, but the driver to bind it to is not loaded */
	fake_dev("0000:00:03.0", "e1000e", 6);
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "--vfio", "vfnet",
				  "-a", "00:03.0", NULL), -1);
	snprintf(want, sizeof(want),
		 "%s/vfnet/vfio does not exist: the VFIO kernel driver is not loaded; load it with: insmod vfnet.ko",
		 dev_root);
	ERR_IS(want);
	/* forced to vfnet, a device on vfio-pci is not ours: nothing to open */
	CU_ASSERT_EQUAL(init_args("-l", "0", "--no-huge", "--vfio", "vfnet",
				  NULL), 5);
	teardown_tree();
}

static void test_group_not_viable(void)
{
	char others[512], msg[1024];

	if (setup_tree())
		vfn_test_skip("cannot create a temporary directory");
	fake_dev("0000:00:02.0", "vfio-pci", 7);
	fake_dev("0000:00:02.1", "e1000e", 7);
	fake_dev("0000:00:02.2", "", 7);
	fake_dev("0000:00:02.3", "pcieport", 7);
	eal_vfio_choose(EAL_VFIO_UPSTREAM, NULL);
	CU_ASSERT_EQUAL(eal_vfio_group_offenders("7", "0000:00:02.0", others,
						 sizeof(others)), 1);
	CU_ASSERT_STRING_EQUAL(others, "0000:00:02.1 (bound to e1000e)");
	eal_diag_group_not_viable(msg, sizeof(msg), "0000:00:02.0", "7",
				  others);
	CU_ASSERT_STRING_EQUAL(msg, "IOMMU group 7 of 0000:00:02.0 is not viable: 0000:00:02.1 (bound to e1000e) in the same group must be bound to the same VFIO driver or unbound");
	/* with vfnet, a sibling on upstream vfio-pci blocks too */
	eal_vfio_choose(EAL_VFIO_VFNET, NULL);
	CU_ASSERT_EQUAL(eal_vfio_group_offenders("7", "0000:00:02.1", others,
						 sizeof(others)), 1);
	CU_ASSERT_STRING_EQUAL(others, "0000:00:02.0 (bound to vfio-pci)");
	eal_vfio_close();
	teardown_tree();
}

/* Run @fn in a child with uid/gid nobody; returns its message. */
static void as_nobody(void (*fn)(void), char *out, size_t n)
{
	int pfd[2], st;
	pid_t pid;
	ssize_t len;

	out[0] = '\0';
	if (pipe(pfd))
		return;
	pid = fork();
	if (!pid) {
		close(pfd[0]);
		if (setgid(65534) || setuid(65534))
			_exit(2);
		fn();
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

static void memlock_child(void)
{
	struct rlimit rl = { 64 << 10, 64 << 10 };

	setrlimit(RLIMIT_MEMLOCK, &rl);
	vfn_log_set_level(VFN_LOG_EMERG);
	eal_vfio.noiommu = false;
	eal_vfio_check_memlock(1ull << 30);
}

static void test_memlock(void)
{
	char msg[1024];

	if (geteuid() != 0)
		vfn_test_skip("needs root to switch to an unprivileged user");
	as_nobody(memlock_child, msg, sizeof(msg));
	CU_ASSERT_STRING_EQUAL(msg, "RLIMIT_MEMLOCK is 64 kB but DMA mapping needs 1048576 kB; raise it with: ulimit -l 1048576 (or memlock in /etc/security/limits.conf), or run as root");
}

static void perm_child(void)
{
	char *argv[] = { (char *)"prog", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"-a", (char *)"00:02.0",
			 NULL };

	vfn_log_set_level(VFN_LOG_EMERG);
	vfn_eal_init(6, argv);
}

static void test_permissions(void)
{
	char msg[1024], want[1024];

	if (geteuid() != 0)
		vfn_test_skip("needs root to switch to an unprivileged user");
	if (setup_tree())
		vfn_test_skip("cannot create a temporary directory");
	chmod(root, 0755);
	fake_dev("0000:00:02.0", "vfio-pci", 5);
	put("dev/vfio/vfio", "");
	snprintf(want, sizeof(want), "%s/vfio/vfio", dev_root);
	chmod(want, 0600);
	as_nobody(perm_child, msg, sizeof(msg));
	snprintf(want, sizeof(want),
		 "permission denied on %s/vfio/vfio; give this user access with: chown $(id -u) %s/vfio/vfio (or run as root)",
		 dev_root, dev_root);
	CU_ASSERT_STRING_EQUAL(msg, want);
	teardown_tree();
}

/*
 * eal_error() keeps errno: callers report the error, then return -1 with
 * the errno of the call that failed.  Logging to a full stderr
 * (/dev/full) sets errno to ENOSPC inside eal_error(); it must not leak.
 */
static void test_error_keeps_errno(void)
{
	int full = open("/dev/full", O_WRONLY), saved = dup(2);

	CU_ASSERT_TRUE_FATAL(full >= 0 && saved >= 0);
	CU_ASSERT_EQUAL_FATAL(dup2(full, 2), 2);
	errno = EACCES;
	eal_error("a test error: %s", strerror(errno));
	CU_ASSERT_EQUAL(errno, EACCES);
	dup2(saved, 2);
	close(saved);
	close(full);
	CU_ASSERT_STRING_EQUAL(vfn_eal_last_error(),
			       "a test error: Permission denied");
}

static const struct vfn_test_case diag_cases[] = {
	{ "eal_error keeps errno", test_error_keeps_errno },
	{ "no hugepages reserved", test_no_hugepages },
	{ "no hugetlbfs mount", test_no_hugetlbfs },
	{ "no IOMMU", test_no_iommu },
	{ "device not bound", test_not_bound },
	{ "kernel driver not loaded", test_driver_not_loaded },
	{ "group not viable", test_group_not_viable },
	{ "RLIMIT_MEMLOCK too low", test_memlock },
	{ "wrong permissions on a VFIO node", test_permissions },
	{ NULL, NULL },
};

static const struct vfn_test_suite diag_suite = {
	"eal_diag", NULL, NULL, diag_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &diag_suite, NULL };

	return vfn_cunit_main(suites);
}
