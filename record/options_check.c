// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of live mode's and record's command line beyond parsing:
 * those that need no privilege run before any BPF program is loaded,
 * so that a wrong command line exits 2 whoever runs it; the rest once
 * the symbols are known, still before anything is armed.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "../common/error.h"
#include "../common/symbolize/vmlinux.h"
#include "capture/objects.h"
#include "capture/sysinfo.h"
#include "options.h"

/* The largest value len bytes hold. */
static uint64_t max_value(uint32_t len)
{
	return len >= 8 ? UINT64_MAX : (1ull << (8 * len)) - 1;
}

/*
 * What --if can compare with: execute breakpoints have no value, and a
 * number wider than the watch never equals (or always differs from)
 * what is there.
 */
static int check_value(const struct km_opts *o, int i, uint32_t type,
		       uint32_t len)
{
	const char *bp = o->words[2 * i], *expr = o->words[2 * i + 1];

	if (!o->filter.value_op)
		return 0;
	if (type == KM_BP_X) {
		km_usage(
			"--if compares values, and execute breakpoints (%s) have none",
			expr);
		return -EINVAL;
	}
	/* A member's own length (len 0) is checked once resolved. */
	if (len && o->filter.value_arg > max_value(len)) {
		km_usage("--if compares with 0x%" PRIx64
			 ", which does not fit in the %u bytes '%s %s' watches",
			 (uint64_t)o->filter.value_arg, len, bp, expr);
		return -EINVAL;
	}
	return 0;
}

/*
 * x86 debug registers watch writes, or reads and writes, never reads
 * alone: a request this machine cannot express is a usage error.
 */
static int check_reads_alone(const char *bp, const char *expr, uint32_t type,
			     uint32_t len)
{
#if defined(__x86_64__) || defined(__i386__)
	char rw[8];

	if (type == KM_BP_R) {
		/* len 0: a member's own length, given by leaving it out. */
		snprintf(rw, sizeof(rw), len ? "rw%u" : "rw", len);
		km_usage(
			"x86 cannot watch reads alone (%s): use %s %s, which sees writes as well",
			bp, rw, expr);
		return -EINVAL;
	}
#else
	(void)bp, (void)expr, (void)type, (void)len;
#endif
	return 0;
}

/* BP and the syntax of EXPR (a member path after an object option). */
static int check_watch(struct km_opts *o, int i)
{
	const char *bp = o->words[2 * i], *expr = o->words[2 * i + 1];
	uint32_t type, len;
	int err;

	err = km_watch_check(bp, expr, km_objects_for(o->objects, i) != NULL,
			     &type, &len);
	err = err ?: check_reads_alone(bp, expr, type, len);
	return err ?: check_value(o, i, type, len);
}

/*
 * The same words twice; addresses that turn out the same are caught
 * once resolved (km_opts_check_resolved).
 */
static int check_repeated(const struct km_opts *o)
{
	int i, j;

	for (i = 0; i < o->nr_watches; i++) {
		if (km_objects_for(o->objects, i))
			continue;
		for (j = 0; j < i; j++) {
			if (km_objects_for(o->objects, j) ||
			    strcmp(o->words[2 * i + 1], o->words[2 * j + 1]) ||
			    o->words[2 * i][strspn(o->words[2 * i], "rwx")] !=
				    o->words[2 * j]
					    [strspn(o->words[2 * j], "rwx")])
				continue;
			km_usage(
				"'%s %s' and '%s %s' watch the same bytes: give each once",
				o->words[2 * j], o->words[2 * j + 1],
				o->words[2 * i], o->words[2 * i + 1]);
			return -EINVAL;
		}
	}
	return 0;
}

/* -C: every CPU listed must be possible here (it may be offline now). */
static int check_cpus(const struct km_opts *o)
{
	int nr = libbpf_num_possible_cpus(), cpu;

	if (!o->filter.has_cpus || nr <= 0)
		return 0;
	for (cpu = nr; cpu < KM_MAX_CPUS; cpu++) {
		if (!(o->filter.cpus[cpu / 64] & (1ull << (cpu % 64))))
			continue;
		km_usage(
			"-C: there is no CPU %d here: this machine's CPUs are 0-%d",
			cpu, nr - 1);
		return -EINVAL;
	}
	return 0;
}

/*
 * -p and --tid: each task listed must exist when kmemsnoop starts, as
 * perf wants it; a filter on a task that is not there only ever filters.
 */
static int check_tasks(const uint32_t *ids, uint32_t nr, const char *opt,
		       const char *what)
{
	uint32_t i;

	for (i = 0; i < nr; i++) {
		if (kill((pid_t)ids[i], 0) == 0 || errno != ESRCH)
			continue;
		km_usage("%s %u: there is no %s %u", opt, ids[i], what, ids[i]);
		return -ESRCH;
	}
	return 0;
}

static int check_listed_tasks(const struct kmemsnoop_filter *f)
{
	int err = check_tasks(f->pids, f->nr_pids, "-p", "process");

	return err ?: check_tasks(f->tids, f->nr_tids, "--tid", "thread");
}

/* The running kernel's GNU build-id, or 0 bytes when it shows none. */
static size_t running_build_id(uint8_t *id, size_t max)
{
	char *notes;
	size_t len, n;

	if (km_read_file("/sys/kernel/notes", &notes, &len))
		return 0;
	n = km_find_build_id((uint8_t *)notes, len, id, max);
	free(notes);
	return n;
}

/*
 * -k VMLINUX: another kernel's symbols would put every watch and
 * frame at a wrong name without any sign of it, so its build-id must
 * be the running kernel's, unless --force.
 */
static int check_vmlinux(const struct km_opts *o)
{
	uint8_t want[KM_BUILD_ID_MAX], got[KM_BUILD_ID_MAX];
	char want_hex[2 * KM_BUILD_ID_MAX + 1],
		got_hex[2 * KM_BUILD_ID_MAX + 1];
	size_t want_len;
	int got_len;

	got_len = km_elf_build_id(o->vmlinux, got, sizeof(got));
	if (got_len < 0) {
		km_err("cannot read symbols from %s: %s", o->vmlinux,
		       got_len == -ENOEXEC ? "not an ELF file" :
					     strerror(-got_len));
		return got_len;
	}
	want_len = running_build_id(want, sizeof(want));
	if (!want_len) {
		km_warn("the running kernel shows no build-id (/sys/kernel/notes): cannot check that %s is its vmlinux",
			o->vmlinux);
		return 0;
	}
	if ((size_t)got_len == want_len && !memcmp(got, want, want_len))
		return 0;
	km_build_id_hex(want_hex, want, want_len);
	strcpy(got_hex, "none");
	if (got_len)
		km_build_id_hex(got_hex, got, got_len);
	if (o->force) {
		km_warn("%s has build-id %s, not the running kernel's %s: using it anyway (--force), so names may be wrong",
			o->vmlinux, got_hex, want_hex);
		return 0;
	}
	km_err("%s has build-id %s, but the running kernel's is %s: give the running kernel's vmlinux, or --force to use this one anyway",
	       o->vmlinux, got_hex, want_hex);
	return -EINVAL;
}

int km_opts_validate(struct km_opts *o)
{
	int i, err = 0;

	if (o->record && !*o->output) {
		km_usage(
			"-o '': empty file name: give a file, or - for stdout");
		return -EINVAL;
	}
	for (i = 0; !err && i < o->nr_watches; i++)
		err = check_watch(o, i);
	err = err ?: check_repeated(o);
	err = err ?: check_cpus(o);
	err = err ?: check_listed_tasks(&o->filter);
	if (!err && o->vmlinux)
		err = check_vmlinux(o);
	return err;
}

int km_opts_check_resolved(const struct km_opts *o, const struct km_targets *t)
{
	const struct km_watch *a, *b;
	int i, j;

	for (i = 0; i < o->nr_watches; i++) {
		if (check_value(o, i, t->watches[i].type, t->watches[i].len))
			return -EINVAL;
		for (j = 0; j < i; j++) {
			a = &t->watches[j];
			b = &t->watches[i];
			if (a->addr != b->addr || a->len != b->len)
				continue;
			km_usage(
				"'%s %s' and '%s %s' watch the same %u bytes at 0x%016" PRIx64
				": give each once",
				o->words[2 * j], o->words[2 * j + 1],
				o->words[2 * i], o->words[2 * i + 1], a->len,
				a->addr);
			return -EINVAL;
		}
	}
	return 0;
}
