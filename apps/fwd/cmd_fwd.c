/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prompt's forwarding commands, with testpmd's spelling and output:
 * start, start tx_first [N], stop, set fwd|burst|txpkts|nbcore|portmask,
 * show config fwd|rxtx|cores, help, quit.  The settings apply at the next
 * start; while forwarding runs they are refused (the lcores read them).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vfn_lcore.h"
#include "cmdline.h"
#include "fwd.h"

static int refuse_while_forwarding(void)
{
	if (!fwd_forwarding())
		return 0;
	printf("Please stop forwarding first\n");
	return 1;
}

/* testpmd's pkt_fwd_config_display (streams of the current/next run). */
void fwd_show_config_fwd(void)
{
	char peer[VFN_ETHER_ADDR_FMT_SIZE];
	unsigned int l, s;

	printf("%s packet forwarding - ports=%u - cores=%u - streams=%u\n",
	       fwd_cfg.engine->name, fwd_nb_ports, fwd_nb_lcores,
	       fwd_nb_streams);
	for (l = 0; l < fwd_nb_lcores; l++) {
		const struct fwd_lcore *lc = &fwd_lcores[l];
		unsigned int sock = vfn_lcore_to_socket_id(lc->lcore_id);

		printf("Logical Core %u (socket %u) forwards packets on %u "
		       "streams:\n", lc->lcore_id, sock, lc->nb_streams);
		for (s = lc->first_stream; s < lc->first_stream + lc->nb_streams;
		     s++) {
			const struct fwd_stream *fs = &fwd_streams[s];

			vfn_ether_format_addr(peer, sizeof(peer), &fs->eth_dst);
			printf("  RX P=%u/Q=%u (socket %d) -> TX P=%u/Q=%u "
			       "(socket %d) peer=%s\n", fs->rx_port, fs->rx_queue,
			       vfn_eth_dev_socket_id(fs->rx_port), fs->tx_port,
			       fs->tx_queue, vfn_eth_dev_socket_id(fs->tx_port),
			       peer);
		}
	}
	printf("\n");
}

/*
 * testpmd's rxtx_config_display: every port, its first rx and tx queue
 * (testpmd shows only queue 0, "to be less verbose").  fwd configures no
 * offloads and its drivers have no threshold registers: those read 0, as
 * testpmd prints them for drivers that report none.
 */
static void show_config_rxtx(void)
{
	struct vfn_eth_dev_info info;
	uint16_t p;

	printf("  %s packet forwarding packets/burst=%u\n",
	       fwd_cfg.engine->name, fwd_cfg.burst);
	if (fwd_cfg.engine->generates)
		printf("  packet len=%u - nb packet segments=%u\n",
		       fwd_cfg.tx_pkt_len, fwd_cfg.nb_txsegs);
	printf("  nb forwarding cores=%u - nb forwarding ports=%u\n",
	       fwd_nb_lcores, fwd_nb_ports);
	VFN_ETH_FOREACH_DEV(p) {
		if (!fwd_port_is_setup(p) || vfn_eth_dev_info_get(p, &info))
			continue;
		printf("  port %u: RX queue number: %u Tx queue number: %u\n",
		       p, info.nb_rx_queues, info.nb_tx_queues);
		printf("    Rx offloads=0x0 Tx offloads=0x0\n");
		printf("    RX queue: 0\n");
		printf("      RX desc=%u - RX free threshold=0\n",
		       fwd_cfg.nb_rxd ? fwd_cfg.nb_rxd :
		       info.default_rxportconf.ring_size);
		printf("      RX threshold registers: pthresh=0 hthresh=0  "
		       "wthresh=0\n");
		printf("      RX Offloads=0x0\n");
		printf("    TX queue: 0\n");
		printf("      TX desc=%u - TX free threshold=0\n",
		       fwd_cfg.nb_txd ? fwd_cfg.nb_txd :
		       info.default_txportconf.ring_size);
		printf("      TX threshold registers: pthresh=0 hthresh=0  "
		       "wthresh=0\n");
		printf("      TX offloads=0x0 - TX RS bit threshold=0\n");
	}
}

/* Streams for `show config` before the first start (as testpmd's setup). */
static int config_preview(void)
{
	if (fwd_forwarding())
		return 0;
	if (fwd_ports_select())
		return -1;
	return fwd_streams_build() ? -1 : 0;
}

static int cmd_show_config(const struct fwd_cmd_args *a)
{
	const char *what = a->argv[2];
	unsigned int l;

	if (!strcmp(what, "cores")) {
		if (config_preview())
			return FWD_CMD_OK;
		printf("List of forwarding lcores:");
		for (l = 0; l < fwd_nb_lcores; l++)
			printf(" %2u", fwd_lcores[l].lcore_id);
		printf("\n");
		return FWD_CMD_OK;
	}
	if (config_preview())
		return FWD_CMD_OK;
	if (!strcmp(what, "fwd"))
		fwd_show_config_fwd();
	else
		show_config_rxtx();
	return FWD_CMD_OK;
}

static void do_start(unsigned int tx_first)
{
	if (fwd_forwarding()) {
		printf("Packet forwarding already started\n");
		return;
	}
	if (!fwd_ports_all_started()) {
		printf("Not all ports were started\n");
		return;
	}
	if (fwd_forward_start(tx_first) == 0)
		show_config_rxtx();
}

static int cmd_start(const struct fwd_cmd_args *a)
{
	(void)a;
	do_start(0);
	return FWD_CMD_OK;
}

static int cmd_start_tx_first(const struct fwd_cmd_args *a)
{
	uint64_t n = a->argc > 2 ? a->num[2] : 1;

	if (n < 1 || n > 65535) {
		printf("Bad arguments: tx_first takes 1..65535 bursts\n");
		return FWD_CMD_OK;
	}
	do_start((unsigned int)n);
	return FWD_CMD_OK;
}

/* testpmd's stop_packet_forwarding: its messages, then the blocks. */
static void do_stop(void)
{
	if (!fwd_forwarding()) {
		printf("Packet forwarding not started\n");
		return;
	}
	printf("Telling cores to stop...");
	printf("\nWaiting for lcores to finish...\n");
	fflush(stdout);
	if (fwd_forward_stop())
		printf("fwd: an lcore reported an error\n");
	fwd_stats_fwd_display();
	printf("\nDone.\n");
}

static int cmd_stop(const struct fwd_cmd_args *a)
{
	(void)a;
	do_stop();
	return FWD_CMD_OK;
}

static int cmd_set_fwd(const struct fwd_cmd_args *a)
{
	if (refuse_while_forwarding())
		return FWD_CMD_OK;
	fwd_cfg.engine = fwd_engine_find(a->argv[2]);
	printf("Set %s packet forwarding mode\n", fwd_cfg.engine->name);
	return FWD_CMD_OK;
}

static int cmd_set_burst(const struct fwd_cmd_args *a)
{
	if (refuse_while_forwarding())
		return FWD_CMD_OK;
	if (a->num[2] < 1 || a->num[2] > FWD_MAX_BURST) {
		printf("nb pkts per burst must be >= 1 and <= %d\n",
		       FWD_MAX_BURST);
		return FWD_CMD_OK;
	}
	fwd_cfg.burst = (uint16_t)a->num[2];
	printf("Number of packets per burst set to %u\n", fwd_cfg.burst);
	return FWD_CMD_OK;
}

static int cmd_set_txpkts(const struct fwd_cmd_args *a)
{
	struct fwd_config tmp = fwd_cfg;

	if (refuse_while_forwarding())
		return FWD_CMD_OK;
	if (fwd_parse_txpkts(a->argv[2], &tmp))
		return FWD_CMD_OK;
	memcpy(fwd_cfg.txpkts, tmp.txpkts, sizeof(tmp.txpkts));
	fwd_cfg.nb_txsegs = tmp.nb_txsegs;
	fwd_cfg.tx_pkt_len = tmp.tx_pkt_len;
	/* Silent as testpmd's; `show config rxtx` shows it (txonly). */
	return FWD_CMD_OK;
}

static int cmd_set_nbcore(const struct fwd_cmd_args *a)
{
	if (refuse_while_forwarding())
		return FWD_CMD_OK;
	if (a->num[2] < 1 || a->num[2] > fwd_nb_lcores_avail) {
		printf("nb fwd cores %" PRIu64 " > %u (max. number of "
		       "configured lcores) - ignored\n", a->num[2],
		       fwd_nb_lcores_avail);
		return FWD_CMD_OK;
	}
	fwd_cfg.nb_cores = (unsigned int)a->num[2];
	printf("Number of forwarding cores set to %u\n", fwd_cfg.nb_cores);
	return FWD_CMD_OK;
}

static int cmd_set_portmask(const struct fwd_cmd_args *a)
{
	uint64_t old = fwd_cfg.portmask;

	if (refuse_while_forwarding())
		return FWD_CMD_OK;
	fwd_cfg.portmask = a->num[2];
	if (!a->num[2] || fwd_ports_select()) {
		fwd_cfg.portmask = old;
		fwd_ports_select();
		printf("portmask 0x%" PRIx64 " selects no port - ignored\n",
		       a->num[2]);
		return FWD_CMD_OK;
	}
	/* Silent as testpmd's; `show config fwd` shows the ports. */
	return FWD_CMD_OK;
}

static int cmd_help(const struct fwd_cmd_args *a)
{
	(void)a;
	fwd_cmd_print_help();
	return FWD_CMD_OK;
}

static int cmd_quit(const struct fwd_cmd_args *a)
{
	(void)a;
	if (fwd_forwarding())
		do_stop();
	return FWD_CMD_QUIT;
}

static const struct fwd_cmd fwd_cmds[] = {
	{ "start", cmd_start, "start forwarding" },
	{ "start tx_first [<uint>]", cmd_start_tx_first,
	  "send N txonly bursts per stream (1), then start forwarding" },
	{ "stop", cmd_stop, "stop forwarding and print its statistics" },
	{ "set fwd <mode>", cmd_set_fwd,
	  "forwarding mode: io mac macswap rxonly txonly flowgen csum 5tswap "
	  "icmpecho" },
	{ "set burst <uint>", cmd_set_burst, "packets per burst (1..512)" },
	{ "set txpkts <list>", cmd_set_txpkts,
	  "segment lengths of generated packets" },
	{ "set nbcore <uint>", cmd_set_nbcore, "number of forwarding lcores" },
	{ "set portmask <hex>", cmd_set_portmask, "forwarding ports, a mask" },
	{ "show config fwd|rxtx|cores", cmd_show_config,
	  "streams, queues, forwarding lcores" },
	{ "help", cmd_help, "this list" },
	{ "quit", cmd_quit, "stop forwarding if started, and exit" },
};
FWD_CMD_REGISTER(fwd_cmds)
