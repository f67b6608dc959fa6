// SPDX-License-Identifier: GPL-2.0
/*
 * MODULE_INFO chunks: written from a module list, read from an
 * untrusted file. A module's name is
 * looked for in directories and shown on the terminal, and section
 * names are matched against an ELF file's, so both are held to what
 * the kernel makes them: printable, no spaces, no '/'.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "../bytes.h"
#include "../error.h"
#include "tlv.h"
#include "trace_format.h"
#include "trace_decode.h"
#include "trace_writer.h"

static int put_section(struct km_buf *b, const struct km_module_section *s)
{
	size_t len = strlen(s->name);
	uint8_t *val = malloc(8 + len);
	int err;

	if (!val)
		return -ENOMEM;
	km_put64(val, s->addr);
	memcpy(val + 8, s->name, len);
	err = km_tlv_put(b, KM_MODULE_SECTION, val, 8 + len);
	free(val);
	return err;
}

/* m's payload: name, core, build-id if known, sections in m's order. */
static int encode(struct km_buf *b, const struct km_module_info *m)
{
	size_t i;
	int err;

	err = km_tlv_put_str(b, KM_MODULE_NAME, m->name);
	err = err ?: km_tlv_put_u64(b, KM_MODULE_ADDR, m->addr);
	err = err ?: km_tlv_put_u64(b, KM_MODULE_SIZE, m->size);
	if (!err && m->build_id_len)
		err = km_tlv_put(b, KM_MODULE_BUILD_ID, m->build_id,
				 m->build_id_len);
	for (i = 0; !err && i < m->nr_sections; i++)
		err = put_section(b, &m->sections[i]);
	return err;
}

int km_tw_module_info(struct km_trace_writer *w, const struct km_module_info *m)
{
	struct km_buf b = { 0 };
	int err;

	err = encode(&b, m);
	if (err)
		km_err("out of memory"); /* the only way encoding fails */
	else
		err = km_tw_chunk(w, KM_CHUNK_MODULE_INFO, b.data, b.len);
	km_buf_free(&b);
	return err;
}

static bool name_ok(const uint8_t *s, size_t len)
{
	size_t i;

	if (!len || len > KM_MODULE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '/')
			return false;
	return true;
}

/* A NUL-terminated copy of len bytes at s, or NULL. */
static char *copy_name(const uint8_t *s, size_t len)
{
	struct km_tlv v = { .len = len, .val = s };

	return km_tlv_strdup(&v);
}

/* SECTION: addr:u64, then the section's name. */
static int add_section(struct km_module_info *m, size_t *cap,
		       const struct km_tlv *v)
{
	struct km_module_section *s;

	if (v->len <= 8 || !name_ok(v->val + 8, v->len - 8) ||
	    m->nr_sections == KM_MAX_MODULE_SECTIONS)
		return -EBADMSG;
	if (km_grow_array((void **)&m->sections, cap, m->nr_sections + 1,
			  sizeof(*m->sections)))
		return -ENOMEM;
	s = &m->sections[m->nr_sections];
	s->addr = km_get64(v->val);
	s->name = copy_name(v->val + 8, v->len - 8);
	if (!s->name)
		return -ENOMEM;
	m->nr_sections++;
	return 0;
}

static int module_entry(struct km_module_info *m, size_t *cap,
			const struct km_tlv *v)
{
	switch (v->tag) {
	case KM_MODULE_NAME:
		if (!name_ok(v->val, v->len))
			return -EBADMSG;
		free(m->name);
		m->name = copy_name(v->val, v->len);
		return m->name ? 0 : -ENOMEM;
	case KM_MODULE_ADDR:
		return km_tlv_u64(v, &m->addr);
	case KM_MODULE_SIZE:
		return km_tlv_u64(v, &m->size);
	case KM_MODULE_BUILD_ID:
		if (v->len > sizeof(m->build_id))
			return -EBADMSG;
		memcpy(m->build_id, v->val, v->len);
		m->build_id_len = v->len;
		return 0;
	case KM_MODULE_SECTION:
		return add_section(m, cap, v);
	}
	return 0; /* a newer writer's tag: skip it */
}

static int decode(struct km_module_info *m, const uint8_t *p, size_t len)
{
	size_t off = 0, cap = 0;
	struct km_tlv v;
	int r;

	while ((r = km_tlv_next(p, len, &off, &v)) > 0)
		if ((r = module_entry(m, &cap, &v)))
			return r;
	if (r)
		return r;
	/* Without a name there is nothing to look for; the range must fit. */
	if (!m->name || m->size > UINT64_MAX - m->addr)
		return -EBADMSG;
	return 0;
}

/* A second chunk for a module: a real writer sends one per module. */
static bool seen_before(const struct km_trace_data *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nr_mods; i++)
		if (!strcmp(d->mods[i].name, name))
			return true;
	return false;
}

/* Sections in every module so far, against KM_MAX_SECTIONS_TOTAL. */
static size_t sections_held(const struct km_trace_data *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nr_mods; i++)
		n += d->mods[i].nr_sections;
	return n;
}

static int add_module(struct km_trace *t, uint64_t at, struct km_module_info *m)
{
	if (seen_before(&t->d, m->name))
		return km_corrupt(t, at, "module %s is described twice",
				  m->name);
	if (m->nr_sections > KM_MAX_SECTIONS_TOTAL - sections_held(&t->d))
		return km_corrupt(t, at,
				  "modules with more than %d sections in all",
				  KM_MAX_SECTIONS_TOTAL);
	if (km_grow_array((void **)&t->d.mods, &t->d.mods_cap, t->d.nr_mods + 1,
			  sizeof(*t->d.mods))) {
		km_err("out of memory");
		return -ENOMEM;
	}
	t->d.mods[t->d.nr_mods++] = *m;
	return 0;
}

int km_decode_module_info(struct km_trace *t, uint64_t at, const uint8_t *p,
			  size_t len)
{
	struct km_module_info m = { 0 };
	int r;

	if (t->d.nr_mods == KM_MAX_MODULES)
		return km_corrupt(t, at, "more than %d modules",
				  KM_MAX_MODULES);
	r = decode(&m, p, len);
	if (r == -ENOMEM)
		km_err("out of memory");
	else if (r)
		r = km_corrupt(t, at, "module %zu is malformed", t->d.nr_mods);
	else
		r = add_module(t, at, &m);
	if (r)
		km_module_info_free(&m);
	return r;
}
