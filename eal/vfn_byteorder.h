/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Byte order, as DPDK's rte_byteorder.h: vfn_cpu_to_be_16() and friends
 * for run-time values, VFN_BE16() etc. for constants (usable in static
 * initialisers and case labels), and the big/little-endian typedefs that
 * mark a field's order in the protocol headers.
 */
#ifndef VFN_BYTEORDER_H
#define VFN_BYTEORDER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t vfn_be16_t; /**< 16 bits, big endian */
typedef uint32_t vfn_be32_t; /**< 32 bits, big endian */
typedef uint64_t vfn_be64_t; /**< 64 bits, big endian */
typedef uint16_t vfn_le16_t; /**< 16 bits, little endian */
typedef uint32_t vfn_le32_t; /**< 32 bits, little endian */
typedef uint64_t vfn_le64_t; /**< 64 bits, little endian */

/** @name Byte swaps */
/** @{ */
#define VFN_STATIC_BSWAP16(v) ((uint16_t)((((uint16_t)(v) & 0x00ff) << 8) | \
	(((uint16_t)(v) & 0xff00) >> 8)))
#define VFN_STATIC_BSWAP32(v) ((uint32_t)(__builtin_bswap32((uint32_t)(v))))
#define VFN_STATIC_BSWAP64(v) ((uint64_t)(__builtin_bswap64((uint64_t)(v))))
static inline uint16_t vfn_bswap16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t vfn_bswap32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t vfn_bswap64(uint64_t x) { return __builtin_bswap64(x); }
/** @} */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VFN_BYTE_ORDER VFN_LITTLE_ENDIAN
#define VFN_BE16(v) ((vfn_be16_t)VFN_STATIC_BSWAP16(v))
#define VFN_BE32(v) ((vfn_be32_t)VFN_STATIC_BSWAP32(v))
#define VFN_BE64(v) ((vfn_be64_t)VFN_STATIC_BSWAP64(v))
#define VFN_LE16(v) ((vfn_le16_t)(v))
#define VFN_LE32(v) ((vfn_le32_t)(v))
#define VFN_LE64(v) ((vfn_le64_t)(v))
#define vfn_cpu_to_le_16(x) ((uint16_t)(x))
#define vfn_cpu_to_le_32(x) ((uint32_t)(x))
#define vfn_cpu_to_le_64(x) ((uint64_t)(x))
#define vfn_cpu_to_be_16(x) vfn_bswap16(x)
#define vfn_cpu_to_be_32(x) vfn_bswap32(x)
#define vfn_cpu_to_be_64(x) vfn_bswap64(x)
#define vfn_le_to_cpu_16(x) ((uint16_t)(x))
#define vfn_le_to_cpu_32(x) ((uint32_t)(x))
#define vfn_le_to_cpu_64(x) ((uint64_t)(x))
#define vfn_be_to_cpu_16(x) vfn_bswap16(x)
#define vfn_be_to_cpu_32(x) vfn_bswap32(x)
#define vfn_be_to_cpu_64(x) vfn_bswap64(x)
#else
#define VFN_BYTE_ORDER VFN_BIG_ENDIAN
#define VFN_BE16(v) ((vfn_be16_t)(v))
#define VFN_BE32(v) ((vfn_be32_t)(v))
#define VFN_BE64(v) ((vfn_be64_t)(v))
#define VFN_LE16(v) ((vfn_le16_t)VFN_STATIC_BSWAP16(v))
#define VFN_LE32(v) ((vfn_le32_t)VFN_STATIC_BSWAP32(v))
#define VFN_LE64(v) ((vfn_le64_t)VFN_STATIC_BSWAP64(v))
#define vfn_cpu_to_le_16(x) vfn_bswap16(x)
#define vfn_cpu_to_le_32(x) vfn_bswap32(x)
#define vfn_cpu_to_le_64(x) vfn_bswap64(x)
#define vfn_cpu_to_be_16(x) ((uint16_t)(x))
#define vfn_cpu_to_be_32(x) ((uint32_t)(x))
#define vfn_cpu_to_be_64(x) ((uint64_t)(x))
#define vfn_le_to_cpu_16(x) vfn_bswap16(x)
#define vfn_le_to_cpu_32(x) vfn_bswap32(x)
#define vfn_le_to_cpu_64(x) vfn_bswap64(x)
#define vfn_be_to_cpu_16(x) ((uint16_t)(x))
#define vfn_be_to_cpu_32(x) ((uint32_t)(x))
#define vfn_be_to_cpu_64(x) ((uint64_t)(x))
#endif
#define VFN_BIG_ENDIAN 1
#define VFN_LITTLE_ENDIAN 2

#ifdef __cplusplus
}
#endif

#endif /* VFN_BYTEORDER_H */
