/* SPDX-License-Identifier: ISC */
/*
 * Grammar pieces kept out of config.c: the virtual_ipaddress lines
 * (cfgvip.c) and vrrp_sync_group (cfgsync.c), over parse.h's statements.
 */
#ifndef VRRPD_CFGEXT_H
#define VRRPD_CFGEXT_H

#include "config.h"
#include "parse.h"

/* The lines of a virtual_ipaddress{,_excluded} block into list[*n]. */
void	p_vip_block(struct parser *, const struct stmt *open,
	    struct cfg_vip *list, int *n, int max);
/* virtual_routes / virtual_rules blocks (cfgroute.c); 1 = taken */
int	cfgroute_inst(struct parser *, struct cfg_instance *, struct stmt *);
/* static_routes / static_rules blocks into st; 1 = taken */
int	cfgroute_static(struct parser *, struct cfg_static *, struct stmt *);
/* cfgstatic.c: the static_* blocks at the top level; 1 = taken */
int	cfgstatic_top(struct parser *, struct stmt *);
/* cfgnet.c: vrrp_mcast_group4/6, mcast_dst_ip; 1 = taken */
int	cfgnet_global(struct parser *, struct stmt *);
/* garp_group { } at the top level: 1 when it took the statement */
int	cfgnet_top(struct parser *, struct stmt *);
int	cfgnet_inst(struct parser *, struct cfg_instance *, struct stmt *);
/* Resolves each instance's group; the number of errors (lines in err). */
int	cfgnet_check(struct config *, char *err, size_t errlen);
/* vrrp_sync_group NAME { ... } */
void	p_sync_group(struct parser *, const struct stmt *head);
/* config.c: "NAME [weight N [reverse|noreverse]]" lines, a notify command */
void	p_tracks(struct parser *, struct cfg_track *, int *n,
	    const struct stmt *open);
void	p_notify(struct parser *, const struct stmt *, char *out,
	    char *user, char *group);
int	p_notify_kw(struct parser *, const struct stmt *, const char *kw,
	    struct cfg_notify nt[CFG_NOTIFY_N]);
/* cfgfifo.c: notify_fifo and its kin in global_defs; 0 = not one */
int	p_global_fifo(struct parser *, const struct stmt *);
/* cfghook.c: startup_script, shutdown_script (+ _timeout); 0 = not one */
int	p_global_hook(struct parser *, const struct stmt *);
/* cfgmail.c: mail settings in global_defs; 0 = not one */
int	p_global_mail(struct parser *, const struct stmt *);
int	p_mail_bool(struct parser *, const struct stmt *, int *);
/* 1 if an instance or group with this smtp_alert (0, 1, 2) mails */
int	cfg_mail_wanted(const struct config *, int own);
int	cfg_mail_alert(const struct config *, int own);
/* cfgcheck.c's part for groups: membership, tracks, weights. */
int	config_check_groups(struct config *, char *err, size_t errlen);

#endif
