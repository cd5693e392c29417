/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI device-fd conformance test, run in the test VM against a device
 * bound to vfnet-pci or to upstream vfio-pci: every check must give the
 * same answer on both.
 *
 * usage: pci_conformance [MODE] CONTAINER GROUPDIR BDF
 *   MODE: (none)      regions, config virtualization, IRQ semantics, reset
 *         --irq-real  e1000e only: device-raised MSI-X and INTx
 *         --fuzz N    N random config writes, then check the device
 *         --unbind DRIVER  unbind while open: REQ fires, close completes it
 * Reports in TAP (tests/lib/vfn_tap.h); exits 1 if a check failed.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/pci_regs.h>

#include "vfio_open.h"
#include "pci_tests.h"

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/* Read a dword through a mapping; returns -1 on SIGBUS */
static int mmio_read32(volatile uint32_t *p, uint32_t *val)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int ret = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(bus_jmp, 1))
		ret = -1;
	else
		*val = *p;
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

static void test_device_info(struct dev_ctx *c)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int ret;

	ret = ioctl(c->v.device, VFIO_DEVICE_GET_INFO, &info);
	TAP_CHECK(ret == 0, "GET_INFO: %s", strerror(errno));
	TAP_CHECK(info.flags & VFIO_DEVICE_FLAGS_PCI, "flags %#x have PCI", info.flags);
	TAP_CHECK(info.num_regions == VFIO_PCI_NUM_REGIONS, "num_regions %u",
	      info.num_regions);
	TAP_CHECK(info.num_irqs == VFIO_PCI_NUM_IRQS, "num_irqs %u", info.num_irqs);
	c->reset_flag = !!(info.flags & VFIO_DEVICE_FLAGS_RESET);

	/* the pre-cap_offset size is still accepted */
	info.argsz = offsetof(struct vfio_device_info, cap_offset);
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_INFO, &info);
	TAP_CHECK(ret == 0, "GET_INFO with 16-byte argsz: %s", strerror(errno));

	info.argsz = offsetof(struct vfio_device_info, cap_offset) - 1;
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_INFO, &info);
	TAP_CHECK(ret == -1 && errno == EINVAL, "short argsz: ret %d errno %d", ret, errno);

	/* VFIO_DEVICE_FEATURE: header checks, then nothing we or upstream offer */
	{
		struct vfio_device_feature f = { .argsz = sizeof(f) };

		f.argsz = offsetof(struct vfio_device_feature, flags);
		ret = ioctl(c->v.device, VFIO_DEVICE_FEATURE, &f);
		TAP_CHECK(ret == -1 && errno == EINVAL, "FEATURE short argsz: %d errno %d", ret, errno);
		f.argsz = sizeof(f);
		f.flags = 1u << 20 | VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION;
		ret = ioctl(c->v.device, VFIO_DEVICE_FEATURE, &f);
		TAP_CHECK(ret == -1 && errno == EINVAL, "FEATURE unknown flag: %d errno %d", ret, errno);
		f.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET |
			  VFIO_DEVICE_FEATURE_MIGRATION;
		ret = ioctl(c->v.device, VFIO_DEVICE_FEATURE, &f);
		TAP_CHECK(ret == -1 && errno == EINVAL, "FEATURE GET|SET: %d errno %d", ret, errno);
		f.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
			  VFIO_DEVICE_FEATURE_MIGRATION;
		ret = ioctl(c->v.device, VFIO_DEVICE_FEATURE, &f);
		TAP_CHECK(ret == -1 && errno == ENOTTY, "FEATURE migration probe: %d errno %d", ret, errno);
		f.flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
			  VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
		ret = ioctl(c->v.device, VFIO_DEVICE_FEATURE, &f);
		TAP_CHECK(ret == -1 && errno == ENOTTY, "FEATURE VF token probe: %d errno %d", ret, errno);
	}

	ret = ioctl(c->v.device, _IO(VFIO_TYPE, VFIO_BASE + 40));
	TAP_CHECK(ret == -1 && errno == ENOTTY, "unknown ioctl: ret %d errno %d", ret, errno);
}

static int region_info(struct dev_ctx *c, uint32_t index,
		       struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(c->v.device, VFIO_DEVICE_GET_REGION_INFO, info) ? -errno : 0;
}

/* Walk a region's capability chain in @buf of @len bytes */
static void check_msix_caps(struct dev_ctx *c, int bar)
{
	char buf[4096];
	struct vfio_region_info *info = (struct vfio_region_info *)buf;
	struct vfio_info_cap_header *hdr;
	uint32_t need, off;
	int ret, seen = 0;

	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(*info);
	info->index = bar;
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_REGION_INFO, info);
	TAP_CHECK(ret == 0, "region %d info: %s", bar, strerror(errno));
	TAP_CHECK(info->flags & VFIO_REGION_INFO_FLAG_CAPS,
	      "MSI-X BAR %d has no capability (flags %#x)", bar, info->flags);
	need = info->argsz;
	TAP_CHECK(need > sizeof(*info), "MSI-X BAR argsz %u not grown", need);
	TAP_CHECK(info->cap_offset == 0, "cap_offset %u without room", info->cap_offset);
	if (need <= sizeof(*info) || need > sizeof(buf))
		return;

	memset(buf, 0, sizeof(buf));
	info->argsz = need;
	info->index = bar;
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_REGION_INFO, info);
	TAP_CHECK(ret == 0 && info->cap_offset >= sizeof(*info),
	      "region %d info with room: ret %d cap_offset %u", bar, ret,
	      info->cap_offset);
	for (off = info->cap_offset; off && off + sizeof(*hdr) <= need && seen < 8;
	     off = hdr->next) {
		hdr = (struct vfio_info_cap_header *)(buf + off);
		seen++;
		if (hdr->id == VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) {
			c->msix_mappable = 1;
		} else if (hdr->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
			struct vfio_region_info_cap_sparse_mmap *s = (void *)hdr;
			uint32_t i;

			for (i = 0; i < s->nr_areas; i++) {
				uint64_t e = s->areas[i].offset + s->areas[i].size;

				TAP_CHECK(e <= c->bar_size[bar], "sparse area past BAR");
				TAP_CHECK(!(c->msix_off < e &&
					s->areas[i].offset < c->msix_off + c->msix_len),
				      "sparse area %u covers the MSI-X table", i);
			}
		}
	}
	TAP_CHECK(seen >= 1, "capability chain not empty");
	tap_diag("info: %s MSI-X BAR %d is %s", c->v.bdf, bar,
	       c->msix_mappable ? "MSIX_MAPPABLE" : "sparse-mmapped");
}

static void test_regions(struct dev_ctx *c)
{
	struct vfio_region_info info;
	uint32_t i;
	int ret;

	ret = region_info(c, VFIO_PCI_CONFIG_REGION_INDEX, &info);
	TAP_CHECK(ret == 0, "config region info: %d", ret);
	TAP_CHECK(info.size == (uint64_t)c->cfg_size, "config size %llu, sysfs %d",
	      (unsigned long long)info.size, c->cfg_size);
	TAP_CHECK(info.offset == REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX), "config offset %#llx",
	      (unsigned long long)info.offset);
	TAP_CHECK(info.flags == (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE),
	      "config flags %#x", info.flags);

	for (i = VFIO_PCI_BAR0_REGION_INDEX; i <= VFIO_PCI_BAR5_REGION_INDEX; i++) {
		uint64_t fl, size = sysfs_resource_size(c->v.bdf, i, &fl);
		uint32_t want = 0;

		ret = region_info(c, i, &info);
		TAP_CHECK(ret == 0, "BAR%u info: %d", i, ret);
		TAP_CHECK(info.offset == REGION_OFF(i), "BAR%u offset %#llx", i,
		      (unsigned long long)info.offset);
		TAP_CHECK(info.size == size, "BAR%u size %llu, sysfs %llu", i,
		      (unsigned long long)info.size, (unsigned long long)size);
		c->bar_size[i] = info.size;
		c->bar_is_mem[i] = size && (fl & 0x200);	/* IORESOURCE_MEM */
		if (size) {
			want = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
			if (c->bar_is_mem[i] && size >= (uint64_t)getpagesize())
				want |= VFIO_REGION_INFO_FLAG_MMAP;
		}
		if ((int)i == c->msix_bar && (want & VFIO_REGION_INFO_FLAG_MMAP))
			want |= VFIO_REGION_INFO_FLAG_CAPS;
		TAP_CHECK(info.flags == want, "BAR%u flags %#x want %#x", i, info.flags, want);
		if ((int)i == c->msix_bar && (want & VFIO_REGION_INFO_FLAG_MMAP))
			check_msix_caps(c, i);
	}

	ret = region_info(c, VFIO_PCI_ROM_REGION_INDEX, &info);
	TAP_CHECK(ret == 0, "ROM info: %d", ret);
	TAP_CHECK(info.offset == REGION_OFF(VFIO_PCI_ROM_REGION_INDEX), "ROM offset");
	TAP_CHECK(info.flags == 0 || info.flags == VFIO_REGION_INFO_FLAG_READ,
	      "ROM flags %#x", info.flags);
	c->rom_size = info.size;
	tap_diag("info: %s ROM region size %llu", c->v.bdf,
	       (unsigned long long)info.size);

	ret = region_info(c, VFIO_PCI_VGA_REGION_INDEX, &info);
	TAP_CHECK(ret == -EINVAL, "VGA region on a non-VGA device: %d", ret);
	ret = region_info(c, VFIO_PCI_NUM_REGIONS, &info);
	TAP_CHECK(ret == -EINVAL, "region index 9: %d", ret);
	ret = region_info(c, 0xffffffff, &info);
	TAP_CHECK(ret == -EINVAL, "region index ~0: %d", ret);

	info.argsz = offsetof(struct vfio_region_info, offset);
	info.index = 0;
	ret = ioctl(c->v.device, VFIO_DEVICE_GET_REGION_INFO, &info);
	TAP_CHECK(ret == -1 && errno == EINVAL, "short region argsz: %d", ret);
}

/* First mappable memory BAR without the MSI-X table, or -1 */
static int first_mmap_bar(struct dev_ctx *c)
{
	int i;

	for (i = 0; i < 6; i++)
		if (c->bar_is_mem[i] && c->bar_size[i] >= (uint64_t)getpagesize() &&
		    i != c->msix_bar)
			return i;
	return -1;
}

static void test_bar_rw(struct dev_ctx *c)
{
	uint8_t buf[16];
	uint32_t val, mval;
	int bar = first_mmap_bar(c), ret, i;
	long pg = getpagesize();
	void *map;

	for (i = 0; i < 6; i++) {
		if (!c->bar_size[i]) {
			ret = pread(c->v.device, buf, 4, REGION_OFF(i));
			TAP_CHECK(ret == -1 && errno == EINVAL, "read of empty BAR%d: %d", i, ret);
			continue;
		}
		ret = pread(c->v.device, buf, 4, REGION_OFF(i) + c->bar_size[i]);
		TAP_CHECK(ret == -1 && errno == EINVAL, "read past BAR%d: %d", i, ret);
		/* a read straddling the end is cut short */
		ret = pread(c->v.device, buf, 8, REGION_OFF(i) + c->bar_size[i] - 4);
		TAP_CHECK(ret == 4, "read across the end of BAR%d: %d", i, ret);
	}

	/* ROM is read-only */
	ret = pwrite(c->v.device, buf, 4, REGION_OFF(VFIO_PCI_ROM_REGION_INDEX));
	TAP_CHECK(ret == -1 && errno == EINVAL, "ROM write: %d", ret);
	if (c->rom_size) {
		ret = pread(c->v.device, buf, 2, REGION_OFF(VFIO_PCI_ROM_REGION_INDEX));
		TAP_CHECK(ret == 2, "ROM read: %d", ret);
		TAP_CHECK(ret != 2 || (buf[0] == 0x55 && buf[1] == 0xaa),
		      "ROM signature %02x%02x", buf[0], buf[1]);
	}

	ret = pread(c->v.device, buf, 4, REGION_OFF(VFIO_PCI_NUM_REGIONS));
	TAP_CHECK(ret == -1 && errno == EINVAL, "read of region 9: %d", ret);

	/* MSI-X table through read/write: all-ones, writes dropped */
	if (c->msix_bar >= 0) {
		uint32_t t[4] = { 0x12345678, 0, 0, 0 };

		ret = pread(c->v.device, buf, 16, REGION_OFF(c->msix_bar) + c->msix_off);
		TAP_CHECK(ret == 16, "MSI-X table read: %d", ret);
		for (i = 0; i < 16; i++)
			if (buf[i] != 0xff)
				break;
		TAP_CHECK(i == 16, "MSI-X table read byte %d = %#x, want 0xff", i, buf[i]);
		ret = pwrite(c->v.device, t, 16, REGION_OFF(c->msix_bar) + c->msix_off);
		TAP_CHECK(ret == 16, "MSI-X table write: %d (should be dropped silently)", ret);
	}

	if (bar < 0)
		return;

	ret = pread(c->v.device, &val, 4, REGION_OFF(bar));
	TAP_CHECK(ret == 4, "BAR%d read: %d", bar, ret);

	/* mmap: errors first */
	map = mmap(NULL, pg, PROT_READ, MAP_PRIVATE, c->v.device, REGION_OFF(bar));
	TAP_CHECK(map == MAP_FAILED && errno == EINVAL, "MAP_PRIVATE refused (EINVAL)");
	if (map != MAP_FAILED)
		munmap(map, pg);
	map = mmap(NULL, pg, PROT_READ, MAP_SHARED, c->v.device,
		   REGION_OFF(bar) + ((c->bar_size[bar] + pg - 1) & ~(uint64_t)(pg - 1)));
	TAP_CHECK(map == MAP_FAILED && errno == EINVAL, "mmap past the BAR refused (EINVAL)");
	if (map != MAP_FAILED)
		munmap(map, pg);
	map = mmap(NULL, pg, PROT_READ, MAP_SHARED, c->v.device,
		   REGION_OFF(VFIO_PCI_CONFIG_REGION_INDEX));
	TAP_CHECK(map == MAP_FAILED && errno == EINVAL, "mmap of config refused (EINVAL)");
	if (map != MAP_FAILED)
		munmap(map, pg);
	map = mmap(NULL, pg, PROT_READ, MAP_SHARED, c->v.device,
		   REGION_OFF(VFIO_PCI_ROM_REGION_INDEX));
	TAP_CHECK(map == MAP_FAILED && errno == EINVAL, "mmap of ROM refused (EINVAL)");
	if (map != MAP_FAILED)
		munmap(map, pg);

	map = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, c->v.device,
		   REGION_OFF(bar));
	TAP_CHECK(map != MAP_FAILED, "mmap BAR%d: %s", bar, strerror(errno));
	if (map == MAP_FAILED)
		return;
	ret = mmio_read32(map, &mval);
	TAP_CHECK(ret == 0 && mval == val, "mmap read %#x (ret %d), pread %#x", mval, ret, val);

	/* memory decode off: the mapping faults, reads fail; on again: works */
	{
		uint16_t cmd = cfg_read16(&c->v, PCI_COMMAND);

		cfg_write16(&c->v, PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY);
		ret = mmio_read32(map, &mval);
		TAP_CHECK(ret == -1, "mapping faults with memory decode off");
		ret = pread(c->v.device, &mval, 4, REGION_OFF(bar));
		TAP_CHECK(ret == -1 && errno == EIO, "pread with memory off: %d errno %d", ret, errno);
		cfg_write16(&c->v, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
		ret = mmio_read32(map, &mval);
		TAP_CHECK(ret == 0 && mval == val, "mapping after memory on: ret %d %#x", ret, mval);
	}
	munmap(map, pg);

	/* without MSIX_MAPPABLE the table's page cannot be mapped */
	if (c->msix_bar >= 0 && !c->msix_mappable &&
	    (c->bar_size[c->msix_bar] >= (uint64_t)pg)) {
		map = mmap(NULL, pg, PROT_READ, MAP_SHARED, c->v.device,
			   REGION_OFF(c->msix_bar) + (c->msix_off & ~(uint64_t)(pg - 1)));
		TAP_CHECK(map == MAP_FAILED && errno == EINVAL, "mmap over the MSI-X table refused (EINVAL)");
		if (map != MAP_FAILED)
			munmap(map, pg);
	}

	/* the whole BAR maps when the MSI-X table is mappable or elsewhere */
	if (bar != c->msix_bar || c->msix_mappable) {
		size_t len = (c->bar_size[bar] + pg - 1) & ~(uint64_t)(pg - 1);

		map = mmap(NULL, len, PROT_READ, MAP_SHARED, c->v.device, REGION_OFF(bar));
		TAP_CHECK(map != MAP_FAILED, "mmap of all of BAR%d: %s", bar, strerror(errno));
		if (map != MAP_FAILED)
			munmap(map, len);
	}
}

/*
 * What the user changed must not outlive its close: the BARs, ROM BAR,
 * interrupt line and the MSI/MSI-X/PM control words are as before open.
 */
static void check_restored(struct dev_ctx *c, const uint8_t *before)
{
	uint8_t after[4096];
	int pos, loops = 48;

	TAP_CHECK(sysfs_config(c->v.bdf, after, sizeof(after)) >= 256, "sysfs config after close");
	TAP_CHECK(!memcmp(before + 0x10, after + 0x10, 24), "BARs restored after close");
	TAP_CHECK((before[0x30] & ~1) == (after[0x30] & ~1) && !memcmp(before + 0x31, after + 0x31, 3),
	      "ROM BAR differs after close");
	TAP_CHECK(before[0x3c] == after[0x3c], "interrupt line %#x -> %#x after close",
	      before[0x3c], after[0x3c]);
	for (pos = before[PCI_CAPABILITY_LIST] & ~3; pos >= 0x40 && loops--;
	     pos = before[pos + 1] & ~3) {
		uint16_t b, a;

		switch (before[pos]) {
		case PCI_CAP_ID_MSI:
		case PCI_CAP_ID_MSIX:
			memcpy(&b, before + pos + 2, 2);
			memcpy(&a, after + pos + 2, 2);
			TAP_CHECK(a == b, "cap %#x control %#x -> %#x after close", before[pos], b, a);
			break;
		case PCI_CAP_ID_PM:
			memcpy(&b, before + pos + PCI_PM_CTRL, 2);
			memcpy(&a, after + pos + PCI_PM_CTRL, 2);
			TAP_CHECK((a & 3) == (b & 3), "power state %d -> %d after close", b & 3, a & 3);
			break;
		}
	}
}

static int main_conformance(struct dev_ctx *c)
{
	test_device_info(c);
	test_regions(c);
	test_config(c);
	test_bar_rw(c);
	test_irq_info(c);
	test_irqs(c);
	test_reset(c);
	return 0;
}

static void dev_ctx_init(struct dev_ctx *c)
{
	uint8_t cfg[4096];
	int pos;

	c->cfg_size = sysfs_config(c->v.bdf, cfg, sizeof(cfg));
	c->msix_bar = -1;
	pos = vfio_find_cap(&c->v, PCI_CAP_ID_MSIX);
	if (pos) {
		uint32_t table = cfg_read32(&c->v, pos + PCI_MSIX_TABLE);
		uint16_t flags = cfg_read16(&c->v, pos + PCI_MSIX_FLAGS);

		c->msix_bar = table & PCI_MSIX_TABLE_BIR;
		c->msix_off = table & PCI_MSIX_TABLE_OFFSET;
		c->msix_len = ((flags & PCI_MSIX_FLAGS_QSIZE) + 1) * 16;
	}
}

int main(int argc, char **argv)
{
	static uint8_t cfg_before[4096];
	struct dev_ctx c;
	const char *mode = NULL, *arg = NULL;
	int i = 1;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strncmp(argv[1], "--", 2)) {
		mode = argv[1];
		i = 2;
		if (strcmp(mode, "--irq-real")) {
			arg = argv[2];
			i = 3;
		}
	}
	if (argc - i != 3) {
		fprintf(stderr, "usage: %s [--irq-real | --fuzz N | --unbind DRIVER] CONTAINER GROUPDIR BDF\n",
			argv[0]);
		return 2;
	}

	memset(&c, 0, sizeof(c));
	sysfs_config(argv[i + 2], cfg_before, sizeof(cfg_before));
	c.container_path = argv[i];
	c.groupdir = argv[i + 1];
	if (vfio_dev_open(&c.v, argv[i], argv[i + 1], argv[i + 2]))
		tap_bail("%s: cannot open the device: is it bound to the driver behind %s?",
			 argv[i + 2], argv[i]);
	dev_ctx_init(&c);

	if (!mode)
		main_conformance(&c);
	else if (!strcmp(mode, "--irq-real"))
		test_irq_real(&c);
	else if (!strcmp(mode, "--fuzz"))
		test_fuzz(&c, atoi(arg));
	else if (!strcmp(mode, "--unbind"))
		test_unbind(&c, arg);
	else
		tap_bail("unknown mode %s", mode);

	vfio_dev_close(&c.v);
	if (!mode)
		check_restored(&c, cfg_before);
	return tap_done();
}
