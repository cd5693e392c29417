/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif control path: the memif handshake of DPDK 22.11
 * (drivers/net/memif/memif_socket.c describes the same exchange), run by
 * one control thread per process so that the data path never touches a
 * socket.
 *
 *   server                                client
 *   listen(socket)                        connect(socket)    (retried)
 *   accept -> HELLO  ------------------>  regions + rings built (memfd)
 *           <------------------ INIT (id, secret)
 *   ACK     ------------------>
 *           <------------------ ADD_REGION (memfd in SCM_RIGHTS)   \ each
 *   ACK     ------------------>                                     | one
 *           <------------------ ADD_RING (eventfd in SCM_RIGHTS)   / ACK
 *           <------------------ CONNECT
 *   CONNECTED ---------------->  link up on both sides
 *
 * Either side may send DISCONNECT (with a reason) or just close; the
 * other goes link down, the server listens again and the client retries
 * its connect every MEMIF_RETRY_MS while its port is started.
 *
 * Why this file is hairy: the peer is another process and is not
 * trusted.  Every index, size and offset it sends is checked against what
 * we configured and against the size of the file it passed, before
 * anything is mapped or published to the data path.
 *
 * Disconnect: the data path may be inside a burst when the peer goes
 * away.  We store NULL in each queue's ring pointer first, then replace
 * every shared mapping in place (MAP_FIXED) with private anonymous
 * memory, so a burst that loaded the old pointer reads and writes
 * harmless zero pages instead of faulting; the placeholders ("graveyard")
 * and the old interrupt fds are released at the next connection or when
 * the port stops, by which time no burst can still hold them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "memif_ctrl.h"

static void put_str(uint8_t *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	memset(dst + len, 0, size - len);
}

static void copy_str(char *dst, size_t size, const uint8_t *src, size_t n)
{
	size_t len = strnlen((const char *)src, n);

	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* ------------------------------------------------------------------ */
/* Messages */

static int msg_send(int fd, const struct memif_msg *msg, int afd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)msg, sizeof(*msg) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cmsg;

	if (afd >= 0) {
		memset(ctl, 0, sizeof(ctl));
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		cmsg = CMSG_FIRSTHDR(&mh);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &afd, sizeof(int));
	}
	if (sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) != sizeof(*msg))
		return -errno ? -errno : -EIO;
	return 0;
}

static int send_simple(struct memif_cc *cc, uint16_t type)
{
	struct memif_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	return msg_send(cc->fd, &m, -1);
}

static void send_disconnect(struct memif_cc *cc, const char *reason)
{
	struct memif_msg m;

	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_DISCONNECT;
	put_str(m.disconnect.string, MEMIF_DISC_SZ, reason);
	msg_send(cc->fd, &m, -1);
}

static void send_name_msg(struct memif_cc *cc, uint16_t type, const char *n)
{
	struct memif_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	put_str(m.connect.if_name, MEMIF_NAME_SZ, n);
	msg_send(cc->fd, &m, -1);
}

/* ------------------------------------------------------------------ */
/* Regions, queues, connect and disconnect */

void memif_graveyard_flush(struct memif_dev *md)
{
	uint16_t i;

	for (i = 0; i < md->ngraveyard; i++)
		munmap(md->graveyard[i].addr, md->graveyard[i].size);
	md->ngraveyard = 0;
	for (i = 0; i < md->nb_rxq; i++) {
		if (md->rxq[i].old_fd >= 0) {
			close(md->rxq[i].old_fd);
			md->rxq[i].old_fd = -1;
		}
		if (md->rxq[i].zc_stale)
			memif_zc_queue_release(&md->rxq[i]);
	}
	for (i = 0; i < md->nb_txq; i++) {
		if (md->txq[i].old_fd >= 0) {
			close(md->txq[i].old_fd);
			md->txq[i].old_fd = -1;
		}
		if (md->txq[i].zc_stale)
			memif_zc_queue_release(&md->txq[i]);
	}
}

/*
 * Withdraw queue @p q from the data path (see "Disconnect" above).  The
 * eventfd a published queue may still kick is kept until the flush.
 */
static void queue_unpublish(struct memif_queue *q)
{
	__atomic_store_n(&q->ring, NULL, __ATOMIC_RELEASE);
	q->conn_ring = NULL;
	if (q->intr_fd >= 0) {
		if (q->old_fd >= 0)
			close(q->old_fd);
		q->old_fd = q->intr_fd;
	} else if (q->conn_fd >= 0) {
		close(q->conn_fd);
	}
	q->intr_fd = -1;
	q->conn_fd = -1;
	/* Zero-copy: the mbufs in the ring go at the next flush. */
	q->zc_stale = q->buffers != NULL;
}

static void regions_retire(struct memif_dev *md)
{
	uint16_t i;

	for (i = 0; i < md->nregions; i++) {
		struct memif_region *r = &md->regions[i];
		void *p;

		if (r->external)
			continue; /* EAL memory shared in zero-copy: stays */
		p = mmap(r->addr, r->size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
			 MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			MEMIF_LOG(WARNING, "%s: cannot replace region %u: %s",
				  md->port->name, i, strerror(errno));
		/*
		 * The table entry keeps pointing at the placeholder (same
		 * address and size): a burst may read it at any moment.
		 */
		md->graveyard[md->ngraveyard++] = *r;
	}
	md->nregions = 0;
}

/* Close @p cc (fds it sends belong to the device and its queues). */
void memif_dev_disconnect(struct memif_dev *md, const char *reason)
{
	uint16_t i;

	if (md->cc) {
		if (reason)
			send_disconnect(md->cc, reason);
		memif_cc_free(md->cc);
	}
	if (md->state == MEMIF_CONNECTED)
		md->disconnects++;
	memif_graveyard_flush(md);
	for (i = 0; i < md->nb_rxq; i++)
		queue_unpublish(&md->rxq[i]);
	for (i = 0; i < md->nb_txq; i++)
		queue_unpublish(&md->txq[i]);
	regions_retire(md);
	if (md->region_fd >= 0) {
		close(md->region_fd);
		md->region_fd = -1;
	}
	md->run_c2s = md->run_s2c = 0;
	md->port->link.link_status = VFN_ETH_LINK_DOWN;
	if (md->state != MEMIF_DOWN) {
		md->state = MEMIF_WAITING;
		md->retry_at_ms = memif_now_ms() + MEMIF_RETRY_MS;
	}
}

/* The queue that carries ring @p idx of type @p c2s on this side. */
static struct memif_queue *ring_queue(struct memif_dev *md, int c2s,
				      uint16_t idx)
{
	int rx = (md->role == MEMIF_ROLE_SERVER) == !!c2s;

	if (rx)
		return idx < md->nb_rxq ? &md->rxq[idx] : NULL;
	return idx < md->nb_txq ? &md->txq[idx] : NULL;
}

/*
 * Client: hand every S2C buffer to the server now, as the first rx burst
 * would.  Without it the server cannot send until our rx first runs: a
 * burst it forwards at once (fwd --tx-first) is dropped, and a loop of
 * two forwarders can start with nothing in flight.
 */
static void client_give_buffers(struct memif_queue *q, struct memif_ring *r)
{
	uint32_t i, n = 1u << q->log2;

	for (i = 0; i < n; i++) {
		r->desc[i].length = q->bsize;
		r->desc[i].flags = 0;
	}
	/* Release: the lengths before the server sees the slots. */
	__atomic_store_n(&r->head, (uint16_t)n, __ATOMIC_RELEASE);
}

/*
 * Both sides, once the handshake is complete: check the rings, reset
 * them, mask the interrupts of the rings we receive on (we poll), and
 * publish every queue that has a ring.
 */
static int dev_connect(struct memif_dev *md)
{
	uint16_t n[2] = { md->run_c2s, md->run_s2c };
	uint16_t i;
	int t;

	memif_graveyard_flush(md);
	for (t = 0; t < 2; t++) {
		for (i = 0; i < n[t]; i++) {
			struct memif_queue *q = ring_queue(md, t == 0, i);
			struct memif_ring *r = q ? q->conn_ring : NULL;

			if (!r || r->cookie != MEMIF_COOKIE) {
				MEMIF_LOG(ERR, "%s: ring %u (%s) missing or "
					  "without the memif cookie",
					  md->port->name, i, t ? "S2C" : "C2S");
				return -EINVAL;
			}
		}
	}
	for (t = 0; t < 2; t++) {
		for (i = 0; i < n[t]; i++) {
			struct memif_queue *q = ring_queue(md, t == 0, i);
			struct memif_ring *r = q->conn_ring;

			__atomic_store_n(&r->head, 0, __ATOMIC_RELAXED);
			__atomic_store_n(&r->tail, 0, __ATOMIC_RELAXED);
			if (q->is_rx)
				r->flags = MEMIF_RING_FLAG_MASK_INT;
			q->regions = md->regions;
			q->nregions = md->nregions;
			q->ring_size = (uint16_t)(1u << q->log2);
			q->mask = (uint16_t)(q->ring_size - 1);
			q->last_head = 0;
			q->last_tail = 0;
			q->c2s = t == 0;
			if (md->zero_copy) {
				int ret = memif_zc_queue_arm(md, q, r);

				if (ret)
					return ret;
			} else if (q->is_rx && t == 1) {
				client_give_buffers(q, r);
			}
			q->intr_fd = q->conn_fd;
			q->sent_at_connect = q->stats.packets;
			MEMIF_LOG(DEBUG, "%s: %s queue %u <- %s ring %u at "
				  "%p (log2 %u, fd %d)", md->port->name,
				  q->is_rx ? "rx" : "tx", q->queue_id,
				  t ? "S2C" : "C2S", i, (void *)r, q->log2,
				  q->intr_fd);
			/* Publish: every field above before the pointer. */
			__atomic_store_n(&q->ring, r, __ATOMIC_RELEASE);
		}
	}
	md->state = MEMIF_CONNECTED;
	md->connects++;
	md->port->link.link_status = VFN_ETH_LINK_UP;
	MEMIF_LOG(INFO, "%s: connected to %s (%s), %u C2S / %u S2C rings of "
		  "%u", md->port->name, md->remote_if, md->remote_name,
		  md->run_c2s, md->run_s2c, 1u << md->run_log2);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Client side */

static size_t ring_bytes(uint8_t log2)
{
	return sizeof(struct memif_ring) +
	       sizeof(struct memif_desc) * ((size_t)1 << log2);
}

/* Client: one memfd region holding every ring and every buffer. */
static int client_make_region(struct memif_dev *md)
{
	uint32_t nrings = (uint32_t)md->run_c2s + md->run_s2c;
	uint32_t rsz = 1u << md->run_log2;
	uint64_t buf_off = (uint64_t)nrings * ring_bytes(md->run_log2);
	/* Zero-copy: rings only, the buffers are mbufs in EAL memory. */
	uint64_t size = buf_off + (md->zero_copy ? 0 :
				   (uint64_t)nrings * rsz * md->bsize);
	uint32_t r, j;
	uint8_t *base;
	int fd;

	if (size > UINT32_MAX) {
		MEMIF_LOG(ERR, "%s: %u rings of %u buffers of %u bytes do not "
			  "fit memif's 32-bit offsets: lower rsize= or bsize=",
			  md->port->name, nrings, rsz, md->bsize);
		return -E2BIG;
	}
	fd = memfd_create("memif_region_0", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Sealed at its size: the server checks F_SEAL_SHRINK. */
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_SEAL) < 0)
		goto err_close;
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		goto err_close;
	for (r = 0; r < nrings; r++) {
		struct memif_ring *ring = (struct memif_ring *)
			(base + (size_t)r * ring_bytes(md->run_log2));
		int c2s = r < md->run_c2s;
		struct memif_queue *q = ring_queue(md, c2s,
			(uint16_t)(c2s ? r : r - md->run_c2s));

		ring->cookie = MEMIF_COOKIE;
		ring->flags = 0;
		for (j = 0; j < rsz && !md->zero_copy; j++) {
			ring->desc[j].region = 0;
			ring->desc[j].flags = 0;
			ring->desc[j].offset = (uint32_t)(buf_off +
				((uint64_t)r * rsz + j) * md->bsize);
			ring->desc[j].length = md->bsize;
		}
		q->conn_ring = ring;
		q->log2 = md->run_log2;
		q->ring_offset = (uint32_t)((uint8_t *)ring - base);
		q->conn_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (q->conn_fd < 0) {
			munmap(base, size);
			goto err_close;
		}
	}
	md->regions[0].addr = base;
	md->regions[0].size = size;
	md->regions[0].fd = fd;
	md->regions[0].external = 0;
	md->nregions = 1;
	md->region_fd = fd;
	return md->zero_copy ? memif_zc_add_regions(md) : 0;

err_close:
	r = (uint32_t)errno;
	close(fd);
	return -(int)r;
}

static struct memif_out *out_add(struct memif_cc *cc, uint16_t type, int fd)
{
	struct memif_out *o = &cc->out[cc->nout++];

	memset(o, 0, sizeof(*o));
	o->msg.type = type;
	o->fd = fd;
	return o;
}

/* Client: queue INIT, ADD_REGION, ADD_RING..., CONNECT. */
static int client_queue_handshake(struct memif_dev *md, struct memif_cc *cc)
{
	unsigned int n = 2 + md->nregions + md->run_c2s + md->run_s2c;
	struct memif_out *o;
	uint16_t i;
	int t;

	cc->out = calloc(n, sizeof(*cc->out));
	if (!cc->out)
		return -ENOMEM;
	o = out_add(cc, MEMIF_MSG_INIT, -1);
	o->msg.init.version = MEMIF_VERSION;
	o->msg.init.id = md->id;
	o->msg.init.mode = MEMIF_MODE_ETHERNET;
	memcpy(o->msg.init.secret, md->secret, strnlen(md->secret,
						      MEMIF_SECRET_SZ));
	put_str(o->msg.init.name, MEMIF_NAME_SZ, MEMIF_APP_NAME);
	for (i = 0; i < md->nregions; i++) {
		o = out_add(cc, MEMIF_MSG_ADD_REGION, md->regions[i].fd);
		o->msg.add_region.index = i;
		o->msg.add_region.size = md->regions[i].size;
	}
	for (t = 0; t < 2; t++) {
		uint16_t nr = t ? md->run_s2c : md->run_c2s;

		for (i = 0; i < nr; i++) {
			struct memif_queue *q = ring_queue(md, t == 0, i);

			o = out_add(cc, MEMIF_MSG_ADD_RING, q->conn_fd);
			o->msg.add_ring.flags = t ? 0 : MEMIF_ADD_RING_FLAG_C2S;
			o->msg.add_ring.index = i;
			o->msg.add_ring.region = 0;
			o->msg.add_ring.offset = q->ring_offset;
			o->msg.add_ring.log2_ring_size = q->log2;
			o->msg.add_ring.private_hdr_size = 0;
		}
	}
	o = out_add(cc, MEMIF_MSG_CONNECT, -1);
	put_str(o->msg.connect.if_name, MEMIF_NAME_SZ, md->port->name);
	return 0;
}

static int client_send_next(struct memif_cc *cc)
{
	struct memif_out *o;

	if (cc->sent >= cc->nout)
		return 0;
	o = &cc->out[cc->sent++];
	return msg_send(cc->fd, &o->msg, o->fd);
}

static int client_on_hello(struct memif_dev *md, struct memif_cc *cc,
			   const struct memif_msg_hello *h)
{
	int ret;

	if (cc->out) {
		MEMIF_LOG(ERR, "%s: second HELLO", md->port->name);
		return -EPROTO;
	}
	if (h->min_version > MEMIF_VERSION || h->max_version < MEMIF_VERSION) {
		send_disconnect(cc, "Incompatible memif version");
		return -EPROTO;
	}
	copy_str(md->remote_name, sizeof(md->remote_name), h->name,
		 MEMIF_NAME_SZ);
	md->run_c2s = md->nb_txq < (uint32_t)h->max_c2s_ring + 1 ?
		      md->nb_txq : (uint16_t)(h->max_c2s_ring + 1);
	md->run_s2c = md->nb_rxq < (uint32_t)h->max_s2c_ring + 1 ?
		      md->nb_rxq : (uint16_t)(h->max_s2c_ring + 1);
	md->run_log2 = md->log2_ring < h->max_log2_ring_size ?
		       md->log2_ring : h->max_log2_ring_size;
	ret = client_make_region(md);
	if (ret) {
		send_disconnect(cc, "Failed to create region");
		return ret;
	}
	if (md->nregions - 1 > h->max_region) {
		MEMIF_LOG(ERR, "%s: zero-copy shares %u regions, the server "
			  "accepts %u: use fewer memory segments (-m) or "
			  "zero-copy=no", md->port->name, md->nregions,
			  h->max_region + 1u);
		send_disconnect(cc, "Too many regions");
		return -E2BIG;
	}
	ret = client_queue_handshake(md, cc);
	return ret ? ret : client_send_next(cc);
}

/* ------------------------------------------------------------------ */
/* Server side */

static const char *server_on_init(struct memif_cc *cc,
				  const struct memif_msg_init *in)
{
	struct memif_dev *md;

	if (in->version != MEMIF_VERSION)
		return "Incompatible memif version";
	TAILQ_FOREACH(md, &cc->sock->devs, next) {
		if (md->role != MEMIF_ROLE_SERVER || md->id != in->id ||
		    md->state == MEMIF_DOWN)
			continue;
		if (md->state != MEMIF_WAITING)
			return "Already connected";
		if (in->mode != MEMIF_MODE_ETHERNET)
			return "Only ethernet mode supported";
		if (md->secret[0] && !in->secret[0])
			return "Secret required";
		if (md->secret[0] && strncmp(md->secret,
					     (const char *)in->secret,
					     MEMIF_SECRET_SZ))
			return "Incorrect secret";
		cc->dev = md;
		md->cc = cc;
		md->state = MEMIF_CONNECTING;
		md->nregions = 0;
		md->run_c2s = md->run_s2c = 0;
		copy_str(md->remote_name, sizeof(md->remote_name), in->name,
			 MEMIF_NAME_SZ);
		return NULL;
	}
	return "ID not found";
}

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

/*
 * A region must keep its size while we have it mapped: a client that
 * shrinks the file afterwards makes our next access to the lost pages
 * SIGBUS.  A memfd proves it cannot shrink with F_SEAL_SHRINK (DPDK and
 * libmemif clients seal their copy-mode regions so; vfnet's clients
 * seal every memfd).  A hugetlbfs file (a zero-copy client exposing its
 * hugepages) cannot take seals: it is accepted, as DPDK's server
 * accepts every region, and that trust is the documented price of
 * zero-copy peers (doc/memif.md).  So is, past region 0 (the rings,
 * which every client makes itself), a shmem file that cannot take
 * seals: DPDK's zero-copy client with --no-huge shares its EAL memory,
 * a memfd created without MFD_ALLOW_SEALING (seals: F_SEAL_SEAL only).
 * A memfd that could be sealed and is not is refused.
 */
static const char *region_check_seals(struct memif_dev *md, uint16_t idx,
				      int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	struct statfs sfs;

	if (seals >= 0 && (seals & F_SEAL_SHRINK))
		return NULL;
	if (fstatfs(fd, &sfs) == 0 && (uint32_t)sfs.f_type == HUGETLBFS_MAGIC) {
		MEMIF_LOG(NOTICE, "%s: region %u is an unsealed hugetlbfs file "
			  "(a zero-copy client): trusting it not to shrink",
			  md->port->name, idx);
		return NULL;
	}
	if (idx > 0 && seals >= 0 && (seals & F_SEAL_SEAL)) {
		MEMIF_LOG(NOTICE, "%s: region %u is a memfd that cannot take "
			  "seals (a zero-copy client's --no-huge memory): "
			  "trusting it not to shrink", md->port->name, idx);
		return NULL;
	}
	return "Region not sealed: memfd needs F_SEAL_SHRINK";
}

static const char *server_on_region(struct memif_dev *md,
				    const struct memif_msg_add_region *ar,
				    int fd)
{
	struct stat st;
	const char *err;
	void *p;

	if (fd < 0)
		return "Missing region fd";
	if (ar->index >= MEMIF_MAX_REGIONS || ar->index != md->nregions)
		return "Invalid region index";
	err = region_check_seals(md, ar->index, fd);
	if (err)
		return err;
	/* Sealed: the size checked here is a floor for as long as we map. */
	if (ar->size == 0 || ar->size > ((uint64_t)1 << 40) ||
	    fstat(fd, &st) < 0 || (uint64_t)st.st_size < ar->size)
		return "Invalid region size";
	p = mmap(NULL, ar->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return "Failed to map region";
	md->regions[md->nregions].addr = p;
	md->regions[md->nregions].size = ar->size;
	md->nregions++;
	return NULL;
}

static const char *server_on_ring(struct memif_dev *md,
				  const struct memif_msg_add_ring *ar, int *fd)
{
	int c2s = ar->flags & MEMIF_ADD_RING_FLAG_C2S;
	struct memif_queue *q = ring_queue(md, c2s, ar->index);

	if (*fd < 0)
		return "Missing interrupt fd";
	if (!q || q->conn_ring)
		return "Invalid ring index";
	if (ar->region >= md->nregions || ar->log2_ring_size >
	    MEMIF_MAX_LOG2_RING || ar->private_hdr_size)
		return "Invalid ring parameters";
	if ((uint64_t)ar->offset + ring_bytes(ar->log2_ring_size) >
	    md->regions[ar->region].size)
		return "Ring outside its region";
	q->conn_ring = (struct memif_ring *)(md->regions[ar->region].addr +
					     ar->offset);
	q->log2 = ar->log2_ring_size;
	md->run_log2 = ar->log2_ring_size;
	q->conn_fd = *fd;
	*fd = -1;
	if (c2s)
		md->run_c2s = (uint16_t)(ar->index + 1 > md->run_c2s ?
					 ar->index + 1 : md->run_c2s);
	else
		md->run_s2c = (uint16_t)(ar->index + 1 > md->run_s2c ?
					 ar->index + 1 : md->run_s2c);
	return NULL;
}

void memif_server_accept(struct memif_socket *s)
{
	struct memif_cc *cc;
	struct memif_msg m;
	int fd = accept4(s->listen_fd, NULL, NULL,
			 SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	cc = calloc(1, sizeof(*cc));
	if (!cc) {
		close(fd);
		return;
	}
	cc->fd = fd;
	cc->sock = s;
	cc->ev.kind = EV_CC;
	cc->ev.obj = cc;
	TAILQ_INSERT_TAIL(&memif_ccs, cc, next);
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_HELLO;
	put_str(m.hello.name, MEMIF_NAME_SZ, MEMIF_APP_NAME);
	m.hello.min_version = MEMIF_VERSION;
	m.hello.max_version = MEMIF_VERSION;
	m.hello.max_region = MEMIF_MAX_REGIONS - 1;
	m.hello.max_c2s_ring = MEMIF_MAX_QPAIRS;
	m.hello.max_s2c_ring = MEMIF_MAX_QPAIRS;
	m.hello.max_log2_ring_size = MEMIF_MAX_LOG2_RING;
	if (memif_epoll_add(fd, &cc->ev) < 0 || msg_send(fd, &m, -1) < 0)
		memif_cc_free(cc);
}

/* ------------------------------------------------------------------ */
/* Receiving */

/* Handle one message on a bound channel; returns an error text or NULL. */
static const char *dev_on_msg(struct memif_dev *md, struct memif_cc *cc,
			      const struct memif_msg *m, int *fd)
{
	int client = md->role == MEMIF_ROLE_CLIENT;

	switch (m->type) {
	case MEMIF_MSG_ACK:
		if (client && client_send_next(cc) < 0)
			return "Failed to send";
		return NULL;
	case MEMIF_MSG_HELLO:
		if (!client)
			return "Unexpected message";
		return client_on_hello(md, cc, &m->hello) ? "Handshake failed" :
							    NULL;
	case MEMIF_MSG_ADD_REGION:
		if (client)
			return "Unexpected message";
		{
			const char *e = server_on_region(md, &m->add_region,
							 *fd);
			return e ? e : (send_simple(cc, MEMIF_MSG_ACK) ?
					"Failed to send" : NULL);
		}
	case MEMIF_MSG_ADD_RING:
		if (client)
			return "Unexpected message";
		{
			const char *e = server_on_ring(md, &m->add_ring, fd);

			return e ? e : (send_simple(cc, MEMIF_MSG_ACK) ?
					"Failed to send" : NULL);
		}
	case MEMIF_MSG_CONNECT:
	case MEMIF_MSG_CONNECTED:
		if (client != (m->type == MEMIF_MSG_CONNECTED) ||
		    md->state != MEMIF_CONNECTING)
			return "Unexpected message";
		copy_str(md->remote_if, sizeof(md->remote_if),
			 m->connect.if_name, MEMIF_NAME_SZ);
		if (dev_connect(md))
			return "Connect failed";
		if (!client)
			send_name_msg(cc, MEMIF_MSG_CONNECTED, md->port->name);
		return NULL;
	default:
		return "Unknown message type";
	}
}

void memif_cc_readable(struct memif_cc *cc)
{
	char ctl[CMSG_SPACE(sizeof(int) * 4) + CMSG_SPACE(sizeof(struct ucred))];
	struct memif_msg m;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct memif_dev *md = cc->dev;
	struct cmsghdr *cmsg;
	const char *err = NULL;
	ssize_t n;
	int fd = -1;

	n = recvmsg(cc->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	for (cmsg = CMSG_FIRSTHDR(&mh); n > 0 && cmsg;
	     cmsg = CMSG_NXTHDR(&mh, cmsg)) {
		int *fds = (int *)CMSG_DATA(cmsg);
		size_t k, nfd;

		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < nfd; k++) {
			if (fd < 0)
				fd = fds[k];
			else
				close(fds[k]); /* one fd per message */
		}
	}
	if (n <= 0) {
		/* The peer closed (or failed): link down, wait again. */
		if (md) {
			MEMIF_LOG(INFO, "%s: peer closed the control channel",
				  md->port->name);
			memif_dev_disconnect(md, NULL);
		} else {
			memif_cc_free(cc);
		}
		return;
	}
	if (n != sizeof(m)) {
		err = "Invalid message size";
	} else if (m.type == MEMIF_MSG_DISCONNECT) {
		if (md) {
			copy_str(md->disc_reason, sizeof(md->disc_reason),
				 m.disconnect.string, MEMIF_DISC_SZ);
			MEMIF_LOG(NOTICE, "%s: peer disconnected: %s",
				  md->port->name, md->disc_reason);
			memif_dev_disconnect(md, NULL);
		} else {
			memif_cc_free(cc);
		}
		goto out;
	} else if (!md) {
		if (m.type != MEMIF_MSG_INIT)
			err = "Unexpected message";
		else
			err = server_on_init(cc, &m.init);
		if (!err && send_simple(cc, MEMIF_MSG_ACK))
			err = "Failed to send";
		md = cc->dev;
	} else {
		err = dev_on_msg(md, cc, &m, &fd);
	}
	if (err) {
		MEMIF_LOG(ERR, "%s: memif handshake failed: %s",
			  md ? md->port->name : cc->sock->path, err);
		if (md) {
			snprintf(md->disc_reason, sizeof(md->disc_reason),
				 "%s", err);
			memif_dev_disconnect(md, err);
		} else {
			send_disconnect(cc, err);
			memif_cc_free(cc);
		}
	}
out:
	if (fd >= 0)
		close(fd);
}

static int tx_drained(const struct memif_dev *md)
{
	uint16_t i;

	for (i = 0; i < md->nb_txq; i++) {
		const struct memif_queue *q = &md->txq[i];
		const struct memif_ring *r = q->ring;
		uint16_t head, tail;

		if (!r)
			continue;
		head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
		/* C2S: the server gave every slot back (tail caught up);
		 * S2C: the client read and refilled them all (or we sent
		 * nothing on this connection). */
		if (q->c2s ? head != tail :
			     (uint16_t)(head - tail) != q->ring_size &&
			     q->stats.packets != q->sent_at_connect)
			return 0;
	}
	return 1;
}

/*
 * A clean stop loses no frame: give the peer up to MEMIF_DRAIN_MS to
 * read what we queued before we disconnect (the port layer stopped our
 * bursts already).  A peer that went away reads as zeros, which looks
 * drained for C2S and times out for S2C: bounded either way.
 */
void memif_dev_drain(struct memif_dev *md)
{
	uint64_t end = memif_now_ms() + MEMIF_DRAIN_MS;
	const struct timespec step = { 0, 1000000 };

	uint64_t start = memif_now_ms();

	if (md->state != MEMIF_CONNECTED)
		return;
	while (!tx_drained(md) && memif_now_ms() < end)
		nanosleep(&step, NULL);
	MEMIF_LOG(INFO, "%s: tx rings %s after %u ms", md->port->name,
		  tx_drained(md) ? "drained" : "NOT drained",
		  (unsigned int)(memif_now_ms() - start));
}

