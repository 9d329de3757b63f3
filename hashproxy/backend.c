/* SPDX-License-Identifier: ISC */
/*
 * Backends and servers: which servers may take a connection, which one a
 * source maps to, and the one place a server's state changes (with its
 * event line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "duration.h"
#include "evline.h"
#include "log.h"
#include "acl.h"
#include "hashproxy.h"
#include "check-agent.h"

static void backend_alt_free(struct hp_backend *);
static void server_inherit_all(struct hp_server *);

static int
server_same_addr(const struct hp_server *s, const struct cf_server *cs)
{
	/* init-addr none: the address the resolvers found stays */
	if (cs->sv_unresolved && cs->sv_fqdn[0] != '\0' &&
	    strcmp(s->s_cf.sv_fqdn, cs->sv_fqdn) == 0)
		return 1;
	return s->s_cf.sv_addr.ca_sslen == cs->sv_addr.ca_sslen &&
	    memcmp(&s->s_cf.sv_addr.ca_ss, &cs->sv_addr.ca_ss,
	    cs->sv_addr.ca_sslen) == 0;
}

/* s_cf from cs, the names s's own (its name stays: cs is found by it) */
static int
server_set_cf(struct hp_server *s, const struct cf_server *cs)
{
	char *rs;

	if ((rs = strdup(cs->sv_resolvers)) == NULL)
		return -1;
	free(s->s_resolvers);
	s->s_resolvers = rs;
	s->s_cf = *cs;
	s->s_cf.sv_name = s->s_name;
	s->s_cf.sv_resolvers = s->s_resolvers;
	return 0;
}

static struct hp_server *
server_new(struct hp_backend *be, const struct cf_server *cs)
{
	struct hp_server *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->s_refs = 1;
	TAILQ_INIT(&s->s_queue);
	if ((s->s_name = strdup(cs->sv_name)) == NULL) {
		free(s);
		return NULL;
	}
	if (server_set_cf(s, cs) == -1) {
		free(s->s_name);
		free(s);
		return NULL;
	}
	s->s_iweight = cs->sv_weight;
	s->s_admin = cs->sv_disabled ? ADM_MAINT : ADM_READY;
	s->s_rmaint = cs->sv_unresolved;	/* dns.c resolves it */
	/* s_op is SRV_UP (calloc): haproxy starts a server up */
	/* haproxy: up, but down at the first failed check */
	s->s_health = cs->sv_rise;
	s->s_lastchg = mono_usec();
	snprintf(s->s_chk_status, sizeof(s->s_chk_status), "%s",
	    cs->sv_check ? "INI" : "");
	return s;
}

void
server_unref(struct hp_server *s)
{
	if (s == NULL || --s->s_refs > 0)
		return;
	check_stop(s);
	agent_free(s);
	if (s->s_ss_timer != NULL)
		event_free(s->s_ss_timer);
	server_unref(s->s_track);
	free(s->s_name);
	free(s->s_resolvers);
	free(s);
}

struct hp_backend *
backend_new(struct hp_ctx *ctx, const struct cf_backend *cb,
    struct hp_backend *old)
{
	struct hp_backend *be;
	struct cf_addr keep;
	int i, j;

	if ((be = calloc(1, sizeof(*be))) == NULL)
		return NULL;
	be->b_refs = 1;
	be->b_alt_avoid = -1;
	TAILQ_INIT(&be->b_queue);
	be->b_rnd = (uint32_t)mono_usec() | 1;
	be->b_ctx = ctx;
	be->b_cf = *cb;
	be->b_cf.be_servers = NULL;
	if ((be->b_name = strdup(cb->be_name)) == NULL) {
		free(be);
		return NULL;
	}
	be->b_cf.be_name = be->b_name;
	be->b_lastchg = mono_usec();
	if (cb->be_nservers > 0 && (be->b_srv = calloc((size_t)cb->be_nservers,
	    sizeof(*be->b_srv))) == NULL)
		goto fail;
	for (i = 0; i < cb->be_nservers; i++) {
		const struct cf_server *cs = &cb->be_servers[i];
		struct hp_server *s = NULL;

		/* a reload keeps a server's state and counters when its
		 * name and address stay */
		for (j = 0; old != NULL && j < old->b_nsrv; j++)
			if (old->b_srv[j] != NULL && strcmp(old->b_srv[j]->
			    s_cf.sv_name, cs->sv_name) == 0 &&
			    server_same_addr(old->b_srv[j], cs)) {
				s = old->b_srv[j];
				old->b_srv[j] = NULL;
				check_stop(s);
				if (cs->sv_disabled != s->s_cf.sv_disabled)
					s->s_admin = cs->sv_disabled ?
					    ADM_MAINT : ADM_READY;
				keep = s->s_cf.sv_addr;
				if (server_set_cf(s, cs) == -1) {
					old->b_srv[j] = s;
					goto fail;
				}
				if (cs->sv_unresolved)
					s->s_cf.sv_addr = keep;
				s->s_iweight = cs->sv_weight;
				if (s->s_health >= cs->sv_rise + cs->sv_fall)
					s->s_health = cs->sv_rise +
					    cs->sv_fall - 1;
				break;
			}
		if (s == NULL && (s = server_new(be, cs)) == NULL)
			goto fail;
		s->s_be = be;
		s->s_idx = i;
		be->b_srv[i] = s;
		be->b_nsrv++;
	}
	if (backend_rebuild(be) == -1)
		goto fail;
	return be;
fail:
	backend_unref(be);
	return NULL;
}

void
backend_unref(struct hp_backend *be)
{
	int i;

	if (be == NULL || --be->b_refs > 0)
		return;
	for (i = 0; i < be->b_nsrv; i++)
		server_unref(be->b_srv[i]);
	free(be->b_srv);
	free(be->b_cands);
	hash_ring_free(&be->b_ring);
	hash_map_free(&be->b_map);
	backend_alt_free(be);
	acl_set_free(be->b_rules);
	if (be->b_next != NULL)
		backend_unref(be->b_next);
	free(be->b_name);
	free(be);
}

int
server_usable(const struct hp_server *s)
{
	return s->s_op == SRV_UP && !s->s_nolb && s->s_admin == ADM_READY &&
	    !s->s_imaint && !s->s_idrain && !s->s_rmaint &&
	    s->s_cf.sv_weight > 0;
}

/* haproxy's "not stopped": up, draining or starting; use-server's test */
int
server_running(const struct hp_server *s)
{
	return s->s_op == SRV_UP && s->s_admin != ADM_MAINT && !s->s_imaint &&
	    !s->s_rmaint;
}

/* whole seconds since s came up, while its slowstart lasts; -1 after */
static int64_t
server_ramp(const struct hp_server *s, uint64_t now)
{
	uint64_t ss = s->s_cf.sv_slowstart;

	if (s->s_ss_start == 0 || ss == 0 || now >= s->s_ss_start + ss)
		return -1;
	return (int64_t)((now - s->s_ss_start) / 1000000);
}

/*
 * haproxy's server_recalc_eweight(): during slowstart the weight grows
 * each second from 1/16 of it to all of it, for the algorithms whose
 * weights change at run time (not map-based hashing).
 */
static int
server_eweight(const struct hp_server *s, uint64_t now)
{
	int64_t t = server_ramp(s, now);
	uint64_t ss = s->s_cf.sv_slowstart / 1000000;
	int w = s->s_cf.sv_weight;

	if (t < 0 || ss == 0)
		return w * HASH_WEIGHT_SCALE;
	return (int)((uint64_t)w * (HASH_WEIGHT_SCALE * (uint64_t)t + ss) /
	    ss);
}

/* haproxy's fullconn default: a tenth of what may come in, at least 1 */
static int
backend_fullconn(const struct hp_backend *be)
{
	int full = be->b_cf.be_fullconn;

	if (full == 0 && be->b_ctx != NULL)
		full = (be->b_ctx->c_maxconn + 9) / 10;
	return full > 0 ? full : 1;
}

int
server_maxconn(const struct hp_server *s)
{
	const struct hp_backend *be = s->s_be;
	int max = s->s_cf.sv_maxconn, min = s->s_cf.sv_minconn, full, load;
	int64_t t;

	/* haproxy: a minconn above maxconn (or alone) is the maxconn */
	if (min > max)
		max = min;
	if (max == 0)
		return 0;
	if (be != NULL && min > 0 && min < max) {
		full = backend_fullconn(be);
		load = be->b_conns;
		if (load < full) {
			max = (int)((int64_t)load * max / full);
			if (max < min)
				max = min;
		}
	}
	if ((t = server_ramp(s, mono_usec())) >= 0) {
		int64_t ss = (int64_t)(s->s_cf.sv_slowstart / 1000000);

		max = (int)((int64_t)max * (100 * t / ss) / 100);
		if (max < 1)
			max = 1;
	}
	return max;
}

int
server_full(const struct hp_server *s)
{
	int max = server_maxconn(s);

	return max > 0 && (s->s_qcur > 0 || s->s_cur >= max);
}

int
server_takes_queue(const struct hp_server *s)
{
	const struct hp_backend *be = s->s_be;
	int i, max;

	if (be == NULL || !server_usable(s) || TAILQ_EMPTY(&be->b_queue))
		return 0;
	if ((max = server_maxconn(s)) > 0 && s->s_cur >= max)
		return 0;
	/* only a server the backend would pick from (not a spare backup) */
	for (i = 0; i < be->b_ncands; i++)
		if (be->b_cands[i].hc_idx == s->s_idx)
			return 1;
	return 0;
}

/*
 * The candidates, as haproxy chooses them: the usable active servers;
 * if none, the first usable backup (all of them with allbackups).  The
 * server at index down counts as down.  Then their map and ring.
 */
static int
backend_build(struct hp_backend *be, int down, struct hash_cand **cp,
    int *np, struct hash_ring *ring, struct hash_map *map)
{
	struct hash_cand *c;
	uint64_t now = mono_usec();
	int i, n = 0, backup, dyn;

	/* haproxy's map-based hashing is static: slowstart cannot change it */
	dyn = !(be->b_cf.be_balance == BAL_SOURCE &&
	    be->b_cf.be_hashtype == HT_MAP);
	*cp = NULL;
	*np = 0;
	if (be->b_nsrv == 0)
		return 0;
	if ((c = calloc((size_t)be->b_nsrv, sizeof(*c))) == NULL)
		return -1;
	for (backup = 0; backup < 2 && n == 0; backup++)
		for (i = 0; i < be->b_nsrv; i++) {
			struct hp_server *s = be->b_srv[i];

			if (s == NULL || !server_usable(s) || i == down ||
			    s->s_cf.sv_backup != backup)
				continue;
			c[n].hc_idx = i;
			c[n].hc_id = (uint32_t)s->s_cf.sv_id;
			c[n].hc_weight = s->s_cf.sv_weight;
			s->s_eweight = server_eweight(s, now);
			if (dyn)
				c[n].hc_eweight = s->s_eweight;
			n++;
			if (backup && !be->b_cf.be_allbackups)
				break;
		}
	*cp = c;
	*np = n;
	if (hash_map_build(map, c, n) == -1)
		return -1;
	if (((be->b_cf.be_balance == BAL_SOURCE &&
	    be->b_cf.be_hashtype == HT_CONSISTENT) ||
	    be->b_cf.be_balance == BAL_RANDOM) &&
	    hash_ring_build(ring, c, n) == -1)
		return -1;
	return 0;
}

static void
backend_alt_free(struct hp_backend *be)
{
	free(be->b_alt_cands);
	be->b_alt_cands = NULL;
	be->b_alt_ncands = 0;
	hash_ring_free(&be->b_alt_ring);
	hash_map_free(&be->b_alt_map);
	be->b_alt_avoid = -1;
}

/*
 * The backend as it will be once server avoid is down (b_alt_*), built
 * once for all the redispatches away from it; -1 when out of memory.
 */
static int
backend_alt(struct hp_backend *be, int avoid)
{
	if (be->b_alt_avoid == avoid)
		return 0;
	backend_alt_free(be);
	if (backend_build(be, avoid, &be->b_alt_cands, &be->b_alt_ncands,
	    &be->b_alt_ring, &be->b_alt_map) == -1) {
		backend_alt_free(be);
		return -1;
	}
	be->b_alt_avoid = avoid;
	return 0;
}

int
backend_rebuild(struct hp_backend *be)
{
	hash_ring_free(&be->b_ring);
	hash_map_free(&be->b_map);
	free(be->b_cands);
	be->b_cands = NULL;
	be->b_ncands = 0;
	backend_alt_free(be);
	return backend_build(be, -1, &be->b_cands, &be->b_ncands,
	    &be->b_ring, &be->b_map);
}

/* The candidates a pick chooses among: the backend's, or b_alt_*. */
struct backend_set {
	struct hp_backend	*bs_be;
	const struct hash_cand	*bs_cands;
	int			 bs_n;
	const struct hash_ring	*bs_ring;
	const struct hash_map	*bs_map;
};

/* hash-balance-factor: no server above factor% of the average load. */
static int
backend_eligible(void *arg, int idx)
{
	struct backend_set *bs = arg;
	struct hp_backend *be = bs->bs_be;
	struct hp_server *s = be->b_srv[idx];
	uint64_t tot_w = 0, slots;
	int i;

	for (i = 0; i < bs->bs_n; i++)
		tot_w += (uint64_t)bs->bs_cands[i].hc_weight;
	if (tot_w == 0)
		return 0;
	slots = ((uint64_t)(be->b_cur + 1) * (uint64_t)be->b_cf.
	    be_balance_factor + 99) / 100;
	slots = (slots * (uint64_t)s->s_cf.sv_weight + tot_w - 1) / tot_w;
	return (uint64_t)s->s_cur < slots;
}

/*
 * A redispatch away from avoid picks among the servers left once avoid
 * is down, with their own map and ring: the server a client then lands
 * on is the one it keeps when a check marks avoid down, for every hash
 * type.  Out of memory, the full set with avoid skipped will do.
 */
static void
backend_set_for(struct hp_backend *be, int avoid, struct backend_set *bs)
{
	bs->bs_be = be;
	if (avoid >= 0 && backend_alt(be, avoid) == 0) {
		bs->bs_cands = be->b_alt_cands;
		bs->bs_n = be->b_alt_ncands;
		bs->bs_ring = &be->b_alt_ring;
		bs->bs_map = &be->b_alt_map;
		return;
	}
	bs->bs_cands = be->b_cands;
	bs->bs_n = be->b_ncands;
	bs->bs_ring = &be->b_ring;
	bs->bs_map = &be->b_map;
}

/*
 * balance first: the server with the lowest id that has room (haproxy's
 * fas_get_next_server: served and queued under maxconn plus maxqueue).
 */
static int
backend_first(struct hp_backend *be, const struct backend_set *bs,
    int avoid)
{
	int i, idx = -1;

	for (i = 0; i < bs->bs_n; i++) {
		int k = bs->bs_cands[i].hc_idx, max;
		struct hp_server *s = be->b_srv[k];

		if (k == avoid || (idx != -1 &&
		    s->s_cf.sv_id > be->b_srv[idx]->s_cf.sv_id))
			continue;
		max = server_maxconn(s);
		if (max == 0 || s->s_cur + s->s_qcur < max +
		    s->s_cf.sv_maxqueue)
			idx = k;
	}
	return idx;
}

/* xorshift32: the draws need spread, not secrecy */
static uint32_t
backend_rand(struct hp_backend *be)
{
	uint32_t x = be->b_rnd;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return be->b_rnd = x;
}

/*
 * balance random(N): N random points on the consistent ring, the least
 * loaded of their servers by weight (haproxy's get_server_rnd); a full
 * one means the backend's queue.
 */
static int
backend_random(struct hp_backend *be, struct backend_set *bs, int avoid)
{
	int d, cur = -1, prev;

	for (d = 0; d < be->b_cf.be_draws; d++) {
		prev = cur;
		cur = hash_ring_lookup(bs->bs_ring, backend_rand(be), avoid,
		    be->b_cf.be_balance_factor ? backend_eligible : NULL, bs);
		if (cur < 0)
			break;
		if (prev >= 0 && prev != cur &&
		    (uint64_t)be->b_srv[cur]->s_cur *
		    (uint64_t)be->b_srv[prev]->s_eweight >
		    (uint64_t)be->b_srv[prev]->s_cur *
		    (uint64_t)be->b_srv[cur]->s_eweight)
			cur = prev;
	}
	if (cur >= 0 && server_full(be->b_srv[cur]))
		return -1;
	return cur;
}

/*
 * The server for a new connection, or NULL: none usable, or, for every
 * balance but source, all of them full (then it waits in the backend's
 * queue).  A hashed pick may be full: it waits in the server's queue.
 */
struct hp_server *
backend_pick(struct hp_backend *be, const struct sockaddr *src,
    const struct hp_server *avoid)
{
	int avoididx = avoid != NULL && avoid->s_be == be ? avoid->s_idx : -1;
	struct backend_set bs;
	int i, idx = -1;
	uint32_t h;

	if (be->b_ncands == 0)
		return NULL;
	backend_set_for(be, avoididx, &bs);
	switch (be->b_cf.be_balance) {
	case BAL_SOURCE:
		/* haproxy does not hash when one server is left */
		h = bs.bs_n == 1 ? 0 : hash_source(src, be->b_cf.be_avalanche);
		if (be->b_cf.be_hashtype == HT_CONSISTENT)
			idx = hash_ring_lookup(bs.bs_ring, h, avoididx,
			    be->b_cf.be_balance_factor ? backend_eligible :
			    NULL, &bs);
		else if (be->b_cf.be_hashtype == HT_RENDEZVOUS)
			idx = hash_hrw_lookup(bs.bs_cands, bs.bs_n, h,
			    avoididx);
		else
			idx = hash_map_lookup(bs.bs_map, h, avoididx);
		break;
	case BAL_ROUNDROBIN:
		for (i = 0; i < bs.bs_map->hm_len; i++) {
			int k = bs.bs_map->hm_idx[be->b_rr++ %
			    (unsigned)bs.bs_map->hm_len];

			if (k != avoididx && !server_full(be->b_srv[k])) {
				idx = k;
				break;
			}
		}
		break;
	case BAL_LEASTCONN:
		for (i = 0; i < bs.bs_n; i++) {
			int k = bs.bs_cands[i].hc_idx;
			struct hp_server *s = be->b_srv[k];

			if (k == avoididx || server_full(s) ||
			    s->s_eweight == 0)
				continue;
			/* fewest connections per unit of weight */
			if (idx == -1 || (uint64_t)s->s_cur *
			    (uint64_t)be->b_srv[idx]->s_eweight <
			    (uint64_t)be->b_srv[idx]->s_cur *
			    (uint64_t)s->s_eweight)
				idx = k;
		}
		break;
	case BAL_FIRST:
		idx = backend_first(be, &bs, avoididx);
		break;
	case BAL_RANDOM:
		idx = backend_random(be, &bs, avoididx);
		break;
	}
	/* nobody else: the caller retries avoid */
	if (idx < 0 && avoididx >= 0 && be->b_ncands == 1)
		idx = be->b_cands[0].hc_idx;
	return idx < 0 ? NULL : be->b_srv[idx];
}

const struct hp_server *
server_ref(const struct hp_server *s)
{
	while (s->s_track != NULL)
		s = s->s_track;
	return s;
}

/*
 * show stat's status column, haproxy 2.6's forms: a server up counts
 * the failed checks it can still take before it goes down ("UP 2/3":
 * two of fall 3 left), a server down the passed checks it has towards
 * rise ("DOWN 1/2").  DRAIN only names a server up, NOLB wins over it
 * (haproxy's stopping state), a server down says DOWN whatever its
 * admin state short of maintenance.  A tracking server counts with the
 * checks of the server at the end of its chain, and names the server
 * it tracks when its maintenance comes from there.
 */
const char *
server_status(const struct hp_server *s)
{
	static char buf[32];
	const struct hp_server *ref = server_ref(s);
	int rise = ref->s_cf.sv_rise, fall = ref->s_cf.sv_fall;
	int checked = ref->s_cf.sv_check;
	int going = checked && ref->s_health < rise + fall - 1;
	const char *word;

	if (s->s_rmaint)
		return "MAINT (resolution)";
	if (s->s_imaint) {
		/* any length: the names are; the caller copies it at once */
		static char *via;
		size_t n = strlen(s->s_track->s_be->b_cf.be_name) +
		    strlen(s->s_track->s_cf.sv_name) + sizeof("MAINT (via /)");
		char *b = realloc(via, n);

		if (b == NULL)
			return "MAINT";
		via = b;
		snprintf(via, n, "MAINT (via %s/%s)",
		    s->s_track->s_be->b_cf.be_name, s->s_track->s_cf.sv_name);
		return via;
	}
	if (s->s_admin == ADM_MAINT)
		return "MAINT";
	if (s->s_op == SRV_DOWN) {
		if (!agent_up(ref))
			return "DOWN (agent)";
		if (!checked || ref->s_health == 0)
			return "DOWN";
		snprintf(buf, sizeof(buf), "DOWN %d/%d", ref->s_health, rise);
		return buf;
	}
	if (s->s_nolb)
		word = "NOLB";
	else if ((s->s_admin == ADM_DRAIN || s->s_idrain) &&
	    ref->s_agent != NULL)
		return "DRAIN (agent)";
	else if (s->s_admin == ADM_DRAIN || s->s_idrain)
		word = "DRAIN";
	else if (checked)
		word = "UP";
	else
		return "no check";
	if (!going)
		return word;
	/* up means health >= rise: at rise, one more failure takes it down */
	snprintf(buf, sizeof(buf), "%s %d/%d", word, ref->s_health - rise + 1,
	    fall);
	return buf;
}

static int
backend_active_left(const struct hp_backend *be)
{
	int i, n = 0;

	for (i = 0; i < be->b_nsrv; i++)
		if (be->b_srv[i] != NULL && !be->b_srv[i]->s_cf.sv_backup &&
		    server_usable(be->b_srv[i]))
			n++;
	return n;
}

static void
server_shutdown(struct hp_server *s, const char *why)
{
	int n = conn_shutdown_sessions_locked(s);

	if (n > 0)
		log_info("server %s/%s: %d session%s shut down (%s)",
		    s->s_be->b_cf.be_name, s->s_cf.sv_name, n, n == 1 ? "" : "s",
		    why);
}

/*
 * haproxy's on-marked-down shutdown-sessions: a server marked down keeps
 * no client (the Patroni pattern: nobody stays on a demoted primary);
 * on-marked-up shutdown-backup-sessions: an active server that comes up
 * with a weight takes every client back from the backups.
 */
static void
server_marked_actions(struct hp_server *s, enum srv_op op)
{
	struct hp_backend *be = s->s_be;
	int i;

	if (op == SRV_DOWN && s->s_cf.sv_onmarkeddown)
		server_shutdown(s, "on-marked-down shutdown-sessions");
	if (op != SRV_UP || !s->s_cf.sv_onmarkedup || s->s_cf.sv_backup ||
	    !server_usable(s))
		return;
	for (i = 0; i < be->b_nsrv; i++)
		if (be->b_srv[i] != NULL && be->b_srv[i]->s_cf.sv_backup)
			server_shutdown(be->b_srv[i],
			    "on-marked-up shutdown-backup-sessions");
}

static void server_ss_tick(evutil_socket_t, short, void *);

/*
 * slowstart: a server back from down or maintenance gets its weight and
 * its maxconn step by step, rebuilt every max(1s, slowstart/20) as
 * haproxy's server_warmup task; never at start-up.
 */
static void
server_ss_arm(struct hp_server *s)
{
	uint64_t step = s->s_cf.sv_slowstart / 20;
	struct timeval tv;

	if (step < 1000000)
		step = 1000000;
	tv = duration_tv(step);
	if (s->s_ss_timer == NULL && (s->s_be == NULL || (s->s_ss_timer =
	    evtimer_new(s->s_be->b_ctx->c_base, server_ss_tick, s)) == NULL))
		return;
	evtimer_add(s->s_ss_timer, &tv);
}

static void
server_ss_begin(struct hp_server *s)
{
	if (s->s_cf.sv_slowstart == 0)
		return;
	s->s_ss_start = mono_usec();
	server_ss_arm(s);
}

/*
 * s began or stopped taking clients: the candidates again, then those
 * waiting for it go elsewhere (out), or take the slots it has (in).
 */
static void
server_reroute(struct hp_server *s, int out)
{
	struct hp_backend *be = s->s_be;

	if (be != NULL && backend_rebuild(be) == -1)
		log_warnx("backend %s: out of memory rebuilding the server "
		    "list", be->b_cf.be_name);
	if (out)
		queue_requeue_locked(s);
	else if (be != NULL && server_usable(s))
		queue_dequeue_locked(s);
}

static void
server_ss_tick(evutil_socket_t fd, short what, void *arg)
{
	struct hp_server *s = arg;
	struct hp_backend *be = s->s_be;

	if (be == NULL)
		return;
	thread_lock(be->b_ctx);
	if (server_ramp(s, mono_usec()) < 0)
		s->s_ss_start = 0;
	else
		server_ss_arm(s);
	server_reroute(s, 0);
	thread_unlock(be->b_ctx);
}

_Static_assert(SRV_UP == 0, "a new server (calloc) is up");

/*
 * The only writer of s_op, with the counters that go with a change;
 * 0 when op is s's state already.
 */
static int
server_op_store(struct hp_server *s, enum srv_op op)
{
	uint64_t now = mono_usec();

	if (s->s_op == op)
		return 0;
	s->s_op = op;
	if (op == SRV_DOWN) {
		s->s_chkdown++;
		s->s_downsince = now;
	} else if (s->s_downsince != 0) {
		s->s_downtime += now - s->s_downsince;
		s->s_downsince = 0;
	}
	s->s_lastchg = now;
	return 1;
}

/*
 * The next server of the running configuration, after (*bi, *si), that
 * tracks s; NULL after the last.  Start with *bi 0 and *si -1.  A state
 * change is rare: going through every server is cheaper than keeping a
 * list of trackers right across reloads.
 */
static struct hp_server *
server_next_tracker(const struct hp_server *s, int *bi, int *si)
{
	struct hp_ctx *ctx = s->s_be != NULL ? s->s_be->b_ctx : NULL;
	struct hp_server *t;

	for (; ctx != NULL && *bi < ctx->c_nbe; (*bi)++, *si = -1)
		while (++*si < ctx->c_be[*bi]->b_nsrv)
			if ((t = ctx->c_be[*bi]->b_srv[*si]) != NULL &&
			    t->s_track == s)
				return t;
	return NULL;
}

/* " via B/S" in a log line when v is not NULL, names whole */
#define VIA_FMT		"%s%s%s%s"
#define VIA_ARGS(v)	(v) != NULL ? " via " : "", \
	(v) != NULL ? (v)->s_be->b_cf.be_name : "", (v) != NULL ? "/" : "", \
	(v) != NULL ? (v)->s_cf.sv_name : ""

static void
server_evline_via(struct evline *el, const struct hp_server *via)
{
	if (via != NULL)
		evline_strf(el, "via", "%s/%s", via->s_be->b_cf.be_name,
		    via->s_cf.sv_name);
}

/*
 * --lookup --down: nothing runs yet and stdout is the answer: no log,
 * no event line; the caller rebuilds the backends.
 */
void
server_set_op_quiet(struct hp_server *s, enum srv_op op)
{
	struct hp_server *t;
	int bi = 0, si = -1;

	if (!server_op_store(s, op))
		return;
	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_set_op_quiet(t, op);
}

/*
 * A change of s_op: logs, prints the event line, rebuilds; then the
 * servers that track s take the same state, via s (haproxy's "is DOWN
 * via be1/s1"), with the reason and check status of the change.
 */
static void
server_set_op_via(struct hp_server *s, enum srv_op op, const char *why,
    const struct hp_server *via)
{
	struct hp_backend *be = s->s_be;
	struct hp_server *t;
	struct evline el;
	int bi = 0, si = -1;

	if (!server_op_store(s, op))
		return;
	if (op == SRV_UP)
		server_ss_begin(s);
	server_reroute(s, op == SRV_DOWN);
	if (be == NULL)
		return;
	log_info("server %s/%s is %s" VIA_FMT ": %s (%d active servers left)",
	    be->b_cf.be_name, s->s_cf.sv_name, op == SRV_UP ? "UP" : "DOWN",
	    VIA_ARGS(via), why, backend_active_left(be));
	evline_begin(&el, op == SRV_UP ? "up" : "down", NULL);
	evline_str(&el, "backend", be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	server_evline_via(&el, via);
	evline_quoted(&el, "reason", why);
	evline_str(&el, "check", server_ref(s)->s_chk_status);
	evline_int(&el, "active", backend_active_left(be));
	evline_emit(&el);
	server_marked_actions(s, op);
	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_set_op_via(t, op, why, s);
}

void
server_set_op(struct hp_server *s, enum srv_op op, const char *why)
{
	server_set_op_via(s, op, why, NULL);
}

/*
 * http-check disable-on-404: a server that answers 404 while up stops
 * taking new clients (haproxy's NOLB, "stopping") and keeps the ones it
 * has; a 2xx/3xx puts it back at once.  The only writer of s_nolb; the
 * servers that track s follow.
 */
static void
server_set_nolb_via(struct hp_server *s, int on, const char *why,
    const struct hp_server *via)
{
	struct hp_backend *be = s->s_be;
	struct hp_server *t;
	int bi = 0, si = -1;

	if (s->s_nolb == on)
		return;
	s->s_nolb = on;
	/* down: server_set_op said it */
	if (be != NULL && s->s_op != SRV_DOWN) {
		s->s_lastchg = mono_usec();
		server_reroute(s, on);
		log_info("server %s/%s is %s" VIA_FMT ": %s (%d active "
		    "servers left)", be->b_cf.be_name, s->s_cf.sv_name,
		    on ? "stopping" : "UP", VIA_ARGS(via), why,
		    backend_active_left(be));
	}
	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_set_nolb_via(t, on, why, s);
}

void
server_set_nolb(struct hp_server *s, int on, const char *why)
{
	server_set_nolb_via(s, on, why, NULL);
}

void
server_set_admin(struct hp_server *s, enum srv_admin a)
{
	static const char *word[] = { "ready", "drain", "maint" };
	struct hp_backend *be = s->s_be;
	struct evline el;

	if (s->s_admin == a)
		return;
	if (s->s_admin == ADM_MAINT && a == ADM_READY)
		server_ss_begin(s);
	s->s_admin = a;
	s->s_lastchg = mono_usec();
	if (a == ADM_MAINT)
		check_pause(s);
	else if (s->s_chk_timer == NULL)
		check_start(s);
	if (be == NULL)
		return;
	server_reroute(s, a != ADM_READY);
	log_info("server %s/%s set to %s", be->b_cf.be_name,
	    s->s_cf.sv_name, word[a]);
	evline_begin(&el, word[a], NULL);
	evline_str(&el, "backend", be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	evline_int(&el, "active", backend_active_left(be));
	evline_emit(&el);
	server_inherit_all(s);
}

/*
 * t's inherited maintenance and drain, from the server it tracks (none
 * when it tracks none); a change is logged and printed as an operator's
 * would be, with "via", and goes down the chain.
 */
static void
server_inherit(struct hp_server *t)
{
	static const char *word[] = { "ready", "drain", "maint" };
	const struct hp_server *v = t->s_track;
	struct hp_backend *be = t->s_be;
	int im = v != NULL && (v->s_admin == ADM_MAINT || v->s_rmaint ||
	    v->s_imaint);
	int id = v != NULL && (v->s_admin == ADM_DRAIN || v->s_idrain);
	int was = t->s_imaint, w;
	struct evline el;

	if (t->s_imaint == im && t->s_idrain == id)
		return;
	t->s_imaint = im;
	t->s_idrain = id;
	t->s_lastchg = mono_usec();
	if (was && !im && t->s_admin == ADM_READY)
		server_ss_begin(t);
	if (be != NULL) {
		w = im ? ADM_MAINT : id ? ADM_DRAIN : ADM_READY;
		server_reroute(t, w != ADM_READY);
		log_info("server %s/%s set to %s" VIA_FMT, be->b_cf.be_name,
		    t->s_cf.sv_name, word[w], VIA_ARGS(v));
		evline_begin(&el, word[w], NULL);
		evline_str(&el, "backend", be->b_cf.be_name);
		evline_str(&el, "server", t->s_cf.sv_name);
		server_evline_via(&el, v);
		evline_int(&el, "active", backend_active_left(be));
		evline_emit(&el);
	}
	server_inherit_all(t);
}

/* Each server that tracks s inherits what s has now. */
static void
server_inherit_all(struct hp_server *s)
{
	struct hp_server *t;
	int bi = 0, si = -1;

	while ((t = server_next_tracker(s, &bi, &si)) != NULL)
		server_inherit(t);
}

/*
 * s tracks t from now on (a reload's configuration; t NULL: nothing):
 * it takes t's state at once, then every change of it.
 */
void
server_track(struct hp_server *s, struct hp_server *t)
{
	if (s->s_track != t) {
		if (t != NULL)
			t->s_refs++;
		server_unref(s->s_track);
		s->s_track = t;
	}
	server_inherit(s);
	if (t == NULL)
		return;
	server_set_nolb_via(s, t->s_nolb, "tracking", t);
	server_set_op_via(s, t->s_op, "tracking", t);
}

/* haproxy's RMAINT: no traffic, no checks, until a valid answer. */
void
server_set_rmaint(struct hp_server *s, int on, const char *why)
{
	struct hp_backend *be = s->s_be;
	struct evline el;

	if (s->s_rmaint == on)
		return;
	s->s_rmaint = on;
	s->s_lastchg = mono_usec();
	if (on)
		check_stop(s);
	else if (s->s_chk_timer == NULL)
		check_start(s);
	if (be == NULL)
		return;
	if (backend_rebuild(be) == -1)
		log_warnx("backend %s: out of memory", be->b_cf.be_name);
	if (on)
		queue_requeue_locked(s);
	log_info("server %s/%s %s (%s)", be->b_cf.be_name, s->s_cf.sv_name,
	    on ? "in maintenance for resolution" : "ready again", why);
	evline_begin(&el, on ? "maint" : "ready", NULL);
	evline_str(&el, "backend", be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	evline_int(&el, "active", backend_active_left(be));
	evline_quoted(&el, "reason", why);
	evline_emit(&el);
	server_inherit_all(s);
}

struct hp_server *
backend_find_server(struct hp_ctx *ctx, const char *bname, const char *sname)
{
	int i, j;

	for (i = 0; i < ctx->c_nbe; i++) {
		struct hp_backend *be = ctx->c_be[i];

		if (strcmp(be->b_cf.be_name, bname) != 0)
			continue;
		for (j = 0; j < be->b_nsrv; j++)
			if (be->b_srv[j] != NULL &&
			    strcmp(be->b_srv[j]->s_cf.sv_name, sname) == 0)
				return be->b_srv[j];
	}
	return NULL;
}

struct hp_backend *
backend_find(struct hp_ctx *ctx, const char *bname)
{
	int i;

	for (i = 0; i < ctx->c_nbe; i++)
		if (strcmp(ctx->c_be[i]->b_cf.be_name, bname) == 0)
			return ctx->c_be[i];
	return NULL;
}

/* "host" and "port" of an address, for cf_addr's texts and messages. */
int
sockaddr_text(const struct sockaddr *sa, char *h, size_t hl, int *port)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		*port = ntohs(in->sin_port);
		return inet_ntop(AF_INET, &in->sin_addr, h, (socklen_t)hl) ==
		    NULL ? -1 : 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		*port = ntohs(in6->sin6_port);
		return inet_ntop(AF_INET6, &in6->sin6_addr, h, (socklen_t)hl) ==
		    NULL ? -1 : 0;
	}
	return -1;
}

/*
 * The one writer of a server's address at run time (stats socket "set
 * server addr", resolvers).  Connections made from now on and the next
 * check go to sa; established ones stay where they are.  Its port is
 * taken as given.  -1 for an address of no known family.
 */
int
server_set_addr(struct hp_server *s, const struct sockaddr *sa,
    socklen_t len, const char *why)
{
	struct cf_addr *a = &s->s_cf.sv_addr;
	char oh[INET6_ADDRSTRLEN] = "-", nh[INET6_ADDRSTRLEN];
	struct evline el;
	int op = 0, np;

	if (len > sizeof(a->ca_ss) || sockaddr_text(sa, nh, sizeof(nh),
	    &np) == -1)
		return -1;
	(void)sockaddr_text((const struct sockaddr *)&a->ca_ss, oh,
	    sizeof(oh), &op);
	if (len == a->ca_sslen && memcmp(&a->ca_ss, sa, len) == 0)
		return 0;
	memset(&a->ca_ss, 0, sizeof(a->ca_ss));
	memcpy(&a->ca_ss, sa, len);
	a->ca_sslen = len;
	snprintf(a->ca_host, sizeof(a->ca_host), "%s", nh);
	snprintf(a->ca_port, sizeof(a->ca_port), "%d", np);
	/* a check under way still talks to the old address: start anew */
	if (s->s_chk_timer != NULL) {
		check_stop(s);
		check_start(s);
	}
	if (s->s_be == NULL)
		return 0;
	log_info("server %s/%s changed its address from %s:%d to %s:%d by %s",
	    s->s_be->b_cf.be_name, s->s_cf.sv_name, oh, op, nh, np, why);
	evline_begin(&el, "addr", NULL);
	evline_str(&el, "backend", s->s_be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	evline_str(&el, "addr", nh);
	evline_int(&el, "port", np);
	evline_quoted(&el, "reason", why);
	evline_emit(&el);
	return 0;
}

/*
 * haproxy calls an algorithm whose weights are fixed at start static:
 * its map-based hash only takes weights 0% and 100% at run time.
 */
int
backend_dynamic_weights(const struct hp_backend *be)
{
	return !(be->b_cf.be_balance == BAL_SOURCE &&
	    be->b_cf.be_hashtype == HT_MAP);
}

/*
 * A new user weight, 0..256: the candidates, map and ring are rebuilt,
 * which on a consistent ring moves only this server's share (its points
 * depend on its id and weight alone).  New connections only.
 */
int
server_set_weight(struct hp_server *s, int w)
{
	struct hp_backend *be = s->s_be;
	struct evline el;

	if (w < 0 || w > 256)
		return -1;
	if (s->s_cf.sv_weight == w)
		return 0;
	s->s_cf.sv_weight = w;
	if (be == NULL)
		return 0;
	if (backend_rebuild(be) == -1)
		log_warnx("backend %s: out of memory", be->b_cf.be_name);
	if (w == 0)
		queue_requeue_locked(s);
	log_info("server %s/%s weight set to %d", be->b_cf.be_name,
	    s->s_cf.sv_name, w);
	evline_begin(&el, "weight", NULL);
	evline_str(&el, "backend", be->b_cf.be_name);
	evline_str(&el, "server", s->s_cf.sv_name);
	evline_int(&el, "weight", w);
	evline_int(&el, "active", backend_active_left(be));
	evline_emit(&el);
	return 0;
}
