/* SPDX-License-Identifier: ISC */
/*
 * Builds a struct config from a file or from options.  The file is read
 * whole (bounded), includes go through config_parse()'s callback, and both
 * paths end in config_check() so that -t, start-up and reload agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "duration.h"
#include "errbuf.h"
#include "load.h"
#include "log.h"
#include "msgbuf.h"
#include "scriptsec.h"

#define LOAD_FILE_MAX	(4 << 20)
#define LOAD_BUFS_MAX	64

struct load_inc {
	char	*li_bufs[LOAD_BUFS_MAX];
	int	 li_nbufs;
	glob_t	 li_glob;
	int	 li_globbed;
	char	 li_pattern[4096];
};

static char *
load_read(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t off = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > LOAD_FILE_MAX) {
		snprintf(err, errlen, "not a regular file of at most %d bytes",
		    LOAD_FILE_MAX);
		close(fd);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return NULL;
	}
	while (off < (size_t)st.st_size &&
	    (r = read(fd, buf + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)r;
	close(fd);
	buf[off] = '\0';
	*len = off;
	return buf;
}

static int
load_include(void *arg, const char *pattern, int idx, const char **name,
    const char **buf, size_t *len, char *err, size_t errlen)
{
	struct load_inc *li = arg;
	char *b;
	int rc;

	if (idx == 0) {
		if (li->li_globbed)
			globfree(&li->li_glob);
		li->li_globbed = 0;
		/* lex.c made it relative to the including file's dir */
		if ((size_t)snprintf(li->li_pattern, sizeof(li->li_pattern),
		    "%s", pattern) >= sizeof(li->li_pattern))
			return errbuf_set(err, errlen, "path too long");
		rc = glob(li->li_pattern, 0, NULL, &li->li_glob);
		if (rc == GLOB_NOMATCH) {
			/* keepalived: a pattern matching nothing is fine */
			return 0;
		}
		if (rc != 0)
			return errbuf_set(err, errlen, "cannot expand");
		li->li_globbed = 1;
	}
	if (!li->li_globbed || (size_t)idx >= li->li_glob.gl_pathc)
		return 0;
	if (li->li_nbufs >= LOAD_BUFS_MAX)
		return errbuf_set(err, errlen, "more than %d included files",
		    LOAD_BUFS_MAX);
	*name = li->li_glob.gl_pathv[idx];
	if ((b = load_read(*name, len, err, errlen)) == NULL)
		return -1;
	li->li_bufs[li->li_nbufs++] = b;
	*buf = b;
	return 1;
}

static int
load_file(struct config *cf, const char *path, char *err, size_t errlen)
{
	struct load_inc *li;
	char e[256], *buf;
	size_t len;
	int nerr, i;

	if ((buf = load_read(path, &len, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "%s: %s\n", path, e);
		return 1;
	}
	if ((li = calloc(1, sizeof(*li))) == NULL) {
		free(buf);
		snprintf(err, errlen, "out of memory\n");
		return 1;
	}
	nerr = config_parse(cf, path, buf, len, load_include, li, err, errlen);
	for (i = 0; i < li->li_nbufs; i++)
		free(li->li_bufs[i]);
	if (li->li_globbed)
		globfree(&li->li_glob);
	free(li);
	free(buf);
	return nerr;
}

static int
load_dur(const char *opt, const char *s, uint64_t *out, char *err,
    size_t errlen)
{
	if (duration_parse(s, out) == -1)
		return msgbuf_add(err, errlen, "%s \"%s\": not a duration\n",
		    opt, s);
	return 0;
}

/* The instance given by -i/--vrid/--vip...: "Every setting has an option". */
static int
load_cmdline(struct config *cf, const struct load_opts *o, char *err,
    size_t errlen)
{
	struct cfg_instance *in = &cf->cf_inst[0];
	int nerr = 0, i, fam;

	cf->cf_ninst = 1;
	memset(in, 0, sizeof(*in));
	in->ci_garp_delay = 5000000;
	in->ci_garp_repeat = 5;
	in->ci_adver = 1000000;
	in->ci_strict = -1;
	if (o->lo_iface == NULL)
		nerr += msgbuf_add(err, errlen, "-i/--interface: needed "
		    "without -f\n");
	else if (strlen(o->lo_iface) >= IF_NAMESIZE)
		nerr += msgbuf_add(err, errlen, "-i %s: name too long\n",
		    o->lo_iface);
	else
		snprintf(in->ci_iface, sizeof(in->ci_iface), "%s", o->lo_iface);
	if (o->lo_vrid == 0)
		nerr += msgbuf_add(err, errlen, "--vrid: needed without -f\n");
	in->ci_vrid = o->lo_vrid;
	in->ci_priority = 100;
	if (o->lo_name)
		snprintf(in->ci_name, sizeof(in->ci_name), "%s", o->lo_name);
	else
		snprintf(in->ci_name, sizeof(in->ci_name), "VI_%d", o->lo_vrid);
	for (i = 0; i < o->lo_nvips; i++)
		if (config_parse_vip(o->lo_vips[i], &in->ci_vips[i]) == -1)
			nerr += msgbuf_add(err, errlen, "--vip %s: not an "
			    "address[/prefix]\n", o->lo_vips[i]);
	in->ci_nvips = o->lo_nvips;
	if (o->lo_advert)
		nerr += load_dur("--advert", o->lo_advert, &in->ci_adver, err,
		    errlen);
	/* no version asked: 3 where 2 cannot do it, else keepalived's 2 */
	if (o->lo_version == 0)
		in->ci_version = (in->ci_adver % 1000000 ||
		    (in->ci_nvips && in->ci_vips[0].cv_family == AF_INET6)) ?
		    3 : 2;
	for (i = 0; i < o->lo_npeers; i++) {
		if (config_parse_addr(o->lo_peers[i], &fam,
		    &in->ci_peers[i]) == -1)
			nerr += msgbuf_add(err, errlen, "--unicast-peer %s: not "
			    "an address\n", o->lo_peers[i]);
		in->ci_peer_family = fam;
	}
	in->ci_npeers = o->lo_npeers;
	if (o->lo_src && config_parse_addr(o->lo_src, &in->ci_has_src,
	    &in->ci_src) == -1)
		nerr += msgbuf_add(err, errlen, "--unicast-src %s: not an "
		    "address\n", o->lo_src);
	return nerr;
}

static struct cfg_script *
load_add_script(struct config *cf, const char *name)
{
	struct cfg_script *sc;
	int i;

	if (cf->cf_nscripts >= CFG_MAX_SCRIPTS)
		return NULL;
	sc = &cf->cf_scripts[cf->cf_nscripts++];
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->cs_name, sizeof(sc->cs_name), "%s", name);
	sc->cs_interval = 2000000;
	sc->cs_rise = sc->cs_fall = 1;
	sc->cs_fd = -1;
	for (i = 0; i < cf->cf_ninst; i++) {
		struct cfg_instance *in = &cf->cf_inst[i];

		if (in->ci_nscripts < CFG_MAX_TRACKS)
			snprintf(in->ci_scripts[in->ci_nscripts++].ct_name,
			    CFG_NAME_LEN, "%s", name);
	}
	return sc;
}

/* --track and --track-fd: on top of the file's own, for every instance. */
static int
load_tracks(struct config *cf, const struct load_opts *o, char *err,
    size_t errlen)
{
	struct cfg_script *sc;
	int nerr = 0;

	if (o->lo_track) {
		if ((sc = load_add_script(cf, "track")) == NULL)
			return msgbuf_add(err, errlen, "--track: too many "
			    "scripts\n");
		snprintf(sc->cs_cmd, sizeof(sc->cs_cmd), "%s", o->lo_track);
		sc->cs_weight = o->lo_track_weight;
		if (o->lo_track_interval)
			nerr += load_dur("--track-interval",
			    o->lo_track_interval, &sc->cs_interval, err,
			    errlen);
		if (o->lo_track_timeout)
			nerr += load_dur("--track-timeout", o->lo_track_timeout,
			    &sc->cs_timeout, err, errlen);
		if (sc->cs_interval == 0)
			nerr += msgbuf_add(err, errlen, "--track-interval: "
			    "is 0; should be more\n");
	}
	if (o->lo_track_fd >= 0) {
		if ((sc = load_add_script(cf, "fd")) == NULL)
			return msgbuf_add(err, errlen, "--track-fd: too many "
			    "scripts\n");
		sc->cs_fd = o->lo_track_fd;
		sc->cs_weight = o->lo_track_weight;
	}
	return nerr;
}

/*
 * Options that apply to every instance, over what the file says
 * (DESIGN.md: the command line wins).
 */
static int
load_overrides(struct config *cf, const struct load_opts *o, char *err,
    size_t errlen)
{
	struct cfg_instance *in;
	uint64_t refresh = 0, adver = 0, delay = 0;
	int i, nerr = 0;

	if (o->lo_garp_refresh)
		nerr += load_dur("--garp-refresh", o->lo_garp_refresh,
		    &refresh, err, errlen);
	if (o->lo_advert && o->lo_file)
		nerr += load_dur("--advert", o->lo_advert, &adver, err,
		    errlen);
	if (o->lo_preempt_delay)
		nerr += load_dur("--preempt-delay", o->lo_preempt_delay,
		    &delay, err, errlen);
	for (i = 0; i < cf->cf_ninst; i++) {
		in = &cf->cf_inst[i];
		if (o->lo_priority)
			in->ci_priority = o->lo_priority;
		if (o->lo_advert && o->lo_file) {
			in->ci_adver = adver;
			in->ci_adver_cli = 1;
		}
		if (o->lo_version)
			in->ci_version = o->lo_version;
		if (o->lo_auth_pass) {
			in->ci_auth_type = VRRP_AUTH_PASS;
			snprintf(in->ci_auth_pass, sizeof(in->ci_auth_pass),
			    "%.8s", o->lo_auth_pass);
		}
		if (o->lo_nopreempt)
			in->ci_nopreempt = 1;
		if (o->lo_preempt_delay)
			in->ci_preempt_delay = delay;
		if (o->lo_notify)
			snprintf(in->ci_notify[CFG_NOTIFY].cn_cmd,
			    sizeof(in->ci_notify[CFG_NOTIFY].cn_cmd), "%s",
			    o->lo_notify);
		if (o->lo_accept)
			in->ci_accept = o->lo_accept;
		if (o->lo_garp_refresh) {
			in->ci_garp_refresh = refresh;
			in->ci_has_garp_refresh = 1;
		}
		if (o->lo_garp_refresh_repeat)
			in->ci_garp_refresh_repeat = o->lo_garp_refresh_repeat;
	}
	return nerr;
}

struct config *
load_config(const struct load_opts *o, char *err, size_t errlen)
{
	struct config *cf;
	int nerr;

	err[0] = '\0';
	if ((cf = malloc(sizeof(*cf))) == NULL) {
		snprintf(err, errlen, "out of memory\n");
		return NULL;
	}
	config_defaults(cf);
	if (o->lo_config_id)
		snprintf(cf->cf_config_id, sizeof(cf->cf_config_id), "%s",
		    o->lo_config_id);
	if (o->lo_file)
		nerr = load_file(cf, o->lo_file, err, errlen);
	else
		nerr = load_cmdline(cf, o, err + strlen(err),
		    errlen - strlen(err));
	nerr += load_tracks(cf, o, err, errlen);
	nerr += load_overrides(cf, o, err, errlen);
	if (nerr == 0)
		scriptsec_nouser(cf, o->lo_file, err, errlen);
	if (nerr == 0)
		scriptsec_notfound(cf, o->lo_file, err, errlen);
	if (nerr == 0)
		nerr = config_check(cf, err, errlen);
	if (nerr == 0)
		nerr = scriptsec_config(cf, o->lo_file, err, errlen);
	if (nerr == 0)
		nerr = scriptsec_hooks(cf, o->lo_file, err, errlen);
	if (nerr > 0) {
		free(cf);
		return NULL;
	}
	return cf;
}

void
load_log(char *msgs)
{
	char *line, *save = NULL;

	for (line = strtok_r(msgs, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		log_warnx("%s", line);
}
