/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfn_net_get_ptype(): software packet-type parsing (vfn_net.h).  Each
 * header is read with vfn_pktmbuf_read(), so a chain of segments parses
 * as one buffer; a header the packet is too short for ends the parse.
 */
#include <netinet/in.h>

#include "vfn_arp.h"
#include "vfn_ether.h"
#include "vfn_ip.h"
#include "vfn_net.h"
#include "vfn_tcp.h"
#include "vfn_udp.h"

/* L4 ptype of IP protocol @proto. */
static uint32_t l4_ptype(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return VFN_PTYPE_L4_TCP;
	case IPPROTO_UDP: return VFN_PTYPE_L4_UDP;
	case IPPROTO_SCTP: return VFN_PTYPE_L4_SCTP;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: return VFN_PTYPE_L4_ICMP;
	default: return VFN_PTYPE_L4_NONFRAG;
	}
}

/* Length of the L4 header of type @ptype at @off, or 0 when truncated. */
static uint8_t l4_len(const struct vfn_mbuf *m, uint32_t off, uint32_t ptype)
{
	struct vfn_tcp_hdr th;
	const struct vfn_tcp_hdr *t;

	switch (ptype) {
	case VFN_PTYPE_L4_TCP:
		t = vfn_pktmbuf_read(m, off, sizeof(th), &th);
		return t ? (uint8_t)((t->data_off & 0xf0) >> 2) : 0;
	case VFN_PTYPE_L4_UDP:
		return sizeof(struct vfn_udp_hdr);
	case VFN_PTYPE_L4_SCTP:
		return 12;
	default:
		return 0;
	}
}

/* Skip IPv6 extension headers from @off; *@proto is the next header.
 * Returns the bytes skipped, or -1 when truncated; *@frag set for a
 * fragment header. */
static int ipv6_skip_ext(const struct vfn_mbuf *m, uint32_t off,
			 uint8_t *proto, int *frag)
{
	uint8_t buf[2];
	const uint8_t *e;
	int skipped = 0, i;

	*frag = 0;
	for (i = 0; i < 8; i++) {
		switch (*proto) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			e = vfn_pktmbuf_read(m, off + skipped, 2, buf);
			if (!e)
				return -1;
			*proto = e[0];
			skipped += (e[1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT:
			e = vfn_pktmbuf_read(m, off + skipped, 2, buf);
			if (!e)
				return -1;
			*proto = e[0];
			skipped += 8;
			*frag = 1;
			return skipped;
		default:
			return skipped;
		}
	}
	return -1;
}

static uint32_t parse_ipv4(const struct vfn_mbuf *m, uint32_t off,
			   struct vfn_net_hdr_lens *hl, uint32_t layers,
			   uint32_t *l4_off)
{
	struct vfn_ipv4_hdr buf;
	const struct vfn_ipv4_hdr *ip = vfn_pktmbuf_read(m, off, sizeof(buf), &buf);
	uint32_t pt;

	if (!ip || (ip->version_ihl >> 4) != 4 ||
	    vfn_ipv4_hdr_len(ip) < sizeof(buf))
		return 0;
	pt = vfn_ipv4_hdr_len(ip) == sizeof(buf) ? VFN_PTYPE_L3_IPV4 :
	     VFN_PTYPE_L3_IPV4_EXT;
	hl->l3_len = vfn_ipv4_hdr_len(ip);
	if (!(layers & VFN_PTYPE_L4_MASK))
		return pt;
	*l4_off = off + hl->l3_len;
	if (vfn_ipv4_frag_pkt_is_fragmented(ip))
		return pt | VFN_PTYPE_L4_FRAG;
	return pt | l4_ptype(ip->next_proto_id);
}

static uint32_t parse_ipv6(const struct vfn_mbuf *m, uint32_t off,
			   struct vfn_net_hdr_lens *hl, uint32_t layers,
			   uint32_t *l4_off)
{
	struct vfn_ipv6_hdr buf;
	const struct vfn_ipv6_hdr *ip = vfn_pktmbuf_read(m, off, sizeof(buf), &buf);
	uint8_t proto;
	int ext, frag;
	uint32_t pt;

	if (!ip || (vfn_be_to_cpu_32(ip->vtc_flow) >> 28) != 6)
		return 0;
	proto = ip->proto;
	ext = ipv6_skip_ext(m, off + sizeof(buf), &proto, &frag);
	if (ext < 0)
		return VFN_PTYPE_L3_IPV6_EXT;
	pt = ext ? VFN_PTYPE_L3_IPV6_EXT : VFN_PTYPE_L3_IPV6;
	hl->l3_len = (uint16_t)(sizeof(buf) + ext);
	if (!(layers & VFN_PTYPE_L4_MASK))
		return pt;
	*l4_off = off + hl->l3_len;
	return pt | (frag ? VFN_PTYPE_L4_FRAG : l4_ptype(proto));
}

uint32_t vfn_net_get_ptype(const struct vfn_mbuf *m,
			   struct vfn_net_hdr_lens *hdr_lens, uint32_t layers)
{
	struct vfn_net_hdr_lens local;
	struct vfn_net_hdr_lens *hl = hdr_lens ? hdr_lens : &local;
	struct vfn_ether_hdr eb;
	struct vfn_vlan_hdr vb;
	const struct vfn_ether_hdr *eh;
	const struct vfn_vlan_hdr *vh;
	uint32_t pt, l3, off, l4_off = 0;
	uint16_t type;

	memset(hl, 0, sizeof(*hl));
	eh = vfn_pktmbuf_read(m, 0, sizeof(eb), &eb);
	if (!eh)
		return VFN_PTYPE_UNKNOWN;
	pt = VFN_PTYPE_L2_ETHER;
	off = sizeof(eb);
	type = vfn_be_to_cpu_16(eh->ether_type);
	if (type == VFN_ETHER_TYPE_VLAN || type == VFN_ETHER_TYPE_QINQ) {
		pt = type == VFN_ETHER_TYPE_QINQ ? VFN_PTYPE_L2_ETHER_QINQ :
		     VFN_PTYPE_L2_ETHER_VLAN;
		vh = vfn_pktmbuf_read(m, off, sizeof(vb), &vb);
		if (!vh)
			return pt & layers;
		off += sizeof(vb);
		type = vfn_be_to_cpu_16(vh->eth_proto);
		if (type == VFN_ETHER_TYPE_VLAN) { /* inner tag of QinQ */
			vh = vfn_pktmbuf_read(m, off, sizeof(vb), &vb);
			if (!vh)
				return pt & layers;
			off += sizeof(vb);
			type = vfn_be_to_cpu_16(vh->eth_proto);
		}
	} else if (type == VFN_ETHER_TYPE_ARP) {
		pt = VFN_PTYPE_L2_ETHER_ARP;
	} else if (type == VFN_ETHER_TYPE_LLDP) {
		pt = VFN_PTYPE_L2_ETHER_LLDP;
	} else if (type == VFN_ETHER_TYPE_1588) {
		pt = VFN_PTYPE_L2_ETHER_TIMESYNC;
	}
	hl->l2_len = (uint8_t)off;
	if (!(layers & (VFN_PTYPE_L3_MASK | VFN_PTYPE_L4_MASK)))
		return pt & layers;
	if (type == VFN_ETHER_TYPE_IPV4)
		l3 = parse_ipv4(m, off, hl, layers, &l4_off);
	else if (type == VFN_ETHER_TYPE_IPV6)
		l3 = parse_ipv6(m, off, hl, layers, &l4_off);
	else
		l3 = 0;
	pt |= l3;
	if (l4_off)
		hl->l4_len = l4_len(m, l4_off, pt & VFN_PTYPE_L4_MASK);
	return pt & layers;
}
