/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Live capture from inside fwd: copies of the packets a forwarding lcore
 * receives or sends on a port (or one queue of it) go through a lock-free
 * single-producer ring to a capture thread, which filters them (BPF) and
 * writes them to a pcap file.
 *
 * Three parts:
 *  - capture_tap.c, the data path: one tap per (stream, direction).  The
 *    stream's lcore copies each packet (up to the snap length) into an
 *    mbuf of the capture's own pool, stamps it with the burst's TSC and
 *    enqueues it on the tap's ring (single producer: the stream's lcore;
 *    single consumer: the capture thread).  No lock, no syscall, never a
 *    wait: no mbuf or no ring room is a counted drop.
 *  - capture.c, control: start/stop/statistics, taps attached to and
 *    detached from the streams, used by the command line and the prompt.
 *  - capture_writer.c, the capture thread: drains the rings, runs the BPF
 *    filter (libpcap's pcap_offline_filter) and writes with pcap_dump.
 *
 * With no capture, the data path pays one load and one predicted branch
 * per rx burst and per tx burst (fwd_rx_burst()/fwd_tx_burst() in fwd.h).
 */
#ifndef FWD_CAPTURE_H
#define FWD_CAPTURE_H

#include <stdint.h>
#include <stdio.h>

struct fwd_stream;
struct vfn_mbuf;
struct vfn_mempool;
struct vfn_ring;

#define FWD_CAPTURE_RX 1u
#define FWD_CAPTURE_TX 2u
#define FWD_CAPTURE_BOTH (FWD_CAPTURE_RX | FWD_CAPTURE_TX)
#define FWD_CAPTURE_ALL_QUEUES 0xffffu
#define FWD_CAPTURE_MAX 16                 /* captures at once */
#define FWD_CAPTURE_SNAPLEN_MAX 262144u    /* as dumpcap and tcpdump */
#define FWD_CAPTURE_RING_DEFAULT 4096u     /* copies in flight */
#define FWD_CAPTURE_FILTER_MAX 512

/* What to capture, from --capture* or the prompt. */
struct fwd_capture_params {
	uint16_t port;
	uint16_t queue;            /* FWD_CAPTURE_ALL_QUEUES: every queue */
	unsigned int dir;          /* FWD_CAPTURE_RX | FWD_CAPTURE_TX */
	uint32_t snaplen;          /* bytes kept of each packet */
	unsigned int ring_size;    /* copies in flight (ring and pool) */
	char filter[FWD_CAPTURE_FILTER_MAX]; /* BPF expression, "" for none */
	char file[4096];
	/*
	 * 0: fwd_capture_start() fails when no stream uses the port now (the
	 * command line).  1: it starts anyway and the taps attach when the
	 * streams are next built (fwd_capture_attach()): the prompt's
	 * "capture start" before "start", or after a "stop".
	 */
	int deferred;
};

/*
 * Counters of one capture.  Every packet the data path saw is, once the
 * capture stopped, exactly one of: captured (written), filtered (copied,
 * rejected by the BPF filter) or dropped (no copy mbuf, or ring full).
 */
struct fwd_capture_stats {
	uint64_t captured;
	uint64_t filtered;
	uint64_t dropped;
	uint64_t pending;          /* copied, not yet written or filtered */
	uint64_t bytes;            /* bytes written (captured lengths) */
};

/*
 * The metadata of a copy, in the private area of its mbuf.  @tsc is
 * taken once per burst, so a burst's packets share one timestamp.
 */
struct fwd_capture_meta {
	uint64_t tsc;
	uint32_t wire_len;         /* length on the wire (pkt_len) */
	uint32_t dir;              /* FWD_CAPTURE_RX or FWD_CAPTURE_TX */
};

/*
 * One (stream, direction) of a capture.  The first cache line is the data
 * path's (written only by the stream's lcore); @active is written by the
 * control thread.  Protocol with fwd_capture_stop() (Dekker's, sequentially
 * consistent on both sides): the lcore stores busy = 1, then loads active,
 * and touches ring and pool only when it reads 1; the control thread
 * stores active = 0, then waits for busy == 0.  Either the lcore's
 * store comes first in the total order (and the control thread waits for
 * it) or the control thread's (and the lcore sees active == 0).  The tap
 * itself is freed only when no lcore runs (fwd_capture_detach()), since
 * an lcore may have loaded the stream's pointer just before it was cleared.
 */
struct fwd_capture_tap {
	struct vfn_ring *ring;      /* copies, in time order */
	struct vfn_mempool *pool;   /* the capture's copy pool */
	uint32_t snaplen;
	uint32_t dir;
	uint32_t busy;              /* lcore: inside a capture burst */
	uint64_t copied;            /* lcore: enqueued on the ring */
	uint64_t dropped;           /* lcore: no mbuf or no ring room */
	uint32_t active __attribute__((aligned(64))); /* control: 1 while on */
	struct fwd_stream *fs;
	struct fwd_capture_tap *next;  /* the capture's taps */
};

/* capture_tap.c: the data path, called only when a tap is attached. */
void fwd_capture_rx(struct fwd_capture_tap *t, struct vfn_mbuf **pkts,
		    uint16_t nb);
uint16_t fwd_capture_tx_burst(struct fwd_capture_tap *t,
			      struct fwd_stream *fs, struct vfn_mbuf **pkts,
			      uint16_t nb);

/* capture.c */
/* Defaults for --capture (direction both, snaplen 262144, 4096 copies). */
void fwd_capture_params_init(struct fwd_capture_params *p);
/*
 * Parse "PORT[:QUEUE]=FILE" (the --capture value) into @p p, keeping its
 * other fields.  0, or -EINVAL after printing why.
 */
int fwd_capture_parse(const char *arg, struct fwd_capture_params *p);
/* Parse "rx", "tx" or "both".  0 or -EINVAL. */
int fwd_capture_parse_dir(const char *s, unsigned int *dir);
/*
 * Start a capture: open the file, compile the filter, attach taps to the
 * streams that receive (rx) or send (tx) on the port/queue.  Works while
 * the lcores forward (from the main or prompt thread, not from an
 * lcore).  0, or -errno after writing the cause to @err:
 * -ENODEV port not forwarded (not a port at all, with @p->deferred),
 * -EINVAL snap length/ring/file, -EBUSY file already written or queue
 * already captured, -ENOSPC FWD_CAPTURE_MAX running, -ENOENT no stream
 * uses the port (not with @p->deferred), -ENOMEM, or the open's errno.
 */
int fwd_capture_start(const struct fwd_capture_params *p, char *err,
		      size_t errlen);
/*
 * Stop the captures of @port (and @queue, or every queue with
 * FWD_CAPTURE_ALL_QUEUES; and writing @file, or any file with NULL):
 * detach, drain, close the file, print the counters to @out (if not
 * NULL).  Works while the lcores forward; every packet an lcore copied
 * before the stop is in the file when it returns.  Returns how many
 * stopped (0: no such capture).
 */
int fwd_capture_stop(uint16_t port, uint16_t queue, const char *file,
		     FILE *out);
/* Stop every capture and the capture thread (at exit). */
void fwd_capture_stop_all(FILE *out);
/* Counters of the capture of @port/@queue.  0 or -ENOENT. */
int fwd_capture_stats_get(uint16_t port, uint16_t queue,
			  struct fwd_capture_stats *st);
/* The running captures, one line each. */
void fwd_capture_list(FILE *out);
/*
 * Streams are about to be freed or rebuilt: fwd_capture_detach() first
 * (no lcore may run: it frees the taps an lcore could still hold), then,
 * once the new streams exist and before the lcores start,
 * fwd_capture_attach() attaches every running capture to them.  Counters
 * carry over.  attach: 0 or -errno with the cause in @err.
 */
void fwd_capture_detach(void);
int fwd_capture_attach(char *err, size_t errlen);

/* capture_writer.c (internal to capture*.c) */
struct fwd_capture;
int fwd_capture_writer_open(struct fwd_capture *c, char *err, size_t errlen);
unsigned int fwd_capture_writer_drain(struct fwd_capture *c);
void fwd_capture_writer_flush(struct fwd_capture *c);
void fwd_capture_writer_close(struct fwd_capture *c);

#endif /* FWD_CAPTURE_H */
