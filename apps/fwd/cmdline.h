/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd's command table: testpmd's commands, each described by a syntax
 * string, parsed and completed from that string.  Command families live
 * in their own files (cmd_fwd.c, cmd_port.c, ...) and register their
 * tables from a constructor with FWD_CMD_REGISTER(), so a new family is a
 * new file and a line in meson.build, nothing else.
 *
 * Syntax words, separated by one space:
 *   show|clear      a keyword: one of the '|' alternatives, typed in full
 *   <port>          the id of a port fwd set up
 *   <portall>       "all" or a port id (cmd_args.all[i] tells which)
 *   <uint>          an unsigned integer (decimal, or 0x hex)
 *   <hex>           a hex mask, with or without 0x
 *   <mode>          a forwarding mode name (io, mac, ...)
 *   <list>          a comma-separated list, checked by the handler
 *   <text>          any one word, checked by the handler
 *   <file>          a file name (one word), checked by the handler
 *   [<uint>]        an optional last argument
 * The value of a <port>, <portall>, <uint> or <hex> word is in num[i].
 */
#ifndef FWD_CMDLINE_H
#define FWD_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

#define FWD_CMD_MAX_WORDS 8

/* What a handler receives: the words as typed and the parsed values. */
struct fwd_cmd_args {
	unsigned int argc;
	const char *argv[FWD_CMD_MAX_WORDS];
	uint64_t num[FWD_CMD_MAX_WORDS];
	int all[FWD_CMD_MAX_WORDS];
};

/* A handler's return: carry on, or leave the prompt. */
#define FWD_CMD_OK 0
#define FWD_CMD_QUIT 1

struct fwd_cmd {
	const char *syntax;
	int (*fn)(const struct fwd_cmd_args *a);
	const char *help;
};

/* Add a table of @p n commands (kept by reference: static storage). */
void fwd_cmd_register(const struct fwd_cmd *cmds, unsigned int n);

#define FWD_CMD_REGISTER(table) \
	__attribute__((constructor)) static void fwd_cmd_register_##table(void) \
	{ fwd_cmd_register(table, sizeof(table) / sizeof(table[0])); }

/* Parse and run one line.  FWD_CMD_QUIT when the line asks to quit. */
int fwd_cmd_execute(const char *line);

/*
 * Completions of the word that ends @p line (the text before the cursor):
 * up to @p max candidates into @p out (pointers to static or
 * per-call storage valid until the next call).  Returns how many.
 */
unsigned int fwd_cmd_complete(const char *line, const char **out,
			      unsigned int max);

/* help: every command's usage and description. */
void fwd_cmd_print_help(void);

#endif /* FWD_CMDLINE_H */
