/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The UDP header, as DPDK's rte_udp.h.
 */
#ifndef VFN_UDP_H
#define VFN_UDP_H

#include <stdint.h>

#include "vfn_byteorder.h"

#ifdef __cplusplus
extern "C" {
#endif

/** UDP header; all fields big endian. */
struct vfn_udp_hdr {
	vfn_be16_t src_port;
	vfn_be16_t dst_port;
	vfn_be16_t dgram_len;   /**< header and payload bytes */
	vfn_be16_t dgram_cksum; /**< 0: no checksum (IPv4 only) */
} __attribute__((packed));

#ifdef __cplusplus
}
#endif

#endif /* VFN_UDP_H */
