/* SPDX-License-Identifier: ISC */
/*
 * "show metrics" and --metrics: the counters vrrpd keeps (the ones
 * "show instances" and "show tracks" print) in the Prometheus text
 * format.  A state is one series per possible value, 1 for the current
 * one, as the node exporter does for enums: a query or an alert then
 * names the state instead of a number code.
 *
 * The instance label is "vrrp_instance", not "instance": Prometheus
 * gives every scraped series its own "instance" label (the target), and
 * a clash would rename ours to "exported_instance".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "fsm.h"
#include "metrics.h"
#include "packet.h"
#include "prom.h"
#include "vrrpd.h"

static const enum fsm_state metrics_states[] = {
	FSM_INIT, FSM_BACKUP, FSM_MASTER, FSM_FAULT,
};

#define NSTATES	(sizeof(metrics_states) / sizeof(metrics_states[0]))

static void
metrics_state(struct prom *p, const struct vrrpd *d)
{
	size_t k;
	int i;

	prom_family(p, "hatools_vrrp_state", PROM_GAUGE, "The instance's "
	    "VRRP state: 1 for the state it is in, 0 for the others.");
	for (i = 0; i < d->d_ninst; i++)
		for (k = 0; k < NSTATES; k++)
			prom_u64(p, d->d_inst[i]->in_fsm.fs_state ==
			    metrics_states[k], "vrrp_instance",
			    d->d_inst[i]->in_cfg.ci_name, "state",
			    fsm_state_name(metrics_states[k]), NULL);
}

static void
metrics_info(struct prom *p, const struct vrrpd *d)
{
	char vrid[8], ver[4];
	int i;

	prom_family(p, "hatools_vrrp_instance_info", PROM_GAUGE, "Always 1: "
	    "the instance's interface, virtual router id and VRRP version.");
	for (i = 0; i < d->d_ninst; i++) {
		const struct cfg_instance *c = &d->d_inst[i]->in_cfg;

		snprintf(vrid, sizeof(vrid), "%d", c->ci_vrid);
		snprintf(ver, sizeof(ver), "%d", c->ci_version);
		prom_u64(p, 1, "vrrp_instance", c->ci_name, "interface",
		    c->ci_iface, "vrid", vrid, "version", ver, NULL);
	}
}

/* A counter of struct inst, by its offset. */
struct metrics_ctr {
	const char	*mc_name;
	size_t		 mc_off;
	const char	*mc_help;
};

static const struct metrics_ctr metrics_ctrs[] = {
	{ "hatools_vrrp_transitions_total", offsetof(struct inst,
	    in_transitions), "State changes since vrrpd started." },
	{ "hatools_vrrp_became_master_total", offsetof(struct inst,
	    in_to_master), "Changes to MASTER since vrrpd started." },
	{ "hatools_vrrp_adverts_sent_total", offsetof(struct inst, in_tx),
	    "Advertisements sent." },
	{ "hatools_vrrp_adverts_received_total", offsetof(struct inst, in_rx),
	    "Advertisements received that passed every check." },
	{ "hatools_vrrp_notify_runs_total", offsetof(struct inst,
	    in_notify_runs), "Notify commands of the instance that ended." },
	{ "hatools_vrrp_notify_failures_total", offsetof(struct inst,
	    in_notify_fails), "Notify commands that failed: not passed to "
	    "the runner, not run, non-zero exit, timeout or signal." },
};

static void
metrics_counter(struct prom *p, const struct vrrpd *d,
    const struct metrics_ctr *mc)
{
	uint64_t v;
	int i;

	prom_family(p, mc->mc_name, PROM_COUNTER, mc->mc_help);
	for (i = 0; i < d->d_ninst; i++) {
		memcpy(&v, (const char *)d->d_inst[i] + mc->mc_off, sizeof(v));
		prom_u64(p, v, "vrrp_instance", d->d_inst[i]->in_cfg.ci_name,
		    NULL);
	}
}

static void
metrics_priority(struct prom *p, const struct vrrpd *d)
{
	int i;

	prom_family(p, "hatools_vrrp_priority", PROM_GAUGE, "The priority "
	    "the instance advertises now, after track weights.");
	for (i = 0; i < d->d_ninst; i++)
		prom_u64(p, d->d_inst[i]->in_fsm.fs_prio, "vrrp_instance",
		    d->d_inst[i]->in_cfg.ci_name, NULL);
	prom_family(p, "hatools_vrrp_base_priority", PROM_GAUGE, "The "
	    "configured priority.");
	for (i = 0; i < d->d_ninst; i++)
		prom_u64(p, d->d_inst[i]->in_fsm.fs_base_prio, "vrrp_instance",
		    d->d_inst[i]->in_cfg.ci_name, NULL);
}

static void
metrics_drops(struct prom *p, const struct vrrpd *d)
{
	int i, r;

	prom_family(p, "hatools_vrrp_packets_dropped_total", PROM_COUNTER,
	    "Packets dropped by the instance, by reason (\"vrid\": another "
	    "virtual router's, not an error).");
	for (i = 0; i < d->d_ninst; i++)
		for (r = 1; r < VRRP_DROP_MAX; r++)
			prom_u64(p, d->d_inst[i]->in_drops[r], "vrrp_instance",
			    d->d_inst[i]->in_cfg.ci_name, "reason",
			    vrrp_drop_name((enum vrrp_drop)r), NULL);
}

static void
metrics_tracks(struct prom *p, const struct vrrpd *d)
{
	int i;

	prom_family(p, "hatools_vrrp_track_up", PROM_GAUGE, "1 when the "
	    "track script (or --track-fd) says up.");
	for (i = 0; i < d->d_ntracks; i++)
		prom_u64(p, d->d_tracks[i]->tr_up, "track",
		    d->d_tracks[i]->tr_cfg.cs_name, NULL);
	prom_family(p, "hatools_vrrp_track_runs_total", PROM_COUNTER,
	    "Track script runs that ended.");
	for (i = 0; i < d->d_ntracks; i++)
		prom_u64(p, d->d_tracks[i]->tr_runs, "track",
		    d->d_tracks[i]->tr_cfg.cs_name, NULL);
	prom_family(p, "hatools_vrrp_track_failures_total", PROM_COUNTER,
	    "Track script runs that failed: non-zero exit, timeout, signal "
	    "or not run.");
	for (i = 0; i < d->d_ntracks; i++)
		prom_u64(p, d->d_tracks[i]->tr_fails, "track",
		    d->d_tracks[i]->tr_cfg.cs_name, NULL);
}

void
metrics_write(const struct vrrpd *d, struct evbuffer *out)
{
	struct prom p;
	size_t i;

	prom_init(&p, out);
	prom_family(&p, "hatools_build_info", PROM_GAUGE, "Always 1: the "
	    "program and its version.");
	prom_u64(&p, 1, "program", "vrrpd", "version", HATOOLS_VERSION, NULL);
	metrics_state(&p, d);
	metrics_info(&p, d);
	metrics_priority(&p, d);
	for (i = 0; i < sizeof(metrics_ctrs) / sizeof(metrics_ctrs[0]); i++)
		metrics_counter(&p, d, &metrics_ctrs[i]);
	metrics_drops(&p, d);
	metrics_tracks(&p, d);
}

void
metrics_http(void *arg, struct evbuffer *out)
{
	metrics_write(arg, out);
}

/*
 * A notify's runner request id: the top bit apart from track ids
 * (1..n), the next bit clear apart from the startup/shutdown hooks'
 * (hook.c), the rest a hash of the instance's name, which survives a
 * reload that renumbers the instances.
 */
uint32_t
metrics_notify_id(const struct inst *in)
{
	uint32_t h = runner_fnv(RUNNER_FNV_SEED, in->in_cfg.ci_name);

	return METRICS_NOTIFY_BIT | (h & 0x3fffffffu);
}

void
metrics_notify_done(struct vrrpd *d, uint32_t id, int status)
{
	int i;

	for (i = 0; i < d->d_ninst; i++)
		if (metrics_notify_id(d->d_inst[i]) == id) {
			d->d_inst[i]->in_notify_runs++;
			if (status != 0)
				d->d_inst[i]->in_notify_fails++;
			return;
		}
}
