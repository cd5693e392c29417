/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Statistics: per port (from the port's counters) and per forwarding
 * lcore (from its streams' counters), as rates every --stats-period and
 * as totals at exit, the totals also as "fwd-*: key=value" lines that
 * scripts check.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "fwd.h"

struct core_counts {
	uint64_t rx, tx, dropped;
};

static struct vfn_eth_stats prev_port[VFN_MAX_ETHPORTS];
static uint64_t prev_drop[VFN_MAX_ETHPORTS];
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

/* csum: bad checksums per rx port, in testpmd's words. */
static void print_csum_counters(void)
{
	unsigned int i, s;

	for (i = 0; i < fwd_nb_ports; i++) {
		uint64_t ip = 0, l4 = 0;

		for (s = 0; s < fwd_nb_streams; s++) {
			if (fwd_streams[s].rx_port != fwd_ports[i])
				continue;
			ip += fwd_read(&fwd_streams[s].bad_ip_csum);
			l4 += fwd_read(&fwd_streams[s].bad_l4_csum);
		}
		printf("port %u  Bad-ipcsum: %-14" PRIu64 " Bad-l4csum: %-14"
		       PRIu64 " Bad-outer-l4csum: %-14u\n", fwd_ports[i], ip,
		       l4, 0u);
	}
}

void fwd_stats_start(void)
{
	unsigned int i;

	for (i = 0; i < fwd_nb_ports; i++) {
		vfn_eth_stats_reset(fwd_ports[i]);
		memset(&prev_port[fwd_ports[i]], 0, sizeof(prev_port[0]));
		prev_drop[fwd_ports[i]] = 0;
	}
	memset(prev_core, 0, sizeof(prev_core));
	start_tsc = prev_tsc = vfn_rdtsc();
}

static double rate(uint64_t delta, double secs)
{
	return secs > 0 ? (double)delta / secs : 0;
}

void fwd_stats_period(void)
{
	uint64_t now = vfn_rdtsc();
	double secs = (double)(now - prev_tsc) / (double)vfn_get_tsc_hz();
	double total = (double)(now - start_tsc) / (double)vfn_get_tsc_hz();
	unsigned int i;

	prev_tsc = now;
	printf("\n---- fwd statistics at %.2f s (last %.2f s) ----\n", total,
	       secs);
	printf("%-5s %12s %12s %14s %14s %10s %10s %10s\n", "port", "rx-pps",
	       "tx-pps", "rx-bps", "tx-bps", "drops/s", "rx-nombuf",
	       "imissed");
	for (i = 0; i < fwd_nb_ports; i++) {
		uint16_t p = fwd_ports[i];
		struct vfn_eth_stats st, *pv = &prev_port[p];
		uint64_t drop = port_fwd_dropped(p);

		if (vfn_eth_stats_get(p, &st))
			continue;
		printf("%-5u %12.0f %12.0f %14.0f %14.0f %10.0f %10" PRIu64
		       " %10" PRIu64 "\n", p,
		       rate(st.ipackets - pv->ipackets, secs),
		       rate(st.opackets - pv->opackets, secs),
		       rate((st.ibytes - pv->ibytes) * 8, secs),
		       rate((st.obytes - pv->obytes) * 8, secs),
		       rate(drop - prev_drop[p] + st.oerrors - pv->oerrors, secs),
		       st.rx_nombuf, st.imissed);
		*pv = st;
		prev_drop[p] = drop;
	}
	printf("%-5s %12s %12s %12s %8s\n", "lcore", "rx-pps", "tx-pps",
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
	fflush(stdout);
}

int fwd_stats_final(double elapsed)
{
	struct core_counts all = { 0, 0, 0 }, c;
	struct vfn_eth_stats st;
	unsigned int i;

	printf("\n---- fwd totals after %.3f s (%s) ----\n", elapsed,
	       fwd_cfg.engine->name);
	printf("%-5s %14s %14s %16s %16s %10s %10s %10s\n", "port",
	       "rx-packets", "tx-packets", "rx-bytes", "tx-bytes", "drops",
	       "rx-nombuf", "imissed");
	for (i = 0; i < fwd_nb_ports; i++) {
		uint16_t p = fwd_ports[i];

		if (vfn_eth_stats_get(p, &st))
			continue;
		printf("%-5u %14" PRIu64 " %14" PRIu64 " %16" PRIu64 " %16" PRIu64
		       " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n", p,
		       st.ipackets, st.opackets, st.ibytes, st.obytes,
		       port_fwd_dropped(p) + st.oerrors, st.rx_nombuf,
		       st.imissed);
	}
	for (i = 0; i < fwd_nb_ports; i++) {
		uint16_t p = fwd_ports[i];

		if (vfn_eth_stats_get(p, &st))
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
	if (fwd_cfg.engine == &fwd_engine_csum)
		print_csum_counters();
	for (i = 0; i < fwd_nb_lcores; i++) {
		core_counts(&fwd_lcores[i], &c);
		printf("fwd-core: lcore=%u streams=%u rx=%" PRIu64 " tx=%" PRIu64
		       " dropped=%" PRIu64 " rx_pps=%.0f\n",
		       fwd_lcores[i].lcore_id, fwd_lcores[i].nb_streams, c.rx,
		       c.tx, c.dropped, rate(c.rx, elapsed));
		all.rx += c.rx;
		all.tx += c.tx;
		all.dropped += c.dropped;
	}
	printf("fwd-summary: mode=%s elapsed=%.3f rx=%" PRIu64 " tx=%" PRIu64
	       " dropped=%" PRIu64 " rx_mpps=%.3f tx_mpps=%.3f\n",
	       fwd_cfg.engine->name, elapsed, all.rx, all.tx, all.dropped,
	       rate(all.rx, elapsed) / 1e6, rate(all.tx, elapsed) / 1e6);
	fflush(stdout);
	return 0;
}
