// SPDX-License-Identifier: GPL-2.0
#include "escape.h"

size_t km_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	if (!len)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07, min = 0x10000;
	else
		return 0; /* a continuation byte, 0xc0/0xc1 or past 0xf4 */
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF are not UTF-8. */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

bool km_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The bytes that show in[0] and what follows it in one piece: a valid,
 * safe character as it is, anything else as \xNN for each of its bytes
 * (a lone byte where the UTF-8 is invalid). Returns how many input bytes
 * it stands for; *w is its length in out[16].
 */
static size_t one_char(const char *in, size_t len, char *out, size_t *w)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t cp = 0;
	size_t n = km_utf8_next(in, len, &cp), i;

	if (n && !km_cp_unsafe(cp)) {
		if (cp == '\\') {
			out[0] = out[1] = '\\';
			*w = 2;
		} else {
			memcpy(out, in, n);
			*w = n;
		}
		return n;
	}
	if (!n)
		n = 1;
	for (i = 0; i < n; i++) {
		unsigned char c = in[i];

		out[4 * i] = '\\';
		out[4 * i + 1] = 'x';
		out[4 * i + 2] = hex[c >> 4];
		out[4 * i + 3] = hex[c & 15];
	}
	*w = 4 * n;
	return n;
}

/* Printable ASCII other than the backslash: the common case, in runs. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

char *km_escape_text(char *out, size_t size, const char *in, size_t len)
{
	size_t i = 0, n = 0, used, w, run;
	char piece[16];

	while (i < len) {
		/* Task and symbol names are plain: copy them in one piece. */
		for (run = i; run < len && plain(in[run]); run++)
			;
		if (run > i) {
			w = run - i < size - n - 1 ? run - i : size - n - 1;
			memcpy(out + n, in + i, w);
			n += w;
			if (w < run - i)
				break;
			i = run;
			continue;
		}
		used = one_char(in + i, len - i, piece, &w);
		if (n + w >= size)
			break;
		memcpy(out + n, piece, w);
		n += w;
		i += used;
	}
	out[n] = '\0';
	return out;
}

void km_put_text(FILE *f, const char *s, size_t len)
{
	size_t i = 0, run, w;
	char piece[16];

	while (i < len) {
		for (run = i; run < len && plain(s[run]); run++)
			;
		if (run > i) {
			fwrite(s + i, 1, run - i, f);
			i = run;
			continue;
		}
		i += one_char(s + i, len - i, piece, &w);
		fwrite(piece, 1, w, f);
	}
}
