/* SPDX-License-Identifier: ISC */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"
#include "tap.h"

int
main(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char path[] = "/tmp/ht-notify-XXXXXX", sock[96], msg[64], num[16];
	int s, p[2];
	ssize_t n;

	ok(notify_readyfd_parse("0") == -1, "ready-fd 0 is refused (below 3)");
	ok(notify_readyfd_parse("2") == -1, "ready-fd 2 is refused");
	ok(notify_readyfd_parse("x") == -1, "ready-fd must be a number");
	ok(notify_readyfd_parse("999") == -1, "ready-fd must be open");
	ok(pipe(p) == 0, "pipe");
	while (p[1] < 3) {	/* make sure the write end is >= 3 */
		int d = dup(p[1]);
		p[1] = d;
	}
	snprintf(num, sizeof(num), "%d", p[1]);
	is_int(notify_readyfd_parse(num), p[1], "an open fd >= 3 is accepted");
	notify_ready(p[1]);
	n = read(p[0], msg, sizeof(msg));
	ok(n == 1 && msg[0] == '\n', "ready-fd gets one newline");
	ok(fcntl(p[1], F_GETFD) == -1, "and is closed afterwards");
	n = read(p[0], msg, sizeof(msg));
	is_int(n, 0, "reader sees end of file");

	ok(mkdtemp(path) != NULL, "temp dir");
	snprintf(sock, sizeof(sock), "%s/notify", path);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	ok(bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0, "bind notify socket");
	setenv("NOTIFY_SOCKET", sock, 1);
	notify_ready(-1);
	n = recv(s, msg, sizeof(msg) - 1, 0);
	msg[n > 0 ? n : 0] = '\0';
	is_str(msg, "READY=1", "READY=1 on $NOTIFY_SOCKET");
	notify_status("%d servers up", 3);
	n = recv(s, msg, sizeof(msg) - 1, 0);
	msg[n > 0 ? n : 0] = '\0';
	is_str(msg, "STATUS=3 servers up", "STATUS= line");
	notify_stopping();
	n = recv(s, msg, sizeof(msg) - 1, 0);
	msg[n > 0 ? n : 0] = '\0';
	is_str(msg, "STOPPING=1", "STOPPING=1");

	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "3000000", 1);
	is_int(notify_watchdog_usec(), 3000000, "watchdog period read");
	setenv("WATCHDOG_PID", "1", 1);
	is_int(notify_watchdog_usec(), 0, "watchdog meant for another pid ignored");
	unsetenv("NOTIFY_SOCKET");
	is_int(notify_send("READY=1"), 0, "no NOTIFY_SOCKET: nothing to do");
	close(s);
	unlink(sock);
	rmdir(path);
	return done_testing();
}
