/* SPDX-License-Identifier: ISC */
/*
 * smtp_alert: a mail for each state change, as keepalived 2.2.7 sends
 * them ("[ROUTER_ID] VRRP Instance NAME - Entering STATE state").  The
 * client is a small non-blocking SMTP dialogue on the engine's loop:
 * HELO, MAIL FROM, RCPT TO each recipient, DATA, QUIT, every reply
 * checked.  Mails wait in a bounded queue and go one at a time; a full
 * queue drops the new mail with a warning, and smtp_connect_timeout
 * bounds each whole exchange.  Nothing here may delay the state
 * machine: a failure is one log line and the mail is dropped.
 *
 * As keepalived, an instance or group is never mailed the state it was
 * last mailed; with no_email_faults FAULT is not mailed, so the way back
 * to the state before it is not either (BACKUP, FAULT, BACKUP: one mail).
 */
#include <sys/socket.h>
#include <sys/utsname.h>

#include <netinet/in.h>

#include <pwd.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfgext.h"
#include "log.h"
#include "vrrpd.h"

#define SMTP_QMAX	64
#define SMTP_LINEMAX	4096	/* a reply line longer than this fails */

enum smtp_step {
	SM_IDLE, SM_GREET, SM_HELO, SM_FROM, SM_RCPT, SM_DATA, SM_BODY, SM_QUIT
};

struct smtp {
	struct vrrpd	*sm_d;
	char		*sm_q[SMTP_QMAX];	/* whole messages, headers on */
	char		*sm_subj[SMTP_QMAX];	/* for the log lines */
	int		 sm_head, sm_n;
	struct bufferevent *sm_bev;
	struct event	*sm_timer;
	enum smtp_step	 sm_step;
	int		 sm_rcpt;		/* next recipient */
	struct cfg_mail	 sm_cf;			/* of the mail in flight */
	struct smtp_last *sm_last;
};

/* The state an instance or group was last mailed. */
struct smtp_last {
	struct smtp_last *sl_next;
	char		 sl_state[8];
	char		 sl_kind[16];
	char		 sl_name[];
};

static void	smtp_next(struct smtp *);

/* keepalived's default sender: the user it runs as @ the host name */
static char	smtp_from[CFG_ADDR_LEN] = "root@localhost";

static const char *
smtp_host(void)
{
	static struct utsname u;

	if (u.nodename[0] == '\0' && uname(&u) == -1)
		snprintf(u.nodename, sizeof(u.nodename), "localhost");
	return u.nodename;
}

/* Ends the exchange in flight (ok or not) and starts the next one. */
static void
smtp_done(struct smtp *sm, const char *fail)
{
	if (fail != NULL)
		log_warnx("smtp_alert: \"%s\" not sent: %s",
		    sm->sm_subj[sm->sm_head], fail);
	else
		log_info("smtp_alert: \"%s\" sent", sm->sm_subj[sm->sm_head]);
	if (sm->sm_bev != NULL)
		bufferevent_free(sm->sm_bev);
	sm->sm_bev = NULL;
	evtimer_del(sm->sm_timer);
	free(sm->sm_q[sm->sm_head]);
	free(sm->sm_subj[sm->sm_head]);
	sm->sm_q[sm->sm_head] = sm->sm_subj[sm->sm_head] = NULL;
	sm->sm_head = (sm->sm_head + 1) % SMTP_QMAX;
	sm->sm_n--;
	sm->sm_step = SM_IDLE;
	smtp_next(sm);
}

static void
smtp_send(struct smtp *sm, enum smtp_step next, const char *cmd,
    const char *arg, const char *end)
{
	sm->sm_step = next;
	evbuffer_add_printf(bufferevent_get_output(sm->sm_bev), "%s%s%s",
	    cmd, arg, end);
}

/* The next command for a final reply of code to step's command. */
static const char *
smtp_reply(struct smtp *sm, int code)
{
	const struct cfg_mail *m = &sm->sm_cf;

	switch (sm->sm_step) {
	case SM_GREET:
		if (code != 220)
			return "server greeting refused";
		smtp_send(sm, SM_HELO, "HELO ",
		    m->cm_helo[0] ? m->cm_helo : smtp_host(), "\r\n");
		break;
	case SM_HELO:
		if (code != 250)
			return "HELO refused";
		smtp_send(sm, SM_FROM, "MAIL FROM:<", m->cm_from, ">\r\n");
		break;
	case SM_FROM:
		if (code != 250)
			return "MAIL FROM refused";
		sm->sm_rcpt = 0;
		smtp_send(sm, SM_RCPT, "RCPT TO:<", m->cm_to[0], ">\r\n");
		break;
	case SM_RCPT:
		if (code != 250 && code != 251)
			return "RCPT TO refused";
		if (++sm->sm_rcpt < m->cm_nto)
			smtp_send(sm, SM_RCPT, "RCPT TO:<",
			    m->cm_to[sm->sm_rcpt], ">\r\n");
		else
			smtp_send(sm, SM_DATA, "DATA\r\n", "", "");
		break;
	case SM_DATA:
		if (code != 354)
			return "DATA refused";
		smtp_send(sm, SM_BODY, "", sm->sm_q[sm->sm_head], ".\r\n");
		break;
	case SM_BODY:
		if (code != 250)
			return "message refused";
		smtp_send(sm, SM_QUIT, "QUIT\r\n", "", "");
		break;
	case SM_QUIT:
	case SM_IDLE:
		break;
	}
	return NULL;
}

static void
smtp_read(struct bufferevent *bev, void *arg)
{
	struct smtp *sm = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	const char *fail;
	char *line, why[64];
	size_t n;
	int code;

	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		if (n < 3 || line[0] < '1' || line[0] > '5' ||
		    line[1] < '0' || line[1] > '9' ||
		    line[2] < '0' || line[2] > '9') {
			free(line);
			smtp_done(sm, "not an SMTP reply");
			return;
		}
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		    (line[2] - '0');
		if (n > 3 && line[3] == '-') {	/* more lines follow */
			free(line);
			continue;
		}
		free(line);
		if (sm->sm_step == SM_QUIT) {
			smtp_done(sm, NULL);
			return;
		}
		if ((fail = smtp_reply(sm, code)) != NULL) {
			snprintf(why, sizeof(why), "%s (reply %d)", fail, code);
			smtp_done(sm, why);
			return;
		}
	}
	if (evbuffer_get_length(in) > SMTP_LINEMAX)
		smtp_done(sm, "reply line too long");
}

static void
smtp_event(struct bufferevent *bev, short what, void *arg)
{
	struct smtp *sm = arg;
	char why[160];

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		return;
	if (sm->sm_step == SM_QUIT)	/* sent; the server hung up early */
		smtp_done(sm, NULL);
	else if (what & BEV_EVENT_EOF)
		smtp_done(sm, "connection closed");
	else {
		snprintf(why, sizeof(why), "connection failed: %s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		smtp_done(sm, why);
	}
}

static void
smtp_timeout(int fd, short what, void *arg)
{
	struct smtp *sm = arg;

	(void)fd;
	(void)what;
	if (sm->sm_step == SM_QUIT)
		smtp_done(sm, NULL);
	else
		smtp_done(sm, "smtp_connect_timeout");
}

/* Starts the exchange for the queue's head, if idle. */
static void
smtp_next(struct smtp *sm)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct timeval tv = { 0, 0 };
	socklen_t len;

	if (sm->sm_step != SM_IDLE || sm->sm_n == 0)
		return;
	sm->sm_cf = sm->sm_d->d_cf->cf_mailcf;
	if (!sm->sm_d->d_cf->cf_mail || sm->sm_cf.cm_nto == 0) {
		smtp_done(sm, "no smtp_server or notification_email now");
		return;
	}
	if (sm->sm_cf.cm_from[0] == '\0')
		snprintf(sm->sm_cf.cm_from, sizeof(sm->sm_cf.cm_from), "%s",
		    smtp_from);
	memset(&ss, 0, sizeof(ss));
	if (sm->sm_cf.cm_family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)sm->sm_cf.cm_port);
		memcpy(&s4->sin_addr, &sm->sm_cf.cm_server.v4,
		    sizeof(s4->sin_addr));
		len = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)sm->sm_cf.cm_port);
		memcpy(&s6->sin6_addr, &sm->sm_cf.cm_server.v6,
		    sizeof(s6->sin6_addr));
		len = sizeof(*s6);
	}
	sm->sm_step = SM_GREET;
	tv.tv_sec = sm->sm_cf.cm_timeout ? sm->sm_cf.cm_timeout : 30;
	evtimer_add(sm->sm_timer, &tv);
	sm->sm_bev = bufferevent_socket_new(sm->sm_d->d_base, -1,
	    BEV_OPT_CLOSE_ON_FREE);
	if (sm->sm_bev == NULL) {
		smtp_done(sm, "out of memory");
		return;
	}
	bufferevent_setcb(sm->sm_bev, smtp_read, NULL, smtp_event, sm);
	bufferevent_enable(sm->sm_bev, EV_READ | EV_WRITE);
	if (bufferevent_socket_connect(sm->sm_bev, (struct sockaddr *)&ss,
	    (int)len) == -1)
		smtp_done(sm, "cannot connect");
}

/* The message: headers and body, CRLF lines, no final dot. */
static char *
smtp_message(const struct config *cf, const char *kind, const char *name,
    const char *state, char *subj, size_t subjlen)
{
	const struct cfg_mail *m = &cf->cf_mailcf;
	char date[64], to[CFG_MAX_MAILTO * (CFG_ADDR_LEN + 2)], *msg;
	size_t off = 0;
	time_t now = time(NULL);
	struct tm tm;
	int i;

	snprintf(subj, subjlen, "[%s] VRRP %s %s - Entering %s state",
	    cf->cf_router_id[0] ? cf->cf_router_id : smtp_host(), kind, name,
	    state);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	to[0] = '\0';
	for (i = 0; i < m->cm_nto; i++)
		off += (size_t)snprintf(to + off, sizeof(to) - off, "%s%s",
		    i ? ", " : "", m->cm_to[i]);
	if (asprintf(&msg, "Date: %s\r\nFrom: %s\r\nSubject: %s\r\n"
	    "X-Mailer: vrrpd\r\nTo: %s\r\n\r\n"
	    "=> VRRP %s %s is now %s <=\r\n", date,
	    m->cm_from[0] ? m->cm_from : smtp_from, subj, to, kind, name,
	    state) == -1)
		return NULL;
	return msg;
}

static struct smtp_last *
smtp_last(struct smtp *sm, const char *kind, const char *name)
{
	struct smtp_last *sl;

	for (sl = sm->sm_last; sl != NULL; sl = sl->sl_next)
		if (strcmp(sl->sl_kind, kind) == 0 &&
		    strcmp(sl->sl_name, name) == 0)
			return sl;
	if ((sl = calloc(1, sizeof(*sl) + strlen(name) + 1)) == NULL)
		return NULL;
	snprintf(sl->sl_kind, sizeof(sl->sl_kind), "%s", kind);
	strcpy(sl->sl_name, name);
	sl->sl_next = sm->sm_last;
	sm->sm_last = sl;
	return sl;
}

void
smtp_alert(struct vrrpd *d, const char *kind, const char *name, int own,
    const char *state)
{
	struct smtp_last *sl;
	struct smtp *sm = d->d_smtp;
	char subj[512], *msg;
	int tail;

	if (!cfg_mail_wanted(d->d_cf, own) ||
	    (d->d_cf->cf_mailcf.cm_no_faults && strcmp(state, "FAULT") == 0))
		return;
	if (sm == NULL) {
		if ((sm = calloc(1, sizeof(*sm))) == NULL ||
		    (sm->sm_timer = evtimer_new(d->d_base, smtp_timeout,
		    sm)) == NULL) {
			free(sm);
			log_warnx("smtp_alert: out of memory");
			return;
		}
		sm->sm_d = d;
		d->d_smtp = sm;
	}
	if ((sl = smtp_last(sm, kind, name)) != NULL) {
		if (strcmp(sl->sl_state, state) == 0)
			return;
		snprintf(sl->sl_state, sizeof(sl->sl_state), "%s", state);
	}
	if ((msg = smtp_message(d->d_cf, kind, name, state, subj,
	    sizeof(subj))) == NULL) {
		log_warnx("smtp_alert: out of memory");
		return;
	}
	if (sm->sm_n == SMTP_QMAX) {
		log_warnx("smtp_alert: %d mails waiting; \"%s\" dropped",
		    SMTP_QMAX, subj);
		free(msg);
		return;
	}
	tail = (sm->sm_head + sm->sm_n) % SMTP_QMAX;
	if ((sm->sm_subj[tail] = strdup(subj)) == NULL) {
		log_warnx("smtp_alert: out of memory");
		free(msg);
		return;
	}
	sm->sm_q[tail] = msg;
	sm->sm_n++;
	smtp_next(sm);
}

/* Before the privilege drop: the sender is the user vrrpd started as. */
void
smtp_open(void)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(smtp_from, sizeof(smtp_from), "%s@%s",
	    pw != NULL ? pw->pw_name : "root", smtp_host());
}

void
smtp_close(struct vrrpd *d)
{
	struct smtp *sm = d->d_smtp;
	struct smtp_last *sl;

	if (sm == NULL)
		return;
	if (sm->sm_bev != NULL)
		bufferevent_free(sm->sm_bev);
	while (sm->sm_n > 0) {
		free(sm->sm_q[sm->sm_head]);
		free(sm->sm_subj[sm->sm_head]);
		sm->sm_head = (sm->sm_head + 1) % SMTP_QMAX;
		sm->sm_n--;
	}
	while ((sl = sm->sm_last) != NULL) {
		sm->sm_last = sl->sl_next;
		free(sl);
	}
	event_free(sm->sm_timer);
	free(sm);
	d->d_smtp = NULL;
}
