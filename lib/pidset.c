/* SPDX-License-Identifier: ISC */
/*
 * A set of pids (svccheck --watch's conditions, vrrpd's track_process).
 * A plain array: a service has a handful of processes, and lookups happen
 * once per kernel event.
 */
#include <stdlib.h>

#include "pidset.h"

int
pidset_has(const struct pidset *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->ps_n; i++)
		if (s->ps_pids[i] == pid)
			return 1;
	return 0;
}

int
pidset_add(struct pidset *s, pid_t pid)
{
	pid_t *p;
	size_t cap;

	if (pidset_has(s, pid))
		return 0;
	if (s->ps_n == s->ps_cap) {
		cap = s->ps_cap ? s->ps_cap * 2 : 8;
		if ((p = reallocarray(s->ps_pids, cap, sizeof(*p))) == NULL)
			return -1;
		s->ps_pids = p;
		s->ps_cap = cap;
	}
	s->ps_pids[s->ps_n++] = pid;
	return 0;
}

int
pidset_del(struct pidset *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->ps_n; i++)
		if (s->ps_pids[i] == pid) {
			s->ps_pids[i] = s->ps_pids[--s->ps_n];
			return 1;
		}
	return 0;
}

pid_t
pidset_min(const struct pidset *s)
{
	pid_t m = 0;
	size_t i;

	for (i = 0; i < s->ps_n; i++)
		if (m == 0 || s->ps_pids[i] < m)
			m = s->ps_pids[i];
	return m;
}
