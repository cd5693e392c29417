/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The memif wire protocol, version 2.0, as DPDK 22.11 speaks it
 * (drivers/net/memif/memif.h): control messages of 128 bytes over a
 * SOCK_SEQPACKET Unix socket, region file descriptors in SCM_RIGHTS, and
 * the ring/descriptor layout in the shared regions.  Every struct is
 * packed; the static asserts below pin each field's offset, so this file
 * is the byte-for-byte contract with DPDK, VPP and libmemif.
 *
 * Naming: C2S is client -> server (DPDK's older S2M), S2C server ->
 * client (M2S).  The client owns the memory: it creates the regions,
 * lays out the rings and sends them to the server.
 */
#ifndef MEMIF_PROTO_H
#define MEMIF_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define MEMIF_COOKIE 0x3E31F20
#define MEMIF_VERSION_MAJOR 2
#define MEMIF_VERSION_MINOR 0
#define MEMIF_VERSION ((MEMIF_VERSION_MAJOR << 8) | MEMIF_VERSION_MINOR)
#define MEMIF_NAME_SZ 32
#define MEMIF_SECRET_SZ 24
#define MEMIF_DISC_SZ 96
#define MEMIF_MSG_SIZE 128

enum memif_msg_type {
	MEMIF_MSG_NONE,
	MEMIF_MSG_ACK,
	MEMIF_MSG_HELLO,
	MEMIF_MSG_INIT,
	MEMIF_MSG_ADD_REGION,
	MEMIF_MSG_ADD_RING,
	MEMIF_MSG_CONNECT,
	MEMIF_MSG_CONNECTED,
	MEMIF_MSG_DISCONNECT,
};

enum memif_ring_type { MEMIF_RING_C2S, MEMIF_RING_S2C };

#define MEMIF_MODE_ETHERNET 0

/* Server -> client, first message on a new connection. */
struct memif_msg_hello {
	uint8_t name[MEMIF_NAME_SZ];
	uint16_t min_version;
	uint16_t max_version;
	uint16_t max_region;      /* highest region index accepted */
	uint16_t max_s2c_ring;    /* highest S2C ring index accepted */
	uint16_t max_c2s_ring;
	uint8_t max_log2_ring_size;
} __attribute__((packed));

/* Client -> server: which interface (id) the client wants. */
struct memif_msg_init {
	uint16_t version;
	uint32_t id;
	uint8_t mode;
	uint8_t secret[MEMIF_SECRET_SZ];
	uint8_t name[MEMIF_NAME_SZ];
} __attribute__((packed));

/* Client -> server: a region; its fd travels in SCM_RIGHTS. */
struct memif_msg_add_region {
	uint16_t index;
	uint64_t size;
} __attribute__((packed));

#define MEMIF_ADD_RING_FLAG_C2S 1
/* Client -> server: a ring; its interrupt eventfd in SCM_RIGHTS. */
struct memif_msg_add_ring {
	uint16_t flags;
	uint16_t index;
	uint16_t region;
	uint32_t offset;          /* of the ring in the region */
	uint8_t log2_ring_size;
	uint16_t private_hdr_size;
} __attribute__((packed));

/* CONNECT (client -> server) and CONNECTED (server -> client). */
struct memif_msg_connect {
	uint8_t if_name[MEMIF_NAME_SZ];
} __attribute__((packed));

struct memif_msg_disconnect {
	uint32_t code;
	uint8_t string[MEMIF_DISC_SZ];
} __attribute__((packed));

struct memif_msg {
	uint16_t type;
	union {
		struct memif_msg_hello hello;
		struct memif_msg_init init;
		struct memif_msg_add_region add_region;
		struct memif_msg_add_ring add_ring;
		struct memif_msg_connect connect;
		struct memif_msg_disconnect disconnect;
		uint8_t raw[MEMIF_MSG_SIZE - 2];
	};
} __attribute__((packed, aligned(128)));

#define MEMIF_DESC_FLAG_NEXT 1
/* One buffer: region index, offset in it, length of data or room. */
struct memif_desc {
	uint16_t flags;
	uint16_t region;
	uint32_t length;
	uint32_t offset;
	uint32_t metadata;
} __attribute__((packed));

#define MEMIF_RING_FLAG_MASK_INT 1 /* receiver polls: no eventfd kick */
/*
 * A ring: head on the first cache line, tail on the second, the
 * descriptors from byte 128.  The producer of a C2S ring (the client)
 * moves head, the server moves tail; on an S2C ring the client (receiver)
 * moves head to hand empty buffers to the server, which moves tail when
 * it has filled them.
 */
struct memif_ring {
	uint32_t cookie;
	uint16_t flags;
	uint16_t head;
	uint8_t pad0[56];
	uint16_t tail;
	uint8_t pad1[62];
	struct memif_desc desc[];
};

_Static_assert(sizeof(struct memif_msg) == 128, "memif message size");
_Static_assert(offsetof(struct memif_msg, hello) == 2, "union offset");
_Static_assert(offsetof(struct memif_msg_hello, min_version) == 32, "hello");
_Static_assert(offsetof(struct memif_msg_hello, max_s2c_ring) == 38, "hello");
_Static_assert(offsetof(struct memif_msg_hello, max_log2_ring_size) == 42,
	       "hello");
_Static_assert(offsetof(struct memif_msg_init, mode) == 6, "init");
_Static_assert(offsetof(struct memif_msg_init, secret) == 7, "init");
_Static_assert(offsetof(struct memif_msg_init, name) == 31, "init");
_Static_assert(sizeof(struct memif_msg_add_region) == 10, "add_region");
_Static_assert(offsetof(struct memif_msg_add_ring, offset) == 6, "add_ring");
_Static_assert(offsetof(struct memif_msg_add_ring, private_hdr_size) == 11,
	       "add_ring");
_Static_assert(sizeof(struct memif_msg_disconnect) == 100, "disconnect");
_Static_assert(sizeof(struct memif_desc) == 16, "descriptor");
_Static_assert(offsetof(struct memif_ring, head) == 6, "ring head");
_Static_assert(offsetof(struct memif_ring, tail) == 64, "ring tail");
_Static_assert(sizeof(struct memif_ring) == 128, "ring header");

#endif /* MEMIF_PROTO_H */
