/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net rx/tx bursts against a simulated device: the test reads the
 * available ring and writes the used ring as the device would, and
 * watches the doorbell (a plain variable here).  Natively, under ASan.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "vfn_cunit.h"
#include "vfn_malloc.h"
#include "virtio_ut.h"

static int setup(void)
{
	return virtio_ut_setup(0);
}

/* Device side: complete @p n available entries from avail position @p from. */
static void dev_complete(struct virtqueue *vq, uint16_t from, uint16_t n,
			 const uint32_t *lens)
{
	uint16_t i, u = vq->used->idx;

	for (i = 0; i < n; i++) {
		uint16_t head = vq->avail->ring[(uint16_t)(from + i) & vq->mask];

		vq->used->ring[u & vq->mask].id = head;
		vq->used->ring[u & vq->mask].len = lens ? lens[i] : 0;
		u++;
	}
	__atomic_store_n(&vq->used->idx, u, __ATOMIC_RELEASE);
}

static void test_tx(void)
{
	struct virtio_tx_queue *txq = NULL;
	struct vfn_mbuf *pkts[40], *seg;
	unsigned int avail = vfn_mempool_avail_count(mp);
	struct virtqueue *vq;
	uint16_t i, n, head;

	CU_ASSERT_EQUAL(virtio_txq_alloc(&ad, 0, 48, -1, &txq), -EINVAL);
	CU_ASSERT_EQUAL(virtio_txq_alloc(&ad, 0, 512, -1, &txq), -EINVAL);
	CU_ASSERT_EQUAL(virtio_txq_alloc(&ad, 0, 64, -1, &txq), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(txq);
	vq = txq->vq;
	CU_ASSERT_EQUAL(vq->index, 1);
	vq->notify = (volatile uint16_t *)&doorbell;

	/* Five plain frames: header pushed into the headroom, one descriptor each. */
	for (i = 0; i < 5; i++)
		pkts[i] = frame((uint16_t)(100 + i), (uint8_t)i);
	doorbell = 0xffff;
	n = virtio_xmit_pkts(txq, pkts, 5);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_EQUAL(vq->avail->idx, 5);
	CU_ASSERT_EQUAL(doorbell, 1); /* queue index written */
	for (i = 0; i < 5; i++) {
		head = vq->avail->ring[i];
		CU_ASSERT_EQUAL(vq->desc[head].len, 100u + i + VIRTIO_NET_HDR_LEN);
		CU_ASSERT_EQUAL(vq->desc[head].addr,
				vfn_pktmbuf_iova(pkts[i]) - VIRTIO_NET_HDR_LEN);
		CU_ASSERT_EQUAL(vq->desc[head].flags, 0);
	}

	/* The device asks for no notifications: no doorbell. */
	vq->used->flags = VRING_USED_F_NO_NOTIFY;
	doorbell = 0xffff;
	pkts[0] = frame(60, 9);
	CU_ASSERT_EQUAL(virtio_xmit_pkts(txq, pkts, 1), 1);
	CU_ASSERT_EQUAL(doorbell, 0xffff);
	vq->used->flags = 0;

	/* A shared mbuf: header from the queue's array, then the data. */
	pkts[0] = frame(80, 1);
	vfn_mbuf_refcnt_update(pkts[0], 1);
	seg = pkts[0];
	CU_ASSERT_EQUAL(virtio_xmit_pkts(txq, pkts, 1), 1);
	head = vq->avail->ring[6];
	CU_ASSERT_EQUAL(vq->desc[head].len, VIRTIO_NET_HDR_LEN);
	CU_ASSERT_EQUAL(vq->desc[head].flags, VRING_DESC_F_NEXT);
	CU_ASSERT_EQUAL(vq->desc[vq->desc[head].next].len, 80);
	CU_ASSERT_EQUAL(vq->desc[vq->desc[head].next].addr,
			vfn_pktmbuf_iova(seg));
	CU_ASSERT_EQUAL(vq->ndescs[head], 2);
	CU_ASSERT_EQUAL(vq->nb_free, 64 - 5 - 1 - 2);

	/* The device completes all 7; the next large burst reclaims them. */
	dev_complete(vq, 0, 7, NULL);
	for (i = 0; i < 40; i++)
		pkts[i] = frame(60, 0);
	n = virtio_xmit_pkts(txq, pkts, 40);
	CU_ASSERT_EQUAL(n, 40);
	CU_ASSERT_EQUAL(vq->nb_free, 64 - 40);
	/* Our extra reference is the only one left on the shared mbuf. */
	CU_ASSERT_EQUAL(vfn_mbuf_refcnt_read(seg), 1);
	vfn_pktmbuf_free(seg);
	CU_ASSERT_EQUAL(txq->stats.packets, 5u + 1 + 1 + 40);

	virtio_txq_free(txq);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail);
}

/* Device side: write a frame of @p len into the buffer of avail slot @p slot. */
static uint32_t dev_write(struct virtqueue *vq, uint16_t slot, uint16_t len,
			  uint8_t seed, uint16_t nbufs, int with_hdr)
{
	uint16_t id = vq->avail->ring[slot & vq->mask];
	struct vfn_mbuf *m = vq->cookie[id];
	uint8_t *p = (uint8_t *)m->buf_addr + VFN_PKTMBUF_HEADROOM -
		     VIRTIO_NET_HDR_LEN;
	uint16_t i, off = 0;

	CU_ASSERT_EQUAL(vq->desc[id].flags, VRING_DESC_F_WRITE);
	if (with_hdr) {
		struct virtio_net_hdr h = { .num_buffers = nbufs };

		memcpy(p, &h, sizeof(h));
		off = VIRTIO_NET_HDR_LEN;
	}
	for (i = 0; i < len; i++)
		p[off + i] = (uint8_t)(seed + i);
	return off + len;
}

static void test_rx(void)
{
	struct virtio_rx_queue *rxq = NULL;
	struct vfn_mbuf *pkts[32];
	unsigned int avail = vfn_mempool_avail_count(mp);
	struct virtqueue *vq;
	uint32_t lens[40];
	uint16_t i, k, n;
	uint16_t posted;

	CU_ASSERT_EQUAL(virtio_rxq_alloc(&ad, 0, 64, -1, mp, &rxq), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rxq);
	vq = rxq->vq;
	vq->notify = (volatile uint16_t *)&doorbell;
	CU_ASSERT_EQUAL(vq->index, 0);
	CU_ASSERT_EQUAL(virtio_rxq_fill(rxq), 0);
	CU_ASSERT_EQUAL(vq->avail->idx, 64);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail - 64);
	CU_ASSERT_EQUAL(virtio_recv_pkts(rxq, pkts, 32), 0);

	/* 20 frames, one buffer each. */
	for (i = 0; i < 20; i++)
		lens[i] = dev_write(vq, i, (uint16_t)(64 + i), (uint8_t)i, 1, 1);
	dev_complete(vq, 0, 20, lens);
	n = virtio_recv_pkts(rxq, pkts, 32);
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
	/* Fewer than a burst consumed: no refill yet. */
	CU_ASSERT_EQUAL(vq->avail->idx, 64);

	/* One frame over two buffers (mergeable), published in two steps. */
	lens[0] = dev_write(vq, 20, 1000, 5, 2, 1);
	dev_complete(vq, 20, 1, lens);
	CU_ASSERT_EQUAL(virtio_recv_pkts(rxq, pkts, 32), 0);
	lens[0] = dev_write(vq, 21, 300, 77, 0, 0);
	dev_complete(vq, 21, 1, lens);
	n = virtio_recv_pkts(rxq, pkts, 32);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(pkts[0]->nb_segs, 2);
	CU_ASSERT_EQUAL(pkts[0]->pkt_len, 1300);
	CU_ASSERT_EQUAL(pkts[0]->data_len, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[0]->next);
	CU_ASSERT_EQUAL(pkts[0]->next->data_len, 300);
	CU_ASSERT_EQUAL((vfn_pktmbuf_mtod(pkts[0]->next, uint8_t *))[0], 77);
	vfn_pktmbuf_free(pkts[0]);

	/* 22 buffers used; 10 more make a burst: refilled with one publish. */
	posted = vq->avail->idx;
	for (i = 0; i < 10; i++)
		lens[i] = dev_write(vq, (uint16_t)(22 + i), 60, 0, 1, 1);
	dev_complete(vq, 22, 10, lens);
	doorbell = 0xffff;
	n = virtio_recv_pkts(rxq, pkts, 32);
	CU_ASSERT_EQUAL(n, 10);
	vfn_pktmbuf_free_bulk(pkts, n);
	CU_ASSERT_EQUAL((uint16_t)(vq->avail->idx - posted), 32);
	CU_ASSERT_EQUAL(doorbell, 0); /* rx queue 0 notified */
	CU_ASSERT_EQUAL(rxq->stats.packets, 31);

	/*
	 * A frame claiming more buffers (65) than the 64 the device holds can
	 * never complete: it is dropped as an error, the queue goes on.
	 */
	posted = vq->last_used;
	lens[0] = dev_write(vq, posted, 100, 1, 65, 1);
	lens[1] = dev_write(vq, (uint16_t)(posted + 1), 90, 9, 1, 1);
	dev_complete(vq, posted, 2, lens);
	n = virtio_recv_pkts(rxq, pkts, 32);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	CU_ASSERT_EQUAL(pkts[0]->pkt_len, 90);
	CU_ASSERT_EQUAL((vfn_pktmbuf_mtod(pkts[0], uint8_t *))[0], 9);
	vfn_pktmbuf_free(pkts[0]);
	CU_ASSERT_EQUAL(rxq->stats.errors, 1);
	CU_ASSERT_EQUAL(rxq->stats.packets, 32);

	virtio_rxq_free(rxq);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail);
}

/*
 * A control command the device does not answer in time: -ETIMEDOUT,
 * and later commands are refused (-EIO) instead of taking the late answer
 * for theirs, until a restart resets the queue.
 */
static void test_ctrl_timeout(void)
{
	struct virtio_net_adapter a = ad;
	uint8_t *buf;

	a.vp.features |= (1ull << VIRTIO_NET_F_CTRL_VQ) |
			 (1ull << VIRTIO_NET_F_CTRL_RX);
	a.cvq = virtqueue_alloc(2, 64, -1, 0);
	a.cvq_buf = buf = vfn_zmalloc("cvq_ut", 64, 64);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a.cvq);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	a.cvq->notify = (volatile uint16_t *)&doorbell;
	a.cvq_buf_iova = vfn_mem_virt2iova(buf);
	a.started = 1;
	a.cvq_timeout_ms = 100;

	CU_ASSERT_EQUAL(virtio_net_ctrl_rx(&a, VIRTIO_NET_CTRL_RX_PROMISC, 1),
			-ETIMEDOUT);
	CU_ASSERT_EQUAL(a.cvq->avail_idx, 1);
	/* The device answers late. */
	buf[40] = VIRTIO_NET_OK;
	dev_complete(a.cvq, 0, 1, NULL);
	CU_ASSERT_EQUAL(virtio_net_ctrl_rx(&a, VIRTIO_NET_CTRL_RX_ALLMULTI, 1),
			-EIO);
	CU_ASSERT_EQUAL(a.cvq->avail_idx, 1); /* nothing more posted */

	virtqueue_free(a.cvq);
	vfn_free(buf);
}

/*
 * MRG_RXBUF is wanted only when a frame of the device's MTU (plus an
 * Ethernet header and a VLAN tag) may not fit one rx buffer, or scatter
 * rx is asked for: without it QEMU does less work per delivered frame.
 */
static void test_rx_needs_mrg(void)
{
	struct virtio_net_adapter a = ad;
	struct virtio_rx_queue *rxq = NULL;

	a.nb_rxq = 1;
	CU_ASSERT_EQUAL(virtio_net_rx_needs_mrg(&a), 0); /* no queue set up */
	CU_ASSERT_EQUAL(virtio_rxq_alloc(&a, 0, 64, -1, mp, &rxq), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rxq);
	a.rxq[0] = rxq;
	/* 2048-byte data room: header + 1518 bytes fit. */
	CU_ASSERT_EQUAL(virtio_net_rx_needs_mrg(&a), 0);
	a.mtu = (uint16_t)(rxq->buf_len - VIRTIO_NET_HDR_LEN - 18);
	CU_ASSERT_EQUAL(virtio_net_rx_needs_mrg(&a), 0); /* exactly fits */
	a.mtu++;
	CU_ASSERT_EQUAL(virtio_net_rx_needs_mrg(&a), 1);
	a.mtu = 1500;
	a.rx_scatter = 1;
	CU_ASSERT_EQUAL(virtio_net_rx_needs_mrg(&a), 1);
	virtio_rxq_free(rxq);
}

static const struct vfn_test_case virtio_cases[] = {
	{ "tx burst, header push/chain, suppression, reclaim", test_tx },
	{ "rx burst, mergeable buffers, refill, impossible num_buffers, drain",
	  test_rx },
	{ "control command timeout: no command until a reset", test_ctrl_timeout },
	{ "MRG_RXBUF wanted only when a frame may not fit a buffer",
	  test_rx_needs_mrg },
	{ NULL, NULL },
};

static const struct vfn_test_suite virtio_suite = {
	"virtio_rxtx", setup, teardown, virtio_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &virtio_suite, NULL };

	return vfn_cunit_main(suites);
}
