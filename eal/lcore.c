/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lcores: the main lcore is the thread that called vfn_eal_init(); every
 * other enabled lcore gets one pthread pinned to its CPU, which sleeps on
 * a condition variable until vfn_eal_remote_launch() hands it a function.
 * Launching is a set-up-time operation: a mutex and a condvar per lcore
 * are simpler and cheaper to reason about than a lock-free handshake.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef VFN_HAVE_NUMA
#include <numa.h>
#endif

#include "eal_private.h"
#include "vfn_launch.h"
#include "vfn_lcore.h"
#include "vfn_log.h"

struct lcore {
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum vfn_lcore_state state;
	vfn_lcore_function_t *fn;
	void *arg;
	int ret;
	bool quit;
	unsigned int socket;
};

static struct lcore lcores[VFN_MAX_LCORE];
static bool lcores_up;
static unsigned int n_lcores = 1;
static unsigned int main_lcore;
static cpu_set_t main_saved_affinity;

int eal_cpu_socket(unsigned int cpu)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int node = -1;

#ifdef VFN_HAVE_NUMA
	if (numa_available() >= 0) {
		node = numa_node_of_cpu((int)cpu);
		if (node >= 0)
			return node % VFN_MAX_NUMA_NODES;
	}
#endif
	eal_fmt(path, sizeof(path), "%s/devices/system/cpu/cpu%u",
		 eal_sysfs_root, cpu);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (sscanf(de->d_name, "node%d", &node) == 1)
			break;
	closedir(d);
	return node < 0 ? 0 : node % VFN_MAX_NUMA_NODES;
}

/* Run the calling thread on the CPUs of lcore @id. */
static int pin_self(unsigned int id)
{
	return pthread_setaffinity_np(pthread_self(),
				      sizeof(eal_cfg.lcore_cpuset[id]),
				      &eal_cfg.lcore_cpuset[id]);
}

static void *lcore_thread(void *varg)
{
	unsigned int id = (unsigned int)(uintptr_t)varg;
	struct lcore *lc = &lcores[id];
	char name[16];

	vfn_per_lcore_id = id;
	eal_fmt(name, sizeof(name), "lcore-worker-%u", id);
	pthread_setname_np(pthread_self(), name);
	pin_self(id);
	pthread_mutex_lock(&lc->lock);
	for (;;) {
		while (lc->state != VFN_LCORE_RUNNING && !lc->quit)
			pthread_cond_wait(&lc->cond, &lc->lock);
		if (lc->quit)
			break;
		pthread_mutex_unlock(&lc->lock);
		lc->ret = lc->fn(lc->arg);
		pthread_mutex_lock(&lc->lock);
		lc->state = VFN_LCORE_FINISHED;
		pthread_cond_broadcast(&lc->cond);
	}
	pthread_mutex_unlock(&lc->lock);
	return NULL;
}

/* Every CPU the process may use is at or above VFN_MAX_LCORE. */
static void no_cpu_error(const cpu_set_t *allowed)
{
	int first = -1;

	for (int c = 0; c < CPU_SETSIZE && first < 0; c++)
		if (CPU_ISSET(c, allowed))
			first = c;
	eal_error("no CPU available to this process: its affinity allows %d CPUs, the first is CPU %d, and default lcores only use CPUs 0-%d; map lcores onto allowed CPUs with --lcores (e.g. --lcores 0@%d) or run the process on lower CPUs (taskset -c)",
		  CPU_COUNT(allowed), first, VFN_MAX_LCORE - 1, first);
}

int eal_default_lcores(struct eal_config *cfg, const cpu_set_t *allowed)
{
	for (unsigned int c = 0; c < VFN_MAX_LCORE && c < CPU_SETSIZE; c++) {
		cpu_set_t one;

		if (!CPU_ISSET(c, allowed))
			continue;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		eal_lcore_assign(cfg, c, &one);
	}
	if (cfg->lcore_count)
		return 0;
	no_cpu_error(allowed);
	return -1;
}

int eal_lcores_start(void)
{
	struct eal_config *cfg = &eal_cfg;
	cpu_set_t allowed;
	unsigned int i;

	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		eal_error("sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	main_saved_affinity = allowed;
	if (!cfg->lcore_count && eal_default_lcores(cfg, &allowed))
		return -1;
	for (i = 0; i < VFN_MAX_LCORE; i++) {
		if (!cfg->lcore_enabled[i])
			continue;
		for (int c = 0; c < CPU_SETSIZE; c++) {
			if (!CPU_ISSET(c, &cfg->lcore_cpuset[i]) ||
			    CPU_ISSET(c, &allowed))
				continue;
			eal_error("invalid EAL argument '-l': lcore %u needs CPU %d, which this process cannot use (%ld CPUs online; see taskset -p $$)",
				  i, c, sysconf(_SC_NPROCESSORS_ONLN));
			return -1;
		}
	}
	if (cfg->main_lcore_set && !cfg->lcore_enabled[cfg->main_lcore]) {
		/* -l checks this while parsing; the default lcores only now */
		eal_error("invalid EAL argument '--main-lcore %u': lcore %u is not enabled (without -l the lcores are the %u CPUs this process may use, see taskset -p $$); pick one of them or list it with -l",
			  cfg->main_lcore, cfg->main_lcore, cfg->lcore_count);
		return -1;
	}
	if (!cfg->main_lcore_set) {
		for (i = 0; i < VFN_MAX_LCORE && !cfg->lcore_enabled[i]; i++)
			;
		cfg->main_lcore = i;
	}
	main_lcore = cfg->main_lcore;
	n_lcores = cfg->lcore_count;
	for (i = 0; i < VFN_MAX_LCORE; i++) {
		struct lcore *lc = &lcores[i];

		memset(lc, 0, sizeof(*lc));
		if (!cfg->lcore_enabled[i])
			continue;
		lc->socket = (unsigned int)eal_cpu_socket(cfg->lcore_cpu[i]);
		pthread_mutex_init(&lc->lock, NULL);
		pthread_cond_init(&lc->cond, NULL);
		lc->state = VFN_LCORE_WAIT;
	}
	lcores_up = true;
	vfn_per_lcore_id = main_lcore;
	pin_self(main_lcore);
	for (i = 0; i < VFN_MAX_LCORE; i++) {
		int ret;

		if (!cfg->lcore_enabled[i] || i == main_lcore)
			continue;
		ret = pthread_create(&lcores[i].thread, NULL, lcore_thread,
				     (void *)(uintptr_t)i);
		if (ret) {
			eal_error("cannot create the thread of lcore %u: %s", i,
				  strerror(ret));
			eal_lcores_stop();
			return -1;
		}
		lcores[i].started = true;
	}
	return 0;
}

void eal_lcores_stop(void)
{
	if (!lcores_up)
		return;
	for (unsigned int i = 0; i < VFN_MAX_LCORE; i++) {
		struct lcore *lc = &lcores[i];

		if (!lc->started)
			continue;
		pthread_mutex_lock(&lc->lock);
		lc->quit = true;
		pthread_cond_broadcast(&lc->cond);
		pthread_mutex_unlock(&lc->lock);
		/* a function still running must return first (as in DPDK) */
		pthread_join(lc->thread, NULL);
		lc->started = false;
	}
	for (unsigned int i = 0; i < VFN_MAX_LCORE; i++) {
		if (!eal_cfg.lcore_enabled[i])
			continue;
		pthread_mutex_destroy(&lcores[i].lock);
		pthread_cond_destroy(&lcores[i].cond);
	}
	pthread_setaffinity_np(pthread_self(), sizeof(main_saved_affinity),
			       &main_saved_affinity);
	vfn_per_lcore_id = VFN_LCORE_ID_ANY;
	lcores_up = false;
	n_lcores = 1;
	main_lcore = 0;
}

const cpu_set_t *eal_process_cpus(void)
{
	return lcores_up ? &main_saved_affinity : NULL;
}

static bool is_worker(unsigned int id)
{
	return lcores_up && id < VFN_MAX_LCORE && eal_cfg.lcore_enabled[id] &&
	       id != main_lcore;
}

int vfn_eal_remote_launch(vfn_lcore_function_t *f, void *arg,
			  unsigned int worker_id)
{
	struct lcore *lc;
	int ret = 0;

	if (!f || !is_worker(worker_id))
		return -EINVAL;
	lc = &lcores[worker_id];
	pthread_mutex_lock(&lc->lock);
	if (lc->state != VFN_LCORE_WAIT) {
		ret = -EBUSY;
	} else {
		lc->fn = f;
		lc->arg = arg;
		lc->state = VFN_LCORE_RUNNING;
		pthread_cond_broadcast(&lc->cond);
	}
	pthread_mutex_unlock(&lc->lock);
	return ret;
}

int vfn_eal_mp_remote_launch(vfn_lcore_function_t *f, void *arg,
			     enum vfn_rmt_call_main call_main)
{
	unsigned int i;

	VFN_LCORE_FOREACH_WORKER(i)
		if (lcores[i].state != VFN_LCORE_WAIT)
			return -EBUSY;
	VFN_LCORE_FOREACH_WORKER(i)
		vfn_eal_remote_launch(f, arg, i);
	if (call_main == VFN_CALL_MAIN)
		f(arg);
	return 0;
}

int vfn_eal_wait_lcore(unsigned int worker_id)
{
	struct lcore *lc;
	int ret = 0;

	if (!is_worker(worker_id))
		return 0;
	lc = &lcores[worker_id];
	pthread_mutex_lock(&lc->lock);
	while (lc->state == VFN_LCORE_RUNNING)
		pthread_cond_wait(&lc->cond, &lc->lock);
	if (lc->state == VFN_LCORE_FINISHED) {
		ret = lc->ret;
		lc->state = VFN_LCORE_WAIT;
	}
	pthread_mutex_unlock(&lc->lock);
	return ret;
}

void vfn_eal_mp_wait_lcore(void)
{
	unsigned int i;

	VFN_LCORE_FOREACH_WORKER(i)
		vfn_eal_wait_lcore(i);
}

enum vfn_lcore_state vfn_eal_get_lcore_state(unsigned int worker_id)
{
	enum vfn_lcore_state s;

	if (!is_worker(worker_id))
		return VFN_LCORE_WAIT;
	pthread_mutex_lock(&lcores[worker_id].lock);
	s = lcores[worker_id].state;
	pthread_mutex_unlock(&lcores[worker_id].lock);
	return s;
}

unsigned int vfn_lcore_count(void)
{
	return n_lcores;
}

unsigned int vfn_get_main_lcore(void)
{
	return main_lcore;
}

int vfn_lcore_is_enabled(unsigned int lcore_id)
{
	if (!lcores_up)
		return lcore_id == 0;
	return lcore_id < VFN_MAX_LCORE && eal_cfg.lcore_enabled[lcore_id];
}

unsigned int vfn_get_next_lcore(unsigned int i, int skip_main, int wrap)
{
	for (unsigned int n = 0; n < VFN_MAX_LCORE; n++) {
		i = i + 1;
		if (i >= VFN_MAX_LCORE) {
			if (!wrap)
				return VFN_MAX_LCORE;
			i = 0;
		}
		if (!vfn_lcore_is_enabled(i))
			continue;
		if (skip_main && i == main_lcore)
			continue;
		return i;
	}
	return VFN_MAX_LCORE;
}

unsigned int vfn_lcore_to_socket_id(unsigned int lcore_id)
{
	if (!lcores_up || lcore_id >= VFN_MAX_LCORE ||
	    !eal_cfg.lcore_enabled[lcore_id])
		return 0;
	return lcores[lcore_id].socket;
}

int vfn_lcore_to_cpu_id(unsigned int lcore_id)
{
	if (!lcores_up || lcore_id >= VFN_MAX_LCORE ||
	    !eal_cfg.lcore_enabled[lcore_id])
		return -1;
	return eal_cfg.lcore_cpu[lcore_id];
}

unsigned int vfn_socket_id(void)
{
	unsigned int id = vfn_lcore_id();
	int cpu;

	if (id != VFN_LCORE_ID_ANY && lcores_up)
		return vfn_lcore_to_socket_id(id);
	cpu = sched_getcpu();
	return cpu < 0 ? 0 : (unsigned int)eal_cpu_socket((unsigned int)cpu);
}
