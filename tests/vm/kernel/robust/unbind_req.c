/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unbind while in use, as upstream VFIO answers it: the driver signals
 * the user's REQ eventfd and waits.
 *  1. A user that closes on REQ lets the unbind finish.
 *  2. A user that ignores REQ keeps the unbind waiting; after a bounded
 *     wait (10 s, one request period) dmesg names the blocked task with
 *     upstream's words, "Device is currently in use, task "..." (pid)
 *     blocked until device is released"; the test then closes, and the
 *     unbind finishes.
 *  3. The same with a signal to the blocked unbinder: reported at once
 *     (upstream's only trigger for the message), then it finishes too.
 * After each, the device is unbound, its debugfs folder gone, nothing is
 * left; it is bound back for the next case.  No step waits unbounded.
 *
 * usage: unbind_req BDF   (bound to vfnet-pci or the compat vfio-pci)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vfio_env.h"
#include "vfn_tap.h"

#define MSG "Device is currently in use, task"

static struct venv env;
static const char *bdf;
static char driver[64];

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int bound(void)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	return lstat(path, &st) == 0;
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = -1;

	if (fd >= 0) {
		ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ?
		      0 : -1;
		close(fd);
	}
	return ret;
}

static int rebind(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", driver);
	return bound() ? 0 : sysfs_write(path, bdf);
}

/* The unbinder: a process of its own, since its write blocks. */
static pid_t start_unbind(void)
{
	char path[PATH_MAX];
	pid_t pid;

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind",
		 driver);
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		_exit(sysfs_write(path, bdf) ? 1 : 0);
	}
	return pid;
}

/* Wait up to @secs for @pid; 1 when it ended (status in *st) */
static int wait_for(pid_t pid, double secs, int *st)
{
	double end = now_s() + secs;

	do {
		if (waitpid(pid, st, WNOHANG) == pid)
			return 1;
		usleep(20000);
	} while (now_s() < end);
	return 0;
}

/* Whether dmesg has MSG naming @pid, waiting up to @secs */
static int dmesg_names(pid_t pid, double secs)
{
	static char log[1 << 20];
	char needle[64];
	double end = now_s() + secs;
	int n;

	snprintf(needle, sizeof(needle), "(%d) blocked until device is released",
		 pid);
	do {
		n = klogctl(3, log, sizeof(log) - 1);	/* READ_ALL */
		if (n > 0) {
			log[n] = 0;
			if (strstr(log, needle) && strstr(log, MSG))
				return 1;
		}
		usleep(100000);
	} while (now_s() < end);
	return 0;
}

/*
 * The user: opens the device, registers a REQ eventfd, reports "R" on
 * @up once set up and "Q" at the first REQ; closes on REQ if @obey,
 * else when @down is readable.  Exits 0 when it saw a REQ.
 */
static void user(int obey, int up, int down)
{
	struct {
		struct vfio_irq_set s;
		int32_t fd;
	} req = { .s = { .argsz = sizeof(req),
			 .flags = VFIO_IRQ_SET_DATA_EVENTFD |
				  VFIO_IRQ_SET_ACTION_TRIGGER,
			 .index = VFIO_PCI_REQ_IRQ_INDEX, .count = 1 } };
	struct pollfd p[2];
	struct vdev_fds f;
	uint64_t v;
	int saw = 0;

	req.fd = eventfd(0, EFD_CLOEXEC);
	if (vdev_open_fds(&env, bdf, 0, &f) ||
	    ioctl(f.device, VFIO_DEVICE_SET_IRQS, &req))
		_exit(2);
	if (write(up, "R", 1) != 1)
		_exit(3);
	p[0].fd = req.fd;
	p[0].events = POLLIN;
	p[1].fd = down;
	p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[0].revents & POLLIN) {
			if (read(req.fd, &v, sizeof(v)) == sizeof(v) && !saw) {
				saw = 1;
				if (write(up, "Q", 1) != 1)
					_exit(3);
			}
			if (obey)
				break;
		}
		if (p[1].revents)
			break;
	}
	vdev_close_fds(&f);
	_exit(saw ? 0 : 4);
}

/* A byte from the user within @secs, or 0 */
static char from_user(int fd, int secs)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c = 0;

	if (poll(&p, 1, secs * 1000) == 1 && read(fd, &c, 1) != 1)
		c = 0;
	return c;
}

static void check_after(const char *what)
{
	char path[PATH_MAX];
	struct venv_counts c;
	struct stat st;

	snprintf(path, sizeof(path), "%s/devices/%s", env.debugfs, bdf);
	TAP_CHECK(!bound(), "%s: the device is unbound", what);
	TAP_CHECK(stat(path, &st) != 0, "%s: its debugfs folder is gone",
		  what);
	TAP_CHECK(!venv_counts(&env, &c) && !c.containers && !c.pinned &&
		  !c.locked && !c.iommu_bytes,
		  "%s: nothing left in vfnet", what);
	TAP_OK(rebind(), "%s: bound back to %s", what, driver);
}

/* @how: 0 closes on REQ, 1 ignores REQ, 2 ignores it and we signal */
static void one_case(int how, const char *what)
{
	int up[2], down[2], st = 0, ust = 0, ended;
	pid_t u, w = -1;
	double t0;

	if (pipe(up) || pipe(down))
		tap_bail("pipe: %s", strerror(errno));
	u = fork();
	if (u == 0) {
		close(up[0]);
		close(down[1]);
		user(how == 0, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	if (!TAP_CHECK(from_user(up[0], 20) == 'R', "%s: the user holds %s",
		       what, bdf))
		goto out_user;
	t0 = now_s();
	w = start_unbind();
	TAP_CHECK(from_user(up[0], 20) == 'Q', "%s: REQ signalled (%.1f s)",
		  what, now_s() - t0);
	if (how == 0) {
		ended = wait_for(w, 20, &st);
		TAP_CHECK(ended && WIFEXITED(st) && !WEXITSTATUS(st),
			  "%s: the unbind finished once the user closed (%.1f s)",
			  what, now_s() - t0);
		goto out_unbinder;
	}
	TAP_CHECK(!wait_for(w, 1, &st),
		  "%s: the unbind waits while the user holds on", what);
	if (how == 2) {
		kill(w, SIGTERM);
		TAP_CHECK(dmesg_names(w, 3),
			  "%s: a signal to the unbinder is reported at once (\"" MSG " ... (%d) blocked ...\")",
			  what, w);
	} else {
		int named = dmesg_names(w, 25);

		TAP_CHECK(named,
			  "%s: dmesg names the blocked unbinder after %.1f s (\"" MSG " ... (%d) blocked ...\")",
			  what, now_s() - t0, w);
	}
	TAP_CHECK(!wait_for(w, 0.2, &st), "%s: and it still waits", what);
	if (write(down[1], "C", 1) != 1)
		tap_diag("cannot tell the user to close");
	ended = wait_for(w, 20, &st);
	TAP_CHECK(ended, "%s: the unbind finished once the user closed (%.1f s)",
		  what, now_s() - t0);
	if (how == 2)
		TAP_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
			  "%s: then the unbinder died of its signal (0x%x)",
			  what, st);
out_unbinder:
	if (!wait_for(w, 0, &st))
		kill(w, SIGKILL);	/* exits once the user below closes */
out_user:
	if (write(down[1], "C", 1) != 1 && errno != EPIPE)
		tap_diag("cannot tell the user to close: %s", strerror(errno));
	TAP_CHECK(wait_for(u, 20, &ust) && WIFEXITED(ust) &&
		  !WEXITSTATUS(ust), "%s: the user saw REQ and exited (0x%x)",
		  what, ust);
	if (w > 0)
		waitpid(w, &st, 0);
	close(up[0]);
	close(down[1]);
	check_after(what);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BDF\n", argv[0]);
		return 2;
	}
	bdf = argv[1];
	venv_init(&env);
	signal(SIGPIPE, SIG_IGN);	/* a user that already closed */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		tap_bail("%s is bound to no driver", bdf);
	link[n] = 0;
	snprintf(driver, sizeof(driver), "%s", strrchr(link, '/') + 1);
	tap_diag("%s on %s", bdf, driver);

	one_case(0, "closes on REQ");
	one_case(1, "ignores REQ");
	one_case(2, "ignores REQ, unbinder signalled");
	return tap_done();
}
