/* SPDX-License-Identifier: ISC */
/*
 * enable_script_security.  keepalived checks at start-up every script it
 * would run as root, walking from "/" down to the file (links resolved):
 * a component owned by a non-root user, or writable by a non-root group
 * or by everyone (a directory with the sticky bit excepted), makes the
 * script unsafe.  keepalived then disables the script with a log line;
 * vrrpd refuses the configuration instead (start-up, -t and reload), so
 * a track script never silently stops counting.  The startup_script and
 * shutdown_script are the exception: keepalived disables an unsafe one
 * with a log line, and keepalived -t passes the file, so vrrpd disables
 * it with a warning too (scriptsec_hooks()).  With no user to run them
 * as (no script_user, no keepalived_script), keepalived drops the
 * commands that name none, and so does vrrpd (scriptsec_nouser()).
 */
#include <errno.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgbuf.h"
#include "scriptsec.h"
#include "words.h"

/* First word of cmd (keepalived's words), found in path if it has no '/'. */
static int
scriptsec_find(const char *cmd, const char *path, char *out, size_t outlen,
    char *why, size_t whylen)
{
	char buf[CFG_CMD_LEN + 8], *argv[WORDS_MAX + 1];
	const char *p, *e;
	struct stat st;

	if (words_split(cmd, buf, sizeof(buf), argv, WORDS_MAX, why,
	    whylen) <= 0) {
		if (argv[0] == NULL)
			snprintf(why, whylen, "no program to check");
		return -1;
	}
	if (strchr(argv[0], '/')) {
		snprintf(out, outlen, "%s", argv[0]);
		return 0;
	}
	for (p = path ? path : "/usr/bin:/bin"; ; p = e + 1) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)snprintf(out, outlen, "%.*s/%s", (int)(e - p), p,
		    argv[0]) < outlen && e > p && stat(out, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
		if (*e == '\0')
			break;
	}
	snprintf(why, whylen, "%s: not found in PATH", argv[0]);
	return -1;
}

/* The rule for one path component. */
static int
scriptsec_unsafe(const struct stat *st, char *what, size_t len)
{
	int sticky_dir = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);

	if (st->st_uid != 0)
		snprintf(what, len, "is owned by uid %u", (unsigned)st->st_uid);
	else if (!sticky_dir && st->st_gid != 0 && (st->st_mode & S_IWGRP))
		snprintf(what, len, "is writable by group %u",
		    (unsigned)st->st_gid);
	else if (!sticky_dir && (st->st_mode & S_IWOTH))
		snprintf(what, len, "is writable by everyone");
	else
		return 0;
	return 1;
}

/* One component: 0 if only root can change it. */
static int
scriptsec_one(const char *name, char *why, size_t whylen)
{
	struct stat st;
	char what[64];

	if (stat(name, &st) == -1) {
		snprintf(why, whylen, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (scriptsec_unsafe(&st, what, sizeof(what))) {
		snprintf(why, whylen, "%s %s", name, what);
		return -1;
	}
	return 0;
}

int
scriptsec_check(const char *cmd, const char *path, char *why, size_t whylen)
{
	char file[PATH_MAX], real[PATH_MAX];
	char *p;

	if (scriptsec_find(cmd, path, file, sizeof(file), why, whylen) == -1)
		return -1;
	if (realpath(file, real) == NULL) {
		snprintf(why, whylen, "%s: %s", file, strerror(errno));
		return -1;
	}
	/* "/", each directory below it, then the file itself */
	if (scriptsec_one("/", why, whylen) == -1)
		return -1;
	for (p = strchr(real + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (scriptsec_one(real, why, whylen) == -1)
			return -1;
		*p = '/';
	}
	return scriptsec_one(real, why, whylen);
}

static int __attribute__((format(printf, 5, 6)))
scriptsec_err(char *err, size_t errlen, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;

	msgbuf_add(err, errlen, "%s:%d: ", file ? file : "config", line);
	va_start(ap, fmt);
	msgbuf_vadd(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}

#define SEC_TAIL	"; enable_script_security refuses to run it as root\n"

struct secctx {
	const struct config *sc_cf;
	const char	*sc_path;
	char		*sc_err;
	size_t		 sc_errlen;
	int		 sc_nerr;
};

/* Whether a command with this user/group runs as root, as keepalived. */
static int
scriptsec_as_root(const struct config *cf, const char *user)
{
	struct passwd *pw;

	if (user[0] == '\0')
		user = cf->cf_script_user;
	if (user[0] == '\0')
		user = "keepalived_script";
	pw = getpwnam(user);
	return pw == NULL || pw->pw_uid == 0;
}

/*
 * What every command gets: its words must split (keepalived would drop
 * it), its user and group must exist (keepalived would drop it too: an
 * error here, as a silently missing notify changes behaviour), a shell
 * metacharacter is worth a warning (keepalived passes it to the program
 * as an argument).  what is "vrrp_script X" or "vrrp_instance X:
 * notify_master".  Returns -1 if it has no words, 1 if it needs no path
 * check (not a program), else 0 (the errors counted in x).
 */
static int
scriptsec_runnable(struct secctx *x, const char *file, int line,
    const char *what, const char *cmd, const char *user, const char *group)
{
	char buf[CFG_CMD_LEN + 8], *argv[WORDS_MAX + 1];
	char why[PATH_MAX + 64];
	const char *op;

	if (words_split(cmd, buf, sizeof(buf), argv, WORDS_MAX, why,
	    sizeof(why)) <= 0) {
		x->sc_nerr += scriptsec_err(x->sc_err, x->sc_errlen, file,
		    line, "%s: \"%s\": %s\n", what, cmd, argv[0] ? why :
		    "no command");
		return -1;
	}
	if (user[0] && getpwnam(user) == NULL)
		x->sc_nerr += scriptsec_err(x->sc_err, x->sc_errlen, file,
		    line, "%s: user %s: no such user\n", what, user);
	if (group[0] && getgrnam(group) == NULL)
		x->sc_nerr += scriptsec_err(x->sc_err, x->sc_errlen, file,
		    line, "%s: group %s: no such group\n", what, group);
	if (argv[0][0] != '<' && (op = words_shell_word(argv)) != NULL)
		scriptsec_err(x->sc_err, x->sc_errlen, file, line,
		    "warning: %s: \"%s\" runs %s directly, as keepalived "
		    "does, with no shell (\"%s\" is an argument): wrap it in "
		    "sh -c '...' for one\n", what, cmd, argv[0], op);
	return argv[0][0] == '<';
}

/* Would enable_script_security refuse it?  Then why says why. */
static int
scriptsec_refused(struct secctx *x, const char *cmd, const char *user,
    char *why, size_t whylen)
{
	return x->sc_cf->cf_script_security &&
	    scriptsec_as_root(x->sc_cf, user) &&
	    scriptsec_check(cmd, x->sc_path, why, whylen) == -1;
}

/* One command: runnable, then enable_script_security's rule. */
static void
scriptsec_one_cmd(struct secctx *x, const char *file, int line,
    const char *what, const char *cmd, const char *user, const char *group)
{
	char why[PATH_MAX + 64];

	if (scriptsec_runnable(x, file, line, what, cmd, user, group) != 0 ||
	    !scriptsec_refused(x, cmd, user, why, sizeof(why)))
		return;
	x->sc_nerr += scriptsec_err(x->sc_err, x->sc_errlen, file, line,
	    "%s: %s" SEC_TAIL, what, why);
}

/* The notify commands of "SECTION NAME" (an instance or a sync group). */
static void
scriptsec_notifies(struct secctx *x, const char *file, int line,
    const char *section, const char *name,
    const struct cfg_notify nt[CFG_NOTIFY_N])
{
	char what[2 * CFG_NAME_LEN + 32];
	int k;

	for (k = 0; k < CFG_NOTIFY_N; k++) {
		if (nt[k].cn_cmd[0] == '\0')
			continue;
		snprintf(what, sizeof(what), "%s %s: %s", section, name,
		    cfg_notify_kw[k]);
		scriptsec_one_cmd(x, file, line, what, nt[k].cn_cmd,
		    nt[k].cn_user, nt[k].cn_group);
	}
}

int
scriptsec_config(const struct config *cf, const char *main_file, char *err,
    size_t errlen)
{
	struct secctx x = { cf, getenv("PATH"), err, errlen, 0 };
	char what[2 * CFG_NAME_LEN + 32];
	int i;

	for (i = 0; i < cf->cf_nscripts; i++) {
		const struct cfg_script *s = &cf->cf_scripts[i];

		if (s->cs_cmd[0] == '\0')
			continue;
		snprintf(what, sizeof(what), "vrrp_script %s", s->cs_name);
		scriptsec_one_cmd(&x, s->cs_file ? s->cs_file : main_file,
		    s->cs_line, what, s->cs_cmd, s->cs_user, s->cs_group);
	}
	for (i = 0; i < cf->cf_ninst; i++) {
		const struct cfg_instance *in = &cf->cf_inst[i];
		const struct cfg_notify *rx = &in->ci_notify_rx_lower;
		const struct cfg_notify *del = &in->ci_notify_deleted;

		scriptsec_notifies(&x, in->ci_file ? in->ci_file : main_file,
		    in->ci_line, "vrrp_instance", in->ci_name, in->ci_notify);
		if (del->cn_cmd[0] != '\0') {
			snprintf(what, sizeof(what), "vrrp_instance %s: "
			    "notify_deleted", in->ci_name);
			scriptsec_one_cmd(&x, in->ci_file ? in->ci_file :
			    main_file, in->ci_line, what, del->cn_cmd,
			    del->cn_user, del->cn_group);
		}
		if (rx->cn_cmd[0] == '\0')
			continue;
		snprintf(what, sizeof(what), "vrrp_instance %s: "
		    "notify_master_rx_lower_pri", in->ci_name);
		scriptsec_one_cmd(&x, in->ci_file ? in->ci_file : main_file,
		    in->ci_line, what, rx->cn_cmd, rx->cn_user, rx->cn_group);
	}
	for (i = 0; i < 2; i++) {
		const struct cfg_fifo *f = &cf->cf_fifo[i];

		if (f->cfi_path[0] == '\0' || f->cfi_script[0] == '\0')
			continue;
		scriptsec_one_cmd(&x, f->cfi_file ? f->cfi_file : main_file,
		    f->cfi_line, i ? "vrrp_notify_fifo_script" :
		    "notify_fifo_script", f->cfi_script, f->cfi_script_user,
		    f->cfi_script_group);
	}
	for (i = 0; i < cf->cf_ngroups; i++) {
		const struct cfg_group *g = &cf->cf_groups[i];

		scriptsec_notifies(&x, g->cg_file ? g->cg_file : main_file,
		    g->cg_line, "vrrp_sync_group", g->cg_name, g->cg_notify);
	}
	return x.sc_nerr;
}

static const char *const scriptsec_hook_kw[] = { "startup_script",
    "shutdown_script" };

/*
 * One startup_script or shutdown_script: a command that cannot run is an
 * error as any other's (scriptsec_runnable()); an unsafe one run as root
 * is disabled with a warning, as keepalived 2.2.7 ("Unsafe permissions
 * found for script ... - disabling"; its -t passes the file).
 */
static void
scriptsec_hook(struct secctx *x, struct cfg_hook *h, const char *kw,
    const char *main_file)
{
	const char *file = h->ch_file ? h->ch_file : main_file;
	char why[PATH_MAX + 64];
	int nerr = x->sc_nerr;

	if (h->ch_cmd[0] == '\0' || scriptsec_runnable(x, file, h->ch_line,
	    kw, h->ch_cmd, h->ch_user, h->ch_group) != 0 ||
	    x->sc_nerr > nerr ||
	    !scriptsec_refused(x, h->ch_cmd, h->ch_user, why, sizeof(why)))
		return;
	scriptsec_err(x->sc_err, x->sc_errlen, file, h->ch_line,
	    "warning: %s: %s; enable_script_security: not run, as "
	    "keepalived\n", kw, why);
	h->ch_cmd[0] = '\0';
}

int
scriptsec_hooks(struct config *cf, const char *main_file, char *err,
    size_t errlen)
{
	struct secctx x = { cf, getenv("PATH"), err, errlen, 0 };
	int i;

	for (i = 0; i < 2; i++)
		scriptsec_hook(&x, &cf->cf_hooks[i], scriptsec_hook_kw[i],
		    main_file);
	return x.sc_nerr;
}

#define NOUSER	"enable_script_security, no script_user and no " \
    "keepalived_script user: "

/* Drops the track_script references to name from a list. */
static void
scriptsec_untrack(struct cfg_track *list, int *n, const char *name)
{
	int i;

	for (i = 0; i < *n; )
		if (strcmp(list[i].ct_name, name) == 0) {
			memmove(&list[i], &list[i + 1],
			    (size_t)(*n - i - 1) * sizeof(list[0]));
			(*n)--;
		} else
			i++;
}

/* Removes vrrp_script i, and the track_script lines naming it. */
static void
scriptsec_remove(struct config *cf, int i)
{
	struct cfg_script *sc = &cf->cf_scripts[i];
	int j;

	for (j = 0; j < cf->cf_ninst; j++)
		scriptsec_untrack(cf->cf_inst[j].ci_scripts,
		    &cf->cf_inst[j].ci_nscripts, sc->cs_name);
	for (j = 0; j < cf->cf_ngroups; j++)
		scriptsec_untrack(cf->cf_groups[j].cg_scripts,
		    &cf->cf_groups[j].cg_nscripts, sc->cs_name);
	memmove(sc, sc + 1, (size_t)(cf->cf_nscripts - i - 1) * sizeof(*sc));
	cf->cf_nscripts--;
}

/* A notify command (keyword kw of what) with no user: 1 if dropped. */
static int
scriptsec_drop_notify(struct config *cf, struct cfg_notify *nt,
    const char *file, int line, const char *what, const char *kw,
    char *err, size_t errlen)
{
	if (nt->cn_cmd[0] == '\0' || nt->cn_user[0] != '\0')
		return 0;
	scriptsec_err(err, errlen, file, line, "warning: %s: %s: "
	    NOUSER "not run, as keepalived (give it a user, or set "
	    "script_user)\n", what, kw);
	nt->cn_cmd[0] = '\0';
	cf->cf_nflagged++;
	return 1;
}

/* The five notify commands of an instance or group with no user. */
static int
scriptsec_drop_notifies(struct config *cf, struct cfg_notify nt[CFG_NOTIFY_N],
    const char *file, int line, const char *what, char *err, size_t errlen)
{
	int k, n = 0;

	for (k = 0; k < CFG_NOTIFY_N; k++)
		n += scriptsec_drop_notify(cf, &nt[k], file, line, what,
		    cfg_notify_kw[k], err, errlen);
	return n;
}

/* A FIFO with no owner is dropped, and so is a reader with no user. */
static int
scriptsec_drop_fifo(struct config *cf, struct cfg_fifo *f, int vrrp,
    const char *main_file, char *err, size_t errlen)
{
	const char *kw = vrrp ? "vrrp_notify_fifo" : "notify_fifo";
	const char *file = f->cfi_file ? f->cfi_file : main_file;

	if (f->cfi_path[0] == '\0')
		return 0;
	if (f->cfi_user[0] == '\0') {
		scriptsec_err(err, errlen, file, f->cfi_line, "warning: %s %s: "
		    NOUSER "not made, as keepalived (give it a user, or set "
		    "script_user)\n", kw, f->cfi_path);
		memset(f, 0, sizeof(*f));
		cf->cf_nflagged++;
		return 1;
	}
	if (f->cfi_script[0] == '\0' || f->cfi_script_user[0] != '\0')
		return 0;
	scriptsec_err(err, errlen, file, f->cfi_line, "warning: %s_script: "
	    NOUSER "not run, as keepalived (give it a user, or set "
	    "script_user)\n", kw);
	f->cfi_script[0] = '\0';
	cf->cf_nflagged++;
	return 1;
}

/* keepalived: "Invalid startup script", and it does not run it */
static int
scriptsec_drop_hooks(struct config *cf, const char *main_file, char *err,
    size_t errlen)
{
	struct cfg_hook *h;
	int i, n = 0;

	for (i = 0; i < 2; i++) {
		h = &cf->cf_hooks[i];
		if (h->ch_cmd[0] == '\0' || h->ch_user[0] != '\0')
			continue;
		scriptsec_err(err, errlen, h->ch_file ? h->ch_file : main_file,
		    h->ch_line, "warning: %s: " NOUSER "not run, as keepalived "
		    "(give it a user, or set script_user)\n",
		    scriptsec_hook_kw[i]);
		h->ch_cmd[0] = '\0';
		cf->cf_nflagged++;
		n++;
	}
	return n;
}

int
scriptsec_nouser(struct config *cf, const char *main_file, char *err,
    size_t errlen)
{
	struct cfg_script *sc;
	char what[CFG_NAME_LEN + 32];
	int i, n = 0;

	if (!cf->cf_script_security || cf->cf_script_user[0] != '\0' ||
	    getpwnam("keepalived_script") != NULL)
		return 0;
	for (i = 0; i < cf->cf_nscripts; ) {
		sc = &cf->cf_scripts[i];
		/* --track's commands are the command line's, not the file's */
		if (sc->cs_user[0] != '\0' || sc->cs_line == 0 ||
		    sc->cs_fd != -1) {
			i++;
			continue;
		}
		scriptsec_err(err, errlen, sc->cs_file ? sc->cs_file :
		    main_file, sc->cs_line, "warning: vrrp_script %s: " NOUSER
		    "removed, and the track_script lines naming it ignored, "
		    "as keepalived (give it a user, or set script_user)\n",
		    sc->cs_name);
		scriptsec_remove(cf, i);
		cf->cf_nflagged++;
		n++;
	}
	for (i = 0; i < 2; i++)
		n += scriptsec_drop_fifo(cf, &cf->cf_fifo[i], i, main_file,
		    err, errlen);
	n += scriptsec_drop_hooks(cf, main_file, err, errlen);
	for (i = 0; i < cf->cf_ninst; i++) {
		struct cfg_instance *in = &cf->cf_inst[i];
		const char *file = in->ci_file ? in->ci_file : main_file;

		snprintf(what, sizeof(what), "vrrp_instance %s", in->ci_name);
		n += scriptsec_drop_notifies(cf, in->ci_notify, file,
		    in->ci_line, what, err, errlen);
		n += scriptsec_drop_notify(cf, &in->ci_notify_rx_lower, file,
		    in->ci_line, what, "notify_master_rx_lower_pri", err,
		    errlen);
		n += scriptsec_drop_notify(cf, &in->ci_notify_deleted, file,
		    in->ci_line, what, "notify_deleted", err, errlen);
	}
	for (i = 0; i < cf->cf_ngroups; i++) {
		struct cfg_group *g = &cf->cf_groups[i];

		snprintf(what, sizeof(what), "vrrp_sync_group %s", g->cg_name);
		n += scriptsec_drop_notifies(cf, g->cg_notify,
		    g->cg_file ? g->cg_file : main_file, g->cg_line, what,
		    err, errlen);
	}
	return n;
}

/*
 * Whether cmd's program is there (its first word, looked up in path):
 * 1, 0, or -1 when cmd has no program to look for (scriptsec_config()
 * says why).
 */
static int
scriptsec_found(const char *cmd, const char *path)
{
	char buf[CFG_CMD_LEN + 8], *argv[WORDS_MAX + 1];
	char file[PATH_MAX], why[PATH_MAX + 64];
	struct stat st;

	if (words_split(cmd, buf, sizeof(buf), argv, WORDS_MAX, why,
	    sizeof(why)) <= 0 || argv[0][0] == '<')
		return -1;
	if (scriptsec_find(cmd, path, file, sizeof(file), why,
	    sizeof(why)) == -1)
		return 0;
	return stat(file, &st) == 0;
}

/* A notify command whose program is not there: 1 if dropped. */
static int
scriptsec_notfound_notify(struct cfg_notify *nt, const char *path,
    const char *file, int line, const char *what, const char *kw,
    char *err, size_t errlen)
{
	if (nt->cn_cmd[0] == '\0' || scriptsec_found(nt->cn_cmd, path) != 0)
		return 0;
	scriptsec_err(err, errlen, file, line, "warning: %s: %s \"%s\": not "
	    "found: never run, as keepalived\n", what, kw, nt->cn_cmd);
	nt->cn_cmd[0] = '\0';
	return 1;
}

/* The five notify commands of an instance or group. */
static int
scriptsec_notfound_notifies(struct cfg_notify nt[CFG_NOTIFY_N],
    const char *path, const char *file, int line, const char *what,
    char *err, size_t errlen)
{
	int k, n = 0;

	for (k = 0; k < CFG_NOTIFY_N; k++)
		n += scriptsec_notfound_notify(&nt[k], path, file, line, what,
		    cfg_notify_kw[k], err, errlen);
	return n;
}

int
scriptsec_notfound(struct config *cf, const char *main_file, char *err,
    size_t errlen)
{
	const char *path = getenv("PATH");
	struct cfg_script *sc;
	char what[CFG_NAME_LEN + 32];
	int i, n = 0;

	for (i = 0; i < cf->cf_nscripts; ) {
		sc = &cf->cf_scripts[i];
		/* --track's commands are the command line's, not the file's */
		if (sc->cs_line == 0 || sc->cs_fd != -1 ||
		    scriptsec_found(sc->cs_cmd, path) != 0) {
			i++;
			continue;
		}
		scriptsec_err(err, errlen, sc->cs_file ? sc->cs_file :
		    main_file, sc->cs_line, "warning: vrrp_script %s: \"%s\": "
		    "not found: removed, and the track_script lines naming it "
		    "ignored, as keepalived\n", sc->cs_name, sc->cs_cmd);
		scriptsec_remove(cf, i);
		cf->cf_nflagged++;
		n++;
	}
	for (i = 0; i < cf->cf_ninst; i++) {
		struct cfg_instance *in = &cf->cf_inst[i];
		const char *file = in->ci_file ? in->ci_file : main_file;

		snprintf(what, sizeof(what), "vrrp_instance %s", in->ci_name);
		n += scriptsec_notfound_notifies(in->ci_notify, path, file,
		    in->ci_line, what, err, errlen);
		n += scriptsec_notfound_notify(&in->ci_notify_rx_lower, path,
		    file, in->ci_line, what, "notify_master_rx_lower_pri", err,
		    errlen);
		n += scriptsec_notfound_notify(&in->ci_notify_deleted, path,
		    file, in->ci_line, what, "notify_deleted", err, errlen);
	}
	for (i = 0; i < cf->cf_ngroups; i++) {
		struct cfg_group *g = &cf->cf_groups[i];

		snprintf(what, sizeof(what), "vrrp_sync_group %s", g->cg_name);
		n += scriptsec_notfound_notifies(g->cg_notify, path,
		    g->cg_file ? g->cg_file : main_file, g->cg_line, what, err,
		    errlen);
	}
	return n;
}
