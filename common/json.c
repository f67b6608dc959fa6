// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <string.h>
#include "escape.h"
#include "json.h"

/* Whether byte c may stand for itself inside a JSON string here. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* \uXXXX for a code point of the Basic Multilingual Plane. */
static int put_u(FILE *f, uint32_t cp)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = { '\\',
			'u',
			hex[cp >> 12 & 15],
			hex[cp >> 8 & 15],
			hex[cp >> 4 & 15],
			hex[cp & 15] };

	return fwrite_unlocked(esc, 1, 6, f) != 6;
}

/*
 * The character at s[len] (one byte at least) as JSON, under escape.h's
 * rule: valid, safe UTF-8 as it is, what the rule escapes as \uXXXX, a
 * byte that is not UTF-8 as \u00XX (that byte's Latin-1 reading).
 * Returns the bytes it stood for; *bad is set on a failed write.
 */
static size_t put_json_char(FILE *f, const char *s, size_t len, int *bad)
{
	uint32_t cp;
	size_t n = km_utf8_next(s, len, &cp);

	if (!n) {
		*bad |= put_u(f, (unsigned char)s[0]);
		return 1;
	}
	if (cp == '"' || cp == '\\') {
		char esc[2] = { '\\', (char)cp };

		*bad |= fwrite_unlocked(esc, 1, 2, f) != 2;
	} else if (km_cp_unsafe(cp)) {
		*bad |= put_u(f, cp);
	} else {
		*bad |= fwrite_unlocked(s, 1, n, f) != n;
	}
	return n;
}

/*
 * s as a JSON string. Runs of plain bytes go out in one fwrite: names
 * are mostly plain, and a report writes millions of them.
 */
static int put_str(FILE *f, const char *s, size_t len)
{
	size_t i = 0, run;
	int bad = 0;

	bad |= putc_unlocked('"', f) == EOF;
	while (i < len) {
		for (run = i; run < len && plain(s[run]); run++)
			;
		if (run > i) {
			bad |= fwrite_unlocked(s + i, 1, run - i, f) != run - i;
			i = run;
			continue;
		}
		i += put_json_char(f, s + i, len - i, &bad);
	}
	bad |= putc_unlocked('"', f) == EOF;
	return bad ? -EIO : 0;
}

void km_json_strn(FILE *f, const char *s, size_t len)
{
	put_str(f, s, len);
}

void km_json_str(FILE *f, const char *s)
{
	put_str(f, s, strlen(s));
}

void km_jw_init(struct km_jw *w, FILE *f, unsigned int flags)
{
	/* Not the depth bits: a writer may be made for every line. */
	w->f = f;
	w->flags = flags;
	w->err = 0;
	w->depth = 0;
	w->need_comma = false;
	w->have_key = false;
	w->wrote_top = false;
}

void km_jw_fail(struct km_jw *w, int err)
{
	if (!w->err && err)
		w->err = err;
}

int km_jw_error(const struct km_jw *w)
{
	return w->err;
}

/*
 * A report writes a dozen values a hit, millions of hits: the unlocked
 * stdio calls (one thread writes) keep a byte a call from costing a
 * function call and a lock.
 */
static void put(struct km_jw *w, const char *s, size_t len)
{
	if (fwrite_unlocked(s, 1, len, w->f) != len)
		km_jw_fail(w, -EIO);
}

static void put_char(struct km_jw *w, char c)
{
	if (putc_unlocked(c, w->f) == EOF)
		km_jw_fail(w, -EIO);
}

/* Whether the innermost open container is an object. */
static bool in_object(const struct km_jw *w)
{
	unsigned int d = w->depth - 1;

	return w->depth && w->is_object[d / 64] >> (d % 64) & 1;
}

/*
 * Before any value: checks that one may come here and writes the comma
 * an array needs (an object's came with the key). False when nothing
 * is to be written, after an error.
 */
static bool value_begin(struct km_jw *w)
{
	if (w->err)
		return false;
	if (!w->depth) {
		if (w->wrote_top && !(w->flags & KM_JW_LINES)) {
			km_jw_fail(w, -EINVAL);
			return false;
		}
		return true;
	}
	if (in_object(w)) {
		if (!w->have_key) {
			km_jw_fail(w, -EINVAL);
			return false;
		}
		w->have_key = false;
		return true;
	}
	if (w->need_comma)
		put_char(w, ',');
	return true;
}

/* After a value: the next one at its level needs a comma, or a line. */
static void value_end(struct km_jw *w)
{
	if (w->depth) {
		w->need_comma = true;
		return;
	}
	w->wrote_top = true;
	if (w->flags & KM_JW_LINES)
		put_char(w, '\n');
}

static void open_container(struct km_jw *w, bool object)
{
	unsigned int d = w->depth;

	if (!value_begin(w))
		return;
	if (d >= KM_JW_MAX_DEPTH) {
		km_jw_fail(w, -E2BIG);
		return;
	}
	if (object)
		w->is_object[d / 64] |= 1ull << (d % 64);
	else
		w->is_object[d / 64] &= ~(1ull << (d % 64));
	w->depth++;
	w->need_comma = false;
	put_char(w, object ? '{' : '[');
}

static void close_container(struct km_jw *w, bool object)
{
	if (w->err)
		return;
	if (!w->depth || in_object(w) != object || w->have_key) {
		km_jw_fail(w, -EINVAL);
		return;
	}
	put_char(w, object ? '}' : ']');
	w->depth--;
	value_end(w);
}

void km_jw_open_object(struct km_jw *w)
{
	open_container(w, true);
}

void km_jw_close_object(struct km_jw *w)
{
	close_container(w, true);
}

void km_jw_open_array(struct km_jw *w)
{
	open_container(w, false);
}

void km_jw_close_array(struct km_jw *w)
{
	close_container(w, false);
}

void km_jw_key(struct km_jw *w, const char *key)
{
	if (w->err)
		return;
	if (!in_object(w) || w->have_key) {
		km_jw_fail(w, -EINVAL);
		return;
	}
	if (w->need_comma)
		put_char(w, ',');
	if (put_str(w->f, key, strlen(key)))
		km_jw_fail(w, -EIO);
	put_char(w, ':');
	w->have_key = true;
	w->need_comma = true;
}

void km_jw_stringn(struct km_jw *w, const char *s, size_t len)
{
	if (!value_begin(w))
		return;
	if (put_str(w->f, s, len))
		km_jw_fail(w, -EIO);
	value_end(w);
}

void km_jw_string(struct km_jw *w, const char *s)
{
	if (s)
		km_jw_stringn(w, s, strlen(s));
	else
		km_jw_null(w);
}

/* A scalar already spelled out: the literals and the numbers. */
static void scalar(struct km_jw *w, const char *s, size_t len)
{
	if (!value_begin(w))
		return;
	put(w, s, len);
	value_end(w);
}

/* v in decimal, ending at end; returns where it starts. */
static char *decimal(char *end, uint64_t v)
{
	do {
		*--end = '0' + v % 10;
		v /= 10;
	} while (v);
	return end;
}

void km_jw_u64(struct km_jw *w, uint64_t v)
{
	char buf[20], *end = buf + sizeof(buf), *p = decimal(end, v);

	scalar(w, p, end - p);
}

void km_jw_i64(struct km_jw *w, int64_t v)
{
	char buf[21], *end = buf + sizeof(buf), *p;

	/* Negated as unsigned: -INT64_MIN does not fit an int64_t. */
	p = decimal(end, v < 0 ? -(uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	scalar(w, p, end - p);
}

void km_jw_hex(struct km_jw *w, uint64_t v)
{
	char buf[21], *end = buf + sizeof(buf), *p = end;

	*--p = '"';
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	*--p = '"';
	scalar(w, p, end - p);
}

void km_jw_fixed(struct km_jw *w, double v, int decimals)
{
	/* JSON has no NaN or infinity. */
	if (!isfinite(v)) {
		km_jw_null(w);
		return;
	}
	if (!value_begin(w))
		return;
	if (fprintf(w->f, "%.*f", decimals, v) < 0)
		km_jw_fail(w, -EIO);
	value_end(w);
}

void km_jw_bool(struct km_jw *w, bool v)
{
	if (v)
		scalar(w, "true", 4);
	else
		scalar(w, "false", 5);
}

void km_jw_null(struct km_jw *w)
{
	scalar(w, "null", 4);
}

FILE *km_jw_splice(struct km_jw *w)
{
	if (w->err)
		return NULL;
	if (!w->depth) {
		km_jw_fail(w, -EINVAL);
		return NULL;
	}
	if (!value_begin(w))
		return NULL;
	value_end(w);
	return w->f;
}

int km_jw_end(struct km_jw *w)
{
	if (!w->depth)
		return w->err;
	km_jw_fail(w, -EINVAL);
	if (w->have_key)
		put(w, "null", 4);
	while (w->depth) {
		put_char(w, in_object(w) ? '}' : ']');
		w->depth--;
	}
	w->have_key = false;
	w->need_comma = false;
	w->wrote_top = true;
	if (w->flags & KM_JW_LINES)
		put_char(w, '\n');
	return w->err;
}
