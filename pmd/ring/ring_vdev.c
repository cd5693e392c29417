/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_ring as a --vdev: DPDK's forms (no arguments, nodeaction=) and
 * vfnet's rx=/tx= form for cross-connected ports (see vfn_eth_ring.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_lcore.h"
#include "vfn_log.h"
#include "vfn_ring.h"
#include "vfn_vdev.h"
#include "ring_private.h"

#define RING_DEFAULT_SIZE 1024

struct ring_args {
	char node_name[VFN_RING_NAMESIZE];
	int node;            /* nodeaction NUMA node */
	int action;          /* 0 none, 1 CREATE, 2 ATTACH */
	char rx[VFN_RING_NAMESIZE];
	char tx[VFN_RING_NAMESIZE];
	uint64_t queues;
	uint64_t size;
};

/* Rings collected for one port; `owned` marks those it created. */
struct ring_set {
	struct vfn_ring *rx[VFN_PMD_RING_MAX_QUEUES];
	struct vfn_ring *tx[VFN_PMD_RING_MAX_QUEUES];
	struct vfn_ring *owned[2 * VFN_PMD_RING_MAX_QUEUES];
	unsigned int n, nb_owned;
};

static int parse_nodeaction(const char *value, struct ring_args *a)
{
	char buf[128], *node, *action, *end;
	long n;

	if (a->action) {
		RING_LOG(ERR, "one nodeaction per net_ring device: create one "
			 "device per ring set");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", value);
	node = strchr(buf, ':');
	action = node ? strchr(node + 1, ':') : NULL;
	if (!node || !action)
		goto bad;
	*node++ = '\0';
	*action++ = '\0';
	n = strtol(node, &end, 10);
	if (!buf[0] || *end || n < -1 || n >= VFN_MAX_NUMA_NODES)
		goto bad;
	if (strlen(buf) + sizeof("ETH_RXTX15_") > VFN_RING_NAMESIZE)
		goto bad;
	if (strcasecmp(action, "CREATE") == 0)
		a->action = 1;
	else if (strcasecmp(action, "ATTACH") == 0)
		a->action = 2;
	else
		goto bad;
	snprintf(a->node_name, sizeof(a->node_name), "%s", buf);
	a->node = (int)n;
	return 0;
bad:
	RING_LOG(ERR, "nodeaction=%s: expected NAME:NODE:CREATE|ATTACH with a "
		 "NAME of at most %zu characters", value,
		 VFN_RING_NAMESIZE - sizeof("ETH_RXTX15_"));
	return -EINVAL;
}

static int ring_arg(const char *key, const char *value, void *opaque)
{
	struct ring_args *a = opaque;
	char *dst = NULL;

	if (strcmp(key, "nodeaction") == 0)
		return parse_nodeaction(value, a);
	if (strcmp(key, "queues") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, VFN_PMD_RING_MAX_QUEUES,
					 &a->queues);
	if (strcmp(key, "size") == 0)
		return vfn_eth_dev_arg_uint(key, value, 2, 1u << 24, &a->size);
	dst = strcmp(key, "rx") == 0 ? a->rx : a->tx;
	if (!value[0] || strlen(value) + sizeof("_15") > VFN_RING_NAMESIZE) {
		RING_LOG(ERR, "%s=%s: a ring name of 1..%zu characters", key,
			 value, VFN_RING_NAMESIZE - sizeof("_15"));
		return -EINVAL;
	}
	snprintf(dst, VFN_RING_NAMESIZE, "%s", value);
	return 0;
}

static void set_release(struct ring_set *s)
{
	unsigned int i;

	for (i = 0; i < s->nb_owned; i++)
		ring_drain_free(s->owned[i]);
	s->nb_owned = 0;
}

/*
 * Look ring @name up, or create it when @may_create (recording it as
 * owned).  Rings are single-producer single-consumer: each is written by
 * one port's tx queue and read by one port's rx queue.
 */
static struct vfn_ring *ring_get(struct ring_set *s, const char *name,
				 unsigned int size, int socket, int may_create,
				 int must_create)
{
	struct vfn_ring *r = vfn_ring_lookup(name);

	if (r && must_create) {
		RING_LOG(ERR, "ring %s already exists: use ATTACH", name);
		return NULL;
	}
	if (r || !may_create) {
		if (!r)
			RING_LOG(ERR, "ring %s does not exist: create it first "
				 "(CREATE, or the peer port's device)", name);
		return r;
	}
	r = vfn_ring_create(name, size, socket,
			    VFN_RING_F_SP_ENQ | VFN_RING_F_SC_DEQ |
			    VFN_RING_F_EXACT_SZ);
	if (!r) {
		RING_LOG(ERR, "cannot create ring %s of %u slots: %s", name,
			 size, strerror(errno));
		return NULL;
	}
	s->owned[s->nb_owned++] = r;
	return r;
}

/* DPDK's layout: ring q named ETH_RXTX<q>_<name> serves both directions. */
static int ring_set_rxtx(struct ring_set *s, const char *name, int socket,
			 int action)
{
	char rname[2 * VFN_RING_NAMESIZE]; /* names checked to fit */
	unsigned int q;

	for (q = 0; q < VFN_PMD_RING_MAX_QUEUES; q++) {
		snprintf(rname, sizeof(rname), "ETH_RXTX%u_%s", q, name);
		s->rx[q] = s->tx[q] = ring_get(s, rname, RING_DEFAULT_SIZE,
					       socket, action != 2,
					       action == 1);
		if (!s->rx[q])
			return -ENOENT;
	}
	s->n = VFN_PMD_RING_MAX_QUEUES;
	return 0;
}

/* vfnet's layout: rx ring q is <rx>_<q>, tx ring q is <tx>_<q>. */
static int ring_set_named(struct ring_set *s, const struct ring_args *a,
			  int socket)
{
	char rname[2 * VFN_RING_NAMESIZE]; /* names checked to fit */
	unsigned int q, size = (unsigned int)a->size;

	for (q = 0; q < a->queues; q++) {
		snprintf(rname, sizeof(rname), "%s_%u", a->rx, q);
		s->rx[q] = ring_get(s, rname, size, socket, 1, 0);
		if (!s->rx[q])
			return -ENOENT;
		if (strcmp(a->rx, a->tx) == 0) {
			s->tx[q] = s->rx[q];
			continue;
		}
		snprintf(rname, sizeof(rname), "%s_%u", a->tx, q);
		s->tx[q] = ring_get(s, rname, size, socket, 1, 0);
		if (!s->tx[q])
			return -ENOENT;
	}
	s->n = (unsigned int)a->queues;
	return 0;
}

static int ring_probe(const char *name, const char *args)
{
	static const char *const keys[] = { "nodeaction", "rx", "tx", "queues",
					    "size", NULL };
	struct ring_args a;
	struct ring_set s;
	int socket = (int)vfn_socket_id();
	int ret;

	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	a.queues = 1;
	a.size = RING_DEFAULT_SIZE;
	ret = vfn_eth_dev_args_parse(args, keys, ring_arg, &a);
	if (ret)
		return ret;
	if ((a.rx[0] != 0) != (a.tx[0] != 0)) {
		RING_LOG(ERR, "%s: give both rx= and tx= (swap them on the "
			 "peer to cross-connect two ports)", name);
		return -EINVAL;
	}
	if (a.rx[0] && a.action) {
		RING_LOG(ERR, "%s: nodeaction= and rx=/tx= exclude each other",
			 name);
		return -EINVAL;
	}
	if (a.rx[0]) {
		ret = ring_set_named(&s, &a, socket);
	} else if (a.action) {
		ret = ring_set_rxtx(&s, a.node_name,
				    a.node < 0 ? socket : a.node, a.action);
	} else {
		if (strlen(name) + sizeof("ETH_RXTX15_") > VFN_RING_NAMESIZE) {
			RING_LOG(ERR, "%s: name too long for its ring names",
				 name);
			return -EINVAL;
		}
		ret = ring_set_rxtx(&s, name, socket, 0);
	}
	if (ret) {
		set_release(&s);
		return ret;
	}
	ret = ring_port_create(name, s.rx, s.n, s.tx, s.n, socket, s.owned,
			       s.nb_owned);
	return ret < 0 ? ret : 0;
}

static int ring_remove(const char *name)
{
	struct vfn_eth_dev *port = vfn_eth_dev_allocated(name);

	if (!port || strcmp(port->driver_name, RING_DRIVER_NAME) != 0)
		return -ENODEV;
	return vfn_eth_dev_close(port->port_id);
}

static struct vfn_vdev_driver ring_vdev_driver = {
	.name = RING_DRIVER_NAME,
	.probe = ring_probe,
	.remove = ring_remove,
};

__attribute__((constructor)) static void ring_register(void)
{
	vfn_vdev_register_driver(&ring_vdev_driver);
}
