// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../common/error.h"
#include "child.h"

static void child_main(int go, int err_fd, char *const *argv,
		       bool to_stderr)
{
	char byte;
	int e;

	/* Nothing arrives when the parent failed to arm: exit quietly. */
	if (read(go, &byte, 1) != 1)
		_exit(127);
	if (to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int km_child_fork(struct km_child *c, char *const *argv, bool to_stderr)
{
	int go[2], status[2];

	if (pipe2(go, O_CLOEXEC) || pipe2(status, O_CLOEXEC)) {
		km_err("cannot create a pipe: %s", strerror(errno));
		return -errno;
	}
	c->pid = fork();
	if (c->pid < 0) {
		km_err("cannot fork: %s", strerror(errno));
		return -errno;
	}
	if (c->pid == 0) {
		close(go[1]);
		close(status[0]);
		child_main(go[0], status[1], argv, to_stderr);
	}
	close(go[0]);
	close(status[1]);
	c->go_fd = go[1];
	c->err_fd = status[0];
	return 0;
}

int km_child_start(struct km_child *c, const char *name)
{
	int e = 0;
	ssize_t n;

	if (write(c->go_fd, "", 1) != 1)
		e = errno;
	close(c->go_fd);
	c->go_fd = -1;
	do
		n = read(c->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	if (n <= 0 && !e)
		return 0;
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
	km_err("cannot run '%s': %s", name, strerror(e));
	return -e;
}

void km_child_stop(struct km_child *c)
{
	if (c->go_fd >= 0)
		close(c->go_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	c->go_fd = c->err_fd = -1;
	if (c->pid <= 0)
		return;
	/* Still running when -d, -c or an error ended the session. */
	kill(c->pid, SIGTERM);
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
}
