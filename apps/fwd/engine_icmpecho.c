/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * icmpecho (testpmd's): answer ARP requests and ICMP echo requests, drop
 * everything else.  An ARP request for any IPv4 address gets a reply
 * from the rx port's MAC; an echo request becomes an echo reply (MACs
 * and IP addresses swapped, type 0, ICMP checksum updated, IP header
 * checksum recomputed).  Replies leave on the stream's tx port; what is
 * dropped counts as fwd_dropped.  Headers must be in the first segment.
 */
#include <string.h>

#include "vfn_arp.h"
#include "vfn_icmp.h"
#include "vfn_ip.h"
#include "vfn_mbuf.h"
#include "fwd.h"

/* Turn ARP request @m into its reply from @mac; 0, or -1 to drop it. */
static int arp_reply(struct vfn_mbuf *m, const struct vfn_ether_addr *mac)
{
	struct vfn_ether_hdr *eth = vfn_pktmbuf_mtod(m, struct vfn_ether_hdr *);
	struct vfn_arp_hdr *arp = (struct vfn_arp_hdr *)(eth + 1);
	vfn_be32_t ip;

	if (m->data_len < sizeof(*eth) + sizeof(*arp) ||
	    arp->arp_hardware != VFN_BE16(VFN_ARP_HRD_ETHER) ||
	    arp->arp_protocol != VFN_BE16(VFN_ETHER_TYPE_IPV4) ||
	    arp->arp_opcode != VFN_BE16(VFN_ARP_OP_REQUEST))
		return -1;
	eth->dst_addr = eth->src_addr;
	eth->src_addr = *mac;
	arp->arp_opcode = VFN_BE16(VFN_ARP_OP_REPLY);
	arp->arp_data.arp_tha = arp->arp_data.arp_sha;
	arp->arp_data.arp_sha = *mac;
	ip = arp->arp_data.arp_tip;
	arp->arp_data.arp_tip = arp->arp_data.arp_sip;
	arp->arp_data.arp_sip = ip;
	return 0;
}

/* Turn ICMP echo request @m into its reply; 0, or -1 to drop it. */
static int echo_reply(struct vfn_mbuf *m)
{
	struct vfn_ether_hdr *eth = vfn_pktmbuf_mtod(m, struct vfn_ether_hdr *);
	struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)(eth + 1);
	struct vfn_icmp_hdr *icmp;
	struct vfn_ether_addr tmp;
	vfn_be32_t a;
	uint32_t sum;

	if (m->data_len < sizeof(*eth) + sizeof(*ip) + sizeof(*icmp) ||
	    ip->next_proto_id != IPPROTO_ICMP ||
	    m->data_len < sizeof(*eth) + vfn_ipv4_hdr_len(ip) + sizeof(*icmp))
		return -1;
	icmp = (struct vfn_icmp_hdr *)((char *)ip + vfn_ipv4_hdr_len(ip));
	if (icmp->icmp_type != VFN_IP_ICMP_ECHO_REQUEST || icmp->icmp_code)
		return -1;
	tmp = eth->dst_addr;
	eth->dst_addr = eth->src_addr;
	eth->src_addr = tmp;
	a = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
	icmp->icmp_type = VFN_IP_ICMP_ECHO_REPLY;
	/* incremental update (RFC 1624): the type word went from 0x0800 to
	 * 0x0000, so the checksum grows by 0x0800 */
	sum = (uint32_t)vfn_be_to_cpu_16(icmp->icmp_cksum) + 0x0800;
	sum = (sum & 0xffff) + (sum >> 16);
	icmp->icmp_cksum = vfn_cpu_to_be_16((uint16_t)sum);
	return 0;
}

static uint16_t icmpecho_fwd(struct fwd_stream *fs, uint16_t burst)
{
	struct vfn_mbuf *pkts[FWD_MAX_BURST], *drop[FWD_MAX_BURST];
	uint16_t nb_rx, nb_tx, nb_reply = 0, nb_drop = 0, i;
	struct vfn_ether_addr mac;

	nb_rx = fwd_rx_burst(fs, pkts, burst);
	if (unlikely(nb_rx == 0))
		return 0;
	fwd_count(&fs->rx_packets, nb_rx);
	vfn_eth_macaddr_get(fs->rx_port, &mac);
	for (i = 0; i < nb_rx; i++) {
		struct vfn_mbuf *m = pkts[i];
		const struct vfn_ether_hdr *eth =
			vfn_pktmbuf_mtod(m, const struct vfn_ether_hdr *);
		int r = -1;

		if (m->data_len >= sizeof(*eth)) {
			if (eth->ether_type == VFN_BE16(VFN_ETHER_TYPE_ARP))
				r = arp_reply(m, &mac);
			else if (eth->ether_type == VFN_BE16(VFN_ETHER_TYPE_IPV4))
				r = echo_reply(m);
		}
		m->ol_flags &= VFN_MBUF_F_INDIRECT | VFN_MBUF_F_EXTERNAL;
		if (r == 0)
			pkts[nb_reply++] = m;
		else
			drop[nb_drop++] = m;
	}
	if (nb_drop) {
		fwd_count(&fs->fwd_dropped, nb_drop);
		vfn_pktmbuf_free_bulk(drop, nb_drop);
	}
	if (!nb_reply)
		return nb_rx;
	nb_tx = fwd_tx_burst(fs, pkts, nb_reply);
	fwd_count(&fs->tx_packets, nb_tx);
	if (unlikely(nb_tx < nb_reply))
		fwd_drop(fs, pkts, nb_tx, nb_reply);
	return nb_rx;
}

const struct fwd_engine fwd_engine_icmpecho = {
	.name = "icmpecho",
	.fwd = icmpecho_fwd,
};
