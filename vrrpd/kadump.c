/* SPDX-License-Identifier: ISC */
/*
 * keepalived's state files in keepalived 2.2.7's format, so that what
 * reads them (keepalived-exporter, "kill -USR2; grep" scripts) reads
 * vrrpd unchanged: the lines and keys they parse are keepalived's to the
 * byte.  Only what vrrpd knows is written; the data file's global,
 * sockpool and interface sections, which nothing parses, are not.
 *
 * A file is built in memory and renamed into place, so a reader that
 * opens it right after the signal sees the old file or the new one,
 * never half of one; keepalived's own are 0600, these too (mkostemp's).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "cfgext.h"
#include "duration.h"
#include "kadump.h"
#include "log.h"
#include "runner.h"
#include "vrrpd.h"
#include "words.h"

static const struct {
	const char	*ks_name;
	int		 ks_num;	/* SIGRTMIN + ks_num when ks_rt */
	int		 ks_rt;
} kadump_sigs[] = {
	{ "STOP",	SIGTERM, 0 },
	{ "RELOAD",	SIGHUP, 0 },
	{ "DATA",	SIGUSR1, 0 },
	{ "STATS",	SIGUSR2, 0 },
	/* keepalived's SIGRTMIN + 2: 36 with glibc, as it prints */
	{ "JSON",	2, 1 },
};

int
kadump_signum(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(kadump_sigs) / sizeof(kadump_sigs[0]); i++)
		if (strcmp(kadump_sigs[i].ks_name, name) == 0)
			return kadump_sigs[i].ks_rt ?
			    SIGRTMIN + kadump_sigs[i].ks_num :
			    kadump_sigs[i].ks_num;
	return -1;
}

/* keepalived's counters, from vrrpd's (vrrpd(8) says which stay 0). */
struct kadump_ctr {
	uint64_t	kc_rx, kc_tx, kc_to_master, kc_released;
	uint64_t	kc_len, kc_ttl, kc_type, kc_ival, kc_addrlist;
	uint64_t	kc_auth_type, kc_auth_mismatch, kc_auth_fail;
	uint64_t	kc_pri0_rx, kc_pri0_tx;
};

static void
kadump_ctr(const struct inst *in, struct kadump_ctr *k)
{
	memset(k, 0, sizeof(*k));
	k->kc_rx = in->in_rx;
	k->kc_tx = in->in_tx;
	k->kc_to_master = in->in_to_master;
	k->kc_released = in->in_released;
	/* a count that does not fit the length is a length error there */
	k->kc_len = in->in_drops[VRRP_DROP_LENGTH] +
	    in->in_drops[VRRP_DROP_ADDRCOUNT];
	k->kc_ttl = in->in_drops[VRRP_DROP_TTL];
	k->kc_type = in->in_drops[VRRP_DROP_TYPE];
	k->kc_ival = in->in_drops[VRRP_DROP_INTERVAL];
	/* vrrpd does not tell a wrong type from a wrong password */
	k->kc_auth_fail = in->in_drops[VRRP_DROP_AUTH];
	k->kc_pri0_rx = in->in_pri0_rx;
	k->kc_pri0_tx = in->in_pri0_tx;
}

/* The state keepalived is heading for: a held-back backup wants MASTER. */
static enum fsm_state
kadump_wantstate(const struct inst *in)
{
	if (in->in_fsm.fs_state == FSM_BACKUP && in->in_fsm.fs_want_master)
		return FSM_MASTER;
	return in->in_fsm.fs_state;
}

/* The last change, on the wall clock: in_since is monotonic. */
static struct timeval
kadump_since(const struct inst *in)
{
	struct timeval now, tv;
	uint64_t ago, usec;

	gettimeofday(&now, NULL);
	ago = in->in_since ? mono_usec() - in->in_since : 0;
	usec = (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_usec - ago;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	return tv;
}

static const char *
kadump_iface(const struct inst *in)
{
	return in->in_vip_iface[0] ? in->in_vip_iface : in->in_cfg.ci_iface;
}

/* a VIP on a VMAC of use_vmac's (vip_on_vmac) */
static int
kadump_on_vmac(const struct inst *in, const struct cfg_vip *v)
{
	return in->in_vip_iface[0] && strcmp(in->in_vip_iface,
	    in->in_cfg.ci_iface) != 0 && vip_on_vmac(in, v);
}

static const char *
kadump_scope(uint8_t scope)
{
	switch (scope) {
	case RT_SCOPE_SITE:	return "site";
	case RT_SCOPE_LINK:	return "link";
	case RT_SCOPE_HOST:	return "host";
	case RT_SCOPE_NOWHERE:	return "nowhere";
	default:		return "global";
	}
}

/*
 * "ADDR[/PLEN] dev DEV [brd B] scope S [label L][ no_track]
 * [ deprecated | preferred_lft N|forever][ set]",
 * keepalived's format_ipaddress(): the exporter takes words 1 and 3.
 */
static void
kadump_vip(FILE *f, const struct inst *in, const struct cfg_vip *v)
{
	char a[INET6_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int full = v->cv_family == AF_INET ? 32 : 128, deprecated;

	fputs(vip_ntop(v->cv_family, &v->cv_addr, a, sizeof(a)), f);
	if (v->cv_plen != full)
		fprintf(f, "/%u", v->cv_plen);
	fprintf(f, " dev %s", v->cv_dev[0] ? v->cv_dev : vip_on_vmac(in, v) ?
	    kadump_iface(in) : in->in_cfg.ci_iface);
	/* keepalived names a VMAC's parent: "dev vrrp.51@eth0" */
	if (kadump_on_vmac(in, v))
		fprintf(f, "@%s", in->in_cfg.ci_iface);
	if (v->cv_family == AF_INET && v->cv_brd.s_addr)
		fprintf(f, " brd %s", inet_ntop(AF_INET, &v->cv_brd, b,
		    sizeof(b)));
	fprintf(f, " scope %s", kadump_scope(v->cv_scope));
	if (v->cv_label[0])
		fprintf(f, " label %s", v->cv_label);
	/* nl.c's rule: a /128 without preferred_lft is added deprecated */
	deprecated = v->cv_family == AF_INET6 && (v->cv_lft_set ?
	    v->cv_preferred == 0 : v->cv_plen == 128);
	if (v->cv_no_track)
		fputs(" no_track", f);
	if (deprecated)
		fputs(" deprecated", f);
	else if (v->cv_family == AF_INET6 && v->cv_lft_set &&
	    v->cv_preferred != CFG_LFT_FOREVER)
		fprintf(f, " preferred_lft %u", v->cv_preferred);
	else if (v->cv_family == AF_INET6)
		fputs(" preferred_lft forever", f);
	fputs(in->in_vips_on ? " set" : "", f);
}

static int
kadump_weight(const struct vrrpd *d, const struct cfg_track *t)
{
	const struct track *tr = track_find(d, t->ct_name);

	return cfg_track_weight(t, tr ? tr->tr_cfg.cs_weight : 0);
}

/* "   TITLE:" and the addresses under it, a line each; none, no title */
static void
kadump_data_vips(FILE *f, const struct inst *in, const char *title,
    const struct cfg_vip *v, int n)
{
	int i;

	if (n == 0)
		return;
	fprintf(f, "   %s:\n", title);
	for (i = 0; i < n; i++) {
		fputs("     ", f);
		kadump_vip(f, in, &v[i]);
		fputc('\n', f);
	}
}

/* keepalived's gratuitous ARP lines, and the down timer's after them */
static void
kadump_data_garp(FILE *f, const struct vrrpd *d, const struct cfg_instance *c)
{
	int down = c->ci_down_adverts ? c->ci_down_adverts :
	    d->d_cf->cf_down_adverts;

	fprintf(f, "   Gratuitous ARP delay = %llu\n",
	    (unsigned long long)(c->ci_garp_delay / 1000000));
	fprintf(f, "   Gratuitous ARP repeat = %d\n", c->ci_garp_repeat);
	fprintf(f, "   Gratuitous ARP refresh = %llu\n",
	    (unsigned long long)(c->ci_garp_refresh / 1000000));
	fprintf(f, "   Gratuitous ARP refresh repeat = %d\n",
	    c->ci_garp_refresh_repeat);
	fprintf(f, "   Gratuitous ARP lower priority delay = %llu\n",
	    (unsigned long long)(c->ci_garp_lower_delay / 1000000));
	fprintf(f, "   Gratuitous ARP lower priority repeat = %d\n",
	    c->ci_garp_lower_repeat);
	fprintf(f, "   Down timer adverts = %d\n", down ? down : 3);
}

/* use_vmac: the VMAC, and the interface as keepalived names it */
static void
kadump_data_iface(FILE *f, const struct inst *in)
{
	if (!in->in_cfg.ci_vmac || !in->in_vip_iface[0]) {
		fprintf(f, "   Interface = %s\n", kadump_iface(in));
		return;
	}
	fprintf(f, "   Use VMAC, i/f name %s, is_up = %s, xmit_base = %s\n",
	    in->in_vip_iface, in->in_vmac_made ? "true" : "false",
	    vmac_xmit(in) ? "false" : "true");
	fprintf(f, "   Interface = %s, vmac on %s%s\n", in->in_vip_iface,
	    in->in_cfg.ci_iface, vmac_xmit(in) ? "" : ", xmit base i/f");
}

/* the adverts' source, and their group when multicast */
static void
kadump_data_src(FILE *f, const struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	char a[INET6_ADDRSTRLEN];

	if (c->ci_has_src)
		fprintf(f, "   Using src_ip = %s (from configuration)\n",
		    vip_ntop(c->ci_family, &c->ci_src, a, sizeof(a)));
	else if (in->in_net.nt_has_src)
		fprintf(f, "   Using src_ip = %s\n", vip_ntop(c->ci_family,
		    &in->in_net.nt_src, a, sizeof(a)));
	else
		fprintf(f, "   Using src_ip = (none)\n");
	if (c->ci_npeers == 0)
		fprintf(f, "   Multicast address %s\n", vip_ntop(c->ci_family,
		    &in->in_net.nt_group, a, sizeof(a)));
}

/* unicast_peer and what goes with it */
static void
kadump_data_unicast(FILE *f, const struct cfg_instance *c)
{
	char a[INET6_ADDRSTRLEN];
	int i;

	if (c->ci_npeers == 0)
		return;
	/* keepalived's IPv4 TTL is 255 unless set; IPv6's the kernel's */
	if (c->ci_unicast_ttl || c->ci_family == AF_INET)
		fprintf(f, "   Unicast TTL = %d\n", c->ci_unicast_ttl ?
		    c->ci_unicast_ttl : 255);
	/* the instance's own keyword: the global one is not shown */
	fprintf(f, "   Check unicast src : %s\n", c->ci_check_src ? "yes" :
	    "no");
	fprintf(f, "   Unicast Peer :\n");
	for (i = 0; i < c->ci_npeers; i++)
		fprintf(f, "     %s min_ttl %d max_ttl %d\n", vip_ntop(
		    c->ci_family, &c->ci_peers[i], a, sizeof(a)),
		    c->ci_peer_ttl_set[i] ? c->ci_peer_min_ttl[i] : 0,
		    c->ci_peer_ttl_set[i] ? c->ci_peer_max_ttl[i] : 255);
	fprintf(f, "   Unicast checksum compatibility = %s\n",
	    c->ci_old_csum ? "config" : "no");
}

/*
 * A command as keepalived's dump shows it: each word execve() gets
 * single-quoted, the program by its real path ("'/usr/bin/true' 'x'"
 * for "true x"); the system() form ("</dev/tcp/...", runner.c) its
 * first word as written.  One that does not split is shown whole, quoted.
 */
static void
kadump_cmd(const char *cmd, char *out, size_t outlen)
{
	char buf[CFG_CMD_LEN * 2], err[128], file[PATH_MAX], real[PATH_MAX];
	char *argv[WORDS_MAX];
	size_t o = 0;
	int n, i, sys;

	n = words_split(cmd, buf, sizeof(buf), argv, WORDS_MAX, err,
	    sizeof(err));
	if (n <= 0) {
		snprintf(out, outlen, "'%s'", cmd);
		return;
	}
	sys = argv[0][0] == '<' &&
	    argv[0][1 + strspn(argv[0] + 1, " \t")] == '/';
	if (!sys && runner_path(argv[0], file, sizeof(file)) == 0 &&
	    realpath(file, real) != NULL)
		argv[0] = real;
	out[0] = '\0';
	for (i = 0; i < n && o < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o,
		    i == 0 && sys ? "%s%s" : "%s'%s'", i ? " " : "", argv[i]);
}

/*
 * track_interface: in a sync group without sync_group_tracking_weight
 * keepalived's list says weight 0, the weight it applies all the same
 * (cfgsync.c).
 */
static void
kadump_data_ifaces(FILE *f, const struct vrrpd *d,
    const struct cfg_instance *c)
{
	int zero = c->ci_group >= 0 &&
	    !d->d_cf->cf_groups[c->ci_group].cg_tracking_weight, i;

	if (c->ci_nifaces == 0)
		return;
	fprintf(f, "   Tracked interfaces :\n");
	for (i = 0; i < c->ci_nifaces; i++)
		fprintf(f, "     %s weight %d%s\n", c->ci_ifaces[i].ct_name,
		    zero ? 0 : c->ci_ifaces[i].ct_weight,
		    c->ci_ifaces[i].ct_reverse == CFG_REV_YES ? " reverse" : "");
}

/* "   KIND state transition script = 'CMD', uid:gid U:G" */
static void
kadump_notify_line(FILE *f, const struct config *cf, const char *kind,
    const struct cfg_notify *n)
{
	char q[CFG_CMD_LEN * 2];
	uid_t uid = 0;
	gid_t gid = 0;

	if (n->cn_cmd[0] == '\0')
		return;
	if (runner_who(cf, n->cn_user, n->cn_group, &uid, &gid) != 1)
		uid = 0, gid = 0;
	kadump_cmd(n->cn_cmd, q, sizeof(q));
	fprintf(f, "   %s state transition script = %s, uid:gid %u:%u\n",
	    kind, q, (unsigned)uid, (unsigned)gid);
}

/* mail, notify_deleted, the notify commands, notify_priority_changes */
static void
kadump_data_notify(FILE *f, const struct vrrpd *d,
    const struct cfg_instance *c)
{
	const struct config *cf = d->d_cf;
	int prio = c->ci_notify_prio ? c->ci_notify_prio == 1 :
	    cf->cf_notify_prio == 1;

	fprintf(f, "   Using smtp notification = %s\n",
	    cfg_mail_alert(cf, c->ci_smtp_alert) ? "yes" : "no");
	fprintf(f, "   Notify deleted = %s\n", c->ci_deleted ? "Deleted" :
	    "Fault");
	kadump_notify_line(f, cf, "Backup", &c->ci_notify[CFG_NOTIFY_BACKUP]);
	kadump_notify_line(f, cf, "Master", &c->ci_notify[CFG_NOTIFY_MASTER]);
	kadump_notify_line(f, cf, "Fault", &c->ci_notify[CFG_NOTIFY_FAULT]);
	kadump_notify_line(f, cf, "Stop", &c->ci_notify[CFG_NOTIFY_STOP]);
	kadump_notify_line(f, cf, "Deleted", &c->ci_notify_deleted);
	kadump_notify_line(f, cf, "Generic", &c->ci_notify[CFG_NOTIFY]);
	kadump_notify_line(f, cf, "Master rx lower pri",
	    &c->ci_notify_rx_lower);
	fprintf(f, "   Notify priority changes = %s\n", prio ? "true" :
	    "false");
}

static void
kadump_data_inst(FILE *f, const struct vrrpd *d, const struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct timeval tv = kadump_since(in);
	struct tm tm;
	char when[64], title[32];
	int i;

	localtime_r(&tv.tv_sec, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S", &tm);
	fprintf(f, " VRRP Instance = %s\n", c->ci_name);
	fprintf(f, "   VRRP Version = %d\n", c->ci_version);
	if (c->ci_group >= 0)
		fprintf(f, "   Sync group = %s\n",
		    d->d_cf->cf_groups[c->ci_group].cg_name);
	if (c->ci_family == AF_INET6)
		fprintf(f, "   Using Native IPv6\n");
	fprintf(f, "   State = %s\n", fsm_state_name(in->in_fsm.fs_state));
	fprintf(f, "   Wantstate = %s\n", fsm_state_name(kadump_wantstate(in)));
	fprintf(f, "   Last transition = %lld.%06ld (%s.%06ld %d)\n",
	    (long long)tv.tv_sec, (long)tv.tv_usec, when, (long)tv.tv_usec,
	    tm.tm_year + 1900);
	kadump_data_iface(f, in);
	if (c->ci_dont_track_primary)
		fprintf(f, "   VRRP interface tracking disabled\n");
	if (c->ci_skip_adv_check)
		fprintf(f, "   Skip checking advert IP addresses\n");
	kadump_data_src(f, in);
	kadump_data_garp(f, d, c);
	fprintf(f, "   Send advert after receive lower priority advert = %s\n",
	    c->ci_lower_no_advert ? "false" : "true");
	fprintf(f, "   Virtual Router ID = %d\n", c->ci_vrid);
	fprintf(f, "   Priority = %d\n", c->ci_priority);
	fprintf(f, "   Effective priority = %u\n", in->in_fsm.fs_prio);
	if (c->ci_version == 2)
		fprintf(f, "   Advert interval = %llu sec\n",
		    (unsigned long long)(c->ci_adver / 1000000));
	else
		fprintf(f, "   Advert interval = %llu milli-sec\n",
		    (unsigned long long)(c->ci_adver / 1000));
	fprintf(f, "   Accept = %s\n", config_no_accept(c) ? "disabled" :
	    "enabled");
	fprintf(f, "   Preempt = %s\n", c->ci_nopreempt ? "disabled" :
	    "enabled");
	if (c->ci_preempt_delay)
		fprintf(f, "   Preempt delay = %llu secs\n",
		    (unsigned long long)(c->ci_preempt_delay / 1000000));
	fprintf(f, "   Promote_secondaries = %s\n", c->ci_promote ?
	    "enabled" : "disabled");
	if (c->ci_auth_type == VRRP_AUTH_PASS)
		fprintf(f, "   Authentication type = SIMPLE_PASSWORD\n"
		    "   Password = %s\n", c->ci_auth_pass);
	else if (c->ci_version == 2)
		fprintf(f, "   Authentication type = none\n");
	/* keepalived 2.2.7 counts the one list, not the other */
	snprintf(title, sizeof(title), "Virtual IP (%d)", c->ci_nvips);
	kadump_data_vips(f, in, title, c->ci_vips, c->ci_nvips);
	kadump_data_vips(f, in, "Virtual IP Excluded ", c->ci_evips,
	    c->ci_nevips);
	kadump_data_unicast(f, c);
	kadump_data_ifaces(f, d, c);
	if (c->ci_nscripts) {
		fprintf(f, "   Tracked scripts :\n");
		for (i = 0; i < c->ci_nscripts; i++)
			fprintf(f, "     %s weight %d\n",
			    c->ci_scripts[i].ct_name,
			    kadump_weight(d, &c->ci_scripts[i]));
	}
	kadump_data_notify(f, d, c);
}

static void
kadump_data_script(FILE *f, const struct track *t)
{
	const struct cfg_script *s = &t->tr_cfg;
	char q[CFG_CMD_LEN * 2];

	fprintf(f, " VRRP Script = %s\n", s->cs_name);
	if (s->cs_fd < 0) {
		kadump_cmd(s->cs_cmd, q, sizeof(q));
		fprintf(f, "   Command = %s\n", q);
	}
	fprintf(f, "   Interval = %llu sec\n",
	    (unsigned long long)(s->cs_interval / 1000000));
	fprintf(f, "   Timeout = %llu sec\n",
	    (unsigned long long)(s->cs_timeout / 1000000));
	fprintf(f, "   Weight = %d\n", s->cs_weight);
	fprintf(f, "   Rise = %d\n", s->cs_rise);
	fprintf(f, "   Fall = %d\n", s->cs_fall);
	fprintf(f, "   Status = %s\n", t->tr_up ? "GOOD" : "BAD");
	fprintf(f, "   State = %s\n", t->tr_running ? "running" : "idle");
}

static void
kadump_stats_inst(FILE *f, const struct inst *in)
{
	struct kadump_ctr k;

	kadump_ctr(in, &k);
	fprintf(f, "VRRP Instance: %s\n", in->in_cfg.ci_name);
	fprintf(f, "  Advertisements:\n"
	    "    Received: %llu\n"
	    "    Sent: %llu\n",
	    (unsigned long long)k.kc_rx, (unsigned long long)k.kc_tx);
	fprintf(f, "  Became master: %llu\n"
	    "  Released master: %llu\n",
	    (unsigned long long)k.kc_to_master,
	    (unsigned long long)k.kc_released);
	fprintf(f, "  Packet Errors:\n"
	    "    Length: %llu\n"
	    "    TTL: %llu\n"
	    "    Invalid Type: %llu\n"
	    "    Advertisement Interval: %llu\n"
	    "    Address List: %llu\n",
	    (unsigned long long)k.kc_len, (unsigned long long)k.kc_ttl,
	    (unsigned long long)k.kc_type, (unsigned long long)k.kc_ival,
	    (unsigned long long)k.kc_addrlist);
	fprintf(f, "  Authentication Errors:\n"
	    "    Invalid Type: %llu\n"
	    "    Type Mismatch: %llu\n"
	    "    Failure: %llu\n",
	    (unsigned long long)k.kc_auth_type,
	    (unsigned long long)k.kc_auth_mismatch,
	    (unsigned long long)k.kc_auth_fail);
	fprintf(f, "  Priority Zero:\n"
	    "    Received: %llu\n"
	    "    Sent: %llu\n",
	    (unsigned long long)k.kc_pri0_rx,
	    (unsigned long long)k.kc_pri0_tx);
}

/* A JSON string as keepalived's writer escapes it ("/" too). */
static void
kadump_jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		switch (*s) {
		case '"':	fputs("\\\"", f); break;
		case '\\':	fputs("\\\\", f); break;
		case '/':	fputs("\\/", f); break;
		case '\n':	fputs("\\n", f); break;
		case '\t':	fputs("\\t", f); break;
		default:
			if ((unsigned char)*s < 0x20)
				fprintf(f, "\\u%04x", (unsigned char)*s);
			else
				fputc(*s, f);
		}
	}
	fputc('"', f);
}

static void
kadump_json_vips(FILE *f, const struct inst *in, const char *key,
    const struct cfg_vip *v, int n)
{
	char *s;
	size_t len;
	FILE *m;
	int i;

	fprintf(f, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		if ((m = open_memstream(&s, &len)) == NULL)
			break;
		kadump_vip(m, in, &v[i]);
		fclose(m);
		if (i)
			fputc(',', f);
		kadump_jstr(f, s);
		free(s);
	}
	fputc(']', f);
}

static void
kadump_json_inst(FILE *f, const struct vrrpd *d, const struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct timeval tv = kadump_since(in);
	struct kadump_ctr k;
	char q[CFG_CMD_LEN * 2];
	int i;

	fputs("{\"data\":{\"iname\":", f);
	kadump_jstr(f, c->ci_name);
	fprintf(f, ",\"dont_track_primary\":%d,\"skip_check_adv_addr\":%d",
	    c->ci_dont_track_primary, c->ci_skip_adv_check);
	fputs(",\"ifp_ifname\":", f);
	kadump_jstr(f, kadump_iface(in));
	fprintf(f, ",\"last_transition\":%lld.%06ld", (long long)tv.tv_sec,
	    (long)tv.tv_usec);
	fprintf(f, ",\"garp_delay\":%llu,\"garp_refresh\":%llu,"
	    "\"garp_rep\":%d,\"garp_refresh_rep\":%d,"
	    "\"garp_lower_prio_delay\":%llu,\"garp_lower_prio_rep\":%d",
	    (unsigned long long)(c->ci_garp_delay / 1000000),
	    (unsigned long long)(c->ci_garp_refresh / 1000000),
	    c->ci_garp_repeat, c->ci_garp_refresh_repeat,
	    (unsigned long long)(c->ci_garp_lower_delay / 1000000),
	    c->ci_garp_lower_repeat);
	fprintf(f, ",\"vrid\":%d,\"base_priority\":%d,"
	    "\"effective_priority\":%u,\"vipset\":%s,"
	    "\"promote_secondaries\":%s,\"adver_int\":%llu,"
	    "\"master_adver_int\":%llu,\"accept\":%d,\"nopreempt\":%s,"
	    "\"preempt_delay\":%llu,\"state\":%d,\"wantstate\":%d,"
	    "\"version\":%d",
	    c->ci_vrid, c->ci_priority, in->in_fsm.fs_prio,
	    in->in_vips_on ? "true" : "false",
	    c->ci_promote ? "true" : "false",
	    (unsigned long long)(c->ci_adver / 1000000),
	    (unsigned long long)(in->in_fsm.fs_master_adver_int / 1000000),
	    !config_no_accept(c), c->ci_nopreempt ? "true" : "false",
	    (unsigned long long)(c->ci_preempt_delay / 1000000),
	    (int)in->in_fsm.fs_state, (int)kadump_wantstate(in),
	    c->ci_version);
	kadump_json_vips(f, in, "vips", c->ci_vips, c->ci_nvips);
	if (c->ci_nevips)
		kadump_json_vips(f, in, "evips", c->ci_evips, c->ci_nevips);
	if (c->ci_nscripts) {
		fputs(",\"track_script\":[", f);
		for (i = 0; i < c->ci_nscripts; i++) {
			const struct track *t = track_find(d,
			    c->ci_scripts[i].ct_name);

			if (i)
				fputc(',', f);
			/* keepalived's "'CMD' 'ARG'", as in the data file */
			if (t && t->tr_cfg.cs_fd < 0)
				kadump_cmd(t->tr_cfg.cs_cmd, q, sizeof(q));
			else
				snprintf(q, sizeof(q), "'%s'",
				    c->ci_scripts[i].ct_name);
			kadump_jstr(f, q);
		}
		fputc(']', f);
	}
	fprintf(f, ",\"auth_type\":%d}", c->ci_version == 2 ?
	    c->ci_auth_type : 0);
	kadump_ctr(in, &k);
	fprintf(f, ",\"stats\":{\"advert_rcvd\":%llu,\"advert_sent\":%llu,"
	    "\"become_master\":%llu,\"release_master\":%llu,"
	    "\"packet_len_err\":%llu,\"advert_interval_err\":%llu,"
	    "\"ip_ttl_err\":%llu,\"invalid_type_rcvd\":%llu,"
	    "\"addr_list_err\":%llu,\"invalid_authtype\":%llu,"
	    "\"authtype_mismatch\":%llu,\"auth_failure\":%llu,"
	    "\"pri_zero_rcvd\":%llu,\"pri_zero_sent\":%llu}}",
	    (unsigned long long)k.kc_rx, (unsigned long long)k.kc_tx,
	    (unsigned long long)k.kc_to_master,
	    (unsigned long long)k.kc_released, (unsigned long long)k.kc_len,
	    (unsigned long long)k.kc_ival, (unsigned long long)k.kc_ttl,
	    (unsigned long long)k.kc_type, (unsigned long long)k.kc_addrlist,
	    (unsigned long long)k.kc_auth_type,
	    (unsigned long long)k.kc_auth_mismatch,
	    (unsigned long long)k.kc_auth_fail,
	    (unsigned long long)k.kc_pri0_rx,
	    (unsigned long long)k.kc_pri0_tx);
}

/*
 * path replaced by buf: written beside it under a name nobody can guess
 * (O_EXCL, mkostemp) and renamed.  lib/atomicfile's "PATH.tmp.PID" is
 * for directories of our own; in /tmp another user could make that name
 * first, a FIFO that blocks the open.  No fsync: /tmp, and keepalived
 * does not either.
 */
static int
kadump_replace(const char *path, const void *buf, size_t len)
{
	char tmp[PATH_MAX + sizeof(".XXXXXX")];
	int fd, e;

	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	/* mode 0600 less the umask: keepalived's files' */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		return -1;
	if (atomicfile_write_all(fd, buf, len) == -1) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * keepalived's directory for them (set_tmp_dir()): $TMPDIR when it is
 * an absolute path, else /tmp.
 */
static const char *
kadump_dir(void)
{
	const char *t = getenv("TMPDIR");

	return t != NULL && t[0] == '/' ? t : "/tmp";
}

/* Builds the file with fn in memory, then replaces kadump_dir()/name. */
static void
kadump_write(const struct vrrpd *d, const char *name,
    void (*fn)(FILE *, const struct vrrpd *))
{
	char path[PATH_MAX];
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", kadump_dir(),
	    name) >= sizeof(path)) {
		log_warnx("%s/%s: name too long", kadump_dir(), name);
		return;
	}

	if ((m = open_memstream(&buf, &len)) == NULL) {
		log_warn("%s", path);
		return;
	}
	fn(m, d);
	if (fclose(m) != 0) {
		log_warn("%s", path);
		free(buf);
		return;
	}
	if (kadump_replace(path, buf, len) == -1)
		log_warn("%s", path);
	free(buf);
}

static void
kadump_data_fn(FILE *f, const struct vrrpd *d)
{
	int i;

	fprintf(f, "------< VRRP Topology >------\n");
	for (i = 0; i < d->d_ninst; i++)
		kadump_data_inst(f, d, d->d_inst[i]);
	if (d->d_ntracks == 0)
		return;
	fprintf(f, "------< VRRP Scripts >------\n");
	for (i = 0; i < d->d_ntracks; i++)
		kadump_data_script(f, d->d_tracks[i]);
}

static void
kadump_stats_fn(FILE *f, const struct vrrpd *d)
{
	int i;

	for (i = 0; i < d->d_ninst; i++)
		kadump_stats_inst(f, d->d_inst[i]);
}

static void
kadump_json_fn(FILE *f, const struct vrrpd *d)
{
	int i;

	fputc('[', f);
	for (i = 0; i < d->d_ninst; i++) {
		if (i)
			fputc(',', f);
		kadump_json_inst(f, d, d->d_inst[i]);
	}
	fputs("]\n", f);
}

/*
 * keepalived's open_dump_file(): with data_use_instance and an instance
 * name, "keepalived.NAME.data", so that two daemons on one host keep
 * their own.  Its network namespace would come before the name; vrrpd
 * refuses net_namespace.
 */
void
kadump_data(const struct vrrpd *d)
{
	const struct config *cf = d->d_cf;
	char name[sizeof(KADUMP_DATA) + CFG_NAME_LEN + 1];

	if (cf->cf_data_use_instance && cf->cf_instance[0])
		snprintf(name, sizeof(name), "keepalived.%s.data",
		    cf->cf_instance);
	else
		snprintf(name, sizeof(name), "%s", KADUMP_DATA);
	kadump_write(d, name, kadump_data_fn);
}

void
kadump_stats(const struct vrrpd *d)
{
	kadump_write(d, KADUMP_STATS, kadump_stats_fn);
}

void
kadump_json(const struct vrrpd *d)
{
	kadump_write(d, KADUMP_JSON, kadump_json_fn);
}
