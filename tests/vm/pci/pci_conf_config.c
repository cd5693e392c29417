/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Config space virtualization checks: what the user sees and may change,
 * compared with what the hardware (sysfs config, read as root) holds.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#include "pci_tests.h"

static uint32_t hw32(struct dev_ctx *c, int pos)
{
	uint8_t cfg[4096];
	uint32_t v;

	if (sysfs_config(c->v.bdf, cfg, sizeof(cfg)) < pos + 4)
		return 0xdeadbeef;
	memcpy(&v, cfg + pos, 4);
	return v;
}

static uint16_t hw16(struct dev_ctx *c, int pos)
{
	return (uint16_t)(hw32(c, pos & ~3) >> (8 * (pos & 2)));
}

static void test_header(struct dev_ctx *c)
{
	uint8_t hw[4096], buf[8];
	uint32_t d0;
	int ret;

	ret = sysfs_config(c->v.bdf, hw, sizeof(hw));
	TAP_CHECK(ret >= 256, "sysfs config read %d bytes", ret);
	TAP_CHECK(cfg_read16(&c->v, PCI_VENDOR_ID) == *(uint16_t *)&hw[0], "vendor ID as the hardware's");
	TAP_CHECK(cfg_read16(&c->v, PCI_DEVICE_ID) == *(uint16_t *)&hw[2], "device ID as the hardware's");
	TAP_CHECK(cfg_read32(&c->v, PCI_CLASS_REVISION) == *(uint32_t *)&hw[8], "class/revision as the hardware's");
	TAP_CHECK(cfg_read8(&c->v, PCI_HEADER_TYPE) == hw[PCI_HEADER_TYPE], "header type as the hardware's");
	TAP_CHECK(cfg_read32(&c->v, PCI_SUBSYSTEM_VENDOR_ID) == *(uint32_t *)&hw[0x2c],
	      "subsystem IDs differ");
	TAP_CHECK(cfg_read8(&c->v, PCI_INTERRUPT_PIN) == hw[PCI_INTERRUPT_PIN], "interrupt pin as the hardware's");

	/* bounds: -EFAULT past the end, even partly */
	ret = cfg_read(&c->v, c->cfg_size, buf, 4);
	TAP_CHECK(ret == -1 && errno == EFAULT, "read at cfg_size: %d errno %d", ret, errno);
	ret = cfg_read(&c->v, c->cfg_size - 2, buf, 4);
	TAP_CHECK(ret == -1 && errno == EFAULT, "read across cfg end: %d errno %d", ret, errno);
	ret = cfg_read(&c->v, c->cfg_size - 1, buf, 1);
	TAP_CHECK(ret == 1, "read of the last byte: %d", ret);
	ret = cfg_write(&c->v, c->cfg_size, buf, 1);
	TAP_CHECK(ret == -1 && errno == EFAULT, "write at cfg_size: %d errno %d", ret, errno);

	/* unaligned and multi-dword accesses are split, same bytes */
	d0 = cfg_read32(&c->v, 0);
	ret = cfg_read(&c->v, 1, buf, 3);
	TAP_CHECK(ret == 3 && !memcmp(buf, (uint8_t *)&d0 + 1, 3), "unaligned 3-byte read matches the dword");
	ret = cfg_read(&c->v, 0, buf, 8);
	TAP_CHECK(ret == 8 && !memcmp(buf, &d0, 4) &&
	      !memcmp(buf + 4, &(uint32_t){ cfg_read32(&c->v, 4) }, 2),
	      "8-byte read differs");

	/* IDs and status are read-only; writes are dropped, not errors */
	ret = cfg_write(&c->v, PCI_VENDOR_ID, &(uint16_t){ 0x1234 }, 2);
	TAP_CHECK(ret == 2, "vendor write: %d", ret);
	TAP_CHECK(cfg_read16(&c->v, PCI_VENDOR_ID) == *(uint16_t *)&hw[0], "vendor ID changed");
	{
		uint16_t st = cfg_read16(&c->v, PCI_STATUS);

		cfg_write16(&c->v, PCI_STATUS, 0xffff);
		TAP_CHECK((cfg_read16(&c->v, PCI_STATUS) & ~PCI_STATUS_INTERRUPT) ==
		      (st & ~PCI_STATUS_INTERRUPT), "status changed by a write");
		TAP_CHECK((st & PCI_STATUS_CAP_LIST) == (hw[PCI_STATUS] & PCI_STATUS_CAP_LIST),
		      "capability-list bit differs");
	}

	/* interrupt line is virtual */
	{
		uint8_t line = 0x5a;

		cfg_write(&c->v, PCI_INTERRUPT_LINE, &line, 1);
		TAP_CHECK(cfg_read8(&c->v, PCI_INTERRUPT_LINE) == 0x5a, "interrupt line not kept");
		TAP_CHECK((hw32(c, 0x3c) & 0xff) == hw[PCI_INTERRUPT_LINE],
		      "interrupt line reached the device");
	}
}

static void test_bars(struct dev_ctx *c)
{
	int i;

	for (i = 0; i < 6; i++) {
		int pos = PCI_BASE_ADDRESS_0 + 4 * i;
		uint32_t orig = cfg_read32(&c->v, pos), hw = hw32(c, pos), got, want;
		int io = orig & PCI_BASE_ADDRESS_SPACE_IO;

		if (!c->bar_size[i]) {
			/* an upper half of a 64-bit BAR, or unimplemented */
			continue;
		}
		TAP_CHECK(orig == hw, "BAR%d reads %#x, hardware %#x", i, orig, hw);
		cfg_write32(&c->v, pos, 0xffffffff);
		got = cfg_read32(&c->v, pos);
		want = (uint32_t)~(c->bar_size[i] - 1) | (io ? 1 : (orig & 0xf));
		TAP_CHECK(got == want, "BAR%d sizing reads %#x want %#x", i, got, want);
		if (!io && (orig & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
			cfg_write32(&c->v, pos + 4, 0xffffffff);
			got = cfg_read32(&c->v, pos + 4);
			want = (uint32_t)(~(c->bar_size[i] - 1) >> 32);
			TAP_CHECK(got == want, "BAR%d upper sizing %#x want %#x", i, got, want);
			TAP_CHECK(hw32(c, pos + 4) != 0xffffffff, "BAR%d upper half reached hardware", i);
		}
		TAP_CHECK(hw32(c, pos) == hw, "hardware BAR%d changed to %#x", i, hw32(c, pos));
		cfg_write32(&c->v, pos, orig);
		if (!io && (orig & PCI_BASE_ADDRESS_MEM_TYPE_64))
			cfg_write32(&c->v, pos + 4, hw32(c, pos + 4));
		TAP_CHECK(cfg_read32(&c->v, pos) == orig, "BAR%d not restored", i);
	}

	/* ROM BAR */
	{
		uint32_t hw = hw32(c, PCI_ROM_ADDRESS), got;
		uint64_t size = sysfs_resource_size(c->v.bdf, 6, NULL);

		cfg_write32(&c->v, PCI_ROM_ADDRESS, 0xffffffff);
		got = cfg_read32(&c->v, PCI_ROM_ADDRESS);
		if (size)
			TAP_CHECK(got == ((uint32_t)~(size - 1) | PCI_ROM_ADDRESS_ENABLE),
			      "ROM sizing %#x, size %#llx", got, (unsigned long long)size);
		else
			TAP_CHECK(got == 0, "absent ROM BAR reads %#x", got);
		TAP_CHECK(hw32(c, PCI_ROM_ADDRESS) == hw, "hardware ROM BAR changed");
		cfg_write32(&c->v, PCI_ROM_ADDRESS, hw & ~PCI_ROM_ADDRESS_ENABLE);
	}
}

static void test_command(struct dev_ctx *c)
{
	uint16_t cmd = cfg_read16(&c->v, PCI_COMMAND);

	cfg_write16(&c->v, PCI_COMMAND, cmd | PCI_COMMAND_INTX_DISABLE);
	TAP_CHECK(cfg_read16(&c->v, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE,
	      "INTx disable not kept");
	cfg_write16(&c->v, PCI_COMMAND, cmd & ~PCI_COMMAND_INTX_DISABLE);
	TAP_CHECK(!(cfg_read16(&c->v, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE),
	      "INTx disable not cleared");

	/* bus master passes through */
	cfg_write16(&c->v, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
	TAP_CHECK(hw16(c, PCI_COMMAND) & PCI_COMMAND_MASTER, "bus master reaches the device");
	cfg_write16(&c->v, PCI_COMMAND, cmd & ~PCI_COMMAND_MASTER);
	TAP_CHECK(!(hw16(c, PCI_COMMAND) & PCI_COMMAND_MASTER), "bus master not cleared");
	cfg_write16(&c->v, PCI_COMMAND, cmd);
}

/* (offset, id) of the standard capabilities, from @read */
static int cap_list(struct dev_ctx *c, int hw_view, int *pos, int *id)
{
	uint8_t cfg[4096];
	int n = 0, p, loops = 48;

	if (hw_view) {
		if (sysfs_config(c->v.bdf, cfg, sizeof(cfg)) < 256)
			return 0;
	} else if (cfg_read(&c->v, 0, cfg, 256) != 256) {
		return 0;
	}
	if (!(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return 0;
	for (p = cfg[PCI_CAPABILITY_LIST] & ~3; p >= 0x40 && loops-- && n < 48;
	     p = cfg[p + 1] & ~3) {
		pos[n] = p;
		id[n++] = cfg[p];
	}
	return n;
}

static void test_caps(struct dev_ctx *c)
{
	int vpos[48], vid[48], hpos[48], hid[48], nv, nh, i, j;
	int pm, msix, msi, exp;

	nv = cap_list(c, 0, vpos, vid);
	nh = cap_list(c, 1, hpos, hid);
	TAP_CHECK(nv > 0, "no capabilities visible");
	for (i = 0; i < nv; i++) {
		for (j = 0; j < nh; j++)
			if (hpos[j] == vpos[i] && hid[j] == vid[i])
				break;
		TAP_CHECK(j < nh, "cap %#x@%#x not in hardware", vid[i], vpos[i]);
	}
	/* the ones we know are all shown */
	for (j = 0; j < nh; j++) {
		int known = hid[j] == PCI_CAP_ID_PM || hid[j] == PCI_CAP_ID_MSI ||
			    hid[j] == PCI_CAP_ID_MSIX || hid[j] == PCI_CAP_ID_EXP ||
			    hid[j] == PCI_CAP_ID_VNDR;

		for (i = 0; i < nv; i++)
			if (vpos[i] == hpos[j])
				break;
		TAP_CHECK(!known || i < nv, "cap %#x@%#x hidden", hid[j], hpos[j]);
	}
	tap_diag("info: %s shows %d of %d capabilities", c->v.bdf, nv, nh);

	pm = vfio_find_cap(&c->v, PCI_CAP_ID_PM);
	if (pm) {
		uint16_t pmc = cfg_read16(&c->v, pm + PCI_PM_PMC);
		uint16_t ctrl = cfg_read16(&c->v, pm + PCI_PM_CTRL);
		uint32_t val;
		int bar;

		TAP_CHECK(!(pmc & PCI_PM_CAP_PME_MASK), "PME support visible: %#x", pmc);
		TAP_CHECK((ctrl & PCI_PM_CTRL_STATE_MASK) == 0, "not in D0: %#x", ctrl);
		cfg_write16(&c->v, pm + PCI_PM_CTRL, (ctrl & ~3) | 3);
		TAP_CHECK((cfg_read16(&c->v, pm + PCI_PM_CTRL) & 3) == 3, "D3hot not entered");
		TAP_CHECK((hw16(c, pm + PCI_PM_CTRL) & 3) == 3, "hardware not in D3hot");
		cfg_write16(&c->v, pm + PCI_PM_CTRL, ctrl & ~3);
		TAP_CHECK((cfg_read16(&c->v, pm + PCI_PM_CTRL) & 3) == 0, "D0 not back");
		for (bar = 0; bar < 6 && !c->bar_is_mem[bar]; bar++)
			;
		if (bar < 6) {
			int ret = pread(c->v.device, &val, 4, REGION_OFF(bar));

			TAP_CHECK(ret == 4, "BAR%d read after D3->D0: %d", bar, ret);
		}
	}

	msix = vfio_find_cap(&c->v, PCI_CAP_ID_MSIX);
	if (msix) {
		uint16_t f = cfg_read16(&c->v, msix + PCI_MSIX_FLAGS);

		cfg_write16(&c->v, msix + PCI_MSIX_FLAGS, f | PCI_MSIX_FLAGS_ENABLE);
		TAP_CHECK(!(hw16(c, msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE),
		      "MSI-X enabled by a config write");
		TAP_CHECK(!(cfg_read16(&c->v, msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE),
		      "MSI-X shows enabled");
	}

	msi = vfio_find_cap(&c->v, PCI_CAP_ID_MSI);
	if (msi) {
		uint16_t f = cfg_read16(&c->v, msi + PCI_MSI_FLAGS);
		uint32_t addr = cfg_read32(&c->v, msi + PCI_MSI_ADDRESS_LO);

		cfg_write16(&c->v, msi + PCI_MSI_FLAGS, f | PCI_MSI_FLAGS_ENABLE);
		TAP_CHECK(!(hw16(c, msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE),
		      "MSI enabled by a config write");
		/* the message address is virtual */
		cfg_write32(&c->v, msi + PCI_MSI_ADDRESS_LO, 0xfee01000);
		TAP_CHECK(cfg_read32(&c->v, msi + PCI_MSI_ADDRESS_LO) == 0xfee01000,
		      "MSI address not kept");
		TAP_CHECK(hw32(c, msi + PCI_MSI_ADDRESS_LO) != 0xfee01000 ||
		      addr == 0xfee01000, "MSI address reached the device");
		cfg_write32(&c->v, msi + PCI_MSI_ADDRESS_LO, addr);
	}

	exp = vfio_find_cap(&c->v, PCI_CAP_ID_EXP);
	if (exp) {
		uint16_t ctl = cfg_read16(&c->v, exp + PCI_EXP_DEVCTL);
		uint16_t hctl = hw16(c, exp + PCI_EXP_DEVCTL);
		uint16_t mps = (ctl & PCI_EXP_DEVCTL_PAYLOAD) ^ 0x20;

		/* max payload is virtual */
		cfg_write16(&c->v, exp + PCI_EXP_DEVCTL,
			    (ctl & ~PCI_EXP_DEVCTL_PAYLOAD) | mps);
		TAP_CHECK((cfg_read16(&c->v, exp + PCI_EXP_DEVCTL) & PCI_EXP_DEVCTL_PAYLOAD) == mps,
		      "MPS write not kept");
		TAP_CHECK((hw16(c, exp + PCI_EXP_DEVCTL) & PCI_EXP_DEVCTL_PAYLOAD) ==
		      (hctl & PCI_EXP_DEVCTL_PAYLOAD), "MPS reached the device");
		cfg_write16(&c->v, exp + PCI_EXP_DEVCTL, ctl);
		TAP_CHECK(!(cfg_read16(&c->v, exp + PCI_EXP_DEVCTL) & PCI_EXP_DEVCTL_BCR_FLR),
		      "FLR bit reads set");
	}
}

static void test_ext_caps(struct dev_ctx *c)
{
	uint32_t hdr, hwhdr;
	int pos = 0x100, loops = 64, n = 0;

	if (c->cfg_size <= 256)
		return;
	hdr = cfg_read32(&c->v, pos);
	hwhdr = hw32(c, pos);
	if (!hwhdr) {
		TAP_CHECK(hdr == 0, "ext header %#x, hardware has none", hdr);
		return;
	}
	while (pos >= 0x100 && loops--) {
		hdr = cfg_read32(&c->v, pos);
		if (!hdr)
			break;
		if (hdr & 0xffff) {
			TAP_CHECK(hw16(c, pos) == (hdr & 0xffff), "ecap %#x@%#x not in hardware",
			      hdr & 0xffff, pos);
			n++;
		}
		pos = (hdr >> 20) & 0xffc;
	}
	TAP_CHECK(loops > 0, "extended capability chain loops");
	tap_diag("info: %s shows %d extended capabilities", c->v.bdf, n);
}

void test_config(struct dev_ctx *c)
{
	test_header(c);
	test_bars(c);
	test_command(c);
	test_caps(c);
	test_ext_caps(c);
}
