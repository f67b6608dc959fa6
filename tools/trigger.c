// SPDX-License-Identifier: GPL-2.0
/*
 * Makes the kernel read its own memory on demand, for tests and the
 * benchmark: N reads of LEN bytes at OFFSET of FILE (for example
 * /sys/kernel/btf/vmlinux, whose reads copy from __start_BTF).
 *
 *   trigger [-c] [-r] [-m MODE] [-d SECONDS] [-i USEC [-S START_NS] [-o FILE]]
 *           FILE OFFSET LEN N [THREADS]
 *
 * With THREADS > 1 each thread does N reads at once. Prints the wall
 * time in ns on stdout, so the benchmark can subtract its own start-up.
 * -d SECONDS stops each thread after that long (N 0: no other limit).
 * -c adds, after the wall time, the process's user+sys CPU time in ns
 * over the same span (the debug exceptions and whatever a tracer runs
 * in them are charged to the thread that hit): less disturbed by other
 * work on the machine than the wall time. -r adds, last, how many reads
 * were done, all threads together: with -d the amount of work is known
 * only afterwards.
 *
 * -m MODE picks the system call that reads, so that the same kernel copy
 * is reached through different call paths (different kernel stacks):
 * pread (the default), read (lseek, read), readv, preadv, preadv2,
 * sendfile (to /dev/null), sendfile_pipe, splice (to a pipe, drained),
 * copy_file_range (to a memfd; most kernels refuse it across file
 * systems), io_uring (IORING_OP_READ), io_uring_async (the same with
 * IOSQE_ASYNC: read by an io-wq worker thread), io_uring_splice, and
 * the 32-bit system calls through int $0x80: ia32_read, ia32_pread,
 * ia32_readv, ia32_preadv, ia32_sendfile (slow in some virtual
 * machines: 10 us and more per call). "many" rotates among the 64-bit
 * ones this kernel allows, one per read, "all" among all it allows;
 * "-m list" prints those.
 *
 * -i USEC paces the reads (one thread only): read k starts at
 * START + k * USEC, START being -S (CLOCK_REALTIME in ns, e.g. from
 * bash's $EPOCHREALTIME) or now. -o FILE then gets each read's start in
 * microseconds after START, one a line: the benchmark tells from the
 * number of hits a tracer saw when the tracer was armed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* preadv2, splice, copy_file_range, memfd_create */
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static const char *path;
static long offset, len, count;
static long interval_us;
static long long start_ns, t_begin, duration_ns;
static FILE *times_out;
static int need_ring; /* set up io_uring only for the modes that use it */
static int print_cpu, print_reads;
static long total_reads; /* reads done, all threads (-r) */

/* Each thread's own descriptors and buffers. */
struct ctx {
	int fd, devnull, pipe[2], memfd;
	char *buf; /* LEN bytes below 4 GiB, for the 32-bit calls too */
	struct uring {
		int fd;
		unsigned *sq_tail, *sq_mask, *sq_array;
		unsigned *cq_head, *cq_tail, *cq_mask;
		struct io_uring_sqe *sqes;
		struct io_uring_cqe *cqes;
	} ring;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Returns bytes read, or -errno. */
static long op_pread(struct ctx *c)
{
	long n = pread(c->fd, c->buf, len, offset);
	return n < 0 ? -errno : n;
}

static long op_read(struct ctx *c)
{
	long n;

	if (lseek(c->fd, offset, SEEK_SET) < 0)
		return -errno;
	n = read(c->fd, c->buf, len);
	return n < 0 ? -errno : n;
}

static long op_readv(struct ctx *c)
{
	struct iovec v = { c->buf, len };
	long n;

	if (lseek(c->fd, offset, SEEK_SET) < 0)
		return -errno;
	n = readv(c->fd, &v, 1);
	return n < 0 ? -errno : n;
}

static long op_preadv(struct ctx *c)
{
	struct iovec v = { c->buf, len };
	long n = preadv(c->fd, &v, 1, offset);
	return n < 0 ? -errno : n;
}

static long op_preadv2(struct ctx *c)
{
	struct iovec v = { c->buf, len };
	long n = preadv2(c->fd, &v, 1, offset, 0);
	return n < 0 ? -errno : n;
}

static long op_sendfile(struct ctx *c)
{
	off_t off = offset;
	long n = sendfile(c->devnull, c->fd, &off, len);
	return n < 0 ? -errno : n;
}

static long op_sendfile_pipe(struct ctx *c)
{
	off_t off = offset;
	long n = sendfile(c->pipe[1], c->fd, &off, len);

	if (n < 0)
		return -errno;
	if (read(c->pipe[0], c->buf, n) != n)
		return -EIO;
	return n;
}

static long op_splice(struct ctx *c)
{
	loff_t off = offset;
	long n = splice(c->fd, &off, c->pipe[1], NULL, len, 0);

	if (n < 0)
		return -errno;
	if (read(c->pipe[0], c->buf, n) != n)
		return -EIO;
	return n;
}

static long op_copy_file_range(struct ctx *c)
{
	loff_t off = offset, out = 0;
	long n = copy_file_range(c->fd, &off, c->memfd, &out, len, 0);
	return n < 0 ? -errno : n;
}

static int uring_setup(struct uring *r)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP && cq_len > sq_len)
		sq_len = cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -errno;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -errno;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		       IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* One request through the ring, waited for: its result. */
static long uring_run(struct ctx *c, const struct io_uring_sqe *req)
{
	struct uring *r = &c->ring;
	unsigned tail, head, idx;
	long res;

	if (r->fd < 0)
		return r->fd;
	tail = *r->sq_tail;
	idx = tail & *r->sq_mask;
	r->sqes[idx] = *req;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EIO;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static long uring_read(struct ctx *c, unsigned char flags)
{
	struct io_uring_sqe sqe = { .opcode = IORING_OP_READ,
				    .flags = flags,
				    .fd = c->fd,
				    .addr = (uintptr_t)c->buf,
				    .len = len,
				    .off = offset };
	return uring_run(c, &sqe);
}

static long op_io_uring(struct ctx *c)
{
	return uring_read(c, 0);
}

/* The read goes to an io-wq worker thread. */
static long op_io_uring_async(struct ctx *c)
{
	return uring_read(c, IOSQE_ASYNC);
}

static long op_io_uring_splice(struct ctx *c)
{
	struct io_uring_sqe sqe = { .opcode = IORING_OP_SPLICE,
				    .fd = c->pipe[1],
				    .off = -1,
				    .splice_off_in = offset,
				    .len = len,
				    .splice_fd_in = c->fd };
	long n = uring_run(c, &sqe);

	if (n > 0 && read(c->pipe[0], c->buf, n) != n)
		return -EIO;
	return n;
}

#if defined(__x86_64__)
/* The 32-bit system call numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define IA32_READ 3
#define IA32_LSEEK 19
#define IA32_READV 145
#define IA32_PREAD64 180
#define IA32_SENDFILE64 239
#define IA32_PREADV 333

/* A 32-bit system call from this 64-bit process: pointers below 4 GiB. */
static long int80(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
}

static long op_ia32_read(struct ctx *c)
{
	long n = int80(IA32_LSEEK, c->fd, offset, SEEK_SET, 0, 0);

	if (n < 0)
		return n;
	return int80(IA32_READ, c->fd, (uintptr_t)c->buf, len, 0, 0);
}

static long op_ia32_pread(struct ctx *c)
{
	return int80(IA32_PREAD64, c->fd, (uintptr_t)c->buf, len,
		     offset & 0xffffffff, offset >> 32);
}

/* A compat_iovec (two 32-bit words) after the LEN bytes of buf. */
static uint32_t *ia32_iov(struct ctx *c)
{
	uint32_t *v = (uint32_t *)(c->buf + 4096);

	v[0] = (uintptr_t)c->buf;
	v[1] = len;
	return v;
}

static long op_ia32_readv(struct ctx *c)
{
	long n = int80(IA32_LSEEK, c->fd, offset, SEEK_SET, 0, 0);

	if (n < 0)
		return n;
	return int80(IA32_READV, c->fd, (uintptr_t)ia32_iov(c), 1, 0, 0);
}

static long op_ia32_preadv(struct ctx *c)
{
	return int80(IA32_PREADV, c->fd, (uintptr_t)ia32_iov(c), 1,
		     offset & 0xffffffff, offset >> 32);
}

static long op_ia32_sendfile(struct ctx *c)
{
	int64_t *off = (int64_t *)(c->buf + 4096 + 64);

	*off = offset;
	return int80(IA32_SENDFILE64, c->devnull, c->fd, (uintptr_t)off, len,
		     0);
}
#endif

static const struct op {
	const char *name;
	long (*fn)(struct ctx *c);
} ops[] = {
	{ "pread", op_pread },
	{ "read", op_read },
	{ "readv", op_readv },
	{ "preadv", op_preadv },
	{ "preadv2", op_preadv2 },
	{ "sendfile", op_sendfile },
	{ "sendfile_pipe", op_sendfile_pipe },
	{ "splice", op_splice },
	{ "copy_file_range", op_copy_file_range },
	{ "io_uring", op_io_uring },
	{ "io_uring_async", op_io_uring_async },
	{ "io_uring_splice", op_io_uring_splice },
#if defined(__x86_64__)
	{ "ia32_read", op_ia32_read },
	{ "ia32_pread", op_ia32_pread },
	{ "ia32_readv", op_ia32_readv },
	{ "ia32_preadv", op_ia32_preadv },
	{ "ia32_sendfile", op_ia32_sendfile },
#endif
};
#define NR_OPS (sizeof(ops) / sizeof(ops[0]))

/* The ops this run rotates among. */
static const struct op *use[NR_OPS];
static size_t nr_use;

static void ctx_open(struct ctx *c)
{
	c->fd = open(path, O_RDONLY);
	if (c->fd < 0)
		die(path);
	c->devnull = open("/dev/null", O_WRONLY);
	if (c->devnull < 0)
		die("/dev/null");
	if (pipe(c->pipe))
		die("pipe");
	c->memfd = memfd_create("trigger", 0);
	if (c->memfd < 0)
		die("memfd_create");
	c->buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS
#if defined(__x86_64__)
			      | MAP_32BIT
#endif
		      ,
		      -1, 0);
	if (c->buf == MAP_FAILED)
		die("mmap");
	c->ring.fd = -ENOSYS;
	if (need_ring && uring_setup(&c->ring))
		c->ring.fd = -ENOSYS;
}

static void ctx_close(struct ctx *c)
{
	close(c->fd);
	close(c->devnull);
	close(c->pipe[0]);
	close(c->pipe[1]);
	close(c->memfd);
	if (c->ring.fd >= 0)
		close(c->ring.fd);
}

static long long now_ns(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* User+sys time of the whole process, all threads. */
static long long cpu_ns(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000000ll +
	       (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1000ll;
}

static void *run(void *arg)
{
	struct ctx c;
	long i, n;

	(void)arg;
	ctx_open(&c);
	for (i = 0; i < count || !count; i++) {
		const struct op *o = use[i % nr_use];

		if (duration_ns &&
		    now_ns(CLOCK_MONOTONIC) - t_begin >= duration_ns)
			break;
		if (interval_us) {
			long long at = start_ns + i * interval_us * 1000ll;
			struct timespec t = { at / 1000000000ll,
					      at % 1000000000ll };

			clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &t,
					NULL);
			if (times_out)
				fprintf(times_out, "%lld\n",
					(now_ns(CLOCK_REALTIME) - start_ns) /
						1000);
		}
		n = o->fn(&c);
		if (n != len) {
			fprintf(stderr, "trigger: %s: %s\n", o->name,
				n < 0 ? strerror(-n) : "short read");
			exit(1);
		}
	}
	__atomic_fetch_add(&total_reads, i, __ATOMIC_RELAXED);
	ctx_close(&c);
	return NULL;
}

/*
 * The ops that read LEN bytes here: tried once each, quietly, a page
 * past OFFSET where the file is that long, so as not to touch what a
 * tracer watches outside the timed part.
 */
static void probe_ops(int ia32)
{
	long at = offset;
	struct ctx c;
	size_t i;

	ctx_open(&c);
	offset = at + 4096;
	if (op_pread(&c) != len)
		offset = at;
	for (i = 0; i < NR_OPS; i++)
		if ((ia32 || strncmp(ops[i].name, "ia32_", 5)) &&
		    ops[i].fn(&c) == len)
			use[nr_use++] = &ops[i];
	offset = at;
	ctx_close(&c);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: trigger [-c] [-r] [-m MODE] [-d SECONDS] [-i USEC [-S START_NS] "
		"[-o FILE]] FILE OFFSET LEN N [THREADS]\n"
		"  MODE: many, all, list, or one of:");
	for (size_t i = 0; i < NR_OPS; i++)
		fprintf(stderr, " %s", ops[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode = "pread", *times_path = NULL;
	pthread_t tids[64];
	long long a, b, cpu_a, cpu_b;
	long threads, i;
	int opt;

	while ((opt = getopt(argc, argv, "+crm:d:i:S:o:h")) != -1) {
		switch (opt) {
		case 'd':
			duration_ns = strtod(optarg, NULL) * 1e9;
			break;
		case 'c':
			print_cpu = 1;
			break;
		case 'r':
			print_reads = 1;
			break;
		case 'm':
			mode = optarg;
			break;
		case 'i':
			interval_us = strtol(optarg, NULL, 0);
			break;
		case 'S':
			start_ns = strtoll(optarg, NULL, 0);
			break;
		case 'o':
			times_path = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (!strcmp(mode, "list"))
		count = 1; /* any: not used */
	else if (argc < 5)
		usage();
	path = argc > 1 ? argv[1] : "/sys/kernel/btf/vmlinux";
	offset = argc > 2 ? strtol(argv[2], NULL, 0) : 0;
	len = argc > 3 ? strtol(argv[3], NULL, 0) : 4;
	if (argc > 4)
		count = strtol(argv[4], NULL, 0);
	threads = argc > 5 ? strtol(argv[5], NULL, 0) : 1;
	if (len < 1 || len > 4096 || threads < 1 || threads > 64 ||
	    interval_us < 0 || (interval_us && threads > 1) || count < 0 ||
	    (!count && !duration_ns)) {
		fprintf(stderr, "trigger: LEN 1..4096, THREADS 1..64, N 0 only "
				"with -d, -i with one thread only\n");
		return 2;
	}
	if (!strcmp(mode, "many") || !strcmp(mode, "all") ||
	    !strcmp(mode, "list")) {
		need_ring = 1;
		probe_ops(strcmp(mode, "many"));
		if (!strcmp(mode, "list")) {
			for (i = 0; i < (long)nr_use; i++)
				printf("%s\n", use[i]->name);
			return 0;
		}
	} else {
		for (i = 0; i < (long)NR_OPS; i++)
			if (!strcmp(mode, ops[i].name))
				use[nr_use++] = &ops[i];
		if (!nr_use)
			usage();
		need_ring = !strncmp(use[0]->name, "io_uring", 8);
	}
	if (times_path) {
		times_out = fopen(times_path, "w");
		if (!times_out)
			die(times_path);
	}
	if (interval_us && !start_ns)
		start_ns = now_ns(CLOCK_REALTIME);
	cpu_a = cpu_ns();
	a = t_begin = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < threads; i++)
		pthread_create(&tids[i], NULL, run, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	b = now_ns(CLOCK_MONOTONIC);
	cpu_b = cpu_ns();
	if (times_out)
		fclose(times_out);
	printf("%lld", b - a);
	if (print_cpu)
		printf(" %lld", cpu_b - cpu_a);
	if (print_reads)
		printf(" %ld", total_reads);
	printf("\n");
	return 0;
}
