// SPDX-License-Identifier: GPL-2.0
/* Live mode: print every hit with its symbolized stack as it happens. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "../common/color.h"
#include "../common/error.h"
#include "../common/escape.h"
#include "../common/print/hit_print.h"
#include "commands.h"
#include "../common/symbolize/ksyms.h"
#include "../common/symbolize/dwarf.h"
#include "../common/symbolize/module_find.h"
#include "../common/symbolize/modules.h"
#include "capture/lifetime.h"
#include "capture/module_info.h"
#include "options.h"
#include "capture/session.h"

struct live {
	struct km_print_ctx pc;
	struct km_opts *o;
	struct km_targets t; /* what o's watches resolved to */
	uint64_t nr;
};

static int resolve(void *ctx)
{
	struct live *l = ctx;

	return km_opts_resolve(l->o, &l->t);
}

/* How many of mods[0..nr) are placed (kptr_restrict shows 0). */
static size_t placed_modules(const struct km_module_info *mods, size_t nr)
{
	size_t i, n = 0;

	for (i = 0; i < nr; i++)
		n += km_module_placed(&mods[i]);
	return n;
}

/*
 * Module frames from the modules' own debug files, found as report finds
 * them (--modules DIR, by build-id, in the -dbg tree), but never through
 * debuginfod: a download would hold up the hits. The modules are those
 * record would write, read from /proc/modules and /sys/module.
 */
static int add_module_symbols(struct live *l)
{
	const char *dir = l->o->modules_dir;
	struct km_module_list ml = { 0 };
	struct utsname u;
	char *text;
	size_t len;
	int err = 0;

	/* Kernels without module support have no /proc/modules at all. */
	if (!km_read_file("/proc/modules", &text, &len)) {
		err = km_module_list_read(&ml, text);
		free(text);
	}
	if (!err && placed_modules(ml.mods, ml.nr))
		err = km_modules_symbolizer(&l->pc.sym, ml.mods, ml.nr,
					    uname(&u) ? NULL : u.release, dir,
					    false);
	else if (!err && dir)
		km_warn("/proc/modules places no module (none loaded, or kptr_restrict hides their addresses): --modules %s is not used",
			dir);
	km_module_list_free(ml.mods, ml.nr);
	return err;
}

/*
 * Symbols for the stacks: DWARF (file:line, inlined calls) from -v
 * VMLINUX where it has them, else the symbol table already loaded; with
 * -v or --modules, module frames from the modules' debug files.
 */
static int open_symbolizer(struct live *l)
{
	struct km_opts *o = l->o;
	int err = -ENODATA;

	if (o->vmlinux)
		err = km_dwarf_symbolizer(&l->pc.sym, o->vmlinux, l->t.slide);
	if (err == -ENODATA && o->vmlinux)
		km_warn("%s has no DWARF: stacks show symbols without file:line",
			o->vmlinux);
	if (err && km_targets_all_symbols(&l->t, o->vmlinux))
		return -ENOMEM;
	if (err)
		l->pc.sym = km_symbolizer_from_symtab(&l->t.syms);
	if (!l->pc.sym) {
		km_err("out of memory");
		return -ENOMEM;
	}
	return o->vmlinux || o->modules_dir ? add_module_symbols(l) : 0;
}

/* Armed: say so at once, then get the symbols (DWARF may take a while). */
static int on_armed(void *ctx, uint64_t now_ns)
{
	struct live *l = ctx;
	int i;

	(void)now_ns;
	for (i = 0; !l->o->life && i < l->o->nr_watches; i++)
		printf("Watchpoint attached on 0x%016" PRIx64 "\n",
		       l->t.watches[i].addr);
	if (l->o->life)
		printf("Watching objects from --on %s: %d at once\n",
		       l->o->life_on, l->o->nr_watches);
	fflush(stdout);
	return open_symbolizer(l);
}

static int on_hit(void *ctx, const struct km_hit *h)
{
	struct live *l = ctx;

	km_print_hit(stdout, &l->pc, ++l->nr, h);
	return 0;
}

/* Objects taken and let go, between the hits, as they happen. */
static int on_life(void *ctx, const struct km_life_rec *r)
{
	/* A task names itself: its comm is escaped as in every view. */
	char comm[4 * KM_COMM_LEN + 1];

	(void)ctx;
	km_escape_text(comm, sizeof(comm), r->comm, strlen(r->comm));
	if (r->kind == KM_LIFE_ARM)
		printf("Object %u armed on watch %u: 0x%" PRIx64
		       ", field at 0x%" PRIx64
		       ", given by %s %u/%u, live %.1f us after the call\n",
		       r->seq, r->slot, r->object, r->addr, comm, r->pid,
		       r->tid, (r->live_ns - r->event_ns) / 1e3);
	else
		printf("Object %u freed on watch %u: 0x%" PRIx64
		       " by %s %u/%u, breakpoint off %.1f us after the call\n",
		       r->seq, r->slot, r->object, comm, r->pid, r->tid,
		       (r->live_ns - r->event_ns) / 1e3);
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
	struct live l = { .pc = { .nr_watches = o->nr_watches,
				  .color = km_color_wanted(stdout) },
			  .o = o };
	struct km_module_search ms = { .dir = o->modules_dir };
	struct km_session_stats st;
	struct km_session_opts so;
	int err;

	/* A --modules DIR that cannot be read is said before arming. */
	err = km_module_search_check(&ms);
	if (err)
		return err;
	l.pc.watches = l.t.watches;
	km_targets_start(&l.t);
	km_opts_session(o, &l.t, &so);
	so.ctx = &l;
	so.resolve = resolve;
	so.on_armed = on_armed;
	so.on_hit = on_hit;
	so.on_tick = on_tick;
	so.on_life = on_life;
	/* Before arming: a hit can come before on_armed runs. */
	l.pc.start_ns = km_now_ns();
	err = km_session_run(&so, &st);
	km_symbolizer_destroy(l.pc.sym);
	km_targets_free(&l.t);
	fflush(stdout);
	if (!err)
		fprintf(stderr,
			"kmemsnoop: %" PRIu64 " hits, %" PRIu64
			" lost, %" PRIu64 " filtered (%" PRIu64 " seen)\n",
			st.delivered, st.dropped, st.filtered, st.seen);
	if (!err)
		km_life_print_summary(stderr, &st.life);
	if (!err)
		km_session_hint(&st, false);
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
	return km_exit_status(err);
}
