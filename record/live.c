// SPDX-License-Identifier: GPL-2.0
/* Live mode: print every hit with its symbolized stack as it happens. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include "../common/error.h"
#include "../common/hit.h"
#include "../common/commands.h"
#include "options.h"
#include "session.h"

struct live {
	struct km_print_ctx pc;
	uint64_t nr;
};

static int on_armed(void *ctx, uint64_t now_ns)
{
	struct live *l = ctx;
	int i;

	(void)now_ns;
	for (i = 0; i < l->pc.nr_watches; i++)
		printf("Watchpoint attached on %" PRIx64 "\n",
		       l->pc.watches[i].addr);
	fflush(stdout);
	return 0;
}

static int on_hit(void *ctx, const struct km_hit *h)
{
	struct live *l = ctx;

	km_print_hit(stdout, &l->pc, ++l->nr, h);
	return 0;
}

static int on_tick(void *ctx, uint64_t now_ns)
{
	(void)ctx;
	(void)now_ns;
	fflush(stdout);
	return 0;
}

static int live(struct km_opts *o)
{
	struct live l = { .pc = { .watches = o->watches,
				  .nr_watches = o->nr_watches } };
	struct km_session_opts so = {
		.watches = o->watches,
		.nr_watches = o->nr_watches,
		.stacks = o->stacks,
		.regs = o->regs,
		.filter = o->filter,
		.ringbuf_size = o->ringbuf_size,
		.duration_ns = o->duration_ns,
		.max_hits = o->count,
		.ctx = &l,
		.on_armed = on_armed,
		.on_hit = on_hit,
		.on_tick = on_tick,
	};
	struct km_session_stats st;
	int err;

	l.pc.sym = km_symbolizer_from_symtab(&o->syms);
	if (!l.pc.sym) {
		km_err("out of memory");
		return -ENOMEM;
	}
	/* Before arming: a hit can come before on_armed runs. */
	l.pc.start_ns = km_now_ns();
	err = km_session_run(&so, &st);
	km_symbolizer_destroy(l.pc.sym);
	fflush(stdout);
	if (!err)
		fprintf(stderr,
			"kmemsnoop: %" PRIu64 " hits, %" PRIu64
			" lost, %" PRIu64 " filtered (%" PRIu64 " seen)\n",
			st.delivered, st.dropped, st.filtered, st.seen);
	return err;
}

int km_cmd_live(int argc, char **argv)
{
	struct km_opts o = { 0 };
	int err;

	err = km_opts_parse(&o, argc, argv);
	if (err == 1)
		return KM_EXIT_OK;
	if (!err)
		err = live(&o);
	km_opts_free(&o);
	return err ? (km_usage_error ? KM_EXIT_USAGE : KM_EXIT_FAIL) :
		     KM_EXIT_OK;
}
