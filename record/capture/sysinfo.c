// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "../../common/symbolize/ksyms.h"
#include "../../common/trace/tlv.h"
#include "../../common/trace/trace_format.h"
#include "sysinfo.h"

#define NT_GNU_BUILD_ID 3
#define ALIGN4(x) (((x) + 3) & ~(size_t)3)

size_t km_find_build_id(const uint8_t *notes, size_t len, uint8_t *id,
			size_t max)
{
	size_t off = 0, namesz, descsz, name_off, desc_off;

	while (len - off >= 12) {
		namesz = km_get32(notes + off);
		descsz = km_get32(notes + off + 4);
		name_off = off + 12;
		if (namesz > len || descsz > len ||
		    ALIGN4(namesz) > len - name_off)
			return 0;
		desc_off = name_off + ALIGN4(namesz);
		if (ALIGN4(descsz) > len - desc_off)
			return 0;
		if (km_get32(notes + off + 8) == NT_GNU_BUILD_ID &&
		    namesz == 4 && !memcmp(notes + name_off, "GNU", 4) &&
		    descsz <= max) {
			memcpy(id, notes + desc_off, descsz);
			return descsz;
		}
		off = desc_off + ALIGN4(descsz);
	}
	return 0;
}

static int put_build_id(struct km_buf *b)
{
	uint8_t id[64];
	size_t len, n;
	char *notes;
	int err;

	err = km_read_file("/sys/kernel/notes", &notes, &len);
	if (err)
		return 0; /* the header then simply has no build-id */
	n = km_find_build_id((uint8_t *)notes, len, id, sizeof(id));
	free(notes);
	return n ? km_tlv_put(b, KM_META_BUILD_ID, id, n) : 0;
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int put_cmdline(struct km_buf *b, int argc, char **argv)
{
	struct km_buf s = { 0 };
	int i, err;

	/* argv starts at the subcommand; the program name comes first. */
	err = km_buf_append(&s, "kmemsnoop", sizeof("kmemsnoop"));
	for (i = 0; i < argc && !err; i++)
		err = km_buf_append(&s, argv[i], strlen(argv[i]) + 1);
	if (!err)
		err = km_tlv_put(b, KM_META_CMDLINE, s.data, s.len);
	km_buf_free(&s);
	return err;
}

int km_sysinfo_meta(struct km_buf *b, int argc, char **argv)
{
	struct utsname u;
	char host[256] = "";
	int err;

	if (uname(&u))
		return -errno;
	gethostname(host, sizeof(host) - 1);
	err = put_build_id(b);
	err = err ?: km_tlv_put_str(b, KM_META_RELEASE, u.release);
	err = err ?: km_tlv_put_str(b, KM_META_KVERSION, u.version);
	err = err ?: km_tlv_put_str(b, KM_META_MACHINE, u.machine);
	err = err ?: km_tlv_put_str(b, KM_META_HOSTNAME, host);
	err = err   ?:
		      km_tlv_put_u64(b, KM_META_REALTIME_NS,
				     clock_ns(CLOCK_REALTIME));
	err = err   ?:
		      km_tlv_put_u64(b, KM_META_MONOTONIC_NS,
				     clock_ns(CLOCK_MONOTONIC));
	err = err ?: put_cmdline(b, argc, argv);
	err = err   ?:
		      km_tlv_put_u64(b, KM_META_NR_CPUS,
				     sysconf(_SC_NPROCESSORS_ONLN));
	err = err ?: km_tlv_put_str(b, KM_META_TOOL_VERSION, KM_TOOL_VERSION);
	return err;
}
