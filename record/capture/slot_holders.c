// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../common/escape.h"
#include "slot_holders.h"

#define MAX_NAMED 8 /* then "..." */

struct list {
	char text[512];
	int nr;
};

/* Does process pid have a perf event open? */
static bool holds_perf_event(const char *pid)
{
	char path[64], link[64];
	struct dirent *e;
	bool found = false;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%.16s/fd", pid);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%.16s/fd/%.16s", pid,
			 e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		found = !strcmp(link, "anon_inode:[perf_event]");
	}
	closedir(d);
	return found;
}

/* Is process pid traced (TracerPid in its status not 0)? */
static bool traced(const char *pid)
{
	char path[64], line[128];
	bool yes = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%.16s/status", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "TracerPid:", 10)) {
			yes = atoi(line + 10) != 0;
			break;
		}
	fclose(f);
	return yes;
}

/* Appends "comm[pid]", its name escaped: any process may name itself. */
static void add(struct list *l, const char *pid)
{
	char path[64], comm[32] = "?", safe[80];
	size_t len = strlen(l->text);
	ssize_t n = 0;
	FILE *f;

	if (l->nr++ >= MAX_NAMED) {
		if (l->nr == MAX_NAMED + 1)
			snprintf(l->text + len, sizeof(l->text) - len, ", ...");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%.16s/comm", pid);
	f = fopen(path, "re");
	if (f) {
		n = fread(comm, 1, sizeof(comm) - 1, f);
		fclose(f);
	}
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	km_escape_text(safe, sizeof(safe), comm, n > 0 ? n : 1);
	snprintf(l->text + len, sizeof(l->text) - len, "%s%s[%s]",
		 l->nr > 1 ? ", " : "", safe, pid);
}

void km_slot_holders(char *buf, size_t size)
{
	struct list perf = { .nr = 0 }, trace = { .nr = 0 };
	char self[16];
	struct dirent *e;
	DIR *d = opendir("/proc");

	buf[0] = '\0';
	if (!d)
		return;
	snprintf(self, sizeof(self), "%d", getpid());
	while ((e = readdir(d))) {
		if (!strchr("123456789", e->d_name[0]) ||
		    !strcmp(e->d_name, self))
			continue;
		if (holds_perf_event(e->d_name))
			add(&perf, e->d_name);
		if (traced(e->d_name))
			add(&trace, e->d_name);
	}
	closedir(d);
	snprintf(buf, size, "%s%s%s%s%s",
		 perf.nr ? "holding perf events: " : "", perf.text,
		 perf.nr && trace.nr ? "; " : "", trace.nr ? "traced: " : "",
		 trace.text);
}
