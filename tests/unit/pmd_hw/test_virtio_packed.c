/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net rx/tx bursts on packed virtqueues (virtio 1.1, 2.7) against a
 * simulated device: the test consumes available descriptor chains and
 * writes used descriptors back as the device would (in its own slots, with
 * its own wrap counters), over several laps of the ring, and watches the
 * doorbell (a plain variable here).  Natively, under ASan.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "vfn_cunit.h"
#include "virtio_ut.h"

#define F_AVAIL VRING_PACKED_DESC_F_AVAIL
#define F_USED VRING_PACKED_DESC_F_USED

/* The simulated device's side of one ring. */
struct dev {
	struct virtqueue *vq;
	uint16_t avail;       /* next slot to read */
	uint8_t avail_wrap;
	uint16_t used;        /* next slot to write */
	uint8_t used_wrap;
};

static void dev_init(struct dev *d, struct virtqueue *vq)
{
	d->vq = vq;
	d->avail = d->used = 0;
	d->avail_wrap = d->used_wrap = 1;
}

static int dev_slot_avail(const struct dev *d, uint16_t slot, uint8_t wrap)
{
	uint16_t f = d->vq->pdesc[slot].flags;

	return !!(f & F_AVAIL) == wrap && !!(f & F_USED) != wrap;
}

static void dev_step(uint16_t *slot, uint8_t *wrap, uint16_t size)
{
	if (++*slot == size) {
		*slot = 0;
		*wrap ^= 1;
	}
}

/*
 * Take the next available chain: its slots in @p slots (up to 8), its
 * length returned (0: nothing available).  The chain's id is checked to
 * be the same in every descriptor.
 */
static uint16_t dev_take(struct dev *d, uint16_t *slots, uint16_t *id)
{
	uint16_t n = 0;

	if (!dev_slot_avail(d, d->avail, d->avail_wrap))
		return 0;
	*id = d->vq->pdesc[d->avail].id;
	for (;;) {
		uint16_t f = d->vq->pdesc[d->avail].flags;

		CU_ASSERT_FATAL(n < 8);
		CU_ASSERT_TRUE(dev_slot_avail(d, d->avail, d->avail_wrap));
		CU_ASSERT_EQUAL(d->vq->pdesc[d->avail].id, *id);
		slots[n++] = d->avail;
		dev_step(&d->avail, &d->avail_wrap, d->vq->size);
		if (!(f & VRING_DESC_F_NEXT))
			return n;
	}
}

/* Mark the chain with @p id and @p ndescs descriptors used, @p len written. */
static void dev_use(struct dev *d, uint16_t id, uint16_t ndescs, uint32_t len)
{
	volatile struct vring_packed_desc *u = &d->vq->pdesc[d->used];
	uint16_t i;

	u->id = id;
	u->len = len;
	__atomic_store_n(&u->flags, d->used_wrap ? F_AVAIL | F_USED : 0,
			 __ATOMIC_RELEASE);
	for (i = 0; i < ndescs; i++)
		dev_step(&d->used, &d->used_wrap, d->vq->size);
}

static int setup(void)
{
	return virtio_ut_setup(1ull << VIRTIO_F_RING_PACKED);
}

static void test_layout(void)
{
	struct virtqueue *vq = virtqueue_alloc(3, 64, -1, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	CU_ASSERT_TRUE(vq->packed);
	CU_ASSERT_PTR_NULL(vq->desc);
	CU_ASSERT_EQUAL(vq->desc_iova % 16, 0);
	CU_ASSERT_EQUAL(vq->avail_iova % 4, 0);
	CU_ASSERT_EQUAL(vq->used_iova % 4, 0);
	CU_ASSERT_TRUE(vq->avail_iova >= vq->desc_iova + 64 * 16);
	CU_ASSERT_NOT_EQUAL(vq->avail_iova, vq->used_iova);
	CU_ASSERT_EQUAL(vq->nb_free, 64);
	CU_ASSERT_EQUAL(vq->nb_free_id, 64);
	CU_ASSERT_EQUAL(vq->avail_flags, F_AVAIL);
	CU_ASSERT_EQUAL(vq->used_wrap, 1);
	CU_ASSERT_EQUAL(vq->driver_event->flags, VRING_PACKED_EVENT_F_DISABLE);
	virtqueue_free(vq);
}

/*
 * The tx scenarios share one queue and the device's side of it: each case
 * starts where the previous one left the ring (slots, ids, wrap
 * counters), so they run in the order of packed_cases.
 */
static struct {
	struct virtio_tx_queue *txq;
	struct virtqueue *vq;
	struct dev d;
	unsigned int avail;     /* mbufs in the pool before the queue */
	uint64_t sent;
	struct vfn_mbuf *seg;   /* the shared mbuf, freed after the laps */
} tx;

static void test_tx_alloc(void)
{
	tx.avail = vfn_mempool_avail_count(mp);
	CU_ASSERT_EQUAL(virtio_txq_alloc(&ad, 0, 64, -1, &tx.txq), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tx.txq);
	tx.vq = tx.txq->vq;
	CU_ASSERT_TRUE_FATAL(tx.vq->packed);
	CU_ASSERT_EQUAL(tx.vq->index, 1);
	tx.vq->notify = (volatile uint16_t *)&doorbell;
	dev_init(&tx.d, tx.vq);
}

/* Five plain frames: header pushed, one descriptor each, distinct ids. */
static void test_tx_plain(void)
{
	struct virtqueue *vq = tx.vq;
	struct vfn_mbuf *pkts[5];
	uint16_t i, n, ids_seen[64] = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	for (i = 0; i < 5; i++)
		pkts[i] = frame((uint16_t)(100 + i), (uint8_t)i);
	doorbell = 0xffff;
	n = virtio_xmit_pkts_packed(tx.txq, pkts, 5);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_EQUAL(doorbell, 1); /* queue index written */
	for (i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(vq->pdesc[i].flags, F_AVAIL);
		CU_ASSERT_EQUAL(vq->pdesc[i].len, 100u + i + VIRTIO_NET_HDR_LEN);
		CU_ASSERT_EQUAL(vq->pdesc[i].addr,
				vfn_pktmbuf_iova(pkts[i]) - VIRTIO_NET_HDR_LEN);
		CU_ASSERT_FALSE(ids_seen[vq->pdesc[i].id]);
		ids_seen[vq->pdesc[i].id] = 1;
	}
}

/* The device disabled notifications: no doorbell. */
static void test_tx_suppressed(void)
{
	struct vfn_mbuf *pkts[1];

	CU_ASSERT_PTR_NOT_NULL_FATAL(tx.vq);
	tx.vq->device_event->flags = VRING_PACKED_EVENT_F_DISABLE;
	doorbell = 0xffff;
	pkts[0] = frame(60, 9);
	CU_ASSERT_EQUAL(virtio_xmit_pkts_packed(tx.txq, pkts, 1), 1);
	CU_ASSERT_EQUAL(doorbell, 0xffff);
	tx.vq->device_event->flags = VRING_PACKED_EVENT_F_ENABLE;
}

/* A shared mbuf: header from the queue's array, then the data. */
static void test_tx_shared(void)
{
	struct virtqueue *vq = tx.vq;
	struct vfn_mbuf *pkts[1];

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	pkts[0] = frame(80, 1);
	vfn_mbuf_refcnt_update(pkts[0], 1);
	tx.seg = pkts[0];
	CU_ASSERT_EQUAL(virtio_xmit_pkts_packed(tx.txq, pkts, 1), 1);
	CU_ASSERT_EQUAL(vq->pdesc[6].flags, F_AVAIL | VRING_DESC_F_NEXT);
	CU_ASSERT_EQUAL(vq->pdesc[6].len, VIRTIO_NET_HDR_LEN);
	CU_ASSERT_EQUAL(vq->pdesc[7].flags, F_AVAIL);
	CU_ASSERT_EQUAL(vq->pdesc[7].len, 80);
	CU_ASSERT_EQUAL(vq->pdesc[7].addr, vfn_pktmbuf_iova(tx.seg));
	CU_ASSERT_EQUAL(vq->pdesc[6].id, vq->pdesc[7].id);
	CU_ASSERT_EQUAL(vq->nb_free, 64 - 5 - 1 - 2);
}

/* Two segments: header + 2 descriptors. */
static void test_tx_two_segments(void)
{
	struct virtqueue *vq = tx.vq;
	struct vfn_mbuf *pkts[1], *s2;

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	pkts[0] = frame(50, 3);
	s2 = frame(70, 4);
	CU_ASSERT_EQUAL_FATAL(vfn_pktmbuf_chain(pkts[0], s2), 0);
	CU_ASSERT_EQUAL(virtio_xmit_pkts_packed(tx.txq, pkts, 1), 1);
	CU_ASSERT_EQUAL(vq->pdesc[8].flags, F_AVAIL | VRING_DESC_F_NEXT);
	CU_ASSERT_EQUAL(vq->pdesc[9].flags, F_AVAIL | VRING_DESC_F_NEXT);
	CU_ASSERT_EQUAL(vq->pdesc[10].flags, F_AVAIL);
	CU_ASSERT_EQUAL(vq->pdesc[10].len, 70);
	CU_ASSERT_EQUAL(vq->nb_free, 64 - 11);
}

/* The device takes the 8 chains (11 descriptors) and completes them. */
static void test_tx_device_completes(void)
{
	uint16_t i, k, slots[8], id = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tx.vq);
	for (i = 0; i < 8; i++) {
		k = dev_take(&tx.d, slots, &id);
		CU_ASSERT_EQUAL(k, i < 6 ? 1 : i == 6 ? 2 : 3);
		dev_use(&tx.d, id, k, 0);
	}
	CU_ASSERT_EQUAL(dev_take(&tx.d, slots, &id), 0);
	tx.sent = 8;
}

/*
 * Several laps of the 64-slot ring: bursts of 40 (a reclaim before
 * each), the device completing out of order in pairs, and the
 * descriptor flags following the wrap counter.
 */
static void test_tx_laps(void)
{
	struct vfn_mbuf *pkts[40];
	uint16_t i, n, lap, slots[8];

	CU_ASSERT_PTR_NOT_NULL_FATAL(tx.vq);
	for (lap = 0; lap < 6; lap++) {
		uint16_t ids[40], lens[40];

		for (i = 0; i < 40; i++)
			pkts[i] = frame(60, (uint8_t)lap);
		n = virtio_xmit_pkts_packed(tx.txq, pkts, 40);
		CU_ASSERT_EQUAL_FATAL(n, 40);
		tx.sent += n;
		for (i = 0; i < 40; i++) {
			lens[i] = dev_take(&tx.d, slots, &ids[i]);
			CU_ASSERT_EQUAL(lens[i], 1);
		}
		for (i = 0; i < 40; i += 2) {
			dev_use(&tx.d, ids[i + 1], 1, 0);
			dev_use(&tx.d, ids[i], 1, 0);
		}
	}
	/* The last reclaim left only the last burst outstanding. */
	CU_ASSERT_EQUAL(tx.vq->nb_free, 64 - 40);
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(tx.seg), 1);
	vfn_pktmbuf_free(tx.seg);
	tx.seg = NULL;
}

/*
 * 11 + 240 slots so far: the next is 59, in a lap whose avail wrap
 * counter is 0.  Two 3-segment frames (header + 3 descriptors each)
 * take 59..62 and 63, 0, 1, 2: the second chain crosses the end of
 * the ring, its descriptors after it carry the next lap's flags.
 */
static void test_tx_chain_across_end(void)
{
	struct virtqueue *vq = tx.vq;
	struct vfn_mbuf *pkts[2];
	uint16_t i, k, slots[8], id = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	CU_ASSERT_EQUAL_FATAL(vq->avail_idx, 59);
	CU_ASSERT_EQUAL(vq->avail_flags, F_USED);
	for (i = 0; i < 2; i++) {
		pkts[i] = frame(40, 1);
		CU_ASSERT_EQUAL_FATAL(vfn_pktmbuf_chain(pkts[i], frame(41, 2)), 0);
		CU_ASSERT_EQUAL_FATAL(vfn_pktmbuf_chain(pkts[i], frame(42, 3)), 0);
	}
	CU_ASSERT_EQUAL(virtio_xmit_pkts_packed(tx.txq, pkts, 2), 2);
	tx.sent += 2;
	CU_ASSERT_EQUAL(vq->pdesc[63].flags, F_USED | VRING_DESC_F_NEXT);
	CU_ASSERT_EQUAL(vq->pdesc[0].flags, F_AVAIL | VRING_DESC_F_NEXT);
	CU_ASSERT_EQUAL(vq->pdesc[1].flags, F_AVAIL | VRING_DESC_F_NEXT);
	CU_ASSERT_EQUAL(vq->pdesc[2].flags, F_AVAIL);
	CU_ASSERT_EQUAL(vq->pdesc[2].len, 42);
	CU_ASSERT_EQUAL(vq->avail_idx, 3);
	CU_ASSERT_EQUAL(vq->avail_flags, F_AVAIL);
	for (i = 0; i < 2; i++) {
		k = dev_take(&tx.d, slots, &id);
		CU_ASSERT_EQUAL(k, 4);
		CU_ASSERT_EQUAL(tx.d.vq->pdesc[slots[3]].len, 42);
		dev_use(&tx.d, id, k, 0);
	}
	CU_ASSERT_EQUAL(dev_take(&tx.d, slots, &id), 0);
}

/* A burst that must reclaim them (and the 40 before). */
static void test_tx_reclaim(void)
{
	struct vfn_mbuf *pkts[40];
	uint16_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tx.vq);
	for (i = 0; i < 40; i++)
		pkts[i] = frame(60, 7);
	CU_ASSERT_EQUAL(virtio_xmit_pkts_packed(tx.txq, pkts, 40), 40);
	tx.sent += 40;
	CU_ASSERT_EQUAL(tx.vq->nb_free, 64 - 40);
	CU_ASSERT_EQUAL(tx.vq->last_used, 3);
	CU_ASSERT_EQUAL(tx.vq->used_wrap, 1); /* 259 slots: 4 laps */
	CU_ASSERT_EQUAL(tx.txq->stats.packets, tx.sent);
}

/* Freeing the queue returns every mbuf it held. */
static void test_tx_free(void)
{
	unsigned int avail = tx.avail;

	CU_ASSERT_PTR_NOT_NULL_FATAL(tx.txq);
	if (tx.seg)	/* a scenario stopped before the laps freed it */
		vfn_pktmbuf_free(tx.seg);
	virtio_txq_free(tx.txq);
	memset(&tx, 0, sizeof(tx));
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail);
}

/* Device side: write a frame into the buffer of the chain at @p slot. */
static uint32_t dev_write(struct virtqueue *vq, uint16_t slot, uint16_t len,
			  uint8_t seed, uint16_t nbufs, int with_hdr)
{
	uint16_t id = vq->pdesc[slot].id;
	struct vfn_mbuf *m = vq->cookie[id];
	uint8_t *p = (uint8_t *)m->buf_addr + VFN_PKTMBUF_HEADROOM -
		     VIRTIO_NET_HDR_LEN;
	uint16_t i, off = 0;

	CU_ASSERT_TRUE(vq->pdesc[slot].flags & VRING_DESC_F_WRITE);
	CU_ASSERT_EQUAL(vq->pdesc[slot].addr,
			m->buf_iova + VFN_PKTMBUF_HEADROOM - VIRTIO_NET_HDR_LEN);
	if (with_hdr) {
		struct virtio_net_hdr h = { .num_buffers = nbufs };

		memcpy(p, &h, sizeof(h));
		off = VIRTIO_NET_HDR_LEN;
	}
	for (i = 0; i < len; i++)
		p[off + i] = (uint8_t)(seed + i);
	return off + len;
}

/* Device: receive one frame of @p len into the next available buffer. */
static void dev_rx(struct dev *d, uint16_t len, uint8_t seed)
{
	uint16_t slots[8], id = 0, k;

	k = dev_take(d, slots, &id);
	CU_ASSERT_EQUAL_FATAL(k, 1);
	dev_use(d, id, 1, dev_write(d->vq, slots[0], len, seed, 1, 1));
}

/* The rx scenarios share one queue the same way, in order. */
static struct {
	struct virtio_rx_queue *rxq;
	struct virtqueue *vq;
	struct dev d;
	unsigned int avail;     /* mbufs in the pool before the queue */
	uint32_t total;         /* frames received so far */
} rx;

static void test_rx_fill(void)
{
	struct vfn_mbuf *pkts[32];
	uint16_t i;

	rx.avail = vfn_mempool_avail_count(mp);
	CU_ASSERT_EQUAL(virtio_rxq_alloc(&ad, 0, 64, -1, mp, &rx.rxq), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rx.rxq);
	rx.vq = rx.rxq->vq;
	CU_ASSERT_TRUE_FATAL(rx.vq->packed);
	rx.vq->notify = (volatile uint16_t *)&doorbell;
	dev_init(&rx.d, rx.vq);
	CU_ASSERT_EQUAL(virtio_rxq_fill(rx.rxq), 0);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), rx.avail - 64);
	CU_ASSERT_EQUAL(rx.vq->nb_free, 0);
	for (i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(rx.vq->pdesc[i].flags, F_AVAIL | VRING_DESC_F_WRITE);
	CU_ASSERT_EQUAL(virtio_recv_pkts_packed(rx.rxq, pkts, 32), 0);
}

/* 20 frames, one buffer each. */
static void test_rx_single_buffers(void)
{
	struct vfn_mbuf *pkts[32];
	uint16_t i, k, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rx.vq);
	for (i = 0; i < 20; i++)
		dev_rx(&rx.d, (uint16_t)(64 + i), (uint8_t)i);
	n = virtio_recv_pkts_packed(rx.rxq, pkts, 32);
	CU_ASSERT_EQUAL(n, 20);
	for (i = 0; i < n; i++) {
		const uint8_t *p = vfn_pktmbuf_mtod(pkts[i], const uint8_t *);

		CU_ASSERT_EQUAL(pkts[i]->pkt_len, 64u + i);
		for (k = 0; k < pkts[i]->data_len; k++)
			if (p[k] != (uint8_t)(i + k))
				break;
		CU_ASSERT_EQUAL(k, pkts[i]->data_len);
	}
	vfn_pktmbuf_free_bulk(pkts, n);
	rx.total += n;
	/* Fewer than a burst consumed: no refill yet. */
	CU_ASSERT_EQUAL(rx.vq->nb_free, 20);
}

/* One frame over two buffers (mergeable), used in two steps. */
static void test_rx_mergeable(void)
{
	struct virtqueue *vq = rx.vq;
	struct vfn_mbuf *pkts[32];
	uint16_t n, slots[8], id1 = 0, id2 = 0;
	uint32_t len1, len2;

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	CU_ASSERT_EQUAL_FATAL(dev_take(&rx.d, slots, &id1), 1);
	len1 = dev_write(vq, slots[0], 1000, 5, 2, 1);
	CU_ASSERT_EQUAL_FATAL(dev_take(&rx.d, slots, &id2), 1);
	len2 = dev_write(vq, slots[0], 300, 77, 0, 0);
	dev_use(&rx.d, id1, 1, len1);
	CU_ASSERT_EQUAL(virtio_recv_pkts_packed(rx.rxq, pkts, 32), 0);
	dev_use(&rx.d, id2, 1, len2);
	n = virtio_recv_pkts_packed(rx.rxq, pkts, 32);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(pkts[0]->nb_segs, 2);
	CU_ASSERT_EQUAL(pkts[0]->pkt_len, 1300);
	CU_ASSERT_EQUAL(pkts[0]->data_len, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[0]->next);
	CU_ASSERT_EQUAL(pkts[0]->next->data_len, 300);
	CU_ASSERT_EQUAL((vfn_pktmbuf_mtod(pkts[0]->next, uint8_t *))[0], 77);
	vfn_pktmbuf_free(pkts[0]);
	rx.total++;
}

/* 22 buffers used; 10 more make a burst: refilled, one doorbell. */
static void test_rx_refill(void)
{
	struct virtqueue *vq = rx.vq;
	struct vfn_mbuf *pkts[32];
	uint16_t i, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	for (i = 0; i < 10; i++)
		dev_rx(&rx.d, 60, 0);
	doorbell = 0xffff;
	n = virtio_recv_pkts_packed(rx.rxq, pkts, 32);
	CU_ASSERT_EQUAL(n, 10);
	vfn_pktmbuf_free_bulk(pkts, n);
	rx.total += n;
	CU_ASSERT_EQUAL(vq->nb_free, 0);
	CU_ASSERT_EQUAL(doorbell, 0); /* rx queue 0 notified */
	/* The refilled slots 0..31 carry the second lap's flags. */
	CU_ASSERT_EQUAL(vq->pdesc[0].flags, F_USED | VRING_DESC_F_WRITE);
	CU_ASSERT_EQUAL(vq->pdesc[31].flags, F_USED | VRING_DESC_F_WRITE);
}

/* Many laps: frames keep their order and contents across wraps. */
static void test_rx_laps(void)
{
	struct vfn_mbuf *pkts[32];
	uint32_t seq = 0, got = 0;
	uint16_t i, n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rx.vq);
	for (i = 0; i < 40; i++) {
		uint16_t j, burst = (uint16_t)(7 + i % 25);

		for (j = 0; j < burst; j++)
			dev_rx(&rx.d, (uint16_t)(60 + (seq + j) % 200),
			       (uint8_t)(seq + j));
		n = virtio_recv_pkts_packed(rx.rxq, pkts, 32);
		CU_ASSERT_EQUAL_FATAL(n, burst);
		for (j = 0; j < n; j++, seq++) {
			const uint8_t *p = vfn_pktmbuf_mtod(pkts[j], const uint8_t *);

			got += pkts[j]->pkt_len == 60 + seq % 200 &&
			       p[0] == (uint8_t)seq &&
			       p[pkts[j]->data_len - 1] ==
				       (uint8_t)(seq + pkts[j]->data_len - 1);
		}
		vfn_pktmbuf_free_bulk(pkts, n);
		rx.total += n;
	}
	CU_ASSERT_EQUAL(got, seq);
}

/* A 3-buffer frame across the end of the ring. */
static void test_rx_chain_across_end(void)
{
	struct virtqueue *vq = rx.vq;
	struct vfn_mbuf *pkts[32];
	uint16_t i, n, slots[8], ids[3];
	uint32_t lens[3];

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	while (rx.d.used != 62) {
		dev_rx(&rx.d, 60, 0);
		n = virtio_recv_pkts_packed(rx.rxq, pkts, 1);
		CU_ASSERT_EQUAL_FATAL(n, 1);
		vfn_pktmbuf_free(pkts[0]);
		rx.total++;
	}
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(dev_take(&rx.d, slots, &ids[i]), 1);
		lens[i] = dev_write(vq, slots[0], (uint16_t)(500 + i),
				    (uint8_t)(10 * i), 3, i == 0);
	}
	for (i = 0; i < 3; i++) {
		dev_use(&rx.d, ids[i], 1, lens[i]);
		n = virtio_recv_pkts_packed(rx.rxq, pkts, 32);
		CU_ASSERT_EQUAL_FATAL(n, i == 2 ? 1 : 0);
	}
	CU_ASSERT_EQUAL(pkts[0]->nb_segs, 3);
	CU_ASSERT_EQUAL(pkts[0]->pkt_len, 500 + 501 + 502);
	CU_ASSERT_EQUAL((vfn_pktmbuf_mtod(pkts[0]->next->next, uint8_t *))[0], 20);
	vfn_pktmbuf_free(pkts[0]);
	rx.total++;
	CU_ASSERT_EQUAL(vq->last_used, 1);
	CU_ASSERT_EQUAL(rx.rxq->stats.packets, rx.total);
}

/*
 * A frame claiming more buffers than the device holds can never
 * complete: dropped as an error, the next frame still received.
 */
static void test_rx_too_many_buffers(void)
{
	struct virtqueue *vq = rx.vq;
	struct vfn_mbuf *pkts[32];
	uint16_t n, slots[8], id = 0;
	uint32_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(vq);
	CU_ASSERT_EQUAL_FATAL(dev_take(&rx.d, slots, &id), 1);
	len = dev_write(vq, slots[0], 100, 1, (uint16_t)(vq->size + 1), 1);
	dev_use(&rx.d, id, 1, len);
	dev_rx(&rx.d, 90, 9);
	n = virtio_recv_pkts_packed(rx.rxq, pkts, 32);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(pkts[0]->pkt_len, 90);
	vfn_pktmbuf_free(pkts[0]);
	rx.total++;
	CU_ASSERT_EQUAL(rx.rxq->stats.errors, 1);
	CU_ASSERT_EQUAL(rx.rxq->stats.packets, rx.total);
}

/* Freeing the queue returns every buffer it held. */
static void test_rx_free(void)
{
	unsigned int avail = rx.avail;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rx.rxq);
	virtio_rxq_free(rx.rxq);
	memset(&rx, 0, sizeof(rx));
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail);
}

static const struct vfn_test_case packed_cases[] = {
	{ "packed ring layout and reset state", test_layout },
	/* tx, in this order: the cases share the queue (see tx) */
	{ "tx: queue set-up", test_tx_alloc },
	{ "tx: five frames, header pushed, distinct ids", test_tx_plain },
	{ "tx: no doorbell while the device suppresses", test_tx_suppressed },
	{ "tx: shared mbuf, header from the queue's array", test_tx_shared },
	{ "tx: two segments, header + 2 descriptors", test_tx_two_segments },
	{ "tx: device completes 8 chains", test_tx_device_completes },
	{ "tx: laps, out-of-order reclaim, wrap flags", test_tx_laps },
	{ "tx: chain across the end of the ring", test_tx_chain_across_end },
	{ "tx: burst reclaims, counters", test_tx_reclaim },
	{ "tx: queue freed, every mbuf back", test_tx_free },
	/* rx, in this order: the cases share the queue (see rx) */
	{ "rx: queue set-up and fill", test_rx_fill },
	{ "rx: 20 frames, one buffer each", test_rx_single_buffers },
	{ "rx: mergeable frame over two buffers", test_rx_mergeable },
	{ "rx: refill after a burst, one doorbell", test_rx_refill },
	{ "rx: laps, order and contents across wraps", test_rx_laps },
	{ "rx: 3-buffer frame across the end of the ring", test_rx_chain_across_end },
	{ "rx: frame claiming too many buffers dropped", test_rx_too_many_buffers },
	{ "rx: queue freed, every buffer back", test_rx_free },
	{ NULL, NULL },
};

static const struct vfn_test_suite packed_suite = {
	"virtio_packed", setup, teardown, packed_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &packed_suite, NULL };

	return vfn_cunit_main(suites);
}
