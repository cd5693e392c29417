/* SPDX-License-Identifier: BSD-3-Clause */
/* Capture when fwd was built without libpcap: every start says so. */
#include <errno.h>
#include <string.h>

#include "fwd.h"

void fwd_capture_params_init(struct fwd_capture_params *p)
{
	memset(p, 0, sizeof(*p));
}

int fwd_capture_parse(const char *arg, struct fwd_capture_params *p)
{
	(void)p;
	fprintf(stderr, "fwd: --capture=%s: fwd was built without libpcap "
		"(install libpcap-dev and rebuild)\n", arg);
	return -ENOTSUP;
}

int fwd_capture_parse_dir(const char *s, unsigned int *dir)
{
	(void)s;
	(void)dir;
	return 0;
}

int fwd_capture_start(const struct fwd_capture_params *p, char *err,
		      size_t errlen)
{
	(void)p;
	snprintf(err, errlen, "fwd was built without libpcap (install "
		 "libpcap-dev and rebuild)");
	return -ENOTSUP;
}

int fwd_capture_stop(uint16_t port, uint16_t queue, const char *file,
		     FILE *out)
{
	(void)port;
	(void)queue;
	(void)file;
	(void)out;
	return 0;
}

void fwd_capture_stop_all(FILE *out)
{
	(void)out;
}

int fwd_capture_stats_get(uint16_t port, uint16_t queue,
			  struct fwd_capture_stats *st)
{
	(void)port;
	(void)queue;
	(void)st;
	return -ENOENT;
}

void fwd_capture_list(FILE *out)
{
	fprintf(out, "capture: fwd was built without libpcap\n");
}

void fwd_capture_detach(void)
{
}

int fwd_capture_attach(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}
