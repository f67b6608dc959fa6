/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where things are in dwarf_fixture.c, which test_dwarf.c symbolizes;
 * the fixture checks each line number when it is compiled.
 */
#ifndef KM_DWARF_FIXTURE_H
#define KM_DWARF_FIXTURE_H

#define FIX_SOURCE "tests/unit/dwarf_fixture.c"
/* leaf()'s store, inlined into mid(). */
#define FIX_LEAF_LINE 18
/* mid()'s call of leaf(). */
#define FIX_MID_CALL_LINE 24
/* mid()'s own store, after the call. */
#define FIX_MID_STORE_LINE 26
/* outer()'s call of mid(). */
#define FIX_OUTER_CALL_LINE 32

#endif
