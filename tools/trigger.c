// SPDX-License-Identifier: GPL-2.0
/*
 * Makes the kernel read its own memory on demand, for tests and the
 * benchmark: N preads of LEN bytes at OFFSET of FILE (for example
 * /sys/kernel/btf/vmlinux, whose reads copy from __start_BTF).
 *
 *   trigger FILE OFFSET LEN N [THREADS]
 *
 * With THREADS > 1 each thread does N preads at once. Prints the wall
 * time in ns on stdout, so the benchmark can subtract its own start-up.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char *path;
static long offset, len, count;

static void *run(void *arg)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	long i;

	(void)arg;
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	for (i = 0; i < count; i++) {
		if (pread(fd, buf, len, offset) != len) {
			perror("pread");
			exit(1);
		}
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	pthread_t tids[64];
	long threads, i;

	if (argc < 5) {
		fprintf(stderr, "usage: trigger FILE OFFSET LEN N [THREADS]\n");
		return 2;
	}
	path = argv[1];
	offset = strtol(argv[2], NULL, 0);
	len = strtol(argv[3], NULL, 0);
	count = strtol(argv[4], NULL, 0);
	threads = argc > 5 ? strtol(argv[5], NULL, 0) : 1;
	if (len < 1 || len > 4096 || threads < 1 || threads > 64) {
		fprintf(stderr, "trigger: LEN 1..4096, THREADS 1..64\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < threads; i++)
		pthread_create(&tids[i], NULL, run, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld\n",
	       (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec));
	return 0;
}
