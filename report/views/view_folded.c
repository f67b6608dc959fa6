// SPDX-License-Identifier: GPL-2.0
/*
 * --format folded: "comm;outermost;...;innermost COUNT", one line per
 * distinct path, sorted, as FlameGraph's stackcollapse scripts write it
 * and flamegraph.pl and speedscope read it. --format svg: the same
 * paths drawn as a flame graph.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "flamegraph.h"
#include "sort_groups.h"
#include "../../common/escape.h"
#include "views.h"

struct fold {
	struct km_report *r;
	struct km_htab tab; /* comm and stack -> hits */
	struct km_buf key;
};

static int tally_hit(void *arg, const struct km_hit *h)
{
	struct fold *fo = arg;
	uint64_t *v;

	fo->key.len = 0;
	if (km_sort_encode(fo->r, h, &fo->key))
		return -ENOMEM;
	v = km_htab_get(&fo->tab, fo->key.data, fo->key.len, NULL);
	if (!v)
		return -ENOMEM;
	(*v)++;
	return 0;
}

/*
 * A frame of a folded line is escaped (common/escape.h), so it holds no
 * line break, and may not hold the ';' that separates frames.
 */
static void clean(char *dst, const char *src, size_t size)
{
	size_t i;

	km_escape_text(dst, size, src, strlen(src));
	for (i = 0; dst[i]; i++)
		if (dst[i] == ';')
			dst[i] = '_';
}

/*
 * A comm has no spaces either, as stackcollapse-perf.pl makes it, and
 * one the kernel left empty is "[unknown]"; escaping comes with the
 * other frames (folded lines) or the SVG's own (flamegraph.c).
 */
static void comm_word(char *dst, const char *src, size_t size)
{
	size_t i;

	snprintf(dst, size, "%s", *src ? src : "[unknown]");
	for (i = 0; dst[i]; i++)
		if (dst[i] == ' ')
			dst[i] = '_';
}

/* The path of one tallied entry, comm first, into names[]. */
static int entry_path(struct km_report *r, const uint8_t *key, char *comm,
		      size_t comm_size, const char ***names, size_t *n)
{
	struct km_group_vals v;
	const struct km_names *nm;
	size_t i;

	km_sort_decode(&r->sort, key, &v);
	comm_word(comm, v.comm, comm_size);
	nm = km_stack_names(r, v.stack_id, v.ip);
	if (!nm)
		return -ENOMEM;
	*names = malloc((nm->n + 1) * sizeof(**names));
	if (!*names)
		return -ENOMEM;
	(*names)[0] = comm;
	for (i = 0; i < nm->n; i++)
		(*names)[1 + i] = nm->name[nm->n - 1 - i];
	*n = nm->n + 1;
	return 0;
}

static int add_line(struct km_htab *lines, const char **names, size_t n,
		    uint64_t count, struct km_buf *b)
{
	char frame[512];
	uint64_t *v;
	size_t i;

	b->len = 0;
	for (i = 0; i < n; i++) {
		clean(frame, names[i], sizeof(frame));
		if ((i && km_buf_append(b, ";", 1)) ||
		    km_buf_append(b, frame, strlen(frame)))
			return -ENOMEM;
	}
	v = km_htab_get(lines, b->data, b->len, NULL);
	if (!v)
		return -ENOMEM;
	*v += count;
	return 0;
}

static int by_line(const void *a, const void *b)
{
	const struct km_group *x = a, *y = b;

	return strcmp((const char *)x->key, (const char *)y->key);
}

/* Distinct stacks can have the same names: merge their lines. */
static int print_lines(FILE *f, struct km_htab *lines)
{
	struct km_group *g;
	size_t nr, i;

	g = km_plain_groups(lines, &nr);
	if (!g)
		return -ENOMEM;
	qsort(g, nr, sizeof(*g), by_line);
	for (i = 0; i < nr; i++)
		fprintf(f, "%s %" PRIu64 "\n", (const char *)g[i].key,
			g[i].count);
	free(g);
	return 0;
}

/* The watches --watch keeps, as the title says what the graph is of. */
static void svg_title(const struct km_report *r, char *buf, size_t size)
{
	const struct km_trace_data *t = r->d;
	size_t len = snprintf(buf, size, "kmemsnoop:");
	int w, n = 0;

	for (w = 0; w < t->nr_watches && len < size; w++)
		if (km_ranges_match(&r->filter->watch, w))
			len += snprintf(buf + len, size - len, "%s %s%u %s",
					n++ ? "," : "",
					km_bp_name(t->watches[w].type),
					t->watches[w].len, t->watches[w].expr);
}

static int emit(FILE *f, struct fold *fo, struct km_hent *e)
{
	struct km_htab lines = { 0 };
	struct km_fg_node *root = NULL;
	char comm[KM_COMM_LEN + 16], title[512];
	const char **names;
	struct km_buf b = { 0 };
	size_t i, n;
	int err = 0;

	if (fo->r->format == KM_FMT_SVG && !(root = km_fg_new()))
		err = -ENOMEM;
	for (i = 0; !err && i < fo->tab.nr; i++) {
		err = entry_path(fo->r, km_hent_key(&fo->tab, &e[i]), comm,
				 sizeof(comm), &names, &n);
		if (err)
			break;
		err = root ? km_fg_add(root, names, n, e[i].val) :
			     add_line(&lines, names, n, e[i].val, &b);
		free(names);
	}
	if (!err && root) {
		svg_title(fo->r, title, sizeof(title));
		err = km_flamegraph_svg(f, root, title);
	} else if (!err) {
		err = print_lines(f, &lines);
	}
	km_fg_free(root);
	km_htab_free(&lines);
	km_buf_free(&b);
	return err;
}

int km_view_folded(FILE *f, struct km_report *r)
{
	struct fold fo = { .r = r };
	struct km_hent *e = NULL;
	int err;

	r->sort = (struct km_sort){ { KM_KEY_COMM, KM_KEY_STACK }, 2 };
	err = km_report_for_each_hit(r, tally_hit, &fo);
	if (!err)
		e = km_htab_entries(&fo.tab, &err);
	if (!err)
		err = emit(f, &fo, e);
	if (err == -ENOMEM)
		km_err("out of memory");
	else if (err == -EIO)
		km_err("writing the flame graph failed");
	free(e);
	km_buf_free(&fo.key);
	km_htab_free(&fo.tab);
	return err;
}
