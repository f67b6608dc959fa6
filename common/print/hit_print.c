// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <linux/perf_event.h>
#include "../color.h"
#include "../escape.h"
#include "hit_print.h"
#include "stack_text.h"
#include "../json.h"
#include "../trace/trace_format.h"

static uint32_t watch_len(const struct km_print_ctx *pc, uint16_t watch)
{
	return watch < pc->nr_watches ? pc->watches[watch].len : 8;
}

/*
 * A hit's header line is built by hand, not with printf: printf's
 * parsing was more than half of what `report --hits` spent. Whatever
 * would not fit in buf is cut off (it cannot happen: the fields are
 * bounded).
 */
struct line {
	size_t len;
	char buf[320];
};

static void put_mem(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->buf) - l->len)
		n = sizeof(l->buf) - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void put_str(struct line *l, const char *s)
{
	put_mem(l, s, strlen(s));
}

/* A task chooses its name: escaped (escape.h), 4 bytes a byte at most. */
static void put_comm(struct line *l, const char *comm)
{
	char safe[4 * KM_COMM_LEN + 1];

	put_str(l, km_escape_text(safe, sizeof(safe), comm, strlen(comm)));
}

/* v in decimal, zero-padded to at least width digits (at most 20). */
static void put_dec(struct line *l, uint64_t v, int width)
{
	/* Two digits a division: the numbers here are most of the line. */
	static const char pairs[] = "00010203040506070809"
				    "10111213141516171819"
				    "20212223242526272829"
				    "30313233343536373839"
				    "40414243444546474849"
				    "50515253545556575859"
				    "60616263646566676869"
				    "70717273747576777879"
				    "80818283848586878889"
				    "90919293949596979899";
	char t[20];
	int i = sizeof(t);

	while (v >= 100) {
		i -= 2;
		memcpy(t + i, pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(t + i, pairs + v * 2, 2);
	} else {
		t[--i] = '0' + v;
	}
	while (i > 0 && (int)sizeof(t) - i < width)
		t[--i] = '0';
	put_mem(l, t + i, sizeof(t) - i);
}

/* v in lower-case hex, zero-padded to at least width digits (at most 16). */
static void put_hex(struct line *l, uint64_t v, int width)
{
	char t[16];
	int i = sizeof(t);

	do {
		t[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (i > 0 && (int)sizeof(t) - i < width)
		t[--i] = '0';
	put_mem(l, t + i, sizeof(t) - i);
}

/* "0xV" in the watch's width, or "?" when unknown. */
static void put_hex_or_unknown(struct line *l, bool known, uint64_t v, int w)
{
	if (!known) {
		put_str(l, "?");
		return;
	}
	put_str(l, "0x");
	put_hex(l, v, w);
}

static void put_dec_or_unknown(struct line *l, bool known, uint64_t v)
{
	if (known)
		put_dec(l, v, 0);
	else
		put_str(l, "?");
}

/*
 * " value OLD -> NEW (old -> new)", "?" for the one not known: the old
 * one before the first hit, the new one after an arm64 hit whose watch
 * was not read again (value_after.h).
 */
static void put_value(struct line *l, const struct km_print_ctx *pc,
		      const struct km_hit *h)
{
	int w = (int)watch_len(pc, h->watch) * 2;

	if (!h->has_value && !h->has_old)
		return;
	put_str(l, " value ");
	put_hex_or_unknown(l, h->has_old, h->old_value, w);
	put_str(l, " -> ");
	put_hex_or_unknown(l, h->has_value, h->value, w);
	put_str(l, " (");
	put_dec_or_unknown(l, h->has_old, h->old_value);
	put_str(l, " -> ");
	put_dec_or_unknown(l, h->has_value, h->value);
	put_str(l, ")");
}

/* Four to a line, named by the hit's machine's register set. */
static void print_regs(FILE *f, const struct km_hit *h, const char *indent)
{
	const struct km_regset *rs = km_hit_regset(h);
	unsigned int i;

	for (i = 0; i < rs->nr; i++)
		fprintf(f, "%s%-7s 0x%016" PRIx64 "%s", i % 4 ? "  " : indent,
			rs->names[i], h->regs[i],
			i % 4 == 3 || i == rs->nr - 1 ? "\n" : "");
}

/*
 * Seconds since the start (S.NNNNNNNNN, "-" before it), or with wall_ns
 * the wall-clock time in UTC (YYYY-MM-DDTHH:MM:SS.NNNNNNNNNZ).
 */
static void put_time(struct line *l, const struct km_print_ctx *pc,
		     uint64_t time_ns)
{
	bool before = time_ns < pc->start_ns;
	uint64_t d = before ? pc->start_ns - time_ns : time_ns - pc->start_ns;
	uint64_t ns = before ? pc->wall_ns - d : pc->wall_ns + d;
	char date[32];
	struct tm tm;
	time_t s;

	if (!pc->wall_ns) {
		if (before)
			put_str(l, "-");
		put_dec(l, d / 1000000000, 0);
		put_str(l, ".");
		put_dec(l, d % 1000000000, 9);
		return;
	}
	s = ns / 1000000000;
	gmtime_r(&s, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	put_str(l, date);
	put_str(l, ".");
	put_dec(l, ns % 1000000000, 9);
	put_str(l, "Z");
}

void km_format_time(const struct km_print_ctx *pc, uint64_t time_ns, char *buf,
		    size_t size)
{
	struct line l = { 0 };

	put_time(&l, pc, time_ns);
	snprintf(buf, size, "%.*s", (int)l.len, l.buf);
}

void km_print_hit(FILE *f, const struct km_print_ctx *pc, uint64_t nr,
		  const struct km_hit *h)
{
	struct line l;

	l.len = 0; /* not the whole buffer: this runs for every hit */
	put_str(&l, pc->color ? KM_COLOR_HEADER "#" : "#");
	put_dec(&l, nr, 0);
	put_str(&l, " ");
	put_time(&l, pc, h->time_ns);
	put_str(&l, " cpu ");
	put_dec(&l, h->cpu, 0);
	put_str(&l, " pid ");
	put_dec(&l, h->pid, 0);
	put_str(&l, "/");
	put_dec(&l, h->tid, 0);
	put_str(&l, " comm ");
	put_comm(&l, h->comm);
	put_str(&l, " watch ");
	put_dec(&l, h->watch, 0);
	put_value(&l, pc, h);
	put_str(&l, pc->color ? KM_COLOR_RESET "\n" : "\n");
	fwrite(l.buf, 1, l.len, f);
	if (h->regs)
		print_regs(f, h, "    ");
	km_stack_text_put(pc->stack_text, f, pc, h, false);
}

/* "object": {"seq": N, "addr": "0x...", "after_free": B}, or null. */
static void put_owner(struct km_jw *w, const struct km_hit_owner *owner)
{
	km_jw_key(w, "object");
	if (!owner->armed) {
		km_jw_null(w);
		return;
	}
	km_jw_open_object(w);
	km_jw_key(w, "seq");
	km_jw_u64(w, owner->seq);
	km_jw_key(w, "addr");
	km_jw_hex(w, owner->object);
	km_jw_key(w, "after_free");
	km_jw_bool(w, owner->after_free);
	km_jw_close_object(w);
}

void km_print_hit_json(FILE *f, const struct km_print_ctx *pc,
		       const struct km_hit *h, const struct km_hit_owner *owner)
{
	struct km_jw w;
	FILE *stack;
	unsigned int i;

	km_jw_init(&w, f, KM_JW_LINES);
	km_jw_open_object(&w);
	km_jw_key(&w, "time_ns");
	km_jw_u64(&w, h->time_ns - pc->start_ns);
	km_jw_key(&w, "cpu");
	km_jw_u64(&w, h->cpu);
	km_jw_key(&w, "pid");
	km_jw_u64(&w, h->pid);
	km_jw_key(&w, "tid");
	km_jw_u64(&w, h->tid);
	km_jw_key(&w, "comm");
	km_jw_string(&w, h->comm);
	if (pc->wall_ns) {
		char when[64];

		km_format_time(pc, h->time_ns, when, sizeof(when));
		km_jw_key(&w, "time");
		km_jw_string(&w, when);
	}
	km_jw_key(&w, "watch");
	km_jw_u64(&w, h->watch);
	km_jw_key(&w, "addr");
	km_jw_hex(&w, h->addr);
	if (h->has_value) {
		km_jw_key(&w, "value");
		km_jw_hex(&w, h->value);
	}
	if (h->has_old) {
		km_jw_key(&w, "old_value");
		km_jw_hex(&w, h->old_value);
	}
	if (h->regs) {
		const struct km_regset *rs = km_hit_regset(h);

		km_jw_key(&w, "regs");
		km_jw_open_object(&w);
		for (i = 0; i < rs->nr; i++) {
			km_jw_key(&w, rs->names[i]);
			km_jw_hex(&w, h->regs[i]);
		}
		km_jw_close_object(&w);
	}
	if (owner)
		put_owner(&w, owner);
	km_jw_key(&w, "ip");
	km_jw_hex(&w, h->ip);
	km_jw_key(&w, "stack");
	/* Most stacks were rendered before, by another writer: as text. */
	stack = km_jw_splice(&w);
	if (stack)
		km_stack_text_put(pc->stack_text, stack, pc, h, true);
	km_jw_close_object(&w);
	km_jw_end(&w);
}
