/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which vmlinux belongs to a trace: GNU build-ids, the search for a
 * vmlinux by build-id in the usual places, and the one door to
 * debuginfod, for the kernel and the modules alike.
 *
 * A trace may come from anyone, and every name in it that becomes a
 * path or a request is the sender's choice: a release of ".." would
 * lead out of /lib/modules, 300 module build-ids in a 5 KB trace would
 * be 300 downloads. Hence km_path_name_ok before a name becomes a
 * path, a build-id check before a file found by path is used, and a
 * limit on debuginfod requests a run.
 */
#ifndef KM_VMLINUX_H
#define KM_VMLINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Longest build-id kept; a trace holds at most 64 bytes as well. */
#define KM_BUILD_ID_MAX 64

/* id as lowercase hex into buf[2 * len + 1]; returns buf. */
char *km_build_id_hex(char *buf, const uint8_t *id, size_t len);

/*
 * The GNU build-id note of the ELF file at path into id[max]. Returns
 * its length, 0 when the file has none, -ENOEXEC when it is no ELF
 * file, or another negative errno.
 */
int km_elf_build_id(const char *path, uint8_t *id, size_t max);
/*
 * The e_machine (EM_*) of the ELF file at path, -ENOEXEC when it is no
 * ELF file, or another negative errno.
 */
int km_elf_machine(const char *path);

/*
 * $KMEMSNOOP_DEBUG_ROOT (default /), the directory the usual places are
 * under, without trailing slashes: its first *len bytes ("" for /).
 */
const char *km_debug_root(int *len);

/*
 * ROOT/usr/lib/debug/.build-id/xx/rest.debug for this build-id into
 * path[size]; -ENOENT for an id too short or long to have one.
 */
int km_build_id_path(char *path, size_t size, const uint8_t *id, size_t len);

/* Longest kernel release or module name made a path component. */
#define KM_PATH_NAME_MAX 64

/*
 * Whether name, a kernel release or a module name from a trace, may
 * stand as one component of a path: 1 to KM_PATH_NAME_MAX bytes of
 * printable ASCII other than space and '/', and neither "." nor "..".
 * Every place that makes a path of such a name asks this first.
 */
bool km_path_name_ok(const char *name);

/*
 * The vmlinux with this build-id, looked for under the debug root
 * ($KMEMSNOOP_DEBUG_ROOT, default /) in usr/lib/debug/.build-id/xx/
 * rest.debug, then, given the kernel release R (only if
 * km_path_name_ok), usr/lib/debug/boot/vmlinux-R, boot/vmlinux-R and
 * lib/modules/R/build/vmlinux. A candidate counts only if its build-id
 * matches: with len 0 (the trace recorded none) nothing is found, as a
 * file at one of these paths could be any kernel's. Returns a
 * malloc'ed path or NULL.
 */
char *km_find_vmlinux_local(const uint8_t *id, size_t len, const char *release);

/*
 * debuginfod requests a run (a process) makes at most, the kernel's
 * and the modules' together. The kernel is asked for first and a
 * module only once a frame falls in it, so the limit is reached only
 * by stacks through that many modules whose files are nowhere else.
 */
#define KM_DEBUGINFOD_MAX 16

struct km_debuginfod_stats {
	unsigned int asked; /* requests made */
	unsigned int found; /* requests answered with a file */
	unsigned int refused; /* requests not made: past KM_DEBUGINFOD_MAX */
	uint64_t bytes; /* the sizes of the files found */
};

/*
 * Starts a run's count afresh; with !allowed (report --no-debuginfod,
 * or a caller that cannot wait for a download) nothing is asked.
 * Without a call, a process is one run with debuginfod allowed.
 */
void km_debuginfod_begin(bool allowed);

/*
 * The debug file (a vmlinux, a module's) with this build-id from the
 * debuginfod servers in $DEBUGINFOD_URLS, waiting $DEBUGINFOD_TIMEOUT
 * (default 10) seconds for a server to answer; what ("vmlinux",
 * "module NAME") is for the warning. Returns 0 with a malloc'ed path
 * in its cache; -ENOSYS when DEBUGINFOD_URLS is unset or empty, the
 * run does not allow debuginfod or it failed before; -EDQUOT when the
 * run made KM_DEBUGINFOD_MAX requests already; -ENOENT when no server
 * has it (len 0 included); -ELIBACC when libdebuginfod.so.1 cannot be
 * loaded; another negative errno. On the first failure other than
 * -ENOENT it warns once, and asks nothing more this run.
 */
int km_debuginfod_find(char **path, const uint8_t *id, size_t len,
		       const char *what);

/* What this run asked debuginfod so far. */
void km_debuginfod_stats(struct km_debuginfod_stats *out);

/*
 * One line on f of what this run asked debuginfod and got (count and
 * bytes), and how many requests the limit held back; nothing if it
 * neither asked nor held back anything.
 */
void km_debuginfod_summary(FILE *f);

#endif
