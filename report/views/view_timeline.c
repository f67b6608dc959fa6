// SPDX-License-Identifier: GPL-2.0
/*
 * --timeline: hits per second since the start, per watchpoint, one row
 * a second with a bar of block characters, all bars on one scale (the
 * busiest second), so that watches compare at a glance.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "../../common/error.h"
#include "../../common/json.h"
#include "../../common/trace/trace_format.h"
#include "views.h"

#define BAR_WIDTH 50 /* when the terminal does not say */

struct timeline {
	const struct km_report *r;
	uint64_t *count[KM_MAX_WATCHES]; /* [second] */
	size_t cap[KM_MAX_WATCHES];
	uint64_t total[KM_MAX_WATCHES];
	uint64_t first, last, max; /* seconds with hits, busiest second */
	bool any;
};

static int add(void *arg, const struct km_hit *h)
{
	struct timeline *tl = arg;
	uint64_t start = tl->r->pc.start_ns, sec, *c;
	size_t old = tl->cap[h->watch];

	sec = h->time_ns > start ? (h->time_ns - start) / 1000000000 : 0;
	if (km_grow_array((void **)&tl->count[h->watch], &tl->cap[h->watch],
			  sec + 1, sizeof(uint64_t)))
		return -ENOMEM;
	c = tl->count[h->watch];
	if (tl->cap[h->watch] > old)
		memset(c + old, 0, (tl->cap[h->watch] - old) * sizeof(*c));
	if (++c[sec] > tl->max)
		tl->max = c[sec];
	tl->total[h->watch]++;
	if (!tl->any || sec < tl->first)
		tl->first = sec;
	if (!tl->any || sec > tl->last)
		tl->last = sec;
	tl->any = true;
	return 0;
}

static uint64_t count_at(const struct timeline *tl, int w, uint64_t sec)
{
	return sec < tl->cap[w] ? tl->count[w][sec] : 0;
}

/* The room left on the terminal's line, else BAR_WIDTH. */
static int bar_width(FILE *f, int label)
{
	struct winsize ws;

	if (!isatty(fileno(f)) || ioctl(fileno(f), TIOCGWINSZ, &ws) ||
	    ws.ws_col < label + 30)
		return BAR_WIDTH;
	return ws.ws_col - label - 14;
}

/* A bar of n eighths of a cell: full blocks, then one partial block. */
static void put_bar(FILE *f, uint64_t eighths, int width)
{
	static const char *const part[8] = { "",  "▏", "▎", "▍",
					     "▌", "▋", "▊", "▉" };
	uint64_t i;

	for (i = 0; i < eighths / 8; i++)
		fputs("█", f);
	fputs(part[eighths % 8], f);
	for (i = (eighths + 7) / 8; i < (uint64_t)width; i++)
		fputc(' ', f);
}

static void label(const struct timeline *tl, uint64_t sec, char *buf,
		  size_t size)
{
	const struct km_print_ctx *pc = &tl->r->pc;

	if (pc->wall_ns)
		km_format_time(pc, pc->start_ns + sec * 1000000000, buf, size);
	else
		snprintf(buf, size, "%" PRIu64 "s", sec);
}

static void print_text(FILE *f, const struct timeline *tl)
{
	const struct km_trace_data *t = tl->r->d;
	int w, lw = tl->r->pc.wall_ns ? 30 : 8, width = bar_width(f, lw);
	uint64_t s, c;
	char when[64];

	for (w = 0; w < t->nr_watches; w++) {
		if (!km_ranges_match(&tl->r->filter->watch, w))
			continue;
		km_print_watch_head(f, t, w);
		fprintf(f, ": %" PRIu64 " hits, hits per second\n",
			tl->total[w]);
		for (s = tl->first; tl->any && s <= tl->last; s++) {
			c = count_at(tl, w, s);
			label(tl, s, when, sizeof(when));
			fprintf(f, "%*s ", lw, when);
			put_bar(f, tl->max ? c * width * 8 / tl->max : 0,
				width);
			fprintf(f, " %" PRIu64 "\n", c);
		}
		fputc('\n', f);
	}
}

static void print_json(FILE *f, const struct timeline *tl)
{
	struct km_jw jw;
	char when[64];
	uint64_t s;
	int w;

	km_jw_init(&jw, f, KM_JW_LINES);
	for (w = 0; w < tl->r->d->nr_watches; w++) {
		if (!km_ranges_match(&tl->r->filter->watch, w))
			continue;
		for (s = tl->first; tl->any && s <= tl->last; s++) {
			km_jw_open_object(&jw);
			km_jw_key(&jw, "watch");
			km_jw_i64(&jw, w);
			km_jw_key(&jw, "second");
			km_jw_u64(&jw, s);
			km_jw_key(&jw, "hits");
			km_jw_u64(&jw, count_at(tl, w, s));
			if (tl->r->pc.wall_ns) {
				label(tl, s, when, sizeof(when));
				km_jw_key(&jw, "time");
				km_jw_string(&jw, when);
			}
			km_jw_close_object(&jw);
		}
	}
	/* Flat rows: only stdout can fail, and report checks it at its flush. */
	km_jw_end(&jw);
}

int km_view_timeline(FILE *f, struct km_report *r)
{
	struct timeline tl = { .r = r };
	int err, w;

	err = km_for_each_hit(r->t, r->filter, add, &tl);
	if (err == -ENOMEM)
		km_err("out of memory");
	if (!err && r->format == KM_FMT_JSON)
		print_json(f, &tl);
	else if (!err)
		print_text(f, &tl);
	for (w = 0; w < KM_MAX_WATCHES; w++)
		free(tl.count[w]);
	return err;
}
