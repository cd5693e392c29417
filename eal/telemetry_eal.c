/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL's telemetry commands: "/eal/params" and "/eal/app_params" (as
 * DPDK 22.11's EAL: the arguments before "--", argv[0] first, and those
 * after it), "/vfnet/memory" (the memory segments with their IOVAs) and
 * "/vfnet/lcores".
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eal_private.h"
#include "vfn_lcore.h"
#include "vfn_telemetry.h"
#include "telemetry_internal.h"

static pthread_mutex_t args_lock = PTHREAD_MUTEX_INITIALIZER;
static char **eal_args, **app_args;

static void free_list(char **l)
{
	for (char **p = l; p && *p; p++)
		free(*p);
	free(l);
}

/* A NULL-terminated copy of argv[from..to); NULL on ENOMEM. */
static char **copy_list(char **argv, int from, int to)
{
	char **l = calloc((size_t)(to - from + 1), sizeof(*l));

	if (!l)
		return NULL;
	for (int i = from; i < to; i++) {
		l[i - from] = strdup(argv[i]);
		if (!l[i - from]) {
			free_list(l);
			return NULL;
		}
	}
	return l;
}

void eal_telemetry_save_args(int argc, char **argv)
{
	int dd = 0;

	while (dd < argc && strcmp(argv[dd], "--"))
		dd++;
	pthread_mutex_lock(&args_lock);
	free_list(eal_args);
	free_list(app_args);
	eal_args = copy_list(argv, 0, dd);
	app_args = dd < argc ? copy_list(argv, dd + 1, argc) : NULL;
	pthread_mutex_unlock(&args_lock);
}

void eal_telemetry_free_args(void)
{
	pthread_mutex_lock(&args_lock);
	free_list(eal_args);
	free_list(app_args);
	eal_args = app_args = NULL;
	pthread_mutex_unlock(&args_lock);
}

char *const *eal_telemetry_eal_args(void)
{
	return eal_args;
}

char *const *eal_telemetry_app_args(void)
{
	return app_args;
}

static int cmd_params(const char *cmd, const char *params,
		      struct vfn_tel_data *d)
{
	char **l;

	(void)params;
	vfn_tel_data_start_array(d, VFN_TEL_STRING_VAL);
	pthread_mutex_lock(&args_lock);
	l = strcmp(cmd, "/eal/params") ? app_args : eal_args;
	for (; l && *l; l++)
		vfn_tel_data_add_array_string(d, *l);
	pthread_mutex_unlock(&args_lock);
	return 0;
}

static const char *iova_name(enum vfn_iova_mode m)
{
	return m == VFN_IOVA_PA ? "PA" : m == VFN_IOVA_VA ? "VA" : "DC";
}

static char *hex(char *buf, size_t n, uint64_t v)
{
	snprintf(buf, n, "0x%" PRIx64, v);
	return buf;
}

/* One memseg as a dict: addresses as hex strings, sizes as numbers. */
static struct vfn_tel_data *memseg_dict(const struct eal_memseg *ms)
{
	struct vfn_tel_data *s = vfn_tel_data_alloc();
	char b[24];

	if (!s)
		return NULL;
	vfn_tel_data_start_dict(s);
	vfn_tel_data_add_dict_string(s, "addr",
				     hex(b, sizeof(b), (uintptr_t)ms->addr));
	if (ms->iova == VFN_BAD_IOVA)
		vfn_tel_data_add_dict_string(s, "iova", "none");
	else
		vfn_tel_data_add_dict_string(s, "iova",
					     hex(b, sizeof(b), ms->iova));
	vfn_tel_data_add_dict_u64(s, "len", ms->len);
	vfn_tel_data_add_dict_u64(s, "page_sz", ms->page_sz);
	vfn_tel_data_add_dict_int(s, "socket", ms->socket);
	vfn_tel_data_add_dict_int(s, "dma_mapped", ms->dma_mapped);
	vfn_tel_data_add_dict_string(s, "file", ms->path);
	return s;
}

/*
 * The memseg table only grows while the EAL runs (entries are written
 * before the count covers them), so reading it from this thread sees
 * whole entries.
 */
static int cmd_memory(const char *cmd, const char *params,
		      struct vfn_tel_data *d)
{
	struct vfn_tel_data *segs;
	unsigned int n;

	(void)cmd;
	(void)params;
	if (!vfn_eal_is_initialized())
		return -1;
	segs = vfn_tel_data_alloc();
	if (!segs)
		return -1;
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_string(d, "iova_mode",
				     iova_name(vfn_eal_iova_mode()));
	vfn_tel_data_add_dict_string(d, "vfio", vfn_eal_vfio_flavor());
	vfn_tel_data_add_dict_int(d, "hugepages", vfn_eal_has_hugepages());
	vfn_tel_data_add_dict_u64(d, "total", vfn_eal_memory_total());
	vfn_tel_data_start_array(segs, VFN_TEL_CONTAINER);
	n = eal_memseg_count();
	for (unsigned int i = 0; i < n; i++) {
		struct vfn_tel_data *s = memseg_dict(eal_memseg_get(i));

		if (s && vfn_tel_data_add_array_container(segs, s, 0))
			vfn_tel_data_free(s);
	}
	vfn_tel_data_add_dict_container(d, "memsegs", segs, 0);
	return 0;
}

static int cmd_lcores(const char *cmd, const char *params,
		      struct vfn_tel_data *d)
{
	(void)cmd;
	(void)params;
	if (!vfn_eal_is_initialized())
		return -1;
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_int(d, "main_lcore", vfn_get_main_lcore());
	for (unsigned int i = 0; i < VFN_MAX_LCORE; i++) {
		struct vfn_tel_data *l;
		char name[16];

		if (!vfn_lcore_is_enabled(i))
			continue;
		l = vfn_tel_data_alloc();
		if (!l)
			return -1;
		vfn_tel_data_start_dict(l);
		vfn_tel_data_add_dict_int(l, "cpu", vfn_lcore_to_cpu_id(i));
		vfn_tel_data_add_dict_int(l, "socket",
					  vfn_lcore_to_socket_id(i));
		snprintf(name, sizeof(name), "%u", i);
		if (vfn_tel_data_add_dict_container(d, name, l, 0))
			vfn_tel_data_free(l);
	}
	return 0;
}

__attribute__((constructor)) static void tel_register_eal(void)
{
	vfn_telemetry_register_cmd("/eal/params", cmd_params,
		"Returns EAL commandline parameters used. Takes no parameters");
	vfn_telemetry_register_cmd("/eal/app_params", cmd_params,
		"Returns app commandline parameters used. Takes no parameters");
	vfn_telemetry_register_cmd("/vfnet/memory", cmd_memory,
		"Returns the memory segments, their IOVAs and the IOVA mode. Takes no parameters");
	vfn_telemetry_register_cmd("/vfnet/lcores", cmd_lcores,
		"Returns the enabled lcores with their CPU and NUMA node. Takes no parameters");
}
