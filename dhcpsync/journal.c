/* SPDX-License-Identifier: ISC */
/*
 * The peer's records while the local dhcpd runs.  dhcpd keeps its lease
 * file open for its whole life, reads it only at start and rewrites it
 * from memory: a block appended under it is erased by its next rewrite,
 * and a file renamed over it leaves dhcpd writing into an unlinked one.
 * So while it runs the lease file is not touched; a peer record that
 * changes the table is appended here, one line "CRC RECORD", and made
 * durable before it is acknowledged.  It goes into the lease file when
 * dhcpd has stopped, before its next start reads the file.
 *
 * Which records are held is a flag on their table entry; a record that
 * replaces a held one (a newer lease of the address) is either held in
 * its turn or local, so superseded lines are never applied.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errbuf.h"
#include "atomicfile.h"
#include "log.h"
#include "dhcpsync.h"
#include "journal.h"
#include "proto.h"

#define JOURNAL_HEAD	"dhcpsync-journal 1\n"
#define JOURNAL_LINE	(LEASE_REC_MAX + 16)
/* appended bytes beyond this and the held records: write it anew */
#define JOURNAL_SLACK	(4 * 1024 * 1024)

static int
journal_path(const struct store *so, char *buf, size_t len)
{
	return path_beside(buf, len, so->so_state, ".journal");
}

/* One line "CRC RECORD\n" into buf; its length. */
static size_t
journal_line(const struct entry *e, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%08" PRIx32 " %s\n",
	    proto_crc32(0, e->e_rec, e->e_len), e->e_rec);

	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

static int
journal_parse(char *line, size_t len, struct lease *l, const char **rec,
    size_t *reclen, char *err, size_t errlen)
{
	uint32_t crc;
	char *end;

	if (len < 10 || line[len - 1] != '\n' || line[8] != ' ')
		return errbuf_set(err, errlen, "not a journal line");
	line[8] = '\0';
	errno = 0;
	crc = (uint32_t)strtoul(line, &end, 16);
	if (errno || end != line + 8)
		return errbuf_set(err, errlen, "bad checksum field");
	*rec = line + 9;
	*reclen = len - 10;
	if (proto_crc32(0, *rec, *reclen) != crc)
		return errbuf_set(err, errlen, "checksum mismatch");
	return proto_record_check(*rec, *reclen, l, err, errlen);
}

int
journal_load(struct store *so)
{
	char path[PATH_MAX], err[256];
	char *line = NULL;
	size_t cap = 0, reclen = 0;
	const char *rec = NULL;
	struct lease l;
	struct entry *e;
	ssize_t n;
	int lineno = 0, rc = 0;
	FILE *f;

	if (journal_path(so, path, sizeof(path)) == -1 ||
	    (f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		log_warn("%s.journal", so->so_state);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (lineno == 1) {
			if (strcmp(line, JOURNAL_HEAD) != 0) {
				log_warnx("%s:1: not a dhcpsync journal", path);
				rc = -1;
				break;
			}
			continue;
		}
		/* a crash inside an append: never acknowledged, so dropped */
		if (line[n - 1] != '\n' && feof(f)) {
			log_warnx("%s:%d: incomplete last line ignored", path,
			    lineno);
			break;
		}
		if (n > JOURNAL_LINE || journal_parse(line, (size_t)n, &l,
		    &rec, &reclen, err, sizeof(err)) == -1) {
			log_warnx("%s:%d: %s", path, lineno, n > JOURNAL_LINE ?
			    "line too long" : err);
			rc = -1;
			break;
		}
		/* what the lease file already holds is not held */
		if ((rc = table_merge(so->so_tab, &l, rec, reclen, 0)) == -1) {
			log_warn("%s:%d", path, lineno);
			break;
		}
		if (rc == MERGE_CHANGED &&
		    (e = table_get(so->so_tab, l.l_addr)) != NULL)
			e->e_held = 1;
		rc = 0;
	}
	if (rc == 0 && ferror(f)) {
		log_warn("%s", path);
		rc = -1;
	}
	free(line);
	fclose(f);
	so->so_nheld = journal_count(so);
	if (rc == 0 && so->so_nheld > 0)
		log_info("%s: %zu of the peer's records held", path,
		    so->so_nheld);
	return rc;
}

static int
journal_put(char **buf, size_t *len, size_t *cap, const struct entry *e)
{
	char *nb;
	size_t n;

	if (*cap - *len < JOURNAL_LINE) {
		if ((nb = realloc(*buf, *cap * 2 + JOURNAL_LINE * 4)) == NULL)
			return -1;
		*buf = nb;
		*cap = *cap * 2 + JOURNAL_LINE * 4;
	}
	if ((n = journal_line(e, *buf + *len, *cap - *len)) == 0)
		return errno = EMSGSIZE, -1;
	*len += n;
	return 0;
}

/* The peer's record for an address, not held yet. */
static struct entry *
journal_wants(const struct entry *e)
{
	return e != NULL && e->e_seq == 0 && !e->e_held ? (struct entry *)e :
	    NULL;
}

/* Too much superseded history: the held records alone, atomically. */
static int
journal_compact(struct store *so, const char *path)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, i;
	struct entry *e;
	int rc = -1;

	cap = JOURNAL_LINE * 4;
	if ((buf = malloc(cap)) == NULL)
		return -1;
	memcpy(buf, JOURNAL_HEAD, sizeof(JOURNAL_HEAD) - 1);
	len = sizeof(JOURNAL_HEAD) - 1;
	for (i = 0; i < so->so_tab->t_cap; i++)
		if ((e = so->so_tab->t_slots[i]) != NULL && e->e_held &&
		    journal_put(&buf, &len, &cap, e) == -1)
			goto out;
	if (atomicfile_write(path, buf, len, 0600) == 0) {
		so->so_jbytes = len;
		rc = 0;
	}
out:
	free(buf);
	return rc;
}

int
journal_hold(struct store *so, const uint32_t *addr, size_t n)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len = 0, cap = 0, i, lim = addr ? n : so->so_tab->t_cap;
	struct entry *e, **mark = NULL;
	size_t nmark = 0;
	struct stat st;
	int fd = -1, rc = -1;

	if (journal_path(so, path, sizeof(path)) == -1)
		goto out;
	if ((mark = calloc(lim ? lim : 1, sizeof(*mark))) == NULL)
		goto out;
	for (i = 0; i < lim; i++) {
		e = journal_wants(addr ? table_get(so->so_tab, addr[i]) :
		    so->so_tab->t_slots[i]);
		if (e == NULL)
			continue;
		if (journal_put(&buf, &len, &cap, e) == -1)
			goto out;
		e->e_held = 1;		/* once per address in this batch */
		mark[nmark++] = e;
	}
	if (nmark == 0) {
		rc = 0;
		goto out;
	}
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1 || fstat(fd, &st) == -1)
		goto out;
	if (st.st_size == 0 && (atomicfile_write_all(fd, JOURNAL_HEAD,
	    sizeof(JOURNAL_HEAD) - 1) == -1 || atomicfile_sync_dir(path) == -1))
		goto out;
	if (atomicfile_write_all(fd, buf, len) == -1 || fdatasync(fd) == -1)
		goto out;
	so->so_jbytes = (uint64_t)st.st_size + len;
	rc = 0;
out:
	if (rc == -1) {
		log_warn("%s", path);
		while (nmark > 0)	/* not durable: not held */
			mark[--nmark]->e_held = 0;
	}
	if (fd != -1)
		close(fd);
	free(mark);
	free(buf);
	so->so_nheld = journal_count(so);
	if (rc == 0 && so->so_jbytes > JOURNAL_SLACK + so->so_nheld *
	    (uint64_t)JOURNAL_LINE / 8 && journal_compact(so, path) == -1)
		log_warn("%s: compact", path);	/* the appended file holds */
	return rc;
}

void
journal_release(struct store *so)
{
	struct entry *e;
	size_t i;

	for (i = 0; i < so->so_tab->t_cap; i++)
		if ((e = so->so_tab->t_slots[i]) != NULL && e->e_held)
			store_changed(so, e->e_addr);
}

void
journal_clear(struct store *so)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < so->so_tab->t_cap; i++)
		if (so->so_tab->t_slots[i] != NULL)
			so->so_tab->t_slots[i]->e_held = 0;
	so->so_nheld = 0;
	so->so_jbytes = 0;
	/*
	 * Left behind by a crash, its lines read back as what the lease
	 * file holds already, and are not held again.
	 */
	if (journal_path(so, path, sizeof(path)) == 0 && unlink(path) == -1 &&
	    errno != ENOENT)
		log_warn("%s", path);
}

size_t
journal_count(const struct store *so)
{
	size_t i, n = 0;

	for (i = 0; i < so->so_tab->t_cap; i++)
		if (so->so_tab->t_slots[i] != NULL &&
		    so->so_tab->t_slots[i]->e_held)
			n++;
	return n;
}
