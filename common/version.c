// SPDX-License-Identifier: GPL-2.0
#include <bpf/libbpf.h>
#include <elfutils/libdwfl.h>
#include <zstd.h>
#include "version.h"

void km_print_version(FILE *f)
{
	const char *bpf = libbpf_version_string();

	/* libbpf says "v1.1"; the others, and we, say "0.188". */
	if (*bpf == 'v')
		bpf++;
	fprintf(f, "kmemsnoop %s\nlibbpf %s\nelfutils %s\nzstd %s\n",
		KM_TOOL_VERSION, bpf, dwfl_version(NULL), ZSTD_versionString());
}
