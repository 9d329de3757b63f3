/* SPDX-License-Identifier: ISC */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "ctlsock.h"
#include "tap.h"

static struct event_base *base;
static int ncmds;

/* The program's part: echo the command back, "big" answers at length. */
static void
echo_cmd(void *arg, char *line, size_t len, struct evbuffer *out)
{
	ncmds++;
	if (strcmp(line, "big") == 0) {
		for (int i = 0; i < 100000; i++)
			evbuffer_add_printf(out, "line %d\n", i);
		return;
	}
	evbuffer_add_printf(out, "%s got %s len=%zu\n", (char *)arg, line,
	    len);
}

/* With its client: who it is and the level the program keeps. */
static void
peer_cmd(void *arg, struct ctlpeer *p, char *line, size_t len,
    struct evbuffer *out)
{
	if (strcmp(line, "down") == 0)
		p->cp_level--;
	evbuffer_add_printf(out, "pid=%d uid=%d level=%d\n", (int)p->cp_pid,
	    (int)p->cp_uid, p->cp_level);
}

static int
dial(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(s);
		return -1;
	}
	return s;
}

/*
 * Runs the loop until the client has read a reply ending in an empty
 * line (or the end of the stream); returns what it read.
 */
static char *
reply(int s, int want_eof)
{
	static char buf[8192];
	size_t len = 0;
	ssize_t n;

	for (int turns = 0; turns < 100000; turns++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		n = recv(s, buf + len, sizeof(buf) - 1 - len, MSG_DONTWAIT);
		if (n > 0)
			len += (size_t)n;
		buf[len] = '\0';
		if (n == 0)
			return buf;
		if (!want_eof && len >= 2 && strcmp(buf + len - 2, "\n\n") == 0)
			return buf;
		if (len == sizeof(buf) - 1)
			return buf;
		usleep(100);
	}
	return buf;
}

static int
send_str(int s, const char *str)
{
	return send(s, str, strlen(str), MSG_NOSIGNAL) == (ssize_t)strlen(str);
}

int
main(void)
{
	char dir[] = "/tmp/ht-ctlsock-XXXXXX", path[64], other[64];
	char err[256], longline[600];
	struct ctlsock_conf cf = {
		.maxline = 512, .toolong = "error: command too long",
		.cmd = echo_cmd, .arg = "srv",
	};
	struct ctlsock *cs, *cs2;
	struct stat st;
	int s, fd;

	signal(SIGPIPE, SIG_IGN);	/* as every daemon using ctlsock */
	base = event_base_new();
	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/ctl", dir);
	cf.path = path;

	cs = ctlsock_open(base, &cf, err, sizeof(err));
	ok(cs != NULL, "opens a control socket");
	ok(stat(path, &st) == 0 && S_ISSOCK(st.st_mode), "the path is a socket");
	is_int(st.st_mode & 0777, 0660, "mode 0660");

	s = dial(path);
	ok(s != -1 && send_str(s, "status\n"), "a client connects and sends");
	is_str(reply(s, 0), "srv got status len=6\n\n",
	    "the reply ends with an empty line");
	ok(send_str(s, "a\r\nb\n"), "two commands in one write, CRLF");
	is_str(reply(s, 0), "srv got a len=1\n\nsrv got b len=1\n\n",
	    "two replies, in order");

	memset(longline, 'x', sizeof(longline) - 2);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	ok(send_str(s, longline), "a line longer than maxline");
	is_str(reply(s, 0), "error: command too long\n\n",
	    "is refused with the configured line");
	ok(send_str(s, "after\n"), "the client goes on");
	is_str(reply(s, 0), "srv got after len=5\n\n", "and is still served");

	/* 600 bytes with no end of line, more to follow */
	ok(send(s, longline, sizeof(longline) - 2, MSG_NOSIGNAL) > 0,
	    "a line that does not end");
	is_str(reply(s, 0), "error: command too long\n\n",
	    "a line with no end in sight is refused once");
	ok(send_str(s, "tail\nnext\n"), "its tail, then a command");
	is_str(reply(s, 0), "srv got next len=4\n\n",
	    "the tail is skipped, the next command served");
	is_int(ctlsock_clients(cs), 1, "one client connected");

	ok(send_str(s, "last") && shutdown(s, SHUT_WR) == 0,
	    "a last command without newline, then the client's EOF");
	is_str(reply(s, 1), "srv got last len=4\n\n",
	    "still gets its reply, then the end of the stream");
	close(s);
	event_base_loop(base, EVLOOP_NONBLOCK);
	is_int(ctlsock_clients(cs), 0, "the client is gone");

	/* a client that asks for a lot and goes away mid-reply */
	s = dial(path);
	ncmds = 0;
	ok(send_str(s, "big\nbig\nbig\n"), "three large requests");
	event_base_loop(base, EVLOOP_NONBLOCK);
	ok(ncmds < 3, "output past the bound pauses reading the client");
	close(s);
	for (int i = 0; i < 10 && ctlsock_clients(cs) > 0; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	is_int(ctlsock_clients(cs), 0, "a vanished client is freed");

	cs2 = ctlsock_open(base, &cf, err, sizeof(err));
	ok(cs2 == NULL && strstr(err, "another process is listening") != NULL,
	    "a live socket is not stolen");

	snprintf(other, sizeof(other), "%s/file", dir);
	fd = open(other, O_CREAT | O_WRONLY, 0600);
	close(fd);
	cf.path = other;
	cs2 = ctlsock_open(base, &cf, err, sizeof(err));
	ok(cs2 == NULL && strstr(err, "not a socket") != NULL,
	    "a regular file at the path is refused");
	ok(access(other, F_OK) == 0, "and left alone");
	unlink(other);

	{	/* a socket file nobody listens on: a dead daemon's */
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		int d = socket(AF_UNIX, SOCK_STREAM, 0);

		memcpy(sun.sun_path, other, strlen(other) + 1);
		ok(bind(d, (struct sockaddr *)&sun, sizeof(sun)) == 0,
		    "a stale socket file");
		close(d);
	}
	cf.oneshot = 1;
	cf.prompt = 1;
	cs2 = ctlsock_open(base, &cf, err, sizeof(err));
	ok(cs2 != NULL, "a stale socket is replaced");
	s = dial(other);
	ok(send_str(s, "show stat\nsecond\n"), "one-shot: two lines sent");
	is_str(reply(s, 1), "srv got show stat len=9\n\n",
	    "one-shot: one reply, then the socket is closed");
	close(s);
	s = dial(other);
	ok(send_str(s, longline), "one-shot: an over-long line");
	is_str(reply(s, 1), "error: command too long\n\n",
	    "is refused and the socket closed");
	close(s);
	s = dial(other);
	ok(send_str(s, "prompt\na\nb\nquit\nc\n"),
	    "prompt, two commands, quit, one more");
	is_str(reply(s, 1), "\n> srv got a len=1\n\n> srv got b len=1\n\n> ",
	    "interactive: the client stays, '> ' after each answer, quit "
	    "closes");
	close(s);
	s = dial(other);
	ok(send_str(s, "prompt\nprompt\nc\n"), "prompt twice");
	is_str(reply(s, 1), "\n> \n", "the second ends interactive mode");
	close(s);
	ctlsock_close(cs2);
	ok(access(other, F_OK) == -1, "close removes the socket file");

	cf.path = "/tmp/a-path-that-is-far-too-long-for-a-unix-socket-address-"
	    "because-sun-path-holds-only-108-bytes-xxxxxxxxxxxxxxxxxxxxxxxx";
	cs2 = ctlsock_open(base, &cf, err, sizeof(err));
	ok(cs2 == NULL && strstr(err, "too long") != NULL,
	    "a path longer than sun_path is refused");

	ctlsock_close(cs);
	ok(access(path, F_OK) == -1, "the first socket is removed too");

	{	/* idle timeout, a cap on clients, peer credentials, mode */
		struct ctlsock_conf pc = {
			.path = other, .maxline = 512, .toolong = "too long",
			.sesscmd = peer_cmd, .level = 3, .timeout_ms = 1000,
			.maxclients = 2, .mode = 0600,
		};
		char want[64];
		int a, b, c;
		time_t t0;

		cs2 = ctlsock_open(base, &pc, err, sizeof(err));
		ok(cs2 != NULL, "a socket with a 1s idle timeout, 2 clients");
		ok(stat(other, &st) == 0 && (st.st_mode & 0777) == 0600,
		    "its mode is the one asked");
		a = dial(other);
		b = dial(other);
		for (int i = 0; i < 100 && ctlsock_clients(cs2) < 2; i++)
			event_base_loop(base, EVLOOP_NONBLOCK);
		c = dial(other);
		is_str(reply(c, 1), "Too many clients on this socket (at most "
		    "2); try again later.\n\n",
		    "a third client gets one line and the end of the stream");
		close(c);
		snprintf(want, sizeof(want), "pid=%d uid=%d level=3\n\n",
		    (int)getpid(), (int)getuid());
		ok(send_str(b, "who\n"), "the second client asks");
		is_str(reply(b, 0), want, "is served, with its pid and uid");
		ok(send_str(b, "down\n"), "lowers its own level");
		snprintf(want, sizeof(want), "pid=%d uid=%d level=2\n\n",
		    (int)getpid(), (int)getuid());
		is_str(reply(b, 0), want, "the level is the session's");
		t0 = time(NULL);
		is_str(reply(a, 1), "", "the silent first client is closed");
		ok(time(NULL) - t0 <= 3, "after about the timeout");
		close(a);
		close(b);
		for (int i = 0; i < 100 && ctlsock_clients(cs2) > 0; i++)
			event_base_loop(base, EVLOOP_NONBLOCK);
		ctlsock_close(cs2);
	}
	rmdir(dir);
	event_base_free(base);
	done_testing();
}
