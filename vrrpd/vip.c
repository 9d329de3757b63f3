/* SPDX-License-Identifier: ISC */
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
#include <sys/ioctl.h>
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

/* c's VIPs, or with excluded its virtual_ipaddress_excluded; *n many. */
static const struct cfg_vip *
vip_list(const struct cfg_instance *c, int excluded, int *n)
{
	*n = excluded ? c->ci_nevips : c->ci_nvips;
	return excluded ? c->ci_evips : c->ci_vips;
}

static int
vip_in(const struct cfg_vip *l, int n, int family, const union vrrp_addr *a)
{
	size_t alen = family == AF_INET ? 4 : 16;
	int i;

	for (i = 0; i < n; i++)
		if (l[i].cv_family == family &&
		    memcmp(&l[i].cv_addr, a, alen) == 0)
			return 1;
	return 0;
}

int
vip_member(const struct cfg_instance *c, int family,
    const union vrrp_addr *a)
{
	return vip_in(c->ci_vips, c->ci_nvips, family, a) ||
	    vip_in(c->ci_evips, c->ci_nevips, family, a);
}

/* The interface a VIP goes on: its "dev", else the instance's. */
const char *
vip_dev(const struct cfg_instance *c, const struct cfg_vip *v)
{
	return v->cv_dev[0] ? v->cv_dev : c->ci_iface;
}

/* A VIP on the instance's interface: with use_vmac, on the vmac. */
static int
vip_on_base(const struct inst *in, const struct cfg_vip *v)
{
	return v->cv_dev[0] == '\0' ||
	    strcmp(v->cv_dev, in->in_cfg.ci_iface) == 0;
}

/*
 * A VIP on the instance's VMAC (its interface without use_vmac): on the
 * instance's interface and of its family.  keepalived's use_vmac leaves
 * one of the other family (an excluded VIP) on the base interface.
 */
int
vip_on_vmac(const struct inst *in, const struct cfg_vip *v)
{
	return vip_on_base(in, v) && v->cv_family == in->in_cfg.ci_family;
}

static int
vip_ifindex(const struct inst *in, const struct cfg_vip *v)
{
	if (vip_on_vmac(in, v))
		return in->in_vip_ifindex;
	return (int)if_nametoindex(vip_dev(&in->in_cfg, v));
}

static const char *
vip_ifname(const struct inst *in, const struct cfg_vip *v)
{
	return vip_on_vmac(in, v) ? in->in_vip_iface :
	    vip_dev(&in->in_cfg, v);
}

static void
vip_src_present(struct inst *in, const struct nl_addr *as, int n)
{
	size_t alen = in->in_cfg.ci_family == AF_INET ? 4 : 16;
	int i;

	in->in_net.nt_has_src = 0;
	for (i = 0; i < n; i++)
		if (as[i].na_family == in->in_cfg.ci_family &&
		    memcmp(&as[i].na_addr, &in->in_cfg.ci_src, alen) == 0 &&
		    !(as[i].na_flags & IFA_F_TENTATIVE)) {
			in->in_net.nt_src = in->in_cfg.ci_src;
			in->in_net.nt_has_src = 1;
			return;
		}
}

/*
 * unicast_src_ip not an address of the host, looked at when the instance
 * starts or is reloaded only: keepalived 2.2.7 binds its socket to it
 * then, goes to FAULT when that fails ("src address not configured") and
 * does not try again when the address comes; one that goes later it
 * keeps speaking from.  track_src_ip follows the address instead.
 */
void
vip_check_src(struct inst *in)
{
	struct nl_addr *as;
	int n;

	in->in_src_missing = 0;
	/* multicast: keepalived's socket is not bound to it */
	if (!in->in_cfg.ci_has_src || in->in_cfg.ci_track_src_ip ||
	    in->in_cfg.ci_npeers == 0)
		return;
	if ((as = calloc(VIP_ADDRS_MAX, sizeof(*as))) == NULL)
		return;
	n = nl_addrs(&in->in_d->d_nl, in->in_cfg.ci_family, as,
	    VIP_ADDRS_MAX);
	vip_src_present(in, as, n);
	free(as);
	in->in_src_missing = !in->in_net.nt_has_src;
	if (in->in_src_missing)
		log_warnx("%s: unicast_src_ip is not an address of the host: "
		    "FAULT until a reload finds it", in->in_cfg.ci_name);
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

	if (in->in_cfg.ci_has_src && !in->in_cfg.ci_track_src_ip) {
		in->in_net.nt_src = in->in_cfg.ci_src;
		in->in_net.nt_has_src = !in->in_src_missing;
		return;
	}
	if ((as = calloc(VIP_ADDRS_MAX, sizeof(*as))) == NULL)
		return;
	n = nl_addrs(&in->in_d->d_nl, in->in_cfg.ci_family, as,
	    VIP_ADDRS_MAX);
	if (in->in_cfg.ci_has_src) {
		/* track_src_ip: a source only while the host has it */
		vip_src_present(in, as, n);
		free(as);
		return;
	}
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

/* The same address, prefix and interface is in c (either list). */
static int
vip_same(const struct cfg_instance *c, const struct cfg_vip *v)
{
	size_t alen = v->cv_family == AF_INET ? 4 : 16;
	const struct cfg_vip *l;
	int i, j, n;

	for (j = 0; j < 2; j++) {
		l = vip_list(c, j, &n);
		for (i = 0; i < n; i++)
			if (l[i].cv_family == v->cv_family &&
			    l[i].cv_plen == v->cv_plen &&
			    memcmp(&l[i].cv_addr, &v->cv_addr, alen) == 0 &&
			    strcmp(vip_dev(c, &l[i]), vip_dev(c, v)) == 0)
				return 1;
	}
	return 0;
}

static void
vip_add_list(struct inst *in, const struct cfg_vip *l, int n)
{
	char a[INET6_ADDRSTRLEN];
	int i, idx;

	for (i = 0; i < n; i++)
		if ((idx = vip_ifindex(in, &l[i])) == 0 ||
		    nl_vip_add(&in->in_d->d_nl, idx, NULL, &l[i]) == -1)
			log_warn("%s: add %s/%u on %s", in->in_cfg.ci_name,
			    vip_ntop(l[i].cv_family, &l[i].cv_addr, a,
			    sizeof(a)), l[i].cv_plen, vip_ifname(in, &l[i]));
}

static void
vip_del_list(struct inst *in, const struct cfg_vip *l, int n)
{
	char a[INET6_ADDRSTRLEN];
	int i, idx;

	for (i = 0; i < n; i++)
		if ((idx = vip_ifindex(in, &l[i])) != 0 &&
		    nl_vip_del(&in->in_d->d_nl, idx, &l[i]) == -1)
			log_warn("%s: remove %s from %s", in->in_cfg.ci_name,
			    vip_ntop(l[i].cv_family, &l[i].cv_addr, a,
			    sizeof(a)), vip_ifname(in, &l[i]));
}

/* The advertised VIPs and the excluded ones come and go together. */
void
vip_add_all(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;

	vip_add_list(in, c->ci_vips, c->ci_nvips);
	vip_add_list(in, c->ci_evips, c->ci_nevips);
	route_add_all(in);
	in->in_vips_on = 1;
}

void
vip_del_all(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;

	route_del_all(in);
	vip_del_list(in, c->ci_vips, c->ci_nvips);
	vip_del_list(in, c->ci_evips, c->ci_nevips);
	in->in_vips_on = 0;
}

/* Reload: removes what old had and the new config has no more. */
void
vip_del_gone(struct inst *in, const struct cfg_instance *old)
{
	const struct cfg_instance *c = &in->in_cfg;
	const struct cfg_vip *l;
	int i, j, n;

	for (j = 0; j < 2; j++) {
		l = vip_list(old, j, &n);
		for (i = 0; i < n; i++)
			if (!vip_same(c, &l[i]))
				vip_del_list(in, &l[i], 1);
	}
}

static void
vip_announce_list(struct inst *in, const struct cfg_vip *l, int n)
{
	int i, idx;

	for (i = 0; i < n; i++)
		if ((idx = vip_ifindex(in, &l[i])) != 0 &&
		    net_announce(l[i].cv_family, idx, vip_ifname(in, &l[i]),
		    &l[i].cv_addr) == -1)
			log_debug("%s: announce: %s", in->in_cfg.ci_name,
			    strerror(errno));
}

void
vip_announce(struct inst *in, int times)
{
	const struct cfg_instance *c = &in->in_cfg;
	int k;

	for (k = 0; k < times; k++) {
		vip_announce_list(in, c->ci_vips, c->ci_nvips);
		vip_announce_list(in, c->ci_evips, c->ci_nevips);
	}
}

/*
 * garp_extra_if's round over one list, once per interface (ifs), as
 * keepalived 2.2.7 does it (seen on the wire): only with "all" (without
 * it keepalived sends only on the VMACs of VIPs with their own use_vmac,
 * which vrrpd refuses), on a VIP's "dev" interface, and on the
 * instance's VMAC when adverts leave from the base (vmac_xmit_base);
 * never where the adverts leave from, which keep that MAC fresh.
 */
static void
vip_extra_list(struct inst *in, const struct cfg_vip *l, int n, int *ifs,
    int *nifs)
{
	int xmit = vmac_xmit(in) ? in->in_vip_ifindex : in->in_ifindex;
	int i, j, idx;

	if (!in->in_cfg.ci_garp_extra_all)
		return;
	for (i = 0; i < n; i++) {
		if ((idx = vip_ifindex(in, &l[i])) == 0 || idx == xmit)
			continue;
		for (j = 0; j < *nifs && ifs[j] != idx; j++)
			;
		if (j < *nifs)
			continue;
		ifs[(*nifs)++] = idx;
		if (net_announce(l[i].cv_family, idx, vip_ifname(in, &l[i]),
		    &l[i].cv_addr) == -1)
			log_debug("%s: garp_extra_if: %s", in->in_cfg.ci_name,
			    strerror(errno));
	}
}

/*
 * keepalived's garp_extra_if: while master, one gratuitous ARP (or NA)
 * every period on each other interface with a VIP, so the switches keep
 * that interface's MAC (a VMAC whose adverts leave from the base, a
 * "dev" interface) where no advert refreshes it.
 */
void
vip_extra_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;
	const struct cfg_instance *c = &in->in_cfg;
	int ifs[CFG_MAX_VIPS + CFG_MAX_EVIPS], nifs = 0;

	if (in->in_fsm.fs_state != FSM_MASTER)
		return;
	vip_extra_list(in, c->ci_vips, c->ci_nvips, ifs, &nifs);
	vip_extra_list(in, c->ci_evips, c->ci_nevips, ifs, &nifs);
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
		for (j = 0; j < c->ci_nevips && n < NFT_MAX_VIPS; j++) {
			v[n].nv_family = c->ci_evips[j].cv_family;
			v[n++].nv_addr = c->ci_evips[j].cv_addr;
		}
	}
	if (nft_sync(&d->d_nft, v, n) == -1)
		log_warn("%s: no_accept: nftables table %s", in->in_cfg.ci_name,
		    n ? "not set" : "not removed");
	free(v);
}

static const struct cfg_vip *
vip_find(const struct cfg_instance *c, int family, const union vrrp_addr *a)
{
	size_t alen = family == AF_INET ? 4 : 16;
	const struct cfg_vip *l;
	int i, j, n;

	for (j = 0; j < 2; j++) {
		l = vip_list(c, j, &n);
		for (i = 0; i < n; i++)
			if (l[i].cv_family == family &&
			    memcmp(&l[i].cv_addr, a, alen) == 0)
				return &l[i];
	}
	return NULL;
}

int
vip_cleanup(struct nl *nl, const struct cfg_instance *c, int *failed)
{
	const struct cfg_vip *cv;
	struct nl_addr *as;
	struct cfg_vip v;
	char a[INET6_ADDRSTRLEN];
	int n, i, removed = 0;

	if ((as = calloc(VIP_ADDRS_MAX, sizeof(*as))) == NULL ||
	    (n = nl_addrs(nl, 0, as, VIP_ADDRS_MAX)) < 0) {
		log_warn("%s: cleanup: listing the addresses", c->ci_name);
		free(as);
		(*failed)++;
		return 0;
	}
	for (i = 0; i < n; i++) {
		/* ours, one of this instance's, on the interface it names */
		if (as[i].na_proto != NL_PROTO_VRRPD ||
		    (cv = vip_find(c, as[i].na_family, &as[i].na_addr)) ==
		    NULL || as[i].na_ifindex != (int)if_nametoindex(vip_dev(c,
		    cv)))
			continue;
		memset(&v, 0, sizeof(v));
		v.cv_family = as[i].na_family;
		v.cv_addr = as[i].na_addr;
		v.cv_plen = as[i].na_plen;
		if (nl_vip_del(nl, as[i].na_ifindex, &v) == 0)
			removed++;
		else {
			/* a VIP we cannot remove still answers here */
			log_warn("%s: cleanup: cannot remove %s/%d from %s",
			    c->ci_name, vip_ntop(v.cv_family, &v.cv_addr, a,
			    sizeof(a)), v.cv_plen, vip_dev(c, cv));
			(*failed)++;
		}
	}
	free(as);
	return removed;
}

/*
 * keepalived puts the VIPs that do not fit in an advertisement (the
 * interface's MTU, counted with an Ethernet header as keepalived does, or
 * 255) among the excluded ones: still added, no longer advertised.
 */
void
vip_fit(struct inst *in)
{
	struct cfg_instance *c = &in->in_cfg;
	struct ifreq ifr;
	size_t hdr, alen = c->ci_family == AF_INET ? 4 : 16;
	int max, moved = 0;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->ci_iface);
	if (in->in_net.nt_fd == -1 || ioctl(in->in_net.nt_fd, SIOCGIFMTU,
	    &ifr) == -1)
		ifr.ifr_mtu = 1500;
	hdr = 14 + VRRP_HDR_LEN + (c->ci_family == AF_INET ? 20 +
	    (c->ci_version == 2 ? VRRP_AUTH_LEN : 0) : 40);
	max = ifr.ifr_mtu > (int)hdr ? (int)((ifr.ifr_mtu - hdr) / alen) : 0;
	if (max > VRRP_MAX_ADDRS)
		max = VRRP_MAX_ADDRS;
	while (c->ci_nvips > max && c->ci_nevips < CFG_MAX_EVIPS) {
		c->ci_evips[c->ci_nevips++] = c->ci_vips[--c->ci_nvips];
		moved++;
	}
	if (moved)
		log_warnx("%s: %d VIP%s do not fit in an advertisement on %s "
		    "(MTU %d: at most %d): added but not advertised, as "
		    "keepalived", c->ci_name, moved, moved == 1 ? "" : "s",
		    c->ci_iface, ifr.ifr_mtu, max);
	if (c->ci_nvips > max)
		log_warnx("%s: %d VIPs more than fit; advertising the first %d",
		    c->ci_name, c->ci_nvips - max, max);
}

/* A VIP's own interface is tracked (keepalived): down means FAULT. */
int
vip_dev_down(struct inst *in, char *why, size_t len)
{
	const struct cfg_instance *c = &in->in_cfg;
	const struct cfg_vip *l;
	int i, j, n, idx;

	for (j = 0; j < 2; j++) {
		l = vip_list(c, j, &n);
		for (i = 0; i < n; i++) {
			/* the instance's own link (or its vmac) is not here */
			if (l[i].cv_no_track || vip_on_base(in, &l[i]))
				continue;
			idx = vip_ifindex(in, &l[i]);
			if (idx == 0 ||
			    nl_link_up(&in->in_d->d_nl, idx) != 1) {
				snprintf(why, len, "link-%s", l[i].cv_dev);
				return 1;
			}
		}
	}
	return 0;
}

int
vip_uses_dev(struct inst *in, int ifindex)
{
	const struct cfg_vip *l;
	int i, j, n;

	for (j = 0; j < 2; j++) {
		l = vip_list(&in->in_cfg, j, &n);
		for (i = 0; i < n; i++)
			if (l[i].cv_dev[0] && vip_ifindex(in, &l[i]) == ifindex)
				return 1;
	}
	return 0;
}

/* A static address's dev: its own, else default_interface, else eth0. */
static const char *
vip_static_dev(const struct cfg_static *st, const struct cfg_vip *v)
{
	if (v->cv_dev[0])
		return v->cv_dev;
	return st->cst_dev[0] ? st->cst_dev : CFG_STATIC_DEV;
}

static void
vip_static_one(struct nl *nl, const struct cfg_static *st,
    const struct cfg_vip *v, int add)
{
	char a[INET6_ADDRSTRLEN];
	const char *dev = vip_static_dev(st, v);
	int idx = (int)if_nametoindex(dev);

	if (add && (idx == 0 || nl_vip_add(nl, idx, NULL, v) == -1))
		log_warn("static_ipaddress: add %s/%u on %s",
		    vip_ntop(v->cv_family, &v->cv_addr, a, sizeof(a)),
		    v->cv_plen, dev);
	else if (!add && idx != 0 && nl_vip_del(nl, idx, v) == -1)
		log_warn("static_ipaddress: remove %s from %s",
		    vip_ntop(v->cv_family, &v->cv_addr, a, sizeof(a)), dev);
}

/*
 * static_ipaddress: each on its dev, whatever the VRRP state.  One that
 * cannot go on (its dev missing) is logged and the rest still go, as
 * keepalived; a reload adds them all again (the kept ones are there).
 */
void
vip_static(struct nl *nl, const struct cfg_static *st, int add)
{
	int i;

	for (i = 0; i < st->cst_nvips; i++)
		vip_static_one(nl, st, &st->cst_vips[i], add);
}

/* st has v (of old) on the same dev. */
static int
vip_static_has(const struct cfg_static *st, const struct cfg_static *old,
    const struct cfg_vip *v)
{
	size_t alen = v->cv_family == AF_INET ? 4 : 16;
	const struct cfg_vip *w;
	int i;

	for (i = 0; i < st->cst_nvips; i++) {
		w = &st->cst_vips[i];
		if (w->cv_family == v->cv_family && w->cv_plen == v->cv_plen &&
		    memcmp(&w->cv_addr, &v->cv_addr, alen) == 0 &&
		    strcmp(vip_static_dev(st, w), vip_static_dev(old, v)) == 0)
			return 1;
	}
	return 0;
}

/* Reload: removes the static addresses old had and st has no more. */
void
vip_static_gone(struct nl *nl, const struct cfg_static *st,
    const struct cfg_static *old)
{
	int i;

	for (i = 0; i < old->cst_nvips; i++)
		if (!vip_static_has(st, old, &old->cst_vips[i]))
			vip_static_one(nl, old, &old->cst_vips[i], 0);
}
