// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over the whole report path: each input is a trace
 * file, read by `kmemsnoop report` in each of its views, and exported
 * by `kmemsnoop export`, whose output report then reads. Run it with
 * -close_fd_mask=3 (make fuzz does): the report itself is noise; only
 * crashes, sanitizer findings, hangs and leaks count.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../../report/export.h"
#include "../../report/report.h"

/* Exports the trace at path, and reports on the export if there is one. */
static void export(const char *path)
{
	static char out[64], old[80];
	char *argv[] = { "export", "-i", (char *)path, "-o", out, NULL };
	char *rargv[] = { "report", "-i", out, NULL };

	if (!out[0]) {
		snprintf(out, sizeof(out), "/tmp/fuzz-export.%d",
			 (int)getpid());
		snprintf(old, sizeof(old), "%s.old", out);
	}
	unlink(out);
	unlink(old);
	if (km_cmd_export(5, argv) == 0)
		km_cmd_report(3, rargv);
	unlink(out);
	unlink(old);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const views[][2] = {
		{ "--header", NULL },
		/* With LIFE chunks: each hit's object, on a line before it. */
		{ "--hits", NULL },
		{ "--format", "json" },
		/* The default view; with LIFE chunks, the objects table too. */
		{ NULL, NULL },
		{ "--time-format", "wall" },
		{ "--sort", "stack,sym,comm,pid,tid,cpu,watch,value" },
		{ "--call-graph", "callee" },
		{ "--timeline", NULL },
		{ "--format", "folded" },
		{ "--format", "perf-script" },
		{ "--format", "svg" },
	};
	char path[64];
	size_t i;
	int fd;

	fd = memfd_create("trace", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		char *argv[] = { "report",
				 "-i",
				 path,
				 (char *)views[i][0],
				 (char *)views[i][1],
				 NULL };
		int argc = 3 + !!views[i][0] + !!views[i][1];

		km_cmd_report(argc, argv);
	}
	export(path);
	close(fd);
	return 0;
}
