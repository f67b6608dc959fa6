/* SPDX-License-Identifier: GPL-2.0 */
/* What a trace says about the machine it was recorded on. */
#ifndef KM_SYSINFO_H
#define KM_SYSINFO_H

#include <stddef.h>
#include <stdint.h>
#include "../../common/bytes.h"

/*
 * The GNU build-id note from a buffer of ELF notes (as
 * /sys/kernel/notes holds). Returns its length, 0 if absent.
 */
size_t km_find_build_id(const uint8_t *notes, size_t len, uint8_t *id,
			size_t max);

/*
 * Appends the META TLV list: build-id, uname, hostname, a
 * realtime/monotonic pair, the command line and the CPU count.
 */
int km_sysinfo_meta(struct km_buf *b, int argc, char **argv);

#endif
