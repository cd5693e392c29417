/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port events and interrupts without hardware: the callback registry
 * (arguments, duplicates, VFN_ETH_ALL, order, unregister), link-state
 * changes of software ports polled by the interrupt thread (ring's
 * set_link_up/down, null's start/stop), the interrupt thread's fd
 * callbacks, the epoll helpers, and rx interrupt mode refused where the
 * driver has none.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_ring.h"
#include "vfn_ethdev.h"
#include "vfn_ethdev_driver.h"
#include "vfn_eth_ring.h"
#include "vfn_interrupts.h"
#include "vfn_vdev.h"
#include "vfn_cunit.h"

/* A link change must be reported within two poll periods plus slack. */
#define LSC_BOUND_MS (2 * VFN_ETH_LSC_POLL_MS + 250)

static struct vfn_mempool *mp;

static int suite_init(void)
{
	mp = vfn_pktmbuf_pool_create("ev_test", 512, 0, 0, 2048,
				     VFN_SOCKET_ID_ANY);
	return mp ? 0 : -1;
}

static int suite_fini(void)
{
	vfn_mempool_free(mp);
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* What an LSC callback saw. */
struct lsc_log {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int n;             /* events so far */
	int status[16];             /* link status read in the callback */
	uint16_t port[16];
	int on_intr_thread;         /* every call was on the interrupt thread */
};

static struct lsc_log lsc = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, {0}, {0}, 1,
};

static int lsc_cb(uint16_t port_id, enum vfn_eth_event_type event,
		  void *cb_arg, void *ret_param)
{
	struct vfn_eth_link link;

	(void)ret_param;
	(void)cb_arg;
	if (event != VFN_ETH_EVENT_INTR_LSC)
		return -1;
	vfn_eth_link_get_nowait(port_id, &link);
	pthread_mutex_lock(&lsc.lock);
	if (lsc.n < 16) {
		lsc.status[lsc.n] = link.link_status;
		lsc.port[lsc.n] = port_id;
	}
	lsc.n++;
	if (!vfn_thread_is_intr())
		lsc.on_intr_thread = 0;
	pthread_cond_broadcast(&lsc.cond);
	pthread_mutex_unlock(&lsc.lock);
	return 0;
}

static void lsc_reset(void)
{
	pthread_mutex_lock(&lsc.lock);
	lsc.n = 0;
	lsc.on_intr_thread = 1;
	pthread_mutex_unlock(&lsc.lock);
}

/* Wait up to @ms for event number @n (1-based); its delay in ms or -1. */
static double lsc_wait(unsigned int n, int ms)
{
	double t0 = now_ms();
	struct timespec dl;
	int ok;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&lsc.lock);
	while (lsc.n < n &&
	       pthread_cond_timedwait(&lsc.cond, &lsc.lock, &dl) == 0)
		;
	ok = lsc.n >= n;
	pthread_mutex_unlock(&lsc.lock);
	return ok ? now_ms() - t0 : -1;
}

static unsigned int lsc_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&lsc.lock);
	n = lsc.n;
	pthread_mutex_unlock(&lsc.lock);
	return n;
}

static int setup(int pid, const struct vfn_eth_conf *conf)
{
	int ret = vfn_eth_dev_configure(pid, 1, 1, conf);

	if (!ret)
		ret = vfn_eth_rx_queue_setup(pid, 0, 0, -1, NULL, mp);
	if (!ret)
		ret = vfn_eth_tx_queue_setup(pid, 0, 0, -1, NULL);
	return ret ? ret : vfn_eth_dev_start(pid);
}

/* Counting callbacks for the registry test. */
static int calls[3];
static int order[8];
static unsigned int norder;

static int count_cb(uint16_t port_id, enum vfn_eth_event_type event,
		    void *cb_arg, void *ret_param)
{
	int i = (int)(intptr_t)cb_arg;

	(void)port_id;
	(void)event;
	(void)ret_param;
	calls[i]++;
	if (norder < 8)
		order[norder++] = i;
	return 10 + i;
}

static void test_registry(void)
{
	struct vfn_ring *r = vfn_ring_create("ev_reg", 64, -1, 0);
	struct vfn_eth_dev *dev;
	int p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	p = vfn_eth_from_ring(r);
	CU_ASSERT_FATAL(p >= 0);
	dev = vfn_eth_dev_get(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dev);

	/* Arguments. */
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(p, VFN_ETH_EVENT_INTR_LSC,
						      NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(p, VFN_ETH_EVENT_MAX,
						      count_cb, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(p, VFN_ETH_EVENT_UNKNOWN,
						      count_cb, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(VFN_MAX_ETHPORTS - 1,
						      VFN_ETH_EVENT_INTR_LSC,
						      count_cb, NULL), -ENODEV);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_unregister(p, VFN_ETH_EVENT_INTR_LSC,
							count_cb, NULL), -ENOENT);

	/* Port 0's callback twice (one entry), then one for all ports. */
	memset(calls, 0, sizeof(calls));
	norder = 0;
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(p, VFN_ETH_EVENT_INTR_LSC,
						      count_cb, (void *)0), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(p, VFN_ETH_EVENT_INTR_LSC,
						      count_cb, (void *)0), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(VFN_ETH_ALL,
						      VFN_ETH_EVENT_INTR_LSC,
						      count_cb, (void *)1), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(p, VFN_ETH_EVENT_INTR_RESET,
						      count_cb, (void *)2), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_process(dev, VFN_ETH_EVENT_INTR_LSC,
						     NULL), 11);
	CU_ASSERT_EQUAL(calls[0], 1);
	CU_ASSERT_EQUAL(calls[1], 1);
	CU_ASSERT_EQUAL(calls[2], 0);
	CU_ASSERT_EQUAL(norder, 2);
	CU_ASSERT_EQUAL(order[0], 0); /* registration order */
	CU_ASSERT_EQUAL(order[1], 1);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_process(dev, VFN_ETH_EVENT_INTR_RESET,
						     NULL), 12);
	CU_ASSERT_EQUAL(calls[2], 1);

	/* (void *)-1 matches any argument, as DPDK. */
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_unregister(p, VFN_ETH_EVENT_INTR_LSC,
							count_cb, (void *)-1), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_process(dev, VFN_ETH_EVENT_INTR_LSC,
						     NULL), 11);
	CU_ASSERT_EQUAL(calls[0], 1);
	CU_ASSERT_EQUAL(calls[1], 2);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_unregister(VFN_ETH_ALL,
							VFN_ETH_EVENT_INTR_LSC,
							count_cb, (void *)1), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_process(dev, VFN_ETH_EVENT_INTR_LSC,
						     NULL), 0);
	CU_ASSERT_EQUAL(calls[1], 2);

	/* Closing the port drops its callbacks: a new port with the same
	 * id does not inherit the INTR_RESET one. */
	CU_ASSERT_EQUAL(vfn_eth_dev_close(p), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_unregister(p, VFN_ETH_EVENT_INTR_RESET,
							count_cb, (void *)2),
			-ENODEV);
	CU_ASSERT_EQUAL(vfn_eth_from_ring(r), p);
	dev = vfn_eth_dev_get(p);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_process(dev, VFN_ETH_EVENT_INTR_RESET,
						     NULL), 0);
	CU_ASSERT_EQUAL(calls[2], 1);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(p), 0);
	vfn_ring_free(r);
}

/* A ring port's link toggled with set_link_down/up is reported. */
static void test_lsc_poll_ring(void)
{
	struct vfn_eth_conf conf = { .intr_conf = { .lsc = 1 } };
	struct vfn_ring *r = vfn_ring_create("ev_lsc", 64, -1, 0);
	double d;
	int p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	p = vfn_eth_from_ring(r);
	CU_ASSERT_FATAL(p >= 0);
	lsc_reset();
	CU_ASSERT_EQUAL_FATAL(vfn_eth_dev_callback_register(p,
				VFN_ETH_EVENT_INTR_LSC, lsc_cb, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(setup(p, &conf), 0);

	d = lsc_wait(1, LSC_BOUND_MS);
	printf("\n  ring start -> link up event after %.0f ms\n", d);
	CU_ASSERT(d >= 0);
	CU_ASSERT_EQUAL(lsc.status[0], VFN_ETH_LINK_UP);
	CU_ASSERT_EQUAL(lsc.port[0], p);

	CU_ASSERT_EQUAL(vfn_eth_dev_set_link_down(p), 0);
	d = lsc_wait(2, LSC_BOUND_MS);
	printf("  set_link_down -> event after %.0f ms\n", d);
	CU_ASSERT(d >= 0);
	CU_ASSERT_EQUAL(lsc.status[1], VFN_ETH_LINK_DOWN);

	CU_ASSERT_EQUAL(vfn_eth_dev_set_link_up(p), 0);
	d = lsc_wait(3, LSC_BOUND_MS);
	printf("  set_link_up -> event after %.0f ms\n", d);
	CU_ASSERT(d >= 0);
	CU_ASSERT_EQUAL(lsc.status[2], VFN_ETH_LINK_UP);
	CU_ASSERT(lsc.on_intr_thread);

	/* No change, no event; a stopped port is not polled. */
	usleep(2 * VFN_ETH_LSC_POLL_MS * 1000);
	CU_ASSERT_EQUAL(lsc_count(), 3);
	CU_ASSERT_EQUAL(vfn_eth_dev_stop(p), 0);
	usleep(2 * VFN_ETH_LSC_POLL_MS * 1000);
	CU_ASSERT_EQUAL(lsc_count(), 3);

	CU_ASSERT_EQUAL(vfn_eth_dev_callback_unregister(p, VFN_ETH_EVENT_INTR_LSC,
							lsc_cb, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(p), 0);
	vfn_ring_free(r);
}

/* Without intr_conf.lsc nothing is reported; null ports: start = up. */
static void test_lsc_conf_and_null(void)
{
	struct vfn_eth_conf conf = { .intr_conf = { .lsc = 1 } };
	struct vfn_ring *r = vfn_ring_create("ev_nolsc", 64, -1, 0);
	uint16_t np;
	double d;
	int p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	p = vfn_eth_from_ring(r);
	CU_ASSERT_FATAL(p >= 0);
	CU_ASSERT_EQUAL_FATAL(vfn_vdev_init("net_null7", NULL), 0);
	CU_ASSERT_EQUAL_FATAL(vfn_eth_dev_get_port_by_name("net_null7", &np), 0);
	lsc_reset();
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_register(VFN_ETH_ALL,
				VFN_ETH_EVENT_INTR_LSC, lsc_cb, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(setup(p, NULL), 0); /* no intr_conf.lsc */
	CU_ASSERT_EQUAL(vfn_eth_dev_set_link_down(p), 0);
	CU_ASSERT_EQUAL_FATAL(setup(np, &conf), 0);
	d = lsc_wait(1, LSC_BOUND_MS);
	printf("\n  null start -> link up event after %.0f ms\n", d);
	CU_ASSERT(d >= 0);
	usleep(2 * VFN_ETH_LSC_POLL_MS * 1000);
	CU_ASSERT_EQUAL(lsc_count(), 1);
	CU_ASSERT_EQUAL(lsc.port[0], np);
	CU_ASSERT_EQUAL(lsc.status[0], VFN_ETH_LINK_UP);
	CU_ASSERT_EQUAL(vfn_eth_dev_callback_unregister(VFN_ETH_ALL,
				VFN_ETH_EVENT_INTR_LSC, lsc_cb, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(p), 0);
	CU_ASSERT_EQUAL(vfn_vdev_uninit("net_null7"), 0);
	vfn_ring_free(r);
}

static int fd_calls;
static pthread_t fd_thread;

static void fd_cb(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&fd_calls, 1, __ATOMIC_SEQ_CST);
	fd_thread = pthread_self();
}

/* The interrupt thread drains a registered eventfd and runs its callback. */
static void test_intr_thread(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	uint64_t one = 1, v;
	int i;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(vfn_intr_callback_register(-1, fd_cb, NULL), -EINVAL);
	CU_ASSERT_EQUAL(vfn_intr_callback_register(fd, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL_FATAL(vfn_intr_callback_register(fd, fd_cb, NULL), 0);
	CU_ASSERT_EQUAL(vfn_intr_callback_register(fd, fd_cb, NULL), -EEXIST);
	CU_ASSERT_EQUAL(write(fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	for (i = 0; i < 200 && !__atomic_load_n(&fd_calls, __ATOMIC_SEQ_CST); i++)
		usleep(5000);
	CU_ASSERT_EQUAL(fd_calls, 1);
	CU_ASSERT(!pthread_equal(fd_thread, pthread_self()));
	/* Drained by the thread before the callback. */
	CU_ASSERT_EQUAL(read(fd, &v, sizeof(v)), -1);
	CU_ASSERT_EQUAL(vfn_intr_callback_unregister(fd, fd_cb, (void *)1),
			-ENOENT);
	CU_ASSERT_EQUAL(vfn_intr_callback_unregister(fd, fd_cb, NULL), 0);
	CU_ASSERT_EQUAL(write(fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	usleep(50000);
	CU_ASSERT_EQUAL(fd_calls, 1);
	CU_ASSERT(!vfn_thread_is_intr());
	close(fd);
}

static int drained;

static void drain_cb(int fd, void *arg)
{
	uint64_t v;

	(void)arg;
	if (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		drained++;
}

/* The epoll helpers: per-thread set, data returned, cb_fun run. */
static void test_epoll(void)
{
	struct vfn_epoll_event reg, ev[4];
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	uint64_t one = 1;
	int epfd = vfn_intr_tls_epfd();

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(epfd >= 0);
	CU_ASSERT_EQUAL(vfn_intr_tls_epfd(), epfd);
	memset(&reg, 0, sizeof(reg));
	reg.epdata.event = EPOLLIN;
	reg.epdata.data = (void *)0x1234;
	reg.epdata.cb_fun = drain_cb;
	CU_ASSERT_EQUAL_FATAL(vfn_epoll_ctl(VFN_EPOLL_PER_THREAD, EPOLL_CTL_ADD,
					    fd, &reg), 0);
	CU_ASSERT_EQUAL(reg.status, VFN_EPOLL_VALID);
	CU_ASSERT_EQUAL(reg.epfd, epfd);
	CU_ASSERT_EQUAL(vfn_epoll_wait(VFN_EPOLL_PER_THREAD, ev, 4, 10), 0);
	CU_ASSERT_EQUAL(write(fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	CU_ASSERT_EQUAL(vfn_epoll_wait(VFN_EPOLL_PER_THREAD, ev, 4, 1000), 1);
	CU_ASSERT_PTR_EQUAL(ev[0].epdata.data, (void *)0x1234);
	CU_ASSERT_EQUAL(ev[0].fd, fd);
	CU_ASSERT_EQUAL(drained, 1);
	/* Drained: level-triggered epoll does not report it again. */
	CU_ASSERT_EQUAL(vfn_epoll_wait(VFN_EPOLL_PER_THREAD, ev, 4, 10), 0);
	CU_ASSERT_EQUAL(vfn_epoll_ctl(VFN_EPOLL_PER_THREAD, EPOLL_CTL_DEL, fd,
				      &reg), 0);
	CU_ASSERT_EQUAL(reg.status, VFN_EPOLL_INVALID);
	CU_ASSERT_EQUAL(vfn_epoll_wait(VFN_EPOLL_PER_THREAD, NULL, 4, 0), -1);
	close(fd);
}

/* Rx interrupts: refused on a driver without them, and before start. */
static void test_rx_intr_refused(void)
{
	struct vfn_eth_conf conf = { .intr_conf = { .rxq = 1 } };
	struct vfn_ring *r = vfn_ring_create("ev_rxq", 64, -1, 0);
	int p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	p = vfn_eth_from_ring(r);
	CU_ASSERT_FATAL(p >= 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_configure(p, 1, 1, &conf), -ENOTSUP);
	CU_ASSERT_EQUAL_FATAL(setup(p, NULL), 0);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_intr_enable(p, 0), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_intr_disable(p, 0), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_intr_enable(p, 1), -EINVAL);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_intr_ctl_q(p, 0, VFN_EPOLL_PER_THREAD,
						  VFN_INTR_EVENT_ADD, NULL),
			-EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_intr_ctl_q_get_fd(p, 0), -EPERM);
	CU_ASSERT_EQUAL(vfn_eth_dev_rx_intr_enable(VFN_MAX_ETHPORTS - 1, 0),
			-ENODEV);
	CU_ASSERT_EQUAL(vfn_eth_dev_close(p), 0);
	vfn_ring_free(r);
}

static const struct vfn_test_case event_cases[] = {
	{ "callback registry", test_registry },
	{ "polled LSC on a ring port (set_link_down/up)", test_lsc_poll_ring },
	{ "LSC only with intr_conf.lsc; null port start", test_lsc_conf_and_null },
	{ "interrupt thread fd callbacks", test_intr_thread },
	{ "epoll helpers", test_epoll },
	{ "rx interrupts refused without driver support", test_rx_intr_refused },
	{ NULL, NULL },
};

static const struct vfn_test_suite event_suite = {
	"pmd_port_event", suite_init, suite_fini, event_cases,
};

int main(void)
{
	const struct vfn_test_suite *suites[] = { &event_suite, NULL };

	return vfn_cunit_main(suites);
}
