/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rx interrupt mode (DPDK's rte_eth_dev_rx_intr_*): arming a queue's
 * interrupt through the driver, and putting the queue's eventfd in an
 * epoll set that the lcore sleeps on with vfn_epoll_wait().
 *
 * The driver fills port->rxq_intr_fd[q] when it starts a port configured
 * with intr_conf.rxq; the registrations live in port->rxq_intr_ev[q] so
 * that vfn_epoll_wait() can hand back the application's data.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "port_internal.h"

/* vfn_epoll_wait() runs this for a ready queue: clear its eventfd. */
static void rxq_intr_drain(int fd, void *arg)
{
	uint64_t v;

	(void)arg;
	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		;
}

static struct vfn_eth_dev *rxq_intr_port(uint16_t port_id, uint16_t q,
					 int *ret, const char *func)
{
	struct vfn_eth_dev *port = port_lookup(port_id, func);

	*ret = -ENODEV;
	if (!port)
		return NULL;
	*ret = -EINVAL;
	if (q >= port->nb_rx_queues || !port->rx_queues[q]) {
		PORT_LOG(ERR, "%s: %s: rx queue %u is not set up (%u configured)",
			 port->name, func, q, port->nb_rx_queues);
		return NULL;
	}
	*ret = -EPERM;
	if (!port->conf.intr_conf.rxq) {
		PORT_LOG(ERR, "%s: %s: no rx interrupts: configure the port "
			 "with conf.intr_conf.rxq = 1", port->name, func);
		return NULL;
	}
	if (!port->started || port->rxq_intr_fd[q] < 0) {
		PORT_LOG(ERR, "%s: %s: rx queue %u has no interrupt while the "
			 "port is stopped: call vfn_eth_dev_start() first",
			 port->name, func, q);
		return NULL;
	}
	*ret = 0;
	return port;
}

static int rx_intr_switch(uint16_t port_id, uint16_t q, int on,
			  const char *func)
{
	int (*op)(struct vfn_eth_dev *, uint16_t);
	struct vfn_eth_dev *port;
	int ret;

	port = rxq_intr_port(port_id, q, &ret, func);
	if (!port)
		return ret;
	op = on ? port->ops->rx_queue_intr_enable :
		  port->ops->rx_queue_intr_disable;
	if (!op)
		return -ENOTSUP;
	return op(port, q);
}

int vfn_eth_dev_rx_intr_enable(uint16_t port_id, uint16_t queue_id)
{
	return rx_intr_switch(port_id, queue_id, 1, __func__);
}

int vfn_eth_dev_rx_intr_disable(uint16_t port_id, uint16_t queue_id)
{
	return rx_intr_switch(port_id, queue_id, 0, __func__);
}

int vfn_eth_dev_rx_intr_ctl_q(uint16_t port_id, uint16_t queue_id, int epfd,
			      int op, void *data)
{
	struct vfn_epoll_event *rev;
	struct vfn_eth_dev *port;
	int ret;

	port = rxq_intr_port(port_id, queue_id, &ret, __func__);
	if (!port)
		return ret;
	rev = &port->rxq_intr_ev[queue_id];
	switch (op) {
	case VFN_INTR_EVENT_ADD:
		if (rev->status == VFN_EPOLL_VALID)
			return -EEXIST;
		rev->epdata.event = EPOLLIN;
		rev->epdata.data = data;
		rev->epdata.cb_fun = rxq_intr_drain;
		rev->epdata.cb_arg = NULL;
		ret = vfn_epoll_ctl(epfd, EPOLL_CTL_ADD,
				    port->rxq_intr_fd[queue_id], rev);
		break;
	case VFN_INTR_EVENT_DEL:
		if (rev->status != VFN_EPOLL_VALID)
			return -ENOENT;
		ret = vfn_epoll_ctl(rev->epfd, EPOLL_CTL_DEL, rev->fd, rev);
		break;
	default:
		PORT_LOG(ERR, "%s: %s: op %d: use VFN_INTR_EVENT_ADD or "
			 "VFN_INTR_EVENT_DEL", port->name, __func__, op);
		return -EINVAL;
	}
	if (ret) {
		ret = -errno;
		PORT_LOG(ERR, "%s: rx queue %u: epoll_ctl: %s", port->name,
			 queue_id, strerror(-ret));
	}
	return ret;
}

int vfn_eth_dev_rx_intr_ctl(uint16_t port_id, int epfd, int op, void *data)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	uint16_t q;
	int ret;

	if (!port)
		return -ENODEV;
	for (q = 0; q < port->nb_rx_queues; q++) {
		ret = vfn_eth_dev_rx_intr_ctl_q(port_id, q, epfd, op, data);
		if (ret)
			return ret;
	}
	return 0;
}

int vfn_eth_dev_rx_intr_ctl_q_get_fd(uint16_t port_id, uint16_t queue_id)
{
	struct vfn_eth_dev *port;
	int ret;

	port = rxq_intr_port(port_id, queue_id, &ret, __func__);
	return port ? port->rxq_intr_fd[queue_id] : ret;
}

void port_rxq_intr_reset(struct vfn_eth_dev *port)
{
	uint16_t q;

	if (!port->rxq_intr_fd)
		return;
	for (q = 0; q < port->nb_rx_queues; q++) {
		port->rxq_intr_fd[q] = -1;
		/* The driver closed the eventfd: the kernel dropped it from
		 * every epoll set. */
		memset(&port->rxq_intr_ev[q], 0, sizeof(port->rxq_intr_ev[q]));
	}
}
