// SPDX-License-Identifier: GPL-2.0
/*
 * What the reader opens: a named path only if it is a regular file
 * (a FIFO must not hang it, a device must not be opened), and "-" as
 * standard input, a pipe read in one pass as a file is, a terminal
 * refused. Failing cases print an error line on stderr; expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/trace/trace_reader.h"
#include "report_fixture.h"

struct read_back {
	int rc; /* of opening, else of the last km_trace_next_hits */
	uint64_t hits, sum; /* hits read, and their times summed */
	bool truncated;
};

static struct read_back read_back(const char *path)
{
	struct read_back rb = { 0 };
	const struct km_hit *h;
	struct km_trace t;
	long n, i;

	rb.rc = km_trace_open(&t, path);
	while (!rb.rc && (n = km_trace_next_hits(&t, &h)) != 0) {
		if (n < 0) {
			rb.rc = n;
			break;
		}
		for (i = 0; i < n; i++)
			rb.sum += h[i].time_ns;
		rb.hits += n;
	}
	rb.truncated = t.truncated;
	km_trace_close(&t);
	return rb;
}

/* The same with fd as standard input, which is put back after. */
static struct read_back read_stdin(int fd)
{
	int saved = dup(STDIN_FILENO);
	struct read_back rb;

	assert_true(saved >= 0);
	assert_true(dup2(fd, STDIN_FILENO) >= 0);
	close(fd);
	rb = read_back("-");
	assert_true(dup2(saved, STDIN_FILENO) >= 0);
	close(saved);
	return rb;
}

/* A pipe whose writer (a child) sends the first len bytes of buf. */
static int pipe_of(const uint8_t *buf, size_t len, pid_t *pid)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (!*pid) {
		close(p[0]);
		if (write(p[1], buf, len) != (ssize_t)len)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static void test_not_regular(void **state)
{
	const struct rf_fixture *fx = *state;
	char fifo[320], link[320];

	snprintf(fifo, sizeof(fifo), "%s/fifo", fx->dir);
	snprintf(link, sizeof(link), "%s/null", fx->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink("/dev/null", link), 0);
	/* A FIFO with no writer: opening it to read would wait forever. */
	alarm(10);
	km_test_quiet();
	assert_int_equal(read_back(fifo).rc, -EINVAL);
	assert_int_equal(read_back(link).rc, -EINVAL);
	assert_int_equal(read_back(fx->dir).rc, -EINVAL);
	km_test_loud();
	alarm(0);
	unlink(fifo);
	unlink(link);
}

static void test_stdin(void **state)
{
	const struct rf_fixture *fx = *state;
	struct read_back file = read_back(fx->path), in;
	size_t size;
	uint8_t *buf = km_test_read_file(fx->path, &size);
	int status;
	pid_t pid;

	assert_int_equal(file.rc, 0);
	assert_int_equal(file.hits, RF_NR_HITS);

	/* Redirected from the file: read as the file. */
	in = read_stdin(open(fx->path, O_RDONLY));
	assert_int_equal(in.rc, 0);
	assert_int_equal(in.hits, file.hits);
	assert_int_equal(in.sum, file.sum);

	/* Through a pipe: the same hits, in one pass. */
	in = read_stdin(pipe_of(buf, size, &pid));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(in.rc, 0);
	assert_int_equal(in.hits, file.hits);
	assert_int_equal(in.sum, file.sum);
	assert_false(in.truncated);

	/* A pipe cut short inside the trailer: what came before, flagged. */
	km_test_quiet();
	in = read_stdin(pipe_of(buf, size - 3, &pid));
	km_test_loud();
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(in.rc, 0);
	assert_int_equal(in.hits, file.hits);
	assert_true(in.truncated);
	free(buf);
}

/* A terminal would wait for a trace to be typed: refused at once. */
static void test_stdin_terminal(void **state)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave;

	(void)state;
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	alarm(10);
	km_test_quiet();
	assert_int_equal(read_stdin(slave).rc, -EINVAL);
	km_test_loud();
	alarm(0);
	close(master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_stdin_terminal),
	};

	return cmocka_run_group_tests(tests, rf_setup, rf_teardown);
}
