/* SPDX-License-Identifier: ISC */
/*
 * Backends and servers: built from the configuration (a reload keeps a
 * server's state), which servers may take a connection, which one a
 * source maps to.  A server's state changes in server-state.c.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "acl.h"
#include "hashproxy.h"
#include "check-agent.h"

static void backend_alt_free(struct hp_backend *);

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
	/* a reload enables them again, as haproxy's new process */
	s->s_chk_off = s->s_agt_off = 0;
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
	free(s->s_agentsend);
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
int64_t
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

/*
 * haproxy's fullconn, what minconn's dynamic maxconn and show stat's
 * BACKEND slim read: the configured one, else a tenth of the maxconn of
 * every enabled frontend that may send it clients (by its
 * default_backend or a use_backend rule, each frontend once), at least
 * 1.  As haproxy, from the maxconns the proxies started with: a
 * "set maxconn" later does not change it.
 */
int
backend_fullconn(const struct hp_backend *be)
{
	const struct hp_ctx *ctx = be->b_ctx;
	long long sum = 0;
	int f, k, to;

	if (be->b_cf.be_fullconn != 0 || ctx == NULL)
		return be->b_cf.be_fullconn ? be->b_cf.be_fullconn : 1;
	for (f = 0; f < ctx->c_nfe; f++) {
		const struct hp_frontend *fe = ctx->c_fe[f];
		const struct cf_frontend *cfe = &ctx->c_cf.cf_frontends[f];

		if (cfe->fe_disabled)
			continue;
		to = fe->f_be == be;
		for (k = 0; !to && fe->f_rules != NULL &&
		    k < fe->f_rules->s_nrules; k++)
			to = fe->f_sw[k] == be;
		if (to)
			sum += cfe->fe_maxconn ? cfe->fe_maxconn :
			    ctx->c_hardmaxconn;
	}
	sum = (sum + 9) / 10;
	return sum > INT_MAX ? INT_MAX : sum > 0 ? (int)sum : 1;
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

	/* haproxy's static algorithms: slowstart cannot change them */
	dyn = backend_dynamic_weights(be);
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

/* > 0 while an operator's (or a tracked server's) maintenance or drain
 * changes servers */
static int backend_admin;

void
backend_admin_change(int begin)
{
	backend_admin += begin ? 1 : -1;
}

/*
 * haproxy's set_backend_down() and its way back up: show stat's BACKEND
 * chkdown, downtime and lastchg.  haproxy 2.6 adds the time down only
 * when a check or an agent brings a server back, not maintenance's end.
 */
static void
backend_note_updown(struct hp_backend *be, int was_up)
{
	uint64_t now = mono_usec();

	if (was_up && be->b_ncands == 0) {
		be->b_chkdown++;
		be->b_lastchg = now;
	} else if (!was_up && be->b_ncands > 0) {
		if (backend_admin == 0)
			be->b_downtime += now - be->b_lastchg;
		be->b_lastchg = now;
	}
}

int
backend_rebuild(struct hp_backend *be)
{
	int was_up = be->b_ncands > 0, rc;

	hash_ring_free(&be->b_ring);
	hash_map_free(&be->b_map);
	free(be->b_cands);
	be->b_cands = NULL;
	be->b_ncands = 0;
	backend_alt_free(be);
	rc = backend_build(be, -1, &be->b_cands, &be->b_ncands,
	    &be->b_ring, &be->b_map);
	backend_note_updown(be, was_up);
	return rc;
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

struct hp_backend *
backend_find(struct hp_ctx *ctx, const char *bname)
{
	int i;

	for (i = 0; i < ctx->c_nbe; i++)
		if (strcmp(ctx->c_be[i]->b_cf.be_name, bname) == 0)
			return ctx->c_be[i];
	return NULL;
}

/* backend names are unique (config-section.c refuses a second one) */
struct hp_server *
backend_find_server(struct hp_ctx *ctx, const char *bname, const char *sname)
{
	struct hp_backend *be = backend_find(ctx, bname);
	int j;

	for (j = 0; be != NULL && j < be->b_nsrv; j++)
		if (be->b_srv[j] != NULL &&
		    strcmp(be->b_srv[j]->s_cf.sv_name, sname) == 0)
			return be->b_srv[j];
	return NULL;
}

/*
 * haproxy calls an algorithm whose weights are fixed at start static:
 * its map-based hash and static-rr (a map too) only take weights 0% and
 * 100% at run time, and no slowstart ramps them.
 */
int
backend_dynamic_weights(const struct hp_backend *be)
{
	return !((be->b_cf.be_balance == BAL_SOURCE &&
	    be->b_cf.be_hashtype == HT_MAP) || be->b_cf.be_staticrr);
}
