// SPDX-License-Identifier: GPL-2.0
/*
 * Member paths over BTF, through libbpf's btf API only. The grammar:
 *
 *   path := ['&'] NAME step*
 *   step := '.' NAME | '->' NAME | '[' NUMBER ']'
 *
 * The first NAME is a member of the object itself. Typedefs and
 * const/volatile/restrict are looked through everywhere; members of
 * anonymous structs and unions are found as members of the type that
 * holds them, as in C.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "btf_path.h"

/* Anonymous members nest; no real type nests deeper than this. */
#define MAX_NESTING 32
/* Names listed when a member is unknown, before "(N more)". */
#define LIST_CHARS 420

struct walk {
	const struct btf *btf;
	struct km_member_path *p;
	const char *expr; /* as given, for syntax errors */
	const char *s; /* what is left to parse */
	uint32_t type; /* of what the path names so far */
	uint64_t off; /* its offset from the current base */
	uint32_t bit_size; /* nonzero: it is a bitfield ... */
	uint64_t bit_pos; /* ... starting at this bit from the base */
	char root[KM_PATH_ROOT_MAX]; /* "task_struct" */
	char text[KM_PATH_TEXT_MAX]; /* the path so far, "se.cfs_rq" */
};

static int fail(struct walk *w, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct walk *w, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->p->err, sizeof(w->p->err), fmt, ap);
	va_end(ap);
	return err;
}

/* Appends to a NUL-terminated buffer, truncating. */
static void append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

struct name_buf {
	char *buf;
	size_t size;
};

static void name_printf(void *ctx, const char *fmt, va_list ap)
{
	struct name_buf *nb = ctx;
	size_t len = strnlen(nb->buf, nb->size);

	if (len + 1 < nb->size)
		vsnprintf(nb->buf + len, nb->size - len, fmt, ap);
}

void km_btf_type_name(const struct btf *btf, uint32_t id, char *buf,
		      size_t size)
{
	LIBBPF_OPTS(btf_dump_emit_type_decl_opts, opts, .field_name = "");
	struct name_buf nb = { buf, size };
	struct btf_dump *d;

	if (!size)
		return;
	buf[0] = '\0';
	d = btf_dump__new(btf, name_printf, &nb, NULL);
	if (!d || btf_dump__emit_type_decl(d, id, &opts))
		snprintf(buf, size, "type #%u", id);
	btf_dump__free(d);
}

/* The type id behind typedefs and modifiers; 0 for void. */
static uint32_t strip(const struct btf *btf, uint32_t id)
{
	int r = btf__resolve_type(btf, id);

	return r < 0 ? 0 : (uint32_t)r;
}

static bool is_composite(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = id ? btf__type_by_id(btf, id) : NULL;

	return t && (btf_is_struct(t) || btf_is_union(t));
}

static bool is_ptr(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = id ? btf__type_by_id(btf, id) : NULL;

	return t && btf_is_ptr(t);
}

static const char *member_name(const struct btf *btf,
			       const struct btf_member *m)
{
	const char *n = btf__name_by_offset(btf, m->name_off);

	return n ? n : "";
}

/*
 * Finds member name of the struct or union id (stripped), looking
 * into anonymous members; *bit_off is from the start of id.
 */
static int find_member(const struct btf *btf, uint32_t id, const char *name,
		       int depth, uint32_t *type, uint64_t *bit_off,
		       uint32_t *bit_size)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t);
	int i, n = btf_vlen(t);
	uint32_t sub;

	if (depth > MAX_NESTING)
		return -ENOENT;
	for (i = 0; i < n; i++, m++) {
		if (*member_name(btf, m)) {
			if (strcmp(member_name(btf, m), name))
				continue;
			*type = m->type;
			*bit_off = btf_member_bit_offset(t, i);
			*bit_size = btf_member_bitfield_size(t, i);
			return 0;
		}
		sub = strip(btf, m->type);
		if (!is_composite(btf, sub) ||
		    find_member(btf, sub, name, depth + 1, type, bit_off,
				bit_size))
			continue;
		*bit_off += btf_member_bit_offset(t, i);
		return 0;
	}
	return -ENOENT;
}

/*
 * Calls fn for every member name of id, anonymous members' own members
 * in their place; stops when fn returns nonzero.
 */
static int each_member(const struct btf *btf, uint32_t id, int depth,
		       int (*fn)(void *ctx, const char *name), void *ctx)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t);
	int i, n = btf_vlen(t), r;
	uint32_t sub;

	if (depth > MAX_NESTING)
		return 0;
	for (i = 0; i < n; i++, m++) {
		if (*member_name(btf, m)) {
			r = fn(ctx, member_name(btf, m));
		} else {
			sub = strip(btf, m->type);
			r = is_composite(btf, sub) ?
				    each_member(btf, sub, depth + 1, fn, ctx) :
				    0;
		}
		if (r)
			return r;
	}
	return 0;
}

struct listing {
	char *buf;
	size_t size;
	const char *like; /* only names like this one, when set */
	int shown, more;
	bool full;
};

/* Room kept at the end of a listing for ", ... (N more)". */
#define MORE_ROOM 24

/* Names sharing a 4-character stem, or one inside the other. */
static bool alike(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 3 && lb >= 3 && (strstr(a, b) || strstr(b, a)))
		return true;
	return la >= 4 && lb >= 4 && !strncmp(a, b, 4);
}

static int list_one(void *ctx, const char *name)
{
	struct listing *l = ctx;

	if (l->like && !alike(name, l->like))
		return 0;
	/* In order: once one name does not fit, the rest are "more". */
	if (l->full ||
	    strlen(l->buf) + strlen(name) + 2 + MORE_ROOM > l->size) {
		l->full = true;
		l->more++;
		return 0;
	}
	append(l->buf, l->size, "%s%s", l->shown ? ", " : "", name);
	l->shown++;
	return 0;
}

static int unknown_member(struct walk *w, uint32_t id, const char *name)
{
	char tname[KM_PATH_TEXT_MAX], near[160] = "", all[LIST_CHARS] = "";
	struct listing ln = { near, sizeof(near), name };
	struct listing la = { all, sizeof(all), NULL };

	km_btf_type_name(w->btf, id, tname, sizeof(tname));
	each_member(w->btf, id, 0, list_one, &ln);
	each_member(w->btf, id, 0, list_one, &la);
	if (!la.shown)
		return fail(w, -ENOENT, "%s has no member '%s' (it has none)",
			    tname, name);
	if (ln.more)
		append(near, sizeof(near), ", ...");
	if (la.more)
		append(all, sizeof(all), ", ... (%d more)", la.more);
	return fail(w, -ENOENT, "%s has no member '%s'%s%s%s; its members: %s",
		    tname, name, ln.shown ? " (did you mean " : "", near,
		    ln.shown ? "?)" : "", all);
}

static void skip_space(struct walk *w)
{
	while (isspace((unsigned char)*w->s))
		w->s++;
}

static int read_name(struct walk *w, char *name, size_t size)
{
	size_t n = 0;

	skip_space(w);
	if (!isalpha((unsigned char)*w->s) && *w->s != '_')
		return fail(
			w, -EINVAL,
			"bad member path '%s': expected a member name at '%s'",
			w->expr, *w->s ? w->s : "the end");
	while (isalnum((unsigned char)w->s[n]) || w->s[n] == '_')
		n++;
	if (n >= size)
		return fail(w, -EINVAL, "bad member path '%s': name too long",
			    w->expr);
	memcpy(name, w->s, n);
	name[n] = '\0';
	w->s += n;
	return 0;
}

static int read_index(struct walk *w, uint64_t *index)
{
	const char *start;
	char *end;

	skip_space(w);
	start = w->s;
	errno = 0;
	*index = strtoull(start, &end, 0);
	if (!isdigit((unsigned char)*start) || errno || end == start)
		return fail(w, -EINVAL,
			    "bad member path '%s': expected an index at '%s'",
			    w->expr, *start ? start : "the end");
	w->s = end;
	skip_space(w);
	if (*w->s != ']')
		return fail(w, -EINVAL,
			    "bad member path '%s': expected ']' at '%s'",
			    w->expr, *w->s ? w->s : "the end");
	w->s++;
	return 0;
}

/* Describes what the path names so far: "'se' (struct sched_entity)". */
static const char *so_far(struct walk *w, char *buf, size_t size)
{
	char tname[KM_PATH_TEXT_MAX];

	km_btf_type_name(w->btf, w->type, tname, sizeof(tname));
	snprintf(buf, size, "'%s' is %s", w->text, tname);
	return buf;
}

/* Reads the pointer the path names so far; the base moves to its target. */
static int deref(struct walk *w)
{
	struct km_member_path *p = w->p;
	struct km_path_deref *d;

	if (p->nr_derefs == KM_PATH_MAX_DEREFS)
		return fail(w, -E2BIG, "'%s' follows more than %d pointers",
			    w->text, KM_PATH_MAX_DEREFS);
	d = &p->derefs[p->nr_derefs++];
	d->off = w->off;
	snprintf(d->what, sizeof(d->what), "%s->%s", w->root, w->text);
	w->type = btf__type_by_id(w->btf, strip(w->btf, w->type))->type;
	w->off = 0;
	return 0;
}

static int step_member(struct walk *w, bool arrow, const char *name)
{
	char buf[KM_PATH_ERR_MAX];
	uint32_t id = strip(w->btf, w->type), type, bit_size;
	uint64_t bit_off;
	int err;

	if (arrow && is_composite(w->btf, id))
		return fail(w, -EINVAL, "%s, not a pointer: use '%s.%s'",
			    so_far(w, buf, sizeof(buf)), w->text, name);
	if (!arrow && is_ptr(w->btf, id))
		return fail(w, -EINVAL, "%s, a pointer: use '%s->%s'",
			    so_far(w, buf, sizeof(buf)), w->text, name);
	if (arrow && is_ptr(w->btf, id)) {
		if (!is_composite(w->btf,
				  strip(w->btf,
					btf__type_by_id(w->btf, id)->type)))
			return fail(w, -EINVAL,
				    "%s, which points to no struct or union",
				    so_far(w, buf, sizeof(buf)));
		if ((err = deref(w)))
			return err;
		id = strip(w->btf, w->type);
	}
	if (!is_composite(w->btf, id))
		return fail(w, -EINVAL, "%s, which has no members",
			    so_far(w, buf, sizeof(buf)));
	if (find_member(w->btf, id, name, 0, &type, &bit_off, &bit_size))
		return unknown_member(w, id, name);
	w->type = type;
	w->bit_size = bit_size;
	w->bit_pos = w->off * 8 + bit_off;
	w->off += bit_off / 8;
	if (*w->text)
		append(w->text, sizeof(w->text), "%s", arrow ? "->" : ".");
	append(w->text, sizeof(w->text), "%s", name);
	return 0;
}

static int step_index(struct walk *w, uint64_t index)
{
	char buf[KM_PATH_ERR_MAX], tname[KM_PATH_TEXT_MAX];
	uint32_t id = strip(w->btf, w->type);
	const struct btf_type *t = id ? btf__type_by_id(w->btf, id) : NULL;
	const struct btf_array *a;
	__s64 size;
	int err;

	if (t && btf_is_array(t)) {
		a = btf_array(t);
		/* No length is a flexible array member: any index goes. */
		if (a->nelems && index >= a->nelems) {
			km_btf_type_name(w->btf, w->type, tname, sizeof(tname));
			return fail(
				w, -ERANGE,
				"index %" PRIu64
				" is past the end of %s (%s: indices 0 to %u)",
				index, w->text, tname, a->nelems - 1);
		}
		w->type = a->type;
	} else if (t && btf_is_ptr(t)) {
		if ((err = deref(w)))
			return err;
	} else {
		return fail(w, -EINVAL, "%s: only arrays and pointers take [N]",
			    so_far(w, buf, sizeof(buf)));
	}
	size = btf__resolve_size(w->btf, w->type);
	if (size <= 0 || index > UINT32_MAX)
		return fail(w, -EINVAL, "%s: cannot index an element of that",
			    so_far(w, buf, sizeof(buf)));
	w->off += index * size;
	w->bit_size = 0;
	append(w->text, sizeof(w->text), "[%" PRIu64 "]", index);
	return 0;
}

static int parse_steps(struct walk *w)
{
	char name[KM_PATH_TEXT_MAX];
	uint64_t index;
	bool arrow;
	int err;

	for (;;) {
		skip_space(w);
		if (!*w->s)
			return 0;
		if (*w->s == '[') {
			w->s++;
			err = read_index(w, &index) ?: step_index(w, index);
		} else if (*w->s == '.' || !strncmp(w->s, "->", 2)) {
			arrow = *w->s == '-';
			w->s += arrow ? 2 : 1;
			err = read_name(w, name, sizeof(name)) ?:
				      step_member(w, arrow, name);
		} else {
			err = fail(
				w, -EINVAL,
				"bad member path '%s': expected '.', '->' or '[' at '%s'",
				w->expr, w->s);
		}
		if (err)
			return err;
	}
}

/* A bitfield is watched through its storage unit, as C lays it out. */
static void bitfield_unit(struct walk *w)
{
	struct km_member_path *p = w->p;
	uint64_t unit_bits = (uint64_t)p->size * 8;

	if (!unit_bits)
		return;
	p->off = w->bit_pos / unit_bits * p->size;
	p->bit_off = w->bit_pos - p->off * 8;
	p->bit_size = w->bit_size;
}

static int finish(struct walk *w)
{
	struct km_member_path *p = w->p;
	char buf[KM_PATH_ERR_MAX];
	__s64 size;
	int err;

	if (!p->addr_of) {
		if (!is_ptr(w->btf, strip(w->btf, w->type)))
			return fail(
				w, -EINVAL,
				"%s, not a pointer: write '&%s' to watch the field itself",
				so_far(w, buf, sizeof(buf)), w->text);
		if ((err = deref(w)))
			return err;
		w->bit_size = 0;
	}
	p->type_id = w->type;
	p->off = w->off;
	size = btf__resolve_size(w->btf, w->type);
	p->size = size > 0 && size <= UINT32_MAX ? size : 0;
	if (w->bit_size)
		bitfield_unit(w);
	snprintf(p->field, sizeof(p->field), "%s%s", p->addr_of ? "" : "*",
		 w->text);
	km_btf_type_name(w->btf, w->type, p->type_name, sizeof(p->type_name));
	return 0;
}

int km_member_path(const struct btf *btf, uint32_t root, const char *expr,
		   struct km_member_path *p)
{
	struct walk w = { .btf = btf, .p = p, .expr = expr, .s = expr };
	char name[KM_PATH_TEXT_MAX];
	uint32_t id = strip(btf, root);
	const char *rname;
	int err;

	memset(p, 0, sizeof(*p));
	if (!is_composite(btf, id))
		return fail(&w, -EINVAL, "type #%u is no struct or union",
			    root);
	rname = btf__name_by_offset(btf, btf__type_by_id(btf, id)->name_off);
	snprintf(w.root, sizeof(w.root), "%s", rname && *rname ? rname : "?");
	w.type = id;
	skip_space(&w);
	if (*w.s == '&') {
		p->addr_of = true;
		w.s++;
	}
	err = read_name(&w, name, sizeof(name)) ?: step_member(&w, false, name);
	err = err ?: parse_steps(&w);
	return err ?: finish(&w);
}

/* Appends up to a few struct/union names containing name to buf. */
static void similar_types(const struct btf *btf, const char *name, char *buf,
			  size_t size)
{
	uint32_t i, n = btf__type_cnt(btf);
	const struct btf_type *t;
	const char *tn;
	int shown = 0;

	for (i = 1; i < n && shown < 4; i++) {
		t = btf__type_by_id(btf, i);
		if (!btf_is_struct(t) && !btf_is_union(t))
			continue;
		tn = btf__name_by_offset(btf, t->name_off);
		if (!tn || strlen(tn) < 3 || !alike(tn, name))
			continue;
		append(buf, size, "%s%s %s", shown++ ? ", " : "; did you mean ",
		       btf_is_union(t) ? "union" : "struct", tn);
	}
	if (shown)
		append(buf, size, "?");
}

/* A typedef that names a struct or union. */
static int find_typedef(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);

	return id > 0 && is_composite(btf, strip(btf, id)) ? id : -ENOENT;
}

int km_btf_find_type(const struct btf *btf, const char *spec, char *err,
		     size_t err_size)
{
	char buf[KM_PATH_TEXT_MAX], *name = buf;
	int kind = 0, id = -ENOENT;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (n = strlen(buf); n && isspace((unsigned char)buf[n - 1]); n--)
		buf[n - 1] = '\0';
	while (isspace((unsigned char)*name))
		name++;
	if (!strncmp(name, "struct", 6) && isspace((unsigned char)name[6]))
		kind = BTF_KIND_STRUCT, name += 6;
	else if (!strncmp(name, "union", 5) && isspace((unsigned char)name[5]))
		kind = BTF_KIND_UNION, name += 5;
	while (isspace((unsigned char)*name))
		name++;
	if (!*name || strpbrk(name, " \t*[") || !strcmp(name, "struct") ||
	    !strcmp(name, "union")) {
		snprintf(
			err, err_size,
			"bad type '%s': give 'struct NAME', 'union NAME' or a typedef name",
			spec);
		return -EINVAL;
	}
	if (kind)
		id = btf__find_by_name_kind(btf, name, kind);
	else if ((id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT)) <
			 0 &&
		 (id = btf__find_by_name_kind(btf, name, BTF_KIND_UNION)) < 0)
		id = find_typedef(btf, name);
	if (id > 0)
		return id;
	snprintf(err, err_size, "no %s '%s' in the kernel's BTF",
		 kind == BTF_KIND_UNION ? "union" :
		 kind			? "struct" :
					  "struct, union or typedef",
		 name);
	similar_types(btf, name, err, err_size);
	return -ENOENT;
}
