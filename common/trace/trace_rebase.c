// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../error.h"
#include "trace_rebase.h"

#define MIB (1ull << 20)
/*
 * The most an image may span when kallsyms has no _end: x86-64's
 * KERNEL_IMAGE_SIZE under KASLR, which it is never larger than. arm64
 * has no such limit, but its images are tens of MiB (Debian 12's 6.1
 * cloud kernel: _end - _text = 26.7 MiB), so 1 GiB bounds them too;
 * the image is guessed only to 2 MiB past its highest symbol anyway.
 */
#define IMAGE_MAX (1ull << 30)

enum { REG_KERNEL = -1, REG_UNKNOWN = -2 };

struct km_rb_sym {
	uint64_t addr;
	const char *line; /* from its address on, not NUL-terminated */
	size_t len; /* without the newline */
	size_t hexlen; /* digits of the address */
	long region; /* into regions, or REG_KERNEL */
	bool abs; /* type a or A: not a place in the image */
	bool keep;
};

struct km_rb_region {
	const char *name; /* the module's, or a [tag]'s; name_len bytes */
	size_t name_len;
	const struct km_module_info *info; /* NULL for a [tag] alone */
	uint64_t lo, last; /* lowest and highest address known in it */
	uint64_t delta; /* added to its addresses once placed */
	bool used, placed;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * "ADDR T name[\t[module]]" as the symbolize layer's parser reads it
 * (common/symbolize/ksyms.c): the same lines count, the same module
 * tags. Returns false for a line that parser skips.
 */
static bool parse_line(const char *p, size_t len, struct km_rb_sym *s,
		       const char **mod, size_t *mod_len)
{
	const char *name, *end, *close, *lim = p + len;
	size_t n;

	for (s->addr = 0, n = 0; n < 16 && n < len && hexval(p[n]) >= 0; n++)
		s->addr = s->addr << 4 | hexval(p[n]);
	if (!n || n + 3 > len || p[n] != ' ' || p[n + 2] != ' ' || !s->addr)
		return false;
	name = end = p + n + 3;
	while (end < lim && *end != ' ' && *end != '\t')
		end++;
	if (end == name)
		return false;
	*mod = end < lim ? memchr(end + 1, '[', lim - end - 1) : NULL;
	if (*mod) {
		++*mod;
		close = memchr(*mod, ']', lim - *mod);
		if (!close)
			return false;
		*mod_len = close - *mod;
	}
	s->line = p;
	s->len = len;
	s->hexlen = n;
	s->abs = p[n + 1] == 'a' || p[n + 1] == 'A';
	return true;
}

static void widen(struct km_rb_region *g, uint64_t lo, uint64_t last)
{
	if (lo < g->lo)
		g->lo = lo;
	if (last > g->last)
		g->last = last;
}

static long add_region(struct km_rebase *rb, const char *name, size_t len,
		       const struct km_module_info *info)
{
	struct km_rb_region *g;

	if (km_grow_array((void **)&rb->regions, &rb->regions_cap,
			  rb->nr_regions + 1, sizeof(*rb->regions)))
		return -ENOMEM;
	g = &rb->regions[rb->nr_regions];
	*g = (struct km_rb_region){
		.name = name, .name_len = len, .info = info, .lo = UINT64_MAX
	};
	return rb->nr_regions++;
}

/* A module's core and sections, as MODULE_INFO places them. */
static int add_modules(struct km_rebase *rb)
{
	const struct km_module_info *m;
	size_t i, j;
	long r;

	for (i = 0; i < rb->d->nr_mods; i++) {
		m = &rb->d->mods[i];
		r = add_region(rb, m->name, strlen(m->name), m);
		if (r < 0)
			return r;
		if (km_module_placed(m))
			widen(&rb->regions[r], m->addr, m->addr + m->size - 1);
		for (j = 0; j < m->nr_sections; j++)
			if (m->sections[j].addr)
				widen(&rb->regions[r], m->sections[j].addr,
				      m->sections[j].addr);
	}
	return 0;
}

/* The region called name, made if new; lines of one module come together. */
static long region_named(struct km_rebase *rb, const char *name, size_t len,
			 long *last)
{
	struct km_rb_region *g;
	size_t i;

	if (*last >= 0 && rb->regions[*last].name_len == len &&
	    !memcmp(rb->regions[*last].name, name, len))
		return *last;
	for (i = 0; i < rb->nr_regions; i++) {
		g = &rb->regions[i];
		if (g->name_len == len && !memcmp(g->name, name, len))
			return *last = i;
	}
	return *last = add_region(rb, name, len, NULL);
}

static int add_sym(struct km_rebase *rb, size_t *cap, const char *p, size_t len,
		   long *last)
{
	struct km_rb_sym s = { .region = REG_KERNEL };
	const char *mod = NULL;
	size_t mod_len = 0;

	if (!parse_line(p, len, &s, &mod, &mod_len))
		return 0;
	if (mod) {
		s.region = region_named(rb, mod, mod_len, last);
		if (s.region < 0)
			return s.region;
		widen(&rb->regions[s.region], s.addr, s.addr);
	}
	if (km_grow_array((void **)&rb->syms, cap, rb->nr_syms + 1,
			  sizeof(*rb->syms)))
		return -ENOMEM;
	rb->syms[rb->nr_syms++] = s;
	return 0;
}

/* The symbolize layer reads kallsyms text up to its first NUL: so do we. */
static int parse_text(struct km_rebase *rb)
{
	const char *p = rb->d->kallsyms, *end, *nl;
	size_t cap = 0;
	long last = -1;
	int err = 0;

	if (!p)
		return 0;
	end = p + strnlen(p, rb->d->kallsyms_len);
	for (; !err && p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		err = add_sym(rb, &cap, p, nl - p, &last);
	}
	return err;
}

static const struct km_rebase *sort_rb; /* qsort has no argument */

static int by_addr(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint64_t ax = sort_rb->syms[x].addr, ay = sort_rb->syms[y].addr;

	/* Equal addresses keep their line order, as the symbolizer's sort. */
	if (ax != ay)
		return ax < ay ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int by_core(const void *a, const void *b)
{
	uint64_t x = sort_rb->regions[*(const size_t *)a].info->addr;
	uint64_t y = sort_rb->regions[*(const size_t *)b].info->addr;

	return x < y ? -1 : x > y;
}

static int index_all(struct km_rebase *rb)
{
	size_t i;

	rb->order = malloc((rb->nr_syms + 1) * sizeof(*rb->order));
	rb->cores = malloc((rb->nr_regions + 1) * sizeof(*rb->cores));
	if (!rb->order || !rb->cores)
		return -ENOMEM;
	for (i = 0; i < rb->nr_syms; i++)
		rb->order[i] = i;
	for (i = 0; i < rb->nr_regions; i++)
		if (rb->regions[i].info &&
		    km_module_placed(rb->regions[i].info))
			rb->cores[rb->nr_cores++] = i;
	sort_rb = rb;
	qsort(rb->order, rb->nr_syms, sizeof(*rb->order), by_addr);
	qsort(rb->cores, rb->nr_cores, sizeof(*rb->cores), by_core);
	return 0;
}

/*
 * Where the image ends, if kallsyms has no _end: 2 MiB past its highest
 * symbol (the last object's size is not known), never past 1 GiB.
 */
static void find_image(struct km_rebase *rb)
{
	uint64_t high = 0, off;
	size_t i;

	for (i = 0; i < rb->nr_syms; i++) {
		const struct km_rb_sym *s = &rb->syms[i];

		if (s->region != REG_KERNEL || s->abs || s->addr < rb->text)
			continue;
		off = s->addr - rb->text;
		if (off < IMAGE_MAX && off > high)
			high = off;
	}
	high = high + 2 * MIB < IMAGE_MAX ? high + 2 * MIB : IMAGE_MAX;
	rb->kend = rb->text + high < rb->text ? UINT64_MAX : rb->text + high;
}

/* A kernel symbol called name exactly; its address through *addr. */
static bool find_kernel_sym(const struct km_rebase *rb, const char *name,
			    uint64_t *addr)
{
	size_t i, n = strlen(name);

	for (i = 0; i < rb->nr_syms; i++) {
		const struct km_rb_sym *s = &rb->syms[i];
		const char *nm = s->line + s->hexlen + 3;
		size_t left = s->len - s->hexlen - 3;

		if (s->region == REG_KERNEL && left >= n &&
		    !memcmp(nm, name, n) &&
		    (left == n || nm[n] == ' ' || nm[n] == '\t')) {
			*addr = s->addr;
			return true;
		}
	}
	return false;
}

int km_rebase_init(struct km_rebase *rb, const struct km_trace_data *d,
		   uint64_t nominal, uint64_t module_base)
{
	uint64_t end;
	int err;

	memset(rb, 0, sizeof(*rb));
	rb->d = d;
	rb->nominal = nominal;
	rb->module_base = module_base;
	err = add_modules(rb);
	err = err ?: parse_text(rb);
	err = err ?: index_all(rb);
	if (err) {
		km_err("out of memory");
		return err;
	}
	rb->has_text = find_kernel_sym(rb, "_text", &rb->text);
	if (rb->has_text)
		find_image(rb);
	if (rb->has_text && find_kernel_sym(rb, "_end", &end) && end > rb->text)
		rb->kend = end;
	return 0;
}

/* The last entry of order at or below addr, or -1. */
static long below(const struct km_rebase *rb, uint64_t addr)
{
	size_t lo = 0, hi = rb->nr_syms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rb->syms[rb->order[mid]].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* The module whose core holds addr, or REG_UNKNOWN. */
static long core_of(const struct km_rebase *rb, uint64_t addr)
{
	size_t lo = 0, hi = rb->nr_cores;
	const struct km_module_info *m;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rb->regions[rb->cores[mid]].info->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return REG_UNKNOWN;
	m = rb->regions[rb->cores[lo - 1]].info;
	return addr - m->addr < m->size ? (long)rb->cores[lo - 1] : REG_UNKNOWN;
}

/* addr's region; its symbol's place in order through *at (or -1). */
static long classify(const struct km_rebase *rb, uint64_t addr, long *at)
{
	long r = core_of(rb, addr);
	const struct km_rb_sym *s;

	*at = below(rb, addr);
	if (r >= 0)
		return r;
	if (*at < 0)
		return REG_UNKNOWN;
	s = &rb->syms[rb->order[*at]];
	if (s->region >= 0)
		return s->region;
	if (rb->has_text && addr >= rb->text && addr < rb->kend)
		return REG_KERNEL;
	return REG_UNKNOWN;
}

void km_rebase_need(struct km_rebase *rb, uint64_t addr)
{
	long r, i;
	size_t k;
	uint64_t a;

	r = classify(rb, addr, &i);
	if (r == REG_UNKNOWN)
		return;
	if (r >= 0)
		rb->regions[r].used = true;
	if (i < 0 || rb->syms[rb->order[i]].region != r)
		return;
	/* Every name at the address: which one is shown is the reader's. */
	a = rb->syms[rb->order[i]].addr;
	for (k = i; k > 0 && rb->syms[rb->order[k - 1]].addr == a; k--)
		;
	for (; k < rb->nr_syms && rb->syms[rb->order[k]].addr == a; k++)
		if (rb->syms[rb->order[k]].region == r)
			rb->syms[rb->order[k]].keep = true;
	/* The next symbol up bounds this one's size. */
	if (k < rb->nr_syms && rb->syms[rb->order[k]].region == r)
		rb->syms[rb->order[k]].keep = true;
}

/* The moved kernel image, [lo, hi]; false if there is none. */
static bool moved_image(const struct km_rebase *rb, uint64_t *lo, uint64_t *hi)
{
	uint64_t len = rb->kend - rb->text;

	if (!rb->has_text || !len)
		return false;
	*lo = rb->nominal;
	*hi = len - 1 > UINT64_MAX - *lo ? UINT64_MAX : *lo + len - 1;
	return true;
}

/* The next MiB after a MiB's gap past last; *full if none is left. */
static uint64_t after(uint64_t last, bool *full)
{
	*full = last > UINT64_MAX - 3 * MIB;
	return *full ? last : (last | (MIB - 1)) + 1 + MIB;
}

int km_rebase_place(struct km_rebase *rb)
{
	uint64_t cursor = rb->module_base, span, ilo = 0, ihi = 0;
	bool full = false, image = moved_image(rb, &ilo, &ihi);
	size_t i;

	/* 0: the modules go above the image, as on x86-64. */
	if (!cursor)
		cursor = image ? after(ihi, &full) : rb->nominal;
	if (rb->has_text)
		km_rebase_need(rb, rb->text);
	for (i = 0; i < rb->nr_regions; i++) {
		struct km_rb_region *g = &rb->regions[i];

		if (!g->used)
			continue;
		span = g->last - g->lo;
		/*
		 * Never over the image: on arm64 the module area lies
		 * below it, and a module placed where the kernel is would
		 * make its addresses read as the kernel's.
		 */
		if (!full && image && span <= UINT64_MAX - cursor &&
		    cursor <= ihi && cursor + span >= ilo)
			cursor = after(ihi, &full);
		if (full || span > UINT64_MAX - cursor) {
			km_err("the modules' addresses are spread too far to place module %.*s below 2^64",
			       (int)g->name_len, g->name);
			return -ERANGE;
		}
		g->delta = cursor - g->lo;
		g->placed = true;
		/* The next one from the next MiB, after a MiB's gap. */
		cursor = after(cursor + span, &full);
	}
	return 0;
}

static uint64_t move(const struct km_rebase *rb, long r, uint64_t addr)
{
	if (r == REG_KERNEL)
		return addr - rb->text + rb->nominal;
	if (r >= 0 && rb->regions[r].placed)
		return addr + rb->regions[r].delta;
	return KM_REBASE_UNKNOWN;
}

uint64_t km_rebase_addr(const struct km_rebase *rb, uint64_t addr)
{
	long at;

	return move(rb, classify(rb, addr, &at), addr);
}

bool km_rebase_known(const struct km_rebase *rb, uint64_t addr)
{
	return km_rebase_addr(rb, addr) != KM_REBASE_UNKNOWN;
}

int km_rebase_kallsyms(const struct km_rebase *rb, struct km_buf *out)
{
	char hex[17];
	size_t i;

	/* Line order kept: among equal addresses, the first one wins. */
	for (i = 0; i < rb->nr_syms; i++) {
		const struct km_rb_sym *s = &rb->syms[i];

		if (!s->keep)
			continue;
		snprintf(hex, sizeof(hex), "%016" PRIx64,
			 move(rb, s->region, s->addr));
		if (km_buf_append(out, hex, 16) ||
		    km_buf_append(out, s->line + s->hexlen,
				  s->len - s->hexlen) ||
		    km_buf_append(out, "\n", 1))
			return -ENOMEM;
	}
	return 0;
}

static int copy_module(const struct km_rb_region *g, struct km_module_info *m)
{
	const struct km_module_info *o = g->info;
	size_t j;

	*m = *o;
	m->sections = NULL;
	m->nr_sections = 0;
	m->name = strdup(o->name);
	if (o->nr_sections)
		m->sections = calloc(o->nr_sections, sizeof(*m->sections));
	if (!m->name || (o->nr_sections && !m->sections))
		return -ENOMEM;
	if (m->addr)
		m->addr += g->delta;
	for (j = 0; j < o->nr_sections; j++, m->nr_sections++) {
		m->sections[j].addr = o->sections[j].addr ?
					      o->sections[j].addr + g->delta :
					      0;
		m->sections[j].name = strdup(o->sections[j].name);
		if (!m->sections[j].name)
			return -ENOMEM;
	}
	return 0;
}

int km_rebase_modules(const struct km_rebase *rb, struct km_module_info **out,
		      size_t *nr)
{
	size_t i;
	int err = 0;

	*nr = 0;
	*out = calloc(rb->nr_regions + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; !err && i < rb->nr_regions; i++)
		if (rb->regions[i].placed && rb->regions[i].info)
			err = copy_module(&rb->regions[i], &(*out)[(*nr)++]);
	if (err) {
		km_module_list_free(*out, *nr);
		*out = NULL;
		*nr = 0;
	}
	return err;
}

void km_rebase_free(struct km_rebase *rb)
{
	free(rb->syms);
	free(rb->order);
	free(rb->regions);
	free(rb->cores);
	memset(rb, 0, sizeof(*rb));
}
