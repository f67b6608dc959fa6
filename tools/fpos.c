// SPDX-License-Identifier: GPL-2.0
/*
 * Moves file positions on demand, for the --on/--off tests: the kernel
 * writes struct file.f_pos once per read(2) (at the end of ksys_read)
 * and once per lseek(2) to a new offset (vfs_setpos), never for
 * pread(2).
 *
 *   fpos GO N FILE...
 *
 * Prints its pid, then waits until something writes to the FIFO GO and
 * closes it. Then, after 100 ms: opens each FILE and preads one byte
 * from it (the call --on vfs_read:file arms on; it leaves f_pos alone),
 * waits 100 ms for the breakpoints, does N rounds of one read(2) of one
 * byte and one lseek(2) back to 0 on each file in turn (2 f_pos writes
 * per file and round), closes them all and prints "done".
 * FPOS_GAP_MS=M in the environment waits M ms between the files'
 * preads, so that each arming is live before the next call comes
 * (record --replace moves only a slot whose arming is done).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 8

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	int fd[MAX_FILES], nf = argc - 3, i, j, go;
	const char *gap = getenv("FPOS_GAP_MS");
	long n;
	char c;

	if (argc < 4 || nf > MAX_FILES || (n = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: fpos GO N FILE... (at most %d)\n",
			MAX_FILES);
		return 2;
	}
	printf("%d\n", (int)getpid());
	fflush(stdout);
	go = open(argv[1], O_RDONLY);
	if (go < 0) {
		perror(argv[1]);
		return 1;
	}
	while (read(go, &c, 1) > 0)
		;
	close(go);
	/* The FIFO's own arming and disarming are over by then. */
	nap_ms(100);
	for (i = 0; i < nf; i++) {
		if (i && gap)
			nap_ms(atol(gap));
		fd[i] = open(argv[3 + i], O_RDONLY);
		if (fd[i] < 0 || pread(fd[i], &c, 1, 0) != 1) {
			perror(argv[3 + i]);
			return 1;
		}
	}
	nap_ms(100);
	for (j = 0; j < n; j++) {
		for (i = 0; i < nf; i++) {
			if (read(fd[i], &c, 1) != 1 ||
			    lseek(fd[i], 0, SEEK_SET) != 0) {
				perror(argv[3 + i]);
				return 1;
			}
		}
	}
	for (i = 0; i < nf; i++)
		close(fd[i]);
	printf("done\n");
	fflush(stdout);
	return 0;
}
