/* SPDX-License-Identifier: ISC */
/* The one-shot commands (oneshot.h): check and convert. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "atomicfile.h"
#include "dhcpd-file.h"
#include "hatools.h"
#include "kea-csv.h"
#include "log.h"
#include "oneshot.h"
#include "table.h"

/* Reads a whole file (bounded) for the one-shot commands. */
char *
oneshot_slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	char *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - *len < 65536) {
			if (cap > ONESHOT_FILE_MAX || (nb = realloc(buf, cap * 2 +
			    65536)) == NULL) {
				free(buf);
				buf = NULL;
				errno = EFBIG;
				break;
			}
			buf = nb;
			cap = cap * 2 + 65536;
		}
		if ((n = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

struct loadctx {
	struct table *t;
	uint64_t seq;
	size_t	 blocks;
};

/* A journal: a later block for an address replaces the earlier one. */
static int
load_one(const struct lease *l, size_t end, void *arg)
{
	struct loadctx *c = arg;
	char rec[LEASE_REC_MAX];
	int n;

	c->blocks++;
	if ((n = lease_encode(l, rec, sizeof(rec))) < 0)
		return -1;
	return table_merge(c->t, l, rec, (size_t)n, ++c->seq) == -1 ? -1 : 0;
}

int
oneshot_is_kea(const char *buf, size_t len)
{
	return len >= 8 && memcmp(buf, "address,", 8) == 0;
}

static int
load_file(const char *path, struct table *t, int *csv, size_t *blocks)
{
	struct loadctx c = { t, 0, 0 };
	char err[512];
	size_t len, used;
	char *buf;
	int rc, lines;

	if ((buf = oneshot_slurp(path, &len)) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	*csv = oneshot_is_kea(buf, len);
	if (*csv)
		rc = csv_parse(buf, len, path, load_one, &c, err, sizeof(err));
	else
		rc = leases_parse(buf, len, path, 1, 1, load_one, NULL, &c, &used,
		    &lines, err, sizeof(err));
	free(buf);
	if (rc == -1)
		log_warnx("%s", err);
	*blocks = c.blocks;
	return rc;
}

int
oneshot_check(int argc, char **argv)
{
	struct table t;
	size_t blocks;
	int csv;

	if (argc != 1) {
		args_usage(stderr);
		return EXIT_USAGE;
	}
	if (table_init(&t) == -1 || load_file(argv[0], &t, &csv, &blocks))
		return 1;
	printf("ok format=%s leases=%zu blocks=%zu\n", csv ? "kea" : "dhcpd",
	    t.t_n, blocks);
	table_free(&t);
	return 0;
}

struct convctx {
	int	 kea;
	uint32_t subnet;
	FILE	*out;
	int	 failed;
};

static int
conv_one(const struct entry *e, void *arg)
{
	struct convctx *c = arg;
	char text[LEASES_TEXT_MAX], err[128];
	struct lease l;
	int n;

	if (lease_decode(e->e_rec, e->e_len, &l, err, sizeof(err)) == -1)
		return -1;
	n = c->kea ? csv_format(&l, c->subnet, text, sizeof(text)) :
	    leases_format(&l, text, sizeof(text));
	if (n < 0)
		return -1;
	if (n > 0 && fwrite(text, 1, (size_t)n, c->out) != (size_t)n)
		return -1;
	return 0;
}

int
oneshot_convert(int argc, char **argv, const char *to, uint32_t subnet)
{
	struct convctx c = { 0, subnet, stdout, 0 };
	struct atomicfile af;
	struct table t;
	size_t blocks;
	int csv, fd = -1;

	if (argc < 1 || argc > 2) {
		args_usage(stderr);
		return EXIT_USAGE;
	}
	if (table_init(&t) == -1 || load_file(argv[0], &t, &csv, &blocks))
		return 1;
	c.kea = to ? strcmp(to, "kea") == 0 : !csv;
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		if ((fd = atomicfile_open(&af, argv[1], 0644)) == -1 ||
		    (c.out = fdopen(dup(fd), "w")) == NULL) {
			log_warn("%s", argv[1]);
			return 1;
		}
	}
	fputs(c.kea ? csv_header() : leases_header(), c.out);
	if (table_walk(&t, conv_one, &c) != 0 || fflush(c.out) == EOF ||
	    (fd != -1 && fclose(c.out) == EOF)) {
		log_warnx("convert: write failed");
		if (fd != -1)
			atomicfile_abort(&af);
		return 1;
	}
	if (fd != -1 && atomicfile_commit(&af) == -1) {
		log_warn("%s", argv[1]);
		return 1;
	}
	log_info("converted %zu leases to %s", t.t_n, c.kea ? "kea" : "dhcpd");
	table_free(&t);
	return 0;
}
