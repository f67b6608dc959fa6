// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of what the kernel shows and was built with: kallsyms'
 * addresses and data symbols, its config, fentry programs.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "../common/bytes.h"
#include "../common/symbolize/ksyms.h"
#include "check.h"

/* Reads /proc/kallsyms once, for every check that needs an address. */
static int load_kallsyms(struct km_check_ctx *c)
{
	if (!c->kallsyms_tried)
		c->kallsyms_err = km_read_file("/proc/kallsyms", &c->kallsyms,
					       &c->kallsyms_len);
	c->kallsyms_tried = true;
	return c->kallsyms_err;
}

uint64_t km_check_addr(struct km_check_ctx *c, const char *name)
{
	uint64_t addr;
	char type;

	if (load_kallsyms(c) ||
	    km_kallsyms_find(c->kallsyms, c->kallsyms_len, name, &addr, &type))
		return 0;
	return addr;
}

void km_check_ctx_free(struct km_check_ctx *c)
{
	free(c->kallsyms);
	c->kallsyms = NULL;
}

/* 1 if f says CONFIG_<name>=y (or m), else 0. */
static int kconfig_in(gzFile f, const char *name)
{
	char line[256], set[128];
	size_t n = snprintf(set, sizeof(set), "CONFIG_%s=", name);

	while (gzgets(f, line, sizeof(line)))
		if (!strncmp(line, set, n))
			return line[n] != 'n';
	/* "# CONFIG_<name> is not set", or not there: its menu is off. */
	return 0;
}

int km_check_kconfig(const char *name)
{
	char boot[128];
	struct utsname u;
	gzFile f;
	int set;

	/* zlib reads a plain file as it is, so one reader serves both. */
	f = gzopen("/proc/config.gz", "rb");
	if (!f && !uname(&u)) {
		snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
		f = gzopen(boot, "rb");
	}
	if (!f)
		return -1;
	set = kconfig_in(f, name);
	gzclose(f);
	return set;
}

void km_check_kallsyms_addrs(struct km_check_ctx *c, struct km_check_result *r)
{
	uint64_t addr;
	char type;
	int err = load_kallsyms(c);

	if (err) {
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot read /proc/kallsyms: %s", strerror(-err));
		return;
	}
	if (km_kallsyms_find(c->kallsyms, c->kallsyms_len, "_text", &addr,
			     &type))
		km_check_set(r, KM_CHECK_ERROR,
			     "/proc/kallsyms does not list _text");
	else if (!addr)
		km_check_set(
			r, KM_CHECK_MISSING,
			"every address reads 0 (kptr_restrict): run as root, or with CAP_SYSLOG");
	else
		km_check_set(r, KM_CHECK_OK, "_text at 0x%" PRIx64, addr);
}

/*
 * jiffies is a data symbol every kernel has; kallsyms lists data only
 * when built with CONFIG_KALLSYMS_ALL, whatever the addresses show.
 */
void km_check_kallsyms_all(struct km_check_ctx *c, struct km_check_result *r)
{
	uint64_t addr;
	char type;
	int err = load_kallsyms(c);

	if (err)
		km_check_set(r, KM_CHECK_ERROR,
			     "cannot read /proc/kallsyms: %s", strerror(-err));
	else if (!km_kallsyms_find(c->kallsyms, c->kallsyms_len, "jiffies",
				   &addr, &type))
		km_check_set(r, KM_CHECK_OK,
			     "data symbols listed (jiffies, type %c)",
			     isalpha((unsigned char)type) ? type : '?');
	else
		km_check_set(
			r, KM_CHECK_MISSING,
			"no data symbols such as jiffies (%s): name data with --vmlinux, BTF objects (--pid-task ...) or addresses",
			km_check_kconfig("KALLSYMS_ALL") == 0 ?
				"CONFIG_KALLSYMS_ALL is not set" :
				"a kernel without CONFIG_KALLSYMS_ALL");
}

/* "return 0": all an fentry program needs to be loaded and attached. */
static int load_fentry(uint32_t btf_id)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = btf_id);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "km_check_fentry", "GPL",
			       insns, 2, &opts);

	return fd < 0 ? -errno : fd;
}

/*
 * bpf_fentry_test1 exists to be attached to (BPF_PROG_TEST_RUN calls
 * it), so probing it disturbs nothing; vfs_read is on every kernel.
 */
static const char *fentry_target(const struct btf *btf, uint32_t *id)
{
	static const char *const names[] = { "bpf_fentry_test1", "vfs_read" };
	size_t i;
	int n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = btf__find_by_name_kind(btf, names[i], BTF_KIND_FUNC);
		if (n > 0) {
			*id = n;
			return names[i];
		}
	}
	return NULL;
}

void km_check_fentry(struct km_check_ctx *c, struct km_check_result *r)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const char *target = NULL;
	uint32_t id;
	int prog, link;

	(void)c;
	if (btf)
		target = fentry_target(btf, &id);
	btf__free(btf);
	if (!target) {
		km_check_set(r, KM_CHECK_ERROR,
			     "not tried: no kernel BTF to find a function in");
		return;
	}
	prog = load_fentry(id);
	if (prog < 0) {
		km_check_set(r, KM_CHECK_MISSING,
			     "the kernel refused an fentry program on %s (%s)",
			     target, strerror(-prog));
		return;
	}
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0)
		km_check_set(
			r, KM_CHECK_MISSING,
			"an fentry program on %s loads, but attaching it fails (%s)",
			target, strerror(errno));
	else
		km_check_set(r, KM_CHECK_OK, "attached to %s", target);
	if (link >= 0)
		close(link);
	close(prog);
}
