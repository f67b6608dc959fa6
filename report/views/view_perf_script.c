// SPDX-License-Identifier: GPL-2.0
/*
 * --format perf-script: each hit as `perf script` prints a sample of
 * `perf record -e mem:ADDR/LEN:TYPE -a -g`, so that what reads that
 * (FlameGraph's stackcollapse-perf.pl, speedscope, perf's own scripts'
 * parsers) reads this:
 *
 *   comm pid/tid [cpu] seconds.micros:          1 mem:0xADDR:
 *   <TAB>ffffffff816badaa vfs_read+0x23a ([kernel.kallsyms])
 *   ...
 *   (a blank line)
 *
 * Times are seconds since the start, or with --time-format wall since
 * the epoch. The frames of one stack print the same for every hit, so
 * they are made once per stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "../../common/trace/trace_format.h"
#include "../../common/escape.h"
#include "views.h"

struct script {
	FILE *f;
	struct km_report *r;
	struct km_htab index; /* stack key -> texts[] index */
	char **texts;
	size_t nr_texts, cap;
};

static void frame_line(FILE *m, const struct km_frame *e)
{
	fprintf(m, "\t%16" PRIx64 " ", e->addr);
	if (e->name) {
		km_puts_text(m, e->name);
		fprintf(m, "+0x%" PRIx64, e->addr - e->start);
	} else {
		fputs("[unknown]", m);
	}
	if (e->module) {
		fputs(" ([", m);
		km_puts_text(m, e->module);
		fputs("])\n", m);
	} else {
		fputs(" ([kernel.kallsyms])\n", m);
	}
}

static char *make_text(struct script *s, const struct km_hit *h)
{
	struct km_frame e[KM_MAX_INLINE];
	const uint64_t *frames = &h->ip;
	uint32_t i, nr = 1;
	size_t size;
	char *text;
	FILE *m;
	int n, k;

	if (h->stack_id != KM_NO_STACK) {
		frames = h->frames;
		nr = h->nr_frames;
	}
	m = open_memstream(&text, &size);
	if (!m)
		return NULL;
	for (i = 0; i < nr; i++) {
		n = km_resolve_frame(&s->r->pc, frames, i, e);
		for (k = 0; k < n; k++)
			frame_line(m, &e[k]);
	}
	if (fclose(m)) {
		free(text);
		return NULL;
	}
	return text;
}

static const char *frames_text(struct script *s, const struct km_hit *h)
{
	uint8_t key[12];
	size_t len = h->stack_id == KM_NO_STACK ? 12 : 4;
	bool created;
	uint64_t *idx;

	memcpy(key, &h->stack_id, 4);
	memcpy(key + 4, &h->ip, 8);
	idx = km_htab_get(&s->index, key, len, &created);
	if (!idx)
		return NULL;
	if (!created)
		return s->texts[*idx];
	if (km_grow_array((void **)&s->texts, &s->cap, s->nr_texts + 1,
			  sizeof(*s->texts)))
		return NULL;
	*idx = s->nr_texts;
	s->texts[*idx] = make_text(s, h);
	if (!s->texts[*idx])
		return NULL;
	s->nr_texts++;
	return s->texts[*idx];
}

/* perf prints the comm as it is; here it is escaped (escape.h). */
static void put_comm(FILE *f, const char *comm)
{
	if (!*comm)
		fputs("[unknown]", f);
	km_puts_text(f, comm);
}

static int print_one(void *arg, const struct km_hit *h)
{
	struct script *s = arg;
	const struct km_print_ctx *pc = &s->r->pc;
	uint64_t d = h->time_ns > pc->start_ns ? h->time_ns - pc->start_ns : 0;
	const char *text = frames_text(s, h);
	uint64_t addr = h->watch < s->r->d->nr_watches ?
				s->r->d->watches[h->watch].addr :
				h->addr;

	if (!text)
		return -ENOMEM;
	/* With --time-format wall, perf script's clock is the epoch's. */
	d += pc->wall_ns;
	put_comm(s->f, h->comm);
	fprintf(s->f,
		" %u/%u [%03u] %5" PRIu64 ".%06" PRIu64 ": %10u mem:0x%" PRIx64
		": \n%s\n",
		h->pid, h->tid, h->cpu, d / 1000000000, d % 1000000000 / 1000,
		1, addr, text);
	return 0;
}

int km_view_perf_script(FILE *f, struct km_report *r)
{
	struct script s = { .f = f, .r = r };
	size_t i;
	int err;

	err = km_report_for_each_hit(r, print_one, &s);
	if (err == -ENOMEM)
		km_err("out of memory");
	for (i = 0; i < s.nr_texts; i++)
		free(s.texts[i]);
	free(s.texts);
	km_htab_free(&s.index);
	return err;
}
