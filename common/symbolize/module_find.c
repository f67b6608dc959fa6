// SPDX-License-Identifier: GPL-2.0
/*
 * A module's debug file has no fixed name: distributions put it under
 * /usr/lib/debug/lib/modules/RELEASE/kernel/..., with or without a
 * .build-id link, and a build tree has it wherever the module's source
 * is. So the directories searched by name are read once, recursively,
 * into an index of their .ko files; the build-id decides among files
 * of the same name.
 */
#include <dirent.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../bytes.h"
#include "../error.h"
#include "module_find.h"
#include "vmlinux.h"

#define MAX_DEPTH 16 /* a module tree is a few levels deep */

struct ko_file {
	char *key; /* the module name, '-' as '_' */
	char *path;
};

struct km_ko_index {
	struct ko_file *files;
	size_t nr, cap;
};

enum verdict { USABLE, NOT_MODULE, NO_DWARF, OTHER_ID };

/* Whether the ELF file has a DWARF .debug_info section. */
static bool has_dwarf(Elf *elf)
{
	Elf_Scn *scn = NULL;
	const char *name;
	GElf_Shdr shdr;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (name && (!strcmp(name, ".debug_info") ||
			     !strcmp(name, ".zdebug_info")))
			return true;
	}
	return false;
}

/* What path is for a module with this build-id; its own id into got. */
static enum verdict check_file(const char *path, const uint8_t *id, size_t len,
			       uint8_t *got, ssize_t *got_len)
{
	enum verdict v = NOT_MODULE;
	const void *note;
	GElf_Ehdr ehdr;
	Elf *elf;
	int fd;

	*got_len = 0;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return NOT_MODULE;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NOT_MODULE;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr) ||
	    ehdr.e_type != ET_REL)
		goto out;
	*got_len = dwelf_elf_gnu_build_id(elf, &note);
	if (*got_len > 0 && *got_len <= KM_BUILD_ID_MAX)
		memcpy(got, note, *got_len);
	if (len && (*got_len != (ssize_t)len || memcmp(got, id, len)))
		v = OTHER_ID;
	else
		v = has_dwarf(elf) ? USABLE : NO_DWARF;
out:
	elf_end(elf);
	close(fd);
	return v;
}

/* The kernel takes '-' in a module's name for '_'; so do we. */
static void normalize(char *name)
{
	for (; *name; name++)
		if (*name == '-')
			*name = '_';
}

/* "virtio-blk.ko.debug" → "virtio_blk"; NULL if not a module file. */
static char *module_key(const char *file)
{
	static const char *const exts[] = { ".ko", ".ko.debug" };
	size_t len = strlen(file), n, i;
	char *key;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		n = strlen(exts[i]);
		if (len <= n || strcmp(file + len - n, exts[i]))
			continue;
		key = strndup(file, len - n);
		if (key)
			normalize(key);
		return key;
	}
	return NULL;
}

static int add_file(struct km_ko_index *x, const char *path, const char *file)
{
	char *key = module_key(file);
	struct ko_file *f;

	if (!key)
		return 0;
	if (km_grow_array((void **)&x->files, &x->cap, x->nr + 1,
			  sizeof(*x->files))) {
		free(key);
		return -ENOMEM;
	}
	f = &x->files[x->nr];
	f->key = key;
	f->path = strdup(path);
	if (!f->path) {
		free(key);
		return -ENOMEM;
	}
	x->nr++;
	return 0;
}

static int entry_type(const char *path, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type;
	if (lstat(path, &st))
		return DT_UNKNOWN;
	return S_ISDIR(st.st_mode) ? DT_DIR :
	       S_ISLNK(st.st_mode) ? DT_LNK :
				     DT_REG;
}

/* Adds the module files under dir; symlinks to directories not followed. */
static int walk(struct km_ko_index *x, const char *dir, int depth)
{
	char path[PATH_MAX];
	struct dirent *e;
	int err = 0, type;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return depth ? 0 : -errno;
	while (!err && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path))
			continue;
		type = entry_type(path, e);
		if (type == DT_DIR && depth < MAX_DEPTH)
			err = walk(x, path, depth + 1);
		else if (type == DT_REG || type == DT_LNK)
			err = add_file(x, path, e->d_name);
	}
	closedir(d);
	return err;
}

static void index_free(struct km_ko_index *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->nr; i++) {
		free(x->files[i].key);
		free(x->files[i].path);
	}
	free(x->files);
	free(x);
}

/* The index of dir, read the first time it is asked for. */
static struct km_ko_index *index_of(struct km_ko_index **x, const char *dir)
{
	if (*x)
		return *x;
	*x = calloc(1, sizeof(**x));
	if (*x && walk(*x, dir, 0) == -ENOMEM)
		km_warn("out of memory reading %s: some modules not found",
			dir);
	return *x;
}

/*
 * The first file in x for the module with this id. With warn, a file of
 * the right name but another build-id is worth a word: the user said
 * to look there.
 */
static char *by_name(struct km_ko_index *x, const char *name, const uint8_t *id,
		     size_t len, bool warn)
{
	char want[2 * KM_BUILD_ID_MAX + 1], has[2 * KM_BUILD_ID_MAX + 1];
	uint8_t got[KM_BUILD_ID_MAX];
	char key[NAME_MAX + 1];
	enum verdict v;
	ssize_t n;
	size_t i;

	snprintf(key, sizeof(key), "%s", name);
	normalize(key);
	for (i = 0; x && i < x->nr; i++) {
		if (strcmp(key, x->files[i].key))
			continue;
		v = check_file(x->files[i].path, id, len, got, &n);
		if (v == USABLE)
			return strdup(x->files[i].path);
		if (v == OTHER_ID && warn) {
			km_warn("%s has build-id %s, but module %s was recorded with %s: not used",
				x->files[i].path,
				n > 0 ? km_build_id_hex(has, got, n) : "none",
				name, km_build_id_hex(want, id, len));
			warn = false;
		}
	}
	return NULL;
}

static char *by_build_id(const uint8_t *id, size_t len)
{
	uint8_t got[KM_BUILD_ID_MAX];
	char path[PATH_MAX];
	ssize_t n;

	if (!len || km_build_id_path(path, sizeof(path), id, len) ||
	    check_file(path, id, len, got, &n) != USABLE)
		return NULL;
	return strdup(path);
}

/*
 * Debian's -dbg packages: ROOT/usr/lib/debug/lib/modules/RELEASE. Only
 * for a build-id to check the file by: what sits at a path could be
 * any build's.
 */
static char *in_dbg_tree(struct km_module_search *s, const char *name,
			 const uint8_t *id, size_t len)
{
	char dir[PATH_MAX];
	const char *root;
	int root_len;

	if (!len || !s->release || !km_path_name_ok(s->release))
		return NULL;
	root = km_debug_root(&root_len);
	snprintf(dir, sizeof(dir), "%.*s/usr/lib/debug/lib/modules/%s",
		 root_len, root, s->release);
	return by_name(index_of(&s->in_dbg, dir), name, id, len, false);
}

static char *from_debuginfod(const char *name, const uint8_t *id, size_t len)
{
	uint8_t got[KM_BUILD_ID_MAX];
	char what[NAME_MAX + 8];
	char *path;
	ssize_t n;

	snprintf(what, sizeof(what), "module %s", name);
	if (km_debuginfod_find(&path, id, len, what))
		return NULL;
	if (check_file(path, id, len, got, &n) == USABLE)
		return path;
	free(path);
	return NULL;
}

char *km_find_module_debug(struct km_module_search *s, const char *name,
			   const uint8_t *id, size_t len)
{
	/* A name no module file could have ("../x", "a/b") is not looked for. */
	bool named = km_path_name_ok(name);
	char *path = NULL;

	if (s->dir && named)
		path = by_name(index_of(&s->in_dir, s->dir), name, id, len,
			       len > 0);
	if (!path)
		path = by_build_id(id, len);
	if (!path && named)
		path = in_dbg_tree(s, name, id, len);
	if (!path && len && s->debuginfod)
		path = from_debuginfod(name, id, len);
	return path;
}

int km_module_search_check(const struct km_module_search *s)
{
	struct stat st;
	int err;

	if (!s->dir)
		return 0;
	if (stat(s->dir, &st)) {
		err = -errno;
		km_err("cannot read --modules %s: %s", s->dir, strerror(-err));
		return err;
	}
	if (!S_ISDIR(st.st_mode)) {
		km_err("--modules %s is not a directory", s->dir);
		return -ENOTDIR;
	}
	return 0;
}

void km_module_search_free(struct km_module_search *s)
{
	index_free(s->in_dir);
	index_free(s->in_dbg);
	s->in_dir = s->in_dbg = NULL;
}
