/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif internals.  Four parts:
 *  - memif_ops.c: device arguments, the port operations, the --vdev driver;
 *  - memif_socket.c: the control thread (one per process) that owns every
 *    socket: listeners, channels, client reconnects;
 *  - memif_ctrl.c: what it runs: connection handshakes, regions, connect
 *    and disconnect, link state.  The data path never makes a system call
 *    for the control channel;
 *  - memif_rxtx.c: the copy-mode bursts;
 *  - memif_zc.c, memif_rxtx_zc.c: zero-copy (client only): EAL memory
 *    shared as regions, and the bursts that post mbufs to the rings.
 *
 * Locking: memif_lock (memif_ctrl.c) protects every field below that is
 * not marked "data path"; the control thread holds it while it handles
 * an event, the port operations while they run.  The data path takes no
 * lock: a queue's connection is published by a release store of
 * q->ring (non-NULL: connected) after every other field of the queue is
 * written, and withdrawn by storing NULL before the shared memory goes
 * away (see memif_ctrl.c, "Disconnect").
 */
#ifndef MEMIF_PRIVATE_H
#define MEMIF_PRIVATE_H

#include <stdint.h>
#include <sys/queue.h>
#include <sys/un.h>

#include "vfn_common.h"
#include "vfn_ethdev_driver.h"
#include "memif_proto.h"

#define MEMIF_DRIVER_NAME "net_memif"
#define MEMIF_DEFAULT_SOCKET "/run/memif.sock"
#define MEMIF_DEFAULT_LOG2_RING 10
#define MEMIF_DEFAULT_BSIZE 2048
#define MEMIF_MAX_QPAIRS 255
#define MEMIF_MAX_LOG2_RING 14
#define MEMIF_MAX_REGIONS 256
#define MEMIF_SOCKET_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path))

#define MEMIF_LOG(level, ...) VFN_LOG(level, "net_memif", __VA_ARGS__)

enum memif_role { MEMIF_ROLE_SERVER, MEMIF_ROLE_CLIENT };

/* A shared region as mapped in this process. */
struct memif_region {
	uint8_t *addr;
	uint64_t size;
	int fd;                     /* client: sent in ADD_REGION */
	uint8_t external;           /* client zero-copy: EAL memory, not ours */
};

/* Zero-copy: a region descriptor offsets are 32-bit. */
#define MEMIF_ZC_REGION_MAX ((uint64_t)1 << 32)

/* One rx or tx queue; one ring of the connection when connected. */
struct memif_queue {
	/* data path: NULL when not connected (acquire-loaded per burst) */
	struct memif_ring *ring;
	const struct memif_region *regions; /* the device's region table */
	uint16_t nregions;
	uint16_t mask;              /* ring size - 1 */
	uint16_t ring_size;
	uint16_t last_head;         /* rx C2S: next slot to read */
	uint16_t last_tail;         /* rx S2C / tx C2S: next slot to read/free */
	uint16_t bsize;             /* client: buffer size of its own rings */
	uint8_t c2s;                /* the ring is C2S */
	uint8_t is_rx;
	int intr_fd;                /* peer's eventfd to kick, -1: none */
	struct vfn_mempool *mp;     /* rx: mbuf pool */
	uint64_t rearm;             /* rx: mbuf rearm word */
	uint16_t mbuf_room;         /* rx: data room minus headroom */
	uint16_t port_id;
	uint16_t queue_id;
	/* zero-copy data path */
	struct vfn_mbuf **buffers;  /* mbuf posted in each slot */
	uint16_t zc_head;           /* the index we produce (ring head) */
	uint16_t zc_region;         /* region of the last buffer looked up */
	uint8_t *zc_base;           /* its address and size (cache) */
	uint64_t zc_size;
	struct vfn_eth_qstats stats;
	/* control path only */
	uint8_t zc_stale;           /* buffers of a closed connection */
	struct memif_ring *conn_ring; /* ring of the connection being made */
	uint32_t ring_offset;       /* client: of conn_ring in region 0 */
	uint8_t log2;               /* log2 of the ring size */
	int conn_fd;                /* eventfd of the ring (ADD_RING) */
	int old_fd;                 /* previous connection's, closed later */
	uint64_t sent_at_connect;   /* tx: stats.packets when connected */
} __vfn_cache_aligned;

struct memif_socket;
struct memif_cc;

/* Connection state of a device. */
enum memif_state {
	MEMIF_DOWN,        /* port stopped: refuse / do not connect */
	MEMIF_WAITING,     /* started, no peer (server listens, client retries) */
	MEMIF_CONNECTING,  /* handshake running on dev->cc */
	MEMIF_CONNECTED,
};

struct memif_dev {
	TAILQ_ENTRY(memif_dev) next;  /* on socket->devs */
	struct vfn_eth_dev *port;
	enum memif_role role;
	uint32_t id;
	uint8_t log2_ring;            /* rsize= */
	uint16_t bsize;               /* bsize= */
	uint8_t zero_copy;            /* zero-copy=yes (client only) */
	char secret[MEMIF_SECRET_SZ + 1];
	struct memif_socket *sock;

	enum memif_state state;
	struct memif_cc *cc;          /* control channel when connecting/up */
	uint64_t retry_at_ms;         /* client: next connect attempt */
	int logged_refused;           /* client: "no server" said once */
	char remote_name[MEMIF_NAME_SZ + 1];
	char remote_if[MEMIF_NAME_SZ + 1];
	char disc_reason[MEMIF_DISC_SZ + 1];

	/* this connection (run parameters) */
	uint16_t run_c2s, run_s2c;    /* rings in use */
	uint8_t run_log2;
	struct memif_region regions[MEMIF_MAX_REGIONS];
	uint16_t nregions;
	int region_fd;                /* client: memfd of region 0 until sent */
	/* placeholders of a previous connection's mappings (see ctrl) */
	struct memif_region graveyard[MEMIF_MAX_REGIONS];
	uint16_t ngraveyard;

	struct memif_queue *rxq;      /* nb_rx_queues entries */
	struct memif_queue *txq;
	uint16_t nb_rxq, nb_txq;
	uint32_t connects;            /* successful connections (xstat) */
	uint32_t disconnects;
};

/* memif_socket.c */
int memif_socket_attach(struct memif_dev *md, const char *path, int abstract);
void memif_socket_detach(struct memif_dev *md);
void memif_dev_enable(struct memif_dev *md);
void memif_dev_disable(struct memif_dev *md, const char *reason);
void memif_lock_take(void);
void memif_lock_release(void);

/* memif_rxtx.c */
uint16_t memif_rx(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t memif_tx(void *q, struct vfn_mbuf **pkts, uint16_t n);

/* memif_rxtx_zc.c */
uint16_t memif_rx_zc(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t memif_tx_zc(void *q, struct vfn_mbuf **pkts, uint16_t n);
uint16_t memif_zc_rx_refill(struct memif_queue *q, struct memif_ring *r);

/* memif_zc.c */
int memif_zc_check_memory(const char *name);
int memif_zc_add_regions(struct memif_dev *md);
int memif_zc_queue_arm(struct memif_dev *md, struct memif_queue *q,
		       struct memif_ring *r);
void memif_zc_queue_release(struct memif_queue *q);

#endif /* MEMIF_PRIVATE_H */
