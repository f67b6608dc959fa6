// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <linux/perf_event.h>
#include "hit.h"
#include "json.h"
#include "trace_format.h"

int km_hit_from_event(struct km_hit *h, const void *data, size_t size)
{
	const struct kmemsnoop_event *e = data;
	uint32_t i;

	if (size < KM_EVENT_HEAD_SIZE ||
	    size < KM_EVENT_HEAD_SIZE + (size_t)e->nr_frames * 8 ||
	    e->nr_frames > KM_MAX_FRAMES)
		return -EBADMSG;
	h->time_ns = e->time_ns;
	h->ip = e->ip;
	h->addr = e->addr;
	h->value = e->value;
	h->has_value = e->flags & KM_EVENT_VALUE;
	h->pid = e->pid;
	h->tid = e->tid;
	h->cpu = e->cpu;
	h->watch = e->watch;
	h->stack_id = KM_NO_STACK;
	memcpy(h->comm, e->comm, KM_COMM_LEN);
	h->comm[KM_COMM_LEN] = '\0';
	h->frames = (const uint64_t *)e->frames;
	h->nr_frames = e->nr_frames;
	/*
	 * perf's callchain starts with a PERF_CONTEXT_KERNEL marker; such
	 * markers are not addresses and are left out.
	 */
	while (h->nr_frames && h->frames[0] >= (uint64_t)PERF_CONTEXT_MAX) {
		h->frames++;
		h->nr_frames--;
	}
	for (i = 0; i < h->nr_frames; i++)
		if (h->frames[i] >= (uint64_t)PERF_CONTEXT_MAX)
			h->nr_frames = i;
	return 0;
}

static const struct km_sym *lookup(const struct km_print_ctx *pc, uint64_t addr)
{
	return pc->syms ? km_symtab_lookup(pc->syms, addr) : NULL;
}

void km_print_frames(FILE *f, const struct km_print_ctx *pc,
		     const uint64_t *frames, uint32_t nr, const char *indent)
{
	const struct km_sym *s;
	uint32_t i;

	for (i = 0; i < nr; i++) {
		uint64_t start;

		s = lookup(pc, frames[i]);
		if (!s) {
			fprintf(f, "%s0x%016" PRIx64 ": [unknown]\n", indent,
				frames[i]);
			continue;
		}
		start = s->addr;
		fprintf(f,
			"%s0x%016" PRIx64 ": %s%s%s%s @ 0x%" PRIx64
			"+0x%" PRIx64 "\n",
			indent, frames[i], s->name, s->module ? " [" : "",
			s->module ? s->module : "", s->module ? "]" : "", start,
			frames[i] - start);
	}
}

static uint32_t watch_len(const struct km_print_ctx *pc, uint16_t watch)
{
	return watch < pc->nr_watches ? pc->watches[watch].len : 8;
}

void km_print_hit(FILE *f, const struct km_print_ctx *pc, uint64_t nr,
		  const struct km_hit *h)
{
	uint64_t t = h->time_ns - pc->start_ns;

	fprintf(f,
		"#%" PRIu64 " %" PRIu64 ".%09" PRIu64
		" cpu %u pid %u/%u comm %s watch %u",
		nr, t / 1000000000, t % 1000000000, h->cpu, h->pid, h->tid,
		h->comm, h->watch);
	if (h->has_value)
		fprintf(f, " value 0x%0*" PRIx64 " (%" PRIu64 ")",
			(int)watch_len(pc, h->watch) * 2, h->value, h->value);
	fputc('\n', f);
	km_print_frames(f, pc, h->frames, h->nr_frames, "    ");
}

static void print_frame_json(FILE *f, const struct km_print_ctx *pc,
			     uint64_t addr)
{
	const struct km_sym *s = lookup(pc, addr);

	fprintf(f, "{\"addr\":\"0x%" PRIx64 "\",\"sym\":", addr);
	if (s) {
		km_json_str(f, s->name);
		fprintf(f, ",\"off\":%" PRIu64 "}", addr - s->addr);
	} else {
		fputs("null,\"off\":null}", f);
	}
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
	fprintf(f, ",\"watch\":%u,\"addr\":\"0x%" PRIx64 "\"", h->watch,
		h->addr);
	if (h->has_value)
		fprintf(f, ",\"value\":\"0x%" PRIx64 "\"", h->value);
	fprintf(f, ",\"ip\":\"0x%" PRIx64 "\",\"stack\":[", h->ip);
	for (i = 0; i < h->nr_frames; i++) {
		if (i)
			fputc(',', f);
		print_frame_json(f, pc, h->frames[i]);
	}
	fputs("]}\n", f);
}
