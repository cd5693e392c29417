/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fwd -i: testpmd's prompt.  On a terminal, lines come from libedit
 * (line editing, history, tab completion of commands and port ids from
 * the command table); otherwise they are read line by line from stdin,
 * as scripts pipe commands into testpmd, and echoed after the prompt as
 * testpmd's cmdline does.  Both go through the same parser (cmdline.c).
 *
 * The prompt is "testpmd> ", testpmd's own: the scripts and expect
 * sessions written for testpmd wait for that string.
 */
#include <errno.h>
#include <histedit.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "fwd.h"

#define FWD_PROMPT "testpmd> "
#define MAX_COMPLETIONS 64
#define SIGNAL_CHECK_MS 100

static char *prompt_fn(EditLine *el)
{
	static char prompt[] = FWD_PROMPT;

	(void)el;
	return prompt;
}

/*
 * Wait until stdin has input.  0 when it has, -1 when a signal (SIGINT,
 * SIGTERM) asked fwd to quit.  The signal may be delivered to any thread
 * (an lcore, the interrupt thread), so a blocked read() would not see it:
 * poll with a timeout and look at fwd_signal in between.
 */
static int wait_input(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	for (;;) {
		if (fwd_signal)
			return -1;
		if (poll(&pfd, 1, SIGNAL_CHECK_MS) > 0)
			return 0;
	}
}

/* libedit's input: one byte from stdin; 0 at its end, -1 on a signal. */
static int getc_fn(EditLine *el, wchar_t *c)
{
	unsigned char ch;
	ssize_t n;

	(void)el;
	for (;;) {
		if (wait_input())
			return -1;
		n = read(STDIN_FILENO, &ch, 1);
		if (n == 1) {
			*c = (wchar_t)ch;
			return 1;
		}
		if (n == 0)
			return 0;
		if (errno != EINTR && errno != EAGAIN)
			return -1;
	}
}

/* TAB: complete the word before the cursor from the command table. */
static unsigned char complete_fn(EditLine *el, int ch)
{
	const LineInfo *li = el_line(el);
	const char *cands[MAX_COMPLETIONS];
	char line[1024], common[128];
	size_t len = (size_t)(li->cursor - li->buffer), plen, clen;
	const char *partial;
	unsigned int n, i;

	(void)ch;
	if (len >= sizeof(line))
		return CC_ERROR;
	memcpy(line, li->buffer, len);
	line[len] = '\0';
	partial = strrchr(line, ' ');
	partial = partial ? partial + 1 : line;
	plen = strlen(partial);
	n = fwd_cmd_complete(line, cands, MAX_COMPLETIONS);
	if (!n)
		return CC_ERROR;
	snprintf(common, sizeof(common), "%s", cands[0]);
	for (i = 1; i < n; i++) {
		clen = 0;
		while (common[clen] && common[clen] == cands[i][clen])
			clen++;
		common[clen] = '\0';
	}
	clen = strlen(common);
	if (n == 1 && clen + 1 < sizeof(common))
		strcat(common, " ");
	if (strlen(common) > plen) {
		if (el_insertstr(el, common + plen))
			return CC_ERROR;
		return CC_REFRESH;
	}
	/* Nothing to add: list the choices under the line. */
	printf("\n");
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "  " : "", cands[i]);
	printf("\n");
	return CC_REDISPLAY;
}

static void say_signal(void)
{
	printf("\nSignal %d received, preparing to exit...\n", (int)fwd_signal);
}

/* Execute one line; FWD_CMD_QUIT when it asks to leave. */
static int run_line(const char *line)
{
	int ret = fwd_cmd_execute(line);

	fflush(stdout);
	return ret;
}

static int prompt_terminal(void)
{
	EditLine *el = el_init("fwd", stdin, stdout, stderr);
	History *hist = history_init();
	HistEvent ev;
	const char *line;
	int count, quit = 0;

	if (!el || !hist) {
		fprintf(stderr, "fwd: cannot initialise libedit\n");
		if (el)
			el_end(el);
		if (hist)
			history_end(hist);
		return 1;
	}
	history(hist, &ev, H_SETSIZE, 500);
	history(hist, &ev, H_SETUNIQUE, 1);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt_fn);
	el_set(el, EL_HIST, history, hist);
	el_set(el, EL_GETCFN, getc_fn);
	/*
	 * The wide call: libedit's narrow EL_ADDFN wcsdup()s the name and the
	 * help and never frees them (LeakSanitizer sees 172 bytes at exit);
	 * the wide one keeps these static strings by reference.
	 */
	el_wset(el, EL_ADDFN, L"fwd-complete", L"complete a command or port id",
		complete_fn);
	el_set(el, EL_BIND, "^I", "fwd-complete", NULL);
	el_source(el, NULL); /* the user's ~/.editrc, if any */
	while (!quit) {
		line = el_gets(el, &count);
		if (!line || count <= 0) {
			if (fwd_signal)
				say_signal();
			else
				printf("\n");
			break;
		}
		if (strspn(line, " \t\r\n") != strlen(line))
			history(hist, &ev, H_ENTER, line);
		quit = run_line(line) == FWD_CMD_QUIT;
	}
	el_end(el);
	history_end(hist);
	return quit;
}

/*
 * One line of stdin into @p line (without its newline), read a byte at a
 * time so that nothing past the line is consumed.  The length, or -1 at
 * the end of the input (with nothing read) or on a signal.
 */
static ssize_t read_line(char *line, size_t cap)
{
	size_t n = 0;
	char ch;

	while (n + 1 < cap) {
		ssize_t r;

		if (wait_input())
			return -1;
		r = read(STDIN_FILENO, &ch, 1);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			if (!n)
				return -1;
			break;
		}
		if (ch == '\n')
			break;
		line[n++] = ch;
	}
	line[n] = '\0';
	return (ssize_t)n;
}

static int prompt_pipe(void)
{
	char line[1024];
	int quit = 0;

	while (!quit) {
		printf(FWD_PROMPT);
		fflush(stdout);
		if (read_line(line, sizeof(line)) < 0) {
			if (fwd_signal)
				say_signal();
			else
				printf("\n");
			break;
		}
		printf("%s\n", line);
		quit = run_line(line) == FWD_CMD_QUIT;
	}
	return quit;
}

int fwd_prompt_run(void)
{
	if (fwd_cfg.auto_start)
		run_line(fwd_cfg.tx_first ? "start tx_first" : "start");
	if (isatty(STDIN_FILENO))
		prompt_terminal();
	else
		prompt_pipe();
	/* Ctrl-D, end of input or a signal: stop as `quit` would. */
	if (fwd_forwarding())
		run_line("stop");
	printf("\nBye...\n");
	fflush(stdout);
	return 0;
}
