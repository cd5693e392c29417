/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ethernet addresses, the Ethernet and VLAN headers (DPDK's rte_ether.h
 * subset), used by the port API (MAC addresses) and by applications that
 * parse or rewrite frames.
 */
#ifndef VFN_ETHER_H
#define VFN_ETHER_H

#include <stdint.h>
#include <string.h>

#include "vfn_byteorder.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes in an Ethernet address. */
#define VFN_ETHER_ADDR_LEN 6
/** Ethernet header length (no VLAN tag). */
#define VFN_ETHER_HDR_LEN 14
/** Frame check sequence length. */
#define VFN_ETHER_CRC_LEN 4
/** Length of the EtherType field. */
#define VFN_ETHER_TYPE_LEN 2
/** Shortest frame, FCS included (DPDK: 64). */
#define VFN_ETHER_MIN_LEN 64
/** Longest untagged frame, FCS included. */
#define VFN_ETHER_MAX_LEN 1518
/** VLAN (802.1Q) tag length. */
#define VFN_VLAN_HLEN 4
/** Longest frame with one VLAN tag, FCS included. */
#define VFN_ETHER_MAX_VLAN_FRAME_LEN (VFN_ETHER_MAX_LEN + VFN_VLAN_HLEN)
/** Longest jumbo frame (DPDK's value). */
#define VFN_ETHER_MAX_JUMBO_FRAME_LEN 0x3F00
/** Largest VLAN id. */
#define VFN_ETHER_MAX_VLAN_ID 4095
/** @name VLAN TCI fields */
/** @{ */
#define VFN_VLAN_DEI_SHIFT 12
#define VFN_VLAN_PRI_SHIFT 13
#define VFN_VLAN_PRI_MASK 0xe000
#define VFN_VLAN_DEI_MASK 0x1000
#define VFN_VLAN_ID_MASK 0x0fff
#define VFN_VLAN_TCI_ID(tci) ((tci) & VFN_VLAN_ID_MASK)
#define VFN_VLAN_TCI_PRI(tci) (((tci) & VFN_VLAN_PRI_MASK) >> VFN_VLAN_PRI_SHIFT)
#define VFN_VLAN_TCI_DEI(tci) (((tci) & VFN_VLAN_DEI_MASK) >> VFN_VLAN_DEI_SHIFT)
/** @} */
/** First address byte: locally administered bit, group (multicast) bit. */
#define VFN_ETHER_LOCAL_ADMIN_ADDR 0x02
#define VFN_ETHER_GROUP_ADDR 0x01
/** Default MTU. */
#define VFN_ETHER_MTU 1500
/** Smallest MTU a port accepts. */
#define VFN_ETHER_MIN_MTU 68
/** Length of "xx:xx:xx:xx:xx:xx" plus the NUL. */
#define VFN_ETHER_ADDR_FMT_SIZE 18
/** printf format of an address: printf(VFN_ETHER_ADDR_PRT_FMT,
 *  VFN_ETHER_ADDR_BYTES(&addr)) prints "02:00:00:00:00:01". */
#define VFN_ETHER_ADDR_PRT_FMT "%02X:%02X:%02X:%02X:%02X:%02X"
/** The six bytes of *@p a as printf arguments for VFN_ETHER_ADDR_PRT_FMT. */
#define VFN_ETHER_ADDR_BYTES(a) \
	((a)->addr_bytes[0]), ((a)->addr_bytes[1]), ((a)->addr_bytes[2]), \
	((a)->addr_bytes[3]), ((a)->addr_bytes[4]), ((a)->addr_bytes[5])

/**
 * @name EtherType values, host byte order: compare with
 * vfn_be_to_cpu_16(eth->ether_type), or with VFN_BE16(VFN_ETHER_TYPE_X).
 * @{
 */
#define VFN_ETHER_TYPE_IPV4 0x0800
#define VFN_ETHER_TYPE_IPV6 0x86DD
#define VFN_ETHER_TYPE_ARP  0x0806
#define VFN_ETHER_TYPE_RARP 0x8035
#define VFN_ETHER_TYPE_VLAN 0x8100
#define VFN_ETHER_TYPE_QINQ 0x88A8
#define VFN_ETHER_TYPE_QINQ1 0x9100
#define VFN_ETHER_TYPE_LLDP 0x88CC
#define VFN_ETHER_TYPE_MPLS 0x8847
#define VFN_ETHER_TYPE_1588 0x88F7
#define VFN_ETHER_TYPE_SLOW 0x8809
/** @} */

/** An Ethernet (MAC) address, network byte order. */
struct vfn_ether_addr {
	uint8_t addr_bytes[VFN_ETHER_ADDR_LEN];
} __attribute__((aligned(2)));

/** Ethernet header; ether_type is big-endian. */
struct vfn_ether_hdr {
	struct vfn_ether_addr dst_addr;
	struct vfn_ether_addr src_addr;
	vfn_be16_t ether_type; /**< VFN_ETHER_TYPE_*, big endian */
} __attribute__((aligned(2)));

/** 802.1Q tag that follows an Ethernet header with type VLAN or QINQ. */
struct vfn_vlan_hdr {
	vfn_be16_t vlan_tci;  /**< priority, DEI and VLAN id */
	vfn_be16_t eth_proto; /**< EtherType of what follows */
} __attribute__((packed));

/** Copy @p from to @p to. */
static inline void vfn_ether_addr_copy(const struct vfn_ether_addr *from,
				       struct vfn_ether_addr *to)
{
	memcpy(to, from, sizeof(*to));
}

/** 1 when @p a and @p b are equal. */
static inline int vfn_is_same_ether_addr(const struct vfn_ether_addr *a,
					 const struct vfn_ether_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/** 1 when @p a is all zeroes. */
static inline int vfn_is_zero_ether_addr(const struct vfn_ether_addr *a)
{
	static const struct vfn_ether_addr zero;

	return vfn_is_same_ether_addr(a, &zero);
}

/** 1 when @p a is a multicast (or broadcast) address. */
static inline int vfn_is_multicast_ether_addr(const struct vfn_ether_addr *a)
{
	return a->addr_bytes[0] & 1;
}

/** 1 when @p a is a valid unicast station address (not zero, not group). */
static inline int vfn_is_valid_assigned_ether_addr(const struct vfn_ether_addr *a)
{
	return !vfn_is_multicast_ether_addr(a) && !vfn_is_zero_ether_addr(a);
}

/** 1 when @p a is the broadcast address ff:ff:ff:ff:ff:ff. */
static inline int vfn_is_broadcast_ether_addr(const struct vfn_ether_addr *a)
{
	static const struct vfn_ether_addr bcast = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

	return vfn_is_same_ether_addr(a, &bcast);
}

/** 1 when @p a is a unicast address (group bit clear). */
static inline int vfn_is_unicast_ether_addr(const struct vfn_ether_addr *a)
{
	return !vfn_is_multicast_ether_addr(a);
}

/** 1 when @p a is locally administered. */
static inline int vfn_is_local_admin_ether_addr(const struct vfn_ether_addr *a)
{
	return (a->addr_bytes[0] & VFN_ETHER_LOCAL_ADMIN_ADDR) != 0;
}

/**
 * Format @p a as "xx:xx:xx:xx:xx:xx" into @p buf of @p size bytes
 * (VFN_ETHER_ADDR_FMT_SIZE is enough).
 */
void vfn_ether_format_addr(char *buf, uint16_t size,
			   const struct vfn_ether_addr *a);

/**
 * Parse "xx:xx:xx:xx:xx:xx" (or with '-' separators) into @p a.
 * @return 0, or -EINVAL when @p str is not a MAC address.
 */
int vfn_ether_unformat_addr(const char *str, struct vfn_ether_addr *a);

/** Fill @p a with a random locally administered unicast address. */
void vfn_eth_random_addr(uint8_t *a);

#ifdef __cplusplus
}
#endif

#endif /* VFN_ETHER_H */
