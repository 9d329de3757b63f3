/*
 * enable_script_security.  keepalived checks at start-up every script it
 * would run as root, walking from "/" down to the file (links resolved):
 * a component owned by a non-root user, or writable by a non-root group
 * or by everyone (a directory with the sticky bit excepted), makes the
 * script unsafe.  keepalived then disables the script with a log line;
 * vrrpd refuses the configuration instead (start-up, -t and reload), so
 * a track script never silently stops counting.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scriptsec.h"

/* First word of cmd, found in path if it has no '/'. */
static int
scriptsec_find(const char *cmd, const char *path, char *out, size_t outlen,
    char *why, size_t whylen)
{
	char word[PATH_MAX];
	size_t n;
	const char *p, *e;

	cmd += strspn(cmd, " \t");
	n = strcspn(cmd, " \t");
	if (n == 0 || n >= sizeof(word)) {
		snprintf(why, whylen, "no program to check");
		return -1;
	}
	memcpy(word, cmd, n);
	word[n] = '\0';
	if (strchr(word, '/')) {
		snprintf(out, outlen, "%s", word);
		return 0;
	}
	for (p = path ? path : "/usr/bin:/bin"; ; p = e + 1) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)snprintf(out, outlen, "%.*s/%s", (int)(e - p), p,
		    word) < outlen && e > p && access(out, X_OK) == 0)
			return 0;
		if (*e == '\0')
			break;
	}
	snprintf(why, whylen, "%s: not found in PATH", word);
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
	size_t off = strlen(err);
	va_list ap;

	if (off + 1 >= errlen)
		return 1;
	off += (size_t)snprintf(err + off, errlen - off, "%s:%d: ",
	    file ? file : "config", line);
	if (off + 1 >= errlen)
		return 1;
	va_start(ap, fmt);
	vsnprintf(err + off, errlen - off, fmt, ap);
	va_end(ap);
	return 1;
}

#define SEC_TAIL	"; enable_script_security refuses to run it as root\n"

int
scriptsec_config(const struct config *cf, const char *main_file, char *err,
    size_t errlen)
{
	static const char *kw[] = { "notify", "notify_master",
	    "notify_backup", "notify_fault", "notify_stop" };
	const char *path = getenv("PATH"), *cmds[5];
	struct passwd *pw;
	char why[PATH_MAX + 64];
	int i, j, nerr = 0;

	if (!cf->cf_script_security)
		return 0;
	if (cf->cf_script_user[0] != '\0' &&
	    (pw = getpwnam(cf->cf_script_user)) != NULL && pw->pw_uid != 0)
		return 0;	/* scripts do not run as root */
	for (i = 0; i < cf->cf_nscripts; i++) {
		const struct cfg_script *s = &cf->cf_scripts[i];

		if (s->cs_cmd[0] == '\0' ||
		    scriptsec_check(s->cs_cmd, path, why, sizeof(why)) == 0)
			continue;
		nerr += scriptsec_err(err, errlen, s->cs_file ? s->cs_file :
		    main_file, s->cs_line,
		    "vrrp_script %s: %s" SEC_TAIL, s->cs_name, why);
	}
	for (i = 0; i < cf->cf_ninst; i++) {
		const struct cfg_instance *in = &cf->cf_inst[i];

		cmds[0] = in->ci_notify;
		cmds[1] = in->ci_notify_master;
		cmds[2] = in->ci_notify_backup;
		cmds[3] = in->ci_notify_fault;
		cmds[4] = in->ci_notify_stop;
		for (j = 0; j < 5; j++) {
			if (cmds[j][0] == '\0' ||
			    scriptsec_check(cmds[j], path, why,
			    sizeof(why)) == 0)
				continue;
			nerr += scriptsec_err(err, errlen, in->ci_file ?
			    in->ci_file : main_file, in->ci_line,
			    "vrrp_instance %s: %s: %s" SEC_TAIL, in->ci_name,
			    kw[j], why);
		}
	}
	return nerr;
}
