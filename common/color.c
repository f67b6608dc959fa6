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
