/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ethernet addresses and the Ethernet header (DPDK's rte_ether.h subset),
 * used by the port API (MAC addresses) and by applications that rewrite
 * frames (fwd's mac and macswap engines).
 */
#ifndef VFN_ETHER_H
#define VFN_ETHER_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes in an Ethernet address. */
#define VFN_ETHER_ADDR_LEN 6
/** Ethernet header length (no VLAN tag). */
#define VFN_ETHER_HDR_LEN 14
/** Frame check sequence length. */
#define VFN_ETHER_CRC_LEN 4
/** Shortest frame, FCS included (DPDK: 64). */
#define VFN_ETHER_MIN_LEN 64
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

/** EtherType values, host byte order (compare with vfn_be16 of the field). */
#define VFN_ETHER_TYPE_IPV4 0x0800
#define VFN_ETHER_TYPE_ARP  0x0806
#define VFN_ETHER_TYPE_VLAN 0x8100
#define VFN_ETHER_TYPE_IPV6 0x86dd

/** An Ethernet (MAC) address, network byte order. */
struct vfn_ether_addr {
	uint8_t addr_bytes[VFN_ETHER_ADDR_LEN];
} __attribute__((aligned(2)));

/** Ethernet header; ether_type is big-endian. */
struct vfn_ether_hdr {
	struct vfn_ether_addr dst_addr;
	struct vfn_ether_addr src_addr;
	uint16_t ether_type;
} __attribute__((aligned(2)));

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

/** Byte-swap a 16-bit value between host and network order. */
static inline uint16_t vfn_be16(uint16_t v)
{
	return (uint16_t)__builtin_bswap16(v);
}

/** Byte-swap a 32-bit value between host and network order. */
static inline uint32_t vfn_be32(uint32_t v)
{
	return __builtin_bswap32(v);
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
