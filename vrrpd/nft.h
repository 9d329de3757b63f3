/* SPDX-License-Identifier: ISC */
/*
 * Accept mode (RFC 5798 6.1) through nftables, spoken over netlink with
 * libmnl: one table "inet vrrpd" holding the VIPs of every master in
 * no_accept mode in two sets, and input/output chains that drop traffic
 * to and from them, neighbour solicitations and advertisements excepted
 * (ARP is not IP and passes anyway) -- what keepalived's nftables code
 * does.  nft_build() is pure, so a unit test decodes what it writes.
 */
#ifndef VRRPD_NFT_H
#define VRRPD_NFT_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define NFT_TABLE	"vrrpd"
#define NFT_MAX_VIPS	1024	/* CFG_MAX_INSTANCES * CFG_MAX_VIPS */

struct mnl_socket;

struct nft_vip {
	int		nv_family;
	union vrrp_addr	nv_addr;
};

struct nft {
	struct mnl_socket	*nf_sock;
	unsigned int		 nf_portid;
	unsigned int		 nf_seq;
	int			 nf_on;	/* we believe the table exists */
};

/*
 * One nf_tables batch into buf: with vips (n >= 1) the table built afresh
 * holding exactly them; with n == 0 the table deleted (absent or not:
 * the batch creates it first).  Every message asks for an ACK and *nmsg
 * says how many answers to expect.  Length, or -1 if buf is too small.
 */
int	nft_build(const struct nft_vip *vips, int n, uint32_t seq, void *buf,
	    size_t len, int *nmsg);
int	nft_open(struct nft *);
void	nft_close(struct nft *);
/* Makes the table hold exactly these VIPs (none: no table); 0 or -1. */
int	nft_sync(struct nft *, const struct nft_vip *vips, int n);
/* Removes a table only if there is one; 1 removed, 0 none, -1 errno. */
int	nft_remove(struct nft *);

#endif
