/* SPDX-License-Identifier: ISC */
/*
 * A script string split into words as keepalived 2.2.7 splits it before
 * execve(): blanks separate words, '...' and "..." quote, a backslash
 * escapes (\n \t \xHH \NNN \cX ...).  No shell: "a | b" is three words.
 */
#ifndef VRRPD_WORDS_H
#define VRRPD_WORDS_H

#include <stddef.h>

#define WORDS_MAX	64

/*
 * Splits s into argv (at most max - 1 words, NULL-terminated), the words
 * themselves stored in buf.  Returns the word count, or -1 with the reason
 * in err (unmatched quote, trailing backslash, too many or too long).
 */
int	words_split(const char *s, char *buf, size_t buflen, char **argv,
	    int max, char *err, size_t errlen);
/*
 * The first word of argv (after the program) that a shell would have
 * taken as an operator (|, &&, ;, >, $(...), `...`) but execve() passes on
 * as text, or NULL.  "sh -c '...|...'" has none: its pipe is in one word.
 */
const char *words_shell_word(char *const *argv);

#endif
