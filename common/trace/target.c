// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../error.h"
#include "../../bpf/kmemsnoop.h"
#include "target.h"
#include "trace_format.h"

static const struct {
	const char *name;
	uint32_t type;
} bp_types[] = {
	{ "rw", KM_BP_RW },
	{ "r", KM_BP_R },
	{ "w", KM_BP_W },
	{ "x", KM_BP_X },
};

static int parse_bp(const char *s, uint32_t *type, uint32_t *len,
		    bool len_optional)
{
	size_t i, n;

	for (i = 0; i < sizeof(bp_types) / sizeof(bp_types[0]); i++) {
		n = strlen(bp_types[i].name);
		if (strncmp(s, bp_types[i].name, n))
			continue;
		if (len_optional && !s[n]) {
			*type = bp_types[i].type;
			*len = 0;
			return 0;
		}
		if (strlen(s + n) != 1 || !strchr("1248", s[n]))
			return -EINVAL;
		*type = bp_types[i].type;
		*len = s[n] - '0';
		return 0;
	}
	return -EINVAL;
}

int km_parse_bp(const char *s, uint32_t *type, uint32_t *len)
{
	return parse_bp(s, type, len, false);
}

int km_parse_bp_field(const char *s, uint32_t *type, uint32_t *len)
{
	return parse_bp(s, type, len, true);
}

const char *km_bp_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < sizeof(bp_types) / sizeof(bp_types[0]); i++)
		if (bp_types[i].type == type)
			return bp_types[i].name;
	return "?";
}

/* Parses all of s as a number in base (0: C rules); -EINVAL otherwise. */
static int parse_number(const char *s, int base, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	/* strtoull would take a second "0x" after the one we stripped. */
	if (base == 16 && s[strspn(s, "0123456789abcdefABCDEF")])
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	return (errno || *end) ? -EINVAL : 0;
}

static int resolve_symbol(const char *expr, const struct km_symtab *syms,
			  uint64_t *addr)
{
	const char *plus = strchr(expr, '+');
	uint64_t off = 0;
	char name[KM_SYM_NAME_MAX];
	const struct km_sym *s;
	size_t n = plus ? (size_t)(plus - expr) : strlen(expr);

	if (!n || n >= sizeof(name))
		return -EINVAL;
	if (plus && parse_number(plus + 1, 0, &off))
		return -EINVAL;
	memcpy(name, expr, n);
	name[n] = '\0';
	s = syms ? km_symtab_find(syms, name) : NULL;
	if (!s)
		return -ENOENT;
	*addr = s->addr + off;
	return 0;
}

int km_resolve_expr(const char *expr, const struct km_symtab *syms,
		    uint64_t *addr)
{
	int err;

	if (!expr || !*expr)
		return -EINVAL;
	if (!strncmp(expr, "0x", 2) || !strncmp(expr, "0X", 2))
		return parse_number(expr + 2, 16, addr);
	err = resolve_symbol(expr, syms, addr);
	if (err == -ENOENT && !parse_number(expr, 16, addr))
		return 0;
	return err;
}

static void explain_unknown(const char *expr, const struct km_symtab *syms)
{
	const char *near[3];
	char name[KM_SYM_NAME_MAX];
	int n;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(expr, "+"), expr);
	n = syms ? km_symtab_near(syms, name, near, 3) : 0;
	if (n == 0)
		km_usage("unknown symbol '%s' (no similar name either)", name);
	else
		km_usage("unknown symbol '%s'; did you mean %s%s%s%s%s?", name,
			 near[0], n > 1 ? ", " : "", n > 1 ? near[1] : "",
			 n > 2 ? ", " : "", n > 2 ? near[2] : "");
}

static int parse_bp_explained(const char *bp, uint32_t *type, uint32_t *len)
{
	if (!km_parse_bp(bp, type, len))
		return 0;
	km_usage(
		"bad breakpoint type '%s': use r, w, rw or x followed by a length of 1, 2, 4 or 8 (e.g. rw4)",
		bp);
	return -EINVAL;
}

static void bad_expr(const char *expr)
{
	km_usage(
		"bad address expression '%s': give a symbol, symbol+offset or a hex address",
		expr);
}

int km_watch_check(const char *bp, const char *expr, bool member_path,
		   uint32_t *type, uint32_t *len)
{
	uint64_t addr;

	/* A member's length may be left to its type (record/capture/objects.c). */
	if (member_path && km_parse_bp_field(bp, type, len)) {
		km_usage(
			"bad breakpoint type '%s': use r, w, rw or x, then a length of 1, 2, 4 or 8, or none for the field's own (e.g. rw8 or rw)",
			bp);
		return -EINVAL;
	}
	if (member_path)
		return 0;
	if (parse_bp_explained(bp, type, len))
		return -EINVAL;
	/* Without a table every name is unknown (-ENOENT), not wrong. */
	if (km_resolve_expr(expr, NULL, &addr) == -EINVAL) {
		bad_expr(expr);
		return -EINVAL;
	}
	return 0;
}

int km_watch_parse(struct km_watch *w, const char *bp, const char *expr,
		   const struct km_symtab *syms)
{
	int err;

	memset(w, 0, sizeof(*w));
	if (parse_bp_explained(bp, &w->type, &w->len))
		return -EINVAL;
	err = km_resolve_expr(expr, syms, &w->addr);
	if (err == -ENOENT) {
		explain_unknown(expr, syms);
		return err;
	}
	if (err) {
		bad_expr(expr);
		return err;
	}
	/* Execute breakpoints need no alignment; the kernel decides. */
	if (w->type != KM_BP_X && !km_watch_fits(w->addr, w->len)) {
		km_usage("address 0x%" PRIx64
			 " cannot start a watch of %u bytes: %s",
			 w->addr, w->len, KM_WATCH_FIT_RULE);
		return -EINVAL;
	}
	w->expr = strdup(expr);
	return w->expr ? 0 : -ENOMEM;
}

void km_watch_free(struct km_watch *w)
{
	free(w->expr);
	free(w->object);
	w->expr = NULL;
	w->object = NULL;
}
