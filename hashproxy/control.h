/* Stats/control socket commands (haproxy's dialect, a subset). */
#ifndef HP_CONTROL_H
#define HP_CONTROL_H

#include <stddef.h>

#include "config.h"

enum ctl_op { CTL_HELP, CTL_SHOW_STAT, CTL_SHOW_INFO, CTL_SHOW_SERVERS,
    CTL_ENABLE, CTL_DISABLE, CTL_SET_STATE, CTL_QUIT };

struct ctl_cmd {
	enum ctl_op	cc_op;
	char		cc_backend[CF_NAMELEN];
	char		cc_server[CF_NAMELEN];
	int		cc_state;	/* enum srv_admin for CTL_SET_STATE */
};

/* Parses one command (no newline); 0, or -1 with a message in err. */
int	control_parse(const char *buf, size_t len, struct ctl_cmd *,
	    char *err, size_t errlen);

#endif
