/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfn_frames.h - test frames that say who they are: Ethernet frames of
 * EtherType 0x88b5 (IEEE local experimental, so no kernel protocol
 * handler touches them) whose payload starts with a magic, a stream id, a
 * sequence number and the frame length, followed by bytes derived from
 * (stream, seq), and ends with a checksum of everything before it.
 *
 * vfn_frame_build() writes frame (stream, seq) of a given length;
 * vfn_frame_check() says whether a received buffer is such a frame, intact,
 * and which.  A frame is fully determined by (stream, seq, len), so a
 * receiver can compare what arrived byte for byte with what was sent
 * without keeping copies.
 */
#ifndef VFN_FRAMES_H
#define VFN_FRAMES_H

#include <stdint.h>
#include <string.h>

#define VFN_FRAME_ETHERTYPE 0x88b5
#define VFN_FRAME_MAGIC 0x7666e374u
#define VFN_FRAME_HDR 14                /* Ethernet header */
#define VFN_FRAME_MIN 60                /* 14 + 16 (id) + 4 (sum), padded */

static inline void vfn_frame_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t vfn_frame_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Fletcher-style sum: catches reordered and changed bytes. */
static inline uint32_t vfn_frame_sum(const uint8_t *p, uint32_t len)
{
	uint32_t a = 1, b = 0, i;

	for (i = 0; i < len; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

/**
 * Write frame (@p stream, @p seq) of @p len bytes (>= VFN_FRAME_MIN) into
 * @p buf: destination @p dst, source 02:00:00:00:00:<stream>.
 */
static inline void vfn_frame_build(uint8_t *buf, uint32_t len,
				   const uint8_t dst[6], uint32_t stream,
				   uint32_t seq)
{
	uint32_t i, x = seq * 2654435761u ^ stream;

	memcpy(buf, dst, 6);
	buf[6] = 0x02;
	memset(buf + 7, 0, 4);
	buf[11] = (uint8_t)stream;
	buf[12] = VFN_FRAME_ETHERTYPE >> 8;
	buf[13] = VFN_FRAME_ETHERTYPE & 0xff;
	vfn_frame_put32(buf + 14, VFN_FRAME_MAGIC);
	vfn_frame_put32(buf + 18, stream);
	vfn_frame_put32(buf + 22, seq);
	vfn_frame_put32(buf + 26, len);
	for (i = 30; i < len - 4; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	vfn_frame_put32(buf + len - 4, vfn_frame_sum(buf, len - 4));
}

/**
 * Check @p buf (@p len bytes): a test frame, intact, of its own length.
 * @return 0 with *@p stream and *@p seq set; -1 not a test frame (other
 *         traffic); -2 a test frame that is damaged
 */
static inline int vfn_frame_check(const uint8_t *buf, uint32_t len,
				  uint32_t *stream, uint32_t *seq)
{
	if (len < VFN_FRAME_MIN || buf[12] != (VFN_FRAME_ETHERTYPE >> 8) ||
	    buf[13] != (VFN_FRAME_ETHERTYPE & 0xff) ||
	    vfn_frame_get32(buf + 14) != VFN_FRAME_MAGIC)
		return -1;
	if (vfn_frame_get32(buf + 26) != len ||
	    vfn_frame_get32(buf + len - 4) != vfn_frame_sum(buf, len - 4))
		return -2;
	*stream = vfn_frame_get32(buf + 18);
	*seq = vfn_frame_get32(buf + 22);
	return 0;
}

#endif /* VFN_FRAMES_H */
