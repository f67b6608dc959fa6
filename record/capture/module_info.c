// SPDX-License-Identifier: GPL-2.0
/*
 * MODULE_INFO payloads, for record's chunks and live mode's symbols. A
 * module's debug file is a relocatable .ko: it has no load address of its
 * own, each of its sections went somewhere else. So besides the name, core
 * address and size (/proc/modules) and the build-id that tells its debug
 * file (/sys/module/NAME/notes), every section's address is kept
 * (/sys/module/NAME/sections).
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
#include "../../common/error.h"
#include "../../common/trace/tlv.h"
#include "../../common/trace/trace_format.h"
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

static int put_build_id(struct km_buf *b, const char *name)
{
	char path[PATH_MAX], notes[1024];
	uint8_t id[64];
	ssize_t len;
	size_t n;

	snprintf(path, sizeof(path), "/sys/module/%s/notes/.note.gnu.build-id",
		 name);
	len = read_small(path, notes, sizeof(notes));
	/* Built without one: report can still take it by name. */
	if (len <= 0)
		return 0;
	n = km_find_build_id((uint8_t *)notes, len, id, sizeof(id));
	return n ? km_tlv_put(b, KM_MODULE_BUILD_ID, id, n) : 0;
}

static int put_section(struct km_buf *b, const char *dir, const char *sec)
{
	char path[PATH_MAX], text[64];
	uint8_t val[8 + NAME_MAX];
	size_t len = strlen(sec);
	uint64_t addr;

	if (snprintf(path, sizeof(path), "%s/%s", dir, sec) >=
	    (int)sizeof(path))
		return 0;
	if (len > NAME_MAX || read_small(path, text, sizeof(text)) <= 0 ||
	    sscanf(text, "%" SCNx64, &addr) != 1)
		return 0;
	km_put64(val, addr);
	memcpy(val + 8, sec, len);
	return km_tlv_put(b, KM_MODULE_SECTION, val, 8 + len);
}

static int put_sections(struct km_buf *b, const char *name)
{
	char dir[PATH_MAX];
	struct dirent *e;
	int err = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/module/%s/sections", name);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!err && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			err = put_section(b, dir, e->d_name);
	closedir(d);
	return err;
}

/* One module's MODULE_INFO payload, handed to fn; fn explains its errors. */
static int each_one(const char *name, uint64_t addr, uint64_t size,
		    km_module_info_fn fn, void *ctx)
{
	struct km_buf b = { 0 };
	int err;

	err = km_tlv_put_str(&b, KM_MODULE_NAME, name);
	err = err ?: km_tlv_put_u64(&b, KM_MODULE_ADDR, addr);
	err = err ?: km_tlv_put_u64(&b, KM_MODULE_SIZE, size);
	err = err ?: put_build_id(&b, name);
	err = err ?: put_sections(&b, name);
	if (err)
		km_err("out of memory"); /* the only way building it fails */
	else
		err = fn(ctx, b.data, b.len);
	km_buf_free(&b);
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

int km_module_info_each(const char *modules, km_module_info_fn fn, void *ctx)
{
	char name[64], *line;
	const char *p, *end;
	uint64_t size, addr;
	int err = 0;

	for (p = modules; !err && *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		/* Each line on its own: sscanf would read on into the next. */
		line = strndup(p, end - p);
		if (!line) {
			km_err("out of memory");
			return -ENOMEM;
		}
		if (parse_line(line, name, &size, &addr))
			err = each_one(name, addr, size, fn, ctx);
		free(line);
	}
	return err;
}

static int write_chunk(void *w, const uint8_t *payload, size_t len)
{
	return km_tw_chunk(w, KM_CHUNK_MODULE_INFO, payload, len);
}

int km_write_module_info(struct km_trace_writer *w, const char *modules)
{
	return km_module_info_each(modules, write_chunk, w);
}
