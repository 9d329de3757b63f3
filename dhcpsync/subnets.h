/* SPDX-License-Identifier: ISC */
/*
 * The IPv4 subnets a peer's leases must fall in: CIDRs from the command
 * line, or the `subnet A netmask M {` declarations of a dhcpd.conf.  A
 * pure reader (no I/O, no logging), so it can be fuzzed.
 */
#ifndef DS_SUBNETS_H
#define DS_SUBNETS_H

#include <stddef.h>
#include <stdint.h>

#define SUBNETS_MAX	65536	/* declarations kept; more is an error */

struct subnet {
	uint32_t sn_net, sn_mask;	/* host byte order */
};

struct subnets {
	struct subnet *ss_v;
	size_t	 ss_n, ss_cap;
};

/* A warning that changes nothing (file:line text), e.g. an include. */
typedef void (*subnets_warn_fn)(void *, const char *);

void	subnets_free(struct subnets *);
/* "A.B.C.D/LEN", host bits clear.  0, or -1 with the reason in err. */
int	subnets_add_cidr(struct subnets *, const char *, char *err,
	    size_t errlen);
/*
 * Adds every `subnet A netmask M` declaration of a dhcpd.conf held in
 * buf, at any depth (shared-network, group).  name is for messages.
 * Returns the number added, or -1 with "name:line: ..." in err.
 */
int	subnets_parse_conf(struct subnets *, const char *buf, size_t len,
	    const char *name, subnets_warn_fn, void *warnarg, char *err,
	    size_t errlen);
/* Is addr in one of them? */
int	subnets_match(const struct subnets *, uint32_t addr);
/* "A.B.C.D/LEN" of one entry. */
void	subnets_format(const struct subnet *, char *buf, size_t len);

#endif
