/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port information and the control operations that do not change the
 * queue layout: receive filters, MAC address, MTU, link, RSS.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "port_internal.h"

/* Ring size used when neither the caller nor the driver says (DPDK's). */
#define PORT_FALLBACK_RING_SIZE 512

static uint16_t clamp_ring(uint16_t n, const struct vfn_eth_desc_lim *lim)
{
	if (n < lim->nb_min)
		n = lim->nb_min;
	if (n > lim->nb_max)
		n = lim->nb_max;
	return n;
}

int port_info_fill(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	int ret;

	memset(info, 0, sizeof(*info));
	info->driver_name = port->driver_name;
	snprintf(info->name, sizeof(info->name), "%s", port->name);
	info->socket_id = port->socket_id;
	info->mac_addr = port->mac_addr;
	info->link_speed = port->link.link_status ? port->link.link_speed : 0;
	info->min_mtu = VFN_ETHER_MIN_MTU;
	info->max_mtu = UINT16_MAX;
	info->max_rx_pktlen = UINT16_MAX;
	info->max_mac_addrs = 1;
	info->rx_desc_lim.nb_max = UINT16_MAX;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim.nb_max = UINT16_MAX;
	info->tx_desc_lim.nb_align = 1;
	if (!port->ops || !port->ops->info_get) {
		PORT_LOG(ERR, "%s: driver %s has no info_get (driver bug)",
			 port->name, port->driver_name);
		return -ENOTSUP;
	}
	ret = port->ops->info_get(port, info);
	if (ret) {
		PORT_LOG(ERR, "%s: driver %s info_get failed: %s", port->name,
			 port->driver_name, strerror(-ret));
		return ret;
	}
	if (!info->default_rxportconf.ring_size)
		info->default_rxportconf.ring_size = PORT_FALLBACK_RING_SIZE;
	if (!info->default_txportconf.ring_size)
		info->default_txportconf.ring_size = PORT_FALLBACK_RING_SIZE;
	info->default_rxportconf.ring_size = clamp_ring(info->default_rxportconf.ring_size,
						&info->rx_desc_lim);
	info->default_txportconf.ring_size = clamp_ring(info->default_txportconf.ring_size,
						&info->tx_desc_lim);
	info->nb_rx_queues = port->nb_rx_queues;
	info->nb_tx_queues = port->nb_tx_queues;
	info->dev_flags = &port->dev_flags;
	return 0;
}

int vfn_eth_dev_info_get(uint16_t port_id, struct vfn_eth_dev_info *info)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);

	if (!port)
		return -ENODEV;
	if (!info)
		return -EINVAL;
	return port_info_fill(port, info);
}

static void adjust_nb_desc(uint16_t *nb_desc,
			   const struct vfn_eth_desc_lim *lim)
{
	uint32_t n = *nb_desc;

	if (lim->nb_align)
		n = (n + lim->nb_align - 1) / lim->nb_align * lim->nb_align;
	if (lim->nb_max && n > lim->nb_max)
		n = lim->nb_max;
	if (n < lim->nb_min)
		n = lim->nb_min;
	*nb_desc = (uint16_t)n;
}

int vfn_eth_dev_adjust_nb_rx_tx_desc(uint16_t port_id, uint16_t *nb_rx_desc,
				     uint16_t *nb_tx_desc)
{
	struct vfn_eth_dev_info info;
	int ret = vfn_eth_dev_info_get(port_id, &info);

	if (ret)
		return ret;
	if (nb_rx_desc)
		adjust_nb_desc(nb_rx_desc, &info.rx_desc_lim);
	if (nb_tx_desc)
		adjust_nb_desc(nb_tx_desc, &info.tx_desc_lim);
	return 0;
}

enum rx_filter { FILTER_PROMISC, FILTER_ALLMULTI };

/* Switch a receive filter mode through the driver, then record it. */
static int rx_filter_set(uint16_t port_id, enum rx_filter which, int on,
			 const char *func)
{
	struct vfn_eth_dev *port = port_lookup(port_id, func);
	int (*op)(struct vfn_eth_dev *);
	int ret;

	if (!port)
		return -ENODEV;
	if (which == FILTER_PROMISC)
		op = on ? port->ops->promiscuous_enable :
			  port->ops->promiscuous_disable;
	else
		op = on ? port->ops->allmulticast_enable :
			  port->ops->allmulticast_disable;
	if (!op) {
		PORT_LOG(ERR, "%s: driver %s does not support %s", port->name,
			 port->driver_name, func);
		return -ENOTSUP;
	}
	ret = op(port);
	if (ret) {
		PORT_LOG(ERR, "%s: %s failed: %s", port->name, func,
			 strerror(-ret));
		return ret;
	}
	if (which == FILTER_PROMISC)
		port->promiscuous = (uint8_t)on;
	else
		port->all_multicast = (uint8_t)on;
	return 0;
}

int vfn_eth_promiscuous_enable(uint16_t port_id)
{
	return rx_filter_set(port_id, FILTER_PROMISC, 1, __func__);
}

int vfn_eth_promiscuous_disable(uint16_t port_id)
{
	return rx_filter_set(port_id, FILTER_PROMISC, 0, __func__);
}

int vfn_eth_allmulticast_enable(uint16_t port_id)
{
	return rx_filter_set(port_id, FILTER_ALLMULTI, 1, __func__);
}

int vfn_eth_allmulticast_disable(uint16_t port_id)
{
	return rx_filter_set(port_id, FILTER_ALLMULTI, 0, __func__);
}

int vfn_eth_promiscuous_get(uint16_t port_id)
{
	struct vfn_eth_dev *port = vfn_eth_dev_get(port_id);

	return port ? port->promiscuous : -ENODEV;
}

int vfn_eth_allmulticast_get(uint16_t port_id)
{
	struct vfn_eth_dev *port = vfn_eth_dev_get(port_id);

	return port ? port->all_multicast : -ENODEV;
}

int vfn_eth_macaddr_get(uint16_t port_id, struct vfn_ether_addr *mac)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);

	if (!port)
		return -ENODEV;
	if (!mac)
		return -EINVAL;
	*mac = port->mac_addr;
	return 0;
}

int vfn_eth_dev_default_mac_addr_set(uint16_t port_id,
				  const struct vfn_ether_addr *mac)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	int ret;

	if (!port)
		return -ENODEV;
	if (!mac || !vfn_is_valid_assigned_ether_addr(mac)) {
		PORT_LOG(ERR, "%s: a port MAC address must be unicast and not "
			 "zero", port->name);
		return -EINVAL;
	}
	if (!port->ops->mac_addr_set) {
		PORT_LOG(ERR, "%s: driver %s cannot change the MAC address",
			 port->name, port->driver_name);
		return -ENOTSUP;
	}
	ret = port->ops->mac_addr_set(port, mac);
	if (ret)
		return ret;
	port->mac_addr = *mac;
	return 0;
}

int vfn_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	struct vfn_eth_dev_info info;
	int ret;

	if (!port)
		return -ENODEV;
	ret = port_info_fill(port, &info);
	if (ret)
		return ret;
	if (mtu < info.min_mtu || mtu > info.max_mtu) {
		PORT_LOG(ERR, "%s: MTU %u is out of range %u..%u", port->name,
			 mtu, info.min_mtu, info.max_mtu);
		return -EINVAL;
	}
	if (!port->ops->mtu_set) {
		PORT_LOG(ERR, "%s: driver %s cannot change the MTU", port->name,
			 port->driver_name);
		return -ENOTSUP;
	}
	ret = port->ops->mtu_set(port, mtu);
	if (ret)
		return ret;
	port->mtu = mtu;
	port->conf.rxmode.mtu = mtu;
	return 0;
}

int vfn_eth_dev_get_mtu(uint16_t port_id, uint16_t *mtu)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);

	if (!port)
		return -ENODEV;
	if (!mtu)
		return -EINVAL;
	*mtu = port->mtu;
	return 0;
}

static int port_link(uint16_t port_id, struct vfn_eth_link *link, int wait,
		     const char *func)
{
	struct vfn_eth_dev *port = port_lookup(port_id, func);
	int ret;

	if (!port)
		return -ENODEV;
	if (!link)
		return -EINVAL;
	if (port->ops->link_update) {
		ret = port->ops->link_update(port, wait);
		if (ret < 0)
			return ret;
	}
	*link = port->link;
	return 0;
}

int vfn_eth_link_get_nowait(uint16_t port_id, struct vfn_eth_link *link)
{
	return port_link(port_id, link, 0, __func__);
}

int vfn_eth_link_get(uint16_t port_id, struct vfn_eth_link *link)
{
	/* Poll every 100 ms for up to 9 s, as DPDK's applications do. */
	const struct timespec step = { 0, 100 * 1000 * 1000 };
	int i, ret;

	for (i = 0; i < 90; i++) {
		ret = port_link(port_id, link, 1, __func__);
		if (ret || link->link_status == VFN_ETH_LINK_UP)
			return ret;
		nanosleep(&step, NULL);
	}
	return 0;
}

int vfn_eth_link_to_str(char *buf, size_t len, const struct vfn_eth_link *link)
{
	int n;

	if (!buf || !len || !link)
		return -EINVAL;
	if (!link->link_status)
		n = snprintf(buf, len, "Link down");
	else if (link->link_speed == VFN_ETH_SPEED_NUM_UNKNOWN ||
		 link->link_speed == VFN_ETH_SPEED_NUM_NONE)
		n = snprintf(buf, len, "Link up at Unknown %s %s",
			     link->link_duplex ? "FDX" : "HDX",
			     link->link_autoneg ? "Autoneg" : "Fixed");
	else
		n = snprintf(buf, len, "Link up at %u %s %s %s",
			     link->link_speed >= 1000 ?
				link->link_speed / 1000 : link->link_speed,
			     link->link_speed >= 1000 ? "Gbps" : "Mbps",
			     link->link_duplex ? "FDX" : "HDX",
			     link->link_autoneg ? "Autoneg" : "Fixed");
	return n < 0 || (size_t)n >= len ? -EINVAL : n;
}

int vfn_eth_dev_rss_hash_update(uint16_t port_id,
			     struct vfn_eth_rss_conf *rss_conf)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	struct vfn_eth_dev_info info;
	int ret;

	if (!port)
		return -ENODEV;
	if (!rss_conf)
		return -EINVAL;
	ret = port_info_fill(port, &info);
	if (ret)
		return ret;
	if (!info.flow_type_rss_offloads || !port->ops->rss_hash_update) {
		PORT_LOG(ERR, "%s: driver %s has no RSS", port->name,
			 port->driver_name);
		return -ENOTSUP;
	}
	if (rss_conf->rss_hf & ~info.flow_type_rss_offloads) {
		PORT_LOG(ERR, "%s: RSS hash fields 0x%llx are not supported",
			 port->name, (unsigned long long)(rss_conf->rss_hf &
					~info.flow_type_rss_offloads));
		return -EINVAL;
	}
	if (rss_conf->rss_key && rss_conf->rss_key_len != info.hash_key_size) {
		PORT_LOG(ERR, "%s: RSS key of %u bytes: this port needs %u",
			 port->name, rss_conf->rss_key_len, info.hash_key_size);
		return -EINVAL;
	}
	ret = port->ops->rss_hash_update(port, rss_conf);
	if (ret)
		return ret;
	port->conf.rx_adv_conf.rss_conf.rss_hf = rss_conf->rss_hf;
	if (rss_conf->rss_key) {
		memcpy(port->rss_key_buf, rss_conf->rss_key,
		       rss_conf->rss_key_len);
		port->conf.rx_adv_conf.rss_conf.rss_key = port->rss_key_buf;
		port->conf.rx_adv_conf.rss_conf.rss_key_len =
			rss_conf->rss_key_len;
	}
	return 0;
}

int vfn_eth_dev_rss_hash_conf_get(uint16_t port_id,
			       struct vfn_eth_rss_conf *rss_conf)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	const struct vfn_eth_rss_conf *cur;

	if (!port)
		return -ENODEV;
	if (!rss_conf)
		return -EINVAL;
	cur = &port->conf.rx_adv_conf.rss_conf;
	rss_conf->rss_hf = cur->rss_hf;
	if (rss_conf->rss_key && cur->rss_key) {
		memcpy(rss_conf->rss_key, cur->rss_key, cur->rss_key_len);
		rss_conf->rss_key_len = cur->rss_key_len;
	} else if (rss_conf->rss_key) {
		rss_conf->rss_key_len = 0;
	}
	return 0;
}
