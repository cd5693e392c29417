/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * csum (testpmd's, software checksums): parse L2/L3/L4, count packets
 * whose IPv4 header or TCP/UDP checksum is wrong (Bad-ipcsum,
 * Bad-l4csum, as testpmd prints them), recompute both, set the Ethernet
 * addresses as the mac engine does (tx port's MAC, --eth-peer) and
 * forward.  A UDP checksum of 0 over IPv4 means "none": not counted as
 * bad, and filled in.  Headers and payload must be in the first segment;
 * other packets are forwarded unchecked.
 */
#include <stddef.h>
#include <string.h>

#include "vfn_ip.h"
#include "vfn_mbuf.h"
#include "vfn_net.h"
#include "vfn_tcp.h"
#include "vfn_udp.h"
#include "fwd.h"

/* The L4 checksum field of a TCP or UDP header (possibly unaligned). */
static char *l4_cksum_field(void *l4, uint32_t l4type)
{
	return (char *)l4 + (l4type == VFN_PTYPE_L4_TCP ?
			     offsetof(struct vfn_tcp_hdr, cksum) :
			     offsetof(struct vfn_udp_hdr, dgram_cksum));
}

static void set16(char *f, uint16_t v)
{
	memcpy(f, &v, 2);
}

static uint16_t get16(const char *f)
{
	uint16_t v;

	memcpy(&v, f, 2);
	return v;
}

static void csum_ipv4(struct fwd_stream *fs, struct vfn_ipv4_hdr *ip,
		      uint32_t l4type, void *l4)
{
	char *f;

	if (vfn_raw_cksum(ip, vfn_ipv4_hdr_len(ip)) != 0xffff)
		fwd_count(&fs->bad_ip_csum, 1);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = vfn_ipv4_cksum(ip);
	if (l4type != VFN_PTYPE_L4_TCP && l4type != VFN_PTYPE_L4_UDP)
		return;
	f = l4_cksum_field(l4, l4type);
	if (!(l4type == VFN_PTYPE_L4_UDP && get16(f) == 0) &&
	    vfn_ipv4_udptcp_cksum_verify(ip, l4))
		fwd_count(&fs->bad_l4_csum, 1);
	set16(f, 0);
	set16(f, vfn_ipv4_udptcp_cksum(ip, l4));
}

static void csum_ipv6(struct fwd_stream *fs, struct vfn_ipv6_hdr *ip,
		      uint32_t l4type, void *l4)
{
	char *f;

	if (l4type != VFN_PTYPE_L4_TCP && l4type != VFN_PTYPE_L4_UDP)
		return;
	f = l4_cksum_field(l4, l4type);
	if (vfn_ipv6_udptcp_cksum_verify(ip, l4))
		fwd_count(&fs->bad_l4_csum, 1);
	set16(f, 0);
	set16(f, vfn_ipv6_udptcp_cksum(ip, l4));
}

static void csum_one(struct fwd_stream *fs, struct vfn_mbuf *m)
{
	struct vfn_net_hdr_lens hl;
	uint32_t pt = vfn_net_get_ptype(m, &hl, VFN_PTYPE_ALL_MASK);
	uint32_t l3type = pt & VFN_PTYPE_L3_MASK, l4type = pt & VFN_PTYPE_L4_MASK;
	struct vfn_ether_hdr *eth = vfn_pktmbuf_mtod(m, struct vfn_ether_hdr *);
	char *l3 = (char *)eth + hl.l2_len;
	uint32_t need;

	eth->dst_addr = fs->eth_dst;
	eth->src_addr = fs->eth_src;
	m->l2_len = hl.l2_len;
	m->l3_len = hl.l3_len;
	m->l4_len = hl.l4_len;
	if (m->nb_segs != 1 || !l3type)
		return;
	if (l3type == VFN_PTYPE_L3_IPV4 || l3type == VFN_PTYPE_L3_IPV4_EXT) {
		struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)l3;

		need = hl.l2_len + vfn_be_to_cpu_16(ip->total_length);
		if (need > m->data_len || hl.l3_len + 8u > need - hl.l2_len)
			return;
		csum_ipv4(fs, ip, l4type, l3 + hl.l3_len);
	} else {
		struct vfn_ipv6_hdr *ip6 = (struct vfn_ipv6_hdr *)l3;

		/* the L4 checksum covers payload_len bytes after the fixed
		 * header: skip packets with extension headers */
		need = hl.l2_len + 40u + vfn_be_to_cpu_16(ip6->payload_len);
		if (l3type != VFN_PTYPE_L3_IPV6 || need > m->data_len ||
		    vfn_be_to_cpu_16(ip6->payload_len) < 8)
			return;
		csum_ipv6(fs, ip6, l4type, l3 + hl.l3_len);
	}
}

static uint16_t csum_fwd(struct fwd_stream *fs, uint16_t burst)
{
	struct vfn_mbuf *pkts[FWD_MAX_BURST];
	uint16_t nb_rx, nb_tx, i;

	nb_rx = fwd_rx_burst(fs, pkts, burst);
	if (unlikely(nb_rx == 0))
		return 0;
	fwd_count(&fs->rx_packets, nb_rx);
	for (i = 0; i < nb_rx; i++) {
		if (i + 1 < nb_rx)
			vfn_prefetch0(vfn_pktmbuf_mtod(pkts[i + 1], void *));
		csum_one(fs, pkts[i]);
		pkts[i]->ol_flags &= VFN_MBUF_F_INDIRECT | VFN_MBUF_F_EXTERNAL;
	}
	nb_tx = fwd_tx_burst(fs, pkts, nb_rx);
	fwd_count(&fs->tx_packets, nb_tx);
	if (unlikely(nb_tx < nb_rx))
		fwd_drop(fs, pkts, nb_tx, nb_rx);
	return nb_rx;
}

const struct fwd_engine fwd_engine_csum = {
	.name = "csum",
	.fwd = csum_fwd,
};
