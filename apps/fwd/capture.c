/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture, control side: start and stop captures, attach their taps to
 * the streams, run the capture thread, report the counters (final output
 * and the /vfnet/capture telemetry command).
 *
 * Locking: one mutex (cap_lock) guards the list of captures and
 * everything the capture thread touches (rings' consumer side, files).
 * The data path never takes it: it sees a capture only through a
 * stream's tap pointer (published with a release store) and the tap's
 * busy/active handshake (capture.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_ring.h"
#include "vfn_telemetry.h"
#include "fwd.h"
#include "capture_internal.h"

static pthread_mutex_t cap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fwd_capture *captures;
static struct fwd_capture_tap *retired;  /* freed when no lcore runs */
static unsigned int next_id;
static pthread_t cap_thread;
static int thread_running;
static int thread_quit;

void fwd_capture_params_init(struct fwd_capture_params *p)
{
	memset(p, 0, sizeof(*p));
	p->queue = FWD_CAPTURE_ALL_QUEUES;
	p->dir = FWD_CAPTURE_BOTH;
	p->snaplen = FWD_CAPTURE_SNAPLEN_MAX;
	p->ring_size = FWD_CAPTURE_RING_DEFAULT;
}

int fwd_capture_parse_dir(const char *s, unsigned int *dir)
{
	if (!strcmp(s, "rx"))
		*dir = FWD_CAPTURE_RX;
	else if (!strcmp(s, "tx"))
		*dir = FWD_CAPTURE_TX;
	else if (!strcmp(s, "both") || !strcmp(s, "rxtx"))
		*dir = FWD_CAPTURE_BOTH;
	else
		return -EINVAL;
	return 0;
}

static int parse_num(const char *s, size_t len, unsigned long max,
		     unsigned long *out)
{
	char buf[16], *end;

	if (!len || len >= sizeof(buf) || *s == '-' || *s == '+')
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoul(buf, &end, 10);
	return *end || errno || *out > max ? -EINVAL : 0;
}

int fwd_capture_parse(const char *arg, struct fwd_capture_params *p)
{
	const char *eq = strchr(arg, '='), *colon;
	unsigned long port, queue = FWD_CAPTURE_ALL_QUEUES;

	if (!eq || !eq[1])
		goto bad;
	colon = memchr(arg, ':', (size_t)(eq - arg));
	if (parse_num(arg, (size_t)((colon ? colon : eq) - arg),
		      VFN_MAX_ETHPORTS - 1, &port))
		goto bad;
	if (colon && parse_num(colon + 1, (size_t)(eq - colon - 1),
			       VFN_MAX_QUEUES_PER_PORT - 1, &queue))
		goto bad;
	if (strlen(eq + 1) >= sizeof(p->file)) {
		fprintf(stderr, "fwd: --capture=%s: file name too long\n", arg);
		return -EINVAL;
	}
	p->port = (uint16_t)port;
	p->queue = (uint16_t)queue;
	snprintf(p->file, sizeof(p->file), "%s", eq + 1);
	return 0;
bad:
	fprintf(stderr, "fwd: --capture=%s: expected PORT[:QUEUE]=FILE, e.g. "
		"--capture=0=rx0.pcap or --capture=1:0=q0.pcap\n", arg);
	return -EINVAL;
}

static void queue_name(uint16_t q, char *buf, size_t len)
{
	if (q == FWD_CAPTURE_ALL_QUEUES)
		snprintf(buf, len, "all");
	else
		snprintf(buf, len, "%u", q);
}

static const char *dir_name(unsigned int dir)
{
	return dir == FWD_CAPTURE_RX ? "rx" : dir == FWD_CAPTURE_TX ? "tx" :
									  "both";
}

/* Does capture @c want stream @fs in direction @dir? */
static int wants(const struct fwd_capture_params *p,
		 const struct fwd_stream *fs, unsigned int dir)
{
	uint16_t port = dir == FWD_CAPTURE_RX ? fs->rx_port : fs->tx_port;
	uint16_t q = dir == FWD_CAPTURE_RX ? fs->rx_queue : fs->tx_queue;

	return (p->dir & dir) && port == p->port &&
	       (p->queue == FWD_CAPTURE_ALL_QUEUES || p->queue == q);
}

static struct fwd_capture_tap **slot(struct fwd_stream *fs, unsigned int dir)
{
	return dir == FWD_CAPTURE_RX ? &fs->cap_rx : &fs->cap_tx;
}

/* Create @c's tap on @fs/@dir and publish it.  Under cap_lock. */
static int tap_attach(struct fwd_capture *c, struct fwd_stream *fs,
		      unsigned int dir, unsigned int n, char *err,
		      size_t errlen)
{
	struct fwd_capture_tap *t;
	char name[VFN_RING_NAMESIZE];

	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "out of memory for a capture tap");
		return -ENOMEM;
	}
	snprintf(name, sizeof(name), "fwdcap%u_%u", c->id, n);
	t->ring = vfn_ring_create(name, c->p.ring_size, VFN_SOCKET_ID_ANY,
				  VFN_RING_F_SP_ENQ | VFN_RING_F_SC_DEQ |
				  VFN_RING_F_EXACT_SZ);
	if (!t->ring) {
		snprintf(err, errlen, "cannot create the capture ring %s of %u "
			 "entries: %s", name, c->p.ring_size, strerror(errno));
		free(t);
		return -ENOMEM;
	}
	t->pool = c->pool;
	t->snaplen = c->p.snaplen;
	t->dir = dir;
	t->fs = fs;
	t->active = 1;
	t->next = c->taps;
	c->taps = t;
	/* Pairs with the acquire load in fwd_rx_burst()/fwd_tx_burst(). */
	__atomic_store_n(slot(fs, dir), t, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Take every tap of @c off its stream and wait until no lcore is inside
 * it (capture.h: Dekker's handshake); then the rings can be drained and
 * freed.  The tap structs go to the retired list.  Under cap_lock.
 */
static void taps_quiesce(struct fwd_capture *c)
{
	struct fwd_capture_tap *t;

	for (t = c->taps; t; t = t->next) {
		__atomic_store_n(&t->active, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(slot(t->fs, t->dir), NULL, __ATOMIC_RELEASE);
	}
	for (t = c->taps; t; t = t->next)
		while (__atomic_load_n(&t->busy, __ATOMIC_SEQ_CST))
			vfn_pause();
}

/* Drain, count and free the quiesced taps of @c.  Under cap_lock. */
static void taps_release(struct fwd_capture *c)
{
	struct fwd_capture_tap *t, *next;

	while (fwd_capture_writer_drain(c))
		;
	for (t = c->taps; t; t = next) {
		next = t->next;
		c->old_copied += fwd_read(&t->copied);
		c->old_dropped += fwd_read(&t->dropped);
		vfn_ring_free(t->ring);
		t->ring = NULL;
		t->next = retired;
		retired = t;
	}
	c->taps = NULL;
}

static void free_retired(void)
{
	struct fwd_capture_tap *t;

	while ((t = retired) != NULL) {
		retired = t->next;
		free(t);
	}
}

/* Attach @c to every stream it wants.  Under cap_lock. */
static int capture_attach(struct fwd_capture *c, char *err, size_t errlen)
{
	static const unsigned int dirs[] = { FWD_CAPTURE_RX, FWD_CAPTURE_TX };
	unsigned int s, d, n = 0;
	int ret;

	for (s = 0; s < fwd_nb_streams; s++) {
		for (d = 0; d < 2; d++) {
			struct fwd_stream *fs = &fwd_streams[s];

			if (!wants(&c->p, fs, dirs[d]))
				continue;
			if (*slot(fs, dirs[d])) {
				snprintf(err, errlen, "port %u %s queue %u is "
					 "already captured by another capture",
					 c->p.port, dir_name(dirs[d]),
					 dirs[d] == FWD_CAPTURE_RX ?
					 fs->rx_queue : fs->tx_queue);
				return -EBUSY;
			}
			ret = tap_attach(c, fs, dirs[d], n++, err, errlen);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static void capture_free(struct fwd_capture *c)
{
	taps_quiesce(c);
	taps_release(c);
	fwd_capture_writer_close(c);
	vfn_mempool_free(c->pool);
	free(c);
}

/* The capture thread: drain every capture; sleep 1 ms when all are empty. */
static void *capture_main(void *arg)
{
	const struct timespec idle = { 0, 1000000 };
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are main's */
	for (;;) {
		struct fwd_capture *c;
		unsigned int n = 0;

		pthread_mutex_lock(&cap_lock);
		if (thread_quit) {
			pthread_mutex_unlock(&cap_lock);
			break;
		}
		for (c = captures; c; c = c->next)
			n += fwd_capture_writer_drain(c);
		if (!n)
			for (c = captures; c; c = c->next)
				fwd_capture_writer_flush(c);
		pthread_mutex_unlock(&cap_lock);
		if (!n)
			nanosleep(&idle, NULL);
	}
	return NULL;
}

static int thread_start(char *err, size_t errlen)
{
	int ret;

	if (thread_running)
		return 0;
	thread_quit = 0;
	ret = pthread_create(&cap_thread, NULL, capture_main, NULL);
	if (ret) {
		snprintf(err, errlen, "cannot start the capture thread: %s",
			 strerror(ret));
		return -ret;
	}
	pthread_setname_np(cap_thread, "fwd-capture");
	thread_running = 1;
	return 0;
}

static int conflicts(const struct fwd_capture_params *p, char *err,
		     size_t errlen)
{
	const struct fwd_capture *c;

	for (c = captures; c; c = c->next) {
		if (!strcmp(c->p.file, p->file)) {
			snprintf(err, errlen, "%s is already written by the "
				 "capture of port %u", p->file, c->p.port);
			return -EBUSY;
		}
	}
	return 0;
}

static int port_forwarded(uint16_t port)
{
	unsigned int i;

	for (i = 0; i < fwd_nb_ports; i++)
		if (fwd_ports[i] == port)
			return 1;
	return 0;
}

static int check_params(const struct fwd_capture_params *p, char *err,
			size_t errlen)
{
	if (p->deferred && !vfn_eth_dev_is_valid_port(p->port)) {
		snprintf(err, errlen, "port %u does not exist (%u ports)",
			 p->port, vfn_eth_dev_count_avail());
		return -ENODEV;
	}
	if (!p->deferred && !port_forwarded(p->port)) {
		snprintf(err, errlen, "port %u is not forwarded (see the "
			 "streams fwd printed, --portmask, --nb-ports)", p->port);
		return -ENODEV;
	}
	if (p->snaplen < 1 || p->snaplen > FWD_CAPTURE_SNAPLEN_MAX ||
	    p->ring_size < 1) {
		snprintf(err, errlen, "snap length %u (1..%u) or ring size %u "
			 "out of range", p->snaplen, FWD_CAPTURE_SNAPLEN_MAX,
			 p->ring_size);
		return -EINVAL;
	}
	if (!strcmp(p->file, "-") || !p->file[0]) {
		snprintf(err, errlen, "capture to a file, not to \"%s\" (fwd "
			 "prints its statistics on standard output)", p->file);
		return -EINVAL;
	}
	return 0;
}

static struct fwd_capture *capture_new(const struct fwd_capture_params *p,
				       char *err, size_t errlen)
{
	struct fwd_capture *c = calloc(1, sizeof(*c));
	char name[32];
	unsigned int cache;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->p = *p;
	c->id = next_id++;
	snprintf(name, sizeof(name), "fwdcap%u", c->id);
	/* Per-lcore caches only when they are small beside the pool. */
	cache = p->ring_size >= 1024 ? 32 : 0;
	c->pool = vfn_pktmbuf_pool_create(name, p->ring_size, cache,
					  sizeof(struct fwd_capture_meta),
					  VFN_MBUF_DEFAULT_BUF_SIZE,
					  VFN_SOCKET_ID_ANY);
	if (!c->pool) {
		snprintf(err, errlen, "cannot create the capture pool of %u "
			 "mbufs: %s (lower --capture-ring, or give the EAL "
			 "more memory with -m)", p->ring_size, strerror(errno));
		free(c);
		return NULL;
	}
	return c;
}

int fwd_capture_start(const struct fwd_capture_params *p, char *err,
		      size_t errlen)
{
	struct fwd_capture *c, **pp;
	unsigned int n = 0;
	int ret;

#ifdef FWD_NO_CAPTURE_HOOK
	snprintf(err, errlen, "this fwd was built with FWD_NO_CAPTURE_HOOK "
		 "(bench/fwd_capture's fwd_nocap): its data path has no "
		 "capture; use fwd");
	return -ENOTSUP;
#endif
	ret = check_params(p, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_lock(&cap_lock);
	for (c = captures; c; c = c->next)
		n++;
	ret = n >= FWD_CAPTURE_MAX ? -ENOSPC : conflicts(p, err, errlen);
	if (ret == -ENOSPC)
		snprintf(err, errlen, "at most %d captures at once",
			 FWD_CAPTURE_MAX);
	if (ret)
		goto out;
	c = capture_new(p, err, errlen);
	if (!c) {
		ret = -ENOMEM;
		goto out;
	}
	ret = fwd_capture_writer_open(c, err, errlen);
	if (ret) {
		vfn_mempool_free(c->pool);
		free(c);
		goto out;
	}
	ret = capture_attach(c, err, errlen);
	if (!ret && !c->taps && !c->p.deferred) {
		snprintf(err, errlen, "no stream %s port %u%s", c->p.dir ==
			 FWD_CAPTURE_TX ? "sends on" : c->p.dir ==
			 FWD_CAPTURE_RX ? "receives on" : "uses",
			 c->p.port, c->p.queue == FWD_CAPTURE_ALL_QUEUES ? "" :
			 " at that queue");
		ret = -ENOENT;
	}
	if (!ret)
		ret = thread_start(err, errlen);
	if (ret) {
		capture_free(c);
		remove(p->file);
		goto out;
	}
	for (pp = &captures; *pp; pp = &(*pp)->next)
		;
	*pp = c;
out:
	pthread_mutex_unlock(&cap_lock);
	return ret;
}

/* Counters of @c.  Under cap_lock. */
static void capture_stats(const struct fwd_capture *c,
			  struct fwd_capture_stats *st)
{
	const struct fwd_capture_tap *t;
	uint64_t copied = c->old_copied;

	memset(st, 0, sizeof(*st));
	st->dropped = c->old_dropped;
	for (t = c->taps; t; t = t->next) {
		copied += fwd_read(&t->copied);
		st->dropped += fwd_read(&t->dropped);
	}
	st->captured = c->captured;
	st->filtered = c->filtered;
	st->bytes = c->bytes;
	st->pending = copied - st->captured - st->filtered;
}

static void print_stats(FILE *out, const struct fwd_capture *c)
{
	struct fwd_capture_stats st;
	char q[8];

	if (!out)
		return;
	capture_stats(c, &st);
	queue_name(c->p.queue, q, sizeof(q));
	fprintf(out, "fwd-capture: port=%u queue=%s dir=%s file=%s "
		"captured=%" PRIu64 " filtered=%" PRIu64 " dropped=%" PRIu64
		" bytes=%" PRIu64 "\n", c->p.port, q, dir_name(c->p.dir),
		c->p.file, st.captured, st.filtered, st.dropped, st.bytes);
}

int fwd_capture_stop(uint16_t port, uint16_t queue, const char *file,
		     FILE *out)
{
	struct fwd_capture **pp, *c;
	int n = 0;

	pthread_mutex_lock(&cap_lock);
	for (pp = &captures; (c = *pp) != NULL;) {
		if (c->p.port != port || (queue != FWD_CAPTURE_ALL_QUEUES &&
					  c->p.queue != queue) ||
		    (file && strcmp(c->p.file, file))) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		taps_quiesce(c);
		taps_release(c);
		print_stats(out, c);
		capture_free(c);
		n++;
	}
	pthread_mutex_unlock(&cap_lock);
	return n;
}

/* At exit, after the lcores were joined. */
void fwd_capture_stop_all(FILE *out)
{
	struct fwd_capture *c;

	pthread_mutex_lock(&cap_lock);
	while ((c = captures) != NULL) {
		captures = c->next;
		taps_quiesce(c);
		taps_release(c);
		print_stats(out, c);
		capture_free(c);
	}
	thread_quit = 1;
	free_retired();
	pthread_mutex_unlock(&cap_lock);
	if (thread_running) {
		pthread_join(cap_thread, NULL);
		thread_running = 0;
	}
}

int fwd_capture_stats_get(uint16_t port, uint16_t queue,
			  struct fwd_capture_stats *st)
{
	const struct fwd_capture *c;
	int ret = -ENOENT;

	pthread_mutex_lock(&cap_lock);
	for (c = captures; c; c = c->next) {
		if (c->p.port == port && c->p.queue == queue) {
			capture_stats(c, st);
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&cap_lock);
	return ret;
}

void fwd_capture_list(FILE *out)
{
	const struct fwd_capture *c;

	pthread_mutex_lock(&cap_lock);
	if (!captures)
		fprintf(out, "no capture running\n");
	for (c = captures; c; c = c->next)
		print_stats(out, c);
	pthread_mutex_unlock(&cap_lock);
}

void fwd_capture_detach(void)
{
	struct fwd_capture *c;

	pthread_mutex_lock(&cap_lock);
	for (c = captures; c; c = c->next) {
		taps_quiesce(c);
		taps_release(c);
	}
	free_retired();
	pthread_mutex_unlock(&cap_lock);
}

int fwd_capture_attach(char *err, size_t errlen)
{
	struct fwd_capture *c;
	int ret = 0;

	pthread_mutex_lock(&cap_lock);
	for (c = captures; c && !ret; c = c->next)
		ret = capture_attach(c, err, errlen);
	pthread_mutex_unlock(&cap_lock);
	return ret;
}

static const char *tail(const char *s)
{
	size_t len = strlen(s);

	return len < VFN_TEL_MAX_STRING_LEN ? s :
	       s + len - (VFN_TEL_MAX_STRING_LEN - 1);
}

/* /vfnet/capture: one dict per running capture. */
static struct vfn_tel_data *capture_dict(const struct fwd_capture *c)
{
	struct vfn_tel_data *d = vfn_tel_data_alloc();
	struct fwd_capture_stats st;
	char q[8];

	if (!d)
		return NULL;
	capture_stats(c, &st);
	queue_name(c->p.queue, q, sizeof(q));
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_int(d, "port", c->p.port);
	vfn_tel_data_add_dict_string(d, "queue", q);
	vfn_tel_data_add_dict_string(d, "direction", dir_name(c->p.dir));
	/* Telemetry strings are shorter than a path: keep the end of it. */
	vfn_tel_data_add_dict_string(d, "file", tail(c->p.file));
	vfn_tel_data_add_dict_string(d, "format", "pcap-ns");
	vfn_tel_data_add_dict_u64(d, "snaplen", c->p.snaplen);
	vfn_tel_data_add_dict_string(d, "filter", tail(c->p.filter));
	vfn_tel_data_add_dict_u64(d, "ring_size", c->p.ring_size);
	vfn_tel_data_add_dict_u64(d, "captured", st.captured);
	vfn_tel_data_add_dict_u64(d, "filtered", st.filtered);
	vfn_tel_data_add_dict_u64(d, "dropped", st.dropped);
	vfn_tel_data_add_dict_u64(d, "pending", st.pending);
	vfn_tel_data_add_dict_u64(d, "bytes", st.bytes);
	return d;
}

static int cmd_capture(const char *cmd, const char *params,
		       struct vfn_tel_data *d)
{
	const struct fwd_capture *c;

	(void)cmd;
	(void)params;
	vfn_tel_data_start_dict(d);
	pthread_mutex_lock(&cap_lock);
	for (c = captures; c; c = c->next) {
		struct vfn_tel_data *one = capture_dict(c);
		char name[24];

		snprintf(name, sizeof(name), "capture_%u", c->id);
		if (one && vfn_tel_data_add_dict_container(d, name, one, 0))
			vfn_tel_data_free(one);
	}
	pthread_mutex_unlock(&cap_lock);
	return 0;
}

__attribute__((constructor)) static void capture_telemetry_register(void)
{
	vfn_telemetry_register_cmd("/vfnet/capture", cmd_capture,
		"Returns fwd's captures: port, queue, direction, file, filter, "
		"captured/filtered/dropped counts. Takes no parameters");
}
