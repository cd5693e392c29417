/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * interop_peer: the vfnet side of the DPDK interoperability test.  One
 * port (one -a BDF), talking to a dpdk-testpmd port on the same hub.
 *
 *   interop_peer [EAL args] -- --mode check --peer MAC [--frames N]
 *       Send N frames (sequence number, payload checksum, 66..1514 bytes)
 *       to MAC; testpmd in macswap mode sends them back.  Every frame must
 *       come back once, intact and in order.  Keeps at most 64 in flight.
 *
 *   interop_peer [EAL args] -- --mode echo [--idle S] [--max S]
 *       Send every received frame back with the addresses swapped, until
 *       no frame came for S seconds after the first (or --max seconds).
 *       Prints "# ready" once the port is up.
 *
 * Both modes print "# interop: rx N tx N ..." and the port counters, and
 * report one TAP result (tests/lib/vfn_tap.h), failed when those disagree
 * with what the program itself counted.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_eal.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_ethdev.h"
#include "test_frame.h"
#include "vfn_tap.h"

#define MAGIC 0x76666e75u
#define BURST 32
#define WINDOW 64

struct payload {
	uint32_t magic;
	uint32_t seq;
	uint32_t len;
	uint32_t csum;
};

static struct vfn_mbuf *make(struct vfn_mempool *mp, const uint8_t *dst,
			     const uint8_t *src, uint32_t seq)
{
	struct vfn_mbuf *m = NULL;
	uint32_t len = frame_len(seq), i;
	struct payload pl = { MAGIC, seq, len, 0 };
	uint8_t *p;

	if (vfn_pktmbuf_alloc_bulk(mp, &m, 1))
		return NULL;
	p = vfn_pktmbuf_mtod(m, void *);
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = 0x88;
	p[13] = 0xb7;
	for (i = 14 + sizeof(pl); i < len; i++)
		p[i] = (uint8_t)(seq + i);
	pl.csum = fill_csum(p + 14 + sizeof(pl), len - 14 - sizeof(pl));
	memcpy(p + 14, &pl, sizeof(pl));
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	return m;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int port_up(uint16_t port, struct vfn_mempool *mp)
{
	int ret = vfn_eth_dev_configure(port, 1, 1, NULL);

	if (!ret)
		ret = vfn_eth_rx_queue_setup(port, 0, 256, -1, NULL, mp);
	if (!ret)
		ret = vfn_eth_tx_queue_setup(port, 0, 256, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start(port);
	if (ret)
		fprintf(stderr, "interop: port %u set-up failed: %s\n", port,
			strerror(-ret));
	return ret;
}

/* What the command line asked for, after the EAL's arguments. */
struct options {
	const char *mode;	/* "check" or "echo" */
	uint8_t peer[6];	/* check: where the frames go */
	uint64_t frames;	/* check: how many */
	double idle;		/* echo: stop this long after the last frame */
	double max;		/* both: stop after this long */
};

/* The port, its pool, and what this program counted on it. */
struct peer {
	uint16_t port;
	struct vfn_mempool *mp;
	struct vfn_ether_addr me;
	uint64_t rx, tx, bad, ooo, rx_bytes, tx_bytes;
};

/* The EAL's arguments, then ours: 0, or -1. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "peer", required_argument, NULL, 'p' },
		{ "frames", required_argument, NULL, 'n' },
		{ "idle", required_argument, NULL, 'i' },
		{ "max", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	int ret, c;

	*o = (struct options){ .mode = "check", .frames = 5000, .idle = 3,
			       .max = 60 };
	ret = vfn_eal_init(argc, argv);
	if (ret < 0)
		return -1;
	argc -= ret;
	argv += ret;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': o->mode = optarg; break;
		case 'p':
			if (parse_mac(optarg, o->peer)) {
				fprintf(stderr, "interop: bad MAC %s\n", optarg);
				return -1;
			}
			break;
		case 'n': o->frames = strtoull(optarg, NULL, 0); break;
		case 'i': o->idle = atof(optarg); break;
		case 'x': o->max = atof(optarg); break;
		default: return -1;
		}
	}
	return 0;
}

/* The one port up, counters cleared; prints "# ready": 0, or -1. */
static int set_up(struct peer *p)
{
	memset(p, 0, sizeof(*p));
	if (vfn_eth_dev_count_avail() != 1) {
		fprintf(stderr, "interop: %u ports, need exactly one (-a BDF)\n",
			vfn_eth_dev_count_avail());
		return -1;
	}
	p->port = vfn_eth_find_next(0);
	p->mp = vfn_pktmbuf_pool_create("interop", 4095, 128, 0,
					VFN_PKTMBUF_HEADROOM + 2048, -1);
	if (!p->mp || port_up(p->port, p->mp))
		return -1;
	vfn_eth_macaddr_get(p->port, &p->me);
	vfn_eth_stats_reset(p->port);
	tap_diag("ready");
	return 0;
}

/* Echo: every frame back with the addresses swapped, until idle. */
static void run_echo(const struct options *o, struct peer *p)
{
	double t0, last;

	t0 = last = now();
	while (now() - t0 < o->max && (!p->rx || now() - last < o->idle)) {
		struct vfn_mbuf *pkts[BURST];
		uint16_t n = vfn_eth_rx_burst(p->port, 0, pkts, BURST), i, k;

		if (!n)
			continue;
		last = now();
		for (i = 0; i < n; i++) {
			struct vfn_ether_hdr *eth =
				vfn_pktmbuf_mtod(pkts[i], struct vfn_ether_hdr *);
			struct vfn_ether_addr t = eth->dst_addr;

			p->rx_bytes += pkts[i]->pkt_len;
			eth->dst_addr = eth->src_addr;
			eth->src_addr = t;
		}
		p->rx += n;
		k = 0;
		while (k < n) {
			uint16_t s = vfn_eth_tx_burst(p->port, 0, pkts + k, n - k);

			for (i = k; i < k + s; i++)
				p->tx_bytes += pkts[i]->pkt_len;
			k += s;
		}
		p->tx += n;
	}
}

/* Check: one received frame, intact and in sequence. */
static void check_frame(const struct options *o, struct peer *p,
			struct vfn_mbuf *m, uint32_t *expect)
{
	const uint8_t *d = vfn_pktmbuf_mtod(m, const uint8_t *);
	struct payload pl;

	p->rx++;
	p->rx_bytes += m->pkt_len;
	memcpy(&pl, d + 14, sizeof(pl));
	if (pl.magic != MAGIC || pl.len != m->pkt_len ||
	    memcmp(d, p->me.addr_bytes, 6) ||
	    memcmp(d + 6, o->peer, 6) ||
	    pl.csum != fill_csum(d + 14 + sizeof(pl),
				 pl.len - 14 - sizeof(pl)))
		p->bad++;
	else if (pl.seq != *expect)
		p->ooo++;
	*expect = pl.seq + 1;
	vfn_pktmbuf_free(m);
}

/*
 * Check: N frames to the peer, at most WINDOW in flight, each back once;
 * then half a second more in which anything coming back is a duplicate.
 */
static void run_check(const struct options *o, struct peer *p)
{
	uint32_t expect = 0, next = 0;
	double t0 = now(), last;

	while (p->rx < o->frames && now() - t0 < o->max) {
		struct vfn_mbuf *pkts[BURST];
		uint16_t n = 0, i, s;

		while (n < BURST && next + n < o->frames &&
		       next + n - p->rx < WINDOW) {
			pkts[n] = make(p->mp, o->peer, p->me.addr_bytes, next + n);
			if (!pkts[n])
				break;
			n++;
		}
		if (n) {
			s = vfn_eth_tx_burst(p->port, 0, pkts, n);
			for (i = 0; i < s; i++)
				p->tx_bytes += pkts[i]->pkt_len;
			for (i = s; i < n; i++)
				vfn_pktmbuf_free(pkts[i]);
			next += s;
			p->tx += s;
		}
		n = vfn_eth_rx_burst(p->port, 0, pkts, BURST);
		for (i = 0; i < n; i++)
			check_frame(o, p, pkts[i], &expect);
	}
	/* Anything extra coming back would be a duplicate. */
	last = now();
	while (now() - last < 0.5) {
		struct vfn_mbuf *pkts[BURST];
		uint16_t n = vfn_eth_rx_burst(p->port, 0, pkts, BURST), i;

		for (i = 0; i < n; i++) {
			p->rx++;
			p->rx_bytes += pkts[i]->pkt_len;
			p->bad++;
			vfn_pktmbuf_free(pkts[i]);
		}
	}
}

/*
 * The port's counters against ours, every mbuf back after close: one TAP
 * result, then the plan.
 */
static int report(const struct options *o, struct peer *p)
{
	struct vfn_eth_stats st;
	int ok;

	vfn_eth_stats_get(p->port, &st);
	tap_diag("interop: mode %s: rx %" PRIu64 " tx %" PRIu64 " bad %" PRIu64
		 " out-of-order %" PRIu64 "; port counters: ipackets %" PRIu64
		 " opackets %" PRIu64 " ibytes %" PRIu64 " obytes %" PRIu64
		 " ierrors %" PRIu64 " imissed %" PRIu64, o->mode, p->rx, p->tx,
		 p->bad, p->ooo, st.ipackets, st.opackets, st.ibytes, st.obytes,
		 st.ierrors, st.imissed);
	ok = st.ipackets == p->rx && st.opackets == p->tx &&
	     st.ibytes == p->rx_bytes && st.obytes == p->tx_bytes &&
	     !st.ierrors && !p->bad && !p->ooo &&
	     (strcmp(o->mode, "check") ||
	      (p->rx == o->frames && p->tx == o->frames));
	vfn_eth_dev_close(p->port);
	if (vfn_mempool_avail_count(p->mp) != 4095) {
		tap_diag("interop: %u of 4095 mbufs back in the pool",
			 vfn_mempool_avail_count(p->mp));
		ok = 0;
	}
	TAP_CHECK(ok, "interop %s: counts, frames and mbufs as expected",
		  o->mode);
	vfn_eal_cleanup();
	return tap_done();
}

int main(int argc, char **argv)
{
	struct options o;
	struct peer p;

	if (parse_args(argc, argv, &o) || set_up(&p))
		return 1;
	if (!strcmp(o.mode, "echo"))
		run_echo(&o, &p);
	else
		run_check(&o, &p);
	return report(&o, &p);
}
