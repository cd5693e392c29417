/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_memif control path internals shared by memif_socket.c (sockets,
 * channels, the control thread) and memif_ctrl.c (the handshake,
 * regions, connect and disconnect).  Everything here is used with
 * memif_lock held.
 */
#ifndef MEMIF_CTRL_H
#define MEMIF_CTRL_H

#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "memif_private.h"

#define MEMIF_RETRY_MS 100
#define MEMIF_POLL_MS 50
#define MEMIF_DRAIN_MS 250
#define MEMIF_APP_NAME "vfnet " "0.1"

enum memif_ev_kind { EV_WAKE, EV_LISTEN, EV_CC };

struct memif_ev {
	enum memif_ev_kind kind;
	void *obj;
};

/* A socket address, shared by the devices that name it. */
struct memif_socket {
	TAILQ_ENTRY(memif_socket) next;
	char path[MEMIF_SOCKET_PATH_MAX];
	int abstract;
	int dead;
	int listen_fd;            /* -1 when no server device uses it */
	struct memif_ev ev;
	TAILQ_HEAD(, memif_dev) devs;
};

/* One queued outgoing message (client handshake). */
struct memif_out {
	struct memif_msg msg;
	int fd;                   /* to pass in SCM_RIGHTS, -1: none */
};

/*
 * A control channel: one connected Unix socket.  Closed channels (and
 * sockets) are not freed at once: the control thread may hold an epoll
 * event that points at them, harvested before the close.  They wait on a
 * dead list that the thread empties after it handled its events.
 */
struct memif_cc {
	TAILQ_ENTRY(memif_cc) next;
	int dead;
	int fd;
	struct memif_dev *dev;    /* NULL: server side before INIT */
	struct memif_socket *sock;
	struct memif_ev ev;
	struct memif_out *out;    /* client: INIT .. CONNECT */
	unsigned int nout, sent;
};

/* memif_socket.c */
extern TAILQ_HEAD(memif_cc_list, memif_cc) memif_ccs;
uint64_t memif_now_ms(void);
int memif_epoll_add(int fd, struct memif_ev *ev);
socklen_t memif_socket_addr(const struct memif_socket *s,
			    struct sockaddr_un *un);
void memif_cc_free(struct memif_cc *cc);

/* memif_ctrl.c */
void memif_graveyard_flush(struct memif_dev *md);
void memif_dev_disconnect(struct memif_dev *md, const char *reason);
void memif_dev_drain(struct memif_dev *md);
void memif_server_accept(struct memif_socket *s);
void memif_cc_readable(struct memif_cc *cc);

#endif /* MEMIF_CTRL_H */
