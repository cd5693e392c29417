/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port API's telemetry commands, with DPDK 22.11's names, parameters
 * and keys (lib/ethdev/rte_ethdev.c, the eth_dev_handle_port_* handlers):
 * /ethdev/list, /ethdev/stats,N, /ethdev/xstats,N, /ethdev/link_status,N,
 * /ethdev/info,N.  They read the counters the queues publish (relaxed
 * loads, see port_stats.c) and the port's configuration; none touches a
 * queue.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_ethdev.h"
#include "vfn_ethdev_driver.h"
#include "vfn_telemetry.h"

/* The port of "N" (DPDK: a number, extra text ignored), or -1. */
static int port_param(const char *params)
{
	unsigned long id;
	char *end;

	if (!params || !isdigit((unsigned char)*params))
		return -1;
	id = strtoul(params, &end, 0);
	if (id >= VFN_MAX_ETHPORTS || !vfn_eth_dev_is_valid_port((uint16_t)id))
		return -1;
	return (int)id;
}

static int cmd_list(const char *cmd, const char *params,
		    struct vfn_tel_data *d)
{
	uint16_t p;

	(void)cmd;
	(void)params;
	vfn_tel_data_start_array(d, VFN_TEL_INT_VAL);
	VFN_ETH_FOREACH_DEV(p)
		vfn_tel_data_add_array_int(d, p);
	return 0;
}

/* Add array @name of the first @n entries of @q. */
static void add_queue_array(struct vfn_tel_data *d, const char *name,
			    const uint64_t *q, unsigned int n)
{
	struct vfn_tel_data *a = vfn_tel_data_alloc();

	if (!a)
		return;
	vfn_tel_data_start_array(a, VFN_TEL_U64_VAL);
	for (unsigned int i = 0; i < n; i++)
		vfn_tel_data_add_array_u64(a, q[i]);
	if (vfn_tel_data_add_dict_container(d, name, a, 0))
		vfn_tel_data_free(a);
}

static int cmd_stats(const char *cmd, const char *params,
		     struct vfn_tel_data *d)
{
	struct vfn_eth_stats st;
	int p = port_param(params);

	(void)cmd;
	if (p < 0 || vfn_eth_stats_get((uint16_t)p, &st))
		return -1;
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_u64(d, "ipackets", st.ipackets);
	vfn_tel_data_add_dict_u64(d, "opackets", st.opackets);
	vfn_tel_data_add_dict_u64(d, "ibytes", st.ibytes);
	vfn_tel_data_add_dict_u64(d, "obytes", st.obytes);
	vfn_tel_data_add_dict_u64(d, "imissed", st.imissed);
	vfn_tel_data_add_dict_u64(d, "ierrors", st.ierrors);
	vfn_tel_data_add_dict_u64(d, "oerrors", st.oerrors);
	vfn_tel_data_add_dict_u64(d, "rx_nombuf", st.rx_nombuf);
	add_queue_array(d, "q_ipackets", st.q_ipackets, VFN_ETHDEV_QUEUE_STAT_CNTRS);
	add_queue_array(d, "q_opackets", st.q_opackets, VFN_ETHDEV_QUEUE_STAT_CNTRS);
	add_queue_array(d, "q_ibytes", st.q_ibytes, VFN_ETHDEV_QUEUE_STAT_CNTRS);
	add_queue_array(d, "q_obytes", st.q_obytes, VFN_ETHDEV_QUEUE_STAT_CNTRS);
	add_queue_array(d, "q_errors", st.q_errors, VFN_ETHDEV_QUEUE_STAT_CNTRS);
	return 0;
}

static int cmd_xstats(const char *cmd, const char *params,
		      struct vfn_tel_data *d)
{
	struct vfn_eth_xstat_name *names = NULL;
	struct vfn_eth_xstat *vals = NULL;
	int p = port_param(params), n, ret = -1;

	(void)cmd;
	if (p < 0)
		return -1;
	n = vfn_eth_xstats_get_names((uint16_t)p, NULL, 0);
	if (n < 0)
		return -1;
	names = calloc((size_t)n + 1, sizeof(*names));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (!names || !vals)
		goto out;
	/* a queue set up in between changes n: then answer null */
	if (vfn_eth_xstats_get_names((uint16_t)p, names, (unsigned int)n) != n ||
	    vfn_eth_xstats_get((uint16_t)p, vals, (unsigned int)n) != n)
		goto out;
	vfn_tel_data_start_dict(d);
	for (int i = 0; i < n; i++)
		if (vals[i].id < (uint64_t)n)
			vfn_tel_data_add_dict_u64(d, names[vals[i].id].name,
						  vals[i].value);
	ret = 0;
out:
	free(names);
	free(vals);
	return ret;
}

static int cmd_link_status(const char *cmd, const char *params,
			   struct vfn_tel_data *d)
{
	struct vfn_eth_link link;
	int p = port_param(params);

	(void)cmd;
	if (p < 0 || vfn_eth_link_get_nowait((uint16_t)p, &link))
		return -1;
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_string(d, "status",
				     link.link_status ? "UP" : "DOWN");
	if (!link.link_status)
		return 0;
	vfn_tel_data_add_dict_u64(d, "speed", link.link_speed);
	vfn_tel_data_add_dict_string(d, "duplex",
		link.link_duplex == VFN_ETH_LINK_FULL_DUPLEX ?
		"full-duplex" : "half-duplex");
	return 0;
}

static void add_hex(struct vfn_tel_data *d, const char *name, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	vfn_tel_data_add_dict_string(d, name, b);
}

/* Queue states as DPDK: 0 stopped, 1 started (here: the port's). */
static void add_queue_states(struct vfn_tel_data *d, const char *name,
			     unsigned int n, int started)
{
	struct vfn_tel_data *a = vfn_tel_data_alloc();

	if (!a)
		return;
	vfn_tel_data_start_array(a, VFN_TEL_INT_VAL);
	for (unsigned int i = 0; i < n; i++)
		vfn_tel_data_add_array_int(a, started);
	if (vfn_tel_data_add_dict_container(d, name, a, 0))
		vfn_tel_data_free(a);
}

static int cmd_info(const char *cmd, const char *params,
		    struct vfn_tel_data *d)
{
	struct vfn_eth_dev_info info;
	struct vfn_eth_dev *dev;
	char mac[VFN_ETHER_ADDR_FMT_SIZE];
	int p = port_param(params);

	(void)cmd;
	if (p < 0 || vfn_eth_dev_info_get((uint16_t)p, &info))
		return -1;
	dev = vfn_eth_dev_get((uint16_t)p);
	if (!dev)
		return -1;
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_string(d, "name", info.name);
	vfn_tel_data_add_dict_string(d, "driver_name", info.driver_name);
	vfn_tel_data_add_dict_int(d, "state", 1); /* RTE_ETH_DEV_ATTACHED */
	vfn_tel_data_add_dict_int(d, "nb_rx_queues", info.nb_rx_queues);
	vfn_tel_data_add_dict_int(d, "nb_tx_queues", info.nb_tx_queues);
	vfn_tel_data_add_dict_int(d, "port_id", p);
	vfn_tel_data_add_dict_int(d, "mtu", dev->mtu);
	vfn_tel_data_add_dict_int(d, "rx_mbuf_size_min", info.min_rx_bufsize);
	vfn_ether_format_addr(mac, sizeof(mac), &info.mac_addr);
	vfn_tel_data_add_dict_string(d, "mac_addr", mac);
	vfn_tel_data_add_dict_int(d, "promiscuous",
				  vfn_eth_promiscuous_get((uint16_t)p) == 1);
	vfn_tel_data_add_dict_int(d, "all_multicast",
				  vfn_eth_allmulticast_get((uint16_t)p) == 1);
	vfn_tel_data_add_dict_int(d, "dev_started", dev->started);
	vfn_tel_data_add_dict_int(d, "dev_configured", dev->configured);
	add_queue_states(d, "rxq_state", info.nb_rx_queues, dev->started);
	add_queue_states(d, "txq_state", info.nb_tx_queues, dev->started);
	vfn_tel_data_add_dict_int(d, "numa_node", info.socket_id);
	add_hex(d, "rx_offloads", dev->conf.rxmode.offloads);
	add_hex(d, "tx_offloads", dev->conf.txmode.offloads);
	add_hex(d, "ethdev_rss_hf", dev->conf.rx_adv_conf.rss_conf.rss_hf);
	add_hex(d, "rx_offload_capa", info.rx_offload_capa);
	add_hex(d, "tx_offload_capa", info.tx_offload_capa);
	return 0;
}

__attribute__((constructor)) static void port_telemetry_register(void)
{
	vfn_telemetry_register_cmd("/ethdev/list", cmd_list,
		"Returns list of available ethdev ports. Takes no parameters");
	vfn_telemetry_register_cmd("/ethdev/stats", cmd_stats,
		"Returns the common stats for a port. Parameters: int port_id");
	vfn_telemetry_register_cmd("/ethdev/xstats", cmd_xstats,
		"Returns the extended stats for a port. Parameters: int port_id");
	vfn_telemetry_register_cmd("/ethdev/link_status", cmd_link_status,
		"Returns the link status for a port. Parameters: int port_id");
	vfn_telemetry_register_cmd("/ethdev/info", cmd_info,
		"Returns the device info for a port. Parameters: int port_id");
}
