/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_null tests: device arguments, generated mbufs (lengths, port,
 * reset fields, copy=1 contents), pool exhaustion and rx_nombuf, tx frees
 * everything, exact statistics, no-rx, and the mempool-too-small errors.
 */
#include <errno.h>
#include <string.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_ethdev.h"
#include "vfn_vdev.h"
#include "vfn_cunit.h"

static struct vfn_mempool *pool_create(const char *name, unsigned int n,
				       uint16_t room)
{
	struct vfn_mempool *mp = vfn_pktmbuf_pool_create(name, n, 0, 0, room,
							 VFN_SOCKET_ID_ANY);

	CU_ASSERT_PTR_NOT_NULL(mp);
	return mp;
}

static int port_of(const char *name)
{
	uint16_t id;

	if (vfn_eth_dev_get_port_by_name(name, &id))
		return -1;
	return id;
}

static int setup(uint16_t pid, uint16_t nq, struct vfn_mempool *mp)
{
	uint16_t q;
	int ret = vfn_eth_dev_configure(pid, nq, nq, NULL);

	for (q = 0; !ret && q < nq; q++) {
		ret = vfn_eth_rx_queue_setup(pid, q, 64, -1, NULL, mp);
		if (!ret)
			ret = vfn_eth_tx_queue_setup(pid, q, 64, -1, NULL);
	}
	return ret ? ret : vfn_eth_dev_start(pid);
}

static void test_args(void)
{
	CU_ASSERT_EQUAL(vfn_vdev_init("net_null0", "size=0"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_null0", "size=65536"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_null0", "copy=2"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_null0", "bogus=1"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_count_avail(), 0);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_null0", "size=100,copy=0,no-rx=0"),
			0);
	CU_ASSERT_EQUAL(vfn_eth_dev_count_avail(), 1);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_null0"), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_count_avail(), 0);
}

static void test_rx_tx(void)
{
	struct vfn_mempool *mp = pool_create("null_rxtx", 256, 2048);
	struct vfn_mbuf *pkts[32];
	struct vfn_eth_dev_info info;
	struct vfn_eth_link link;
	int pid, i;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null1", "size=100"), 0);
	pid = port_of("net_null1");
	CU_ASSERT_FATAL(pid >= 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_info_get(pid, &info), 0);
	CU_ASSERT_STRING_EQUAL(info.driver_name, "net_null");
	CU_ASSERT(vfn_is_valid_assigned_ether_addr(&info.mac_addr));
	CU_ASSERT_EQUAL(info.hash_key_size, 40);
	CU_ASSERT_EQUAL(setup(pid, 1, mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_link_get_nowait(pid, &link), 0);
	CU_ASSERT_EQUAL(link.link_status, VFN_ETH_LINK_UP);
	CU_ASSERT_EQUAL(link.link_speed, VFN_ETH_SPEED_NUM_10G);

	/* Dirty an mbuf's fields, free it, and see rx reset them. */
	pkts[0] = vfn_pktmbuf_alloc(mp);
	pkts[0]->ol_flags = VFN_MBUF_F_RX_VLAN;
	pkts[0]->vlan_tci = 7;
	pkts[0]->packet_type = 3;
	pkts[0]->data_off = 10;
	pkts[0]->tx_offload = 99;
	vfn_pktmbuf_free(pkts[0]);

	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 32);
	for (i = 0; i < 32; i++) {
		CU_ASSERT_EQUAL(pkts[i]->pkt_len, 100);
		CU_ASSERT_EQUAL(pkts[i]->data_len, 100);
		CU_ASSERT_EQUAL(pkts[i]->port, pid);
		CU_ASSERT_EQUAL(pkts[i]->nb_segs, 1);
		CU_ASSERT_PTR_NULL(pkts[i]->next);
		CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(pkts[i]), 1);
		CU_ASSERT_EQUAL(pkts[i]->data_off, VFN_PKTMBUF_HEADROOM);
		CU_ASSERT_EQUAL(pkts[i]->ol_flags, 0);
		CU_ASSERT_EQUAL(pkts[i]->vlan_tci, 0);
		CU_ASSERT_EQUAL(pkts[i]->packet_type, 0);
		CU_ASSERT_EQUAL(pkts[i]->tx_offload, 0);
		CU_ASSERT_PTR_EQUAL(pkts[i]->pool, mp);
	}
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 32);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 0, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_null1"), -ENODEV);
	vfn_mempool_free(mp);
}

static void test_copy(void)
{
	struct vfn_mempool *mp = pool_create("null_copy", 64, 2048);
	struct vfn_mbuf *pkts[8], *m;
	unsigned int i, j;
	int pid, zero = 1;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null2", "size=1500,copy=1"),
			      0);
	pid = port_of("net_null2");
	CU_ASSERT_EQUAL_FATAL(setup(pid, 1, mp), 0);
	/* Fill every mbuf with 0xaa; rx with copy=1 must overwrite it. */
	for (i = 0; i < 8; i++) {
		m = pkts[i] = vfn_pktmbuf_alloc(mp);
		memset(vfn_pktmbuf_mtod(m, void *), 0xaa, 1500);
	}
	vfn_pktmbuf_free_bulk(pkts, 8);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 8), 8);
	for (i = 0; i < 8; i++)
		for (j = 0; j < 1500; j++)
			zero &= (vfn_pktmbuf_mtod(pkts[i], uint8_t *))[j] == 0;
	CU_ASSERT(zero);
	/* tx copies out (reads at most data_len) and frees. */
	pkts[0]->data_len = 10;
	pkts[0]->pkt_len = 10;
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 0, pkts, 8), 8);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	vfn_mempool_free(mp);
}

static void test_exhaustion_and_stats(void)
{
	struct vfn_mempool *mp = pool_create("null_exh", 64, 2048);
	struct vfn_mbuf *a[32], *b[32], *c[32];
	struct vfn_eth_stats st;
	uint64_t v;
	int pid;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null3", "size=60"), 0);
	pid = port_of("net_null3");
	CU_ASSERT_EQUAL_FATAL(setup(pid, 2, mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, a, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, b, 32), 32);
	/* Pool empty: all-or-nothing, counted as rx_nombuf. */
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, c, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 1, c, 1), 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.ipackets, 64);
	CU_ASSERT_EQUAL(st.ibytes, 64 * 60);
	CU_ASSERT_EQUAL(st.q_ipackets[0], 32);
	CU_ASSERT_EQUAL(st.q_ipackets[1], 32);
	CU_ASSERT_EQUAL(st.rx_nombuf, 33);
	CU_ASSERT_EQUAL(st.opackets, 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 1, a, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 0, b, 20), 20);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 0, b + 20, 12), 12);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.opackets, 64);
	CU_ASSERT_EQUAL(st.obytes, 64 * 60);
	CU_ASSERT_EQUAL(st.q_opackets[0], 32);
	CU_ASSERT_EQUAL(st.q_opackets[1], 32);
	CU_ASSERT_EQUAL(vfn_eth_xstats_get_by_name(pid,
			"rx_mbuf_allocation_errors", &v), 0);
	CU_ASSERT_EQUAL(v, 33);
	CU_ASSERT_EQUAL(vfn_eth_xstats_get_by_name(pid, "tx_q1_bytes", &v), 0);
	CU_ASSERT_EQUAL(v, 32 * 60);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_reset(pid), 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(pid, &st), 0);
	CU_ASSERT_EQUAL(st.ipackets + st.opackets + st.rx_nombuf, 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	vfn_mempool_free(mp);
}

/* tx honours chains, shared mbufs and other pools like vfn_pktmbuf_free(). */
static void test_tx_free_semantics(void)
{
	struct vfn_mempool *mp = pool_create("null_free", 64, 2048);
	struct vfn_mempool *mp2 = pool_create("null_free2", 64, 2048);
	struct vfn_mbuf *pkts[4], *seg;
	int pid;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null7", ""), 0);
	pid = port_of("net_null7");
	CU_ASSERT_EQUAL_FATAL(setup(pid, 1, mp), 0);
	/* Plain burst of one pool: the fast bulk path. */
	CU_ASSERT_EQUAL(vfn_pktmbuf_alloc_bulk(mp, pkts, 4), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 0, pkts, 4), 4);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
	/* A chain, a shared mbuf, and an mbuf of another pool. */
	CU_ASSERT_EQUAL(vfn_pktmbuf_alloc_bulk(mp, pkts, 3), 0);
	seg = vfn_pktmbuf_alloc(mp);
	CU_ASSERT_EQUAL(vfn_pktmbuf_chain(pkts[0], seg), 0);
	vfn_pktmbuf_refcnt_update(pkts[1], 1);
	pkts[3] = vfn_pktmbuf_alloc(mp2);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 4);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 0, pkts, 4), 4);
	/* The shared one keeps its other reference. */
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 1);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(pkts[1]), 1);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp2), 0);
	vfn_pktmbuf_free(pkts[1]);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	vfn_mempool_free(mp);
	vfn_mempool_free(mp2);
}

static void test_no_rx(void)
{
	struct vfn_mempool *mp = pool_create("null_norx", 64, 2048);
	struct vfn_mbuf *pkts[4];
	int pid;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null4", "no-rx=1"), 0);
	pid = port_of("net_null4");
	CU_ASSERT_EQUAL_FATAL(setup(pid, 1, mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(pid, 0, pkts, 4), 0);
	CU_ASSERT_EQUAL(vfn_pktmbuf_alloc_bulk(mp, pkts, 4), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(pid, 0, pkts, 4), 4);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	vfn_mempool_free(mp);
}

static void test_pool_too_small(void)
{
	struct vfn_mempool *small = pool_create("null_small", 32, 2048);
	struct vfn_mempool *tiny = pool_create("null_tiny", 256, 512);
	int pid;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null5", "size=1000,copy=1"),
			      0);
	pid = port_of("net_null5");
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, 1, 1, NULL), 0);
	/* 64 descriptors cannot be fed from 32 mbufs. */
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 64, -1, NULL, small),
			-ENOBUFS);
	/* copy=1 writes 1000 bytes: 512 - 128 of data room is too little. */
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 64, -1, NULL, tiny),
			-ENOBUFS);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(pid, 0, 32, -1, NULL, small),
			0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	vfn_mempool_free(small);
	vfn_mempool_free(tiny);
}

static void test_multi_port_limits(void)
{
	struct vfn_mempool *mp = pool_create("null_lim", 2048, 2048);
	int pid;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null6", ""), 0);
	pid = port_of("net_null6");
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(pid, VFN_MAX_QUEUES_PER_PORT + 1, 1,
					   NULL), -EINVAL);
	CU_ASSERT_EQUAL(setup(pid, 16, mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(pid), 0);
	vfn_mempool_free(mp);
}

static const struct vfn_test_case null_cases[] = {
	{ "device arguments", test_args },
	{ "rx generates reset mbufs, tx frees", test_rx_tx },
	{ "copy=1 writes the template", test_copy },
	{ "pool exhaustion and exact stats", test_exhaustion_and_stats },
	{ "tx frees chains, shared mbufs, other pools", test_tx_free_semantics },
	{ "no-rx", test_no_rx },
	{ "mempool too small", test_pool_too_small },
	{ "queue limits", test_multi_port_limits },
	{ NULL, NULL },
};

static const struct vfn_test_suite null_suite = {
	"pmd_null", NULL, NULL, null_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &null_suite, NULL };

	return vfn_cunit_main(suites);
}
