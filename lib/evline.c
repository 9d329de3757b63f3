/* SPDX-License-Identifier: ISC */
/*
 * Event lines: text for shell loops, JSON for everything else.  One writer,
 * so every program's lines look alike and parse alike.  The caller says
 * what each value is, nothing is guessed from its text, and the line grows
 * to whatever it holds.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evline.h"
#include "log.h"

#define EVLINE_FIRST	256

static int evline_as_json;

void
evline_init(int json)
{
	evline_as_json = json;
}

int
evline_json(void)
{
	return evline_as_json;
}

static int
el_grow(struct evline *el, size_t more)
{
	size_t want, size;
	char *p;

	if (el->el_nomem)
		return -1;
	if (more < el->el_size - el->el_len)
		return 0;
	if (more > (size_t)-1 / 4 - el->el_len)
		goto nomem;
	want = el->el_len + more + 1;
	for (size = el->el_size ? el->el_size : EVLINE_FIRST; size < want;)
		size *= 2;
	if ((p = realloc(el->el_buf, size)) == NULL)
		goto nomem;
	el->el_buf = p;
	el->el_size = size;
	return 0;
nomem:
	el->el_nomem = 1;
	return -1;
}

static void
el_put(struct evline *el, const char *s, size_t n)
{
	if (el_grow(el, n) == -1)
		return;
	memcpy(el->el_buf + el->el_len, s, n);
	el->el_len += n;
	el->el_buf[el->el_len] = '\0';
}

static void
el_puts(struct evline *el, const char *s)
{
	el_put(el, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* JSON string: quotes, backslashes and controls escaped, bad UTF-8 U+FFFD. */
static void
el_json_body(struct evline *el, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char hex[8];
	size_t l;

	while (n > 0) {
		if (*p == '"' || *p == '\\') {
			el_put(el, "\\", 1);
			el_put(el, (const char *)p, 1);
		} else if (*p == '\n')
			el_put(el, "\\n", 2);
		else if (*p == '\t')
			el_put(el, "\\t", 2);
		else if (*p < 0x20) {
			snprintf(hex, sizeof(hex), "\\u%04x", *p);
			el_puts(el, hex);
		} else if ((l = utf8_len(p, n)) > 1) {
			el_put(el, (const char *)p, l);
			p += l;
			n -= l;
			continue;
		} else if (l == 1)
			el_put(el, (const char *)p, 1);
		else
			el_put(el, "\\ufffd", 6);
		p++;
		n--;
	}
}

static void
el_json_str(struct evline *el, const char *s, size_t n)
{
	el_put(el, "\"", 1);
	el_json_body(el, s, n);
	el_put(el, "\"", 1);
}

/*
 * Text: bytes as they are but for control characters (a line stays one
 * line); in a quoted value quotes and backslashes get a backslash.
 */
static void
el_text(struct evline *el, const char *s, size_t n, int quoted)
{
	const unsigned char *p = (const unsigned char *)s;
	char hex[8];

	for (; n > 0; p++, n--) {
		if (quoted && (*p == '"' || *p == '\\')) {
			el_put(el, "\\", 1);
			el_put(el, (const char *)p, 1);
		} else if (*p == '\n')
			el_put(el, "\\n", 2);
		else if (*p == '\r')
			el_put(el, "\\r", 2);
		else if (*p == '\t')
			el_put(el, "\\t", 2);
		else if (*p < 0x20 || *p == 0x7f) {
			snprintf(hex, sizeof(hex), "\\x%02x", *p);
			el_puts(el, hex);
		} else
			el_put(el, (const char *)p, 1);
	}
}

static void
el_begin(struct evline *el, const char *word, const char *subject, int json)
{
	memset(el, 0, sizeof(*el));
	el->el_word = word;
	el->el_json = json;
	if (!el->el_json) {
		el_text(el, word, strlen(word), 0);
		if (subject != NULL) {
			el_put(el, " ", 1);
			el_text(el, subject, strlen(subject), 0);
		}
		return;
	}
	el_puts(el, "{\"event\":");
	el_json_str(el, word, strlen(word));
	if (subject != NULL) {
		el_puts(el, ",\"name\":");
		el_json_str(el, subject, strlen(subject));
	}
}

void
evline_begin(struct evline *el, const char *word, const char *subject)
{
	el_begin(el, word, subject, evline_as_json);
}

void
evline_begin_text(struct evline *el, const char *word, const char *subject)
{
	el_begin(el, word, subject, 0);
}

void
evline_begin_object(struct evline *el)
{
	memset(el, 0, sizeof(*el));
	el->el_word = "object";
	el->el_json = 1;
	el_put(el, "{", 1);
}

/* " key=" or ",\"key\":" (no comma after an object's brace) */
static void
el_key(struct evline *el, const char *key)
{
	if (!el->el_json) {
		el_put(el, " ", 1);
		el_puts(el, key);
		el_put(el, "=", 1);
		return;
	}
	if (el->el_len != 1)
		el_put(el, ",", 1);
	el_json_str(el, key, strlen(key));
	el_put(el, ":", 1);
}

static void
el_string(struct evline *el, const char *key, const char *val, size_t n,
    int quoted)
{
	el_key(el, key);
	if (el->el_json)
		el_json_str(el, val, n);
	else if (quoted) {
		el_put(el, "\"", 1);
		el_text(el, val, n, 1);
		el_put(el, "\"", 1);
	} else
		el_text(el, val, n, 0);
}

void
evline_str(struct evline *el, const char *key, const char *val)
{
	if (val == NULL)
		val = "";
	el_string(el, key, val, strlen(val), 0);
}

void
evline_quoted(struct evline *el, const char *key, const char *val)
{
	if (val == NULL)
		val = "";
	el_string(el, key, val, strlen(val), 1);
}

void
evline_open(struct evline *el, const char *key)
{
	el_key(el, key);
	if (el->el_json)
		el_put(el, "\"", 1);
}

void
evline_more(struct evline *el, const char *piece)
{
	if (el->el_json)
		el_json_body(el, piece, strlen(piece));
	else
		el_text(el, piece, strlen(piece), 0);
}

void
evline_close(struct evline *el)
{
	if (el->el_json)
		el_put(el, "\"", 1);
}

static void __attribute__((format(printf, 4, 0)))
el_vformat(struct evline *el, const char *key, int quoted, const char *fmt,
    va_list ap)
{
	char *s;
	int n;

	if ((n = vasprintf(&s, fmt, ap)) < 0) {
		el->el_nomem = 1;
		return;
	}
	el_string(el, key, s, (size_t)n, quoted);
	free(s);
}

void
evline_strf(struct evline *el, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	el_vformat(el, key, 0, fmt, ap);
	va_end(ap);
}

void
evline_quotedf(struct evline *el, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	el_vformat(el, key, 1, fmt, ap);
	va_end(ap);
}

/* A number: the same digits in text and JSON. */
static void
el_number(struct evline *el, const char *key, const char *digits)
{
	el_key(el, key);
	el_puts(el, digits);
}

void
evline_int(struct evline *el, const char *key, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	el_number(el, key, b);
}

void
evline_uint(struct evline *el, const char *key, unsigned long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%llu", v);
	el_number(el, key, b);
}

void
evline_dec(struct evline *el, const char *key, double v, int decimals)
{
	char b[400];

	if (!isfinite(v)) {
		evline_null(el, key, isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
		return;
	}
	snprintf(b, sizeof(b), "%.*f", decimals, v);
	/* "-0.000" is JSON but says nothing "0.000" does not */
	if (b[0] == '-' && strspn(b + 1, "0.") == strlen(b + 1))
		memmove(b, b + 1, strlen(b));
	el_number(el, key, b);
}

void
evline_bool(struct evline *el, const char *key, int v)
{
	el_key(el, key);
	if (el->el_json)
		el_puts(el, v ? "true" : "false");
	else
		el_puts(el, v ? "1" : "0");
}

void
evline_null(struct evline *el, const char *key, const char *text)
{
	el_key(el, key);
	if (el->el_json)
		el_puts(el, "null");
	else
		el_text(el, text, strlen(text), 0);
}

const char *
evline_end(struct evline *el)
{
	if (el->el_json)
		el_put(el, "}", 1);
	if (el->el_nomem || el->el_buf == NULL) {
		log_warnx("event line \"%s\" lost: out of memory", el->el_word);
		return NULL;
	}
	return el->el_buf;
}

void
evline_free(struct evline *el)
{
	free(el->el_buf);
	el->el_buf = NULL;
	el->el_len = el->el_size = 0;
}

void
evline_emit(struct evline *el)
{
	const char *line;

	if ((line = evline_end(el)) != NULL) {
		fputs(line, stdout);
		fputc('\n', stdout);
		fflush(stdout);
	}
	evline_free(el);
}
