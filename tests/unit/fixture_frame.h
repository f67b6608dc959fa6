/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check test_dwarf.c and test_module_dwarf.c make of each entry a
 * symbolizer gives for dwarf_fixture.c: include after cmocka.h.
 */
#ifndef KM_FIXTURE_FRAME_H
#define KM_FIXTURE_FRAME_H

#include <stdbool.h>
#include "../../common/symbolize/symbolizer.h"
#include "dwarf_fixture.h"

/* e is name at FIX_SOURCE:line, from module (NULL: the kernel itself). */
static inline void assert_fixture_frame(const struct km_frame *e,
					const char *name, bool inlined,
					unsigned int line, const char *module)
{
	assert_non_null(e->name);
	assert_string_equal(e->name, name);
	assert_int_equal(e->inlined, inlined);
	assert_non_null(e->file);
	assert_string_equal(e->file, FIX_SOURCE);
	assert_int_equal(e->line, line);
	if (!module) {
		assert_null(e->module);
		return;
	}
	assert_non_null(e->module);
	assert_string_equal(e->module, module);
}

#endif
