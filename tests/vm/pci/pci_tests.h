/* SPDX-License-Identifier: BSD-3-Clause */
/* The PCI VM test program's parts (see pci_conformance.c). */
#ifndef VFN_TEST_PCI_TESTS_H
#define VFN_TEST_PCI_TESTS_H

#include "vfio_open.h"

struct dev_ctx {
	struct vfio_dev v;
	const char *container_path;
	const char *groupdir;
	int cfg_size;
	uint64_t bar_size[6];
	int bar_is_mem[6];
	uint64_t rom_size;
	int msix_bar;		/* -1: no MSI-X */
	uint32_t msix_off;
	uint32_t msix_len;
	int msix_mappable;
	int reset_flag;
};

void test_config(struct dev_ctx *c);
void test_irq_info(struct dev_ctx *c);
void test_irqs(struct dev_ctx *c);
void test_reset(struct dev_ctx *c);
void test_irq_real(struct dev_ctx *c);
void test_fuzz(struct dev_ctx *c, int n);
void test_unbind(struct dev_ctx *c, const char *driver);

#endif
