/* SPDX-License-Identifier: ISC */
/*
 * "vrrpd -t -v": the settings each instance ends up with, one line each,
 * after $NAME, @id and the command line did their work, so a migration
 * can be compared with keepalived's --dump-conf.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

#include "config.h"

void
config_dump(FILE *f, const struct config *cf)
{
	const struct cfg_instance *in;
	char a[INET6_ADDRSTRLEN];
	int i, j;

	for (i = 0; i < cf->cf_ninst; i++) {
		in = &cf->cf_inst[i];
		fprintf(f, "instance %s interface=%s vrid=%d priority=%d "
		    "advert_usec=%llu version=%d state=%s preempt=%s "
		    "dont_track_primary=%d vips=", in->ci_name, in->ci_iface,
		    in->ci_vrid, in->ci_priority,
		    (unsigned long long)in->ci_adver, in->ci_version,
		    in->ci_state_master ? "MASTER" : "BACKUP",
		    in->ci_nopreempt ? "no" : "yes", in->ci_dont_track_primary);
		for (j = 0; j < in->ci_nvips; j++) {
			inet_ntop(in->ci_vips[j].cv_family, &in->ci_vips[j].cv_addr,
			    a, sizeof(a));
			fprintf(f, "%s%s/%u", j ? "," : "", a,
			    in->ci_vips[j].cv_plen);
		}
		fprintf(f, "\n");
	}
}
