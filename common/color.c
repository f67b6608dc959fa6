// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <unistd.h>
#include "color.h"

bool km_color_wanted(FILE *f)
{
	const char *no = getenv("NO_COLOR");

	/* Any non-empty value disables, whatever it says. */
	if (no && *no)
		return false;
	return isatty(fileno(f));
}

const char *km_percent_color(double pct)
{
	if (pct >= 5.0)
		return KM_COLOR_RED;
	return pct > 0.5 ? KM_COLOR_GREEN : "";
}

void km_print_percent(FILE *f, int width, double pct, bool color)
{
	const char *on = color ? km_percent_color(pct) : "";

	fprintf(f, "%s%*.2f%%%s", on, width, pct, *on ? KM_COLOR_RESET : "");
}
