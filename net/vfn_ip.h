/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * IPv4 and IPv6 headers and the Internet checksum, as DPDK's rte_ip.h.
 *
 * Checksums follow DPDK's conventions exactly: vfn_raw_cksum() sums the
 * buffer as 16-bit words in memory order and returns the folded,
 * non-complemented sum, so a result stored into a header field needs no
 * byte swap; vfn_ipv4_cksum() and vfn_ipv4/6_udptcp_cksum() return the
 * value to store in the checksum field (which must be 0 while computing
 * the IPv4 header checksum); the _verify() variants return 0 when a
 * received header's checksum is right, -1 otherwise.
 */
#ifndef VFN_IP_H
#define VFN_IP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include "vfn_byteorder.h"
#include "vfn_mbuf_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** IPv4 header (options, if any, follow). */
struct vfn_ipv4_hdr {
	union {
		uint8_t version_ihl;      /**< version (4 bits), IHL (4 bits) */
		struct {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			uint8_t ihl : 4;  /**< header length, 32-bit words */
			uint8_t version : 4;
#else
			uint8_t version : 4;
			uint8_t ihl : 4;
#endif
		};
	};
	uint8_t type_of_service;     /**< DSCP and ECN */
	vfn_be16_t total_length;     /**< header and payload bytes */
	vfn_be16_t packet_id;        /**< identification */
	vfn_be16_t fragment_offset;  /**< flags (DF, MF) and offset */
	uint8_t time_to_live;
	uint8_t next_proto_id;       /**< IPPROTO_* of the payload */
	vfn_be16_t hdr_checksum;
	vfn_be32_t src_addr;
	vfn_be32_t dst_addr;
} __attribute__((packed)) __attribute__((aligned(2)));

/** Host-order IPv4 address a.b.c.d (VFN_IPV4(198, 18, 0, 1)). */
#define VFN_IPV4(a, b, c, d) ((((uint32_t)(a) & 0xff) << 24) | \
	(((uint32_t)(b) & 0xff) << 16) | (((uint32_t)(c) & 0xff) << 8) | \
	((uint32_t)(d) & 0xff))

/** @name IPv4 header fields */
/** @{ */
#define VFN_IPV4_MAX_PKT_LEN 65535
#define VFN_IPV4_HDR_IHL_MASK 0x0f
#define VFN_IPV4_IHL_MULTIPLIER 4
#define VFN_IPV4_MIN_IHL 0x5
#define VFN_IPV4_MAX_IHL 0xf
#define VFN_IPV4_VHL_DEF ((4 << 4) | VFN_IPV4_MIN_IHL)
#define VFN_IPV4_HDR_DF_SHIFT 14
#define VFN_IPV4_HDR_MF_SHIFT 13
#define VFN_IPV4_HDR_FO_SHIFT 3
#define VFN_IPV4_HDR_DF_FLAG (1 << VFN_IPV4_HDR_DF_SHIFT)
#define VFN_IPV4_HDR_MF_FLAG (1 << VFN_IPV4_HDR_MF_SHIFT)
#define VFN_IPV4_HDR_OFFSET_MASK ((1 << VFN_IPV4_HDR_MF_SHIFT) - 1)
#define VFN_IPV4_HDR_OFFSET_UNITS 8
/** @} */

/** Length of the IPv4 header @p h in bytes (IHL * 4). */
static inline uint8_t vfn_ipv4_hdr_len(const struct vfn_ipv4_hdr *h)
{
	return (uint8_t)((h->version_ihl & VFN_IPV4_HDR_IHL_MASK) *
			 VFN_IPV4_IHL_MULTIPLIER);
}

/** 1 when @p h is a fragment (MF set or a non-zero offset). */
static inline int vfn_ipv4_frag_pkt_is_fragmented(const struct vfn_ipv4_hdr *h)
{
	uint16_t f = vfn_be_to_cpu_16(h->fragment_offset);

	return (f & (VFN_IPV4_HDR_MF_FLAG | VFN_IPV4_HDR_OFFSET_MASK)) != 0;
}

/**
 * @internal Add the 16-bit words of @p buf (memory order) to @p sum; an
 * odd last byte counts as a word padded with zero.  Not folded.
 */
static inline uint32_t __vfn_raw_cksum(const void *buf, size_t len,
				       uint32_t sum)
{
	const uint8_t *p = (const uint8_t *)buf;
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		uint16_t w;

		memcpy(&w, p + i, 2);
		s += w;
	}
	if (len & 1) {
		uint16_t w = 0;

		memcpy(&w, p + len - 1, 1);
		s += w;
	}
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

/** @internal Fold a 32-bit sum to 16 bits (not complemented). */
static inline uint16_t __vfn_raw_cksum_reduce(uint32_t sum)
{
	sum = (sum >> 16) + (sum & 0xffff);
	sum = (sum >> 16) + (sum & 0xffff);
	return (uint16_t)sum;
}

/** One's complement sum of @p buf, folded, not complemented. */
static inline uint16_t vfn_raw_cksum(const void *buf, size_t len)
{
	return __vfn_raw_cksum_reduce(__vfn_raw_cksum(buf, len, 0));
}

/**
 * The checksum of the IPv4 header @p h (options included), to store in
 * h->hdr_checksum; the field must be 0 while it is computed.
 */
static inline uint16_t vfn_ipv4_cksum(const struct vfn_ipv4_hdr *h)
{
	return (uint16_t)~vfn_raw_cksum(h, vfn_ipv4_hdr_len(h));
}

/**
 * Pseudo-header sum of @p h for a UDP/TCP checksum (not complemented):
 * what a NIC's L4 checksum offload expects in the L4 checksum field.
 * With VFN_MBUF_F_TX_TCP_SEG in @p ol_flags the length is left out.
 */
static inline uint16_t vfn_ipv4_phdr_cksum(const struct vfn_ipv4_hdr *h,
					   uint64_t ol_flags)
{
	struct {
		vfn_be32_t src_addr;
		vfn_be32_t dst_addr;
		uint8_t zero;
		uint8_t proto;
		vfn_be16_t len;
	} __attribute__((packed)) ph;

	ph.src_addr = h->src_addr;
	ph.dst_addr = h->dst_addr;
	ph.zero = 0;
	ph.proto = h->next_proto_id;
	if (ol_flags & VFN_MBUF_F_TX_TCP_SEG)
		ph.len = 0;
	else
		ph.len = vfn_cpu_to_be_16((uint16_t)(vfn_be_to_cpu_16(
			h->total_length) - vfn_ipv4_hdr_len(h)));
	return vfn_raw_cksum(&ph, sizeof(ph));
}

/** @internal Folded sum of pseudo-header and L4 segment (not complemented). */
static inline uint16_t __vfn_ipv4_udptcp_cksum(const struct vfn_ipv4_hdr *h,
					       const void *l4_hdr)
{
	uint32_t l3_len = vfn_be_to_cpu_16(h->total_length);
	uint32_t hlen = vfn_ipv4_hdr_len(h);
	uint32_t sum;

	if (l3_len < hlen)
		return 0;
	sum = __vfn_raw_cksum(l4_hdr, l3_len - hlen, 0);
	sum += vfn_ipv4_phdr_cksum(h, 0);
	return __vfn_raw_cksum_reduce(sum);
}

/**
 * The UDP or TCP checksum of the segment at @p l4_hdr (its length taken
 * from h->total_length), to store in the L4 checksum field, which must be
 * 0 while it is computed.  A UDP result of 0 is sent as 0xffff (RFC 768).
 */
static inline uint16_t vfn_ipv4_udptcp_cksum(const struct vfn_ipv4_hdr *h,
					     const void *l4_hdr)
{
	uint16_t c = (uint16_t)~__vfn_ipv4_udptcp_cksum(h, l4_hdr);

	if (c == 0 && h->next_proto_id == IPPROTO_UDP)
		c = 0xffff;
	return c;
}

/** 0 when the received UDP/TCP segment's checksum is right, else -1. */
static inline int vfn_ipv4_udptcp_cksum_verify(const struct vfn_ipv4_hdr *h,
					       const void *l4_hdr)
{
	return __vfn_ipv4_udptcp_cksum(h, l4_hdr) == 0xffff ? 0 : -1;
}

/** IPv6 header (extension headers, if any, follow). */
struct vfn_ipv6_hdr {
	vfn_be32_t vtc_flow;    /**< version, traffic class, flow label */
	vfn_be16_t payload_len; /**< bytes after this header */
	uint8_t proto;          /**< next header (IPPROTO_*) */
	uint8_t hop_limits;
	uint8_t src_addr[16];
	uint8_t dst_addr[16];
} __attribute__((packed)) __attribute__((aligned(2)));

/** @name IPv6 header fields */
/** @{ */
#define VFN_IPV6_HDR_FL_SHIFT 0
#define VFN_IPV6_HDR_TC_SHIFT 20
#define VFN_IPV6_HDR_FL_MASK ((1u << VFN_IPV6_HDR_TC_SHIFT) - 1)
#define VFN_IPV6_HDR_TC_MASK (0xffu << VFN_IPV6_HDR_TC_SHIFT)
#define VFN_IPV6_MIN_MTU 1280
/** @} */

/** Pseudo-header sum of @p h (not complemented); see vfn_ipv4_phdr_cksum(). */
static inline uint16_t vfn_ipv6_phdr_cksum(const struct vfn_ipv6_hdr *h,
					   uint64_t ol_flags)
{
	struct {
		vfn_be32_t len;
		vfn_be32_t proto; /* the next header in the low byte */
	} ph;
	uint32_t sum;

	ph.proto = vfn_cpu_to_be_32(h->proto);
	ph.len = (ol_flags & VFN_MBUF_F_TX_TCP_SEG) ? 0 :
		 vfn_cpu_to_be_32(vfn_be_to_cpu_16(h->payload_len));
	sum = __vfn_raw_cksum(h->src_addr, 32, 0);
	sum = __vfn_raw_cksum(&ph, sizeof(ph), sum);
	return __vfn_raw_cksum_reduce(sum);
}

/** @internal As __vfn_ipv4_udptcp_cksum() for IPv6 (payload_len bytes). */
static inline uint16_t __vfn_ipv6_udptcp_cksum(const struct vfn_ipv6_hdr *h,
					       const void *l4_hdr)
{
	uint32_t sum = __vfn_raw_cksum(l4_hdr, vfn_be_to_cpu_16(h->payload_len), 0);

	sum += vfn_ipv6_phdr_cksum(h, 0);
	return __vfn_raw_cksum_reduce(sum);
}

/** The UDP/TCP checksum over IPv6; see vfn_ipv4_udptcp_cksum(). */
static inline uint16_t vfn_ipv6_udptcp_cksum(const struct vfn_ipv6_hdr *h,
					     const void *l4_hdr)
{
	uint16_t c = (uint16_t)~__vfn_ipv6_udptcp_cksum(h, l4_hdr);

	if (c == 0 && h->proto == IPPROTO_UDP)
		c = 0xffff;
	return c;
}

/** 0 when the received UDP/TCP segment's checksum is right, else -1. */
static inline int vfn_ipv6_udptcp_cksum_verify(const struct vfn_ipv6_hdr *h,
					       const void *l4_hdr)
{
	return __vfn_ipv6_udptcp_cksum(h, l4_hdr) == 0xffff ? 0 : -1;
}

#ifdef __cplusplus
}
#endif

#endif /* VFN_IP_H */
