/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON output. km_jw is a writer over a FILE: callers say what they
 * write (open an object, a key, a number, close the object) and the
 * writer puts the commas, colons, braces and brackets, so that no
 * other file spells out JSON syntax and a mistake in a caller shows as
 * an error instead of as output that does not parse.
 *
 * The contract:
 *
 *  - Nothing is buffered: each call writes its bytes to the FILE at
 *    once, compact (no spaces), so a writer can be made for each line
 *    at no cost beyond its few scalar fields.
 *  - Inside an object each value is preceded by km_jw_key; inside an
 *    array and at the top level values stand alone.
 *  - Without KM_JW_LINES a writer writes one top-level value. With it,
 *    any number, each followed by a newline: JSON Lines.
 *  - The first error is kept and every later call writes nothing: a
 *    caller may write a whole object and look once, at km_jw_end. Errors
 *    are -EINVAL for misuse (a key outside an object, a value without
 *    its key, a close that does not match, a second top-level value
 *    without KM_JW_LINES), -E2BIG for nesting deeper than
 *    KM_JW_MAX_DEPTH, -EIO when the FILE refuses a write, and whatever
 *    a caller passes to km_jw_fail (such as -ENOMEM).
 *  - km_jw_end closes whatever is still open, writing null for a key
 *    left without its value, so what was written is well-formed JSON
 *    even after an error: a caller that runs out of memory halfway
 *    through an object calls km_jw_fail and km_jw_end and reports the
 *    error, and its readers see a shorter object, not a broken line.
 *    (Only an I/O error can leave a broken line: the FILE refused it.)
 */
#ifndef KM_JSON_H
#define KM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * How deep objects and arrays may nest. A -g call tree is cut at 4096
 * calls deep and takes two levels a call (the call's object, its
 * "calls" array) inside a row object: 8194 levels, here rounded up to
 * whole words of the bit stack with some to spare.
 */
#define KM_JW_MAX_DEPTH 8448

/* km_jw_init flags. */
#define KM_JW_LINES 0x1 /* JSON Lines: any number of top-level values */

struct km_jw {
	FILE *f;
	unsigned int flags;
	int err; /* the first error, 0 while there is none */
	unsigned int depth; /* open objects and arrays */
	bool need_comma; /* the open container already holds a value */
	bool have_key; /* in an object: a key waits for its value */
	bool wrote_top; /* a top-level value was written */
	/* Bit d set: level d + 1 is an object, clear: an array. */
	uint64_t is_object[KM_JW_MAX_DEPTH / 64];
};

/* Starts w on f with KM_JW_* flags. Sets only the scalar fields. */
void km_jw_init(struct km_jw *w, FILE *f, unsigned int flags);

void km_jw_open_object(struct km_jw *w);
void km_jw_close_object(struct km_jw *w);
void km_jw_open_array(struct km_jw *w);
void km_jw_close_array(struct km_jw *w);

/* The key of the next value, in an object; escaped as strings are. */
void km_jw_key(struct km_jw *w, const char *key);

/* s as a JSON string; NULL is written as null. */
void km_jw_string(struct km_jw *w, const char *s);
/* len bytes at s, which need not be NUL-terminated, as a JSON string. */
void km_jw_stringn(struct km_jw *w, const char *s, size_t len);
void km_jw_u64(struct km_jw *w, uint64_t v);
void km_jw_i64(struct km_jw *w, int64_t v);
/*
 * v as the string "0x..." in lower-case hex: addresses and values do
 * not fit a double, which is all many JSON readers have for numbers.
 */
void km_jw_hex(struct km_jw *w, uint64_t v);
/* v with decimals digits after the point ("%.*f"); null if not finite. */
void km_jw_fixed(struct km_jw *w, double v, int decimals);
void km_jw_bool(struct km_jw *w, bool v);
void km_jw_null(struct km_jw *w);

/*
 * For one value already rendered as JSON elsewhere (a stack another
 * writer wrote once and that is kept as text): writes what separates
 * it from the value before, counts it as written, and returns the FILE,
 * to which the caller then writes exactly that one complete value.
 * NULL after an error (write nothing then) and at the top level, where
 * the writer could not end its line.
 */
FILE *km_jw_splice(struct km_jw *w);

/* Records err (a negative errno; 0 is none) if it is the first error. */
void km_jw_fail(struct km_jw *w, int err);
/* The first error so far, or 0. */
int km_jw_error(const struct km_jw *w);
/*
 * Closes what is still open (-EINVAL unless an error came first) and
 * returns the first error, or 0. km_jw_init may start w anew after.
 */
int km_jw_end(struct km_jw *w);

/*
 * Without a writer: s as a JSON string, quotes included, to f. '"' and
 * '\\' are escaped with a backslash; valid UTF-8 passes as it is; what
 * common/escape.h's rule escapes for a terminal (C0, DEL, C1,
 * bidirectional controls) becomes \uXXXX; a byte that is not part of
 * valid UTF-8 becomes \u00XX, reading back as the code point of its
 * value. Strings in a writer are escaped the same way.
 */
void km_json_str(FILE *f, const char *s);
/* Same for a buffer of len bytes that need not be NUL-terminated. */
void km_json_strn(FILE *f, const char *s, size_t len);

#endif
