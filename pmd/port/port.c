/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The port table and a port's life cycle: allocate, start, stop, close,
 * and the fast-path tables that vfn_eth_rx_burst()/tx_burst() index.
 *
 * The fast-path tables are flat [port][queue] arrays of (burst, data)
 * pairs so that a burst call is one load pair and an indirect call.  Every
 * entry of an allocated port points at a dummy until vfn_eth_dev_start(),
 * and again after vfn_eth_dev_stop(), so a stopped queue moves nothing
 * instead of touching freed driver memory.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "vfn_malloc.h"
#include "port_internal.h"

struct vfn_eth_fp_queue vfn_eth_fp_rxq[VFN_MAX_ETHPORTS][VFN_MAX_QUEUES_PER_PORT];
struct vfn_eth_fp_queue vfn_eth_fp_txq[VFN_MAX_ETHPORTS][VFN_MAX_QUEUES_PER_PORT];

static struct vfn_eth_dev *port_table[VFN_MAX_ETHPORTS];
static pthread_mutex_t port_table_lock = PTHREAD_MUTEX_INITIALIZER;

static uint16_t dummy_rx_burst(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	(void)q;
	(void)pkts;
	(void)n;
	return 0;
}

static uint16_t dummy_tx_burst(void *q, struct vfn_mbuf **pkts, uint16_t n)
{
	(void)q;
	(void)pkts;
	(void)n;
	return 0;
}

void port_fp_reset(uint16_t port_id)
{
	unsigned int q;

	for (q = 0; q < VFN_MAX_QUEUES_PER_PORT; q++) {
		__atomic_store_n(&vfn_eth_fp_rxq[port_id][q].burst,
				 (void *)dummy_rx_burst, __ATOMIC_RELEASE);
		vfn_eth_fp_rxq[port_id][q].data = NULL;
		__atomic_store_n(&vfn_eth_fp_txq[port_id][q].burst,
				 (void *)dummy_tx_burst, __ATOMIC_RELEASE);
		vfn_eth_fp_txq[port_id][q].data = NULL;
	}
}

void port_fp_install_queue(struct vfn_eth_dev *port, int is_rx, uint16_t q)
{
	struct vfn_eth_fp_queue *e;
	void *fn;

	if (is_rx) {
		e = &vfn_eth_fp_rxq[port->port_id][q];
		fn = (void *)(port->rxq_pkt_burst[q] ? port->rxq_pkt_burst[q] :
						       port->rx_pkt_burst);
		e->data = port->rx_queues[q];
		port->rxq_started[q] = 1;
	} else {
		e = &vfn_eth_fp_txq[port->port_id][q];
		fn = (void *)(port->txq_pkt_burst[q] ? port->txq_pkt_burst[q] :
						       port->tx_pkt_burst);
		e->data = port->tx_queues[q];
		port->txq_started[q] = 1;
	}
	/* Release: a poller that sees the new burst sees its data. */
	__atomic_store_n(&e->burst, fn, __ATOMIC_RELEASE);
}

void port_fp_reset_queue(struct vfn_eth_dev *port, int is_rx, uint16_t q)
{
	if (is_rx) {
		__atomic_store_n(&vfn_eth_fp_rxq[port->port_id][q].burst,
				 (void *)dummy_rx_burst, __ATOMIC_RELEASE);
		vfn_eth_fp_rxq[port->port_id][q].data = NULL;
		port->rxq_started[q] = 0;
	} else {
		__atomic_store_n(&vfn_eth_fp_txq[port->port_id][q].burst,
				 (void *)dummy_tx_burst, __ATOMIC_RELEASE);
		vfn_eth_fp_txq[port->port_id][q].data = NULL;
		port->txq_started[q] = 0;
	}
}

/* Every queue not set up for deferred start. */
void port_fp_install(struct vfn_eth_dev *port)
{
	uint16_t q;

	for (q = 0; q < port->nb_rx_queues; q++)
		if (!port->rx_deferred[q])
			port_fp_install_queue(port, 1, q);
	for (q = 0; q < port->nb_tx_queues; q++)
		if (!port->tx_deferred[q])
			port_fp_install_queue(port, 0, q);
}

struct vfn_eth_dev *vfn_eth_dev_get(uint16_t port_id)
{
	if (port_id >= VFN_MAX_ETHPORTS)
		return NULL;
	return __atomic_load_n(&port_table[port_id], __ATOMIC_ACQUIRE);
}

struct vfn_eth_dev *port_lookup(uint16_t id, const char *func)
{
	struct vfn_eth_dev *port = vfn_eth_dev_get(id);

	if (!port)
		PORT_LOG(ERR, "%s: no port %u (%u ports exist: check the "
			 "--vdev/-a arguments and the port id)", func, id,
			 vfn_eth_dev_count_avail());
	return port;
}

struct vfn_eth_dev *vfn_eth_dev_allocated(const char *name)
{
	unsigned int i;

	if (!name)
		return NULL;
	for (i = 0; i < VFN_MAX_ETHPORTS; i++) {
		struct vfn_eth_dev *p = vfn_eth_dev_get(i);

		if (p && strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

struct vfn_eth_dev *vfn_eth_dev_allocate(const char *name)
{
	struct vfn_eth_dev *port;
	unsigned int i, id = VFN_MAX_ETHPORTS;

	if (!name || !name[0] || strlen(name) >= VFN_ETH_NAME_MAX_LEN) {
		PORT_LOG(ERR, "port name must be 1..%d characters",
			 VFN_ETH_NAME_MAX_LEN - 1);
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&port_table_lock);
	for (i = 0; i < VFN_MAX_ETHPORTS; i++) {
		if (!port_table[i]) {
			if (id == VFN_MAX_ETHPORTS)
				id = i;
		} else if (strcmp(port_table[i]->name, name) == 0) {
			pthread_mutex_unlock(&port_table_lock);
			PORT_LOG(ERR, "port name %s is already in use (port %u)",
				 name, i);
			errno = EEXIST;
			return NULL;
		}
	}
	if (id == VFN_MAX_ETHPORTS) {
		pthread_mutex_unlock(&port_table_lock);
		PORT_LOG(ERR, "cannot add %s: all %d port ids are in use; close "
			 "a port first", name, VFN_MAX_ETHPORTS);
		errno = ENOSPC;
		return NULL;
	}
	port = vfn_zmalloc("vfn_eth_dev", sizeof(*port), 0);
	if (!port) {
		pthread_mutex_unlock(&port_table_lock);
		errno = ENOMEM;
		return NULL;
	}
	port->port_id = id;
	strcpy(port->name, name);
	port->socket_id = VFN_SOCKET_ID_ANY;
	port->mtu = VFN_ETHER_MTU;
	port_fp_reset(id);
	__atomic_store_n(&port_table[id], port, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&port_table_lock);
	return port;
}

void vfn_eth_dev_release_port(struct vfn_eth_dev *port)
{
	if (!port)
		return;
	pthread_mutex_lock(&port_table_lock);
	if (port->port_id < VFN_MAX_ETHPORTS && port_table[port->port_id] == port) {
		port_fp_reset(port->port_id);
		__atomic_store_n(&port_table[port->port_id], NULL,
				 __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&port_table_lock);
	port_event_port_release(port->port_id);
	port_queues_free(port);
	vfn_free(port);
}

uint16_t vfn_eth_dev_count_avail(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < VFN_MAX_ETHPORTS; i++)
		n += vfn_eth_dev_get(i) != NULL;
	return n;
}

int vfn_eth_dev_is_valid_port(uint16_t port_id)
{
	return vfn_eth_dev_get(port_id) != NULL;
}

uint16_t vfn_eth_find_next(uint16_t port_id)
{
	while (port_id < VFN_MAX_ETHPORTS && !vfn_eth_dev_get(port_id))
		port_id++;
	return port_id < VFN_MAX_ETHPORTS ? port_id : VFN_MAX_ETHPORTS;
}

int vfn_eth_dev_get_port_by_name(const char *name, uint16_t *port_id)
{
	struct vfn_eth_dev *port = vfn_eth_dev_allocated(name);

	if (!port || !port_id)
		return -ENODEV;
	*port_id = port->port_id;
	return 0;
}

int vfn_eth_dev_get_name_by_port(uint16_t port_id, char *name)
{
	struct vfn_eth_dev *port = vfn_eth_dev_get(port_id);

	if (!port)
		return -ENODEV;
	if (!name)
		return -EINVAL;
	strcpy(name, port->name);
	return 0;
}

int vfn_eth_dev_socket_id(uint16_t port_id)
{
	struct vfn_eth_dev *port = vfn_eth_dev_get(port_id);

	return port ? port->socket_id : -1;
}

int vfn_eth_dev_is_started(uint16_t port_id)
{
	struct vfn_eth_dev *port = vfn_eth_dev_get(port_id);

	return port ? port->started : -ENODEV;
}

int vfn_eth_dev_start(uint16_t port_id)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	uint16_t q;
	int ret;

	if (!port)
		return -ENODEV;
	if (port->started)
		return 0;
	if (!port->configured) {
		PORT_LOG(ERR, "%s: cannot start an unconfigured port: call "
			 "vfn_eth_dev_configure() and set up its queues first",
			 port->name);
		return -EPERM;
	}
	for (q = 0; q < port->nb_rx_queues; q++) {
		if (!port->rx_queues[q]) {
			PORT_LOG(ERR, "%s: rx queue %u is not set up: call "
				 "vfn_eth_rx_queue_setup() before start",
				 port->name, q);
			return -EPERM;
		}
	}
	for (q = 0; q < port->nb_tx_queues; q++) {
		if (!port->tx_queues[q]) {
			PORT_LOG(ERR, "%s: tx queue %u is not set up: call "
				 "vfn_eth_tx_queue_setup() before start",
				 port->name, q);
			return -EPERM;
		}
	}
	if (port->ops->start) {
		ret = port->ops->start(port);
		if (ret) {
			PORT_LOG(ERR, "%s: driver %s failed to start: %s",
				 port->name, port->driver_name, strerror(-ret));
			port_rxq_intr_reset(port);
			return ret;
		}
	}
	ret = port_lsc_start(port);
	if (ret) {
		if (port->ops->stop)
			port->ops->stop(port);
		port_rxq_intr_reset(port);
		return ret;
	}
	port->started = 1;
	port_fp_install(port);
	return 0;
}

int vfn_eth_dev_stop(uint16_t port_id)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	int ret = 0;

	if (!port)
		return -ENODEV;
	if (!port->started)
		return 0;
	port_fp_reset(port_id);
	memset(port->rxq_started, 0, port->nb_rx_queues);
	memset(port->txq_started, 0, port->nb_tx_queues);
	port_lsc_stop(port);
	if (port->ops->stop)
		ret = port->ops->stop(port);
	port_rxq_intr_reset(port);
	port->started = 0;
	if (ret)
		PORT_LOG(ERR, "%s: driver %s failed to stop: %s", port->name,
			 port->driver_name, strerror(-ret));
	return ret;
}

int vfn_eth_dev_close(uint16_t port_id)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	int ret = 0, r;

	if (!port)
		return -ENODEV;
	if (port->started)
		ret = vfn_eth_dev_stop(port_id);
	port_queues_free(port);
	if (port->ops && port->ops->close) {
		r = port->ops->close(port);
		if (r && !ret)
			ret = r;
	}
	vfn_eth_dev_release_port(port);
	return ret;
}
