/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one rule for ELF symbols, whichever reader takes them (the
 * symbol table of ksyms_elf.c, the DWARF symbolizer's index): which
 * symbols name code or data, and which of several at one address is
 * shown. So the name given for an address does not depend on whether
 * the file has DWARF.
 */
#ifndef KM_ELF_SYM_H
#define KM_ELF_SYM_H

#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Whether sym, at address value (its st_value, or where libdwfl placed
 * it), names a function, an object or an untyped label: no undefined,
 * section or file symbol, nothing at 0.
 */
bool km_elf_sym_kept(const GElf_Sym *sym, uint64_t value);

/*
 * Among symbols at one address the highest rank is shown: functions
 * before untyped labels before objects, then sized before size 0, then
 * global before weak before local; so a function wins over a section
 * marker or a linker alias (_text, __entry_text_start) that starts
 * where it does. Equal ranks go by name, the last one shown.
 */
int km_elf_sym_rank(const GElf_Sym *sym);

#endif
