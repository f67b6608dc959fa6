/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which vmlinux belongs to a trace: GNU build-ids, and the search for
 * a vmlinux by build-id in the usual places and through debuginfod.
 */
#ifndef KM_VMLINUX_H
#define KM_VMLINUX_H

#include <stddef.h>
#include <stdint.h>

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
 * $KMEMSNOOP_DEBUG_ROOT (default /), the directory the usual places are
 * under, without trailing slashes: its first *len bytes ("" for /).
 */
const char *km_debug_root(int *len);

/*
 * ROOT/usr/lib/debug/.build-id/xx/rest.debug for this build-id into
 * path[size]; -ENOENT for an id too short or long to have one.
 */
int km_build_id_path(char *path, size_t size, const uint8_t *id, size_t len);

/*
 * The vmlinux with this build-id, looked for under the debug root
 * ($KMEMSNOOP_DEBUG_ROOT, default /) in usr/lib/debug/.build-id/xx/
 * rest.debug, then, given the kernel release R, usr/lib/debug/boot/
 * vmlinux-R, boot/vmlinux-R and lib/modules/R/build/vmlinux. A
 * candidate counts only if its build-id matches, or with len 0 (the
 * trace recorded none) if it exists. Returns a malloc'ed path or NULL.
 */
char *km_find_vmlinux_local(const uint8_t *id, size_t len, const char *release);

/*
 * The debug file (a vmlinux, a module) with this build-id from the
 * debuginfod servers in
 * $DEBUGINFOD_URLS, waiting $DEBUGINFOD_TIMEOUT (default 10) seconds
 * for a server to answer. Returns 0 with a malloc'ed path in its cache,
 * -ENOSYS when DEBUGINFOD_URLS is unset or empty, -ELIBACC when
 * libdebuginfod.so.1 cannot be loaded, or another negative errno
 * (-ENOENT: no server has it).
 */
int km_find_vmlinux_debuginfod(char **path, const uint8_t *id, size_t len);

#endif
