/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port API tests against a fake driver defined here: the generic checks
 * (queue counts, descriptor limits, RSS, offloads, MTU, call order), the
 * fast-path tables, statistics and xstats, control ops, close.
 */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "vfn_mbuf.h"
#include "vfn_ethdev.h"
#include "vfn_ethdev_driver.h"
#include "vfn_cunit.h"

#define FAKE_MAX_Q 4

struct fake_queue {
	struct vfn_eth_qstats stats;
	uint16_t id;
	uint16_t nb_desc;
	int is_rx;
};

struct fake_dev {
	struct fake_queue rxq[FAKE_MAX_Q];
	struct fake_queue txq[FAKE_MAX_Q];
	int started, stopped, closed, configured;
	int rx_released, tx_released;
	int promisc, allmulti;
	uint16_t mtu;
	int fail_start;
};

static struct fake_dev fdev;

static int fake_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	(void)port;
	info->max_rx_queues = FAKE_MAX_Q;
	info->max_tx_queues = FAKE_MAX_Q;
	info->min_mtu = 68;
	info->max_mtu = 9000;
	info->rx_desc_lim = (struct vfn_eth_desc_lim){ 4096, 64, 32 };
	info->tx_desc_lim = (struct vfn_eth_desc_lim){ 4096, 64, 32 };
	info->rx_offload_capa = VFN_ETH_RX_OFFLOAD_VLAN_STRIP;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_IPV4_CKSUM;
	info->hash_key_size = 40;
	info->reta_size = 128;
	info->flow_type_rss_offloads = VFN_ETH_RSS_IP | VFN_ETH_RSS_TCP;
	info->default_rxportconf.ring_size = 256;
	info->default_txportconf.ring_size = 512;
	return 0;
}

static int fake_configure(struct vfn_eth_dev *port)
{
	(void)port;
	fdev.configured++;
	return 0;
}

static uint16_t fake_rx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct fake_queue *fq = q;

	(void)pkts;
	/* "Receive" n packets of 100 bytes without touching pkts. */
	vfn_eth_qstats_add(&fq->stats, n, 100ull * n);
	return n;
}

static uint16_t fake_tx(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	struct fake_queue *fq = q;

	(void)pkts;
	/* Accept half, count the other half as errors. */
	vfn_eth_qstats_add(&fq->stats, n / 2, 60ull * (n / 2));
	vfn_eth_qstats_add_errors(&fq->stats, n - n / 2);
	return n / 2;
}

static int fake_rxq_setup(struct vfn_eth_dev *port, uint16_t q, uint16_t nb_desc,
			  int socket, const struct vfn_eth_rxconf *conf,
			  struct vfn_mempool *mp)
{
	(void)socket;
	(void)conf;
	(void)mp;
	fdev.rxq[q].id = q;
	fdev.rxq[q].nb_desc = nb_desc;
	fdev.rxq[q].is_rx = 1;
	port->rx_queues[q] = &fdev.rxq[q];
	port->rxq_stats[q] = &fdev.rxq[q].stats;
	return 0;
}

static int fake_txq_setup(struct vfn_eth_dev *port, uint16_t q, uint16_t nb_desc,
			  int socket, const struct vfn_eth_txconf *conf)
{
	(void)socket;
	(void)conf;
	fdev.txq[q].id = q;
	fdev.txq[q].nb_desc = nb_desc;
	port->tx_queues[q] = &fdev.txq[q];
	port->txq_stats[q] = &fdev.txq[q].stats;
	return 0;
}

static void fake_rxq_release(struct vfn_eth_dev *port, uint16_t q)
{
	(void)port;
	(void)q;
	fdev.rx_released++;
}

static void fake_txq_release(struct vfn_eth_dev *port, uint16_t q)
{
	(void)port;
	(void)q;
	fdev.tx_released++;
}

static int fake_start(struct vfn_eth_dev *port)
{
	if (fdev.fail_start)
		return -EIO;
	port->link.link_status = VFN_ETH_LINK_UP;
	port->link.link_speed = VFN_ETH_SPEED_NUM_10G;
	port->link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	fdev.started++;
	return 0;
}

static int fake_stop(struct vfn_eth_dev *port)
{
	port->link.link_status = VFN_ETH_LINK_DOWN;
	fdev.stopped++;
	return 0;
}

static int fake_close(struct vfn_eth_dev *port)
{
	(void)port;
	fdev.closed++;
	return 0;
}

static int fake_stats_get(struct vfn_eth_dev *port, struct vfn_eth_stats *st)
{
	(void)port;
	st->imissed += 7;
	return 0;
}

static int fake_xnames(struct vfn_eth_dev *port, struct vfn_eth_xstat_name *n,
		       unsigned int size)
{
	(void)port;
	if (n && size >= 1)
		snprintf(n[0].name, sizeof(n[0].name), "fake_magic");
	return 1;
}

static int fake_xget(struct vfn_eth_dev *port, uint64_t *v, unsigned int n)
{
	(void)port;
	if (n >= 1)
		v[0] = 4242;
	return 1;
}

static int fake_promisc_on(struct vfn_eth_dev *port)
{
	(void)port;
	fdev.promisc = 1;
	return 0;
}

static int fake_promisc_off(struct vfn_eth_dev *port)
{
	(void)port;
	fdev.promisc = 0;
	return 0;
}

static int fake_qstarts, fake_qstops, fake_qstop_err;

static int fake_queue_start(struct vfn_eth_dev *port, uint16_t q)
{
	(void)port;
	(void)q;
	fake_qstarts++;
	return 0;
}

static int fake_queue_stop(struct vfn_eth_dev *port, uint16_t q)
{
	(void)port;
	(void)q;
	fake_qstops++;
	return fake_qstop_err;
}

static int fake_mtu(struct vfn_eth_dev *port, uint16_t mtu)
{
	(void)port;
	fdev.mtu = mtu;
	return 0;
}

static const struct vfn_eth_dev_ops fake_ops = {
	.configure = fake_configure,
	.info_get = fake_info,
	.rx_queue_setup = fake_rxq_setup,
	.rx_queue_release = fake_rxq_release,
	.tx_queue_setup = fake_txq_setup,
	.tx_queue_release = fake_txq_release,
	.start = fake_start,
	.stop = fake_stop,
	.close = fake_close,
	.stats_get = fake_stats_get,
	.xstats_get_names = fake_xnames,
	.xstats_get = fake_xget,
	.promiscuous_enable = fake_promisc_on,
	.promiscuous_disable = fake_promisc_off,
	.mtu_set = fake_mtu,
	.rx_queue_start = fake_queue_start,
	.rx_queue_stop = fake_queue_stop,
	.tx_queue_start = fake_queue_start,
	.tx_queue_stop = fake_queue_stop,
};

static struct vfn_mempool *fake_pool(void);

static uint16_t fake_port(void)
{
	struct vfn_eth_dev *p;

	memset(&fdev, 0, sizeof(fdev));
	p = vfn_eth_dev_allocate("fake0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p->ops = &fake_ops;
	p->driver_name = "net_fake";
	p->rx_pkt_burst = fake_rx;
	p->tx_pkt_burst = fake_tx;
	p->mac_addr.addr_bytes[0] = 0x02;
	p->mac_addr.addr_bytes[5] = 0x01;
	return p->port_id;
}

static void setup_all(uint16_t pid, uint16_t nq)
{
	uint16_t q;

	CU_ASSERT_EQUAL_FATAL(vfn_eth_dev_configure(pid, nq, nq, NULL), 0);
	for (q = 0; q < nq; q++) {
		CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, q, 128, -1, NULL,
							fake_pool()), 0);
		CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, q, 128, -1, NULL),
				0);
	}
}

static void test_allocate(void)
{
	struct vfn_eth_dev *ports[VFN_MAX_ETHPORTS];
	char name[32];
	unsigned int i;
	uint16_t id;

	CU_ASSERT_EQUAL(vfn_eth_dev_count_avail(), 0);
	for (i = 0; i < VFN_MAX_ETHPORTS; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		ports[i] = vfn_eth_dev_allocate(name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ports[i]);
		CU_ASSERT_EQUAL(ports[i]->port_id, i);
	}
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_eth_dev_allocate("one_too_many"));
	CU_ASSERT_EQUAL(errno, ENOSPC);
	CU_ASSERT_EQUAL(vfn_eth_dev_count_avail(), VFN_MAX_ETHPORTS);
	vfn_eth_dev_release_port(ports[3]);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_eth_dev_allocate("p5"));
	CU_ASSERT_EQUAL(errno, EEXIST);
	ports[3] = vfn_eth_dev_allocate("again");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ports[3]);
	CU_ASSERT_EQUAL(ports[3]->port_id, 3);
	CU_ASSERT_EQUAL(vfn_eth_dev_get_port_by_name("again", &id), 0);
	CU_ASSERT_EQUAL(id, 3);
	CU_ASSERT_EQUAL(vfn_eth_dev_get_port_by_name("nope", &id), -ENODEV);
	for (i = 0; i < VFN_MAX_ETHPORTS; i++)
		vfn_eth_dev_release_port(ports[i]);
	CU_ASSERT_EQUAL(vfn_eth_dev_count_avail(), 0);
	CU_ASSERT_EQUAL(vfn_eth_find_next(0), VFN_MAX_ETHPORTS);
	errno = 0;
	CU_ASSERT_PTR_NULL(vfn_eth_dev_allocate(""));
	CU_ASSERT_EQUAL(errno, EINVAL);
}

static void test_configure_errors(void)
{
	uint16_t pid = fake_port();
	uint8_t key[40] = { 1 };
	struct vfn_eth_conf c;

	CU_ASSERT_EQUAL(vfn_eth_dev_configure(VFN_MAX_ETHPORTS - 1, 1, 1, NULL),
			-ENODEV);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 0, 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 1, 0, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, FAKE_MAX_Q + 1, 1, NULL),
			-EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 1, FAKE_MAX_Q + 1, NULL),
			-EINVAL);
	memset(&c, 0, sizeof(c));
	c.rxmode.mq_mode = VFN_ETH_MQ_RX_RSS;
	c.rx_adv_conf.rss_conf.rss_hf = VFN_ETH_RSS_UDP; /* unsupported */
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), -EINVAL);
	c.rx_adv_conf.rss_conf.rss_hf = VFN_ETH_RSS_IP;
	c.rx_adv_conf.rss_conf.rss_key = key;
	c.rx_adv_conf.rss_conf.rss_key_len = 39;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), -EINVAL);
	c.rx_adv_conf.rss_conf.rss_key_len = 40;
	c.rxmode.mq_mode = 7;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), -EINVAL);
	c.rxmode.mq_mode = VFN_ETH_MQ_RX_RSS;
	c.rxmode.offloads = VFN_ETH_RX_OFFLOAD_TCP_LRO;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), -EINVAL);
	c.rxmode.offloads = VFN_ETH_RX_OFFLOAD_VLAN_STRIP;
	c.txmode.offloads = VFN_ETH_TX_OFFLOAD_TCP_TSO;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), -EINVAL);
	c.txmode.offloads = 0;
	c.rxmode.mtu = 9001;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), -EINVAL);
	c.rxmode.mtu = 67;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), -EINVAL);
	CU_ASSERT_EQUAL(fdev.configured, 0);
	c.rxmode.mtu = 9000;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, &c), 0);
	CU_ASSERT_EQUAL(fdev.configured, 1);
	/* The key was copied: changing the caller's buffer changes nothing. */
	key[0] = 99;
	{
		uint8_t got[40];
		struct vfn_eth_rss_conf rc = { got, 0, 0 };
		uint16_t mtu;

		CU_ASSERT_EQUAL(vfn_eth_dev_rss_hash_conf_get(pid, &rc), 0);
		CU_ASSERT_EQUAL(rc.rss_hf, VFN_ETH_RSS_IP);
		CU_ASSERT_EQUAL(rc.rss_key_len, 40);
		CU_ASSERT_EQUAL(got[0], 1);
		CU_ASSERT_EQUAL(vfn_eth_dev_get_mtu(pid, &mtu), 0);
		CU_ASSERT_EQUAL(mtu, 9000);
	}
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
}

static void test_queue_setup_errors(void)
{
	uint16_t pid = fake_port();
	struct vfn_eth_rxconf rxc = { 0 };

	/* Before configure: wrong order. */
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 128, -1, NULL,
						fake_pool()), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 0, 128, -1, NULL), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 2, 128, -1, NULL,
						fake_pool()), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 2, 128, -1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 32, -1, NULL,
						fake_pool()), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 4128, -1, NULL,
						fake_pool()), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 100, -1, NULL,
						fake_pool()), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 0, 65, -1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 128, -1, NULL, NULL),
			-EINVAL);
	rxc.offloads = VFN_ETH_RX_OFFLOAD_SCATTER;
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 128, -1, &rxc,
						fake_pool()), -EINVAL);
	/* 0 descriptors = the driver's default. */
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 0, -1, NULL,
						fake_pool()), 0);
	CU_ASSERT_EQUAL(fdev.rxq[0].nb_desc, 256);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 0, 0, -1, NULL), 0);
	CU_ASSERT_EQUAL(fdev.txq[0].nb_desc, 512);
	/* Queue 1 not set up: start refuses and names it. */
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), -EPERM);
	CU_ASSERT_EQUAL(fdev.started, 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 1, 4096, -1, NULL,
						fake_pool()), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 1, 64, -1, NULL), 0);
	/* A queue set up twice is released once in between. */
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 1, 64, -1, NULL), 0);
	CU_ASSERT_EQUAL(fdev.tx_released, 1);
	fdev.fail_start = 1;
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), -EIO);
	CU_ASSERT_EQUAL(vfn_eth_dev_is_started(pid), 0);
	fdev.fail_start = 0;
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_is_started(pid), 1);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0); /* no-op */
	CU_ASSERT_EQUAL(fdev.started, 1);
	/* Started: reconfiguration and set-up are refused. */
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 1, 1, NULL), -EBUSY);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 128, -1, NULL,
						fake_pool()), -EBUSY);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 0, 128, -1, NULL), -EBUSY);
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(pid), 0); /* no-op */
	CU_ASSERT_EQUAL(fdev.stopped, 1);
	/* Reconfiguring releases every queue. */
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 1, 1, NULL), 0);
	CU_ASSERT_EQUAL(fdev.rx_released, 2);
	CU_ASSERT_EQUAL(fdev.tx_released, 3);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	CU_ASSERT_EQUAL(fdev.closed, 1);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), -ENODEV);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), -ENODEV);
}

static void test_burst_path(void)
{
	uint16_t pid = fake_port();
	struct vfn_mbuf *pkts[32];

	setup_all(pid, 2);
	/* Not started: the dummies move nothing and count nothing. */
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 1, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 5), 5);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 1, pkts, 10), 5);
	CU_ASSERT_EQUAL(fdev.rxq[0].stats.packets, 32);
	CU_ASSERT_EQUAL(fdev.rxq[1].stats.packets, 5);
	CU_ASSERT_EQUAL(fdev.txq[1].stats.packets, 5);
	/* Queues past the configured count stay dummies. */
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 2, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 0);
	CU_ASSERT_EQUAL(fdev.rxq[0].stats.packets, 32);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	/* Closed: still dummies, never the freed queue. */
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 0);
}

static void test_stats(void)
{
	uint16_t pid = fake_port();
	struct vfn_mbuf *pkts[32];
	struct vfn_eth_stats st;
	struct vfn_eth_xstat_name *names;
	struct vfn_eth_xstat *xs;
	uint64_t v;
	int n, i, found = 0;

	setup_all(pid, 2);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0);
	vfn_eth_rx_burst(pid, 0, pkts, 32);
	vfn_eth_rx_burst(pid, 1, pkts, 8);
	vfn_eth_tx_burst(pid, 0, pkts, 20); /* 10 sent, 10 errors */
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.ipackets, 40);
	CU_ASSERT_EQUAL(st.ibytes, 4000);
	CU_ASSERT_EQUAL(st.opackets, 10);
	CU_ASSERT_EQUAL(st.obytes, 600);
	CU_ASSERT_EQUAL(st.oerrors, 10);
	CU_ASSERT_EQUAL(st.imissed, 7);
	CU_ASSERT_EQUAL(st.q_ipackets[0], 32);
	CU_ASSERT_EQUAL(st.q_ipackets[1], 8);
	CU_ASSERT_EQUAL(st.q_opackets[0], 10);
	CU_ASSERT_EQUAL(st.q_ibytes[1], 800);

	n = vfn_eth_xstats_get_names(pid, NULL, 0);
	/* 8 port-wide + 2 rx queues x 3 + 2 tx queues x 2 + 1 driver. */
	CU_ASSERT_EQUAL(n, 8 + 6 + 4 + 1);
	names = calloc(n, sizeof(*names));
	xs = calloc(n, sizeof(*xs));
	CU_ASSERT_EQUAL(vfn_eth_xstats_get_names(pid, names, n - 1), n);
	CU_ASSERT_EQUAL(vfn_eth_xstats_get_names(pid, names, n), n);
	CU_ASSERT_EQUAL(vfn_eth_xstats_get(pid, xs, n), n);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(xs[i].id, (uint64_t)i);
		if (!strcmp(names[i].name, "rx_q1_packets")) {
			CU_ASSERT_EQUAL(xs[i].value, 8);
			found++;
		}
		if (!strcmp(names[i].name, "fake_magic")) {
			CU_ASSERT_EQUAL(xs[i].value, 4242);
			found++;
		}
	}
	CU_ASSERT_EQUAL(found, 2);
	free(names);
	free(xs);
	CU_ASSERT_EQUAL(vfn_eth_xstats_get_by_name(pid, "tx_errors", &v), 0);
	CU_ASSERT_EQUAL(v, 10);
	CU_ASSERT_EQUAL(vfn_eth_xstats_get_by_name(pid, "rx_good_bytes", &v),
			0);
	CU_ASSERT_EQUAL(v, 4000);
	CU_ASSERT_EQUAL(vfn_eth_xstats_get_by_name(pid, "no_such", &v),
			-ENOENT);

	/* Reset by baseline: the driver's counters keep running. */
	CU_ASSERT_EQUAL(vfn_eth_stats_reset(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.ipackets, 0);
	CU_ASSERT_EQUAL(st.oerrors, 0);
	CU_ASSERT_EQUAL(fdev.rxq[0].stats.packets, 32);
	vfn_eth_rx_burst(pid, 0, pkts, 3);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.ipackets, 3);
	CU_ASSERT_EQUAL(st.q_ipackets[0], 3);

	/* Released queues keep counting in the totals until a reset. */
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 1, 1, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.ipackets, 3);
	CU_ASSERT_EQUAL(st.q_ipackets[0], 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_reset(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.ipackets, 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
}

static void test_control(void)
{
	uint16_t pid = fake_port();
	struct vfn_ether_addr mac, bad = { { 0x01, 0, 0, 0, 0, 1 } };
	struct vfn_eth_dev_info info;
	struct vfn_eth_link link;
	char buf[64];

	CU_ASSERT_EQUAL(vfn_eth_dev_info_get(pid, &info), 0);
	CU_ASSERT_STRING_EQUAL(info.driver_name, "net_fake");
	CU_ASSERT_STRING_EQUAL(info.name, "fake0");
	CU_ASSERT_EQUAL(info.max_rx_queues, FAKE_MAX_Q);
	CU_ASSERT_EQUAL(info.rx_desc_lim.nb_align, 32);
	CU_ASSERT_EQUAL(info.mac_addr.addr_bytes[5], 1);
	CU_ASSERT_EQUAL(info.link_speed, 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_info_get(pid, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_info_get(VFN_MAX_ETHPORTS, &info), -ENODEV);
	CU_ASSERT_EQUAL(info.default_rxportconf.ring_size, 256);

	/* DPDK's adjust: round up to nb_align, cap at nb_max, raise to nb_min */
	{
		uint16_t rx = 1, tx = 100;

		CU_ASSERT_EQUAL(vfn_eth_dev_adjust_nb_rx_tx_desc(pid, &rx, &tx), 0);
		CU_ASSERT_EQUAL(rx, 64);
		CU_ASSERT_EQUAL(tx, 128);
		rx = 5000;
		CU_ASSERT_EQUAL(vfn_eth_dev_adjust_nb_rx_tx_desc(pid, &rx, NULL), 0);
		CU_ASSERT_EQUAL(rx, 4096);
		CU_ASSERT_EQUAL(vfn_eth_dev_adjust_nb_rx_tx_desc(VFN_MAX_ETHPORTS,
								 &rx, &tx), -ENODEV);
	}

	CU_ASSERT_EQUAL(vfn_eth_promiscuous_get(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_promiscuous_enable(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_promiscuous_get(pid), 1);
	CU_ASSERT_EQUAL(fdev.promisc, 1);
	CU_ASSERT_EQUAL(vfn_eth_promiscuous_disable(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_promiscuous_get(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_allmulticast_enable(pid), -ENOTSUP);
	CU_ASSERT_EQUAL(vfn_eth_allmulticast_get(pid), 0);

	CU_ASSERT_EQUAL(vfn_eth_dev_default_mac_addr_set(pid, &bad), -EINVAL);
	mac = bad;
	mac.addr_bytes[0] = 0x02;
	CU_ASSERT_EQUAL(vfn_eth_dev_default_mac_addr_set(pid, &mac), -ENOTSUP);

	CU_ASSERT_EQUAL(vfn_eth_dev_set_mtu(pid, 9001), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_set_mtu(pid, 4000), 0);
	CU_ASSERT_EQUAL(fdev.mtu, 4000);

	CU_ASSERT_EQUAL(vfn_eth_link_get_nowait(pid, &link), 0);
	CU_ASSERT_EQUAL(link.link_status, VFN_ETH_LINK_DOWN);
	CU_ASSERT(vfn_eth_link_to_str(buf, sizeof(buf), &link) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "Link down");
	setup_all(pid, 1);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_link_get(pid, &link), 0);
	CU_ASSERT_EQUAL(link.link_status, VFN_ETH_LINK_UP);
	CU_ASSERT_EQUAL(link.link_speed, VFN_ETH_SPEED_NUM_10G);
	vfn_eth_link_to_str(buf, sizeof(buf), &link);
	CU_ASSERT_STRING_EQUAL(buf, "Link up at 10 Gbps FDX Fixed");
	CU_ASSERT_EQUAL(vfn_eth_dev_info_get(pid, &info), 0);
	CU_ASSERT_EQUAL(info.link_speed, 10000);
	CU_ASSERT_EQUAL(info.nb_rx_queues, 1);
	/* close stops a started port first */
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	CU_ASSERT_EQUAL(fdev.stopped, 1);
	CU_ASSERT_EQUAL(fdev.rx_released, 1);
}

static void test_queue_start_stop(void)
{
	uint16_t pid = fake_port();
	struct vfn_eth_rxconf rxd = { .rx_deferred_start = 1 };
	struct vfn_eth_txconf txd = { .tx_deferred_start = 1 };
	struct vfn_eth_dev_ops noq = fake_ops;
	struct vfn_mbuf *pkts[32];

	fake_qstarts = fake_qstops = 0;
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 2, 2, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 128, -1, NULL,
						fake_pool()), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 1, 128, -1, &rxd,
						fake_pool()), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 0, 128, -1, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 1, 128, -1, &txd), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_start(pid, 1), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0);
	/* Deferred queues stay stopped. */
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 1, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_start(pid, 1), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_start(pid, 1), 0); /* no-op */
	CU_ASSERT_EQUAL(vfn_eth_dev_tx_queue_start(pid, 1), 0);
	CU_ASSERT_EQUAL(fake_qstarts, 2);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 1, pkts, 32), 16);
	/* Stop one queue; the others keep going. */
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_stop(pid, 0), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_stop(pid, 0), 0); /* no-op */
	CU_ASSERT_EQUAL(fake_qstops, 1);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_start(pid, 2), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_tx_queue_stop(pid, 7), -EINVAL);
	/* A stop the driver refuses leaves the queue running and started. */
	fake_qstop_err = -ENOTSUP;
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_stop(pid, 1), -ENOTSUP);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_dev_tx_queue_stop(pid, 1), -ENOTSUP);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 1, pkts, 32), 16);
	fake_qstop_err = 0;
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_stop(pid, 1), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_start(pid, 1), 0);
	/* A port restart starts every queue but the deferred ones. */
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_stop(pid, 0), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(pid), 0);
	/* A driver without per-queue ops: -ENOTSUP, with or without deferral. */
	noq.rx_queue_start = noq.rx_queue_stop = NULL;
	noq.tx_queue_start = noq.tx_queue_stop = NULL;
	vfn_eth_dev_get(pid)->ops = &noq;
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 1, 128, -1, &rxd,
						fake_pool()), -ENOTSUP);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 1, 128, -1, &txd),
			-ENOTSUP);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 1, 128, -1, NULL,
						fake_pool()), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(pid, 1, 128, -1, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_stop(pid, 1), -ENOTSUP);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
}

static void test_ether(void)
{
	struct vfn_ether_addr a;
	char buf[VFN_ETHER_ADDR_FMT_SIZE];

	CU_ASSERT_EQUAL(vfn_ether_unformat_addr("02:00:0a:0B:ff:10", &a), 0);
	vfn_ether_format_addr(buf, sizeof(buf), &a);
	CU_ASSERT_STRING_EQUAL(buf, "02:00:0A:0B:FF:10");
	snprintf(buf, sizeof(buf), VFN_ETHER_ADDR_PRT_FMT, VFN_ETHER_ADDR_BYTES(&a));
	CU_ASSERT_STRING_EQUAL(buf, "02:00:0A:0B:FF:10");
	CU_ASSERT_EQUAL(vfn_ether_unformat_addr("02-00-0a-0b-ff-10", &a), 0);
	CU_ASSERT_EQUAL(vfn_ether_unformat_addr("02:00:0a:0b:ff", &a), -EINVAL);
	CU_ASSERT_EQUAL(vfn_ether_unformat_addr("02:00:0a:0b:ff:100", &a),
			-EINVAL);
	CU_ASSERT_EQUAL(vfn_ether_unformat_addr("02:00-0a:0b:ff:10", &a),
			-EINVAL);
	vfn_eth_random_addr(a.addr_bytes);
	CU_ASSERT(vfn_is_valid_assigned_ether_addr(&a));
	CU_ASSERT(a.addr_bytes[0] & 2);
}

static int args_cb(const char *key, const char *value, void *opaque)
{
	char *out = opaque;

	strcat(out, key);
	strcat(out, "=");
	strcat(out, value);
	strcat(out, ";");
	return strcmp(key, "stop") == 0 ? -E2BIG : 0;
}

static void test_args(void)
{
	static const char *const keys[] = { "size", "copy", "flag", "stop",
					    NULL };
	char out[128] = "";
	uint64_t v;

	CU_ASSERT_EQUAL(vfn_eth_dev_args_parse("size=64,copy=1,flag", keys,
					    args_cb, out), 0);
	CU_ASSERT_STRING_EQUAL(out, "size=64;copy=1;flag=;");
	out[0] = 0;
	CU_ASSERT_EQUAL(vfn_eth_dev_args_parse("size=64,bogus=1", keys, args_cb,
					    out), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_args_parse("stop=1,size=2", keys, args_cb,
					    out), -E2BIG);
	CU_ASSERT_EQUAL(vfn_eth_dev_args_parse(NULL, keys, args_cb, out), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_args_parse("=3", keys, args_cb, out), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_arg_uint("size", "0x40", 1, 100, &v), 0);
	CU_ASSERT_EQUAL(v, 64);
	CU_ASSERT_EQUAL(vfn_eth_dev_arg_uint("size", "101", 1, 100, &v), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_arg_uint("size", "-1", 0, 100, &v), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_arg_uint("size", "12x", 0, 100, &v), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_arg_uint("size", "", 0, 100, &v), -EINVAL);
}

/* A real mbuf pool: the port layer checks its size and data room. */
static struct vfn_mempool *fake_pool(void)
{
	static struct vfn_mempool *mp;

	if (!mp)
		mp = vfn_pktmbuf_pool_create("port_test", 4096, 0, 0, 2048,
					     VFN_SOCKET_ID_ANY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	return mp;
}

static const struct vfn_test_case port_cases[] = {
	{ "allocate: ids, names, limits", test_allocate },
	{ "configure: bad configurations", test_configure_errors },
	{ "queue set-up and call order", test_queue_setup_errors },
	{ "burst through per-queue pointers", test_burst_path },
	{ "stats, reset, xstats by name", test_stats },
	{ "info, filters, MAC, MTU, link", test_control },
	{ "per-queue start/stop, deferred start", test_queue_start_stop },
	{ "ethernet addresses", test_ether },
	{ "device arguments", test_args },
	{ NULL, NULL },
};

static const struct vfn_test_suite port_suite = {
	"port_api", NULL, NULL, port_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &port_suite, NULL };

	return vfn_cunit_main(suites);
}
