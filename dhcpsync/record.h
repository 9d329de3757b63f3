/* SPDX-License-Identifier: ISC */
/*
 * One DHCPv4 lease as both servers know it, and its canonical one-line
 * form: the record the stream carries, the table keeps and the merge rule
 * compares.  Every parser fills a struct lease; every writer reads one.
 */
#ifndef DS_RECORD_H
#define DS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define LEASE_HW_MAX	 20
#define LEASE_UID_MAX	 255
#define LEASE_HOST_MAX	 255
/*
 * set/option/on... statements, raw, "\n"-separated: room for several of
 * the longest values dhcpd reads (a 1,499-byte token, 255-byte options
 * written as \ooo).  The record carries them as hex, hence twice that.
 */
#define LEASE_EXTRA_MAX	 16384
#define LEASE_REC_MAX	 (2 * LEASE_EXTRA_MAX + 4096)	/* NUL included */

#define LEASE_T_NONE	 INT64_MIN	/* field absent */
#define LEASE_T_NEVER	 INT64_MAX	/* "ends never;" */

#define LEASE_HW_UNKNOWN 5	/* l_hwtype of "unknown-N" */

/* A lease's times in the order dhcpd writes them (lease_time_names). */
enum lease_time {
	LT_STARTS, LT_ENDS, LT_TSTP, LT_TSFP, LT_ATSFP, LT_CLTT, LEASE_NTIMES
};
extern const char *const lease_time_names[LEASE_NTIMES];

enum lease_state {
	LS_NONE = 0, LS_FREE, LS_ACTIVE, LS_EXPIRED, LS_RELEASED, LS_ABANDONED,
	LS_RESET, LS_BACKUP, LS_RESERVED, LS_BOOTP, LS__MAX
};

struct lease {
	uint32_t l_addr;		/* host byte order */
	union {				/* the parsers and writers walk l_times */
		int64_t	 l_times[LEASE_NTIMES];
		struct {
			int64_t	 l_starts, l_ends, l_tstp, l_tsfp, l_atsfp,
				 l_cltt;
		};
	};
	uint8_t	 l_state, l_next, l_rewind;
	uint8_t	 l_hwtype;		/* index in lease_hwtype_names, 0 none */
	uint8_t	 l_hwraw;		/* LEASE_HW_UNKNOWN: dhcpd's type number */
	uint8_t	 l_hwlen;
	uint8_t	 l_hw[LEASE_HW_MAX];
	uint16_t l_uidlen;
	uint8_t	 l_uid[LEASE_UID_MAX];
	uint16_t l_hostlen;
	uint8_t	 l_host[LEASE_HOST_MAX];
	uint16_t l_extralen;
	char	 l_extra[LEASE_EXTRA_MAX];
};

void	lease_init(struct lease *, uint32_t addr);
const char *lease_state_name(int);
int	lease_state_parse(const char *, size_t);
const char *lease_hwtype_name(int);
/* "ethernet", or "unknown-N" for a type dhcpd has no name for. */
void	lease_hwtype_format(const struct lease *, char *, size_t);
/* Sets l_hwtype (and l_hwraw); 0 or -1. */
int	lease_hwtype_parse(const char *, size_t, struct lease *);
/* Merge rank of a binding state: later states of one transaction win ties. */
int	lease_state_rank(int);

/* Canonical record "ip=192.0.2.1 cltt=... bs=active ..."; length or -1. */
int	lease_encode(const struct lease *, char *buf, size_t len);
/* Inverse of lease_encode; strict; 0 or -1 with the field named in err. */
int	lease_decode(const char *buf, size_t len, struct lease *,
	    char *err, size_t errlen);

/*
 * The failover draft's rule: the most recent client-last-transaction time
 * wins; ties go to the later binding state, then to the greater record
 * bytes.  A total order, so merging is commutative and idempotent.
 * Returns <0, 0, >0 like memcmp.
 */
int	lease_cmp(int64_t acltt, int arank, const char *a, size_t alen,
	    int64_t bcltt, int brank, const char *b, size_t blen);

/* Helpers shared by the parsers. */
int	lease_addr_parse(const char *, size_t, uint32_t *);
void	lease_addr_format(uint32_t, char *buf, size_t len);
int64_t	lease_days_from_civil(int64_t y, unsigned m, unsigned d);
void	lease_civil_from_time(int64_t t, int *y, int *mo, int *d, int *wd,
	    int *h, int *mi, int *s);
int	lease_hex_parse(const char *, size_t, uint8_t *, size_t max,
	    size_t *outlen, int colons);
/* "0a:1b:2c", as dhcpd and Kea write them; -1 if buf (3 * n + 1) is short. */
int	lease_hex_format(char *buf, size_t len, const uint8_t *, size_t n);

#endif
