/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting and stopping single queues of a started port (DPDK's
 * rte_eth_dev_rx/tx_queue_start/stop): queues set up with deferred start,
 * or stopped and restarted while the rest of the port keeps running.
 */
#include <errno.h>
#include <string.h>

#include "port_internal.h"

static int queue_check(struct vfn_eth_dev *port, int is_rx, uint16_t q,
		       const char *func)
{
	uint16_t nb = is_rx ? port->nb_rx_queues : port->nb_tx_queues;
	void **queues = is_rx ? port->rx_queues : port->tx_queues;

	if (q >= nb || !queues[q]) {
		PORT_LOG(ERR, "%s: %s: %s queue %u is not set up (%u configured)",
			 port->name, func, is_rx ? "rx" : "tx", q, nb);
		return -EINVAL;
	}
	if (!port->started) {
		PORT_LOG(ERR, "%s: %s: the port is stopped: call "
			 "vfn_eth_dev_start() first", port->name, func);
		return -EPERM;
	}
	return 0;
}

static int queue_switch(uint16_t port_id, int is_rx, uint16_t q, int on,
			const char *func)
{
	struct vfn_eth_dev *port = port_lookup(port_id, func);
	int (*op)(struct vfn_eth_dev *, uint16_t);
	uint8_t started;
	int ret;

	if (!port)
		return -ENODEV;
	ret = queue_check(port, is_rx, q, func);
	if (ret)
		return ret;
	started = is_rx ? port->rxq_started[q] : port->txq_started[q];
	if (started == on)
		return 0;
	if (is_rx)
		op = on ? port->ops->rx_queue_start : port->ops->rx_queue_stop;
	else
		op = on ? port->ops->tx_queue_start : port->ops->tx_queue_stop;
	if (!op) {
		PORT_LOG(ERR, "%s: driver %s cannot %s single queues",
			 port->name, port->driver_name, on ? "start" : "stop");
		return -ENOTSUP;
	}
	if (on) {
		ret = op(port, q);
		if (ret) {
			PORT_LOG(ERR, "%s: %s queue %u: %s", port->name, func, q,
				 strerror(-ret));
			return ret;
		}
		port_fp_install_queue(port, is_rx, q);
		return 0;
	}
	/* Dummy first: no new burst reaches a queue the driver is stopping. */
	port_fp_reset_queue(port, is_rx, q);
	ret = op(port, q);
	if (ret) {
		/* The driver refused (virtio-net without VIRTIO_F_RING_RESET):
		 * the queue still runs, so its burst goes back. */
		port_fp_install_queue(port, is_rx, q);
		PORT_LOG(ERR, "%s: %s queue %u: %s", port->name, func, q,
			 strerror(-ret));
	}
	return ret;
}

int vfn_eth_dev_rx_queue_start(uint16_t port_id, uint16_t rx_queue_id)
{
	return queue_switch(port_id, 1, rx_queue_id, 1, __func__);
}

int vfn_eth_dev_rx_queue_stop(uint16_t port_id, uint16_t rx_queue_id)
{
	return queue_switch(port_id, 1, rx_queue_id, 0, __func__);
}

int vfn_eth_dev_tx_queue_start(uint16_t port_id, uint16_t tx_queue_id)
{
	return queue_switch(port_id, 0, tx_queue_id, 1, __func__);
}

int vfn_eth_dev_tx_queue_stop(uint16_t port_id, uint16_t tx_queue_id)
{
	return queue_switch(port_id, 0, tx_queue_id, 0, __func__);
}
