// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <time.h>
#include "../../common/escape.h"
#include "../../common/json.h"
#include "../../common/symbolize/vmlinux.h"
#include "../../common/trace/trace_format.h"
#include "views.h"

static void print_time(FILE *f, uint64_t ns)
{
	time_t s = ns / 1000000000;
	struct tm tm;
	char buf[64];

	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "start-time: %s.%09" PRIu64 "Z\n", buf, ns % 1000000000);
}

/* Every string here is the trace's: one a line, escaped (escape.h). */
static void print_str(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%s: ", key);
	km_puts_text(f, val ? val : "(not recorded)");
	fputc('\n', f);
}

static void print_meta(FILE *f, const struct km_trace_data *t)
{
	size_t i;

	print_str(f, "file", t->path);
	fprintf(f, "format-version: %u\n", t->version);
	fputs("build-id: ", f);
	for (i = 0; i < t->build_id_len; i++)
		fprintf(f, "%02x", t->build_id[i]);
	fputs(t->build_id_len ? "\n" : "(not recorded)\n", f);
	print_str(f, "kernel-release", t->release);
	print_str(f, "kernel-version", t->kversion);
	print_str(f, "machine", t->machine);
	print_str(f, "hostname", t->hostname);
	print_time(f, t->realtime_ns);
	print_str(f, "command", t->cmdline);
	fprintf(f, "cpus: %" PRIu64 "\n", t->nr_cpus);
	print_str(f, "filters",
		  t->filters && *t->filters ? t->filters : "none");
	print_str(f, "recorded-by", t->tool_version);
	if (t->export_note)
		print_str(f, "export", t->export_note);
}

static void print_watches(FILE *f, const struct km_trace_data *t)
{
	int i;

	for (i = 0; i < t->nr_watches; i++) {
		fprintf(f, "watch-%d: %s%u ", i, km_bp_name(t->watches[i].type),
			t->watches[i].len);
		km_puts_text(f, t->watches[i].expr);
		fprintf(f, " = 0x%" PRIx64 "\n", t->watches[i].addr);
		if (t->watches[i].object) {
			fprintf(f, "watch-%d-object: ", i);
			km_puts_text(f, t->watches[i].object);
			fputc('\n', f);
		}
	}
}

/* module-info: N, then one "module: NAME 0xADDR SIZE BUILD-ID" each. */
static void print_modules(FILE *f, const struct km_trace_data *t)
{
	const struct km_module_info *m;
	size_t i, j;

	fprintf(f, "module-info: %zu modules\n", t->nr_mods);
	for (i = 0; i < t->nr_mods; i++) {
		m = &t->mods[i];
		fprintf(f, "module: %s 0x%" PRIx64 " %" PRIu64 " ", m->name,
			m->addr, m->size);
		for (j = 0; j < m->build_id_len; j++)
			fprintf(f, "%02x", m->build_id[j]);
		fputs(m->build_id_len ? "\n" : "(no build-id)\n", f);
	}
}

static void print_totals(FILE *f, const struct km_trace_data *t)
{
	fprintf(f, "kallsyms-snapshot: %zu bytes\n", t->kallsyms_len);
	fprintf(f, "modules: %zu bytes\n", t->modules_len);
	print_modules(f, t);
	fprintf(f, "hits-read: %" PRIu64 "\n", t->hits_read);
	fprintf(f, "stacks-read: %zu\n", t->nr_stacks);
	fprintf(f, "complete: %s\n", t->has_trailer ? "yes" : "no");
	if (!t->has_trailer)
		return;
	fprintf(f, "hits: %" PRIu64 "\n", t->t_hits);
	fprintf(f, "lost: %" PRIu64 "\n", t->t_lost);
	fprintf(f, "filtered: %" PRIu64 "\n", t->t_filtered);
	fprintf(f, "seen: %" PRIu64 "\n", t->t_seen);
	fprintf(f, "stacks: %" PRIu64 "\n", t->t_stacks);
	fprintf(f, "duration: %.3f s\n",
		(double)(t->t_end_ns - t->monotonic_ns) / 1e9);
}

/* A string key, null where the trace did not record it. */
static void json_str(struct km_jw *w, const char *key, const char *val)
{
	km_jw_key(w, key);
	if (val)
		km_jw_string(w, val);
	else
		km_jw_null(w);
}

static void json_build_id(struct km_jw *w, const uint8_t *id, size_t len)
{
	char hex[2 * KM_BUILD_ID_MAX + 1];
	size_t i;

	km_jw_key(w, "build_id");
	if (!len || len > KM_BUILD_ID_MAX) {
		km_jw_null(w);
		return;
	}
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	km_jw_string(w, hex);
}

static void json_meta(struct km_jw *w, const struct km_trace_data *t)
{
	km_jw_key(w, "kmemsnoop");
	km_jw_string(w, KM_TOOL_VERSION);
	km_jw_key(w, "schema");
	km_jw_u64(w, 1);
	json_str(w, "file", t->path);
	km_jw_key(w, "format_version");
	km_jw_u64(w, t->version);
	json_build_id(w, t->build_id, t->build_id_len);
	json_str(w, "kernel_release", t->release);
	json_str(w, "kernel_version", t->kversion);
	json_str(w, "machine", t->machine);
	json_str(w, "hostname", t->hostname);
	km_jw_key(w, "realtime_ns");
	km_jw_u64(w, t->realtime_ns);
	json_str(w, "command", t->cmdline);
	km_jw_key(w, "cpus");
	km_jw_u64(w, t->nr_cpus);
	json_str(w, "filters", t->filters);
	json_str(w, "recorded_by", t->tool_version);
}

static void json_watches(struct km_jw *w, const struct km_trace_data *t)
{
	int i;

	km_jw_key(w, "watches");
	km_jw_open_array(w);
	for (i = 0; i < t->nr_watches; i++) {
		km_jw_open_object(w);
		km_jw_key(w, "watch");
		km_jw_i64(w, i);
		km_jw_key(w, "bp");
		km_jw_string(w, km_bp_name(t->watches[i].type));
		km_jw_key(w, "len");
		km_jw_u64(w, t->watches[i].len);
		json_str(w, "expr", t->watches[i].expr);
		json_str(w, "object", t->watches[i].object);
		km_jw_key(w, "addr");
		km_jw_hex(w, t->watches[i].addr);
		km_jw_close_object(w);
	}
	km_jw_close_array(w);
}

static void json_modules(struct km_jw *w, const struct km_trace_data *t)
{
	size_t i;

	km_jw_key(w, "modules");
	km_jw_open_array(w);
	for (i = 0; i < t->nr_mods; i++) {
		km_jw_open_object(w);
		json_str(w, "name", t->mods[i].name);
		km_jw_key(w, "addr");
		km_jw_hex(w, t->mods[i].addr);
		km_jw_key(w, "size");
		km_jw_u64(w, t->mods[i].size);
		json_build_id(w, t->mods[i].build_id, t->mods[i].build_id_len);
		km_jw_close_object(w);
	}
	km_jw_close_array(w);
}

/* The trailer's totals, null in a trace that has none. */
static void json_totals(struct km_jw *w, const struct km_trace_data *t)
{
	static const char *const keys[] = { "hits", "lost", "filtered", "seen",
					    "stacks" };
	const uint64_t vals[] = { t->t_hits, t->t_lost, t->t_filtered,
				  t->t_seen, t->t_stacks };
	size_t i;

	km_jw_key(w, "hits_read");
	km_jw_u64(w, t->hits_read);
	km_jw_key(w, "stacks_read");
	km_jw_u64(w, t->nr_stacks);
	km_jw_key(w, "complete");
	km_jw_bool(w, t->has_trailer);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		km_jw_key(w, keys[i]);
		if (t->has_trailer)
			km_jw_u64(w, vals[i]);
		else
			km_jw_null(w);
	}
	km_jw_key(w, "duration_ns");
	if (t->has_trailer && t->t_end_ns >= t->monotonic_ns)
		km_jw_u64(w, t->t_end_ns - t->monotonic_ns);
	else
		km_jw_null(w);
}

/* --header --format json: one object, keys as docs/report.md lists. */
static int print_json(FILE *f, const struct km_trace_data *t)
{
	struct km_jw w;

	km_jw_init(&w, f, KM_JW_LINES);
	km_jw_open_object(&w);
	json_meta(&w, t);
	json_watches(&w, t);
	json_modules(&w, t);
	json_totals(&w, t);
	km_jw_close_object(&w);
	/* Only stdout can fail here, and report checks it at its flush. */
	km_jw_end(&w);
	return 0;
}

int km_view_header(FILE *f, struct km_trace *t, bool json)
{
	const struct km_hit *hits;
	long n;

	/* The totals are in the trailer, at the end. */
	while ((n = km_trace_next_hits(t, &hits)) > 0)
		;
	if (n < 0)
		return n;
	if (json)
		return print_json(f, &t->d);
	print_meta(f, &t->d);
	print_watches(f, &t->d);
	print_totals(f, &t->d);
	return 0;
}
