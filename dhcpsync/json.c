/* SPDX-License-Identifier: ISC */
/*
 * Recursive descent over JSON text; nothing is built, only checked.
 * Bounded: the depth is capped, every read checked against the end.
 */
#include <string.h>

#include "json.h"

#define JSON_DEPTH_MAX	32

struct jr {
	const char *p, *end;
	int depth, max;
};

static int json_value(struct jr *);

static void
json_ws(struct jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
json_ishex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
json_string(struct jr *j)
{
	unsigned char c;
	int i;

	if (j->p >= j->end || *j->p++ != '"')
		return -1;
	while (j->p < j->end) {
		c = (unsigned char)*j->p++;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			return -1;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			for (i = 0; i < 4; i++, j->p++)
				if (j->p >= j->end || !json_ishex(*j->p))
					return -1;
		} else if (c == '\0' || strchr("\"\\/bfnrt", c) == NULL)
			return -1;
	}
	return -1;
}

static int
json_digits(struct jr *j)
{
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s ? 0 : -1;
}

static int
json_number(struct jr *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (json_digits(j) == -1)
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (json_digits(j) == -1)
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (json_digits(j) == -1)
			return -1;
	}
	return 0;
}

static int
json_word(struct jr *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

/* '{' members '}' or '[' values ']', at j->p's opening byte */
static int
json_seq(struct jr *j, char close, int members)
{
	j->p++;
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		if (members) {
			json_ws(j);
			if (json_string(j) == -1)
				return -1;
			json_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return -1;
		}
		if (json_value(j) == -1)
			return -1;
		json_ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

static int
json_value(struct jr *j)
{
	int rc;

	json_ws(j);
	if (j->p >= j->end || ++j->depth > j->max)
		return -1;
	switch (*j->p) {
	case '{': rc = json_seq(j, '}', 1); break;
	case '[': rc = json_seq(j, ']', 0); break;
	case '"': rc = json_string(j); break;
	case 't': rc = json_word(j, "true"); break;
	case 'f': rc = json_word(j, "false"); break;
	case 'n': rc = json_word(j, "null"); break;
	default: rc = json_number(j); break;
	}
	j->depth--;
	return rc;
}

int
json_object_valid(const char *s, size_t n)
{
	return json_object_valid_depth(s, n, JSON_DEPTH_MAX);
}

int
json_object_valid_depth(const char *s, size_t n, int depth)
{
	struct jr j = { s, s + n, 0, depth };

	json_ws(&j);
	if (j.p >= j.end || *j.p != '{' || json_value(&j) == -1)
		return 0;
	json_ws(&j);
	return j.p == j.end;
}
