/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd's csum, 5tswap and icmpecho engines on a ring port, packet by packet: frames
 * with known good and bad checksums go into the port's rx ring, one
 * engine call forwards them, and what comes out of the tx ring is
 * checked field by field (bad-checksum counters, recomputed checksums,
 * swapped addresses and ports).
 */
#include <string.h>

#include "vfn_arp.h"
#include "vfn_cunit.h"
#include "vfn_eal.h"
#include "vfn_eth_ring.h"
#include "vfn_ethdev.h"
#include "vfn_icmp.h"
#include "vfn_ip.h"
#include "vfn_mbuf.h"
#include "vfn_ring.h"
#include "vfn_tcp.h"
#include "vfn_udp.h"
#include "fwd.h"

/* the engines need only this of fwd (engines.c has the real one) */
void fwd_drop(struct fwd_stream *fs, struct vfn_mbuf **pkts, uint16_t nb_tx,
	      uint16_t nb)
{
	fwd_count(&fs->fwd_dropped, nb - nb_tx);
	vfn_pktmbuf_free_bulk(pkts + nb_tx, nb - nb_tx);
}

static struct vfn_mempool *pool;
static struct vfn_ring *rx_ring, *tx_ring;
static uint16_t port;

static int suite_init(void)
{
	char *argv[] = { (char *)"t", (char *)"-l", (char *)"0",
			 (char *)"--no-huge", (char *)"-m", (char *)"64",
			 (char *)"--no-pci", (char *)"--log-level", (char *)"4",
			 NULL };
	int p;

	if (vfn_eal_init(9, argv) < 0)
		return -1;
	pool = vfn_pktmbuf_pool_create("eng", 1023, 0, 0,
				       VFN_MBUF_DEFAULT_BUF_SIZE, -1);
	rx_ring = vfn_ring_create("eng_rx", 64, -1, 0);
	tx_ring = vfn_ring_create("eng_tx", 64, -1, 0);
	if (!pool || !rx_ring || !tx_ring)
		return -1;
	p = vfn_eth_from_rings("net_ring_eng", &rx_ring, 1, &tx_ring, 1, 0);
	if (p < 0)
		return -1;
	port = (uint16_t)p;
	if (vfn_eth_dev_configure(port, 1, 1, NULL) ||
	    vfn_eth_rx_queue_setup(port, 0, 64, -1, NULL, pool) ||
	    vfn_eth_tx_queue_setup(port, 0, 64, -1, NULL) ||
	    vfn_eth_dev_start(port))
		return -1;
	return 0;
}

static int suite_cleanup(void)
{
	vfn_eth_dev_close(port);
	vfn_eal_cleanup();
	return 0;
}

/* An Ethernet/IPv4 frame with a UDP (or TCP) segment of @plen payload
 * bytes, right checksums unless told otherwise. */
static struct vfn_mbuf *udp4(int tcp, int bad_ip, int bad_l4)
{
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);
	uint16_t l4len = tcp ? sizeof(struct vfn_tcp_hdr) + 11 :
			 sizeof(struct vfn_udp_hdr) + 11;
	struct vfn_ether_hdr *eth;
	struct vfn_ipv4_hdr *ip;
	char *l4;
	uint16_t c;

	eth = (struct vfn_ether_hdr *)vfn_pktmbuf_append(m, 14 + 20 + l4len);
	memset(eth, 0, 14 + 20 + l4len);
	eth->src_addr.addr_bytes[5] = 1;
	eth->dst_addr.addr_bytes[5] = 2;
	eth->ether_type = VFN_BE16(VFN_ETHER_TYPE_IPV4);
	ip = (struct vfn_ipv4_hdr *)(eth + 1);
	ip->version_ihl = VFN_IPV4_VHL_DEF;
	ip->total_length = vfn_cpu_to_be_16((uint16_t)(20 + l4len));
	ip->time_to_live = 64;
	ip->next_proto_id = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	ip->src_addr = vfn_cpu_to_be_32(VFN_IPV4(10, 0, 0, 1));
	ip->dst_addr = vfn_cpu_to_be_32(VFN_IPV4(10, 0, 0, 2));
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
	if (bad_ip)
		ip->hdr_checksum ^= 0x0100;
	l4 = (char *)(ip + 1);
	memcpy(l4, "\x04\xd2\x00\x35", 4); /* ports 1234 -> 53 */
	if (tcp)
		l4[12] = 0x50;
	else
		memcpy(l4 + 4, &(uint16_t){ vfn_cpu_to_be_16(l4len) }, 2);
	memcpy(l4 + l4len - 11, "vfnet csum!", 11);
	c = vfn_ipv4_udptcp_cksum(ip, l4);
	if (bad_l4)
		c ^= 0x0001;
	memcpy(l4 + (tcp ? 16 : 6), &c, 2);
	return m;
}

static void run(const struct fwd_engine *e, struct fwd_stream *fs,
		struct vfn_mbuf **in, unsigned int n, struct vfn_mbuf **out)
{
	CU_ASSERT_EQUAL_FATAL(vfn_ring_enqueue_bulk(rx_ring, (void **)in, n,
						    NULL), n);
	CU_ASSERT_EQUAL(e->fwd(fs, 32), n);
	CU_ASSERT_EQUAL(vfn_ring_dequeue_bulk(tx_ring, (void **)out, n, NULL), n);
}

static void test_csum(void)
{
	struct fwd_stream fs = { .rx_port = port, .tx_port = port };
	struct vfn_mbuf *in[4], *out[4];
	unsigned int i, avail = vfn_mempool_avail_count(pool);

	fs.eth_dst.addr_bytes[5] = 0xaa;
	fs.eth_src.addr_bytes[5] = 0xbb;
	in[0] = udp4(0, 0, 0);
	in[1] = udp4(0, 1, 0); /* bad IPv4 header checksum */
	in[2] = udp4(1, 0, 1); /* bad TCP checksum */
	in[3] = udp4(0, 1, 1); /* both bad */
	run(&fwd_engine_csum, &fs, in, 4, out);
	CU_ASSERT_EQUAL(fs.bad_ip_csum, 2);
	CU_ASSERT_EQUAL(fs.bad_l4_csum, 2);
	CU_ASSERT_EQUAL(fs.rx_packets, 4);
	CU_ASSERT_EQUAL(fs.tx_packets, 4);
	for (i = 0; i < 4; i++) {
		struct vfn_ether_hdr *eth =
			vfn_pktmbuf_mtod(out[i], struct vfn_ether_hdr *);
		struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)(eth + 1);

		CU_ASSERT_EQUAL(eth->dst_addr.addr_bytes[5], 0xaa);
		CU_ASSERT_EQUAL(eth->src_addr.addr_bytes[5], 0xbb);
		CU_ASSERT_EQUAL(vfn_raw_cksum(ip, 20), 0xffff); /* fixed */
		CU_ASSERT_EQUAL(vfn_ipv4_udptcp_cksum_verify(ip, ip + 1), 0);
		CU_ASSERT_EQUAL(out[i]->l2_len, 14);
		CU_ASSERT_EQUAL(out[i]->l3_len, 20);
	}
	/* the fixed packets go round again: nothing more is bad */
	run(&fwd_engine_csum, &fs, out, 4, in);
	CU_ASSERT_EQUAL(fs.bad_ip_csum, 2);
	CU_ASSERT_EQUAL(fs.bad_l4_csum, 2);
	vfn_pktmbuf_free_bulk(in, 4);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(pool), avail);
}

static void test_5tswap(void)
{
	struct fwd_stream fs = { .rx_port = port, .tx_port = port };
	struct vfn_mbuf *in[2], *out[2];
	unsigned int i;

	in[0] = udp4(0, 0, 0);
	in[1] = udp4(1, 0, 0);
	run(&fwd_engine_5tswap, &fs, in, 2, out);
	for (i = 0; i < 2; i++) {
		struct vfn_ether_hdr *eth =
			vfn_pktmbuf_mtod(out[i], struct vfn_ether_hdr *);
		struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)(eth + 1);
		uint8_t *l4 = (uint8_t *)(ip + 1);

		CU_ASSERT_EQUAL(eth->src_addr.addr_bytes[5], 2);
		CU_ASSERT_EQUAL(eth->dst_addr.addr_bytes[5], 1);
		CU_ASSERT_EQUAL(vfn_be_to_cpu_32(ip->src_addr),
				VFN_IPV4(10, 0, 0, 2));
		CU_ASSERT_EQUAL(vfn_be_to_cpu_32(ip->dst_addr),
				VFN_IPV4(10, 0, 0, 1));
		CU_ASSERT_EQUAL(l4[1], 0x35); /* source port now 53 */
		CU_ASSERT_EQUAL(l4[3], 0xd2); /* destination port now 1234 */
		/* swapping keeps the checksums right */
		CU_ASSERT_EQUAL(vfn_raw_cksum(ip, 20), 0xffff);
		CU_ASSERT_EQUAL(vfn_ipv4_udptcp_cksum_verify(ip, l4), 0);
	}
	vfn_pktmbuf_free_bulk(out, 2);
}

static struct vfn_mbuf *arp_request(void)
{
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool);
	struct vfn_ether_hdr *eth = (struct vfn_ether_hdr *)
		vfn_pktmbuf_append(m, 14 + sizeof(struct vfn_arp_hdr));
	struct vfn_arp_hdr *arp = (struct vfn_arp_hdr *)(eth + 1);

	if (!eth)
		return m;
	memset(eth, 0xff, 6);
	memset(&eth->src_addr, 0, 6);
	eth->src_addr.addr_bytes[5] = 1;
	eth->ether_type = VFN_BE16(VFN_ETHER_TYPE_ARP);
	memset(arp, 0, sizeof(*arp));
	arp->arp_hardware = VFN_BE16(VFN_ARP_HRD_ETHER);
	arp->arp_protocol = VFN_BE16(VFN_ETHER_TYPE_IPV4);
	arp->arp_hlen = 6;
	arp->arp_plen = 4;
	arp->arp_opcode = VFN_BE16(VFN_ARP_OP_REQUEST);
	arp->arp_data.arp_sha = eth->src_addr;
	arp->arp_data.arp_sip = VFN_BE32(VFN_IPV4(10, 0, 0, 1));
	arp->arp_data.arp_tip = VFN_BE32(VFN_IPV4(10, 0, 0, 2));
	return m;
}

static struct vfn_mbuf *echo_request(void)
{
	struct vfn_mbuf *m = udp4(0, 0, 0);
	struct vfn_ipv4_hdr *ip = vfn_pktmbuf_mtod_offset(m,
					struct vfn_ipv4_hdr *, 14);
	struct vfn_icmp_hdr *icmp = (struct vfn_icmp_hdr *)(ip + 1);

	ip->next_proto_id = IPPROTO_ICMP;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
	icmp->icmp_type = VFN_IP_ICMP_ECHO_REQUEST;
	icmp->icmp_code = 0;
	icmp->icmp_cksum = 0;
	icmp->icmp_ident = VFN_BE16(7);
	icmp->icmp_seq_nb = VFN_BE16(1);
	icmp->icmp_cksum = (uint16_t)~vfn_raw_cksum(icmp,
		vfn_be_to_cpu_16(ip->total_length) - 20);
	return m;
}

static void test_icmpecho(void)
{
	struct fwd_stream fs = { .rx_port = port, .tx_port = port };
	struct vfn_mbuf *in[3], *out[2];
	struct vfn_ether_addr mac;
	struct vfn_arp_hdr *arp;
	struct vfn_ipv4_hdr *ip;
	struct vfn_icmp_hdr *icmp;
	unsigned int avail = vfn_mempool_avail_count(pool);

	vfn_eth_macaddr_get(port, &mac);
	in[0] = arp_request();
	in[1] = udp4(0, 0, 0); /* neither: dropped */
	in[2] = echo_request();
	CU_ASSERT_EQUAL_FATAL(vfn_ring_enqueue_bulk(rx_ring, (void **)in, 3,
						    NULL), 3);
	CU_ASSERT_EQUAL(fwd_engine_icmpecho.fwd(&fs, 32), 3);
	CU_ASSERT_EQUAL(fs.fwd_dropped, 1);
	CU_ASSERT_EQUAL(fs.tx_packets, 2);
	CU_ASSERT_EQUAL_FATAL(vfn_ring_dequeue_bulk(tx_ring, (void **)out, 2,
						    NULL), 2);
	arp = vfn_pktmbuf_mtod_offset(out[0], struct vfn_arp_hdr *, 14);
	CU_ASSERT_EQUAL(arp->arp_opcode, VFN_BE16(VFN_ARP_OP_REPLY));
	CU_ASSERT_TRUE(vfn_is_same_ether_addr(&arp->arp_data.arp_sha, &mac));
	CU_ASSERT_EQUAL(arp->arp_data.arp_sip, VFN_BE32(VFN_IPV4(10, 0, 0, 2)));
	CU_ASSERT_EQUAL(arp->arp_data.arp_tip, VFN_BE32(VFN_IPV4(10, 0, 0, 1)));
	CU_ASSERT_EQUAL(arp->arp_data.arp_tha.addr_bytes[5], 1);
	CU_ASSERT_EQUAL(vfn_pktmbuf_mtod(out[0], struct vfn_ether_hdr *)
			->dst_addr.addr_bytes[5], 1);
	ip = vfn_pktmbuf_mtod_offset(out[1], struct vfn_ipv4_hdr *, 14);
	icmp = (struct vfn_icmp_hdr *)(ip + 1);
	CU_ASSERT_EQUAL(icmp->icmp_type, VFN_IP_ICMP_ECHO_REPLY);
	CU_ASSERT_EQUAL(vfn_be_to_cpu_32(ip->src_addr), VFN_IPV4(10, 0, 0, 2));
	CU_ASSERT_EQUAL(vfn_raw_cksum(ip, 20), 0xffff);
	CU_ASSERT_EQUAL(vfn_raw_cksum(icmp,
			vfn_be_to_cpu_16(ip->total_length) - 20), 0xffff);
	vfn_pktmbuf_free_bulk(out, 2);
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(pool), avail);
}

/* --txonly-multi-flow: each packet a new source address, checksums right */
static void test_txonly_multi_flow(void)
{
	struct fwd_stream fs = { .rx_port = port, .tx_port = port };
	struct vfn_mbuf *out[8];
	unsigned int i;

	fs.pool = pool;
	fwd_cfg.txpkts[0] = 64;
	fwd_cfg.nb_txsegs = 1;
	fwd_cfg.tx_pkt_len = 64;
	fwd_cfg.txonly_multi_flow = 1;
	CU_ASSERT_EQUAL_FATAL(fwd_engine_txonly.stream_init(&fs), 0);
	CU_ASSERT_EQUAL(fwd_engine_txonly.fwd(&fs, 8), 8);
	CU_ASSERT_EQUAL_FATAL(vfn_ring_dequeue_bulk(tx_ring, (void **)out, 8,
						    NULL), 8);
	for (i = 0; i < 8; i++) {
		struct vfn_ipv4_hdr *ip =
			vfn_pktmbuf_mtod_offset(out[i], struct vfn_ipv4_hdr *, 14);

		CU_ASSERT_EQUAL(vfn_be_to_cpu_32(ip->src_addr),
				VFN_IPV4(198, 18, 0, 1) + i);
		CU_ASSERT_EQUAL(vfn_raw_cksum(ip, 20), 0xffff);
	}
	vfn_pktmbuf_free_bulk(out, 8);
	fwd_cfg.txonly_multi_flow = 0;
}

static const struct vfn_test_case engine_cases[] = {
	{ "csum: bad-checksum counters, checksums recomputed", test_csum },
	{ "5tswap: MACs, IPs and ports swapped", test_5tswap },
	{ "icmpecho: ARP and echo replies, others dropped", test_icmpecho },
	{ "txonly --txonly-multi-flow", test_txonly_multi_flow },
	{ NULL, NULL },
};

static const struct vfn_test_suite engine_suite = {
	"fwd_engines", suite_init, suite_cleanup, engine_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &engine_suite, NULL };

	return vfn_cunit_main(suites);
}
