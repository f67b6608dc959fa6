// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <time.h>
#include "../../common/escape.h"
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

int km_view_header(FILE *f, struct km_trace *t)
{
	const struct km_hit *hits;
	long n;

	/* The totals are in the trailer, at the end. */
	while ((n = km_trace_next_hits(t, &hits)) > 0)
		;
	if (n < 0)
		return n;
	print_meta(f, &t->d);
	print_watches(f, &t->d);
	print_totals(f, &t->d);
	return 0;
}
