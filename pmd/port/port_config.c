/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port configuration and queue set-up: the generic checks every driver
 * gets (queue counts, descriptor limits, offloads, RSS, MTU, mempool
 * size, call order), then the driver's op.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "port_internal.h"

/* Fill @info from the port layer's defaults and the driver's info_get. */
int port_info_fill(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info);

static void *port_calloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

void port_rxq_release(struct vfn_eth_dev *port, uint16_t q)
{
	if (!port->rx_queues || q >= port->nb_rx_queues || !port->rx_queues[q])
		return;
	port_stats_queue_retire(port, 1, q);
	if (port->ops->rx_queue_release)
		port->ops->rx_queue_release(port, q);
	port->rx_queues[q] = NULL;
	port->rxq_stats[q] = NULL;
	port->rxq_pkt_burst[q] = NULL;
	port->rx_mempools[q] = NULL;
	port->rx_nb_desc[q] = 0;
	port->rx_deferred[q] = 0;
}

void port_txq_release(struct vfn_eth_dev *port, uint16_t q)
{
	if (!port->tx_queues || q >= port->nb_tx_queues || !port->tx_queues[q])
		return;
	port_stats_queue_retire(port, 0, q);
	if (port->ops->tx_queue_release)
		port->ops->tx_queue_release(port, q);
	port->tx_queues[q] = NULL;
	port->txq_stats[q] = NULL;
	port->txq_pkt_burst[q] = NULL;
	port->tx_nb_desc[q] = 0;
	port->tx_deferred[q] = 0;
}

void port_queues_free(struct vfn_eth_dev *port)
{
	uint16_t q;

	for (q = 0; q < port->nb_rx_queues; q++)
		port_rxq_release(port, q);
	for (q = 0; q < port->nb_tx_queues; q++)
		port_txq_release(port, q);
	free(port->rx_queues);
	free(port->rxq_pkt_burst);
	free(port->rxq_stats);
	free(port->rx_mempools);
	free(port->rx_nb_desc);
	free(port->st.rx_base);
	free(port->tx_queues);
	free(port->txq_pkt_burst);
	free(port->txq_stats);
	free(port->tx_nb_desc);
	free(port->st.tx_base);
	free(port->rx_deferred);
	free(port->tx_deferred);
	free(port->rxq_started);
	free(port->txq_started);
	free(port->rxq_intr_fd);
	free(port->rxq_intr_ev);
	port->rxq_intr_fd = NULL;
	port->rxq_intr_ev = NULL;
	port->rx_deferred = port->tx_deferred = NULL;
	port->rxq_started = port->txq_started = NULL;
	port->rx_queues = NULL;
	port->rxq_pkt_burst = NULL;
	port->rxq_stats = NULL;
	port->rx_mempools = NULL;
	port->rx_nb_desc = NULL;
	port->st.rx_base = NULL;
	port->tx_queues = NULL;
	port->txq_pkt_burst = NULL;
	port->txq_stats = NULL;
	port->tx_nb_desc = NULL;
	port->st.tx_base = NULL;
	port->nb_rx_queues = 0;
	port->nb_tx_queues = 0;
	port->configured = 0;
}

static int port_queues_alloc(struct vfn_eth_dev *port, uint16_t nrx, uint16_t ntx)
{
	port->rx_queues = port_calloc(nrx, sizeof(void *));
	port->rxq_pkt_burst = port_calloc(nrx, sizeof(vfn_eth_rx_burst_t));
	port->rxq_stats = port_calloc(nrx, sizeof(void *));
	port->rx_mempools = port_calloc(nrx, sizeof(void *));
	port->rx_nb_desc = port_calloc(nrx, sizeof(uint16_t));
	port->st.rx_base = port_calloc(nrx, sizeof(struct vfn_eth_qstats));
	port->tx_queues = port_calloc(ntx, sizeof(void *));
	port->txq_pkt_burst = port_calloc(ntx, sizeof(vfn_eth_tx_burst_t));
	port->txq_stats = port_calloc(ntx, sizeof(void *));
	port->tx_nb_desc = port_calloc(ntx, sizeof(uint16_t));
	port->st.tx_base = port_calloc(ntx, sizeof(struct vfn_eth_qstats));
	port->rx_deferred = port_calloc(nrx, 1);
	port->tx_deferred = port_calloc(ntx, 1);
	port->rxq_started = port_calloc(nrx, 1);
	port->txq_started = port_calloc(ntx, 1);
	port->rxq_intr_fd = port_calloc(nrx, sizeof(int));
	port->rxq_intr_ev = port_calloc(nrx, sizeof(struct vfn_epoll_event));
	port->nb_rx_queues = nrx;
	port->nb_tx_queues = ntx;
	if (!port->rx_queues || !port->rxq_pkt_burst || !port->rxq_stats ||
	    !port->rx_mempools || !port->rx_nb_desc || !port->st.rx_base ||
	    !port->tx_queues || !port->txq_pkt_burst || !port->txq_stats ||
	    !port->tx_nb_desc || !port->st.tx_base || !port->rx_deferred ||
	    !port->tx_deferred || !port->rxq_started || !port->txq_started ||
	    !port->rxq_intr_fd || !port->rxq_intr_ev) {
		port_queues_free(port);
		return -ENOMEM;
	}
	port_rxq_intr_reset(port);
	return 0;
}

static int check_rss(const struct vfn_eth_dev *port,
		     const struct vfn_eth_dev_info *info,
		     const struct vfn_eth_conf *conf)
{
	const struct vfn_eth_rss_conf *rss = &conf->rx_adv_conf.rss_conf;

	if (conf->rxmode.mq_mode == VFN_ETH_MQ_RX_NONE)
		return 0;
	if (conf->rxmode.mq_mode != VFN_ETH_MQ_RX_RSS) {
		PORT_LOG(ERR, "%s: unknown rx mq_mode %u: use "
			 "VFN_ETH_MQ_RX_NONE or VFN_ETH_MQ_RX_RSS",
			 port->name, conf->rxmode.mq_mode);
		return -EINVAL;
	}
	if (!info->flow_type_rss_offloads) {
		PORT_LOG(ERR, "%s: driver %s has no RSS: configure with "
			 "VFN_ETH_MQ_RX_NONE", port->name, info->driver_name);
		return -EINVAL;
	}
	if (rss->rss_hf & ~info->flow_type_rss_offloads) {
		PORT_LOG(ERR, "%s: RSS hash fields 0x%llx are not supported "
			 "(supported: 0x%llx)", port->name,
			 (unsigned long long)(rss->rss_hf &
					      ~info->flow_type_rss_offloads),
			 (unsigned long long)info->flow_type_rss_offloads);
		return -EINVAL;
	}
	if (rss->rss_key && (rss->rss_key_len != info->hash_key_size ||
			     rss->rss_key_len > VFN_ETH_RSS_KEY_MAX)) {
		PORT_LOG(ERR, "%s: RSS key of %u bytes: this port needs "
			 "exactly %u", port->name, rss->rss_key_len,
			 info->hash_key_size);
		return -EINVAL;
	}
	return 0;
}

static int check_offloads(const struct vfn_eth_dev *port, const char *what,
			  uint64_t asked, uint64_t capa)
{
	if (asked & ~capa) {
		PORT_LOG(ERR, "%s: %s offloads 0x%llx are not supported by "
			 "this port (supported: 0x%llx); check "
			 "vfn_eth_dev_info_get()", port->name, what,
			 (unsigned long long)(asked & ~capa),
			 (unsigned long long)capa);
		return -EINVAL;
	}
	return 0;
}

static int check_mtu(const struct vfn_eth_dev *port,
		     const struct vfn_eth_dev_info *info, uint32_t mtu)
{
	if (mtu < info->min_mtu || mtu > info->max_mtu) {
		PORT_LOG(ERR, "%s: MTU %u is out of range %u..%u", port->name,
			 mtu, info->min_mtu, info->max_mtu);
		return -EINVAL;
	}
	return 0;
}

int vfn_eth_dev_configure(uint16_t port_id, uint16_t nb_rx_queue,
		       uint16_t nb_tx_queue, const struct vfn_eth_conf *conf)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	static const struct vfn_eth_conf zero_conf;
	struct vfn_eth_dev_info info;
	struct vfn_eth_conf c;
	int ret;

	if (!port)
		return -ENODEV;
	if (port->started) {
		PORT_LOG(ERR, "%s: port is started: call vfn_eth_dev_stop() "
			 "before vfn_eth_dev_configure()", port->name);
		return -EBUSY;
	}
	ret = port_info_fill(port, &info);
	if (ret)
		return ret;
	if (nb_rx_queue < 1 || nb_rx_queue > info.max_rx_queues) {
		PORT_LOG(ERR, "%s: %u rx queues asked, this port has 1..%u",
			 port->name, nb_rx_queue, info.max_rx_queues);
		return -EINVAL;
	}
	if (nb_tx_queue < 1 || nb_tx_queue > info.max_tx_queues) {
		PORT_LOG(ERR, "%s: %u tx queues asked, this port has 1..%u",
			 port->name, nb_tx_queue, info.max_tx_queues);
		return -EINVAL;
	}
	c = conf ? *conf : zero_conf;
	if (!c.rxmode.mtu)
		c.rxmode.mtu = VFN_ETHER_MTU;
	ret = check_rss(port, &info, &c);
	if (!ret)
		ret = check_offloads(port, "rx", c.rxmode.offloads,
				     info.rx_offload_capa);
	if (!ret)
		ret = check_offloads(port, "tx", c.txmode.offloads,
				     info.tx_offload_capa);
	if (!ret)
		ret = check_mtu(port, &info, c.rxmode.mtu);
	if (ret)
		return ret;
	if (c.intr_conf.rxq && !port->ops->rx_queue_intr_enable) {
		PORT_LOG(ERR, "%s: driver %s has no rx interrupts: configure "
			 "without intr_conf.rxq", port->name, port->driver_name);
		return -ENOTSUP;
	}

	/* A new configuration starts with no queues set up. */
	port_queues_free(port);
	ret = port_queues_alloc(port, nb_rx_queue, nb_tx_queue);
	if (ret)
		return ret;
	if (c.rx_adv_conf.rss_conf.rss_key) {
		memcpy(port->rss_key_buf, c.rx_adv_conf.rss_conf.rss_key,
		       c.rx_adv_conf.rss_conf.rss_key_len);
		c.rx_adv_conf.rss_conf.rss_key = port->rss_key_buf;
	}
	port->conf = c;
	port->mtu = (uint16_t)c.rxmode.mtu;
	if (port->ops->configure) {
		ret = port->ops->configure(port);
		if (ret) {
			PORT_LOG(ERR, "%s: driver %s rejected the configuration: %s",
				 port->name, port->driver_name, strerror(-ret));
			port_queues_free(port);
			return ret;
		}
	}
	port->configured = 1;
	return 0;
}

static int check_queue_setup(struct vfn_eth_dev *port, const char *dir,
			     uint16_t q, uint16_t nb_queues)
{
	if (!port->configured) {
		PORT_LOG(ERR, "%s: %s queue set-up before configuration: call "
			 "vfn_eth_dev_configure() first", port->name, dir);
		return -EPERM;
	}
	if (port->started) {
		PORT_LOG(ERR, "%s: port is started: call vfn_eth_dev_stop() before "
			 "setting up %s queue %u", port->name, dir, q);
		return -EBUSY;
	}
	if (q >= nb_queues) {
		PORT_LOG(ERR, "%s: %s queue %u does not exist: the port is "
			 "configured with %u", port->name, dir, q, nb_queues);
		return -EINVAL;
	}
	return 0;
}

static int check_nb_desc(const struct vfn_eth_dev *port, const char *dir,
			 uint16_t nb_desc, const struct vfn_eth_desc_lim *lim)
{
	uint16_t align = lim->nb_align ? lim->nb_align : 1;

	if (nb_desc < lim->nb_min || nb_desc > lim->nb_max ||
	    nb_desc % align) {
		PORT_LOG(ERR, "%s: %u %s descriptors: this port needs %u..%u, "
			 "a multiple of %u", port->name, nb_desc, dir,
			 lim->nb_min, lim->nb_max, align);
		return -EINVAL;
	}
	return 0;
}

int vfn_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id,
			    uint16_t nb_rx_desc, int socket_id,
			    const struct vfn_eth_rxconf *rx_conf,
			    struct vfn_mempool *mb_pool)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	struct vfn_eth_dev_info info;
	struct vfn_eth_rxconf conf;
	int ret;

	if (!port)
		return -ENODEV;
	ret = check_queue_setup(port, "rx", rx_queue_id, port->nb_rx_queues);
	if (ret)
		return ret;
	if (!mb_pool) {
		PORT_LOG(ERR, "%s: rx queue %u needs a mempool (got NULL)",
			 port->name, rx_queue_id);
		return -EINVAL;
	}
	ret = port_info_fill(port, &info);
	if (ret)
		return ret;
	if (!nb_rx_desc)
		nb_rx_desc = info.default_rxportconf.ring_size;
	ret = check_nb_desc(port, "rx", nb_rx_desc, &info.rx_desc_lim);
	if (ret)
		return ret;
	ret = port_mempool_check(port, rx_queue_id, mb_pool, nb_rx_desc,
				 info.min_rx_bufsize);
	if (ret)
		return ret;
	conf = rx_conf ? *rx_conf : info.default_rxconf;
	ret = check_offloads(port, "rx queue",
			     conf.offloads | port->conf.rxmode.offloads,
			     info.rx_offload_capa);
	if (ret)
		return ret;
	if (conf.rx_deferred_start && !port->ops->rx_queue_start) {
		PORT_LOG(ERR, "%s: driver %s cannot start rx queues one by one: "
			 "set up rx queue %u without rx_deferred_start",
			 port->name, port->driver_name, rx_queue_id);
		return -ENOTSUP;
	}
	port_rxq_release(port, rx_queue_id);
	ret = port->ops->rx_queue_setup(port, rx_queue_id, nb_rx_desc,
					socket_id, &conf, mb_pool);
	if (ret) {
		PORT_LOG(ERR, "%s: driver %s failed to set up rx queue %u: %s",
			 port->name, port->driver_name, rx_queue_id,
			 strerror(-ret));
		port->rx_queues[rx_queue_id] = NULL;
		port->rxq_stats[rx_queue_id] = NULL;
		return ret;
	}
	if (!port->rx_queues[rx_queue_id]) {
		PORT_LOG(ERR, "%s: driver %s did not store rx queue %u "
			 "(driver bug)", port->name, port->driver_name,
			 rx_queue_id);
		return -EIO;
	}
	port->rx_mempools[rx_queue_id] = mb_pool;
	port->rx_nb_desc[rx_queue_id] = nb_rx_desc;
	port->rx_deferred[rx_queue_id] = conf.rx_deferred_start != 0;
	port_stats_queue_setup(port, 1, rx_queue_id);
	return 0;
}

int vfn_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id,
			    uint16_t nb_tx_desc, int socket_id,
			    const struct vfn_eth_txconf *tx_conf)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	struct vfn_eth_dev_info info;
	struct vfn_eth_txconf conf;
	int ret;

	if (!port)
		return -ENODEV;
	ret = check_queue_setup(port, "tx", tx_queue_id, port->nb_tx_queues);
	if (ret)
		return ret;
	ret = port_info_fill(port, &info);
	if (ret)
		return ret;
	if (!nb_tx_desc)
		nb_tx_desc = info.default_txportconf.ring_size;
	ret = check_nb_desc(port, "tx", nb_tx_desc, &info.tx_desc_lim);
	if (ret)
		return ret;
	conf = tx_conf ? *tx_conf : info.default_txconf;
	ret = check_offloads(port, "tx queue",
			     conf.offloads | port->conf.txmode.offloads,
			     info.tx_offload_capa);
	if (ret)
		return ret;
	if (conf.tx_deferred_start && !port->ops->tx_queue_start) {
		PORT_LOG(ERR, "%s: driver %s cannot start tx queues one by one: "
			 "set up tx queue %u without tx_deferred_start",
			 port->name, port->driver_name, tx_queue_id);
		return -ENOTSUP;
	}
	port_txq_release(port, tx_queue_id);
	ret = port->ops->tx_queue_setup(port, tx_queue_id, nb_tx_desc,
					socket_id, &conf);
	if (ret) {
		PORT_LOG(ERR, "%s: driver %s failed to set up tx queue %u: %s",
			 port->name, port->driver_name, tx_queue_id,
			 strerror(-ret));
		port->tx_queues[tx_queue_id] = NULL;
		port->txq_stats[tx_queue_id] = NULL;
		return ret;
	}
	if (!port->tx_queues[tx_queue_id]) {
		PORT_LOG(ERR, "%s: driver %s did not store tx queue %u "
			 "(driver bug)", port->name, port->driver_name,
			 tx_queue_id);
		return -EIO;
	}
	port->tx_nb_desc[tx_queue_id] = nb_tx_desc;
	port->tx_deferred[tx_queue_id] = conf.tx_deferred_start != 0;
	port_stats_queue_setup(port, 0, tx_queue_id);
	return 0;
}
