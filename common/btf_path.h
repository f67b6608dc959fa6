/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C member paths over BTF: "&se.nr_migrations", "mm->task_size",
 * "comm[3]", "parent". Turns a path from an object of a known type
 * into byte offsets and the pointers to read on the way; reading them
 * is the caller's business (record/capture/objects.c does it with BPF). Only
 * types are looked at here, so this needs no kernel and unit tests
 * feed it BTF they build themselves.
 */
#ifndef KM_BTF_PATH_H
#define KM_BTF_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/btf.h>

#define KM_PATH_MAX_DEREFS 8
#define KM_PATH_TEXT_MAX 160
/* A type's own name, and "ROOT->path" */
#define KM_PATH_ROOT_MAX 64
#define KM_PATH_WHAT_MAX (KM_PATH_ROOT_MAX + 2 + KM_PATH_TEXT_MAX)
/* km_err() lines are cut at 1024 bytes; leave room for a prefix. */
#define KM_PATH_ERR_MAX 800

/* A pointer read on the way: the one at the current base + off. */
struct km_path_deref {
	uint64_t off;
	char what[KM_PATH_WHAT_MAX]; /* e.g. "task_struct->mm" */
};

struct km_member_path {
	bool addr_of; /* a leading '&': watch the field itself */
	int nr_derefs;
	struct km_path_deref derefs[KM_PATH_MAX_DEREFS];
	uint64_t off; /* from the last base to the watched bytes */
	uint32_t type_id; /* their type; 0 is void */
	uint32_t size; /* their size in bytes; 0 if unknown (void) */
	/* Bitfields: the bits within the storage unit at off; size is
	 * the unit's (the field's declared type). */
	uint32_t bit_off, bit_size;
	char field[KM_PATH_TEXT_MAX + 1]; /* "se.nr_migrations", "*parent" */
	char type_name[KM_PATH_TEXT_MAX]; /* "u64", "struct task_struct" */
	char err[KM_PATH_ERR_MAX]; /* why it failed, one line */
};

/*
 * Finds "struct NAME", "union NAME" or a bare NAME (a struct, a
 * union, or a typedef of one). Returns the type id, or -ENOENT with
 * the reason (and similar names) in err.
 */
int km_btf_find_type(const struct btf *btf, const char *spec, char *err,
		     size_t err_size);

/* The C name of type id: "struct mm_struct *", "char[16]". */
void km_btf_type_name(const struct btf *btf, uint32_t id, char *buf,
		      size_t size);

/*
 * Walks expr from an object of type root (a struct or union, maybe
 * behind typedefs and modifiers) and fills p. Returns 0, or with the
 * reason in p->err: -EINVAL for bad syntax or a step the type does not
 * allow, -ENOENT for an unknown member, -ERANGE for an index past the
 * end of an array, -E2BIG for too many pointers on the way.
 */
int km_member_path(const struct btf *btf, uint32_t root, const char *expr,
		   struct km_member_path *p);

#endif
