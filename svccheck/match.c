/* SPDX-License-Identifier: ISC */
/*
 * Name matching an operator expects: exact, never a substring; names
 * longer than the kernel's 15-character comm by their full name; scripts by
 * their file name, as pidof -x.  No I/O here: scan.c reads /proc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "match.h"

/* Reads one unsigned decimal field ending at a space (or the end). */
static const char *
match_field(const char *p, const char *end, unsigned long long *v)
{
	unsigned long long n = 0;
	const char *start = p;

	while (p < end && *p >= '0' && *p <= '9') {
		if (n > (~0ULL - 9) / 10)
			return NULL;
		n = n * 10 + (unsigned)(*p++ - '0');
	}
	if (p == start || (p < end && *p != ' ' && *p != '\n'))
		return NULL;
	*v = n;
	return p < end && *p == ' ' ? p + 1 : p;
}

/* Reads a signed decimal field (tty_nr, tpgid may be -1). */
static const char *
match_sfield(const char *p, const char *end)
{
	unsigned long long v;

	if (p < end && *p == '-')
		p++;
	return match_field(p, end, &v);
}

/*
 * "PID (COMM) S PPID PGRP SESSION TTY TPGID FLAGS ...": COMM may hold
 * spaces and parentheses, so it ends at the last ')' of the line.
 */
int
match_stat_parse(const char *buf, size_t len, struct procstat *out,
    char *err, size_t errlen)
{
	const char *end = buf + len, *p, *open, *close = NULL;
	unsigned long long v;
	size_t clen;
	int i;

	memset(out, 0, sizeof(*out));
	if ((p = match_field(buf, end, &v)) == NULL || v == 0 ||
	    v > 0x7fffffffULL)
		return errbuf_set(err, errlen, "pid: not a process id");
	out->ps_pid = (pid_t)v;
	open = p;
	if (open >= end || *open != '(')
		return errbuf_set(err, errlen, "comm: no '(' after the pid");
	for (p = open + 1; p < end; p++)
		if (*p == ')')
			close = p;
	if (close == NULL)
		return errbuf_set(err, errlen, "comm: no closing ')'");
	clen = (size_t)(close - open - 1);
	if (clen > MATCH_COMMLEN)
		return errbuf_set(err, errlen, "comm: %zu bytes, at most %d",
		    clen, MATCH_COMMLEN);
	if (memchr(open + 1, '\0', clen) != NULL)
		return errbuf_set(err, errlen, "comm: holds a NUL byte");
	memcpy(out->ps_comm, open + 1, clen);
	out->ps_comm[clen] = '\0';
	p = close + 1;
	if (end - p < 3 || p[0] != ' ' || p[2] != ' ' ||
	    p[1] < 'A' || p[1] > 'z')
		return errbuf_set(err, errlen, "state: not one letter");
	out->ps_state = p[1];
	p += 3;
	if ((p = match_field(p, end, &v)) == NULL || v > 0x7fffffffULL)
		return errbuf_set(err, errlen, "ppid: not a number");
	out->ps_ppid = (pid_t)v;
	/* pgrp, session, tty_nr, tpgid */
	for (i = 0; i < 4; i++)
		if ((p = match_sfield(p, end)) == NULL)
			return errbuf_set(err, errlen, "field %d: not a number",
			    i + 5);
	if ((p = match_field(p, end, &v)) == NULL)
		return errbuf_set(err, errlen, "flags: not a number");
	out->ps_flags = (unsigned long)v;
	return 0;
}

int
match_state_alive(char state)
{
	return state != 'Z' && state != 'X' && state != 'x' && state != '\0';
}

const char *
match_basename(const char *s, size_t n, size_t *blen)
{
	const char *b = s;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '/')
			b = s + i + 1;
	*blen = (size_t)(s + n - b);
	return b;
}

/* Interpreters that run a script named by a later argument. */
static const char *const match_interps[] = {
	"ash", "bash", "busybox", "csh", "dash", "ksh", "lua", "mksh",
	"node", "perl", "php", "ruby", "sh", "tclsh", "tcsh", "zsh",
};

int
match_is_interp(const char *comm)
{
	size_t i;

	if (strncmp(comm, "python", 6) == 0)
		return 1;
	for (i = 0; i < sizeof(match_interps) / sizeof(match_interps[0]); i++)
		if (strcmp(comm, match_interps[i]) == 0)
			return 1;
	return 0;
}

int
match_comm(const char *name, const char *comm)
{
	size_t nlen = strlen(name);

	if (nlen < MATCH_COMMLEN && strcmp(name, comm) == 0)
		return 1;
	/* comm may be the kernel's truncation of a longer name */
	if (nlen >= MATCH_COMMLEN && strlen(comm) == MATCH_COMMLEN &&
	    strncmp(name, comm, MATCH_COMMLEN) == 0)
		return 2;
	return match_is_interp(comm) ? 2 : 0;
}

static int
match_bn_eq(const char *name, size_t nlen, const char *s, size_t n)
{
	size_t blen;
	const char *b = match_basename(s, n, &blen);

	return blen == nlen && memcmp(b, name, nlen) == 0;
}

/* Longer than name but starting with it: clearly another program. */
static int
match_bn_longer(const char *name, size_t nlen, const char *s, size_t n)
{
	size_t blen;
	const char *b = match_basename(s, n, &blen);

	return blen > nlen && memcmp(b, name, nlen) == 0;
}

/* The length of an exe link without the " (deleted)" of a replaced file. */
static size_t
match_exe_len(const char *path)
{
	static const char del[] = " (deleted)";
	size_t n = strlen(path), d = sizeof(del) - 1;

	if (n > d && strcmp(path + n - d, del) == 0)
		return n - d;
	return n;
}

int
match_exe(const char *want, const char *path)
{
	size_t n = match_exe_len(path);

	return strlen(want) == n && memcmp(want, path, n) == 0;
}

static int
match_exe_base(const char *name, const char *exe)
{
	return match_bn_eq(name, strlen(name), exe, match_exe_len(exe));
}

/* argv[i] of the NUL-separated cmdline; NULL past the end. */
static const char *
match_argv(const struct procinfo *pi, int want, size_t *alen)
{
	const char *p = pi->pi_cmdline, *end, *z;
	int i;

	if (p == NULL)
		return NULL;
	end = p + pi->pi_cmdlen;
	for (i = 0; p < end; i++) {
		z = memchr(p, '\0', (size_t)(end - p));
		*alen = z ? (size_t)(z - p) : (size_t)(end - p);
		if (i == want)
			return p;
		p += *alen + 1;
	}
	return NULL;
}

/*
 * The script an interpreter runs (pidof -x): its first non-option
 * argument; NULL when argv[0] is no interpreter or runs a -c command.
 */
static const char *
match_script_arg(const struct procinfo *pi, size_t *alen)
{
	const char *a0, *a;
	char interp[MATCH_COMMLEN + 1];
	size_t l0, l, blen;
	const char *b;
	int i;

	if ((a0 = match_argv(pi, 0, &l0)) == NULL)
		return NULL;
	b = match_basename(a0, l0, &blen);
	if (blen > MATCH_COMMLEN)
		return NULL;
	memcpy(interp, b, blen);
	interp[blen] = '\0';
	if (!match_is_interp(interp))
		return NULL;
	for (i = 1; i <= 2; i++) {
		if ((a = match_argv(pi, i, &l)) == NULL)
			return NULL;
		/* after -c comes a command string, not a script */
		if (l == 2 && a[0] == '-' && a[1] == 'c')
			return NULL;
		if (l > 0 && a[0] == '-')
			continue;
		*alen = l;
		return a;
	}
	return NULL;
}

int
match_full(const char *name, const struct procinfo *pi)
{
	size_t nlen = strlen(name), l0 = 0, sl = 0;
	const char *a0, *sa;
	int c;

	if ((c = match_comm(name, pi->pi_comm)) == 1)
		return 1;
	if (c == 0)
		return 0;
	if ((sa = match_script_arg(pi, &sl)) != NULL &&
	    match_bn_eq(name, nlen, sa, sl))
		return 1;
	if (nlen < MATCH_COMMLEN)
		return 0;	/* comm was an interpreter, not name */
	if (strncmp(name, pi->pi_comm, MATCH_COMMLEN) != 0)
		return 0;
	a0 = match_argv(pi, 0, &l0);
	if ((a0 && match_bn_eq(name, nlen, a0, l0)) ||
	    (pi->pi_exe && match_exe_base(name, pi->pi_exe)))
		return 1;
	if (nlen > MATCH_COMMLEN)
		return 0;
	/*
	 * exactly 15: comm is the name unless the rest says it is longer, a
	 * script's file name too (killall finds it among the arguments)
	 */
	if ((a0 && match_bn_longer(name, nlen, a0, l0)) ||
	    (sa && match_bn_longer(name, nlen, sa, sl)) ||
	    (pi->pi_exe && match_bn_longer(name, nlen, pi->pi_exe,
	    match_exe_len(pi->pi_exe))))
		return 0;
	return 1;
}
