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

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "peer", required_argument, NULL, 'p' },
		{ "frames", required_argument, NULL, 'n' },
		{ "idle", required_argument, NULL, 'i' },
		{ "max", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	const char *mode = "check";
	uint8_t peer[6] = { 0 };
	struct vfn_ether_addr me;
	struct vfn_eth_stats st;
	struct vfn_mempool *mp;
	uint64_t frames = 5000, rx = 0, tx = 0, bad = 0, ooo = 0, rx_bytes = 0;
	uint64_t tx_bytes = 0;
	double idle = 3, max = 60, t0, last;
	uint32_t expect = 0, next = 0;
	uint16_t port;
	int ret, c, ok;

	ret = vfn_eal_init(argc, argv);
	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': mode = optarg; break;
		case 'p':
			if (parse_mac(optarg, peer)) {
				fprintf(stderr, "interop: bad MAC %s\n", optarg);
				return 1;
			}
			break;
		case 'n': frames = strtoull(optarg, NULL, 0); break;
		case 'i': idle = atof(optarg); break;
		case 'x': max = atof(optarg); break;
		default: return 1;
		}
	}
	if (vfn_eth_dev_count_avail() != 1) {
		fprintf(stderr, "interop: %u ports, need exactly one (-a BDF)\n",
			vfn_eth_dev_count_avail());
		return 1;
	}
	port = vfn_eth_find_next(0);
	mp = vfn_pktmbuf_pool_create("interop", 4095, 128, 0,
				     VFN_PKTMBUF_HEADROOM + 2048, -1);
	if (!mp || port_up(port, mp))
		return 1;
	vfn_eth_macaddr_get(port, &me);
	vfn_eth_stats_reset(port);
	tap_diag("ready");

	t0 = last = now();
	if (!strcmp(mode, "echo")) {
		while (now() - t0 < max && (!rx || now() - last < idle)) {
			struct vfn_mbuf *pkts[BURST];
			uint16_t n = vfn_eth_rx_burst(port, 0, pkts, BURST), i, k;

			if (!n)
				continue;
			last = now();
			for (i = 0; i < n; i++) {
				uint8_t *p = vfn_pktmbuf_mtod(pkts[i], uint8_t *), t[6];

				rx_bytes += pkts[i]->pkt_len;
				memcpy(t, p, 6);
				memcpy(p, p + 6, 6);
				memcpy(p + 6, t, 6);
			}
			rx += n;
			k = 0;
			while (k < n) {
				uint16_t s = vfn_eth_tx_burst(port, 0, pkts + k, n - k);

				for (i = k; i < k + s; i++)
					tx_bytes += pkts[i]->pkt_len;
				k += s;
			}
			tx += n;
		}
	} else {
		while (rx < frames && now() - t0 < max) {
			struct vfn_mbuf *pkts[BURST];
			uint16_t n = 0, i, s;

			while (n < BURST && next + n < frames &&
			       next + n - rx < WINDOW) {
				pkts[n] = make(mp, peer, me.addr_bytes, next + n);
				if (!pkts[n])
					break;
				n++;
			}
			if (n) {
				s = vfn_eth_tx_burst(port, 0, pkts, n);
				for (i = 0; i < s; i++)
					tx_bytes += pkts[i]->pkt_len;
				for (i = s; i < n; i++)
					vfn_pktmbuf_free(pkts[i]);
				next += s;
				tx += s;
			}
			n = vfn_eth_rx_burst(port, 0, pkts, BURST);
			for (i = 0; i < n; i++) {
				const uint8_t *p = vfn_pktmbuf_mtod(pkts[i], const uint8_t *);
				struct payload pl;

				rx++;
				rx_bytes += pkts[i]->pkt_len;
				memcpy(&pl, p + 14, sizeof(pl));
				if (pl.magic != MAGIC || pl.len != pkts[i]->pkt_len ||
				    memcmp(p, me.addr_bytes, 6) ||
				    memcmp(p + 6, peer, 6) ||
				    pl.csum != fill_csum(p + 14 + sizeof(pl),
						   pl.len - 14 - sizeof(pl)))
					bad++;
				else if (pl.seq != expect)
					ooo++;
				expect = pl.seq + 1;
				vfn_pktmbuf_free(pkts[i]);
			}
		}
		/* Anything extra coming back would be a duplicate. */
		last = now();
		while (now() - last < 0.5) {
			struct vfn_mbuf *pkts[BURST];
			uint16_t n = vfn_eth_rx_burst(port, 0, pkts, BURST), i;

			for (i = 0; i < n; i++) {
				rx++;
				rx_bytes += pkts[i]->pkt_len;
				bad++;
				vfn_pktmbuf_free(pkts[i]);
			}
		}
	}
	vfn_eth_stats_get(port, &st);
	tap_diag("interop: mode %s: rx %" PRIu64 " tx %" PRIu64 " bad %" PRIu64
		 " out-of-order %" PRIu64 "; port counters: ipackets %" PRIu64
		 " opackets %" PRIu64 " ibytes %" PRIu64 " obytes %" PRIu64
		 " ierrors %" PRIu64 " imissed %" PRIu64, mode, rx, tx, bad,
		 ooo, st.ipackets, st.opackets, st.ibytes, st.obytes, st.ierrors,
		 st.imissed);
	ok = st.ipackets == rx && st.opackets == tx && st.ibytes == rx_bytes &&
	     st.obytes == tx_bytes && !st.ierrors && !bad && !ooo &&
	     (strcmp(mode, "check") || (rx == frames && tx == frames));
	vfn_eth_dev_close(port);
	if (vfn_mempool_avail_count(mp) != 4095) {
		tap_diag("interop: %u of 4095 mbufs back in the pool",
			 vfn_mempool_avail_count(mp));
		ok = 0;
	}
	TAP_CHECK(ok, "interop %s: counts, frames and mbufs as expected", mode);
	vfn_eal_cleanup();
	return tap_done();
}
