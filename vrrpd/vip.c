/*
 * The virtual addresses of an instance: add and remove them, announce
 * them (gratuitous ARP, unsolicited NA), find our own source address
 * among the interface's others, and clean up what a killed vrrpd left.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <linux/if_addr.h>

#include "log.h"
#include "vrrpd.h"

#define VIP_ADDRS_MAX	256

const char *
vip_ntop(int family, const union vrrp_addr *a, char *buf, size_t len)
{
	if (inet_ntop(family, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

int
vip_member(const struct cfg_instance *c, int family,
    const union vrrp_addr *a)
{
	size_t alen = family == AF_INET ? 4 : 16;
	int i;

	for (i = 0; i < c->ci_nvips; i++)
		if (c->ci_vips[i].cv_family == family &&
		    memcmp(&c->ci_vips[i].cv_addr, a, alen) == 0)
			return 1;
	return 0;
}

/*
 * Our source: unicast_src_ip, else the interface's first address that is
 * not a VIP (IPv4) or its link-local address (IPv6), as RFC 5798 5.1.
 */
void
vip_find_src(struct inst *in)
{
	struct nl_addr *as;
	int n, i;

	if (in->in_cfg.ci_has_src) {
		in->in_net.nt_src = in->in_cfg.ci_src;
		in->in_net.nt_has_src = 1;
		return;
	}
	if ((as = calloc(VIP_ADDRS_MAX, sizeof(*as))) == NULL)
		return;
	n = nl_addrs(&in->in_d->d_nl, in->in_cfg.ci_family, as,
	    VIP_ADDRS_MAX);
	in->in_net.nt_has_src = 0;
	for (i = 0; i < n; i++) {
		if (as[i].na_ifindex != in->in_ifindex ||
		    as[i].na_proto == NL_PROTO_VRRPD ||
		    vip_member(&in->in_cfg, as[i].na_family, &as[i].na_addr))
			continue;
		if (as[i].na_family == AF_INET6 &&
		    (!IN6_IS_ADDR_LINKLOCAL(&as[i].na_addr.v6) ||
		    (as[i].na_flags & IFA_F_TENTATIVE)))
			continue;
		in->in_net.nt_src = as[i].na_addr;
		in->in_net.nt_has_src = 1;
		break;
	}
	free(as);
}

void
vip_add_all(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	char a[INET6_ADDRSTRLEN];
	int i;

	for (i = 0; i < c->ci_nvips; i++)
		if (nl_vip_add(&in->in_d->d_nl, in->in_vip_ifindex,
		    in->in_vip_iface, &c->ci_vips[i]) == -1)
			log_warn("%s: add %s/%u on %s", c->ci_name,
			    vip_ntop(c->ci_family, &c->ci_vips[i].cv_addr, a,
			    sizeof(a)), c->ci_vips[i].cv_plen, in->in_vip_iface);
	in->in_vips_on = 1;
}

void
vip_del_all(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	char a[INET6_ADDRSTRLEN];
	int i;

	for (i = 0; i < c->ci_nvips; i++)
		if (nl_vip_del(&in->in_d->d_nl, in->in_vip_ifindex,
		    &c->ci_vips[i]) == -1)
			log_warn("%s: remove %s from %s", c->ci_name,
			    vip_ntop(c->ci_family, &c->ci_vips[i].cv_addr, a,
			    sizeof(a)), in->in_vip_iface);
	in->in_vips_on = 0;
}

void
vip_announce(struct inst *in, int times)
{
	const struct cfg_instance *c = &in->in_cfg;
	int i, k;

	for (k = 0; k < times; k++)
		for (i = 0; i < c->ci_nvips; i++)
			if (net_announce(c->ci_family, in->in_vip_ifindex,
			    in->in_vip_iface, &c->ci_vips[i].cv_addr) == -1)
				log_debug("%s: announce: %s", c->ci_name,
				    strerror(errno));
}

/* keepalived's garp_master_delay: one more round after the delay. */
void
vip_garp_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;

	if (in->in_fsm.fs_state == FSM_MASTER)
		vip_announce(in, in->in_cfg.ci_garp_repeat);
}

/* keepalived's garp_master_refresh: a round every period while master. */
void
vip_refresh_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;

	if (in->in_fsm.fs_state == FSM_MASTER)
		vip_announce(in, in->in_cfg.ci_garp_refresh_repeat);
}

void
vip_accept(struct inst *in, int on)
{
	struct vrrpd *d = in->in_d;
	struct nft_vip *v;
	const struct cfg_instance *c;
	int i, j, n = 0, was = in->in_nft_on;

	in->in_nft_on = on && config_no_accept(&in->in_cfg);
	if (!was && !in->in_nft_on)
		return;		/* accept mode: nothing of ours to change */
	if ((v = calloc(NFT_MAX_VIPS, sizeof(*v))) == NULL) {
		log_warnx("%s: accept mode: out of memory", in->in_cfg.ci_name);
		return;
	}
	for (i = 0; i < d->d_ninst; i++) {
		if (d->d_inst[i] == NULL || !d->d_inst[i]->in_nft_on)
			continue;
		c = &d->d_inst[i]->in_cfg;
		for (j = 0; j < c->ci_nvips && n < NFT_MAX_VIPS; j++) {
			v[n].nv_family = c->ci_vips[j].cv_family;
			v[n++].nv_addr = c->ci_vips[j].cv_addr;
		}
	}
	if (nft_sync(&d->d_nft, v, n) == -1)
		log_warn("%s: no_accept: nftables table %s", in->in_cfg.ci_name,
		    n ? "not set" : "not removed");
	free(v);
}

int
vip_cleanup(struct nl *nl, const struct cfg_instance *c, int *failed)
{
	struct nl_addr *as;
	struct cfg_vip v;
	char a[INET6_ADDRSTRLEN];
	int ifindex = (int)if_nametoindex(c->ci_iface), n, i, removed = 0;

	if (ifindex == 0)
		return 0;	/* no interface, nothing of ours on it */
	if ((as = calloc(VIP_ADDRS_MAX, sizeof(*as))) == NULL ||
	    (n = nl_addrs(nl, c->ci_family, as, VIP_ADDRS_MAX)) < 0) {
		log_warn("%s: cleanup: listing the addresses of %s",
		    c->ci_name, c->ci_iface);
		free(as);
		(*failed)++;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (as[i].na_ifindex != ifindex ||
		    as[i].na_proto != NL_PROTO_VRRPD ||
		    !vip_member(c, as[i].na_family, &as[i].na_addr))
			continue;
		memset(&v, 0, sizeof(v));
		v.cv_family = as[i].na_family;
		v.cv_addr = as[i].na_addr;
		v.cv_plen = as[i].na_plen;
		if (nl_vip_del(nl, ifindex, &v) == 0)
			removed++;
		else {
			/* a VIP we cannot remove still answers here */
			log_warn("%s: cleanup: cannot remove %s/%d from %s",
			    c->ci_name, vip_ntop(v.cv_family, &v.cv_addr, a,
			    sizeof(a)), v.cv_plen, c->ci_iface);
			(*failed)++;
		}
	}
	free(as);
	return removed;
}
