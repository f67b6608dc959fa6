/* SPDX-License-Identifier: GPL-2.0 */
/* Finding a kernel module's debug file: by build-id, by name, debuginfod. */
#ifndef KM_MODULE_FIND_H
#define KM_MODULE_FIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct km_ko_index;

struct km_module_search {
	const char *dir; /* --modules DIR, or NULL */
	const char *release; /* the recording kernel's, or NULL */
	/* The module files under dir and under the -dbg tree, once read. */
	struct km_ko_index *in_dir, *in_dbg;
	bool debuginfod; /* may ask it (km_debuginfod_find: a run's limit) */
};

/*
 * The debug file of module name with this build-id, looked for as
 * NAME.ko or NAME.ko.debug anywhere under s->dir ('-' and '_' alike,
 * as the kernel has them), then ROOT/usr/lib/debug/.build-id/xx/
 * rest.debug, then NAME.ko[.debug] under ROOT/usr/lib/debug/lib/
 * modules/RELEASE (Debian's -dbg packages: ROOT is the debug root of
 * common/symbolize/vmlinux.h), then, if s->debuginfod, through
 * km_debuginfod_find. Only a relocatable ELF file with DWARF and this
 * build-id counts. With len 0 (none recorded) only s->dir, which the
 * user chose, is searched, and any file there of that name counts. A
 * name or release that fails km_path_name_ok is not searched by.
 * Returns a malloc'ed path or NULL; warns about a file of another
 * build-id under s->dir.
 */
char *km_find_module_debug(struct km_module_search *s, const char *name,
			   const uint8_t *id, size_t len);

/* Whether s->dir can be read; explains if not. */
int km_module_search_check(const struct km_module_search *s);
void km_module_search_free(struct km_module_search *s);

#endif
