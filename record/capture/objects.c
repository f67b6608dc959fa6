// SPDX-License-Identifier: GPL-2.0
/*
 * Object options: which object (a task by pid, a device by its sysfs
 * name, or a typed address), its type from BTF, and the watch a member
 * path from it names. The objects are found with BPF alone (see
 * bpf/resolve.bpf.c), from a directory kmemsnoop opens: /proc/PID for a
 * task; for a device, its sysfs directory, whose kobject is a
 * container_of away from the device, with offsets from BTF.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../bpf/kmemsnoop.h"
#include "../../common/btf_path.h"
#include "../../common/bytes.h"
#include "../../common/error.h"
#include "../../common/trace/trace_format.h"
#include "kbtf.h"
#include "objects.h"
#include "resolve.h"

#define MAX_MSGS 48
#define MSG_MAX 400
/* Device names listed when the one asked for does not exist. */
#define LIST_CHARS 400

enum kind { OBJ_TASK, OBJ_PCI, OBJ_USB, OBJ_PLAT, OBJ_ADDR };

static const struct {
	const char *opt;
	const char *bus; /* under /sys/bus */
	const char *what;
	const char *type;
} kinds[] = {
	[OBJ_TASK] = { "pid-task", NULL, "task", "struct task_struct" },
	[OBJ_PCI] = { "pci-dev", "pci", "PCI device", "struct pci_dev" },
	[OBJ_USB] = { "usb-dev", "usb", "USB device", "struct usb_device" },
	[OBJ_PLAT] = { "plat-dev", "platform", "platform device",
		       "struct platform_device" },
	[OBJ_ADDR] = { "object", NULL, "object", NULL },
};

struct km_object {
	enum kind kind;
	const char *arg; /* PID, NAME or ADDR, as typed */
	const char *type; /* "struct task_struct", or --object's TYPE */
	int first_watch; /* the first watch it applies to */
	bool used;
	bool checked; /* the argument is good, fd is open */
	bool found; /* addr is known */
	int fd; /* a device's sysfs directory */
	uint32_t pid;
	const struct btf *btf;
	uint32_t type_id;
	uint64_t addr;
	char desc[KM_PATH_TEXT_MAX + 64];
};

struct km_objects {
	struct km_object objs[KM_MAX_WATCHES];
	int nr;
	struct km_kbtf kbtf;
	bool have_btf;
	struct km_resolver *res;
	/* Notes and warnings, printed once every watch has resolved. */
	int nr_msgs;
	struct {
		bool warn;
		char text[MSG_MAX];
	} msgs[MAX_MSGS];
};

static void add_msg(struct km_objects *s, bool warn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_msg(struct km_objects *s, bool warn, const char *fmt, ...)
{
	char text[MSG_MAX];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* Two paths through the same pointer need one note. */
	for (i = 0; i < s->nr_msgs; i++)
		if (!strcmp(s->msgs[i].text, text))
			return;
	if (s->nr_msgs == MAX_MSGS)
		return;
	s->msgs[s->nr_msgs].warn = warn;
	memcpy(s->msgs[s->nr_msgs++].text, text, sizeof(text));
}

int km_objects_add(struct km_objects **objs, int c, const char *arg, int argc,
		   char **argv, int *optind, int first_watch)
{
	struct km_objects *s = *objs;
	struct km_object *o;

	if (!s && !(s = *objs = calloc(1, sizeof(*s)))) {
		km_err("out of memory");
		return -ENOMEM;
	}
	if (s->nr == KM_MAX_WATCHES) {
		km_usage(
			"too many object options: at most %d, as many as watchpoints",
			KM_MAX_WATCHES);
		return -E2BIG;
	}
	o = &s->objs[s->nr];
	o->kind = c - KM_OPT_PID_TASK;
	o->arg = arg;
	o->type = kinds[o->kind].type;
	o->first_watch = first_watch;
	o->fd = -1;
	if (o->kind == OBJ_ADDR) {
		if (*optind >= argc) {
			km_usage(
				"--object needs a type and an address: --object 'struct TYPE' ADDR");
			return -EINVAL;
		}
		o->type = arg;
		o->arg = argv[(*optind)++];
	}
	s->nr++;
	return 0;
}

struct km_object *km_objects_for(struct km_objects *s, int i)
{
	struct km_object *o = NULL;
	int j;

	for (j = 0; s && j < s->nr; j++)
		if (s->objs[j].first_watch <= i)
			o = &s->objs[j];
	if (o)
		o->used = true;
	return o;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * "a, b, c, ... (N more)": what /sys/bus/BUS/devices holds, sorted. The USB
 * bus lists its interfaces (1-1:1.0) beside its devices: no_colon leaves
 * them out, as they are no usb_device.
 */
static void list_devices(const char *dir, bool no_colon, char *buf, size_t size)
{
	size_t n = 0, cap = 0, i, len = 0;
	char **names = NULL;
	struct dirent *e;
	DIR *d = opendir(dir);

	buf[0] = '\0';
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || (no_colon && strchr(e->d_name, ':')))
			continue;
		if (km_grow_array((void **)&names, &cap, n + 1,
				  sizeof(*names)) ||
		    !(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	if (d)
		closedir(d);
	if (!n)
		snprintf(buf, size, "nothing");
	else
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (len + strlen(names[i]) + 24 > size) {
			snprintf(buf + len, size - len, ", ... (%zu more)",
				 n - i);
			break;
		}
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				names[i]);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* A USB interface (1-1:1.0) sits next to the devices; it is no usb_device. */
static int check_usb_device(struct km_object *o)
{
	char line[256];
	bool device = false;
	FILE *f;
	int fd;

	fd = openat(o->fd, "uevent", O_RDONLY | O_CLOEXEC);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	while (f && fgets(line, sizeof(line), f))
		device |= !strcmp(line, "DEVTYPE=usb_device\n");
	if (f)
		fclose(f);
	else if (fd >= 0)
		close(fd);
	if (device)
		return 0;
	km_usage(
		"%s is no USB device (a USB interface?): give a device such as %.*s",
		o->arg, (int)strcspn(o->arg, ":"), o->arg);
	return -EINVAL;
}

static int open_device(struct km_object *o)
{
	char dir[128], path[512], list[LIST_CHARS];
	const char *bus = kinds[o->kind].bus;

	snprintf(dir, sizeof(dir), "/sys/bus/%s/devices", bus);
	if (!*o->arg || strchr(o->arg, '/') || !strcmp(o->arg, ".") ||
	    !strcmp(o->arg, "..")) {
		km_usage("bad %s name '%s': give a name from %s",
			 kinds[o->kind].what, o->arg, dir);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, o->arg);
	o->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->fd >= 0)
		return o->kind == OBJ_USB ? check_usb_device(o) : 0;
	if (errno != ENOENT && errno != ENOTDIR) {
		km_err("cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	if (access(dir, F_OK)) {
		km_usage(
			"no %s '%s': %s does not exist (no such bus here, or its driver is not loaded)",
			kinds[o->kind].what, o->arg, dir);
		return -ENOENT;
	}
	list_devices(dir, o->kind == OBJ_USB, list, sizeof(list));
	km_usage("no %s '%s'; %s has: %s", kinds[o->kind].what, o->arg, dir,
		 list);
	return -ENOENT;
}

static int parse_pid(struct km_object *o)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(o->arg, &end, 10);
	if (errno || end == o->arg || *end || *o->arg == '-' || !v ||
	    v > 0x7fffffff) {
		km_usage("bad pid '%s': give a process or thread id", o->arg);
		return -EINVAL;
	}
	o->pid = v;
	return 0;
}

static int parse_addr(struct km_object *o, const struct km_symtab *syms)
{
	int err = km_resolve_expr(o->arg, syms, &o->addr);

	if (err == -ENOENT)
		km_usage(
			"unknown symbol '%s' for --object: give a symbol or a hex address",
			o->arg);
	else if (err)
		km_usage(
			"bad address '%s' for --object: give a symbol or a hex address",
			o->arg);
	return err;
}

/* Everything that needs no BPF: the argument, the device, the type. */
static int check_object(struct km_objects *s, struct km_object *o,
			const struct km_symtab *syms)
{
	int err;

	if (o->checked)
		return 0;
	if (o->kind == OBJ_TASK)
		err = parse_pid(o);
	else if (o->kind == OBJ_ADDR)
		err = parse_addr(o, syms);
	else
		err = open_device(o);
	if (!err && !s->have_btf) {
		err = km_kbtf_load(&s->kbtf, NULL);
		s->have_btf = !err;
	}
	err = err ?: km_kbtf_find(&s->kbtf, o->type, &o->btf, &o->type_id);
	o->checked = !err;
	return err;
}

/* The offset of a member (path) in a type, from the kernel's BTF. */
static int member_off(struct km_objects *s, const char *type,
		      const char *member, uint64_t *off)
{
	struct km_member_path p;
	const struct btf *btf;
	uint32_t id;
	int err;

	err = km_kbtf_find(&s->kbtf, type, &btf, &id);
	if (err)
		return err;
	err = km_member_path(btf, id, member, &p);
	if (err) {
		km_err("this kernel's %s is not as kmemsnoop knows it: %s",
		       type, p.err);
		return err;
	}
	*off = p.off;
	return 0;
}

/*
 * The sysfs directory's kobject is the device's (struct device.kobj),
 * and the device is the bus type's .dev; its name must be the one the
 * user gave, or something is not what it seems.
 */
static int find_device(struct km_objects *s, struct km_object *o)
{
	uint64_t kobj, name_off, name_ptr = 0, kobj_off, dev_off;
	char name[256];
	int err;

	err = km_resolver_kobj(s->res, o->fd, &kobj);
	if (err) {
		km_err("cannot find the kobject of /sys/bus/%s/devices/%s: %s",
		       kinds[o->kind].bus, o->arg,
		       err == -ENOTDIR ? "not a sysfs directory" :
					 strerror(-err));
		return err;
	}
	err = member_off(s, "struct kobject", "&name", &name_off);
	err = err ?: member_off(s, "struct device", "&kobj", &kobj_off);
	err = err ?: member_off(s, o->type, "&dev", &dev_off);
	if (err)
		return err;
	if (km_resolver_read(s->res, kobj + name_off, &name_ptr,
			     sizeof(name_ptr)) ||
	    km_resolver_read_str(s->res, name_ptr, name, sizeof(name)) ||
	    strcmp(name, o->arg)) {
		km_err("the sysfs directory of %s %s does not lead to its kobject: cannot find the device",
		       kinds[o->kind].what, o->arg);
		return -EIO;
	}
	o->addr = kobj - kobj_off - dev_off;
	return 0;
}

static int find_task(struct km_objects *s, struct km_object *o)
{
	int err = km_resolver_task(s->res, o->pid, &o->addr);

	if (err == -ESRCH)
		km_usage("no task with pid %u (see ps -eL)", o->pid);
	else if (err)
		km_err("cannot look for the task of pid %u: %s", o->pid,
		       strerror(-err));
	return err;
}

/* --object: the first byte must be readable, or it is no object. */
static int check_readable(struct km_objects *s, struct km_object *o)
{
	uint8_t b;

	if (!km_resolver_read(s->res, o->addr, &b, 1))
		return 0;
	km_usage("cannot read kernel memory at 0x%" PRIx64
		 " (--object %s): give the address of a live object",
		 o->addr, o->arg);
	return -EFAULT;
}

/* Needs BPF: where the object is. */
static int find_object(struct km_objects *s, struct km_object *o)
{
	char tname[KM_PATH_TEXT_MAX];
	int err = 0;

	if (o->found)
		return 0;
	if (!s->res)
		err = km_resolver_open(&s->res);
	if (!err && o->kind == OBJ_TASK)
		err = find_task(s, o);
	else if (!err && o->kind == OBJ_ADDR)
		err = check_readable(s, o);
	else if (!err)
		err = find_device(s, o);
	if (err)
		return err;
	km_btf_type_name(o->btf, o->type_id, tname, sizeof(tname));
	snprintf(o->desc, sizeof(o->desc), "%s %s (%s at 0x%" PRIx64 ")",
		 kinds[o->kind].opt, o->arg, tname, o->addr);
	o->found = true;
	return 0;
}

/* Reads the pointers on the path; *addr is where the field is. */
static int follow(struct km_objects *s, struct km_object *o,
		  const struct km_member_path *p, uint64_t *addr)
{
	int ptr_size = btf__pointer_size(o->btf) ?: 8;
	uint64_t base = o->addr, v;
	const struct km_path_deref *d;
	int i;

	for (i = 0; i < p->nr_derefs; i++) {
		d = &p->derefs[i];
		v = 0;
		if (km_resolver_read(s->res, base + d->off, &v, ptr_size)) {
			km_err("cannot read %s at 0x%" PRIx64 " (%s)", d->what,
			       base + d->off, o->desc);
			return -EFAULT;
		}
		if (!v) {
			km_err("%s is NULL in %s: nothing to watch behind it",
			       d->what, o->desc);
			return -EFAULT;
		}
		add_msg(s, false,
			"%s resolved once to 0x%" PRIx64
			"; not followed if it changes",
			d->what, v);
		base = v;
	}
	*addr = base + p->off;
	return 0;
}

/* The largest watch length that fits in size bytes. */
static uint32_t fitting_len(uint32_t size)
{
	uint32_t len = 8;

	while (len > size)
		len /= 2;
	return len;
}

static int length_from_field(struct km_watch *w, const struct km_member_path *p)
{
	const char *bp = km_bp_name(w->type);

	if (p->size == 1 || p->size == 2 || p->size == 4 || p->size == 8) {
		w->len = p->size;
		return 0;
	}
	if (!p->size)
		km_usage("%s is %s, of unknown size: give a length, e.g. %s8",
			 p->field, p->type_name, bp);
	else
		km_usage(
			"%s is %u bytes (%s): give a length of 1, 2, 4 or 8 to watch its first bytes, e.g. %s%u",
			p->field, p->size, p->type_name, bp,
			fitting_len(p->size));
	return -EINVAL;
}

/* The watch length against the field's size, and alignment. */
static int fit_length(struct km_objects *s, struct km_watch *w,
		      const struct km_member_path *p, uint64_t addr)
{
	const char *bp = km_bp_name(w->type);

	if (w->type == KM_BP_X) {
		/* Execute breakpoints cover one instruction: long-sized. */
		if (!w->len)
			w->len = sizeof(long);
	} else if (!w->len) {
		if (length_from_field(w, p))
			return -EINVAL;
	} else if (p->size && w->len > p->size) {
		km_usage(
			"%s is %u bytes (%s), smaller than the watch length %u: use %s%u",
			p->field, p->size, p->type_name, w->len, bp,
			fitting_len(p->size));
		return -EINVAL;
	} else if (p->size && w->len < p->size) {
		add_msg(s, true,
			"watching the first %u of the %u bytes of %s (%s)",
			w->len, p->size, p->field, p->type_name);
	}
	if (p->bit_size)
		add_msg(s, false,
			"%s is a bitfield (bits %u-%u of %u bytes at 0x%" PRIx64
			"): the watch covers those bytes",
			p->field, p->bit_off, p->bit_off + p->bit_size - 1,
			p->size, addr);
	if (!km_watch_fits(addr, w->len)) {
		km_usage("%s at 0x%" PRIx64
			 " cannot start a watch of %u bytes: %s",
			 p->field, addr, w->len, KM_WATCH_FIT_RULE);
		return -EINVAL;
	}
	return 0;
}

int km_object_watch(struct km_objects *s, struct km_object *o,
		    struct km_watch *w, const char *bp, const char *expr,
		    const struct km_symtab *syms)
{
	struct km_member_path p;
	uint64_t addr;
	int err;

	memset(w, 0, sizeof(*w));
	if (km_parse_bp_field(bp, &w->type, &w->len)) {
		km_usage(
			"bad breakpoint type '%s': use r, w, rw or x, then a length of 1, 2, 4 or 8, or none for the field's own (e.g. rw8 or rw)",
			bp);
		return -EINVAL;
	}
	err = check_object(s, o, syms);
	if (!err && (err = km_member_path(o->btf, o->type_id, expr, &p)))
		km_usage("%s", p.err);
	err = err ?: find_object(s, o);
	err = err ?: follow(s, o, &p, &addr);
	err = err ?: fit_length(s, w, &p, addr);
	if (err)
		return err;
	w->addr = addr;
	w->expr = strdup(expr);
	w->object = strdup(o->desc);
	if (!w->expr || !w->object) {
		km_err("out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void release(struct km_objects *s)
{
	int i;

	for (i = 0; i < s->nr; i++) {
		if (s->objs[i].fd >= 0)
			close(s->objs[i].fd);
		s->objs[i].fd = -1;
	}
	km_resolver_close(s->res);
	s->res = NULL;
	if (s->have_btf)
		km_kbtf_free(&s->kbtf);
	s->have_btf = false;
}

int km_objects_finish(struct km_objects *s, int err)
{
	struct km_object *o;
	int i;

	if (!s)
		return err;
	for (i = 0; !err && i < s->nr; i++) {
		o = &s->objs[i];
		if (o->used)
			continue;
		km_usage(
			"--%s %s has no BP EXPR after it: put it before the watches it is for",
			kinds[o->kind].opt, o->arg);
		err = -EINVAL;
	}
	for (i = 0; !err && i < s->nr_msgs; i++) {
		if (s->msgs[i].warn)
			km_warn("%s", s->msgs[i].text);
		else
			fprintf(stderr, "kmemsnoop: note: %s\n",
				s->msgs[i].text);
	}
	release(s);
	return err;
}

void km_objects_free(struct km_objects *s)
{
	if (!s)
		return;
	release(s);
	free(s);
}

void km_objects_usage(FILE *f)
{
	fputs("Fields of kernel objects: EXPR is then a member path from the object,\n"
	      "e.g. '&se.nr_migrations' (the field) or 'mm' (what it points to), and\n"
	      "BP may leave out the length (rw: the field's size). Each applies to\n"
	      "the BP EXPR pairs after it:\n"
	      "      --pid-task PID             the task_struct of PID\n"
	      "      --pci-dev NAME             the pci_dev of /sys/bus/pci/devices/NAME\n"
	      "      --usb-dev NAME             the usb_device of /sys/bus/usb/devices/NAME\n"
	      "      --plat-dev NAME            the platform_device of /sys/bus/platform/devices/NAME\n"
	      "      --object 'struct T' ADDR   a struct T at ADDR (hex, or a symbol)\n",
	      f);
}
