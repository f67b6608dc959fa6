// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../addr_search.h"
#include "../bytes.h"
#include "ksyms.h"

static int cmp_sym(const void *a, const void *b)
{
	const struct km_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->name, y->name);
}

/* Merges the sorted runs a[0..n) and a[n..total) in place, via tmp. */
static int merge_runs(struct km_sym *a, size_t n, size_t total)
{
	struct km_sym *tmp = malloc(total * sizeof(*tmp));
	size_t i = 0, j = n, k = 0;

	if (!tmp)
		return -ENOMEM;
	while (i < n && j < total)
		tmp[k++] = cmp_sym(&a[i], &a[j]) <= 0 ? a[i++] : a[j++];
	while (i < n)
		tmp[k++] = a[i++];
	while (j < total)
		tmp[k++] = a[j++];
	memcpy(a, tmp, total * sizeof(*tmp));
	free(tmp);
	return 0;
}

void km_symtab_sort(struct km_symtab *t)
{
	size_t i;

	/*
	 * /proc/kallsyms comes sorted by address but for a short tail
	 * (modules, BPF programs): sort only from the first step back,
	 * then merge, rather than sorting 100,000 symbols again.
	 */
	for (i = 1; i < t->nr; i++)
		if (t->syms[i - 1].addr > t->syms[i].addr)
			break;
	if (i >= t->nr)
		return;
	qsort(t->syms + i, t->nr - i, sizeof(*t->syms), cmp_sym);
	if (merge_runs(t->syms, i, t->nr))
		qsort(t->syms, t->nr, sizeof(*t->syms), cmp_sym);
}

void km_symtab_sort_ranked(struct km_symtab *t)
{
	qsort(t->syms, t->nr, sizeof(*t->syms), cmp_sym);
}

/* Hex digits at *p into *v; the count of digits (0: none). */
static int parse_hex(const char *p, uint64_t *v)
{
	static const signed char val[256] = {
		['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,
		['5'] = 6,  ['6'] = 7,	['7'] = 8,  ['8'] = 9,	['9'] = 10,
		['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
		['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
		['E'] = 15, ['F'] = 16,
	};
	int n = 0;

	/* A table, not strtoull: this runs 100,000 times before arming. */
	for (*v = 0; n < 16 && val[(unsigned char)p[n]]; n++)
		*v = *v << 4 | (val[(unsigned char)p[n]] - 1);
	return val[(unsigned char)p[n]] ? 0 : n;
}

/* "ffffffff81000000 T _text\t[module]"; returns 0 if not such a line. */
static int parse_line(char *line, struct km_sym *s)
{
	char *name, *end, *mod = NULL;
	int n = parse_hex(line, &s->addr);

	if (!n || line[n] != ' ' || !line[n + 1] || line[n + 2] != ' ')
		return 0;
	name = end = line + n + 3;
	while (*end && *end != ' ' && *end != '\t')
		end++;
	if (*end) {
		*end = '\0';
		mod = strchr(end + 1, '[');
		if (mod) {
			end = strchr(++mod, ']');
			if (!end)
				return 0;
			*end = '\0';
		}
	}
	if (!*name || !s->addr)
		return 0;
	s->name = name;
	s->module = mod;
	return 1;
}

int km_symtab_from_kallsyms(struct km_symtab *t, const char *text, size_t len)
{
	size_t cap = 1024, nr = 0;
	struct km_sym *syms;
	char *copy, *line, *next;

	memset(t, 0, sizeof(*t));
	copy = malloc(len + 1);
	syms = malloc(cap * sizeof(*syms));
	if (!copy || !syms)
		goto nomem;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (line = copy; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (km_grow_array((void **)&syms, &cap, nr + 1, sizeof(*syms)))
			goto nomem;
		nr += parse_line(line, &syms[nr]);
	}
	t->syms = syms;
	t->nr = nr;
	t->text = copy;
	km_symtab_sort(t);
	return 0;
nomem:
	free(copy);
	free(syms);
	return -ENOMEM;
}

/*
 * The next line of text, from *pos on, whose symbol is name: returns
 * its start and sets *eol, or NULL; *pos moves past the match.
 */
static const char *next_line_of(const char *text, size_t len, const char *name,
				const char **pos, const char **eol)
{
	size_t n = strlen(name);
	const char *p = *pos, *end = text + len, *line;

	while (n && (p = memmem(p, end - p, name, n))) {
		line = p;
		while (line > text && line[-1] != '\n')
			line--;
		*eol = memchr(p, '\n', end - p);
		*eol = *eol ? *eol : end;
		*pos = p + n;
		/* " name" ending the line, or before "\t[module]". */
		if (p - line >= 3 && p[-1] == ' ' && p[-3] == ' ' &&
		    (p + n == *eol || p[n] == '\t'))
			return line;
		p += n;
	}
	return NULL;
}

/* Appends to b each line of text whose symbol is name. */
static int grep_name(struct km_buf *b, const char *text, size_t len,
		     const char *name)
{
	const char *pos = text, *line, *eol;

	while ((line = next_line_of(text, len, name, &pos, &eol)))
		if (km_buf_append(b, line, eol - line) ||
		    km_buf_append(b, "\n", 1))
			return -ENOMEM;
	return 0;
}

int km_kallsyms_find(const char *text, size_t len, const char *name,
		     uint64_t *addr, char *type)
{
	const char *pos = text, *eol;
	const char *line = next_line_of(text, len, name, &pos, &eol);
	int n;

	if (!line)
		return -ENOENT;
	n = parse_hex(line, addr);
	*type = n && line[n] == ' ' ? line[n + 1] : '?';
	return 0;
}

int km_symtab_from_kallsyms_names(struct km_symtab *t, const char *text,
				  size_t len, const char *const *names,
				  int nr_names)
{
	struct km_buf b = { 0 };
	int i, err = 0;

	for (i = 0; i < nr_names && !err; i++)
		err = grep_name(&b, text, len, names[i]);
	if (!err)
		err = km_symtab_from_kallsyms(t, b.data ? (char *)b.data : "",
					      b.len);
	km_buf_free(&b);
	return err;
}

void km_symtab_free(struct km_symtab *t)
{
	free(t->syms);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

const struct km_sym *km_symtab_lookup(const struct km_symtab *t, uint64_t addr)
{
	size_t n = km_count_at_or_below(t->syms, t->nr, sizeof(*t->syms),
					offsetof(struct km_sym, addr), addr);

	return n ? &t->syms[n - 1] : NULL;
}

int km_symtab_rebase(struct km_symtab *elf, const struct km_symtab *running,
		     int64_t *slide)
{
	const struct km_sym *a = km_symtab_find(elf, "_text");
	const struct km_sym *b = km_symtab_find(running, "_text");
	size_t i;

	if (!a || !b)
		return -ENOENT;
	*slide = b->addr - a->addr;
	for (i = 0; i < elf->nr; i++)
		elf->syms[i].addr += *slide;
	return 0;
}

const struct km_sym *km_symtab_find(const struct km_symtab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->syms[i].name, name))
			return &t->syms[i];
	return NULL;
}

int km_edit_distance(const char *a, const char *b, int cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[64], prev, cur, best;

	if (la >= 64 || lb >= 64)
		return cap;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			if (row[j] < best)
				best = row[j];
			prev = cur;
		}
		if (best >= cap)
			return cap;
	}
	return row[lb] < cap ? row[lb] : cap;
}

static void keep_best(const char **out, int *score, int max, int *n,
		      const char *name, int d)
{
	int i, k;

	for (i = 0; i < *n; i++)
		if (!strcmp(out[i], name))
			return;
	for (i = 0; i < *n && score[i] <= d; i++)
		;
	if (i == max)
		return;
	k = *n < max ? (*n)++ : max - 1;
	for (; k > i; k--) {
		out[k] = out[k - 1];
		score[k] = score[k - 1];
	}
	out[i] = name;
	score[i] = d;
}

int km_symtab_near(const struct km_symtab *t, const char *name,
		   const char **out, int max)
{
	int score[16], n = 0, cap = strlen(name) / 3 + 2, d;
	size_t i;

	if (max > 16)
		max = 16;
	for (i = 0; i < t->nr; i++) {
		const char *s = t->syms[i].name;

		d = strstr(s, name) ? 1 + (int)(strlen(s) - strlen(name)) / 8 :
				      km_edit_distance(name, s, cap);
		if (d < cap)
			keep_best(out, score, max, &n, s, d);
	}
	return n;
}

/*
 * Without CONFIG_KALLSYMS_ALL the kernel lists only code and a few
 * global section markers (D, B: __start_rodata...), never a static
 * variable (d, b), which every kernel with all symbols has thousands
 * of. Module lines (a tab, then [name]) have theirs either way.
 */
bool km_kallsyms_lacks_data(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl, *sp;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		sp = memchr(p, ' ', nl - p);
		if (sp && nl - sp > 3 && (sp[1] == 'd' || sp[1] == 'b') &&
		    sp[2] == ' ' && !memchr(sp, '\t', nl - sp))
			return false;
	}
	return true;
}
