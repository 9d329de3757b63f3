/* SPDX-License-Identifier: ISC */
/*
 * A strict check of JSON text (RFC 8259) before it is put inside a
 * command for Kea: a value from a lease file must not add or end members
 * of the command around it.
 */
#ifndef DS_JSON_H
#define DS_JSON_H

#include <stddef.h>

/* 1 if s is one JSON object (nesting at most 32 deep), else 0. */
int	json_object_valid(const char *s, size_t n);
/* The same with another bound: for JSON that holds a checked object. */
int	json_object_valid_depth(const char *s, size_t n, int depth);

#endif
