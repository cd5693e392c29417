/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif sockets and the control thread.  One thread per process
 * (started with the first memif device, joined after the last) waits in
 * epoll on every listener and control channel and retries the connects
 * of started clients; it handles each event with memif_lock held, so the
 * port operations, which take the same lock, never race it.  The data
 * path takes no lock and makes no system call for the control channel.
 *
 * Lifetimes: a closed channel or socket goes on a dead list and is freed
 * by the thread after it handled the events of its current epoll_wait(),
 * since one of those may point at it (epoll forgets an fd on close, not
 * the events already returned).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "vfn_log.h"
#include "vfn_malloc.h"
#include "vfn_mbuf.h"
#include "memif_ctrl.h"

static pthread_mutex_t memif_lock = PTHREAD_MUTEX_INITIALIZER;
static TAILQ_HEAD(, memif_socket) memif_sockets =
	TAILQ_HEAD_INITIALIZER(memif_sockets);
struct memif_cc_list memif_ccs = TAILQ_HEAD_INITIALIZER(memif_ccs);
static TAILQ_HEAD(, memif_cc) memif_dead_ccs =
	TAILQ_HEAD_INITIALIZER(memif_dead_ccs);
static TAILQ_HEAD(, memif_socket) memif_dead_sockets =
	TAILQ_HEAD_INITIALIZER(memif_dead_sockets);
static unsigned int memif_ndevs;
static int memif_epfd = -1;
static int memif_wake_fd = -1;
static int memif_running;
static pthread_t memif_thread;
static struct memif_ev memif_wake_ev = { EV_WAKE, NULL };

void memif_lock_take(void)
{
	pthread_mutex_lock(&memif_lock);
}

void memif_lock_release(void)
{
	pthread_mutex_unlock(&memif_lock);
}

uint64_t memif_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Copy a C string into a fixed wire field (NUL-padded, may fill it). */
int memif_epoll_add(int fd, struct memif_ev *ev)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = ev };

	return epoll_ctl(memif_epfd, EPOLL_CTL_ADD, fd, &e);
}

/* Build the address of @p s; returns its length. */
socklen_t memif_socket_addr(const struct memif_socket *s,
			     struct sockaddr_un *un)
{
	size_t len = strlen(s->path);

	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	if (!s->abstract) {
		memcpy(un->sun_path, s->path, len);
		return sizeof(*un);
	}
	/* As DPDK: a leading NUL, the name, no trailing NUL. */
	if (len > sizeof(un->sun_path) - 1)
		len = sizeof(un->sun_path) - 1;
	memcpy(un->sun_path + 1, s->path, len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

void memif_cc_free(struct memif_cc *cc)
{
	TAILQ_REMOVE(&memif_ccs, cc, next);
	close(cc->fd);
	cc->fd = -1;
	free(cc->out);
	cc->out = NULL;
	if (cc->dev && cc->dev->cc == cc)
		cc->dev->cc = NULL;
	cc->dev = NULL;
	cc->dead = 1;
	TAILQ_INSERT_TAIL(&memif_dead_ccs, cc, next);
}

static void reap_dead(void)
{
	struct memif_cc *cc;
	struct memif_socket *s;

	while ((cc = TAILQ_FIRST(&memif_dead_ccs))) {
		TAILQ_REMOVE(&memif_dead_ccs, cc, next);
		free(cc);
	}
	while ((s = TAILQ_FIRST(&memif_dead_sockets))) {
		TAILQ_REMOVE(&memif_dead_sockets, s, next);
		free(s);
	}
}

/*
 * Disconnect @p md: tell the peer why (when @p reason), close the
 * channel, withdraw the queues, link down.
 */
static void client_try_connect(struct memif_dev *md)
{
	struct sockaddr_un un;
	socklen_t len = memif_socket_addr(md->sock, &un);
	struct memif_cc *cc;
	int fd;

	md->retry_at_ms = memif_now_ms() + MEMIF_RETRY_MS;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&un, len) < 0) {
		if (!md->logged_refused)
			MEMIF_LOG(NOTICE, "%s: no memif server on %s%s yet (%s);"
				  " retrying every %d ms", md->port->name,
				  md->sock->abstract ? "@" : "", md->sock->path,
				  strerror(errno), MEMIF_RETRY_MS);
		md->logged_refused = 1;
		close(fd);
		return;
	}
	cc = calloc(1, sizeof(*cc));
	if (!cc) {
		close(fd);
		return;
	}
	cc->fd = fd;
	cc->dev = md;
	cc->ev.kind = EV_CC;
	cc->ev.obj = cc;
	TAILQ_INSERT_TAIL(&memif_ccs, cc, next);
	if (memif_epoll_add(fd, &cc->ev) < 0) {
		memif_cc_free(cc);
		return;
	}
	md->cc = cc;
	md->state = MEMIF_CONNECTING;
	md->logged_refused = 0;
}

/* ------------------------------------------------------------------ */
/* The control thread */

static void *memif_ctrl_thread(void *arg)
{
	struct epoll_event evs[16];

	(void)arg;
	for (;;) {
		struct memif_socket *s;
		struct memif_dev *md;
		int i, n = epoll_wait(memif_epfd, evs, 16, MEMIF_POLL_MS);
		uint64_t now;

		pthread_mutex_lock(&memif_lock);
		if (!memif_running) {
			pthread_mutex_unlock(&memif_lock);
			break;
		}
		for (i = 0; i < n; i++) {
			struct memif_ev *ev = evs[i].data.ptr;
			uint64_t v;

			if (ev->kind == EV_WAKE) {
				if (read(memif_wake_fd, &v, sizeof(v)) < 0)
					v = 0;
			} else if (ev->kind == EV_LISTEN) {
				struct memif_socket *ls = ev->obj;

				if (!ls->dead)
					memif_server_accept(ls);
			} else {
				struct memif_cc *cc = ev->obj;

				if (!cc->dead)
					memif_cc_readable(cc);
			}
		}
		now = memif_now_ms();
		TAILQ_FOREACH(s, &memif_sockets, next)
			TAILQ_FOREACH(md, &s->devs, next)
				if (md->role == MEMIF_ROLE_CLIENT &&
				    md->state == MEMIF_WAITING &&
				    now >= md->retry_at_ms)
					client_try_connect(md);
		reap_dead();
		pthread_mutex_unlock(&memif_lock);
	}
	return NULL;
}

static int thread_start(void)
{
	int ret;

	memif_epfd = epoll_create1(EPOLL_CLOEXEC);
	memif_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (memif_epfd < 0 || memif_wake_fd < 0 ||
	    memif_epoll_add(memif_wake_fd, &memif_wake_ev) < 0) {
		ret = -errno;
		goto err_close;
	}
	memif_running = 1;
	ret = -pthread_create(&memif_thread, NULL, memif_ctrl_thread, NULL);
	if (ret) {
		memif_running = 0;
		goto err_close;
	}
	pthread_setname_np(memif_thread, "memif-ctrl");
	return 0;

err_close:
	if (memif_epfd >= 0)
		close(memif_epfd);
	if (memif_wake_fd >= 0)
		close(memif_wake_fd);
	memif_epfd = memif_wake_fd = -1;
	MEMIF_LOG(ERR, "cannot start the memif control thread: %s",
		  strerror(-ret));
	return ret;
}

/* Called without memif_lock (the thread takes it). */
static void thread_stop(void)
{
	uint64_t one = 1;

	if (write(memif_wake_fd, &one, sizeof(one)) < 0)
		MEMIF_LOG(WARNING, "wake-up of the control thread: %s",
			  strerror(errno));
	pthread_join(memif_thread, NULL);
	pthread_mutex_lock(&memif_lock);
	reap_dead();
	pthread_mutex_unlock(&memif_lock);
	close(memif_epfd);
	close(memif_wake_fd);
	memif_epfd = memif_wake_fd = -1;
}

/* ------------------------------------------------------------------ */
/* Sockets and devices (called by memif_ops.c) */

/* A path socket whose server died leaves its file: connect tells. */
static int path_is_stale(const struct memif_socket *s)
{
	struct sockaddr_un un;
	socklen_t len = memif_socket_addr(s, &un);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	int stale;

	if (fd < 0)
		return 0;
	stale = connect(fd, (struct sockaddr *)&un, len) < 0 &&
		errno == ECONNREFUSED;
	close(fd);
	return stale;
}

static int socket_listen(struct memif_socket *s, const char *dev)
{
	struct sockaddr_un un;
	socklen_t len = memif_socket_addr(s, &un);
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	ret = bind(fd, (struct sockaddr *)&un, len);
	if (ret < 0 && errno == EADDRINUSE && !s->abstract &&
	    path_is_stale(s)) {
		MEMIF_LOG(NOTICE, "%s: removing stale socket file %s", dev,
			  s->path);
		unlink(s->path);
		ret = bind(fd, (struct sockaddr *)&un, len);
	}
	if (ret < 0) {
		ret = -errno;
		if (ret == -EADDRINUSE)
			MEMIF_LOG(ERR, "%s: memif socket %s%s is in use by "
				  "another server: choose another socket= (or "
				  "stop the other process)", dev,
				  s->abstract ? "@" : "", s->path);
		else
			MEMIF_LOG(ERR, "%s: cannot bind memif socket %s%s: %s",
				  dev, s->abstract ? "@" : "", s->path,
				  strerror(-ret));
		close(fd);
		return ret;
	}
	if (listen(fd, 8) < 0 || memif_epoll_add(fd, &s->ev) < 0) {
		ret = -errno;
		close(fd);
		if (!s->abstract)
			unlink(s->path);
		return ret;
	}
	s->listen_fd = fd;
	return 0;
}

static struct memif_socket *socket_get(const char *path, int abstract)
{
	struct memif_socket *s;

	TAILQ_FOREACH(s, &memif_sockets, next)
		if (s->abstract == abstract && strcmp(s->path, path) == 0)
			return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->abstract = abstract;
	s->listen_fd = -1;
	s->ev.kind = EV_LISTEN;
	s->ev.obj = s;
	TAILQ_INIT(&s->devs);
	TAILQ_INSERT_TAIL(&memif_sockets, s, next);
	return s;
}

static void socket_put(struct memif_socket *s)
{
	struct memif_dev *md;
	int servers = 0;

	TAILQ_FOREACH(md, &s->devs, next)
		servers += md->role == MEMIF_ROLE_SERVER;
	if (!servers && s->listen_fd >= 0) {
		struct memif_cc *cc, *tmp;

		for (cc = TAILQ_FIRST(&memif_ccs); cc; cc = tmp) {
			tmp = TAILQ_NEXT(cc, next);
			if (cc->sock == s && !cc->dev)
				memif_cc_free(cc);
		}
		close(s->listen_fd);
		s->listen_fd = -1;
		if (!s->abstract)
			unlink(s->path);
	}
	if (TAILQ_EMPTY(&s->devs)) {
		TAILQ_REMOVE(&memif_sockets, s, next);
		s->dead = 1;
		TAILQ_INSERT_TAIL(&memif_dead_sockets, s, next);
	}
}

int memif_socket_attach(struct memif_dev *md, const char *path, int abstract)
{
	struct memif_socket *s;
	struct memif_dev *o;
	int ret = 0;

	pthread_mutex_lock(&memif_lock);
	if (!memif_running) {
		ret = thread_start();
		if (ret)
			goto out;
	}
	s = socket_get(path, abstract);
	if (!s) {
		ret = -ENOMEM;
		goto out_thread;
	}
	TAILQ_FOREACH(o, &s->devs, next)
		if (o->id == md->id && o->role == md->role) {
			MEMIF_LOG(ERR, "%s: %s already has id %u as %s on this "
				  "socket: give each device its own id=",
				  md->port->name, o->port->name, md->id,
				  md->role == MEMIF_ROLE_SERVER ? "server" :
								  "client");
			ret = -EEXIST;
			break;
		}
	if (!ret && md->role == MEMIF_ROLE_SERVER && s->listen_fd < 0)
		ret = socket_listen(s, md->port->name);
	if (ret) {
		if (TAILQ_EMPTY(&s->devs)) {
			TAILQ_REMOVE(&memif_sockets, s, next);
			free(s);
		}
		goto out_thread;
	}
	md->sock = s;
	TAILQ_INSERT_TAIL(&s->devs, md, next);
	memif_ndevs++;
	goto out;

out_thread:
	if (!memif_ndevs) {
		memif_running = 0;
		pthread_mutex_unlock(&memif_lock);
		thread_stop();
		return ret;
	}
out:
	pthread_mutex_unlock(&memif_lock);
	return ret;
}

void memif_socket_detach(struct memif_dev *md)
{
	int stop;

	pthread_mutex_lock(&memif_lock);
	md->state = MEMIF_DOWN;
	memif_dev_disconnect(md, "Device closed");
	memif_graveyard_flush(md);
	TAILQ_REMOVE(&md->sock->devs, md, next);
	socket_put(md->sock);
	md->sock = NULL;
	stop = --memif_ndevs == 0;
	if (stop)
		memif_running = 0;
	pthread_mutex_unlock(&memif_lock);
	if (stop)
		thread_stop();
}

void memif_dev_enable(struct memif_dev *md)
{
	pthread_mutex_lock(&memif_lock);
	md->state = MEMIF_WAITING;
	md->disc_reason[0] = '\0';
	if (md->role == MEMIF_ROLE_CLIENT)
		client_try_connect(md);
	pthread_mutex_unlock(&memif_lock);
}

/* Whether the peer has taken everything from our tx rings. */
void memif_dev_disable(struct memif_dev *md, const char *reason)
{
	pthread_mutex_lock(&memif_lock);
	memif_dev_drain(md);
	md->state = MEMIF_DOWN;
	memif_dev_disconnect(md, reason);
	/* The port is stopped: no burst can hold the old memory now. */
	memif_graveyard_flush(md);
	pthread_mutex_unlock(&memif_lock);
}

