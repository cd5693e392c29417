/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd: a testpmd-style forwarder.  Each forwarding lcore polls a list of
 * streams; a stream is (rx port, rx queue) -> (tx port, tx queue), and a
 * forwarding engine (io, mac, macswap, rxonly, txonly, flowgen) moves one
 * burst on it per call.  The main lcore prints statistics and decides
 * when to stop (duration, packet budget, SIGINT/SIGTERM).
 */
#ifndef FWD_H
#define FWD_H

#include <signal.h>
#include <stdint.h>

#include "vfn_common.h"
#include "vfn_ether.h"
#include "vfn_ethdev.h"
#include "capture.h"

struct vfn_mbuf;
struct vfn_mempool;

#define FWD_MAX_BURST 512      /* as testpmd's MAX_PKT_BURST */
#define FWD_MAX_SEGS 8         /* --txpkts segments */
#define FWD_DEFAULT_BURST 32
#define FWD_DEFAULT_PKT_LEN 64 /* testpmd's default --txpkts */

enum fwd_topology { FWD_TOPO_PAIRED, FWD_TOPO_CHAINED, FWD_TOPO_LOOP };

struct fwd_stream;

/* A forwarding engine: fwd() moves one burst, returns the packets it
 * counts toward --nb-pkts (received, or generated for tx engines). */
struct fwd_engine {
	const char *name;
	uint16_t (*fwd)(struct fwd_stream *fs, uint16_t burst);
	/* Optional per-stream preparation (templates); 0 or -errno. */
	int (*stream_init)(struct fwd_stream *fs);
	int generates; /* allocates its own packets (txonly, flowgen) */
};

/* Configuration from the command line (args.c). */
struct fwd_config {
	const struct fwd_engine *engine;
	uint16_t burst;
	uint16_t txpkts[FWD_MAX_SEGS];
	uint16_t nb_txsegs;
	uint32_t tx_pkt_len;        /* sum of txpkts */
	unsigned int nb_cores;      /* 0: every forwarding lcore */
	uint16_t nb_rxq, nb_txq;
	uint16_t nb_rxd, nb_txd;    /* 0: the driver's default */
	uint64_t portmask;          /* 0: every port */
	uint64_t coremask_lo, coremask_hi; /* 0: every worker lcore */
	double stats_period;        /* seconds, 0: only at exit */
	double duration;            /* seconds, 0: until a signal */
	uint64_t nb_pkts;           /* packet budget, 0: none */
	unsigned int total_num_mbufs; /* 0: computed */
	uint16_t mbuf_data_size;    /* data room incl. headroom */
	unsigned int mbcache;
	int tx_first;
	int interactive;            /* -i: testpmd's prompt (prompt.c) */
	int auto_start;             /* -a/--auto-start: -i starts forwarding */
	int no_mlockall;            /* --no-mlockall: skip mlockall() */
	int no_lsc_interrupt;       /* --no-lsc-interrupt: no LSC events */
	uint64_t rss_hf;            /* --rss-ip/--rss-udp; 0: VFN_ETH_RSS_IP */
	int disable_rss;            /* --disable-rss */
	uint32_t max_pkt_len;       /* --max-pkt-len; 0: the port's MTU */
	uint16_t nb_ports;          /* --nb-ports; 0: every selected port */
	int txonly_multi_flow;      /* --txonly-multi-flow */
	int rx_intr;                /* --rx-intr: sleep on idle rx queues */
	enum fwd_topology topology;
	unsigned int flowgen_flows;
	int peer_set[VFN_MAX_ETHPORTS];
	struct vfn_ether_addr peer[VFN_MAX_ETHPORTS];
	/* --capture: settings before the first one are every capture's */
	struct fwd_capture_params capture_defaults;
	struct fwd_capture_params captures[FWD_CAPTURE_MAX];
	unsigned int nb_captures;
};

/* One stream.  Counters are written by its lcore only (relaxed stores)
 * and read by the main lcore. */
struct fwd_stream {
	uint16_t rx_port, rx_queue, tx_port, tx_queue;
	struct vfn_mempool *pool;          /* tx engines allocate from it */
	/* Capture taps (capture.c sets them), NULL when not captured. */
	struct fwd_capture_tap *cap_rx, *cap_tx;
	struct vfn_ether_addr eth_src;     /* tx port's MAC */
	struct vfn_ether_addr eth_dst;     /* --eth-peer of the tx port */
	uint32_t flow;                     /* flowgen: next flow */
	uint8_t hdr[64];                   /* tx engines: header template */
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t fwd_dropped;
	uint64_t bad_ip_csum;              /* csum: wrong IPv4 header checksums */
	uint64_t bad_l4_csum;              /* csum: wrong TCP/UDP checksums */
} __vfn_cache_aligned;

/* A forwarding lcore and its streams. */
struct fwd_lcore {
	unsigned int lcore_id;
	unsigned int first_stream, nb_streams;
	uint64_t budget;        /* packets to count before stopping; 0: none */
	uint64_t counted;
	int finished;           /* set (release) when the lcore's loop ends */
	uint64_t sleeps;        /* --rx-intr: times it slept */
	uint64_t intr_wakeups;  /* --rx-intr: of which an interrupt woke it */
} __vfn_cache_aligned;

/* Global state (main.c). */
extern struct fwd_config fwd_cfg;
extern struct fwd_stream *fwd_streams;
extern unsigned int fwd_nb_streams;
extern struct fwd_lcore *fwd_lcores;
extern unsigned int fwd_nb_lcores;       /* forwarding in this run */
extern unsigned int fwd_nb_lcores_avail; /* selected worker lcores */
extern uint16_t fwd_ports[VFN_MAX_ETHPORTS];
extern unsigned int fwd_nb_ports;
extern struct vfn_mempool *fwd_pool;
extern volatile int fwd_stop;           /* workers poll it */
extern volatile sig_atomic_t fwd_signal;

/* Single-writer counter update (the lcore owning the stream). */
static inline void fwd_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

static inline uint64_t fwd_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/*
 * Receive and send a burst on a stream: the port's burst functions, and
 * the packets copied to the capture when one is attached.  Without a
 * capture this costs one load (the stream's first cache line, read
 * anyway) and one branch predicted not taken.  The acquire load pairs
 * with the release store that publishes a tap (plain loads on x86).
 * FWD_NO_CAPTURE_HOOK (bench/fwd_capture's fwd_nocap only) compiles the
 * check out, to measure that cost; such a build refuses every capture.
 */
static inline uint16_t fwd_rx_burst(struct fwd_stream *fs,
				    struct vfn_mbuf **pkts, uint16_t n)
{
	uint16_t nb = vfn_eth_rx_burst(fs->rx_port, fs->rx_queue, pkts, n);
#ifndef FWD_NO_CAPTURE_HOOK
	struct fwd_capture_tap *t = __atomic_load_n(&fs->cap_rx,
						    __ATOMIC_ACQUIRE);

	if (unlikely(t != NULL && nb != 0))
		fwd_capture_rx(t, pkts, nb);
#endif
	return nb;
}

static inline uint16_t fwd_tx_burst(struct fwd_stream *fs,
				    struct vfn_mbuf **pkts, uint16_t n)
{
#ifndef FWD_NO_CAPTURE_HOOK
	struct fwd_capture_tap *t = __atomic_load_n(&fs->cap_tx,
						    __ATOMIC_ACQUIRE);

	if (unlikely(t != NULL))
		return fwd_capture_tx_burst(t, fs, pkts, n);
#endif
	return vfn_eth_tx_burst(fs->tx_port, fs->tx_queue, pkts, n);
}

/* args.c */
int fwd_parse_args(int argc, char **argv, struct fwd_config *cfg);
/* --txpkts / `set txpkts`: segment lengths into @p cfg; 0 or -EINVAL */
int fwd_parse_txpkts(const char *s, struct fwd_config *cfg);
void fwd_usage(const char *prog);

/* engines */
extern const struct fwd_engine fwd_engine_io;
extern const struct fwd_engine fwd_engine_mac;
extern const struct fwd_engine fwd_engine_macswap;
extern const struct fwd_engine fwd_engine_rxonly;
extern const struct fwd_engine fwd_engine_txonly;
extern const struct fwd_engine fwd_engine_flowgen;
extern const struct fwd_engine fwd_engine_csum;
extern const struct fwd_engine fwd_engine_5tswap;
extern const struct fwd_engine fwd_engine_icmpecho;
const struct fwd_engine *fwd_engine_find(const char *name);
const struct fwd_engine *fwd_engine_at(unsigned int i);

/* Free the packets a tx burst did not take; count them as dropped. */
void fwd_drop(struct fwd_stream *fs, struct vfn_mbuf **pkts, uint16_t nb_tx,
	      uint16_t nb);

/* pkt.c: Ethernet/IPv4/UDP headers for the tx engines. */
#define FWD_HDR_LEN 42 /* 14 + 20 + 8 */
void fwd_pkt_template(struct fwd_stream *fs, uint32_t pkt_len);
void fwd_pkt_set_flow(uint8_t *hdr, uint32_t flow);
/* txonly --txonly-multi-flow: source address 198.18.0.1 + @flow. */
void fwd_pkt_set_src_flow(uint8_t *hdr, uint32_t flow);
struct vfn_mbuf *fwd_pkt_build(struct fwd_stream *fs, struct vfn_mbuf **segs);

/*
 * ports.c: select the ports, then (after the lcores) set them up.  The
 * ports set up are the forwarding ports, or with -i every port (as
 * testpmd); fwd_ports[] is then reselected from --portmask at each start.
 */
int fwd_ports_init(void);
int fwd_ports_setup(void);
int fwd_ports_select(void);
void fwd_ports_close(void);
int fwd_port_is_setup(uint16_t p);
int fwd_port_is_started(uint16_t p);
int fwd_port_start(uint16_t p);
int fwd_port_stop(uint16_t p);
int fwd_ports_all_started(void);
int fwd_ports_all_stopped(void);
void fwd_ports_need_reconfig(void);

/* streams.c: lcores first (fwd_lcores_init), then streams */
int fwd_lcores_init(void);
int fwd_streams_init(void);
int fwd_tx_first(unsigned int bursts);
void fwd_streams_print(void);
void fwd_streams_release(void);
void fwd_streams_free(void);
int fwd_lcore_main(void *arg);
/* --rx-intr: one "fwd-rx-intr:" line per lcore (after the lcores ended) */
void fwd_rx_intr_report(void);

/* telemetry.c: the /vfnet/fwd command reads the streams between these */
void fwd_telemetry_start(void);
void fwd_telemetry_stop(void);

/* forward.c: start and stop forwarding, as often as asked */
int fwd_streams_build(void);
int fwd_forward_start(unsigned int tx_first_bursts);
int fwd_forward_stop(void);
int fwd_forwarding(void);
int fwd_forward_finished(void);

/* stats.c: testpmd's blocks (see the file's header) and fwd's extras */
void fwd_stats_start(void);
void fwd_stats_period(void);
int fwd_stats_final(double elapsed);
void fwd_stats_nic_display(uint16_t p);
int fwd_stats_nic_clear(uint16_t p);
void fwd_stats_fwd_display(void);

/* prompt.c: the interactive mode; returns when the user quits */
int fwd_prompt_run(void);

/* cmd_fwd.c: testpmd's `show config fwd` (also printed by `start`) */
void fwd_show_config_fwd(void);

#endif /* FWD_H */
