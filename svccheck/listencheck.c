/* SPDX-License-Identifier: ISC */
/*
 * --listen: a TCP socket in LISTEN, or a bound UDP socket, on the port (and
 * address) asked, as the kernel's sock_diag netlink dump reports it (what
 * ss(8) reads).  named may run without serving port 53; this sees that.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "errbuf.h"
#include "listencheck.h"
#include "log.h"

#define LISTEN_TCP_LISTEN	10	/* TCP_LISTEN of the kernel's enum */

static int
listen_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 65535)
			return -1;
	}
	if (v == 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static void
listen_v4mapped(struct in6_addr *a, const void *v4)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = 0xff;
	a->s6_addr[11] = 0xff;
	memcpy(&a->s6_addr[12], v4, 4);
}

/* "ADDR" of the spec: "*", "a.b.c.d" or "[v6]". */
static int
listen_addr(char *s, struct listen_spec *out, char *err, size_t errlen)
{
	struct in_addr v4;
	size_t n = strlen(s);

	if (strcmp(s, "*") == 0 || n == 0) {
		out->ls_family = AF_UNSPEC;
		return 0;
	}
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return errbuf_set(err, errlen, "address \"%s\": no "
			    "closing ']'", s);
		s[n - 1] = '\0';
		if (inet_pton(AF_INET6, s + 1, &out->ls_addr) != 1)
			return errbuf_set(err, errlen, "address \"%s\": not "
			    "an IPv6 address", s + 1);
		out->ls_family = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET, s, &v4) != 1)
		return errbuf_set(err, errlen, "address \"%s\": not an IPv4 "
		    "address (write IPv6 as [ADDR])", s);
	listen_v4mapped(&out->ls_addr, &v4);
	out->ls_family = AF_INET;
	return 0;
}

int
listen_parse(const char *buf, size_t len, struct listen_spec *out,
    char *err, size_t errlen)
{
	char s[128], *slash, *colon, *port;

	memset(out, 0, sizeof(*out));
	out->ls_proto = IPPROTO_TCP;
	if (len == 0)
		return errbuf_set(err, errlen, "empty; should be "
		    "[ADDR:]PORT[/tcp|/udp]");
	if (len >= sizeof(s) || memchr(buf, '\0', len))
		return errbuf_set(err, errlen, "not [ADDR:]PORT[/tcp|/udp]");
	memcpy(s, buf, len);
	s[len] = '\0';
	if ((slash = strrchr(s, '/')) != NULL) {
		*slash++ = '\0';
		if (strcmp(slash, "tcp") == 0)
			out->ls_proto = IPPROTO_TCP;
		else if (strcmp(slash, "udp") == 0)
			out->ls_proto = IPPROTO_UDP;
		else
			return errbuf_set(err, errlen, "protocol \"%s\": "
			    "should be tcp or udp", slash);
	}
	colon = strrchr(s, ':');
	if (colon && s[0] != '[' && strchr(s, ':') != colon)
		return errbuf_set(err, errlen, "\"%s\": write an IPv6 "
		    "address as [ADDR]:PORT", s);
	if (colon && s[0] == '[' && colon[-1] != ']')
		return errbuf_set(err, errlen, "\"%s\": write an IPv6 "
		    "address as [ADDR]:PORT", s);
	port = colon ? colon + 1 : s;
	if (listen_port(port, &out->ls_port) == -1)
		return errbuf_set(err, errlen, "port \"%s\": should be "
		    "1 to 65535", port);
	if (colon) {
		*colon = '\0';
		return listen_addr(s, out, err, errlen);
	}
	out->ls_family = AF_UNSPEC;
	return 0;
}

static int
listen_is_any(const struct listen_sock *k)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;
	struct in6_addr any4;
	uint32_t zero = 0;

	listen_v4mapped(&any4, &zero);
	return memcmp(&k->lk_addr, &any6, sizeof(any6)) == 0 ||
	    memcmp(&k->lk_addr, &any4, sizeof(any4)) == 0;
}

int
listen_covers(const struct listen_spec *s, const struct listen_sock *k)
{
	if (s->ls_port != k->lk_port)
		return 0;
	if (s->ls_family == AF_UNSPEC)
		return 1;
	if (listen_is_any(k)) {
		if (k->lk_family == AF_INET)
			return s->ls_family == AF_INET;
		/* [::] also takes IPv4 unless IPV6_V6ONLY */
		return s->ls_family == AF_INET6 || !k->lk_v6only;
	}
	return memcmp(&s->ls_addr, &k->lk_addr, sizeof(k->lk_addr)) == 0;
}

struct listen_dump {
	const struct listen_spec *ld_spec;
	int		 ld_family;
	int		 ld_count;
	const struct inoset *ld_own;	/* NULL: any socket counts */
};

static int
listen_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, INET_DIAG_MAX) < 0)
		return MNL_CB_OK;	/* newer kernel: skip */
	if (type == INET_DIAG_SKV6ONLY &&
	    mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static int
listen_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { NULL };
	struct listen_dump *ld = data;
	const struct inet_diag_msg *m;
	struct listen_sock k;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*m)))
		return MNL_CB_OK;
	m = mnl_nlmsg_get_payload(nlh);
	memset(&k, 0, sizeof(k));
	k.lk_family = m->idiag_family;
	k.lk_port = ntohs(m->id.idiag_sport);
	if (m->idiag_family == AF_INET)
		listen_v4mapped(&k.lk_addr, &m->id.idiag_src[0]);
	else if (m->idiag_family == AF_INET6)
		memcpy(&k.lk_addr, m->id.idiag_src, sizeof(k.lk_addr));
	else
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*m), listen_attr_cb, tb);
	if (tb[INET_DIAG_SKV6ONLY])
		k.lk_v6only = mnl_attr_get_u8(tb[INET_DIAG_SKV6ONLY]) != 0;
	if (listen_covers(ld->ld_spec, &k) &&
	    (ld->ld_own == NULL || inoset_has(ld->ld_own, m->idiag_inode)))
		ld->ld_count++;
	return MNL_CB_OK;
}

/* One dump of one family; -1 on error. */
static int
listen_dump(struct mnl_socket *nl, struct listen_dump *ld)
{
	char buf[32768] __attribute__((aligned(8)));
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	unsigned int seq = (unsigned int)time(NULL), portid;
	ssize_t n;
	int rc;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)ld->ld_family;
	req->sdiag_protocol = (uint8_t)ld->ld_spec->ls_proto;
	req->idiag_states = ld->ld_spec->ls_proto == IPPROTO_TCP ?
	    1U << LISTEN_TCP_LISTEN : ~0U;
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, listen_msg_cb, ld);
		if (rc == MNL_CB_STOP)
			return 0;
		if (rc == MNL_CB_ERROR)
			return -1;
	}
	return -1;
}

int
listen_query(const struct listen_spec *spec, const struct inoset *own)
{
	struct listen_dump ld = { spec, AF_INET, 0, own };
	struct mnl_socket *nl;
	int rc = 0;

	if ((nl = mnl_socket_open(NETLINK_SOCK_DIAG)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		log_warn("sock_diag netlink socket");
		if (nl)
			mnl_socket_close(nl);
		return -1;
	}
	/* an IPv4 address may be served by a dual-stack [::] socket */
	if (spec->ls_family != AF_INET6)
		rc = listen_dump(nl, &ld);
	if (rc == 0 && (ld.ld_family = AF_INET6) && listen_dump(nl, &ld) == -1)
		rc = -1;
	if (rc == -1)
		log_warn("sock_diag dump");
	mnl_socket_close(nl);
	return rc == -1 ? -1 : ld.ld_count;
}

int
inoset_add(struct inoset *s, uint64_t ino)
{
	uint64_t *n;

	if (s->is_n == s->is_cap) {
		if ((n = reallocarray(s->is_ino, s->is_cap ? s->is_cap * 2 : 64,
		    sizeof(*n))) == NULL)
			return -1;
		s->is_ino = n;
		s->is_cap = s->is_cap ? s->is_cap * 2 : 64;
	}
	s->is_ino[s->is_n++] = ino;
	return 0;
}

static int
inoset_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void
inoset_sort(struct inoset *s)
{
	if (s->is_n > 1)
		qsort(s->is_ino, s->is_n, sizeof(*s->is_ino), inoset_cmp);
}

int
inoset_has(const struct inoset *s, uint64_t ino)
{
	return s->is_n > 0 && bsearch(&ino, s->is_ino, s->is_n,
	    sizeof(*s->is_ino), inoset_cmp) != NULL;
}

void
inoset_free(struct inoset *s)
{
	free(s->is_ino);
	memset(s, 0, sizeof(*s));
}
