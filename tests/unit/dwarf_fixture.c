// SPDX-License-Identifier: GPL-2.0
/*
 * The program test_dwarf.c symbolizes, built with gcc -g -O2 -no-pie
 * (an ET_EXEC file, as a vmlinux is): outer() calls mid(), which calls
 * leaf(), both forced inline, so the first instruction of outer() is
 * inside two inlined calls. The stores are volatile so that the
 * optimizer keeps each of them, in order.
 */
#include "dwarf_fixture.h"

/* The line numbers test_dwarf.c expects, checked at compile time. */
#define AT_LINE(n) _Static_assert(__LINE__ == (n), "update dwarf_fixture.h")

volatile int sink;

static inline __attribute__((always_inline)) void leaf(int x)
{
	sink = x * 3;
	AT_LINE(FIX_LEAF_LINE + 1);
}

static inline __attribute__((always_inline)) void mid(int x)
{
	leaf(x + 1);
	AT_LINE(FIX_MID_CALL_LINE + 1);
	sink = x;
	AT_LINE(FIX_MID_STORE_LINE + 1);
}

__attribute__((noinline)) int outer(int x)
{
	mid(x);
	AT_LINE(FIX_OUTER_CALL_LINE + 1);
	return sink + 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	return outer(argc) & 1;
}
