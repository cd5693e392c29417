/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e1000e rx/tx bursts against a simulated device: BAR0 is plain memory,
 * the test plays the hardware by writing descriptor write-backs and
 * reading the tail registers the driver wrote.  Runs natively (and under
 * ASan/UBSan); the real device is exercised in tests/vm/pmd.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_cunit.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "e1000e.h"

#define NB_DESC 64
#define POOL 512

static struct vfn_pci_device pci = { .name = "0000:00:02.0" };
static struct e1000e_adapter ad;
static struct vfn_mempool *mp;
static void *bar;

static int setup(void)
{
	bar = calloc(1, 0x20000);
	mp = vfn_pktmbuf_pool_create("e1000e_ut", POOL, 0, 0,
				     VFN_PKTMBUF_HEADROOM + 2048, -1);
	if (!bar || !mp)
		return -1;
	memset(&ad, 0, sizeof(ad));
	ad.pci = &pci;
	ad.hw_addr = bar;
	return 0;
}

static int teardown(void)
{
	vfn_mempool_free(mp);
	free(bar);
	return 0;
}

static uint32_t reg(uint32_t off)
{
	return *(volatile uint32_t *)((char *)bar + off);
}

/* The "device" writes frame @p len with byte pattern @p seed into slot i. */
static void hw_receive(struct e1000e_rx_queue *rxq, uint16_t i, uint16_t len,
		       uint8_t seed, uint32_t status)
{
	struct vfn_mbuf *m = rxq->sw_ring[i];
	uint8_t *p = (uint8_t *)m->buf_addr + VFN_PKTMBUF_HEADROOM;
	uint16_t k;

	CU_ASSERT_EQUAL(rxq->ring[i].read.buffer_addr,
			m->buf_iova + VFN_PKTMBUF_HEADROOM);
	for (k = 0; k < len; k++)
		p[k] = (uint8_t)(seed + k);
	rxq->ring[i].wb.mrq = 0;
	rxq->ring[i].wb.rss = 0x12345678;
	rxq->ring[i].wb.length = len;
	rxq->ring[i].wb.vlan = 0;
	rxq->ring[i].wb.status_error = status;
}

static void test_rx(void)
{
	struct e1000e_rx_queue *rxq = NULL;
	struct vfn_mbuf *pkts[64];
	unsigned int avail = vfn_mempool_avail_count(mp);
	uint16_t n, i, k;

	CU_ASSERT_EQUAL(e1000e_rxq_alloc(&ad, 0, 100, -1, mp, &rxq), -EINVAL);
	CU_ASSERT_EQUAL(e1000e_rxq_alloc(&ad, 0, 8192, -1, mp, &rxq), -EINVAL);
	CU_ASSERT_EQUAL(e1000e_rxq_alloc(&ad, 0, NB_DESC, -1, mp, &rxq), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rxq);
	CU_ASSERT_EQUAL(e1000e_rxq_fill(rxq), 0);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail - NB_DESC);

	/* Nothing done yet. */
	CU_ASSERT_EQUAL(e1000e_recv_pkts(rxq, pkts, 32), 0);

	/* 40 frames: all delivered in order with their lengths and bytes. */
	for (i = 0; i < 40; i++)
		hw_receive(rxq, i, (uint16_t)(60 + i), (uint8_t)i,
			   E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP);
	n = e1000e_recv_pkts(rxq, pkts, 32);
	CU_ASSERT_EQUAL(n, 32);
	n += e1000e_recv_pkts(rxq, pkts + 32, 32);
	CU_ASSERT_EQUAL(n, 40);
	for (i = 0; i < n; i++) {
		const uint8_t *p = vfn_pktmbuf_mtod(pkts[i], const uint8_t *);

		CU_ASSERT_EQUAL(pkts[i]->pkt_len, 60u + i);
		CU_ASSERT_EQUAL(pkts[i]->data_len, 60u + i);
		CU_ASSERT_EQUAL(pkts[i]->nb_segs, 1);
		for (k = 0; k < pkts[i]->data_len; k++)
			if (p[k] != (uint8_t)(i + k))
				break;
		CU_ASSERT_EQUAL(k, pkts[i]->data_len);
	}
	vfn_pktmbuf_free_bulk(pkts, n);
	CU_ASSERT_EQUAL(rxq->stats.packets, 40);
	/* One refill burst went back to the device: tail one before next. */
	CU_ASSERT_EQUAL(rxq->nb_hold, 8);
	CU_ASSERT_EQUAL(reg(E1000_RDT(0)), 31u);
	for (i = 0; i < 32; i++)
		CU_ASSERT_FALSE(rxq->ring[i].wb.status_error & E1000_RXD_STAT_DD);

	/* A frame with an error and a two-descriptor frame: both dropped. */
	hw_receive(rxq, 40, 100, 0, E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP |
		   0x80000000u /* RXE */);
	hw_receive(rxq, 41, 100, 0, E1000_RXD_STAT_DD);
	hw_receive(rxq, 42, 100, 0, E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP);
	hw_receive(rxq, 43, 64, 7, E1000_RXD_STAT_DD | E1000_RXD_STAT_EOP);
	n = e1000e_recv_pkts(rxq, pkts, 32);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(pkts[0]->pkt_len, 64);
	CU_ASSERT_EQUAL(rxq->stats.errors, 3);
	vfn_pktmbuf_free_bulk(pkts, n);

	/* Stop: every mbuf goes back. */
	e1000e_rxq_free(rxq);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail);
}

static struct vfn_mbuf *frame(uint16_t len)
{
	struct vfn_mbuf *m = NULL;

	if (vfn_pktmbuf_alloc_bulk(mp, &m, 1))
		return NULL;
	memset(vfn_pktmbuf_mtod(m, void *), 0xab, len);
	m->data_len = len;
	m->pkt_len = len;
	return m;
}

static void test_tx(void)
{
	struct e1000e_tx_queue *txq = NULL;
	struct vfn_mbuf *pkts[64];
	unsigned int avail = vfn_mempool_avail_count(mp);
	uint16_t i, n;

	CU_ASSERT_EQUAL(e1000e_txq_alloc(&ad, 0, 96, -1, &txq), -EINVAL);
	CU_ASSERT_EQUAL(e1000e_txq_alloc(&ad, 0, NB_DESC, -1, &txq), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(txq);

	for (i = 0; i < 10; i++)
		pkts[i] = frame((uint16_t)(100 + i));
	n = e1000e_xmit_pkts(txq, pkts, 10);
	CU_ASSERT_EQUAL(n, 10);
	CU_ASSERT_EQUAL(reg(E1000_TDT(0)), 10u);
	for (i = 0; i < 10; i++) {
		CU_ASSERT_EQUAL(txq->ring[i].buffer_addr, vfn_pktmbuf_iova(pkts[i]));
		CU_ASSERT_EQUAL(txq->ring[i].length, 100u + i);
		CU_ASSERT_EQUAL(txq->ring[i].cmd & (E1000_TXD_CMD_EOP |
						    E1000_TXD_CMD_IFCS),
				E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS);
		CU_ASSERT_FALSE(txq->ring[i].cmd & E1000_TXD_CMD_DEXT);
	}

	/* Fill the ring: 63 slots usable, the last one stays empty. */
	for (i = 0; i < 60; i++)
		pkts[i] = frame(60);
	n = e1000e_xmit_pkts(txq, pkts, 60);
	CU_ASSERT_EQUAL(n, 53);
	for (i = n; i < 60; i++)
		vfn_pktmbuf_free(pkts[i]);
	CU_ASSERT_EQUAL(reg(E1000_TDT(0)), 63u);
	/* RS on every 32nd slot. */
	CU_ASSERT_TRUE(txq->ring[31].cmd & E1000_TXD_CMD_RS);
	CU_ASSERT_FALSE(txq->ring[30].cmd & E1000_TXD_CMD_RS);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail - 63);

	/* The device reports the first stride done: 32 slots come back. */
	txq->ring[31].status = E1000_TXD_STAT_DD;
	pkts[0] = frame(60);
	n = e1000e_xmit_pkts(txq, pkts, 1);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(reg(E1000_TDT(0)), 0u);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail - 63 + 32 - 1);

	/*
	 * A buffer crossing a 4 KiB page goes out as two descriptors.  The
	 * mbuf is the test's own (a buffer placed across a page), taken back
	 * from the software ring before the queue is freed.
	 */
	{
		static uint8_t pages[3 * 4096] __attribute__((aligned(4096)));
		struct vfn_mbuf fake;
		uint64_t iova;

		memset(&fake, 0, sizeof(fake));
		fake.buf_addr = pages + 4096 - 100;
		fake.buf_iova = vfn_mem_virt2iova(fake.buf_addr);
		fake.buf_len = 2048;
		fake.data_off = 0;
		fake.data_len = 1500;
		fake.pkt_len = 1500;
		fake.nb_segs = 1;
		vfn_mbuf_refcnt_set(&fake, 1);
		pkts[0] = &fake;
		iova = vfn_pktmbuf_iova(&fake);
		n = e1000e_xmit_pkts(txq, pkts, 1);
		CU_ASSERT_EQUAL(n, 1);
		/* Slots 0 and 1 (the previous frame took slot 63). */
		CU_ASSERT_EQUAL(reg(E1000_TDT(0)), 2u);
		CU_ASSERT_EQUAL(txq->ring[0].buffer_addr, iova);
		CU_ASSERT_EQUAL(txq->ring[0].length, 100);
		CU_ASSERT_FALSE(txq->ring[0].cmd & E1000_TXD_CMD_EOP);
		CU_ASSERT_EQUAL(txq->ring[1].buffer_addr, iova + 100);
		CU_ASSERT_EQUAL(txq->ring[1].length, 1400);
		CU_ASSERT_TRUE(txq->ring[1].cmd & E1000_TXD_CMD_EOP);
		CU_ASSERT_PTR_NULL(txq->sw_ring[0]);
		CU_ASSERT_PTR_EQUAL(txq->sw_ring[1], &fake);
		txq->sw_ring[1] = NULL;
	}
	CU_ASSERT_EQUAL(txq->stats.packets, 10u + 53 + 1 + 1);

	e1000e_txq_free(txq);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail);
}

/*
 * A slow simulated transmitter: it walks from its head towards the tail
 * register the driver wrote, a few descriptors per step, checks that each
 * frame it "sends" is the one the driver was given (buffer address and the
 * sequence number in the payload: a freed and reused mbuf carries another
 * one), and writes DD back on descriptors with RS, as the 82574 does.
 */
struct tx_sim {
	struct e1000e_tx_queue *txq;
	uint16_t head;
	struct vfn_mbuf *fifo[1024];     /* frames accepted, not yet sent */
	uint32_t fifo_seq[1024];
	unsigned int fifo_head, fifo_tail;
	unsigned int sent, bad_addr, bad_seq;
};

/* The frame's sequence number (its first payload bytes). */
static uint32_t *seq_of(struct vfn_mbuf *m)
{
	return (uint32_t *)((char *)m->buf_addr + m->data_off);
}

static void tx_sim_step(struct tx_sim *s, unsigned int budget)
{
	uint32_t tdt = reg(E1000_TDT(s->txq->queue_id));

	while (budget-- && s->head != tdt) {
		volatile struct e1000_tx_desc *d = &s->txq->ring[s->head];

		if (d->cmd & E1000_TXD_CMD_EOP) {
			unsigned int f = s->fifo_head++ % 1024;
			struct vfn_mbuf *m = s->fifo[f];

			if (d->buffer_addr != vfn_pktmbuf_iova(m))
				s->bad_addr++;
			else if (*seq_of(m) != s->fifo_seq[f])
				s->bad_seq++;
			s->sent++;
		}
		if (d->cmd & E1000_TXD_CMD_RS)
			d->status |= E1000_TXD_STAT_DD;
		s->head = (uint16_t)((s->head + 1) & s->txq->mask);
	}
}

/*
 * Many laps of bursts as large as the ring against the slow transmitter:
 * no frame may be freed or its descriptor rewritten before it is sent, and
 * no mbuf may leak.  Before the reclaim looked at the tail, the stride at
 * the tail kept its DD bit from the previous lap and was freed unsent.
 */
static void tx_laps(uint16_t nb_desc, uint16_t burst, unsigned int laps,
		    unsigned int seed)
{
	static struct tx_sim s;
	struct vfn_mbuf *pkts[256];
	unsigned int avail = vfn_mempool_avail_count(mp), seq = 0;
	uint16_t i, n;

	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL_FATAL(e1000e_txq_alloc(&ad, 0, nb_desc, -1, &s.txq), 0);
	while (s.sent < laps * nb_desc) {
		for (i = 0; i < burst; i++) {
			pkts[i] = frame(60);
			CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
			*seq_of(pkts[i]) = seq + i;
		}
		n = e1000e_xmit_pkts(s.txq, pkts, burst);
		for (i = 0; i < n; i++) {
			s.fifo[s.fifo_tail % 1024] = pkts[i];
			s.fifo_seq[s.fifo_tail++ % 1024] = seq++;
		}
		vfn_pktmbuf_free_bulk(pkts + n, (unsigned int)(burst - n));
		tx_sim_step(&s, (unsigned int)rand_r(&seed) % 48);
		if (s.bad_addr || s.bad_seq)
			break;
	}
	tx_sim_step(&s, 1u << 20);
	CU_ASSERT_EQUAL(s.bad_addr, 0);
	CU_ASSERT_EQUAL(s.bad_seq, 0);
	CU_ASSERT_EQUAL(s.fifo_head, s.fifo_tail);
	e1000e_txq_free(s.txq);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(mp), avail);
}

static void test_tx_laps(void)
{
	tx_laps(64, 64, 200, 1);
	tx_laps(64, 33, 200, 2);
	tx_laps(256, 193, 50, 3);
	tx_laps(256, 255, 50, 4);
}

static const struct vfn_test_case e1000e_cases[] = {
	{ "rx burst, refill, errors, drain", test_rx },
	{ "tx burst, RS strides, reclaim, 4 KiB split", test_tx },
	{ "tx reclaim over many laps, slow device", test_tx_laps },
	{ NULL, NULL },
};

static const struct vfn_test_suite e1000e_suite = {
	"e1000e_rxtx", setup, teardown, e1000e_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &e1000e_suite, NULL };

	return vfn_cunit_main(suites);
}
