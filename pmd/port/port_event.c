/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port events (DPDK's rte_eth_dev_callback_*): the callback registry,
 * link-state polling for ports without a link interrupt, and link up/down.
 *
 * Locking:
 *  - cb_lock protects the callback list.  vfn_eth_dev_callback_process()
 *    drops it around each callback, which it marks active so that
 *    unregister answers -EAGAIN instead of freeing it under the caller.
 *  - lsc_lock protects the poll set (port->lsc_polled, lsc_reported); the
 *    poll callback holds it while it reads links, never while it runs
 *    application callbacks.
 *  - lsc_timer_lock serializes the timerfd's creation and removal; the
 *    poll callback never takes it, so removing the timer (which waits for
 *    a running poll) cannot deadlock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "port_internal.h"

struct port_cb {
	struct port_cb *next;
	uint16_t port_id;          /* or VFN_ETH_ALL */
	enum vfn_eth_event_type event;
	vfn_eth_dev_cb_fn fn;
	void *arg;
	unsigned int active;       /* running now: do not free */
};

static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;
static struct port_cb *cb_list;

static int cb_args_check(uint16_t port_id, enum vfn_eth_event_type event,
			 vfn_eth_dev_cb_fn fn, const char *func)
{
	if (!fn || event <= VFN_ETH_EVENT_UNKNOWN || event >= VFN_ETH_EVENT_MAX) {
		PORT_LOG(ERR, "%s: needs a callback function and an event "
			 "type such as VFN_ETH_EVENT_INTR_LSC", func);
		return -EINVAL;
	}
	if (port_id != VFN_ETH_ALL && !port_lookup(port_id, func))
		return -ENODEV;
	return 0;
}

int vfn_eth_dev_callback_register(uint16_t port_id,
				  enum vfn_eth_event_type event,
				  vfn_eth_dev_cb_fn cb_fn, void *cb_arg)
{
	struct port_cb *c, **pp;
	int ret = cb_args_check(port_id, event, cb_fn, __func__);

	if (ret)
		return ret;
	pthread_mutex_lock(&cb_lock);
	for (pp = &cb_list; *pp; pp = &(*pp)->next) {
		c = *pp;
		if (c->port_id == port_id && c->event == event &&
		    c->fn == cb_fn && c->arg == cb_arg) {
			pthread_mutex_unlock(&cb_lock);
			return 0;
		}
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		pthread_mutex_unlock(&cb_lock);
		return -ENOMEM;
	}
	c->port_id = port_id;
	c->event = event;
	c->fn = cb_fn;
	c->arg = cb_arg;
	*pp = c; /* at the tail: callbacks run in registration order */
	pthread_mutex_unlock(&cb_lock);
	return 0;
}

int vfn_eth_dev_callback_unregister(uint16_t port_id,
				    enum vfn_eth_event_type event,
				    vfn_eth_dev_cb_fn cb_fn, void *cb_arg)
{
	struct port_cb *c, **pp;
	int ret = cb_args_check(port_id, event, cb_fn, __func__);
	int found = 0;

	if (ret)
		return ret;
	pthread_mutex_lock(&cb_lock);
	for (pp = &cb_list; (c = *pp);) {
		if (c->port_id != port_id || c->event != event ||
		    c->fn != cb_fn ||
		    (cb_arg != (void *)-1 && c->arg != cb_arg)) {
			pp = &c->next;
			continue;
		}
		found = 1;
		if (c->active) {
			ret = -EAGAIN;
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		free(c);
	}
	pthread_mutex_unlock(&cb_lock);
	return ret ? ret : (found ? 0 : -ENOENT);
}

/* Run the callbacks of @event for @port_id (by id: the port may be gone). */
static int port_event_fire(uint16_t port_id, enum vfn_eth_event_type event,
			   void *ret_param)
{
	struct port_cb *c;
	int ret = 0;

	pthread_mutex_lock(&cb_lock);
	for (c = cb_list; c; c = c->next) {
		if (c->event != event ||
		    (c->port_id != port_id && c->port_id != VFN_ETH_ALL))
			continue;
		c->active++;
		pthread_mutex_unlock(&cb_lock);
		ret = c->fn(port_id, event, c->arg, ret_param);
		pthread_mutex_lock(&cb_lock);
		c->active--;
	}
	pthread_mutex_unlock(&cb_lock);
	return ret;
}

int vfn_eth_dev_callback_process(struct vfn_eth_dev *port,
				 enum vfn_eth_event_type event,
				 void *ret_param)
{
	if (!port)
		return 0;
	return port_event_fire(port->port_id, event, ret_param);
}

void port_event_port_release(uint16_t port_id)
{
	struct port_cb *c, **pp;

	pthread_mutex_lock(&cb_lock);
	for (pp = &cb_list; (c = *pp);) {
		if (c->port_id == port_id && !c->active) {
			*pp = c->next;
			free(c);
		} else {
			pp = &c->next;
		}
	}
	pthread_mutex_unlock(&cb_lock);
}

/* ---- link polling for ports without a link interrupt ------------------ */

static pthread_mutex_t lsc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lsc_timer_lock = PTHREAD_MUTEX_INITIALIZER;
static int lsc_timer_fd = -1;
static unsigned int lsc_nb_polled;

/* Interrupt thread, every VFN_ETH_LSC_POLL_MS: report changed links. */
static void lsc_poll(void *arg)
{
	uint8_t changed[VFN_MAX_ETHPORTS];
	struct vfn_eth_link link;
	uint16_t id;

	(void)arg;
	memset(changed, 0, sizeof(changed));
	pthread_mutex_lock(&lsc_lock);
	for (id = 0; id < VFN_MAX_ETHPORTS; id++) {
		struct vfn_eth_dev *port = vfn_eth_dev_get(id);

		if (!port || !port->lsc_polled)
			continue;
		if (port->ops->link_update)
			port->ops->link_update(port, 0);
		vfn_eth_linkstatus_get(port, &link);
		if (link.link_status != port->lsc_reported.link_status ||
		    link.link_speed != port->lsc_reported.link_speed) {
			port->lsc_reported = link;
			changed[id] = 1;
		}
	}
	pthread_mutex_unlock(&lsc_lock);
	for (id = 0; id < VFN_MAX_ETHPORTS; id++)
		if (changed[id])
			port_event_fire(id, VFN_ETH_EVENT_INTR_LSC, NULL);
}

static int lsc_timer_start(void)
{
	struct itimerspec its = {
		.it_interval = { 0, VFN_ETH_LSC_POLL_MS * 1000000L },
		.it_value = { 0, VFN_ETH_LSC_POLL_MS * 1000000L },
	};
	int fd, ret;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (timerfd_settime(fd, 0, &its, NULL)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = vfn_intr_callback_register(fd, lsc_poll, NULL);
	if (ret) {
		close(fd);
		return ret;
	}
	lsc_timer_fd = fd;
	return 0;
}

int port_lsc_start(struct vfn_eth_dev *port)
{
	int ret = 0;

	if (!port->conf.intr_conf.lsc || (port->dev_flags & VFN_ETH_DEV_INTR_LSC))
		return 0;
	pthread_mutex_lock(&lsc_timer_lock);
	if (lsc_timer_fd < 0)
		ret = lsc_timer_start();
	if (ret) {
		pthread_mutex_unlock(&lsc_timer_lock);
		PORT_LOG(ERR, "%s: cannot poll the link for intr_conf.lsc: %s",
			 port->name, strerror(-ret));
		return ret;
	}
	pthread_mutex_lock(&lsc_lock);
	/* Down until the first poll: a link up at start is a change. */
	memset(&port->lsc_reported, 0, sizeof(port->lsc_reported));
	if (!port->lsc_polled)
		lsc_nb_polled++;
	port->lsc_polled = 1;
	pthread_mutex_unlock(&lsc_lock);
	pthread_mutex_unlock(&lsc_timer_lock);
	return 0;
}

void port_lsc_stop(struct vfn_eth_dev *port)
{
	unsigned int left;
	int fd = -1;

	pthread_mutex_lock(&lsc_timer_lock);
	pthread_mutex_lock(&lsc_lock);
	if (port->lsc_polled) {
		port->lsc_polled = 0;
		lsc_nb_polled--;
	}
	left = lsc_nb_polled;
	pthread_mutex_unlock(&lsc_lock);
	if (!left && lsc_timer_fd >= 0) {
		fd = lsc_timer_fd;
		lsc_timer_fd = -1;
		/* Waits for a running poll, which never takes lsc_timer_lock. */
		vfn_intr_callback_unregister(fd, lsc_poll, NULL);
		close(fd);
	}
	pthread_mutex_unlock(&lsc_timer_lock);
}

/* ---- link up / down ---------------------------------------------------- */

static int link_set(uint16_t port_id, int up, const char *func)
{
	struct vfn_eth_dev *port = port_lookup(port_id, func);
	int (*op)(struct vfn_eth_dev *);

	if (!port)
		return -ENODEV;
	op = up ? port->ops->dev_set_link_up : port->ops->dev_set_link_down;
	if (!op) {
		PORT_LOG(ERR, "%s: driver %s cannot set the link %s", port->name,
			 port->driver_name, up ? "up" : "down");
		return -ENOTSUP;
	}
	return op(port);
}

int vfn_eth_dev_set_link_up(uint16_t port_id)
{
	return link_set(port_id, 1, __func__);
}

int vfn_eth_dev_set_link_down(uint16_t port_id)
{
	return link_set(port_id, 0, __func__);
}
