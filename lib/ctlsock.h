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
