// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../common/bytes.h"
#include "../common/escape.h"
#include "../common/error.h"
#include "../common/symbolize/dwarf.h"
#include "../common/symbolize/modules.h"
#include "symbols.h"
#include "../common/symbolize/vmlinux.h"
#include "../common/trace/machine.h"

/* Takes the table's contents into a symbolizer. */
static int wrap(struct km_symbolizer **out, struct km_symtab *tab)
{
	*out = km_symbolizer_from_symtab(tab);
	km_symtab_free(tab);
	if (*out)
		return 0;
	km_err("out of memory");
	return -ENOMEM;
}

/* A vmlinux for another kernel gives wrong names with no sign of it. */
static int check_build_id(const struct km_trace_data *t, const char *path,
			  bool force)
{
	char want[2 * KM_BUILD_ID_MAX + 1], got[2 * KM_BUILD_ID_MAX + 1];
	uint8_t id[KM_BUILD_ID_MAX];
	int len;

	if (!t->build_id_len) {
		km_warn("%s records no kernel build-id: cannot check that %s is the kernel it ran",
			t->path, path);
		return 0;
	}
	len = km_elf_build_id(path, id, sizeof(id));
	if (len < 0) {
		km_err("cannot read %s: %s", path,
		       len == -ENOEXEC ? "not an ELF file" : strerror(-len));
		return len;
	}
	if ((size_t)len == t->build_id_len && !memcmp(id, t->build_id, len))
		return 0;
	km_build_id_hex(want, t->build_id, t->build_id_len);
	if (len)
		km_build_id_hex(got, id, len);
	else
		strcpy(got, "none");
	if (force) {
		km_warn("%s has build-id %s, not the trace's %s: using it anyway (--force), so names and lines may be wrong",
			path, got, want);
		return 0;
	}
	km_err("%s has build-id %s, but the trace was recorded on a kernel with build-id %s: give the matching vmlinux, or --force to use this one anyway",
	       path, got, want);
	return -EINVAL;
}

/*
 * The vmlinux's ELF symbols, moved by the KASLR slide: the runtime
 * _text in the trace's kallsyms snapshot minus the file's.
 */
static int elf_symbols(struct km_symtab *out, const struct km_symtab *snap,
		       const char *path, int64_t *slide)
{
	int err;

	*slide = 0;
	err = km_symtab_from_elf(out, path);
	if (err) {
		km_err("cannot read symbols from %s: %s", path,
		       err == -ENOEXEC ? "not an ELF file" : strerror(-err));
		return err;
	}
	if (km_symtab_rebase(out, snap, slide))
		km_warn("the trace has no _text to place %s by: assuming no KASLR slide",
			path);
	return 0;
}

/*
 * The vmlinux's DWARF knows the kernel itself; what lies outside it
 * (modules, BPF programs) still has a name in the kallsyms snapshot.
 */
struct either_symbolizer {
	struct km_symbolizer base;
	struct km_symbolizer *first, *second;
};

/*
 * Where several names share an address (memcpy and __pi_memcpy), call
 * the function what the snapshot calls it, as perf does: the same
 * stack then reads the same with or without the vmlinux.
 */
static void snapshot_alias(struct either_symbolizer *e, uint64_t addr,
			   struct km_frame *fn)
{
	struct km_frame k;

	if (fn->name && !fn->inlined &&
	    km_resolve(e->second, addr, &k, 1) == 1 && k.name &&
	    k.start == fn->start)
		fn->name = k.name;
}

static int either_resolve(struct km_symbolizer *s, uint64_t addr,
			  struct km_frame *out, int max)
{
	struct either_symbolizer *e = (struct either_symbolizer *)s;
	int n = km_resolve(e->first, addr, out, max);

	if (n != 1 || out[0].name) {
		snapshot_alias(e, addr, &out[n - 1]);
		return n;
	}
	return km_resolve(e->second, addr, out, max);
}

static void either_destroy(struct km_symbolizer *s)
{
	struct either_symbolizer *e = (struct either_symbolizer *)s;

	km_symbolizer_destroy(e->first);
	km_symbolizer_destroy(e->second);
	free(e);
}

static const struct km_symbolizer_ops either_ops = {
	.resolve = either_resolve,
	.destroy = either_destroy,
};

/* Takes first, and the snapshot's contents. */
static int either(struct km_symbolizer **out, struct km_symbolizer *first,
		  struct km_symtab *snap)
{
	struct either_symbolizer *e = calloc(1, sizeof(*e));

	if (e)
		e->second = km_symbolizer_from_symtab(snap);
	km_symtab_free(snap);
	if (!e || !e->second) {
		free(e);
		km_symbolizer_destroy(first);
		km_err("out of memory");
		return -ENOMEM;
	}
	e->base.ops = &either_ops;
	e->first = first;
	*out = &e->base;
	return 0;
}

static int from_vmlinux(struct km_symbolizer **out,
			const struct km_trace_data *t, const char *path,
			bool force)
{
	struct km_symtab tab, snap;
	struct km_symbolizer *dwarf;
	int64_t slide;
	int err;

	/* Another machine's kernel is never right, even with --force. */
	err = km_machine_check_elf(t->machine, t->path, path);
	err = err ?: check_build_id(t, path, force);
	if (err)
		return err;
	if (km_symtab_from_kallsyms(&snap, t->kallsyms ? t->kallsyms : "",
				    t->kallsyms_len)) {
		km_err("out of memory");
		return -ENOMEM;
	}
	err = elf_symbols(&tab, &snap, path, &slide);
	if (err)
		goto out;
	err = km_dwarf_symbolizer(&dwarf, path, slide);
	if (err == -ENODATA) {
		km_warn("%s has no DWARF debug info: names from its symbol table, without file:line",
			path);
		err = wrap(out, &tab);
		goto out;
	}
	km_symtab_free(&tab);
	if (!err)
		return either(out, dwarf, &snap);
	km_err("cannot read the DWARF of %s: %s", path,
	       err == -ENOEXEC ? "not an ELF file" : strerror(-err));
out:
	km_symtab_free(&snap);
	return err;
}

static int from_kallsyms_file(struct km_symbolizer **out, const char *path)
{
	struct km_symtab tab;
	size_t len;
	char *text;
	int err;

	err = km_read_file(path, &text, &len);
	if (err) {
		km_err("cannot read %s: %s", path, strerror(-err));
		return err;
	}
	err = km_symtab_from_kallsyms(&tab, text, len);
	free(text);
	if (err) {
		km_err("out of memory");
		return err;
	}
	if (!tab.nr)
		km_warn("%s holds no symbols with addresses", path);
	return wrap(out, &tab);
}

static int from_snapshot(struct km_symbolizer **out,
			 const struct km_trace_data *t)
{
	struct km_symtab tab;

	if (km_symtab_from_kallsyms(&tab, t->kallsyms ? t->kallsyms : "",
				    t->kallsyms_len)) {
		km_err("out of memory");
		return -ENOMEM;
	}
	return wrap(out, &tab);
}

/* The vmlinux of the trace's kernel on this machine, or from debuginfod. */
static char *find_vmlinux(const struct km_trace_data *t, const char *release)
{
	char *path;

	path = km_find_vmlinux_local(t->build_id, t->build_id_len, release);
	if (!path)
		km_debuginfod_find(&path, t->build_id, t->build_id_len,
				   "vmlinux");
	return path;
}

/* No vmlinux given: the one found by build-id, else the snapshot. */
static int from_found(struct km_symbolizer **out, const struct km_trace_data *t,
		      const char *release)
{
	char hex[2 * KM_BUILD_ID_MAX + 1];
	char *path = NULL;
	int err;

	/* Without a build-id, any file at the usual paths would pass. */
	if (t->build_id_len)
		path = find_vmlinux(t, release);
	if (path) {
		km_note("symbols from %s", path);
		err = from_vmlinux(out, t, path, false);
		free(path);
		return err;
	}
	if (!t->kallsyms_len)
		km_warn("%s holds no kallsyms snapshot: addresses stay unnamed (give --kallsyms or --vmlinux)",
			t->path);
	else if (t->build_id_len)
		km_note("no vmlinux with build-id %s found: symbols from the trace's kallsyms snapshot, without file:line",
			km_build_id_hex(hex, t->build_id, t->build_id_len));
	else
		km_note("the trace records no kernel build-id, so no vmlinux is looked for (one found by path could be any kernel's): symbols from its kallsyms snapshot, without file:line; give --vmlinux to use one");
	return from_snapshot(out, t);
}

static int kernel_symbols(struct km_symbolizer **out,
			  const struct km_trace_data *t,
			  const struct km_symbol_opts *o, const char *release)
{
	if (o->vmlinux)
		return from_vmlinux(out, t, o->vmlinux, o->force);
	if (o->kallsyms)
		return from_kallsyms_file(out, o->kallsyms);
	return from_found(out, t, release);
}

/* Frames in the modules the trace places, from their debug files. */
static int module_symbols(struct km_symbolizer **out,
			  const struct km_trace_data *t, const char *dir,
			  const char *release, bool debuginfod)
{
	if (!t->nr_mods) {
		if (dir)
			km_warn("%s records no modules' load addresses (an older kmemsnoop, or a kernel without modules): --modules %s is not used",
				t->path, dir);
		return 0;
	}
	return km_modules_symbolizer(out, t->mods, t->nr_mods, release, dir,
				     debuginfod);
}

/*
 * The trace's release, if it may name directories; else NULL, said in
 * one line for the kernel and the modules both.
 */
static const char *path_release(const struct km_trace_data *t)
{
	char shown[4 * KM_PATH_NAME_MAX + 8];

	if (!t->release || !*t->release || km_path_name_ok(t->release))
		return t->release;
	km_escape_text(shown, sizeof(shown), t->release,
		       strnlen(t->release, KM_PATH_NAME_MAX + 1));
	km_warn("%s records kernel release '%s%s', which is no plain directory name: not used to look for debug files",
		t->path, shown,
		strlen(t->release) > KM_PATH_NAME_MAX ? "..." : "");
	return NULL;
}

/*
 * The symbolizer report uses, and the run's debuginfod line when it is
 * done with it: modules are looked for as frames reach them, so only
 * then is the count known.
 */
struct run_symbolizer {
	struct km_symbolizer base;
	struct km_symbolizer *inner;
};

static int run_resolve(struct km_symbolizer *s, uint64_t addr,
		       struct km_frame *out, int max)
{
	return km_resolve(((struct run_symbolizer *)s)->inner, addr, out, max);
}

static void run_destroy(struct km_symbolizer *s)
{
	km_symbolizer_destroy(((struct run_symbolizer *)s)->inner);
	free(s);
	km_debuginfod_summary(stderr);
}

static const struct km_symbolizer_ops run_ops = {
	.resolve = run_resolve,
	.destroy = run_destroy,
};

static int run_symbolizer(struct km_symbolizer **out)
{
	struct run_symbolizer *r = calloc(1, sizeof(*r));

	if (!r) {
		km_err("out of memory");
		return -ENOMEM;
	}
	r->base.ops = &run_ops;
	r->inner = *out;
	*out = &r->base;
	return 0;
}

int km_report_symbols(struct km_symbolizer **out, const struct km_trace_data *t,
		      const struct km_symbol_opts *o)
{
	const char *release = path_release(t);
	int err;

	*out = NULL;
	km_debuginfod_begin(!o->no_debuginfod);
	err = kernel_symbols(out, t, o, release);
	if (!err)
		err = module_symbols(out, t, o->modules, release,
				     !o->no_debuginfod);
	if (!err)
		err = run_symbolizer(out);
	if (err) {
		km_symbolizer_destroy(*out);
		*out = NULL;
	}
	return err;
}

int km_report_symbolizer(struct km_symbolizer **out,
			 const struct km_trace_data *t,
			 const char *kallsyms_path, const char *vmlinux)
{
	struct km_symbol_opts o = { .vmlinux = vmlinux,
				    .kallsyms = kallsyms_path };

	return km_report_symbols(out, t, &o);
}
