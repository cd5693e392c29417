/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd's telemetry command "/vfnet/fwd": the forwarding mode and, per
 * forwarding lcore, its packet counts and rates (the average since start,
 * and the rate since the previous /vfnet/fwd query).  It reads the
 * streams' counters (relaxed loads of single-writer counters, as the
 * statistics do) on the telemetry thread; the lock only orders it against
 * fwd_telemetry_stop(), called before the streams are freed.
 */
#include <pthread.h>
#include <stdio.h>

#include "vfn_cycles.h"
#include "vfn_telemetry.h"
#include "fwd.h"

struct lcore_snap {
	uint64_t rx, tx, dropped;
};

static pthread_mutex_t tel_lock = PTHREAD_MUTEX_INITIALIZER;
static int tel_active;
static uint64_t start_tsc, prev_tsc;
static struct lcore_snap prev[VFN_MAX_LCORE];

static void snap(const struct fwd_lcore *lc, struct lcore_snap *c)
{
	c->rx = c->tx = c->dropped = 0;
	for (unsigned int s = lc->first_stream;
	     s < lc->first_stream + lc->nb_streams; s++) {
		c->rx += fwd_read(&fwd_streams[s].rx_packets);
		c->tx += fwd_read(&fwd_streams[s].tx_packets);
		c->dropped += fwd_read(&fwd_streams[s].fwd_dropped);
	}
}

static double per_sec(uint64_t n, uint64_t cycles)
{
	return cycles ? (double)n * (double)vfn_get_tsc_hz() / (double)cycles : 0;
}

/* One lcore's dict; NULL on ENOMEM. */
static struct vfn_tel_data *lcore_dict(const struct fwd_lcore *lc,
				       const struct lcore_snap *now,
				       const struct lcore_snap *before,
				       uint64_t since_start, uint64_t since_prev)
{
	struct vfn_tel_data *l = vfn_tel_data_alloc();

	if (!l)
		return NULL;
	vfn_tel_data_start_dict(l);
	vfn_tel_data_add_dict_int(l, "streams", lc->nb_streams);
	vfn_tel_data_add_dict_u64(l, "rx_packets", now->rx);
	vfn_tel_data_add_dict_u64(l, "tx_packets", now->tx);
	vfn_tel_data_add_dict_u64(l, "fwd_dropped", now->dropped);
	vfn_tel_data_add_dict_u64(l, "rx_pps_avg",
				  (uint64_t)per_sec(now->rx, since_start));
	vfn_tel_data_add_dict_u64(l, "tx_pps_avg",
				  (uint64_t)per_sec(now->tx, since_start));
	vfn_tel_data_add_dict_u64(l, "rx_pps",
		(uint64_t)per_sec(now->rx - before->rx, since_prev));
	vfn_tel_data_add_dict_u64(l, "tx_pps",
		(uint64_t)per_sec(now->tx - before->tx, since_prev));
	return l;
}

static int cmd_fwd(const char *cmd, const char *params,
		   struct vfn_tel_data *d)
{
	uint64_t now_tsc;
	int ret = -1;

	(void)cmd;
	(void)params;
	pthread_mutex_lock(&tel_lock);
	if (!tel_active)
		goto out;
	now_tsc = vfn_rdtsc();
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_string(d, "mode", fwd_cfg.engine->name);
	vfn_tel_data_add_dict_u64(d, "elapsed_ms",
		(now_tsc - start_tsc) * 1000 / vfn_get_tsc_hz());
	vfn_tel_data_add_dict_u64(d, "interval_ms",
		(now_tsc - prev_tsc) * 1000 / vfn_get_tsc_hz());
	for (unsigned int i = 0; i < fwd_nb_lcores; i++) {
		const struct fwd_lcore *lc = &fwd_lcores[i];
		struct lcore_snap now;
		struct vfn_tel_data *l;
		char name[24];

		snap(lc, &now);
		l = lcore_dict(lc, &now, &prev[lc->lcore_id],
			       now_tsc - start_tsc, now_tsc - prev_tsc);
		prev[lc->lcore_id] = now;
		snprintf(name, sizeof(name), "lcore_%u", lc->lcore_id);
		if (l && vfn_tel_data_add_dict_container(d, name, l, 0))
			vfn_tel_data_free(l);
	}
	prev_tsc = now_tsc;
	ret = 0;
out:
	pthread_mutex_unlock(&tel_lock);
	return ret;
}

void fwd_telemetry_start(void)
{
	pthread_mutex_lock(&tel_lock);
	start_tsc = prev_tsc = vfn_rdtsc();
	for (unsigned int i = 0; i < VFN_MAX_LCORE; i++)
		prev[i].rx = prev[i].tx = prev[i].dropped = 0;
	tel_active = 1;
	pthread_mutex_unlock(&tel_lock);
}

void fwd_telemetry_stop(void)
{
	pthread_mutex_lock(&tel_lock);
	tel_active = 0;
	pthread_mutex_unlock(&tel_lock);
}

__attribute__((constructor)) static void fwd_telemetry_register(void)
{
	vfn_telemetry_register_cmd("/vfnet/fwd", cmd_fwd,
		"Returns fwd's mode and per-lcore packet counts and rates. Takes no parameters");
}
