/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Statistics in testpmd's layout, so that people and the scripts that
 * parse testpmd's output read fwd's unchanged:
 *  - the "NIC statistics for port N" block of testpmd's `show port stats`
 *    (config.c nic_stats_display in DPDK 22.11): the port's counters and
 *    its throughput since the previous show of that port;
 *  - the "Forward statistics for port N" blocks and the "Accumulated
 *    forward statistics for all ports" block that testpmd prints on
 *    `stop` (testpmd.c fwd_stats_display): counts since forwarding started.
 * Without -i, every --stats-period prints testpmd's periodic display (a
 * "Port statistics" header and a NIC block per port), and the end of the
 * run prints the blocks of testpmd's `stop` then a NIC block per port.
 * fwd's own extras follow them: a per-lcore table, and at exit the
 * "fwd-*: key=value" lines that scripts check.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "fwd.h"

struct core_counts {
	uint64_t rx, tx, dropped;
};

/* Port counters when forwarding started: forward statistics are deltas. */
static struct vfn_eth_stats fwd_base[VFN_MAX_ETHPORTS];
/* Port counters at the previous show, for the throughput lines. */
static struct {
	uint64_t tsc, ipackets, opackets, ibytes, obytes;
} shown[VFN_MAX_ETHPORTS];
static struct core_counts prev_core[VFN_MAX_LCORE];
static uint64_t prev_tsc, start_tsc;

static void core_counts(const struct fwd_lcore *lc, struct core_counts *c)
{
	unsigned int s;

	memset(c, 0, sizeof(*c));
	for (s = lc->first_stream; s < lc->first_stream + lc->nb_streams; s++) {
		c->rx += fwd_read(&fwd_streams[s].rx_packets);
		c->tx += fwd_read(&fwd_streams[s].tx_packets);
		c->dropped += fwd_read(&fwd_streams[s].fwd_dropped);
	}
}

/* Packets fwd freed because the tx port did not take them. */
static uint64_t port_fwd_dropped(uint16_t p)
{
	uint64_t d = 0;
	unsigned int s;

	for (s = 0; s < fwd_nb_streams; s++)
		if (fwd_streams[s].tx_port == p)
			d += fwd_read(&fwd_streams[s].fwd_dropped);
	return d;
}

/* The port's counters since forwarding started; -errno if unreadable. */
static int port_delta(uint16_t p, struct vfn_eth_stats *st)
{
	const struct vfn_eth_stats *b = &fwd_base[p];
	int ret = vfn_eth_stats_get(p, st);

	if (ret)
		return ret;
	/* A `clear port stats` re-bases; never print a wrapped count. */
#define DELTA(f) st->f = st->f >= b->f ? st->f - b->f : 0
	DELTA(ipackets);
	DELTA(opackets);
	DELTA(ibytes);
	DELTA(obytes);
	DELTA(imissed);
	DELTA(ierrors);
	DELTA(oerrors);
	DELTA(rx_nombuf);
#undef DELTA
	return 0;
}

void fwd_stats_start(void)
{
	unsigned int i;

	for (i = 0; i < fwd_nb_ports; i++)
		if (vfn_eth_stats_get(fwd_ports[i], &fwd_base[fwd_ports[i]]))
			memset(&fwd_base[fwd_ports[i]], 0, sizeof(fwd_base[0]));
	memset(prev_core, 0, sizeof(prev_core));
	start_tsc = prev_tsc = vfn_rdtsc();
	if (fwd_cfg.interactive)
		return;
	/* The first periodic show gives the rate since the start. */
	for (i = 0; i < fwd_nb_ports; i++) {
		uint16_t p = fwd_ports[i];

		shown[p].tsc = start_tsc;
		shown[p].ipackets = fwd_base[p].ipackets;
		shown[p].opackets = fwd_base[p].opackets;
		shown[p].ibytes = fwd_base[p].ibytes;
		shown[p].obytes = fwd_base[p].obytes;
	}
}

static uint64_t per_sec(uint64_t delta, uint64_t cycles)
{
	return cycles ? (uint64_t)((double)delta * (double)vfn_get_tsc_hz() /
				   (double)cycles) : 0;
}

void fwd_stats_nic_display(uint16_t p)
{
	static const char *border = "########################";
	struct vfn_eth_stats st;
	uint64_t now, cyc = 0;
	int ret = vfn_eth_stats_get(p, &st);

	if (ret) {
		fprintf(stderr, "port %u: cannot read the statistics: %s\n", p,
			strerror(-ret));
		return;
	}
	now = vfn_rdtsc();
	if (shown[p].tsc)
		cyc = now - shown[p].tsc;
	printf("\n  %s NIC statistics for port %-2d %s\n", border, p, border);
	printf("  RX-packets: %-10" PRIu64 " RX-missed: %-10" PRIu64
	       " RX-bytes:  %-" PRIu64 "\n", st.ipackets, st.imissed, st.ibytes);
	printf("  RX-errors: %-" PRIu64 "\n", st.ierrors);
	printf("  RX-nombuf:  %-10" PRIu64 "\n", st.rx_nombuf);
	printf("  TX-packets: %-10" PRIu64 " TX-errors: %-10" PRIu64
	       " TX-bytes:  %-" PRIu64 "\n", st.opackets, st.oerrors, st.obytes);
	printf("\n  Throughput (since last show)\n");
	printf("  Rx-pps: %12" PRIu64 "          Rx-bps: %12" PRIu64 "\n"
	       "  Tx-pps: %12" PRIu64 "          Tx-bps: %12" PRIu64 "\n",
	       per_sec(st.ipackets - shown[p].ipackets, cyc),
	       per_sec((st.ibytes - shown[p].ibytes) * 8, cyc),
	       per_sec(st.opackets - shown[p].opackets, cyc),
	       per_sec((st.obytes - shown[p].obytes) * 8, cyc));
	printf("  %s############################%s\n", border, border);
	shown[p].tsc = now;
	shown[p].ipackets = st.ipackets;
	shown[p].opackets = st.opackets;
	shown[p].ibytes = st.ibytes;
	shown[p].obytes = st.obytes;
}

int fwd_stats_nic_clear(uint16_t p)
{
	int ret = vfn_eth_stats_reset(p);

	if (ret)
		return ret;
	/* As testpmd: forward statistics continue from the cleared counters. */
	if (vfn_eth_stats_get(p, &fwd_base[p]))
		memset(&fwd_base[p], 0, sizeof(fwd_base[0]));
	memset(&shown[p], 0, sizeof(shown[0]));
	return 0;
}

/* csum: bad checksums counted on @p rx port, in testpmd's words. */
static void print_csum_counters(uint16_t p)
{
	uint64_t ip = 0, l4 = 0;
	unsigned int s;

	for (s = 0; s < fwd_nb_streams; s++) {
		if (fwd_streams[s].rx_port != p)
			continue;
		ip += fwd_read(&fwd_streams[s].bad_ip_csum);
		l4 += fwd_read(&fwd_streams[s].bad_l4_csum);
	}
	printf("  Bad-ipcsum: %-14" PRIu64 " Bad-l4csum: %-14" PRIu64
	       "Bad-outer-l4csum: %-14u\n", ip, l4, 0u);
	printf("  Bad-outer-ipcsum: %-14u\n", 0u);
}

/*
 * testpmd's fwd_stream_stats_display: with more streams than ports (more
 * than one queue per port), one block per stream that moved packets.
 */
static void stream_display(const struct fwd_stream *fs)
{
	static const char *border = "-------";
	uint64_t rx = fwd_read(&fs->rx_packets), tx = fwd_read(&fs->tx_packets);
	uint64_t drop = fwd_read(&fs->fwd_dropped);

	if (!rx && !tx && !drop)
		return;
	printf("\n  %s Forward Stats for RX Port=%2d/Queue=%2d -> TX Port=%2d/"
	       "Queue=%2d %s\n", border, fs->rx_port, fs->rx_queue, fs->tx_port,
	       fs->tx_queue, border);
	printf("  RX-packets: %-14" PRIu64 " TX-packets: %-14" PRIu64
	       " TX-dropped: %-14" PRIu64, rx, tx, drop);
	if (fwd_cfg.engine != &fwd_engine_csum) {
		printf("\n");
		return;
	}
	printf("  RX- bad IP checksum: %-14" PRIu64 "  Rx- bad L4 checksum: "
	       "%-14" PRIu64 " Rx- bad outer L4 checksum: %-14u\n",
	       fwd_read(&fs->bad_ip_csum), fwd_read(&fs->bad_l4_csum), 0u);
	printf(" RX- bad outer IP checksum: %-14u\n", 0u);
}

void fwd_stats_fwd_display(void)
{
	static const char *border = "----------------------";
	static const char *acc = "+++++++++++++++";
	uint64_t rx = 0, tx = 0, rx_drop = 0, tx_drop = 0, nombuf = 0;
	struct vfn_eth_stats st;
	unsigned int i;

	if (fwd_nb_streams > fwd_nb_ports)
		for (i = 0; i < fwd_nb_streams; i++)
			stream_display(&fwd_streams[i]);
	for (i = 0; i < fwd_nb_ports; i++) {
		uint16_t p = fwd_ports[i];
		uint64_t fdrop = port_fwd_dropped(p);

		if (port_delta(p, &st))
			continue;
		rx += st.ipackets;
		tx += st.opackets;
		rx_drop += st.imissed;
		tx_drop += fdrop + st.oerrors;
		nombuf += st.rx_nombuf;
		printf("\n  %s Forward statistics for port %-2d %s\n", border, p,
		       border);
		printf("  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64
		       "RX-total: %-" PRIu64 "\n", st.ipackets, st.imissed,
		       st.ipackets + st.imissed);
		if (fwd_cfg.engine == &fwd_engine_csum)
			print_csum_counters(p);
		if (st.ierrors + st.rx_nombuf > 0) {
			printf("  RX-error: %-" PRIu64 "\n", st.ierrors);
			printf("  RX-nombufs: %-14" PRIu64 "\n", st.rx_nombuf);
		}
		printf("  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64
		       "TX-total: %-" PRIu64 "\n", st.opackets, fdrop,
		       st.opackets + fdrop);
		printf("  %s--------------------------------%s\n", border, border);
	}
	printf("\n  %s Accumulated forward statistics for all ports%s\n", acc,
	       acc);
	printf("  RX-packets: %-14" PRIu64 " RX-dropped: %-14" PRIu64
	       "RX-total: %-" PRIu64 "\n", rx, rx_drop, rx + rx_drop);
	printf("  TX-packets: %-14" PRIu64 " TX-dropped: %-14" PRIu64
	       "TX-total: %-" PRIu64 "\n", tx, tx_drop, tx + tx_drop);
	if (nombuf > 0)
		printf("  RX-nombufs: %-14" PRIu64 "\n", nombuf);
	printf("  %s++++++++++++++++++++++++++++++++++++++++++++++%s\n", acc,
	       acc);
}

static double rate(uint64_t delta, double secs)
{
	return secs > 0 ? (double)delta / secs : 0;
}

/* fwd's extra: per forwarding lcore, rates over the last period. */
static void lcore_rate_table(double secs)
{
	unsigned int i;

	printf("\n%-5s %12s %12s %12s %8s\n", "lcore", "rx-pps", "tx-pps",
	       "drops/s", "streams");
	for (i = 0; i < fwd_nb_lcores; i++) {
		struct core_counts c, *pc = &prev_core[i];

		core_counts(&fwd_lcores[i], &c);
		printf("%-5u %12.0f %12.0f %12.0f %8u\n", fwd_lcores[i].lcore_id,
		       rate(c.rx - pc->rx, secs), rate(c.tx - pc->tx, secs),
		       rate(c.dropped - pc->dropped, secs),
		       fwd_lcores[i].nb_streams);
		*pc = c;
	}
}

/* --stats-period: testpmd's periodic display, then the lcore table. */
void fwd_stats_period(void)
{
	uint64_t now = vfn_rdtsc();
	double secs = (double)(now - prev_tsc) / (double)vfn_get_tsc_hz();
	unsigned int i;

	prev_tsc = now;
	/* As testpmd: on a terminal, clear it and print from the top. */
	if (isatty(STDOUT_FILENO))
		printf("\033[2J\033[1;1H");
	printf("\nPort statistics ====================================");
	for (i = 0; i < fwd_nb_ports; i++)
		fwd_stats_nic_display(fwd_ports[i]);
	lcore_rate_table(secs);
	fflush(stdout);
}

/* fwd's extra at exit: per forwarding lcore, totals. */
static void lcore_total_table(double elapsed, struct core_counts *all)
{
	struct core_counts c;
	unsigned int i;

	printf("\n%-5s %14s %14s %14s %12s %8s\n", "lcore", "rx-packets",
	       "tx-packets", "dropped", "rx-pps", "streams");
	for (i = 0; i < fwd_nb_lcores; i++) {
		core_counts(&fwd_lcores[i], &c);
		printf("%-5u %14" PRIu64 " %14" PRIu64 " %14" PRIu64
		       " %12.0f %8u\n", fwd_lcores[i].lcore_id, c.rx, c.tx,
		       c.dropped, rate(c.rx, elapsed), fwd_lcores[i].nb_streams);
		all->rx += c.rx;
		all->tx += c.tx;
		all->dropped += c.dropped;
	}
}

int fwd_stats_final(double elapsed)
{
	struct core_counts all = { 0, 0, 0 }, c;
	struct vfn_eth_stats st;
	unsigned int i;

	fwd_stats_fwd_display();
	/* The ports' counters as `show port stats` shows them, at the end. */
	for (i = 0; i < fwd_nb_ports; i++)
		fwd_stats_nic_display(fwd_ports[i]);
	printf("\nfwd: %s forwarding for %.3f s\n", fwd_cfg.engine->name,
	       elapsed);
	lcore_total_table(elapsed, &all);
	printf("\n");
	for (i = 0; i < fwd_nb_ports; i++) {
		uint16_t p = fwd_ports[i];

		if (port_delta(p, &st))
			continue;
		printf("fwd-port: port=%u ipackets=%" PRIu64 " opackets=%" PRIu64
		       " ibytes=%" PRIu64 " obytes=%" PRIu64 " imissed=%" PRIu64
		       " ierrors=%" PRIu64 " oerrors=%" PRIu64 " rx_nombuf=%"
		       PRIu64 " fwd_dropped=%" PRIu64 " rx_pps=%.0f tx_pps=%.0f\n",
		       p, st.ipackets, st.opackets, st.ibytes, st.obytes,
		       st.imissed, st.ierrors, st.oerrors, st.rx_nombuf,
		       port_fwd_dropped(p), rate(st.ipackets, elapsed),
		       rate(st.opackets, elapsed));
	}
	for (i = 0; i < fwd_nb_lcores; i++) {
		core_counts(&fwd_lcores[i], &c);
		printf("fwd-core: lcore=%u streams=%u rx=%" PRIu64 " tx=%" PRIu64
		       " dropped=%" PRIu64 " rx_pps=%.0f\n",
		       fwd_lcores[i].lcore_id, fwd_lcores[i].nb_streams, c.rx,
		       c.tx, c.dropped, rate(c.rx, elapsed));
	}
	printf("fwd-summary: mode=%s elapsed=%.3f rx=%" PRIu64 " tx=%" PRIu64
	       " dropped=%" PRIu64 " rx_mpps=%.3f tx_mpps=%.3f\n",
	       fwd_cfg.engine->name, elapsed, all.rx, all.tx, all.dropped,
	       rate(all.rx, elapsed) / 1e6, rate(all.tx, elapsed) / 1e6);
	fflush(stdout);
	return 0;
}
