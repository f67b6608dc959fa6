// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <unistd.h>
#include "../common/bytes.h"
#include "status.h"

#define EVERY_NS 1000000000ull
#define ERASE "\r\033[K" /* to the start of the line, and clear it */

void km_status_init(struct km_status *s, FILE *f, bool quiet)
{
	*s = (struct km_status){ .f = f, .on = !quiet && isatty(fileno(f)) };
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
	km_human_size(written, sizeof(written), bytes);
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
