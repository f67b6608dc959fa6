/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel symbol table: loaded once from kallsyms text (the live
 * /proc/kallsyms, a file, or a trace's snapshot) or from a vmlinux
 * ELF symbol table, sorted by address, looked up by binary search.
 */
#ifndef KM_KSYMS_H
#define KM_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's KSYM_NAME_LEN (long Rust names), with its NUL. */
#define KM_SYM_NAME_MAX 512

struct km_sym {
	uint64_t addr;
	const char *name;
	const char *module; /* NULL for the kernel itself */
	int rank; /* ELF: which of several at an address is shown (elf_sym.h) */
};

struct km_symtab {
	struct km_sym *syms; /* sorted by address */
	size_t nr;
	char *text; /* owns the strings the entries point into */
};

/* Parses kallsyms text; the table keeps its own copy. */
int km_symtab_from_kallsyms(struct km_symtab *t, const char *text, size_t len);
/*
 * Only the symbols called names[0..nr_names): a few memmem() calls
 * instead of parsing 100,000 lines, for resolving EXPR before arming.
 */
int km_symtab_from_kallsyms_names(struct km_symtab *t, const char *text,
				  size_t len, const char *const *names,
				  int nr_names);
/*
 * The first line of kallsyms text for name: its address (0 where the
 * kernel hides addresses from this user) and its type letter ('T',
 * 'D', ...). Returns 0, or -ENOENT when name is not listed.
 */
int km_kallsyms_find(const char *text, size_t len, const char *name,
		     uint64_t *addr, char *type);
/*
 * Reads /proc/kallsyms on a thread of its own: the kernel takes tens
 * of milliseconds to print it, time better spent loading the BPF
 * program meanwhile. Whatever start returns (NULL too), join hands
 * over the text, reading it itself if no thread could.
 */
struct km_kallsyms_reader;
struct km_kallsyms_reader *km_kallsyms_reader_start(void);
int km_kallsyms_reader_join(struct km_kallsyms_reader *r, char **text,
			    size_t *len);
/* Function and object symbols of an ELF file, with its link addresses. */
int km_symtab_from_elf(struct km_symtab *t, const char *path);
void km_symtab_free(struct km_symtab *t);
/*
 * Orders entries by address (then rank, then name), as lookups need.
 * Kallsyms text comes nearly sorted: entries already in address order
 * keep their order among equal addresses.
 */
void km_symtab_sort(struct km_symtab *t);
/* The same for a table whose order says nothing (ELF): all of it. */
void km_symtab_sort_ranked(struct km_symtab *t);

/*
 * Moves a vmlinux's link-time addresses to where the running kernel
 * (described by the kallsyms table) really is, by the offset between
 * the two _text symbols: the KASLR slide. Returns it, or -ENOENT
 * when either table lacks _text.
 */
int km_symtab_rebase(struct km_symtab *elf, const struct km_symtab *running,
		     int64_t *slide);

/* The symbol at or below addr, or NULL below the first one. */
const struct km_sym *km_symtab_lookup(const struct km_symtab *t, uint64_t addr);
/* The first symbol called name, or NULL. */
const struct km_sym *km_symtab_find(const struct km_symtab *t,
				    const char *name);
/*
 * Fills out[] with up to max names close to name (edit distance, or
 * containing it), best first, and returns how many.
 */
int km_symtab_near(const struct km_symtab *t, const char *name,
		   const char **out, int max);
/*
 * The Levenshtein distance of a and b, or cap once it reaches cap (and
 * for names of 64 bytes or more): for "did you mean" messages.
 */
int km_edit_distance(const char *a, const char *b, int cap);

/* Whether kallsyms text lists no data symbols (no CONFIG_KALLSYMS_ALL). */
bool km_kallsyms_lacks_data(const char *text, size_t len);

#endif
