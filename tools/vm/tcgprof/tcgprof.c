/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcgprof: a QEMU 7.2 TCG plugin that counts, per vCPU, the guest
 * instructions each translation block executes, the memory accesses its
 * instructions make and how many of those go to I/O memory (MMIO), and a
 * few instruction kinds that are expensive under TCG (rdtsc, pause,
 * locked, fences, cpuid, syscall, port I/O, VEX vector instructions and
 * those of them on YMM registers).  Snapshots of all counters
 * are written on request, so a guest can bracket a steady window of a
 * benchmark and take the difference (bench/fwd_vm/tcgprof.py).
 *
 *   qemu-system-x86_64 ... -plugin tcgprof.so,ctl=FILE[,mem=on]
 *   (or tools/vm/run --plugin tcgprof.so,ctl=FILE,mem=on -- ...)
 *
 * ctl=FILE: a thread polls FILE every 20 ms; when it holds "SEQ PATH"
 * with a SEQ it has not seen, the counters are written to PATH.tmp,
 * which is then renamed to PATH (the guest shares the host's /, so it
 * writes FILE and waits for PATH).  Without ctl, one snapshot goes to
 * QEMU's log at exit.  mem=on also instruments every memory access (far
 * slower; needed for the access and MMIO counts); io=off leaves out the
 * MMIO lookup (qemu_plugin_get_hwaddr), which has crashed QEMU 7.2 here.
 *
 * Snapshot lines:
 *   tb VADDR NINSN KINDS EXEC_0 MEM_0 IO_0 MISS_0 EXEC_1 MEM_1 ...
 *      (one per translation; a block translated twice has two lines;
 *       KINDS: the kind counts of its instructions, comma-separated in
 *       the order of kind_names)
 *      (MISS: misses of the 256-entry TLB model below)
 *   tlb VCPU ENTRIES MISSES          (the TLB model's misses, mem=on)
 *   io VCPU DEVICE ADDR r|w COUNT   (MMIO accesses by address)
 * The counters are per vCPU and written only by that vCPU's thread; the
 * snapshot reads them without a lock, so a snapshot is exact to within
 * the blocks that run while it is written.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qemu-plugin-7.2.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS 8
#define IO_SLOTS 1024

enum kind { K_RDTSC, K_PAUSE, K_LOCK, K_FENCE, K_CPUID, K_SYSCALL, K_PIO,
	    K_VEX, K_YMM, K_NR };
static const char *const kind_names[K_NR] = {
	"rdtsc", "pause", "lock", "fence", "cpuid", "syscall", "pio",
	"vex", "ymm",
};

struct tb_rec {
	uint64_t vaddr;
	uint32_t ninsn;
	uint16_t kinds[K_NR];
	struct {
		uint64_t exec, mem, io, miss;
	} v[MAX_VCPUS];
};

/*
 * A model of QEMU's softmmu data TLB (accel/tcg/cputlb.c): per MMU mode
 * (user or kernel address here), a direct-mapped table of 2^bits pages
 * indexed by the page number, backed by an 8-entry victim table that a
 * replaced entry moves to (round robin).  QEMU sizes the table from 2^8
 * entries up, resizing only on a TLB flush, so several sizes are
 * modelled; a miss in both tables is a page-table walk in QEMU.
 */
#define TLB_SIZES 4
static const unsigned int tlb_bits[TLB_SIZES] = { 8, 10, 12, 14 };
#define TLB_VICTIMS 8
struct tlb_model {
	uint64_t main[2][1u << 14];
	uint64_t victim[2][TLB_VICTIMS];
	unsigned int vnext[2];
	uint64_t misses;
};
static struct tlb_model *tlbs[MAX_VCPUS][TLB_SIZES];

struct io_slot {
	const char *dev;
	uint64_t addr;	/* physical address | 1 for a store */
	uint64_t count;
};

static pthread_mutex_t recs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tb_rec **recs;
static size_t nb_recs, cap_recs;
static struct io_slot io_tab[MAX_VCPUS][IO_SLOTS];
static uint64_t io_dropped[MAX_VCPUS];
static int nb_vcpus = 1;
static bool mem_on;
static bool io_on = true;
static const char *ctl_path;

/* The kind of one x86 instruction from its bytes, or K_NR for none. */
static enum kind insn_kind(const uint8_t *b, size_t n)
{
	bool lock = false, rep = false;
	size_t i = 0;

	for (; i < n; i++) {
		uint8_t p = b[i];

		if (p == 0xf0)
			lock = true;
		else if (p == 0xf3)
			rep = true;
		else if (p == 0xf2 || p == 0x66 || p == 0x67 || p == 0x2e ||
			 p == 0x36 || p == 0x3e || p == 0x26 || p == 0x64 ||
			 p == 0x65 || (p >= 0x40 && p <= 0x4f))
			continue;
		else
			break;
	}
	if (lock)
		return K_LOCK;
	if (i >= n)
		return K_NR;
	if (b[i] == 0x90 && rep)
		return K_PAUSE;
	/*
	 * VEX (c4/c5) and EVEX (62) are always vector instructions in 64-bit
	 * code.  "ymm": 256 bits or more (VEX.L, EVEX.L'L), which TCG runs
	 * with host YMM registers and leaves the host's upper state dirty
	 * (it executes vzeroupper only when leaving translated code).
	 */
	if (b[i] == 0xc5 && i + 1 < n)
		return b[i + 1] & 0x04 ? K_YMM : K_VEX;
	if (b[i] == 0xc4 && i + 2 < n)
		return b[i + 2] & 0x04 ? K_YMM : K_VEX;
	if (b[i] == 0x62 && i + 3 < n)
		return b[i + 3] & 0x60 ? K_YMM : K_VEX;
	if ((b[i] >= 0xe4 && b[i] <= 0xe7) || (b[i] >= 0xec && b[i] <= 0xef))
		return K_PIO;
	if (b[i] != 0x0f || i + 1 >= n)
		return K_NR;
	switch (b[i + 1]) {
	case 0x31:
		return K_RDTSC;
	case 0xa2:
		return K_CPUID;
	case 0x05:
		return K_SYSCALL;
	case 0x01:
		return i + 2 < n && b[i + 2] == 0xf9 ? K_RDTSC : K_NR;
	case 0xae:
		return i + 2 < n && b[i + 2] >= 0xe8 ? K_FENCE : K_NR;
	default:
		return K_NR;
	}
}

static void on_exec(unsigned int vcpu, void *udata)
{
	struct tb_rec *r = udata;

	if (vcpu < MAX_VCPUS)
		r->v[vcpu].exec++;
}

static void io_count(unsigned int vcpu, const char *dev, uint64_t key)
{
	uint64_t h = (key >> 2) * 0x9e3779b97f4a7c15ull;
	unsigned int i, s;

	for (i = 0; i < 16; i++) {
		s = (unsigned int)((h >> 54) + i) & (IO_SLOTS - 1);
		if (io_tab[vcpu][s].count && (io_tab[vcpu][s].addr != key ||
					      io_tab[vcpu][s].dev != dev))
			continue;
		io_tab[vcpu][s].dev = dev;
		io_tab[vcpu][s].addr = key;
		io_tab[vcpu][s].count++;
		return;
	}
	io_dropped[vcpu]++;
}

/* Returns true on a miss of the main and the victim table. */
static bool tlb_access(struct tlb_model *t, unsigned int bits, uint64_t vaddr)
{
	unsigned int mode = vaddr >> 63, i;
	uint64_t page = (vaddr >> 12) + 1;	/* 0 is the empty entry */
	uint64_t *e = &t->main[mode][(vaddr >> 12) & ((1u << bits) - 1)];

	if (*e == page)
		return false;
	for (i = 0; i < TLB_VICTIMS; i++) {
		if (t->victim[mode][i] == page) {
			t->victim[mode][i] = *e;
			*e = page;
			return false;
		}
	}
	if (*e) {
		t->victim[mode][t->vnext[mode]] = *e;
		t->vnext[mode] = (t->vnext[mode] + 1) % TLB_VICTIMS;
	}
	*e = page;
	t->misses++;
	return true;
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info,
		   uint64_t vaddr, void *udata)
{
	struct tb_rec *r = udata;
	struct qemu_plugin_hwaddr *hw;
	unsigned int i;

	if (vcpu >= MAX_VCPUS)
		return;
	r->v[vcpu].mem++;
	for (i = 0; i < TLB_SIZES; i++) {
		if (tlbs[vcpu][i] && tlb_access(tlbs[vcpu][i], tlb_bits[i], vaddr) &&
		    i == 0)
			r->v[vcpu].miss++;
	}
	if (!io_on)
		return;
	hw = qemu_plugin_get_hwaddr(info, vaddr);
	if (!hw || !qemu_plugin_hwaddr_is_io(hw))
		return;
	r->v[vcpu].io++;
	io_count(vcpu, qemu_plugin_hwaddr_device_name(hw),
		 qemu_plugin_hwaddr_phys_addr(hw) |
		 (qemu_plugin_mem_is_store(info) ? 1 : 0));
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct tb_rec *r = calloc(1, sizeof(*r));

	(void)id;
	if (!r)
		return;
	r->vaddr = qemu_plugin_tb_vaddr(tb);
	r->ninsn = (uint32_t)n;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		enum kind k = insn_kind(qemu_plugin_insn_data(insn),
					qemu_plugin_insn_size(insn));

		if (k != K_NR)
			r->kinds[k]++;
		if (mem_on)
			qemu_plugin_register_vcpu_mem_cb(insn, on_mem,
							 QEMU_PLUGIN_CB_NO_REGS,
							 QEMU_PLUGIN_MEM_RW, r);
	}
	pthread_mutex_lock(&recs_lock);
	if (nb_recs == cap_recs) {
		size_t cap = cap_recs ? cap_recs * 2 : 65536;
		struct tb_rec **p = realloc(recs, cap * sizeof(*p));

		if (!p) {
			pthread_mutex_unlock(&recs_lock);
			free(r);
			return;
		}
		recs = p;
		cap_recs = cap;
	}
	recs[nb_recs++] = r;
	pthread_mutex_unlock(&recs_lock);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec, QEMU_PLUGIN_CB_NO_REGS, r);
}

static void snapshot(FILE *f)
{
	size_t i;
	int v, k;

	fprintf(f, "# tcgprof vcpus %d mem %s kinds", nb_vcpus, mem_on ? "on" : "off");
	for (k = 0; k < K_NR; k++)
		fprintf(f, "%c%s", k ? ',' : ' ', kind_names[k]);
	fputc('\n', f);
	pthread_mutex_lock(&recs_lock);
	for (i = 0; i < nb_recs; i++) {
		const struct tb_rec *r = recs[i];
		uint64_t any = 0;

		for (v = 0; v < nb_vcpus; v++)
			any |= r->v[v].exec;
		if (!any)
			continue;
		fprintf(f, "tb %lx %u ", (unsigned long)r->vaddr, r->ninsn);
		for (k = 0; k < K_NR; k++)
			fprintf(f, "%s%u", k ? "," : "", r->kinds[k]);
		for (v = 0; v < nb_vcpus; v++)
			fprintf(f, " %lu %lu %lu %lu", (unsigned long)r->v[v].exec,
				(unsigned long)r->v[v].mem,
				(unsigned long)r->v[v].io,
				(unsigned long)r->v[v].miss);
		fputc('\n', f);
	}
	pthread_mutex_unlock(&recs_lock);
	for (v = 0; v < nb_vcpus; v++) {
		for (k = 0; k < TLB_SIZES; k++)
			if (tlbs[v][k])
				fprintf(f, "tlb %d %u %lu\n", v, 1u << tlb_bits[k],
					(unsigned long)tlbs[v][k]->misses);
		for (i = 0; i < IO_SLOTS; i++) {
			const struct io_slot *s = &io_tab[v][i];

			if (s->count)
				fprintf(f, "io %d %s %lx %c %lu\n", v,
					s->dev ? s->dev : "?",
					(unsigned long)(s->addr & ~1ull),
					s->addr & 1 ? 'w' : 'r',
					(unsigned long)s->count);
		}
		if (io_dropped[v])
			fprintf(f, "io %d dropped 0 - %lu\n", v,
				(unsigned long)io_dropped[v]);
	}
}

static void snapshot_to(const char *path)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "tcgprof: cannot write %s: %s\n", tmp, strerror(errno));
		return;
	}
	snapshot(f);
	if (fclose(f) || rename(tmp, path))
		fprintf(stderr, "tcgprof: cannot write %s: %s\n", path, strerror(errno));
}

static void *ctl_thread(void *arg)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	long last = -1;

	(void)arg;
	for (;;) {
		char path[4096];
		long seq;
		FILE *f = fopen(ctl_path, "r");

		if (f) {
			if (fscanf(f, "%ld %4000s", &seq, path) == 2 && seq != last) {
				last = seq;
				snapshot_to(path);
			}
			fclose(f);
		}
		nanosleep(&tick, NULL);
	}
	return NULL;
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)id;
	(void)udata;
	if (ctl_path)
		return;
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	snapshot(f);
	fclose(f);
	qemu_plugin_outs(buf);
	free(buf);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	pthread_t th;
	int i;

	if (info->system_emulation)
		nb_vcpus = info->system.max_vcpus;
	if (nb_vcpus > MAX_VCPUS) {
		fprintf(stderr, "tcgprof: %d vCPUs, at most %d are counted\n",
			nb_vcpus, MAX_VCPUS);
		nb_vcpus = MAX_VCPUS;
	}
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "ctl=", 4)) {
			ctl_path = argv[i] + 4;
		} else if (!strcmp(argv[i], "mem=on")) {
			mem_on = true;
		} else if (!strcmp(argv[i], "mem=off")) {
			mem_on = false;
		} else if (!strcmp(argv[i], "io=off")) {
			io_on = false;
		} else {
			fprintf(stderr, "tcgprof: unknown argument %s (ctl=FILE, mem=on|off, io=off)\n",
				argv[i]);
			return -1;
		}
	}
	if (mem_on) {
		int v, k;

		for (v = 0; v < nb_vcpus; v++)
			for (k = 0; k < TLB_SIZES; k++)
				tlbs[v][k] = calloc(1, sizeof(struct tlb_model));
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	if (ctl_path && pthread_create(&th, NULL, ctl_thread, NULL)) {
		fprintf(stderr, "tcgprof: cannot start the control thread\n");
		return -1;
	}
	return 0;
}
