/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap: packets from and to pcap files and live interfaces through
 * libpcap (DPDK's net_pcap).  Each rx_pcap= / rx_iface= / rx_iface_in=
 * argument is one rx queue, each tx_pcap= / tx_iface= one tx queue,
 * iface= one of each on the same interface.  Without an rx source the
 * port has one rx queue that receives nothing; without a tx sink, one tx
 * queue that drops (and counts) what it is given.
 *
 * Handles are opened at probe (so a bad file or interface fails there,
 * with the fix in the message), closed by stop and opened again by
 * start, as DPDK does: a restart replays rx files from their first
 * packet and re-creates tx files.
 */
#ifndef PCAP_PRIVATE_H
#define PCAP_PRIVATE_H

#include <limits.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "vfn_common.h"
#include "vfn_ethdev_driver.h"
#include "vfn_log.h"

#define PCAP_DRIVER_NAME "net_pcap"

/* The driver's one log macro: PCAP_LOG(ERR, "...", ...) */
#define PCAP_LOG(level, ...) VFN_LOG(level, PCAP_DRIVER_NAME, __VA_ARGS__)
#define PCAP_MAX_QUEUES 16      /* DPDK's RTE_PMD_PCAP_MAX_QUEUES */
#define PCAP_SNAPLEN 65535      /* longest frame read or written */
/* Capture ring of a live rx queue: libpcap gives each packet a slot of
 * about PCAP_SNAPLEN bytes, so this holds ~500 packets between polls. */
#define PCAP_RX_BUFFER (32u << 20)

enum pcap_kind {
	PCAP_KIND_NONE,  /* rx: nothing; tx: drop */
	PCAP_KIND_FILE,  /* rx_pcap= / tx_pcap= */
	PCAP_KIND_IFACE, /* rx_iface= / tx_iface= / iface= */
};

/* What one queue reads from or writes to. */
struct pcap_endpoint {
	enum pcap_kind kind;
	uint8_t in_only;         /* rx_iface_in=: incoming packets only */
	char name[PATH_MAX];     /* file path or interface name */
};

/* A replayed file held in memory (infinite_rx=1). */
struct pcap_replay {
	uint8_t *data;           /* the packets, back to back */
	uint64_t *off;           /* offset of packet i in data */
	uint16_t *len;           /* length of packet i */
	uint32_t nb;             /* packets */
	uint32_t next;           /* the next to hand out */
	uint32_t max_len;        /* longest packet */
};

struct pcap_rxq {
	pcap_t *pcap;            /* open file or live handle, NULL: none */
	uint8_t eof;             /* a file ended (no infinite_rx) */
	struct vfn_mempool *mb_pool;
	uint64_t mbuf_rearm;     /* data_off, refcnt 1, nb_segs 1, port */
	uint16_t port_id;
	uint16_t queue_id;
	struct pcap_replay replay;
	struct vfn_eth_qstats stats;
} __vfn_cache_aligned;

struct pcap_txq {
	pcap_t *pcap;            /* live handle, or the dead handle of a file */
	pcap_dumper_t *dumper;   /* tx_pcap: the file being written */
	uint8_t *lin;            /* PCAP_SNAPLEN bytes to linearize chains */
	struct vfn_eth_qstats stats;
} __vfn_cache_aligned;

struct pcap_dev {
	struct pcap_endpoint rx[PCAP_MAX_QUEUES];
	struct pcap_endpoint tx[PCAP_MAX_QUEUES];
	uint16_t nb_rx;          /* rx endpoints (>= 1) */
	uint16_t nb_tx;          /* tx endpoints (>= 1) */
	uint8_t infinite_rx;
	struct pcap_rxq rxq[PCAP_MAX_QUEUES];
	struct pcap_txq txq[PCAP_MAX_QUEUES];
};

/* Burst functions (pcap_rxtx.c). */
uint16_t pcap_rx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t pcap_rx_replay(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t pcap_rx_none(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t pcap_tx_dump(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t pcap_tx_inject(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t pcap_tx_drop(void *q, struct vfn_mbuf **pkts, uint16_t n);

/* Handles (pcap_open.c): 0 or a negative errno, logged with the fix. */
int pcap_open_rx(const char *port, const struct pcap_endpoint *ep,
		 pcap_t **out);
int pcap_open_tx(const char *port, const struct pcap_endpoint *ep,
		 pcap_t **pcap, pcap_dumper_t **dumper);
int pcap_replay_load(const char *port, const struct pcap_endpoint *ep,
		     struct pcap_replay *r);
void pcap_replay_free(struct pcap_replay *r);
int pcap_iface_mac(const char *ifname, uint8_t mac[6]);

#endif /* PCAP_PRIVATE_H */
