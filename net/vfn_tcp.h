/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The TCP header, as DPDK's rte_tcp.h.
 */
#ifndef VFN_TCP_H
#define VFN_TCP_H

#include <stdint.h>

#include "vfn_byteorder.h"

#ifdef __cplusplus
extern "C" {
#endif

/** TCP header (options, if any, follow); multi-byte fields big endian. */
struct vfn_tcp_hdr {
	vfn_be16_t src_port;
	vfn_be16_t dst_port;
	vfn_be32_t sent_seq;  /**< sequence number */
	vfn_be32_t recv_ack;  /**< acknowledgment number */
	uint8_t data_off;     /**< header length in 32-bit words, high nibble */
	uint8_t tcp_flags;    /**< VFN_TCP_*_FLAG */
	vfn_be16_t rx_win;
	vfn_be16_t cksum;
	vfn_be16_t tcp_urp;
} __attribute__((packed));

/** @name TCP flags (tcp_flags) */
/** @{ */
#define VFN_TCP_CWR_FLAG 0x80
#define VFN_TCP_ECE_FLAG 0x40
#define VFN_TCP_URG_FLAG 0x20
#define VFN_TCP_ACK_FLAG 0x10
#define VFN_TCP_PSH_FLAG 0x08
#define VFN_TCP_RST_FLAG 0x04
#define VFN_TCP_SYN_FLAG 0x02
#define VFN_TCP_FIN_FLAG 0x01
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* VFN_TCP_H */
