# SPDX-License-Identifier: ISC
# Sourced by the pgwatch tests that watch a live pair: a PostgreSQL primary
# and streaming standby (tests/lib/pg.sh), their conninfos P and S, and
# their host:port names as regexes PN and SN.
needs_root
. "$T_TOP/tests/lib/pg.sh"
. "$T_TOP/tests/pgwatch/watchfmt.sh"
pg_pair_start || bail "could not start a PostgreSQL pair"

P="host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres"
S="host=127.0.0.1 port=$PG_STANDBY_PORT user=postgres"
PN="127\.0\.0\.1:$PG_PRIMARY_PORT"
SN="127\.0\.0\.1:$PG_STANDBY_PORT"
