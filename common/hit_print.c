// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <linux/perf_event.h>
#include "color.h"
#include "hit.h"
#include "stack_text.h"
#include "json.h"
#include "trace_format.h"

const char *const km_reg_names[KM_NR_REGS] = {
	"r15", "r14",	  "r13", "r12", "bp",	 "bx", "r11",
	"r10", "r9",	  "r8",	 "ax",	"cx",	 "dx", "si",
	"di",  "orig_ax", "ip",	 "cs",	"flags", "sp", "ss",
};

/*
 * perf's callchain starts with a PERF_CONTEXT_KERNEL marker; such
 * markers are not addresses and are left out.
 */
static void drop_context_markers(struct km_hit *h)
{
	uint32_t i;

	while (h->nr_frames && h->frames[0] >= (uint64_t)PERF_CONTEXT_MAX) {
		h->frames++;
		h->nr_frames--;
	}
	for (i = 0; i < h->nr_frames; i++)
		if (h->frames[i] >= (uint64_t)PERF_CONTEXT_MAX)
			h->nr_frames = i;
}

int km_hit_from_event(struct km_hit *h, const void *data, size_t size)
{
	const struct kmemsnoop_event *e = data;
	size_t nregs = e->flags & KM_EVENT_REGS ? KM_NR_REGS : 0;

	if (size < KM_EVENT_HEAD_SIZE || e->nr_frames > KM_MAX_FRAMES ||
	    size < KM_EVENT_HEAD_SIZE + (nregs + e->nr_frames) * 8)
		return -EBADMSG;
	h->time_ns = e->time_ns;
	h->ip = e->ip;
	h->addr = e->addr;
	h->value = e->value;
	h->old_value = e->old_value;
	h->has_value = e->flags & KM_EVENT_VALUE;
	h->has_old = e->flags & KM_EVENT_OLD;
	h->pid = e->pid;
	h->tid = e->tid;
	h->cpu = e->cpu;
	h->watch = e->watch;
	h->stack_id = KM_NO_STACK;
	memcpy(h->comm, e->comm, KM_COMM_LEN);
	h->comm[KM_COMM_LEN] = '\0';
	h->regs = nregs ? (const uint64_t *)e->payload : NULL;
	h->frames = (const uint64_t *)e->payload + nregs;
	h->nr_frames = e->nr_frames;
	drop_context_markers(h);
	return 0;
}

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

static void print_entry(FILE *f, const struct km_frame *e, const char *indent,
			bool color)
{
	const char *on = color ? KM_COLOR_SYM : "";
	const char *off = color ? KM_COLOR_RESET : "";

	fprintf(f, "%s0x%016" PRIx64 ": ", indent, e->addr);
	if (!e->name)
		fputs("[unknown]", f);
	else if (e->inlined)
		fprintf(f, "%s%s%s [inlined]", on, e->name, off);
	else
		fprintf(f, "%s%s%s%s%s%s @ 0x%" PRIx64 "+0x%" PRIx64, on,
			e->name, off, e->module ? " [" : "",
			e->module ? e->module : "", e->module ? "]" : "",
			e->start, e->addr - e->start);
	if (e->file)
		fprintf(f, " (%s:%u)", e->file, e->line);
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

static uint32_t watch_len(const struct km_print_ctx *pc, uint16_t watch)
{
	return watch < pc->nr_watches ? pc->watches[watch].len : 8;
}

/* " value OLD -> NEW (old -> new)", "?" where the old one is unknown. */
static void print_value(FILE *f, const struct km_print_ctx *pc,
			const struct km_hit *h)
{
	int w = (int)watch_len(pc, h->watch) * 2;

	if (!h->has_value)
		return;
	if (h->has_old)
		fprintf(f,
			" value 0x%0*" PRIx64 " -> 0x%0*" PRIx64 " (%" PRIu64
			" -> %" PRIu64 ")",
			w, h->old_value, w, h->value, h->old_value, h->value);
	else
		fprintf(f, " value ? -> 0x%0*" PRIx64 " (? -> %" PRIu64 ")", w,
			h->value, h->value);
}

static void print_regs(FILE *f, const uint64_t *regs, const char *indent)
{
	int i;

	for (i = 0; i < KM_NR_REGS; i++)
		fprintf(f, "%s%-7s 0x%016" PRIx64 "%s", i % 4 ? "  " : indent,
			km_reg_names[i], regs[i],
			i % 4 == 3 || i == KM_NR_REGS - 1 ? "\n" : "");
}

void km_format_time(const struct km_print_ctx *pc, uint64_t time_ns, char *buf,
		    size_t size)
{
	bool before = time_ns < pc->start_ns;
	uint64_t d = before ? pc->start_ns - time_ns : time_ns - pc->start_ns;
	uint64_t ns = pc->wall_ns + d;
	char date[32];
	struct tm tm;
	time_t s;

	if (!pc->wall_ns) {
		snprintf(buf, size, "%s%" PRIu64 ".%09" PRIu64,
			 before ? "-" : "", d / 1000000000, d % 1000000000);
		return;
	}
	if (before)
		ns = pc->wall_ns - d;
	s = ns / 1000000000;
	gmtime_r(&s, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%09" PRIu64 "Z", date, ns % 1000000000);
}

void km_print_hit(FILE *f, const struct km_print_ctx *pc, uint64_t nr,
		  const struct km_hit *h)
{
	char when[64];

	km_format_time(pc, h->time_ns, when, sizeof(when));
	fprintf(f, "%s#%" PRIu64 " %s cpu %u pid %u/%u comm %s watch %u",
		pc->color ? KM_COLOR_HEADER : "", nr, when, h->cpu, h->pid,
		h->tid, h->comm, h->watch);
	print_value(f, pc, h);
	fputs(pc->color ? KM_COLOR_RESET "\n" : "\n", f);
	if (h->regs)
		print_regs(f, h->regs, "    ");
	km_stack_text_put(pc->stack_text, f, pc, h, false);
}

static void print_entry_json(FILE *f, const struct km_frame *e)
{
	fprintf(f, "{\"addr\":\"0x%" PRIx64 "\",\"sym\":", e->addr);
	if (e->name) {
		km_json_str(f, e->name);
		fprintf(f, ",\"off\":%" PRIu64, e->addr - e->start);
	} else {
		fputs("null,\"off\":null", f);
	}
	if (e->module) {
		fputs(",\"module\":", f);
		km_json_str(f, e->module);
	}
	if (e->file) {
		fputs(",\"file\":", f);
		km_json_str(f, e->file);
		fprintf(f, ",\"line\":%u", e->line);
	}
	if (e->inlined)
		fputs(",\"inlined\":true", f);
	fputc('}', f);
}

void km_print_frames_json(FILE *f, const struct km_print_ctx *pc,
			  const uint64_t *frames, uint32_t nr)
{
	struct km_frame e[KM_MAX_INLINE];
	uint32_t i;
	int n, k;

	fputc('[', f);
	for (i = 0; i < nr; i++) {
		n = km_resolve_frame(pc, frames, i, e);
		for (k = 0; k < n; k++) {
			if (i || k)
				fputc(',', f);
			print_entry_json(f, &e[k]);
		}
	}
	fputc(']', f);
}

void km_print_hit_json(FILE *f, const struct km_print_ctx *pc,
		       const struct km_hit *h)
{
	uint32_t i;

	fprintf(f,
		"{\"time_ns\":%" PRIu64 ",\"cpu\":%u,\"pid\":%u,\"tid\":%u,"
		"\"comm\":",
		h->time_ns - pc->start_ns, h->cpu, h->pid, h->tid);
	km_json_str(f, h->comm);
	if (pc->wall_ns) {
		char when[64];

		km_format_time(pc, h->time_ns, when, sizeof(when));
		fprintf(f, ",\"time\":\"%s\"", when);
	}
	fprintf(f, ",\"watch\":%u,\"addr\":\"0x%" PRIx64 "\"", h->watch,
		h->addr);
	if (h->has_value)
		fprintf(f, ",\"value\":\"0x%" PRIx64 "\"", h->value);
	if (h->has_old)
		fprintf(f, ",\"old_value\":\"0x%" PRIx64 "\"", h->old_value);
	for (i = 0; h->regs && i < KM_NR_REGS; i++)
		fprintf(f, "%s\"%s\":\"0x%" PRIx64 "\"",
			i ? "," : ",\"regs\":{", km_reg_names[i], h->regs[i]);
	if (h->regs)
		fputc('}', f);
	fprintf(f, ",\"ip\":\"0x%" PRIx64 "\",\"stack\":", h->ip);
	km_stack_text_put(pc->stack_text, f, pc, h, true);
	fputs("}\n", f);
}
