/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watching fields of kernel objects: the options that name an object
 * (--pid-task, --pci-dev, --usb-dev, --plat-dev, --object) and turning
 * "BP EXPR", EXPR a member path from that object, into a watch. An
 * object option applies to the BP EXPR pairs after it, up to the next
 * one; pairs before any object option are symbols or addresses.
 */
#ifndef KM_OBJECTS_H
#define KM_OBJECTS_H

#include <stdbool.h>
#include <stdio.h>
#include "../../common/symbolize/ksyms.h"
#include "../../common/trace/target.h"

/* getopt_long codes of the object options, clear of any short option. */
enum {
	KM_OPT_PID_TASK = 0x1000,
	KM_OPT_PCI_DEV,
	KM_OPT_USB_DEV,
	KM_OPT_PLAT_DEV,
	KM_OPT_OBJECT,
};

struct km_objects;
struct km_object;

static inline bool km_is_object_opt(int c)
{
	return c >= KM_OPT_PID_TASK && c <= KM_OPT_OBJECT;
}

/*
 * Takes object option c with its argument, for the watches from
 * first_watch on. --object's second argument (ADDR) is argv[*optind],
 * which it consumes. Allocates *objs on first use.
 */
int km_objects_add(struct km_objects **objs, int c, const char *arg, int argc,
		   char **argv, int *optind, int first_watch);

/* The object watch i is a member path of, or NULL. */
struct km_object *km_objects_for(struct km_objects *objs, int i);

/*
 * Finds the object (once), walks the member path expr from it, reads
 * the pointers on the way, and fills w. BP may leave out the length.
 * Explains any problem in one line and returns a negative errno.
 */
int km_object_watch(struct km_objects *objs, struct km_object *o,
		    struct km_watch *w, const char *bp, const char *expr,
		    const struct km_symtab *syms);

/*
 * Called once every watch is parsed, err being how that went: checks
 * every object option has watches after it, prints the notes (pointers
 * resolved once) and warnings, and lets go of BPF and BTF. Returns err,
 * or the first problem it found.
 */
int km_objects_finish(struct km_objects *objs, int err);
void km_objects_free(struct km_objects *objs);
void km_objects_usage(FILE *f);

#endif
