/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_pcap data path.  Rx copies each packet libpcap hands out into an
 * mbuf (a chain when it is longer than one data room); replay
 * (infinite_rx=1) copies from the file held in memory into a burst of
 * mbufs taken in one bulk get.  Tx writes each packet to the file with
 * the burst's time in nanoseconds, or injects it into the interface, and
 * frees the burst; a packet that cannot be written counts as an error.
 */
#include <string.h>
#include <time.h>

#include "vfn_mbuf.h"
#include "vfn_eth_sw.h"
#include "pcap_private.h"

/* Copy @len bytes into a new mbuf (chain); NULL when the pool is empty. */
static struct vfn_mbuf *rx_copy(struct pcap_rxq *q, const uint8_t *data,
				uint32_t len)
{
	struct vfn_mbuf *head = vfn_pktmbuf_alloc(q->mb_pool);
	struct vfn_mbuf *m = head;

	if (unlikely(!head))
		return NULL;
	head->port = q->port_id;
	head->pkt_len = len;
	for (;;) {
		uint16_t room = vfn_pktmbuf_tailroom(m);
		uint16_t chunk = len < room ? (uint16_t)len : room;
		struct vfn_mbuf *seg;

		memcpy(vfn_pktmbuf_mtod(m, void *), data, chunk);
		m->data_len = chunk;
		data += chunk;
		len -= chunk;
		if (likely(len == 0))
			return head;
		seg = vfn_pktmbuf_alloc(q->mb_pool);
		if (!seg) {
			vfn_pktmbuf_free(head);
			return NULL;
		}
		m->next = seg;
		head->nb_segs++;
		m = seg;
	}
}

uint16_t pcap_rx(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct pcap_rxq *q = queue;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t bytes = 0;
	uint16_t i = 0;
	int rc;

	if (unlikely(q->eof))
		return 0;
	while (i < n) {
		rc = pcap_next_ex(q->pcap, &h, &data);
		if (rc != 1) {
			if (rc == PCAP_ERROR_BREAK)
				q->eof = 1;     /* end of the file */
			else if (rc == PCAP_ERROR)
				vfn_eth_qstats_add_errors(&q->stats, 1);
			break;                  /* 0: nothing captured now */
		}
		pkts[i] = rx_copy(q, data, h->caplen);
		if (unlikely(!pkts[i])) {
			vfn_eth_qstats_add_nombuf(&q->stats, 1);
			break;
		}
		bytes += h->caplen;
		i++;
	}
	vfn_eth_qstats_add(&q->stats, i, bytes);
	return i;
}

uint16_t pcap_rx_replay(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct pcap_rxq *q = queue;
	struct pcap_replay *r = &q->replay;
	const uint64_t rearm = q->mbuf_rearm;
	uint32_t next = r->next;
	uint64_t bytes = 0;
	uint16_t i;

	if (unlikely(vfn_mbuf_raw_alloc_bulk(q->mb_pool, pkts, n) != 0)) {
		vfn_eth_qstats_add_nombuf(&q->stats, n);
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct vfn_mbuf *m = pkts[i];
		uint16_t len = r->len[next];

		vfn_eth_sw_rx_mbuf_init(m, rearm, len);
		memcpy(vfn_pktmbuf_mtod(m, void *), r->data + r->off[next], len);
		bytes += len;
		if (++next == r->nb)
			next = 0;
	}
	r->next = next;
	vfn_eth_qstats_add(&q->stats, n, bytes);
	return n;
}

uint16_t pcap_rx_none(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	(void)queue;
	(void)pkts;
	(void)n;
	return 0;
}

/* The bytes of @m in one piece: its data, or a copy into @lin. */
static const uint8_t *tx_data(struct pcap_txq *q, struct vfn_mbuf *m)
{
	uint8_t *p = q->lin;
	const struct vfn_mbuf *s;

	if (likely(m->nb_segs == 1))
		return vfn_pktmbuf_mtod(m, const uint8_t *);
	for (s = m; s; s = s->next) {
		memcpy(p, vfn_pktmbuf_mtod(s, const void *), s->data_len);
		p += s->data_len;
	}
	return q->lin;
}

uint16_t pcap_tx_dump(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct pcap_txq *q = queue;
	struct pcap_pkthdr h;
	struct timespec ts;
	uint64_t bytes = 0;
	uint16_t i, sent = 0;

	if (unlikely(n == 0))
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.ts.tv_sec = ts.tv_sec;
	h.ts.tv_usec = ts.tv_nsec;      /* nanoseconds: a NANO dumper */
	for (i = 0; i < n; i++) {
		uint32_t len = pkts[i]->pkt_len;

		if (unlikely(len > PCAP_SNAPLEN))
			continue;
		h.caplen = len;
		h.len = len;
		pcap_dump((u_char *)q->dumper, &h, tx_data(q, pkts[i]));
		bytes += len;
		sent++;
	}
	vfn_pktmbuf_free_bulk(pkts, n);
	vfn_eth_qstats_add(&q->stats, sent, bytes);
	if (unlikely(sent != n))
		vfn_eth_qstats_add_errors(&q->stats, n - sent);
	return n;
}

uint16_t pcap_tx_inject(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct pcap_txq *q = queue;
	uint64_t bytes = 0;
	uint16_t i, sent = 0;

	for (i = 0; i < n; i++) {
		uint32_t len = pkts[i]->pkt_len;

		if (unlikely(len > PCAP_SNAPLEN) ||
		    pcap_sendpacket(q->pcap, tx_data(q, pkts[i]), (int)len) != 0)
			continue;
		bytes += len;
		sent++;
	}
	if (n)
		vfn_pktmbuf_free_bulk(pkts, n);
	vfn_eth_qstats_add(&q->stats, sent, bytes);
	if (unlikely(sent != n))
		vfn_eth_qstats_add_errors(&q->stats, n - sent);
	return n;
}

uint16_t pcap_tx_drop(void *queue, struct vfn_mbuf **pkts, uint16_t n)
{
	struct pcap_txq *q = queue;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	if (n)
		vfn_pktmbuf_free_bulk(pkts, n);
	vfn_eth_qstats_add(&q->stats, n, bytes);
	return n;
}
