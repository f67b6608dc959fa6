// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer (common/json.c): what it writes for each kind of
 * value, nesting and its limit, escaping of every byte, the errors it
 * records for misuse and I/O, and that what it leaves is valid JSON
 * whatever its caller did: random call sequences, checked by a strict
 * parser here and, where it is installed, by jq.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/json.h"

/* A writer's output, in memory. */
struct out {
	char *buf;
	size_t size;
	FILE *f;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->f = open_memstream(&o->buf, &o->size);
	assert_non_null(o->f);
}

/* The text written; the caller frees it. */
static char *out_close(struct out *o)
{
	assert_int_equal(fclose(o->f), 0);
	return o->buf;
}

/* --- a strict RFC 8259 parser, to say whether text is valid JSON --- */

static const char *parse_value(const char *p);

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *parse_string(const char *p)
{
	int i;

	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20) /* NUL too: the text ended */
			return NULL;
		if (*p++ != '\\')
			continue;
		if (*p == 'u') {
			for (i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", p[i]) ||
				    !p[i])
					return NULL;
			p += 5;
		} else if (*p && strchr("\"\\/bfnrt", *p)) {
			p++;
		} else {
			return NULL;
		}
	}
	return p + 1;
}

static const char *digits(const char *p)
{
	const char *s = p;

	while (*p >= '0' && *p <= '9')
		p++;
	return p > s ? p : NULL;
}

static const char *parse_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (!(p = digits(p)))
		return NULL;
	if (*p == '.' && !(p = digits(p + 1)))
		return NULL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p = digits(p);
	}
	return p;
}

/* An object (close '}') or array (close ']') after its opening. */
static const char *parse_members(const char *p, char close)
{
	p = skip_ws(p);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			p = parse_string(skip_ws(p));
			if (!p)
				return NULL;
			p = skip_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = parse_value(p);
		if (!p)
			return NULL;
		p = skip_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *parse_value(const char *p)
{
	p = skip_ws(p);
	switch (*p) {
	case '{':
		return parse_members(p + 1, '}');
	case '[':
		return parse_members(p + 1, ']');
	case '"':
		return parse_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return parse_number(p);
	}
}

/* Whether s is one JSON text: one value, white space around it. */
static bool valid_json(const char *s)
{
	const char *p = parse_value(s);

	return p && !*skip_ws(p);
}

/* Whether s is JSON Lines: lines each holding one value, ending in \n. */
static bool valid_json_lines(const char *s)
{
	const char *nl;
	char *line;
	bool ok;

	while (*s) {
		nl = strchr(s, '\n');
		if (!nl)
			return false;
		line = strndup(s, nl - s);
		assert_non_null(line);
		ok = valid_json(line);
		free(line);
		if (!ok)
			return false;
		s = nl + 1;
	}
	return true;
}

/* The parser itself, or the checks below would prove nothing. */
static void test_parser(void **state)
{
	static const char *const good[] = {
		"0",
		"-0.5e+3",
		"\"a\\u00e9\\n\"",
		"[]",
		"{}",
		"[1,[2,{}]]",
		"{\"a\":{\"b\":[null,true,false]}}",
		" [ 1 , 2 ] ",
	};
	static const char *const bad[] = {
		"",	    "01",      "1.",	      "[1,]",
		"[1 2]",    "{\"a\"}", "{\"a\":1,}",  "{1:2}",
		"\"\x01\"", "\"\\x\"", "[",	      "]",
		"[1]]",	    "nul",     "\"\\u00g0\"", "{}{}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(valid_json(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (valid_json(bad[i]))
			fail_msg("parsed as valid: '%s'", bad[i]);
}

/* --- the writer --- */

static void test_nesting(void **state)
{
	struct km_jw w;
	struct out o;
	char *s;

	(void)state;
	out_open(&o);
	km_jw_init(&w, o.f, 0);
	km_jw_open_object(&w);
	km_jw_key(&w, "a");
	km_jw_open_array(&w);
	km_jw_open_array(&w);
	km_jw_close_array(&w);
	km_jw_open_object(&w);
	km_jw_close_object(&w);
	km_jw_u64(&w, 1);
	km_jw_open_object(&w);
	km_jw_key(&w, "b");
	km_jw_null(&w);
	km_jw_key(&w, "c");
	km_jw_open_array(&w);
	km_jw_bool(&w, true);
	km_jw_bool(&w, false);
	km_jw_close_array(&w);
	km_jw_close_object(&w);
	km_jw_close_array(&w);
	km_jw_key(&w, "d");
	km_jw_string(&w, "e");
	km_jw_close_object(&w);
	assert_int_equal(km_jw_end(&w), 0);
	s = out_close(&o);
	assert_string_equal(
		s,
		"{\"a\":[[],{},1,{\"b\":null,\"c\":[true,false]}],\"d\":\"e\"}");
	assert_true(valid_json(s));
	free(s);
}

static void test_numbers(void **state)
{
	struct km_jw w;
	struct out o;
	char *s;

	(void)state;
	out_open(&o);
	km_jw_init(&w, o.f, 0);
	km_jw_open_array(&w);
	km_jw_u64(&w, 0);
	km_jw_u64(&w, UINT64_MAX);
	km_jw_i64(&w, INT64_MIN);
	km_jw_i64(&w, -1);
	km_jw_i64(&w, 0);
	km_jw_i64(&w, INT64_MAX);
	km_jw_hex(&w, 0);
	km_jw_hex(&w, 0xffffffff828c6000);
	km_jw_hex(&w, UINT64_MAX);
	km_jw_fixed(&w, 0, 4);
	km_jw_fixed(&w, 100, 4);
	km_jw_fixed(&w, 100.0 / 3, 4);
	km_jw_fixed(&w, 2.0 / 3, 2);
	km_jw_fixed(&w, NAN, 4);
	km_jw_fixed(&w, INFINITY, 4);
	km_jw_string(&w, NULL);
	km_jw_close_array(&w);
	assert_int_equal(km_jw_end(&w), 0);
	s = out_close(&o);
	assert_string_equal(s, "[0,18446744073709551615,"
			       "-9223372036854775808,-1,0,9223372036854775807,"
			       "\"0x0\",\"0xffffffff828c6000\","
			       "\"0xffffffffffffffff\","
			       "0.0000,100.0000,33.3333,0.67,null,null,null]");
	assert_true(valid_json(s));
	free(s);
}

/* Every byte, escaped as km_json_str always has. */
static void test_escaping(void **state)
{
	char all[256], want[256 * 6 + 3], *p = want, *s;
	struct km_jw w;
	struct out o;
	int c;

	(void)state;
	*p++ = '"';
	for (c = 0; c < 256; c++) {
		all[c] = c;
		if (c == '"' || c == '\\')
			p += sprintf(p, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			p += sprintf(p, "\\u%04x", c);
		else
			*p++ = c;
	}
	*p++ = '"';
	*p = '\0';

	out_open(&o);
	km_jw_init(&w, o.f, 0);
	km_jw_stringn(&w, all, sizeof(all));
	assert_int_equal(km_jw_end(&w), 0);
	s = out_close(&o);
	assert_string_equal(s, want);
	assert_true(valid_json(s));
	free(s);

	/* The same without a writer, and in keys. */
	out_open(&o);
	km_json_strn(o.f, all, sizeof(all));
	s = out_close(&o);
	assert_string_equal(s, want);
	free(s);

	out_open(&o);
	km_jw_init(&w, o.f, 0);
	km_jw_open_object(&w);
	km_jw_key(&w, "a\"b\\c\n\x01\x7f\xff");
	km_jw_string(&w, "tab\there");
	km_jw_close_object(&w);
	assert_int_equal(km_jw_end(&w), 0);
	s = out_close(&o);
	assert_string_equal(
		s,
		"{\"a\\\"b\\\\c\\u000a\\u0001\\u007f\\u00ff\":\"tab\\u0009here\"}");
	assert_true(valid_json(s));
	free(s);
}

static void test_lines(void **state)
{
	struct km_jw w;
	struct out o;
	char *s;
	int i;

	(void)state;
	out_open(&o);
	km_jw_init(&w, o.f, KM_JW_LINES);
	for (i = 0; i < 3; i++) {
		km_jw_open_object(&w);
		km_jw_key(&w, "i");
		km_jw_u64(&w, i);
		km_jw_close_object(&w);
	}
	km_jw_u64(&w, 7);
	km_jw_open_array(&w);
	km_jw_close_array(&w);
	assert_int_equal(km_jw_end(&w), 0);
	s = out_close(&o);
	assert_string_equal(s, "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n7\n[]\n");
	assert_true(valid_json_lines(s));
	free(s);

	/* Without KM_JW_LINES: one value, no newline, no second one. */
	out_open(&o);
	km_jw_init(&w, o.f, 0);
	km_jw_u64(&w, 1);
	km_jw_u64(&w, 2);
	assert_int_equal(km_jw_end(&w), -EINVAL);
	s = out_close(&o);
	assert_string_equal(s, "1");
	free(s);
}

/* One misuse after a start: the error, and what the writer left. */
static void misuse(void (*step)(struct km_jw *w), int err, const char *want)
{
	struct km_jw w;
	struct out o;
	char *s;

	out_open(&o);
	km_jw_init(&w, o.f, 0);
	km_jw_open_object(&w);
	km_jw_key(&w, "a");
	km_jw_open_array(&w);
	km_jw_u64(&w, 1);
	step(&w);
	assert_int_equal(km_jw_error(&w), err);
	/* Nothing is written after an error but what closes. */
	km_jw_u64(&w, 2);
	km_jw_close_array(&w);
	km_jw_key(&w, "b");
	km_jw_u64(&w, 3);
	km_jw_close_object(&w);
	assert_int_equal(km_jw_end(&w), err);
	s = out_close(&o);
	assert_string_equal(s, want);
	assert_true(valid_json(s));
	free(s);
}

static void key_in_array(struct km_jw *w)
{
	km_jw_key(w, "k");
}

static void wrong_close(struct km_jw *w)
{
	km_jw_close_object(w);
}

static void value_without_key(struct km_jw *w)
{
	km_jw_close_array(w);
	km_jw_u64(w, 5);
}

static void two_keys(struct km_jw *w)
{
	km_jw_close_array(w);
	km_jw_key(w, "x");
	km_jw_key(w, "y");
}

static void out_of_memory(struct km_jw *w)
{
	km_jw_close_array(w);
	km_jw_key(w, "calls");
	km_jw_fail(w, -ENOMEM);
	km_jw_fail(w, -EINVAL); /* not the first: kept out */
}

static void no_error(struct km_jw *w)
{
	km_jw_fail(w, 0);
}

static void test_misuse(void **state)
{
	(void)state;
	misuse(key_in_array, -EINVAL, "{\"a\":[1]}");
	misuse(wrong_close, -EINVAL, "{\"a\":[1]}");
	misuse(value_without_key, -EINVAL, "{\"a\":[1]}");
	misuse(two_keys, -EINVAL, "{\"a\":[1],\"x\":null}");
	misuse(out_of_memory, -ENOMEM, "{\"a\":[1],\"calls\":null}");
	misuse(no_error, 0, "{\"a\":[1,2],\"b\":3}");
}

static void test_end_closes(void **state)
{
	struct km_jw w;
	struct out o;
	char *s;

	(void)state;
	out_open(&o);
	km_jw_init(&w, o.f, KM_JW_LINES);
	km_jw_open_object(&w);
	km_jw_key(&w, "a");
	km_jw_open_array(&w);
	km_jw_open_object(&w);
	km_jw_key(&w, "b");
	assert_int_equal(km_jw_end(&w), -EINVAL);
	s = out_close(&o);
	assert_string_equal(s, "{\"a\":[{\"b\":null}]}\n");
	assert_true(valid_json_lines(s));
	free(s);

	/* Closing more than was opened. */
	out_open(&o);
	km_jw_init(&w, o.f, 0);
	km_jw_close_array(&w);
	assert_int_equal(km_jw_end(&w), -EINVAL);
	s = out_close(&o);
	assert_string_equal(s, "");
	free(s);
}

static void test_depth(void **state)
{
	struct km_jw *w = malloc(sizeof(*w));
	struct out o;
	char *s;
	int i;

	(void)state;
	assert_non_null(w);
	out_open(&o);
	km_jw_init(w, o.f, 0);
	for (i = 0; i < KM_JW_MAX_DEPTH; i++)
		km_jw_open_array(w);
	assert_int_equal(km_jw_error(w), 0);
	km_jw_open_object(w);
	assert_int_equal(km_jw_error(w), -E2BIG);
	assert_int_equal(km_jw_end(w), -E2BIG);
	s = out_close(&o);
	assert_int_equal(strlen(s), 2 * KM_JW_MAX_DEPTH);
	for (i = 0; i < KM_JW_MAX_DEPTH; i++) {
		assert_int_equal(s[i], '[');
		assert_int_equal(s[KM_JW_MAX_DEPTH + i], ']');
	}
	assert_true(valid_json(s));
	free(s);

	/* Objects and arrays alternating, all the way down and back. */
	out_open(&o);
	km_jw_init(w, o.f, 0);
	for (i = 0; i < KM_JW_MAX_DEPTH; i++) {
		if (i % 2) {
			km_jw_open_array(w);
		} else {
			km_jw_open_object(w);
			km_jw_key(w, "k");
		}
	}
	for (i = KM_JW_MAX_DEPTH - 1; i >= 0; i--) {
		if (i % 2)
			km_jw_close_array(w);
		else
			km_jw_close_object(w);
	}
	assert_int_equal(km_jw_end(w), 0);
	s = out_close(&o);
	assert_true(valid_json(s));
	free(s);
	free(w);
}

static void test_splice(void **state)
{
	struct km_jw w;
	struct out o;
	FILE *f;
	char *s;

	(void)state;
	out_open(&o);
	km_jw_init(&w, o.f, KM_JW_LINES);
	km_jw_open_object(&w);
	km_jw_key(&w, "stack");
	f = km_jw_splice(&w);
	assert_ptr_equal(f, o.f);
	fputs("[1,2]", f);
	km_jw_key(&w, "n");
	km_jw_open_array(&w);
	km_jw_u64(&w, 3);
	fputs("{}", km_jw_splice(&w));
	km_jw_close_array(&w);
	km_jw_close_object(&w);
	/* Not at the top level: the writer could not end the line. */
	assert_null(km_jw_splice(&w));
	assert_int_equal(km_jw_end(&w), -EINVAL);
	assert_null(km_jw_splice(&w));
	s = out_close(&o);
	assert_string_equal(s, "{\"stack\":[1,2],\"n\":[3,{}]}\n");
	free(s);
}

/* A FILE that refuses every write. */
static void test_io_error(void **state)
{
	FILE *f = fopen("/dev/null", "r");
	struct km_jw w;

	(void)state;
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	km_jw_init(&w, f, 0);
	km_jw_open_object(&w);
	km_jw_key(&w, "a");
	km_jw_u64(&w, 1);
	km_jw_close_object(&w);
	assert_int_equal(km_jw_end(&w), -EIO);
	fclose(f);
}

/* --- random call sequences: whatever a caller does, valid JSON --- */

enum op {
	OP_OPEN_OBJ,
	OP_OPEN_ARR,
	OP_CLOSE_OBJ,
	OP_CLOSE_ARR,
	OP_KEY,
	OP_STRING,
	OP_U64,
	OP_I64,
	OP_HEX,
	OP_FIXED,
	OP_BOOL,
	OP_NULL,
	OP_SPLICE,
	OP_FAIL,
	NR_OPS,
};

static void random_bytes(unsigned int *seed, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = rand_r(seed);
}

static void random_op_key(struct km_jw *w, unsigned int *seed)
{
	char bytes[12];

	random_bytes(seed, bytes, sizeof(bytes) - 1);
	bytes[rand_r(seed) % sizeof(bytes)] = '\0';
	bytes[sizeof(bytes) - 1] = '\0';
	km_jw_key(w, bytes);
}

static void random_value(struct km_jw *w, unsigned int *seed, int op)
{
	uint64_t v = (uint64_t)rand_r(seed) << 33 ^ rand_r(seed);
	char bytes[12];
	FILE *f;

	switch (op) {
	case OP_STRING:
		random_bytes(seed, bytes, sizeof(bytes));
		km_jw_stringn(w, bytes, rand_r(seed) % sizeof(bytes));
		break;
	case OP_U64:
		km_jw_u64(w, v);
		break;
	case OP_I64:
		km_jw_i64(w, (int64_t)v);
		break;
	case OP_HEX:
		km_jw_hex(w, v);
		break;
	case OP_FIXED:
		km_jw_fixed(w, (double)(int64_t)v / 1000, rand_r(seed) % 6);
		break;
	case OP_BOOL:
		km_jw_bool(w, v & 1);
		break;
	case OP_NULL:
		km_jw_null(w);
		break;
	case OP_SPLICE:
		f = km_jw_splice(w);
		if (f)
			fputs("[\"spliced\",{}]", f);
		break;
	}
}

/* Any call at all, legal or not where it comes. */
static void random_op(struct km_jw *w, unsigned int *seed)
{
	int op = rand_r(seed) % NR_OPS;

	switch (op) {
	case OP_OPEN_OBJ:
		km_jw_open_object(w);
		break;
	case OP_OPEN_ARR:
		km_jw_open_array(w);
		break;
	case OP_CLOSE_OBJ:
		km_jw_close_object(w);
		break;
	case OP_CLOSE_ARR:
		km_jw_close_array(w);
		break;
	case OP_KEY:
		random_op_key(w, seed);
		break;
	case OP_FAIL:
		km_jw_fail(w, -ENOMEM);
		break;
	default:
		random_value(w, seed, op);
	}
}

#define NR_SEQUENCES 20000
#define MODEL_DEPTH 32

/* What a legal caller may do next, in the state the model says. */
static void legal_op(struct km_jw *w, unsigned int *seed, bool *obj, int *depth,
		     bool *key)
{
	int r = rand_r(seed) % 10;

	if (*depth && obj[*depth - 1] && !*key) {
		if (r < 3) {
			km_jw_close_object(w);
			--*depth;
		} else {
			random_op_key(w, seed);
			*key = true;
		}
		return;
	}
	if (*depth && !obj[*depth - 1] && r < 2) {
		km_jw_close_array(w);
		--*depth;
		return;
	}
	*key = false;
	if (r < 5 && *depth < MODEL_DEPTH) {
		obj[(*depth)++] = r < 3;
		if (r < 3)
			km_jw_open_object(w);
		else
			km_jw_open_array(w);
		return;
	}
	do
		r = rand_r(seed) % NR_OPS;
	while (r <= OP_KEY || r == OP_FAIL || (r == OP_SPLICE && !*depth));
	random_value(w, seed, r);
}

/*
 * A random caller: legal most of the time, by a model of the nesting,
 * sometimes anything at all; then, for half of them, closing what the
 * model says is open. So many end without error and nest deep, and the
 * rest err in every way there is.
 */
static void random_sequence(struct km_jw *w, unsigned int *seed, bool lines)
{
	int n = rand_r(seed) % 80, depth = 0, i;
	bool obj[MODEL_DEPTH], key = false, tidy = rand_r(seed) % 2;

	for (i = 0; i < n; i++) {
		if (!depth && km_jw_error(w) == 0 && !lines && i)
			break; /* the one top-level value is written */
		if (rand_r(seed) % 40)
			legal_op(w, seed, obj, &depth, &key);
		else
			random_op(w, seed);
	}
	if (!tidy)
		return;
	if (key)
		km_jw_null(w);
	while (depth--)
		if (obj[depth])
			km_jw_close_object(w);
		else
			km_jw_close_array(w);
}

/* Whether jq is there to ask; the tests it would run are skipped if not. */
static bool have_jq(void)
{
	return !system("command -v jq >/dev/null 2>&1");
}

static void test_random(void **state)
{
	unsigned int seed = 1, clean = 0, lines = 0, i;
	char tmp[] = "/tmp/kmemsnoop-json.XXXXXX", cmd[128], *s;
	struct km_jw *w = malloc(sizeof(*w));
	struct out o, all;
	FILE *jq;
	int fd, got;

	(void)state;
	assert_non_null(w);
	out_open(&all);
	for (i = 0; i < NR_SEQUENCES; i++) {
		bool as_lines = i % 2;

		out_open(&o);
		km_jw_init(w, o.f, as_lines ? KM_JW_LINES : 0);
		random_sequence(w, &seed, as_lines);
		if (!km_jw_end(w))
			clean++;
		s = out_close(&o);
		if (as_lines ? !valid_json_lines(s) : *s && !valid_json(s))
			fail_msg("sequence %u left invalid JSON: '%s'", i, s);
		if (as_lines) {
			fputs(s, all.f);
			for (got = 0; s[got]; got++)
				lines += s[got] == '\n';
		}
		free(s);
	}
	free(w);
	/* Both kinds must be common for the test to mean anything. */
	assert_true(clean > NR_SEQUENCES / 20);
	assert_true(clean < NR_SEQUENCES - NR_SEQUENCES / 20);
	assert_true(lines > NR_SEQUENCES / 4);
	s = out_close(&all);

	if (!have_jq()) {
		free(s);
		skip();
	}
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
	free(s);
	/* jq reads JSON Lines as a stream of values: it must see them all. */
	snprintf(cmd, sizeof(cmd), "jq -n '[inputs] | length' < %s", tmp);
	jq = popen(cmd, "r");
	assert_non_null(jq);
	assert_int_equal(fscanf(jq, "%d", &got), 1);
	assert_int_equal(pclose(jq), 0);
	unlink(tmp);
	assert_int_equal(got, lines);
}

/* jq reads each escaped byte back as the code point of its value. */
static void test_escaping_jq(void **state)
{
	char tmp[] = "/tmp/kmemsnoop-json.XXXXXX", cmd[128], all[256];
	struct km_jw w;
	FILE *f, *jq;
	int c, got;

	(void)state;
	if (!have_jq())
		skip();
	for (c = 0; c < 256; c++)
		all[c] = c;
	c = mkstemp(tmp);
	assert_true(c >= 0);
	f = fdopen(c, "w");
	assert_non_null(f);
	km_jw_init(&w, f, KM_JW_LINES);
	km_jw_stringn(&w, all, sizeof(all));
	assert_int_equal(km_jw_end(&w), 0);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "jq -r 'explode[]' < %s", tmp);
	jq = popen(cmd, "r");
	assert_non_null(jq);
	for (c = 0; c < 256; c++) {
		assert_int_equal(fscanf(jq, "%d", &got), 1);
		assert_int_equal(got, c);
	}
	assert_int_equal(fscanf(jq, "%d", &got), EOF);
	assert_int_equal(pclose(jq), 0);
	unlink(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parser),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_end_closes),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_splice),
		cmocka_unit_test(test_io_error),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_escaping_jq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
