/* SPDX-License-Identifier: ISC */
/*
 * vrrpd/words.c: script strings split as keepalived 2.2.7 splits them
 * (its keepalived.conf(5) and lib/parser.c rules): no shell, quotes and
 * backslash escapes, errors for what keepalived would refuse.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "words.h"

static char buf[256], err[128], *av[WORDS_MAX + 1];

static int
w(const char *s)
{
	err[0] = '\0';
	return words_split(s, buf, sizeof(buf), av, WORDS_MAX, err,
	    sizeof(err));
}

int
main(void)
{
	char many[WORDS_MAX * 2 + 4];
	int i;

	is_int(w("ss -ltn | grep -q :80"), 6, "a pipe is a word: no shell");
	is_str(av[2], "|", "the | reaches ss as an argument");
	is_int(w("  /bin/x\t'a b'  \"c d\" "), 3, "quotes group blanks");
	is_str(av[1], "a b", "single quotes dropped");
	is_str(av[2], "c d", "double quotes dropped");
	is_int(w("a'b c'd"), 1, "quotes inside a word join it");
	is_str(av[0], "ab cd", "as one word");
	is_int(w("x \"\""), 2, "an empty quoted word stays a word");
	is_str(av[1], "", "and is empty");
	is_int(w("e a\\ b \\x41\\101\\t\\cA\\q"), 3, "escapes");
	is_str(av[1], "a b", "backslash-blank joins");
	ok(strcmp(av[2], "AA\t\001q") == 0, "\\xHH, \\NNN, \\t, \\cX, \\q");
	is_int(w("'it''s'"), 1, "adjacent quotes");
	is_str(av[0], "its", "concatenate");
	is_int(w("\"a\\\"b\""), 1, "an escaped quote inside quotes");
	is_str(av[0], "a\"b", "is kept");
	is_int(w("echo 'a b"), -1, "unmatched quote refused");
	is_str(err, "missing terminating '", "error says which quote");
	is_int(w("echo a\\"), -1, "trailing backslash refused");
	is_int(w("   "), 0, "blanks only: no words");
	ok(av[0] == NULL, "argv ends at once");
	for (i = 0; i < WORDS_MAX + 1; i++)
		memcpy(many + 2 * i, "a ", 2);
	many[2 * (WORDS_MAX + 1)] = '\0';
	is_int(w(many), -1, "too many words refused");
	memset(many, 'x', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	ok(words_split(many, buf, 16, av, WORDS_MAX, err, sizeof(err)) == -1,
	    "a word longer than the buffer refused");
	w("ss -ltn | grep -q :80");
	is_str(words_shell_word(av), "|", "a pipe as a word is spotted");
	w("sh -c 'ss -ltn | grep -q :80'");
	ok(words_shell_word(av) == NULL, "not inside sh -c's one word");
	w("/bin/sh -c '[ ! -e /run/x.pid ] || kill -0 $(cat /run/x.pid)'");
	ok(words_shell_word(av) == NULL,
	    "nor inside /bin/sh -c's, even with $(...) in it");
	w("/bin/bash -c 'a' `b`");
	is_str(words_shell_word(av), "`b`", "but after it, still spotted");
	w("grep -c $(x) f");
	is_str(words_shell_word(av), "$(x)", "-c of a command that is no shell");
	w("/bin/x -a 'b c' --x=1");
	ok(words_shell_word(av) == NULL, "plain arguments are fine");
	w("cmd arg >/dev/null");
	is_str(words_shell_word(av), ">/dev/null", "a redirection too");
	done_testing();
	return 0;
}
