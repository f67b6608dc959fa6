/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BTF that types are looked up in: the running kernel's (vmlinux,
 * then its modules' for types vmlinux lacks, such as struct usb_device
 * when usbcore is a module), or one file's.
 */
#ifndef KM_KBTF_H
#define KM_KBTF_H

#include <stdint.h>
#include <bpf/btf.h>

#define KM_KBTF_MAX_MODS 8

struct km_kbtf {
	struct btf *vmlinux;
	const char *file; /* NULL: the running kernel */
	int nr_mods;
	struct btf *mods[KM_KBTF_MAX_MODS]; /* modules a type was found in */
};

/*
 * Loads file's BTF (an ELF vmlinux or raw BTF), or with file NULL the
 * running kernel's. Explains a failure through km_err().
 */
int km_kbtf_load(struct km_kbtf *k, const char *file);

/*
 * Finds a type ("struct NAME", "union NAME", a typedef); *btf is the
 * BTF it is in. Explains a failure through km_usage().
 */
int km_kbtf_find(struct km_kbtf *k, const char *spec, const struct btf **btf,
		 uint32_t *id);

void km_kbtf_free(struct km_kbtf *k);

#endif
