// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a trace as `kmemsnoop record` would have written it on the
 * kernel a given vmlinux was built as, for timing `kmemsnoop report`
 * against that vmlinux (make bench, docs/performance.md):
 *
 *   make_trace [-n HITS] [-s STACKS] [-f FRAMES] [-S SLIDE] [-r RELEASE]
 *              [-w SYMBOL] [-z SEED] VMLINUX OUT
 *
 * From the vmlinux (libelf): its GNU build-id, its release (from
 * linux_banner, unless -r gives one) and its symbols. The kernel is
 * placed SLIDE bytes above its link address (a KASLR slide, default
 * 0x1e000000), and the trace holds, in record's order: META (that
 * build-id and release), one WATCH (rw4 on SYMBOL, default
 * sysctl_sched_cfs_bandwidth_slice), a KALLSYMS snapshot of the
 * vmlinux's symbols at the slid addresses, then HITS hits (default
 * 1,000,000) over STACKS distinct stacks (default 2000) of FRAMES frames
 * each (default 15), flushed as record flushes (a chunk at least every
 * second of the hits' own time, and every 65536 hits), then the trailer.
 *
 * Every frame is a function of the vmlinux's .text, picked at random,
 * plus an offset of 1 to 256 bytes inside its size, so the stacks share
 * no frames: report looks up STACKS x FRAMES addresses spread over the
 * whole kernel (real stacks share their outer frames, so this is the
 * harder case for the symbolizer). Hits go to the stacks unevenly
 * (stack k of S with density 1 / (2 sqrt(k / S)): the first ones get
 * many more), each stack first seen at its own point of the recording,
 * about 100,000 hits a second.
 * Everything comes from a fixed seed (-z): the same arguments give the
 * same file.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <getopt.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tool_number.h"
#include "../common/bytes.h"
#include "../common/trace/machine.h"
#include "../common/trace/tlv.h"
#include "../common/trace/trace_format.h"
#include "../common/trace/trace_writer.h"
#include "../common/symbolize/vmlinux.h"

#define FLUSH_NS 1000000000ull /* as record/record.c */
#define MAX_OFFSET 256 /* frame offsets: 1 .. this, inside the function */
#define START_NS 1000000000000ull /* CLOCK_MONOTONIC at "record" start */
#define REALTIME_NS 1767225600000000000ull /* 2026-01-01T00:00:00Z */

struct sym {
	uint64_t addr, size;
	const char *name;
	char type; /* its kallsyms letter */
};

struct image {
	Elf *elf;
	int fd;
	size_t shstrndx;
	struct sym *syms; /* the snapshot's, sorted by address */
	size_t nr_syms, cap_syms;
	struct sym *funcs; /* functions of .text with a size: the frames */
	size_t nr_funcs, cap_funcs;
	char banner[512]; /* linux_banner, if found */
	const char *machine;
};

static void check(int err, const char *what)
{
	if (err)
		errx(1, "%s failed (%d)", what, err);
}

/* xorshift64*: deterministic, and good enough to spread the picks. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static double rnd01(void)
{
	return (rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static void add(struct sym **v, size_t *nr, size_t *cap, struct sym s)
{
	if (km_grow_array((void **)v, cap, *nr + 1, sizeof(**v)))
		errx(1, "out of memory");
	(*v)[(*nr)++] = s;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* nm's letter for the symbol, as kallsyms shows it. */
static char type_of(const GElf_Shdr *sh, const GElf_Sym *s)
{
	char t = 'r';

	if (!sh->sh_addr)
		return 'A'; /* per-CPU: kallsyms shows the offset */
	if (sh->sh_flags & SHF_EXECINSTR)
		t = 't';
	else if (sh->sh_type == SHT_NOBITS)
		t = 'b';
	else if (sh->sh_flags & SHF_WRITE)
		t = 'd';
	return GELF_ST_BIND(s->st_info) == STB_LOCAL ? t : t - 'a' + 'A';
}

/* The NUL-terminated string at the symbol, into out. */
static void read_string(struct image *im, const GElf_Sym *s, char *out,
			size_t size)
{
	Elf_Scn *scn = elf_getscn(im->elf, s->st_shndx);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	GElf_Shdr sh;
	size_t off;

	out[0] = '\0';
	if (!d || !d->d_buf || !gelf_getshdr(scn, &sh) ||
	    s->st_value < sh.sh_addr)
		return;
	off = s->st_value - sh.sh_addr;
	if (off >= d->d_size)
		return;
	snprintf(out, size, "%.*s", (int)(d->d_size - off),
		 (const char *)d->d_buf + off);
}

static void add_symbol(struct image *im, const GElf_Sym *s, const char *name,
		       size_t shnum)
{
	int type = GELF_ST_TYPE(s->st_info);
	const char *sec;
	GElf_Shdr sh;
	Elf_Scn *scn;
	struct sym y;

	if (s->st_shndx == SHN_UNDEF || s->st_shndx >= shnum ||
	    (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) ||
	    !name || !*name || name[0] == '$')
		return;
	scn = elf_getscn(im->elf, s->st_shndx);
	if (!scn || !gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC))
		return;
	if (sh.sh_addr && !s->st_value)
		return;
	y = (struct sym){ s->st_value, s->st_size, name, type_of(&sh, s) };
	add(&im->syms, &im->nr_syms, &im->cap_syms, y);
	sec = elf_strptr(im->elf, im->shstrndx, sh.sh_name);
	if (type == STT_FUNC && s->st_size >= 2 && sec &&
	    (!strcmp(sec, ".text") || !strncmp(sec, ".text.", 6)))
		add(&im->funcs, &im->nr_funcs, &im->cap_funcs, y);
	if (type == STT_OBJECT && !strcmp(name, "linux_banner"))
		read_string(im, s, im->banner, sizeof(im->banner));
}

static void read_image(struct image *im, const char *path)
{
	size_t shnum, i, count;
	Elf_Scn *scn = NULL;
	Elf_Data *data;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	GElf_Sym s;

	memset(im, 0, sizeof(*im));
	if (elf_version(EV_CURRENT) == EV_NONE)
		errx(1, "libelf is too old");
	im->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (im->fd < 0)
		errx(1, "cannot open %s: %s", path, strerror(errno));
	im->elf = elf_begin(im->fd, ELF_C_READ_MMAP, NULL);
	if (!im->elf || elf_kind(im->elf) != ELF_K_ELF ||
	    !gelf_getehdr(im->elf, &eh) || elf_getshdrnum(im->elf, &shnum) ||
	    elf_getshdrstrndx(im->elf, &im->shstrndx))
		errx(1, "%s is not an ELF file", path);
	im->machine = km_machine_of_elf(eh.e_machine) ?: "unknown";
	while ((scn = elf_nextscn(im->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !sh.sh_entsize)
			errx(1, "%s: unreadable symbol table", path);
		count = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < count; i++)
			if (gelf_getsym(data, i, &s))
				add_symbol(im, &s,
					   elf_strptr(im->elf, sh.sh_link,
						      s.st_name),
					   shnum);
	}
	if (!im->nr_funcs)
		errx(1, "%s has no functions of .text in its symbol table",
		     path);
	qsort(im->syms, im->nr_syms, sizeof(*im->syms), cmp_sym);
	qsort(im->funcs, im->nr_funcs, sizeof(*im->funcs), cmp_sym);
}

static const struct sym *find(const struct image *im, const char *name)
{
	size_t i;

	for (i = 0; i < im->nr_syms; i++)
		if (!strcmp(im->syms[i].name, name))
			return &im->syms[i];
	return NULL;
}

/* "Linux version RELEASE (...) ... #1 SMP ..." into release, version. */
static void parse_banner(const char *banner, char *release, size_t rsize,
			 char *version, size_t vsize)
{
	const char *p = banner, *v;

	release[0] = version[0] = '\0';
	if (strncmp(p, "Linux version ", 14))
		return;
	p += 14;
	snprintf(release, rsize, "%.*s", (int)strcspn(p, " \n"), p);
	v = strstr(p, ") #");
	if (v)
		snprintf(version, vsize, "%.*s", (int)strcspn(v + 2, "\n"),
			 v + 2);
}

static void put_meta(struct km_trace_writer *w, const struct image *im,
		     const uint8_t *id, int id_len, const char *release,
		     const char *version, int argc, char **argv)
{
	struct km_buf b = { 0 }, cmd = { 0 };
	int i, err;

	for (i = 0, err = 0; i < argc && !err; i++)
		err = km_buf_append(&cmd, argv[i], strlen(argv[i]) + 1);
	err = err ?: km_tlv_put(&b, KM_META_BUILD_ID, id, id_len);
	err = err ?: km_tlv_put_str(&b, KM_META_RELEASE, release);
	if (*version)
		err = err ?: km_tlv_put_str(&b, KM_META_KVERSION, version);
	err = err ?: km_tlv_put_str(&b, KM_META_MACHINE, im->machine);
	err = err ?: km_tlv_put_str(&b, KM_META_HOSTNAME, "make_trace");
	err = err ?: km_tlv_put_u64(&b, KM_META_REALTIME_NS, REALTIME_NS);
	err = err ?: km_tlv_put_u64(&b, KM_META_MONOTONIC_NS, START_NS);
	err = err ?: km_tlv_put(&b, KM_META_CMDLINE, cmd.data, cmd.len);
	err = err ?: km_tlv_put_u64(&b, KM_META_NR_CPUS, 2);
	err = err ?: km_tlv_put_str(&b, KM_META_TOOL_VERSION, KM_TOOL_VERSION);
	err = err ?: km_tlv_put_str(&b, KM_META_FILTERS, "");
	/* The vmlinux's machine's registers (the hits have none). */
	if (km_regset_for(im->machine))
		err = err   ?:
			      km_tlv_put_u64(&b, KM_META_NR_REGS,
					     km_regset_for(im->machine)->nr);
	check(err, "META");
	check(km_tw_chunk(w, KM_CHUNK_META, b.data, b.len), "META chunk");
	km_buf_free(&b);
	km_buf_free(&cmd);
}

static void put_watch(struct km_trace_writer *w, uint64_t addr,
		      const char *expr)
{
	struct km_buf b = { 0 };

	check(km_tlv_put_u64(&b, KM_WATCH_INDEX, 0) ||
		      km_tlv_put_u64(&b, KM_WATCH_TYPE, KM_BP_RW) ||
		      km_tlv_put_u64(&b, KM_WATCH_LEN, 4) ||
		      km_tlv_put_u64(&b, KM_WATCH_ADDR, addr) ||
		      km_tlv_put_str(&b, KM_WATCH_EXPR, expr),
	      "WATCH");
	check(km_tw_chunk(w, KM_CHUNK_WATCH, b.data, b.len), "WATCH chunk");
	km_buf_free(&b);
}

/* The snapshot: "ADDR T name" lines, sorted by address as the kernel's. */
static void put_kallsyms(struct km_trace_writer *w, const struct image *im,
			 uint64_t slide)
{
	struct km_buf b = { 0 };
	char line[600];
	size_t i;
	int n;

	for (i = 0; i < im->nr_syms; i++) {
		const struct sym *s = &im->syms[i];

		n = snprintf(line, sizeof(line), "%016" PRIx64 " %c %s\n",
			     s->type == 'A' ? s->addr : s->addr + slide,
			     s->type, s->name);
		if (n < 0 || (size_t)n >= sizeof(line))
			continue;
		check(km_buf_append(&b, line, n), "KALLSYMS");
	}
	check(km_tw_chunk(w, KM_CHUNK_KALLSYMS, b.data, b.len),
	      "KALLSYMS chunk");
	km_buf_free(&b);
}

/* frames[s * nr .. +nr): random functions, innermost first, slid. */
static uint64_t *make_stacks(const struct image *im, uint32_t stacks,
			     uint32_t nr, uint64_t slide)
{
	uint64_t *f = calloc((size_t)stacks * nr, sizeof(*f));
	size_t i;

	if (!f)
		errx(1, "out of memory");
	for (i = 0; i < (size_t)stacks * nr; i++) {
		const struct sym *fn = &im->funcs[rnd() % im->nr_funcs];
		uint64_t span = fn->size - 1;

		if (span > MAX_OFFSET)
			span = MAX_OFFSET;
		f[i] = fn->addr + slide + 1 + rnd() % span;
	}
	return f;
}

static const char *const comms[] = { "kworker/0:1", "sshd", "postgres",
				     "nginx",	    "java", "systemd-journal",
				     "python3",	    "bash" };

struct opts {
	uint64_t hits, slide, seed;
	uint32_t stacks, frames;
	const char *release, *watch;
};

static uint64_t write_hits(struct km_trace_writer *w, const struct opts *o,
			   const uint64_t *frames, uint64_t watch_addr)
{
	uint64_t t = START_NS + 50000000, last_flush = t, value = 1000;
	uint64_t step = o->hits / o->stacks, i;
	struct km_hit h;
	uint32_t k;
	double u;

	for (i = 0; i < o->hits; i++) {
		/*
		 * Skewed, density 1 / (2 sqrt(k / S)), except that stack j
		 * is sure to come up at hit j * HITS / STACKS: all of them
		 * are in the trace, first seen all along the recording.
		 */
		if (step && i % step == 0 && i / step < o->stacks) {
			k = i / step;
		} else {
			u = rnd01();
			k = (uint32_t)(o->stacks * u * u);
		}
		if (k >= o->stacks)
			k = o->stacks - 1;
		t += 5000 + rnd() % 10000;
		memset(&h, 0, sizeof(h));
		h.time_ns = t;
		h.frames = frames + (size_t)k * o->frames;
		h.nr_frames = o->frames;
		h.ip = h.frames[0];
		h.addr = watch_addr;
		h.old_value = value;
		value += rnd() % 4 == 0;
		h.value = value;
		h.has_value = true;
		h.has_old = i > 0;
		h.pid = 1000 + k % 61;
		h.tid = h.pid + k % 3;
		h.cpu = rnd() & 1;
		snprintf(h.comm, sizeof(h.comm), "%s",
			 comms[k % (sizeof(comms) / sizeof(*comms))]);
		check(km_tw_hit(w, &h), "hit");
		/* record flushes from its poll loop, once a second. */
		if (t - last_flush >= FLUSH_NS) {
			last_flush = t;
			check(km_tw_flush(w), "flush");
		}
	}
	return t;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: make_trace [-n HITS] [-s STACKS] [-f FRAMES] [-S SLIDE] [-r RELEASE]\n"
		"                  [-w SYMBOL] [-z SEED] VMLINUX OUT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = { .hits = 1000000,
			  .stacks = 2000,
			  .frames = 15,
			  .slide = 0x1e000000,
			  .seed = 1,
			  .watch = "sysctl_sched_cfs_bandwidth_slice" };
	char release[256], version[256], hex[2 * KM_BUILD_ID_MAX + 1];
	uint8_t id[KM_BUILD_ID_MAX];
	struct km_trace_writer w;
	struct km_trailer tr = { 0 };
	const struct sym *text, *watch;
	struct image im;
	uint64_t *frames, end;
	int c, id_len;

	while ((c = getopt(argc, argv, "n:s:f:S:r:w:z:")) != -1) {
		switch (c) {
		case 'n':
			o.hits = tool_number(optarg, "hit count");
			break;
		case 's':
			o.stacks = tool_number(optarg, "stack count");
			break;
		case 'f':
			o.frames = tool_number(optarg, "frame count");
			break;
		case 'S':
			o.slide = tool_number(optarg, "slide");
			break;
		case 'r':
			o.release = optarg;
			break;
		case 'w':
			o.watch = optarg;
			break;
		case 'z':
			o.seed = tool_number(optarg, "seed");
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	if (!o.stacks || !o.frames || o.frames > 127)
		errx(1, "STACKS must be at least 1, FRAMES 1 to 127");
	rng ^= o.seed * 0xbf58476d1ce4e5b9ull;
	if (!rng)
		rng = 1;

	id_len = km_elf_build_id(argv[optind], id, sizeof(id));
	if (id_len <= 0)
		errx(1, "%s has no GNU build-id", argv[optind]);
	read_image(&im, argv[optind]);
	text = find(&im, "_text");
	if (!text)
		errx(1, "%s has no _text symbol: report could not place it",
		     argv[optind]);
	watch = find(&im, o.watch);
	if (!watch || watch->type == 'A')
		errx(1, "%s has no symbol %s to watch", argv[optind], o.watch);
	parse_banner(im.banner, release, sizeof(release), version,
		     sizeof(version));
	if (o.release)
		snprintf(release, sizeof(release), "%s", o.release);
	if (!*release)
		errx(1, "no linux_banner in %s: give its release with -r",
		     argv[optind]);

	check(km_tw_create(&w, argv[optind + 1]), "create");
	put_meta(&w, &im, id, id_len, release, version, argc, argv);
	put_watch(&w, watch->addr + o.slide, o.watch);
	put_kallsyms(&w, &im, o.slide);
	frames = make_stacks(&im, o.stacks, o.frames, o.slide);
	end = write_hits(&w, &o, frames, watch->addr + o.slide);
	tr.seen = o.hits;
	tr.end_ns = end + 1000000;
	check(km_tw_finish(&w, &tr), "trailer");
	fprintf(stderr,
		"make_trace: %s: %" PRIu64 " hits, %" PRIu64
		" stacks of %u frames (%zu functions to pick from), %zu symbols, kernel %s, build-id %s, slide 0x%" PRIx64
		", _text at 0x%" PRIx64 ", %" PRIu64 " bytes\n",
		argv[optind + 1], tr.hits, tr.stacks, o.frames, im.nr_funcs,
		im.nr_syms, release, km_build_id_hex(hex, id, id_len), o.slide,
		text->addr + o.slide, w.bytes);
	if (tr.stacks != o.stacks)
		fprintf(stderr,
			"make_trace: %" PRIu64
			" distinct stacks, not %u: fewer hits than stacks, or two stacks drawn alike\n",
			tr.stacks, o.stacks);
	km_tw_free(&w);
	free(frames);
	free(im.syms);
	free(im.funcs);
	elf_end(im.elf);
	close(im.fd);
	return tr.stacks == o.stacks ? 0 : 1;
}
