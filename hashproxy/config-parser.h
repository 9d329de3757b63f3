/*
 * The parser's state, shared by config.c and the files that parse one
 * group of keywords (config-check.c).  Private to the config reader.
 */
#ifndef HP_CONFIG_PARSER_H
#define HP_CONFIG_PARSER_H

#include "config.h"

enum cf_section { SEC_NONE, SEC_GLOBAL, SEC_DEFAULTS, SEC_FRONTEND,
    SEC_BACKEND, SEC_LISTEN };

struct cf_parser {
	const char	*p_file;
	int		 p_line;
	int		 p_errors;
	cf_diag_fn	 p_diag;
	void		*p_arg;
	struct cf_config *p_cf;
	enum cf_section	 p_sec;
	char		 p_secname[CF_NAMELEN + 16];
	/* defaults section values, copied into each proxy that follows */
	struct cf_frontend p_deffe;
	struct cf_backend  p_defbe;
	struct cf_server   p_defsrv;
	struct cf_frontend *p_fe;	/* current, may be NULL */
	struct cf_backend  *p_be;	/* current, may be NULL */
	struct cf_server   *p_tmpl;	/* default-server target */
	struct cf_server    p_besrv;	/* this backend's default-server */
	int		 p_skip;	/* inside a section we do not read */
};

/* A diagnostic prefixed "file:line: section: "; errors are counted. */
void	config_msg(struct cf_parser *, enum cf_level, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* A decimal integer in min..max; 0 or -1. */
int	config_int(const char *, int min, int max, int *out);
/* Copies src if it fits in len bytes; 0 or -1. */
int	config_copy(char *dst, size_t len, const char *src);

#endif
