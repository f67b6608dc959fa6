// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the flame graph of a trace, for the browser test, until
 * `report --format svg` does: every hit a path comm, outermost frame,
 * ..., innermost frame, each address symbolized as report does it
 * (inlined calls as frames of their own). With --sample instead of a
 * trace, a fixed tree with odd names, deep stacks, a function above
 * itself and narrow frames.
 *
 *   fg_trace TRACE OUT.svg
 *   fg_trace --sample OUT.svg
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "../../report/views/flamegraph.h"
#include "../../report/symbols.h"
#include "../../common/trace/trace_reader.h"

#define MAX_PATH (1 + 128 * KM_MAX_INLINE)

/* One hit's path; the names stay valid as long as the symbolizer. */
static size_t hit_path(struct km_symbolizer *sym, const struct km_hit *h,
		       const char **names)
{
	struct km_frame fr[KM_MAX_INLINE];
	size_t n = 0;
	uint32_t i;
	int k;

	names[n++] = h->comm;
	for (i = h->nr_frames; i-- > 0 && n + KM_MAX_INLINE <= MAX_PATH;) {
		/* fr[] is innermost inlined call first: reverse it too. */
		k = km_resolve(sym, h->frames[i], fr, KM_MAX_INLINE);
		while (k-- > 0)
			names[n++] = fr[k].name;
	}
	return n;
}

/* The heading: the trace's watchpoints and how many hits they took. */
static void title_of(char *buf, size_t len, const struct km_trace_data *t,
		     uint64_t hits)
{
	size_t n = 0;
	int w;

	for (w = 0; w < t->nr_watches && n < len; w++)
		n += snprintf(buf + n, len - n, "%s%s%u %s", w ? ", " : "",
			      km_bp_name(t->watches[w].type), t->watches[w].len,
			      t->watches[w].expr);
	if (n < len)
		snprintf(buf + n, len - n, ": %" PRIu64 " hits", hits);
}

static int from_trace(struct km_fg_node *root, const char *path, char *title,
		      size_t len)
{
	static const char *names[MAX_PATH];
	struct km_symbolizer *sym = NULL;
	const struct km_hit *hits;
	struct km_trace t;
	long n, i;
	int err;

	err = km_trace_open(&t, path);
	if (!err)
		err = km_report_symbolizer(&sym, &t.d, NULL, NULL);
	while (!err && (n = km_trace_next_hits(&t, &hits)) != 0) {
		if (n < 0)
			err = n;
		for (i = 0; i < n && !err; i++)
			err = km_fg_add(root, names,
					hit_path(sym, &hits[i], names), 1);
		if (err == -ENOMEM)
			km_err("out of memory");
	}
	if (!err)
		title_of(title, len, &t.d, root->count);
	km_symbolizer_destroy(sym);
	km_trace_close(&t);
	return err;
}

/* A tree whose every count is known to the browser test. */
static int sample(struct km_fg_node *root)
{
	static const struct {
		uint64_t count;
		const char *path[8];
	} paths[] = {
		{ 3000,
		  { "trigger", "entry_SYSCALL_64_after_hwframe",
		    "do_syscall_64", "__x64_sys_pread64", "vfs_read",
		    "kernfs_fop_read_iter", "sysfs_bin_attr_simple_read",
		    "memcpy" } },
		{ 1000,
		  { "trigger", "entry_SYSCALL_64_after_hwframe",
		    "do_syscall_64", "__x64_sys_pread64", "vfs_read" } },
		{ 500,
		  { "cat", "entry_SYSCALL_64_after_hwframe", "do_syscall_64",
		    "ksys_read", "vfs_read", "seq_read_iter" } },
		/* vfs_read above vfs_read: a search counts the lower one. */
		{ 200,
		  { "cat", "entry_SYSCALL_64_after_hwframe", "do_syscall_64",
		    "ksys_read", "vfs_read", "seq_read_iter", "vfs_read" } },
		/* "[unknown" is no regular expression: a substring of this. */
		{ 250, { "a<b>&\"'c", "[unknown]" } },
		{ 45, { "kworker/0:1", "ret_from_fork", "kthread" } },
		/* Under 0.1% of the 5000 hits: left out. */
		{ 3, { "kworker/0:1", "ret_from_fork", "too_narrow_to_draw" } },
		{ 2, { "narrow" } },
	};
	size_t i, n;
	int err;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		for (n = 0; n < 8 && paths[i].path[n]; n++)
			;
		err = km_fg_add(root, paths[i].path, n, paths[i].count);
		if (err)
			return err;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char title[512] = "A sample flame graph";
	struct km_fg_node *root;
	FILE *f;
	int err;

	if (argc != 3) {
		fputs("usage: fg_trace TRACE|--sample OUT.svg\n", stderr);
		return 2;
	}
	root = km_fg_new();
	if (!root)
		return 1;
	if (strcmp(argv[1], "--sample"))
		err = from_trace(root, argv[1], title, sizeof(title));
	else
		err = sample(root);
	f = err ? NULL : fopen(argv[2], "w");
	if (!err && !f)
		km_err("cannot write %s: %s", argv[2], strerror(errno));
	if (f && (km_flamegraph_svg(f, root, title) | fclose(f))) {
		km_err("writing %s failed", argv[2]);
		err = -EIO;
	}
	km_fg_free(root);
	return err || !f;
}
