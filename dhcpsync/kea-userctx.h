/* SPDX-License-Identifier: ISC */
/*
 * Kea's user_context travels in a lease as one more statement,
 *
 *	set kea-user-context = "JSON";
 *
 * written with dhcpd's string escapes: a dhcpd peer keeps it as a
 * variable (harmless there) and hands it back, a Kea peer gets it again
 * as "user-context".
 */
#ifndef DS_KEA_USERCTX_H
#define DS_KEA_USERCTX_H

#include <stddef.h>

#include "record.h"

#define KCTX_MAX	1499	/* dhcpd reads no longer string */

/* Adds the statement for json (one JSON object); 0, or -1 and unchanged. */
int	kctx_put(struct lease *, const char *json, size_t n);
/*
 * The JSON object a lease carries, NUL-terminated in buf (KCTX_MAX + 1
 * bytes); its length, or 0 if none (or none that is one valid object).
 */
size_t	kctx_get(const struct lease *, char *buf, size_t len);

#endif
