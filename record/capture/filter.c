// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/error.h"
#include "../../common/numlist.h"
#include "filter.h"

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

int km_filter_id(uint32_t *id, const char *s, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || !v || v > UINT32_MAX) {
		km_usage("bad %s '%s': give a positive number", what, s);
		return -EINVAL;
	}
	*id = v;
	return 0;
}

int km_filter_comm(struct kmemsnoop_filter *f, const char *comm)
{
	if (!*comm || strlen(comm) >= KM_COMM_LEN) {
		km_usage(
			"bad command name '%s': the kernel keeps 1 to %d bytes of it",
			comm, KM_COMM_LEN - 1);
		return -EINVAL;
	}
	strcpy(f->comm, comm);
	return 0;
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

void km_filter_describe(const struct kmemsnoop_filter *f, char *buf,
			size_t size)
{
	size_t len;

	buf[0] = '\0';
#define ADD(...) \
	(len = strlen(buf), snprintf(buf + len, size - len, __VA_ARGS__))
	if (f->pid)
		ADD(" pid=%u", f->pid);
	if (f->tid)
		ADD(" tid=%u", f->tid);
	if (f->exclude_pid)
		ADD(" exclude-pid=%u", f->exclude_pid);
	if (f->comm[0])
		ADD(" comm=%s", f->comm);
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
