/*
 * The control socket's command parser: pure, bounded, fuzzable.  Words
 * are separated by blanks; "B/S" names a server as haproxy writes it.
 */
#include <stdio.h>
#include <string.h>

#include "control.h"
#include "hashproxy.h"

#define CTL_MAXWORDS	8
#define CTL_MAXLINE	1024

static int
control_words(const char *buf, size_t len, char store[CTL_MAXLINE + 1],
    char **w)
{
	size_t i;
	int n = 0, in = 0;

	if (len > CTL_MAXLINE)
		return -1;
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\0')
			return -1;
		if (c == ' ' || c == '\t' || c == '\r') {
			store[i] = '\0';
			in = 0;
			continue;
		}
		store[i] = c;
		if (!in) {
			if (n == CTL_MAXWORDS)
				return -1;
			w[n++] = &store[i];
			in = 1;
		}
	}
	store[len] = '\0';
	return n;
}

static int
control_server(const char *arg, struct ctl_cmd *cmd, char *err, size_t errlen)
{
	const char *slash = strchr(arg, '/');
	size_t bl;

	if (slash == NULL || slash == arg || slash[1] == '\0') {
		snprintf(err, errlen, "Require 'backend/server'.");
		return -1;
	}
	bl = (size_t)(slash - arg);
	if (bl >= sizeof(cmd->cc_backend) ||
	    strlen(slash + 1) >= sizeof(cmd->cc_server)) {
		snprintf(err, errlen, "No such server.");
		return -1;
	}
	memcpy(cmd->cc_backend, arg, bl);
	cmd->cc_backend[bl] = '\0';
	snprintf(cmd->cc_server, sizeof(cmd->cc_server), "%s", slash + 1);
	return 0;
}

int
control_parse(const char *buf, size_t len, struct ctl_cmd *cmd, char *err,
    size_t errlen)
{
	char store[CTL_MAXLINE + 1], *w[CTL_MAXWORDS];
	int n;

	memset(cmd, 0, sizeof(*cmd));
	n = control_words(buf, len, store, w);
	if (n < 0) {
		snprintf(err, errlen, "Command too long.");
		return -1;
	}
	if (n == 0 || strcmp(w[0], "help") == 0) {
		cmd->cc_op = CTL_HELP;
		return 0;
	}
	if (n == 1 && strcmp(w[0], "quit") == 0) {
		cmd->cc_op = CTL_QUIT;
		return 0;
	}
	if (strcmp(w[0], "show") == 0 && n >= 2) {
		if (strcmp(w[1], "stat") == 0 && n == 2) {
			cmd->cc_op = CTL_SHOW_STAT;
			return 0;
		}
		if (strcmp(w[1], "info") == 0 && n == 2) {
			cmd->cc_op = CTL_SHOW_INFO;
			return 0;
		}
		if (strcmp(w[1], "servers") == 0 && n >= 3 && n <= 4 &&
		    strcmp(w[2], "state") == 0) {
			cmd->cc_op = CTL_SHOW_SERVERS;
			if (n == 4 && strlen(w[3]) >= sizeof(cmd->cc_backend)) {
				snprintf(err, errlen, "Can't find backend.");
				return -1;
			}
			if (n == 4)
				snprintf(cmd->cc_backend,
				    sizeof(cmd->cc_backend), "%s", w[3]);
			return 0;
		}
	}
	if ((strcmp(w[0], "enable") == 0 || strcmp(w[0], "disable") == 0) &&
	    n == 3 && strcmp(w[1], "server") == 0) {
		cmd->cc_op = w[0][0] == 'e' ? CTL_ENABLE : CTL_DISABLE;
		return control_server(w[2], cmd, err, errlen);
	}
	if (strcmp(w[0], "set") == 0 && n == 5 && strcmp(w[1], "server") == 0 &&
	    strcmp(w[3], "state") == 0) {
		cmd->cc_op = CTL_SET_STATE;
		if (strcmp(w[4], "ready") == 0)
			cmd->cc_state = ADM_READY;
		else if (strcmp(w[4], "drain") == 0)
			cmd->cc_state = ADM_DRAIN;
		else if (strcmp(w[4], "maint") == 0)
			cmd->cc_state = ADM_MAINT;
		else {
			snprintf(err, errlen, "'set server <srv> state' "
			    "expects 'ready', 'drain' and 'maint'.");
			return -1;
		}
		return control_server(w[2], cmd, err, errlen);
	}
	snprintf(err, errlen, "Unknown command. Please enter one of the "
	    "following commands only :");
	return -1;
}
