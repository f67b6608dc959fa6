/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function, offset, file:line and the inlined calls at a kernel
 * address, from a vmlinux's DWARF through elfutils' libdwfl.
 */
#ifndef KM_DWARF_H
#define KM_DWARF_H

#include <elfutils/libdwfl.h>
#include <stdint.h>
#include "symbolizer.h"

/*
 * A symbolizer over the ELF file at path, for a kernel that ran slide
 * bytes above the file's link addresses (the KASLR slide). Returns 0,
 * -ENODATA when the file has no DWARF (its symbol table is all there
 * is), -ENOEXEC when it is no ELF file, or another negative errno.
 * Prints nothing: the caller knows what to say.
 */
int km_dwarf_symbolizer(struct km_symbolizer **out, const char *path,
			int64_t slide);

/*
 * The same over mod, already reported to dwfl, for the addresses it
 * was reported at (its link addresses + slide); takes dwfl, which the
 * symbolizer ends, also on failure. Frames name module (NULL: the
 * kernel itself). Returns as km_dwarf_symbolizer does.
 */
int km_dwarf_symbolizer_dwfl(struct km_symbolizer **out, Dwfl *dwfl,
			     Dwfl_Module *mod, const char *module,
			     int64_t slide);

/*
 * A Dwfl_Callbacks.find_debuginfo that finds nothing: the file given
 * is the one to use, and libdwfl's standard search would also ask
 * debuginfod behind our back whenever DEBUGINFOD_URLS is set.
 */
int km_dwfl_no_debuginfo(Dwfl_Module *mod, void **user, const char *modname,
			 Dwarf_Addr base, const char *file,
			 const char *debuglink, GElf_Word crc,
			 char **debuginfo_file);

/*
 * file as a path in the source tree, as people know it: kernel/sched/
 * core.c. The tree is comp_dir (the CU's DW_AT_comp_dir), or for an
 * out-of-tree build (O=, as Debian builds its packages) the deepest
 * ancestor of comp_dir that holds file, if that has two components or
 * more (/usr, /home are no tree). A leading "./" goes too. Returns a
 * pointer into file.
 */
const char *km_tree_path(const char *file, const char *comp_dir);

#endif
