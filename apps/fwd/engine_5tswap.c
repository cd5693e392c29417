/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 5tswap (testpmd's): send each packet back as its reply would look:
 * Ethernet addresses, IPv4 or IPv6 addresses and TCP/UDP ports swapped.
 * Checksums stay right (a one's complement sum does not depend on the
 * order of its words).  Headers must be in the first segment; what is
 * not Ethernet/IP is forwarded with only the MACs swapped.
 */
#include <stddef.h>
#include <string.h>

#include "vfn_ip.h"
#include "vfn_mbuf.h"
#include "vfn_net.h"
#include "vfn_udp.h"
#include "fwd.h"

/* Swap the 16-bit fields at @a and @b (possibly unaligned). */
static void swap16(char *a, char *b)
{
	char t[2];

	memcpy(t, a, 2);
	memcpy(a, b, 2);
	memcpy(b, t, 2);
}

static void swap_5tuple(struct vfn_mbuf *m)
{
	struct vfn_net_hdr_lens hl;
	uint32_t pt = vfn_net_get_ptype(m, &hl, VFN_PTYPE_ALL_MASK);
	struct vfn_ether_hdr *eth = vfn_pktmbuf_mtod(m, struct vfn_ether_hdr *);
	struct vfn_ether_addr tmp = eth->dst_addr;
	uint32_t l4 = (pt & VFN_PTYPE_L4_MASK);
	char *l3 = (char *)eth + hl.l2_len;

	eth->dst_addr = eth->src_addr;
	eth->src_addr = tmp;
	m->l2_len = hl.l2_len;
	m->l3_len = hl.l3_len;
	if (m->data_len < hl.l2_len + hl.l3_len + (l4 == VFN_PTYPE_L4_TCP ||
	    l4 == VFN_PTYPE_L4_UDP ? 4 : 0))
		return;
	if ((pt & VFN_PTYPE_L3_MASK) == VFN_PTYPE_L3_IPV4 ||
	    (pt & VFN_PTYPE_L3_MASK) == VFN_PTYPE_L3_IPV4_EXT) {
		struct vfn_ipv4_hdr *ip = (struct vfn_ipv4_hdr *)l3;
		vfn_be32_t a = ip->src_addr;

		ip->src_addr = ip->dst_addr;
		ip->dst_addr = a;
	} else if (pt & VFN_PTYPE_L3_MASK) {
		struct vfn_ipv6_hdr *ip6 = (struct vfn_ipv6_hdr *)l3;
		uint8_t a[16];

		memcpy(a, ip6->src_addr, 16);
		memcpy(ip6->src_addr, ip6->dst_addr, 16);
		memcpy(ip6->dst_addr, a, 16);
	} else {
		return;
	}
	if (l4 == VFN_PTYPE_L4_TCP || l4 == VFN_PTYPE_L4_UDP) {
		/* both headers start with the source and destination ports */
		char *ports = l3 + hl.l3_len;

		swap16(ports + offsetof(struct vfn_udp_hdr, src_port),
		       ports + offsetof(struct vfn_udp_hdr, dst_port));
	}
}

static uint16_t fivetswap_fwd(struct fwd_stream *fs, uint16_t burst)
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
		swap_5tuple(pkts[i]);
		pkts[i]->ol_flags &= VFN_MBUF_F_INDIRECT | VFN_MBUF_F_EXTERNAL;
	}
	nb_tx = fwd_tx_burst(fs, pkts, nb_rx);
	fwd_count(&fs->tx_packets, nb_tx);
	if (unlikely(nb_tx < nb_rx))
		fwd_drop(fs, pkts, nb_tx, nb_rx);
	return nb_rx;
}

const struct fwd_engine fwd_engine_5tswap = {
	.name = "5tswap",
	.fwd = fivetswap_fwd,
};
