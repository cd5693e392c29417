/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring tests: ports over caller rings (cross-connected, loopback),
 * order and identity of mbufs, a full ring, the --vdev forms (DPDK's
 * default and nodeaction, vfnet's rx=/tx=), bad arguments, and close
 * draining the rings it created.
 */
#include <errno.h>
#include <string.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_ring.h"
#include "vfn_ethdev.h"
#include "vfn_eth_ring.h"
#include "vfn_vdev.h"
#include "vfn_cunit.h"

static struct vfn_mempool *mp;

static int suite_init(void)
{
	mp = vfn_pktmbuf_pool_create("ring_test", 1024, 0, 0, 2048,
				     VFN_SOCKET_ID_ANY);
	return mp ? 0 : -1;
}

static int suite_fini(void)
{
	vfn_mempool_free(mp);
	return 0;
}

static int port_of(const char *name)
{
	uint16_t id;

	if (vfn_eth_dev_get_port_by_name(name, &id))
		return -1;
	return id;
}

static int setup(int pid, uint16_t nq)
{
	uint16_t q;
	int ret = vfn_eth_dev_configure(pid, nq, nq, NULL);

	for (q = 0; !ret && q < nq; q++) {
		ret = vfn_eth_rx_queue_setup(pid, q, 0, -1, NULL, mp);
		if (!ret)
			ret = vfn_eth_tx_queue_setup(pid, q, 0, -1, NULL);
	}
	return ret ? ret : vfn_eth_dev_start(pid);
}

/* Send @n mbufs of increasing length from (a, qa) and receive them on (b, qb). */
static void pass(int a, uint16_t qa, int b, uint16_t qb, unsigned int n)
{
	struct vfn_mbuf *tx[32], *rx[32];
	unsigned int i, got;

	CU_ASSERT_FATAL(n <= 32);
	CU_ASSERT_EQUAL_FATAL(vfn_pktmbuf_alloc_bulk(mp, tx, n), 0);
	for (i = 0; i < n; i++)
		vfn_pktmbuf_append(tx[i], (uint16_t)(60 + i));
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(a, qa, tx, n), n);
	got = vfn_eth_rx_burst(b, qb, rx, 32);
	CU_ASSERT_EQUAL(got, n);
	for (i = 0; i < got && i < n; i++) {
		CU_ASSERT_PTR_EQUAL(rx[i], tx[i]);
		CU_ASSERT_EQUAL(rx[i]->pkt_len, 60 + i);
	}
	vfn_pktmbuf_free_bulk(rx, got);
}

static void test_from_rings(void)
{
	struct vfn_ring *r1 = vfn_ring_create("rt_ab", 64, -1, VFN_RING_F_SP_ENQ |
					      VFN_RING_F_SC_DEQ |
					      VFN_RING_F_EXACT_SZ);
	struct vfn_ring *r2 = vfn_ring_create("rt_ba", 64, -1, VFN_RING_F_SP_ENQ |
					      VFN_RING_F_SC_DEQ |
					      VFN_RING_F_EXACT_SZ);
	struct vfn_ring *none[1] = { NULL };
	struct vfn_mbuf *pkts[96];
	struct vfn_eth_stats st;
	int a, b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r2);
	CU_ASSERT_EQUAL(vfn_eth_from_rings("ra", &r2, 0, &r1, 1, -1), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_from_rings("ra", none, 1, &r1, 1, -1),
			-EINVAL);
	a = vfn_eth_from_rings("ra", &r2, 1, &r1, 1, -1);
	b = vfn_eth_from_rings("rb", &r1, 1, &r2, 1, -1);
	CU_ASSERT_FATAL(a >= 0 && b >= 0);
	CU_ASSERT_EQUAL(vfn_eth_from_rings("ra", &r2, 1, &r1, 1, -1), -EEXIST);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(a, 2, 1, NULL), -EINVAL);
	CU_ASSERT_EQUAL(setup(a, 1), 0);
	CU_ASSERT_EQUAL(setup(b, 1), 0);
	pass(a, 0, b, 0, 32);
	pass(b, 0, a, 0, 7);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(a, &st), 0);
	CU_ASSERT_EQUAL(st.opackets, 32);
	CU_ASSERT_EQUAL(st.ipackets, 7);
	CU_ASSERT_EQUAL(st.q_opackets[0], 32);
	CU_ASSERT_EQUAL(st.q_ipackets[0], 7);
	/* As DPDK's net_ring: packets only, no bytes (that would read every
	 * mbuf on the data path). */
	CU_ASSERT_EQUAL(st.obytes, 0);
	CU_ASSERT_EQUAL(st.ibytes, 0);
	CU_ASSERT_EQUAL(st.q_obytes[0], 0);
	CU_ASSERT_EQUAL(st.q_ibytes[0], 0);

	/* A full ring takes what fits; the rest stays the caller's. */
	CU_ASSERT_EQUAL_FATAL(vfn_pktmbuf_alloc_bulk(mp, pkts, 96), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(a, 0, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(a, 0, pkts + 32, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(a, 0, pkts + 64, 32), 0);
	CU_ASSERT_EQUAL(vfn_eth_stats_get(a, &st), 0);
	CU_ASSERT_EQUAL(st.opackets, 96);
	CU_ASSERT_EQUAL(st.obytes, 0);
	vfn_pktmbuf_free_bulk(pkts + 64, 32);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(b, 0, pkts, 32), 32);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(b, 0, pkts + 32, 64), 32);
	vfn_pktmbuf_free_bulk(pkts, 64);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);

	/* Caller-owned rings survive the ports. */
	CU_ASSERT_EQUAL(vfn_eth_dev_close(a), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(b), 0);
	CU_ASSERT_PTR_EQUAL(vfn_ring_lookup("rt_ab"), r1);
	vfn_ring_free(r1);
	vfn_ring_free(r2);
}

static void test_from_ring_loopback(void)
{
	struct vfn_ring *r = vfn_ring_create("rt_loop", 128, -1, 0);
	int p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	p = vfn_eth_from_ring(r);
	CU_ASSERT_FATAL(p >= 0);
	CU_ASSERT_EQUAL(setup(p, 1), 0);
	pass(p, 0, p, 0, 20);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(p), 0);
	vfn_ring_free(r);
}

static void test_vdev_cross(void)
{
	struct vfn_mbuf *pkts[8];
	int a, b;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_ring0", "rx=x,tx=y,queues=2"),
			      0);
	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_ring1",
					    "rx=y,tx=x,queues=2,size=4096"), 0);
	a = port_of("net_ring0");
	b = port_of("net_ring1");
	CU_ASSERT_EQUAL(setup(a, 2), 0);
	CU_ASSERT_EQUAL(setup(b, 2), 0);
	pass(a, 0, b, 0, 32);
	pass(a, 1, b, 1, 3);
	pass(b, 1, a, 1, 30);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(b, 0, pkts, 8), 0);
	/* Leave mbufs in flight: closing the creator drains them. */
	CU_ASSERT_EQUAL(vfn_pktmbuf_alloc_bulk(mp, pkts, 8), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(b, 0, pkts, 8), 8);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 8);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_ring1"), 0);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_ring0"), 0);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
	CU_ASSERT_PTR_NULL(vfn_ring_lookup("x_0"));
}

static void test_vdev_dpdk_forms(void)
{
	struct vfn_eth_dev_info info;
	int p, q;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_ring2", NULL), 0);
	p = port_of("net_ring2");
	CU_ASSERT_EQUAL(vfn_eth_dev_info_get(p, &info), 0);
	CU_ASSERT_EQUAL(info.max_rx_queues, 16);
	CU_ASSERT_STRING_EQUAL(info.driver_name, "net_ring");
	CU_ASSERT_PTR_NOT_NULL(vfn_ring_lookup("ETH_RXTX15_net_ring2"));
	CU_ASSERT_EQUAL(setup(p, 4), 0);
	pass(p, 3, p, 3, 5);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_ring2"), 0);
	CU_ASSERT_PTR_NULL(vfn_ring_lookup("ETH_RXTX15_net_ring2"));

	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring3", "nodeaction=foo:0:ATTACH"),
			-ENOENT);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring3", "nodeaction=foo:0:CREATE"),
			0);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring4", "nodeaction=foo:0:CREATE"),
			-ENOENT);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring4", "nodeaction=foo:0:ATTACH"),
			0);
	p = port_of("net_ring3");
	q = port_of("net_ring4");
	CU_ASSERT_EQUAL(setup(p, 1), 0);
	CU_ASSERT_EQUAL(setup(q, 1), 0);
	/* Both ports share ETH_RXTX0_foo: what one sends, the other gets. */
	pass(p, 0, q, 0, 9);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_ring4"), 0);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_ring3"), 0);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
}

/* Deferred start on a ring port: nothing moves until the queue starts. */
static void test_deferred_queue(void)
{
	struct vfn_eth_rxconf rxd = { .rx_deferred_start = 1 };
	struct vfn_mbuf *pkts[4];
	int p;

	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_ring6", "rx=dq,tx=dq"), 0);
	p = port_of("net_ring6");
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(p, 1, 1, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_queue_setup(p, 0, 0, -1, &rxd, mp), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_queue_setup(p, 0, 0, -1, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_start(p), 0);
	CU_ASSERT_EQUAL(vfn_pktmbuf_alloc_bulk(mp, pkts, 4), 0);
	CU_ASSERT_EQUAL(vfn_eth_tx_burst(p, 0, pkts, 4), 4);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(p, 0, pkts, 4), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_queue_start(p, 0), 0);
	CU_ASSERT_EQUAL(vfn_eth_rx_burst(p, 0, pkts, 4), 4);
	vfn_pktmbuf_free_bulk(pkts, 4);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_ring6"), 0);
	CU_ASSERT_EQUAL(vfn_mempool_in_use_count(mp), 0);
}

static void test_vdev_bad_args(void)
{
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring5", "rx=a"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring5", "rx=a,tx=b,queues=17"),
			-EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring5", "rx=a,tx=b,size=1"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring5", "nodeaction=foo:0"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring5", "nodeaction=foo:0:EAT"),
			-EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring5",
				      "nodeaction=foo:0:CREATE,rx=a,tx=b"),
			-EINVAL);
	CU_ASSERT_EQUAL(vfn_vdev_init("net_ring5", "colour=red"), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_count_avail(), 0);
	CU_ASSERT_PTR_NULL(vfn_ring_lookup("a_0"));
}

static const struct vfn_test_case ring_cases[] = {
	{ "ports over caller rings, cross-connected", test_from_rings },
	{ "loopback over one ring", test_from_ring_loopback },
	{ "vdev rx=/tx= cross-connection", test_vdev_cross },
	{ "vdev DPDK forms (default, nodeaction)", test_vdev_dpdk_forms },
	{ "deferred rx queue start", test_deferred_queue },
	{ "vdev bad arguments", test_vdev_bad_args },
	{ NULL, NULL },
};

static const struct vfn_test_suite ring_suite = {
	"pmd_ring", suite_init, suite_fini, ring_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &ring_suite, NULL };

	return vfn_cunit_main(suites);
}
