/* SPDX-License-Identifier: ISC */
/*
 * The control command parser.  A table of verbs of one or two words;
 * anything else is refused with a message naming what was wrong, quoting
 * the offending word with non-printable bytes escaped so the reply stays
 * one clean line.
 */
#include <stdio.h>
#include <string.h>

#include "ctlcmd.h"
#include "errbuf.h"

#define CTL_WORDS_MAX	4

struct ctl_word {
	const char	*w_p;
	size_t		 w_len;
};

static const struct {
	const char	*v_w1, *v_w2;	/* v_w2 NULL: one word */
	enum ctl_verb	 v_verb;
} ctl_verbs[] = {
	{ "status",	NULL,		CTL_STATUS },
	{ "show",	"instances",	CTL_SHOW_INSTANCES },
	{ "show",	"tracks",	CTL_SHOW_TRACKS },
	{ "reload",	NULL,		CTL_RELOAD },
	{ "help",	NULL,		CTL_HELP },
	{ "show",	"metrics",	CTL_SHOW_METRICS },
};

/* Quotes at most 32 bytes of a word, escaping what is not printable. */
static void
ctl_quote(const struct ctl_word *w, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < w->w_len && i < 32 && o + 5 < outlen; i++) {
		unsigned char c = (unsigned char)w->w_p[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
	}
	if (i < w->w_len && o + 4 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o < outlen ? o : outlen - 1] = '\0';
}

static int
ctl_is(const struct ctl_word *w, const char *s)
{
	return w->w_len == strlen(s) && memcmp(w->w_p, s, w->w_len) == 0;
}

int
ctl_parse(const char *buf, size_t len, struct ctl_cmd *out, char *err,
    size_t errlen)
{
	struct ctl_word w[CTL_WORDS_MAX];
	char q[160];
	size_t i, j;
	int nw = 0, found_w1 = 0;

	memset(out, 0, sizeof(*out));
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len > CTL_LINE_MAX)
		return errbuf_set(err, errlen,
		    "command too long (%zu bytes, at most %d)",
		    len, CTL_LINE_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c != '\t' && (c < 0x20 || c >= 0x7f))
			return errbuf_set(err, errlen,
			    "byte 0x%02x at column %zu is "
			    "not printable ASCII", c, i + 1);
	}
	for (i = 0; i < len; ) {
		while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (nw == CTL_WORDS_MAX)
			return errbuf_set(err, errlen,
			    "too many words; try help");
		w[nw].w_p = buf + i;
		for (j = i; j < len && buf[j] != ' ' && buf[j] != '\t'; j++)
			;
		w[nw++].w_len = j - i;
		i = j;
	}
	if (nw == 0)
		return errbuf_set(err, errlen, "empty command; try help");
	for (i = 0; i < sizeof(ctl_verbs) / sizeof(ctl_verbs[0]); i++) {
		if (!ctl_is(&w[0], ctl_verbs[i].v_w1))
			continue;
		found_w1 = 1;
		if (ctl_verbs[i].v_w2 == NULL) {
			if (nw > 1) {
				ctl_quote(&w[1], q, sizeof(q));
				return errbuf_set(err, errlen,
				    "%s takes no argument "
				    "(got \"%s\")", ctl_verbs[i].v_w1, q);
			}
			out->cc_verb = ctl_verbs[i].v_verb;
			return 0;
		}
		if (nw == 2 && ctl_is(&w[1], ctl_verbs[i].v_w2)) {
			out->cc_verb = ctl_verbs[i].v_verb;
			return 0;
		}
	}
	if (found_w1) {		/* "show" with a wrong or missing object */
		if (nw == 1)
			snprintf(err, errlen, "%s what? try help",
			    "show");
		else if (nw > 2) {
			ctl_quote(&w[2], q, sizeof(q));
			snprintf(err, errlen, "show takes one argument (extra "
			    "\"%s\")", q);
		} else {
			ctl_quote(&w[1], q, sizeof(q));
			snprintf(err, errlen, "show \"%s\": unknown; "
			    "instances, tracks or metrics", q);
		}
		return -1;
	}
	ctl_quote(&w[0], q, sizeof(q));
	return errbuf_set(err, errlen, "unknown command \"%s\"; try help", q);
}
