// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "../../common/numlist.h"
#include "filter.h"

_Static_assert(offsetof(struct kmemsnoop_filter, comms) % 8 == 0,
	       "the BPF side reads each command name as two aligned words");

static const char *const op_names[] = {
	[KM_OP_EQ] = "==", [KM_OP_NE] = "!=", [KM_OP_LT] = "<",
	[KM_OP_GT] = ">",  [KM_OP_LE] = "<=", [KM_OP_GE] = ">=",
	[KM_OP_AND] = "&",
};

static int set_cpus(void *ctx, uint64_t lo, uint64_t hi)
{
	struct kmemsnoop_filter *f = ctx;
	uint64_t cpu;

	if (hi >= KM_MAX_CPUS)
		return -EINVAL;
	for (cpu = lo; cpu <= hi; cpu++)
		f->cpus[cpu / 64] |= 1ull << (cpu % 64);
	return 0;
}

int km_filter_cpus(struct kmemsnoop_filter *f, const char *list)
{
	if (!km_numlist_parse(list, set_cpus, f)) {
		f->has_cpus = 1;
		return 0;
	}
	km_usage(
		"bad CPU list '%s': give numbers and ranges below %d, e.g. 0,2-3",
		list, KM_MAX_CPUS);
	return -EINVAL;
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The longest operator at s; its length through *len. */
static int parse_op(const char *s, size_t *len)
{
	size_t i, n, best = 0;
	int op = KM_OP_NONE;

	for (i = 1; i < sizeof(op_names) / sizeof(op_names[0]); i++) {
		n = strlen(op_names[i]);
		if (n > best && !strncmp(s, op_names[i], n)) {
			best = n;
			op = i;
		}
	}
	*len = best;
	return op;
}

int km_filter_value(struct kmemsnoop_filter *f, const char *cond)
{
	const char *p = skip_spaces(cond);
	char *end;
	size_t n;

	if (strncmp(p, "value", 5))
		goto bad;
	p = skip_spaces(p + 5);
	f->value_op = parse_op(p, &n);
	if (f->value_op == KM_OP_NONE)
		goto bad;
	p = skip_spaces(p + n);
	if (!*p || *p == '-')
		goto bad;
	errno = 0;
	f->value_arg = strtoull(p, &end, 0);
	if (errno || *skip_spaces(end))
		goto bad;
	return 0;
bad:
	km_usage(
		"bad condition '%s': write 'value OP N' with OP one of == != < > <= >= & (e.g. 'value > 0x10')",
		cond);
	return -EINVAL;
}

/*
 * Each comma-separated item of list, as a string, to add(); an item
 * add() finds bad (-EINVAL), empty or too long is named, with hint.
 * add() explains its other errors itself.
 */
static int each_item(struct kmemsnoop_filter *f, const char *list,
		     int (*add)(struct kmemsnoop_filter *f, const char *item),
		     const char *what, const char *hint)
{
	const char *p = list;
	char item[KM_COMM_LEN + 1];
	size_t len;
	int err;

	for (;;) {
		len = strcspn(p, ",");
		err = len && len < sizeof(item) ? 0 : -EINVAL;
		if (!err) {
			memcpy(item, p, len);
			item[len] = '\0';
			err = add(f, item);
		}
		if (err == -EINVAL && p == list && !p[len])
			km_usage("bad %s '%s': %s", what, list, hint);
		else if (err == -EINVAL)
			km_usage("bad %s '%.*s' in '%s': %s", what, (int)len, p,
				 list, hint);
		if (err || !p[len])
			return err;
		p += len + 1;
	}
}

/*
 * A pid or tid: a positive number a pid_t holds (above INT_MAX, the
 * existence check's kill() would take it for a process group).
 */
static int parse_id(const char *s, uint32_t *id)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !v || v > INT_MAX)
		return -EINVAL;
	*id = v;
	return 0;
}

/* id into ids[*nr] unless there already; -E2BIG when max are there. */
static int add_id(uint32_t *ids, uint32_t *nr, uint32_t max, uint32_t id)
{
	uint32_t i;

	for (i = 0; i < *nr; i++)
		if (ids[i] == id)
			return 0;
	if (*nr == max)
		return -E2BIG;
	ids[(*nr)++] = id;
	return 0;
}

static int add_pid(struct kmemsnoop_filter *f, const char *s)
{
	uint32_t id;
	int err = parse_id(s, &id);

	err = err ?: add_id(f->pids, &f->nr_pids, KM_MAX_PIDS, id);
	if (err == -E2BIG)
		km_usage(
			"too many pids: -p keeps at most %d processes, counting every -p",
			KM_MAX_PIDS);
	return err;
}

static int add_tid(struct kmemsnoop_filter *f, const char *s)
{
	uint32_t id;
	int err = parse_id(s, &id);

	err = err ?: add_id(f->tids, &f->nr_tids, KM_MAX_TIDS, id);
	if (err == -E2BIG)
		km_usage(
			"too many tids: --tid keeps at most %d threads, counting every --tid",
			KM_MAX_TIDS);
	return err;
}

#define ID_HINT "give positive numbers separated by commas, e.g. 1,2"

int km_filter_pids(struct kmemsnoop_filter *f, const char *list)
{
	return each_item(f, list, add_pid, "pid", ID_HINT);
}

int km_filter_tids(struct kmemsnoop_filter *f, const char *list)
{
	return each_item(f, list, add_tid, "tid", ID_HINT);
}

/* strncpy's zero padding is what the BPF side compares. */
static int add_comm(struct kmemsnoop_filter *f, const char *s)
{
	uint32_t i;

	if (strlen(s) >= KM_COMM_LEN)
		return -EINVAL;
	for (i = 0; i < f->nr_comms; i++)
		if (!strcmp(f->comms[i], s))
			return 0;
	if (f->nr_comms == KM_MAX_COMMS) {
		km_usage(
			"too many command names: --comm keeps at most %d, counting every --comm",
			KM_MAX_COMMS);
		return -E2BIG;
	}
	strncpy(f->comms[f->nr_comms++], s, KM_COMM_LEN);
	return 0;
}

_Static_assert(KM_COMM_LEN == 16, "the hint below says 15 bytes");

int km_filter_comms(struct kmemsnoop_filter *f, const char *list)
{
	return each_item(
		f, list, add_comm, "command name",
		"the kernel keeps 1 to 15 bytes of each, give them separated by commas");
}

static void describe_cpus(const struct kmemsnoop_filter *f, char *buf,
			  size_t size)
{
	size_t len = strlen(buf);
	int cpu;

	snprintf(buf + len, size - len, " cpus=");
	for (cpu = 0; cpu < KM_MAX_CPUS; cpu++) {
		if (!(f->cpus[cpu / 64] & (1ull << (cpu % 64))))
			continue;
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s%d",
			 buf[len - 1] == '=' ? "" : ",", cpu);
	}
}

/*
 * One --comm name, its separators (space, comma, '=', backslash) as
 * \xNN: a name may hold them, and neither report nor export's masking
 * may take its rest for the next key.
 */
static void describe_comm(const char *name, char *buf, size_t size)
{
	size_t len = strlen(buf);
	int i;

	for (i = 0; i < KM_COMM_LEN && name[i] && len + 5 < size; i++) {
		if (strchr(" ,=\\", name[i]))
			len += snprintf(buf + len, size - len, "\\x%02x",
					(unsigned char)name[i]);
		else
			buf[len++] = name[i];
		buf[len] = '\0';
	}
}

void km_filter_describe(const struct kmemsnoop_filter *f, char *buf,
			size_t size)
{
	uint32_t i;
	size_t len;

	buf[0] = '\0';
#define ADD(...) \
	(len = strlen(buf), snprintf(buf + len, size - len, __VA_ARGS__))
	for (i = 0; i < f->nr_pids; i++)
		ADD("%s%u", i ? "," : " pid=", f->pids[i]);
	for (i = 0; i < f->nr_tids; i++)
		ADD("%s%u", i ? "," : " tid=", f->tids[i]);
	if (f->exclude_pid)
		ADD(" exclude-pid=%u", f->exclude_pid);
	for (i = 0; i < f->nr_comms; i++) {
		ADD("%s", i ? "," : " comm=");
		describe_comm(f->comms[i], buf, size);
	}
	if (f->has_cpus)
		describe_cpus(f, buf, size);
	if (f->value_op)
		ADD(" value%s%llu", op_names[f->value_op],
		    (unsigned long long)f->value_arg);
	if (f->max_kept)
		ADD(" count=%llu", (unsigned long long)f->max_kept);
#undef ADD
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}
