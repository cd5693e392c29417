/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * ARP over Ethernet/IPv4, as DPDK's rte_arp.h.
 */
#ifndef VFN_ARP_H
#define VFN_ARP_H

#include <stdint.h>

#include "vfn_byteorder.h"
#include "vfn_ether.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The Ethernet/IPv4 body of an ARP packet; addresses big endian. */
struct vfn_arp_ipv4 {
	struct vfn_ether_addr arp_sha; /**< sender hardware address */
	vfn_be32_t arp_sip;            /**< sender IP address */
	struct vfn_ether_addr arp_tha; /**< target hardware address */
	vfn_be32_t arp_tip;            /**< target IP address */
} __attribute__((packed)) __attribute__((aligned(2)));

/** ARP header; multi-byte fields big endian. */
struct vfn_arp_hdr {
	vfn_be16_t arp_hardware; /**< VFN_ARP_HRD_ETHER */
	vfn_be16_t arp_protocol; /**< VFN_ETHER_TYPE_IPV4 */
	uint8_t arp_hlen;        /**< 6 */
	uint8_t arp_plen;        /**< 4 */
	vfn_be16_t arp_opcode;   /**< VFN_ARP_OP_* */
	struct vfn_arp_ipv4 arp_data;
} __attribute__((packed)) __attribute__((aligned(2)));

#define VFN_ARP_HRD_ETHER 1
/** @name ARP opcodes */
/** @{ */
#define VFN_ARP_OP_REQUEST 1
#define VFN_ARP_OP_REPLY 2
#define VFN_ARP_OP_REVREQUEST 3
#define VFN_ARP_OP_REVREPLY 4
#define VFN_ARP_OP_INVREQUEST 8
#define VFN_ARP_OP_INVREPLY 9
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* VFN_ARP_H */
