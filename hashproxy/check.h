/* SPDX-License-Identifier: ISC */
/*
 * Between check.c (scheduling, connections, rise/fall) and the protocol
 * files: check-tcp.c (tcp-check rules, and the pgsql, mysql and redis
 * checks written as rules, as haproxy does) and check-http.c (option
 * httpchk and the http-check rules).  All run in the main thread under the
 * context's lock.
 */
#ifndef HP_CHECK_H
#define HP_CHECK_H

#include "hashproxy.h"

/* haproxy's tune.bufsize: what a check reads at most */
#define CHECK_MAXBUF	16384

/* Ends the running check: ok (1 passed, 0 failed, CHECK_CONDPASS passed
 * but the server asks to stop: a 404 under disable-on-404), haproxy's
 * status word, code, description. */
#define CHECK_CONDPASS	2
/* s_chk_dur of a result no check timed (HANA): haproxy's -1 */
#define CHECK_NODUR	UINT64_MAX
void	check_done(struct hp_server *, int ok, const char *status, int code,
	    const char *desc);
/* A check has started and not ended yet: haproxy's "* " in show stat. */
int	check_running(const struct hp_server *);
/* (Re)connects the check as a connect rule says (NULL: the defaults:
 * the check port or the server's, the server's address). */
int	check_connect(struct hp_server *, const struct cf_chkrule *);
/* Sends the PROXY header of the check's connection (send-proxy). */
int	check_send_proxy(struct hp_server *);
/* The first run of s's check (agent 0) or agent (1) at start: how long
 * after, as haproxy 2.6 spreads them. */
uint64_t check_first_delay(const struct hp_server *, int agent);
/* Runs fn(s) under the context's lock (an event's callback). */
void	check_under_lock(struct hp_server *,
	    void (*fn)(struct hp_server *));

/* What a protocol does with its rules; check.c runs them in order. */
struct check_proto {
	/* the last rule passed */
	void	(*cp_passed)(struct hp_server *);
	/* a send or an expect rule: 0 go on, 1 it waits or ended the check */
	int	(*cp_rule)(struct hp_server *, const struct cf_chkrule *);
	/* a connect rule's PROXY line (send-proxy) could not be written */
	void	(*cp_sockerr)(struct hp_server *);
};
/* Runs the rules from the first, or from s_chk_step on. */
void	check_rules_run(struct hp_server *, const struct check_proto *);
void	check_rules_step(struct hp_server *, const struct check_proto *);
/* Appends a rule (no data, no minimum to receive) to s_chk_rules. */
struct cf_chkrule *check_rule_add(struct hp_server *, enum cf_act);

/* check-tcp.c */
extern const struct check_proto tcpcheck_proto;
int	tcpcheck_build(struct hp_server *);
void	tcpcheck_error(struct hp_server *, short what);

/* check-http.c */
extern const struct check_proto httpcheck_proto;
void	httpcheck_build(struct hp_server *);
void	httpcheck_read(struct hp_server *, int eof);
const char *httpcheck_tout(const struct hp_server *);

/* check-match.c: the expect matchers both share */
int	check_match(const struct cf_chkrule *, const unsigned char *buf,
	    size_t len);
int	check_status_in(const char *list, int code);
int	check_hmatch(enum cf_hmatch, const char *pat, const char *s,
	    size_t len, int icase);

#endif
