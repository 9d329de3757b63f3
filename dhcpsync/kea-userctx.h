/* SPDX-License-Identifier: ISC */
/*
 * Kea's columns dhcpd has no place for travel in a lease as statements:
 * the user_context as
 *
 *	set kea-user-context = "JSON";
 *
 * written with dhcpd's string escapes, and the fqdn_fwd and fqdn_rev
 * flags (Kea did the DNS updates for the hostname) as
 *
 *	set kea-fqdn = "fwd,rev";	(or "fwd", or "rev"; none if neither)
 *
 * A dhcpd peer keeps them as variables (harmless there) and hands them
 * back, a Kea peer gets them again as "user-context", "fqdn-fwd" and
 * "fqdn-rev", and in its lease file's columns.
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

#define KFQDN_FWD	1
#define KFQDN_REV	2

/* Adds the statement for flags (KFQDN_*), if any; 0, or -1 and unchanged. */
int	kfqdn_put(struct lease *, int flags);
/* The KFQDN_* flags a lease carries. */
int	kfqdn_get(const struct lease *);

#endif
