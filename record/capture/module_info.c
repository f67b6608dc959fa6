// SPDX-License-Identifier: GPL-2.0
/*
 * The loaded modules, for record's MODULE_INFO chunks and live mode's
 * symbols. A module's debug file is a relocatable .ko: it has no load
 * address of its own, each of its sections went somewhere else. So
 * besides the name, core address and size (/proc/modules) and the
 * build-id that tells its debug file (/sys/module/NAME/notes), every
 * section's address is kept (/sys/module/NAME/sections).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../common/bytes.h"
#include "../../common/error.h"
#include "module_info.h"
#include "sysinfo.h"

/* A small sysfs file into buf[size], NUL-terminated; its length or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void read_build_id(struct km_module_info *m)
{
	char path[PATH_MAX], notes[1024];
	ssize_t len;

	snprintf(path, sizeof(path), "/sys/module/%s/notes/.note.gnu.build-id",
		 m->name);
	len = read_small(path, notes, sizeof(notes));
	/* Built without one: report can still take it by name. */
	if (len > 0)
		m->build_id_len = km_find_build_id((uint8_t *)notes, len,
						   m->build_id,
						   sizeof(m->build_id));
}

/* Section sec of dir, if its address reads; -ENOMEM is the only error. */
static int add_section(struct km_module_info *m, size_t *cap, const char *dir,
		       const char *sec)
{
	char path[PATH_MAX], text[64];
	struct km_module_section *s;
	uint64_t addr;

	if (snprintf(path, sizeof(path), "%s/%s", dir, sec) >=
	    (int)sizeof(path))
		return 0;
	if (strlen(sec) > NAME_MAX ||
	    read_small(path, text, sizeof(text)) <= 0 ||
	    sscanf(text, "%" SCNx64, &addr) != 1)
		return 0;
	if (km_grow_array((void **)&m->sections, cap, m->nr_sections + 1,
			  sizeof(*m->sections)))
		return -ENOMEM;
	s = &m->sections[m->nr_sections];
	s->name = strdup(sec);
	if (!s->name)
		return -ENOMEM;
	s->addr = addr;
	m->nr_sections++;
	return 0;
}

static int read_sections(struct km_module_info *m)
{
	char dir[PATH_MAX];
	struct dirent *e;
	size_t cap = 0;
	int err = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/module/%s/sections", m->name);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!err && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			err = add_section(m, &cap, dir, e->d_name);
	closedir(d);
	return err;
}

/* "virtio_blk 28672 0 - Live 0xffffffffc0011000 (E)": the fields kept. */
static bool parse_line(const char *line, char *name, uint64_t *size,
		       uint64_t *addr)
{
	return sscanf(line, "%63s %" SCNu64 " %*s %*s %*s %" SCNx64, name, size,
		      addr) == 3 &&
	       strchr(name, '/') == NULL;
}

/* The module on line, if it names one, appended to l. */
static int add_line(struct km_module_list *l, size_t *cap, const char *line)
{
	struct km_module_info *m;
	uint64_t size, addr;
	char name[64];

	if (!parse_line(line, name, &size, &addr))
		return 0;
	if (km_grow_array((void **)&l->mods, cap, l->nr + 1, sizeof(*l->mods)))
		return -ENOMEM;
	m = &l->mods[l->nr];
	*m = (struct km_module_info){ .addr = addr, .size = size };
	m->name = strdup(name);
	if (!m->name)
		return -ENOMEM;
	l->nr++;
	read_build_id(m);
	return read_sections(m);
}

int km_module_list_read(struct km_module_list *l, const char *modules)
{
	const char *p, *end;
	size_t cap = 0;
	char *line;
	int err = 0;

	*l = (struct km_module_list){ 0 };
	for (p = modules; !err && *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		/* Each line on its own: sscanf would read on into the next. */
		line = strndup(p, end - p);
		err = line ? add_line(l, &cap, line) : -ENOMEM;
		free(line);
	}
	if (err) {
		km_err("out of memory"); /* the only way reading fails */
		km_module_list_free(l->mods, l->nr);
		*l = (struct km_module_list){ 0 };
	}
	return err;
}

int km_write_module_info(struct km_trace_writer *w, const char *modules)
{
	struct km_module_list l;
	size_t i;
	int err;

	err = km_module_list_read(&l, modules);
	for (i = 0; !err && i < l.nr; i++)
		err = km_tw_module_info(w, &l.mods[i]);
	km_module_list_free(l.mods, l.nr);
	return err;
}
