/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command table (see cmdline.h for the syntax strings): matching a
 * line to a command, errors that name what is wrong, the nearest command
 * by edit distance when nothing matches, and the candidates for tab
 * completion.  No terminal handling here: prompt.c feeds lines in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "fwd.h"

#define MAX_TABLES 16
#define WORD_LEN 64
#define MAX_CANDS 128

static struct {
	const struct fwd_cmd *cmds;
	unsigned int n;
} tables[MAX_TABLES];
static unsigned int nb_tables;

void fwd_cmd_register(const struct fwd_cmd *cmds, unsigned int n)
{
	if (nb_tables == MAX_TABLES) {
		fprintf(stderr, "fwd: more than %d command tables: raise "
			"MAX_TABLES in cmdline.c\n", MAX_TABLES);
		return;
	}
	tables[nb_tables].cmds = cmds;
	tables[nb_tables].n = n;
	nb_tables++;
}

enum kind { K_KEYWORD, K_PORT, K_PORTALL, K_UINT, K_HEX, K_MODE, K_LIST,
	    K_TEXT, K_FILE };

/* A syntax string split into words. */
struct syntax {
	unsigned int n;
	int optional_last;
	enum kind kind[FWD_CMD_MAX_WORDS];
	char w[FWD_CMD_MAX_WORDS][WORD_LEN];
};

static enum kind kind_of(const char *w)
{
	static const struct { const char *name; enum kind k; } kinds[] = {
		{ "<port>", K_PORT }, { "<portall>", K_PORTALL },
		{ "<uint>", K_UINT }, { "<hex>", K_HEX }, { "<mode>", K_MODE },
		{ "<list>", K_LIST }, { "<text>", K_TEXT }, { "<file>", K_FILE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(w, kinds[i].name))
			return kinds[i].k;
	return K_KEYWORD;
}

static void syntax_split(const char *str, struct syntax *s)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", str);
	s->n = 0;
	s->optional_last = 0;
	for (tok = strtok_r(buf, " ", &save); tok && s->n < FWD_CMD_MAX_WORDS;
	     tok = strtok_r(NULL, " ", &save)) {
		size_t len = strlen(tok);

		if (tok[0] == '[' && tok[len - 1] == ']') {
			tok[len - 1] = '\0';
			tok++;
			s->optional_last = 1;
		}
		snprintf(s->w[s->n], WORD_LEN, "%s", tok);
		s->kind[s->n] = kind_of(tok);
		s->n++;
	}
}

/* How a syntax word reads in a usage line. */
static const char *usage_word(const struct syntax *s, unsigned int i)
{
	switch (s->kind[i]) {
	case K_PORT:
	case K_UINT:
		return "N";
	case K_PORTALL:
		return "all|N";
	case K_HEX:
		return "MASK";
	case K_MODE:
		return "MODE";
	case K_LIST:
		return "L[,L...]";
	case K_TEXT:
		return "WORD";
	case K_FILE:
		return "FILE";
	default:
		return s->w[i];
	}
}

static void usage(const struct fwd_cmd *c, char *out, size_t len)
{
	struct syntax s;
	unsigned int i;
	size_t off = 0;

	syntax_split(c->syntax, &s);
	out[0] = '\0';
	for (i = 0; i < s.n && off < len; i++) {
		int opt = s.optional_last && i == s.n - 1;

		off += (size_t)snprintf(out + off, len - off, "%s%s%s%s",
					i ? " " : "", opt ? "[" : "",
					usage_word(&s, i), opt ? "]" : "");
	}
}

/* Is @p word one of the '|' alternatives of @p alts? */
static int keyword_has(const char *alts, const char *word)
{
	size_t len = strlen(word);
	const char *p = alts;

	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == len && !strncmp(p, word, len))
			return 1;
		if (!bar)
			return 0;
		p = bar + 1;
	}
}

static int parse_uint(const char *w, int base, uint64_t *v)
{
	char *end;

	if (!*w || *w == '-' || *w == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoull(w, &end, base);
	return *end || errno ? -EINVAL : 0;
}

static void list_ports(char *out, size_t len)
{
	size_t off = 0;
	uint16_t p;

	out[0] = '\0';
	VFN_ETH_FOREACH_DEV(p)
		if (fwd_port_is_setup(p) && off < len)
			off += (size_t)snprintf(out + off, len - off, "%s%u",
						off ? " " : "", p);
}

static void list_modes(char *out, size_t len)
{
	const struct fwd_engine *e;
	size_t off = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; (e = fwd_engine_at(i)) && off < len; i++)
		off += (size_t)snprintf(out + off, len - off, "%s%s",
					i ? " " : "", e->name);
}

/* Check the argument word @p w of kind @p k; 0, or -1 with a message. */
static int arg_parse(enum kind k, const char *w, struct fwd_cmd_args *a,
		     unsigned int i, char *err, size_t len)
{
	char list[256];

	a->all[i] = 0;
	a->num[i] = 0;
	switch (k) {
	case K_PORTALL:
		if (!strcmp(w, "all")) {
			a->all[i] = 1;
			return 0;
		}
		/* fall through */
	case K_PORT:
		if (parse_uint(w, 10, &a->num[i]) ||
		    a->num[i] >= VFN_MAX_ETHPORTS ||
		    !fwd_port_is_setup((uint16_t)a->num[i])) {
			list_ports(list, sizeof(list));
			snprintf(err, len, "'%s' is not a port: the ports are "
				 "%s%s", w, list, k == K_PORTALL ?
				 " (or all)" : "");
			return -1;
		}
		return 0;
	case K_UINT:
		if (parse_uint(w, 0, &a->num[i])) {
			snprintf(err, len, "'%s' is not an unsigned integer", w);
			return -1;
		}
		return 0;
	case K_HEX:
		if (parse_uint(w, 16, &a->num[i])) {
			snprintf(err, len, "'%s' is not a hex mask", w);
			return -1;
		}
		return 0;
	case K_MODE:
		if (!fwd_engine_find(w)) {
			list_modes(list, sizeof(list));
			snprintf(err, len, "'%s' is not a forwarding mode: use "
				 "one of %s", w, list);
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

struct match {
	unsigned int matched;  /* words that match their syntax word */
	int lit_fail;          /* first keyword that does not match, or -1 */
	int arg_fail;          /* first argument that does not parse, or -1 */
	int count_ok;          /* as many words as the syntax wants */
	int too_many;          /* more words than the syntax has */
	char err[320];
};

static void match_cmd(const struct fwd_cmd *c, char **w, unsigned int n,
		      struct fwd_cmd_args *a, struct match *m)
{
	struct syntax s;
	unsigned int i;

	syntax_split(c->syntax, &s);
	m->matched = 0;
	m->lit_fail = m->arg_fail = -1;
	m->err[0] = '\0';
	for (i = 0; i < s.n && i < n; i++) {
		if (s.kind[i] == K_KEYWORD) {
			if (keyword_has(s.w[i], w[i]))
				m->matched++;
			else if (m->lit_fail < 0)
				m->lit_fail = (int)i;
		} else if (!arg_parse(s.kind[i], w[i], a, i, m->err,
				      sizeof(m->err))) {
			m->matched++;
		} else if (m->arg_fail < 0) {
			m->arg_fail = (int)i;
		}
	}
	m->count_ok = n == s.n || (s.optional_last && n + 1 == s.n);
	m->too_many = n > s.n;
}

static unsigned int levenshtein(const char *a, const char *b)
{
	unsigned int row[WORD_LEN + 1], i, j, la = (unsigned int)strlen(a),
		     lb = (unsigned int)strlen(b);

	if (la > WORD_LEN)
		la = WORD_LEN;
	if (lb > WORD_LEN)
		lb = WORD_LEN;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned int diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int up = row[j], best = diag +
				(a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/*
 * Distance of the typed words from command @p c, and the command spelled
 * the way it is nearest (keywords as the nearest alternative, arguments
 * as typed or as their usage).
 */
static unsigned int distance(const struct fwd_cmd *c, char **w, unsigned int n,
			     char *spelled, size_t len)
{
	struct syntax s;
	unsigned int i, d = 0;
	size_t off = 0;

	syntax_split(c->syntax, &s);
	spelled[0] = '\0';
	for (i = 0; i < s.n; i++) {
		const char *typed = i < n ? w[i] : "", *best = usage_word(&s, i);

		if (s.kind[i] == K_KEYWORD) {
			char alts[WORD_LEN], *alt, *save = NULL;
			unsigned int bd = ~0u;

			snprintf(alts, sizeof(alts), "%s", s.w[i]);
			for (alt = strtok_r(alts, "|", &save); alt;
			     alt = strtok_r(NULL, "|", &save)) {
				unsigned int ld = levenshtein(typed, alt);

				if (ld < bd) {
					bd = ld;
					best = s.w[i] + (alt - alts);
				}
			}
			d += bd;
		} else if (i < n) {
			best = typed;
		}
		if (off < len) {
			size_t wl = strcspn(best, "|");

			off += (size_t)snprintf(spelled + off, len - off,
						"%s%.*s", i ? " " : "", (int)wl,
						best);
		}
	}
	for (; i < n; i++)
		d += (unsigned int)strlen(w[i]);
	return d;
}

static void suggest(char **w, unsigned int n, const char *line)
{
	unsigned int t, i, best = ~0u;
	char spelled[256], nearest[256] = "";

	for (t = 0; t < nb_tables; t++) {
		for (i = 0; i < tables[t].n; i++) {
			unsigned int d = distance(&tables[t].cmds[i], w, n,
						  spelled, sizeof(spelled));

			if (d < best) {
				best = d;
				snprintf(nearest, sizeof(nearest), "%s", spelled);
			}
		}
	}
	printf("Command not found: '%s'; did you mean '%s'? (help lists "
	       "the commands)\n", line, nearest);
}

static unsigned int split_line(char *buf, char **w)
{
	char *tok, *save = NULL;
	unsigned int n = 0;

	for (tok = strtok_r(buf, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == FWD_CMD_MAX_WORDS + 1)
			break;
		w[n++] = tok;
	}
	return n;
}

int fwd_cmd_execute(const char *line)
{
	char buf[1024], trimmed[1024], *w[FWD_CMD_MAX_WORDS + 1], use[256];
	const struct fwd_cmd *bestc = NULL;
	struct match m, bestm;
	struct fwd_cmd_args a;
	unsigned int n, t, i;

	snprintf(buf, sizeof(buf), "%s", line);
	n = split_line(buf, w);
	if (!n || w[0][0] == '#')
		return FWD_CMD_OK;
	trimmed[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(trimmed + strlen(trimmed), sizeof(trimmed) -
			 strlen(trimmed), "%s%s", i ? " " : "", w[i]);
	memset(&bestm, 0, sizeof(bestm));
	for (t = 0; n <= FWD_CMD_MAX_WORDS && t < nb_tables; t++) {
		for (i = 0; i < tables[t].n; i++) {
			const struct fwd_cmd *c = &tables[t].cmds[i];

			memset(&a, 0, sizeof(a));
			match_cmd(c, w, n, &a, &m);
			if (m.lit_fail < 0 && m.arg_fail < 0 && m.count_ok) {
				a.argc = n;
				memcpy(a.argv, w, n * sizeof(w[0]));
				return c->fn(&a);
			}
			/* The best failure: most words right, keywords first. */
			if (!bestc || m.matched > bestm.matched ||
			    (m.matched == bestm.matched && m.lit_fail < 0 &&
			     bestm.lit_fail >= 0)) {
				bestc = c;
				bestm = m;
			}
		}
	}
	/* Words that match no command, or one word too many: a typo. */
	if (!bestc || bestm.lit_fail >= 0 || !bestm.matched ||
	    (bestm.arg_fail < 0 && bestm.too_many)) {
		suggest(w, n, trimmed);
		return FWD_CMD_OK;
	}
	usage(bestc, use, sizeof(use));
	if (bestm.arg_fail >= 0)
		printf("Bad arguments: %s\n  usage: %s\n", bestm.err, use);
	else
		printf("Bad arguments: usage: %s\n", use);
	return FWD_CMD_OK;
}

/* Candidates for syntax word @p s->w[k], added to @p out if new. */
static unsigned int add_cands(const struct syntax *s, unsigned int k,
			      const char *partial, const char **out,
			      unsigned int nb, unsigned int max)
{
	static char pool[MAX_CANDS][WORD_LEN];
	static unsigned int used;
	char words[WORD_LEN * 4], *tok, *save = NULL;
	const struct fwd_engine *e;
	unsigned int i;
	size_t off = 0;
	uint16_t p;

	if (nb == 0)
		used = 0;
	words[0] = '\0';
	switch (s->kind[k]) {
	case K_KEYWORD:
		snprintf(words, sizeof(words), "%s", s->w[k]);
		break;
	case K_PORTALL:
		off = (size_t)snprintf(words, sizeof(words), "all");
		/* fall through */
	case K_PORT:
		VFN_ETH_FOREACH_DEV(p)
			if (fwd_port_is_setup(p) && off < sizeof(words))
				off += (size_t)snprintf(words + off,
					sizeof(words) - off, "%s%u",
					off ? "|" : "", p);
		break;
	case K_MODE:
		for (i = 0; (e = fwd_engine_at(i)) && off < sizeof(words); i++)
			off += (size_t)snprintf(words + off, sizeof(words) - off,
						"%s%s", i ? "|" : "", e->name);
		break;
	default:
		return nb;
	}
	for (tok = strtok_r(words, "|", &save); tok && nb < max &&
	     used < MAX_CANDS; tok = strtok_r(NULL, "|", &save)) {
		if (strncmp(tok, partial, strlen(partial)))
			continue;
		for (i = 0; i < nb; i++)
			if (!strcmp(out[i], tok))
				break;
		if (i < nb)
			continue;
		snprintf(pool[used], WORD_LEN, "%s", tok);
		out[nb++] = pool[used++];
	}
	return nb;
}

unsigned int fwd_cmd_complete(const char *line, const char **out,
			      unsigned int max)
{
	char buf[1024], *w[FWD_CMD_MAX_WORDS + 1];
	const char *partial = "";
	unsigned int n, k, t, i, j, nb = 0;
	size_t len = strlen(line);

	snprintf(buf, sizeof(buf), "%s", line);
	n = split_line(buf, w);
	k = n;
	if (n && len && line[len - 1] != ' ' && line[len - 1] != '\t')
		partial = w[--k];
	if (k >= FWD_CMD_MAX_WORDS)
		return 0;
	for (t = 0; t < nb_tables; t++) {
		for (i = 0; i < tables[t].n; i++) {
			struct fwd_cmd_args a;
			struct syntax s;
			char err[320];

			syntax_split(tables[t].cmds[i].syntax, &s);
			if (s.n <= k)
				continue;
			for (j = 0; j < k; j++) {
				if (s.kind[j] == K_KEYWORD ?
				    !keyword_has(s.w[j], w[j]) :
				    arg_parse(s.kind[j], w[j], &a, j, err,
					      sizeof(err)))
					break;
			}
			if (j == k)
				nb = add_cands(&s, k, partial, out, nb, max);
		}
	}
	return nb;
}

void fwd_cmd_print_help(void)
{
	unsigned int t, i;
	char use[256];

	printf("Commands (testpmd's spelling; TAB completes, arrows recall):\n");
	for (t = 0; t < nb_tables; t++) {
		for (i = 0; i < tables[t].n; i++) {
			usage(&tables[t].cmds[i], use, sizeof(use));
			printf("  %-42s %s\n", use, tables[t].cmds[i].help);
		}
	}
}
