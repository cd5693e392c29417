/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets for the tx engines: one Ethernet/IPv4/UDP header template per
 * stream (testpmd's addresses: 198.18.0.1:9 -> 198.18.0.2:9, TTL 64),
 * copied into each generated packet.
 */
#include <string.h>

#include "vfn_mbuf.h"
#include "fwd.h"

#define IP_SRC (198u << 24 | 18u << 16 | 0u << 8 | 1u)
#define IP_DST (198u << 24 | 18u << 16 | 0u << 8 | 2u)
#define UDP_PORT 9

struct ipv4_hdr {
	uint8_t version_ihl;
	uint8_t tos;
	uint16_t total_length;
	uint16_t packet_id;
	uint16_t fragment_offset;
	uint8_t ttl;
	uint8_t proto;
	uint16_t checksum;
	uint32_t src_addr;
	uint32_t dst_addr;
} __attribute__((packed));

struct udp_hdr {
	uint16_t src_port;
	uint16_t dst_port;
	uint16_t len;
	uint16_t cksum;
} __attribute__((packed));

/* RFC 791 header checksum over the 20 header bytes. */
static uint16_t ipv4_cksum(const struct ipv4_hdr *ip)
{
	const uint8_t *p = (const uint8_t *)ip;
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i < sizeof(*ip); i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return vfn_be16((uint16_t)~sum);
}

void fwd_pkt_template(struct fwd_stream *fs, uint32_t pkt_len)
{
	struct vfn_ether_hdr *eth = (struct vfn_ether_hdr *)fs->hdr;
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(eth + 1);
	struct udp_hdr *udp = (struct udp_hdr *)(ip + 1);

	memset(fs->hdr, 0, sizeof(fs->hdr));
	eth->dst_addr = fs->eth_dst;
	eth->src_addr = fs->eth_src;
	eth->ether_type = vfn_be16(VFN_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->total_length = vfn_be16((uint16_t)(pkt_len - sizeof(*eth)));
	ip->ttl = 64;
	ip->proto = 17;
	ip->src_addr = vfn_be32(IP_SRC);
	ip->dst_addr = vfn_be32(IP_DST);
	ip->checksum = ipv4_cksum(ip);
	udp->src_port = vfn_be16(UDP_PORT);
	udp->dst_port = vfn_be16(UDP_PORT);
	udp->len = vfn_be16((uint16_t)(pkt_len - sizeof(*eth) - sizeof(*ip)));
}

void fwd_pkt_set_flow(uint8_t *hdr, uint32_t flow)
{
	struct ipv4_hdr *ip = (struct ipv4_hdr *)(hdr + VFN_ETHER_HDR_LEN);

	ip->dst_addr = vfn_be32(IP_DST + flow);
	ip->checksum = 0;
	ip->checksum = ipv4_cksum(ip);
}

struct vfn_mbuf *fwd_pkt_build(struct fwd_stream *fs, struct vfn_mbuf **segs)
{
	struct vfn_mbuf *head = segs[0], *prev = head;
	unsigned int i;

	memcpy(vfn_pktmbuf_mtod(head, void *), fs->hdr, FWD_HDR_LEN);
	head->data_len = fwd_cfg.txpkts[0];
	for (i = 1; i < fwd_cfg.nb_txsegs; i++) {
		segs[i]->data_len = fwd_cfg.txpkts[i];
		prev->next = segs[i];
		prev = segs[i];
	}
	head->pkt_len = fwd_cfg.tx_pkt_len;
	head->nb_segs = (uint16_t)fwd_cfg.nb_txsegs;
	head->l2_len = VFN_ETHER_HDR_LEN;
	head->l3_len = sizeof(struct ipv4_hdr);
	return head;
}
