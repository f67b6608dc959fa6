// SPDX-License-Identifier: GPL-2.0
/* Symbols of a vmlinux through libelf. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../bytes.h"
#include "elf_sym.h"
#include "ksyms.h"

bool km_elf_sym_kept(const GElf_Sym *sym, uint64_t value)
{
	int type = GELF_ST_TYPE(sym->st_info);

	return value && sym->st_shndx != SHN_UNDEF &&
	       (type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE);
}

int km_elf_sym_rank(const GElf_Sym *sym)
{
	static const int type_rank[] = {
		[STT_NOTYPE] = 1, [STT_OBJECT] = 0, [STT_FUNC] = 2
	};
	int bind = GELF_ST_BIND(sym->st_info);

	return 8 * type_rank[GELF_ST_TYPE(sym->st_info)] +
	       4 * (sym->st_size > 0) +
	       (bind == STB_GLOBAL ? 2 : bind == STB_WEAK);
}

/* Appends the symbols of one symbol table section; names go to strs. */
static int add_symtab(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh,
		      struct km_sym **syms, size_t *nr, size_t *cap)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, count;
	GElf_Sym sym;

	if (!data || !sh->sh_entsize)
		return -EINVAL;
	count = sh->sh_size / sh->sh_entsize;
	for (i = 0; i < count; i++) {
		const char *name;

		if (!gelf_getsym(data, i, &sym) ||
		    !km_elf_sym_kept(&sym, sym.st_value))
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (km_grow_array((void **)syms, cap, *nr + 1, sizeof(**syms)))
			return -ENOMEM;
		(*syms)[(*nr)++] = (struct km_sym){ sym.st_value, name, NULL,
						    km_elf_sym_rank(&sym) };
	}
	return 0;
}

/*
 * Names point into libelf's mapping, so they are copied into one text
 * block the table owns before the ELF handle is closed.
 */
static int own_names(struct km_symtab *t)
{
	size_t i, total = 0;
	char *p;

	for (i = 0; i < t->nr; i++)
		total += strlen(t->syms[i].name) + 1;
	t->text = malloc(total + 1);
	if (!t->text)
		return -ENOMEM;
	p = t->text;
	for (i = 0; i < t->nr; i++) {
		size_t n = strlen(t->syms[i].name) + 1;

		memcpy(p, t->syms[i].name, n);
		t->syms[i].name = p;
		p += n;
	}
	return 0;
}

int km_symtab_from_elf(struct km_symtab *t, const char *path)
{
	size_t nr = 0, cap = 1024;
	struct km_sym *syms;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int fd, err = -ENOEXEC;
	Elf *elf;

	memset(t, 0, sizeof(*t));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	syms = malloc(cap * sizeof(*syms));
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!syms || !elf || elf_kind(elf) != ELF_K_ELF)
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		err = add_symtab(elf, scn, &sh, &syms, &nr, &cap);
		if (err)
			goto out;
	}
	if (!nr) {
		err = -ENODATA;
		goto out;
	}
	t->syms = syms;
	t->nr = nr;
	err = own_names(t);
	if (!err)
		km_symtab_sort_ranked(t);
	syms = NULL;
out:
	if (err && t->syms)
		km_symtab_free(t);
	free(syms);
	elf_end(elf);
	close(fd);
	return err;
}
