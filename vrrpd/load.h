/* SPDX-License-Identifier: ISC */
/*
 * Where a configuration comes from: keepalived.conf (includes resolved
 * with glob(3) relative to the main file) or the command line alone.
 */
#ifndef VRRPD_LOAD_H
#define VRRPD_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct load_opts {
	const char	*lo_file;	/* -f; NULL = command-line instance */
	const char	*lo_config_id;	/* -i with -f, --config-id */
	/* the command-line instance (-i ...), exclusive with -f */
	const char	*lo_iface;
	const char	*lo_name;
	int		 lo_vrid;
	const char	*lo_vips[CFG_MAX_VIPS];
	int		 lo_nvips;
	const char	*lo_peers[CFG_MAX_PEERS];
	int		 lo_npeers;
	const char	*lo_src;
	/* for every instance, over what the file says */
	int		 lo_priority;
	const char	*lo_auth_pass;
	const char	*lo_advert;
	int		 lo_version;
	int		 lo_nopreempt;
	const char	*lo_preempt_delay;
	int		 lo_accept;		/* CFG_ACCEPT_* */
	const char	*lo_garp_refresh;
	int		 lo_garp_refresh_repeat;
	/* tracks, added to every instance */
	const char	*lo_track;
	const char	*lo_track_interval;
	const char	*lo_track_timeout;
	int		 lo_track_weight;
	int		 lo_track_fd;	/* -1 = none */
	const char	*lo_notify;
};

/* Loads and checks; NULL with every message in err on failure. */
struct config	*load_config(const struct load_opts *, char *err,
		    size_t errlen);
/* Logs each line of load_config's messages (cuts msgs up). */
void		 load_log(char *msgs);

#endif
