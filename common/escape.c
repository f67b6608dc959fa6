// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "escape.h"

char *km_escape_text(char *out, size_t size, const char *in, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = in[i];
		char esc[5];
		size_t w;

		if (c == '\\')
			w = snprintf(esc, sizeof(esc), "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			w = snprintf(esc, sizeof(esc), "\\x%02x", c);
		else
			w = snprintf(esc, sizeof(esc), "%c", c);
		if (n + w >= size)
			break;
		memcpy(out + n, esc, w);
		n += w;
	}
	out[n] = '\0';
	return out;
}
