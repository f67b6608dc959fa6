/* SPDX-License-Identifier: GPL-2.0 */
/* The few pieces of JSON output kmemsnoop needs. */
#ifndef KM_JSON_H
#define KM_JSON_H

#include <stdio.h>

/* Writes s as a JSON string, quotes included, escaping what JSON needs. */
void km_json_str(FILE *f, const char *s);
/* Same for a buffer of len bytes that need not be NUL-terminated. */
void km_json_strn(FILE *f, const char *s, size_t len);

#endif
