/* SPDX-License-Identifier: ISC */
/*
 * Applying leases to a running Kea over its control socket (the
 * lease_cmds hook): lease4-update with force-create for a bound lease
 * (state 1 for an abandoned one: Kea's declined), lease4-del for
 * anything else.
 */
#ifndef DS_KEA_CTL_H
#define DS_KEA_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* Kea answered, but not for this lease (result 1): skip it, go on. */
#define KEA_REFUSED	1

/*
 * The command for one lease; length, or -1 if buf is short.  Subnet 0:
 * none given, Kea picks it from the address.
 */
int	kea_command(const struct lease *, uint32_t subnet, char *, size_t);
/*
 * 0 if Kea's reply says done (or, for a delete, nothing to delete),
 * KEA_REFUSED if Kea refused this lease, -1 if Kea is not working.
 */
int	kea_result(const char *reply, int del);
/* Kea's "text" from reply, as one printable line without '"'. */
void	kea_reason(const char *reply, char *buf, size_t len);
/*
 * One exchange over the socket at path: 0, KEA_REFUSED (Kea's reason in
 * why) or -1 (logged).
 */
int	kea_apply(const char *path, uint32_t subnet, const struct lease *,
	    char *why, size_t whylen);

#endif
