/* SPDX-License-Identifier: BSD-3-Clause */
/* fwd's application options (after the EAL's "--"), named as testpmd's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwd.h"

enum {
	OPT_MODE = 256, OPT_BURST, OPT_TXPKTS, OPT_NB_CORES, OPT_RXQ, OPT_TXQ,
	OPT_RXD, OPT_TXD, OPT_PORTMASK, OPT_COREMASK, OPT_STATS_PERIOD,
	OPT_DURATION, OPT_NB_PKTS, OPT_ETH_PEER, OPT_TOTAL_MBUFS,
	OPT_MBUF_SIZE, OPT_MBCACHE, OPT_TX_FIRST, OPT_TOPOLOGY, OPT_FLOWS,
	OPT_NO_MLOCKALL, OPT_RSS_IP, OPT_RSS_UDP, OPT_DISABLE_RSS,
	OPT_MAX_PKT_LEN, OPT_NB_PORTS, OPT_MULTI_FLOW, OPT_NO_LSC,
	OPT_CAPTURE, OPT_CAPTURE_DIR, OPT_CAPTURE_SNAPLEN, OPT_CAPTURE_FILTER,
	OPT_CAPTURE_RING, OPT_AUTO_START, OPT_HELP, OPT_INTERACTIVE,
	OPT_RX_INTR,
};

static const struct option fwd_options[] = {
	{ "forward-mode", required_argument, NULL, OPT_MODE },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "txpkts", required_argument, NULL, OPT_TXPKTS },
	{ "nb-cores", required_argument, NULL, OPT_NB_CORES },
	{ "rxq", required_argument, NULL, OPT_RXQ },
	{ "txq", required_argument, NULL, OPT_TXQ },
	{ "rxd", required_argument, NULL, OPT_RXD },
	{ "txd", required_argument, NULL, OPT_TXD },
	{ "portmask", required_argument, NULL, OPT_PORTMASK },
	{ "coremask", required_argument, NULL, OPT_COREMASK },
	{ "stats-period", required_argument, NULL, OPT_STATS_PERIOD },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "nb-pkts", required_argument, NULL, OPT_NB_PKTS },
	{ "eth-peer", required_argument, NULL, OPT_ETH_PEER },
	{ "total-num-mbufs", required_argument, NULL, OPT_TOTAL_MBUFS },
	{ "mbuf-size", required_argument, NULL, OPT_MBUF_SIZE },
	{ "mbcache", required_argument, NULL, OPT_MBCACHE },
	{ "tx-first", no_argument, NULL, OPT_TX_FIRST },
	{ "port-topology", required_argument, NULL, OPT_TOPOLOGY },
	{ "flowgen-flows", required_argument, NULL, OPT_FLOWS },
	{ "no-mlockall", no_argument, NULL, OPT_NO_MLOCKALL },
	{ "rss-ip", no_argument, NULL, OPT_RSS_IP },
	{ "rss-udp", no_argument, NULL, OPT_RSS_UDP },
	{ "disable-rss", no_argument, NULL, OPT_DISABLE_RSS },
	{ "max-pkt-len", required_argument, NULL, OPT_MAX_PKT_LEN },
	{ "nb-ports", required_argument, NULL, OPT_NB_PORTS },
	{ "txonly-multi-flow", no_argument, NULL, OPT_MULTI_FLOW },
	{ "capture", required_argument, NULL, OPT_CAPTURE },
	{ "capture-dir", required_argument, NULL, OPT_CAPTURE_DIR },
	{ "capture-snaplen", required_argument, NULL, OPT_CAPTURE_SNAPLEN },
	{ "capture-filter", required_argument, NULL, OPT_CAPTURE_FILTER },
	{ "capture-ring", required_argument, NULL, OPT_CAPTURE_RING },
	{ "auto-start", no_argument, NULL, OPT_AUTO_START },
	{ "no-lsc-interrupt", no_argument, NULL, OPT_NO_LSC },
	{ "interactive", no_argument, NULL, OPT_INTERACTIVE },
	{ "rx-intr", no_argument, NULL, OPT_RX_INTR },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

void fwd_usage(const char *prog)
{
	printf("usage: %s [EAL options] -- [options]\n"
	       "  --forward-mode=MODE   io|mac|macswap|rxonly|txonly|flowgen|csum|\n"
	       "                        5tswap|icmpecho (io)\n"
	       "  --burst=N             packets per burst, 1..%d (%d)\n"
	       "  --txpkts=LEN[,LEN..]  tx segment lengths for txonly/flowgen (%d)\n"
	       "  --nb-cores=N          forwarding lcores to use (all workers)\n"
	       "  --coremask=HEX        forwarding lcores to use, as a mask\n"
	       "  --rxq=N --txq=N       queues per port (1)\n"
	       "  --rxd=N --txd=N       descriptors per queue (driver default)\n"
	       "  --portmask=HEX        ports to forward on (all)\n"
	       "  --port-topology=T     paired|chained|loop (paired)\n"
	       "  --eth-peer=P,MAC      destination MAC for port P (mac, txonly)\n"
	       "  --stats-period=S      print statistics every S seconds\n"
	       "  --duration=S          stop after S seconds (default: SIGINT)\n"
	       "  --nb-pkts=N           stop after N packets received\n"
	       "                        (generated for txonly/flowgen)\n"
	       "  --tx-first            send one burst per stream before forwarding\n"
	       "  --total-num-mbufs=N   mbufs in the pool (computed)\n"
	       "  --mbuf-size=N         mbuf data room incl. headroom (2176)\n"
	       "  --mbcache=N           per-lcore mempool cache (250)\n"
	       "  --flowgen-flows=N     flows for flowgen (1024)\n"
	       "  --no-mlockall         do not lock memory (default: mlockall)\n"
	       "  --rss-ip, --rss-udp   RSS hash fields with several rx queues (ip)\n"
	       "  --disable-rss         no RSS even with several rx queues\n"
	       "  --max-pkt-len=N       longest frame with FCS: MTU = N - 18\n"
	       "  --nb-ports=N          forward on the first N selected ports\n"
	       "  --txonly-multi-flow   txonly: 256 source addresses in turn\n"
	       "  --rx-intr             rx interrupt mode: an lcore whose rx\n"
	       "                        queues are idle sleeps until a packet\n"
	       "                        arrives (as DPDK's l3fwd-power)\n"
	       "  --capture=PORT[:Q]=FILE  write copies of the packets of port\n"
	       "                        PORT (queue Q, or all) to FILE (pcap,\n"
	       "                        ns timestamps); repeatable.  The next\n"
	       "                        four apply to the last --capture, or\n"
	       "                        to all when given before the first:\n"
	       "  --capture-dir=D       rx|tx|both (both)\n"
	       "  --capture-snaplen=N   bytes kept per packet (262144), as\n"
	       "                        dumpcap's -s\n"
	       "  --capture-filter=EXPR BPF filter (pcap-filter(7)), as -f\n"
	       "  --capture-ring=N      copies in flight before drops (4096)\n"
	       "  -i, --interactive     testpmd's prompt: start, stop, show port\n"
	       "                        stats... (help at the prompt lists them)\n"
	       "  -a, --auto-start      with -i: start forwarding at once (without\n"
	       "                        -i forwarding always starts at once)\n"
	       "  --no-lsc-interrupt    do not report link changes (by default,\n"
	       "                        \"Port N: link state change event\")\n",
	       prog, FWD_MAX_BURST, FWD_DEFAULT_BURST, FWD_DEFAULT_PKT_LEN);
}

static int parse_u64(const char *opt, const char *s, uint64_t min,
		     uint64_t max, int base, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, base);
	if (!*s || *end || errno || *s == '-' || v < min || v > max) {
		fprintf(stderr, "fwd: --%s=%s: expected a%s number in "
			"%llu..%llu\n", opt, s, base == 16 ? " hex" : "n integer",
			(unsigned long long)min, (unsigned long long)max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_seconds(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || v < 0 || v > 1e7) {
		fprintf(stderr, "fwd: --%s=%s: expected seconds >= 0\n", opt, s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int fwd_parse_txpkts(const char *s, struct fwd_config *cfg)
{
	char buf[256], *tok, *save = NULL;
	uint64_t v;
	uint32_t total = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	cfg->nb_txsegs = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (cfg->nb_txsegs == FWD_MAX_SEGS) {
			fprintf(stderr, "fwd: --txpkts: at most %d segments\n",
				FWD_MAX_SEGS);
			return -EINVAL;
		}
		if (parse_u64("txpkts", tok, 1, UINT16_MAX, 0, &v))
			return -EINVAL;
		cfg->txpkts[cfg->nb_txsegs++] = (uint16_t)v;
		total += (uint32_t)v;
	}
	if (!cfg->nb_txsegs || cfg->txpkts[0] < FWD_HDR_LEN) {
		fprintf(stderr, "fwd: --txpkts=%s: the first segment must hold "
			"the %d header bytes\n", s, FWD_HDR_LEN);
		return -EINVAL;
	}
	cfg->tx_pkt_len = total;
	return 0;
}

static int parse_eth_peer(const char *s, struct fwd_config *cfg)
{
	const char *comma = strchr(s, ',');
	char num[16];
	uint64_t port;

	if (!comma || (size_t)(comma - s) >= sizeof(num)) {
		fprintf(stderr, "fwd: --eth-peer=%s: expected PORT,MAC\n", s);
		return -EINVAL;
	}
	memcpy(num, s, comma - s);
	num[comma - s] = '\0';
	if (parse_u64("eth-peer", num, 0, VFN_MAX_ETHPORTS - 1, 10, &port))
		return -EINVAL;
	if (vfn_ether_unformat_addr(comma + 1, &cfg->peer[port])) {
		fprintf(stderr, "fwd: --eth-peer=%s: bad MAC address (use "
			"xx:xx:xx:xx:xx:xx)\n", s);
		return -EINVAL;
	}
	cfg->peer_set[port] = 1;
	return 0;
}

static int parse_coremask(const char *s, struct fwd_config *cfg)
{
	const char *p = s;
	size_t len;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	len = strlen(p);
	if (!len || len > 32 || strspn(p, "0123456789abcdefABCDEF") != len) {
		fprintf(stderr, "fwd: --coremask=%s: expected a hex mask of up "
			"to %d lcores\n", s, VFN_MAX_LCORE);
		return -EINVAL;
	}
	cfg->coremask_lo = cfg->coremask_hi = 0;
	for (; *p; p++) {
		unsigned int d = (unsigned int)(*p <= '9' ? *p - '0' :
						(*p | 0x20) - 'a' + 10);

		cfg->coremask_hi = cfg->coremask_hi << 4 | cfg->coremask_lo >> 60;
		cfg->coremask_lo = cfg->coremask_lo << 4 | d;
	}
	if (!cfg->coremask_lo && !cfg->coremask_hi) {
		fprintf(stderr, "fwd: --coremask=%s selects no lcore\n", s);
		return -EINVAL;
	}
	return 0;
}

/* The capture a setting applies to: the last --capture, or the defaults. */
static struct fwd_capture_params *capture_target(struct fwd_config *cfg)
{
	return cfg->nb_captures ? &cfg->captures[cfg->nb_captures - 1] :
				  &cfg->capture_defaults;
}

static int parse_capture(int opt, const char *arg, struct fwd_config *cfg,
			 const char *name)
{
	struct fwd_capture_params *p = capture_target(cfg);
	uint64_t v;

	switch (opt) {
	case OPT_CAPTURE:
		if (cfg->nb_captures == FWD_CAPTURE_MAX) {
			fprintf(stderr, "fwd: at most %d --capture options\n",
				FWD_CAPTURE_MAX);
			return -EINVAL;
		}
		p = &cfg->captures[cfg->nb_captures];
		*p = cfg->capture_defaults;
		if (fwd_capture_parse(arg, p))
			return -EINVAL;
		cfg->nb_captures++;
		return 0;
	case OPT_CAPTURE_DIR:
		if (fwd_capture_parse_dir(arg, &p->dir)) {
			fprintf(stderr, "fwd: --%s=%s: use rx, tx or both\n",
				name, arg);
			return -EINVAL;
		}
		return 0;
	case OPT_CAPTURE_SNAPLEN:
		if (parse_u64(name, arg, 1, FWD_CAPTURE_SNAPLEN_MAX, 0, &v))
			return -EINVAL;
		p->snaplen = (uint32_t)v;
		return 0;
	case OPT_CAPTURE_FILTER:
		if (strlen(arg) >= sizeof(p->filter)) {
			fprintf(stderr, "fwd: --%s: at most %zu characters\n",
				name, sizeof(p->filter) - 1);
			return -EINVAL;
		}
		snprintf(p->filter, sizeof(p->filter), "%s", arg);
		return 0;
	default: /* OPT_CAPTURE_RING */
		if (parse_u64(name, arg, 1, 1u << 20, 0, &v))
			return -EINVAL;
		p->ring_size = (unsigned int)v;
		return 0;
	}
}

static int parse_one(int opt, const char *arg, struct fwd_config *cfg,
		     const char *name)
{
	uint64_t v;

	switch (opt) {
	case OPT_MODE:
		cfg->engine = fwd_engine_find(arg);
		if (!cfg->engine) {
			fprintf(stderr, "fwd: --forward-mode=%s: use io, mac, "
				"macswap, rxonly, txonly, flowgen, csum, "
				"5tswap or icmpecho\n", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_BURST:
		if (parse_u64(name, arg, 1, FWD_MAX_BURST, 0, &v))
			return -EINVAL;
		cfg->burst = (uint16_t)v;
		return 0;
	case OPT_TXPKTS:
		return fwd_parse_txpkts(arg, cfg);
	case OPT_NB_CORES:
		if (parse_u64(name, arg, 1, VFN_MAX_LCORE, 0, &v))
			return -EINVAL;
		cfg->nb_cores = (unsigned int)v;
		return 0;
	case OPT_RXQ:
	case OPT_TXQ:
		if (parse_u64(name, arg, 1, VFN_MAX_QUEUES_PER_PORT, 0, &v))
			return -EINVAL;
		*(opt == OPT_RXQ ? &cfg->nb_rxq : &cfg->nb_txq) = (uint16_t)v;
		return 0;
	case OPT_RXD:
	case OPT_TXD:
		if (parse_u64(name, arg, 1, UINT16_MAX, 0, &v))
			return -EINVAL;
		*(opt == OPT_RXD ? &cfg->nb_rxd : &cfg->nb_txd) = (uint16_t)v;
		return 0;
	case OPT_PORTMASK:
		if (parse_u64(name, arg, 1, UINT32_MAX, 16, &v))
			return -EINVAL;
		cfg->portmask = v;
		return 0;
	case OPT_COREMASK:
		return parse_coremask(arg, cfg);
	case OPT_STATS_PERIOD:
		return parse_seconds(name, arg, &cfg->stats_period);
	case OPT_DURATION:
		return parse_seconds(name, arg, &cfg->duration);
	case OPT_NB_PKTS:
		return parse_u64(name, arg, 1, UINT64_MAX / 2, 0, &cfg->nb_pkts);
	case OPT_ETH_PEER:
		return parse_eth_peer(arg, cfg);
	case OPT_TOTAL_MBUFS:
		if (parse_u64(name, arg, 1024, 1u << 28, 0, &v))
			return -EINVAL;
		cfg->total_num_mbufs = (unsigned int)v;
		return 0;
	case OPT_MBUF_SIZE:
		if (parse_u64(name, arg, 256, UINT16_MAX, 0, &v))
			return -EINVAL;
		cfg->mbuf_data_size = (uint16_t)v;
		return 0;
	case OPT_MBCACHE:
		if (parse_u64(name, arg, 0, 512, 0, &v))
			return -EINVAL;
		cfg->mbcache = (unsigned int)v;
		return 0;
	case OPT_TX_FIRST:
		cfg->tx_first = 1;
		return 0;
	case OPT_TOPOLOGY:
		if (!strcmp(arg, "paired"))
			cfg->topology = FWD_TOPO_PAIRED;
		else if (!strcmp(arg, "chained"))
			cfg->topology = FWD_TOPO_CHAINED;
		else if (!strcmp(arg, "loop"))
			cfg->topology = FWD_TOPO_LOOP;
		else {
			fprintf(stderr, "fwd: --port-topology=%s: use paired, "
				"chained or loop\n", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_FLOWS:
		if (parse_u64(name, arg, 1, 1u << 24, 0, &v))
			return -EINVAL;
		cfg->flowgen_flows = (unsigned int)v;
		return 0;
	case OPT_NO_MLOCKALL:
		cfg->no_mlockall = 1;
		return 0;
	case OPT_RSS_IP:
		cfg->rss_hf = VFN_ETH_RSS_IP;
		return 0;
	case OPT_RSS_UDP:
		cfg->rss_hf = VFN_ETH_RSS_UDP;
		return 0;
	case OPT_DISABLE_RSS:
		cfg->disable_rss = 1;
		return 0;
	case OPT_MAX_PKT_LEN:
		/* testpmd's: the longest frame, FCS included */
		if (parse_u64(name, arg, VFN_ETHER_MIN_MTU + VFN_ETHER_HDR_LEN +
			      VFN_ETHER_CRC_LEN, UINT16_MAX, 0, &v))
			return -EINVAL;
		cfg->max_pkt_len = (uint32_t)v;
		return 0;
	case OPT_RX_INTR:
		cfg->rx_intr = 1;
		return 0;
	case OPT_MULTI_FLOW:
		cfg->txonly_multi_flow = 1;
		return 0;
	case OPT_NB_PORTS:
		if (parse_u64(name, arg, 1, VFN_MAX_ETHPORTS, 0, &v))
			return -EINVAL;
		cfg->nb_ports = (uint16_t)v;
		return 0;
	case OPT_NO_LSC:
		cfg->no_lsc_interrupt = 1;
		return 0;
	case OPT_CAPTURE:
	case OPT_CAPTURE_DIR:
	case OPT_CAPTURE_SNAPLEN:
	case OPT_CAPTURE_FILTER:
	case OPT_CAPTURE_RING:
		return parse_capture(opt, arg, cfg, name);
	case OPT_AUTO_START:
		cfg->auto_start = 1;
		return 0;
	case OPT_INTERACTIVE:
		cfg->interactive = 1;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Parse the application arguments (argv[0] is the program name).
 * 0 on success, 1 after --help, -EINVAL after printing what is wrong.
 */
int fwd_parse_args(int argc, char **argv, struct fwd_config *cfg)
{
	int opt, idx;

	memset(cfg, 0, sizeof(*cfg));
	cfg->engine = &fwd_engine_io;
	cfg->burst = FWD_DEFAULT_BURST;
	cfg->txpkts[0] = FWD_DEFAULT_PKT_LEN;
	cfg->nb_txsegs = 1;
	cfg->tx_pkt_len = FWD_DEFAULT_PKT_LEN;
	cfg->nb_rxq = 1;
	cfg->nb_txq = 1;
	cfg->mbuf_data_size = 2048 + 128;
	cfg->mbcache = 250;
	cfg->flowgen_flows = 1024;
	fwd_capture_params_init(&cfg->capture_defaults);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "iah", fwd_options, &idx)) != -1) {
		if (opt == 'h' || opt == OPT_HELP) {
			fwd_usage(argv[0]);
			return 1;
		}
		if (opt == 'i')
			opt = OPT_INTERACTIVE;
		if (opt == 'a')
			opt = OPT_AUTO_START;
		if (opt == '?' || opt == ':') {
			fprintf(stderr, "fwd: unknown option or missing value: "
				"%s (see --help)\n", argv[optind - 1]);
			return -EINVAL;
		}
		if (parse_one(opt, optarg, cfg,
			      opt >= OPT_MODE && opt < OPT_HELP ?
			      fwd_options[idx].name : "?"))
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "fwd: unexpected argument '%s' (see --help)\n",
			argv[optind]);
		return -EINVAL;
	}
	if (cfg->nb_txq > cfg->nb_rxq && !cfg->engine->generates) {
		/* Streams follow rx queues; extra tx queues would be idle. */
		fprintf(stderr, "fwd: note: --txq=%u > --rxq=%u: tx queues "
			"past %u stay unused\n", cfg->nb_txq, cfg->nb_rxq,
			cfg->nb_rxq);
	}
	return 0;
}
