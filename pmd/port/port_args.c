/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device arguments ("size=64,copy=1") as drivers get them from --vdev or
 * from the ",key=value" part of -a: split, check keys, convert numbers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port_internal.h"

static int key_valid(const char *key, const char *const *valid)
{
	for (; valid && *valid; valid++)
		if (strcmp(*valid, key) == 0)
			return 1;
	return 0;
}

static void log_bad_key(const char *key, const char *const *valid)
{
	char list[256] = "";
	size_t len = 0;

	for (; valid && *valid && len < sizeof(list); valid++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s",
				len ? ", " : "", *valid);
	PORT_LOG(ERR, "unknown device argument '%s' (valid: %s)", key,
		 list[0] ? list : "none");
}

int vfn_eth_dev_args_parse(const char *args, const char *const *valid_keys,
			int (*cb)(const char *key, const char *value,
				  void *opaque),
			void *opaque)
{
	char *copy, *tok, *save = NULL;
	int ret = 0;

	if (!args || !args[0])
		return 0;
	copy = strdup(args);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		const char *value = "";

		if (eq) {
			*eq = '\0';
			value = eq + 1;
		}
		if (!tok[0]) {
			PORT_LOG(ERR, "malformed device arguments '%s': use "
				 "key=value,key=value", args);
			ret = -EINVAL;
			break;
		}
		if (!key_valid(tok, valid_keys)) {
			log_bad_key(tok, valid_keys);
			ret = -EINVAL;
			break;
		}
		ret = cb(tok, value, opaque);
		if (ret)
			break;
	}
	free(copy);
	return ret;
}

int vfn_eth_dev_arg_uint(const char *key, const char *value, uint64_t min,
		      uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(value, &end, 0);
	if (!value[0] || *end || errno || value[0] == '-' || v < min ||
	    v > max) {
		PORT_LOG(ERR, "device argument %s=%s: expected an integer in "
			 "%llu..%llu", key, value, (unsigned long long)min,
			 (unsigned long long)max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}
