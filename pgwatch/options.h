/* SPDX-License-Identifier: ISC */
/* pgwatch's command line (options.c); args.c parses the values. */
#ifndef PGWATCH_OPTIONS_H
#define PGWATCH_OPTIONS_H

#include <stdint.h>

#include "pgwatch.h"

/* -H, -p: comma lists, also given more than once. */
struct list {
	char	*l_v[PGW_MAXHOSTS];
	int	 l_n;
};

struct targets {
	struct list	 t_hosts;
	struct list	 t_ports;
	const char	*t_dbname;
	const char	*t_dbuser;
	char		*t_info[PGW_MAXHOSTS];	/* the conninfos made */
	int		 t_ninfo;
};

/* What the command line says beside the struct pgw it fills. */
struct pgw_opts {
	const char	*o_listen;	/* --http, checked when bound */
	const char	*o_metrics;	/* --metrics, checked */
	const char	*o_pidfile;
	uint64_t	 o_connect_to;	/* usec */
	uint64_t	 o_query_to;
	int		 o_json;
	int		 o_nagios;
	int		 o_syslog;
	struct targets	 o_t;
	char		**o_conninfo;	/* the hosts' conninfos */
	int		 o_nhosts;
};

/* Fills p and o; exits on -h, -V and any usage error (64, --nagios 3). */
void	options_parse(struct pgw *p, struct pgw_opts *o, int argc,
	    char **argv);
void	options_free(struct pgw_opts *o);

#endif
