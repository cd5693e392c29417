/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding lcores and streams (testpmd's model): one stream per
 * (port, queue), its tx side on the port's peer in the chosen topology,
 * queue-major order, streams split into contiguous runs over the
 * forwarding lcores, and the loop each forwarding lcore runs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_eal.h"
#include "vfn_ethdev.h"
#include "vfn_interrupts.h"
#include "vfn_malloc.h"
#include "fwd.h"

static int lcore_selected(unsigned int id)
{
	if (!fwd_cfg.coremask_lo && !fwd_cfg.coremask_hi)
		return 1;
	return id < 64 ? (int)(fwd_cfg.coremask_lo >> id & 1) :
			 (int)(fwd_cfg.coremask_hi >> (id - 64) & 1);
}

/*
 * Every selected worker lcore gets a slot; each run forwards on the first
 * --nb-cores (testpmd's `set nbcore`) of them, at most one per stream.
 */
int fwd_lcores_init(void)
{
	unsigned int id, n = 0;
	unsigned int ids[VFN_MAX_LCORE];

	VFN_LCORE_FOREACH_WORKER(id) {
		if (lcore_selected(id))
			ids[n++] = id;
	}
	if (!n) {
		fprintf(stderr, "fwd: no forwarding lcore: the main lcore %u "
			"prints statistics, so give at least two lcores (e.g. "
			"-l 0,1)%s\n", vfn_get_main_lcore(),
			(fwd_cfg.coremask_lo || fwd_cfg.coremask_hi) ?
			" and a --coremask that selects a worker" : "");
		return -EINVAL;
	}
	if (fwd_cfg.nb_cores > n)
		fprintf(stderr, "fwd: note: --nb-cores=%u but only %u "
			"forwarding lcores are available\n", fwd_cfg.nb_cores, n);
	/* struct fwd_lcore is cache-line aligned: calloc() does not honour that. */
	if (posix_memalign((void **)&fwd_lcores, VFN_CACHE_LINE_SIZE,
			   n * sizeof(*fwd_lcores)))
		return -ENOMEM;
	memset(fwd_lcores, 0, n * sizeof(*fwd_lcores));
	for (id = 0; id < n; id++)
		fwd_lcores[id].lcore_id = ids[id];
	fwd_nb_lcores_avail = n;
	fwd_nb_lcores = fwd_cfg.nb_cores && fwd_cfg.nb_cores < n ?
			fwd_cfg.nb_cores : n;
	return 0;
}

static unsigned int peer_index(unsigned int i)
{
	switch (fwd_cfg.topology) {
	case FWD_TOPO_CHAINED:
		return (i + 1) % fwd_nb_ports;
	case FWD_TOPO_LOOP:
		return i;
	default:
		return (i ^ 1) < fwd_nb_ports ? (i ^ 1) : i;
	}
}

static void default_peer(uint16_t port, struct vfn_ether_addr *mac)
{
	/* testpmd's default peer of port N: 02:00:00:00:00:N */
	memset(mac, 0, sizeof(*mac));
	mac->addr_bytes[0] = 0x02;
	mac->addr_bytes[5] = (uint8_t)port;
}

int fwd_streams_init(void)
{
	unsigned int per_port = fwd_cfg.engine->generates ? fwd_cfg.nb_txq :
							      fwd_cfg.nb_rxq;
	unsigned int i, q, k = 0, l;
	int ret;

	fwd_streams_release();
	if (!fwd_cfg.engine->generates && fwd_cfg.engine != &fwd_engine_rxonly &&
	    fwd_cfg.nb_txq < fwd_cfg.nb_rxq) {
		fprintf(stderr, "fwd: --rxq=%u needs --txq >= %u: each rx queue "
			"forwards to the tx queue of the same number\n",
			fwd_cfg.nb_rxq, fwd_cfg.nb_rxq);
		return -EINVAL;
	}
	fwd_nb_streams = fwd_nb_ports * per_port;
	fwd_streams = vfn_zmalloc("fwd_streams",
				  sizeof(*fwd_streams) * fwd_nb_streams, 0);
	if (!fwd_streams)
		return -ENOMEM;
	/*
	 * Queue-major, as testpmd's rss_fwd_config_setup(): queue q of
	 * every port, then queue q + 1.  Split into contiguous runs below,
	 * an lcore then gets both directions of the same queue numbers (on
	 * net_ring: a packet stays on its lcore, as with testpmd).
	 */
	for (q = 0; q < per_port; q++) {
		for (i = 0; i < fwd_nb_ports; i++, k++) {
			uint16_t tx = fwd_ports[peer_index(i)];
			struct fwd_stream *fs = &fwd_streams[k];

			fs->rx_port = fwd_ports[i];
			fs->rx_queue = (uint16_t)(q % fwd_cfg.nb_rxq);
			fs->tx_port = tx;
			fs->tx_queue = (uint16_t)(q % fwd_cfg.nb_txq);
			fs->pool = fwd_pool;
			vfn_eth_macaddr_get(tx, &fs->eth_src);
			if (fwd_cfg.peer_set[tx])
				fs->eth_dst = fwd_cfg.peer[tx];
			else
				default_peer(tx, &fs->eth_dst);
			if (fwd_cfg.engine->stream_init) {
				ret = fwd_cfg.engine->stream_init(fs);
				if (ret)
					return ret;
			}
		}
	}
	/* No more lcores than streams; contiguous runs of streams each. */
	fwd_nb_lcores = fwd_cfg.nb_cores && fwd_cfg.nb_cores < fwd_nb_lcores_avail ?
			fwd_cfg.nb_cores : fwd_nb_lcores_avail;
	if (fwd_nb_lcores > fwd_nb_streams)
		fwd_nb_lcores = fwd_nb_streams;
	for (l = 0, k = 0; l < fwd_nb_lcores_avail; l++) {
		unsigned int n = l >= fwd_nb_lcores ? 0 :
			fwd_nb_streams / fwd_nb_lcores +
			(l < fwd_nb_streams % fwd_nb_lcores);

		fwd_lcores[l].first_stream = k;
		fwd_lcores[l].nb_streams = n;
		fwd_lcores[l].budget = 0;
		fwd_lcores[l].counted = 0;
		fwd_lcores[l].finished = 0;
		k += n;
		if (fwd_cfg.nb_pkts && !fwd_cfg.interactive && n)
			fwd_lcores[l].budget = fwd_cfg.nb_pkts / fwd_nb_lcores +
				(l < fwd_cfg.nb_pkts % fwd_nb_lcores);
	}
	return 0;
}

void fwd_streams_print(void)
{
	unsigned int l, s;

	printf("fwd: %s forwarding, burst %u, %u streams on %u lcores\n",
	       fwd_cfg.engine->name, fwd_cfg.burst, fwd_nb_streams,
	       fwd_nb_lcores);
	for (l = 0; l < fwd_nb_lcores; l++) {
		const struct fwd_lcore *lc = &fwd_lcores[l];

		printf("fwd:   lcore %u:", lc->lcore_id);
		for (s = lc->first_stream; s < lc->first_stream + lc->nb_streams;
		     s++)
			printf(" (p%u q%u -> p%u q%u)", fwd_streams[s].rx_port,
			       fwd_streams[s].rx_queue, fwd_streams[s].tx_port,
			       fwd_streams[s].tx_queue);
		printf("\n");
	}
}

/* Free the streams (before they are rebuilt, or at exit). */
void fwd_streams_release(void)
{
	vfn_free(fwd_streams);
	fwd_streams = NULL;
	fwd_nb_streams = 0;
}

void fwd_streams_free(void)
{
	fwd_streams_release();
	free(fwd_lcores);
	fwd_lcores = NULL;
}

/*
 * testpmd's --tx-first (and `start tx_first N`): @p bursts txonly bursts
 * on every stream before forwarding starts.
 */
int fwd_tx_first(unsigned int bursts)
{
	unsigned int s, b;

	/*
	 * As testpmd, whose start waits for the links: a port that connects
	 * to a peer (memif) comes up a little after its start, and a burst
	 * sent before would be dropped.  Up to 9 s per port, no wait when up.
	 */
	for (s = 0; s < fwd_nb_streams; s++) {
		struct vfn_eth_link link;

		vfn_eth_link_get(fwd_streams[s].tx_port, &link);
	}
	for (b = 0; b < bursts; b++) {
		for (s = 0; s < fwd_nb_streams; s++) {
			struct fwd_stream *fs = &fwd_streams[s];

			fwd_pkt_template(fs, fwd_cfg.tx_pkt_len);
			if (fwd_engine_txonly.fwd(fs, fwd_cfg.burst) == 0) {
				fprintf(stderr, "fwd: tx_first: mbuf pool "
					"exhausted\n");
				return -ENOMEM;
			}
		}
	}
	return 0;
}

static inline int stopping(void)
{
	return __atomic_load_n(&fwd_stop, __ATOMIC_RELAXED);
}

/*
 * --rx-intr (DPDK's l3fwd-power shape): after FWD_RX_INTR_IDLE rounds
 * in which no stream moved a packet, the lcore arms the interrupts of its
 * rx queues, polls once more (a packet that came in before arming raised
 * no interrupt to wait for), and sleeps in vfn_epoll_wait() until a queue
 * fires or 100 ms pass (so that a stop is seen), then disarms them.
 */
#define FWD_RX_INTR_IDLE 300

static void rx_intr_arm(struct fwd_stream *fs, unsigned int n, int on)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (on)
			vfn_eth_dev_rx_intr_enable(fs[i].rx_port, fs[i].rx_queue);
		else
			vfn_eth_dev_rx_intr_disable(fs[i].rx_port, fs[i].rx_queue);
}

/* Put the lcore's rx queues in its epoll set; -errno when one fails. */
static int rx_intr_register(struct fwd_lcore *lc, struct fwd_stream *fs,
			    unsigned int n, int op)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = vfn_eth_dev_rx_intr_ctl_q(fs[i].rx_port, fs[i].rx_queue,
						VFN_EPOLL_PER_THREAD, op, &fs[i]);
		if (ret && op == VFN_INTR_EVENT_ADD) {
			fprintf(stderr, "fwd: lcore %u: port %u rx queue %u: no "
				"rx interrupt (%s): polling its queues\n",
				lc->lcore_id, fs[i].rx_port, fs[i].rx_queue,
				strerror(-ret));
			while (i--)
				vfn_eth_dev_rx_intr_ctl_q(fs[i].rx_port,
							  fs[i].rx_queue,
							  VFN_EPOLL_PER_THREAD,
							  VFN_INTR_EVENT_DEL, &fs[i]);
			return ret;
		}
	}
	return 0;
}

static uint16_t round_all(struct fwd_stream *fs, unsigned int n,
			  uint16_t (*fwd)(struct fwd_stream *, uint16_t),
			  uint64_t budget, uint64_t *counted)
{
	uint16_t moved = 0, got;
	unsigned int i;

	for (i = 0; i < n && (!budget || *counted < budget); i++) {
		uint64_t left = budget - *counted;

		got = fwd(&fs[i], budget && left < fwd_cfg.burst ?
			  (uint16_t)left : fwd_cfg.burst);
		*counted += got;
		moved |= got;
	}
	return moved;
}

static void rx_intr_loop(struct fwd_lcore *lc, struct fwd_stream *fs,
			 unsigned int n, uint64_t *counted)
{
	uint16_t (*fwd)(struct fwd_stream *, uint16_t) = fwd_cfg.engine->fwd;
	struct vfn_epoll_event ev[8];
	const uint64_t budget = lc->budget;
	unsigned int idle = 0;
	int ret;

	while ((!budget || *counted < budget) && !stopping()) {
		if (round_all(fs, n, fwd, budget, counted)) {
			idle = 0;
			continue;
		}
		if (++idle < FWD_RX_INTR_IDLE)
			continue;
		idle = 0;
		rx_intr_arm(fs, n, 1);
		if (round_all(fs, n, fwd, budget, counted)) {
			rx_intr_arm(fs, n, 0);
			continue;
		}
		ret = vfn_epoll_wait(VFN_EPOLL_PER_THREAD, ev, 8, 100);
		rx_intr_arm(fs, n, 0);
		lc->sleeps++;
		if (ret > 0)
			lc->intr_wakeups++;
	}
}

/* The forwarding loop of one lcore. */
int fwd_lcore_main(void *arg)
{
	struct fwd_lcore *lc = arg;
	struct fwd_stream *fs = fwd_streams + lc->first_stream;
	uint16_t (*fwd)(struct fwd_stream *, uint16_t) = fwd_cfg.engine->fwd;
	const unsigned int n = lc->nb_streams;
	const uint16_t burst = fwd_cfg.burst;
	const uint64_t budget = lc->budget;
	uint64_t counted = 0;
	unsigned int i;

	if (fwd_cfg.rx_intr && n && !rx_intr_register(lc, fs, n,
						       VFN_INTR_EVENT_ADD)) {
		rx_intr_loop(lc, fs, n, &counted);
		rx_intr_register(lc, fs, n, VFN_INTR_EVENT_DEL);
	} else if (!budget) {
		while (!stopping())
			for (i = 0; i < n; i++)
				fwd(&fs[i], burst);
	} else {
		while (counted < budget && !stopping()) {
			for (i = 0; i < n && counted < budget; i++) {
				uint64_t left = budget - counted;

				counted += fwd(&fs[i], left < burst ?
					       (uint16_t)left : burst);
			}
		}
	}
	__atomic_store_n(&lc->counted, counted, __ATOMIC_RELAXED);
	__atomic_store_n(&lc->finished, 1, __ATOMIC_RELEASE);
	return 0;
}

void fwd_rx_intr_report(void)
{
	unsigned int i;

	if (!fwd_cfg.rx_intr)
		return;
	for (i = 0; i < fwd_nb_lcores; i++)
		printf("fwd-rx-intr: lcore=%u sleeps=%" PRIu64 " intr_wakeups=%"
		       PRIu64 "\n", fwd_lcores[i].lcore_id, fwd_lcores[i].sleeps,
		       fwd_lcores[i].intr_wakeups);
}
