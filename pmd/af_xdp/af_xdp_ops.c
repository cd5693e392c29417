/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp control path and --vdev driver, with DPDK 22.11's arguments
 * (drivers/net/af_xdp/rte_eth_af_xdp.c):
 *
 *   --vdev net_af_xdp0,iface=veth0,start_queue=0,queue_count=1,
 *          busy_budget=64,force_copy=0,xdp_prog=/path/prog.o
 *
 * plus vfnet's umem=auto|mbufs|copy (af_xdp_private.h: whether the UMEM
 * is the rx mempool, as DPDK built with XDP_UMEM_UNALIGNED_CHUNK_FLAG, or
 * frames of the driver's own, copied to and from mbufs).
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

/* ioctl @req on @ifname with @ifr (its other fields set by the caller). */
static int ifreq_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret;

	if (fd < 0)
		return -errno;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	ret = ioctl(fd, req, ifr) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * Longest frame the port receives: the smallest of its rx queues' frames
 * once they are set up; before, what the mode allows: a copy-mode frame
 * less XDP_PACKET_HEADROOM, or, for mbufs, DPDK's bound (an mbuf chunk
 * of one page, less the mempool header, the mbuf, the mbuf headroom and
 * XDP_PACKET_HEADROOM).
 */
static uint32_t max_frame(const struct af_xdp_dev *xd)
{
	uint32_t max = 0;
	uint16_t i;

	for (i = 0; i < xd->nb_q; i++)
		if (xd->q[i].xsk && (!max || xd->q[i].frame_len < max))
			max = xd->q[i].frame_len;
	if (max)
		return max;
	if (xd->umem_mode == AF_XDP_UMEM_COPY)
		return AF_XDP_FRAME_SIZE - AF_XDP_PKT_HEADROOM;
	return (uint32_t)getpagesize() - 64 - sizeof(struct vfn_mbuf) -
	       VFN_PKTMBUF_HEADROOM - AF_XDP_PKT_HEADROOM;
}

static int afx_info(struct vfn_eth_dev *port, struct vfn_eth_dev_info *info)
{
	struct af_xdp_dev *xd = port->dev_private;

	info->max_rx_queues = (uint16_t)xd->queue_count;
	info->max_tx_queues = (uint16_t)xd->queue_count;
	info->max_rx_pktlen = max_frame(xd);
	info->min_mtu = VFN_ETHER_MIN_MTU;
	info->max_mtu = (uint16_t)(info->max_rx_pktlen - AF_XDP_ETH_OVERHEAD);
	info->min_rx_bufsize = 0;
	info->tx_offload_capa = VFN_ETH_TX_OFFLOAD_MULTI_SEGS;
	return 0;
}

/* The socket's XDP_STATISTICS; zeros when it cannot be read. */
static void xdp_stats_read(const struct af_xdp_queue *q,
			   struct xdp_statistics *xs)
{
	socklen_t len = sizeof(*xs);

	memset(xs, 0, sizeof(*xs));
	if (q->xsk && getsockopt(q->fd, SOL_XDP, XDP_STATISTICS, xs, &len))
		memset(xs, 0, sizeof(*xs));
}

#define XS_FIELDS 6 /* struct xdp_statistics: six __u64 counters */

static void xs_add(struct xdp_statistics *acc, const struct xdp_statistics *a,
		   const struct xdp_statistics *base)
{
	__u64 *d = (__u64 *)acc;
	const __u64 *x = (const __u64 *)a, *b = (const __u64 *)base;
	int i;

	for (i = 0; i < XS_FIELDS; i++)
		d[i] += x[i] - b[i];
}

/*
 * Give every mbuf the kernel held back to the pool: after the socket and
 * UMEM are gone nothing writes to or reads from them any more.  rx-side
 * ones are raw (fresh from the pool), tx-side ones refcnt 1 and direct.
 */
static void mbufs_return(struct af_xdp_queue *q)
{
	uint32_t i;

	for (i = 0; i < q->nb_objs; i++) {
		uint64_t bit = 1ULL << (i & 63);

		if ((q->rx_own[i >> 6] | q->tx_own[i >> 6]) & bit)
			vfn_mempool_put(q->mp, q->mp->objs[i]);
	}
}

static void queue_destroy(struct af_xdp_dev *xd, struct af_xdp_queue *q)
{
	if (q->xsk) {
		struct xdp_statistics xs;

		xdp_stats_read(q, &xs);
		xs_add(&xd->xs_retired, &xs, &q->xs_base);
		xsk_socket__delete(q->xsk);
	}
	if (q->umem)
		xsk_umem__delete(q->umem);
	if (q->mbufs) {
		if (q->rx_own && q->tx_own)
			mbufs_return(q);
	} else {
		vfn_free(q->umem_area);
	}
	vfn_free(q->rx_own);
	vfn_free(q->tx_own);
	q->xsk = NULL;
	q->umem = NULL;
	q->umem_area = NULL;
	q->rx_own = NULL;
	q->tx_own = NULL;
	q->mbufs = 0;
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
		queue_destroy(xd, &xd->q[i]);
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

/*
 * Whether queue @q can use the rx mempool @mp as its UMEM (mbufs mode):
 * the pool must be one virtually contiguous area (so one UMEM covers
 * it), its objects a chunk size the kernel takes in unaligned mode
 * (XDP_UMEM_MIN_CHUNK_SIZE, 2048, up to a page) and enough of them free
 * to fill the fill ring.  Fills @q's mbufs-mode fields, @ucfg and @size;
 * @return 0, or -EINVAL with the reason and its fix in @why.
 */
static int pool_umem_check(struct af_xdp_queue *q, struct vfn_mempool *mp,
			   struct xsk_umem_config *ucfg, uint64_t *size,
			   char *why, size_t len)
{
	const uintptr_t pg = (uintptr_t)getpagesize();
	uint32_t stride = vfn_mempool_calc_obj_size(mp->elt_size, mp->flags,
						    NULL);
	uint32_t over = (uint32_t)(stride - vfn_pktmbuf_data_room_size(mp));
	uint32_t buf_off = mp->header_size + (uint32_t)sizeof(struct vfn_mbuf) +
			   vfn_pktmbuf_priv_size(mp);
	uint32_t headroom = buf_off + VFN_PKTMBUF_HEADROOM;
	uintptr_t start, base;
	unsigned int avail;
	uint32_t i;

	if (mp->nb_mem_chunks != 1 || mp->populated_size != mp->size) {
		snprintf(why, len, "mempool %s lies in %u memory chunks (it "
			 "was split where its memory is not IOVA-contiguous) "
			 "and one UMEM must be one virtually contiguous area: "
			 "run with --iova-mode va (or --no-huge), or create the "
			 "pool with VFN_MEMPOOL_F_NO_IOVA_CONTIG", mp->name,
			 mp->nb_mem_chunks);
		return -EINVAL;
	}
	if (stride < 2048 || stride > pg ||
	    headroom + AF_XDP_PKT_HEADROOM + 64 > stride) {
		snprintf(why, len, "mempool %s takes %u bytes per mbuf: a "
			 "UMEM chunk is 2048..%lu bytes (kernel limits) with "
			 "%u bytes of headroom: give the pool a data room of "
			 "%u..%lu bytes", mp->name, stride, (unsigned long)pg,
			 headroom + AF_XDP_PKT_HEADROOM,
			 2048 > over ? 2048 - over : 0,
			 (unsigned long)(pg - over));
		return -EINVAL;
	}
	start = (uintptr_t)mp->mem[0];
	base = start & ~(pg - 1);
	if (start - base + mp->mem_size > UINT32_MAX) {
		snprintf(why, len, "mempool %s is %zu bytes: mbufs mode takes "
			 "pools below 4 GiB: use a smaller pool", mp->name,
			 mp->mem_size);
		return -EINVAL;
	}
	for (i = 0; i < mp->size; i++)
		if ((uintptr_t)mp->objs[i] !=
		    start + (uintptr_t)i * stride + mp->header_size) {
			snprintf(why, len, "mempool %s objects are not at a "
				 "fixed stride (object %u)", mp->name, i);
			return -EINVAL;
		}
	avail = vfn_mempool_avail_count(mp);
	if (avail < 2 * AF_XDP_RING_SIZE) {
		snprintf(why, len, "mempool %s has %u free mbufs: mbufs mode "
			 "gives %u per queue to the kernel's fill ring and "
			 "needs as many again to refill it: make the pool "
			 "larger", mp->name, avail, AF_XDP_RING_SIZE);
		return -EINVAL;
	}
	q->umem_area = (uint8_t *)base;
	q->hdr_size = (uint16_t)mp->header_size;
	q->buf_off = (uint16_t)buf_off;
	q->tx_room = (uint16_t)(vfn_pktmbuf_data_room_size(mp) -
				VFN_PKTMBUF_HEADROOM);
	q->blk0 = start - base;
	q->blk_mul = ((1ULL << 32) + stride - 1) / stride;
	q->nb_objs = mp->size;
	q->frame_len = stride - headroom - AF_XDP_PKT_HEADROOM;
	ucfg->frame_size = stride;
	ucfg->frame_headroom = headroom;
	ucfg->flags = XDP_UMEM_UNALIGNED_CHUNK_FLAG;
	*size = start - base + mp->mem_size;
	return 0;
}

/* Whether the kernel bound @q's socket in zero-copy mode (XDP_OPTIONS). */
static int socket_zero_copy(const struct af_xdp_queue *q)
{
	struct xdp_options o = { 0 };
	socklen_t len = sizeof(o);

	return getsockopt(q->fd, SOL_XDP, XDP_OPTIONS, &o, &len) == 0 &&
	       (o.flags & XDP_OPTIONS_ZEROCOPY);
}

/* Choose the queue's mode (umem=) and prepare its UMEM memory. */
static int umem_prepare(struct vfn_eth_dev *port, struct af_xdp_queue *q,
			struct xsk_umem_config *ucfg, uint64_t *size)
{
	struct af_xdp_dev *xd = port->dev_private;
	char why[400];
	size_t words;

	if (xd->umem_mode != AF_XDP_UMEM_COPY) {
		if (pool_umem_check(q, q->mp, ucfg, size, why,
				    sizeof(why)) == 0) {
			q->mbufs = 1;
			words = (q->nb_objs + 63) / 64;
			q->rx_own = vfn_zmalloc_socket("af_xdp_own", words * 8,
						       0, port->socket_id);
			q->tx_own = vfn_zmalloc_socket("af_xdp_own", words * 8,
						       0, port->socket_id);
			return q->rx_own && q->tx_own ? 0 : -ENOMEM;
		}
		if (xd->umem_mode == AF_XDP_UMEM_MBUFS) {
			AFX_LOG(ERR, "%s: queue %u: umem=mbufs: %s (or "
				"umem=copy)", port->name, q->id, why);
			return -EINVAL;
		}
		AFX_LOG(NOTICE, "%s: queue %u: copy mode: %s", port->name,
			q->id, why);
	}
	ucfg->frame_size = AF_XDP_FRAME_SIZE;
	ucfg->frame_headroom = 0;
	*size = (uint64_t)AF_XDP_NB_FRAMES * AF_XDP_FRAME_SIZE;
	q->frame_len = AF_XDP_FRAME_SIZE - AF_XDP_PKT_HEADROOM;
	q->umem_area = vfn_zmalloc_socket("af_xdp_umem", *size, 4096,
					  port->socket_id);
	return q->umem_area ? 0 : -ENOMEM;
}

/* Give the kernel its AF_XDP_RING_SIZE frames to fill (and copy-mode tx
 * its free frames). */
static int fill_ring_init(struct vfn_eth_dev *port, struct af_xdp_queue *q)
{
	struct vfn_mbuf *m[AF_XDP_RING_SIZE];
	uint32_t idx = 0, i;

	if (q->mbufs && vfn_mbuf_raw_alloc_bulk(q->mp, m, AF_XDP_RING_SIZE)) {
		AFX_LOG(ERR, "%s: queue %u: no %u free mbufs in %s for the "
			"fill ring: make the pool larger", port->name, q->id,
			AF_XDP_RING_SIZE, q->mp->name);
		return -ENOMEM;
	}
	xsk_ring_prod__reserve(&q->fq, AF_XDP_RING_SIZE, &idx);
	for (i = 0; i < AF_XDP_RING_SIZE; i++) {
		uint64_t addr = (uint64_t)i * AF_XDP_FRAME_SIZE;

		if (q->mbufs) {
			uint64_t off = (uint64_t)((uint8_t *)m[i] -
						  q->umem_area) - q->hdr_size;
			uint32_t k = (uint32_t)(((off - q->blk0) *
						 q->blk_mul) >> 32);

			addr = off;
			q->rx_own[k >> 6] |= 1ULL << (k & 63);
		}
		*xsk_ring_prod__fill_addr(&q->fq, idx + i) = addr;
	}
	xsk_ring_prod__submit(&q->fq, AF_XDP_RING_SIZE);
	if (q->mbufs)
		return 0;
	/* Copy mode: first half of the frames filled, second half for tx. */
	for (i = 0; i < AF_XDP_RING_SIZE; i++)
		q->free_frames[i] = (uint64_t)(AF_XDP_RING_SIZE + i) *
				    AF_XDP_FRAME_SIZE;
	q->nb_free = AF_XDP_RING_SIZE;
	return 0;
}

static int queue_create(struct vfn_eth_dev *port, struct af_xdp_queue *q)
{
	struct af_xdp_dev *xd = port->dev_private;
	struct xsk_umem_config ucfg = {
		.fill_size = AF_XDP_RING_SIZE, .comp_size = AF_XDP_RING_SIZE,
	};
	struct xsk_socket_config scfg = {
		.rx_size = AF_XDP_RX_RING_SIZE, .tx_size = AF_XDP_RING_SIZE,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP |
			      (xd->force_copy ? XDP_COPY : 0),
	};
	uint32_t qid = xd->start_queue + q->id;
	int err, key = (int)qid;
	uint64_t size = 0;

	err = umem_prepare(port, q, &ucfg, &size);
	if (err)
		goto err;
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
	err = fill_ring_init(port, q);
	if (err)
		goto err;
	xdp_stats_read(q, &q->xs_base);
	if (xd->busy_budget)
		set_busy_poll(port, q, xd->busy_budget);
	if (q->frame_len < (uint32_t)port->mtu + VFN_ETHER_HDR_LEN)
		AFX_LOG(WARNING, "%s: queue %u: frames above %u bytes will be "
			"dropped (imissed) though the MTU is %u: give the pool "
			"a larger data room", port->name, q->id, q->frame_len,
			port->mtu);
	AFX_LOG(INFO, "%s: queue %u: %s, %s, frames up to %u bytes",
		port->name, q->id, q->mbufs ? "mbufs are the UMEM" :
		"copy mode (frames copied to and from mbufs)",
		socket_zero_copy(q) ? "zero-copy (the driver's DMA)" :
		"the kernel copies (no AF_XDP zero-copy in the driver, or "
		"force_copy=1)", q->frame_len);
	return 0;

err:
	queue_destroy(xd, q);
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
	queue_destroy(xd, q);
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
	port->rxq_pkt_burst[id] = q->mbufs ? af_xdp_rx_mbufs : af_xdp_rx;
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
	port->txq_pkt_burst[id] = q->mbufs ? af_xdp_tx_mbufs : af_xdp_tx;
	return 0;
}

static void afx_rxq_release(struct vfn_eth_dev *port, uint16_t id)
{
	struct af_xdp_dev *xd = port->dev_private;

	if (xd->q && id < xd->nb_q)
		queue_destroy(xd, &xd->q[id]);
}

static int iface_running(const struct af_xdp_dev *xd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
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

/* DPDK's eth_dev_mtu_set: the interface's MTU (the port layer checked it
 * against max_mtu, what the rx queues' frames hold). */
static int afx_mtu_set(struct vfn_eth_dev *port, uint16_t mtu)
{
	struct af_xdp_dev *xd = port->dev_private;
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	ret = ifreq_ioctl(xd->iface, SIOCSIFMTU, &ifr);
	if (ret)
		AFX_LOG(ERR, "%s: setting MTU %u on %s: %s%s", port->name, mtu,
			xd->iface, strerror(-ret), ret == -EINVAL ?
			" (above the interface's own limit: see `ip -d link "
			"show`; with an XDP program a veth also limits its "
			"peer)" : "");
	return ret;
}

/* XDP_STATISTICS of the port since the last reset, all queues. */
static void xs_total(struct af_xdp_dev *xd, struct xdp_statistics *t)
{
	struct xdp_statistics xs;
	uint16_t i;

	*t = xd->xs_retired;
	for (i = 0; i < xd->nb_q; i++) {
		if (!xd->q[i].xsk)
			continue;
		xdp_stats_read(&xd->q[i], &xs);
		xs_add(t, &xs, &xd->q[i].xs_base);
	}
}

/*
 * imissed: frames the XDP program redirected to a socket that could not
 * take them.  DPDK counts rx_dropped (no frame in the fill ring, or a
 * frame too long for one); we add rx_ring_full, which the ring sizes keep
 * at 0 here (af_xdp_private.h) but another kernel or xdp_prog= user of
 * the socket may not.
 */
static int afx_stats_get(struct vfn_eth_dev *port, struct vfn_eth_stats *st)
{
	struct xdp_statistics t;

	xs_total(port->dev_private, &t);
	st->imissed += t.rx_dropped + t.rx_ring_full;
	return 0;
}

static int afx_stats_reset(struct vfn_eth_dev *port)
{
	struct af_xdp_dev *xd = port->dev_private;
	uint16_t i;

	memset(&xd->xs_retired, 0, sizeof(xd->xs_retired));
	for (i = 0; i < xd->nb_q; i++)
		if (xd->q[i].xsk)
			xdp_stats_read(&xd->q[i], &xd->q[i].xs_base);
	return 0;
}

/* The six XDP_STATISTICS counters, port totals, in struct order. */
static const char *const xs_names[XS_FIELDS] = {
	"xdp_rx_dropped", "xdp_rx_invalid_descs", "xdp_tx_invalid_descs",
	"xdp_rx_ring_full", "xdp_rx_fill_ring_empty_descs",
	"xdp_tx_ring_empty_descs",
};

static int afx_xstats_names(struct vfn_eth_dev *port,
			    struct vfn_eth_xstat_name *names, unsigned int size)
{
	unsigned int i;

	(void)port;
	if (names && size >= XS_FIELDS)
		for (i = 0; i < XS_FIELDS; i++)
			snprintf(names[i].name, sizeof(names[i].name), "%s",
				 xs_names[i]);
	return XS_FIELDS;
}

static int afx_xstats(struct vfn_eth_dev *port, uint64_t *values,
		      unsigned int n)
{
	struct xdp_statistics t;

	if (n < XS_FIELDS)
		return XS_FIELDS;
	xs_total(port->dev_private, &t);
	memcpy(values, &t, sizeof(t));
	return XS_FIELDS;
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
	.mtu_set = afx_mtu_set,
	.stats_get = afx_stats_get,
	.stats_reset = afx_stats_reset,
	.xstats_get_names = afx_xstats_names,
	.xstats_get = afx_xstats,
	.promiscuous_enable = vfn_eth_dev_op_nop,
	.promiscuous_disable = vfn_eth_dev_op_nop,
	.allmulticast_enable = vfn_eth_dev_op_nop,
	.allmulticast_disable = vfn_eth_dev_op_nop,
};

struct afx_args {
	char iface[IF_NAMESIZE];
	uint64_t start_queue, queue_count, busy_budget, force_copy;
	enum af_xdp_umem_mode umem;
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
	if (strcmp(key, "umem") == 0) {
		static const char *const modes[] = { "auto", "mbufs", "copy" };
		unsigned int i;

		for (i = 0; i < VFN_DIM(modes); i++)
			if (strcmp(value, modes[i]) == 0) {
				a->umem = (enum af_xdp_umem_mode)i;
				return 0;
			}
		AFX_LOG(ERR, "umem=%s: give auto (the rx mempool when it can "
			"be the UMEM, else copy), mbufs or copy", value);
		return -EINVAL;
	}
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
		"force_copy", "xdp_prog", "umem", NULL
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
	xd->umem_mode = a.umem;
	xd->xsks_map_fd = -1;
	port->driver_name = AF_XDP_DRIVER_NAME;
	port->ops = &afx_ops;
	port->dev_private = xd;
	port->socket_id = (int)vfn_socket_id();
	memset(&ifr, 0, sizeof(ifr));
	if (ifreq_ioctl(a.iface, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(port->mac_addr.addr_bytes, ifr.ifr_hwaddr.sa_data, 6);
	memset(&ifr, 0, sizeof(ifr));
	if (ifreq_ioctl(a.iface, SIOCGIFMTU, &ifr) == 0)
		port->mtu = (uint16_t)ifr.ifr_mtu;
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
