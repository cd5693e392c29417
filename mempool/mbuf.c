/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pktmbuf pools and the mbuf operations too big to inline: attach and
 * detach (shared data), clone, copy, linearize, bulk free, checks and
 * dump.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vfn_log.h"
#include "vfn_mbuf.h"

void vfn_pktmbuf_pool_init(struct vfn_mempool *mp, void *opaque_arg)
{
	struct vfn_pktmbuf_pool_private *priv = vfn_mempool_get_priv(mp);
	struct vfn_pktmbuf_pool_private defaults;

	if (opaque_arg == NULL) {
		/* No layout given: all after the mbuf is buffer. */
		defaults.mbuf_priv_size = 0;
		defaults.mbuf_data_room_size =
			(uint16_t)(mp->elt_size - sizeof(struct vfn_mbuf));
		defaults.flags = 0;
		opaque_arg = &defaults;
	}
	memcpy(priv, opaque_arg, sizeof(*priv));
}

void vfn_pktmbuf_init(struct vfn_mempool *mp, void *opaque_arg, void *_m,
		      unsigned int i)
{
	struct vfn_mbuf *m = _m;
	uint16_t priv_size = vfn_pktmbuf_priv_size(mp);
	uint32_t mbuf_size = sizeof(struct vfn_mbuf) + priv_size;

	(void)opaque_arg;
	(void)i;
	memset(m, 0, mp->elt_size);
	m->priv_size = priv_size;
	m->buf_addr = (char *)m + mbuf_size;
	/* The one translation per mbuf: at creation, from the pool's IOVA. */
	m->buf_iova = vfn_mempool_virt2iova(m) == VFN_BAD_IOVA ?
		      VFN_BAD_IOVA : vfn_mempool_virt2iova(m) + mbuf_size;
	m->buf_len = vfn_pktmbuf_data_room_size(mp);
	vfn_pktmbuf_reset_headroom(m);
	m->pool = mp;
	m->nb_segs = 1;
	m->port = VFN_MBUF_PORT_INVALID;
	vfn_mbuf_refcnt_set(m, 1);
	m->next = NULL;
}

struct vfn_mempool *vfn_pktmbuf_pool_create(const char *name, unsigned int n,
					    unsigned int cache_size,
					    uint16_t priv_size,
					    uint16_t data_room_size,
					    int socket_id)
{
	struct vfn_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = data_room_size,
		.mbuf_priv_size = priv_size,
		.flags = 0,
	};

	if (priv_size % 8) {
		vfn_log(VFN_LOG_ERR, "MBUF",
			"pool %s: priv_size %u is not a multiple of 8: round it up",
			name ? name : "?", priv_size);
		errno = EINVAL;
		return NULL;
	}
	return vfn_mempool_create(name, n,
				  sizeof(struct vfn_mbuf) + priv_size +
				  data_room_size,
				  cache_size, sizeof(priv),
				  vfn_pktmbuf_pool_init, &priv,
				  vfn_pktmbuf_init, NULL, socket_id, 0);
}

void vfn_pktmbuf_attach(struct vfn_mbuf *mi, struct vfn_mbuf *m)
{
	struct vfn_mbuf *md = vfn_mbuf_is_direct(m) ? m :
			      vfn_mbuf_from_indirect(m);

	vfn_mbuf_refcnt_update(md, 1);
	mi->priv_size = md->priv_size; /* for vfn_mbuf_from_indirect() */
	mi->buf_iova = m->buf_iova;
	mi->buf_addr = m->buf_addr;
	mi->buf_len = m->buf_len;
	mi->data_off = m->data_off;
	mi->data_len = m->data_len;
	mi->port = m->port;
	mi->vlan_tci = m->vlan_tci;
	mi->vlan_tci_outer = m->vlan_tci_outer;
	mi->tx_offload = m->tx_offload;
	mi->hash = m->hash;
	mi->next = NULL;
	mi->pkt_len = mi->data_len;
	mi->nb_segs = 1;
	mi->ol_flags = (m->ol_flags & ~VFN_MBUF_F_EXTERNAL) |
		       VFN_MBUF_F_INDIRECT;
	mi->packet_type = m->packet_type;
	mi->timesync = m->timesync;
}

void vfn_pktmbuf_detach(struct vfn_mbuf *m)
{
	struct vfn_mempool *mp = m->pool;
	struct vfn_mbuf *md;
	uint16_t priv_size;

	if (vfn_mbuf_is_direct(m))
		return;
	md = vfn_mbuf_from_indirect(m);
	/* Restore m's own buffer, from its pool's layout. */
	priv_size = vfn_pktmbuf_priv_size(mp);
	m->priv_size = priv_size;
	m->buf_addr = (char *)m + sizeof(*m) + priv_size;
	m->buf_iova = vfn_mempool_virt2iova(m) == VFN_BAD_IOVA ?
		      VFN_BAD_IOVA :
		      vfn_mempool_virt2iova(m) + sizeof(*m) + priv_size;
	m->buf_len = vfn_pktmbuf_data_room_size(mp);
	vfn_pktmbuf_reset_headroom(m);
	m->data_len = 0;
	m->ol_flags = 0;

	/* Drop the reference on the direct mbuf; recycle it if last. */
	if (__vfn_mbuf_refcnt_update(md, -1) == 0) {
		md->next = NULL;
		md->nb_segs = 1;
		vfn_mbuf_refcnt_set(md, 1);
		vfn_mbuf_raw_free(md);
	}
}

void vfn_pktmbuf_free_bulk(struct vfn_mbuf **mbufs, unsigned int count)
{
	enum { BATCH = 64 };
	void *pending[BATCH];
	struct vfn_mempool *pool = NULL;
	unsigned int i, np = 0;

	for (i = 0; i < count; i++) {
		struct vfn_mbuf *m = mbufs[i], *next;

		while (m != NULL) {
			next = m->next;
			m = vfn_pktmbuf_prefree_seg(m);
			if (m != NULL) {
				/* Batch consecutive segments of one pool. */
				if (np == BATCH ||
				    (np && m->pool != pool)) {
					vfn_mempool_put_bulk(pool, pending, np);
					np = 0;
				}
				pool = m->pool;
				pending[np++] = m;
			}
			m = next;
		}
	}
	if (np)
		vfn_mempool_put_bulk(pool, pending, np);
}

struct vfn_mbuf *vfn_pktmbuf_clone(struct vfn_mbuf *md,
				   struct vfn_mempool *mp)
{
	struct vfn_mbuf *mc = NULL, *mi, **prev = &mc;
	uint32_t pkt_len = md->pkt_len;
	uint16_t nseg = 0;

	for (; md != NULL; md = md->next) {
		mi = vfn_pktmbuf_alloc(mp);
		if (mi == NULL) {
			/* Undo: frees the clones and drops their references. */
			vfn_pktmbuf_free(mc);
			return NULL;
		}
		vfn_pktmbuf_attach(mi, md); /* sets mi->next = NULL */
		*prev = mi;
		prev = &mi->next;
		nseg++;
	}
	mc->nb_segs = nseg;
	mc->pkt_len = pkt_len;
	return mc;
}

struct vfn_mbuf *vfn_pktmbuf_copy(const struct vfn_mbuf *m,
				  struct vfn_mempool *mp, uint32_t off,
				  uint32_t length)
{
	const struct vfn_mbuf *seg = m;
	struct vfn_mbuf *mc, *m_last;
	uint32_t copied = 0;

	if (off > m->pkt_len)
		return NULL;
	if (length > m->pkt_len - off)
		length = m->pkt_len - off;
	mc = vfn_pktmbuf_alloc(mp);
	if (mc == NULL)
		return NULL;
	mc->port = m->port;
	mc->vlan_tci = m->vlan_tci;
	mc->vlan_tci_outer = m->vlan_tci_outer;
	mc->tx_offload = m->tx_offload;
	mc->hash = m->hash;
	mc->ol_flags = m->ol_flags & ~(VFN_MBUF_F_INDIRECT |
				       VFN_MBUF_F_EXTERNAL);
	mc->packet_type = m->packet_type;
	mc->timesync = m->timesync;
	m_last = mc;

	/* Skip whole segments before off. */
	while (off >= seg->data_len && seg->next) {
		off -= seg->data_len;
		seg = seg->next;
	}
	while (copied < length) {
		uint32_t avail = seg->data_len - off;
		uint32_t room = vfn_pktmbuf_tailroom(m_last);
		uint32_t chunk;

		if (avail == 0) {
			seg = seg->next;
			off = 0;
			continue;
		}
		if (room == 0) {
			struct vfn_mbuf *n = vfn_pktmbuf_alloc(mp);

			if (n == NULL) {
				vfn_pktmbuf_free(mc);
				return NULL;
			}
			m_last->next = n;
			mc->nb_segs++;
			m_last = n;
			continue;
		}
		chunk = avail < room ? avail : room;
		if (chunk > length - copied)
			chunk = length - copied;
		memcpy(vfn_pktmbuf_mtod(m_last, char *) + m_last->data_len,
		       vfn_pktmbuf_mtod_offset(seg, void *, off), chunk);
		m_last->data_len = (uint16_t)(m_last->data_len + chunk);
		off += chunk;
		copied += chunk;
	}
	mc->pkt_len = copied;
	return mc;
}

int vfn_pktmbuf_linearize(struct vfn_mbuf *m)
{
	struct vfn_mbuf *seg, *next;
	char *dst;

	if (vfn_pktmbuf_is_contiguous(m))
		return 0;
	if (!vfn_mbuf_is_direct(m) || vfn_mbuf_refcnt_read(m) != 1)
		return -1; /* the data is shared: cannot write into it */
	if (m->pkt_len - m->data_len > vfn_pktmbuf_tailroom(m))
		return -1;
	dst = vfn_pktmbuf_mtod_offset(m, void *, m->data_len);
	for (seg = m->next; seg; seg = seg->next) {
		memcpy(dst, vfn_pktmbuf_mtod(seg, void *), seg->data_len);
		dst += seg->data_len;
	}
	seg = m->next;
	m->next = NULL;
	m->nb_segs = 1;
	m->data_len = (uint16_t)m->pkt_len;
	while (seg) {
		next = seg->next;
		vfn_pktmbuf_free_seg(seg);
		seg = next;
	}
	return 0;
}

const void *__vfn_pktmbuf_read(const struct vfn_mbuf *m, uint32_t off,
			       uint32_t len, void *buf)
{
	const struct vfn_mbuf *seg = m;
	char *dst = buf;

	if ((uint64_t)off + len > m->pkt_len)
		return NULL;
	/* Stop at the last segment: off == pkt_len with len 0 ends there. */
	while (seg->next != NULL && off >= seg->data_len) {
		off -= seg->data_len;
		seg = seg->next;
	}
	if (off + len <= seg->data_len)
		return vfn_pktmbuf_mtod_offset(seg, void *, off);
	while (len > 0) {
		uint32_t chunk = seg->data_len - off;

		if (chunk > len)
			chunk = len;
		memcpy(dst, vfn_pktmbuf_mtod_offset(seg, void *, off), chunk);
		dst += chunk;
		len -= chunk;
		off = 0;
		seg = seg->next;
	}
	return buf;
}

int vfn_mbuf_check(const struct vfn_mbuf *m, int is_header,
		   const char **reason)
{
	unsigned int nb_segs, pkt_len;
	const char *r;

	if (m == NULL) {
		r = "mbuf is NULL";
		goto bad;
	}
	if (m->pool == NULL) {
		r = "bad mbuf pool";
		goto bad;
	}
	if (m->buf_addr == NULL) {
		r = "bad buf_addr";
		goto bad;
	}
	if (m->buf_iova == 0) {
		r = "bad buf_iova";
		goto bad;
	}
	if (vfn_mbuf_refcnt_read(m) == 0) {
		r = "refcnt is 0 (freed mbuf?)";
		goto bad;
	}
	if ((uint32_t)m->data_off + m->data_len > m->buf_len) {
		r = "data beyond the buffer (data_off + data_len > buf_len)";
		goto bad;
	}
	if (!is_header)
		return 0;
	nb_segs = m->nb_segs;
	pkt_len = m->pkt_len;
	do {
		if ((uint32_t)m->data_off + m->data_len > m->buf_len) {
			r = "segment data beyond its buffer";
			goto bad;
		}
		nb_segs -= 1;
		pkt_len -= m->data_len;
	} while ((m = m->next) != NULL && nb_segs);
	if (nb_segs || m) {
		r = "nb_segs does not match the chain";
		goto bad;
	}
	if (pkt_len) {
		r = "pkt_len is not the sum of data_len";
		goto bad;
	}
	return 0;
bad:
	if (reason)
		*reason = r;
	return -1;
}

static void hexdump(FILE *f, const void *p, unsigned int len)
{
	const unsigned char *d = p;
	unsigned int i;

	for (i = 0; i < len; i++)
		fprintf(f, "%s%02x%s", i % 16 ? "" : "    ", d[i],
			(i % 16 == 15 || i + 1 == len) ? "\n" : " ");
}

void vfn_pktmbuf_dump(FILE *f, const struct vfn_mbuf *m,
		      unsigned int dump_len)
{
	unsigned int len, nb_segs;
	const char *reason = NULL;

	if (vfn_mbuf_check(m, 1, &reason))
		fprintf(f, "  (inconsistent mbuf: %s)\n", reason);
	if (m == NULL)
		return;
	fprintf(f, "dump mbuf at %p, iova=0x%llx, buf_len=%u\n",
		(const void *)m, (unsigned long long)m->buf_iova, m->buf_len);
	fprintf(f, "  pkt_len=%u, ol_flags=0x%llx, nb_segs=%u, port=%u, ptype=0x%x\n",
		m->pkt_len, (unsigned long long)m->ol_flags, m->nb_segs,
		m->port, m->packet_type);
	nb_segs = m->nb_segs;
	while (m && nb_segs != 0) {
		fprintf(f, "  segment at %p, data=%p, len=%u, off=%u, refcnt=%u\n",
			(const void *)m, vfn_pktmbuf_mtod(m, void *), m->data_len,
			m->data_off, vfn_mbuf_refcnt_read(m));
		len = dump_len;
		if (len > m->data_len)
			len = m->data_len;
		if (len)
			hexdump(f, vfn_pktmbuf_mtod(m, void *), len);
		dump_len -= len;
		m = m->next;
		nb_segs--;
	}
}

const char *vfn_get_rx_ol_flag_name(uint64_t mask)
{
	switch (mask) {
	case VFN_MBUF_F_RX_VLAN: return "RX_VLAN";
	case VFN_MBUF_F_RX_RSS_HASH: return "RX_RSS_HASH";
	case VFN_MBUF_F_RX_FDIR: return "RX_FDIR";
	case VFN_MBUF_F_RX_L4_CKSUM_BAD: return "RX_L4_CKSUM_BAD";
	case VFN_MBUF_F_RX_L4_CKSUM_GOOD: return "RX_L4_CKSUM_GOOD";
	case VFN_MBUF_F_RX_IP_CKSUM_BAD: return "RX_IP_CKSUM_BAD";
	case VFN_MBUF_F_RX_IP_CKSUM_GOOD: return "RX_IP_CKSUM_GOOD";
	case VFN_MBUF_F_RX_OUTER_IP_CKSUM_BAD: return "RX_OUTER_IP_CKSUM_BAD";
	case VFN_MBUF_F_RX_VLAN_STRIPPED: return "RX_VLAN_STRIPPED";
	case VFN_MBUF_F_RX_IEEE1588_PTP: return "RX_IEEE1588_PTP";
	case VFN_MBUF_F_RX_IEEE1588_TMST: return "RX_IEEE1588_TMST";
	case VFN_MBUF_F_RX_QINQ_STRIPPED: return "RX_QINQ_STRIPPED";
	case VFN_MBUF_F_RX_LRO: return "RX_LRO";
	case VFN_MBUF_F_RX_QINQ: return "RX_QINQ";
	default: return NULL;
	}
}

const char *vfn_get_tx_ol_flag_name(uint64_t mask)
{
	switch (mask) {
	case VFN_MBUF_F_TX_VLAN: return "TX_VLAN";
	case VFN_MBUF_F_TX_IP_CKSUM: return "TX_IP_CKSUM";
	case VFN_MBUF_F_TX_TCP_CKSUM: return "TX_TCP_CKSUM";
	case VFN_MBUF_F_TX_SCTP_CKSUM: return "TX_SCTP_CKSUM";
	case VFN_MBUF_F_TX_UDP_CKSUM: return "TX_UDP_CKSUM";
	case VFN_MBUF_F_TX_IEEE1588_TMST: return "TX_IEEE1588_TMST";
	case VFN_MBUF_F_TX_TCP_SEG: return "TX_TCP_SEG";
	case VFN_MBUF_F_TX_IPV4: return "TX_IPV4";
	case VFN_MBUF_F_TX_IPV6: return "TX_IPV6";
	case VFN_MBUF_F_TX_OUTER_IP_CKSUM: return "TX_OUTER_IP_CKSUM";
	case VFN_MBUF_F_TX_OUTER_IPV4: return "TX_OUTER_IPV4";
	case VFN_MBUF_F_TX_OUTER_IPV6: return "TX_OUTER_IPV6";
	case VFN_MBUF_F_TX_QINQ: return "TX_QINQ";
	default: return NULL;
	}
}
