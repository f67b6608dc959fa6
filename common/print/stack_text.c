// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../bytes.h"
#include "../trace/hit.h"
#include "frames.h"
#include "stack_text.h"
#include "../trace/trace_format.h"

struct text {
	char *s;
	size_t len;
};

struct km_stack_text {
	struct text *by_id[2]; /* [json] */
	size_t cap[2];
};

struct km_stack_text *km_stack_text_new(void)
{
	return calloc(1, sizeof(struct km_stack_text));
}

void km_stack_text_free(struct km_stack_text *c)
{
	size_t i;
	int j;

	if (!c)
		return;
	for (j = 0; j < 2; j++) {
		for (i = 0; i < c->cap[j]; i++)
			free(c->by_id[j][i].s);
		free(c->by_id[j]);
	}
	free(c);
}

static void render(FILE *f, const struct km_print_ctx *pc,
		   const struct km_hit *h, bool json)
{
	if (json)
		km_print_frames_json(f, pc, h->frames, h->nr_frames);
	else
		km_print_frames(f, pc, h->frames, h->nr_frames, "    ");
}

/* The cached text of h's stack, rendering it on first use; or NULL. */
static struct text *lookup(struct km_stack_text *c,
			   const struct km_print_ctx *pc,
			   const struct km_hit *h, bool json)
{
	size_t old = c->cap[json];
	struct text *t;
	FILE *mem;

	if (km_grow_array((void **)&c->by_id[json], &c->cap[json],
			  (size_t)h->stack_id + 1, sizeof(struct text)))
		return NULL;
	memset(c->by_id[json] + old, 0, (c->cap[json] - old) * sizeof(*t));
	t = &c->by_id[json][h->stack_id];
	if (t->s)
		return t;
	mem = open_memstream(&t->s, &t->len);
	if (!mem)
		return NULL;
	render(mem, pc, h, json);
	if (fclose(mem)) {
		free(t->s);
		t->s = NULL;
		return NULL;
	}
	return t;
}

int km_stack_text_put(struct km_stack_text *c, FILE *f,
		      const struct km_print_ctx *pc, const struct km_hit *h,
		      bool json)
{
	struct text *t = h->stack_id == KM_NO_STACK || !c ?
				 NULL :
				 lookup(c, pc, h, json);

	if (!t) {
		render(f, pc, h, json);
		return h->stack_id == KM_NO_STACK || !c ? 0 : -ENOMEM;
	}
	fwrite(t->s, 1, t->len, f);
	return 0;
}
