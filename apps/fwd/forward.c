/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start and stop forwarding, as often as the prompt asks (testpmd's
 * start_packet_forwarding / stop_packet_forwarding).  A start rebuilds
 * the streams from the current configuration (mode, burst, ports, cores),
 * takes the port counters as the base of the forward statistics, sends
 * the tx_first bursts and launches the forwarding lcores; a stop waits for
 * them, so that every stream counter is final before it is read, and
 * leaves the streams in place for the statistics until the next start.
 * Packets in flight stay in the ports' queues: they are freed when the
 * ports close, and the mbuf count at exit sees any that leak.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vfn_eal.h"
#include "fwd.h"

static int forwarding;

int fwd_forwarding(void)
{
	return forwarding;
}

int fwd_forward_finished(void)
{
	unsigned int i;

	for (i = 0; i < fwd_nb_lcores; i++)
		if (!__atomic_load_n(&fwd_lcores[i].finished, __ATOMIC_ACQUIRE))
			return 0;
	return 1;
}

static int launch(void)
{
	unsigned int i;
	int ret, err = 0;

	for (i = 0; i < fwd_nb_lcores; i++) {
		ret = vfn_eal_remote_launch(fwd_lcore_main, &fwd_lcores[i],
					    fwd_lcores[i].lcore_id);
		if (ret) {
			fprintf(stderr, "fwd: cannot launch lcore %u: %s\n",
				fwd_lcores[i].lcore_id, strerror(-ret));
			fwd_lcores[i].finished = 1;
			err = ret;
		}
	}
	return err;
}

/*
 * (Re)build the streams from the current configuration, moving the
 * running captures over to them.  No lcore may be forwarding.
 */
int fwd_streams_build(void)
{
	char err[512];
	int ret;

	fwd_capture_detach();
	ret = fwd_streams_init();
	if (ret)
		return ret;
	ret = fwd_capture_attach(err, sizeof(err));
	if (ret)
		fprintf(stderr, "fwd: capture: %s\n", err);
	return ret;
}

/*
 * The --capture options, at the first start.  Without -i they must match
 * a stream now; with -i they are deferred, as the prompt's `capture
 * start`: they follow the streams over every later start.
 */
static int start_option_captures(void)
{
	static int started;
	char err[512];
	unsigned int i;

	if (started)
		return 0;
	started = 1;
	for (i = 0; i < fwd_cfg.nb_captures; i++) {
		struct fwd_capture_params p = fwd_cfg.captures[i];

		p.deferred = fwd_cfg.interactive;
		if (fwd_capture_start(&p, err, sizeof(err))) {
			fprintf(stderr, "fwd: --capture=%u=%s: %s\n", p.port,
				p.file, err);
			return -EINVAL;
		}
		printf("fwd: capturing port %u to %s\n", p.port, p.file);
	}
	return 0;
}

/*
 * Build the streams and launch the forwarding lcores.  0 when forwarding
 * runs, -errno (after a message) when it does not.
 */
int fwd_forward_start(unsigned int tx_first_bursts)
{
	int ret;

	if (forwarding) {
		fprintf(stderr, "Packet forwarding already started\n");
		return -EALREADY;
	}
	if (fwd_cfg.interactive) {
		ret = fwd_ports_select();
		if (ret)
			return ret;
	}
	ret = fwd_streams_build();
	if (!ret)
		ret = start_option_captures();
	if (ret)
		return ret;
	if (fwd_cfg.interactive)
		fwd_show_config_fwd();
	else
		fwd_streams_print();
	/* Counters start here, so tx_first packets are counted. */
	fwd_stats_start();
	fwd_telemetry_start();
	if (tx_first_bursts) {
		ret = fwd_tx_first(tx_first_bursts);
		if (ret) {
			fwd_telemetry_stop();
			return ret;
		}
	}
	__atomic_store_n(&fwd_stop, 0, __ATOMIC_RELAXED);
	forwarding = 1;
	return launch();
}

/* Tell the lcores to stop and wait for them.  0, or -errno of an lcore. */
int fwd_forward_stop(void)
{
	unsigned int i;
	int ret, err = 0;

	if (!forwarding) {
		fprintf(stderr, "Packet forwarding not started\n");
		return -EALREADY;
	}
	__atomic_store_n(&fwd_stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < fwd_nb_lcores; i++) {
		ret = vfn_eal_wait_lcore(fwd_lcores[i].lcore_id);
		if (ret)
			err = ret;
	}
	forwarding = 0;
	fwd_telemetry_stop();
	return err;
}
