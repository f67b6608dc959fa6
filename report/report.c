// SPDX-License-Identifier: GPL-2.0
/* kmemsnoop report: show a trace, on any machine, symbolized offline. */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>
#include "report.h"
#include "../common/color.h"
#include "pager.h"
#include "../common/error.h"
#include "../common/escape.h"
#include "../common/print/stack_text.h"
#include "report_opts.h"
#include "symbols.h"
#include "../common/trace/trace_reader.h"
#include "views/views.h"

/* One line in front of a text view: this trace is an export. */
static void export_line(const struct km_report *r)
{
	if (!r->d->export_note || r->format != KM_FMT_TEXT)
		return;
	fputs("# export: ", stdout);
	km_puts_text(stdout, r->d->export_note);
	fputc('\n', stdout);
}

/* The report of what the options ask for, from an open trace. */
static int show(struct km_report *r, const struct km_report_opts *o)
{
	export_line(r);
	if (o->timeline)
		return km_view_timeline(stdout, r);
	switch (r->format) {
	case KM_FMT_FOLDED:
	case KM_FMT_SVG:
		return km_view_folded(stdout, r);
	case KM_FMT_PERF_SCRIPT:
		return km_view_perf_script(stdout, r);
	default:
		break;
	}
	if (o->hits)
		return km_view_hits(stdout, r);
	if (o->sorted || o->cg)
		return km_view_sort(stdout, r);
	/* JSON has no per-watch stack view: its default is every hit. */
	if (r->format == KM_FMT_JSON)
		return km_view_hits(stdout, r);
	return km_view_stacks(stdout, r);
}

static int setup(struct km_report *r, const struct km_report_opts *o,
		 struct km_trace *t)
{
	const struct km_trace_data *d = &t->d;
	int err = km_hit_filter_check(&o->filter, d);

	if (err)
		return err;
	*r = (struct km_report){ .t = t,
				 .d = d,
				 .pc = { .start_ns = d->monotonic_ns,
					 .watches = d->watches,
					 .nr_watches = d->nr_watches },
				 .filter = &o->filter,
				 .format = o->format,
				 .sort = o->sort,
				 .cg = o->cg,
				 .percent_limit = o->percent_limit,
				 .cut = { .on = o->max_stack >= 0,
					  .max = o->max_stack } };
	/* Decided before a pager takes standard output: less -R keeps it. */
	r->pc.color = r->format == KM_FMT_TEXT && km_color_wanted(stdout);
	if (o->cg && !o->sorted)
		r->sort = (struct km_sort){ { KM_KEY_STACK }, 1 };
	if (o->wall && !d->realtime_ns) {
		km_err("%s has no start time to turn hit times into wall time: use --time-format relative",
		       d->path);
		return -EINVAL;
	}
	if (o->wall)
		r->pc.wall_ns = d->realtime_ns;
	/*
	 * The timeline counts hits and needs no names; a trace with no hits
	 * (open read up to the first, and found none) needs none either,
	 * nor a word about where they would have come from; a symbol file
	 * given is still read, so that a wrong one is said.
	 */
	if (o->timeline ||
	    (km_trace_no_hits(t) && !o->sym.vmlinux && !o->sym.kallsyms))
		return 0;
	/* A stack is shown many times over; render it once (or each time). */
	r->pc.stack_text = km_stack_text_new();
	return km_report_symbols(&r->pc.sym, d, &o->sym);
}

/*
 * One thread writes the report: stdio's per-call locking is pure cost,
 * and into a file or a pipe a larger buffer means fewer writes. Before
 * anything is written to stdout.
 */
static void setup_stdout(void)
{
	static char buf[1 << 16];

	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}

/* An SVG is for a browser: on a terminal it is a screenful of markup. */
static int check_output(const struct km_report_opts *o)
{
	if (o->format == KM_FMT_SVG && isatty(STDOUT_FILENO)) {
		km_usage(
			"an SVG flame graph is not for a terminal: redirect it, e.g. --format svg > hits.svg");
		return -EINVAL;
	}
	return 0;
}

static int report(const struct km_report_opts *o)
{
	struct km_report r = { 0 };
	struct km_trace t;
	int err;

	km_set_quiet(o->quiet);
	err = check_output(o);
	if (err)
		return err;
	err = km_trace_open(&t, o->input);
	if (!err && !o->header)
		err = setup(&r, o, &t);
	if (!err && !o->no_pager)
		km_pager_start();
	setup_stdout();
	if (!err && o->header)
		err = km_view_header(stdout, &t, o->format == KM_FMT_JSON);
	else if (!err)
		err = show(&r, o);
	km_report_free_caches(&r);
	km_stack_text_free(r.pc.stack_text);
	km_symbolizer_destroy(r.pc.sym);
	km_trace_close(&t);
	return err;
}

int km_cmd_report(int argc, char **argv)
{
	struct km_report_opts o = { 0 };
	int err;

	err = km_report_parse(&o, argc, argv);
	if (!err)
		err = report(&o);
	km_report_opts_free(&o);
	if (err == 1)
		return KM_EXIT_OK;
	if (fflush(stdout) && errno != EPIPE) {
		km_err("writing the report failed: %s", strerror(errno));
		err = -errno;
	}
	km_pager_end();
	return km_exit_status(err);
}
