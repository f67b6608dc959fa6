/* SPDX-License-Identifier: GPL-2.0 */
/* Module frames symbolized from the modules' own debug files. */
#ifndef KM_MODULES_H
#define KM_MODULES_H

#include <stdbool.h>
#include <stddef.h>
#include "../kmodule.h"
#include "symbolizer.h"

/*
 * Puts a symbolizer in front of *s (the kernel's: vmlinux DWARF, a
 * symbol table, the kallsyms snapshot) that sends each address inside
 * one of mods[0..nr) (a trace's MODULE_INFO, or /proc/modules read
 * now) to that module's debug file, found (module_find.h; release is
 * the kernel's, dir is --modules or NULL) and loaded the first time
 * one of its addresses comes up. Addresses elsewhere, those of modules
 * without a debug file and modules with no address leave *s to answer.
 * An empty list leaves *s as it is. debuginfod: whether a module's
 * file may be downloaded (not while hits wait to be shown), within the
 * run's limit (km_debuginfod_find, vmlinux.h). mods is
 * copied. Returns 0, or a negative errno after explaining, *s then
 * unchanged.
 */
int km_modules_symbolizer(struct km_symbolizer **s,
			  const struct km_module_info *mods, size_t nr,
			  const char *release, const char *dir,
			  bool debuginfod);

#endif
