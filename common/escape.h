/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one rule for outside text on its way to a person: task names
 * (any process may call itself "\033]0;..." with prctl), every string a
 * trace file holds, names from symbol tables and debug files. What could
 * move the cursor, retitle the window, or reorder what is shown is
 * escaped; everything else, valid UTF-8 included, is shown as it is.
 *
 * Escaped, each of its bytes as \xNN:
 *  - C0 controls (0x00-0x1f) and DEL (0x7f);
 *  - C1 controls, raw (a lone byte 0x80-0x9f) or UTF-8-encoded
 *    (U+0080-U+009F, e.g. \xc2\x9b, a CSI to some terminals);
 *  - bidirectional formatting characters (U+061C, U+200E, U+200F,
 *    U+202A-U+202E, U+2066-U+2069), which reorder a line as shown;
 *  - every byte that is not part of valid UTF-8 (overlong forms,
 *    surrogates and code points past U+10FFFF are not valid).
 * A backslash is doubled, so no escape can be forged.
 *
 * Text views use km_put_text/km_escape_text; JSON (common/json.h)
 * applies the same classification with \uXXXX escapes.
 */
#ifndef KM_ESCAPE_H
#define KM_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * The length (1 to 4) of the valid UTF-8 sequence that starts s[len],
 * with its code point in *cp; 0 if s[0] starts none (len 0 included).
 */
size_t km_utf8_next(const char *s, size_t len, uint32_t *cp);

/* Whether code point cp is one the rule above escapes. */
bool km_cp_unsafe(uint32_t cp);

/*
 * Copies the len bytes at in to out[size] under the rule. Stops before
 * a character or escape that would not fit whole; out is always
 * NUL-terminated (size > 0). Returns out.
 */
char *km_escape_text(char *out, size_t size, const char *in, size_t len);

/* Writes the len bytes at s to f under the rule. */
void km_put_text(FILE *f, const char *s, size_t len);

/* The same for a NUL-terminated string; NULL writes nothing. */
static inline void km_puts_text(FILE *f, const char *s)
{
	if (s)
		km_put_text(f, s, strlen(s));
}

#endif
