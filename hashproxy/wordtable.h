/* SPDX-License-Identifier: ISC */
/*
 * A word's value in a short table: the arguments that name one value
 * of an enum (section names, check options, ACL criteria and operators);
 * and where a name stands in an array of named things (ACLs, backends,
 * servers).
 */
#ifndef HP_WORDTABLE_H
#define HP_WORDTABLE_H

#include <stddef.h>

struct hp_word {
	const char	*w_name;
	int		 w_val;
};

/* The value of name in the table t (n words), or -1 if it has none. */
int	hp_word(const struct hp_word *t, size_t n, const char *name);
#define HP_WORD(t, name)	hp_word((t), sizeof(t) / sizeof((t)[0]), (name))

/*
 * The index of the element called name among the n elements of size
 * bytes at v, whose name is a string at byte off of each; -1 if none.
 */
int	hp_named(const void *v, int n, size_t size, size_t off,
	    const char *name);

#endif
