/* SPDX-License-Identifier: ISC */
/*
 * keepalived's script words (lib/parser.c alloc_strvec_quoted_escaped in
 * 2.2.7, read for its rules, not copied): vrrpd must hand execve() the
 * very argv keepalived would, or a pair computes different priorities
 * from one configuration.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "errbuf.h"
#include "words.h"

#define WORDS_BLANK	" \t\f\n\r\v"

struct wbuf {
	char	*w_buf;
	size_t	 w_len, w_off;
};

static int
words_put(struct wbuf *w, char c)
{
	if (w->w_off + 1 >= w->w_len)
		return -1;
	w->w_buf[w->w_off++] = c;
	return 0;
}

static int
words_hex(int c)
{
	return isdigit(c) ? c - '0' : 10 + tolower(c) - 'a';
}

/* The escape after a backslash at *pp; advances *pp past it. */
static char
words_escape(const char **pp)
{
	static const char from[] = "abEfnrtv", to[] = "\a\b\x1b\f\n\r\t\v";
	const char *p = *pp, *q;
	unsigned char c = 0;
	int i;

	if (*p == 'x' && isxdigit((unsigned char)p[1])) {
		/* as keepalived: every hex digit, the last two count */
		for (p++; isxdigit((unsigned char)*p); p++)
			c = (unsigned char)(c << 4 | words_hex(*p));
	} else if (*p == 'c' && p[1]) {
		c = (unsigned char)(p[1] & 0x1f);
		p += 2;
	} else if (*p >= '0' && *p <= '7') {
		for (i = 0; i < 3 && *p >= '0' && *p <= '7'; i++, p++)
			c = (unsigned char)(c << 3 | (*p - '0'));
	} else if ((q = strchr(from, *p)) != NULL && *p) {
		c = (unsigned char)to[q - from];
		p++;
	} else
		c = (unsigned char)*p++;
	*pp = p;
	return (char)c;
}

int
words_split(const char *s, char *buf, size_t buflen, char **argv, int max,
    char *err, size_t errlen)
{
	struct wbuf w = { buf, buflen, 0 };
	char quote = 0;
	int n = 0, inword;

	argv[0] = NULL;
	for (;;) {
		s += strspn(s, WORDS_BLANK);
		if (*s == '\0')
			break;
		if (n + 1 >= max)
			return errbuf_set(err, errlen,
			    "more than %d words", max - 1);
		argv[n] = buf + w.w_off;
		for (inword = 1; inword && *s; ) {
			if (*s == '\\') {
				if (*++s == '\0')
					return errbuf_set(err, errlen,
					    "a backslash ends it");
				if (words_put(&w, words_escape(&s)) == -1)
					goto toolong;
			} else if (quote && *s == quote) {
				quote = 0;
				s++;
			} else if (!quote && (*s == '"' || *s == '\'')) {
				quote = *s++;
			} else if (!quote && strchr(WORDS_BLANK, *s)) {
				inword = 0;
			} else if (words_put(&w, *s++) == -1)
				goto toolong;
		}
		if (quote)
			return errbuf_set(err, errlen,
			    "missing terminating %c", quote);
		if (words_put(&w, '\0') == -1)
			goto toolong;
		n++;
	}
	argv[n] = NULL;
	return n;
toolong:
	return errbuf_set(err, errlen, "longer than %zu bytes", buflen - 1);
}

/* argv is "SHELL -c SCRIPT ...": SCRIPT is shell code, run by a shell. */
static int
words_shell_c(char *const *argv)
{
	const char *base = strrchr(argv[0], '/');
	size_t n;

	base = base ? base + 1 : argv[0];
	n = strlen(base);
	return argv[1] != NULL && strcmp(argv[1], "-c") == 0 && n >= 2 &&
	    strcmp(base + n - 2, "sh") == 0;
}

const char *
words_shell_word(char *const *argv)
{
	int i;

	for (i = 1; argv[0] && argv[i]; i++)
		if (i == 2 && words_shell_c(argv))
			continue;
		else if (strchr("|&;<>", argv[i][0]) || strstr(argv[i], "$(") ||
		    strchr(argv[i], '`') || strstr(argv[i], "2>"))
			return argv[i];
	return NULL;
}
