/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port statistics: basic counters summed from the drivers' per-queue
 * counters, reset by baseline (so a reset never races the single writer
 * on the data path), counts of released queues kept, and the extended
 * statistics by name: DPDK's generic names first, then the driver's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port_internal.h"

static void qstats_load(const struct vfn_eth_qstats *s,
			struct vfn_eth_qstats *out)
{
	out->packets = __atomic_load_n(&s->packets, __ATOMIC_RELAXED);
	out->bytes = __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
	out->errors = __atomic_load_n(&s->errors, __ATOMIC_RELAXED);
	out->nombuf = __atomic_load_n(&s->nombuf, __ATOMIC_RELAXED);
}

/* Counts of a queue since its baseline; zero when it has no counters. */
static void queue_delta(const struct vfn_eth_dev *port, int is_rx, uint16_t q,
			struct vfn_eth_qstats *d)
{
	const struct vfn_eth_qstats *s = is_rx ? port->rxq_stats[q] :
						  port->txq_stats[q];
	const struct vfn_eth_qstats *b = is_rx ? &port->st.rx_base[q] :
						  &port->st.tx_base[q];

	memset(d, 0, sizeof(*d));
	if (!s)
		return;
	qstats_load(s, d);
	d->packets -= b->packets;
	d->bytes -= b->bytes;
	d->errors -= b->errors;
	d->nombuf -= b->nombuf;
}

void port_stats_queue_setup(struct vfn_eth_dev *port, int is_rx, uint16_t q)
{
	const struct vfn_eth_qstats *s = is_rx ? port->rxq_stats[q] :
						  port->txq_stats[q];
	struct vfn_eth_qstats *b = is_rx ? &port->st.rx_base[q] :
					    &port->st.tx_base[q];

	memset(b, 0, sizeof(*b));
	if (s)
		qstats_load(s, b);
}

void port_stats_queue_retire(struct vfn_eth_dev *port, int is_rx, uint16_t q)
{
	struct vfn_eth_stats *r = &port->st.retired;
	struct vfn_eth_qstats d;

	queue_delta(port, is_rx, q, &d);
	if (is_rx) {
		r->ipackets += d.packets;
		r->ibytes += d.bytes;
		r->ierrors += d.errors;
		r->rx_nombuf += d.nombuf;
	} else {
		r->opackets += d.packets;
		r->obytes += d.bytes;
		r->oerrors += d.errors;
	}
}

static int port_stats_fill(struct vfn_eth_dev *port, struct vfn_eth_stats *st)
{
	const struct vfn_eth_stats *r = &port->st.retired;
	struct vfn_eth_qstats d;
	uint16_t q;

	memset(st, 0, sizeof(*st));
	st->ipackets = r->ipackets;
	st->ibytes = r->ibytes;
	st->ierrors = r->ierrors;
	st->rx_nombuf = r->rx_nombuf;
	st->opackets = r->opackets;
	st->obytes = r->obytes;
	st->oerrors = r->oerrors;
	for (q = 0; q < port->nb_rx_queues; q++) {
		queue_delta(port, 1, q, &d);
		st->ipackets += d.packets;
		st->ibytes += d.bytes;
		st->ierrors += d.errors;
		st->rx_nombuf += d.nombuf;
		if (q < VFN_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_ipackets[q] = d.packets;
			st->q_ibytes[q] = d.bytes;
			st->q_errors[q] = d.errors;
		}
	}
	for (q = 0; q < port->nb_tx_queues; q++) {
		queue_delta(port, 0, q, &d);
		st->opackets += d.packets;
		st->obytes += d.bytes;
		st->oerrors += d.errors;
		if (q < VFN_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_opackets[q] = d.packets;
			st->q_obytes[q] = d.bytes;
		}
	}
	if (port->ops->stats_get)
		return port->ops->stats_get(port, st);
	return 0;
}

int vfn_eth_stats_get(uint16_t port_id, struct vfn_eth_stats *stats)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);

	if (!port)
		return -ENODEV;
	if (!stats)
		return -EINVAL;
	return port_stats_fill(port, stats);
}

int vfn_eth_stats_reset(uint16_t port_id)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	uint16_t q;
	int ret = 0;

	if (!port)
		return -ENODEV;
	memset(&port->st.retired, 0, sizeof(port->st.retired));
	for (q = 0; q < port->nb_rx_queues; q++)
		port_stats_queue_setup(port, 1, q);
	for (q = 0; q < port->nb_tx_queues; q++)
		port_stats_queue_setup(port, 0, q);
	if (port->ops->stats_reset)
		ret = port->ops->stats_reset(port);
	if (!ret && port->ops->xstats_reset)
		ret = port->ops->xstats_reset(port);
	return ret;
}

int vfn_eth_xstats_reset(uint16_t port_id)
{
	return vfn_eth_stats_reset(port_id);
}

/* Generic xstats: port-wide, then per rx queue, then per tx queue. */
static const char *const port_xstat_names[] = {
	"rx_good_packets", "tx_good_packets", "rx_good_bytes",
	"tx_good_bytes", "rx_missed_errors", "rx_errors", "tx_errors",
	"rx_mbuf_allocation_errors",
};
#define N_PORT_XSTATS (sizeof(port_xstat_names) / sizeof(port_xstat_names[0]))
static const char *const rxq_xstat_names[] = { "packets", "bytes", "errors" };
#define N_RXQ_XSTATS 3
static const char *const txq_xstat_names[] = { "packets", "bytes" };
#define N_TXQ_XSTATS 2

static unsigned int stat_queues(uint16_t nb)
{
	return nb < VFN_ETHDEV_QUEUE_STAT_CNTRS ? nb : VFN_ETHDEV_QUEUE_STAT_CNTRS;
}

static unsigned int generic_xstats_count(const struct vfn_eth_dev *port)
{
	return N_PORT_XSTATS + stat_queues(port->nb_rx_queues) * N_RXQ_XSTATS +
	       stat_queues(port->nb_tx_queues) * N_TXQ_XSTATS;
}

static int driver_xstats_count(struct vfn_eth_dev *port)
{
	if (!port->ops->xstats_get_names || !port->ops->xstats_get)
		return 0;
	return port->ops->xstats_get_names(port, NULL, 0);
}

int vfn_eth_xstats_get_names(uint16_t port_id,
			      struct vfn_eth_xstat_name *names,
			      unsigned int size)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	unsigned int i, q, k = 0, ng;
	int nd;

	if (!port)
		return -ENODEV;
	ng = generic_xstats_count(port);
	nd = driver_xstats_count(port);
	if (nd < 0)
		return nd;
	if (!names || size < ng + (unsigned int)nd)
		return (int)(ng + nd);
	for (i = 0; i < N_PORT_XSTATS; i++)
		snprintf(names[k++].name, VFN_ETH_XSTATS_NAME_SIZE, "%s",
			 port_xstat_names[i]);
	for (q = 0; q < stat_queues(port->nb_rx_queues); q++)
		for (i = 0; i < N_RXQ_XSTATS; i++)
			snprintf(names[k++].name, VFN_ETH_XSTATS_NAME_SIZE,
				 "rx_q%u_%s", q, rxq_xstat_names[i]);
	for (q = 0; q < stat_queues(port->nb_tx_queues); q++)
		for (i = 0; i < N_TXQ_XSTATS; i++)
			snprintf(names[k++].name, VFN_ETH_XSTATS_NAME_SIZE,
				 "tx_q%u_%s", q, txq_xstat_names[i]);
	if (nd > 0 && port->ops->xstats_get_names(port, names + k, nd) != nd)
		return -EIO;
	return (int)(ng + nd);
}

int vfn_eth_xstats_get(uint16_t port_id, struct vfn_eth_xstat *xstats,
			unsigned int n)
{
	struct vfn_eth_dev *port = port_lookup(port_id, __func__);
	struct vfn_eth_stats st;
	unsigned int q, k = 0, ng, i;
	uint64_t *drv = NULL;
	int nd, ret;

	if (!port)
		return -ENODEV;
	ng = generic_xstats_count(port);
	nd = driver_xstats_count(port);
	if (nd < 0)
		return nd;
	if (!xstats || n < ng + (unsigned int)nd)
		return (int)(ng + nd);
	ret = port_stats_fill(port, &st);
	if (ret)
		return ret;
	xstats[k++].value = st.ipackets;
	xstats[k++].value = st.opackets;
	xstats[k++].value = st.ibytes;
	xstats[k++].value = st.obytes;
	xstats[k++].value = st.imissed;
	xstats[k++].value = st.ierrors;
	xstats[k++].value = st.oerrors;
	xstats[k++].value = st.rx_nombuf;
	for (q = 0; q < stat_queues(port->nb_rx_queues); q++) {
		xstats[k++].value = st.q_ipackets[q];
		xstats[k++].value = st.q_ibytes[q];
		xstats[k++].value = st.q_errors[q];
	}
	for (q = 0; q < stat_queues(port->nb_tx_queues); q++) {
		xstats[k++].value = st.q_opackets[q];
		xstats[k++].value = st.q_obytes[q];
	}
	if (nd > 0) {
		drv = calloc(nd, sizeof(*drv));
		if (!drv)
			return -ENOMEM;
		if (port->ops->xstats_get(port, drv, nd) != nd) {
			free(drv);
			return -EIO;
		}
		for (i = 0; i < (unsigned int)nd; i++)
			xstats[k++].value = drv[i];
		free(drv);
	}
	for (i = 0; i < k; i++)
		xstats[i].id = i;
	return (int)k;
}

int vfn_eth_xstats_get_by_name(uint16_t port_id, const char *name,
				uint64_t *value)
{
	struct vfn_eth_xstat_name *names = NULL;
	struct vfn_eth_xstat *vals = NULL;
	int n, i, ret = -ENOENT;

	if (!name || !value)
		return -EINVAL;
	n = vfn_eth_xstats_get_names(port_id, NULL, 0);
	if (n <= 0)
		return n < 0 ? n : -ENOENT;
	names = calloc(n, sizeof(*names));
	vals = calloc(n, sizeof(*vals));
	if (!names || !vals) {
		ret = -ENOMEM;
		goto out;
	}
	if (vfn_eth_xstats_get_names(port_id, names, n) != n ||
	    vfn_eth_xstats_get(port_id, vals, n) != n) {
		ret = -EIO;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(names[i].name, name) == 0) {
			*value = vals[i].value;
			ret = 0;
			break;
		}
	}
out:
	free(names);
	free(vals);
	return ret;
}
