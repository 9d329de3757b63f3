/* SPDX-License-Identifier: ISC */
/*
 * Accept mode (RFC 5798 6.1) through nftables, spoken over netlink with
 * libmnl: one table "inet vrrpd" holding the VIPs of every master in
 * no_accept mode in two sets, and input/output chains that drop traffic
 * to and from them, neighbour solicitations and advertisements excepted
 * (ARP is not IP and passes anyway) -- what keepalived's nftables code
 * does.  nft_build() is pure, so a unit test decodes what it writes.
 *
 * And use_vmac's IGMP and MLD reports, as keepalived 2.2.7's tables "ip
 * keepalived" and "ip6 keepalived": a VMAC that joins a group would
 * report it from the virtual MAC, and a switch would learn that MAC on a
 * backup's port.  Tables "ip vrrpd" and "ip6 vrrpd" map each VMAC to its
 * parent (vmac_map); a report leaving a macvlan in the map is sent out of
 * the parent instead (with the parent's MAC), and an IPv6 VMAC's router
 * solicitations (vmac_set) are dropped.  nft_build_vmac() is pure too.
 */
#ifndef VRRPD_NFT_H
#define VRRPD_NFT_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define NFT_TABLE	"vrrpd"
#define NFT_MAX_VIPS	1024	/* CFG_MAX_INSTANCES * CFG_MAX_VIPS */
#define NFT_MAX_VMACS	32	/* CFG_MAX_INSTANCES */

struct mnl_socket;

struct nft_vip {
	int		nv_family;
	union vrrp_addr	nv_addr;
};

/* A VMAC in the tables of each family it has addresses of. */
struct nft_vmac {
	uint32_t	nm_ifindex, nm_parent;
	int		nm_v4, nm_v6;
};

struct nft {
	struct mnl_socket	*nf_sock;
	unsigned int		 nf_portid;
	unsigned int		 nf_seq;
	int			 nf_on;	/* we believe the table exists */
	int			 nf_errno;	/* why nft_open() failed */
	struct nft_vmac		 nf_vmacs[NFT_MAX_VMACS];
	int			 nf_nvmacs;
	int			 nf_vmac_kept;	/* NFT_KEPT_*: emptied, kept */
};

/* VMAC tables a reload emptied, kept (with no element) until the stop */
#define NFT_KEPT_V4	0x1
#define NFT_KEPT_V6	0x2

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

/*
 * The VMAC tables' batch, as nft_build: each family's table built afresh
 * holding the VMACs that are in it, or deleted when none is.
 */
int	nft_build_vmac(const struct nft_vmac *vm, int n, uint32_t seq,
	    void *buf, size_t len, int *nmsg);
/* The same, the families in kept (NFT_KEPT_*) made even with no VMAC. */
int	nft_build_vmac_kept(const struct nft_vmac *vm, int n, int kept,
	    uint32_t seq, void *buf, size_t len, int *nmsg);
/* A VMAC into the tables (before it is up: its first report moves). */
int	nft_vmac_add(struct nft *, const struct nft_vmac *);
/*
 * A VMAC out of them.  keep (a reload deleted its instance): its tables
 * stay, emptied, until nft_close(), as keepalived 2.2.7 keeps them;
 * otherwise a table goes with its last VMAC.  0 or -1.
 */
int	nft_vmac_del(struct nft *, uint32_t ifindex, int keep);
/* The VMAC tables a killed vrrpd left: how many removed, -1 errno. */
int	nft_vmac_remove(struct nft *);

#endif
