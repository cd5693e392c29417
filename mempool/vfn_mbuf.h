/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Packet buffers (mbufs): allocation from a mempool, headroom and data
 * manipulation, segment chains, reference counting and indirect (cloned)
 * mbufs.  API of DPDK's rte_mbuf with the vfn_ prefix; DPDK's macros are
 * static inline functions here, except vfn_pktmbuf_mtod() and
 * vfn_pktmbuf_mtod_offset(), which take the pointer type as DPDK's do.
 *
 * Invariants of a free mbuf (in its pool): refcnt == 1, next == NULL,
 * nb_segs == 1, direct.  vfn_pktmbuf_free() restores them, so a receive
 * path may take mbufs with vfn_mbuf_raw_alloc_bulk() (no reset) and only
 * write the first cache line: rearm_data, ol_flags, packet_type, pkt_len,
 * data_len (and vlan_tci / hash when it sets the matching flags).
 *
 * Memory of a pktmbuf: [mempool header][struct vfn_mbuf][priv_size bytes of
 * application data][buffer: headroom + data room].
 */
#ifndef VFN_MBUF_H
#define VFN_MBUF_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "vfn_common.h"
#include "vfn_mbuf_core.h"
#include "vfn_mempool.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Private data of a pktmbuf pool (vfn_mempool_get_priv()). */
struct vfn_pktmbuf_pool_private {
	uint16_t mbuf_data_room_size; /**< headroom + data room per mbuf */
	uint16_t mbuf_priv_size;      /**< application area per mbuf */
	uint32_t flags;               /**< reserved, 0 */
};

/**
 * Create a pool of packet mbufs.
 * @param name           unique name, shorter than VFN_MEMPOOL_NAMESIZE
 * @param n              number of mbufs
 * @param cache_size     per-lcore cache (0..VFN_MEMPOOL_CACHE_MAX_SIZE)
 * @param priv_size      application area after each mbuf, a multiple of
 *                       8 bytes
 * @param data_room_size buffer size including VFN_PKTMBUF_HEADROOM, e.g.
 *                       VFN_MBUF_DEFAULT_BUF_SIZE; at most 65535
 * @param socket_id      NUMA node or VFN_SOCKET_ID_ANY
 * @return the pool, or NULL with errno set (EINVAL, EEXIST, ENOMEM)
 */
struct vfn_mempool *vfn_pktmbuf_pool_create(const char *name, unsigned int n,
					    unsigned int cache_size,
					    uint16_t priv_size,
					    uint16_t data_room_size,
					    int socket_id);

/**
 * Pool constructor for a pktmbuf pool made with vfn_mempool_create():
 * @p opaque_arg is a struct vfn_pktmbuf_pool_private * (or NULL for the
 * defaults, deduced from the element size).
 */
void vfn_pktmbuf_pool_init(struct vfn_mempool *mp, void *opaque_arg);

/** Object constructor of a pktmbuf pool: initialises one free mbuf. */
void vfn_pktmbuf_init(struct vfn_mempool *mp, void *opaque_arg, void *m,
		      unsigned int i);

/** Application area size of the mbufs of @p mp. */
static inline uint16_t vfn_pktmbuf_priv_size(struct vfn_mempool *mp)
{
	return ((struct vfn_pktmbuf_pool_private *)
		vfn_mempool_get_priv(mp))->mbuf_priv_size;
}

/** Buffer size (headroom + data room) of the mbufs of @p mp. */
static inline uint16_t vfn_pktmbuf_data_room_size(struct vfn_mempool *mp)
{
	return ((struct vfn_pktmbuf_pool_private *)
		vfn_mempool_get_priv(mp))->mbuf_data_room_size;
}

/** 1 if @p m owns its buffer (neither indirect nor external). */
static inline int vfn_mbuf_is_direct(const struct vfn_mbuf *m)
{
	return !(m->ol_flags & (VFN_MBUF_F_INDIRECT | VFN_MBUF_F_EXTERNAL));
}

/** 1 if @p m is an indirect mbuf (attached to another one's buffer). */
static inline int vfn_mbuf_is_indirect(const struct vfn_mbuf *m)
{
	return !!(m->ol_flags & VFN_MBUF_F_INDIRECT);
}

/** Start of the application area of @p m. */
static inline void *vfn_mbuf_to_priv(struct vfn_mbuf *m)
{
	return (char *)m + sizeof(struct vfn_mbuf);
}

/** Address of the buffer embedded in direct mbuf @p md. */
static inline char *vfn_mbuf_buf_addr(struct vfn_mbuf *md)
{
	return (char *)md + sizeof(struct vfn_mbuf) + md->priv_size;
}

/** The direct mbuf whose buffer indirect mbuf @p mi is attached to. */
static inline struct vfn_mbuf *vfn_mbuf_from_indirect(struct vfn_mbuf *mi)
{
	/* attach() copies the direct mbuf's priv_size into mi. */
	return (struct vfn_mbuf *)((char *)mi->buf_addr -
				   sizeof(struct vfn_mbuf) - mi->priv_size);
}

/** Read the reference count. */
static inline uint16_t vfn_mbuf_refcnt_read(const struct vfn_mbuf *m)
{
	/* Relaxed: a count; ordering comes with the update that changed it. */
	return __atomic_load_n(&m->refcnt, __ATOMIC_RELAXED);
}

/** Set the reference count (only by the sole owner). */
static inline void vfn_mbuf_refcnt_set(struct vfn_mbuf *m, uint16_t v)
{
	/* Relaxed: nobody else holds a reference to race with. */
	__atomic_store_n(&m->refcnt, v, __ATOMIC_RELAXED);
}

/**
 * Add @p value (may be negative) to the reference count.
 * @return the new count
 */
static inline uint16_t vfn_mbuf_refcnt_update(struct vfn_mbuf *m,
					      int16_t value)
{
	/*
	 * Sole owner: no other thread can see this mbuf, so a plain update
	 * is enough and saves a locked instruction on the common path.
	 */
	if (likely(vfn_mbuf_refcnt_read(m) == 1)) {
		uint16_t v = (uint16_t)(1 + value);

		vfn_mbuf_refcnt_set(m, v);
		return v;
	}
	/*
	 * Shared: acq_rel, so that a thread dropping the last reference
	 * sees every write the other holders made before their release,
	 * before it recycles the buffer.
	 */
	return (uint16_t)__atomic_add_fetch(&m->refcnt, value,
					    __ATOMIC_ACQ_REL);
}

/**
 * @internal Add @p value to the reference count, always atomically (acq_rel),
 * even when the count reads 1: DPDK's __rte_mbuf_refcnt_update(), for the
 * free path, where another holder may have dropped its reference since
 * the caller last looked.
 * @return the new count
 */
static inline uint16_t __vfn_mbuf_refcnt_update(struct vfn_mbuf *m,
						int16_t value)
{
	return (uint16_t)__atomic_add_fetch(&m->refcnt, value,
					    __ATOMIC_ACQ_REL);
}

/** Headroom of an mbuf fresh from its pool: min(HEADROOM, buf_len). */
static inline void vfn_pktmbuf_reset_headroom(struct vfn_mbuf *m)
{
	m->data_off = m->buf_len < VFN_PKTMBUF_HEADROOM ? m->buf_len :
							  VFN_PKTMBUF_HEADROOM;
}

/**
 * Reset the packet fields of a direct mbuf to an empty one-segment
 * packet (lengths 0, default headroom, no flags but EXTERNAL, port
 * invalid).  Touches tx_offload in the second cache line, as DPDK's.
 */
static inline void vfn_pktmbuf_reset(struct vfn_mbuf *m)
{
	m->next = NULL;
	m->pkt_len = 0;
	m->tx_offload = 0;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	m->nb_segs = 1;
	m->port = VFN_MBUF_PORT_INVALID;
	m->ol_flags &= VFN_MBUF_F_EXTERNAL;
	m->packet_type = 0;
	vfn_pktmbuf_reset_headroom(m);
	m->data_len = 0;
}

/**
 * Take one mbuf without resetting it (its free-state invariants hold:
 * refcnt 1, next NULL, nb_segs 1).  @return the mbuf or NULL
 */
static inline struct vfn_mbuf *vfn_mbuf_raw_alloc(struct vfn_mempool *mp)
{
	void *m;

	if (vfn_mempool_get(mp, &m) < 0)
		return NULL;
	return (struct vfn_mbuf *)m;
}

/**
 * Take @p n mbufs without resetting them (see vfn_mbuf_raw_alloc()).
 * @return 0, or -ENOENT (none taken)
 */
static inline int vfn_mbuf_raw_alloc_bulk(struct vfn_mempool *mp,
					  struct vfn_mbuf **mbufs,
					  unsigned int n)
{
	return vfn_mempool_get_bulk(mp, (void **)mbufs, n);
}

/**
 * Return a direct mbuf that satisfies the free invariants (refcnt 1, next
 * NULL, nb_segs 1) to its pool, without any check.
 */
static inline void vfn_mbuf_raw_free(struct vfn_mbuf *m)
{
	vfn_mempool_put(m->pool, m);
}

/** Allocate one mbuf and reset it. @return the mbuf, or NULL if none */
static inline struct vfn_mbuf *vfn_pktmbuf_alloc(struct vfn_mempool *mp)
{
	struct vfn_mbuf *m = vfn_mbuf_raw_alloc(mp);

	if (m)
		vfn_pktmbuf_reset(m);
	return m;
}

/**
 * Allocate @p count mbufs and reset them: all or none.
 * @return 0, or -ENOENT when fewer than @p count are free
 */
static inline int vfn_pktmbuf_alloc_bulk(struct vfn_mempool *mp,
					 struct vfn_mbuf **mbufs,
					 unsigned int count)
{
	unsigned int i;
	int rc = vfn_mempool_get_bulk(mp, (void **)mbufs, count);

	if (unlikely(rc))
		return rc;
	for (i = 0; i < count; i++)
		vfn_pktmbuf_reset(mbufs[i]);
	return 0;
}

/**
 * Attach @p mi to the buffer of @p m (or, if @p m is itself indirect, to
 * the direct mbuf behind it): @p mi becomes an indirect mbuf sharing the
 * data, and the direct mbuf's reference count goes up by one.  @p mi must
 * be direct, unshared (refcnt 1) and a single segment.
 */
void vfn_pktmbuf_attach(struct vfn_mbuf *mi, struct vfn_mbuf *m);

/**
 * Detach indirect mbuf @p m from the buffer it shares: it gets its own
 * buffer back (empty), and the direct mbuf loses a reference and returns
 * to its pool when that was the last.
 */
void vfn_pktmbuf_detach(struct vfn_mbuf *m);

/**
 * Prepare segment @p m for return to its pool: drop one reference, and
 * when it was the last, detach it if indirect and restore the free
 * invariants.
 * @return @p m when it should go back to m->pool, NULL if still in use
 */
static inline struct vfn_mbuf *vfn_pktmbuf_prefree_seg(struct vfn_mbuf *m)
{
	/*
	 * Acquire: if another holder just dropped its reference (release in
	 * vfn_mbuf_refcnt_update()), its accesses to the buffer must be
	 * done before we recycle it.
	 */
	if (likely(__atomic_load_n(&m->refcnt, __ATOMIC_ACQUIRE) == 1)) {
		/* Sole owner: nothing to decrement, it is ours to recycle. */
	} else if (__vfn_mbuf_refcnt_update(m, -1) == 0) {
		/*
		 * Shared when we looked: the other holders may drop their
		 * references meanwhile, so no "sole owner" shortcut here; the
		 * acq_rel decrement orders their last accesses before ours.
		 */
		vfn_mbuf_refcnt_set(m, 1);
	} else {
		return NULL;
	}
	if (unlikely(!vfn_mbuf_is_direct(m)))
		vfn_pktmbuf_detach(m);
	if (m->next != NULL)
		m->next = NULL;
	if (m->nb_segs != 1)
		m->nb_segs = 1;
	return m;
}

/** Free one segment (not the rest of its chain). */
static inline void vfn_pktmbuf_free_seg(struct vfn_mbuf *m)
{
	m = vfn_pktmbuf_prefree_seg(m);
	if (likely(m != NULL))
		vfn_mbuf_raw_free(m);
}

/** Free a packet: every segment of the chain.  NULL is a no-op. */
static inline void vfn_pktmbuf_free(struct vfn_mbuf *m)
{
	struct vfn_mbuf *next;

	while (m != NULL) {
		next = m->next;
		vfn_pktmbuf_free_seg(m);
		m = next;
	}
}

/**
 * Free @p count packets (every segment of each; NULL entries skipped),
 * returning them to their pools in bulk.
 */
void vfn_pktmbuf_free_bulk(struct vfn_mbuf **mbufs, unsigned int count);

/**
 * Clone a packet: a chain of indirect mbufs from @p mp sharing @p md's
 * data.  Lengths, port, flags, packet type, VLAN and hash are copied.
 * @return the clone, or NULL (pool empty)
 */
struct vfn_mbuf *vfn_pktmbuf_clone(struct vfn_mbuf *md,
				   struct vfn_mempool *mp);

/**
 * Copy @p length bytes from offset @p off of packet @p m into a new
 * packet from @p mp (as many segments as needed; metadata copied).
 * @param m       the packet to copy from
 * @param mp      the pool of the copy's segments
 * @param off     first byte copied
 * @param length  bytes, or UINT32_MAX for "to the end"
 * @return the copy, or NULL (no mbufs, or @p off beyond the packet)
 */
struct vfn_mbuf *vfn_pktmbuf_copy(const struct vfn_mbuf *m,
				  struct vfn_mempool *mp, uint32_t off,
				  uint32_t length);

/** Add @p v to the reference count of every segment of @p m. */
static inline void vfn_pktmbuf_refcnt_update(struct vfn_mbuf *m, int16_t v)
{
	do {
		vfn_mbuf_refcnt_update(m, v);
	} while ((m = m->next) != NULL);
}

/** Bytes before the data in this segment. */
static inline uint16_t vfn_pktmbuf_headroom(const struct vfn_mbuf *m)
{
	return m->data_off;
}

/** Bytes after the data in this segment. */
static inline uint16_t vfn_pktmbuf_tailroom(const struct vfn_mbuf *m)
{
	return (uint16_t)(m->buf_len - m->data_off - m->data_len);
}

/** Last segment of the packet. */
static inline struct vfn_mbuf *vfn_pktmbuf_lastseg(struct vfn_mbuf *m)
{
	while (m->next != NULL)
		m = m->next;
	return m;
}

/**
 * Pointer @p o bytes into the data of segment @p m, cast to type @p t
 * (DPDK's rte_pktmbuf_mtod_offset()).
 */
#define vfn_pktmbuf_mtod_offset(m, t, o) \
	((t)(void *)((char *)(m)->buf_addr + (m)->data_off + (o)))

/**
 * Pointer to the data of segment @p m, cast to type @p t (DPDK's
 * rte_pktmbuf_mtod()): struct vfn_ether_hdr *eh =
 * vfn_pktmbuf_mtod(m, struct vfn_ether_hdr *);
 */
#define vfn_pktmbuf_mtod(m, t) vfn_pktmbuf_mtod_offset(m, t, 0)

/** IOVA of the data start of this segment (for DMA descriptors). */
static inline uint64_t vfn_pktmbuf_iova(const struct vfn_mbuf *m)
{
	return m->buf_iova + m->data_off;
}

/** IOVA @p off bytes into the data of this segment. */
static inline uint64_t vfn_pktmbuf_iova_offset(const struct vfn_mbuf *m,
					       size_t off)
{
	return m->buf_iova + m->data_off + off;
}

/** Packet length (all segments). */
static inline uint32_t vfn_pktmbuf_pkt_len(const struct vfn_mbuf *m)
{
	return m->pkt_len;
}

/** Data length of this segment. */
static inline uint16_t vfn_pktmbuf_data_len(const struct vfn_mbuf *m)
{
	return m->data_len;
}

/**
 * Grow the packet at the front by @p len bytes, into the first segment's
 * headroom.
 * @return the new data start, or NULL if the headroom is too small
 */
static inline char *vfn_pktmbuf_prepend(struct vfn_mbuf *m, uint16_t len)
{
	if (unlikely(len > vfn_pktmbuf_headroom(m)))
		return NULL;
	m->data_off = (uint16_t)(m->data_off - len);
	m->data_len = (uint16_t)(m->data_len + len);
	m->pkt_len += len;
	return (char *)m->buf_addr + m->data_off;
}

/**
 * Grow the packet at the end by @p len bytes, into the last segment's
 * tailroom.
 * @return the start of the added bytes, or NULL if they do not fit
 */
static inline char *vfn_pktmbuf_append(struct vfn_mbuf *m, uint16_t len)
{
	struct vfn_mbuf *last = vfn_pktmbuf_lastseg(m);
	char *tail;

	if (unlikely(len > vfn_pktmbuf_tailroom(last)))
		return NULL;
	tail = (char *)last->buf_addr + last->data_off + last->data_len;
	last->data_len = (uint16_t)(last->data_len + len);
	m->pkt_len += len;
	return tail;
}

/**
 * Remove @p len bytes from the front of the packet (first segment only).
 * @return the new data start, or NULL if the first segment is shorter
 */
static inline char *vfn_pktmbuf_adj(struct vfn_mbuf *m, uint16_t len)
{
	if (unlikely(len > m->data_len))
		return NULL;
	m->data_len = (uint16_t)(m->data_len - len);
	m->data_off = (uint16_t)(m->data_off + len);
	m->pkt_len -= len;
	return (char *)m->buf_addr + m->data_off;
}

/**
 * Remove @p len bytes from the end of the packet (last segment only).
 * @return 0, or -1 if the last segment is shorter than @p len
 */
static inline int vfn_pktmbuf_trim(struct vfn_mbuf *m, uint16_t len)
{
	struct vfn_mbuf *last = vfn_pktmbuf_lastseg(m);

	if (unlikely(len > last->data_len))
		return -1;
	last->data_len = (uint16_t)(last->data_len - len);
	m->pkt_len -= len;
	return 0;
}

/** 1 if the packet is one segment. */
static inline int vfn_pktmbuf_is_contiguous(const struct vfn_mbuf *m)
{
	return m->nb_segs == 1;
}

/**
 * Append packet @p tail to packet @p head (both heads of chains).
 * @return 0, or -EOVERFLOW if the segment count would exceed
 *         VFN_MBUF_MAX_NB_SEGS (nothing changed)
 */
static inline int vfn_pktmbuf_chain(struct vfn_mbuf *head,
				    struct vfn_mbuf *tail)
{
	struct vfn_mbuf *last;

	if (head->nb_segs + tail->nb_segs > VFN_MBUF_MAX_NB_SEGS)
		return -EOVERFLOW;
	last = vfn_pktmbuf_lastseg(head);
	last->next = tail;
	head->nb_segs = (uint16_t)(head->nb_segs + tail->nb_segs);
	head->pkt_len += tail->pkt_len;
	tail->pkt_len = tail->data_len; /* now just a segment */
	tail->nb_segs = 1;
	return 0;
}

/**
 * Make the packet one segment by copying the other segments' data into
 * the first segment's tailroom, then freeing them.
 * @return 0, or -1 if the data does not fit or the first segment is
 *         shared/indirect (nothing changed)
 */
int vfn_pktmbuf_linearize(struct vfn_mbuf *m);

/** @internal Slow part of vfn_pktmbuf_read(): the data spans segments. */
const void *__vfn_pktmbuf_read(const struct vfn_mbuf *m, uint32_t off,
			       uint32_t len, void *buf);

/**
 * Read @p len bytes at offset @p off of the packet.
 * @return a pointer into the mbuf when the bytes are contiguous there,
 *         else @p buf after copying them into it; NULL if the packet is
 *         shorter than off + len
 */
static inline const void *vfn_pktmbuf_read(const struct vfn_mbuf *m,
					   uint32_t off, uint32_t len,
					   void *buf)
{
	if (likely((uint64_t)off + len <= m->data_len))
		return vfn_pktmbuf_mtod_offset(m, void *, off);
	return __vfn_pktmbuf_read(m, off, len, buf);
}

/**
 * Check an mbuf's consistency.
 * @param m         the mbuf
 * @param is_header 1 if @p m is the first segment of a packet (then the
 *                  chain, nb_segs and pkt_len are checked too)
 * @param reason    receives a description of the first problem found
 * @return 0 when consistent, -1 otherwise
 */
int vfn_mbuf_check(const struct vfn_mbuf *m, int is_header,
		   const char **reason);

/**
 * Print the packet's metadata and the first @p dump_len data bytes of
 * its segments (hex) to @p f.
 */
void vfn_pktmbuf_dump(FILE *f, const struct vfn_mbuf *m,
		      unsigned int dump_len);

/** Name of one RX offload flag (a single bit), or NULL. */
const char *vfn_get_rx_ol_flag_name(uint64_t mask);

/** Name of one TX offload flag (a single bit or the L4 field), or NULL. */
const char *vfn_get_tx_ol_flag_name(uint64_t mask);

#ifdef __cplusplus
}
#endif

#endif /* VFN_MBUF_H */
