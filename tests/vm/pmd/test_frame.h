/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by pmd_check and interop_peer: the clock, the payload checksum
 * and the frame-length sequence of their test frames.
 */
#ifndef TEST_FRAME_H
#define TEST_FRAME_H

#include <stdint.h>
#include <time.h>

/* Monotonic time in seconds. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* FNV-1a over @p n bytes: the checksum carried in each test payload. */
static inline uint32_t fill_csum(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u, i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Frame length for sequence number @p seq: 66 .. 1514 bytes, varied. */
static inline uint32_t frame_len(uint32_t seq)
{
	return 66 + (seq * 7919u) % (1514 - 66 + 1);
}

#endif
