// SPDX-License-Identifier: GPL-2.0
#include <dlfcn.h>
#include <elfutils/debuginfod.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../bytes.h"
#include "../error.h"
#include "vmlinux.h"

char *km_build_id_hex(char *buf, const uint8_t *id, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(buf + 2 * i, "%02x", id[i]);
	buf[2 * len] = '\0';
	return buf;
}

/* path as an ELF file, mapped, with its fd in *fd; NULL if it is none. */
static Elf *open_elf(const char *path, int *fd, int *err)
{
	Elf *elf;

	*err = elf_version(EV_CURRENT) == EV_NONE ? -EINVAL : 0;
	*fd = *err ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (*err || *fd < 0) {
		*err = *err ?: -errno;
		return NULL;
	}
	/* A mapping reads only the pages asked for (the notes, the header). */
	elf = elf_begin(*fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		return elf;
	elf_end(elf);
	close(*fd);
	*err = -ENOEXEC;
	return NULL;
}

int km_elf_build_id(const char *path, uint8_t *id, size_t max)
{
	const void *note;
	ssize_t len;
	int fd, err;
	Elf *elf = open_elf(path, &fd, &err);

	if (!elf)
		return err;
	len = dwelf_elf_gnu_build_id(elf, &note);
	if (len < 0)
		len = -ENOEXEC;
	else if ((size_t)len > max)
		len = -EOVERFLOW;
	else
		memcpy(id, note, len);
	elf_end(elf);
	close(fd);
	return len;
}

int km_elf_machine(const char *path)
{
	GElf_Ehdr eh;
	int fd, r;
	Elf *elf = open_elf(path, &fd, &r);

	if (!elf)
		return r;
	r = gelf_getehdr(elf, &eh) ? eh.e_machine : -ENOEXEC;
	elf_end(elf);
	close(fd);
	return r;
}

/* Whether the file at path carries the build-id id[len] (len > 0). */
static bool carries(const char *path, const uint8_t *id, size_t len)
{
	uint8_t got[KM_BUILD_ID_MAX];

	return km_elf_build_id(path, got, sizeof(got)) == (int)len &&
	       !memcmp(got, id, len);
}

static char *try_path(const char *path, const uint8_t *id, size_t len)
{
	return carries(path, id, len) ? strdup(path) : NULL;
}

bool km_path_name_ok(const char *name)
{
	size_t n;

	for (n = 0; name[n]; n++)
		if (n >= KM_PATH_NAME_MAX || name[n] <= ' ' || name[n] > '~' ||
		    name[n] == '/')
			return false;
	return n && strcmp(name, ".") && strcmp(name, "..");
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
	char path[4096];
	char *found = NULL;
	const char *root;
	int root_len;
	size_t i;

	/* Without an id to check, a file at a path could be any kernel's. */
	if (!len)
		return NULL;
	root = km_debug_root(&root_len);
	if (!km_build_id_path(path, sizeof(path), id, len))
		found = try_path(path, id, len);
	if (!release || !km_path_name_ok(release))
		return found;
	for (i = 0; !found && i < sizeof(by_release) / sizeof(*by_release);
	     i++) {
		snprintf(path, sizeof(path), "%.*s/", root_len, root);
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			 by_release[i], release);
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

/* What this run asked debuginfod, and whether it may ask more. */
static struct {
	bool off; /* report --no-debuginfod */
	bool down; /* a request failed for all: none more */
	struct km_debuginfod_stats stats;
} run;

void km_debuginfod_begin(bool allowed)
{
	memset(&run, 0, sizeof(run));
	run.off = !allowed;
}

void km_debuginfod_stats(struct km_debuginfod_stats *out)
{
	*out = run.stats;
}

/* Not found is one build-id's news; anything else holds for all. */
static void went_down(int err, const char *what)
{
	run.down = true;
	if (err == -ELIBACC)
		km_warn("DEBUGINFOD_URLS is set, but libdebuginfod.so.1 cannot be loaded: install libdebuginfod1 to use it");
	else
		km_warn("debuginfod (%s) gave no debug file for %s: %s; not asked again",
			getenv("DEBUGINFOD_URLS"), what, strerror(-err));
}

/* One request, counted; the file's size is added to the bytes. */
static int ask(const struct debuginfod_lib *lib, char **path, const uint8_t *id,
	       size_t len)
{
	debuginfod_client *client;
	struct stat st;
	int fd;

	/*
	 * libdebuginfod waits 90 s for a server's first byte by default;
	 * a report should not hang that long on a server that is down.
	 */
	setenv("DEBUGINFOD_TIMEOUT", "10", 0);
	client = lib->begin();
	if (!client)
		return -ENOMEM;
	run.stats.asked++;
	fd = lib->find_debuginfo(client, id, len, path);
	lib->end(client);
	if (fd < 0)
		return fd;
	run.stats.found++;
	if (!fstat(fd, &st))
		run.stats.bytes += st.st_size;
	close(fd);
	return 0;
}

int km_debuginfod_find(char **path, const uint8_t *id, size_t len,
		       const char *what)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	const struct debuginfod_lib *lib;
	int err;

	*path = NULL;
	if (run.off || run.down || !urls || !*urls)
		return -ENOSYS;
	if (!len)
		return -ENOENT;
	if (run.stats.asked >= KM_DEBUGINFOD_MAX) {
		run.stats.refused++;
		return -EDQUOT;
	}
	lib = debuginfod_lib();
	err = lib ? ask(lib, path, id, len) : -ELIBACC;
	if (err && err != -ENOENT)
		went_down(err, what);
	if (err) {
		free(*path);
		*path = NULL;
	}
	return err;
}

void km_debuginfod_summary(FILE *f)
{
	const struct km_debuginfod_stats *s = &run.stats;
	char bytes[32];

	if ((!s->asked && !s->refused) || km_quiet())
		return;
	fprintf(f, "kmemsnoop: debuginfod: %u request%s, ", s->asked,
		s->asked == 1 ? "" : "s");
	if (s->found) {
		km_human_size(bytes, sizeof(bytes), s->bytes);
		fprintf(f, "%u debug file%s (%s)", s->found,
			s->found == 1 ? "" : "s", bytes);
	} else {
		fputs("no debug file", f);
	}
	if (s->refused)
		fprintf(f, "; %u more not made: at most %d a run", s->refused,
			KM_DEBUGINFOD_MAX);
	fputc('\n', f);
}
