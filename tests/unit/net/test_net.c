/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The net library: byte order, the Internet checksum against vectors
 * computed independently (RFC 1071 big-endian word sums in Python, and
 * the IPv4 header example everyone quotes: checksum 0xb861), and
 * vfn_net_get_ptype() on hand-built frames, single and chained.
 */
#include <string.h>

#include "vfn_arp.h"
#include "vfn_cunit.h"
#include "vfn_ether.h"
#include "vfn_icmp.h"
#include "vfn_ip.h"
#include "vfn_mbuf.h"
#include "vfn_net.h"
#include "vfn_tcp.h"
#include "vfn_udp.h"

static struct vfn_mempool *pool;

static int suite_init(void)
{
	pool = vfn_pktmbuf_pool_create("net", 64, 0, 0,
				       VFN_MBUF_DEFAULT_BUF_SIZE, -1);
	return pool ? 0 : -1;
}

static int suite_cleanup(void)
{
	vfn_mempool_free(pool);
	return 0;
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned int v;

	for (; s[0] && s[1]; s += 2) {
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void test_byteorder(void)
{
	uint8_t b[4];
	uint16_t x = vfn_cpu_to_be_16(0x1234);
	uint32_t y = vfn_cpu_to_be_32(0x01020304);

	memcpy(b, &x, 2);
	CU_ASSERT_EQUAL(b[0], 0x12);
	CU_ASSERT_EQUAL(b[1], 0x34);
	memcpy(b, &y, 4);
	CU_ASSERT_EQUAL(b[0], 1);
	CU_ASSERT_EQUAL(b[3], 4);
	CU_ASSERT_EQUAL(vfn_be_to_cpu_16(x), 0x1234);
	CU_ASSERT_EQUAL(vfn_be_to_cpu_32(y), 0x01020304);
	CU_ASSERT_EQUAL(vfn_be_to_cpu_64(vfn_cpu_to_be_64(0x0102030405060708ull)),
			0x0102030405060708ull);
	CU_ASSERT_EQUAL(VFN_BE16(0x1234), x);
	CU_ASSERT_EQUAL(VFN_BE32(0x01020304), y);
	CU_ASSERT_EQUAL(vfn_cpu_to_le_16(0x1234), 0x1234);
	CU_ASSERT_EQUAL(VFN_IPV4(192, 168, 0, 1), 0xc0a80001);
}

static void test_ipv4_cksum(void)
{
	uint8_t buf[64];
	struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)buf;

	CU_ASSERT_EQUAL(sizeof(*ip), 20);
	unhex("450000730000400040110000c0a80001c0a800c7", buf);
	CU_ASSERT_EQUAL(vfn_ipv4_hdr_len(ip), 20);
	CU_ASSERT_EQUAL(vfn_be_to_cpu_16(vfn_ipv4_cksum(ip)), 0xb861);
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
	CU_ASSERT_EQUAL(buf[10], 0xb8);
	CU_ASSERT_EQUAL(buf[11], 0x61);
	/* a right header sums to 0xffff; the complement is then 0 */
	CU_ASSERT_EQUAL(vfn_raw_cksum(ip, 20), 0xffff);
	CU_ASSERT_EQUAL(vfn_ipv4_cksum(ip), 0);
	CU_ASSERT_FALSE(vfn_ipv4_frag_pkt_is_fragmented(ip)); /* DF only */
	ip->fragment_offset = vfn_cpu_to_be_16(VFN_IPV4_HDR_MF_FLAG);
	CU_ASSERT_TRUE(vfn_ipv4_frag_pkt_is_fragmented(ip));
	/* odd length: the last byte is the high byte of a zero-padded word;
	 * 0x0102 + 0xff00 = 0x10002, folded 0x0003 */
	unhex("0102ff", buf);
	CU_ASSERT_EQUAL(vfn_be_to_cpu_16(vfn_raw_cksum(buf, 3)), 0x0003);
}

/* An IPv4 header in front of the L4 segment @l4hex; returns its checksum
 * as computed and checks verify() on the right and a damaged segment. */
static uint16_t l4_v4(const char *src, const char *dst, uint8_t proto,
		      const char *l4hex, unsigned int cksum_off)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)buf;
	uint8_t *l4 = buf + sizeof(*ip);
	size_t n;
	uint16_t c;

	memset(buf, 0, sizeof(buf));
	n = unhex(l4hex, l4);
	ip->version_ihl = VFN_IPV4_VHL_DEF;
	ip->total_length = vfn_cpu_to_be_16((uint16_t)(sizeof(*ip) + n));
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	unhex(src, (uint8_t *)&ip->src_addr);
	unhex(dst, (uint8_t *)&ip->dst_addr);
	c = vfn_ipv4_udptcp_cksum(ip, l4);
	memcpy(l4 + cksum_off, &c, 2);
	CU_ASSERT_EQUAL(vfn_ipv4_udptcp_cksum_verify(ip, l4), 0);
	l4[n - 1] ^= 0x40;
	CU_ASSERT_EQUAL(vfn_ipv4_udptcp_cksum_verify(ip, l4), -1);
	return vfn_be_to_cpu_16(c);
}

static void test_udptcp_cksum(void)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	struct vfn_ipv6_hdr *ip6 = (struct vfn_ipv6_hdr *)buf;
	uint8_t *l4 = buf + sizeof(*ip6);
	uint16_t c;
	size_t n;

	/* UDP 192.168.0.1:1234 -> 192.168.0.199:53, odd payload */
	CU_ASSERT_EQUAL(l4_v4("c0a80001", "c0a800c7", IPPROTO_UDP,
			      "04d200350017000076666e657420636865636b73756d21",
			      6), 0x5507);
	/* TCP 10.0.0.1:80 -> 10.0.0.2:4321, "hello" */
	CU_ASSERT_EQUAL(l4_v4("0a000001", "0a000002", IPPROTO_TCP,
			      "005010e10000000100000002501820000000000068656c6c6f",
			      16), 0x26bf);
	/* UDP over IPv6 2001:db8::1 -> 2001:db8::2 */
	CU_ASSERT_EQUAL(sizeof(*ip6), 40);
	memset(buf, 0, sizeof(buf));
	n = unhex("13881770000c000069707636", l4);
	ip6->vtc_flow = vfn_cpu_to_be_32(6u << 28);
	ip6->payload_len = vfn_cpu_to_be_16((uint16_t)n);
	ip6->proto = IPPROTO_UDP;
	ip6->hop_limits = 64;
	unhex("20010db8000000000000000000000001", ip6->src_addr);
	unhex("20010db8000000000000000000000002", ip6->dst_addr);
	c = vfn_ipv6_udptcp_cksum(ip6, l4);
	CU_ASSERT_EQUAL(vfn_be_to_cpu_16(c), 0x99c2);
	memcpy(l4 + 6, &c, 2);
	CU_ASSERT_EQUAL(vfn_ipv6_udptcp_cksum_verify(ip6, l4), 0);
	l4[9] ^= 1;
	CU_ASSERT_EQUAL(vfn_ipv6_udptcp_cksum_verify(ip6, l4), -1);
}

/* Copy @len bytes of @frame into a fresh mbuf, split in segments of
 * @seg bytes (0: one segment). */
static struct vfn_mbuf *frame_mbuf(const uint8_t *frame, uint16_t len,
				   uint16_t seg)
{
	struct vfn_mbuf *head = NULL, *m;
	uint16_t off, n;

	if (!seg)
		seg = len;
	for (off = 0; off < len; off += n) {
		n = (uint16_t)(len - off < seg ? len - off : seg);
		m = vfn_pktmbuf_alloc(pool);
		if (!m)
			goto fail;
		memcpy(vfn_pktmbuf_append(m, n), frame + off, n);
		if (!head)
			head = m;
		else if (vfn_pktmbuf_chain(head, m)) {
			vfn_pktmbuf_free(m);
			goto fail;
		}
	}
	return head;
fail:
	vfn_pktmbuf_free(head);
	return NULL;
}

struct ptype_case {
	const char *name;
	const char *hex;     /* the frame */
	uint32_t ptype;
	uint8_t l2_len;
	uint16_t l3_len;
	uint8_t l4_len;
};

#define ETH_DST_SRC "020000000002" "020000000001"
#define IP4_UDP "4500001c000000004011" "0000" "c0a80001c0a80002"
#define UDP8 "04d20035000800" "00"

static const struct ptype_case ptype_cases[] = {
	{ "eth/ipv4/udp", ETH_DST_SRC "0800" IP4_UDP UDP8,
	  VFN_PTYPE_L2_ETHER | VFN_PTYPE_L3_IPV4 | VFN_PTYPE_L4_UDP, 14, 20, 8 },
	{ "eth/vlan/ipv4+options/tcp(32-byte header)",
	  ETH_DST_SRC "8100" "0064" "0800"
	  "46000038000000004006" "0000" "0a0000010a000002" "01010100"
	  "005010e100000001000000028010200000000000" "0101080a0000000100000002",
	  VFN_PTYPE_L2_ETHER_VLAN | VFN_PTYPE_L3_IPV4_EXT | VFN_PTYPE_L4_TCP,
	  18, 24, 32 },
	{ "eth/qinq/vlan/ipv6/hop-by-hop/udp",
	  ETH_DST_SRC "88a8" "0001" "8100" "0002" "86dd"
	  "60000000" "0010" "00" "40"
	  "20010db8000000000000000000000001" "20010db8000000000000000000000002"
	  "1100000000000000" "13881770000800" "00",
	  VFN_PTYPE_L2_ETHER_QINQ | VFN_PTYPE_L3_IPV6_EXT | VFN_PTYPE_L4_UDP,
	  22, 48, 8 },
	{ "eth/ipv6/icmpv6", ETH_DST_SRC "86dd" "60000000" "0008" "3a" "40"
	  "20010db8000000000000000000000001" "20010db8000000000000000000000002"
	  "8000000000000000",
	  VFN_PTYPE_L2_ETHER | VFN_PTYPE_L3_IPV6 | VFN_PTYPE_L4_ICMP, 14, 40, 0 },
	{ "eth/ipv4 fragment", ETH_DST_SRC "0800"
	  "4500001c00002001" "4011" "0000" "c0a80001c0a80002" UDP8,
	  VFN_PTYPE_L2_ETHER | VFN_PTYPE_L3_IPV4 | VFN_PTYPE_L4_FRAG, 14, 20, 0 },
	{ "eth/ipv4/icmp", ETH_DST_SRC "0800"
	  "4500001c000000004001" "0000" "c0a80001c0a80002" "0800000000010001",
	  VFN_PTYPE_L2_ETHER | VFN_PTYPE_L3_IPV4 | VFN_PTYPE_L4_ICMP, 14, 20, 0 },
	{ "eth/ipv4/gre (other)", ETH_DST_SRC "0800"
	  "4500001c00000000402f" "0000" "c0a80001c0a80002" "0000000000000000",
	  VFN_PTYPE_L2_ETHER | VFN_PTYPE_L3_IPV4 | VFN_PTYPE_L4_NONFRAG,
	  14, 20, 0 },
	{ "eth/arp", ETH_DST_SRC "0806" "0001080006040001"
	  "020000000001c0a80001" "000000000000c0a80002",
	  VFN_PTYPE_L2_ETHER_ARP, 14, 0, 0 },
	{ "truncated ipv4", ETH_DST_SRC "0800" "45000014",
	  VFN_PTYPE_L2_ETHER, 14, 0, 0 },
	{ "runt", "0200000000", VFN_PTYPE_UNKNOWN, 0, 0, 0 },
};

static void check_ptype(const struct ptype_case *c, uint16_t seg)
{
	uint8_t frame[256];
	uint16_t len = (uint16_t)unhex(c->hex, frame);
	struct vfn_mbuf *m = frame_mbuf(frame, len, seg);
	struct vfn_net_hdr_lens hl;
	uint32_t pt;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	pt = vfn_net_get_ptype(m, &hl, VFN_PTYPE_ALL_MASK);
	if (pt != c->ptype || hl.l2_len != c->l2_len ||
	    hl.l3_len != c->l3_len || hl.l4_len != c->l4_len)
		printf("\n  %s (segments of %u): ptype %#x l2 %u l3 %u l4 %u\n",
		       c->name, seg, pt, hl.l2_len, hl.l3_len, hl.l4_len);
	CU_ASSERT_EQUAL(pt, c->ptype);
	CU_ASSERT_EQUAL(hl.l2_len, c->l2_len);
	CU_ASSERT_EQUAL(hl.l3_len, c->l3_len);
	CU_ASSERT_EQUAL(hl.l4_len, c->l4_len);
	/* layers limit the answer */
	CU_ASSERT_EQUAL(vfn_net_get_ptype(m, NULL, VFN_PTYPE_L2_MASK),
			c->ptype & VFN_PTYPE_L2_MASK);
	CU_ASSERT_EQUAL(vfn_net_get_ptype(m, NULL, VFN_PTYPE_L2_MASK |
					  VFN_PTYPE_L3_MASK),
			c->ptype & (VFN_PTYPE_L2_MASK | VFN_PTYPE_L3_MASK));
	vfn_pktmbuf_free(m);
}

static void test_ptype(void)
{
	unsigned int i;

	for (i = 0; i < VFN_DIM(ptype_cases); i++) {
		check_ptype(&ptype_cases[i], 0);
		check_ptype(&ptype_cases[i], 7); /* headers split over segments */
	}
	CU_ASSERT_EQUAL(vfn_mempool_avail_count(pool), 64);
}

static void test_struct_sizes(void)
{
	CU_ASSERT_EQUAL(sizeof(struct vfn_ether_hdr), 14);
	CU_ASSERT_EQUAL(sizeof(struct vfn_vlan_hdr), 4);
	CU_ASSERT_EQUAL(sizeof(struct vfn_udp_hdr), 8);
	CU_ASSERT_EQUAL(sizeof(struct vfn_tcp_hdr), 20);
	CU_ASSERT_EQUAL(sizeof(struct vfn_icmp_hdr), 8);
	CU_ASSERT_EQUAL(sizeof(struct vfn_arp_hdr), 28);
	CU_ASSERT_EQUAL(offsetof(struct vfn_ipv4_hdr, hdr_checksum), 10);
	CU_ASSERT_EQUAL(offsetof(struct vfn_arp_hdr, arp_data.arp_tip), 24);
}

static const struct vfn_test_case net_cases[] = {
	{ "byte order", test_byteorder },
	{ "IPv4 header checksum", test_ipv4_cksum },
	{ "UDP/TCP checksums over IPv4 and IPv6", test_udptcp_cksum },
	{ "packet types and header lengths", test_ptype },
	{ "header layouts", test_struct_sizes },
	{ NULL, NULL },
};

static const struct vfn_test_suite net_suite = {
	"net", suite_init, suite_cleanup, net_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &net_suite, NULL };

	return vfn_cunit_main(suites);
}
