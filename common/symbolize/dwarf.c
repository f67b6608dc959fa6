// SPDX-License-Identifier: GPL-2.0
/*
 * The DWARF symbolizer. An address is looked up the way elfutils'
 * eu-addr2line -i does it: the ELF symbol gives the function and the
 * offset, the line table gives file:line, and the DIEs whose ranges
 * hold the address give the inlined calls, each with its call site.
 *
 * A trace repeats the same few hundred addresses millions of times, so
 * each distinct address is looked up once and kept in a hash table.
 */
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../addr_search.h"
#include "../bytes.h"
#include "../htab.h"
#include "dwarf.h"
#include "dwarf_scopes.h"
#include "elf_sym.h"

/* An ELF symbol, for the function name and start. */
struct fsym {
	uint64_t addr; /* link address */
	const char *name; /* in libdwfl's copy of the string table */
	int rank; /* among symbols at one address, the highest is shown */
};

struct dwarf_symbolizer {
	struct km_symbolizer base;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	char *module; /* the name frames carry, NULL for the kernel */
	int64_t slide;
	Dwarf_Addr low, high; /* the file's link addresses */
	struct km_scope_index scopes;
	struct fsym *syms; /* sorted by address, then rank */
	size_t nr_syms;
	/* Answers given: address to CACHED(first entry in frames, count). */
	struct km_htab cache;
	struct km_frame *frames;
	size_t nr_frames, frames_cap;
};

/* The file to symbolize is given: no separate debug file is looked for. */
int km_dwfl_no_debuginfo(Dwfl_Module *mod, void **user, const char *modname,
			 Dwarf_Addr base, const char *file,
			 const char *debuglink, GElf_Word crc,
			 char **debuginfo_file)
{
	(void)mod, (void)user, (void)modname, (void)base, (void)file;
	(void)debuglink, (void)crc, (void)debuginfo_file;
	return -1;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = km_dwfl_no_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/*
 * Kernel builds record paths under the build machine's directories
 * (Debian's: /build/reproducible-path/linux-6.1.176/...), which say
 * nothing to the reader; paths in the tree do.
 */
const char *km_tree_path(const char *file, const char *comp_dir)
{
	size_t len = comp_dir ? strlen(comp_dir) : 0;
	size_t i, parts;

	while (len) {
		for (i = 0, parts = 0; i < len; i++)
			parts += comp_dir[i] == '/' && i + 1 < len &&
				 comp_dir[i + 1] != '/';
		if (comp_dir[0] == '/' && parts < 2)
			break;
		if (!strncmp(file, comp_dir, len) && file[len] == '/') {
			file += len + 1;
			break;
		}
		while (len && comp_dir[len - 1] != '/')
			len--;
		while (len && comp_dir[len - 1] == '/')
			len--;
	}
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	return file;
}

static const char *comp_dir(Dwarf_Die *cu)
{
	Dwarf_Attribute attr;

	return cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr)) :
		    NULL;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	/* An inline's name is on its abstract origin. */
	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
}

/* Where the inlined call at die was made: file and line. */
static void call_site(Dwarf_Die *die, Dwarf_Files *files, const char *dir,
		      struct km_frame *e)
{
	Dwarf_Attribute attr;
	Dwarf_Word file, line;
	const char *src;

	e->file = NULL;
	e->line = 0;
	if (!files ||
	    dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &file) ||
	    dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &line))
		return;
	src = dwarf_filesrc(files, file, NULL, NULL);
	if (!src)
		return;
	e->file = km_tree_path(src, dir);
	e->line = line;
}

/*
 * Where the piece of an inlined call that holds pc begins. An inlined
 * entry has no symbol to give an offset from; its own code is the next
 * best thing (JSON shows offsets).
 */
static Dwarf_Addr piece_start(Dwarf_Die *die, Dwarf_Addr pc)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;

	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0)
		if (lo <= pc && pc < hi)
			return lo;
	return pc;
}

/*
 * One entry per inlined call around pc, innermost first, then the
 * containing function in out[n - 1], whose name and start come from
 * the symbol table. The line table's file:line belongs to the innermost
 * entry; each outer one gets the call site of the inline inside it.
 */
static int inlines(struct dwarf_symbolizer *s, Dwarf_Addr addr,
		   struct km_frame *out)
{
	Dwarf_Die chain[KM_MAX_SCOPES], *cu;
	struct km_frame here = { 0 };
	Dwarf_Files *files = NULL;
	Dwarf_Addr bias;
	const char *dir;
	Dwfl_Line *line;
	int i, n = 0, depth, l;

	line = dwfl_module_getsrc(s->mod, addr);
	cu = dwfl_module_addrdie(s->mod, addr, &bias);
	dir = comp_dir(cu);
	if (line &&
	    (here.file = dwfl_lineinfo(line, NULL, &l, NULL, NULL, NULL))) {
		here.file = km_tree_path(here.file, dir);
		here.line = l;
	}
	if (!cu) {
		out[0] = here;
		return 1;
	}
	depth = km_scope_chain(&s->scopes, cu, addr - bias, chain);
	dwarf_getsrcfiles(cu, &files, NULL);
	for (i = depth - 1; i > 0; i--) {
		int tag = dwarf_tag(&chain[i]);

		if (tag == DW_TAG_subprogram)
			break;
		if (tag != DW_TAG_inlined_subroutine)
			continue;
		/* Past the limit, the outer inlines drop out of the middle. */
		if (n < KM_MAX_INLINE - 1) {
			out[n] = here;
			out[n].name = die_name(&chain[i]);
			out[n].inlined = true;
			out[n].start =
				piece_start(&chain[i], addr - bias) + bias;
			n++;
		}
		call_site(&chain[i], files, dir, &here);
	}
	out[n] = here;
	/* Kept in case the ELF symbol table does not know the function. */
	if (i > 0 && dwarf_entrypc(&chain[i], &out[n].start) == 0) {
		out[n].name = die_name(&chain[i]);
		out[n].start += bias;
	}
	return n + 1;
}

/* By address, then rank (elf_sym.h); lookups take the last of equals. */
static int cmp_fsym(const void *a, const void *b)
{
	const struct fsym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->name, y->name);
}

/*
 * dwfl_module_addrinfo scans the whole symbol table on every call, a
 * millisecond in a vmlinux; one sorted copy makes it a binary search.
 */
static int index_symbols(struct dwarf_symbolizer *s)
{
	int i, n = dwfl_module_getsymtab(s->mod);
	const char *name;
	GElf_Addr value;
	GElf_Sym sym;

	if (n <= 0)
		return 0;
	s->syms = malloc(n * sizeof(*s->syms));
	if (!s->syms)
		return -ENOMEM;
	for (i = 1; i < n; i++) {
		name = dwfl_module_getsym_info(s->mod, i, &sym, &value, NULL,
					       NULL, NULL);
		if (!name || !*name || !km_elf_sym_kept(&sym, value))
			continue;
		/*
		 * Outside the file's code and data (per-CPU offsets; a
		 * module's sections the kernel did not keep) a symbol
		 * would only misname what lies after it.
		 */
		if (value < s->low || value >= s->high)
			continue;
		s->syms[s->nr_syms++] =
			(struct fsym){ value, name, km_elf_sym_rank(&sym) };
	}
	qsort(s->syms, s->nr_syms, sizeof(*s->syms), cmp_fsym);
	return 0;
}

/* The symbol at or below addr, or NULL below the first one. */
static const struct fsym *find_sym(const struct dwarf_symbolizer *s,
				   uint64_t addr)
{
	size_t n = km_count_at_or_below(s->syms, s->nr_syms, sizeof(*s->syms),
					offsetof(struct fsym, addr), addr);

	return n ? &s->syms[n - 1] : NULL;
}

/* Looks addr (a runtime address) up from scratch into out[]. */
static int lookup(struct dwarf_symbolizer *s, uint64_t addr,
		  struct km_frame *out)
{
	Dwarf_Addr at = addr - s->slide;
	const struct fsym *sym;
	struct km_frame *fn;
	int n, i;

	/* Not the kernel's (a module, say): the symbol below says nothing. */
	if (at < s->low || at >= s->high) {
		memset(out, 0, sizeof(*out));
		out->addr = addr;
		return 1;
	}
	sym = find_sym(s, at);
	n = inlines(s, at, out);
	fn = &out[n - 1];
	if (sym) {
		fn->name = sym->name;
		fn->start = sym->addr + s->slide;
	} else if (fn->name) {
		fn->start += s->slide;
	}
	for (i = 0; i < n; i++) {
		out[i].addr = addr;
		out[i].module = s->module;
	}
	for (i = 0; i < n - 1; i++)
		out[i].start += s->slide;
	return n;
}

/* A cached answer: n (at most KM_MAX_INLINE) entries from frames[first]. */
#define CACHED(first, n) ((uint64_t)(first) << 8 | (n))
#define CACHED_FIRST(v) ((v) >> 8)
#define CACHED_NR(v) ((int)((v)&0xff))

static int remember(struct dwarf_symbolizer *s, uint64_t addr,
		    const struct km_frame *e, int n)
{
	uint64_t *v;

	if (km_grow_array((void **)&s->frames, &s->frames_cap, s->nr_frames + n,
			  sizeof(*s->frames)))
		return -ENOMEM;
	v = km_htab_get(&s->cache, &addr, sizeof(addr), NULL);
	if (!v)
		return -ENOMEM;
	memcpy(s->frames + s->nr_frames, e, n * sizeof(*e));
	*v = CACHED(s->nr_frames, n);
	s->nr_frames += n;
	return 0;
}

/*
 * Copies the n entries of an address into out[max]: with too little
 * room, the innermost inlines and the containing function.
 */
static int copy_out(struct km_frame *out, int max, const struct km_frame *e,
		    int n)
{
	if (max <= 0)
		return 0;
	if (n > max) {
		memcpy(out, e, (max - 1) * sizeof(*e));
		out[max - 1] = e[n - 1];
		return max;
	}
	memcpy(out, e, n * sizeof(*e));
	return n;
}

static int dwarf_resolve(struct km_symbolizer *base, uint64_t addr,
			 struct km_frame *out, int max)
{
	struct dwarf_symbolizer *s = (struct dwarf_symbolizer *)base;
	struct km_frame e[KM_MAX_INLINE];
	const uint64_t *v;
	int n;

	v = km_htab_find(&s->cache, &addr, sizeof(addr));
	if (v)
		return copy_out(out, max, s->frames + CACHED_FIRST(*v),
				CACHED_NR(*v));
	n = lookup(s, addr, e);
	/* Out of memory only costs the cache; the answer is still good. */
	remember(s, addr, e, n);
	return copy_out(out, max, e, n);
}

static void dwarf_destroy(struct km_symbolizer *base)
{
	struct dwarf_symbolizer *s = (struct dwarf_symbolizer *)base;

	km_scope_index_free(&s->scopes);
	dwfl_end(s->dwfl);
	free(s->module);
	free(s->syms);
	km_htab_free(&s->cache);
	free(s->frames);
	free(s);
}

static const struct km_symbolizer_ops dwarf_ops = {
	.resolve = dwarf_resolve,
	.destroy = dwarf_destroy,
};

/* Reports the file to a fresh Dwfl at its link addresses. */
static int report_vmlinux(Dwfl **dwfl, Dwfl_Module **mod, const char *path)
{
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*dwfl = dwfl_begin(&callbacks);
	if (!*dwfl) {
		close(fd);
		return -ENOMEM;
	}
	/*
	 * At its link addresses: the KASLR slide is taken off each address
	 * instead. An x86-64 vmlinux is ET_EXEC, which libdwfl always puts
	 * there; an arm64 one is ET_DYN (a relocatable kernel), which
	 * dwfl_report_offline would move up by its 64 KiB red zone, so
	 * every lookup would land 0x10000 off. dwfl_report_elf at base 0,
	 * adding p_vaddr, keeps both where they were linked.
	 */
	*mod = dwfl_report_elf(*dwfl, "kernel", path, fd, 0, true);
	if (!*mod) {
		close(fd);
		dwfl_end(*dwfl);
		return -ENOEXEC;
	}
	if (dwfl_report_end(*dwfl, NULL, NULL)) {
		dwfl_end(*dwfl);
		return -ENOEXEC;
	}
	return 0;
}

/* Loads the DWARF (relocating it, for a module) and the symbols. */
static int load(struct dwarf_symbolizer *s)
{
	Dwarf_Addr bias;

	dwfl_module_info(s->mod, NULL, &s->low, &s->high, NULL, NULL, NULL,
			 NULL);
	if (!dwfl_module_getdwarf(s->mod, &bias))
		return dwfl_module_getelf(s->mod, &bias) ? -ENODATA : -ENOEXEC;
	return index_symbols(s);
}

int km_dwarf_symbolizer_dwfl(struct km_symbolizer **out, Dwfl *dwfl,
			     Dwfl_Module *mod, const char *module,
			     int64_t slide)
{
	struct dwarf_symbolizer *s = calloc(1, sizeof(*s));
	int err;

	*out = NULL;
	if (!s) {
		dwfl_end(dwfl);
		return -ENOMEM;
	}
	s->base.ops = &dwarf_ops;
	s->dwfl = dwfl;
	s->mod = mod;
	s->slide = slide;
	s->module = module ? strdup(module) : NULL;
	err = module && !s->module ? -ENOMEM : load(s);
	if (err) {
		dwarf_destroy(&s->base);
		return err;
	}
	*out = &s->base;
	return 0;
}

int km_dwarf_symbolizer(struct km_symbolizer **out, const char *path,
			int64_t slide)
{
	Dwfl_Module *mod = NULL;
	Dwfl *dwfl = NULL;
	int err;

	*out = NULL;
	err = report_vmlinux(&dwfl, &mod, path);
	return err ?: km_dwarf_symbolizer_dwfl(out, dwfl, mod, NULL, slide);
}
