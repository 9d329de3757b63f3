/* SPDX-License-Identifier: ISC */
/*
 * A word's value in a short table: the arguments that name one value
 * of an enum (section names, check options, ACL criteria and operators).
 */
#ifndef HP_WORDS_H
#define HP_WORDS_H

#include <stddef.h>

struct hp_word {
	const char	*w_name;
	int		 w_val;
};

/* The value of name in the table t (n words), or -1 if it has none. */
int	hp_word(const struct hp_word *t, size_t n, const char *name);
#define HP_WORD(t, name)	hp_word((t), sizeof(t) / sizeof((t)[0]), (name))

#endif
