/* SPDX-License-Identifier: ISC */
/*
 * Live apply to a running Kea: each lease the peer changes goes to Kea's
 * control socket (lease_cmds hook) as lease4-update with force-create, or
 * lease4-del when it is no longer bound.  One short blocking exchange per
 * lease, as Kea closes the socket after each answer; bounded by a timeout
 * so a hung Kea cannot hold us forever.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kea-userctx.h"
#include "kea-ctl.h"
#include "log.h"

#define KEA_REPLY_MAX	65536
#define KEA_TIMEOUT_MS	5000

/*
 * A time Kea can hold (its memfile reader takes expire up to 2^40), so
 * that valid-lft and expire cannot overflow: a peer's record may carry
 * "starts never" or any 64-bit number.
 */
static int
kea_time_ok(int64_t t, int never_ok)
{
	return (never_ok && t == LEASE_T_NEVER) || (t >= 0 && t <= (1ll << 40));
}

/* A JSON string body; buf holds 6 * n + 1. */
static void
kea_json(char *buf, const uint8_t *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)p[i];
		} else if (p[i] < 0x20 || p[i] >= 0x7f)
			o += (size_t)sprintf(buf + o, "\\u%04x", p[i]);
		else
			buf[o++] = (char)p[i];
	}
	buf[o] = '\0';
}

/*
 * The JSON command for one lease; length or -1 if buf is short.  Every
 * field Kea's lease file keeps for us goes along (client-id, hostname),
 * so the row Kea writes reads back as the record we applied: nothing to
 * send back to the peer, no echo.  Subnet 0 leaves "subnet-id" out: Kea
 * then picks the configured subnet the address is in, so one Kea with
 * several subnets takes the leases of all of them.
 */
int
kea_command(const struct lease *l, uint32_t subnet, char *buf, size_t len)
{
	char ip[16], hw[3 * LEASE_HW_MAX + 1], cid[6 * LEASE_HOST_MAX + 32];
	char host[6 * LEASE_HOST_MAX + 32], tmp[6 * LEASE_HOST_MAX + 1];
	char sub[32], ctx[KCTX_MAX + 1], uctx[KCTX_MAX + 32], dns[48];
	int64_t lft;
	int n, fqdn;

	lease_addr_format(l->l_addr, ip, sizeof(ip));
	/*
	 * A declined (abandoned) address stays taken on the peer too, as
	 * Kea's state 1, until its probation ends there; an expired one
	 * stays as Kea's state 2 (expired-reclaimed), which Kea keeps to
	 * hand the address back to the same client; anything else not
	 * bound is gone.  No hardware address is no reason to drop one:
	 * Kea clears it (and the client id) when a client declines, and
	 * takes "hw-address": "" back (kea-dhcp4 2.2).
	 */
	if ((l->l_state != LS_ACTIVE && l->l_state != LS_ABANDONED &&
	    l->l_state != LS_EXPIRED) ||
	    !kea_time_ok(l->l_starts, 0) || !kea_time_ok(l->l_ends, 1))
		n = snprintf(buf, len, "{ \"command\": \"lease4-del\", "
		    "\"service\": [ \"dhcp4\" ], \"arguments\": { "
		    "\"ip-address\": \"%s\" } }", ip);
	else {
		/* hw and tmp hold the longest: lease_hex_format cannot fail */
		lease_hex_format(hw, sizeof(hw), l->l_hw, l->l_hwlen);
		cid[0] = host[0] = '\0';
		/* Kea takes a client identifier of 2 bytes or more */
		if (l->l_uidlen >= 2) {
			lease_hex_format(tmp, sizeof(tmp), l->l_uid,
			    l->l_uidlen);
			snprintf(cid, sizeof(cid), "\"client-id\": \"%s\", ",
			    tmp);
		}
		if (l->l_hostlen > 0) {
			kea_json(tmp, l->l_host, l->l_hostlen);
			snprintf(host, sizeof(host), "\"hostname\": \"%s\", ",
			    tmp);
		}
		/*
		 * Kea's DNS update flags, with the hostname they are for:
		 * lease4-update refuses them without one (kea-dhcp4 2.2),
		 * though its lease file may hold such a row.
		 */
		dns[0] = '\0';
		fqdn = kfqdn_get(l);
		if (fqdn != 0 && l->l_hostlen > 0)
			snprintf(dns, sizeof(dns), "\"fqdn-fwd\": %s, "
			    "\"fqdn-rev\": %s, ", fqdn & KFQDN_FWD ? "true" :
			    "false", fqdn & KFQDN_REV ? "true" : "false");
		/* checked to be one JSON object: it cannot end ours */
		uctx[0] = '\0';
		if (kctx_get(l, ctx, sizeof(ctx)) > 0)
			snprintf(uctx, sizeof(uctx), "\"user-context\": %s, ",
			    ctx);
		sub[0] = '\0';
		if (subnet != 0)
			snprintf(sub, sizeof(sub), "\"subnet-id\": %" PRIu32
			    ", ", subnet);
		lft = l->l_ends == LEASE_T_NEVER ? 0xffffffffll :
		    l->l_ends - l->l_starts;
		if (lft <= 0)
			lft = 1;
		n = snprintf(buf, len, "{ \"command\": \"lease4-update\", "
		    "\"service\": [ \"dhcp4\" ], \"arguments\": { "
		    "\"ip-address\": \"%s\", \"hw-address\": \"%s\", %s%s"
		    "%s%s%s\"valid-lft\": %" PRId64 ", "
		    "\"expire\": %" PRId64 ", %s\"force-create\": true } }",
		    ip, hw, cid, host, dns, uctx, sub, lft, l->l_starts + lft,
		    l->l_state == LS_ABANDONED ? "\"state\": 1, " :
		    l->l_state == LS_EXPIRED ? "\"state\": 2, " : "");
	}
	return n < 0 || (size_t)n >= len ? -1 : n;
}

/*
 * Kea's "result": 0 success, 3 "empty" (a delete of nothing is fine),
 * 1 an error about this lease (kea-dhcp4 2.2 says 1 for an address in no
 * configured subnet, or not in the forced one): KEA_REFUSED.  Anything
 * else (2: no lease_cmds hook, no answer at all) is Kea not working.
 */
int
kea_result(const char *reply, int del)
{
	const char *p = strstr(reply, "\"result\"");
	char *end;
	long r;

	if (p == NULL)
		return -1;
	p += strlen("\"result\"");
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ':')
		p++;
	r = strtol(p, &end, 10);
	if (end == p)
		return -1;
	if (r == 0 || (del && r == 3))
		return 0;
	return r == 1 ? KEA_REFUSED : -1;
}

/*
 * Kea's "text", made safe for one log or event line: quotes become
 * apostrophes, other backslash escapes, backslashes and control bytes
 * spaces; cut to len.
 */
void
kea_reason(const char *reply, char *buf, size_t len)
{
	const char *p = strstr(reply, "\"text\"");
	size_t o = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (p == NULL)
		return;
	p += strlen("\"text\"");
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ':')
		p++;
	if (*p++ != '"')
		return;
	for (; *p && *p != '"' && o + 1 < len; p++) {
		if (*p == '\\') {
			/* event lines quote with '"' and escape with '\\' */
			if (p[1] != '\0')
				p++;
			buf[o++] = *p == '"' ? '\'' : ' ';
		} else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			buf[o++] = ' ';
		else
			buf[o++] = *p;
	}
	buf[o] = '\0';
}

static int
kea_wait(int fd, short ev)
{
	struct pollfd p = { fd, ev, 0 };
	int n;

	while ((n = poll(&p, 1, KEA_TIMEOUT_MS)) == -1 && errno == EINTR)
		;
	if (n == 0)
		errno = ETIMEDOUT;
	return n == 1 ? 0 : -1;
}

int
kea_apply(const char *path, uint32_t subnet, const struct lease *l,
    char *why, size_t whylen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char cmd[8192], *reply = NULL;
	size_t got = 0, off = 0;
	ssize_t n;
	int fd, len, rc = -1;

	if ((len = kea_command(l, subnet, cmd, sizeof(cmd))) < 0 ||
	    strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("kea: %s", path);
		goto out;
	}
	while (off < (size_t)len) {
		if (kea_wait(fd, POLLOUT) == -1 ||
		    (n = send(fd, cmd + off, (size_t)len - off,
		    MSG_NOSIGNAL)) == -1) {
			log_warn("kea: %s: send", path);
			goto out;
		}
		off += (size_t)n;
	}
	if ((reply = malloc(KEA_REPLY_MAX)) == NULL)
		goto out;
	/* Kea answers one JSON object and closes */
	while (got < KEA_REPLY_MAX - 1) {
		if (kea_wait(fd, POLLIN) == -1 ||
		    (n = read(fd, reply + got, KEA_REPLY_MAX - 1 - got)) == -1) {
			log_warn("kea: %s: reply", path);
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	reply[got] = '\0';
	rc = kea_result(reply, strstr(cmd, "lease4-del") != NULL);
	if (rc == KEA_REFUSED)
		kea_reason(reply, why, whylen);
	else if (rc == -1)
		log_warnx("kea: %s: failed: %.200s", path, reply);
out:
	free(reply);
	close(fd);
	return rc;
}
