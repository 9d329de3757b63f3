/* SPDX-License-Identifier: ISC */
/*
 * use_vmac: the instance's VIPs live on a macvlan whose address is the
 * VRRP virtual MAC (RFC 5798 7.3: 00:00:5e:00:01:VRID, 00:00:5e:00:02:VRID
 * for IPv6), so a take-over leaves every neighbour's ARP entry right.  Mode
 * private and no IPv6 link-local, as keepalived: a backup's VMAC stays
 * silent.  arp_ignore 1 on both sides makes the VMAC alone answer for the
 * VIPs and nothing else; arp_announce 2 on the base keeps a reply routed
 * out of the base from asking for a neighbour's MAC in the VIP's name
 * (which would teach it the base's MAC for the VIP).  The base's old
 * values come back at the end.  And promote_secondaries, the other
 * interface setting keepalived makes for an instance.  Its IGMP and MLD
 * reports leave from the base (nft.h), from before it is up to after it
 * is gone: a VMAC joins 224.0.0.18 on a backup too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "errbuf.h"
#include "log.h"
#include "vrrpd.h"

/* Sets a /proc/sys file to val: its old value, or -1. */
static int
vmac_sysctl_path(const char *path, int val)
{
	char buf[16];
	ssize_t n;
	int fd, old = -1;

	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	if ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		old = atoi(buf);
	}
	n = snprintf(buf, sizeof(buf), "%d\n", val);
	if (old != val && pwrite(fd, buf, (size_t)n, 0) != n)
		old = -1;
	close(fd);
	return old;
}

/* /proc/sys/net/ipv4/conf/IFACE/KEY: its old value, or -1. */
static int
vmac_sysctl(const char *iface, const char *key, int val)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s", iface,
	    key);
	return vmac_sysctl_path(path, val);
}

/*
 * disable_local_igmp, as keepalived 2.2.7: no IGMP reports for the
 * 224.0.0.x groups in the namespace while vrrpd runs (a VMAC that joins
 * 224.0.0.18 would report from the virtual MAC, and a switch would learn
 * it on the backup's port).  Set at the start, whatever it was put back
 * at the exit; a reload does not change it.  The old value, or -1.
 */
int
vmac_local_igmp(int val)
{
	return vmac_sysctl_path(
	    "/proc/sys/net/ipv4/igmp_link_local_mcast_reports", val);
}

/* Adverts leave from the VMAC, or from the base (vmac_xmit_base, IPv6). */
int
vmac_xmit(const struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;

	return c->ci_vmac && !c->ci_vmac_xmit_base && c->ci_family == AF_INET;
}

/* Into the VMAC tables of each family the instance has addresses of. */
static void
vmac_nft_add(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct nft_vmac vm = { .nm_ifindex = (uint32_t)in->in_vip_ifindex,
	    .nm_parent = (uint32_t)in->in_ifindex };
	int i;

	for (i = 0; i < c->ci_nvips; i++)
		*(c->ci_vips[i].cv_family == AF_INET ? &vm.nm_v4 :
		    &vm.nm_v6) = 1;
	for (i = 0; i < c->ci_nevips; i++)
		*(c->ci_evips[i].cv_family == AF_INET ? &vm.nm_v4 :
		    &vm.nm_v6) = 1;
	*(c->ci_family == AF_INET ? &vm.nm_v4 : &vm.nm_v6) = 1;
	if (nft_vmac_add(&in->in_d->d_nft, &vm) == -1)
		log_warn("%s: %s: nftables: its IGMP/MLD reports keep the "
		    "virtual MAC", c->ci_name, c->ci_vmac_name);
}

/*
 * How long a VMAC's leave may take to leave: the kernel sends an IGMPv3
 * change report two jiffies after the socket leaves (8 ms at HZ=250, 20
 * at HZ=100), an IGMPv2 leave at once.  Bounds the wait for an IGMPv1
 * host, which sends none.
 */
#define VMAC_LEAVE_MS	100

/* An IGMP packet (from its IP header) that leaves group g: 1 or 0. */
static int
vmac_is_leave(const uint8_t *p, size_t len, struct in_addr g)
{
	size_t off, hl, n, i, rec, nsrc;

	if (len < 20 || p[9] != IPPROTO_IGMP || (hl = (p[0] & 0x0f) * 4U) <
	    20 || len < hl + 8)
		return 0;
	p += hl;
	len -= hl;
	if (p[0] == 0x17)	/* IGMPv2 leave (RFC 2236) */
		return memcmp(p + 4, &g, 4) == 0;
	if (p[0] != 0x22)	/* IGMPv3 report (RFC 3376 4.2) */
		return 0;
	n = (size_t)p[6] << 8 | p[7];
	for (i = 0, off = 8; i < n && off + 8 <= len; i++, off += rec) {
		nsrc = (size_t)p[off + 2] << 8 | p[off + 3];
		/* CHANGE_TO_INCLUDE_MODE with no source: a leave */
		if (p[off] == 3 && nsrc == 0 && memcmp(p + off + 4, &g, 4) == 0)
			return 1;
		rec = 8 + 4 * (nsrc + p[off + 1]);
	}
	return 0;
}

/*
 * Outgoing IPv4 IGMP: the parent's other traffic is not copied to us
 * while we wait.  Only an ETH_P_ALL socket sees what leaves.
 */
static struct sock_filter vmac_igmp_insns[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 5),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 3),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_IGMP, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};
static const struct sock_fprog vmac_igmp_prog = {
	.len = sizeof(vmac_igmp_insns) / sizeof(vmac_igmp_insns[0]),
	.filter = vmac_igmp_insns,
};

static long
vmac_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/*
 * An IPv4 VMAC that joined the VRRP group leaves it out of the parent
 * before it goes, as keepalived does: closing the socket makes the
 * kernel report the leave from the VMAC (nft.h sends it out of the
 * parent), and a VMAC removed before the report is out takes it along;
 * a snooping switch would go on sending the group to the port until its
 * membership times out.  Closes the socket, then waits (VMAC_LEAVE_MS at
 * most) for the report on the parent's way out.
 */
void
vmac_leave(struct inst *in)
{
	struct sockaddr_ll sl = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = in->in_ifindex };
	struct in_addr g = in->in_net.nt_group.v4;
	struct pollfd pfd = { .events = POLLIN };
	socklen_t sllen;
	uint8_t buf[512];
	ssize_t n;
	long end;

	if (!in->in_vmac_made || !vmac_xmit(in) || !in->in_net.nt_multicast ||
	    in->in_net.nt_fd < 0)
		return;
	/* protocol 0: nothing comes in before the filter and the bind */
	pfd.fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (pfd.fd >= 0 && (setsockopt(pfd.fd, SOL_SOCKET, SO_ATTACH_FILTER,
	    &vmac_igmp_prog, sizeof(vmac_igmp_prog)) == -1 ||
	    bind(pfd.fd, (struct sockaddr *)&sl, sizeof(sl)) == -1)) {
		close(pfd.fd);
		pfd.fd = -1;
	}
	net_close(&in->in_net);
	if (pfd.fd < 0) {
		log_warn("%s: %s: cannot wait for its IGMP leave",
		    in->in_cfg.ci_name, in->in_vip_iface);
		return;
	}
	end = vmac_ms() + VMAC_LEAVE_MS;
	while (vmac_ms() < end && poll(&pfd, 1, (int)(end - vmac_ms())) > 0) {
		sllen = sizeof(sl);
		while ((n = recvfrom(pfd.fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&sl, &sllen)) > 0) {
			if (sl.sll_pkttype == PACKET_OUTGOING &&
			    sl.sll_protocol == htons(ETH_P_IP) &&
			    vmac_is_leave(buf, (size_t)n, g)) {
				close(pfd.fd);
				return;
			}
			sllen = sizeof(sl);
		}
	}
	close(pfd.fd);
	log_debug("%s: %s: no IGMP leave seen", in->in_cfg.ci_name,
	    in->in_vip_iface);
}

/* A leftover of a killed vrrpd goes; anything else of that name stays. */
static int
vmac_free_name(struct inst *in, char *err, size_t errlen)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct nl *nl = &in->in_d->d_nl;
	int lower = nl_macvlan_of(nl, c->ci_vmac_name), idx;

	if (lower == -1)
		return 0;	/* no such interface */
	if (lower != in->in_ifindex)
		return errbuf_set(err, errlen,
		    "%s: use_vmac %s: an interface of that "
		    "name exists and is not a macvlan on %s", c->ci_name,
		    c->ci_vmac_name, c->ci_iface);
	idx = (int)if_nametoindex(c->ci_vmac_name);
	if (idx == 0 || nl_link_del(nl, idx) == -1)
		return errbuf_set(err, errlen,
		    "%s: use_vmac %s: cannot remove the old "
		    "one: %s", c->ci_name, c->ci_vmac_name, strerror(errno));
	log_notice("%s: removed %s left by an earlier run", c->ci_name,
	    c->ci_vmac_name);
	return 0;
}

/* --- use_vmac_addr ------------------------------------------------------ */

/* A VIP that use_vmac_addr puts on a VMAC of its own: other dev or family */
static int
vmac_addr_needs(const struct cfg_instance *c, const struct cfg_vip *v)
{
	return c->ci_vmac_addr && ((v->cv_dev[0] && strcmp(v->cv_dev,
	    c->ci_iface) != 0) || v->cv_family != c->ci_family);
}

static struct vmac_addr *
vmac_addr_find(struct inst *in, const char *dev, int family)
{
	int i;

	for (i = 0; i < in->in_nvaddr; i++)
		if (in->in_vaddr[i].va_family == family &&
		    strcmp(in->in_vaddr[i].va_dev, dev) == 0)
			return &in->in_vaddr[i];
	return NULL;
}

/*
 * keepalived's name: PREFIX.VRID (PREFIX6.VRID for IPv6), or, taken by
 * any interface, PREFIX1.VRID, PREFIX2.VRID ... the first free one.
 */
static void
vmac_addr_name(const struct inst *in, int family, char out[IF_NAMESIZE])
{
	const struct config *cf = in->in_d->d_cf;
	const char *prefix = cf->cf_vmac_addr_prefix[0] ?
	    cf->cf_vmac_addr_prefix : cf->cf_vmac_prefix;
	char n[12];
	int i;

	vmac_name(out, prefix, family == AF_INET6 ? "6" : "",
	    in->in_cfg.ci_vrid);
	for (i = 1; i < 1000 && if_nametoindex(out) != 0; i++) {
		snprintf(n, sizeof(n), "%d", i);
		vmac_name(out, prefix, n, in->in_cfg.ci_vrid);
	}
}

/* Makes the VMAC for VIPs on dev of family; NULL and err if it cannot. */
static struct vmac_addr *
vmac_addr_make(struct inst *in, const char *dev, int family, char *err,
    size_t errlen)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct nl *nl = &in->in_d->d_nl;
	uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0 };
	struct vmac_addr *va;
	struct nft_vmac vm;

	if (in->in_nvaddr == VMAC_MAX_ADDR) {
		errbuf_set(err, errlen, "%s: use_vmac_addr: more than %d "
		    "VMACs", c->ci_name, VMAC_MAX_ADDR);
		return NULL;
	}
	va = &in->in_vaddr[in->in_nvaddr];
	memset(va, 0, sizeof(*va));
	snprintf(va->va_dev, sizeof(va->va_dev), "%s", dev);
	va->va_family = family;
	va->va_arp_ignore = -1;
	if ((va->va_parent = (int)if_nametoindex(dev)) == 0) {
		errbuf_set(err, errlen, "%s: use_vmac_addr: no interface %s",
		    c->ci_name, dev);
		return NULL;
	}
	if (family == AF_INET6)
		mac[4] = 0x02;
	mac[5] = (uint8_t)c->ci_vrid;
	vmac_addr_name(in, family, va->va_name);
	if (nl_macvlan_add(nl, va->va_name, va->va_parent, mac) == -1 ||
	    (va->va_ifindex = (int)if_nametoindex(va->va_name)) == 0) {
		errbuf_set(err, errlen, "%s: use_vmac_addr %s on %s: %s",
		    c->ci_name, va->va_name, dev, strerror(errno));
		return NULL;
	}
	in->in_nvaddr++;
	/* in the tables only with use_vmac, as keepalived's */
	vm = (struct nft_vmac){ (uint32_t)va->va_ifindex,
	    (uint32_t)va->va_parent, family == AF_INET, family == AF_INET6 };
	if (c->ci_vmac && nft_vmac_add(&in->in_d->d_nft, &vm) == -1)
		log_warn("%s: %s: nftables: its IGMP/MLD reports keep the "
		    "virtual MAC", c->ci_name, va->va_name);
	if (nl_link_no_ll6(nl, va->va_ifindex) == -1)
		log_debug("%s: %s: addrgenmode none: %s", c->ci_name,
		    va->va_name, strerror(errno));
	if (family == AF_INET) {
		if (vmac_sysctl(va->va_name, "arp_ignore", 1) == -1)
			log_warnx("%s: %s: cannot set arp_ignore", c->ci_name,
			    va->va_name);
		/* as keepalived: arp_ignore only, arp_announce stays */
		va->va_arp_ignore = vmac_sysctl(dev, "arp_ignore", 1);
	}
	if (nl_link_set(nl, va->va_ifindex, 1) == -1) {
		errbuf_set(err, errlen, "%s: use_vmac_addr %s: cannot bring "
		    "it up: %s", c->ci_name, va->va_name, strerror(errno));
		return NULL;
	}
	log_info("%s: VMAC %s on %s, %02x:%02x:%02x:%02x:%02x:%02x",
	    c->ci_name, va->va_name, dev, mac[0], mac[1], mac[2], mac[3],
	    mac[4], mac[5]);
	return va;
}

/*
 * Each VIP that needs one goes on the VMAC of its dev and family: its
 * dev in the running config becomes the VMAC (vip.c puts it there).
 * make: a VMAC missing is made, else the VIP stays on its dev (warned).
 */
static int
vmac_addr_map(struct inst *in, int make, char *err, size_t errlen)
{
	struct cfg_instance *c = &in->in_cfg;
	struct cfg_vip *l;
	struct vmac_addr *va;
	const char *dev;
	int i, j, n;

	for (j = 0; j < 2; j++) {
		l = j ? c->ci_evips : c->ci_vips;
		n = j ? c->ci_nevips : c->ci_nvips;
		for (i = 0; i < n; i++) {
			if (!vmac_addr_needs(c, &l[i]))
				continue;
			dev = l[i].cv_dev[0] ? l[i].cv_dev : c->ci_iface;
			if ((va = vmac_addr_find(in, dev, l[i].cv_family)) ==
			    NULL && make && (va = vmac_addr_make(in, dev,
			    l[i].cv_family, err, errlen)) == NULL)
				return -1;
			if (va == NULL) {
				log_warnx("%s: use_vmac_addr: no VMAC for %s "
				    "(a reload makes none): restart for that",
				    c->ci_name, dev);
				continue;
			}
			snprintf(l[i].cv_dev, sizeof(l[i].cv_dev), "%s",
			    va->va_name);
		}
	}
	return 0;
}

const char *
vmac_addr_dev(const struct inst *in, const char *name)
{
	int i;

	for (i = 0; i < in->in_nvaddr; i++)
		if (strcmp(in->in_vaddr[i].va_name, name) == 0)
			return in->in_vaddr[i].va_dev;
	return name;
}

void
vmac_addr_fit(struct inst *in)
{
	vmac_addr_map(in, 0, NULL, 0);
}

static void
vmac_addr_teardown(struct inst *in)
{
	struct vmac_addr *va;
	int i;

	for (i = 0; i < in->in_nvaddr; i++) {
		va = &in->in_vaddr[i];
		if (nl_link_del(&in->in_d->d_nl, va->va_ifindex) == -1)
			log_warn("%s: cannot remove %s", in->in_cfg.ci_name,
			    va->va_name);
		if (nft_vmac_del(&in->in_d->d_nft, (uint32_t)va->va_ifindex,
		    in->in_deleted && !in->in_d->d_stopping) == -1)
			log_warn("%s: nftables: %s stays in table ip/ip6 %s",
			    in->in_cfg.ci_name, va->va_name, NFT_TABLE);
		if (va->va_arp_ignore >= 0 && va->va_arp_ignore != 1)
			vmac_sysctl(va->va_dev, "arp_ignore",
			    va->va_arp_ignore);
	}
	in->in_nvaddr = 0;
}

/* --- use_vmac ----------------------------------------------------------- */

static int
vmac_setup_main(struct inst *in, char *err, size_t errlen)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct nl *nl = &in->in_d->d_nl;
	uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0 };

	in->in_vip_ifindex = in->in_ifindex;
	snprintf(in->in_vip_iface, sizeof(in->in_vip_iface), "%s",
	    c->ci_iface);
	in->in_base_arp_ignore = in->in_base_arp_announce = -1;
	in->in_promote_old = -1;
	if (!c->ci_vmac)
		return 0;
	if (c->ci_family == AF_INET6)
		mac[4] = 0x02;
	mac[5] = (uint8_t)c->ci_vrid;
	if (vmac_free_name(in, err, errlen) == -1)
		return -1;
	if (nl_macvlan_add(nl, c->ci_vmac_name, in->in_ifindex, mac) == -1 ||
	    (in->in_vip_ifindex = (int)if_nametoindex(c->ci_vmac_name)) ==
	    0) {
		snprintf(err, errlen, "%s: use_vmac %s on %s: %s", c->ci_name,
		    c->ci_vmac_name, c->ci_iface, strerror(errno));
		in->in_vip_ifindex = in->in_ifindex;
		return -1;
	}
	in->in_vmac_made = 1;
	vmac_nft_add(in);
	/*
	 * No IPv6 link-local: a backup's VMAC must stay silent, or the
	 * switch learns the shared MAC on the backup's port.
	 */
	if (nl_link_no_ll6(nl, in->in_vip_ifindex) == -1)
		log_debug("%s: %s: addrgenmode none: %s", c->ci_name,
		    c->ci_vmac_name, strerror(errno));
	snprintf(in->in_vip_iface, sizeof(in->in_vip_iface), "%s",
	    c->ci_vmac_name);
	if (c->ci_family == AF_INET) {
		if (vmac_sysctl(c->ci_vmac_name, "arp_ignore", 1) == -1)
			log_warnx("%s: %s: cannot set arp_ignore", c->ci_name,
			    c->ci_vmac_name);
		in->in_base_arp_ignore = vmac_sysctl(c->ci_iface,
		    "arp_ignore", 1);
		in->in_base_arp_announce = vmac_sysctl(c->ci_iface,
		    "arp_announce", 2);
	}
	if (nl_link_set(nl, in->in_vip_ifindex, 1) == -1) {
		snprintf(err, errlen, "%s: use_vmac %s: cannot bring it up: "
		    "%s", c->ci_name, c->ci_vmac_name, strerror(errno));
		vmac_teardown(in);
		return -1;
	}
	log_info("%s: VMAC %s on %s, %02x:%02x:%02x:%02x:%02x:%02x",
	    c->ci_name, c->ci_vmac_name, c->ci_iface, mac[0], mac[1], mac[2],
	    mac[3], mac[4], mac[5]);
	return 0;
}

/* The instance's VMAC, then use_vmac_addr's. */
int
vmac_setup(struct inst *in, char *err, size_t errlen)
{
	if (vmac_setup_main(in, err, errlen) == -1)
		return -1;
	if (vmac_addr_map(in, 1, err, errlen) == -1) {
		vmac_teardown(in);
		return -1;
	}
	return 0;
}

void
vmac_teardown(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;

	vmac_addr_teardown(in);
	if (!in->in_vmac_made)
		return;
	if (nl_link_del(&in->in_d->d_nl, in->in_vip_ifindex) == -1)
		log_warn("%s: cannot remove %s", c->ci_name, in->in_vip_iface);
	/* after it: a report it had queued dies with it, not leaves */
	if (nft_vmac_del(&in->in_d->d_nft, (uint32_t)in->in_vip_ifindex,
	    in->in_deleted && !in->in_d->d_stopping) == -1)
		log_warn("%s: nftables: %s stays in table ip/ip6 %s",
		    c->ci_name, c->ci_vmac_name, NFT_TABLE);
	if (in->in_base_arp_ignore >= 0 && in->in_base_arp_ignore != 1)
		vmac_sysctl(c->ci_iface, "arp_ignore", in->in_base_arp_ignore);
	if (in->in_base_arp_announce >= 0 && in->in_base_arp_announce != 2)
		vmac_sysctl(c->ci_iface, "arp_announce",
		    in->in_base_arp_announce);
	in->in_vmac_made = 0;
	in->in_vip_ifindex = in->in_ifindex;
}

/*
 * promote_secondaries, on the interface the VIPs go on as keepalived's:
 * removing one address of a subnet (the primary, or a VIP a reload
 * drops) then promotes the next instead of taking every other address
 * of that subnet with it.  A VIP given with its subnet's prefix (/24) is
 * such a secondary; one with no prefix (/32) is not and does not need it.
 */
void
vmac_promote(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;

	if (!c->ci_promote || in->in_promote_old >= 0)
		return;
	in->in_promote_old = vmac_sysctl(in->in_vip_iface,
	    "promote_secondaries", 1);
	if (in->in_promote_old == -1)
		log_warn("%s: %s: cannot set promote_secondaries", c->ci_name,
		    in->in_vip_iface);
}

/* The old value back, once no other instance there asks for it. */
void
vmac_promote_end(struct inst *in)
{
	struct vrrpd *d = in->in_d;
	struct inst *o;
	int i, old = in->in_promote_old;

	in->in_promote_old = -1;
	if (old < 0 || old == 1)
		return;
	for (i = 0; i < d->d_ninst; i++) {
		o = d->d_inst[i];
		if (o != in && o->in_promote_old >= 0 &&
		    strcmp(o->in_vip_iface, in->in_vip_iface) == 0) {
			o->in_promote_old = old;	/* it restores it */
			return;
		}
	}
	vmac_sysctl(in->in_vip_iface, "promote_secondaries", old);
}

/*
 * --cleanup: the VMAC a killed vrrpd left, with the VIPs on it (it would
 * go on answering for them).  The base's arp_ignore and arp_announce stay
 * as they were set: their old values died with that vrrpd.
 */
void
vmac_cleanup(struct nl *nl, const struct cfg_instance *c, int *failed)
{
	int base, idx;

	if (!c->ci_vmac || (base = (int)if_nametoindex(c->ci_iface)) == 0 ||
	    nl_macvlan_of(nl, c->ci_vmac_name) != base ||
	    (idx = (int)if_nametoindex(c->ci_vmac_name)) == 0)
		return;
	if (nl_link_del(nl, idx) == -1) {
		log_warn("%s: cleanup: cannot remove %s", c->ci_name,
		    c->ci_vmac_name);
		(*failed)++;
		return;
	}
	log_notice("%s: cleanup: removed %s", c->ci_name, c->ci_vmac_name);
}
