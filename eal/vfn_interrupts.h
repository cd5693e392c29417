/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Interrupts outside the data path (DPDK's rte_interrupts.h and
 * rte_epoll.h, spelled vfn_).
 *
 * Two users:
 *
 *  - **The interrupt thread** ("vfn-intr", DPDK's eal-intr-thread): one
 *    control thread, started on the first vfn_intr_callback_register()
 *    and joined by vfn_eal_cleanup(), that sleeps in epoll_wait() on the
 *    file descriptors drivers register (the eventfd of a device's
 *    link/"other" MSI-X vector, a timerfd) and, when one becomes
 *    readable, drains it (one 8-byte read, as eventfd and timerfd take)
 *    and calls its callback.  Callbacks run one at a time, on that
 *    thread, never on a data-path lcore; they may block briefly (register
 *    reads, a log line) but must not wait for the data path.
 *
 *  - **Rx interrupt mode** (an lcore sleeping on idle queues, DPDK's
 *    l3fwd-power): an lcore adds the eventfds of its rx queues to an
 *    epoll set with vfn_eth_dev_rx_intr_ctl_q() (usually its own
 *    per-thread set, #VFN_EPOLL_PER_THREAD), arms them with
 *    vfn_eth_dev_rx_intr_enable() and sleeps in vfn_epoll_wait(), which
 *    drains the eventfds that fired and reports which queues they were
 *    through vfn_epoll_event.epdata.data.
 *
 * Not on the data path: every call here is a system call.
 */
#ifndef VFN_INTERRUPTS_H
#define VFN_INTERRUPTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Interrupt-thread callback: called on the interrupt thread after the
 * registered file descriptor became readable and was drained.
 */
typedef void (*vfn_intr_callback_fn)(void *cb_arg);

/**
 * Watch @p fd (an eventfd or timerfd: readable means "an event
 * happened", an 8-byte read clears it) from the interrupt thread and call
 * @p cb with @p cb_arg each time it fires.  Starts the thread on first
 * use.  A file descriptor may be registered once.
 * @return 0, -EINVAL (fd < 0 or NULL @p cb), -EEXIST (@p fd is already
 *         registered), -ENOMEM, or the errno of epoll_ctl() /
 *         pthread_create()
 */
int vfn_intr_callback_register(int fd, vfn_intr_callback_fn cb, void *cb_arg);

/**
 * Stop watching @p fd.  Synchronous: when it returns, @p cb is not
 * running and will not be called again for @p fd, so the caller may free
 * @p cb_arg (unless called from the callback itself, on the interrupt
 * thread, where it only removes the registration).  Unregister before
 * closing @p fd.
 * @return 0, or -ENOENT when (@p fd, @p cb, @p cb_arg) is not registered
 */
int vfn_intr_callback_unregister(int fd, vfn_intr_callback_fn cb,
				 void *cb_arg);

/** 1 when the calling thread is the interrupt thread, 0 otherwise. */
int vfn_thread_is_intr(void);

/** @name epoll sets for rx interrupt mode (DPDK's rte_epoll.h) */
/** @{ */

/** Use the calling thread's own epoll set (created on first use). */
#define VFN_EPOLL_PER_THREAD -1

/** vfn_eth_dev_rx_intr_ctl_q() op: add the queue's eventfd to the set. */
#define VFN_INTR_EVENT_ADD 1UL
/** vfn_eth_dev_rx_intr_ctl_q() op: remove the queue's eventfd from the set. */
#define VFN_INTR_EVENT_DEL 2UL

/** Called by vfn_epoll_wait() for a ready event, before it is returned. */
typedef void (*vfn_intr_event_cb_t)(int fd, void *arg);

/** What an epoll registration carries (DPDK's struct rte_epoll_data). */
struct vfn_epoll_data {
	uint32_t event;             /**< epoll event mask (EPOLLIN) */
	void *data;                 /**< the user's data, returned on wake-up */
	vfn_intr_event_cb_t cb_fun; /**< run by vfn_epoll_wait() (drains the fd) */
	void *cb_arg;               /**< argument of cb_fun */
};

/** @name vfn_epoll_event.status */
/** @{ */
#define VFN_EPOLL_INVALID 0 /**< not in any epoll set */
#define VFN_EPOLL_VALID   1 /**< in the epoll set epfd */
/** @} */

/** One registration / one ready event (DPDK's struct rte_epoll_event). */
struct vfn_epoll_event {
	uint32_t status;              /**< VFN_EPOLL_INVALID or VFN_EPOLL_VALID */
	int fd;                       /**< the eventfd watched */
	int epfd;                     /**< the epoll set it is in */
	struct vfn_epoll_data epdata; /**< what was registered */
};

/**
 * The calling thread's epoll set (what #VFN_EPOLL_PER_THREAD means),
 * created on first call and kept for the thread's life.
 * @return the epoll fd, or -1 with errno set
 */
int vfn_intr_tls_epfd(void);

/**
 * Add (EPOLL_CTL_ADD), change (EPOLL_CTL_MOD) or remove (EPOLL_CTL_DEL)
 * @p fd in the epoll set @p epfd (or #VFN_EPOLL_PER_THREAD).  @p event
 * stays owned by the caller and must outlive the registration: a ready
 * event is returned as a copy of it by vfn_epoll_wait().  Its status,
 * fd and epfd are set here.
 * @return 0, or -1 with errno set (EINVAL for a NULL @p event)
 */
int vfn_epoll_ctl(int epfd, int op, int fd, struct vfn_epoll_event *event);

/**
 * Sleep until an fd of the epoll set @p epfd (or #VFN_EPOLL_PER_THREAD)
 * is ready or @p timeout ms pass (-1: no limit).  For each ready
 * registration, its epdata.cb_fun runs (for rx queues: the eventfd is
 * drained) and a copy of it is stored in @p events.  A signal does not
 * end the wait early (the wait resumes; use
 * vfn_epoll_wait_interruptible() to return on signals).
 * @return number of events stored (0 on timeout), or -1 with errno set
 */
int vfn_epoll_wait(int epfd, struct vfn_epoll_event *events, int maxevents,
		   int timeout);

/** As vfn_epoll_wait(), but returns -1 with errno EINTR on a signal. */
int vfn_epoll_wait_interruptible(int epfd, struct vfn_epoll_event *events,
				 int maxevents, int timeout);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* VFN_INTERRUPTS_H */
