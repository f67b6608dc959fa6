// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/btf.h>
#include "../../bpf/kmemsnoop.h"
#include "lifetime.skel.h"
#include "../../common/btf_path.h"
#include "../../common/error.h"
#include "kbtf.h"
#include "lifetime.h"
#include "session.h"

/*
 * Where a slot's breakpoints sit while it holds no object: read-only
 * data no one writes, and a BTF kernel (which kmemsnoop needs) always
 * has it. The hit program ignores hits on a slot without an object.
 */
#define PLACEHOLDER "__start_BTF"

struct call {
	char func[128];
	char arg[64];
	bool retval; /* ARG is $retval: fexit */
	uint32_t arg_idx;
	uint32_t struct_id; /* what ARG points to */
};

struct km_lifetime {
	struct call on, off;
	bool has_off;
	int nr; /* slots */
	struct km_watch *watches;
	struct km_member_path path;
	char type[KM_PATH_TEXT_MAX]; /* the object's, "struct file" */
	struct lifetime_bpf *skel;
	struct bpf_link *links[2];
	struct km_armed *armed;
	struct km_life_hit_state hs;
	km_life_cb on_life;
	void *ctx;
	bool replace; /* --replace */
	uint64_t addr[KM_MAX_WATCHES]; /* each slot's field, while it has one */
	/*
	 * Each slot's object and arming number, as the events handled so
	 * far leave them: the events come in the order they were made, so
	 * a DISARM is of the object these say, whatever the BPF side read.
	 */
	uint64_t obj[KM_MAX_WATCHES];
	uint32_t seq[KM_MAX_WATCHES];
	uint64_t refused;
	int err; /* from on_life: stops the session */
};

/* "FUNC:ARG" into c; says what is wrong with it. */
static int parse_call(struct call *c, const char *opt, const char *s)
{
	const char *colon = strchr(s, ':');

	if (!colon || colon == s || !colon[1] ||
	    (size_t)(colon - s) >= sizeof(c->func) ||
	    strlen(colon + 1) >= sizeof(c->arg) || strchr(colon + 1, ':')) {
		km_usage(
			"bad %s '%s': give FUNC:ARG, a kernel function and the name of its parameter that points to the object (or $retval), e.g. %s",
			opt, s,
			!strcmp(opt, "--on") ? "do_truncate:dentry" :
					       "__dentry_kill:dentry");
		return -EINVAL;
	}
	snprintf(c->func, sizeof(c->func), "%.*s", (int)(colon - s), s);
	snprintf(c->arg, sizeof(c->arg), "%s", colon + 1);
	c->retval = !strcmp(c->arg, "$retval");
	return 0;
}

/* Skips typedefs and qualifiers. */
static const struct btf_type *resolve_mods(const struct btf *btf, uint32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static void list_params(const struct btf *btf, const struct btf_type *proto,
			char *buf, size_t size)
{
	const struct btf_param *p = btf_params(proto);
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < btf_vlen(proto) && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				btf__name_by_offset(btf, p[i].name_off));
	if (!i)
		snprintf(buf, size, "none");
}

/* FUNC in BTF, ARG among its parameters, pointing to a struct. */
static int check_call(const struct btf *btf, struct call *c, const char *opt,
		      const struct km_symtab *syms)
{
	const struct btf_type *fn, *proto, *t;
	const struct btf_param *p;
	char names[512], tname[KM_PATH_TEXT_MAX];
	uint32_t id;
	int fid, i;

	fid = btf__find_by_name_kind(btf, c->func, BTF_KIND_FUNC);
	if (fid < 0) {
		if (km_symtab_find(syms, c->func))
			km_usage(
				"%s %s: the kernel has %s in /proc/kallsyms but not in its BTF, so it cannot be traced by fentry (a clone the compiler made, or assembly)",
				opt, c->func, c->func);
		else
			km_usage(
				"%s %s: no function %s in the kernel's BTF (/sys/kernel/btf/vmlinux): it does not exist here, or is inlined into its callers",
				opt, c->func, c->func);
		return -ENOENT;
	}
	fn = btf__type_by_id(btf, fid);
	proto = btf__type_by_id(btf, fn->type);
	if (!proto || !btf_is_func_proto(proto)) {
		km_usage("%s %s: the kernel's BTF has no prototype for it", opt,
			 c->func);
		return -EINVAL;
	}
	if (c->retval) {
		id = proto->type;
	} else {
		p = btf_params(proto);
		for (i = 0; i < btf_vlen(proto); i++)
			if (!strcmp(btf__name_by_offset(btf, p[i].name_off),
				    c->arg))
				break;
		if (i == btf_vlen(proto)) {
			list_params(btf, proto, names, sizeof(names));
			km_usage(
				"%s %s: %s has no parameter '%s'; its parameters: %s (or $retval for what it returns)",
				opt, c->func, c->func, c->arg, names);
			return -ENOENT;
		}
		c->arg_idx = i;
		id = p[i].type;
	}
	t = resolve_mods(btf, &id);
	if (t && btf_is_ptr(t)) {
		id = t->type;
		t = resolve_mods(btf, &id);
	} else {
		t = NULL;
	}
	if (!t || !(btf_is_struct(t) || btf_is_union(t))) {
		km_btf_type_name(btf,
				 c->retval ? proto->type :
					     btf_params(proto)[c->arg_idx].type,
				 tname, sizeof(tname));
		km_usage(
			"%s %s:%s is %s, not a pointer to a struct or union: nothing to take a member path from",
			opt, c->func, c->arg, tname);
		return -EINVAL;
	}
	c->struct_id = id;
	return 0;
}

/* The watch length against the field's size; no alignment known yet. */
static int fit_len(struct km_watch *w, const struct km_member_path *p)
{
	if (w->type == KM_BP_X) {
		km_usage(
			"--on watches data in an object: use r, w or rw, not x");
		return -EINVAL;
	}
	if (!w->len &&
	    (p->size == 1 || p->size == 2 || p->size == 4 || p->size == 8)) {
		w->len = p->size;
		return 0;
	}
	if (!w->len) {
		km_usage(
			"%s is %u bytes (%s): give a length of 1, 2, 4 or 8, e.g. %s8",
			p->field, p->size, p->type_name, km_bp_name(w->type));
		return -EINVAL;
	}
	if (p->size && w->len > p->size) {
		km_usage(
			"%s is %u bytes (%s), smaller than the watch length %u",
			p->field, p->size, p->type_name, w->len);
		return -EINVAL;
	}
	return 0;
}

static int fill_watches(struct km_lifetime *l, const struct km_watch *tmpl,
			const char *expr, uint64_t placeholder,
			struct km_watch *watches)
{
	char desc[512], off[256] = "";
	int i;

	if (l->has_off)
		snprintf(off, sizeof(off), " --off %s:%s", l->off.func,
			 l->off.arg);
	snprintf(desc, sizeof(desc), "objects from --on %s:%s%s (%s)",
		 l->on.func, l->on.arg, off, l->type);
	for (i = 0; i < l->nr; i++) {
		watches[i] = *tmpl;
		watches[i].addr = placeholder;
		watches[i].expr = strdup(expr);
		watches[i].object = strdup(desc);
		if (!watches[i].expr || !watches[i].object) {
			km_err("out of memory");
			return -ENOMEM;
		}
	}
	l->watches = watches;
	return 0;
}

static int resolve(struct km_lifetime *l, struct km_kbtf *k, const char *on,
		   const char *off, const char *bp, const char *expr,
		   const struct km_symtab *syms, struct km_watch *watches)
{
	const struct km_sym *ph = km_symtab_find(syms, PLACEHOLDER);
	char a[KM_PATH_TEXT_MAX], b[KM_PATH_TEXT_MAX];
	struct km_watch w = { 0 };
	int err;

	err = parse_call(&l->on, "--on", on);
	if (!err && off && !(err = parse_call(&l->off, "--off", off)))
		l->has_off = true;
	if (!err && l->has_off && l->off.retval) {
		km_usage(
			"--off %s: a free is seen at its call: give a parameter, not $retval",
			off);
		err = -EINVAL;
	}
	if (!err && km_parse_bp_field(bp, &w.type, &w.len)) {
		km_usage(
			"bad breakpoint type '%s': use r, w or rw, then a length of 1, 2, 4 or 8, or none for the field's own (e.g. w8 or w)",
			bp);
		err = -EINVAL;
	}
	err = err ?: km_kbtf_load(k, NULL);
	if (err)
		return err;
	err = check_call(k->vmlinux, &l->on, "--on", syms);
	if (!err && l->has_off)
		err = check_call(k->vmlinux, &l->off, "--off", syms);
	if (err)
		return err;
	if (l->has_off && l->off.struct_id != l->on.struct_id) {
		km_btf_type_name(k->vmlinux, l->on.struct_id, a, sizeof(a));
		km_btf_type_name(k->vmlinux, l->off.struct_id, b, sizeof(b));
		km_usage("--off %s gives a %s, but --on's object is a %s", off,
			 b, a);
		return -EINVAL;
	}
	km_btf_type_name(k->vmlinux, l->on.struct_id, l->type, sizeof(l->type));
	err = km_member_path(k->vmlinux, l->on.struct_id, expr, &l->path);
	if (err) {
		km_usage("%s", l->path.err);
		return err;
	}
	err = fit_len(&w, &l->path);
	if (err)
		return err;
	if (!ph) {
		km_err("no " PLACEHOLDER
		       " in /proc/kallsyms: nowhere to keep a free slot's breakpoint");
		return -ENOENT;
	}
	return fill_watches(l, &w, expr, ph->addr, watches);
}

int km_life_resolve(struct km_lifetime **lp, const char *on, const char *off,
		    int nr, const char *bp, const char *expr,
		    const struct km_symtab *syms, struct km_watch *watches)
{
	struct km_lifetime *l = calloc(1, sizeof(*l));
	struct km_kbtf k = { 0 };
	int err;

	*lp = NULL;
	if (!l) {
		km_err("out of memory");
		return -ENOMEM;
	}
	l->nr = nr;
	err = resolve(l, &k, on, off, bp, expr, syms, watches);
	km_kbtf_free(&k);
	if (err) {
		km_life_free(l);
		return err;
	}
	*lp = l;
	return 0;
}

void km_life_replace_oldest(struct km_lifetime *l)
{
	l->replace = true;
}

/* Moves slot's breakpoints on every CPU to addr, on or off. */
static int move(struct km_lifetime *l, int slot, uint64_t addr, bool off)
{
	struct km_watch w = l->watches[slot];
	struct perf_event_attr attr;
	int c, err = 0;

	w.addr = addr;
	km_bp_attr(&attr, &w, l->armed->stacks);
	attr.disabled = off;
	for (c = 0; c < l->armed->nr_cpus; c++) {
		int fd = l->armed->fds[slot * l->armed->nr_cpus + c];

		if (ioctl(fd, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &attr) && !err)
			err = -errno;
	}
	return err;
}

/* The slot is free for a new object: its breakpoints are off. */
static void release(struct km_lifetime *l, int slot)
{
	l->hs.watch_live[slot] = 0;
	l->addr[slot] = 0;
	l->obj[slot] = 0;
	__atomic_store_n(&l->skel->bss->slot_applied[slot], 0,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&l->skel->bss->slot_word[slot], 0, __ATOMIC_RELEASE);
}

/* Hands r (ARM or DISARM, complete) to the caller; 1 if it said stop. */
static int emit(struct km_lifetime *l, const struct km_life_rec *r)
{
	if (!l->on_life || l->err)
		return 0;
	l->err = l->on_life(l->ctx, r);
	return l->err < 0;
}

/*
 * --replace: the DISARM of the object the slot left, as its free would
 * be, but marked replaced: its breakpoint moved on at live_ns, to the
 * object of the ARM that follows it.
 */
static void emit_replaced(struct km_lifetime *l, const struct km_life_rec *arm,
			  uint64_t old_addr)
{
	struct km_life_rec r = *arm;

	r.kind = KM_LIFE_DISARM;
	r.replaced = true;
	r.seq = l->seq[arm->slot];
	r.object = l->obj[arm->slot];
	r.addr = old_addr;
	emit(l, &r);
}

static int on_arm(struct km_lifetime *l, const struct km_life_event *e,
		  struct km_life_rec *r)
{
	int s = e->slot, err;
	uint64_t old_addr = l->addr[s];
	/* The object left is the one the events so far put there. */
	bool replacing = e->replaced && l->obj[s];

	/* No old value from the last object: the first hit has none. */
	l->hs.last_valid[s] = 0;
	l->hs.watch_addr[s] = e->addr;
	l->hs.watch_live[s] = 1;
	err = move(l, s, e->addr, false);
	r->live_ns = km_now_ns();
	if (replacing)
		emit_replaced(l, r, old_addr);
	if (err) {
		if (!l->refused++)
			km_warn("the kernel would not move a breakpoint to 0x%" PRIx64
				" (%s): that object is not watched",
				(uint64_t)e->addr, strerror(-err));
		move(l, s, e->addr, true);
		release(l, s);
		return 1;
	}
	l->addr[s] = e->addr;
	l->obj[s] = e->object;
	l->seq[s] = e->seq;
	/* Moved: --replace may take this slot from now on. */
	__atomic_store_n(&l->skel->bss->slot_applied[s], 1, __ATOMIC_RELEASE);
	return 0;
}

static int on_disarm(struct km_lifetime *l, const struct km_life_event *e,
		     struct km_life_rec *r)
{
	int s = e->slot;

	move(l, s, l->addr[s], true);
	r->live_ns = km_now_ns();
	r->addr = l->addr[s];
	r->seq = l->seq[s];
	r->object = l->obj[s];
	release(l, s);
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct km_lifetime *l = ctx;
	const struct km_life_event *e = data;
	struct km_life_rec r = { 0 };
	int err;

	if (size < sizeof(*e) || e->slot >= (uint32_t)l->nr)
		return 0;
	r = (struct km_life_rec){ .kind = e->kind,
				  .slot = e->slot,
				  .seq = e->seq,
				  .event_ns = e->time_ns,
				  .object = e->object,
				  .addr = e->addr,
				  .pid = e->pid,
				  .tid = e->tid };
	memcpy(r.comm, e->comm, KM_COMM_LEN);
	if (e->kind == KM_LIFE_ARM)
		err = on_arm(l, e, &r);
	else if (e->kind == KM_LIFE_DISARM)
		err = on_disarm(l, e, &r);
	else
		return 0;
	if (!err)
		emit(l, &r);
	return l->err < 0 ? l->err : 0;
}

/* Why an attach failed, with what to check. */
static void explain_attach(const struct call *c, int err)
{
	/* 524: the kernel's ENOTSUPP, which has no name in user space. */
	if (err == -EOPNOTSUPP || err == -524)
		km_err("cannot attach to %s: this kernel has no BPF trampolines for fentry/fexit (it needs CONFIG_BPF_JIT, CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS and CONFIG_FUNCTION_TRACER, on x86-64)",
		       c->func);
	else if (err == -EINVAL || err == -ENOENT || err == -EBUSY)
		km_err("cannot attach to %s (%s): it may be notrace (not in /sys/kernel/tracing/available_filter_functions) or inlined",
		       c->func, strerror(-err));
	else
		km_err("cannot attach to %s: %s", c->func, strerror(-err));
}

static int load(struct km_lifetime *l, const struct kmemsnoop_filter *filter)
{
	struct lifetime_bpf *s = lifetime_bpf__open();
	struct bpf_program *on;
	int i, err;

	if (!s) {
		km_err("cannot open the arming programs: %s", strerror(errno));
		return -errno;
	}
	l->skel = s;
	memcpy((void *)&s->rodata->filter, filter, sizeof(*filter));
	s->rodata->self_pid = getpid();
	s->rodata->on_arg = l->on.arg_idx;
	s->rodata->off_arg = l->off.arg_idx;
	s->rodata->nr_slots = l->nr;
	s->rodata->nr_derefs = l->path.nr_derefs;
	for (i = 0; i < l->path.nr_derefs && i < KM_LIFE_MAX_DEREFS; i++)
		s->rodata->deref_off[i] = l->path.derefs[i].off;
	s->rodata->field_off = l->path.off;
	s->rodata->watch_len = l->watches[0].len;
	s->rodata->replace = l->replace;
	on = l->on.retval ? s->progs.on_exit : s->progs.on_entry;
	bpf_program__set_autoload(
		l->on.retval ? s->progs.on_entry : s->progs.on_exit, false);
	err = bpf_program__set_attach_target(on, 0, l->on.func);
	if (!err && l->has_off)
		err = bpf_program__set_attach_target(s->progs.off_entry, 0,
						     l->off.func);
	else if (!err)
		bpf_program__set_autoload(s->progs.off_entry, false);
	if (err) {
		km_err("cannot set the arming programs' functions: %s",
		       strerror(-err));
		return err;
	}
	err = lifetime_bpf__load(s);
	if (err == -EPERM && !geteuid())
		km_err("this kernel refuses fentry/fexit programs even to root (a security module or lockdown, or no BPF trampolines: CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS), so --on cannot arm on %s here",
		       l->on.func);
	else if (err == -EPERM)
		km_err("permission denied loading the arming programs: run as root (or with CAP_BPF and CAP_PERFMON)");
	else if (err)
		km_err("cannot load the arming programs for %s%s%s: %s (fentry needs CONFIG_BPF_JIT and CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS; KMEMSNOOP_DEBUG=1 shows the verifier's log)",
		       l->on.func, l->has_off ? " and " : "",
		       l->has_off ? l->off.func : "", strerror(-err));
	if (err)
		return err;
	l->links[0] = bpf_program__attach_trace(on);
	if (!l->links[0]) {
		explain_attach(&l->on, -errno);
		return -errno;
	}
	if (l->has_off &&
	    !(l->links[1] = bpf_program__attach_trace(s->progs.off_entry))) {
		explain_attach(&l->off, -errno);
		return -errno;
	}
	return 0;
}

int km_life_start(struct km_lifetime *l, struct km_armed *a,
		  const struct km_life_hit_state *hs, struct ring_buffer *rb,
		  const struct kmemsnoop_filter *filter, km_life_cb on_life,
		  void *ctx)
{
	int i, err;

	l->armed = a;
	l->hs = *hs;
	l->on_life = on_life;
	l->ctx = ctx;
	/* Every slot off at its placeholder until it has an object. */
	for (i = 0; i < l->nr; i++) {
		err = move(l, i, l->watches[i].addr, true);
		if (err) {
			km_err("cannot turn a breakpoint off with PERF_EVENT_IOC_MODIFY_ATTRIBUTES: %s (the kernel needs 4.17 or later)",
			       strerror(-err));
			return err;
		}
	}
	/* Events from before ring_buffer__add() wait in their ring. */
	err = load(l, filter);
	if (err)
		return err;
	err = ring_buffer__add(rb, bpf_map__fd(l->skel->maps.life_events),
			       on_event, l);
	if (err) {
		km_err("cannot read the arming events: %s", strerror(-err));
		return err;
	}
	return 0;
}

void km_life_stop(struct km_lifetime *l, struct ring_buffer *rb,
		  struct km_life_summary *s)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct km_life_counters *c;
	__u32 zero = 0;

	bpf_link__destroy(l->links[0]);
	bpf_link__destroy(l->links[1]);
	l->links[0] = l->links[1] = NULL;
	if (!l->skel)
		return;
	ring_buffer__consume(rb);
	memset(s, 0, sizeof(*s));
	s->valid = true;
	s->refused = l->refused;
	c = ncpu > 0 ? calloc(ncpu, sizeof(*c)) : NULL;
	if (c && !bpf_map__lookup_elem(l->skel->maps.life_counters, &zero,
				       sizeof(zero), c, ncpu * sizeof(*c), 0)) {
		for (i = 0; i < ncpu; i++) {
			s->arms += c[i].arms;
			s->disarms += c[i].disarms;
			s->unwatched += c[i].unwatched;
			s->ignored += c[i].ignored;
			s->filtered += c[i].filtered;
			s->again += c[i].again;
			s->unreadable += c[i].unreadable;
			s->misaligned += c[i].misaligned;
			s->dropped += c[i].dropped;
			s->replaced += c[i].replaced;
		}
	}
	free(c);
}

void km_life_print_summary(FILE *f, const struct km_life_summary *s)
{
	if (!s->valid)
		return;
	fprintf(f,
		"kmemsnoop: %" PRIu64 " objects watched (%" PRIu64
		" freed), %" PRIu64 " not watched (every slot taken), %" PRIu64
		" disarms ignored (object not watched)",
		s->arms - s->refused, s->disarms, s->unwatched, s->ignored);
	if (s->replaced)
		fprintf(f, ", %" PRIu64 " replaced by newer ones (--replace)",
			s->replaced);
	if (s->unreadable)
		fprintf(f,
			", %" PRIu64
			" with a NULL or unreadable pointer on the path",
			s->unreadable);
	if (s->misaligned)
		fprintf(f, ", %" PRIu64 " misaligned", s->misaligned);
	if (s->refused)
		fprintf(f, ", %" PRIu64 " refused by the kernel", s->refused);
	if (s->filtered)
		fprintf(f, ", %" PRIu64 " calls filtered out", s->filtered);
	if (s->dropped)
		fprintf(f, ", %" PRIu64 " events lost", s->dropped);
	fputc('\n', f);
}

void km_life_free(struct km_lifetime *l)
{
	if (!l)
		return;
	bpf_link__destroy(l->links[0]);
	bpf_link__destroy(l->links[1]);
	lifetime_bpf__destroy(l->skel);
	free(l);
}
