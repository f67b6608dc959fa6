// SPDX-License-Identifier: GPL-2.0
/*
 * Renames itself on demand, for the --pid-task tests: the kernel
 * writes task_struct.comm once per prctl(PR_SET_NAME).
 *
 *   rename GO NAME...
 *
 * Prints its pid, then waits until something opens the FIFO GO for
 * writing and closes it; then sets its name to each NAME in turn,
 * prints "done" and exits. Nothing between the pid and "done" touches
 * its comm but the renames, so a watch armed in between sees exactly
 * those.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char c;
	int fd, i;

	if (argc < 3) {
		fprintf(stderr, "usage: rename GO NAME...\n");
		return 2;
	}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	/* Blocks until the writer closes its end. */
	while (read(fd, &c, 1) > 0)
		;
	close(fd);
	for (i = 2; i < argc; i++) {
		if (prctl(PR_SET_NAME, argv[i], 0, 0, 0)) {
			perror("prctl(PR_SET_NAME)");
			return 1;
		}
	}
	printf("done\n");
	fflush(stdout);
	return 0;
}
