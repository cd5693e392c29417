/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_af_packet: the sockets.  Each is set up in the order the kernel
 * needs (version, options, rings, mmap, then bind, then fanout) so that
 * no packet is queued outside the ring; errors name the cause and the
 * fix.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vfn_log.h"
#include "afp_private.h"


/* Fanout as DPDK's: flow hash, IP defragmentation, rollover. */
#define AFP_FANOUT_FLAGS (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG | \
			  PACKET_FANOUT_FLAG_ROLLOVER)

uint32_t afp_frame_data_max(const struct afp_conf *c)
{
	/* A tx frame's data starts where TPACKET2_HDRLEN's sockaddr_ll
	 * would: the kernel's tpacket_snd offset without PACKET_TX_HAS_OFF. */
	return c->framesz - (uint32_t)(TPACKET2_HDRLEN -
				       sizeof(struct sockaddr_ll));
}

int afp_iface_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	if (ioctl(fd, req, ifr) != 0)
		ret = -errno;
	close(fd);
	return ret;
}

void afp_sock_close(struct afp_sock *s)
{
	if (s->map && s->map != MAP_FAILED)
		munmap(s->map, s->map_len);
	if (s->fd >= 0)
		close(s->fd);
	s->map = NULL;
	s->map_len = 0;
	s->fd = -1;
}

static int sockopt(const char *port, const struct afp_conf *c, int fd,
		   int opt, const char *name, const void *val, socklen_t len)
{
	int err;

	if (setsockopt(fd, SOL_PACKET, opt, val, len) == 0)
		return 0;
	err = errno;
	if (opt == PACKET_RX_RING || opt == PACKET_TX_RING)
		AFP_LOG(ERR, "%s: the kernel rejected the ring (blocksz=%u "
			 "framesz=%u framecnt=%u) on %s: %s: lower framecnt or "
			 "blocksz", port, c->blocksz, c->framesz, c->framecnt,
			 c->iface, strerror(err));
	else
		AFP_LOG(ERR, "%s: setsockopt(%s) on %s: %s", port, name,
			 c->iface, strerror(err));
	return -err;
}

int afp_sock_open(const char *port, const struct afp_conf *c, int ifindex,
		  int rx, int tx, struct afp_sock *s)
{
	struct tpacket_req req;
	struct sockaddr_ll sll;
	int ver = TPACKET_V2, one = 1, ret;
	size_t ring;

	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	s->map = NULL;
	if (s->fd < 0) {
		ret = -errno;
		if (ret == -EPERM || ret == -EACCES)
			AFP_LOG(ERR, "%s: AF_PACKET socket: %s: net_af_packet needs "
				 "CAP_NET_RAW (run as root, or `setcap "
				 "cap_net_raw+ep` the program)", port,
				 strerror(-ret));
		else
			AFP_LOG(ERR, "%s: AF_PACKET socket: %s: is the kernel "
				 "built with CONFIG_PACKET?", port, strerror(-ret));
		return ret;
	}
	req.tp_block_size = c->blocksz;
	req.tp_frame_size = c->framesz;
	req.tp_frame_nr = c->framecnt;
	req.tp_block_nr = c->framecnt / (c->blocksz / c->framesz);
	ring = (size_t)req.tp_block_size * req.tp_block_nr;
	ret = sockopt(port, c, s->fd, PACKET_VERSION, "PACKET_VERSION", &ver,
		      sizeof(ver));
	/* A malformed tx frame is dropped, not left blocking the ring. */
	if (!ret)
		ret = sockopt(port, c, s->fd, PACKET_LOSS, "PACKET_LOSS", &one,
			      sizeof(one));
	if (!ret && c->qdisc_bypass)
		ret = sockopt(port, c, s->fd, PACKET_QDISC_BYPASS,
			      "PACKET_QDISC_BYPASS", &one, sizeof(one));
	if (!ret && rx)
		ret = sockopt(port, c, s->fd, PACKET_RX_RING, "PACKET_RX_RING",
			      &req, sizeof(req));
	if (!ret && tx)
		ret = sockopt(port, c, s->fd, PACKET_TX_RING, "PACKET_TX_RING",
			      &req, sizeof(req));
	if (ret)
		goto fail;
	s->map_len = ring * (size_t)(!!rx + !!tx);
	s->map = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		      s->fd, 0);
	if (s->map == MAP_FAILED) {
		ret = -errno;
		AFP_LOG(ERR, "%s: mmap of the %zu-byte rings of %s: %s: lower "
			 "framecnt", port, s->map_len, c->iface, strerror(-ret));
		goto fail;
	}
	/* A tx-only socket binds to no protocol: it never receives. */
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = rx ? htons(ETH_P_ALL) : 0;
	sll.sll_ifindex = ifindex;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0) {
		ret = -errno;
		AFP_LOG(ERR, "%s: bind to %s: %s", port, c->iface,
			 strerror(-ret));
		goto fail;
	}
	return 0;
fail:
	afp_sock_close(s);
	return ret;
}

/*
 * Put @fd in fanout group *@group; -1 creates a group with an id the
 * kernel picks unique (no collision with other processes' groups).
 */
int afp_fanout_join(const char *port, int fd, int *group)
{
	uint32_t arg;
	socklen_t len = sizeof(arg);
	int ret;

	/* id in bits 0..15, mode and flags in bits 16..31 */
	if (*group < 0)
		arg = (uint32_t)(AFP_FANOUT_FLAGS | PACKET_FANOUT_FLAG_UNIQUEID)
		      << 16;
	else
		arg = (uint32_t)AFP_FANOUT_FLAGS << 16 | (uint32_t)*group;
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof(arg)) != 0) {
		ret = -errno;
		AFP_LOG(ERR, "%s: PACKET_FANOUT: %s: several queue pairs need a "
			 "kernel with packet fanout (Linux >= 4.2)", port,
			 strerror(-ret));
		return ret;
	}
	if (*group < 0) {
		if (getsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, &len) != 0) {
			ret = -errno;
			AFP_LOG(ERR, "%s: reading the fanout group id: %s", port,
				 strerror(-ret));
			return ret;
		}
		*group = (int)(arg & 0xffff);
	}
	return 0;
}
