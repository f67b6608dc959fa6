// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "objects.h"
#include "targets.h"

void km_targets_start(struct km_targets *t)
{
	t->reader = km_kallsyms_reader_start();
}

static int load_vmlinux(struct km_targets *t, const char *vmlinux)
{
	struct km_symtab running;
	int err;

	err = km_symtab_from_elf(&t->syms, vmlinux);
	if (err) {
		km_err("cannot read symbols from %s: %s", vmlinux,
		       err == -ENOEXEC ? "not an ELF file" : strerror(-err));
		return err;
	}
	err = km_symtab_from_kallsyms(&running, t->kallsyms, t->kallsyms_len);
	if (!err)
		err = km_symtab_rebase(&t->syms, &running, &t->slide);
	km_symtab_free(&running);
	if (err)
		km_err("cannot place %s in the running kernel: no _text symbol to compare",
		       vmlinux);
	return err;
}

/*
 * Before arming, only the symbols the watches name: finding a few
 * lines is much quicker than parsing all of /proc/kallsyms. Anything
 * unusual (objects, a name not found, a bare hex address) falls back
 * to the whole table, which also gives near matches for typos.
 */
static int load_named(struct km_targets *t, const struct km_target_request *rq)
{
	char names[KM_MAX_WATCHES][KM_SYM_NAME_MAX];
	const char *want[KM_MAX_WATCHES] = { 0 };
	int i, n = 0, err;

	if (rq->objects || rq->all_names)
		return 1;
	for (i = 0; i < rq->nr_watches; i++) {
		const char *expr = rq->words[2 * i + 1];

		if (!strncmp(expr, "0x", 2) || !strncmp(expr, "0X", 2))
			continue;
		snprintf(names[n], sizeof(names[n]), "%.*s",
			 (int)strcspn(expr, "+"), expr);
		want[n] = names[n];
		n++;
	}
	err = km_symtab_from_kallsyms_names(&t->syms, t->kallsyms,
					    t->kallsyms_len, want, n);
	if (err)
		return err;
	t->syms_partial = true;
	for (i = 0; i < n; i++)
		if (!km_symtab_find(&t->syms, want[i]))
			return 1;
	return 0;
}

int km_targets_all_symbols(struct km_targets *t, const char *vmlinux)
{
	if (vmlinux || (t->syms.nr && !t->syms_partial))
		return 0; /* already whole */
	km_symtab_free(&t->syms);
	t->syms_partial = false;
	return km_symtab_from_kallsyms(&t->syms, t->kallsyms, t->kallsyms_len);
}

/*
 * Without CAP_SYSLOG the kernel prints every address as zeros. Per-CPU
 * symbols are at 0 anyway, and come first on many kernels (Debian's
 * 6.1), so _text's line decides.
 */
static bool addresses_hidden(const char *text, size_t len)
{
	const char *p = memmem(text, len, " T _text\n", 9);

	if (!p || p - text < 16)
		return !len || !strncmp(text, "0000000000000000 ", 17);
	return !strncmp(p - 16, "0000000000000000", 16);
}

/* Symbols for EXPR and stacks; the kallsyms text is kept for record. */
int km_targets_load_names(struct km_targets *t,
			  const struct km_target_request *rq)
{
	int err;

	err = km_kallsyms_reader_join(t->reader, &t->kallsyms,
				      &t->kallsyms_len);
	t->reader = NULL;
	if (err) {
		km_err("cannot read /proc/kallsyms: %s", strerror(-err));
		return err;
	}
	if (rq->vmlinux)
		return load_vmlinux(t, rq->vmlinux);
	if (addresses_hidden(t->kallsyms, t->kallsyms_len)) {
		km_err("/proc/kallsyms shows no addresses: run as root (or with CAP_SYSLOG)");
		return -EPERM;
	}
	err = load_named(t, rq);
	if (err > 0)
		err = km_targets_all_symbols(t, rq->vmlinux);
	if (!err && !t->syms.nr && !t->syms_partial) {
		km_err("/proc/kallsyms shows no addresses: run as root (or with CAP_SYSLOG)");
		err = -EPERM;
	}
	return err;
}

/* A symbol or address, or a member path of the object option before it. */
static int parse_watch(struct km_targets *t, const struct km_target_request *rq,
		       int i)
{
	struct km_object *obj = km_objects_for(rq->objects, i);
	const char *bp = rq->words[2 * i], *expr = rq->words[2 * i + 1];
	uint64_t addr;

	if (obj)
		return km_object_watch(rq->objects, obj, &t->watches[i], bp,
				       expr, &t->syms);
	if (!rq->vmlinux && km_resolve_expr(expr, &t->syms, &addr) == -ENOENT &&
	    km_kallsyms_lacks_data(t->kallsyms, t->kallsyms_len)) {
		km_usage(
			"unknown symbol '%.*s': this kernel's /proc/kallsyms lists no data symbols (built without CONFIG_KALLSYMS_ALL); give -k VMLINUX (its vmlinux with symbols, e.g. from the -dbg package), an object option such as --pid-task, or a hex address",
			(int)strcspn(expr, "+"), expr);
		return -ENOENT;
	}
	return km_watch_parse(&t->watches[i], bp, expr, &t->syms);
}

int km_targets_resolve(struct km_targets *t, const struct km_target_request *rq)
{
	int err, i;

	err = km_targets_load_names(t, rq);
	for (i = 0; !err && i < rq->nr_watches; i++) {
		err = parse_watch(t, rq, i);
		if (!err)
			t->nr_watches = i + 1;
	}
	return km_objects_finish(rq->objects, err);
}

void km_targets_free(struct km_targets *t)
{
	int i;

	/* A watch that failed half-way may hold something too. */
	for (i = 0; i < KM_MAX_WATCHES; i++)
		km_watch_free(&t->watches[i]);
	if (t->reader)
		km_kallsyms_reader_join(t->reader, &t->kallsyms,
					&t->kallsyms_len);
	km_symtab_free(&t->syms);
	free(t->kallsyms);
	memset(t, 0, sizeof(*t));
}
