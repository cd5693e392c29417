/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Software packet-type parsing, as DPDK's rte_net.h: what a PMD without
 * hardware packet types (or an application) uses to fill
 * mbuf->packet_type and the header lengths.
 *
 * Parsed: Ethernet, one or two VLAN tags (802.1Q, QinQ), ARP, IPv4 (with
 * options: L3_IPV4_EXT), IPv6 (with extension headers: L3_IPV6_EXT; the
 * hop-by-hop, routing, destination-options and fragment headers are
 * walked), and TCP, UDP, SCTP, ICMP, fragments (L4_FRAG) and other
 * protocols (L4_NONFRAG) above them.  Tunnels are not parsed (no
 * VFN_PTYPE_TUNNEL_* or INNER_* result), unlike DPDK.
 */
#ifndef VFN_NET_H
#define VFN_NET_H

#include <stdint.h>

#include "vfn_mbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Header lengths found by vfn_net_get_ptype(). */
struct vfn_net_hdr_lens {
	uint8_t l2_len;       /**< Ethernet and VLAN tags */
	uint8_t inner_l2_len; /**< always 0 (no tunnels) */
	uint16_t l3_len;      /**< IP header with options / extensions */
	uint16_t inner_l3_len;/**< always 0 */
	uint16_t tunnel_len;  /**< always 0 */
	uint8_t l4_len;       /**< TCP header with options, UDP 8, ... */
	uint8_t inner_l4_len; /**< always 0 */
};

/**
 * Parse the headers of @p m (in any segment layout) and return its
 * VFN_PTYPE_* packet type, limited to the layers in @p layers
 * (VFN_PTYPE_L2_MASK | VFN_PTYPE_L3_MASK | VFN_PTYPE_L4_MASK, or
 * VFN_PTYPE_ALL_MASK).  When @p hdr_lens is not NULL it gets the header
 * lengths of the layers recognised.  A truncated header ends the parse
 * with what was recognised before it.
 */
uint32_t vfn_net_get_ptype(const struct vfn_mbuf *m,
			   struct vfn_net_hdr_lens *hdr_lens, uint32_t layers);

#ifdef __cplusplus
}
#endif

#endif /* VFN_NET_H */
