/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How much memory to reserve, of which page size, on which NUMA node: the
 * policy on top of memseg.c.  Start-up reserves -m / --socket-mem (or a
 * small default); the heap grows later through eal_mem_grow(), and every
 * growth is mapped for DMA like the start-up memory.
 */
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "eal_private.h"
#include "vfn_log.h"

/* Reserved at start when neither -m nor --socket-mem is given. */
#define DEFAULT_MEM (64ull << 20)
/* Smallest growth of the heap, to keep the number of DMA mappings low. */
#define MIN_GROW (16ull << 20)

static struct eal_huge_info huge;
/* Growth comes from any thread's vfn_malloc(); memseg.c is not reentrant. */
static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t page_sz; /* in use; 0 = --no-huge */
static bool mem_ready;

const char *eal_mem_huge_mount(uint64_t sz)
{
	for (unsigned int i = 0; i < huge.n_sizes; i++)
		if (huge.sizes[i].page_sz == sz)
			return huge.sizes[i].mount;
	return "";
}

bool eal_node_exists(int node)
{
	char path[PATH_MAX];
	struct stat st;

	if (node == 0)
		return true;
	eal_fmt(path, sizeof(path), "%s/devices/system/node/node%d",
		eal_sysfs_root, node);
	return node > 0 && !stat(path, &st);
}

static int main_socket(void)
{
	int s = eal_cpu_socket(eal_cfg.lcore_cpu[eal_cfg.main_lcore]);

	return s < 0 ? 0 : s;
}

static bool size_usable(const struct eal_huge_size *hs)
{
	return eal_cfg.in_memory || hs->mount[0];
}

static bool size_enough(const struct eal_huge_size *hs, const uint64_t *req)
{
	for (unsigned int s = 0; s < VFN_MAX_NUMA_NODES; s++)
		if (req[s] && hs->free_pages[s] * hs->page_sz < req[s])
			return false;
	return true;
}

static int choose_page_size(uint64_t *req, bool defaulted)
{
	const struct eal_huge_size *first_usable = NULL;
	char msg[512];
	uint64_t total = 0;

	for (unsigned int s = 0; s < VFN_MAX_NUMA_NODES; s++)
		total += req[s];
	for (unsigned int i = 0; i < huge.n_sizes; i++) {
		const struct eal_huge_size *hs = &huge.sizes[i];

		if (!size_usable(hs))
			continue;
		if (!first_usable)
			first_usable = hs;
		if (size_enough(hs, req)) {
			page_sz = hs->page_sz;
			return 0;
		}
	}
	if (!first_usable) {
		if (eal_cfg.huge_dir[0])
			eal_error("--huge-dir %s is not a hugetlbfs mount",
				  eal_cfg.huge_dir);
		else {
			eal_diag_no_hugetlbfs(msg, sizeof(msg),
					      huge.n_sizes ? huge.sizes[0].page_sz
							   : huge.default_sz);
			eal_error("%s", msg);
		}
		return -1;
	}
	if (defaulted && first_usable->total_free) {
		/* no size asked for: take what is there */
		int s = main_socket();

		page_sz = first_usable->page_sz;
		req[s] = first_usable->free_pages[s] * page_sz;
		if (!req[s]) {
			for (s = 0; s < VFN_MAX_NUMA_NODES; s++)
				if (first_usable->free_pages[s])
					break;
			req[main_socket()] = 0;
			req[s] = first_usable->free_pages[s] * page_sz;
		}
		vfn_log(VFN_LOG_WARNING, "EAL",
			"only %" PRIu64 " MB of hugepages free; starting with that",
			req[s] >> 20);
		return 0;
	}
	eal_diag_no_hugepages(msg, sizeof(msg), total, first_usable->page_sz,
			      first_usable->total_free,
			      first_usable->total_pages);
	eal_error("%s", msg);
	errno = ENOMEM;
	return -1;
}

int eal_mem_init(void)
{
	const struct eal_config *cfg = &eal_cfg;
	uint64_t req[VFN_MAX_NUMA_NODES] = { 0 };
	bool defaulted = false;

	if (cfg->socket_mem_set) {
		memcpy(req, cfg->socket_mem, sizeof(req));
		for (int s = 0; s < VFN_MAX_NUMA_NODES; s++)
			if (req[s] && !eal_node_exists(s)) {
				eal_error("invalid EAL argument '--socket-mem': NUMA node %d does not exist",
					  s);
				return -1;
			}
	} else {
		req[main_socket()] = cfg->memory ? cfg->memory : DEFAULT_MEM;
		defaulted = !cfg->memory;
	}
	if (cfg->no_huge) {
		page_sz = 0;
	} else {
		int ret = eal_huge_discover(&huge, cfg->huge_dir);

		if (ret == -ENOENT) {
			eal_error("--huge-dir %s is not a hugetlbfs mount",
				  cfg->huge_dir);
			return -1;
		}
		if (ret || !huge.n_sizes) {
			eal_error("this kernel has no hugepages (CONFIG_HUGETLBFS); run with --no-huge");
			return -1;
		}
		if (choose_page_size(req, defaulted))
			return -1;
		if (!cfg->in_memory &&
		    cfg->huge_unlink != EAL_HUGE_UNLINK_NEVER)
			eal_huge_reclaim_stale(eal_mem_huge_mount(page_sz),
					       cfg->file_prefix);
	}
	for (int s = 0; s < VFN_MAX_NUMA_NODES; s++) {
		if (!req[s])
			continue;
		if (!eal_mem_add(req[s], s, page_sz))
			return -1;
	}
	mem_ready = true;
	return 0;
}

void eal_mem_fini(void)
{
	mem_ready = false;
	page_sz = 0;
	memset(&huge, 0, sizeof(huge));
}

struct eal_memseg *eal_mem_grow(size_t size, int socket)
{
	uint64_t unit = page_sz ? page_sz : (1ull << EAL_IOVA_GRANULE_SHIFT);
	uint64_t len;
	struct eal_memseg *ms;

	if (!mem_ready)
		return NULL;
	if (eal_cfg.legacy_mem) {
		eal_error("EAL memory is full: with --legacy-mem it is all reserved at start-up and never grows; give more with -m or --socket-mem");
		errno = ENOMEM;
		return NULL;
	}
	if (socket < 0)
		socket = main_socket();
	if (!eal_node_exists(socket))
		return NULL;
	len = vfn_align_ceil(size, unit);
	if (len < MIN_GROW)
		len = vfn_align_ceil(MIN_GROW, unit);
	pthread_mutex_lock(&grow_lock);
	ms = eal_mem_add(len, socket, page_sz);
	if (!ms && len > vfn_align_ceil(size, unit)) /* try the minimum */
		ms = eal_mem_add(vfn_align_ceil(size, unit), socket, page_sz);
	pthread_mutex_unlock(&grow_lock);
	return ms;
}

int vfn_eal_has_hugepages(void)
{
	return mem_ready && page_sz != 0;
}
