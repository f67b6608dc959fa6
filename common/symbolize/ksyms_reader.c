// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include "../bytes.h"
#include "ksyms.h"

#define KALLSYMS "/proc/kallsyms"

struct km_kallsyms_reader {
	pthread_t thread;
	char *text;
	size_t len;
	int err;
};

static void *read_it(void *arg)
{
	struct km_kallsyms_reader *r = arg;

	r->err = km_read_file(KALLSYMS, &r->text, &r->len);
	return NULL;
}

struct km_kallsyms_reader *km_kallsyms_reader_start(void)
{
	struct km_kallsyms_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (pthread_create(&r->thread, NULL, read_it, r)) {
		/* join() reads it then, on this thread. */
		r->thread = 0;
	}
	return r;
}

int km_kallsyms_reader_join(struct km_kallsyms_reader *r, char **text,
			    size_t *len)
{
	int err;

	if (!r)
		return km_read_file(KALLSYMS, text, len);
	if (r->thread)
		pthread_join(r->thread, NULL);
	else
		read_it(r);
	err = r->err;
	*text = r->text;
	*len = r->len;
	free(r);
	return err;
}
