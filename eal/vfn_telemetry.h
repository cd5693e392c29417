/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Telemetry: DPDK's telemetry protocol v2, so that DPDK's own client
 * (usertools/dpdk-telemetry.py) reads a running vfnet application.
 *
 * vfn_eal_init() (unless --no-telemetry) listens on a Unix SOCK_SEQPACKET
 * socket where that client looks: `<rundir>/dpdk/<file-prefix>/
 * dpdk_telemetry.v2`, rundir being $RUNTIME_DIRECTORY, else /var/run for
 * root, else $XDG_RUNTIME_DIR or /tmp.  When a live process already owns
 * that path, the socket gets the suffix ":1", ":2"... (the client's -i N).
 *
 * The protocol: on connect the server sends
 * `{"version": "vfnet X.Y.Z", "pid": P, "max_output_len": 16384}`; each
 * request is one message "CMD" or "CMD,PARAMS"; each reply is one message
 * `{"CMD": DATA}`, DATA being what the command's callback built, or null
 * when the command is unknown or the callback returned a negative value
 * (bad parameters).  Replies longer than max_output_len lose their last
 * entries (the JSON stays valid).
 *
 * Commands are registered with vfn_telemetry_register_cmd(), as DPDK's
 * rte_telemetry_register_cmd(): the EAL registers "/", "/info", "/help",
 * "/eal/params", "/eal/app_params" and "/vfnet/memory"; the port API
 * "/ethdev/..."; the mempool "/mempool/...".  A callback runs on a
 * telemetry thread (one per client, at most VFN_TELEMETRY_MAX_CLIENTS): it
 * must only read state the data path already publishes (counters), never
 * take a data-path lock or touch a queue.
 *
 * A callback fills a struct vfn_tel_data: either one string
 * (vfn_tel_data_string()), an array of one value type
 * (vfn_tel_data_start_array() + vfn_tel_data_add_array_*()), or a dict
 * (vfn_tel_data_start_dict() + vfn_tel_data_add_dict_*()); nested values
 * are containers made with vfn_tel_data_alloc().  Strings are escaped
 * when the reply is written: any text may be passed.
 */
#ifndef VFN_TELEMETRY_H
#define VFN_TELEMETRY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest dict key and array/dict string value, with the NUL. */
#define VFN_TEL_MAX_STRING_LEN 128
/** Longest string given to vfn_tel_data_string(), with the NUL. */
#define VFN_TEL_MAX_SINGLE_STRING_LEN 8192
/** Most entries in one dict or array. */
#define VFN_TEL_MAX_ENTRIES 512
/** Longest reply (the "max_output_len" the client reads with). */
#define VFN_TELEMETRY_MAX_OUTPUT_LEN (16 * 1024)
/** Longest command name, with the NUL. */
#define VFN_TELEMETRY_MAX_CMD_LEN 56
/** Longest help text, with the NUL. */
#define VFN_TELEMETRY_MAX_HELP_LEN 128
/** Most commands registered. */
#define VFN_TELEMETRY_MAX_CMDS 128
/** Clients served at once; more connections are closed at once (DPDK). */
#define VFN_TELEMETRY_MAX_CLIENTS 10

/** The type of the values of an array (DPDK's enum rte_tel_value_type). */
enum vfn_tel_value_type {
	VFN_TEL_STRING_VAL, /**< a string */
	VFN_TEL_INT_VAL,    /**< a signed integer */
	VFN_TEL_U64_VAL,    /**< an unsigned 64-bit integer */
	VFN_TEL_CONTAINER,  /**< a nested vfn_tel_data */
};

/** What a command returns; opaque, filled with the functions below. */
struct vfn_tel_data;

/**
 * A command's callback.
 * @param cmd    the command ("/ethdev/stats")
 * @param params the text after the first ',', or NULL when none
 * @param info   to fill; left empty it is sent as null
 * @return 0, or < 0 for bad parameters (the reply's data is then null)
 */
typedef int (*vfn_telemetry_cb)(const char *cmd, const char *params,
				struct vfn_tel_data *info);

/**
 * Register command @p cmd.  Callable before or after vfn_eal_init(),
 * from constructors too.
 * @param cmd  starts with '/', letters, digits, '_', '/' and '-' only,
 *             shorter than VFN_TELEMETRY_MAX_CMD_LEN
 * @param fn   the callback
 * @param help one line for "/help,CMD", shorter than
 *             VFN_TELEMETRY_MAX_HELP_LEN
 * @return 0, -EINVAL (bad name, help or fn), -EEXIST (already
 *         registered), -ENOSPC (VFN_TELEMETRY_MAX_CMDS reached)
 */
int vfn_telemetry_register_cmd(const char *cmd, vfn_telemetry_cb fn,
			       const char *help);

/** Make @p d an array of values of @p type. 0 or -EINVAL. */
int vfn_tel_data_start_array(struct vfn_tel_data *d,
			     enum vfn_tel_value_type type);
/** Make @p d a dict (an object). 0 or -EINVAL. */
int vfn_tel_data_start_dict(struct vfn_tel_data *d);
/**
 * Make @p d the single string @p str (truncated to
 * VFN_TEL_MAX_SINGLE_STRING_LEN - 1 bytes: -E2BIG).  0, -E2BIG, -EINVAL,
 * -ENOMEM.
 */
int vfn_tel_data_string(struct vfn_tel_data *d, const char *str);

/**
 * Append to an array started with the matching type.  Strings longer than
 * VFN_TEL_MAX_STRING_LEN - 1 are truncated (-E2BIG, the value is added).
 * @return 0, -EINVAL (not such an array), -ENOSPC (full), -ENOMEM, -E2BIG
 */
int vfn_tel_data_add_array_string(struct vfn_tel_data *d, const char *str);
int vfn_tel_data_add_array_int(struct vfn_tel_data *d, int64_t x);
int vfn_tel_data_add_array_u64(struct vfn_tel_data *d, uint64_t x);
/**
 * Append container @p val (from vfn_tel_data_alloc(), filled).  With
 * @p keep 0 it is freed with @p d; with 1 the caller keeps and frees it
 * (after the reply is sent, i.e. never inside the callback).
 */
int vfn_tel_data_add_array_container(struct vfn_tel_data *d,
				     struct vfn_tel_data *val, int keep);

/**
 * Add entry @p name (truncated to VFN_TEL_MAX_STRING_LEN - 1) to a dict.
 * @return 0, -EINVAL (not a dict, NULL name), -ENOSPC, -ENOMEM, -E2BIG
 */
int vfn_tel_data_add_dict_string(struct vfn_tel_data *d, const char *name,
				 const char *val);
int vfn_tel_data_add_dict_int(struct vfn_tel_data *d, const char *name,
			      int64_t val);
int vfn_tel_data_add_dict_u64(struct vfn_tel_data *d, const char *name,
			      uint64_t val);
/** As vfn_tel_data_add_array_container(), under key @p name. */
int vfn_tel_data_add_dict_container(struct vfn_tel_data *d, const char *name,
				    struct vfn_tel_data *val, int keep);

/** A new empty container, or NULL (ENOMEM). */
struct vfn_tel_data *vfn_tel_data_alloc(void);
/** Free a container from vfn_tel_data_alloc() and what it owns. */
void vfn_tel_data_free(struct vfn_tel_data *data);

/**
 * Write the reply `{"<cmd>": <d>}` into @p buf (NUL-terminated, at most
 * @p len - 1 bytes; entries that do not fit are left out).  What the
 * telemetry thread sends; exported for tests and for applications that
 * log telemetry.
 * @return the length written
 */
size_t vfn_tel_data_to_json(const char *cmd, const struct vfn_tel_data *d,
			    char *buf, size_t len);

/**
 * Path of the socket being served ("" when telemetry is off or failed).
 */
const char *vfn_telemetry_socket_path(void);

#ifdef __cplusplus
}
#endif

#endif /* VFN_TELEMETRY_H */
