// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "../../common/btf_path.h"
#include "../../common/error.h"
#include "kbtf.h"

#define SYSFS_BTF "/sys/kernel/btf"

int km_kbtf_load(struct km_kbtf *k, const char *file)
{
	int err;

	memset(k, 0, sizeof(*k));
	k->file = file;
	if (!file && access(SYSFS_BTF "/vmlinux", R_OK)) {
		km_err("this kernel has no BTF (" SYSFS_BTF
		       "/vmlinux): kmemsnoop needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOTSUP;
	}
	km_libbpf_quiet();
	k->vmlinux = btf__parse(file ? file : SYSFS_BTF "/vmlinux", NULL);
	if (k->vmlinux)
		return 0;
	err = -errno;
	/* libbpf's own code: no ELF header, and no raw BTF magic either. */
	if (file && err == -LIBBPF_ERRNO__FORMAT)
		km_err("%s is neither an ELF file with BTF nor raw BTF: give a vmlinux built with CONFIG_DEBUG_INFO_BTF=y, or a copy of " SYSFS_BTF
		       "/vmlinux",
		       file);
	else if (file && (err == -ENOENT || err == -EPROTO) &&
		 !access(file, R_OK))
		km_err("no BTF in %s: give a vmlinux built with CONFIG_DEBUG_INFO_BTF=y, or raw BTF such as a copy of " SYSFS_BTF
		       "/vmlinux",
		       file);
	else
		km_err("cannot read BTF from %s: %s",
		       file ? file : SYSFS_BTF "/vmlinux", strerror(-err));
	return err;
}

/* Looks for the type in each loaded module's BTF, quietly. */
static int find_in_modules(struct km_kbtf *k, const char *spec,
			   const struct btf **btf, uint32_t *id)
{
	char err[KM_PATH_ERR_MAX];
	struct dirent *e;
	struct btf *mod;
	int i, r = -ENOENT;
	DIR *d;

	for (i = 0; i < k->nr_mods; i++) {
		if ((r = km_btf_find_type(k->mods[i], spec, err, sizeof(err))) >
		    0) {
			*btf = k->mods[i];
			*id = r;
			return 0;
		}
	}
	if (k->file || k->nr_mods == KM_KBTF_MAX_MODS ||
	    !(d = opendir(SYSFS_BTF)))
		return -ENOENT;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "vmlinux"))
			continue;
		mod = btf__load_module_btf(e->d_name, k->vmlinux);
		if (!mod)
			continue;
		r = km_btf_find_type(mod, spec, err, sizeof(err));
		/* A module's split BTF holds vmlinux's ids below its own. */
		if (r > 0 && (uint32_t)r >= btf__type_cnt(k->vmlinux)) {
			k->mods[k->nr_mods++] = mod;
			*btf = mod;
			*id = r;
			break;
		}
		btf__free(mod);
		r = -ENOENT;
	}
	closedir(d);
	return r > 0 ? 0 : -ENOENT;
}

int km_kbtf_find(struct km_kbtf *k, const char *spec, const struct btf **btf,
		 uint32_t *id)
{
	char err[KM_PATH_ERR_MAX];
	int r;

	r = km_btf_find_type(k->vmlinux, spec, err, sizeof(err));
	if (r > 0) {
		*btf = k->vmlinux;
		*id = r;
		return 0;
	}
	if (r == -ENOENT && !find_in_modules(k, spec, btf, id))
		return 0;
	if (r == -ENOENT && k->file)
		km_usage("%s (%s)", err, k->file);
	else
		km_usage("%s", err);
	return r;
}

void km_kbtf_free(struct km_kbtf *k)
{
	int i;

	for (i = 0; i < k->nr_mods; i++)
		btf__free(k->mods[i]);
	btf__free(k->vmlinux);
	memset(k, 0, sizeof(*k));
}
