/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp control path and --vdev driver, with DPDK 22.11's arguments
 * (drivers/net/af_xdp/rte_eth_af_xdp.c):
 *
 *   --vdev net_af_xdp0,iface=veth0,start_queue=0,queue_count=1,
 *          busy_budget=64,force_copy=0,xdp_prog=/path/prog.o
 *
 * Queue pair q is the interface's queue start_queue + q, served by one
 * AF_XDP socket created at rx queue set-up (tx queue q shares it).  The
 * XDP program redirects into a map named "xsks_map" (DPDK's convention for
 * xdp_prog=); by default the one libxdp installs for AF_XDP.  It is
 * loaded with libbpf and attached with a BPF link (bpf_program__attach_xdp)
 * rather than libxdp's netlink attach, so the kernel detaches it when the
 * process ends however it ends; the sockets are created with
 * XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD and put into the map by us.
 */
#include <errno.h>
#include <stdarg.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vfn_lcore.h"
#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_vdev.h"
#include "vfn_eth_sw.h"
#include "af_xdp_private.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

static const char perm_fix[] = "net_af_xdp needs CAP_NET_ADMIN and CAP_BPF "
	"(run as root) and a kernel with XDP sockets (CONFIG_XDP_SOCKETS)";

static int ifreq_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret;

	if (fd < 0)
		return -errno;
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	ret = ioctl(fd, req, ifr) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int afx_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	struct af_xdp_dev *xd = port->dev_private;

	info->max_rx_queues = (uint16_t)xd->queue_count;
	info->max_tx_queues = (uint16_t)xd->queue_count;
	info->max_rx_pktlen = AF_XDP_FRAME_SIZE;
	info->min_rx_bufsize = 0;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	return 0;
}

static void queue_destroy(struct af_xdp_queue *q)
{
	if (q->xsk)
		xsk_socket__delete(q->xsk);
	if (q->umem)
		xsk_umem__delete(q->umem);
	vfn_free(q->umem_area);
	q->xsk = NULL;
	q->umem = NULL;
	q->umem_area = NULL;
}

static void prog_detach(struct af_xdp_dev *xd)
{
	if (xd->link)
		bpf_link__destroy(xd->link);
	if (xd->obj)
		bpf_object__close(xd->obj);
	xd->link = NULL;
	xd->obj = NULL;
	xd->xsks_map_fd = -1;
}

static void free_queues(struct af_xdp_dev *xd)
{
	uint16_t i;

	for (i = 0; i < xd->nb_q; i++)
		queue_destroy(&xd->q[i]);
	vfn_free(xd->q);
	xd->q = NULL;
	xd->nb_q = 0;
}

static int afx_configure(struct vfn_eth_dev *port)
{
	struct af_xdp_dev *xd = port->dev_private;

	if (port->nb_rx_queues != port->nb_tx_queues) {
		AFX_LOG(ERR, "%s: %u rx and %u tx queues: af_xdp queues are "
			"pairs (one socket each), configure as many of each",
			port->name, port->nb_rx_queues, port->nb_tx_queues);
		return -EINVAL;
	}
	free_queues(xd);
	xd->q = vfn_zmalloc_socket("af_xdp_q", sizeof(*xd->q) *
				   port->nb_rx_queues, VFN_CACHE_LINE_SIZE,
				   port->socket_id);
	if (!xd->q)
		return -ENOMEM;
	xd->nb_q = port->nb_rx_queues;
	return 0;
}

/* Load and attach the XDP program once, for the first queue. */
static int prog_attach(struct vfn_eth_dev *port)
{
	struct af_xdp_dev *xd = port->dev_private;
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	if (xd->link)
		return 0;
	xd->obj = bpf_object__open_file(xd->prog_path, NULL);
	err = libbpf_get_error(xd->obj);
	if (err) {
		xd->obj = NULL;
		AFX_LOG(ERR, "%s: cannot open XDP program %s: %s (xdp_prog= "
			"takes a BPF object file; the default comes with "
			"libxdp1)", port->name, xd->prog_path, strerror(-err));
		return err;
	}
	err = bpf_object__load(xd->obj);
	if (err) {
		AFX_LOG(ERR, "%s: cannot load XDP program %s: %s: %s",
			port->name, xd->prog_path, strerror(-err), perm_fix);
		goto err_close;
	}
	map = bpf_object__find_map_by_name(xd->obj, "xsks_map");
	prog = bpf_object__next_program(xd->obj, NULL);
	if (!map || !prog) {
		AFX_LOG(ERR, "%s: %s has no %s: an xdp_prog= must redirect "
			"into a BPF_MAP_TYPE_XSKMAP named xsks_map", port->name,
			xd->prog_path, map ? "program" : "map xsks_map");
		err = -EINVAL;
		goto err_close;
	}
	xd->xsks_map_fd = bpf_map__fd(map);
	xd->link = bpf_program__attach_xdp(prog, xd->ifindex);
	err = libbpf_get_error(xd->link);
	if (err) {
		xd->link = NULL;
		AFX_LOG(ERR, "%s: cannot attach the XDP program to %s: %s%s%s",
			port->name, xd->iface, strerror(-err),
			err == -EBUSY || err == -EEXIST ?
			" (another XDP program is attached: `ip link set dev "
			"IF xdp off` or xdp-loader unload)" : ": ",
			err == -EBUSY || err == -EEXIST ? "" : perm_fix);
		goto err_close;
	}
	return 0;

err_close:
	prog_detach(xd);
	return err;
}

static void set_busy_poll(struct vfn_eth_dev *port, struct af_xdp_queue *q,
			  uint32_t budget)
{
	int one = 1, usecs = 20, b = (int)budget;

	if (setsockopt(q->fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(q->fd, SOL_SOCKET, SO_BUSY_POLL, &usecs,
		       sizeof(usecs)) < 0 ||
	    setsockopt(q->fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &b,
		       sizeof(b)) < 0)
		AFX_LOG(WARNING, "%s: queue %u: preferred busy polling not "
			"available (%s); continuing without (busy_budget=0 "
			"to silence)", port->name, q->id, strerror(errno));
}

/*
 * Create the socket; retry for a moment while the queue is busy: the
 * socket of a process killed a moment ago is released asynchronously.
 */
static int socket_create(struct af_xdp_queue *q, const char *iface,
			 uint32_t qid, const struct xsk_socket_config *cfg)
{
	const struct timespec step = { 0, 50 * 1000 * 1000 };
	int err, i;

	for (i = 0; i < 40; i++) {
		err = xsk_socket__create(&q->xsk, iface, qid, q->umem, &q->rx,
					 &q->tx, cfg);
		if (err != -EBUSY)
			break;
		nanosleep(&step, NULL);
	}
	return err;
}

static int queue_create(struct vfn_eth_dev *port, struct af_xdp_queue *q)
{
	struct af_xdp_dev *xd = port->dev_private;
	struct xsk_umem_config ucfg = {
		.fill_size = AF_XDP_RING_SIZE, .comp_size = AF_XDP_RING_SIZE,
		.frame_size = AF_XDP_FRAME_SIZE, .frame_headroom = 0,
	};
	struct xsk_socket_config scfg = {
		.rx_size = AF_XDP_RING_SIZE, .tx_size = AF_XDP_RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP |
			      (xd->force_copy ? XDP_COPY : 0),
	};
	uint64_t size = (uint64_t)AF_XDP_NB_FRAMES * AF_XDP_FRAME_SIZE;
	uint32_t qid = xd->start_queue + q->id, idx = 0, i;
	int err, key = (int)qid;

	q->umem_area = vfn_zmalloc_socket("af_xdp_umem", size, 4096,
					  port->socket_id);
	if (!q->umem_area)
		return -ENOMEM;
	err = xsk_umem__create(&q->umem, q->umem_area, size, &q->fq, &q->cq,
			       &ucfg);
	if (err) {
		q->umem = NULL;
		AFX_LOG(ERR, "%s: queue %u: UMEM registration failed: %s: %s",
			port->name, q->id, strerror(-err), perm_fix);
		goto err;
	}
	err = socket_create(q, xd->iface, qid, &scfg);
	if (err) {
		q->xsk = NULL;
		AFX_LOG(ERR, "%s: queue %u: AF_XDP socket on %s queue %u: %s%s",
			port->name, q->id, xd->iface, qid, strerror(-err),
			err == -EINVAL ? " (does the interface have that many "
			"queues? see `ethtool -l`)" : "");
		goto err;
	}
	q->fd = xsk_socket__fd(q->xsk);
	err = bpf_map_update_elem(xd->xsks_map_fd, &key, &q->fd, 0);
	if (err) {
		err = -errno;
		AFX_LOG(ERR, "%s: queue %u: xsks_map update: %s", port->name,
			q->id, strerror(-err));
		goto err;
	}
	/* First half of the frames to the fill ring, second half for tx. */
	xsk_ring_prod__reserve(&q->fq, AF_XDP_RING_SIZE, &idx);
	for (i = 0; i < AF_XDP_RING_SIZE; i++)
		*xsk_ring_prod__fill_addr(&q->fq, idx + i) =
			(uint64_t)i * AF_XDP_FRAME_SIZE;
	xsk_ring_prod__submit(&q->fq, AF_XDP_RING_SIZE);
	for (i = 0; i < AF_XDP_RING_SIZE; i++)
		q->free_frames[i] = (uint64_t)(AF_XDP_RING_SIZE + i) *
				    AF_XDP_FRAME_SIZE;
	q->nb_free = AF_XDP_RING_SIZE;
	if (xd->busy_budget)
		set_busy_poll(port, q, xd->busy_budget);
	return 0;

err:
	queue_destroy(q);
	return err;
}

static int afx_rxq_setup(struct vfn_eth_dev *port, uint16_t id,
			 uint16_t nb_desc, int socket_id,
			 const struct vfn_eth_rxconf *conf,
			 struct vfn_mempool *mp)
{
	struct af_xdp_dev *xd = port->dev_private;
	struct af_xdp_queue *q = &xd->q[id];
	uint16_t room = vfn_pktmbuf_data_room_size(mp);
	int err;

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	queue_destroy(q);
	memset(q, 0, sizeof(*q));
	q->id = id;
	q->mp = mp;
	q->mbuf_room = room > VFN_PKTMBUF_HEADROOM ?
		       (uint16_t)(room - VFN_PKTMBUF_HEADROOM) : 0;
	q->rearm = vfn_eth_sw_rearm_data(VFN_PKTMBUF_HEADROOM, port->port_id);
	err = prog_attach(port);
	if (!err)
		err = queue_create(port, q);
	if (err)
		return err;
	port->rx_queues[id] = q;
	port->rxq_stats[id] = &q->rx_stats;
	return 0;
}

static int afx_txq_setup(struct vfn_eth_dev *port, uint16_t id,
			 uint16_t nb_desc, int socket_id,
			 const struct vfn_eth_txconf *conf)
{
	struct af_xdp_dev *xd = port->dev_private;
	struct af_xdp_queue *q = &xd->q[id];

	(void)nb_desc;
	(void)socket_id;
	(void)conf;
	if (!q->xsk) {
		AFX_LOG(ERR, "%s: tx queue %u: set up rx queue %u first (they "
			"share one AF_XDP socket)", port->name, id, id);
		return -EINVAL;
	}
	port->tx_queues[id] = q;
	port->txq_stats[id] = &q->tx_stats;
	return 0;
}

static void afx_rxq_release(struct vfn_eth_dev *port, uint16_t id)
{
	struct af_xdp_dev *xd = port->dev_private;

	if (xd->q && id < xd->nb_q)
		queue_destroy(&xd->q[id]);
}

static int iface_running(const struct af_xdp_dev *xd)
{
	struct ifreq ifr;

	return ifreq_ioctl(xd->iface, SIOCGIFFLAGS, &ifr) == 0 &&
	       (ifr.ifr_flags & IFF_RUNNING);
}

/* The link is the interface's (IFF_RUNNING) while the port is started. */
static int afx_link_update(struct vfn_eth_dev *port, int wait)
{
	(void)wait;
	if (port->started)
		port->link.link_status = iface_running(port->dev_private) ?
			VFN_ETH_LINK_UP : VFN_ETH_LINK_DOWN;
	return 0;
}

static int afx_start(struct vfn_eth_dev *port)
{
	port->link.link_status = iface_running(port->dev_private) ?
		VFN_ETH_LINK_UP : VFN_ETH_LINK_DOWN;
	return 0;
}

static int afx_stop(struct vfn_eth_dev *port)
{
	port->link.link_status = VFN_ETH_LINK_DOWN;
	return 0;
}

static int afx_close(struct vfn_eth_dev *port)
{
	struct af_xdp_dev *xd = port->dev_private;

	free_queues(xd);
	prog_detach(xd);
	vfn_free(xd);
	port->dev_private = NULL;
	return 0;
}

static const struct vfn_eth_dev_ops afx_ops = {
	.configure = afx_configure,
	.info_get = afx_info,
	.rx_queue_setup = afx_rxq_setup,
	.rx_queue_release = afx_rxq_release,
	.tx_queue_setup = afx_txq_setup,
	.start = afx_start,
	.stop = afx_stop,
	.close = afx_close,
	.link_update = afx_link_update,
	.promiscuous_enable = vfn_eth_dev_op_nop,
	.promiscuous_disable = vfn_eth_dev_op_nop,
	.allmulticast_enable = vfn_eth_dev_op_nop,
	.allmulticast_disable = vfn_eth_dev_op_nop,
};

struct afx_args {
	char iface[IF_NAMESIZE];
	uint64_t start_queue, queue_count, busy_budget, force_copy;
	char prog[256];
};

static int afx_arg(const char *key, const char *value, void *opaque)
{
	struct afx_args *a = opaque;

	if (strcmp(key, "iface") == 0) {
		if (!value[0] || strlen(value) >= IF_NAMESIZE) {
			AFX_LOG(ERR, "iface=%s: give an interface name of 1 to "
				"%d characters", value, IF_NAMESIZE - 1);
			return -EINVAL;
		}
		snprintf(a->iface, sizeof(a->iface), "%s", value);
		return 0;
	}
	if (strcmp(key, "start_queue") == 0)
		return vfn_eth_dev_arg_uint(key, value, 0, 1023, &a->start_queue);
	if (strcmp(key, "queue_count") == 0)
		return vfn_eth_dev_arg_uint(key, value, 1, AF_XDP_MAX_QUEUES,
					 &a->queue_count);
	if (strcmp(key, "busy_budget") == 0)
		return vfn_eth_dev_arg_uint(key, value, 0, UINT16_MAX,
					 &a->busy_budget);
	if (strcmp(key, "force_copy") == 0)
		return vfn_eth_dev_arg_uint(key, value, 0, 1, &a->force_copy);
	/* xdp_prog */
	if (!value[0] || strlen(value) >= sizeof(a->prog)) {
		AFX_LOG(ERR, "xdp_prog=%s: give the path of a BPF object",
			value);
		return -EINVAL;
	}
	snprintf(a->prog, sizeof(a->prog), "%s", value);
	return 0;
}

static int afx_probe(const char *name, const char *args)
{
	static const char *const keys[] = {
		"iface", "start_queue", "queue_count", "busy_budget",
		"force_copy", "xdp_prog", NULL
	};
	struct afx_args a = { .queue_count = 1, .busy_budget = 64 };
	struct vfn_eth_dev *port;
	struct af_xdp_dev *xd;
	struct ifreq ifr;
	int ret, ifindex;

	snprintf(a.prog, sizeof(a.prog), "%s", AF_XDP_DEFAULT_PROG);
	ret = vfn_eth_dev_args_parse(args, keys, afx_arg, &a);
	if (ret)
		return ret;
	if (!a.iface[0]) {
		AFX_LOG(ERR, "%s: iface= is required: the kernel interface to "
			"attach to (see `ip link`)", name);
		return -EINVAL;
	}
	ifindex = (int)if_nametoindex(a.iface);
	if (!ifindex) {
		AFX_LOG(ERR, "%s: interface %s not found: give iface= an "
			"interface of this network namespace (see `ip link`)",
			name, a.iface);
		return -ENODEV;
	}
	xd = vfn_zmalloc("af_xdp_dev", sizeof(*xd), 0);
	if (!xd)
		return -ENOMEM;
	port = vfn_eth_dev_allocate(name);
	if (!port) {
		ret = -errno;
		vfn_free(xd);
		return ret;
	}
	snprintf(xd->iface, sizeof(xd->iface), "%s", a.iface);
	snprintf(xd->prog_path, sizeof(xd->prog_path), "%s", a.prog);
	xd->ifindex = ifindex;
	xd->start_queue = (uint32_t)a.start_queue;
	xd->queue_count = (uint32_t)a.queue_count;
	xd->busy_budget = (uint32_t)a.busy_budget;
	xd->force_copy = (int)a.force_copy;
	xd->xsks_map_fd = -1;
	port->driver_name = AF_XDP_DRIVER_NAME;
	port->ops = &afx_ops;
	port->dev_private = xd;
	port->socket_id = (int)vfn_socket_id();
	if (ifreq_ioctl(a.iface, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(port->mac_addr.addr_bytes, ifr.ifr_hwaddr.sa_data, 6);
	port->link.link_speed = VFN_ETH_SPEED_NUM_10G;
	port->link.link_duplex = VFN_ETH_LINK_FULL_DUPLEX;
	port->link.link_autoneg = VFN_ETH_LINK_AUTONEG;
	port->link.link_status = VFN_ETH_LINK_DOWN;
	port->rx_pkt_burst = af_xdp_rx;
	port->tx_pkt_burst = af_xdp_tx;
	AFX_LOG(INFO, "%s: port %u on %s queues %u..%u, program %s", name,
		port->port_id, a.iface, xd->start_queue,
		xd->start_queue + xd->queue_count - 1, xd->prog_path);
	return 0;
}

static int afx_remove(const char *name)
{
	return vfn_eth_vdev_close_by_name(name, &afx_ops);
}

static struct vfn_vdev_driver afx_vdev_driver = {
	.name = AF_XDP_DRIVER_NAME,
	.probe = afx_probe,
	.remove = afx_remove,
};

/* libbpf's messages go to our log at debug level (we report errors). */
static int afx_libbpf_print(enum libbpf_print_level level, const char *fmt,
			    va_list ap)
{
	(void)level;
	return vfn_vlog(VFN_LOG_DEBUG, "libbpf", fmt, ap);
}

__attribute__((constructor)) static void afx_register(void)
{
	libbpf_set_print(afx_libbpf_print);
	vfn_vdev_register_driver(&afx_vdev_driver);
}
