/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfn_netns.h - veth pairs for native tests of the software PMDs
 * (af_packet, af_xdp, pcap live capture), without a VM.
 *
 * vfn_netns_enter() moves the calling test process into a network
 * namespace of its own (unshare(CLONE_NEWNET)).  Every interface the test
 * then creates lives in that namespace, which the kernel destroys with
 * the last process in it: the veth pairs go away on any exit path (a
 * failed check, a crash, SIGKILL) with no trap and no cleanup code, and
 * tests running in parallel cannot collide on interface names.
 *
 *   char why[256];
 *   if (vfn_netns_enter(why, sizeof(why)) ||
 *       vfn_veth_add("veth0", "veth1", why, sizeof(why)))
 *           skip the test with reason `why` (TAP SKIP / exit 77)
 *
 * Both return 0, or -1 with a reason the machine lacks something (not
 * root, no network namespaces, no veth driver, no `ip`).
 */
#ifndef VFN_NETNS_H
#define VFN_NETNS_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/** Run a shell command quietly; @return its exit status (-1: not run). */
static inline int vfn_netns_sh(const char *cmd)
{
	char buf[1024];
	int st;

	snprintf(buf, sizeof(buf), "%s >/dev/null 2>&1", cmd);
	st = system(buf);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/** Write @p val to the sysctl file @p path; @return 0 or -1. */
static inline int vfn_netns_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/**
 * Enter a private network namespace (the process's own; it dies with the
 * process) and bring its loopback up.
 * @return 0, or -1 with the reason in @p why
 */
static inline int vfn_netns_enter(char *why, size_t len)
{
	if (geteuid() != 0) {
		snprintf(why, len, "needs root (CAP_NET_ADMIN, CAP_NET_RAW) "
			 "to create network namespaces and veth pairs");
		return -1;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		snprintf(why, len, "unshare(CLONE_NEWNET): %s: no network "
			 "namespaces here", strerror(errno));
		return -1;
	}
	if (vfn_netns_sh("ip link set lo up") != 0) {
		snprintf(why, len, "`ip link set lo up` failed: install "
			 "iproute2");
		return -1;
	}
	return 0;
}

/**
 * Create veth pair @p a <-> @p b in the current namespace, IPv6 off on
 * both (so the kernel sends no router/neighbour solicitations that would
 * disturb exact packet counts), both up.
 * @return 0, or -1 with the reason in @p why
 */
static inline int vfn_veth_add(const char *a, const char *b, char *why,
			       size_t len)
{
	const char *ifs[2] = { a, b };
	char cmd[256];
	int i;

	snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name %s",
		 a, b);
	if (vfn_netns_sh(cmd) != 0) {
		snprintf(why, len, "`%.120s` failed: no veth driver (modprobe "
			 "veth) or no iproute2", cmd);
		return -1;
	}
	for (i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd),
			 "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifs[i]);
		/* No IPv6 in the kernel: nothing to silence. */
		(void)vfn_netns_sysctl(cmd, "1");
		snprintf(cmd, sizeof(cmd), "ip link set %s up", ifs[i]);
		if (vfn_netns_sh(cmd) != 0) {
			snprintf(why, len, "`%.120s` failed", cmd);
			return -1;
		}
	}
	return 0;
}

/** Run `ip link set @p ifname @p what` ("down", "up", "mtu 9000"). */
static inline int vfn_link_set(const char *ifname, const char *what)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "ip link set %s %s", ifname, what);
	return vfn_netns_sh(cmd);
}

#endif /* VFN_NETNS_H */
