/* SPDX-License-Identifier: ISC */
/*
 * The dhcpsync stream, version 1: text lines, '\n'-terminated, at most
 * PROTO_LINE_MAX bytes, the same in both directions of one connection.
 *
 *	HELLO 1 id=ID peer=ID ack=SEQ	first line each way: my stream id,
 *					the last peer stream I took records
 *					from and the last SEQ of it on my disk
 *	R SEQ CRC RECORD		one lease; SEQ strictly increasing;
 *					CRC = crc32 of "SEQ RECORD", 8 hex
 *	SYNCED SEQ			everything I had is sent, up to SEQ
 *	ACK SEQ				your records up to SEQ are on my disk
 *	SKIPPED N BROKEN		N leases in my file I could not
 *					carry; BROKEN 1: I stopped reading
 *					it.  Sent, before a SYNCED, only
 *					when it changes from "0 0"
 *
 * ID is 16 hex digits, 0 for none.  RECORD is lease_encode()'s form.
 */
#ifndef DS_PROTO_H
#define DS_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define PROTO_VERSION	1
#define PROTO_LINE_MAX	(LEASE_REC_MAX + 64)

enum proto_type { PM_HELLO = 1, PM_RECORD, PM_SYNCED, PM_ACK, PM_SKIPPED };

struct proto_msg {
	int	 pm_type;
	uint64_t pm_id, pm_peer;	/* HELLO */
	uint64_t pm_seq;		/* HELLO's ack, R, SYNCED, ACK */
	uint64_t pm_skipped;		/* SKIPPED */
	int	 pm_broken;
	struct lease pm_lease;		/* R */
	const char *pm_rec;		/* R: record inside the line */
	size_t	 pm_reclen;
};

uint32_t proto_crc32(uint32_t crc, const void *, size_t);
/* line excludes the '\n'.  0, or -1 with the field named in err. */
int	proto_parse(const char *line, size_t len, struct proto_msg *,
	    char *err, size_t errlen);
/* Formatters: the line with its '\n'; length or -1 if buf is short. */
int	proto_hello(char *, size_t, uint64_t id, uint64_t peer, uint64_t ack);
int	proto_record(char *, size_t, uint64_t seq, const char *rec, size_t);
int	proto_simple(char *, size_t, const char *word, uint64_t seq);
int	proto_skipped(char *, size_t, uint64_t n, int broken);
/*
 * A record is accepted only when it is canonical and survives the trip
 * through dhcpd's format unchanged, so nothing a peer sends can inject
 * text into the lease file.  0 or -1 (err set).
 */
int	proto_record_check(const char *rec, size_t len, struct lease *,
	    char *err, size_t errlen);

#endif
