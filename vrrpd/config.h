/* SPDX-License-Identifier: ISC */
/*
 * The vrrp part of keepalived.conf (global_defs, vrrp_script,
 * vrrp_instance, include) and the same settings from the command line.
 * config_parse() is a pure function over a buffer: includes come through a
 * callback, errors and warnings go into err as "file:line: message" lines.
 */
#ifndef VRRPD_CONFIG_H
#define VRRPD_CONFIG_H

#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "packet.h"

#define CFG_MAX_INSTANCES	32
#define CFG_MAX_SCRIPTS		32
#define CFG_MAX_VIPS		32
#define CFG_MAX_PEERS		16
#define CFG_MAX_TRACKS		16
#define CFG_NAME_LEN		64
#define CFG_CMD_LEN		1024
#define CFG_MAX_EVIPS		64	/* virtual_ipaddress_excluded */
#define CFG_MAX_GROUPS		16	/* vrrp_sync_group */
#define CFG_MAX_ROUTES		32	/* virtual_routes */
#define CFG_MAX_RULES		32	/* virtual_rules */
#define CFG_MAX_GARP_GROUPS	32	/* garp_group, and one an interface
					   vrrp_garp_interval spaces */
#define CFG_MAX_GARP_IFS	16	/* interfaces of one garp_group */

/* IPv6 preferred_lft: keepalived's "forever" */
#define CFG_LFT_FOREVER		0xffffffffU

/*
 * notify "CMD" USER [GROUP], and its _master, _backup, _fault, _stop (the
 * order of cfg_notify_kw[], and of runner.h's RUNNER_NOTIFY.. kinds).
 */
enum cfg_notify_kind {
	CFG_NOTIFY,		/* on every change */
	CFG_NOTIFY_MASTER,
	CFG_NOTIFY_BACKUP,
	CFG_NOTIFY_FAULT,
	CFG_NOTIFY_STOP,
	CFG_NOTIFY_N
};

struct cfg_notify {
	char		cn_cmd[CFG_CMD_LEN];	/* "" = none */
	char		cn_user[CFG_NAME_LEN];
	char		cn_group[CFG_NAME_LEN];
};

/* "notify", "notify_master", ... by enum cfg_notify_kind (config.c) */
extern const char *const cfg_notify_kw[CFG_NOTIFY_N];

/* One line of virtual_ipaddress{,_excluded}: ip-address(8)'s options. */
struct cfg_vip {
	int		cv_family;
	union vrrp_addr	cv_addr;
	uint8_t		cv_plen;
	char		cv_dev[IF_NAMESIZE];	/* "" = the instance's */
	char		cv_label[IF_NAMESIZE];	/* "" = none (the dev's) */
	uint8_t		cv_scope;		/* RT_SCOPE_*, 0 = global */
	struct in_addr	cv_brd;			/* 0 = none */
	uint32_t	cv_flags;		/* IFA_F_* to set */
	uint32_t	cv_preferred;		/* IPv6 preferred_lft */
	int		cv_lft_set;	/* else 0 for a /128, forever */
	int		cv_dad;		/* "-nodad": IPv6 DAD on (off) */
	int		cv_no_track;	/* its dev down is not a fault */
};

/* One line of virtual_routes: ip-route(8)'s words (cfgroute.c). */
struct cfg_route {
	int		cr_family;
	uint8_t		cr_type;		/* RTN_UNICAST, _BLACKHOLE... */
	union vrrp_addr	cr_dst;
	uint8_t		cr_plen;
	union vrrp_addr	cr_gw;
	int		cr_has_gw;
	union vrrp_addr	cr_src;
	int		cr_has_src;
	char		cr_dev[IF_NAMESIZE];	/* "" = the kernel's choice */
	uint32_t	cr_table;		/* RT_TABLE_MAIN by default */
	uint32_t	cr_metric;
	int		cr_has_metric;
	uint8_t		cr_scope;
	int		cr_onlink;
	int		cr_no_track;	/* its dev down is not a fault */
	uint8_t		cr_proto;	/* 18 (keepalived) unless no_track */
	int		cr_line;
};

/* One line of virtual_rules: ip-rule(8)'s words (cfgroute.c). */
struct cfg_rule {
	int		cu_family;
	union vrrp_addr	cu_from, cu_to;
	uint8_t		cu_from_len, cu_to_len;	/* 0 with no from/to */
	int		cu_has_from, cu_has_to;
	uint32_t	cu_table;
	uint32_t	cu_prio;	/* keepalived's 16384 when not given */
	char		cu_iif[IF_NAMESIZE], cu_oif[IF_NAMESIZE];
	uint32_t	cu_fwmark, cu_fwmask;
	int		cu_has_fwmark;
	int		cu_not;
	uint8_t		cu_action;	/* FR_ACT_TO_TBL, _BLACKHOLE... */
};

struct cfg_script {
	char		cs_name[CFG_NAME_LEN];
	char		cs_cmd[CFG_CMD_LEN];
	uint64_t	cs_interval;	/* usec */
	uint64_t	cs_timeout;	/* usec, 0 = interval */
	int		cs_weight;
	int		cs_weight_reverse;
	int		cs_rise, cs_fall;
	int		cs_init_fail;	/* down until rise successes */
	int		cs_fd;		/* --track-fd: read lines, no command */
	char		cs_user[CFG_NAME_LEN];	/* "user": "" = script_user */
	char		cs_group[CFG_NAME_LEN];
	int		cs_line;
	const char	*cs_file;	/* into the config's cf_files */
};

struct cfg_track {
	char		ct_name[CFG_NAME_LEN];	/* script or interface */
	int		ct_weight;
	int		ct_has_weight;
	int		ct_reverse;	/* CFG_REV_*: the line's own sense */
	int		ct_ahead;	/* track_script: before its vrrp_script */
};

/*
 * The weight an instance's track_script, track_file or track_process line
 * counts with, "tracker" being the weight of its vrrp_script,
 * vrrp_track_file or vrrp_track_process block. As keepalived: a weight on
 * the line wins, even "weight 0", which makes a weighted tracker a fault
 * for this instance alone; without one, the block's weight applies.
 */
static inline long
cfg_track_weight(const struct cfg_track *t, long tracker)
{
	return t->ct_has_weight ? t->ct_weight : tracker;
}

#define CFG_REV_UNSET	0	/* as the tracker's block says */
#define CFG_REV_YES	1
#define CFG_REV_NO	2

/* The same rule for a track line's reverse or noreverse. */
static inline int
cfg_track_reverse(const struct cfg_track *t, int tracker)
{
	return t->ct_reverse == CFG_REV_UNSET ? tracker :
	    t->ct_reverse == CFG_REV_YES;
}

/* track_file / vrrp_track_file (conftrack.c) */
struct cfg_tfile {
	char		ctf_name[CFG_NAME_LEN];
	char		ctf_path[CFG_CMD_LEN];
	long		ctf_weight;	/* default 1 */
	int		ctf_reverse;
	int		ctf_init;	/* init_file given */
	long		ctf_init_value;
	int		ctf_init_overwrite;
};

#define CFG_PARAM_EXACT		0
#define CFG_PARAM_PARTIAL	1
#define CFG_PARAM_INITIAL	2

/* vrrp_track_process (conftrack.c) */
struct cfg_tproc {
	char		ctp_name[CFG_NAME_LEN];
	char		ctp_proc[CFG_NAME_LEN * 4];	/* comm, or argv[0] */
	char		ctp_params[CFG_CMD_LEN];	/* NUL-separated */
	size_t		ctp_plen;
	int		ctp_nparams;
	int		ctp_param_match;	/* CFG_PARAM_* */
	int		ctp_has_param_match;
	int		ctp_full_command;
	int		ctp_quorum;	/* default 1 */
	int		ctp_quorum_max;	/* -1: no maximum */
	int		ctp_weight;
	int		ctp_reverse;
	uint64_t	ctp_fork_delay, ctp_terminate_delay;	/* usec */
};

/* accept mode (RFC 5798 6.1); config_check() resolves UNSET */
#define CFG_ACCEPT_UNSET	0
#define CFG_ACCEPT_YES		1
#define CFG_ACCEPT_NO		2

struct cfg_instance {
	char		ci_name[CFG_NAME_LEN];
	const char	*ci_file;
	int		ci_line;
	int		ci_state_master;	/* "state MASTER": a hint, see fsm */
	int		ci_smtp_alert;		/* 0 = global's, 1 on, 2 off */
	int		ci_notify_prio;		/* notify_priority_changes, too */
	char		ci_iface[IF_NAMESIZE];
	int		ci_vrid;
	int		ci_priority;
	int		ci_version;	/* 0 = global vrrp_version */
	uint64_t	ci_adver;	/* usec */
	int		ci_down_adverts;	/* down_timer_adverts, 0 = global */
	int		ci_unicast_ttl;		/* unicast_ttl, 0 = unset (255) */
	int		ci_old_csum;		/* old_unicast_checksum */
	int		ci_adver_cli;	/* set by --advert, not advert_int */
	int		ci_auth_type;
	char		ci_auth_pass[VRRP_AUTH_LEN + 1];
	int		ci_nopreempt;
	int		ci_dont_track_primary;	/* link down: no FAULT */
	int		ci_accept;	/* CFG_ACCEPT_* */
	int		ci_strict;	/* strict_mode: -1 = vrrp_strict's */
	uint64_t	ci_preempt_delay;
	uint64_t	ci_garp_delay;	/* usec */
	int		ci_garp_repeat;
	int		ci_has_garp_delay, ci_has_garp_repeat;	/* else global */
	/* garp_lower_prio_repeat: answering a lower priority master */
	int		ci_garp_lower_repeat;
	int		ci_has_garp_lower;	/* else the global one */
	/* garp_lower_prio_delay: usec to one more such round, 0 = none */
	uint64_t	ci_garp_lower_delay;
	int		ci_has_garp_lower_delay;	/* else the global one */
	/* check_unicast_src: drop unicast adverts from non-peers */
	int		ci_check_src;
	/* skip_check_adv_addr: a backup checks the VIPs of a new master only */
	int		ci_skip_adv_check;
	/* lower_prio_no_advert: no early advert for a lower master */
	int		ci_lower_no_advert;
	int		ci_has_lower_no_advert;	/* else the global one */
	uint64_t	ci_garp_refresh;	/* usec, 0 = none */
	int		ci_has_garp_refresh;	/* else the global one */
	uint64_t	ci_garp_extra;	/* garp_extra_if: usec, 0 = none */
	int		ci_garp_extra_all;	/* "all": not only VMACs */
	int		ci_has_garp_extra;	/* else the global one */
	int		ci_garp_refresh_repeat;	/* 0 = the global one */
	int		ci_family;	/* of the VIPs */
	struct cfg_vip	ci_vips[CFG_MAX_VIPS];
	int		ci_nvips;
	int		ci_has_src;
	union vrrp_addr	ci_src;
	union vrrp_addr	ci_peers[CFG_MAX_PEERS];
	int		ci_npeers;
	int		ci_peer_family;
	/* unicast_peer ADDR min_ttl N max_ttl N: its adverts' TTL range */
	int		ci_peer_ttl_set[CFG_MAX_PEERS];
	int		ci_peer_min_ttl[CFG_MAX_PEERS];
	int		ci_peer_max_ttl[CFG_MAX_PEERS];
	struct cfg_track ci_scripts[CFG_MAX_TRACKS];
	int		ci_nscripts;
	struct cfg_track ci_ifaces[CFG_MAX_TRACKS];
	int		ci_nifaces;
	struct cfg_notify ci_notify[CFG_NOTIFY_N];
	/* added and removed with the VIPs, never advertised */
	struct cfg_vip	ci_evips[CFG_MAX_EVIPS];
	int		ci_nevips;
	int		ci_group;	/* index in cf_groups, -1 = none */
	/* conftrack.c: track_file, track_process, use_vmac */
	struct cfg_track ci_tfiles[CFG_MAX_TRACKS];
	int		ci_ntfiles;
	struct cfg_track ci_tprocs[CFG_MAX_TRACKS];
	int		ci_ntprocs;
	int		ci_vmac;
	char		ci_vmac_name[IF_NAMESIZE];	/* "" = vrrp.VRID */
	int		ci_vmac_xmit_base;
	int		ci_vmac_addr;	/* use_vmac_addr */
	int		ci_promote;	/* promote_secondaries */
	/* notify_master_rx_lower_pri "CMD" [USER [GROUP]] */
	struct cfg_notify ci_notify_rx_lower;
	/* notify_deleted ["CMD" [USER [GROUP]]]: DELETED, not FAULT, when a
	 * reload drops the instance; the command runs too */
	int		ci_deleted;
	struct cfg_notify ci_notify_deleted;
	/* cfgnet.c: mcast_dst_ip (its family), and the group resolved */
	union vrrp_addr	ci_mcast_dst;
	int		ci_has_mcast_dst;
	union vrrp_addr	ci_mgroup;
	int		ci_has_mgroup;	/* else 224.0.0.18 / ff02::12 */
	int		ci_fault_no_peer;	/* unicast_fault_no_peer */
	int		ci_track_src_ip;	/* unicast_src_ip gone: FAULT */
	/* cfgroute.c / route.c: added with the VIPs, removed before them */
	struct cfg_route ci_routes[CFG_MAX_ROUTES];
	int		ci_nroutes;
	struct cfg_rule	ci_rules[CFG_MAX_RULES];
	int		ci_nrules;
};

/*
 * static_ipaddress, static_routes, static_rules (cfgstatic.c): added at
 * start whatever the VRRP state, removed at stop (vip.c, route.c).
 */
struct cfg_static {
	/* default_interface: where an address without dev goes, "" = eth0 */
	char		cst_dev[IF_NAMESIZE];
	struct cfg_vip	cst_vips[CFG_MAX_EVIPS];
	int		cst_nvips;
	struct cfg_route cst_routes[CFG_MAX_ROUTES];
	int		cst_nroutes;
	struct cfg_rule	cst_rules[CFG_MAX_RULES];
	int		cst_nrules;
};

/* keepalived's default_interface when the file sets none */
#define CFG_STATIC_DEV		"eth0"

/* vrrp_sync_group: instances that change state together (sync.c). */
struct cfg_group {
	char		cg_name[CFG_NAME_LEN];
	int		cg_smtp_alert;		/* 0 = global's, 1 on, 2 off */
	int		cg_notify_prio;		/* the members', the same */
	const char	*cg_file;
	int		cg_line;
	char		cg_members[CFG_MAX_INSTANCES][CFG_NAME_LEN];
	int		cg_nmembers;
	struct cfg_track cg_scripts[CFG_MAX_TRACKS];
	int		cg_nscripts;
	struct cfg_track cg_ifaces[CFG_MAX_TRACKS];
	int		cg_nifaces;
	int		cg_tracking_weight;	/* sync_group_tracking_weight */
	struct cfg_track cg_tfiles[CFG_MAX_TRACKS];	/* track_file */
	int		cg_ntfiles;
	struct cfg_track cg_tprocs[CFG_MAX_TRACKS];	/* track_process */
	int		cg_ntprocs;
	struct cfg_notify cg_notify[CFG_NOTIFY_N];
};

/* startup_script / shutdown_script (cfghook.c, hook.c) */
struct cfg_hook {
	char		ch_cmd[CFG_CMD_LEN];		/* "" = none */
	char		ch_user[CFG_NAME_LEN];
	char		ch_group[CFG_NAME_LEN];
	uint64_t	ch_timeout;			/* usec, 0 = 10 s */
	int		ch_line;			/* of the command */
	const char	*ch_file;
};

#define CFG_HOOK_STARTUP	0
#define CFG_HOOK_SHUTDOWN	1

/* notify_fifo / vrrp_notify_fifo (cfgfifo.c, fifo.c) */
struct cfg_fifo {
	char		cfi_path[CFG_CMD_LEN];		/* "" = none */
	char		cfi_user[CFG_NAME_LEN];		/* the FIFO's owner */
	char		cfi_group[CFG_NAME_LEN];
	char		cfi_script[CFG_CMD_LEN];	/* its reader, "" = none */
	char		cfi_script_user[CFG_NAME_LEN];
	char		cfi_script_group[CFG_NAME_LEN];
	int		cfi_line;			/* of the script */
	const char	*cfi_file;
};

#define CFG_FIFO_GLOBAL	0	/* notify_fifo */
#define CFG_FIFO_VRRP	1	/* vrrp_notify_fifo */

/* mail on state changes (cfgmail.c, smtp.c) */
#define CFG_MAX_MAILTO	16
#define CFG_ADDR_LEN	256
struct cfg_mail {
	char		cm_to[CFG_MAX_MAILTO][CFG_ADDR_LEN];
	int		cm_nto;
	char		cm_from[CFG_ADDR_LEN];	/* "" = keepalived@HOST */
	char		cm_helo[CFG_ADDR_LEN];	/* "" = the host name */
	union vrrp_addr	cm_server;
	int		cm_family;
	int		cm_port;
	int		cm_timeout;		/* seconds, 0 = 30 */
	int		cm_alert;		/* smtp_alert: 0 unset, 1, 2 off */
	int		cm_alert_vrrp;		/* smtp_alert_vrrp, the same */
	int		cm_no_faults;		/* no_email_faults */
};

struct config {
	char		cf_router_id[CFG_NAME_LEN];
	int		cf_version;		/* default 2, as keepalived */
	char		cf_script_user[CFG_NAME_LEN];
	char		cf_script_group[CFG_NAME_LEN];	/* "" = the user's */
	int		cf_script_security;
	int		cf_strict;		/* vrrp_strict */
	int		cf_no_local_igmp;	/* disable_local_igmp */
	char		cf_vmac_prefix[CFG_NAME_LEN];	/* vmac_prefix */
	char		cf_vmac_addr_prefix[CFG_NAME_LEN];	/* "" = the same */
	int		cf_mail;		/* smtp_server seen */
	uint64_t	cf_startup_delay;	/* vrrp_startup_delay, usec */
	uint64_t	cf_garp_refresh;	/* vrrp_garp_master_refresh */
	int		cf_garp_refresh_repeat;	/* ..._repeat, default 1 */
	uint64_t	cf_garp_extra;	/* vrrp_garp_extra_if, usec */
	int		cf_garp_extra_all;
	/* garp_group: usec between two gratuitous ARPs (NAs) on its links */
	struct cfg_garp_group {
		uint64_t	cgg_garp, cgg_gna;
		char		cgg_ifs[CFG_MAX_GARP_IFS][IF_NAMESIZE];
		int		cgg_nifs;
	}		cf_garp_groups[CFG_MAX_GARP_GROUPS];
	int		cf_ngarp_groups;
	/* vrrp_garp_interval, vrrp_gna_interval: usec, 0 unset */
	uint64_t	cf_garp_gap, cf_gna_gap;
	/* vrrp_garp_master_delay/_repeat: instances read them when made */
	uint64_t	cf_garp_delay;
	int		cf_garp_repeat;
	/* vrrp_garp_lower_prio_repeat, else vrrp_garp_master_repeat's */
	int		cf_garp_lower_repeat;
	int		cf_has_garp_lower;
	/* vrrp_garp_lower_prio_delay, else vrrp_garp_master_delay's */
	uint64_t	cf_garp_lower_delay;
	int		cf_has_garp_lower_delay;
	int		cf_check_src;		/* vrrp_check_unicast_src */
	int		cf_skip_adv_check;	/* vrrp_skip_check_adv_addr */
	int		cf_lower_no_advert;	/* vrrp_lower_prio_no_advert */
	/* what keepalived -t reports as an error yet runs: -t exits 3 */
	int		cf_nflagged;
	struct cfg_fifo	cf_fifo[2];	/* CFG_FIFO_* */
	int		cf_fifo_reload;	/* fifo_write_vrrp_states_on_reload */
	int		cf_notify_prio;	/* vrrp_notify_priority_changes: 1 on */
	int		cf_down_adverts;	/* vrrp_down_timer_adverts, 0 = 3 */
	struct cfg_hook	cf_hooks[2];	/* CFG_HOOK_* */
	int		cf_umask;	/* umask, -1 = the inherited one */
	struct cfg_mail	cf_mailcf;
	struct cfg_script cf_scripts[CFG_MAX_SCRIPTS];
	int		cf_nscripts;
	struct cfg_instance cf_inst[CFG_MAX_INSTANCES];
	int		cf_ninst;
	struct cfg_group cf_groups[CFG_MAX_GROUPS];
	int		cf_ngroups;
	struct cfg_tfile cf_tfiles[CFG_MAX_SCRIPTS];
	int		cf_ntfiles;
	struct cfg_tproc cf_tprocs[CFG_MAX_SCRIPTS];
	int		cf_ntprocs;
	/* vrrp_mcast_group4 / vrrp_mcast_group6 (cfgnet.c) */
	union vrrp_addr	cf_mcast4, cf_mcast6;
	int		cf_has_mcast4, cf_has_mcast6;
	struct cfg_static cf_static;
	/* file names seen, so instances can point at theirs */
	char		cf_files[65][256];
	/* @id lines and ${_INSTANCE}: -i/--config-id, else the host name */
	char		cf_config_id[CFG_NAME_LEN];
	/* top level "instance NAME"; "" none.  A reload cannot change it */
	char		cf_instance[CFG_NAME_LEN];
	int		cf_data_use_instance;	/* in the DATA file's name */
	int		cf_nfiles;
};

/*
 * Resolves "include PATTERN": called with idx 0, 1, ... until it returns
 * 0; each call that returns 1 sets *name, *buf and *len (owned by the
 * callback until config_parse returns).  -1 = error (message in err).
 */
typedef int (*config_include_fn)(void *arg, const char *pattern, int idx,
    const char **name, const char **buf, size_t *len, char *err, size_t errlen);

void	config_defaults(struct config *);
/*
 * Parses buf (named name) into cf, which config_defaults() prepared.
 * Returns the number of errors; err holds every error and warning line.
 */
int	config_parse(struct config *cf, const char *name, const char *buf,
	    size_t len, config_include_fn inc, void *arg, char *err,
	    size_t errlen);
/* Checks what the whole config needs (per instance); appends to err. */
int	config_check(struct config *cf, char *err, size_t errlen);
/* Parses "ADDR[/PLEN]"; 0 or -1. */
int	config_parse_vip(const char *s, struct cfg_vip *v);
int	config_parse_addr(const char *s, int *family, union vrrp_addr *a);
/* "vrrpd -t -v": each instance's settings, one line each (dump.c). */
void	config_dump(FILE *, const struct config *);
/*
 * conftrack.c: the track_file, vrrp_track_process and use_vmac keywords.
 * Each returns 1 when it took the statement, 0 when it is not its own.
 */
struct parser;
struct stmt;
int	conftrack_top(struct parser *, struct stmt *);
int	conftrack_inst(struct parser *, struct cfg_instance *, struct stmt *);
/* Their references by name; the number of errors, lines into err. */
int	conftrack_check(struct config *, char *err, size_t errlen);
/* A VMAC's name as keepalived makes it: PREFIX[SUFFIX].VRID, cut to fit */
void	vmac_name(char out[IF_NAMESIZE], const char *prefix,
	    const char *suffix, int vrid);
/* No packets to the VIPs while master: no_accept and not the owner. */
int	config_no_accept(const struct cfg_instance *);
/* The index in cf_inst of the instance of that name, or -1. */
int	config_inst_index(const struct config *, const char *name);

#endif
