/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry server: DPDK's telemetry protocol v2 (DPDK 22.11
 * lib/telemetry/telemetry.c, written anew) on a Unix SOCK_SEQPACKET
 * socket, the command registry, and the protocol's own commands "/",
 * "/info" and "/help".
 *
 * Threads: one listener polls the socket and a stop pipe; each accepted
 * client gets a thread (at most VFN_TELEMETRY_MAX_CLIENTS; more are closed
 * at once, as DPDK does).  Client threads run the callbacks; they never
 * touch a queue.  A client slot's fd is closed only by whoever joins its
 * thread (the listener reaping finished slots, or eal_telemetry_fini()),
 * so shutdown() in fini never hits a reused fd.  Replies go out with
 * MSG_NOSIGNAL: a client that leaves mid-reply costs an EPIPE, not the
 * process.  The threads block every signal: the application's handlers
 * run on its own threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "eal_private.h"
#include "vfn_log.h"
#include "vfn_telemetry.h"
#include "telemetry_internal.h"

#ifndef VFN_VERSION
#define VFN_VERSION "0"
#endif
#define TEL_VERSION "vfnet " VFN_VERSION
#define TEL_MAX_INSTANCES 16

struct tel_cmd {
	char cmd[VFN_TELEMETRY_MAX_CMD_LEN];
	vfn_telemetry_cb fn;
	char help[VFN_TELEMETRY_MAX_HELP_LEN];
};

/* The registry, sorted by name; cmd_lock guards it (callbacks run
 * outside the lock). */
static pthread_mutex_t cmd_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tel_cmd cmds[VFN_TELEMETRY_MAX_CMDS];
static unsigned int nb_cmds;

struct tel_client {
	bool used;
	bool done;      /* the thread returned: join it, close fd */
	int fd;
	pthread_t th;
};

/* Server state; slot_lock guards clients[]. */
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tel_client clients[VFN_TELEMETRY_MAX_CLIENTS];
static int listen_fd = -1;
static int stop_pipe[2] = { -1, -1 };
static pthread_t listener;
static bool running;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static char sock_dir[PATH_MAX];

static bool valid_cmd_name(const char *cmd)
{
	size_t n = strnlen(cmd, VFN_TELEMETRY_MAX_CMD_LEN);

	if (n == 0 || n >= VFN_TELEMETRY_MAX_CMD_LEN || cmd[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = cmd[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '/' ||
		      c == '-'))
			return false;
	}
	return true;
}

int vfn_telemetry_register_cmd(const char *cmd, vfn_telemetry_cb fn,
			       const char *help)
{
	unsigned int i;
	int ret = 0;

	if (!cmd || !fn || !help || !valid_cmd_name(cmd) ||
	    strnlen(help, VFN_TELEMETRY_MAX_HELP_LEN) >=
	    VFN_TELEMETRY_MAX_HELP_LEN)
		return -EINVAL;
	pthread_mutex_lock(&cmd_lock);
	for (i = 0; i < nb_cmds && strcmp(cmds[i].cmd, cmd) < 0; i++)
		;
	if (i < nb_cmds && !strcmp(cmds[i].cmd, cmd))
		ret = -EEXIST;
	else if (nb_cmds == VFN_TELEMETRY_MAX_CMDS)
		ret = -ENOSPC;
	if (ret) {
		pthread_mutex_unlock(&cmd_lock);
		return ret;
	}
	memmove(&cmds[i + 1], &cmds[i], (nb_cmds - i) * sizeof(cmds[0]));
	snprintf(cmds[i].cmd, sizeof(cmds[i].cmd), "%s", cmd);
	snprintf(cmds[i].help, sizeof(cmds[i].help), "%s", help);
	cmds[i].fn = fn;
	nb_cmds++;
	pthread_mutex_unlock(&cmd_lock);
	return 0;
}

/* The callback of @cmd, or NULL. */
static vfn_telemetry_cb find_cmd(const char *cmd)
{
	vfn_telemetry_cb fn = NULL;

	pthread_mutex_lock(&cmd_lock);
	for (unsigned int i = 0; i < nb_cmds; i++)
		if (!strcmp(cmds[i].cmd, cmd)) {
			fn = cmds[i].fn;
			break;
		}
	pthread_mutex_unlock(&cmd_lock);
	return fn;
}

static int cmd_list(const char *cmd, const char *params,
		    struct vfn_tel_data *d)
{
	(void)cmd;
	(void)params;
	vfn_tel_data_start_array(d, VFN_TEL_STRING_VAL);
	pthread_mutex_lock(&cmd_lock);
	for (unsigned int i = 0; i < nb_cmds; i++)
		vfn_tel_data_add_array_string(d, cmds[i].cmd);
	pthread_mutex_unlock(&cmd_lock);
	return 0;
}

static int cmd_info(const char *cmd, const char *params,
		    struct vfn_tel_data *d)
{
	(void)cmd;
	(void)params;
	vfn_tel_data_start_dict(d);
	vfn_tel_data_add_dict_string(d, "version", TEL_VERSION);
	vfn_tel_data_add_dict_int(d, "pid", getpid());
	vfn_tel_data_add_dict_int(d, "max_output_len",
				  VFN_TELEMETRY_MAX_OUTPUT_LEN);
	return 0;
}

static int cmd_help(const char *cmd, const char *params,
		    struct vfn_tel_data *d)
{
	int ret = -1;

	(void)cmd;
	if (!params)
		return -1;
	vfn_tel_data_start_dict(d);
	pthread_mutex_lock(&cmd_lock);
	for (unsigned int i = 0; i < nb_cmds; i++)
		if (!strcmp(cmds[i].cmd, params)) {
			vfn_tel_data_add_dict_string(d, params, cmds[i].help);
			ret = 0;
			break;
		}
	pthread_mutex_unlock(&cmd_lock);
	return ret;
}

__attribute__((constructor)) static void tel_register_core(void)
{
	vfn_telemetry_register_cmd("/", cmd_list,
		"Returns list of available commands, Takes no parameters");
	vfn_telemetry_register_cmd("/info", cmd_info,
		"Returns DPDK Telemetry information. Takes no parameters");
	vfn_telemetry_register_cmd("/help", cmd_help,
		"Returns help text for a command. Parameters: string command");
}

/* ---- serving a client ------------------------------------------------ */

static int send_msg(int fd, const char *buf, size_t len)
{
	ssize_t n;

	do
		n = send(fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

/* Answer one request "CMD" or "CMD,PARAMS" (as DPDK: leading commas are
 * skipped, empty PARAMS is NULL).  -1 when the client is gone. */
static int handle_request(int fd, char *req, char *out)
{
	struct vfn_tel_data *d;
	vfn_telemetry_cb fn = NULL;
	char *cmd = req, *params = NULL, *end;
	size_t len;
	int ret = -1;

	end = req + strlen(req);
	while (end > req && (end[-1] == '\n' || end[-1] == '\r' ||
			     end[-1] == ' '))
		*--end = '\0';
	while (*cmd == ',')
		cmd++;
	params = strchr(cmd, ',');
	if (params) {
		*params++ = '\0';
		if (!*params)
			params = NULL;
	}
	if (*cmd && strlen(cmd) < VFN_TELEMETRY_MAX_CMD_LEN)
		fn = find_cmd(cmd);
	d = vfn_tel_data_alloc();
	if (d && fn)
		ret = fn(cmd, params, d);
	if (ret < 0 && d)
		tel_data_clear(d); /* unknown or refused: null */
	len = vfn_tel_data_to_json(*cmd ? cmd : "none", d, out,
				   VFN_TELEMETRY_MAX_OUTPUT_LEN + 1);
	vfn_tel_data_free(d);
	return send_msg(fd, out, len);
}

static void *client_main(void *arg)
{
	struct tel_client *c = arg;
	char req[1024];
	char *out = malloc(VFN_TELEMETRY_MAX_OUTPUT_LEN + 1);
	ssize_t n;
	int len;

	if (!out)
		goto done;
	len = snprintf(out, VFN_TELEMETRY_MAX_OUTPUT_LEN,
		       "{\"version\":\"%s\",\"pid\":%d,\"max_output_len\":%d}",
		       TEL_VERSION, (int)getpid(),
		       VFN_TELEMETRY_MAX_OUTPUT_LEN);
	if (send_msg(c->fd, out, (size_t)len))
		goto done;
	for (;;) {
		n = recv(c->fd, req, sizeof(req) - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		req[n] = '\0';
		if (handle_request(c->fd, req, out))
			break;
	}
done:
	free(out);
	pthread_mutex_lock(&slot_lock);
	c->done = true;
	pthread_mutex_unlock(&slot_lock);
	return NULL;
}

/* Join finished clients and free their slots; slot_lock held. */
static void reap_clients(void)
{
	for (int i = 0; i < VFN_TELEMETRY_MAX_CLIENTS; i++) {
		struct tel_client *c = &clients[i];

		if (!c->used || !c->done)
			continue;
		pthread_join(c->th, NULL);
		close(c->fd);
		c->used = false;
	}
}

/* A thread with every signal blocked (it inherits this thread's CPUs). */
static int start_thread(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(th, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static void accept_client(void)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	struct tel_client *c = NULL;

	if (fd < 0)
		return;
	pthread_mutex_lock(&slot_lock);
	reap_clients();
	for (int i = 0; i < VFN_TELEMETRY_MAX_CLIENTS && !c; i++)
		if (!clients[i].used)
			c = &clients[i];
	if (!c) {
		pthread_mutex_unlock(&slot_lock);
		vfn_log(VFN_LOG_NOTICE, "TELEMETRY",
			"%d clients already connected: a new one is refused; disconnect one and retry",
			VFN_TELEMETRY_MAX_CLIENTS);
		close(fd);
		return;
	}
	c->used = true;
	c->done = false;
	c->fd = fd;
	if (start_thread(&c->th, client_main, c)) {
		c->used = false;
		close(fd);
	}
	pthread_mutex_unlock(&slot_lock);
}

static void *listener_main(void *arg)
{
	struct pollfd pfd[2] = {
		{ .fd = listen_fd, .events = POLLIN },
		{ .fd = stop_pipe[0], .events = POLLIN },
	};

	(void)arg;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		if (pfd[0].revents & POLLIN)
			accept_client();
	}
	return NULL;
}

/* ---- the socket ------------------------------------------------------ */

/* DPDK's runtime directory of @prefix (EAL eal_create_runtime_dir()). */
static void runtime_dir(char *buf, size_t n, const char *prefix)
{
	const char *dir = getenv("RUNTIME_DIRECTORY");

	if (!dir || !*dir)
		dir = geteuid() == 0 ? "/var/run" : getenv("XDG_RUNTIME_DIR");
	if (!dir || !*dir)
		dir = "/tmp";
	eal_fmt(buf, n, "%s/dpdk/%s", dir, prefix);
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	eal_fmt(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0700) && errno != EEXIST ? -1 : 0;
}

/* True when a process serves @path (a connect succeeds). */
static bool path_alive(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return true;
	alive = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return alive;
}

/* Bind @fd to the first free instance path (":N" after the first). */
static int bind_instance(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	for (int i = 0; i < TEL_MAX_INSTANCES; i++) {
		int n = i ? snprintf(sun.sun_path, sizeof(sun.sun_path),
				     "%s/dpdk_telemetry.v2:%d", sock_dir, i)
			  : snprintf(sun.sun_path, sizeof(sun.sun_path),
				     "%s/dpdk_telemetry.v2", sock_dir);

		if (n < 0 || (size_t)n >= sizeof(sun.sun_path)) {
			eal_error("telemetry: socket path in %s is too long for a Unix socket; use a shorter --file-prefix or $RUNTIME_DIRECTORY",
				  sock_dir);
			return -1;
		}
		if (!bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
			goto bound;
		if (errno != EADDRINUSE)
			break;
		if (path_alive(&sun))
			continue; /* another process: next instance */
		unlink(sun.sun_path); /* left by a process that died */
		if (!bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
			goto bound;
	}
	eal_error("telemetry: cannot bind a socket in %s: %s", sock_dir,
		  errno == EADDRINUSE ? "all instances in use" : strerror(errno));
	return -1;
bound:
	memcpy(sock_path, sun.sun_path, sizeof(sock_path));
	return 0;
}

static int open_socket(const char *prefix)
{
	runtime_dir(sock_dir, sizeof(sock_dir), prefix);
	if (mkdir_p(sock_dir)) {
		eal_error("telemetry: cannot create %s: %s; set $RUNTIME_DIRECTORY to a writable directory or pass --no-telemetry",
			  sock_dir, strerror(errno));
		return -1;
	}
	listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (listen_fd < 0) {
		eal_error("telemetry: socket(): %s", strerror(errno));
		return -1;
	}
	if (bind_instance(listen_fd))
		goto close_fd;
	if (listen(listen_fd, 64)) {
		eal_error("telemetry: listen(%s): %s", sock_path,
			  strerror(errno));
		goto unlink_path;
	}
	return 0;
unlink_path:
	unlink(sock_path);
	sock_path[0] = '\0';
close_fd:
	close(listen_fd);
	listen_fd = -1;
	return -1;
}

int eal_telemetry_init(const char *prefix, const cpu_set_t *cpus)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	if (running)
		return 0;
	if (open_socket(prefix))
		return -1;
	if (pipe2(stop_pipe, O_CLOEXEC)) {
		eal_error("telemetry: pipe(): %s", strerror(errno));
		goto close_socket;
	}
	pthread_attr_init(&attr);
	if (cpus)
		pthread_attr_setaffinity_np(&attr, sizeof(*cpus), cpus);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&listener, &attr, listener_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc) {
		eal_error("telemetry: cannot start its thread: %s",
			  strerror(rc));
		goto close_pipe;
	}
	pthread_setname_np(listener, "telemetry-v2");
	running = true;
	vfn_log(VFN_LOG_INFO, "TELEMETRY", "serving %s", sock_path);
	return 0;
close_pipe:
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
close_socket:
	close(listen_fd);
	listen_fd = -1;
	unlink(sock_path);
	sock_path[0] = '\0';
	return -1;
}

void eal_telemetry_fini(void)
{
	char c = 0;

	if (!running)
		return;
	if (write(stop_pipe[1], &c, 1) != 1)
		vfn_log(VFN_LOG_WARNING, "TELEMETRY",
			"cannot wake the listener: %s", strerror(errno));
	pthread_join(listener, NULL);
	/* no new clients now: wake the rest out of recv() and join them */
	pthread_mutex_lock(&slot_lock);
	for (int i = 0; i < VFN_TELEMETRY_MAX_CLIENTS; i++)
		if (clients[i].used)
			shutdown(clients[i].fd, SHUT_RDWR);
	pthread_mutex_unlock(&slot_lock);
	for (int i = 0; i < VFN_TELEMETRY_MAX_CLIENTS; i++) {
		if (!clients[i].used)
			continue;
		pthread_join(clients[i].th, NULL);
		close(clients[i].fd);
		clients[i].used = false;
	}
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
	close(listen_fd);
	listen_fd = -1;
	unlink(sock_path);
	rmdir(sock_dir); /* only when empty: other instances keep it */
	sock_path[0] = '\0';
	running = false;
}

const char *vfn_telemetry_socket_path(void)
{
	return sock_path;
}
