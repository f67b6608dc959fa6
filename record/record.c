// SPDX-License-Identifier: GPL-2.0
/* kmemsnoop record: arm the watchpoints and write every hit to a trace. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../common/error.h"
#include "../common/symbolize/ksyms.h"
#include "../common/trace/life.h"
#include "../common/trace/tlv.h"
#include "../common/trace/trace_format.h"
#include "commands.h"
#include "capture/filter.h"
#include "capture/lifetime.h"
#include "capture/module_info.h"
#include "options.h"
#include "capture/session.h"
#include "status.h"
#include "capture/sysinfo.h"
#include "../common/trace/trace_writer.h"

#define FLUSH_NS 1000000000ull /* a chunk at least once a second */

static int write_watch(struct km_trace_writer *w, int i,
		       const struct km_watch *wa)
{
	struct km_buf b = { 0 };
	int err;

	err = km_tlv_put_u64(&b, KM_WATCH_INDEX, i);
	err = err ?: km_tlv_put_u64(&b, KM_WATCH_TYPE, wa->type);
	err = err ?: km_tlv_put_u64(&b, KM_WATCH_LEN, wa->len);
	err = err ?: km_tlv_put_u64(&b, KM_WATCH_ADDR, wa->addr);
	err = err ?: km_tlv_put_str(&b, KM_WATCH_EXPR, wa->expr);
	if (wa->object)
		err = err ?: km_tlv_put_str(&b, KM_WATCH_OBJECT, wa->object);
	err = err ?: km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len);
	km_buf_free(&b);
	return err;
}

static int write_modules(struct km_trace_writer *w)
{
	char *text;
	size_t len;
	int err;

	/* Kernels without module support have no /proc/modules at all. */
	if (km_read_file("/proc/modules", &text, &len))
		return 0;
	err = km_tw_chunk(w, KM_CHUNK_MODULES, text, len);
	err = err ?: km_write_module_info(w, text);
	free(text);
	return err;
}

struct rec {
	struct km_trace_writer w;
	struct km_opts *o;
	struct km_targets t; /* what o's watches resolved to */
	const struct km_session_stats *st; /* current at each tick */
	struct km_status status;
	uint64_t last_flush_ns; /* a flush is due FLUSH_NS after it */
	long owner; /* the uid the file was given to (sudo), or -1 */
};

/* The file's header: written before anything else happens. */
static int write_meta(struct km_trace_writer *w, const struct km_opts *o,
		      int argc, char **argv)
{
	struct km_buf meta = { 0 };
	/* Room for every list at its longest, and each CPU of -C by name. */
	char filters[8192];
	int err;

	km_filter_describe(&o->filter, filters, sizeof(filters));
	err = km_sysinfo_meta(&meta, argc, argv);
	err = err ?: km_tlv_put_str(&meta, KM_META_FILTERS, filters);
	err = err ?: km_tlv_put_u64(&meta, KM_META_NR_REGS, KM_NR_REGS);
	err = err ?: km_tw_chunk(w, KM_CHUNK_META, meta.data, meta.len);
	km_buf_free(&meta);
	return err;
}

/* After loading, before arming: what each watch turned out to be. */
static int resolve(void *ctx)
{
	struct rec *r = ctx;
	int err, i;

	err = km_opts_resolve(r->o, &r->t);
	for (i = 0; !err && i < r->o->nr_watches; i++)
		err = write_watch(&r->w, i, &r->t.watches[i]);
	return err;
}

/*
 * The symbol snapshot is written once armed: compressing it takes tens
 * of milliseconds, and hits wait in the ring buffer meanwhile.
 */
static int on_armed(void *ctx, uint64_t now_ns)
{
	struct rec *r = ctx;
	int err;

	r->last_flush_ns = now_ns;
	err = km_tw_chunk(&r->w, KM_CHUNK_KALLSYMS, r->t.kallsyms,
			  r->t.kallsyms_len);
	return err ?: write_modules(&r->w);
}

static int on_hit(void *ctx, const struct km_hit *h)
{
	struct rec *r = ctx;

	return km_tw_hit(&r->w, h);
}

/*
 * Each arming and disarming is a LIFE chunk of its own, written at
 * once: it then comes before every hit on the object it arms.
 */
static int on_life(void *ctx, const struct km_life_rec *lr)
{
	struct rec *r = ctx;
	struct km_buf b = { 0 };
	int err;

	err = km_life_encode(&b, lr);
	err = err ?: km_tw_chunk(&r->w, KM_CHUNK_LIFE, b.data, b.len);
	km_buf_free(&b);
	return err;
}

static int write_life_summary(struct rec *r, const struct km_life_summary *s)
{
	struct km_buf b = { 0 };
	int err;

	if (!s->valid)
		return 0;
	err = km_life_encode_summary(&b, s);
	err = err ?: km_tw_chunk(&r->w, KM_CHUNK_LIFE, b.data, b.len);
	km_buf_free(&b);
	km_life_print_summary(stderr, s);
	return err;
}

static int on_tick(void *ctx, uint64_t now_ns)
{
	struct rec *r = ctx;

	int err = 0;

	if (now_ns - r->last_flush_ns >= FLUSH_NS) {
		r->last_flush_ns = now_ns;
		err = km_tw_flush(&r->w);
	}
	km_status_tick(&r->status, now_ns, r->st->armed_ns, r->st->delivered,
		       r->st->dropped, r->w.bytes);
	return err;
}

/*
 * Hits that left the ring buffer but never reached the file (a write
 * failed) count as lost, so seen = recorded + lost + filtered still.
 */
static void summary(const struct rec *r, const struct km_session_stats *st)
{
	uint64_t unwritten = st->delivered - r->w.hits;

	fprintf(stderr,
		"kmemsnoop: recorded %" PRIu64 " hits, %" PRIu64
		" lost, %" PRIu64 " filtered (%" PRIu64 " seen), %" PRIu64
		" bytes written to %s",
		r->w.hits, st->dropped + unwritten, st->filtered, st->seen,
		r->w.bytes, r->w.path);
	if (r->owner >= 0)
		fprintf(stderr, ", given to uid %ld (sudo)", r->owner);
	fputc('\n', stderr);
}

/*
 * As perf record does: a COMMAND that failed makes record fail the same
 * way, once the trace is written. Its exit status, or 128 + N after
 * signal N, said in one line; 0 when it succeeded, was stopped by -d or
 * -c, or there was none.
 */
static int command_status(const struct km_opts *o,
			  const struct km_session_stats *st)
{
	int ws = st->child_status;

	if (!o->command || !st->child_ended)
		return 0;
	if (WIFEXITED(ws) && WEXITSTATUS(ws)) {
		km_err("%s exited with status %d", o->command[0],
		       WEXITSTATUS(ws));
		return WEXITSTATUS(ws);
	}
	if (WIFSIGNALED(ws)) {
		km_err("%s was killed by signal %d (%s)", o->command[0],
		       WTERMSIG(ws), strsignal(WTERMSIG(ws)));
		return 128 + WTERMSIG(ws);
	}
	return 0;
}

/*
 * Run through sudo, record gives the trace to the user who ran sudo:
 * reading it then needs no privilege, and report, which parses files
 * that may come from anyone, need not run as root. Returns the uid
 * given to, or -1 when there was none to give to.
 */
static long give_to_sudo_user(struct km_trace_writer *w)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	unsigned long uid, gid;
	char *end;

	if (geteuid() || !su || !sg || !*su || !*sg)
		return -1;
	errno = 0;
	uid = strtoul(su, &end, 10);
	if (errno || *end || uid >= (uid_t)-1)
		return -1;
	gid = strtoul(sg, &end, 10);
	if (errno || *end || gid >= (gid_t)-1 || !uid)
		return -1;
	return km_tw_chown(w, uid, gid) ? -1 : (long)uid;
}

static int record(struct km_opts *o, int argc, char **argv, int *cmd_rc)
{
	struct km_session_stats st = { 0 };
	struct km_session_opts so;
	struct km_trailer t;
	struct rec r = { .o = o, .st = &st, .owner = -1 };
	int err;

	km_targets_start(&r.t);
	km_opts_session(o, &r.t, &so);
	so.ctx = &r;
	so.resolve = resolve;
	so.on_armed = on_armed;
	so.on_hit = on_hit;
	so.on_tick = on_tick;
	so.on_life = on_life;
	km_status_init(&r.status, stderr, o->quiet);
	err = km_tw_create(&r.w, o->output);
	if (!err)
		r.owner = give_to_sudo_user(&r.w);
	err = err ?: write_meta(&r.w, o, argc, argv);
	err = err ?: km_session_run(&so, &st);
	km_status_clear(&r.status);
	km_targets_free(&r.t);
	if (err && !st.delivered) {
		/* Nothing was recorded: leave things as they were. */
		km_tw_abort(&r.w);
		km_tw_free(&r.w);
		return err;
	}
	t = (struct km_trailer){ .lost = st.dropped,
				 .end_ns = st.end_ns,
				 .seen = st.seen,
				 .filtered = st.filtered };
	err = write_life_summary(&r, &st.life) ?: err;
	/* Even after an error, end the file readably if it can be. */
	err = km_tw_finish(&r.w, &t) ?: err;
	summary(&r, &st);
	if (!err)
		km_session_hint(&st, o->command != NULL);
	*cmd_rc = command_status(o, &st);
	km_tw_free(&r.w);
	return err;
}

int km_cmd_record(int argc, char **argv)
{
	struct km_opts o = { .record = true };
	int err, cmd_rc = 0;

	err = km_opts_parse(&o, argc, argv);
	if (err == 1)
		return KM_EXIT_OK;
	if (!err)
		err = record(&o, argc, argv, &cmd_rc);
	km_opts_free(&o);
	return err ? km_exit_status(err) : cmd_rc;
}
