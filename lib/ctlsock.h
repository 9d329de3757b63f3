/* SPDX-License-Identifier: ISC */
/*
 * A control socket (DESIGN.md): a Unix stream socket, mode 0660, one text
 * command per line, every reply ending with an empty line.  The program
 * supplies only what a command does; the socket, its clients, bounded
 * lines, slow or vanished clients and descriptor exhaustion live here.
 * The program ignores SIGPIPE (a client may go away mid-reply).
 */
#ifndef HT_CTLSOCK_H
#define HT_CTLSOCK_H

#include <stddef.h>
#include <sys/types.h>

struct event_base;
struct evbuffer;
struct ctlsock;

/*
 * Runs one command (line without its end of line, NUL-terminated, len
 * bytes) and appends the reply to out; the empty line that ends a reply
 * is added by ctlsock.
 */
typedef void	ctlsock_cmd_fn(void *arg, char *line, size_t len,
		    struct evbuffer *out);

/*
 * One client as the program sees it: who it is (SO_PEERCRED, for the
 * log of commands that change state) and what the program keeps per
 * session (a privilege level, modes); ctlsock only sets cp_level from
 * ctlsock_conf.level at accept.
 */
struct ctlpeer {
	pid_t		 cp_pid;	/* -1 when the kernel did not say */
	uid_t		 cp_uid;
	gid_t		 cp_gid;
	int		 cp_level;
	int		 cp_flags;
};
typedef void	ctlsock_sess_fn(void *arg, struct ctlpeer *, char *line,
		    size_t len, struct evbuffer *out);

/* haproxy's stats socket defaults: `stats timeout 10s`, `stats maxconn 10` */
#define CTLSOCK_TIMEOUT		10
#define CTLSOCK_MAXCLIENTS	10

struct ctlsock_conf {
	const char	*path;
	size_t		 maxline;	/* longest command accepted */
	/* haproxy's stats dialect: one line, its reply, then close */
	int		 oneshot;
	/*
	 * haproxy's interactive mode: a "prompt" line toggles it; while on,
	 * a oneshot client stays, each reply is followed by "> ", and a
	 * "quit" line closes.
	 */
	int		 prompt;
	/* the reply to a longer line (without the ending empty line) */
	const char	*toolong;
	ctlsock_cmd_fn	*cmd;
	void		*arg;
	/* optional, used instead of cmd: the command with its client */
	ctlsock_sess_fn	*sesscmd;
	int		 level;		/* each client's first cp_level */
	/*
	 * A client that sends nothing for this many milliseconds is closed
	 * (0: CTLSOCK_TIMEOUT seconds); one that does not read its reply,
	 * too.
	 */
	int		 timeout_ms;
	/*
	 * Clients served at once (0: CTLSOCK_MAXCLIENTS); one more gets the
	 * line "busy" (NULL: a default text) and is closed at once.
	 */
	int		 maxclients;
	const char	*busy;
	/* the socket file's mode (0: 0660) and owner (-1: unchanged) */
	mode_t		 mode;
	int		 setowner;	/* uid and gid below are meant */
	uid_t		 uid;
	gid_t		 gid;
};

/*
 * Listens on conf->path.  A stale socket left by a dead process is
 * replaced; a path that is not a socket, or a socket another process
 * still answers on, is refused.  Returns NULL with err filled.
 */
struct ctlsock	*ctlsock_open(struct event_base *, const struct ctlsock_conf *,
		    char *err, size_t errlen);
/* Stops listening, drops every client and removes the socket file. */
void		 ctlsock_close(struct ctlsock *);
/* Clients connected right now (for tests and status lines). */
int		 ctlsock_clients(const struct ctlsock *);

#endif
