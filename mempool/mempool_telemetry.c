/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mempool's telemetry commands, with DPDK 22.11's names and keys
 * (lib/mempool/rte_mempool.c): /mempool/list and /mempool/info,NAME.
 * Both read the pools under the pool list's lock (vfn_mempool_walk()), so
 * a pool freed meanwhile is never read; the counts are snapshots.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vfn_mempool.h"
#include "vfn_telemetry.h"

static void list_one(struct vfn_mempool *mp, void *arg)
{
	vfn_tel_data_add_array_string(arg, mp->name);
}

static int cmd_list(const char *cmd, const char *params,
		    struct vfn_tel_data *d)
{
	(void)cmd;
	(void)params;
	vfn_tel_data_start_array(d, VFN_TEL_STRING_VAL);
	vfn_mempool_walk(list_one, d);
	return 0;
}

struct info_req {
	const char *name;
	struct vfn_tel_data *d;
	int found;
};

static void info_one(struct vfn_mempool *mp, void *arg)
{
	struct info_req *r = arg;
	struct vfn_tel_data *d = r->d;
	unsigned int avail;
	char b[24];

	if (r->found || strcmp(mp->name, r->name))
		return;
	r->found = 1;
	avail = vfn_mempool_avail_count(mp);
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_string(d, "name", mp->name);
	snprintf(b, sizeof(b), "0x%x", mp->flags);
	vfn_tel_data_add_dict_string(d, "flags", b);
	vfn_tel_data_add_dict_int(d, "socket_id", mp->socket_id);
	vfn_tel_data_add_dict_int(d, "size", mp->size);
	vfn_tel_data_add_dict_int(d, "cache_size", mp->cache_size);
	vfn_tel_data_add_dict_int(d, "elt_size", mp->elt_size);
	vfn_tel_data_add_dict_int(d, "header_size", mp->header_size);
	vfn_tel_data_add_dict_int(d, "trailer_size", mp->trailer_size);
	vfn_tel_data_add_dict_int(d, "private_data_size",
				  mp->private_data_size);
	vfn_tel_data_add_dict_int(d, "populated_size", mp->populated_size);
	vfn_tel_data_add_dict_int(d, "nb_mem_chunks", mp->nb_mem_chunks);
	vfn_tel_data_add_dict_u64(d, "mem_size", mp->mem_size);
	vfn_tel_data_add_dict_int(d, "avail_count", avail);
	vfn_tel_data_add_dict_int(d, "in_use_count", mp->size - avail);
}

static int cmd_info(const char *cmd, const char *params,
		    struct vfn_tel_data *d)
{
	struct info_req r = { .name = params, .d = d };

	(void)cmd;
	if (!params || !*params)
		return -1;
	vfn_mempool_walk(info_one, &r);
	return r.found ? 0 : -1;
}

__attribute__((constructor)) static void mempool_telemetry_register(void)
{
	vfn_telemetry_register_cmd("/mempool/list", cmd_list,
		"Returns list of available mempool. Takes no parameters");
	vfn_telemetry_register_cmd("/mempool/info", cmd_info,
		"Returns mempool info. Parameters: pool_name");
}
