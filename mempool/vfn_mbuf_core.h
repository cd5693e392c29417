/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The mbuf structure, its offload flags and packet types.
 *
 * Field names and meanings are DPDK's rte_mbuf.  The layout differs in
 * one deliberate way: `next` sits in the first cache line (where DPDK
 * keeps it only in IOVA-as-VA builds) together with `buf_iova`, and the
 * RSS `hash` moved to the second line in exchange.  So receiving a
 * packet (rearm, lengths, flags, packet type), transmitting it (address,
 * lengths, flags, segment count) and freeing it (refcnt, next, nb_segs,
 * pool) all touch one cache line; the second line holds the hash (valid
 * only with VFN_MBUF_F_RX_RSS_HASH), the TX offload lengths (read only
 * with a TX offload flag), and rarely used fields.  The static assertions
 * at the end pin this.
 */
#ifndef VFN_MBUF_CORE_H
#define VFN_MBUF_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "vfn_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default headroom before the packet data (bytes). */
#define VFN_PKTMBUF_HEADROOM 128
/** Default data room of a packet buffer (without headroom). */
#define VFN_MBUF_DEFAULT_DATAROOM 2048
/** Default buffer size: data room plus headroom. */
#define VFN_MBUF_DEFAULT_BUF_SIZE \
	(VFN_MBUF_DEFAULT_DATAROOM + VFN_PKTMBUF_HEADROOM)
/** Port number of an mbuf not received on any port. */
#define VFN_MBUF_PORT_INVALID UINT16_MAX
/** Most segments in one packet. */
#define VFN_MBUF_MAX_NB_SEGS UINT16_MAX

/*
 * RX offload flags (ol_flags), values as DPDK 22.11.
 */
/** vlan_tci holds the VLAN tag (it may or may not be stripped). */
#define VFN_MBUF_F_RX_VLAN (1ULL << 0)
/** hash.rss is valid. */
#define VFN_MBUF_F_RX_RSS_HASH (1ULL << 1)
/** hash.fdir is valid. */
#define VFN_MBUF_F_RX_FDIR (1ULL << 2)
/** Outer IP checksum bad (tunnels). */
#define VFN_MBUF_F_RX_OUTER_IP_CKSUM_BAD (1ULL << 5)
/** The VLAN tag was stripped from the data into vlan_tci. */
#define VFN_MBUF_F_RX_VLAN_STRIPPED (1ULL << 6)
/** IP checksum: mask of the two bits below. */
#define VFN_MBUF_F_RX_IP_CKSUM_MASK ((1ULL << 4) | (1ULL << 7))
/** IP checksum not checked by the device. */
#define VFN_MBUF_F_RX_IP_CKSUM_UNKNOWN 0
/** IP checksum is wrong. */
#define VFN_MBUF_F_RX_IP_CKSUM_BAD (1ULL << 4)
/** IP checksum is right. */
#define VFN_MBUF_F_RX_IP_CKSUM_GOOD (1ULL << 7)
/** IP checksum not present or not valid to check (both bits). */
#define VFN_MBUF_F_RX_IP_CKSUM_NONE ((1ULL << 4) | (1ULL << 7))
/** L4 checksum: mask of the two bits below. */
#define VFN_MBUF_F_RX_L4_CKSUM_MASK ((1ULL << 3) | (1ULL << 8))
/** L4 checksum not checked. */
#define VFN_MBUF_F_RX_L4_CKSUM_UNKNOWN 0
/** L4 checksum is wrong. */
#define VFN_MBUF_F_RX_L4_CKSUM_BAD (1ULL << 3)
/** L4 checksum is right. */
#define VFN_MBUF_F_RX_L4_CKSUM_GOOD (1ULL << 8)
/** L4 checksum not present or not valid to check. */
#define VFN_MBUF_F_RX_L4_CKSUM_NONE ((1ULL << 3) | (1ULL << 8))
/** IEEE 1588 PTP frame. */
#define VFN_MBUF_F_RX_IEEE1588_PTP (1ULL << 9)
/** IEEE 1588 timestamp taken. */
#define VFN_MBUF_F_RX_IEEE1588_TMST (1ULL << 10)
/** Outer VLAN stripped into vlan_tci_outer. */
#define VFN_MBUF_F_RX_QINQ_STRIPPED (1ULL << 15)
/** Large receive offload: several packets coalesced. */
#define VFN_MBUF_F_RX_LRO (1ULL << 16)
/** vlan_tci and vlan_tci_outer hold the tags of a QinQ frame. */
#define VFN_MBUF_F_RX_QINQ (1ULL << 20)

/*
 * TX offload flags (ol_flags), values as DPDK 22.11.
 */
/** Insert the outer VLAN (vlan_tci_outer) as well. */
#define VFN_MBUF_F_TX_QINQ (1ULL << 49)
/** TCP segmentation offload (uses tso_segsz and the lengths). */
#define VFN_MBUF_F_TX_TCP_SEG (1ULL << 50)
/** Take an IEEE 1588 timestamp of this packet. */
#define VFN_MBUF_F_TX_IEEE1588_TMST (1ULL << 51)
/** No L4 checksum offload. */
#define VFN_MBUF_F_TX_L4_NO_CKSUM (0ULL << 52)
/** Compute the TCP checksum. */
#define VFN_MBUF_F_TX_TCP_CKSUM (1ULL << 52)
/** Compute the SCTP CRC. */
#define VFN_MBUF_F_TX_SCTP_CKSUM (2ULL << 52)
/** Compute the UDP checksum. */
#define VFN_MBUF_F_TX_UDP_CKSUM (3ULL << 52)
/** Mask of the L4 checksum request. */
#define VFN_MBUF_F_TX_L4_MASK (3ULL << 52)
/** Compute the IPv4 header checksum (needs VFN_MBUF_F_TX_IPV4). */
#define VFN_MBUF_F_TX_IP_CKSUM (1ULL << 54)
/** The packet is IPv4 (for checksum and TSO offloads). */
#define VFN_MBUF_F_TX_IPV4 (1ULL << 55)
/** The packet is IPv6. */
#define VFN_MBUF_F_TX_IPV6 (1ULL << 56)
/** Insert vlan_tci as a VLAN tag. */
#define VFN_MBUF_F_TX_VLAN (1ULL << 57)
/** Compute the outer IPv4 header checksum. */
#define VFN_MBUF_F_TX_OUTER_IP_CKSUM (1ULL << 58)
/** The outer header is IPv4. */
#define VFN_MBUF_F_TX_OUTER_IPV4 (1ULL << 59)
/** The outer header is IPv6. */
#define VFN_MBUF_F_TX_OUTER_IPV6 (1ULL << 60)
/** Every TX offload flag. */
#define VFN_MBUF_F_TX_OFFLOAD_MASK                                           \
	(VFN_MBUF_F_TX_QINQ | VFN_MBUF_F_TX_TCP_SEG |                        \
	 VFN_MBUF_F_TX_IEEE1588_TMST | VFN_MBUF_F_TX_L4_MASK |               \
	 VFN_MBUF_F_TX_IP_CKSUM | VFN_MBUF_F_TX_IPV4 | VFN_MBUF_F_TX_IPV6 |  \
	 VFN_MBUF_F_TX_VLAN | VFN_MBUF_F_TX_OUTER_IP_CKSUM |                 \
	 VFN_MBUF_F_TX_OUTER_IPV4 | VFN_MBUF_F_TX_OUTER_IPV6)

/** The buffer is attached to an external buffer (not supported yet). */
#define VFN_MBUF_F_EXTERNAL (1ULL << 61)
/** Indirect mbuf: buf_addr points into another (direct) mbuf's buffer. */
#define VFN_MBUF_F_INDIRECT (1ULL << 62)

/*
 * Packet types (packet_type), values as DPDK's RTE_PTYPE_*.
 */
#define VFN_PTYPE_UNKNOWN 0x00000000
#define VFN_PTYPE_L2_ETHER 0x00000001
#define VFN_PTYPE_L2_ETHER_TIMESYNC 0x00000002
#define VFN_PTYPE_L2_ETHER_ARP 0x00000003
#define VFN_PTYPE_L2_ETHER_LLDP 0x00000004
#define VFN_PTYPE_L2_ETHER_VLAN 0x00000006
#define VFN_PTYPE_L2_ETHER_QINQ 0x00000007
#define VFN_PTYPE_L2_MASK 0x0000000f
#define VFN_PTYPE_L3_IPV4 0x00000010
#define VFN_PTYPE_L3_IPV4_EXT 0x00000030
#define VFN_PTYPE_L3_IPV6 0x00000040
#define VFN_PTYPE_L3_IPV4_EXT_UNKNOWN 0x00000090
#define VFN_PTYPE_L3_IPV6_EXT 0x000000c0
#define VFN_PTYPE_L3_IPV6_EXT_UNKNOWN 0x000000e0
#define VFN_PTYPE_L3_MASK 0x000000f0
#define VFN_PTYPE_L4_TCP 0x00000100
#define VFN_PTYPE_L4_UDP 0x00000200
#define VFN_PTYPE_L4_FRAG 0x00000300
#define VFN_PTYPE_L4_SCTP 0x00000400
#define VFN_PTYPE_L4_ICMP 0x00000500
#define VFN_PTYPE_L4_NONFRAG 0x00000600
#define VFN_PTYPE_L4_MASK 0x00000f00
#define VFN_PTYPE_ALL_MASK 0x0fffffff

struct vfn_mempool;

/** A packet buffer (or one segment of a packet). */
struct vfn_mbuf {
	/* ---- cache line 0: rx, tx and free ---- */
	void *buf_addr;    /**< virtual address of the buffer */
	uint64_t buf_iova; /**< IOVA of the buffer (from the pool) */
	union {
		/**
		 * data_off, refcnt, nb_segs and port as one word, so that a
		 * PMD re-arms a fresh mbuf with a single 8-byte store.
		 */
		uint64_t rearm_data;
		struct {
			uint16_t data_off; /**< data start in the buffer */
			/**
			 * Reference count; atomic updates only when shared
			 * (refcnt > 1), see vfn_mbuf_refcnt_update().
			 */
			uint16_t refcnt;
			uint16_t nb_segs;  /**< segments (valid in the head) */
			uint16_t port;     /**< input port */
		};
	};
	uint64_t ol_flags;       /**< VFN_MBUF_F_* offload flags */
	uint32_t packet_type;    /**< VFN_PTYPE_* */
	uint32_t pkt_len;        /**< total length of all segments */
	uint16_t data_len;       /**< data length in this segment */
	uint16_t vlan_tci;       /**< VLAN TCI (with VFN_MBUF_F_RX_VLAN) */
	uint16_t vlan_tci_outer; /**< outer VLAN TCI (QinQ) */
	uint16_t buf_len;        /**< buffer length */
	struct vfn_mbuf *next;   /**< next segment, NULL in the last */
	struct vfn_mempool *pool; /**< pool the mbuf came from */

	/* ---- cache line 1: offload metadata and rare fields ---- */
	/** Hash computed by the device (see ol_flags for which). */
	union {
		uint32_t rss; /**< RSS hash (VFN_MBUF_F_RX_RSS_HASH) */
		struct {
			union {
				struct {
					uint16_t hash;
					uint16_t id;
				};
				uint32_t lo;
			};
			uint32_t hi;
		} fdir;       /**< flow director (VFN_MBUF_F_RX_FDIR) */
		uint32_t usr; /**< user-defined */
		uint64_t raw; /**< all 8 bytes */
	} hash;
	/** TX offload lengths, read only with matching TX offload flags. */
	union {
		uint64_t tx_offload;
		struct {
			uint64_t l2_len : 7;
			uint64_t l3_len : 9;
			uint64_t l4_len : 8;
			uint64_t tso_segsz : 16;
			uint64_t outer_l3_len : 9;
			uint64_t outer_l2_len : 7;
		};
	};
	void *shinfo;       /**< external buffer info (reserved) */
	uint16_t priv_size; /**< application private area after the mbuf */
	uint16_t timesync;  /**< IEEE 1588 timestamp register index */
	uint32_t dynfield1[9]; /**< reserved for dynamic fields */
} __vfn_cache_aligned;

/* The layout promises above, checked. */
static_assert(sizeof(struct vfn_mbuf) == 2 * VFN_CACHE_LINE_SIZE,
	      "mbuf must be two cache lines");
static_assert(offsetof(struct vfn_mbuf, rearm_data) % 8 == 0,
	      "rearm_data must be one aligned 8-byte word");
static_assert(offsetof(struct vfn_mbuf, port) + sizeof(uint16_t) ==
	      offsetof(struct vfn_mbuf, rearm_data) + 8,
	      "rearm_data must cover data_off, refcnt, nb_segs and port");
static_assert(offsetof(struct vfn_mbuf, pool) + sizeof(void *) <=
	      VFN_CACHE_LINE_SIZE,
	      "rx/tx/free fields must stay in the first cache line");
static_assert(offsetof(struct vfn_mbuf, next) < VFN_CACHE_LINE_SIZE &&
	      offsetof(struct vfn_mbuf, buf_iova) < VFN_CACHE_LINE_SIZE &&
	      offsetof(struct vfn_mbuf, ol_flags) < VFN_CACHE_LINE_SIZE &&
	      offsetof(struct vfn_mbuf, pkt_len) < VFN_CACHE_LINE_SIZE &&
	      offsetof(struct vfn_mbuf, data_len) < VFN_CACHE_LINE_SIZE &&
	      offsetof(struct vfn_mbuf, packet_type) < VFN_CACHE_LINE_SIZE &&
	      offsetof(struct vfn_mbuf, vlan_tci) < VFN_CACHE_LINE_SIZE,
	      "fast-path fields must be in the first cache line");
static_assert(offsetof(struct vfn_mbuf, hash) == VFN_CACHE_LINE_SIZE,
	      "the second cache line starts with the hash");
static_assert(sizeof(((struct vfn_mbuf *)0)->hash) == 8,
	      "hash is 8 bytes as in DPDK");

#ifdef __cplusplus
}
#endif

#endif /* VFN_MBUF_CORE_H */
