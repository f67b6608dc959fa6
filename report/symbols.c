// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../common/error.h"
#include "symbols.h"

static int from_vmlinux(struct km_symtab *out, const struct km_trace *t,
			const char *path)
{
	struct km_symtab snap;
	int64_t slide;
	int err;

	err = km_symtab_from_elf(out, path);
	if (err) {
		km_err("cannot read symbols from %s: %s", path,
		       err == -ENOEXEC ? "not an ELF file" : strerror(-err));
		return err;
	}
	err = km_symtab_from_kallsyms(&snap, t->kallsyms ? t->kallsyms : "",
				      t->kallsyms_len);
	if (!err && km_symtab_rebase(out, &snap, &slide))
		km_warn("the trace has no _text to place %s by: assuming no KASLR slide",
			path);
	km_symtab_free(&snap);
	return err;
}

static int from_kallsyms_file(struct km_symtab *out, const char *path)
{
	size_t len;
	char *text;
	int err;

	err = km_read_file(path, &text, &len);
	if (err) {
		km_err("cannot read %s: %s", path, strerror(-err));
		return err;
	}
	err = km_symtab_from_kallsyms(out, text, len);
	free(text);
	if (!err && !out->nr)
		km_warn("%s holds no symbols with addresses", path);
	return err;
}

static int load_symtab(struct km_symtab *out, const struct km_trace *t,
		       const char *kallsyms_path, const char *vmlinux)
{
	memset(out, 0, sizeof(*out));
	if (vmlinux)
		return from_vmlinux(out, t, vmlinux);
	if (kallsyms_path)
		return from_kallsyms_file(out, kallsyms_path);
	if (!t->kallsyms_len)
		km_warn("%s holds no kallsyms snapshot: addresses stay unnamed (give --kallsyms or --vmlinux)",
			t->path);
	return km_symtab_from_kallsyms(out, t->kallsyms ? t->kallsyms : "",
				       t->kallsyms_len);
}

int km_report_symbolizer(struct km_symbolizer **out, const struct km_trace *t,
			 const char *kallsyms_path, const char *vmlinux)
{
	struct km_symtab tab;
	int err;

	err = load_symtab(&tab, t, kallsyms_path, vmlinux);
	if (err)
		return err;
	*out = km_symbolizer_from_symtab(&tab);
	km_symtab_free(&tab);
	if (*out)
		return 0;
	km_err("out of memory");
	return -ENOMEM;
}
