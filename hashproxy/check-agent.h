/* SPDX-License-Identifier: ISC */
/*
 * haproxy's agent-check: a connection to a small agent on the server,
 * every agent-inter, whose one-line reply steers the server: its weight
 * ("75%"), its admin state ("ready", "drain", "maint") and its health
 * ("up"; "down", "fail", "stopped" with an optional "#reason").  It runs
 * beside the health check: the server is up when both say so.
 */
#ifndef HP_CHECK_AGENT_H
#define HP_CHECK_AGENT_H

#include <stddef.h>
#include <stdint.h>

/* What agent_parse made of the received bytes. */
enum agent_st {
	AG_SHORT,	/* no line end yet: wait for more */
	AG_PARTIAL,	/* the agent closed without ending its line */
	AG_LINE		/* a whole line: the words below */
};
enum agent_health { AH_NONE, AH_UP, AH_DOWN };
enum agent_admin { AA_NONE, AA_READY, AA_DRAIN, AA_MAINT };

/* A word of the reply: where it lies in the bytes parsed. */
struct agent_word {
	size_t	aw_off, aw_len;		/* aw_len 0: none */
};

struct agent_reply {
	enum agent_health ar_health;
	struct agent_word ar_hs;	/* the health word, as written */
	enum agent_admin ar_admin;	/* the last admin word */
	/* the last "N%" word: ar_pct the percentage (capped at 25600), or
	 * -1 with ar_wrn haproxy's complaint; ar_pct -2 no such word */
	long	ar_pct;
	const char *ar_wrn;
	struct agent_word ar_maxconn;	/* "maxconn:N": N */
	struct agent_word ar_err;	/* the first word not understood */
	struct agent_word ar_desc;	/* after "#", leading blanks skipped */
};

/* The agent's first line in buf (len bytes; eof: nothing more comes).
 * Pure: no I/O, no state. */
enum agent_st agent_parse(const char *buf, size_t len, int eof,
	    struct agent_reply *);

struct hp_server;
/* The agent's state of a server with agent-check (NULL: none). */
struct hp_agent {
	struct event	*a_timer;
	struct bufferevent *a_bev;
	uint64_t	 a_start, a_dur;	/* mono usec; a_start 0 idle */
	int		 a_conn;	/* this run reached the agent */
	char		 a_status[24];	/* haproxy's word: CHECKED, L7OK ... */
	int		 a_code;
	char		 a_desc[64];	/* the status's description */
	char		 a_info[256];	/* last_agt */
	int		 a_health;	/* agent-rise and -fall are 1: 0 or 1 */
};

void	agent_start(struct hp_server *);
/* agent-inter, else inter */
uint64_t agent_inter(const struct hp_server *);
/* Stops it; what it said last stays until agent_free (the server's end). */
void	agent_stop(struct hp_server *);
void	agent_free(struct hp_server *);
/* The agent lets the server be up: none, or its last word was not down. */
int	agent_up(const struct hp_server *);

#endif
