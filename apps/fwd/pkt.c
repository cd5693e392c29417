/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets for the tx engines: one Ethernet/IPv4/UDP header template per
 * stream (testpmd's addresses: 198.18.0.1:9 -> 198.18.0.2:9, TTL 64),
 * copied into each generated packet.
 */
#include <string.h>

#include "vfn_ip.h"
#include "vfn_mbuf.h"
#include "vfn_udp.h"
#include "fwd.h"

#define IP_SRC VFN_IPV4(198, 18, 0, 1)
#define IP_DST VFN_IPV4(198, 18, 0, 2)
#define UDP_PORT 9

void fwd_pkt_template(struct fwd_stream *fs, uint32_t pkt_len)
{
	struct vfn_ether_hdr *eth = (struct vfn_ether_hdr *)fs->hdr;
	struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)(eth + 1);
	struct vfn_udp_hdr *udp = (struct vfn_udp_hdr *)(ip + 1);

	memset(fs->hdr, 0, sizeof(fs->hdr));
	eth->dst_addr = fs->eth_dst;
	eth->src_addr = fs->eth_src;
	eth->ether_type = vfn_cpu_to_be_16(VFN_ETHER_TYPE_IPV4);
	ip->version_ihl = VFN_IPV4_VHL_DEF;
	ip->total_length = vfn_cpu_to_be_16((uint16_t)(pkt_len - sizeof(*eth)));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = vfn_cpu_to_be_32(IP_SRC);
	ip->dst_addr = vfn_cpu_to_be_32(IP_DST);
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
	udp->src_port = vfn_cpu_to_be_16(UDP_PORT);
	udp->dst_port = vfn_cpu_to_be_16(UDP_PORT);
	udp->dgram_len = vfn_cpu_to_be_16((uint16_t)(pkt_len - sizeof(*eth) -
						    sizeof(*ip)));
}

void fwd_pkt_set_flow(uint8_t *hdr, uint32_t flow)
{
	struct vfn_ipv4_hdr *ip =
		(struct vfn_ipv4_hdr *)(hdr + VFN_ETHER_HDR_LEN);

	ip->dst_addr = vfn_cpu_to_be_32(IP_DST + flow);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
}

void fwd_pkt_set_src_flow(uint8_t *hdr, uint32_t flow)
{
	struct vfn_ipv4_hdr *ip =
		(struct vfn_ipv4_hdr *)(hdr + VFN_ETHER_HDR_LEN);

	ip->src_addr = vfn_cpu_to_be_32(IP_SRC + flow);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
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
	head->l3_len = sizeof(struct vfn_ipv4_hdr);
	return head;
}
