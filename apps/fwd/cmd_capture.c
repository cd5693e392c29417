/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prompt's capture commands (fwd's own; testpmd has none):
 * capture start|stop PORT FILE and capture list.  A capture started at
 * the prompt is deferred (capture.h): it may start before `start`, and it
 * follows the streams over every stop and start until `capture stop`.
 * The direction, snap length, filter and ring size are those of the
 * --capture-* options given before any --capture (the defaults).
 */
#include <stdio.h>

#include "cmdline.h"
#include "fwd.h"

static int cmd_capture_start(const struct fwd_cmd_args *a)
{
	struct fwd_capture_params p = fwd_cfg.capture_defaults;
	char err[512];
	int ret;

	p.port = (uint16_t)a->num[2];
	p.queue = FWD_CAPTURE_ALL_QUEUES;
	p.deferred = 1;
	if (snprintf(p.file, sizeof(p.file), "%s", a->argv[3]) >=
	    (int)sizeof(p.file)) {
		printf("Bad arguments: the file name is too long\n");
		return FWD_CMD_OK;
	}
	ret = fwd_capture_start(&p, err, sizeof(err));
	if (ret) {
		printf("Error: cannot capture port %u to %s: %s\n", p.port,
		       p.file, err);
		return FWD_CMD_OK;
	}
	printf("Capturing port %u (%s) to %s\n", p.port,
	       p.dir == FWD_CAPTURE_RX ? "rx" : p.dir == FWD_CAPTURE_TX ?
	       "tx" : "rx and tx", p.file);
	return FWD_CMD_OK;
}

static int cmd_capture_stop(const struct fwd_cmd_args *a)
{
	uint16_t port = (uint16_t)a->num[2];

	if (!fwd_capture_stop(port, FWD_CAPTURE_ALL_QUEUES, a->argv[3], stdout))
		printf("Error: port %u is not captured to %s (capture list "
		       "shows the captures)\n", port, a->argv[3]);
	return FWD_CMD_OK;
}

static int cmd_capture_list(const struct fwd_cmd_args *a)
{
	(void)a;
	fwd_capture_list(stdout);
	return FWD_CMD_OK;
}

static const struct fwd_cmd capture_cmds[] = {
	{ "capture start <port> <file>", cmd_capture_start,
	  "copy the port's packets to a pcap file" },
	{ "capture stop <port> <file>", cmd_capture_stop,
	  "stop that capture; print its counters" },
	{ "capture list", cmd_capture_list, "the running captures" },
};
FWD_CMD_REGISTER(capture_cmds)
