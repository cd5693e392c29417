/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linked into DPDK's basicfwd after tools/dpdk-to-vfnet converted it (the
 * example itself is not touched: it forwards forever and prints no
 * counts).  A constructor starts a thread that waits for the two ports to
 * be started, samples their counters twice 300 ms apart, prints them, and
 * ends the process: status 0 when both directions forwarded (each port's
 * tx grew, by no more than the other port's rx), 1 otherwise or after 30 s
 * without two started ports.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <vfn_eal.h>
#include <vfn_ethdev.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int ports_running(void)
{
	return vfn_eal_is_initialized() && vfn_eth_dev_count_avail() == 2 &&
	       vfn_eth_dev_is_started(0) == 1 && vfn_eth_dev_is_started(1) == 1;
}

/*
 * Frames leave port @tx only after they arrived on port @rx, so its tx
 * count can never pass the other's rx count.  Sampled while basicfwd
 * runs, the tx side is read first: read the other way round, a burst
 * forwarded between the two reads showed as 32 frames too many (seen
 * under ASan in CI).
 */
static int tx_within_rx(int tx, int rx)
{
	struct vfn_eth_stats st, sr;

	vfn_eth_stats_get(tx, &st);
	vfn_eth_stats_get(rx, &sr);
	return st.opackets <= sr.ipackets;
}

static void *watch(void *arg)
{
	struct vfn_eth_stats s0[2], s1[2];
	int i, ok = 1;

	(void)arg;
	for (i = 0; i < 3000 && !ports_running(); i++)
		sleep_ms(10);
	if (!ports_running()) {
		fprintf(stderr, "basicfwd_watch: two started ports never appeared\n");
		_exit(1);
	}
	sleep_ms(100);
	for (i = 0; i < 2; i++)
		vfn_eth_stats_get(i, &s0[i]);
	sleep_ms(300);
	for (i = 0; i < 2; i++)
		vfn_eth_stats_get(i, &s1[i]);
	for (i = 0; i < 2; i++) {
		uint64_t rx = s1[i].ipackets - s0[i].ipackets;
		uint64_t tx_other = s1[!i].opackets - s0[!i].opackets;

		printf("basicfwd_watch: port %d rx %" PRIu64 " in 300 ms, "
		       "port %d tx %" PRIu64 "\n", i, rx, !i, tx_other);
		if (!rx || !tx_other || !tx_within_rx(!i, i))
			ok = 0;
	}
	fflush(stdout);
	_exit(ok ? 0 : 1);
	return NULL;
}

__attribute__((constructor)) static void watch_start(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, watch, NULL) == 0)
		pthread_detach(t);
}
