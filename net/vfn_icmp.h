/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The ICMP header, as DPDK's rte_icmp.h.
 */
#ifndef VFN_ICMP_H
#define VFN_ICMP_H

#include <stdint.h>

#include "vfn_byteorder.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ICMP echo header; multi-byte fields big endian. */
struct vfn_icmp_hdr {
	uint8_t icmp_type;
	uint8_t icmp_code;
	vfn_be16_t icmp_cksum;  /**< over the whole ICMP message */
	vfn_be16_t icmp_ident;
	vfn_be16_t icmp_seq_nb;
} __attribute__((packed));

#define VFN_IP_ICMP_ECHO_REPLY 0
#define VFN_IP_ICMP_ECHO_REQUEST 8

#ifdef __cplusplus
}
#endif

#endif /* VFN_ICMP_H */
