/* SPDX-License-Identifier: ISC */
/*
 * The state file's text, apart from any file: parse a buffer into the
 * resume points, format them back.  No I/O (store.c reads and writes
 * the file), so the parser can be fuzzed alone.
 */
#ifndef DS_STATE_H
#define DS_STATE_H

#include <stddef.h>
#include <stdint.h>

/* A state file is about 150 bytes; anything much longer is not ours. */
#define STATE_MAX	1024
/* A sequence number keeps 24 bits for the epoch (DS_SEQ). */
#define STATE_EPOCH_MAX	0xffffffull

struct ds_state {
	uint64_t st_id, st_epoch, st_dev, st_ino;	/* our stream */
	uint64_t st_peer, st_ack;			/* the peer's */
	uint64_t st_hist;				/* Kea: 0 if absent */
	uint64_t st_size;	/* the lease file's size when saved; 0 if absent */
};

/*
 * Parses a whole state file.  0, or -1 with "PATH:LINE: what" in err: a
 * missing header, a line cut short, an unknown or repeated key, a value
 * that is not 1 to 16 lowercase hex digits, a key missing at the end,
 * an id of 0 or an epoch past STATE_EPOCH_MAX.
 */
int	state_parse(const char *buf, size_t len, const char *path,
	    struct ds_state *, char *err, size_t errlen);
/* The file's text, hist= only if asked; its length or -1 if too small. */
int	state_format(const struct ds_state *, int hist, char *buf, size_t len);

#endif
