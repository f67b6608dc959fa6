// SPDX-License-Identifier: GPL-2.0
#include <dlfcn.h>
#include <elfutils/debuginfod.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vmlinux.h"

char *km_build_id_hex(char *buf, const uint8_t *id, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(buf + 2 * i, "%02x", id[i]);
	buf[2 * len] = '\0';
	return buf;
}

int km_elf_build_id(const char *path, uint8_t *id, size_t max)
{
	const void *note;
	ssize_t len;
	Elf *elf;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* A mapping reads only the pages the notes are on. */
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		len = -ENOEXEC;
		goto out;
	}
	len = dwelf_elf_gnu_build_id(elf, &note);
	if (len < 0)
		len = -ENOEXEC;
	else if ((size_t)len > max)
		len = -EOVERFLOW;
	else
		memcpy(id, note, len);
out:
	elf_end(elf);
	close(fd);
	return len;
}

/* Whether the file at path is there and, given an id, carries it. */
static int carries(const char *path, const uint8_t *id, size_t len)
{
	uint8_t got[KM_BUILD_ID_MAX];

	if (!len)
		return access(path, R_OK) == 0;
	return km_elf_build_id(path, got, sizeof(got)) == (int)len &&
	       !memcmp(got, id, len);
}

static char *try_path(const char *path, const uint8_t *id, size_t len)
{
	return carries(path, id, len) ? strdup(path) : NULL;
}

const char *km_debug_root(int *len)
{
	const char *root = getenv("KMEMSNOOP_DEBUG_ROOT");

	if (!root)
		root = "";
	/* "/" and "" both mean the root; no "//" in the paths shown. */
	*len = strlen(root);
	while (*len && root[*len - 1] == '/')
		(*len)--;
	return root;
}

int km_build_id_path(char *path, size_t size, const uint8_t *id, size_t len)
{
	char hex[2 * KM_BUILD_ID_MAX + 1];
	const char *root;
	int root_len;

	if (len < 2 || len > KM_BUILD_ID_MAX)
		return -ENOENT;
	root = km_debug_root(&root_len);
	km_build_id_hex(hex, id, len);
	if (snprintf(path, size, "%.*s/usr/lib/debug/.build-id/%.2s/%s.debug",
		     root_len, root, hex, hex + 2) >= (int)size)
		return -ENAMETOOLONG;
	return 0;
}

char *km_find_vmlinux_local(const uint8_t *id, size_t len, const char *release)
{
	static const char *const by_release[] = {
		"usr/lib/debug/boot/vmlinux-%s",
		"boot/vmlinux-%s",
		"lib/modules/%s/build/vmlinux",
	};
	char path[4096], name[1024];
	char *found = NULL;
	const char *root;
	int root_len;
	size_t i;

	root = km_debug_root(&root_len);
	if (!km_build_id_path(path, sizeof(path), id, len))
		found = try_path(path, id, len);
	/* A release name with a '/' would lead out of these directories. */
	if (!release || !*release || strchr(release, '/'))
		return found;
	for (i = 0; !found && i < sizeof(by_release) / sizeof(*by_release);
	     i++) {
		snprintf(name, sizeof(name), by_release[i], release);
		snprintf(path, sizeof(path), "%.*s/%s", root_len, root, name);
		found = try_path(path, id, len);
	}
	return found;
}

/*
 * libdebuginfod is opened at run time, as libdw itself does it: a
 * machine without it still runs kmemsnoop, and so does the static
 * build, just without debuginfod. It stays loaded: it initializes
 * libcurl, which cannot be unloaded safely.
 */
struct debuginfod_lib {
	typeof(&debuginfod_begin) begin;
	typeof(&debuginfod_find_debuginfo) find_debuginfo;
	typeof(&debuginfod_end) end;
};

static const struct debuginfod_lib *debuginfod_lib(void)
{
	static struct debuginfod_lib lib;
	void *h;

	if (lib.begin)
		return &lib;
	h = dlopen("libdebuginfod.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return NULL;
	lib.find_debuginfo = (typeof(lib.find_debuginfo))dlsym(
		h, "debuginfod_find_debuginfo");
	lib.end = (typeof(lib.end))dlsym(h, "debuginfod_end");
	lib.begin = (typeof(lib.begin))dlsym(h, "debuginfod_begin");
	if (lib.find_debuginfo && lib.end && lib.begin)
		return &lib;
	lib.begin = NULL;
	return NULL;
}

int km_find_vmlinux_debuginfod(char **path, const uint8_t *id, size_t len)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	const struct debuginfod_lib *lib;
	debuginfod_client *client;
	int fd;

	*path = NULL;
	if (!urls || !*urls)
		return -ENOSYS;
	if (!len)
		return -ENOENT;
	lib = debuginfod_lib();
	if (!lib)
		return -ELIBACC;
	/*
	 * libdebuginfod waits 90 s for a server's first byte by default;
	 * a report should not hang that long on a server that is down.
	 */
	setenv("DEBUGINFOD_TIMEOUT", "10", 0);
	client = lib->begin();
	if (!client)
		return -ENOMEM;
	fd = lib->find_debuginfo(client, id, len, path);
	lib->end(client);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
