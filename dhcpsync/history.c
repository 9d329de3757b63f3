/* SPDX-License-Identifier: ISC */
/*
 * Kea's older lease files.  When lfc-interval comes, Kea renames
 * kea-leases4.csv to FILE.1, starts a fresh FILE with only the header and
 * runs kea-lfc, which merges FILE.2 and FILE.1 into FILE.output, renames
 * that to FILE.completed, removes FILE.2 and FILE.1, and renames
 * FILE.completed to FILE.2 (seen in strace of Kea 2.2).  On start Kea
 * reads FILE.completed if there is one (kea-lfc stopped before its last
 * rename), else FILE.2 then FILE.1, then FILE; so do we, once, at start.
 * Rotations while we run are seen live by follow.c.
 *
 * What we read here is numbered 1, 2, ... in the current epoch, below
 * the followed file's offsets (DS_HBASE).  Those numbers mean the same
 * rows only while the files are the same, so the state file keeps a
 * fingerprint of them and a changed one starts a new epoch.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kea-csv.h"
#include "log.h"
#include "dhcpsync.h"

#define HISTORY_CHUNK	(1024 * 1024)

static const char *history_sfx[] = { ".completed", ".2", ".1" };
#define HISTORY_NSFX	(sizeof(history_sfx) / sizeof(history_sfx[0]))

/* Loading: the older rows go into tab, numbered k in the epoch. */
struct hctx {
	struct table *tab;
	uint64_t epoch, k;
	struct counters *cn;
};

static int
history_path(const char *leases, size_t i, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s%s", leases, history_sfx[i]);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static uint64_t
history_mix(uint64_t h, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8) {
		h ^= v & 0xff;
		h *= 0x100000001b3ull;		/* FNV-1a */
	}
	return h;
}

uint64_t
history_fingerprint(const char *leases)
{
	uint64_t h = 0xcbf29ce484222325ull;
	char path[4200];
	struct stat st;
	size_t i;

	for (i = 0; i < HISTORY_NSFX; i++) {
		if (history_path(leases, i, path, sizeof(path)) == -1 ||
		    stat(path, &st) == -1) {
			h = history_mix(h, 0);
			continue;
		}
		h = history_mix(h, (uint64_t)st.st_ino);
		h = history_mix(h, (uint64_t)st.st_size);
		h = history_mix(h, (uint64_t)st.st_mtim.tv_sec);
		h = history_mix(h, (uint64_t)st.st_mtim.tv_nsec);
	}
	return h;
}

/* Is this directory entry one of our older files? */
int
history_is(const char *leases, const char *name)
{
	const char *base = strrchr(leases, '/');
	size_t n, i;

	base = base ? base + 1 : leases;
	n = strlen(base);
	if (strncmp(name, base, n) != 0)
		return 0;
	for (i = 0; i < HISTORY_NSFX; i++)
		if (strcmp(name + n, history_sfx[i]) == 0)
			return 1;
	return 0;
}

static int
history_lease(const struct lease *l, size_t end, void *arg)
{
	struct hctx *h = arg;
	char rec[LEASE_REC_MAX];
	int n;

	if ((n = lease_encode(l, rec, sizeof(rec))) < 0 ||
	    h->k + 1 >= DS_HBASE)
		return -1;
	h->k++;
	if (table_merge(h->tab, l, rec, (size_t)n,
	    DS_SEQ(h->epoch, h->k)) != -1)
		return 0;
	if (errno != ENOSPC)
		return -1;
	h->cn->n_limit++;	/* past --max-leases: logged below */
	return 0;
}

/* A row Kea skips too (it logs it and reads on): so do we. */
static int
history_skip(const struct leases_skip *sk, size_t end, void *arg)
{
	log_warnx_rl("%s (row skipped)", sk->ls_why);
	return 0;
}

/*
 * One file, in bounded chunks; a row that does not read is skipped, a
 * line too long stops this file (logged).
 */
static int
history_file(struct hctx *h, const char *path)
{
	struct csv_hdr hdr = { .ch_ncol = 0 };
	char *buf, err[512];
	size_t len = 0, used;
	ssize_t n;
	int fd, line = 1, eof = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : (log_warn("%s", path), 0);
	if ((buf = malloc(HISTORY_CHUNK)) == NULL) {
		close(fd);
		return -1;
	}
	while (!eof) {
		if ((n = read(fd, buf + len, HISTORY_CHUNK - len)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s", path);
			break;
		}
		eof = n == 0;
		len += (size_t)n;
		if (csv_parse_skip(buf, len, path, line, eof, &hdr,
		    history_lease, history_skip, h, &used, &line, err,
		    sizeof(err)) == -1) {
			log_warnx("%s (the rest of this file is skipped)", err);
			break;
		}
		memmove(buf, buf + used, len - used);
		len -= used;
	}
	free(buf);
	close(fd);
	return 0;
}

/* Loads the older files into the table, numbered in the current epoch. */
int
history_load(const char *leases, struct table *tab, uint64_t epoch,
    struct counters *cn)
{
	struct hctx h = { tab, epoch, 0, cn };
	char path[4200];
	struct stat st;
	size_t i;

	for (i = 0; i < HISTORY_NSFX; i++) {
		if (history_path(leases, i, path, sizeof(path)) == -1)
			return -1;
		/* an unfinished kea-lfc's output holds .2 and .1 both */
		if (i == 0 && stat(path, &st) == -1)
			continue;
		if (history_file(&h, path) == -1)
			return -1;
		if (i == 0)
			break;
	}
	if (h.k > 0)
		log_info("%s: %zu leases from %" PRIu64 " older rows",
		    leases, tab->t_n, h.k);
	if (cn->n_limit > 0)
		log_warnx("%s: %" PRIu64 " older lease(s) not taken: the "
		    "table is full (--max-leases %zu)", leases,
		    cn->n_limit, tab->t_max);
	return 0;
}
