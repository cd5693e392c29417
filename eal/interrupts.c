/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interrupt thread and the epoll helpers of rx interrupt mode (see
 * vfn_interrupts.h).
 *
 * Locking: intr_lock protects the source list, the thread's state and
 * each source's "running" mark.  The thread looks a ready source up by
 * its id (not by pointer: the source may have been unregistered and freed
 * between epoll_wait() returning and the lookup), marks it running, drops
 * the lock for the callback, and broadcasts intr_cond when done.
 * Unregister waits on intr_cond while the source runs, so a driver may
 * free the callback's argument as soon as unregister returns.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_interrupts.h"
#include "vfn_log.h"

#define INTR_LOG(level, ...) VFN_LOG(level, "intr", __VA_ARGS__)

/* Epoll data id of the stop eventfd (sources get ids from 1 up). */
#define INTR_STOP_ID 0

struct intr_source {
	struct intr_source *next;
	uint64_t id;
	int fd;
	vfn_intr_callback_fn cb;
	void *cb_arg;
	int running;
};

static pthread_mutex_t intr_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t intr_cond = PTHREAD_COND_INITIALIZER;
static struct intr_source *intr_sources;
static uint64_t intr_next_id = INTR_STOP_ID + 1;
static int intr_epfd = -1;
static int intr_stop_fd = -1;
static int intr_started;
static pthread_t intr_thread;

int vfn_thread_is_intr(void)
{
	int started;

	pthread_mutex_lock(&intr_lock);
	started = intr_started;
	pthread_mutex_unlock(&intr_lock);
	return started && pthread_equal(pthread_self(), intr_thread);
}

/* Clear an eventfd/timerfd: both hand out an 8-byte counter. */
static void intr_drain(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		;
}

/* Run the source with id @id, if it is still registered. */
static void intr_dispatch(uint64_t id)
{
	struct intr_source *s;

	pthread_mutex_lock(&intr_lock);
	for (s = intr_sources; s && s->id != id; s = s->next)
		;
	if (!s) {
		pthread_mutex_unlock(&intr_lock);
		return;
	}
	s->running = 1;
	pthread_mutex_unlock(&intr_lock);
	intr_drain(s->fd);
	s->cb(s->cb_arg);
	pthread_mutex_lock(&intr_lock);
	s->running = 0;
	pthread_cond_broadcast(&intr_cond);
	pthread_mutex_unlock(&intr_lock);
}

static void *intr_thread_main(void *arg)
{
	struct epoll_event ev[8];
	int n, i;

	(void)arg;
	for (;;) {
		n = epoll_wait(intr_epfd, ev, 8, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			INTR_LOG(ERR, "interrupt thread: epoll_wait: %s; link "
				 "events stop", strerror(errno));
			return NULL;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.u64 == INTR_STOP_ID)
				return NULL;
			intr_dispatch(ev[i].data.u64);
		}
	}
}

/* Start the thread (intr_lock held). */
static int intr_thread_start(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = INTR_STOP_ID };
	int ret;

	if (intr_started)
		return 0;
	intr_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (intr_epfd < 0)
		return -errno;
	intr_stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (intr_stop_fd < 0) {
		ret = -errno;
		goto close_epfd;
	}
	if (epoll_ctl(intr_epfd, EPOLL_CTL_ADD, intr_stop_fd, &ev)) {
		ret = -errno;
		goto close_stop;
	}
	ret = -pthread_create(&intr_thread, NULL, intr_thread_main, NULL);
	if (ret)
		goto close_stop;
	pthread_setname_np(intr_thread, "vfn-intr");
	intr_started = 1;
	return 0;
close_stop:
	close(intr_stop_fd);
	intr_stop_fd = -1;
close_epfd:
	close(intr_epfd);
	intr_epfd = -1;
	INTR_LOG(ERR, "cannot start the interrupt thread: %s", strerror(-ret));
	return ret;
}

int vfn_intr_callback_register(int fd, vfn_intr_callback_fn cb, void *cb_arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct intr_source *s;
	int ret;

	if (fd < 0 || !cb)
		return -EINVAL;
	pthread_mutex_lock(&intr_lock);
	for (s = intr_sources; s; s = s->next) {
		if (s->fd == fd) {
			pthread_mutex_unlock(&intr_lock);
			return -EEXIST;
		}
	}
	ret = intr_thread_start();
	if (ret)
		goto unlock;
	s = calloc(1, sizeof(*s));
	if (!s) {
		ret = -ENOMEM;
		goto unlock;
	}
	s->id = intr_next_id++;
	s->fd = fd;
	s->cb = cb;
	s->cb_arg = cb_arg;
	ev.data.u64 = s->id;
	if (epoll_ctl(intr_epfd, EPOLL_CTL_ADD, fd, &ev)) {
		ret = -errno;
		INTR_LOG(ERR, "cannot watch fd %d: %s", fd, strerror(errno));
		free(s);
		goto unlock;
	}
	s->next = intr_sources;
	intr_sources = s;
unlock:
	pthread_mutex_unlock(&intr_lock);
	return ret;
}

int vfn_intr_callback_unregister(int fd, vfn_intr_callback_fn cb,
				 void *cb_arg)
{
	int self = vfn_thread_is_intr();
	struct intr_source **pp, *s;

	pthread_mutex_lock(&intr_lock);
	for (pp = &intr_sources; *pp; pp = &(*pp)->next) {
		s = *pp;
		if (s->fd == fd && s->cb == cb && s->cb_arg == cb_arg)
			break;
	}
	s = *pp;
	if (!s) {
		pthread_mutex_unlock(&intr_lock);
		return -ENOENT;
	}
	*pp = s->next;
	epoll_ctl(intr_epfd, EPOLL_CTL_DEL, fd, NULL);
	/* Off the list: the thread cannot start it again; wait out a run. */
	while (s->running && !self)
		pthread_cond_wait(&intr_cond, &intr_lock);
	pthread_mutex_unlock(&intr_lock);
	if (!s->running)
		free(s);
	/* else: called from its own callback; intr_dispatch still holds s.
	 * Leak one small block rather than free it under the caller. */
	return 0;
}

void eal_intr_fini(void)
{
	uint64_t one = 1;
	struct intr_source *s;

	pthread_mutex_lock(&intr_lock);
	if (!intr_started) {
		pthread_mutex_unlock(&intr_lock);
		return;
	}
	pthread_mutex_unlock(&intr_lock);
	if (write(intr_stop_fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		INTR_LOG(ERR, "cannot wake the interrupt thread: %s",
			 strerror(errno));
	pthread_join(intr_thread, NULL);
	pthread_mutex_lock(&intr_lock);
	while ((s = intr_sources)) {
		INTR_LOG(WARNING, "fd %d still registered at cleanup (driver "
			 "bug: unregister it when the port stops)", s->fd);
		intr_sources = s->next;
		free(s);
	}
	close(intr_stop_fd);
	close(intr_epfd);
	intr_stop_fd = intr_epfd = -1;
	intr_started = 0;
	pthread_mutex_unlock(&intr_lock);
}

/* ---- epoll sets of rx interrupt mode ---------------------------------- */

static __thread int tls_epfd = -1;

int vfn_intr_tls_epfd(void)
{
	if (tls_epfd < 0)
		tls_epfd = epoll_create1(EPOLL_CLOEXEC);
	return tls_epfd;
}

static int epfd_resolve(int epfd)
{
	return epfd == VFN_EPOLL_PER_THREAD ? vfn_intr_tls_epfd() : epfd;
}

int vfn_epoll_ctl(int epfd, int op, int fd, struct vfn_epoll_event *event)
{
	struct epoll_event ev;

	if (!event) {
		errno = EINVAL;
		return -1;
	}
	epfd = epfd_resolve(epfd);
	if (epfd < 0)
		return -1;
	memset(&ev, 0, sizeof(ev));
	ev.events = event->epdata.event;
	ev.data.ptr = event;
	if (epoll_ctl(epfd, op, fd, &ev))
		return -1;
	if (op == EPOLL_CTL_DEL) {
		event->status = VFN_EPOLL_INVALID;
		return 0;
	}
	event->fd = fd;
	event->epfd = epfd;
	event->status = VFN_EPOLL_VALID;
	return 0;
}

static int epoll_wait_common(int epfd, struct vfn_epoll_event *events,
			     int maxevents, int timeout, int interruptible)
{
	struct epoll_event ev[32];
	int n, i;

	if (!events || maxevents <= 0) {
		errno = EINVAL;
		return -1;
	}
	epfd = epfd_resolve(epfd);
	if (epfd < 0)
		return -1;
	if (maxevents > 32)
		maxevents = 32;
	do {
		n = epoll_wait(epfd, ev, maxevents, timeout);
	} while (n < 0 && errno == EINTR && !interruptible);
	for (i = 0; i < n; i++) {
		struct vfn_epoll_event *e = ev[i].data.ptr;

		if (e->epdata.cb_fun)
			e->epdata.cb_fun(e->fd, e->epdata.cb_arg);
		events[i] = *e;
	}
	return n;
}

int vfn_epoll_wait(int epfd, struct vfn_epoll_event *events, int maxevents,
		   int timeout)
{
	return epoll_wait_common(epfd, events, maxevents, timeout, 0);
}

int vfn_epoll_wait_interruptible(int epfd, struct vfn_epoll_event *events,
				 int maxevents, int timeout)
{
	return epoll_wait_common(epfd, events, maxevents, timeout, 1);
}
