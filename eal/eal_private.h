/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * @internal EAL state shared between the files of eal/.  Not installed:
 * applications and PMDs use the vfn_*.h headers only.
 */
#ifndef EAL_PRIVATE_H
#define EAL_PRIVATE_H

#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/queue.h>

#include "vfn_common.h"
#include "vfn_eal.h"

/* ---- configuration from the command line (args.c) ---- */

/** One -a, -b or --vdev argument. */
struct eal_devarg {
	TAILQ_ENTRY(eal_devarg) next;
	char name[64];   /* "0000:00:02.0" or "net_null0" */
	char *args;      /* text after the first ',', "" when none */
};
TAILQ_HEAD(eal_devarg_list, eal_devarg);

enum eal_vfio_flavor {
	EAL_VFIO_AUTO = 0,
	EAL_VFIO_VFNET,    /* /dev/vfnet/vfio, driver vfnet-pci */
	EAL_VFIO_UPSTREAM, /* /dev/vfio/vfio, driver vfio-pci */
};

/** Most --log-level PATTERN:LEVEL / REGEX,LEVEL options kept. */
#define EAL_MAX_LOG_PATTERNS 16

/** One --log-level for named log types ("lib.eal:debug", "pmd.*,7"). */
struct eal_log_pattern {
	char pattern[64];
	int level;
	bool regex;                        /* REGEX,LEVEL (else a glob) */
};

/** --huge-unlink: when hugepage files are removed. */
enum eal_huge_unlink {
	EAL_HUGE_UNLINK_EXISTING = 0, /* stale files of this prefix at start */
	EAL_HUGE_UNLINK_ALWAYS,       /* also each file right after mapping */
	EAL_HUGE_UNLINK_NEVER,        /* never remove files */
};

struct eal_config {
	/* lcores */
	unsigned int lcore_count;
	bool lcore_enabled[VFN_MAX_LCORE];
	int lcore_cpu[VFN_MAX_LCORE];      /* first CPU of lcore_cpuset */
	cpu_set_t lcore_cpuset[VFN_MAX_LCORE]; /* CPUs the lcore may run on */
	unsigned int main_lcore;
	bool main_lcore_set;
	const char *lcore_opt;             /* -l, -c or --lcores once given */
	/* memory */
	uint64_t memory;                   /* -m, bytes; 0 = default */
	uint64_t socket_mem[VFN_MAX_NUMA_NODES];
	bool socket_mem_set;
	char huge_dir[PATH_MAX];
	bool no_huge;
	bool in_memory;
	char file_prefix[64];
	enum vfn_iova_mode iova_mode;      /* VFN_IOVA_DC = decide */
	/* devices */
	bool no_pci;
	struct eal_devarg_list allow;
	struct eal_devarg_list block;
	struct eal_devarg_list vdevs;
	enum eal_vfio_flavor vfio;
	bool legacy_mem;                   /* no heap growth after start */
	bool single_file_segments;         /* accepted: one file per memseg */
	enum eal_huge_unlink huge_unlink;
	uintptr_t base_virtaddr;           /* EAL window hint, 0: none */
	int vfio_intr;                     /* --vfio-intr, 0: not given */
	/* misc */
	int log_level;                     /* -1: unchanged */
	unsigned int n_log_patterns;
	struct eal_log_pattern log_patterns[EAL_MAX_LOG_PATTERNS];
	int syslog_facility;               /* --syslog, -1: none */
	bool telemetry;                    /* --telemetry (the default) */
	bool no_telemetry;                 /* --no-telemetry: no socket */
	bool help;
};

/** The configuration of the running EAL (valid after vfn_eal_init()). */
extern struct eal_config eal_cfg;

/** Fill @cfg with defaults. */
void eal_config_defaults(struct eal_config *cfg);
/** Free the lists in @cfg. */
void eal_config_free(struct eal_config *cfg);
/**
 * Parse EAL arguments into @cfg.  Stops at "--" (consumed) or at the end.
 * @return number of arguments consumed (argv[0] included), or -1 with
 *         eal_error() set to a one-line message naming the argument.
 */
int eal_parse_args(int argc, char **argv, struct eal_config *cfg);
/**
 * Parse an lcore list as DPDK's --lcores: "0-3,5", "0,2@1", "(0-1)@(0-1)",
 * "0@1,2@(3-4)"; without "@" "a-b" pins each lcore to its own CPU and
 * "(set)" pins every lcore of the set to the whole set.  0 or -1.
 */
int eal_parse_lcores(const char *s, struct eal_config *cfg);
/** Enable lcore @id on the CPUs of @set (the first is lcore_cpu[id]). */
void eal_lcore_assign(struct eal_config *cfg, unsigned int id,
		      const cpu_set_t *set);
/** Parse a size with optional K/M/G suffix; default unit @unit. */
int eal_parse_size(const char *s, uint64_t unit, uint64_t *out);
/** 0 when @regex compiles as a POSIX extended regex (--log-level). */
int eal_log_check_regexp(const char *regex);
/** Also send log messages to syslog with @facility (-1: stop). */
void eal_log_syslog(const char *ident, int facility);
/** Print the usage text to @f. */
void eal_usage(const char *prog, void *f);

/* ---- error reporting (error.c) ---- */

/** Record the one-line error of the current call and log it; keeps errno. */
void eal_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/**
 * snprintf() for paths and messages whose truncation is handled (or
 * harmless): keeps -Wformat-truncation quiet where the bound is known.
 */
int eal_fmt(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Clear the recorded error. */
void eal_error_clear(void);

/* ---- diagnostics that name the fix (diag.c): each fills @buf ---- */
void eal_diag_no_hugepages(char *buf, size_t n, uint64_t need_bytes,
			   uint64_t page_sz, uint64_t free_pages,
			   uint64_t total_pages);
void eal_diag_no_hugetlbfs(char *buf, size_t n, uint64_t page_sz);
void eal_diag_no_iommu(char *buf, size_t n, const char *module,
		       bool have_noiommu);
void eal_diag_not_bound(char *buf, size_t n, const char *bdf,
			const char *kdrv, const char *want_drv);
void eal_diag_group_not_viable(char *buf, size_t n, const char *bdf,
			       const char *group, const char *others);
void eal_diag_memlock(char *buf, size_t n, uint64_t have, uint64_t need);
void eal_diag_no_driver(char *buf, size_t n, const char *node,
			const char *module);
void eal_diag_group_perm(char *buf, size_t n, const char *node);

/* ---- paths (overridable by tests) ---- */
extern const char *eal_sysfs_root;   /* "/sys" */
extern const char *eal_dev_root;     /* "/dev" */
extern const char *eal_proc_root;    /* "/proc" */

/* ---- hugepages (hugepage.c, hugefile.c) ---- */

#define EAL_MAX_HUGE_SIZES 4

struct eal_huge_size {
	uint64_t page_sz;
	char mount[PATH_MAX];      /* hugetlbfs mount for this size, "" if none */
	uint64_t free_pages[VFN_MAX_NUMA_NODES];
	uint64_t total_free;
	uint64_t total_pages;      /* nr_hugepages */
};

struct eal_huge_info {
	unsigned int n_sizes;
	struct eal_huge_size sizes[EAL_MAX_HUGE_SIZES];
	uint64_t default_sz;
};

/** Discover hugepage sizes, free counts per node and mounts. */
int eal_huge_discover(struct eal_huge_info *info, const char *huge_dir);
/** Find a hugetlbfs mount for @page_sz in @mounts_file; 0 or -1. */
int eal_huge_find_mount(const char *mounts_file, uint64_t page_sz,
			uint64_t default_sz, char *out, size_t n);
/** 0 when @dir is a hugetlbfs mount of @page_sz (resolved into @out). */
int eal_huge_find_mount_dir(const char *mounts_file, const char *dir,
			    uint64_t default_sz, uint64_t page_sz, char *out,
			    size_t n);
/** Remove hugepage files of dead processes with @prefix in @dir. */
int eal_huge_reclaim_stale(const char *dir, const char *prefix);
/** Take the per-prefix run lock; 0, or -1 with eal_error() set. */
int eal_run_lock(const char *prefix);
void eal_run_unlock(void);

/* ---- memory segments (memseg.c) ---- */

#define EAL_MAX_MEMSEGS 256
#define EAL_IOVA_GRANULE_SHIFT 21 /* 2 MiB: every memseg is a multiple */

struct eal_memseg {
	void *addr;
	uint64_t iova;      /* of addr; VFN_BAD_IOVA when not contiguous */
	size_t len;
	uint64_t page_sz;
	int socket;
	int fd;             /* hugepage file / memfd, -1 for anonymous */
	char path[PATH_MAX]; /* hugepage file, "" for memfd/anonymous */
	bool dma_mapped;
};

/** Reserve the VA window all EAL memory lives in. */
int eal_mem_va_init(uint64_t iova_lo, uint64_t iova_hi);
/** Add @len bytes on @socket (page size @page_sz, 0 = no-huge). */
struct eal_memseg *eal_mem_add(size_t len, int socket, uint64_t page_sz);
/**
 * Pre-fault [@addr, @addr + @len) for writing, in parallel on @cpus
 * (NULL: this thread only).  0, or -1 with errno (ENOMEM: no pages).
 */
int eal_populate(void *addr, size_t len, size_t page_sz,
		 const cpu_set_t *cpus);
/** CPUs the process could use before the main lcore was pinned. */
const cpu_set_t *eal_process_cpus(void);
/** Release every memseg, the VA window and the files. */
void eal_mem_release(void);
/** Unlink hugepage files only (async-signal-safe, for fatal signals). */
void eal_mem_unlink_files(void);
/** Number of memsegs and access. */
unsigned int eal_memseg_count(void);
struct eal_memseg *eal_memseg_get(unsigned int i);
/** True when @p is in EAL memory. */
bool eal_mem_contains(const void *p);
/** hugetlbfs mount for @page_sz (memory.c). */
const char *eal_mem_huge_mount(uint64_t page_sz);
/** Reserve the start-up memory of @cfg (memory.c); 0 or -1. */
int eal_mem_init(void);
void eal_mem_fini(void);
/** True when NUMA node @node exists. */
bool eal_node_exists(int node);
/** Grow memory for an allocation of @size on @socket (malloc.c). */
struct eal_memseg *eal_mem_grow(size_t size, int socket);

/** Memory event callbacks: called for every memseg added. */
typedef int (*eal_mem_cb_t)(struct eal_memseg *ms, void *arg);
int eal_mem_cb_register(eal_mem_cb_t cb, void *arg);
void eal_mem_cb_unregister(void);

/* ---- IOVA (iova.c) ---- */
enum vfn_iova_mode eal_iova_mode_get(void);
void eal_iova_mode_set(enum vfn_iova_mode m);
/** Physical address of @virt via pagemap, VFN_BAD_IOVA when unknown. */
uint64_t eal_virt2phys(const void *virt);
/** Fill the IOVA table for @ms. */
int eal_iova_table_set(struct eal_memseg *ms);
int eal_iova_table_init(void *base, size_t len);
void eal_iova_table_clear(struct eal_memseg *ms);
/** IOVA of the 2 MiB granule holding @va (an EAL address). */
uint64_t eal_iova_of_granule(const void *va);
void eal_iova_table_free(void);

/* ---- heap (malloc.c) ---- */
int eal_heap_add(struct eal_memseg *ms);
void eal_heap_reset(void);
int eal_memzone_reset(void);

/* ---- VFIO (vfio.c, vfio_dma.c) ---- */

struct eal_vfio_group {
	int num;            /* IOMMU group number */
	int fd;
	bool noiommu;
};

struct eal_vfio {
	enum eal_vfio_flavor flavor;
	const char *drv_name;    /* "vfnet-pci" or "vfio-pci" */
	char container_path[64];
	char group_dir[64];      /* "/dev/vfnet" or "/dev/vfio" */
	int container_fd;
	bool noiommu;
	bool iommu_set;
	unsigned int n_groups;
	struct eal_vfio_group groups[64];
	/* from VFIO_IOMMU_GET_INFO */
	uint64_t pgsizes;
	unsigned int n_ranges;
	uint64_t range_start[16], range_end[16]; /* inclusive end */
	uint32_t dma_avail;      /* UINT32_MAX when not reported */
	unsigned int dma_used;
};

extern struct eal_vfio eal_vfio;

/** Pick the flavor (container node present, or forced), open container. */
int eal_vfio_open(enum eal_vfio_flavor want);
/** Open (or find) the group of PCI device @bdf: group fd or -1. */
int eal_vfio_group_get(const char *bdf);
/** Set the IOMMU type and read its info (after the first group). */
int eal_vfio_setup_iommu(void);
/** Map/unmap one memseg. */
int eal_vfio_dma_map(struct eal_memseg *ms);
int eal_vfio_dma_unmap(struct eal_memseg *ms);
/** Choose vfnet or upstream before opening (see vfio.c). */
void eal_vfio_choose(enum eal_vfio_flavor want, const char *first_kdrv);
/** True when the container node of the chosen flavor exists. */
bool eal_vfio_driver_loaded(void);
/** The command that loads the chosen flavor's driver. */
const char *eal_vfio_module_cmd(void);
/** The no-IOMMU diagnostic for the chosen flavor into @msg. */
void eal_vfio_diag_no_iommu(char *msg, size_t n);
/** True when there is no IOMMU and no-IOMMU mode is off. */
bool eal_vfio_iommu_missing(void);
/** Largest usable IOVA range, capped to user addresses. */
void eal_vfio_best_range(uint64_t *lo, uint64_t *hi);
/** -1 with the memlock diagnostic when @need bytes cannot be pinned. */
int eal_vfio_check_memlock(uint64_t need);
/** Memory callback mapping new segments. */
int eal_vfio_mem_cb(struct eal_memseg *ms, void *arg);
/** Close groups and container. */
void eal_vfio_close(void);
/** Close fds only, no allocation (fatal-signal path). */
void eal_vfio_close_fds(void);
/** Driver name of the flavor in use ("vfnet-pci"/"vfio-pci"). */
const char *eal_vfio_driver_name(void);
/** True when a device bound to @kdrv can be used by the EAL. */
bool eal_vfio_driver_ok(const char *kdrv);
/** Describe devices in @group other than @bdf that are bound to a
 *  DMA-capable driver into @out: "0000:00:03.0 (e1000e)". */
int eal_vfio_group_offenders(const char *group, const char *bdf, char *out,
			     size_t n);

/* ---- PCI (pci_*.c) ---- */
int eal_pci_scan(void);
int eal_pci_prepare(void);
void eal_pci_free_all(void);
int eal_pci_probe(void);
void eal_pci_remove_all(void);
/* Stop and join the interrupt thread (after the ports closed). */
void eal_intr_fini(void);
void eal_pci_close_fds(void);
/** Allowed by -a/-b? */
bool eal_pci_allowed(const char *bdf, const char **devargs);

/* ---- lcores (lcore.c) ---- */
int eal_lcores_start(void);
/**
 * Default lcore list into @cfg: every CPU in @allowed below VFN_MAX_LCORE,
 * lcore N on CPU N.  -1 with the error recorded when there is none.
 */
int eal_default_lcores(struct eal_config *cfg, const cpu_set_t *allowed);
void eal_lcores_stop(void);
int eal_cpu_socket(unsigned int cpu);

/* ---- vdev (vdev.c) ---- */
int eal_vdev_probe_all(void);
void eal_vdev_remove_all(void);

#endif /* EAL_PRIVATE_H */
