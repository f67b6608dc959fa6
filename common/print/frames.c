// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>
#include "../color.h"
#include "../escape.h"
#include "../json.h"
#include "frames.h"

/*
 * A caller's frame holds a return address, the instruction after the
 * call: it is looked up one byte earlier, inside the call, so the
 * function and inlined context are the caller's even when the call was
 * its last instruction. A bare address when there is no symbolizer.
 */
int km_resolve_frame(const struct km_print_ctx *pc, const uint64_t *frames,
		     uint32_t i, struct km_frame *out)
{
	uint64_t addr = frames[i];
	int n = 1, k;

	if (pc->sym)
		n = km_resolve(pc->sym, addr - (i > 0), out, KM_MAX_INLINE);
	else
		memset(out, 0, sizeof(*out));
	for (k = 0; k < n; k++)
		out[k].addr = addr;
	return n;
}

/* Names come from symbol tables and debug files: escaped (escape.h). */
static void print_entry(FILE *f, const struct km_frame *e, const char *indent,
			bool color)
{
	const char *on = color ? KM_COLOR_SYM : "";
	const char *off = color ? KM_COLOR_RESET : "";

	fprintf(f, "%s0x%016" PRIx64 ": ", indent, e->addr);
	if (!e->name) {
		fputs("[unknown]", f);
	} else {
		fputs(on, f);
		km_puts_text(f, e->name);
		fputs(off, f);
	}
	if (e->name && e->inlined) {
		fputs(" [inlined]", f);
	} else if (e->name) {
		if (e->module) {
			fputs(" [", f);
			km_puts_text(f, e->module);
			fputc(']', f);
		}
		fprintf(f, " @ 0x%" PRIx64 "+0x%" PRIx64, e->start,
			e->addr - e->start);
	}
	if (e->file) {
		fputs(" (", f);
		km_puts_text(f, e->file);
		fprintf(f, ":%u)", e->line);
	}
	fputc('\n', f);
}

void km_print_frames(FILE *f, const struct km_print_ctx *pc,
		     const uint64_t *frames, uint32_t nr, const char *indent)
{
	struct km_frame e[KM_MAX_INLINE];
	uint32_t i;
	int n, k;

	for (i = 0; i < nr; i++) {
		n = km_resolve_frame(pc, frames, i, e);
		for (k = 0; k < n; k++)
			print_entry(f, &e[k], indent, pc->color);
	}
}

static void print_entry_json(struct km_jw *w, const struct km_frame *e)
{
	km_jw_open_object(w);
	km_jw_key(w, "addr");
	km_jw_hex(w, e->addr);
	km_jw_key(w, "sym");
	km_jw_string(w, e->name);
	km_jw_key(w, "off");
	if (e->name)
		km_jw_u64(w, e->addr - e->start);
	else
		km_jw_null(w);
	if (e->module) {
		km_jw_key(w, "module");
		km_jw_string(w, e->module);
	}
	if (e->file) {
		km_jw_key(w, "file");
		km_jw_string(w, e->file);
		km_jw_key(w, "line");
		km_jw_u64(w, e->line);
	}
	if (e->inlined) {
		km_jw_key(w, "inlined");
		km_jw_bool(w, true);
	}
	km_jw_close_object(w);
}

void km_print_frames_jw(struct km_jw *w, const struct km_print_ctx *pc,
			const uint64_t *frames, uint32_t nr)
{
	struct km_frame e[KM_MAX_INLINE];
	uint32_t i;
	int n, k;

	km_jw_open_array(w);
	for (i = 0; i < nr; i++) {
		n = km_resolve_frame(pc, frames, i, e);
		for (k = 0; k < n; k++)
			print_entry_json(w, &e[k]);
	}
	km_jw_close_array(w);
}

void km_print_frames_json(FILE *f, const struct km_print_ctx *pc,
			  const uint64_t *frames, uint32_t nr)
{
	struct km_jw w;

	km_jw_init(&w, f, 0);
	km_print_frames_jw(&w, pc, frames, nr);
	km_jw_end(&w);
}
