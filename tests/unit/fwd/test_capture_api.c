/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The capture API the prompt uses (apps/fwd/capture.h), driven directly
 * while an lcore forwards io between two net_null ports:
 *  - start/stop of a tx capture again and again while forwarding (the
 *    busy/active handshake of capture_tap.c against fwd_capture_stop()):
 *    every stop leaves a file whose frame count equals the captured count;
 *  - a deferred capture started before the streams exist, carried over a
 *    stop, a rebuild of the streams (fwd_capture_detach()/attach()) and a
 *    second run: captured + filtered + dropped + pending equals the
 *    port's rx packets after each run, and the file holds the captured;
 *  - the errors: no stream yet, no such port, stop of a file not captured;
 *  - no mbuf of the forwarding pool is lost.
 * TAP, about 2 s.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "vfn_eal.h"
#include "vfn_launch.h"
#include "vfn_malloc.h"
#include "vfn_mempool.h"
#include "vfn_tap.h"
#include "fwd.h"

#define CYCLES 40              /* start/stop cycles while forwarding */

static char dir[] = "/tmp/fwdcapapiXXXXXX";

static void path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* Frames in a pcap file, or -1 when libpcap cannot read it. */
static long frames(const char *file)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	long n = 0;

	p = pcap_open_offline_with_tstamp_precision(file,
			PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		tap_diag("%s: %s", file, err);
		return -1;
	}
	while (pcap_next_ex(p, &h, &data) == 1)
		n++;
	pcap_close(p);
	return n;
}

/* The counters fwd_capture_stop() printed (its "fwd-capture:" line). */
struct printed {
	uint64_t captured, filtered, dropped;
	int lines;
};

static int stop_and_read(uint16_t port, const char *file,
			 struct printed *pr)
{
	char *buf = NULL, *s;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int n;

	if (!out)
		return -1;
	n = fwd_capture_stop(port, FWD_CAPTURE_ALL_QUEUES, file, out);
	fclose(out);
	memset(pr, 0, sizeof(*pr));
	for (s = buf; s && (s = strstr(s, "fwd-capture:")) != NULL; s++) {
		const char *c = strstr(s, "captured="), *f = strstr(s, "filtered="),
			   *d = strstr(s, "dropped=");

		if (!c || !f || !d)
			break;
		pr->captured += strtoull(c + 9, NULL, 10);
		pr->filtered += strtoull(f + 9, NULL, 10);
		pr->dropped += strtoull(d + 8, NULL, 10);
		pr->lines++;
	}
	free(buf);
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int launch(void)
{
	unsigned int i;

	__atomic_store_n(&fwd_stop, 0, __ATOMIC_RELAXED);
	for (i = 0; i < fwd_nb_lcores; i++) {
		fwd_lcores[i].finished = 0;
		if (vfn_eal_remote_launch(fwd_lcore_main, &fwd_lcores[i],
					  fwd_lcores[i].lcore_id))
			return -1;
	}
	return 0;
}

static void halt(void)
{
	unsigned int i;

	__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < fwd_nb_lcores; i++)
		vfn_eal_wait_lcore(fwd_lcores[i].lcore_id);
}

static uint64_t ipackets(uint16_t port)
{
	struct vfn_eth_stats st;

	if (vfn_eth_stats_get(port, &st))
		return UINT64_MAX;
	return st.ipackets;
}

static void params(struct fwd_capture_params *p, uint16_t port,
		   unsigned int d, const char *name, int deferred)
{
	fwd_capture_params_init(p);
	p->port = port;
	p->dir = d;
	p->snaplen = 64;
	p->ring_size = 512;
	p->deferred = deferred;
	path(p->file, sizeof(p->file), name);
}

/* Wait (up to 5 s) until the capture of @port saw a packet. */
static void wait_seen(uint16_t port)
{
	struct fwd_capture_stats st;
	int i;

	for (i = 0; i < 5000; i++) {
		if (fwd_capture_stats_get(port, FWD_CAPTURE_ALL_QUEUES, &st))
			return;
		if (st.captured + st.filtered + st.dropped + st.pending)
			return;
		sleep_ms(1);
	}
}

/* Start/stop a tx capture of port 1 CYCLES times while forwarding. */
static void cycles_while_forwarding(void)
{
	struct fwd_capture_params p;
	unsigned int i, good = 0, with_packets = 0;
	char err[512], name[32];
	int ret;

	for (i = 0; i < CYCLES; i++) {
		struct printed pr;
		long n;

		snprintf(name, sizeof(name), "tx%u.pcap", i);
		params(&p, 1, FWD_CAPTURE_TX, name, 0);
		ret = fwd_capture_start(&p, err, sizeof(err));
		if (ret) {
			tap_diag("cycle %u: start: %s", i, err);
			break;
		}
		/* Until the lcore went through the tap (the host may be
		 * loaded), then 0-3 ms more: stops at varied moments. */
		wait_seen(1);
		sleep_ms(i % 4);
		ret = stop_and_read(1, p.file, &pr);
		n = frames(p.file);
		if (ret == 1 && pr.lines == 1 && n >= 0 &&
		    (uint64_t)n == pr.captured)
			good++;
		else
			tap_diag("cycle %u: stopped %d, %d lines, %ld frames, "
				 "captured %" PRIu64, i, ret, pr.lines, n,
				 pr.captured);
		with_packets += pr.captured + pr.dropped > 0;
		unlink(p.file);
	}
	TAP_EQ(good, CYCLES, "%u start/stop cycles while forwarding: each "
	       "stop returns 1 and the file holds exactly the captured", CYCLES);
	TAP_EQ(with_packets, CYCLES, "every capture saw packets");
}

/* Counters of the deferred rx capture of port 0 against the port's. */
static void check_rx(const char *when, uint64_t rx)
{
	struct fwd_capture_stats st;
	uint64_t sum;

	if (!TAP_EQ(fwd_capture_stats_get(0, FWD_CAPTURE_ALL_QUEUES, &st), 0,
		    "stats of the port 0 capture %s", when))
		return;
	sum = st.captured + st.filtered + st.dropped + st.pending;
	tap_diag("%s: captured %" PRIu64 " dropped %" PRIu64 " pending %"
		 PRIu64 ", port 0 ipackets %" PRIu64, when, st.captured,
		 st.dropped, st.pending, rx);
	TAP_CHECK(sum == rx && st.captured > 0, "%s: captured + filtered + "
		  "dropped + pending == port 0 ipackets (%" PRIu64 ")", when, rx);
}

int main(int argc, char **argv)
{
	char *eal[] = { argv[0], (char *)"--no-huge", (char *)"-m",
			(char *)"256", (char *)"-l", (char *)"0,1",
			(char *)"--vdev", (char *)"net_null0", (char *)"--vdev",
			(char *)"net_null1", (char *)"--log-level", (char *)"4",
			NULL };
	char *args[] = { argv[0], (char *)"--forward-mode=io", NULL };
	struct fwd_capture_params p, rx;
	char err[512];
	struct printed pr;
	uint64_t rx0;
	long n;

	(void)argc;
	/* fwd's own lines (port set-up, link events) are not TAP: results go
	 * to the original stdout, everything fwd prints to stderr. */
	vfn_tap_out = fdopen(dup(STDOUT_FILENO), "w");
	if (!vfn_tap_out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		tap_bail("cannot split TAP from fwd's output: %s",
			 strerror(errno));
		return 1;
	}
	setvbuf(vfn_tap_out, NULL, _IOLBF, 0);
	if (vfn_eal_init(12, eal) < 0 || fwd_parse_args(2, args, &fwd_cfg) ||
	    !mkdtemp(dir)) {
		tap_bail("set-up: %s", vfn_eal_last_error());
		return 1;
	}
	if (!TAP_EQ(fwd_ports_init() || fwd_lcores_init() ||
		    fwd_ports_setup(), 0, "two net_null ports, one lcore"))
		return tap_done();

	/* Before the streams exist. */
	params(&p, 0, FWD_CAPTURE_BOTH, "nostream.pcap", 0);
	TAP_EQ(fwd_capture_start(&p, err, sizeof(err)), -ENOENT,
	       "not deferred, no stream yet: -ENOENT (%s)", err);
	TAP_CHECK(access(p.file, F_OK) != 0, "and no file left behind");
	params(&p, 7, FWD_CAPTURE_BOTH, "noport.pcap", 1);
	TAP_EQ(fwd_capture_start(&p, err, sizeof(err)), -ENODEV,
	       "deferred on port 7 (no such port): -ENODEV (%s)", err);
	params(&rx, 0, FWD_CAPTURE_RX, "rx0.pcap", 1);
	rx.ring_size = 4096;
	TAP_EQ(fwd_capture_start(&rx, err, sizeof(err)), 0,
	       "deferred rx capture of port 0 before the streams exist");
	params(&p, 0, FWD_CAPTURE_RX, "other.pcap", 0);
	TAP_EQ(stop_and_read(0, p.file, &pr), 0,
	       "stop of port 0 to a file it does not write: none stopped");
	TAP_EQ(stop_and_read(1, NULL, &pr), 0, "stop of port 1: none stopped");

	/* Run 1: the deferred capture attaches with the streams. */
	if (!TAP_EQ(fwd_streams_init(), 0, "streams built") ||
	    !TAP_EQ(fwd_capture_attach(err, sizeof(err)), 0,
		    "fwd_capture_attach() after the streams were built"))
		goto out;
	rx0 = ipackets(0);
	if (!TAP_EQ(launch(), 0, "lcore launched"))
		goto out;
	sleep_ms(50);
	cycles_while_forwarding();
	halt();
	check_rx("after run 1", ipackets(0) - rx0);

	/* Streams rebuilt, as the prompt's next start does; run 2. */
	fwd_capture_detach();
	vfn_free(fwd_streams);
	fwd_streams = NULL;
	if (!TAP_EQ(fwd_streams_init(), 0, "streams rebuilt") ||
	    !TAP_EQ(fwd_capture_attach(err, sizeof(err)), 0,
		    "capture attached to the rebuilt streams"))
		goto out;
	if (!TAP_EQ(launch(), 0, "lcore launched again"))
		goto out;
	sleep_ms(100);
	halt();
	check_rx("after run 2", ipackets(0) - rx0);
	TAP_EQ(stop_and_read(0, rx.file, &pr), 1, "stop port 0 by its file");
	n = frames(rx.file);
	TAP_CHECK(n >= 0 && (uint64_t)n == pr.captured && pr.captured > 0 &&
		  pr.captured + pr.filtered + pr.dropped == ipackets(0) - rx0,
		  "rx0.pcap: %ld frames == captured %" PRIu64 ", and captured + "
		  "dropped == port 0 ipackets over both runs", n, pr.captured);
	unlink(rx.file);
out:
	halt();
	fwd_capture_stop_all(NULL);
	fwd_ports_close();
	TAP_EQ(vfn_mempool_in_use_count(fwd_pool), 0,
	       "every mbuf of the forwarding pool returned");
	fwd_streams_free();
	rmdir(dir);
	vfn_eal_cleanup();
	return tap_done();
}
