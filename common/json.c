// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "json.h"

void km_json_strn(FILE *f, const char *s, size_t len)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			/* comm and symbol names are bytes, not UTF-8. */
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void km_json_str(FILE *f, const char *s)
{
	km_json_strn(f, s, strlen(s));
}
