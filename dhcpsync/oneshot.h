/* SPDX-License-Identifier: ISC */
/*
 * The one-shot commands over a lease file, no daemon: check (does it
 * parse, how many leases) and convert (dhcpd's format to Kea's or back).
 */
#ifndef DS_ONESHOT_H
#define DS_ONESHOT_H

#include <stddef.h>
#include <stdint.h>

#define ONESHOT_FILE_MAX	(1024ull * 1024 * 1024)

/* A whole file ("-": stdin), bounded; NULL and errno on failure. */
char	*oneshot_slurp(const char *path, size_t *len);
/* Kea's CSV by its first bytes (the header), else dhcpd's. */
int	oneshot_is_kea(const char *buf, size_t len);

int	oneshot_check(int argc, char **argv);
int	oneshot_convert(int argc, char **argv, const char *to,
	    uint32_t subnet);

#endif
