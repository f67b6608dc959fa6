// SPDX-License-Identifier: GPL-2.0
/*
 * --timeline: hits per second since the start, per watchpoint, one row
 * a second with a bar of block characters, all bars on one scale (the
 * busiest row), so that watches compare at a glance. A trace decides
 * how far apart its hits are (one hit 10^9 s late is a 617-byte file),
 * so the seconds are counted sparsely, as many as hold hits, and a
 * long span is shown in rows of several seconds: never more than
 * MAX_ROWS rows a watchpoint.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "../../common/error.h"
#include "../../common/htab.h"
#include "../../common/json.h"
#include "../../common/trace/trace_format.h"
#include "views.h"

#define BAR_WIDTH 50 /* when the terminal does not say */
#define MAX_ROWS 1000 /* per watchpoint: about 16 minutes a second a row */

/* A second with hits of one watchpoint: the tally's key. */
struct sec_key {
	uint64_t sec;
	uint64_t watch;
};

struct timeline {
	const struct km_report *r;
	struct km_htab secs; /* struct sec_key -> hits */
	struct sec_key last_key; /* the last second counted, and its */
	uint64_t *last_val; /* tally, until the next insertion */
	uint64_t total[KM_MAX_WATCHES];
	uint64_t first, last; /* seconds with hits */
	bool any;
	/* Rows, once counted: width seconds each, from first. */
	uint64_t width, nr_rows, max; /* max: the busiest row */
	uint64_t *rows[KM_MAX_WATCHES]; /* [nr_rows] */
};

static int add(void *arg, const struct km_hit *h)
{
	struct timeline *tl = arg;
	uint64_t start = tl->r->pc.start_ns;
	struct sec_key k = { 0 };
	bool created;

	k.sec = h->time_ns > start ? (h->time_ns - start) / 1000000000 : 0;
	k.watch = h->watch;
	/* Hits come in time order: most land in the second before. */
	if (!tl->last_val || memcmp(&k, &tl->last_key, sizeof(k))) {
		tl->last_val = km_htab_get(&tl->secs, &k, sizeof(k), &created);
		if (!tl->last_val)
			return -ENOMEM;
		tl->last_key = k;
	}
	(*tl->last_val)++;
	tl->total[h->watch]++;
	if (!tl->any || k.sec < tl->first)
		tl->first = k.sec;
	if (!tl->any || k.sec > tl->last)
		tl->last = k.sec;
	tl->any = true;
	return 0;
}

/* Seconds a row, so that first..last takes at most MAX_ROWS rows. */
static uint64_t row_width(uint64_t span)
{
	return span / MAX_ROWS + (span % MAX_ROWS != 0);
}

/* Folds the counted seconds into rows; -ENOMEM without memory. */
static int make_rows(struct timeline *tl)
{
	struct km_hent *e;
	struct sec_key k;
	size_t i;
	uint64_t *c;
	int w, err = 0;

	if (!tl->any)
		return 0;
	tl->width = row_width(tl->last - tl->first + 1);
	tl->nr_rows = (tl->last - tl->first) / tl->width + 1;
	for (w = 0; w < KM_MAX_WATCHES; w++) {
		tl->rows[w] = calloc(tl->nr_rows, sizeof(uint64_t));
		if (!tl->rows[w])
			return -ENOMEM;
	}
	e = km_htab_entries(&tl->secs, &err);
	for (i = 0; e && i < tl->secs.nr; i++) {
		memcpy(&k, km_hent_key(&tl->secs, &e[i]), sizeof(k));
		c = &tl->rows[k.watch][(k.sec - tl->first) / tl->width];
		*c += e[i].val;
		if (*c > tl->max)
			tl->max = *c;
	}
	free(e);
	return err;
}

static uint64_t count_at(const struct timeline *tl, int w, uint64_t row)
{
	return tl->rows[w][row];
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

/* The first second of a row, as the user asked times to be shown. */
static void label(const struct timeline *tl, uint64_t row, char *buf,
		  size_t size)
{
	const struct km_print_ctx *pc = &tl->r->pc;
	uint64_t sec = tl->first + row * tl->width;

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
		if (tl->width > 1)
			fprintf(f,
				": %" PRIu64 " hits, hits per %" PRIu64
				" seconds\n",
				tl->total[w], tl->width);
		else
			fprintf(f, ": %" PRIu64 " hits, hits per second\n",
				tl->total[w]);
		for (s = 0; tl->any && s < tl->nr_rows; s++) {
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
		for (s = 0; tl->any && s < tl->nr_rows; s++) {
			km_jw_open_object(&jw);
			km_jw_key(&jw, "watch");
			km_jw_i64(&jw, w);
			km_jw_key(&jw, "second");
			km_jw_u64(&jw, tl->first + s * tl->width);
			if (tl->width > 1) {
				km_jw_key(&jw, "seconds");
				km_jw_u64(&jw, tl->width);
			}
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

	err = km_report_for_each_hit(r, add, &tl);
	if (!err)
		err = make_rows(&tl);
	if (err == -ENOMEM)
		km_err("out of memory");
	if (!err && r->format == KM_FMT_JSON)
		print_json(f, &tl);
	else if (!err)
		print_text(f, &tl);
	for (w = 0; w < KM_MAX_WATCHES; w++)
		free(tl.rows[w]);
	km_htab_free(&tl.secs);
	return err;
}
