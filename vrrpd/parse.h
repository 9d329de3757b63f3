/* SPDX-License-Identifier: ISC */
/*
 * Between the keepalived.conf lexer (lex.c) and grammar (config.c): the
 * token stream, the parser state and the message helpers.
 */
#ifndef VRRPD_PARSE_H
#define VRRPD_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define TOK_MAX		1024
#define TOKS_MAX	(1 << 20)
#define INCLUDE_DEPTH	8
#define INCLUDE_MAX	64	/* files spliced in, in all */
#define LINE_LEN	65536	/* a line after $NAME substitution */
#define DEFS_MAX	1024	/* $NAME=value definitions */
#define EXPAND_DEPTH	32	/* substitution inside substitution */
#define EXPAND_LINES	(1 << 16) /* lines made by $NAME and ~SEQ, in all */

struct tok {
	char	*t_text;
	int	 t_file;
	int	 t_line;
	int	 t_quoted;
	int	 t_bol;		/* first word of a line (after expansion) */
};

struct lex_def {
	char	*d_name;
	char	*d_val;		/* lines joined with '\n' */
};

struct parser {
	struct config	*p_cf;
	struct tok	*p_toks;
	size_t		 p_ntok, p_cap, p_pos;
	config_include_fn p_inc;
	int		 p_nincl;
	void		*p_arg;
	char		*p_err;
	size_t		 p_errlen, p_erroff;
	int		 p_nerr;
	char		 p_ctx[CFG_NAME_LEN + 32];
	/* keepalived's config language (lex.c) */
	struct lex_def	*p_defs;
	int		 p_ndefs;
	char		*p_ml_name;	/* a multiline $NAME= being read */
	char		*p_ml_val;
	size_t		 p_ml_len;
	int		 p_nexp;
	int		 p_expand_over;	/* a limit hit: expand no more */
	const char	*p_pwd;		/* ${_PWD}: the current file's dir */
};

/* "file:line: [warning: ]context message" into the error buffer. */
void	cfg_err(struct parser *, const struct tok *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	cfg_warn(struct parser *, const struct tok *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Appends buf's tokens (includes spliced in); -1 when out of memory. */
int	lex_buf(struct parser *, const char *name, const char *buf,
	    size_t len, int depth);
/* Frees the $NAME definitions. */
void	lex_free(struct parser *);

#define ARGS_MAX	16

struct stmt {
	struct tok	*s_kw;
	struct tok	*s_args[ARGS_MAX];
	int		 s_nargs;
	int		 s_block;	/* a '{' followed and was consumed */
	int		 s_block_line;
};

/* parse.c: statements and values; failures reported with file:line */
struct tok *p_peek(struct parser *);
int	p_is(const struct tok *, const char *);
/* A keyword, the arguments on its line, and whether a block follows. */
int	p_stmt(struct parser *, struct stmt *);
/* Skips to the '}' closing a block whose '{' was consumed. */
void	p_skip_block(struct parser *);
/* True when the block's closing '}' is next (and consumes it). */
int	p_block_end(struct parser *, const struct stmt *open);
/*
 * The next line of a block of plain lines into s; 0 at the closing '}'.
 * A line that opens a block is an error naming what (the line's own
 * keyword when NULL) and is skipped with its block.
 */
int	p_block_line(struct parser *, const struct stmt *open, struct stmt *s,
	    const char *what);
/*
 * The head "KEYWORD NAME {" of a section there are n of so far: -1,
 * reported and its block skipped, unless it has one name and a block
 * ("needs NEEDS and a { } block") and n < max ("more than MAX").
 */
int	p_section_head(struct parser *, const struct stmt *head, int n,
	    int max, const char *needs);
/* Its NAME into out: -1 when too long for len (reported, out cut short). */
int	p_section_name(struct parser *, const struct stmt *head, char *out,
	    size_t len);
int	p_nargs(struct parser *, const struct stmt *, int min, int max);
/* The word v of s as a number in [min, max]; 0, or -1 reported. */
int	p_long(struct parser *, const struct stmt *s, const char *v, long min,
	    long max, long *);
int	p_int(struct parser *, const struct stmt *, int min, int max, int *);
int	p_dur(struct parser *, const struct stmt *, uint64_t *);
/* A keyword with no argument (nopreempt): *out = value if it has none. */
void	p_flag(struct parser *, const struct stmt *, int *out, int value);
int	p_int_quiet(const struct stmt *, int min, int max, int *);
/* A value keepalived replaces with a config error: warning, flagged. */
void	p_lenient(struct parser *, const struct stmt *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* A command: one quoted string, or the rest of the line joined. */
int	p_cmd(struct parser *, const struct stmt *, char *, size_t);
int	p_name(struct parser *, const struct stmt *, char *, size_t);
/* Reports and skips a keyword: a warning if ignoring it is harmless. */
void	p_unsupported(struct parser *, const struct stmt *, int harmless,
	    const char *why);
int	kw_in(const char *kw, const char *const *list);

/* A name a value may be given by (rt_scopes, rt_protos...). */
struct name_u8 {
	const char	*nu_name;
	uint8_t		 nu_value;
};
/* *out = the value named s in names[0..n); -1 if none is. */
int	name_u8_find(const struct name_u8 *names, size_t n, const char *s,
	    uint8_t *out);
/* rt_scopes(5) names, for the VIPs' and the routes' scope */
int	rt_scope_find(const char *s, uint8_t *out);

/* keywords.c: what vrrpd does with the keepalived keywords it does not run */
#define KW_GLOBAL	0x1	/* global_defs */
#define KW_INSTANCE	0x2	/* vrrp_instance */
#define KW_SCRIPT	0x4	/* vrrp_script */
#define KW_TOP		0x8	/* the top level */

enum kw_status {
	KW_IGNORED,	/* a warning: ignoring it changes nothing */
	KW_REFUSED,	/* an error: it would change behaviour */
};

struct kw_entry {
	const char	*kw_name;
	int		 kw_sections;
	enum kw_status	 kw_status;
	const char	*kw_why;
};

const struct kw_entry *kw_find(const char *name, int section);
/* The table's verdict on s (warning or error, block skipped); 0 = none. */
int	p_table(struct parser *, const struct stmt *, int section);

#endif
