// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <unistd.h>
#include "status.h"

#define EVERY_NS 1000000000ull
#define ERASE "\r\033[K" /* to the start of the line, and clear it */

void km_status_init(struct km_status *s, FILE *f, bool quiet)
{
	*s = (struct km_status){ .f = f, .on = !quiet && isatty(fileno(f)) };
}

/* 1020702 -> "996.8 KiB": a status line is read at a glance. */
static void human(char *buf, size_t size, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 " bytes", bytes);
		return;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%.1f %s", v, unit[u]);
}

void km_status_tick(struct km_status *s, uint64_t now_ns, uint64_t start_ns,
		    uint64_t hits, uint64_t lost, uint64_t bytes)
{
	uint64_t secs = now_ns > start_ns ? (now_ns - start_ns) / 1000000000 :
					    0;
	char written[32];

	if (!s->on || (s->last_ns && now_ns - s->last_ns < EVERY_NS))
		return;
	if (!s->last_ns) {
		/* The first tick only starts the clock: no line for a blip. */
		s->last_ns = now_ns;
		return;
	}
	s->last_ns = now_ns;
	human(written, sizeof(written), bytes);
	/* One write: a line half drawn would flicker. */
	fprintf(s->f,
		ERASE "kmemsnoop: recording: %" PRIu64 " hits, %" PRIu64
		      " lost, %s written, %" PRIu64 ":%02" PRIu64,
		hits, lost, written, secs / 60, secs % 60);
	fflush(s->f);
	s->shown = true;
}

void km_status_clear(struct km_status *s)
{
	if (!s->shown)
		return;
	fputs(ERASE, s->f);
	fflush(s->f);
	s->shown = false;
}
