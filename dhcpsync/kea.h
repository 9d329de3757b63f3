/*
 * Applying leases to a running Kea over its control socket (the
 * lease_cmds hook): lease4-update with force-create for a bound lease,
 * lease4-del for anything else.
 */
#ifndef DS_KEA_H
#define DS_KEA_H

#include <stddef.h>
#include <stdint.h>

#include "lease.h"

/* The command for one lease; length, or -1 if buf is short. */
int	kea_command(const struct lease *, uint32_t subnet, char *, size_t);
/* 0 if Kea's reply says done (or, for a delete, nothing to delete). */
int	kea_result(const char *reply, int del);
/* One exchange over the socket at path; 0 or -1 (logged). */
int	kea_apply(const char *path, uint32_t subnet, const struct lease *);

#endif
