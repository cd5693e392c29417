/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unbind while open: the driver must ask the user to let go (REQ
 * eventfd), keep the unbind waiting while the fd is open, and finish it
 * once the user closes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "pci_tests.h"

static int wait_child(pid_t pid, int ms, int *status)
{
	for (; ms > 0; ms -= 50) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		usleep(50000);
	}
	return -1;
}

void test_unbind(struct dev_ctx *c, const char *driver)
{
	char path[PATH_MAX];
	struct stat st;
	int efd = eventfd(0, EFD_NONBLOCK), ret, status = 0;
	pid_t pid;

	ret = set_irqs_eventfd(&c->v, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &efd);
	TAP_CHECK(ret == 0, "REQ eventfd: %d", ret);

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind", driver);
	pid = fork();
	if (pid == 0) {
		int fd;

		/* the child must not hold the device open itself */
		close(c->v.device);
		close(c->v.group);
		close(c->v.container);
		fd = open(path, O_WRONLY);

		if (fd < 0)
			_exit(2);
		_exit(write(fd, c->v.bdf, strlen(c->v.bdf)) == (ssize_t)strlen(c->v.bdf) ? 0 : 1);
	}
	TAP_CHECK(pid > 0, "fork");
	if (pid <= 0)
		return;

	TAP_CHECK(eventfd_wait(efd, 15000) >= 1, "REQ signalled after unbind started");
	TAP_CHECK(waitpid(pid, &status, WNOHANG) == 0, "unbind finished while the device is open");

	vfio_dev_close(&c->v);
	ret = wait_child(pid, 30000, &status);
	TAP_CHECK(ret == 0, "unbind completes after close");
	if (ret) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	TAP_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unbind write failed: %#x", status);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", c->v.bdf);
	TAP_CHECK(lstat(path, &st) != 0, "device unbound after unbind");
	close(efd);
}
