// SPDX-License-Identifier: GPL-2.0
/*
 * kmemsnoop export (export.h). Two passes over the input: the first
 * learns every address the export keeps, so that the cut-down kallsyms
 * snapshot and MODULE_INFO, which come before the first hit, hold what
 * the stacks need, and every object address the LIFE records name; the
 * second copies the hits and LIFE records, rewritten.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/error.h"
#include "../common/htab.h"
#include "../common/symbolize/ksyms.h"
#include "../common/symbolize/vmlinux.h"
#include "../common/trace/life.h"
#include "../common/trace/tlv.h"
#include "../common/trace/trace_format.h"
#include "../common/trace/trace_reader.h"
#include "../common/trace/trace_rebase.h"
#include "../common/trace/trace_writer.h"
#include "export.h"

/*
 * Where the made-up data addresses start: never a real address, on
 * x86-64 (not canonical) or arm64 (bits 48-55 neither all 0, for a
 * user address even with its top byte ignored, nor all 1, for a
 * kernel one). The n-th address is at n pages from it.
 */
#define MADE_UP_DATA 0xda7a000000000000ull
#define MADE_UP_STEP 0x1000ull

struct exporter {
	const struct km_export_opts *o;
	struct km_trace first; /* pass 1; rb points into its data */
	struct km_rebase rb;
	uint64_t nominal;
	char note[512]; /* META EXPORT */
	struct km_trace t; /* pass 2 */
	struct km_trace_writer w;
	bool writing;
	uint64_t *frames; /* t.d.frames rebased, as far as mapped */
	size_t frames_cap, mapped;
	struct km_htab pids, comms; /* old -> new */
	struct km_htab objects; /* LIFE addresses -> 1, 2, ... (pass 1) */
	size_t life_done; /* LIFE records of t written so far */
};

static int oom(void)
{
	km_err("out of memory");
	return -ENOMEM;
}

/* The vmlinux's own _text: where the export puts the kernel. */
static int vmlinux_text(const struct km_trace_data *d, const char *path,
			uint64_t *text)
{
	uint8_t id[KM_BUILD_ID_MAX];
	const struct km_sym *s;
	struct km_symtab tab;
	int len;

	if (km_machine_check_elf(d->machine, d->path, path))
		return -EINVAL;
	len = km_elf_build_id(path, id, sizeof(id));
	if (len >= 0 && d->build_id_len &&
	    ((size_t)len != d->build_id_len || memcmp(id, d->build_id, len))) {
		km_err("%s is not the kernel %s was recorded on (its build-id differs)",
		       path, d->path);
		return -EINVAL;
	}
	if (len < 0 || km_symtab_from_elf(&tab, path)) {
		km_err("cannot read symbols from %s", path);
		return len < 0 ? len : -ENOEXEC;
	}
	s = km_symtab_find(&tab, "_text");
	if (s)
		*text = s->addr;
	else
		km_err("%s has no _text symbol to place the kernel by", path);
	km_symtab_free(&tab);
	return s ? 0 : -ENOENT;
}

static int nominal_text(struct exporter *x, const struct km_trace_data *d,
			const char **from)
{
	const struct km_kernel_layout *layout =
		km_kernel_layout_for(d->machine);

	if (x->o->vmlinux) {
		*from = "from the vmlinux";
		return vmlinux_text(d, x->o->vmlinux, &x->nominal);
	}
	/* Where each machine's vmlinux is linked to start (its _text). */
	if (layout) {
		*from = layout->source;
		x->nominal = layout->link_text;
		return 0;
	}
	km_usage(
		"%s was recorded on %s, which has no default link address: give -k VMLINUX",
		d->path, d->machine ? d->machine : "an unrecorded machine");
	return -EINVAL;
}

/* What META EXPORT says: where things went, what is gone. */
static void make_note(struct exporter *x, const char *from)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} gone[] = {
		{ KM_KEEP_HOSTNAME, "hostname" },
		{ KM_KEEP_CMDLINE, "cmdline" },
		{ KM_KEEP_REGS, "regs" },
		{ KM_KEEP_VALUES, "values" },
		{ KM_KEEP_ADDRESSES, "addresses" },
		{ KM_KEEP_PIDS, "pids (renumbered)" },
		{ KM_KEEP_COMMS, "comms (renamed)" },
	};
	size_t i, n;
	const char *sep = "";

	n = snprintf(
		x->note, sizeof(x->note),
		"kernel rebased to _text 0x%" PRIx64
		" (%s), modules to made-up bases, kallsyms cut to the stacks; removed: ",
		x->nominal, from);
	for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++, sep = ", ")
		if (!(x->o->keep & gone[i].bit) && n < sizeof(x->note))
			n += snprintf(x->note + n, sizeof(x->note) - n, "%s%s",
				      sep, gone[i].name);
	if (x->o->keep ==
	    (KM_KEEP_COMMS | KM_KEEP_HOSTNAME | KM_KEEP_CMDLINE | KM_KEEP_REGS |
	     KM_KEEP_VALUES | KM_KEEP_ADDRESSES | KM_KEEP_PIDS))
		snprintf(x->note + n, sizeof(x->note) - n, "nothing");
}

/* 1, 2, ... for each new key, the same number for one seen before. */
static int new_id(struct km_htab *h, const void *key, size_t len, uint64_t *id)
{
	bool created;
	uint64_t *v = km_htab_get(h, key, len, &created);

	if (!v)
		return -ENOMEM;
	if (created)
		*v = h->nr;
	*id = *v;
	return 0;
}

/*
 * The LIFE records' object and field addresses. Kept, those in the
 * kernel or a module are rebased as the hits' are; removed, each is
 * numbered as first seen for its made-up one (object_addr), which the
 * hits at it are given too: report finds a hit's object by address.
 */
static int learn_objects(struct exporter *x)
{
	const struct km_trace_data *d = &x->first.d;
	bool addrs = x->o->keep & KM_KEEP_ADDRESSES;
	uint64_t n;
	size_t i;

	for (i = 0; i < d->nr_life; i++) {
		if (addrs) {
			km_rebase_need(&x->rb, d->life[i].object);
			km_rebase_need(&x->rb, d->life[i].addr);
		} else if (new_id(&x->objects, &d->life[i].object,
				  sizeof(uint64_t), &n) ||
			   new_id(&x->objects, &d->life[i].addr,
				  sizeof(uint64_t), &n)) {
			return oom();
		}
	}
	return 0;
}

/* Pass 1: every address kept, then where the modules go. */
static int collect(struct exporter *x)
{
	const struct km_trace_data *d = &x->first.d;
	bool addrs = x->o->keep & KM_KEEP_ADDRESSES;
	const struct km_hit *h;
	const char *from;
	long n, i;
	size_t k;
	int err;

	err = km_trace_open(&x->first, x->o->input);
	err = err ?: nominal_text(x, d, &from);
	err = err   ?:
		      km_rebase_init(&x->rb, d, x->nominal,
				     km_kernel_layout_for(d->machine) ?
					     km_kernel_layout_for(d->machine)
						     ->module_base :
					     0);
	while (!err && (n = km_trace_next_hits(&x->first, &h)) != 0) {
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			km_rebase_need(&x->rb, h[i].ip);
			if (addrs)
				km_rebase_need(&x->rb, h[i].addr);
		}
	}
	for (k = 0; !err && k < d->nr_frames; k++)
		km_rebase_need(&x->rb, d->frames[k]);
	for (i = 0; !err && addrs && i < d->nr_watches; i++)
		km_rebase_need(&x->rb, d->watches[i].addr);
	err = err ?: learn_objects(x);
	if (!err && !x->rb.has_text && d->nr_frames)
		km_warn("%s has no _text in its kallsyms snapshot: kernel addresses cannot be rebased and are left out",
			d->path);
	if (!err)
		make_note(x, from);
	return err ?: km_rebase_place(&x->rb);
}

/* A kept data address: rebased if it is the kernel's, else as it was. */
static uint64_t data_addr(const struct exporter *x, uint64_t addr)
{
	return km_rebase_known(&x->rb, addr) ? km_rebase_addr(&x->rb, addr) :
					       addr;
}

/*
 * A removed data address: the made-up one of an address some object
 * had, 0 for any other, as no object's is 0. The same address gets the
 * same one everywhere, so report gives each hit the object it did.
 */
static uint64_t object_addr(const struct exporter *x, uint64_t addr)
{
	const uint64_t *n = km_htab_find(&x->objects, &addr, sizeof(addr));

	return n ? MADE_UP_DATA + *n * MADE_UP_STEP : 0;
}

/* A data address in the export: data_addr if kept, else object_addr. */
static uint64_t export_addr(const struct exporter *x, uint64_t addr)
{
	return x->o->keep & KM_KEEP_ADDRESSES ? data_addr(x, addr) :
						object_addr(x, addr);
}

/* Whether the word at s (len bytes) is a number as large as an address. */
static bool is_addr_word(const char *s, size_t len)
{
	size_t i = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 2 :
									    0;
	size_t digits = len - i;

	for (; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return digits >= 9 && digits <= 16;
}

/*
 * s with every word that could be a kernel address (more than 8 hex
 * digits) as "0x?": an EXPR typed as an address, an OBJECT's "at ADDR".
 */
static char *mask_addresses(const char *s)
{
	size_t n = strlen(s), i = 0, j, o = 0;
	char *out = malloc(n + 1);

	while (out && i < n) {
		for (j = i;
		     j < n && (isalnum((unsigned char)s[j]) || s[j] == '_');
		     j++)
			;
		if (j == i) {
			out[o++] = s[i++];
		} else if (is_addr_word(s + i, j - i)) {
			memcpy(out + o, "0x?", 3);
			o += 3;
			i = j;
		} else {
			memcpy(out + o, s + i, j - i);
			o += j - i;
			i = j;
		}
	}
	if (out)
		out[o] = '\0';
	return out;
}

/* The keys record's filter description has after comm= (filter.c). */
static bool after_comm_key(const char *w)
{
	return !strncmp(w, "cpus=", 5) || !strncmp(w, "value", 5) ||
	       !strncmp(w, "count=", 6);
}

/*
 * Where the value of the comm= word at s ends: at the next key. A name
 * from a trace of before names were escaped may hold spaces, and all of
 * it goes.
 */
static size_t comm_value_len(const char *s)
{
	size_t len = strcspn(s, " ");

	while (s[len] == ' ' && !after_comm_key(s + len + 1))
		len += 1 + strcspn(s + len + 1, " ");
	return len;
}

/* FILTERS with the values of the pid, tid and comm words as "?". */
static char *mask_filters(const char *s, unsigned int keep)
{
	size_t n = strlen(s), i = 0, o = 0, w;
	char *out = malloc(n + 1);
	bool pid, comm;

	while (out && i < n) {
		w = strcspn(s + i, " ");
		pid = !strncmp(s + i, "pid=", 4) ||
		      !strncmp(s + i, "tid=", 4) ||
		      !strncmp(s + i, "exclude-pid=", 12);
		comm = !strncmp(s + i, "comm=", 5);
		if ((pid && !(keep & KM_KEEP_PIDS)) ||
		    (comm && !(keep & KM_KEEP_COMMS))) {
			w = strchr(s + i, '=') - (s + i) + 1;
			memcpy(out + o, s + i, w);
			o += w;
			out[o++] = '?';
			i += comm ? comm_value_len(s + i) : strcspn(s + i, " ");
			continue;
		}
		memcpy(out + o, s + i, w + (i + w < n));
		o += w + (i + w < n);
		i += w + (i + w < n);
	}
	if (out)
		out[o] = '\0';
	return out;
}

/* The command line as record stores it: each argument NUL-terminated. */
static int put_cmdline(struct km_buf *b, const char *joined)
{
	size_t n = strlen(joined), i;
	char *s = malloc(n + 1);
	int err;

	if (!s)
		return -ENOMEM;
	for (i = 0; i <= n; i++)
		s[i] = joined[i] == ' ' ? '\0' : joined[i];
	err = km_tlv_put(b, KM_META_CMDLINE, s, n + 1);
	free(s);
	return err;
}

static int put_str_if(struct km_buf *b, uint16_t tag, const char *s)
{
	return s ? km_tlv_put_str(b, tag, s) : 0;
}

static int put_u64_if(struct km_buf *b, uint16_t tag, uint64_t v)
{
	return v ? km_tlv_put_u64(b, tag, v) : 0;
}

static int meta_entries(struct exporter *x, struct km_buf *b)
{
	const struct km_trace_data *d = &x->t.d;
	unsigned int keep = x->o->keep;
	char *filters = NULL;
	int err = 0;

	if (d->build_id_len)
		err = km_tlv_put(b, KM_META_BUILD_ID, d->build_id,
				 d->build_id_len);
	err = err ?: put_str_if(b, KM_META_RELEASE, d->release);
	err = err ?: put_str_if(b, KM_META_KVERSION, d->kversion);
	err = err ?: put_str_if(b, KM_META_MACHINE, d->machine);
	if (keep & KM_KEEP_HOSTNAME)
		err = err ?: put_str_if(b, KM_META_HOSTNAME, d->hostname);
	err = err ?: put_u64_if(b, KM_META_REALTIME_NS, d->realtime_ns);
	err = err ?: put_u64_if(b, KM_META_MONOTONIC_NS, d->monotonic_ns);
	if ((keep & KM_KEEP_CMDLINE) && d->cmdline)
		err = err ?: put_cmdline(b, d->cmdline);
	err = err ?: put_u64_if(b, KM_META_NR_CPUS, d->nr_cpus);
	err = err ?: put_str_if(b, KM_META_TOOL_VERSION, d->tool_version);
	if (!err && d->filters) {
		filters = mask_filters(d->filters, keep);
		err = filters ? km_tlv_put_str(b, KM_META_FILTERS, filters) :
				-ENOMEM;
	}
	free(filters);
	err = err ?: put_u64_if(b, KM_META_NR_REGS, d->nr_regs);
	return err ?: km_tlv_put_str(b, KM_META_EXPORT, x->note);
}

static int put_meta(struct exporter *x)
{
	struct km_buf b = { 0 };
	int err = meta_entries(x, &b);

	if (err)
		err = oom();
	else
		err = km_tw_chunk(&x->w, KM_CHUNK_META, b.data, b.len);
	km_buf_free(&b);
	return err;
}

/* EXPR or OBJECT: as typed, or with its addresses masked. */
static int put_text(struct km_buf *b, uint16_t tag, const char *s, bool keep)
{
	char *m;
	int err;

	if (!s)
		return 0;
	if (keep)
		return km_tlv_put_str(b, tag, s);
	m = mask_addresses(s);
	err = m ? km_tlv_put_str(b, tag, m) : -ENOMEM;
	free(m);
	return err;
}

static int put_watch(struct exporter *x, int i)
{
	const struct km_watch *wt = &x->t.d.watches[i];
	bool addrs = x->o->keep & KM_KEEP_ADDRESSES;
	struct km_buf b = { 0 };
	int err;

	err = km_tlv_put_u64(&b, KM_WATCH_INDEX, i);
	err = err ?: km_tlv_put_u64(&b, KM_WATCH_TYPE, wt->type);
	err = err ?: km_tlv_put_u64(&b, KM_WATCH_LEN, wt->len);
	if (addrs)
		err = err   ?:
			      km_tlv_put_u64(&b, KM_WATCH_ADDR,
					     data_addr(x, wt->addr));
	err = err ?: put_text(&b, KM_WATCH_EXPR, wt->expr, addrs);
	err = err ?: put_text(&b, KM_WATCH_OBJECT, wt->object, addrs);
	if (err)
		err = oom();
	else
		err = km_tw_chunk(&x->w, KM_CHUNK_WATCH, b.data, b.len);
	km_buf_free(&b);
	return err;
}

/* KALLSYMS cut down; MODULES text left out; MODULE_INFO rebased. */
static int put_symbols(struct exporter *x)
{
	struct km_module_info *mods = NULL;
	struct km_buf b = { 0 };
	size_t nr = 0, i;
	int err = 0;

	if (x->t.d.kallsyms)
		err = km_rebase_kallsyms(&x->rb, &b) ?
			      oom() :
			      km_tw_chunk(&x->w, KM_CHUNK_KALLSYMS, b.data,
					  b.len);
	if (!err && km_rebase_modules(&x->rb, &mods, &nr))
		err = oom();
	for (i = 0; !err && i < nr; i++)
		err = km_tw_module_info(&x->w, &mods[i]);
	km_module_list_free(mods, nr);
	km_buf_free(&b);
	return err;
}

/* pid 0 is the idle task's on every machine: it stays 0. */
static int renumber(struct exporter *x, uint32_t *id)
{
	uint64_t n = 0;
	int err;

	if (!*id)
		return 0;
	err = new_id(&x->pids, id, sizeof(*id), &n);
	*id = n;
	return err;
}

static int rename_comm(struct exporter *x, char *comm)
{
	uint64_t n = 0;
	int err = new_id(&x->comms, comm, strnlen(comm, KM_COMM_LEN), &n);

	snprintf(comm, KM_COMM_LEN, "task%" PRIu64, n);
	return err;
}

/* The frames read so far, rebased once each, not once a hit. */
static int map_frames(struct exporter *x)
{
	const struct km_trace_data *d = &x->t.d;

	if (km_grow_array((void **)&x->frames, &x->frames_cap, d->nr_frames + 1,
			  sizeof(*x->frames)))
		return oom();
	for (; x->mapped < d->nr_frames; x->mapped++)
		x->frames[x->mapped] =
			km_rebase_addr(&x->rb, d->frames[x->mapped]);
	return 0;
}

static int copy_hit(struct exporter *x, const struct km_hit *in)
{
	unsigned int keep = x->o->keep;
	struct km_hit h = *in;
	int err = 0;

	h.ip = km_rebase_addr(&x->rb, in->ip);
	h.addr = export_addr(x, in->addr);
	if (in->frames)
		h.frames = x->frames + (in->frames - x->t.d.frames);
	if (!(keep & KM_KEEP_VALUES)) {
		h.has_value = h.has_old = false;
		h.value = h.old_value = 0;
	}
	if (!(keep & KM_KEEP_REGS))
		h.regs = NULL;
	if (!(keep & KM_KEEP_PIDS))
		err = renumber(x, &h.pid) ?: renumber(x, &h.tid);
	if (!(keep & KM_KEEP_COMMS))
		err = err ?: rename_comm(x, h.comm);
	if (err)
		return oom();
	return km_tw_hit(&x->w, &h);
}

/* Tasks as in the hits: renumbered and renamed by the same tables. */
static int copy_life(struct exporter *x, const struct km_life_rec *in)
{
	unsigned int keep = x->o->keep;
	struct km_life_rec r = *in;
	struct km_buf b = { 0 };
	int err = 0;

	r.object = export_addr(x, in->object);
	r.addr = export_addr(x, in->addr);
	if (!(keep & KM_KEEP_PIDS))
		err = renumber(x, &r.pid) ?: renumber(x, &r.tid);
	if (!(keep & KM_KEEP_COMMS))
		err = err ?: rename_comm(x, r.comm);
	err = err ?: km_life_encode(&b, &r);
	if (err)
		err = oom();
	else
		err = km_tw_chunk(&x->w, KM_CHUNK_LIFE, b.data, b.len);
	km_buf_free(&b);
	return err;
}

/*
 * The LIFE records read since the last call, each where it was among
 * the hits: report finds a hit's object among the records read before
 * it, so the hits queued before them go first.
 */
static int copy_life_so_far(struct exporter *x)
{
	const struct km_trace_data *d = &x->t.d;
	int err = 0;

	if (x->life_done < d->nr_life && x->w.nr_pending)
		err = km_tw_flush(&x->w);
	for (; !err && x->life_done < d->nr_life; x->life_done++)
		err = copy_life(x, &d->life[x->life_done]);
	return err;
}

/* The arming programs' counts: nothing in them to remove. */
static int copy_life_summary(struct exporter *x)
{
	const struct km_life_summary *s = &x->t.d.life_summary;
	struct km_buf b = { 0 };
	int err;

	if (!s->valid)
		return 0;
	err = km_life_encode_summary(&b, s) ?
		      oom() :
		      km_tw_chunk(&x->w, KM_CHUNK_LIFE, b.data, b.len);
	km_buf_free(&b);
	return err;
}

static int copy_hits(struct exporter *x)
{
	const struct km_hit *h;
	long n, i;
	int err = 0;

	while (!err && (n = km_trace_next_hits(&x->t, &h)) != 0) {
		if (n < 0)
			return n;
		err = copy_life_so_far(x) ?: map_frames(x);
		for (i = 0; !err && i < n; i++)
			err = copy_hit(x, &h[i]);
	}
	err = err ?: copy_life_so_far(x);
	return err ?: copy_life_summary(x);
}

/* A trailer only if the input had one: an export claims no more. */
static int finish(struct exporter *x)
{
	const struct km_trace_data *d = &x->t.d;
	struct km_trailer tr = { .lost = d->t_lost,
				 .end_ns = d->t_end_ns,
				 .seen = d->t_seen,
				 .filtered = d->t_filtered };

	if (!d->has_trailer)
		return km_tw_flush(&x->w);
	return km_tw_finish(&x->w, &tr);
}

/* Pass 2: the header chunks, then every hit. */
static int write_export(struct exporter *x)
{
	int err, i;

	err = km_trace_open(&x->t, x->o->input);
	if (err)
		return err;
	/* Pass 1 has said whether the input is cut short: once is enough. */
	x->t.warned = true;
	err = km_tw_create(&x->w, x->o->output);
	x->writing = !err || x->w.fd >= 0;
	err = err ?: put_meta(x);
	for (i = 0; !err && i < x->t.d.nr_watches; i++)
		err = put_watch(x, i);
	err = err ?: put_symbols(x);
	err = err ?: copy_hits(x);
	return err ?: finish(x);
}

static bool same_file(const struct stat *a, const char *path)
{
	struct stat b;

	return !stat(path, &b) && a->st_dev == b.st_dev &&
	       a->st_ino == b.st_ino;
}

/*
 * The writer keeps an existing output as OUTPUT.old: neither name may
 * be the input's.
 */
static int check_paths(const struct km_export_opts *o)
{
	char old[4096];
	struct stat in;

	if (stat(o->input, &in))
		return 0; /* the reader says why it cannot open it */
	snprintf(old, sizeof(old), "%s.old", o->output);
	if (same_file(&in, o->output) ||
	    (!access(o->output, F_OK) && same_file(&in, old))) {
		km_usage("-o %s would replace the input %s: give another -o",
			 o->output, o->input);
		return -EINVAL;
	}
	return 0;
}

int km_export(const struct km_export_opts *o)
{
	struct exporter x = { .o = o, .w = { .fd = -1 } };
	int err;

	err = check_paths(o);
	err = err ?: collect(&x);
	err = err ?: write_export(&x);
	if (!err)
		fprintf(stderr,
			"kmemsnoop: wrote %s: %" PRIu64
			" hits, %zu stacks; %s\n",
			o->output, x.w.hits, x.w.stacks.nr, x.note);
	if (err && x.writing)
		km_tw_abort(&x.w);
	if (x.writing)
		km_tw_free(&x.w);
	km_trace_close(&x.t);
	km_rebase_free(&x.rb);
	km_trace_close(&x.first);
	km_htab_free(&x.pids);
	km_htab_free(&x.comms);
	km_htab_free(&x.objects);
	free(x.frames);
	return err;
}

int km_cmd_export(int argc, char **argv)
{
	struct km_export_opts o;
	int err = km_export_parse(&o, argc, argv);

	if (err == 1)
		return KM_EXIT_OK;
	return km_exit_status(err ?: km_export(&o));
}
