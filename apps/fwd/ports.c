/* SPDX-License-Identifier: BSD-3-Clause */
/* Port selection, the mbuf pool, and port set-up/teardown for fwd. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vfn_lcore.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "fwd.h"

static int ports_select(void)
{
	uint16_t p;

	fwd_nb_ports = 0;
	VFN_ETH_FOREACH_DEV(p) {
		if (fwd_cfg.portmask && !(fwd_cfg.portmask >> p & 1))
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

static unsigned int pool_size(void)
{
	struct vfn_eth_dev_info info;
	unsigned int i, n = 0;

	if (fwd_cfg.total_num_mbufs)
		return fwd_cfg.total_num_mbufs;
	for (i = 0; i < fwd_nb_ports; i++) {
		uint16_t rxd = fwd_cfg.nb_rxd, txd = fwd_cfg.nb_txd;

		if (vfn_eth_dev_info_get(fwd_ports[i], &info) == 0) {
			if (!rxd)
				rxd = info.default_rxportconf.ring_size;
			if (!txd)
				txd = info.default_txportconf.ring_size;
		}
		n += (unsigned int)rxd * fwd_cfg.nb_rxq +
		     (unsigned int)txd * fwd_cfg.nb_txq;
	}
	/* Rings full, every lcore cache full, a burst in flight per stream. */
	n += (fwd_nb_lcores + 1) * fwd_cfg.mbcache * 2;
	n += fwd_nb_ports * (fwd_cfg.nb_rxq > fwd_cfg.nb_txq ? fwd_cfg.nb_rxq :
			     fwd_cfg.nb_txq) * FWD_MAX_BURST * FWD_MAX_SEGS;
	return n < 8192 ? 8192 : n;
}

static int pool_create(void)
{
	unsigned int n = pool_size();
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

static int port_setup(uint16_t p)
{
	struct vfn_eth_conf conf;
	struct vfn_eth_dev_info info;
	struct vfn_eth_link link;
	char mac[VFN_ETHER_ADDR_FMT_SIZE], lk[64];
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
	ret = vfn_eth_dev_start(p);
	if (ret) {
		fprintf(stderr, "fwd: port %u: start failed: %s\n", p,
			strerror(-ret));
		return ret;
	}
	vfn_eth_link_get_nowait(p, &link);
	vfn_eth_link_to_str(lk, sizeof(lk), &link);
	vfn_ether_format_addr(mac, sizeof(mac), &info.mac_addr);
	printf("fwd: port %u: %s %s (%s), %u rxq x %u desc, %u txq, %s\n", p,
	       info.name, mac, info.driver_name, fwd_cfg.nb_rxq,
	       fwd_cfg.nb_rxd ? fwd_cfg.nb_rxd : info.default_rxportconf.ring_size,
	       fwd_cfg.nb_txq, lk);
	return 0;
}

int fwd_ports_init(void)
{
	return ports_select();
}

int fwd_ports_setup(void)
{
	unsigned int i;
	int ret = pool_create();

	for (i = 0; !ret && i < fwd_nb_ports; i++)
		ret = port_setup(fwd_ports[i]);
	return ret;
}

void fwd_ports_close(void)
{
	uint16_t p;

	VFN_ETH_FOREACH_DEV(p) {
		vfn_eth_dev_stop(p);
		vfn_eth_dev_close(p);
	}
}
