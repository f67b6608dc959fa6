// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "pager.h"

static pid_t pager_pid;

/* Whether an executable less is on PATH: not every system has one. */
static bool have_less(void)
{
	const char *path = getenv("PATH");
	char dir[4096], file[4200];
	size_t n;

	while (path && *path) {
		n = strcspn(path, ":");
		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(file, sizeof(file), "%s/less", *dir ? dir : ".");
		if (!access(file, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static const char *pager_command(void)
{
	const char *p = getenv("KMEMSNOOP_PAGER");

	if (!p)
		p = getenv("PAGER");
	/* The default only where it exists: a missing one would eat it all. */
	if (!p)
		p = have_less() ? "less" : "";
	return *p && strcmp(p, "cat") ? p : NULL;
}

static void run_pager(int in, const char *cmd)
{
	if (dup2(in, STDIN_FILENO) < 0)
		_exit(127);
	close(in);
	setenv("LESS", "FRX", 0);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

bool km_pager_start(void)
{
	const char *cmd = pager_command();
	int p[2];

	if (!cmd || !isatty(STDOUT_FILENO) || pipe(p))
		return false;
	fflush(stdout);
	pager_pid = fork();
	if (pager_pid < 0) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (!pager_pid) {
		close(p[1]);
		run_pager(p[0], cmd);
	}
	close(p[0]);
	dup2(p[1], STDOUT_FILENO);
	close(p[1]);
	/* Quitting the pager early ends the report with EPIPE, quietly. */
	signal(SIGPIPE, SIG_IGN);
	return true;
}

void km_pager_end(void)
{
	if (pager_pid <= 0)
		return;
	fflush(stdout);
	close(STDOUT_FILENO);
	while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
		;
	pager_pid = 0;
}
