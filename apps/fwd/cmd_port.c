/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prompt's port commands, with testpmd's spelling and output:
 * show port stats|xstats|info all|N, clear port stats all|N,
 * show port N rss-hash, port start|stop all|N,
 * port config all rxq|txq|rxd|txd N (ports stopped), set promisc all on|off,
 * set link-up|link-down port N.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "fwd.h"

/* Run @p fn on port num[i], or on every port set up when "all". */
static void for_ports(const struct fwd_cmd_args *a, unsigned int i,
		      void (*fn)(uint16_t p))
{
	uint16_t p;

	if (!a->all[i]) {
		fn((uint16_t)a->num[i]);
		return;
	}
	VFN_ETH_FOREACH_DEV(p)
		if (fwd_port_is_setup(p))
			fn(p);
}

/* The RSS hash types fwd's port API has, in bit order, testpmd's names. */
static const struct { uint64_t bit; const char *name; } rss_types[] = {
	{ VFN_ETH_RSS_IPV4, "ipv4" },
	{ VFN_ETH_RSS_FRAG_IPV4, "ipv4-frag" },
	{ VFN_ETH_RSS_NONFRAG_IPV4_TCP, "ipv4-tcp" },
	{ VFN_ETH_RSS_NONFRAG_IPV4_UDP, "ipv4-udp" },
	{ VFN_ETH_RSS_NONFRAG_IPV4_OTHER, "ipv4-other" },
	{ VFN_ETH_RSS_IPV6, "ipv6" },
	{ VFN_ETH_RSS_FRAG_IPV6, "ipv6-frag" },
	{ VFN_ETH_RSS_NONFRAG_IPV6_TCP, "ipv6-tcp" },
	{ VFN_ETH_RSS_NONFRAG_IPV6_UDP, "ipv6-udp" },
	{ VFN_ETH_RSS_NONFRAG_IPV6_OTHER, "ipv6-other" },
	{ VFN_ETH_RSS_IPV6_EX, "ipv6-ex" },
	{ VFN_ETH_RSS_IPV6_TCP_EX, "ipv6-tcp-ex" },
	{ VFN_ETH_RSS_IPV6_UDP_EX, "ipv6-udp-ex" },
};

/* testpmd's rss_offload_types_display: "  name" each, 64 columns a line. */
static void print_rss_types(uint64_t hf)
{
	unsigned int i, col = 0, len;

	for (i = 0; i < sizeof(rss_types) / sizeof(rss_types[0]); i++) {
		if (!(hf & rss_types[i].bit))
			continue;
		len = (unsigned int)strlen(rss_types[i].name) + 2;
		if (col + len >= 64) {
			printf("\n");
			col = 0;
		}
		printf("  %s", rss_types[i].name);
		col += len;
	}
	printf("\n");
}

static void show_xstats(uint16_t p)
{
	struct vfn_eth_xstat_name *names = NULL;
	struct vfn_eth_xstat *vals = NULL;
	int n = vfn_eth_xstats_get_names(p, NULL, 0), i;

	if (n < 0) {
		printf("Error: cannot get the xstats of port %u: %s\n", p,
		       strerror(-n));
		return;
	}
	names = calloc((size_t)n + 1, sizeof(*names));
	vals = calloc((size_t)n + 1, sizeof(*vals));
	if (!names || !vals ||
	    vfn_eth_xstats_get_names(p, names, (unsigned int)n) != n ||
	    vfn_eth_xstats_get(p, vals, (unsigned int)n) != n) {
		printf("Error: cannot read the xstats of port %u\n", p);
		goto out_free;
	}
	printf("###### NIC extended statistics for port %-2d\n", p);
	for (i = 0; i < n; i++)
		printf("%s: %" PRIu64 "\n", names[i].name, vals[i].value);
out_free:
	free(names);
	free(vals);
}

static void show_info(uint16_t p)
{
	static const char *border = "*********************";
	struct vfn_eth_dev_info info;
	struct vfn_eth_link link;
	char mac[VFN_ETHER_ADDR_FMT_SIZE];
	uint16_t mtu = 0;

	if (vfn_eth_dev_info_get(p, &info)) {
		printf("Error: cannot get the info of port %u\n", p);
		return;
	}
	vfn_eth_link_get_nowait(p, &link);
	vfn_eth_dev_get_mtu(p, &mtu);
	vfn_ether_format_addr(mac, sizeof(mac), &info.mac_addr);
	printf("\n%s Infos for port %-2d %s\n", border, p, border);
	printf("MAC address: %s\n", mac);
	printf("Device name: %s\n", info.name);
	printf("Driver name: %s\n", info.driver_name);
	printf("Firmware-version: not available\n");
	printf("Devargs: \n");
	printf("Connect to socket: %d\n", info.socket_id);
	printf("memory allocation on the socket: %d\n", info.socket_id);
	printf("Link status: %s\n", link.link_status ? "up" : "down");
	if (link.link_speed == VFN_ETH_SPEED_NUM_UNKNOWN)
		printf("Link speed: Unknown\n");
	else if (link.link_speed >= 1000)
		printf("Link speed: %u Gbps\n", link.link_speed / 1000);
	else
		printf("Link speed: %u Mbps\n", link.link_speed);
	printf("Link duplex: %s\n", link.link_duplex == VFN_ETH_LINK_FULL_DUPLEX ?
	       "full-duplex" : "half-duplex");
	printf("Autoneg status: %s\n", link.link_autoneg ? "On" : "Off");
	printf("MTU: %u\n", mtu);
	printf("Promiscuous mode: %s\n", vfn_eth_promiscuous_get(p) == 1 ?
	       "enabled" : "disabled");
	printf("Allmulticast mode: %s\n", vfn_eth_allmulticast_get(p) == 1 ?
	       "enabled" : "disabled");
	printf("Maximum number of MAC addresses: %u\n", info.max_mac_addrs);
	printf("Maximum number of MAC addresses of hash filtering: 0\n");
	printf("VLAN offload: \n  strip off, filter off, extend off, qinq "
	       "strip off\n");
	printf("Redirection table size: %u\n", info.reta_size);
	if (info.flow_type_rss_offloads) {
		printf("Supported RSS offload flow types:\n");
		print_rss_types(info.flow_type_rss_offloads);
	}
	printf("Minimum size of RX buffer: %u\n", info.min_rx_bufsize);
	printf("Maximum configurable length of RX packet: %u\n",
	       info.max_rx_pktlen);
	printf("Maximum configurable size of LRO aggregated packet: 0\n");
	printf("Current number of RX queues: %u\n", info.nb_rx_queues);
	printf("Max possible RX queues: %u\n", info.max_rx_queues);
	printf("Max possible number of RXDs per queue: %u\n",
	       info.rx_desc_lim.nb_max);
	printf("Min possible number of RXDs per queue: %u\n",
	       info.rx_desc_lim.nb_min);
	printf("RXDs number alignment: %u\n", info.rx_desc_lim.nb_align);
	printf("Current number of TX queues: %u\n", info.nb_tx_queues);
	printf("Max possible TX queues: %u\n", info.max_tx_queues);
	printf("Max possible number of TXDs per queue: %u\n",
	       info.tx_desc_lim.nb_max);
	printf("Min possible number of TXDs per queue: %u\n",
	       info.tx_desc_lim.nb_min);
	printf("TXDs number alignment: %u\n", info.tx_desc_lim.nb_align);
}

static int cmd_show_port(const struct fwd_cmd_args *a)
{
	const char *what = a->argv[2];

	if (!strcmp(what, "stats"))
		for_ports(a, 3, fwd_stats_nic_display);
	else if (!strcmp(what, "xstats"))
		for_ports(a, 3, show_xstats);
	else
		for_ports(a, 3, show_info);
	return FWD_CMD_OK;
}

static void clear_stats(uint16_t p)
{
	int ret = fwd_stats_nic_clear(p);

	if (ret)
		printf("Error: cannot clear the statistics of port %u: %s\n",
		       p, strerror(-ret));
	else
		printf("\n  NIC statistics for port %d cleared\n", p);
}

static int cmd_clear_stats(const struct fwd_cmd_args *a)
{
	for_ports(a, 3, clear_stats);
	return FWD_CMD_OK;
}

/* testpmd's port_rss_hash_conf_show, without the key. */
static int cmd_rss_hash(const struct fwd_cmd_args *a)
{
	uint16_t p = (uint16_t)a->num[2];
	struct vfn_eth_dev_info info;
	struct vfn_eth_rss_conf conf;
	int ret;

	if (vfn_eth_dev_info_get(p, &info) || info.hash_key_size == 0) {
		printf("dev_info did not provide a valid hash key size\n");
		return FWD_CMD_OK;
	}
	memset(&conf, 0, sizeof(conf));
	ret = vfn_eth_dev_rss_hash_conf_get(p, &conf);
	if (ret) {
		printf("Error: cannot get the RSS configuration of port %u: "
		       "%s\n", p, strerror(-ret));
		return FWD_CMD_OK;
	}
	if (!conf.rss_hf) {
		printf("RSS disabled\n");
		return FWD_CMD_OK;
	}
	printf("RSS functions:\n");
	print_rss_types(conf.rss_hf);
	return FWD_CMD_OK;
}

static void port_start(uint16_t p)
{
	if (fwd_port_start(p) == 0)
		printf("Port %u started\n", p);
}

static void port_stop(uint16_t p)
{
	if (fwd_port_stop(p) == 0)
		printf("Port %u stopped\n", p);
}

static int cmd_port_start_stop(const struct fwd_cmd_args *a)
{
	if (fwd_forwarding()) {
		printf("Please stop forwarding first\n");
		return FWD_CMD_OK;
	}
	if (!strcmp(a->argv[1], "start"))
		for_ports(a, 2, port_start);
	else
		for_ports(a, 2, port_stop);
	printf("Done\n");
	return FWD_CMD_OK;
}

/* The value fits every port's limits; 0, or -1 after a message. */
static int check_port_config(const char *what, uint64_t v)
{
	struct vfn_eth_dev_info info;
	int rxq = !strcmp(what, "rxq"), txq = !strcmp(what, "txq");
	int rxd = !strcmp(what, "rxd");
	uint16_t p;

	if (v < 1 || v > UINT16_MAX) {
		printf("Bad arguments: %s must be 1..%u\n", what, UINT16_MAX);
		return -1;
	}
	VFN_ETH_FOREACH_DEV(p) {
		uint64_t max;
		const struct vfn_eth_desc_lim *lim;

		if (!fwd_port_is_setup(p) || vfn_eth_dev_info_get(p, &info))
			continue;
		if (rxq || txq) {
			max = rxq ? info.max_rx_queues : info.max_tx_queues;
			if (v > max) {
				printf("Fail: input %s (%" PRIu64 ") can't be "
				       "greater than max_%s_queues (%" PRIu64
				       ") of port %u\n", what, v, rxq ? "rx" :
				       "tx", max, p);
				return -1;
			}
			continue;
		}
		lim = rxd ? &info.rx_desc_lim : &info.tx_desc_lim;
		if ((lim->nb_max && v > lim->nb_max) || v < lim->nb_min) {
			printf("Fail: input %s (%" PRIu64 ") must be %u..%u on "
			       "port %u\n", what, v, lim->nb_min, lim->nb_max, p);
			return -1;
		}
	}
	return 0;
}

static int cmd_port_config(const struct fwd_cmd_args *a)
{
	const char *what = a->argv[3];
	uint16_t v = (uint16_t)a->num[4];

	if (!fwd_ports_all_stopped()) {
		printf("Please stop all ports first\n");
		return FWD_CMD_OK;
	}
	if (check_port_config(what, a->num[4]))
		return FWD_CMD_OK;
	if (!strcmp(what, "rxq"))
		fwd_cfg.nb_rxq = v;
	else if (!strcmp(what, "txq"))
		fwd_cfg.nb_txq = v;
	else if (!strcmp(what, "rxd"))
		fwd_cfg.nb_rxd = v;
	else
		fwd_cfg.nb_txd = v;
	/* Applied by the next `port start`, as testpmd's need_reconfig. */
	fwd_ports_need_reconfig();
	return FWD_CMD_OK;
}

static int cmd_set_promisc(const struct fwd_cmd_args *a)
{
	int on = !strcmp(a->argv[3], "on");
	uint16_t p;
	int ret;

	VFN_ETH_FOREACH_DEV(p) {
		if (!fwd_port_is_setup(p))
			continue;
		ret = on ? vfn_eth_promiscuous_enable(p) :
			   vfn_eth_promiscuous_disable(p);
		if (ret)
			printf("Error during %s promiscuous mode for port %u: "
			       "%s\n", on ? "enabling" : "disabling", p,
			       strerror(-ret));
	}
	return FWD_CMD_OK;
}

/* testpmd's set link-up|link-down port N (drivers that can: ring). */
static int cmd_set_link(const struct fwd_cmd_args *a)
{
	uint16_t p = (uint16_t)a->num[3];
	int up = !strcmp(a->argv[1], "link-up");
	int ret = up ? vfn_eth_dev_set_link_up(p) :
		       vfn_eth_dev_set_link_down(p);

	if (ret)
		printf("\nSet link %s fail: port %u: %s\n", up ? "up" : "down",
		       p, strerror(-ret));
	return FWD_CMD_OK;
}

static const struct fwd_cmd port_cmds[] = {
	{ "show port stats|xstats|info <portall>", cmd_show_port,
	  "counters and throughput, extended counters, device facts" },
	{ "clear port stats <portall>", cmd_clear_stats, "zero the counters" },
	{ "show port <port> rss-hash", cmd_rss_hash, "RSS hash functions" },
	{ "port start|stop <portall>", cmd_port_start_stop,
	  "start or stop ports (forwarding stopped)" },
	{ "port config all rxq|txq|rxd|txd <uint>", cmd_port_config,
	  "queues and descriptors per port (ports stopped)" },
	{ "set promisc all on|off", cmd_set_promisc, "promiscuous mode" },
	{ "set link-up|link-down port <port>", cmd_set_link,
	  "bring the link up or down (drivers that can)" },
};
FWD_CMD_REGISTER(port_cmds)
