/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif port operations and the --vdev driver, with DPDK 22.11's
 * device arguments (drivers/net/memif/rte_eth_memif.c):
 *
 *   --vdev net_memif0,role=server|client,id=0,socket=/run/memif.sock,
 *          socket-abstract=yes|no,bsize=2048,rsize=10,mac=..,secret=..,
 *          zero-copy=no|yes
 *
 * As DPDK: the socket is abstract unless socket-abstract=no; the client
 * sizes the rings (rsize is log2); queue pairs are the configured rx/tx
 * queues (the client's tx queues are the C2S rings, its rx queues the S2C
 * rings; the server takes as many as the client offers, up to its own).
 * zero-copy=yes (client only, as DPDK) shares EAL memory with the server
 * (memif_zc.c) instead of copying into a memfd of buffers.
 * Unlike DPDK, a client started before its server (or whose server
 * restarted) keeps retrying, and a stale socket file left by a dead
 * server is replaced.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfn_lcore.h"
#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_vdev.h"
#include "vfn_eth_sw.h"
#include "memif_private.h"

static int memif_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	(void)port;
	info->max_rx_queues = MEMIF_MAX_QPAIRS;
	info->max_tx_queues = MEMIF_MAX_QPAIRS;
	info->max_rx_pktlen = VFN_ETHER_MTU + VFN_ETHER_HDR_LEN +
			      VFN_ETHER_CRC_LEN; /* DPDK: RTE_ETHER_MAX_LEN */
	info->min_rx_bufsize = 0;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->speed_capa = 0;
	return 0;
}

static void memif_free_queues(struct memif_dev *md)
{
	vfn_free(md->rxq);
	vfn_free(md->txq);
	md->rxq = NULL;
	md->txq = NULL;
	md->nb_rxq = md->nb_txq = 0;
}

static void queue_init(struct memif_queue *q, uint16_t port, uint16_t id,
		       int rx)
{
	memset(q, 0, sizeof(*q));
	q->port_id = port;
	q->queue_id = id;
	q->is_rx = (uint8_t)rx;
	q->intr_fd = -1;
	q->conn_fd = -1;
	q->old_fd = -1;
}

static int memif_configure(struct vfn_eth_dev *port)
{
	struct memif_dev *md = port->dev_private;
	uint16_t i;

	memif_free_queues(md);
	md->rxq = vfn_zmalloc_socket("memif_rxq", sizeof(struct memif_queue) *
				     port->nb_rx_queues, 0, port->socket_id);
	md->txq = vfn_zmalloc_socket("memif_txq", sizeof(struct memif_queue) *
				     port->nb_tx_queues, 0, port->socket_id);
	if (!md->rxq || !md->txq) {
		memif_free_queues(md);
		return -ENOMEM;
	}
	md->nb_rxq = port->nb_rx_queues;
	md->nb_txq = port->nb_tx_queues;
	for (i = 0; i < md->nb_rxq; i++)
		queue_init(&md->rxq[i], port->port_id, i, 1);
	for (i = 0; i < md->nb_txq; i++)
		queue_init(&md->txq[i], port->port_id, i, 0);
	return 0;
}

static int memif_rxq_setup(struct vfn_eth_dev *port, uint16_t id,
			   uint16_t nb_desc, int socket_id,
			   const struct vfn_eth_rxconf *conf,
			   struct vfn_mempool *mp)
{
	struct memif_dev *md = port->dev_private;
	struct memif_queue *q = &md->rxq[id];
	uint16_t room = vfn_pktmbuf_data_room_size(mp);

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	if (room <= VFN_PKTMBUF_HEADROOM) {
		MEMIF_LOG(ERR, "%s: rx queue %u: mbufs of pool %s have no data "
			  "room after the %u-byte headroom", port->name, id,
			  mp->name, VFN_PKTMBUF_HEADROOM);
		return -EINVAL;
	}
	q->mp = mp;
	q->bsize = md->bsize;
	q->mbuf_room = (uint16_t)(room - VFN_PKTMBUF_HEADROOM);
	q->rearm = vfn_eth_sw_rearm_data(VFN_PKTMBUF_HEADROOM, port->port_id);
	port->rx_queues[id] = q;
	port->rxq_stats[id] = &q->stats;
	return 0;
}

static int memif_txq_setup(struct vfn_eth_dev *port, uint16_t id,
			   uint16_t nb_desc, int socket_id,
			   const struct vfn_eth_txconf *conf)
{
	struct memif_dev *md = port->dev_private;
	struct memif_queue *q = &md->txq[id];

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	q->bsize = md->bsize;
	port->tx_queues[id] = q;
	port->txq_stats[id] = &q->stats;
	return 0;
}

static int memif_start(struct vfn_eth_dev *port)
{
	memif_dev_enable(port->dev_private);
	return 0;
}

static int memif_stop(struct vfn_eth_dev *port)
{
	memif_dev_disable(port->dev_private, "Device stopped");
	return 0;
}

static int memif_close(struct vfn_eth_dev *port)
{
	struct memif_dev *md = port->dev_private;

	memif_socket_detach(md);
	memif_free_queues(md);
	vfn_free(md);
	port->dev_private = NULL;
	return 0;
}

static const char *const memif_xstat_names[] = {
	"memif_connects", "memif_disconnects",
};

static int memif_xstats_names(struct vfn_eth_dev *port,
			      struct vfn_eth_xstat_name *names,
			      unsigned int size)
{
	unsigned int i, n = VFN_DIM(memif_xstat_names);

	(void)port;
	if (names && size >= n)
		for (i = 0; i < n; i++)
			snprintf(names[i].name, sizeof(names[i].name), "%s",
				 memif_xstat_names[i]);
	return (int)n;
}

static int memif_xstats(struct vfn_eth_dev *port, uint64_t *values,
			unsigned int n)
{
	struct memif_dev *md = port->dev_private;

	if (n < 2)
		return 2;
	memif_lock_take();
	values[0] = md->connects;
	values[1] = md->disconnects;
	memif_lock_release();
	return 2;
}

static const struct vfn_eth_dev_ops memif_ops = {
	.configure = memif_configure,
	.info_get = memif_info,
	.rx_queue_setup = memif_rxq_setup,
	.tx_queue_setup = memif_txq_setup,
	.start = memif_start,
	.stop = memif_stop,
	.close = memif_close,
	.promiscuous_enable = vfn_eth_dev_op_nop,
	.promiscuous_disable = vfn_eth_dev_op_nop,
	.allmulticast_enable = vfn_eth_dev_op_nop,
	.allmulticast_disable = vfn_eth_dev_op_nop,
	.mac_addr_set = vfn_eth_dev_op_mac_addr_set_nop,
	.mtu_set = vfn_eth_dev_op_mtu_set_nop,
	.xstats_get_names = memif_xstats_names,
	.xstats_get = memif_xstats,
};

/* ------------------------------------------------------------------ */
/* Device arguments */

struct memif_args {
	int role;
	uint64_t id, bsize, rsize;
	const char *socket;
	int abstract;
	int zero_copy;
	int have_mac;
	struct vfn_ether_addr mac;
	char secret[MEMIF_SECRET_SZ + 1];
	char socket_buf[MEMIF_SOCKET_PATH_MAX + 1];
};

static int arg_yes_no(const char *key, const char *value, int *out)
{
	if (strcmp(value, "yes") == 0) {
		*out = 1;
		return 0;
	}
	if (strcmp(value, "no") == 0) {
		*out = 0;
		return 0;
	}
	MEMIF_LOG(ERR, "device argument %s=%s: expected yes or no", key, value);
	return -EINVAL;
}

static int memif_arg(const char *key, const char *value, void *opaque)
{
	struct memif_args *a = opaque;

	if (strcmp(key, "role") == 0) {
		if (!strcmp(value, "server") || !strcmp(value, "master"))
			a->role = MEMIF_ROLE_SERVER;
		else if (!strcmp(value, "client") || !strcmp(value, "slave"))
			a->role = MEMIF_ROLE_CLIENT;
		else {
			MEMIF_LOG(ERR, "device argument role=%s: expected "
				  "server or client", value);
			return -EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "id") == 0)
		return vfn_eth_dev_arg_uint(key, value, 0, UINT32_MAX, &a->id);
	if (strcmp(key, "bsize") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, UINT16_MAX, &a->bsize);
	if (strcmp(key, "rsize") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, MEMIF_MAX_LOG2_RING,
					 &a->rsize);
	if (strcmp(key, "socket") == 0) {
		if (!value[0] || strlen(value) >= MEMIF_SOCKET_PATH_MAX - 1) {
			MEMIF_LOG(ERR, "device argument socket=%s: give a path "
				  "of 1 to %zu characters", value,
				  MEMIF_SOCKET_PATH_MAX - 2);
			return -EINVAL;
		}
		snprintf(a->socket_buf, sizeof(a->socket_buf), "%s", value);
		a->socket = a->socket_buf;
		return 0;
	}
	if (strcmp(key, "socket-abstract") == 0)
		return arg_yes_no(key, value, &a->abstract);
	if (strcmp(key, "zero-copy") == 0)
		return arg_yes_no(key, value, &a->zero_copy);
	if (strcmp(key, "mac") == 0) {
		if (vfn_ether_unformat_addr(value, &a->mac)) {
			MEMIF_LOG(ERR, "device argument mac=%s: expected "
				  "xx:xx:xx:xx:xx:xx", value);
			return -EINVAL;
		}
		a->have_mac = 1;
		return 0;
	}
	/* secret */
	if (strlen(value) > MEMIF_SECRET_SZ) {
		MEMIF_LOG(ERR, "device argument secret: at most %d characters",
			  MEMIF_SECRET_SZ);
		return -EINVAL;
	}
	snprintf(a->secret, sizeof(a->secret), "%s", value);
	return 0;
}

/* A path socket needs a directory we may create files in. */
static int check_socket_dir(const char *name, const char *path)
{
	char dir[MEMIF_SOCKET_PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		size_t n = (size_t)(slash - path);

		snprintf(dir, sizeof(dir), "%.*s", (int)(n ? n : 1), path);
	}
	if (access(dir, W_OK | X_OK) == 0)
		return 0;
	MEMIF_LOG(ERR, "%s: socket=%s: directory %s %s: create it or choose "
		  "another socket=", name, path, dir,
		  errno == ENOENT ? "does not exist" : "is not writable");
	return -EINVAL;
}

static int memif_probe(const char *name, const char *args)
{
	static const char *const keys[] = {
		"id", "role", "bsize", "rsize", "socket", "socket-abstract",
		"mac", "zero-copy", "secret", NULL
	};
	struct memif_args a = {
		.role = MEMIF_ROLE_CLIENT, .bsize = MEMIF_DEFAULT_BSIZE,
		.rsize = MEMIF_DEFAULT_LOG2_RING, .socket = MEMIF_DEFAULT_SOCKET,
		.abstract = 1,
	};
	struct vfn_eth_dev *port;
	struct memif_dev *md;
	int socket = (int)vfn_socket_id();
	int ret;

	ret = vfn_eth_dev_args_parse(args, keys, memif_arg, &a);
	if (ret)
		return ret;
	if (a.zero_copy && a.role == MEMIF_ROLE_SERVER) {
		MEMIF_LOG(ERR, "%s: zero-copy=yes is for role=client only (as "
			  "DPDK: the client owns the shared memory, the server "
			  "always copies): use zero-copy=no on the server; it "
			  "serves zero-copy clients", name);
		return -ENOTSUP;
	}
	if (a.zero_copy && memif_zc_check_memory(name))
		return -ENOTSUP;
	if (!a.abstract && check_socket_dir(name, a.socket))
		return -EINVAL;
	md = vfn_zmalloc_socket("memif_dev", sizeof(*md), 0, socket);
	if (!md)
		return -ENOMEM;
	port = vfn_eth_dev_allocate(name);
	if (!port) {
		ret = -errno;
		vfn_free(md);
		return ret;
	}
	md->port = port;
	md->role = (enum memif_role)a.role;
	md->id = (uint32_t)a.id;
	md->bsize = (uint16_t)a.bsize;
	md->log2_ring = (uint8_t)a.rsize;
	md->zero_copy = (uint8_t)a.zero_copy;
	md->region_fd = -1;
	memcpy(md->secret, a.secret, sizeof(md->secret));
	port->driver_name = MEMIF_DRIVER_NAME;
	port->ops = &memif_ops;
	port->dev_private = md;
	port->socket_id = socket;
	if (a.have_mac)
		port->mac_addr = a.mac;
	else
		vfn_eth_random_addr(port->mac_addr.addr_bytes);
	port->link.link_speed = VFN_ETH_SPEED_NUM_100G;
	port->link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	port->link.link_autoneg = VFN_ETH_LINK_AUTONEG;
	port->link.link_status = VFN_ETH_LINK_DOWN;
	port->rx_pkt_burst = a.zero_copy ? memif_rx_zc : memif_rx;
	port->tx_pkt_burst = a.zero_copy ? memif_tx_zc : memif_tx;
	ret = memif_socket_attach(md, a.socket, a.abstract);
	if (ret) {
		vfn_eth_dev_release_port(port);
		vfn_free(md);
		return ret;
	}
	MEMIF_LOG(INFO, "%s: port %u, %s id %u on %s%s, bsize %u, rsize %u%s",
		  name, port->port_id, a.role == MEMIF_ROLE_SERVER ? "server" :
		  "client", md->id, a.abstract ? "@" : "", a.socket, md->bsize,
		  md->log2_ring, a.zero_copy ? ", zero-copy" : "");
	return 0;
}

static int memif_remove(const char *name)
{
	return vfn_eth_vdev_close_by_name(name, &memif_ops);
}

static struct vfn_vdev_driver memif_vdev_driver = {
	.name = MEMIF_DRIVER_NAME,
	.probe = memif_probe,
	.remove = memif_remove,
};

__attribute__((constructor)) static void memif_register(void)
{
	vfn_vdev_register_driver(&memif_vdev_driver);
}
