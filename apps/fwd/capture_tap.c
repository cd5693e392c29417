/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture, the data path: runs on a forwarding lcore, only for a stream
 * with a tap attached.  Copies the burst's packets (up to the snap
 * length) into mbufs of the capture's pool and enqueues them on the tap's
 * single-producer ring.  Never blocks and makes no syscall: a copy that
 * finds no mbuf, or no room on the ring, is freed and counted as dropped.
 * See capture.h for the protocol with fwd_capture_stop().
 */
#include "vfn_cycles.h"
#include "vfn_mbuf.h"
#include "vfn_ring.h"
#include "fwd.h"

/* Enter a tap: 0 when the control thread is stopping it (leave it alone). */
static inline int tap_enter(struct fwd_capture_tap *t)
{
	__atomic_store_n(&t->busy, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&t->active, __ATOMIC_SEQ_CST))
		return 1;
	__atomic_store_n(&t->busy, 0, __ATOMIC_RELEASE);
	return 0;
}

/* Release: the control thread may free ring and pool once it reads 0. */
static inline void tap_leave(struct fwd_capture_tap *t)
{
	__atomic_store_n(&t->busy, 0, __ATOMIC_RELEASE);
}

/* One copy of @m, or NULL when the pool is empty. */
static inline struct vfn_mbuf *tap_copy(struct fwd_capture_tap *t,
					const struct vfn_mbuf *m, uint64_t tsc)
{
	struct vfn_mbuf *c = vfn_pktmbuf_copy(m, t->pool, 0, t->snaplen);
	struct fwd_capture_meta *meta;

	if (unlikely(c == NULL))
		return NULL;
	meta = vfn_mbuf_to_priv(c);
	meta->tsc = tsc;
	meta->wire_len = m->pkt_len;
	meta->dir = t->dir;
	return c;
}

/*
 * Copy up to @n packets: no more than the ring has room for (it only
 * grows until our enqueue: we are its single producer), and none after
 * the pool ran dry, so that a capture that drops costs little.
 * Returns the copies made, in copies[0..).
 */
static uint16_t tap_copy_burst(struct fwd_capture_tap *t,
			       struct vfn_mbuf **pkts, uint16_t n,
			       struct vfn_mbuf **copies)
{
	unsigned int room = vfn_ring_free_count(t->ring);
	uint64_t tsc = vfn_rdtsc();
	uint16_t i;

	if (room < n)
		n = (uint16_t)room;
	for (i = 0; i < n; i++) {
		copies[i] = tap_copy(t, pkts[i], tsc);
		if (unlikely(copies[i] == NULL))
			break;
	}
	return i;
}

/* Enqueue copies[0..k) of @n packets; the rest count as dropped. */
static void tap_push(struct fwd_capture_tap *t, struct vfn_mbuf **copies,
		     uint16_t k, uint16_t n)
{
	uint16_t enq;

	enq = (uint16_t)vfn_ring_sp_enqueue_burst(t->ring, (void **)copies, k,
						  NULL);
	if (unlikely(enq < k))
		vfn_pktmbuf_free_bulk(copies + enq, k - enq);
	fwd_count(&t->copied, enq);
	if (unlikely(enq < n))
		fwd_count(&t->dropped, (uint64_t)(n - enq));
}

void fwd_capture_rx(struct fwd_capture_tap *t, struct vfn_mbuf **pkts,
		    uint16_t nb)
{
	struct vfn_mbuf *copies[FWD_MAX_BURST];
	uint16_t k;

	if (!tap_enter(t))
		return;
	k = tap_copy_burst(t, pkts, nb, copies);
	tap_push(t, copies, k, nb);
	tap_leave(t);
}

/*
 * Copy before the send (the port owns the packets after it), then keep
 * the copies of the packets the port took: the file holds what was sent.
 */
uint16_t fwd_capture_tx_burst(struct fwd_capture_tap *t,
			      struct fwd_stream *fs, struct vfn_mbuf **pkts,
			      uint16_t nb)
{
	struct vfn_mbuf *copies[FWD_MAX_BURST];
	uint16_t k, nb_tx;

	if (nb == 0 || !tap_enter(t))
		return vfn_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts, nb);
	k = tap_copy_burst(t, pkts, nb, copies);
	nb_tx = vfn_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts, nb);
	if (k > nb_tx) {
		vfn_pktmbuf_free_bulk(copies + nb_tx, k - nb_tx);
		k = nb_tx;
	}
	tap_push(t, copies, k, nb_tx);
	tap_leave(t);
	return nb_tx;
}
