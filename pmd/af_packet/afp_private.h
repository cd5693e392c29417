/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet: a port on a kernel network interface through AF_PACKET
 * sockets with memory-mapped TPACKET_V2 rings (DPDK's net_af_packet).
 *
 * One socket per queue pair, opened by start and closed by stop (a
 * stopped port receives nothing, as a stopped NIC): its rx ring is filled
 * by the kernel and read without system calls; its tx ring is filled by
 * the tx burst, which then kicks the kernel with one sendto().  With
 * several rx queues the sockets form a PACKET_FANOUT group (flow hash,
 * defragmentation, rollover when a ring is full), the software RSS.
 * Sockets of tx-only queues never receive.  Promiscuous and all-multicast
 * modes are socket memberships, which the kernel drops with the socket:
 * a killed process leaves no interface flag behind.
 */
#ifndef AFP_PRIVATE_H
#define AFP_PRIVATE_H

#include <net/if.h>
#include <stdint.h>

#include "vfn_common.h"
#include "vfn_ethdev_driver.h"
#include "vfn_log.h"

#define AFP_DRIVER_NAME "net_af_packet"

/* The driver's one log macro: AFP_LOG(ERR, "...", ...) */
#define AFP_LOG(level, ...) VFN_LOG(level, AFP_DRIVER_NAME, __VA_ARGS__)
#define AFP_MAX_QUEUES 16
#define AFP_DFLT_FRAME_SIZE 2048     /* DPDK's defaults */
#define AFP_DFLT_FRAME_COUNT 512
#define AFP_RX_CHUNK 64              /* frames examined per pass in rx */

/* The ring geometry (a struct tpacket_req) and the options. */
struct afp_conf {
	char iface[IF_NAMESIZE];
	uint32_t qpairs;
	uint32_t blocksz;
	uint32_t framesz;
	uint32_t framecnt;
	uint32_t qdisc_bypass;
};

struct afp_rxq {
	uint8_t **frames;            /* framecnt frame addresses */
	uint32_t nb_frames;
	uint32_t idx;                /* next frame to read */
	uint32_t room;               /* mbuf data room after headroom */
	uint16_t port_id;
	uint64_t mbuf_rearm;
	struct vfn_mempool *mb_pool;
	int fd;                      /* -1 when stopped */
	struct afp_txq *txq;         /* tx queue on the same socket, or NULL */
	struct vfn_eth_qstats stats;
	/* Control path only: PACKET_STATISTICS reads reset the kernel's
	 * counters, so they accumulate here. */
	uint64_t kdrops;
} __vfn_cache_aligned;

struct afp_txq {
	uint8_t **frames;
	uint32_t nb_frames;
	uint32_t idx;                /* next frame to fill */
	uint32_t data_max;           /* longest frame the ring slot holds */
	uint32_t held;               /* the kernel left frames to send; written
				      * by tx only, read by rx (relaxed) */
	int fd;
	struct vfn_eth_qstats stats;
} __vfn_cache_aligned;

/* One socket: the rings of queue pair q. */
struct afp_sock {
	int fd;
	uint8_t *map;
	size_t map_len;
};

struct afp_dev {
	struct afp_conf conf;
	int ifindex;
	struct afp_rxq rxq[AFP_MAX_QUEUES];
	struct afp_txq txq[AFP_MAX_QUEUES];
	struct afp_sock sock[AFP_MAX_QUEUES];
	uint16_t nb_sock;            /* sockets open (started) */
};

/* Burst functions (afp_rxtx.c). */
uint16_t afp_rx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t afp_tx(void *q, struct vfn_mbuf **pkts, uint16_t n);

/* Sockets (afp_sock.c). */
int afp_sock_open(const char *port, const struct afp_conf *c, int ifindex,
		  int rx, int tx, struct afp_sock *s);
void afp_sock_close(struct afp_sock *s);
int afp_fanout_join(const char *port, int fd, int *group);
int afp_iface_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr);
uint32_t afp_frame_data_max(const struct afp_conf *c);

#endif /* AFP_PRIVATE_H */
