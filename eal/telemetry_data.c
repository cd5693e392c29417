/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Telemetry replies: the vfn_tel_data builder (DPDK's rte_tel_data
 * functions, lib/telemetry/telemetry_data.c, in vfnet's own code) and the
 * JSON writer.  Every string is escaped as JSON needs (quotes, backslash,
 * control characters; bytes that are not UTF-8 become U+FFFD), so a reply
 * always parses, whatever names or values a callback passes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfn_telemetry.h"
#include "telemetry_internal.h"

enum tel_kind { TEL_NONE, TEL_STRING, TEL_DICT, TEL_ARRAY };

struct tel_value {
	enum vfn_tel_value_type type;
	char *name;                  /* dict entries only */
	union {
		char *s;
		int64_t i;
		uint64_t u;
		struct {
			struct vfn_tel_data *d;
			int keep;
		} c;
	};
};

struct vfn_tel_data {
	enum tel_kind kind;
	enum vfn_tel_value_type type; /* of the array's values */
	char *str;                    /* TEL_STRING */
	unsigned int n, cap;
	struct tel_value *v;
};

struct vfn_tel_data *vfn_tel_data_alloc(void)
{
	return calloc(1, sizeof(struct vfn_tel_data));
}

static void value_clear(struct tel_value *v)
{
	free(v->name);
	if (v->type == VFN_TEL_STRING_VAL)
		free(v->s);
	else if (v->type == VFN_TEL_CONTAINER && !v->c.keep)
		vfn_tel_data_free(v->c.d);
}

void tel_data_clear(struct vfn_tel_data *d)
{
	for (unsigned int i = 0; i < d->n; i++)
		value_clear(&d->v[i]);
	free(d->v);
	free(d->str);
	memset(d, 0, sizeof(*d));
}

void vfn_tel_data_free(struct vfn_tel_data *data)
{
	if (!data)
		return;
	tel_data_clear(data);
	free(data);
}

int vfn_tel_data_start_array(struct vfn_tel_data *d,
			     enum vfn_tel_value_type type)
{
	if (!d || type > VFN_TEL_CONTAINER)
		return -EINVAL;
	tel_data_clear(d);
	d->kind = TEL_ARRAY;
	d->type = type;
	return 0;
}

int vfn_tel_data_start_dict(struct vfn_tel_data *d)
{
	if (!d)
		return -EINVAL;
	tel_data_clear(d);
	d->kind = TEL_DICT;
	return 0;
}

/* A copy of @s of at most @max - 1 bytes; *trunc set when cut. */
static char *copy_str(const char *s, size_t max, bool *trunc)
{
	size_t n = strnlen(s, max);

	*trunc = n >= max;
	if (*trunc)
		n = max - 1;
	return strndup(s, n);
}

int vfn_tel_data_string(struct vfn_tel_data *d, const char *str)
{
	bool trunc;

	if (!d || !str)
		return -EINVAL;
	tel_data_clear(d);
	d->kind = TEL_STRING;
	d->str = copy_str(str, VFN_TEL_MAX_SINGLE_STRING_LEN, &trunc);
	if (!d->str)
		return -ENOMEM;
	return trunc ? -E2BIG : 0;
}

/* A new slot in @d (of kind @kind), or NULL with *err set. */
static struct tel_value *new_value(struct vfn_tel_data *d, enum tel_kind kind,
				   int *err)
{
	struct tel_value *v;

	if (!d || d->kind != kind) {
		*err = -EINVAL;
		return NULL;
	}
	if (d->n >= VFN_TEL_MAX_ENTRIES) {
		*err = -ENOSPC;
		return NULL;
	}
	if (d->n == d->cap) {
		unsigned int cap = d->cap ? d->cap * 2 : 16;
		struct tel_value *nv = realloc(d->v, cap * sizeof(*nv));

		if (!nv) {
			*err = -ENOMEM;
			return NULL;
		}
		d->v = nv;
		d->cap = cap;
	}
	v = &d->v[d->n];
	memset(v, 0, sizeof(*v));
	*err = 0;
	return v;
}

static int set_string(struct tel_value *v, const char *s)
{
	bool trunc;

	v->type = VFN_TEL_STRING_VAL;
	v->s = copy_str(s ? s : "", VFN_TEL_MAX_STRING_LEN, &trunc);
	if (!v->s)
		return -ENOMEM;
	return trunc ? -E2BIG : 0;
}

static struct tel_value *array_value(struct vfn_tel_data *d,
				     enum vfn_tel_value_type type, int *err)
{
	if (d && d->kind == TEL_ARRAY && d->type != type) {
		*err = -EINVAL;
		return NULL;
	}
	return new_value(d, TEL_ARRAY, err);
}

int vfn_tel_data_add_array_string(struct vfn_tel_data *d, const char *str)
{
	int err;
	struct tel_value *v = array_value(d, VFN_TEL_STRING_VAL, &err);

	if (!v)
		return err;
	err = set_string(v, str);
	if (err == -ENOMEM)
		return err;
	d->n++;
	return err;
}

int vfn_tel_data_add_array_int(struct vfn_tel_data *d, int64_t x)
{
	int err;
	struct tel_value *v = array_value(d, VFN_TEL_INT_VAL, &err);

	if (!v)
		return err;
	v->type = VFN_TEL_INT_VAL;
	v->i = x;
	d->n++;
	return 0;
}

int vfn_tel_data_add_array_u64(struct vfn_tel_data *d, uint64_t x)
{
	int err;
	struct tel_value *v = array_value(d, VFN_TEL_U64_VAL, &err);

	if (!v)
		return err;
	v->type = VFN_TEL_U64_VAL;
	v->u = x;
	d->n++;
	return 0;
}

int vfn_tel_data_add_array_container(struct vfn_tel_data *d,
				     struct vfn_tel_data *val, int keep)
{
	int err;
	struct tel_value *v;

	if (!val || val == d)
		return -EINVAL;
	v = array_value(d, VFN_TEL_CONTAINER, &err);
	if (!v)
		return err;
	v->type = VFN_TEL_CONTAINER;
	v->c.d = val;
	v->c.keep = keep;
	d->n++;
	return 0;
}

/* A dict slot named @name; *err is -E2BIG when the name was cut. */
static struct tel_value *dict_value(struct vfn_tel_data *d, const char *name,
				    int *err)
{
	struct tel_value *v;
	bool trunc;

	if (!name) {
		*err = -EINVAL;
		return NULL;
	}
	v = new_value(d, TEL_DICT, err);
	if (!v)
		return NULL;
	v->name = copy_str(name, VFN_TEL_MAX_STRING_LEN, &trunc);
	if (!v->name) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = trunc ? -E2BIG : 0;
	return v;
}

int vfn_tel_data_add_dict_string(struct vfn_tel_data *d, const char *name,
				 const char *val)
{
	int err, err2;
	struct tel_value *v = dict_value(d, name, &err);

	if (!v)
		return err;
	err2 = set_string(v, val);
	if (err2 == -ENOMEM) {
		free(v->name);
		return err2;
	}
	d->n++;
	return err ? err : err2;
}

int vfn_tel_data_add_dict_int(struct vfn_tel_data *d, const char *name,
			      int64_t val)
{
	int err;
	struct tel_value *v = dict_value(d, name, &err);

	if (!v)
		return err;
	v->type = VFN_TEL_INT_VAL;
	v->i = val;
	d->n++;
	return err;
}

int vfn_tel_data_add_dict_u64(struct vfn_tel_data *d, const char *name,
			      uint64_t val)
{
	int err;
	struct tel_value *v = dict_value(d, name, &err);

	if (!v)
		return err;
	v->type = VFN_TEL_U64_VAL;
	v->u = val;
	d->n++;
	return err;
}

int vfn_tel_data_add_dict_container(struct vfn_tel_data *d, const char *name,
				    struct vfn_tel_data *val, int keep)
{
	int err;
	struct tel_value *v;

	if (!val || val == d)
		return -EINVAL;
	v = dict_value(d, name, &err);
	if (!v)
		return err;
	v->type = VFN_TEL_CONTAINER;
	v->c.d = val;
	v->c.keep = keep;
	d->n++;
	return err;
}

/* ---- JSON ---------------------------------------------------------- */

/*
 * The writer fills buf[0..cap) and keeps @reserve bytes for the closing
 * brackets of the open containers, so that an entry that does not fit is
 * rolled back and the reply stays valid JSON.
 */
struct jw {
	char *buf;
	size_t len, cap, reserve;
	bool full;  /* an entry did not fit: add no more */
};

static void put(struct jw *w, const char *s, size_t n)
{
	if (w->full || w->len + n + w->reserve > w->cap) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void putc_(struct jw *w, char c)
{
	put(w, &c, 1);
}

/* Length of the valid UTF-8 sequence at @p (RFC 3629), 0 when invalid. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static void put_str(struct jw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t mark = w->len;
	char esc[8];

	putc_(w, '"');
	while (*p && !w->full) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			put(w, esc, 2);
			p++;
		} else if (*p < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			put(w, esc, 6);
			p++;
		} else if (*p < 0x80) {
			put(w, (const char *)p, 1);
			p++;
		} else if ((n = utf8_len(p)) != 0) {
			put(w, (const char *)p, n);
			p += n;
		} else {
			put(w, "\\ufffd", 6);
			p++;
		}
	}
	putc_(w, '"');
	if (w->full)
		w->len = mark; /* never half a string */
}

static void put_fmt_i(struct jw *w, int64_t x)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRId64, x);

	put(w, b, (size_t)n);
}

static void put_fmt_u(struct jw *w, uint64_t x)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRIu64, x);

	put(w, b, (size_t)n);
}

static void put_data(struct jw *w, const struct vfn_tel_data *d, int depth);

static void put_value(struct jw *w, const struct tel_value *v, int depth)
{
	switch (v->type) {
	case VFN_TEL_STRING_VAL:
		put_str(w, v->s);
		break;
	case VFN_TEL_INT_VAL:
		put_fmt_i(w, v->i);
		break;
	case VFN_TEL_U64_VAL:
		put_fmt_u(w, v->u);
		break;
	case VFN_TEL_CONTAINER:
		put_data(w, v->c.d, depth + 1);
		break;
	}
}

/* A dict or array: each entry is rolled back whole when it does not fit. */
static void put_entries(struct jw *w, const struct vfn_tel_data *d, int depth)
{
	bool dict = d->kind == TEL_DICT;

	putc_(w, dict ? '{' : '[');
	if (w->full)
		return;
	w->reserve++;
	for (unsigned int i = 0; i < d->n && !w->full; i++) {
		size_t mark = w->len;

		if (i)
			putc_(w, ',');
		if (dict) {
			put_str(w, d->v[i].name);
			putc_(w, ':');
		}
		put_value(w, &d->v[i], depth);
		if (w->full)
			w->len = mark;
	}
	w->reserve--;
	/* the reserved byte is there even when full */
	w->buf[w->len++] = dict ? '}' : ']';
}

static void put_data(struct jw *w, const struct vfn_tel_data *d, int depth)
{
	if (!d || depth > 16) {
		put(w, "null", 4);
		return;
	}
	switch (d->kind) {
	case TEL_NONE:
		put(w, "null", 4);
		break;
	case TEL_STRING:
		put_str(w, d->str);
		break;
	case TEL_DICT:
	case TEL_ARRAY:
		put_entries(w, d, depth);
		break;
	}
}

size_t vfn_tel_data_to_json(const char *cmd, const struct vfn_tel_data *d,
			    char *buf, size_t len)
{
	struct jw w = { .buf = buf, .cap = len ? len - 1 : 0 };

	if (len < 16) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	putc_(&w, '{');
	w.reserve = 1;
	put_str(&w, cmd ? cmd : "none");
	putc_(&w, ':');
	if (w.full) {
		/* the command name alone is too long: a reply still parses */
		w.len = 0;
		w.full = false;
		put(&w, "{\"none\":null", 12);
	} else {
		size_t mark = w.len;

		put_data(&w, d, 0);
		if (w.full && w.len == mark) {
			w.full = false;
			put(&w, "null", 4);
		}
		if (w.full && w.len == mark) {
			w.len = 0;
			w.full = false;
			put(&w, "{\"none\":null", 12);
		}
	}
	buf[w.len++] = '}';
	buf[w.len] = '\0';
	return w.len;
}
