/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture, the writer (the capture thread, or the control thread at
 * stop; always under capture.c's lock): dequeue the copies from a
 * capture's taps, order a round by timestamp, run the BPF filter and
 * write them with libpcap.
 *
 * Formats: pcapng when the file name ends in ".pcapng", written here
 * (a Section Header, one Interface Description with nanosecond
 * timestamps, an Enhanced Packet per packet with its direction in
 * epb_flags, and at close an Interface Statistics Block with the
 * capture's counters: isb_ifrecv = packets seen, isb_ifdrop = dropped,
 * isb_filteraccept = captured); classic pcap otherwise, through libpcap's
 * pcap_dump (nanosecond timestamps, EN10MB).  Debian 12's libpcap 1.10
 * reads pcapng but cannot write it, and the one Debian library that
 * writes it (Wireshark's libwiretap) is GPL-2.0+, has no pkg-config file,
 * changes its ABI every release and has no public call to add an ISB at
 * close; the pcapng blocks are simple enough to write directly
 * (draft-ietf-opsawg-pcapng).  The filter is libpcap's in both cases.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "vfn_cycles.h"
#include "vfn_mbuf.h"
#include "vfn_ring.h"
#include "fwd.h"
#include "capture_internal.h"

#define DRAIN_BURST 256u       /* copies per tap per round */
#define CAP_NS_PER_S 1000000000ull

/* Contiguous bytes of a chained copy (the writer runs under the lock). */
static uint8_t linear[FWD_CAPTURE_SNAPLEN_MAX];

/* pcapng block types and option codes (draft-ietf-opsawg-pcapng) */
#define NG_SHB 0x0a0d0d0au
#define NG_IDB 1u
#define NG_ISB 5u
#define NG_EPB 6u
#define NG_BYTE_ORDER 0x1a2b3c4du
#define NG_OPT_END 0
#define NG_SHB_USERAPPL 4
#define NG_IF_NAME 2
#define NG_IF_TSRESOL 9
#define NG_EPB_FLAGS 2
#define NG_ISB_STARTTIME 2
#define NG_ISB_ENDTIME 3
#define NG_ISB_IFRECV 4
#define NG_ISB_IFDROP 5
#define NG_ISB_FILTERACCEPT 6
#define NG_EPB_INBOUND 1u
#define NG_EPB_OUTBOUND 2u

static int is_pcapng(const char *file)
{
	size_t n = strlen(file);

	return n >= 7 && !strcasecmp(file + n - 7, ".pcapng");
}

/* Append option @code of @len bytes at @b + *@off, padded to 4 bytes. */
static void ng_opt(uint8_t *b, size_t *off, uint16_t code, const void *val,
		   uint16_t len)
{
	size_t pad = (4u - (len & 3u)) & 3u;

	memcpy(b + *off, &code, 2);
	memcpy(b + *off + 2, &len, 2);
	if (len)
		memcpy(b + *off + 4, val, len);
	memset(b + *off + 4 + len, 0, pad);
	*off += 4 + len + pad;
}

/* One whole block: type, total length, @body (a multiple of 4), length. */
static int ng_block(FILE *f, uint32_t type, const void *body, size_t len)
{
	uint32_t total = (uint32_t)(12 + len);

	if (fwrite(&type, 4, 1, f) != 1 || fwrite(&total, 4, 1, f) != 1 ||
	    (len && fwrite(body, len, 1, f) != 1) ||
	    fwrite(&total, 4, 1, f) != 1)
		return -1;
	return 0;
}

/* Section Header and the one Interface Description. */
static int ng_header(struct fwd_capture *c)
{
	static const char appl[] = "vfnet fwd --capture";
	uint8_t b[512];
	uint32_t u32 = NG_BYTE_ORDER, snap = c->p.snaplen;
	uint16_t u16 = 1;
	int64_t section_len = -1;
	uint8_t tsresol = 9;    /* 10^-9 s */
	char name[64];
	size_t off = 0;

	memcpy(b, &u32, 4);
	memcpy(b + 4, &u16, 2);             /* major 1 */
	u16 = 0;
	memcpy(b + 6, &u16, 2);             /* minor 0 */
	memcpy(b + 8, &section_len, 8);
	off = 16;
	ng_opt(b, &off, NG_SHB_USERAPPL, appl, sizeof(appl) - 1);
	ng_opt(b, &off, NG_OPT_END, NULL, 0);
	if (ng_block(c->ng, NG_SHB, b, off))
		return -1;
	u16 = DLT_EN10MB;
	memcpy(b, &u16, 2);
	u16 = 0;
	memcpy(b + 2, &u16, 2);
	memcpy(b + 4, &snap, 4);
	off = 8;
	if (c->p.queue == FWD_CAPTURE_ALL_QUEUES)
		snprintf(name, sizeof(name), "fwd port %u", c->p.port);
	else
		snprintf(name, sizeof(name), "fwd port %u queue %u",
			 c->p.port, c->p.queue);
	ng_opt(b, &off, NG_IF_NAME, name, (uint16_t)strlen(name));
	ng_opt(b, &off, NG_IF_TSRESOL, &tsresol, 1);
	ng_opt(b, &off, NG_OPT_END, NULL, 0);
	return ng_block(c->ng, NG_IDB, b, off);
}

/* One Enhanced Packet Block, written in pieces (no copy of @data). */
static int ng_packet(struct fwd_capture *c, uint64_t ns, uint32_t caplen,
		     uint32_t len, uint32_t dir, const void *data)
{
	static const uint8_t zero[4];
	uint32_t pad = (4u - (caplen & 3u)) & 3u;
	uint32_t type = NG_EPB, total = 32 + caplen + pad + 12;
	uint32_t hdr[7] = { type, total, 0, (uint32_t)(ns >> 32),
			    (uint32_t)ns, caplen, len };
	uint32_t flags = dir == FWD_CAPTURE_RX ? NG_EPB_INBOUND :
						 NG_EPB_OUTBOUND;
	uint16_t opt[2] = { NG_EPB_FLAGS, 4 };
	uint32_t end = NG_OPT_END;

	if (fwrite(hdr, sizeof(hdr), 1, c->ng) != 1 ||
	    (caplen && fwrite(data, caplen, 1, c->ng) != 1) ||
	    (pad && fwrite(zero, pad, 1, c->ng) != 1) ||
	    fwrite(opt, sizeof(opt), 1, c->ng) != 1 ||
	    fwrite(&flags, 4, 1, c->ng) != 1 ||
	    fwrite(&end, 4, 1, c->ng) != 1 ||
	    fwrite(&total, 4, 1, c->ng) != 1)
		return -1;
	return 0;
}

/* The Interface Statistics Block, at close: the capture's counters. */
static int ng_stats(struct fwd_capture *c, uint64_t now_ns)
{
	uint64_t recv = c->captured + c->filtered + c->old_dropped;
	uint32_t ts[2], b32[3] = { 0, (uint32_t)(now_ns >> 32),
				   (uint32_t)now_ns };
	uint8_t b[128];
	size_t off = sizeof(b32);

	memcpy(b, b32, sizeof(b32));
	ts[0] = (uint32_t)(c->base_ns >> 32);
	ts[1] = (uint32_t)c->base_ns;
	ng_opt(b, &off, NG_ISB_STARTTIME, ts, 8);
	ts[0] = b32[1];
	ts[1] = b32[2];
	ng_opt(b, &off, NG_ISB_ENDTIME, ts, 8);
	ng_opt(b, &off, NG_ISB_IFRECV, &recv, 8);
	ng_opt(b, &off, NG_ISB_IFDROP, &c->old_dropped, 8);
	ng_opt(b, &off, NG_ISB_FILTERACCEPT, &c->captured, 8);
	ng_opt(b, &off, NG_OPT_END, NULL, 0);
	return ng_block(c->ng, NG_ISB, b, off);
}

static void write_failed(struct fwd_capture *c)
{
	if (c->write_error)
		return;
	c->write_error = 1;
	fprintf(stderr, "fwd: capture of port %u: writing %s failed: %s\n",
		c->p.port, c->p.file, strerror(errno));
}

/* Open the pcapng file and write its header blocks. */
static int ng_open(struct fwd_capture *c, char *err, size_t errlen)
{
	c->ng = fopen(c->p.file, "wb");
	if (!c->ng) {
		snprintf(err, errlen, "cannot open %s for writing: %s",
			 c->p.file, strerror(errno));
		return -1;
	}
	setvbuf(c->ng, NULL, _IOFBF, 1 << 20);
	if (ng_header(c) || fflush(c->ng)) {
		snprintf(err, errlen, "cannot write %s: %s", c->p.file,
			 strerror(errno));
		fclose(c->ng);
		c->ng = NULL;
		return -1;
	}
	return 0;
}

int fwd_capture_writer_open(struct fwd_capture *c, char *err, size_t errlen)
{
	struct timespec now;

	c->pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB,
						     (int)c->p.snaplen,
						     PCAP_TSTAMP_PRECISION_NANO);
	if (!c->pd) {
		snprintf(err, errlen, "pcap_open_dead() failed (out of memory)");
		return -ENOMEM;
	}
	if (c->p.filter[0]) {
		if (pcap_compile(c->pd, &c->prog, c->p.filter, 1,
				 PCAP_NETMASK_UNKNOWN)) {
			snprintf(err, errlen, "capture filter \"%s\": %s (see "
				 "pcap-filter(7))", c->p.filter,
				 pcap_geterr(c->pd));
			goto close_pd;
		}
		c->has_prog = 1;
	}
	c->is_ng = is_pcapng(c->p.file);
	if (c->is_ng) {
		if (ng_open(c, err, errlen))
			goto free_prog;
	} else {
		c->dumper = pcap_dump_open(c->pd, c->p.file);
		if (!c->dumper) {
			snprintf(err, errlen, "cannot open %s for writing: %s",
				 c->p.file, pcap_geterr(c->pd));
			goto free_prog;
		}
	}
	/* Wall clock and TSC read together: timestamps are base + TSC delta. */
	clock_gettime(CLOCK_REALTIME, &now);
	c->base_tsc = vfn_rdtsc();
	c->base_ns = (uint64_t)now.tv_sec * CAP_NS_PER_S + (uint64_t)now.tv_nsec;
	c->hz = vfn_get_tsc_hz();
	return 0;
free_prog:
	if (c->has_prog)
		pcap_freecode(&c->prog);
	c->has_prog = 0;
close_pd:
	pcap_close(c->pd);
	c->pd = NULL;
	return -EINVAL;
}

static uint64_t tsc_to_ns(const struct fwd_capture *c, uint64_t tsc)
{
	uint64_t d = tsc > c->base_tsc ? tsc - c->base_tsc : 0;

	return c->base_ns +
	       (uint64_t)((unsigned __int128)d * CAP_NS_PER_S / c->hz);
}

static void write_one(struct fwd_capture *c, struct vfn_mbuf *m)
{
	const struct fwd_capture_meta *meta = vfn_mbuf_to_priv(m);
	uint64_t ns = tsc_to_ns(c, meta->tsc);
	struct pcap_pkthdr h;
	const u_char *data;

	h.caplen = m->pkt_len;
	h.len = meta->wire_len;
	h.ts.tv_sec = (time_t)(ns / CAP_NS_PER_S);
	h.ts.tv_usec = (suseconds_t)(ns % CAP_NS_PER_S); /* ns: nano dumper */
	data = vfn_pktmbuf_read(m, 0, m->pkt_len, linear);
	if (c->has_prog && !pcap_offline_filter(&c->prog, &h, data)) {
		c->filtered++;
		return;
	}
	if (c->ng) {
		if (ng_packet(c, ns, h.caplen, h.len, meta->dir, data))
			write_failed(c);
	} else {
		pcap_dump((u_char *)c->dumper, &h, data);
	}
	c->captured++;
	c->bytes += h.caplen;
	c->dirty = 1;
}

static uint64_t stamp(const struct vfn_mbuf *m)
{
	return ((const struct fwd_capture_meta *)
		vfn_mbuf_to_priv((struct vfn_mbuf *)(uintptr_t)m))->tsc;
}

/* Merge sorted runs a[0..na) and b[0..nb) into out; ties from a first. */
static void merge2(struct vfn_mbuf **out, struct vfn_mbuf **a, unsigned int na,
		   struct vfn_mbuf **b, unsigned int nb)
{
	unsigned int i = 0, j = 0, k = 0;

	while (i < na && j < nb)
		out[k++] = stamp(b[j]) < stamp(a[i]) ? b[j++] : a[i++];
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
}

/*
 * Order one round's copies by timestamp: each tap's run is in order
 * already, so merge the runs pairwise (n log(taps)), stable: the
 * packets of one burst, which share a stamp, keep their order.
 * @bounds holds the run starts and n; the result is in c->batch.
 */
static void sort_round(struct fwd_capture *c, unsigned int *bounds,
		       unsigned int nruns)
{
	struct vfn_mbuf **src = c->batch, **dst = c->batch2, **swap;
	unsigned int r, w;

	while (nruns > 1) {
		for (r = 0, w = 0; r < nruns; r += 2, w++) {
			unsigned int a = bounds[r], b = bounds[r + 1];
			unsigned int e = r + 2 <= nruns ? bounds[r + 2] : b;

			merge2(dst + a, src + a, b - a, src + b, e - b);
			bounds[w] = a;
		}
		bounds[w] = bounds[nruns];
		nruns = w;
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != c->batch)
		memcpy(c->batch, src, bounds[1] * sizeof(*src));
}

static int batch_reserve(struct fwd_capture *c, unsigned int ntaps)
{
	unsigned int need = ntaps * DRAIN_BURST;

	if (need <= c->batch_cap)
		return 0;
	free(c->batch);
	free(c->batch2);
	free(c->bounds);
	c->batch = malloc(need * sizeof(*c->batch));
	c->batch2 = malloc(need * sizeof(*c->batch2));
	c->bounds = malloc((ntaps + 1) * sizeof(*c->bounds));
	if (!c->batch || !c->batch2 || !c->bounds) {
		free(c->batch);
		free(c->batch2);
		free(c->bounds);
		c->batch = c->batch2 = NULL;
		c->bounds = NULL;
		c->batch_cap = 0;
		return -ENOMEM;
	}
	c->batch_cap = need;
	return 0;
}

/*
 * One round: up to DRAIN_BURST copies from each tap, merged by time.
 * Returns the copies handled.
 */
unsigned int fwd_capture_writer_drain(struct fwd_capture *c)
{
	struct fwd_capture_tap *t;
	unsigned int ntaps = 0, n = 0, i;

	for (t = c->taps; t; t = t->next)
		ntaps++;
	if (!ntaps || batch_reserve(c, ntaps))
		return 0;
	for (t = c->taps, ntaps = 0; t; t = t->next) {
		c->bounds[ntaps++] = n;
		n += vfn_ring_sc_dequeue_burst(t->ring, (void **)c->batch + n,
					       DRAIN_BURST, NULL);
	}
	c->bounds[ntaps] = n;
	if (ntaps > 1 && n)
		sort_round(c, c->bounds, ntaps);
	for (i = 0; i < n; i++)
		if (c->dumper || c->ng)
			write_one(c, c->batch[i]);
	vfn_pktmbuf_free_bulk(c->batch, n);
	return n;
}

void fwd_capture_writer_flush(struct fwd_capture *c)
{
	if (!c->dirty || (!c->dumper && !c->ng))
		return;
	c->dirty = 0;
	if (c->ng ? fflush(c->ng) : pcap_dump_flush(c->dumper))
		write_failed(c);
}

void fwd_capture_writer_close(struct fwd_capture *c)
{
	if (c->dumper) {
		c->dirty = 1;
		fwd_capture_writer_flush(c);
		pcap_dump_close(c->dumper);
		c->dumper = NULL;
	}
	if (c->ng) {
		struct timespec now;

		/* Every tap was released: old_dropped is the total. */
		clock_gettime(CLOCK_REALTIME, &now);
		if (ng_stats(c, (uint64_t)now.tv_sec * CAP_NS_PER_S +
				(uint64_t)now.tv_nsec))
			write_failed(c);
		if (fclose(c->ng))
			write_failed(c);
		c->ng = NULL;
	}
	if (c->has_prog)
		pcap_freecode(&c->prog);
	c->has_prog = 0;
	if (c->pd)
		pcap_close(c->pd);
	c->pd = NULL;
	free(c->batch);
	free(c->batch2);
	free(c->bounds);
	c->batch = c->batch2 = NULL;
	c->bounds = NULL;
	c->batch_cap = 0;
}
