/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp internals.  One AF_XDP socket per queue pair, each with its
 * own UMEM carved from EAL memory: the first half of the frames feed the
 * fill ring (rx), the second half is the tx free list.  Copy mode: rx
 * copies a frame into an mbuf and gives the frame straight back to the
 * fill ring; tx copies an mbuf into a free frame.  The XDP program (the
 * xsk_def_xdp_prog.o libxdp ships, or xdp_prog=) is loaded by libbpf and
 * attached through a BPF link, which the kernel removes when the last fd
 * on it closes: on close, exit and kill -9 alike no program stays on the
 * interface.
 */
#ifndef AF_XDP_PRIVATE_H
#define AF_XDP_PRIVATE_H

#include <stdint.h>
#include <net/if.h>
#include <xdp/xsk.h>

#include "vfn_common.h"
#include "vfn_ethdev_driver.h"

#define AF_XDP_DRIVER_NAME "net_af_xdp"
#define AF_XDP_FRAME_SIZE 2048        /* a power of two, aligned mode */
#define AF_XDP_RING_SIZE 1024         /* fill, rx, tx, completion */
#define AF_XDP_NB_FRAMES (2 * AF_XDP_RING_SIZE)
#define AF_XDP_MAX_QUEUES 16
#define AF_XDP_DEFAULT_PROG "/usr/lib/x86_64-linux-gnu/bpf/xsk_def_xdp_prog.o"

#define AFX_LOG(level, ...) VFN_LOG(level, "net_af_xdp", __VA_ARGS__)

struct af_xdp_queue {
	/* data path */
	struct xsk_ring_cons rx;
	struct xsk_ring_prod fq;
	struct xsk_ring_prod tx;
	struct xsk_ring_cons cq;
	uint8_t *umem_area;
	int fd;
	struct vfn_mempool *mp;
	uint64_t rearm;
	uint16_t mbuf_room;
	uint32_t nb_free;                   /* tx frames on the free stack */
	uint64_t free_frames[AF_XDP_RING_SIZE];
	struct vfn_eth_qstats rx_stats;
	struct vfn_eth_qstats tx_stats;
	/* control path */
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	uint16_t id;
	uint8_t tx_ready;
} __vfn_cache_aligned;

struct bpf_object;
struct bpf_link;

struct af_xdp_dev {
	char iface[IF_NAMESIZE];
	int ifindex;
	uint32_t start_queue, queue_count;
	uint32_t busy_budget;
	int force_copy;
	char prog_path[256];
	struct bpf_object *obj;             /* the XDP program */
	struct bpf_link *link;              /* its attachment */
	int xsks_map_fd;
	struct af_xdp_queue *q;             /* queue_count entries */
	uint16_t nb_q;
};

uint16_t af_xdp_rx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t af_xdp_tx(void *q, struct vfn_mbuf **pkts, uint16_t n);

#endif /* AF_XDP_PRIVATE_H */
