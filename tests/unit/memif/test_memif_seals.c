/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif region seals (TAP).  A memif server maps the region files
 * its client sends; a client that shrinks such a file afterwards makes
 * the server SIGBUS on its next access.  DPDK and libmemif clients seal
 * their memfds with F_SEAL_SHRINK, and vfnet's server refuses a memfd
 * region without that seal.
 *
 * This program plays a hand-written, hostile memif client against a
 * vfnet server port in the same process (the server runs in net_memif's
 * control thread), and a hand-written server against a vfnet client:
 *  - an unsealed memfd region is refused with a DISCONNECT naming
 *    F_SEAL_SHRINK, and so is a tmpfs file (it cannot take seals);
 *  - a sealed one is accepted, and shrinking it is impossible (EPERM);
 *  - past region 0, a memfd that cannot take seals (DPDK's zero-copy
 *    client shares its --no-huge memory so) is accepted, one that could
 *    be sealed and is not is refused;
 *  - vfnet's client sends its region sealed against shrinking, growing
 *    and further sealing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "vfn_ethdev.h"
#include "vfn_log.h"
#include "vfn_mbuf.h"
#include "vfn_mempool.h"
#include "vfn_vdev.h"
#include "vfn_tap.h"
#include "../../../pmd/memif/memif_proto.h"

#define REGION_SIZE (64 * 1024)

static char sock_path[108];
static struct vfn_mempool *pool;

/* ------------------------------------------------------------------ */
/* Raw protocol helpers */

static int msg_send(int fd, const struct memif_msg *m, int afd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (afd >= 0) {
		memset(ctl, 0, sizeof(ctl));
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(c), &afd, sizeof(int));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) == sizeof(*m) ? 0 : -1;
}

/* Receive one message within 3 s; *afd gets a passed fd or -1. */
static int msg_recv(int fd, struct memif_msg *m, int *afd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *c;
	ssize_t n;

	if (afd)
		*afd = -1;
	if (poll(&pfd, 1, 3000) != 1)
		return -1;
	memset(m, 0, sizeof(*m));
	n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	if (n != sizeof(*m))
		return -1;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_type == SCM_RIGHTS && afd)
			memcpy(afd, CMSG_DATA(c), sizeof(int));
	return 0;
}

static void sock_addr(struct sockaddr_un *un)
{
	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	snprintf(un->sun_path, sizeof(un->sun_path), "%s", sock_path);
}

/*
 * Connect to the vfnet server as a client and get through HELLO, INIT
 * and its ACK.  Returns the channel, or -1.
 */
static int hostile_connect(void)
{
	struct sockaddr_un un;
	struct memif_msg m;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	sock_addr(&un);
	if (fd < 0 || connect(fd, (struct sockaddr *)&un, sizeof(un)) ||
	    msg_recv(fd, &m, NULL) || m.type != MEMIF_MSG_HELLO)
		goto fail;
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_INIT;
	m.init.version = MEMIF_VERSION;
	m.init.id = 0;
	m.init.mode = MEMIF_MODE_ETHERNET;
	memcpy(m.init.name, "hostile", 7);
	if (msg_send(fd, &m, -1) || msg_recv(fd, &m, NULL) ||
	    m.type != MEMIF_MSG_ACK)
		goto fail;
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * Offer region 0 backed by @p rfd; returns the server's answer (ACK or
 * DISCONNECT) in @p m, or -1 when none came.
 */
static int offer_region_at(int cfd, uint16_t idx, int rfd,
			   struct memif_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = MEMIF_MSG_ADD_REGION;
	m->add_region.index = idx;
	m->add_region.size = REGION_SIZE;
	if (msg_send(cfd, m, rfd))
		return -1;
	return msg_recv(cfd, m, NULL);
}

static int offer_region(int cfd, int rfd, struct memif_msg *m)
{
	return offer_region_at(cfd, 0, rfd, m);
}

static int region_memfd_flags(unsigned int flags, unsigned int seals)
{
	int fd = memfd_create("hostile_region", MFD_CLOEXEC | flags);

	if (fd < 0 || ftruncate(fd, REGION_SIZE) ||
	    (seals && fcntl(fd, F_ADD_SEALS, seals))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int region_memfd(unsigned int seals)
{
	return region_memfd_flags(MFD_ALLOW_SEALING, seals);
}

static const char *reason(const struct memif_msg *m)
{
	static char buf[MEMIF_DISC_SZ + 1];

	if (m->type != MEMIF_MSG_DISCONNECT)
		return m->type == MEMIF_MSG_ACK ? "(ACK)" : "(other)";
	memcpy(buf, m->disconnect.string, MEMIF_DISC_SZ);
	buf[MEMIF_DISC_SZ] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* Cases against a vfnet server */

static void case_refused(const char *title, int rfd)
{
	struct memif_msg m;
	int cfd = hostile_connect(), ok;

	if (!TAP_CHECK(cfd >= 0 && rfd >= 0, "%s: handshake up to the "
		       "region", title)) {
		if (cfd >= 0)
			close(cfd);
		return;
	}
	ok = offer_region(cfd, rfd, &m) == 0;
	TAP_CHECK(ok && m.type == MEMIF_MSG_DISCONNECT &&
		  strstr(reason(&m), "F_SEAL_SHRINK"),
		  "%s: refused with a reason naming F_SEAL_SHRINK (got %s)",
		  title, reason(&m));
	close(cfd);
	close(rfd);
}

static void case_sealed(void)
{
	struct memif_msg m;
	int rfd = region_memfd(F_SEAL_SHRINK);
	int cfd = hostile_connect(), ok, err;

	if (!TAP_CHECK(cfd >= 0 && rfd >= 0, "sealed memfd: handshake up "
		       "to the region")) {
		if (cfd >= 0)
			close(cfd);
		if (rfd >= 0)
			close(rfd);
		return;
	}
	ok = offer_region(cfd, rfd, &m) == 0;
	TAP_CHECK(ok && m.type == MEMIF_MSG_ACK,
		  "sealed memfd: region accepted (got %s)", reason(&m));
	ok = ftruncate(rfd, REGION_SIZE / 2);
	err = errno;
	TAP_CHECK(ok < 0 && err == EPERM, "sealed memfd: the client cannot "
		  "shrink it after the server mapped it (%s)", strerror(err));
	close(cfd);
	close(rfd);
}

/*
 * Region 0 sealed, then region 1 backed by @p rfd: a zero-copy client's
 * EAL memory.  @p accept: whether the server must take it.
 */
static void case_region1(const char *title, int rfd, int accept)
{
	struct memif_msg m;
	int r0 = region_memfd(F_SEAL_SHRINK);
	int cfd = hostile_connect(), ok;

	if (!TAP_CHECK(cfd >= 0 && r0 >= 0 && rfd >= 0 &&
		       offer_region(cfd, r0, &m) == 0 &&
		       m.type == MEMIF_MSG_ACK, "%s: handshake and sealed "
		       "region 0 up to region 1", title))
		goto out;
	ok = offer_region_at(cfd, 1, rfd, &m) == 0;
	if (accept)
		TAP_CHECK(ok && m.type == MEMIF_MSG_ACK, "%s: accepted as "
			  "region 1 (got %s)", title, reason(&m));
	else
		TAP_CHECK(ok && m.type == MEMIF_MSG_DISCONNECT &&
			  strstr(reason(&m), "F_SEAL_SHRINK"), "%s: refused "
			  "as region 1, naming F_SEAL_SHRINK (got %s)", title,
			  reason(&m));
out:
	if (cfd >= 0)
		close(cfd);
	if (r0 >= 0)
		close(r0);
	if (rfd >= 0)
		close(rfd);
}

/* A file on tmpfs that is not a memfd: it cannot take seals. */
static int tmpfs_file(void)
{
	char path[] = "/dev/shm/vfn-memif-seal-XXXXXX";
	int fd = mkostemp(path, O_CLOEXEC);

	if (fd < 0)
		return -1;
	unlink(path);
	if (ftruncate(fd, REGION_SIZE)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void against_server(void)
{
	char args[256];
	uint16_t port;
	int ret;

	unlink(sock_path);
	snprintf(args, sizeof(args), "role=server,socket=%s,"
		 "socket-abstract=no", sock_path);
	ret = vfn_vdev_init("net_memif0", args);
	if (!TAP_EQ(ret, 0, "server port created"))
		return;
	vfn_eth_dev_get_port_by_name("net_memif0", &port);
	ret = vfn_eth_dev_configure(port, 1, 1, NULL);
	if (!ret)
		ret = vfn_eth_rx_queue_setup(port, 0, 256, -1, NULL, pool);
	if (!ret)
		ret = vfn_eth_tx_queue_setup(port, 0, 256, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start(port);
	if (TAP_EQ(ret, 0, "server port started")) {
		case_refused("unsealed memfd", region_memfd(0));
		case_refused("memfd sealed against growing only",
			     region_memfd(F_SEAL_GROW));
		case_refused("tmpfs file (cannot be sealed)", tmpfs_file());
		case_sealed();
		case_refused("memfd without MFD_ALLOW_SEALING as region 0",
			     region_memfd_flags(0, 0));
		case_region1("memfd without MFD_ALLOW_SEALING (DPDK's "
			     "--no-huge memory)", region_memfd_flags(0, 0), 1);
		case_region1("unsealed memfd that allows sealing",
			     region_memfd(0), 0);
		vfn_eth_dev_stop(port);
	}
	vfn_vdev_uninit("net_memif0");
}

/* ------------------------------------------------------------------ */
/* A hand-written server against a vfnet client */

static void against_client(void)
{
	const int want = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
	struct sockaddr_un un;
	struct memif_msg m;
	char args[256];
	uint16_t port;
	int lfd, cfd = -1, rfd = -1, seals = -1, ret;

	unlink(sock_path);
	sock_addr(&un);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (!TAP_CHECK(lfd >= 0 && !bind(lfd, (struct sockaddr *)&un,
					 sizeof(un)) && !listen(lfd, 1),
		       "hand-written server listens"))
		return;
	snprintf(args, sizeof(args), "role=client,socket=%s,"
		 "socket-abstract=no", sock_path);
	ret = vfn_vdev_init("net_memif1", args);
	vfn_eth_dev_get_port_by_name("net_memif1", &port);
	if (!ret)
		ret = vfn_eth_dev_configure(port, 1, 1, NULL);
	if (!ret)
		ret = vfn_eth_rx_queue_setup(port, 0, 256, -1, NULL, pool);
	if (!ret)
		ret = vfn_eth_tx_queue_setup(port, 0, 256, -1, NULL);
	if (!ret)
		ret = vfn_eth_dev_start(port);
	if (!TAP_EQ(ret, 0, "vfnet client started"))
		goto out;
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	memset(&m, 0, sizeof(m));
	m.type = MEMIF_MSG_HELLO;
	m.hello.min_version = m.hello.max_version = MEMIF_VERSION;
	m.hello.max_region = 0;
	m.hello.max_c2s_ring = m.hello.max_s2c_ring = 0;
	m.hello.max_log2_ring_size = 10;
	if (cfd >= 0 && !msg_send(cfd, &m, -1) && !msg_recv(cfd, &m, NULL) &&
	    m.type == MEMIF_MSG_INIT) {
		memset(&m, 0, sizeof(m));
		m.type = MEMIF_MSG_ACK;
		if (!msg_send(cfd, &m, -1) && !msg_recv(cfd, &m, &rfd) &&
		    m.type == MEMIF_MSG_ADD_REGION && rfd >= 0)
			seals = fcntl(rfd, F_GET_SEALS);
	}
	TAP_CHECK(seals >= 0 && (seals & want) == want, "vfnet client's "
		  "region is sealed against shrink, grow and new seals "
		  "(seals 0x%x)", seals);
	vfn_eth_dev_stop(port);
out:
	vfn_vdev_uninit("net_memif1");
	if (rfd >= 0)
		close(rfd);
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	unlink(sock_path);
}

int main(void)
{
	vfn_log_set_level(getenv("MEMIF_TEST_DEBUG") ? VFN_LOG_DEBUG :
			  VFN_LOG_CRIT);
	snprintf(sock_path, sizeof(sock_path), "/tmp/vfn-memif-seal-%d.sock",
		 (int)getpid());
	pool = vfn_pktmbuf_pool_create("seals", 2047, 0, 0, 2048 + 128, -1);
	if (!pool)
		tap_bail("cannot create the mbuf pool");
	against_server();
	against_client();
	unlink(sock_path);
	return tap_done();
}
