/* SPDX-License-Identifier: ISC */
/*
 * Machine-readable event lines on stdout, one per change, flushed at once:
 *
 *	WORD SUBJECT key=value key="value with spaces" ...
 *
 * or with --json one object per line:
 *
 *	{"event":"WORD","name":"SUBJECT","key":"value","n":3,...}
 *
 * The caller states each field's type, so a key keeps its JSON type from
 * line to line; a value that is unknown is null in JSON and a word (e.g.
 * "unknown") in text.  A line is never cut: the buffer grows.  The words
 * and keys are each program's stable interface, listed in its man page.
 *
 *	struct evline el;
 *
 *	evline_begin(&el, "up", name);
 *	evline_int(&el, "pid", pid);
 *	evline_emit(&el);
 */
#ifndef HT_EVLINE_H
#define HT_EVLINE_H

#include <stddef.h>

struct evline {
	char		*el_buf;
	size_t		 el_len;
	size_t		 el_size;
	int		 el_json;
	int		 el_nomem;	/* a line that could not grow is lost */
	const char	*el_word;
};

void	evline_init(int json);
int	evline_json(void);

/* subject may be NULL (no "name"). */
void	evline_begin(struct evline *, const char *word, const char *subject);
/* The text form whatever --json says: a log line. */
void	evline_begin_text(struct evline *, const char *word,
	    const char *subject);
/*
 * A JSON object without "event" or "name" whatever --json says, its fields
 * escaped as a line's are: for an HTTP body.
 */
void	evline_begin_object(struct evline *);
/* A string; text writes it bare (a token), NULL as "". */
void	evline_str(struct evline *, const char *key, const char *val);
/* A string that text writes "quoted" (\" and \\ escaped). */
void	evline_quoted(struct evline *, const char *key, const char *val);
/*
 * A bare string in pieces (a list of any length): evline_open, then
 * evline_more for each piece, then evline_close.
 */
void	evline_open(struct evline *, const char *key);
void	evline_more(struct evline *, const char *piece);
void	evline_close(struct evline *);
/* A bare string, formatted. */
void	evline_strf(struct evline *, const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* A quoted string, formatted. */
void	evline_quotedf(struct evline *, const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	evline_int(struct evline *, const char *key, long long);
void	evline_uint(struct evline *, const char *key, unsigned long long);
/* A number with a fixed number of decimals ("%.*f"); NaN/inf are null. */
void	evline_dec(struct evline *, const char *key, double, int decimals);
/* JSON true/false; text 1/0. */
void	evline_bool(struct evline *, const char *key, int);
/* An unknown value: JSON null, text the word given (e.g. "unknown"). */
void	evline_null(struct evline *, const char *key, const char *text);

/*
 * Ends the line: its text without a newline, valid until evline_free, or
 * NULL when memory ran out (then logged).  For control sockets.
 */
const char *evline_end(struct evline *);
void	evline_free(struct evline *);
/* Ends the line, writes it to stdout with a newline, flushes, frees. */
void	evline_emit(struct evline *);

#endif
