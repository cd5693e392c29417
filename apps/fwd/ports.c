/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port selection, the mbuf pool, and port set-up/teardown for fwd.  Each
 * port set up has a state, as testpmd's port_status: stopped or started,
 * and "needs reconfiguring" after `port config` changed its queues (it is
 * then configured again at its next `port start`).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vfn_lcore.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "fwd.h"

enum port_state { PORT_UNUSED, PORT_STOPPED, PORT_STARTED };

static enum port_state port_state[VFN_MAX_ETHPORTS];
static uint8_t need_reconfig[VFN_MAX_ETHPORTS];

int fwd_port_is_setup(uint16_t p)
{
	return p < VFN_MAX_ETHPORTS && port_state[p] != PORT_UNUSED;
}

int fwd_port_is_started(uint16_t p)
{
	return p < VFN_MAX_ETHPORTS && port_state[p] == PORT_STARTED;
}

int fwd_ports_all_started(void)
{
	uint16_t p;

	for (p = 0; p < VFN_MAX_ETHPORTS; p++)
		if (port_state[p] == PORT_STOPPED)
			return 0;
	return 1;
}

int fwd_ports_all_stopped(void)
{
	uint16_t p;

	for (p = 0; p < VFN_MAX_ETHPORTS; p++)
		if (port_state[p] == PORT_STARTED)
			return 0;
	return 1;
}

void fwd_ports_need_reconfig(void)
{
	uint16_t p;

	for (p = 0; p < VFN_MAX_ETHPORTS; p++)
		need_reconfig[p] = port_state[p] != PORT_UNUSED;
}

/*
 * fwd_ports[]: the ports --portmask (`set portmask`) and --nb-ports pick;
 * with @p only_setup, among the ports set up.
 */
static int ports_select(int only_setup)
{
	uint16_t p;

	fwd_nb_ports = 0;
	VFN_ETH_FOREACH_DEV(p) {
		if (fwd_cfg.portmask && !(fwd_cfg.portmask >> p & 1))
			continue;
		if (only_setup && !fwd_port_is_setup(p))
			continue;
		if (fwd_cfg.nb_ports && fwd_nb_ports == fwd_cfg.nb_ports)
			break;
		fwd_ports[fwd_nb_ports++] = p;
	}
	if (!fwd_nb_ports) {
		fprintf(stderr, "fwd: no port to forward on: %u ports exist%s; "
			"add devices with --vdev (e.g. --vdev net_null0) or -a "
			"BDF\n", vfn_eth_dev_count_avail(),
			fwd_cfg.portmask ? " and --portmask selects none" : "");
		return -ENODEV;
	}
	return 0;
}

/* The ports to set up: the forwarding ports, or with -i all of them. */
static unsigned int ports_to_setup(uint16_t *ports)
{
	unsigned int n = 0;
	uint16_t p;

	if (!fwd_cfg.interactive) {
		memcpy(ports, fwd_ports, fwd_nb_ports * sizeof(ports[0]));
		return fwd_nb_ports;
	}
	VFN_ETH_FOREACH_DEV(p)
		ports[n++] = p;
	return n;
}

/*
 * Rings full, every lcore cache full, a burst in flight per stream.  The
 * prompt may raise the queue counts later (`port config`): the pool is
 * sized for 4 queues per port at least, as testpmd sizes its pool for the
 * largest rings; past that, --total-num-mbufs.
 */
static unsigned int pool_size(const uint16_t *ports, unsigned int nb)
{
	struct vfn_eth_dev_info info;
	unsigned int i, n = 0, rxq = fwd_cfg.nb_rxq, txq = fwd_cfg.nb_txq;

	if (fwd_cfg.total_num_mbufs)
		return fwd_cfg.total_num_mbufs;
	if (fwd_cfg.interactive) {
		rxq = rxq < 4 ? 4 : rxq;
		txq = txq < 4 ? 4 : txq;
	}
	for (i = 0; i < nb; i++) {
		uint16_t rxd = fwd_cfg.nb_rxd, txd = fwd_cfg.nb_txd;

		if (vfn_eth_dev_info_get(ports[i], &info) == 0) {
			if (!rxd)
				rxd = info.default_rxportconf.ring_size;
			if (!txd)
				txd = info.default_txportconf.ring_size;
		}
		n += (unsigned int)rxd * rxq + (unsigned int)txd * txq;
	}
	n += (fwd_nb_lcores_avail + 1) * fwd_cfg.mbcache * 2;
	n += nb * (rxq > txq ? rxq : txq) * FWD_MAX_BURST * FWD_MAX_SEGS;
	return n < 8192 ? 8192 : n;
}

static int pool_create(const uint16_t *ports, unsigned int nb)
{
	unsigned int n = pool_size(ports, nb);
	unsigned int socket = fwd_nb_lcores ?
		vfn_lcore_to_socket_id(fwd_lcores[0].lcore_id) : 0;

	fwd_pool = vfn_pktmbuf_pool_create("fwd_pool", n, fwd_cfg.mbcache, 0,
					   fwd_cfg.mbuf_data_size, (int)socket);
	if (!fwd_pool) {
		fprintf(stderr, "fwd: cannot create a pool of %u mbufs of %u "
			"bytes on socket %u: %s (reserve more memory, or lower "
			"--total-num-mbufs)\n", n, fwd_cfg.mbuf_data_size, socket,
			strerror(errno));
		return -ENOMEM;
	}
	printf("fwd: mbuf pool: %u mbufs of %u bytes, cache %u, socket %u\n",
	       n, fwd_cfg.mbuf_data_size, fwd_cfg.mbcache, socket);
	return 0;
}

/* Configure a stopped port and set up its queues, from fwd_cfg. */
static int port_configure(uint16_t p)
{
	struct vfn_eth_conf conf;
	struct vfn_eth_dev_info info;
	uint16_t q;
	int ret;

	ret = vfn_eth_dev_info_get(p, &info);
	if (ret)
		return ret;
	memset(&conf, 0, sizeof(conf));
	if (fwd_cfg.nb_rxq > 1 && info.flow_type_rss_offloads &&
	    !fwd_cfg.disable_rss) {
		conf.rxmode.mq_mode = VFN_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (fwd_cfg.rss_hf ?
			fwd_cfg.rss_hf : VFN_ETH_RSS_IP) &
			info.flow_type_rss_offloads;
	}
	if (fwd_cfg.max_pkt_len)
		conf.rxmode.mtu = fwd_cfg.max_pkt_len - VFN_ETHER_HDR_LEN -
				  VFN_ETHER_CRC_LEN;
	conf.intr_conf.rxq = (uint16_t)fwd_cfg.rx_intr;
	/* Link changes: the device's interrupt, or the port layer's polling. */
	conf.intr_conf.lsc = !fwd_cfg.no_lsc_interrupt;
	ret = vfn_eth_dev_configure(p, fwd_cfg.nb_rxq, fwd_cfg.nb_txq, &conf);
	if (ret == -ENOTSUP && fwd_cfg.rx_intr) {
		fprintf(stderr, "fwd: port %u: driver %s has no rx interrupts: "
			"run without --rx-intr\n", p, info.driver_name);
		return ret;
	}
	if (ret) {
		fprintf(stderr, "fwd: port %u: configure with %u rx / %u tx "
			"queues failed: %s (the port has at most %u / %u)\n", p,
			fwd_cfg.nb_rxq, fwd_cfg.nb_txq, strerror(-ret),
			info.max_rx_queues, info.max_tx_queues);
		return ret;
	}
	for (q = 0; q < fwd_cfg.nb_rxq; q++) {
		ret = vfn_eth_rx_queue_setup(p, q, fwd_cfg.nb_rxd,
					      info.socket_id, NULL, fwd_pool);
		if (ret) {
			fprintf(stderr, "fwd: port %u: rx queue %u set-up "
				"failed: %s\n", p, q, strerror(-ret));
			return ret;
		}
	}
	for (q = 0; q < fwd_cfg.nb_txq; q++) {
		ret = vfn_eth_tx_queue_setup(p, q, fwd_cfg.nb_txd,
					      info.socket_id, NULL);
		if (ret) {
			fprintf(stderr, "fwd: port %u: tx queue %u set-up "
				"failed: %s\n", p, q, strerror(-ret));
			return ret;
		}
	}
	ret = vfn_eth_promiscuous_enable(p);
	if (ret && ret != -ENOTSUP)
		fprintf(stderr, "fwd: port %u: promiscuous mode: %s\n", p,
			strerror(-ret));
	need_reconfig[p] = 0;
	if (port_state[p] == PORT_UNUSED)
		port_state[p] = PORT_STOPPED;
	return 0;
}

/* Start a port set up before, configuring it again if `port config` asked. */
int fwd_port_start(uint16_t p)
{
	struct vfn_eth_dev_info info;
	struct vfn_eth_link link;
	char mac[VFN_ETHER_ADDR_FMT_SIZE], lk[64];
	int ret;

	if (!fwd_port_is_setup(p))
		return -ENODEV;
	if (port_state[p] == PORT_STARTED)
		return 0;
	if (need_reconfig[p]) {
		printf("Configuring Port %u\n", p);
		ret = port_configure(p);
		if (ret)
			return ret;
	}
	ret = vfn_eth_dev_start(p);
	if (ret) {
		fprintf(stderr, "fwd: port %u: start failed: %s\n", p,
			strerror(-ret));
		return ret;
	}
	port_state[p] = PORT_STARTED;
	ret = vfn_eth_dev_info_get(p, &info);
	if (ret)
		return 0;
	vfn_eth_link_get_nowait(p, &link);
	vfn_eth_link_to_str(lk, sizeof(lk), &link);
	vfn_ether_format_addr(mac, sizeof(mac), &info.mac_addr);
	printf("fwd: port %u: %s %s (%s), %u rxq x %u desc, %u txq, %s\n", p,
	       info.name, mac, info.driver_name, fwd_cfg.nb_rxq,
	       fwd_cfg.nb_rxd ? fwd_cfg.nb_rxd : info.default_rxportconf.ring_size,
	       fwd_cfg.nb_txq, lk);
	return 0;
}

/* Stop a started port (no lcore may be forwarding on it). */
int fwd_port_stop(uint16_t p)
{
	int ret;

	if (!fwd_port_is_setup(p))
		return -ENODEV;
	if (port_state[p] == PORT_STOPPED)
		return 0;
	ret = vfn_eth_dev_stop(p);
	if (ret) {
		fprintf(stderr, "fwd: port %u: stop failed: %s\n", p,
			strerror(-ret));
		return ret;
	}
	port_state[p] = PORT_STOPPED;
	return 0;
}

int fwd_ports_select(void)
{
	return ports_select(1);
}

int fwd_ports_init(void)
{
	return ports_select(0);
}

/*
 * testpmd's eth_event_callback for LSC: one line per link change, printed
 * from the interrupt thread (the prompt's line may need a redraw after
 * it, as in testpmd).  The new state is in `show port info N`.
 */
static int lsc_event(uint16_t p, enum vfn_eth_event_type event, void *arg,
		     void *param)
{
	(void)event;
	(void)arg;
	(void)param;
	printf("\nPort %u: link state change event\n", p);
	fflush(stdout);
	return 0;
}

int fwd_ports_setup(void)
{
	uint16_t ports[VFN_MAX_ETHPORTS];
	unsigned int i, n = ports_to_setup(ports);
	int ret = pool_create(ports, n);

	if (!ret && !fwd_cfg.no_lsc_interrupt) {
		ret = vfn_eth_dev_callback_register(VFN_ETH_ALL,
				VFN_ETH_EVENT_INTR_LSC, lsc_event, NULL);
		if (ret)
			fprintf(stderr, "fwd: cannot register the link change "
				"callback: %s\n", strerror(-ret));
	}

	for (i = 0; !ret && i < n; i++) {
		ret = port_configure(ports[i]);
		if (!ret)
			ret = fwd_port_start(ports[i]);
	}
	return ret;
}

void fwd_ports_close(void)
{
	uint16_t p;

	VFN_ETH_FOREACH_DEV(p) {
		vfn_eth_dev_stop(p);
		vfn_eth_dev_close(p);
		port_state[p] = PORT_UNUSED;
	}
	if (!fwd_cfg.no_lsc_interrupt)
		vfn_eth_dev_callback_unregister(VFN_ETH_ALL,
				VFN_ETH_EVENT_INTR_LSC, lsc_event, NULL);
}
