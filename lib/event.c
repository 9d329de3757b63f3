/* SPDX-License-Identifier: ISC */
/*
 * Event lines: text for shell loops, JSON for everything else.  One writer,
 * so every program's lines look alike and parse alike.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "event.h"

static int event_as_json;

void
event_init(int json)
{
	event_as_json = json;
}

int
event_json(void)
{
	return event_as_json;
}

struct out {
	char	*buf;
	size_t	 len;
	size_t	 off;
	int	 truncated;
};

static void
out_ch(struct out *o, char c)
{
	if (o->off + 1 < o->len)
		o->buf[o->off++] = c;
	else
		o->truncated = 1;
	o->buf[o->off] = '\0';
}

static void
out_str(struct out *o, const char *s, size_t n)
{
	while (n-- > 0)
		out_ch(o, *s++);
}

static void
out_json_str(struct out *o, const char *s, size_t n)
{
	char hex[8];

	out_ch(o, '"');
	for (; n > 0; s++, n--) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out_ch(o, '\\');
			out_ch(o, (char)c);
		} else if (c < 0x20) {
			snprintf(hex, sizeof(hex), "\\u%04x", c);
			out_str(o, hex, strlen(hex));
		} else
			out_ch(o, (char)c);
	}
	out_ch(o, '"');
}

static int
is_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	int dot = 0;

	if (n > 0 && s[0] == '-')
		i++;
	if (i < n && s[i] == '0' && n - i > 1 && s[i + 1] != '.')
		return 0;		/* JSON has no leading zeros */
	for (; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (s[i] == '.' && !dot && digits > 0)
			dot = 1;
		else
			return 0;
	}
	return digits > 0 && s[n - 1] != '.';
}

/* Next "key=value" token of kv; value may be "quoted" with \" escapes. */
static const char *
kv_next(const char *p, const char **k, size_t *klen, char *val, size_t vsize)
{
	size_t vl = 0;

	while (*p == ' ')
		p++;
	if (*p == '\0')
		return NULL;
	*k = p;
	while (*p && *p != '=' && *p != ' ')
		p++;
	*klen = (size_t)(p - *k);
	if (*p == '=')
		p++;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			if (vl + 1 < vsize)
				val[vl++] = *p;
		}
		if (*p == '"')
			p++;
	} else {
		for (; *p && *p != ' '; p++)
			if (vl + 1 < vsize)
				val[vl++] = *p;
	}
	val[vl] = '\0';
	return p;
}

int
event_format(char *buf, size_t len, const char *word, const char *subject,
    const char *kv)
{
	struct out o = { buf, len, 0, 0 };
	char val[512];
	const char *k;
	size_t klen;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	if (!event_as_json) {
		out_str(&o, word, strlen(word));
		if (subject) {
			out_ch(&o, ' ');
			out_str(&o, subject, strlen(subject));
		}
		if (kv && *kv) {
			out_ch(&o, ' ');
			out_str(&o, kv, strlen(kv));
		}
		return o.truncated ? -1 : 0;
	}
	out_str(&o, "{\"event\":", 9);
	out_json_str(&o, word, strlen(word));
	if (subject) {
		out_str(&o, ",\"name\":", 8);
		out_json_str(&o, subject, strlen(subject));
	}
	while (kv && (kv = kv_next(kv, &k, &klen, val, sizeof(val))) != NULL) {
		out_ch(&o, ',');
		out_json_str(&o, k, klen);
		out_ch(&o, ':');
		if (is_number(val, strlen(val)))
			out_str(&o, val, strlen(val));
		else
			out_json_str(&o, val, strlen(val));
	}
	out_ch(&o, '}');
	return o.truncated ? -1 : 0;
}

void
event_emit(const char *word, const char *subject, const char *kvfmt, ...)
{
	char kv[1024], line[2048];
	va_list ap;

	kv[0] = '\0';
	if (kvfmt) {
		va_start(ap, kvfmt);
		vsnprintf(kv, sizeof(kv), kvfmt, ap);
		va_end(ap);
	}
	event_format(line, sizeof(line), word, subject, kv);
	fputs(line, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}
