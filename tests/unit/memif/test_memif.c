/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif between two vfnet processes (TAP).  This program is both
 * sides: run without arguments it is the test, and it starts copies of
 * itself with "--peer" as the other process (an echo: every frame
 * received on queue q goes back on queue q).
 *
 * Frames carry a queue number, a per-queue sequence number, their length
 * and an FNV-1a checksum of the payload, so the test sees any loss,
 * reordering, truncation or corruption; counts and port statistics on
 * both sides must be exact.  Cases: one and four queue pairs, both roles,
 * descriptor chains (bsize=256) and two-segment mbufs, peer kill -9 and
 * restart cycles in both roles, secrets, and the option and socket
 * errors (bad options, zero-copy refusals, socket in use, stale socket
 * file, duplicate id).  Zero-copy: the peer is a zero-copy client (it
 * initialises the EAL, --no-huge, so its mbufs live in a memfd the
 * server maps), with one and four queue pairs and with mbufs smaller
 * than the frames (chains both ways); it must end with every mbuf back
 * in its pool.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "vfn_eal.h"
#include "vfn_ethdev.h"
#include "vfn_log.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_vdev.h"
#include "vfn_tap.h"

#define MAXQ 8
#define BURST 32
#define HDR 24

static char sock_path[108];
static struct vfn_mempool *pool;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint32_t fnv(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* ------------------------------------------------------------------ */
/* Ports */

static int port_id(const char *name)
{
	uint16_t id;

	return vfn_eth_dev_get_port_by_name(name, &id) ? -1 : id;
}

/* Create, configure @p nq queue pairs and start; returns the port id. */
static int port_up(const char *name, const char *args, uint16_t nq)
{
	int ret = vfn_vdev_init(name, args);
	uint16_t q;
	int p;

	if (ret)
		return ret;
	p = port_id(name);
	ret = vfn_eth_dev_configure((uint16_t)p, nq, nq, NULL);
	for (q = 0; !ret && q < nq; q++) {
		ret = vfn_eth_rx_queue_setup((uint16_t)p, q, 256, -1, NULL, pool);
		if (!ret)
			ret = vfn_eth_tx_queue_setup((uint16_t)p, q, 256, -1,
						      NULL);
	}
	if (!ret)
		ret = vfn_eth_dev_start((uint16_t)p);
	return ret ? ret : p;
}

static int link_is_up(int p)
{
	struct vfn_eth_link l;

	vfn_eth_link_get_nowait((uint16_t)p, &l);
	return l.link_status == VFN_ETH_LINK_UP;
}

static int wait_link(int p, int up, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end) {
		if (link_is_up(p) == up)
			return 1;
		sleep_ms(5);
	}
	return link_is_up(p) == up;
}

/* Stop port @p p and remove its device (as the EAL does at exit). */
static void stop_close(int p)
{
	char name[VFN_ETH_NAME_MAX_LEN];

	vfn_eth_dev_get_name_by_port((uint16_t)p, name);
	vfn_eth_dev_stop((uint16_t)p);
	vfn_vdev_uninit(name);
}

static char *devargs(char *buf, size_t n, const char *role, const char *more)
{
	snprintf(buf, n, "role=%s,socket=%s,socket-abstract=no%s%s", role,
		 sock_path, more[0] ? "," : "", more);
	return buf;
}

/* ------------------------------------------------------------------ */
/* The peer: echo until its link goes down after being up, or SIGTERM */

static volatile sig_atomic_t peer_quit;

static void on_term(int sig)
{
	(void)sig;
	peer_quit = 1;
}

/* A zero-copy peer shares EAL memory: --no-huge (a memfd), 64 MB. */
static int peer_eal_init(void)
{
	char prefix[64];
	char *argv[] = { "test_memif", "--no-huge", "-m", "64", "--no-pci",
			 "--no-telemetry", "--file-prefix", prefix, NULL };

	snprintf(prefix, sizeof(prefix), "memif_peer_%d", (int)getpid());
	if (vfn_eal_init((int)VFN_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "peer: EAL: %s\n", vfn_eal_last_error());
		return -1;
	}
	return 0;
}

static int peer_main(const char *args, uint16_t nq, uint16_t room)
{
	struct vfn_mbuf *pkts[BURST];
	struct vfn_eth_stats st;
	int p, was_up = 0;

	signal(SIGTERM, on_term);
	if (strstr(args, "zero-copy=yes") && peer_eal_init())
		return 2;
	pool = vfn_pktmbuf_pool_create("peer", 8191, 0, 0,
				       (uint16_t)(room + 128), -1);
	p = port_up("net_memif0", args, nq);
	if (!pool || p < 0) {
		fprintf(stderr, "peer: set-up failed: %d\n", p);
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	while (!peer_quit) {
		uint16_t q, n, s;
		int up = link_is_up(p);

		if (was_up && !up)
			break;
		was_up |= up;
		for (q = 0; q < nq; q++) {
			n = vfn_eth_rx_burst((uint16_t)p, q, pkts, BURST);
			for (s = 0; s < n && !peer_quit && link_is_up(p);)
				s += vfn_eth_tx_burst((uint16_t)p, q, pkts + s,
						       (uint16_t)(n - s));
			if (s < n)
				vfn_pktmbuf_free_bulk(pkts + s, n - s);
		}
	}
	vfn_eth_stats_get((uint16_t)p, &st);
	printf("stats rx=%llu tx=%llu rxb=%llu txb=%llu ierr=%llu oerr=%llu\n",
	       (unsigned long long)st.ipackets, (unsigned long long)st.opackets,
	       (unsigned long long)st.ibytes, (unsigned long long)st.obytes,
	       (unsigned long long)st.ierrors, (unsigned long long)st.oerrors);
	fflush(stdout);
	stop_close(p);
	printf("inuse=%u\n", vfn_mempool_in_use_count(pool));
	fflush(stdout);
	return 0;
}

struct peer {
	pid_t pid;
	FILE *out;
};

/* mbuf data room of the peers started next (bytes after headroom). */
static uint16_t peer_room = 2048;

/* Start a peer with @p args and @p nq queues; waits for "ready". */
static int peer_start(struct peer *pr, const char *args, uint16_t nq)
{
	char nqs[8], rooms[8], line[64];
	int fds[2];

	snprintf(nqs, sizeof(nqs), "%u", nq);
	snprintf(rooms, sizeof(rooms), "%u", peer_room);
	if (pipe(fds))
		return -1;
	fflush(NULL);
	pr->pid = fork();
	if (pr->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/proc/self/exe", "test_memif", "--peer", args, nqs,
		      rooms, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	pr->out = fdopen(fds[0], "r");
	if (pr->pid < 0 || !pr->out || !fgets(line, sizeof(line), pr->out) ||
	    strcmp(line, "ready\n"))
		return -1;
	return 0;
}

struct peer_stats {
	unsigned long long rx, tx, rxb, txb, ierr, oerr;
	unsigned int inuse;       /* mbufs out of the pool at its exit */
};

/* Wait for the peer to exit; parse its statistics line. */
static int peer_finish(struct peer *pr, struct peer_stats *ps)
{
	char line[256];
	int status = -1, got = 0;

	memset(ps, 0, sizeof(*ps));
	ps->inuse = ~0u;
	while (fgets(line, sizeof(line), pr->out)) {
		if (sscanf(line, "stats rx=%llu tx=%llu rxb=%llu txb=%llu "
			   "ierr=%llu oerr=%llu", &ps->rx, &ps->tx, &ps->rxb,
			   &ps->txb, &ps->ierr, &ps->oerr) == 6)
			got = 1;
		sscanf(line, "inuse=%u", &ps->inuse);
	}
	fclose(pr->out);
	waitpid(pr->pid, &status, 0);
	if (!got || !WIFEXITED(status) || WEXITSTATUS(status))
		tap_diag("peer %d: %s %d, statistics line %s", (int)pr->pid,
			 WIFSIGNALED(status) ? "killed by signal" : "exit",
			 WIFSIGNALED(status) ? WTERMSIG(status) :
			 WEXITSTATUS(status), got ? "seen" : "missing");
	return got && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void peer_kill(struct peer *pr)
{
	kill(pr->pid, SIGKILL);
	waitpid(pr->pid, NULL, 0);
	fclose(pr->out);
}

/* ------------------------------------------------------------------ */
/* Traffic with checks */

struct traffic {
	uint32_t next_tx[MAXQ], next_rx[MAXQ];
	uint64_t tx, rx, txb, rxb, bad;
	int vary, two_seg;
};

static uint32_t frame_len(const struct traffic *t, uint32_t seq)
{
	return t->vary ? 64 + (seq * 7919u) % (1518 - 64 + 1) : 64;
}

static struct vfn_mbuf *frame_make(struct traffic *t, uint16_t q,
				   uint32_t seq)
{
	uint32_t len = frame_len(t, seq), i, split, sum;
	struct vfn_mbuf *m = vfn_pktmbuf_alloc(pool), *m2;
	uint8_t buf[2048];

	if (!m)
		return NULL;
	memset(buf, 0xff, 6);
	memset(buf + 6, 0x02, 6);
	buf[12] = 0x88;
	buf[13] = 0xb5;
	memcpy(buf + 14, &q, 2);
	memcpy(buf + 16, &seq, 4);
	memcpy(buf + 20, &len, 4);
	for (i = HDR; i < len - 4; i++)
		buf[i] = (uint8_t)(seq * 31 + i * 7 + q);
	sum = fnv(buf + 14, len - 18);
	memcpy(buf + len - 4, &sum, 4);
	split = t->two_seg && (seq & 1) ? len / 2 : len;
	memcpy(vfn_pktmbuf_append(m, (uint16_t)split), buf, split);
	if (split < len) {
		m2 = vfn_pktmbuf_alloc(pool);
		if (!m2) {
			vfn_pktmbuf_free(m);
			return NULL;
		}
		memcpy(vfn_pktmbuf_append(m2, (uint16_t)(len - split)),
		       buf + split, len - split);
		vfn_pktmbuf_chain(m, m2);
	}
	return m;
}

/* Check a received frame: right queue, next sequence, intact. */
static int frame_check(struct traffic *t, uint16_t q, struct vfn_mbuf *m)
{
	uint8_t buf[2048];
	const uint8_t *p;
	uint32_t seq, len, sum;
	uint16_t fq;

	if (m->pkt_len < 64 || m->pkt_len > sizeof(buf))
		return 0;
	p = vfn_pktmbuf_read(m, 0, m->pkt_len, buf);
	memcpy(&fq, p + 14, 2);
	memcpy(&seq, p + 16, 4);
	memcpy(&len, p + 20, 4);
	memcpy(&sum, p + m->pkt_len - 4, 4);
	if (fq != q || seq != t->next_rx[q] || len != m->pkt_len ||
	    len != frame_len(t, seq) || sum != fnv(p + 14, len - 18)) {
		if (t->bad++ < 5)
			tap_diag("bad frame on q%u: q %u seq %u (want %u) len "
				 "%u/%u", q, fq, seq, t->next_rx[q], len,
				 m->pkt_len);
		return 0;
	}
	t->next_rx[q]++;
	return 1;
}

/*
 * Send @p per_q frames on each of @p nq queues of port @p p through the
 * echo and check what comes back.  Returns 1 when every frame came back
 * intact and in order within @p ms.
 */
static int run_traffic(int p, uint16_t nq, uint32_t per_q, struct traffic *t,
		       unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	uint32_t target[MAXQ];
	uint16_t q;

	for (q = 0; q < nq; q++)
		target[q] = t->next_tx[q] + per_q;
	for (;;) {
		int done = 1;

		for (q = 0; q < nq; q++) {
			struct vfn_mbuf *pkts[BURST];
			uint16_t n = 0, s, i;
			/* Keep at most 512 frames in flight per queue. */
			uint32_t room = 512 - (t->next_tx[q] - t->next_rx[q]);

			while (n < BURST && n < room &&
			       t->next_tx[q] + n < target[q]) {
				pkts[n] = frame_make(t, q, t->next_tx[q] + n);
				if (!pkts[n])
					break;
				n++;
			}
			s = n ? vfn_eth_tx_burst((uint16_t)p, q, pkts, n) : 0;
			for (i = 0; i < s; i++)
				t->txb += pkts[i]->pkt_len;
			t->tx += s;
			t->next_tx[q] += s;
			if (s < n)
				vfn_pktmbuf_free_bulk(pkts + s, n - s);
			n = vfn_eth_rx_burst((uint16_t)p, q, pkts, BURST);
			for (i = 0; i < n; i++) {
				t->rxb += pkts[i]->pkt_len;
				frame_check(t, q, pkts[i]);
			}
			t->rx += n;
			if (n)
				vfn_pktmbuf_free_bulk(pkts, n);
			if (t->next_rx[q] < target[q])
				done = 0;
		}
		if (done || t->bad || now_ms() > end)
			return done && !t->bad;
	}
}

/* ------------------------------------------------------------------ */
/* Cases */


/* Echo through a peer in the other role; exact counts on both sides. */
static void case_echo(const char *title, const char *my_role,
		      const char *my_more, const char *peer_more, uint16_t nq,
		      uint32_t per_q, int vary, int two_seg)
{
	const char *peer_role = strcmp(my_role, "client") ? "client" : "server";
	char a[256], b[256];
	struct traffic t;
	struct peer pr;
	struct peer_stats ps;
	struct vfn_eth_stats st;
	uint64_t want = (uint64_t)per_q * nq;
	int p, ok;
	uint16_t q;

	memset(&t, 0, sizeof(t));
	t.vary = vary;
	t.two_seg = two_seg;
	unlink(sock_path);
	if (!strcmp(my_role, "server")) {
		p = port_up("net_memif0", devargs(a, sizeof(a), my_role,
						  my_more), nq);
		if (!TAP_CHECK(p >= 0, "%s: server port up", title))
			return;
		if (!TAP_CHECK(peer_start(&pr, devargs(b, sizeof(b), peer_role,
						       peer_more), nq) == 0,
			       "%s: peer started", title)) {
			stop_close(p);
			return;
		}
	} else {
		if (!TAP_CHECK(peer_start(&pr, devargs(b, sizeof(b), peer_role,
						       peer_more), nq) == 0,
			       "%s: peer started", title))
			return;
		p = port_up("net_memif0", devargs(a, sizeof(a), my_role,
						  my_more), nq);
		if (!TAP_CHECK(p >= 0, "%s: client port up", title)) {
			peer_kill(&pr);
			return;
		}
	}
	TAP_CHECK(wait_link(p, 1, 5000), "%s: link up", title);
	ok = run_traffic(p, nq, per_q, &t, 60000);
	TAP_CHECK(ok, "%s: %llu frames on %u queues echoed intact and in "
		  "order (got %llu, %llu bad)", title,
		  (unsigned long long)want, nq, (unsigned long long)t.rx,
		  (unsigned long long)t.bad);
	vfn_eth_stats_get((uint16_t)p, &st);
	TAP_EQ(st.opackets, want, "%s: opackets", title);
	TAP_EQ(st.ipackets, want, "%s: ipackets", title);
	TAP_EQ(st.obytes, t.txb, "%s: obytes", title);
	TAP_EQ(st.ibytes, t.rxb, "%s: ibytes", title);
	TAP_EQ(st.ierrors + st.oerrors + st.rx_nombuf, 0, "%s: no errors",
	       title);
	for (q = 0; q < nq && q < VFN_ETHDEV_QUEUE_STAT_CNTRS; q++)
		if (st.q_ipackets[q] != per_q || st.q_opackets[q] != per_q)
			break;
	TAP_EQ(q, nq, "%s: per-queue counts all %u", title, per_q);
	vfn_eth_dev_stop((uint16_t)p);
	TAP_CHECK(peer_finish(&pr, &ps) == 0, "%s: peer saw the link go down "
		  "and exited", title);
	TAP_CHECK(ps.rx == want && ps.tx == want && ps.rxb == t.txb &&
		  ps.txb == t.rxb && ps.ierr == 0 && ps.oerr == 0,
		  "%s: peer counted rx %llu tx %llu bytes %llu/%llu", title,
		  ps.rx, ps.tx, ps.rxb, ps.txb);
	stop_close(p);
	TAP_EQ(vfn_mempool_in_use_count(pool), 0, "%s: no mbuf leaked", title);
	TAP_EQ(ps.inuse, 0, "%s: no mbuf leaked by the peer", title);
}

/* kill -9 the peer @p cycles times; the link follows, traffic resumes. */
static void case_restart(const char *my_role, int cycles, const char *more)
{
	const char *peer_role = strcmp(my_role, "client") ? "client" : "server";
	char a[256], b[256];
	struct traffic t;
	struct peer pr;
	uint64_t v = 0;
	int p, i, ok_link = 1, ok_traffic = 1, ok_down = 1;
	char who[64];

	snprintf(who, sizeof(who), "%s%s%s", my_role, more[0] ? ", " : "",
		 more);

	memset(&t, 0, sizeof(t));
	unlink(sock_path);
	p = port_up("net_memif0", devargs(a, sizeof(a), my_role, more), 2);
	if (!TAP_CHECK(p >= 0, "restart (%s): port up", who))
		return;
	for (i = 0; i < cycles; i++) {
		if (peer_start(&pr, devargs(b, sizeof(b), peer_role, ""), 2)) {
			ok_link = 0;
			break;
		}
		ok_link &= wait_link(p, 1, 5000);
		/* Fresh sequence numbers per connection. */
		memset(&t, 0, sizeof(t));
		ok_traffic &= run_traffic(p, 2, 2000, &t, 20000);
		peer_kill(&pr);
		ok_down &= wait_link(p, 0, 5000);
	}
	TAP_CHECK(ok_link, "restart (%s): link up after each of %d peer "
		  "starts", who, cycles);
	TAP_CHECK(ok_traffic, "restart (%s): 2 x 2000 frames intact after "
		  "each reconnect", who);
	TAP_CHECK(ok_down, "restart (%s): link down after each kill -9",
		  who);
	vfn_eth_xstats_get_by_name((uint16_t)p, "memif_connects", &v);
	TAP_EQ(v, cycles, "restart (%s): memif_connects", who);
	/* Frames sent while down are refused, not lost in a dead ring. */
	{
		struct vfn_mbuf *m = frame_make(&t, 0, 0);

		TAP_EQ(vfn_eth_tx_burst((uint16_t)p, 0, &m, 1), 0,
		       "restart (%s): tx refused while the link is down",
		       who);
		vfn_pktmbuf_free(m);
	}
	stop_close(p);
	TAP_EQ(vfn_mempool_in_use_count(pool), 0,
	       "restart (%s): no mbuf leaked", who);
}

/* Both ends in this process: secrets. */
static void case_secret(void)
{
	char a[256], b[256];
	int s, c;

	unlink(sock_path);
	s = port_up("net_memif0", devargs(a, sizeof(a), "server",
					  "secret=sesame"), 1);
	c = port_up("net_memif1", devargs(b, sizeof(b), "client",
					  "secret=sesamf"), 1);
	TAP_CHECK(s >= 0 && c >= 0, "secret: both ports up in one process");
	TAP_CHECK(wait_link(c, 1, 500) == 0 && !link_is_up(s),
		  "secret: a wrong secret keeps the link down");
	stop_close(c);
	c = port_up("net_memif1", devargs(b, sizeof(b), "client", ""), 1);
	TAP_CHECK(wait_link(c, 1, 500) == 0,
		  "secret: no secret when one is required keeps it down");
	stop_close(c);
	c = port_up("net_memif1", devargs(b, sizeof(b), "client",
					  "secret=sesame"), 1);
	TAP_CHECK(wait_link(c, 1, 3000) && wait_link(s, 1, 3000),
		  "secret: the right secret connects");
	stop_close(c);
	TAP_CHECK(wait_link(s, 0, 3000), "secret: server link down after the "
		  "client closed");
	stop_close(s);
}

static void case_errors(void)
{
	static const char *const bad[] = {
		"role=bogus", "rsize=15", "rsize=0", "bsize=0", "bsize=65536",
		"id=-1", "socket-abstract=maybe", "mac=zz:00:00:00:00:00",
		"secret=0123456789012345678901234", "bogus=1", "zero-copy=1",
	};
	char zc[256];
	char a[256], b[256];
	struct peer pr;
	struct sockaddr_un un;
	unsigned int i;
	int fd, p;

	for (i = 0; i < VFN_DIM(bad); i++)
		TAP_EQ(vfn_vdev_init("net_memif0", bad[i]), -EINVAL,
		       "bad option %s refused", bad[i]);
	TAP_EQ(vfn_vdev_init("net_memif0", devargs(zc, sizeof(zc), "server",
						  "zero-copy=yes")), -ENOTSUP,
	       "zero-copy=yes refused on a server (as DPDK)");
	TAP_EQ(vfn_vdev_init("net_memif0", devargs(zc, sizeof(zc), "client",
						  "zero-copy=yes")), -ENOTSUP,
	       "zero-copy=yes refused without EAL memory to share");
	TAP_EQ(vfn_vdev_init("net_memif0", "socket=/nonexistent/dir/m.sock,"
			     "socket-abstract=no"), -EINVAL,
	       "socket in a missing directory refused");
	TAP_EQ(vfn_eth_dev_count_avail(), 0, "no port left by refused options");

	/* A live server elsewhere holds the path. */
	unlink(sock_path);
	if (TAP_CHECK(peer_start(&pr, devargs(b, sizeof(b), "server", ""), 1)
		      == 0, "errors: peer server holds the socket")) {
		TAP_EQ(vfn_vdev_init("net_memif0", devargs(a, sizeof(a),
				     "server", "")), -EADDRINUSE,
		       "socket path in use by another process refused");
		kill(pr.pid, SIGTERM);
		peer_finish(&pr, &(struct peer_stats){ 0 });
	}
	/* A dead server's socket file is replaced. */
	unlink(sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", sock_path);
	TAP_OK(bind(fd, (struct sockaddr *)&un, sizeof(un)),
	       "stale socket file made");
	close(fd);
	p = vfn_vdev_init("net_memif0", devargs(a, sizeof(a), "server", ""));
	TAP_EQ(p, 0, "a stale socket file is replaced");
	TAP_EQ(vfn_vdev_init("net_memif1", devargs(b, sizeof(b), "server", "")),
	       -EEXIST, "same id and role twice on one socket refused");
	TAP_EQ(vfn_vdev_init("net_memif1", devargs(b, sizeof(b), "server",
						  "id=1")), 0,
	       "a second id on the same socket accepted");
	vfn_vdev_uninit("net_memif1");
	vfn_vdev_uninit("net_memif0");
	TAP_CHECK(access(sock_path, F_OK) != 0,
		  "socket file removed when its last server closed");
}

/* Abstract socket (DPDK's default): a pair in this process. */
static void case_abstract(void)
{
	char a[128], b[128];
	int s, c;

	snprintf(a, sizeof(a), "role=server,socket=vfn-memif-test-%d",
		 (int)getpid());
	snprintf(b, sizeof(b), "role=client,socket=vfn-memif-test-%d",
		 (int)getpid());
	s = port_up("net_memif0", a, 1);
	c = port_up("net_memif1", b, 1);
	TAP_CHECK(s >= 0 && c >= 0 && wait_link(c, 1, 3000) &&
		  wait_link(s, 1, 3000), "abstract socket pair connects");
	if (c >= 0)
		stop_close(c);
	if (s >= 0)
		stop_close(s);
}

/*
 * --echo ARGS NQ N: be a client (zero-copy when ARGS say so) against a
 * server that echoes every frame on its queue (dpdk-testpmd in io mode,
 * driven by interop_testpmd.py): send N self-checking frames of 64 to
 * 1518 bytes per queue, check every one back in order, print one result
 * line and the mbufs still out of the pool after the port closed.
 */
static int echo_main(const char *args, uint16_t nq, uint32_t per_q)
{
	struct traffic t;
	int p, ok;

	if (strstr(args, "zero-copy=yes") && peer_eal_init())
		return 2;
	pool = vfn_pktmbuf_pool_create("echo", 8191, 0, 0, 2048 + 128, -1);
	p = pool ? port_up("net_memif0", args, nq) : -1;
	if (p < 0) {
		fprintf(stderr, "echo: set-up failed: %d\n", p);
		return 2;
	}
	memset(&t, 0, sizeof(t));
	t.vary = 1;
	ok = wait_link(p, 1, 10000) && run_traffic(p, nq, per_q, &t, 30000);
	printf("echo ok=%d tx=%llu rx=%llu bad=%llu\n", ok,
	       (unsigned long long)t.tx, (unsigned long long)t.rx,
	       (unsigned long long)t.bad);
	stop_close(p);
	printf("inuse=%u\n", vfn_mempool_in_use_count(pool));
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	vfn_log_set_level(getenv("MEMIF_TEST_DEBUG") ? VFN_LOG_DEBUG :
			  VFN_LOG_CRIT);
	if (argc == 5 && !strcmp(argv[1], "--echo"))
		return echo_main(argv[2], (uint16_t)atoi(argv[3]),
				 (uint32_t)atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "--peer"))
		return peer_main(argv[2], (uint16_t)atoi(argv[3]),
				 (uint16_t)atoi(argv[4]));
	snprintf(sock_path, sizeof(sock_path), "/tmp/vfn-memif-test-%d.sock",
		 (int)getpid());
	pool = vfn_pktmbuf_pool_create("test", 16383, 0, 0, 2048 + 128, -1);
	if (!pool)
		tap_bail("cannot create the mbuf pool");

	case_errors();
	case_abstract();
	case_secret();
	case_echo("client 1q", "client", "", "", 1, 100000, 0, 0);
	case_echo("server 1q", "server", "", "", 1, 100000, 0, 0);
	case_echo("client 4q 64-1518B", "client", "", "", 4, 20000, 1, 0);
	case_echo("server 4q 64-1518B", "server", "", "", 4, 20000, 1, 0);
	case_echo("client bsize=256 chains, 2-seg mbufs", "client",
		  "bsize=256", "", 2, 10000, 1, 1);
	case_echo("server, client bsize=256 chains, 2-seg mbufs", "server",
		  "", "bsize=256", 2, 10000, 1, 1);
	case_echo("server, zero-copy client 1q", "server", "",
		  "zero-copy=yes", 1, 100000, 0, 0);
	case_echo("server, zero-copy client 4q 64-1518B", "server", "",
		  "zero-copy=yes", 4, 20000, 1, 0);
	/* Frames above the peer's 1024-byte mbufs: chains both ways. */
	peer_room = 1024;
	case_echo("server, zero-copy client 1024B mbufs, 2-seg mbufs",
		  "server", "", "zero-copy=yes", 2, 10000, 1, 1);
	peer_room = 2048;
	case_restart("client", 5, "");
	case_restart("server", 5, "");
	/*
	 * Last, as it makes this process an EAL one: a zero-copy client
	 * whose server is killed and restarted; every mbuf it had posted
	 * comes back to its pool.
	 */
	if (peer_eal_init() == 0) {
		pool = vfn_pktmbuf_pool_create("zc", 16383, 0, 0, 2048 + 128,
					       -1);
		if (pool)
			case_restart("client", 3, "zero-copy=yes");
	}
	TAP_CHECK(pool != NULL && vfn_eal_is_initialized(),
		  "EAL up for the zero-copy restart case");
	unlink(sock_path);
	return tap_done();
}
