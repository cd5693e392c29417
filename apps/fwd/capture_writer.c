/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture, the writer (the capture thread, or the control thread at
 * stop; always under capture.c's lock): dequeue the copies from a
 * capture's taps, order a round by timestamp, run the BPF filter and
 * write them with libpcap.
 *
 * Format: classic pcap (libpcap's pcap_dump) with nanosecond timestamps
 * and link type EN10MB, not pcapng: Debian 12's libpcap 1.10 reads pcapng
 * but cannot write it, and the one Debian library that writes pcapng
 * (Wireshark's libwiretap) is GPL-2.0+, has no pkg-config file, changes
 * its ABI every release and has no public call to add an Interface
 * Statistics Block at close.  The drop counters an ISB would carry are on
 * fwd's output and in /vfnet/capture instead (doc/fwd.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
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
	c->dumper = pcap_dump_open(c->pd, c->p.file);
	if (!c->dumper) {
		snprintf(err, errlen, "cannot open %s for writing: %s",
			 c->p.file, pcap_geterr(c->pd));
		goto free_prog;
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
	pcap_dump((u_char *)c->dumper, &h, data);
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
		if (c->dumper)
			write_one(c, c->batch[i]);
	vfn_pktmbuf_free_bulk(c->batch, n);
	return n;
}

void fwd_capture_writer_flush(struct fwd_capture *c)
{
	if (!c->dirty || !c->dumper)
		return;
	c->dirty = 0;
	if (pcap_dump_flush(c->dumper) && !c->write_error) {
		c->write_error = 1;
		fprintf(stderr, "fwd: capture of port %u: writing %s failed: "
			"%s\n", c->p.port, c->p.file, strerror(errno));
	}
}

void fwd_capture_writer_close(struct fwd_capture *c)
{
	if (c->dumper) {
		c->dirty = 1;
		fwd_capture_writer_flush(c);
		pcap_dump_close(c->dumper);
		c->dumper = NULL;
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
