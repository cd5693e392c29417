/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_xdp internals.  One AF_XDP socket per queue pair, each with its
 * own UMEM, in one of two modes (devarg umem=, chosen per queue at rx
 * queue set-up):
 *
 *  - mbufs (DPDK's path when built with XDP_UMEM_UNALIGNED_CHUNK_FLAG,
 *    drivers/net/af_xdp/rte_eth_af_xdp.c): the UMEM is the rx mempool's
 *    memory, registered in unaligned-chunk mode with one chunk per
 *    mempool object (header + mbuf + buffer).  The fill ring carries the
 *    chunk addresses of free mbufs, so the kernel writes a frame straight
 *    into an mbuf's buffer; rx turns the descriptor back into its mbuf
 *    (no copy) and refills the fill ring with freshly allocated ones; tx
 *    posts the data address of each mbuf of that pool and frees it when
 *    the completion ring returns it.  Other mbufs (another pool, chained,
 *    indirect, shared) are copied into an mbuf of the pool first.
 *    Which mbufs the kernel holds (fill ring, rx ring, tx ring, completion
 *    ring, or the kernel's own lists, where no ring shows them) is kept in
 *    two bitmaps indexed by mempool object, so that closing the queue
 *    returns every one of them to the pool.
 *  - copy: a UMEM of AF_XDP_NB_FRAMES frames carved from EAL memory: the
 *    first half feed the fill ring, the second half is the tx free list;
 *    rx copies a frame into an mbuf and gives the frame straight back to
 *    the fill ring; tx copies an mbuf into a free frame.
 *
 * In both modes the rx ring has twice as many slots as the kernel has
 * frames to fill, so it can never be full: a frame the socket cannot take
 * is always counted in XDP_STATISTICS rx_dropped (no frame in the fill
 * ring), which is DPDK's imissed.
 *
 * The XDP program (the xsk_def_xdp_prog.o libxdp ships, or xdp_prog=) is
 * loaded by libbpf and attached through a BPF link, which the kernel
 * removes when the last fd on it closes: on close, exit and kill -9 alike
 * no program stays on the interface.
 */
#ifndef AF_XDP_PRIVATE_H
#define AF_XDP_PRIVATE_H

#include <stdint.h>
#include <net/if.h>
#include <linux/if_xdp.h>
#include <xdp/xsk.h>

#include "vfn_common.h"
#include "vfn_ethdev_driver.h"

#define AF_XDP_DRIVER_NAME "net_af_xdp"
#define AF_XDP_FRAME_SIZE 2048        /* copy mode: a power of two, aligned */
#define AF_XDP_RING_SIZE 1024         /* fill, tx, completion; frames to fill */
#define AF_XDP_RX_RING_SIZE (2 * AF_XDP_RING_SIZE) /* never full */
#define AF_XDP_NB_FRAMES (2 * AF_XDP_RING_SIZE)
/* XDP_PACKET_HEADROOM: the kernel leaves it before the data of a frame. */
#define AF_XDP_PKT_HEADROOM 256
/* DPDK's ETH_AF_XDP_ETH_OVERHEAD: max_mtu = max_rx_pktlen - this. */
#define AF_XDP_ETH_OVERHEAD (14 + 4)
#define AF_XDP_MAX_QUEUES 16
#define AF_XDP_DEFAULT_PROG "/usr/lib/x86_64-linux-gnu/bpf/xsk_def_xdp_prog.o"

#define AFX_LOG(level, ...) VFN_LOG(level, "net_af_xdp", __VA_ARGS__)

/* umem= */
enum af_xdp_umem_mode {
	AF_XDP_UMEM_AUTO,   /* mbufs when the rx pool allows, else copy */
	AF_XDP_UMEM_MBUFS,  /* mbufs, or the queue set-up fails */
	AF_XDP_UMEM_COPY,   /* copy */
};

struct af_xdp_queue {
	/* data path */
	struct xsk_ring_cons rx;
	struct xsk_ring_prod fq;
	struct xsk_ring_prod tx;
	struct xsk_ring_cons cq;
	uint8_t *umem_area;         /* UMEM offset 0 (mbufs: a page start) */
	int fd;
	struct vfn_mempool *mp;
	uint64_t rearm;
	uint16_t mbuf_room;         /* copy: data bytes an rx mbuf takes */
	/* mbufs mode */
	uint16_t hdr_size;          /* mempool header before each mbuf */
	uint16_t buf_off;           /* chunk start to the mbuf's buffer */
	uint16_t tx_room;           /* data bytes of a copy fallback mbuf */
	uint64_t blk0;              /* UMEM offset of object 0's chunk */
	uint64_t blk_mul;           /* object index = (off * blk_mul) >> 32 */
	uint64_t *rx_own;           /* bit per object: in fill/rx ring */
	uint64_t *tx_own;           /* bit per object: in tx/completion ring */
	/* copy mode */
	uint32_t nb_free;           /* tx frames on the free stack */
	uint64_t free_frames[AF_XDP_RING_SIZE];
	struct vfn_eth_qstats rx_stats;
	struct vfn_eth_qstats tx_stats;
	/* control path */
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	uint32_t nb_objs;           /* mbufs: objects the bitmaps cover */
	uint32_t frame_len;         /* longest frame the kernel puts in */
	struct xdp_statistics xs_base; /* XDP_STATISTICS at the last reset */
	uint16_t id;
	uint8_t mbufs;              /* 1: mbufs mode, 0: copy mode */
} __vfn_cache_aligned;

struct bpf_object;
struct bpf_link;

struct af_xdp_dev {
	char iface[IF_NAMESIZE];
	int ifindex;
	uint32_t start_queue, queue_count;
	uint32_t busy_budget;
	int force_copy;
	enum af_xdp_umem_mode umem_mode;
	char prog_path[256];
	struct bpf_object *obj;             /* the XDP program */
	struct bpf_link *link;              /* its attachment */
	int xsks_map_fd;
	struct af_xdp_queue *q;             /* queue_count entries */
	uint16_t nb_q;
	struct xdp_statistics xs_retired;  /* of released queues, since reset */
};

uint16_t af_xdp_rx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t af_xdp_tx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t af_xdp_rx_mbufs(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t af_xdp_tx_mbufs(void *q, struct vfn_mbuf **pkts, uint16_t n);

#endif /* AF_XDP_PRIVATE_H */
