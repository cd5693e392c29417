/* SPDX-License-Identifier: BSD-3-Clause */
/* Capture internals shared by capture.c and capture_writer.c. */
#ifndef FWD_CAPTURE_INTERNAL_H
#define FWD_CAPTURE_INTERNAL_H

#include <pcap/pcap.h>

#include "capture.h"

/*
 * One running capture.  Owned by capture.c's list under its lock; the
 * capture thread drains it (also under the lock), so the writer fields
 * need no lock of their own.  Counters the telemetry thread reads are
 * written with relaxed stores.
 */
struct fwd_capture {
	struct fwd_capture_params p;
	unsigned int id;
	struct vfn_mempool *pool;        /* copies, shared by its taps */
	struct fwd_capture_tap *taps;    /* attached taps */
	struct fwd_capture *next;
	/* counts of taps already detached (streams rebuilt) */
	uint64_t old_copied, old_dropped;
	/* writer */
	pcap_t *pd;                      /* pcap_open_dead(): link type, snaplen */
	pcap_dumper_t *dumper;
	struct bpf_program prog;
	int has_prog;
	int write_error;                 /* reported once */
	int dirty;                       /* written since the last flush */
	struct vfn_mbuf **batch;         /* one drain round, all taps */
	struct vfn_mbuf **batch2;        /* merge buffer */
	unsigned int *bounds;            /* run starts, one per tap, + end */
	unsigned int batch_cap;
	uint64_t base_tsc, base_ns;      /* TSC and wall clock at start */
	uint64_t hz;
	uint64_t captured, filtered, bytes;
};

#endif /* FWD_CAPTURE_INTERNAL_H */
