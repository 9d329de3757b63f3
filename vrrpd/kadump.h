/* SPDX-License-Identifier: ISC */
/*
 * keepalived's state files, written on keepalived's signals so that its
 * exporters and scripts read vrrpd: keepalived.data (DATA, SIGUSR1;
 * keepalived.NAME.data with data_use_instance and "instance NAME"),
 * keepalived.stats (STATS, SIGUSR2), keepalived.json (JSON), in /tmp or
 * an absolute $TMPDIR.
 */
#ifndef VRRPD_KADUMP_H
#define VRRPD_KADUMP_H

struct vrrpd;

#define KADUMP_DATA	"keepalived.data"
#define KADUMP_STATS	"keepalived.stats"
#define KADUMP_JSON	"keepalived.json"

/* keepalived --signum=NAME's number, -1 for a name it does not know. */
int	kadump_signum(const char *name);
/* Each file replaced whole (mode 0600, as keepalived); failures logged. */
void	kadump_data(const struct vrrpd *);
void	kadump_stats(const struct vrrpd *);
void	kadump_json(const struct vrrpd *);

#endif
