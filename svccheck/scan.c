/* SPDX-License-Identifier: ISC */
/*
 * Reading /proc, fast: one getdents64 pass over /proc, one read of
 * /proc/PID/comm per process, and stat (state, flags), cmdline, exe or the
 * owner only for the few processes whose comm could be a name we look for.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "match.h"
#include "svccheck.h"

#define SCAN_MAXCOND	256	/* bounded by main.c */

int
scan_open(struct svc *sv)
{
	sv->sv_procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sv->sv_procfd == -1) {
		log_warn("/proc");
		return -1;
	}
	return 0;
}

/* "PID/file" into buf without snprintf: this runs once per process. */
static void
scan_path(char *buf, pid_t pid, const char *file)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + pid % 10);
		pid /= 10;
	} while (pid > 0);
	while (n > 0)
		*buf++ = tmp[--n];
	*buf++ = '/';
	while ((*buf++ = *file++) != '\0')
		;
}

/* Reads PID/file into buf (NUL-terminated); bytes read or -1. */
static ssize_t
scan_read(int procfd, pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	scan_path(path, pid, file);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static ssize_t
scan_exe(int procfd, pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	scan_path(path, pid, "exe");
	if ((n = readlinkat(procfd, path, buf, size - 1)) == -1)
		return -1;
	buf[n] = '\0';
	return n;
}

/*
 * A leader that called pthread_exit shows as a zombie while its other
 * threads run: killall -0 and pgrep see it, and so does a check.  The
 * other threads count in its status's Threads line until they exit.
 */
static int
scan_threads_run(int procfd, pid_t pid)
{
	char buf[4096], *p;

	if (scan_read(procfd, pid, "status", buf, sizeof(buf)) <= 0 ||
	    (p = strstr(buf, "\nThreads:")) == NULL)
		return 0;
	return strtol(p + 9, NULL, 10) > 1;
}

/* Running, as killall -0 tells: a true zombie and a kernel thread are not. */
static int
scan_alive(const struct svc *sv, const struct procstat *st)
{
	if (st->ps_flags & MATCH_PF_KTHREAD)
		return 0;
	if (match_state_alive(st->ps_state))
		return 1;
	return st->ps_state == 'Z' &&
	    scan_threads_run(sv->sv_procfd, st->ps_pid);
}

int
scan_running(const struct svc *sv, pid_t pid)
{
	char buf[1024];
	struct procstat st;
	ssize_t n;

	if ((n = scan_read(sv->sv_procfd, pid, "stat", buf, sizeof(buf))) <= 0 ||
	    match_stat_parse(buf, (size_t)n, &st, NULL, 0) == -1)
		return 0;
	return scan_alive(sv, &st);
}

/* What one process needs read beyond its stat line. */
struct scan_want {
	int	 sw_cmdline;
	int	 sw_exe;
};

static void
scan_exe_denied(struct svc *sv, struct cond *c, pid_t pid)
{
	c->c_denied++;
	if (!sv->sv_warned_exe++)
		log_warnx("/proc/%d/exe: permission denied; run as root (or "
		    "with CAP_SYS_PTRACE) to check other users' processes",
		    (int)pid);
}

int
scan_pid(struct svc *sv, pid_t pid, unsigned char *hit)
{
	char buf[1024], comm[64], cmd[4096], exe[4096], path[64];
	unsigned char cand[SCAN_MAXCOND];
	struct procstat st;
	struct procinfo pi;
	struct scan_want w = { 0, 0 };
	struct stat sb;
	struct cond *c;
	ssize_t n;
	size_t i;
	int any = 0, nhit = 0, exe_state = 0;

	/* comm is far cheaper for the kernel to produce than stat */
	if ((n = scan_read(sv->sv_procfd, pid, "comm", comm, sizeof(comm))) <= 0)
		return -1;
	if (comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		hit[i] = 0;
		cand[i] = 0;
		if (c->c_kind != COND_PROC)
			continue;
		cand[i] = c->c_name ? (unsigned char)match_comm(c->c_name,
		    comm) : 1;
		if (cand[i] == 2)
			w.sw_cmdline = 1;
		if (cand[i] && (c->c_exe ||
		    (cand[i] == 2 && strlen(c->c_name) >= MATCH_COMMLEN)))
			w.sw_exe = 1;
		any |= cand[i] != 0;
	}
	if (!any)
		return 0;
	if ((n = scan_read(sv->sv_procfd, pid, "stat", buf, sizeof(buf))) <= 0)
		return -1;
	if (match_stat_parse(buf, (size_t)n, &st, NULL, 0) == -1)
		return -1;
	if (!scan_alive(sv, &st))
		return -1;
	if (sv->sv_user) {
		scan_path(path, pid, "");
		if (fstatat(sv->sv_procfd, path, &sb, 0) == -1 ||
		    sb.st_uid != sv->sv_uid)
			return 0;
	}
	memset(&pi, 0, sizeof(pi));
	pi.pi_comm = st.ps_comm;
	if (w.sw_cmdline && (n = scan_read(sv->sv_procfd, pid, "cmdline",
	    cmd, sizeof(cmd))) > 0) {
		pi.pi_cmdline = cmd;
		pi.pi_cmdlen = (size_t)n;
	}
	if (w.sw_exe) {
		if (scan_exe(sv->sv_procfd, pid, exe, sizeof(exe)) >= 0) {
			pi.pi_exe = exe;
			exe_state = 1;
		} else
			exe_state = errno == EACCES || errno == EPERM ? -1 : 0;
	}
	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		if (!cand[i])
			continue;
		if (c->c_name && cand[i] == 2 && !match_full(c->c_name, &pi))
			continue;
		if (c->c_exe) {
			if (exe_state == -1)
				scan_exe_denied(sv, c, pid);
			if (exe_state != 1 || !match_exe(c->c_exe, exe))
				continue;
		}
		hit[i] = 1;
		nhit++;
	}
	return nhit;
}

/*
 * With -q only the exit status is asked for: once every process condition
 * has a process (with --any, once one has), it is known, and the rest of
 * /proc need not be read.  A service that has run since boot has a low
 * pid, so this usually stops early; killall -0 always reads it all.  The
 * lines name the lowest pid and the plugin line and -c count them: those
 * read everything.
 */
static int
scan_known(const struct svc *sv)
{
	size_t i, nproc = 0, up = 0;

	if (!sv->sv_quiet || sv->sv_nagios || sv->sv_crit_set)
		return 0;
	for (i = 0; i < sv->sv_nconds; i++)
		if (sv->sv_conds[i].c_kind == COND_PROC) {
			nproc++;
			up += sv->sv_conds[i].c_count > 0;
		}
	return sv->sv_any ? up > 0 : up == nproc;
}

static int
scan_hit(struct svc *sv, pid_t pid, const unsigned char *hit)
{
	struct cond *c;
	size_t i;

	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		if (!hit[i])
			continue;
		if (c->c_count++ == 0 || pid < c->c_pid)
			c->c_pid = pid;
	}
	/* --own needs every one: a listener may be any of them */
	if (sv->sv_own) {
		if (pidset_add(&sv->sv_owners, pid) == -1)
			log_warn_rl("--own: pid %d not kept", (int)pid);
		return 0;
	}
	return scan_known(sv);
}

/* The socket inode a /proc/PID/fd link names ("socket:[N]"), or 0. */
static uint64_t
scan_fd_socket(int dfd, const char *name)
{
	char link[64], *end;
	ssize_t n;
	unsigned long long v;

	if ((n = readlinkat(dfd, name, link, sizeof(link) - 1)) <= 0)
		return 0;
	link[n] = '\0';
	if (strncmp(link, "socket:[", 8) != 0)
		return 0;
	errno = 0;
	v = strtoull(link + 8, &end, 10);
	return errno || *end != ']' ? 0 : v;
}

int
scan_sockets(struct svc *sv, struct inoset *set, unsigned *denied)
{
	char path[64];
	struct dirent *de;
	uint64_t ino;
	size_t i;
	DIR *d;
	int dfd;

	*denied = 0;
	for (i = 0; i < sv->sv_owners.ps_n; i++) {
		scan_path(path, sv->sv_owners.ps_pids[i], "fd");
		if ((dfd = openat(sv->sv_procfd, path, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) == -1) {
			if (errno == EACCES || errno == EPERM)
				(*denied)++;
			continue;	/* or it is gone */
		}
		if ((d = fdopendir(dfd)) == NULL) {
			close(dfd);
			return -1;
		}
		while ((de = readdir(d)) != NULL)
			if ((ino = scan_fd_socket(dfd, de->d_name)) != 0 &&
			    inoset_add(set, ino) == -1) {
				closedir(d);
				return -1;
			}
		closedir(d);
	}
	inoset_sort(set);
	return 0;
}

pid_t
scan_pidfile(const char *path)
{
	char buf[64], *end;
	long v;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("pidfile %s", path);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		log_warn("pidfile %s", path);
		return -1;
	}
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	while (*end == '\n' || *end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if (end == buf || *end != '\0' || errno || v <= 0 || v > 0x7fffffff) {
		log_warnx("pidfile %s: \"%.*s\" is not a process id", path,
		    (int)strcspn(buf, "\n"), buf);
		return -1;
	}
	return (pid_t)v;
}

struct linux_dirent64 {
	ino64_t		d_ino;
	off64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* The pid a /proc entry names, or 0 for everything else. */
static pid_t
scan_name_pid(const char *s)
{
	long v = 0;

	if (*s < '1' || *s > '9')
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 0x7fffffff / 10)
			return 0;
		v = v * 10 + (*s - '0');
	}
	return (pid_t)v;
}

int
scan_each(struct svc *sv, int (*cb)(struct svc *, pid_t,
    const unsigned char *))
{
	unsigned char hit[SCAN_MAXCOND];
	char buf[32768] __attribute__((aligned(8)));
	struct linux_dirent64 *d;
	long n, off;
	pid_t pid;
	int dfd;

	if ((dfd = openat(sv->sv_procfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		log_warn("/proc");
		return -1;
	}
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct linux_dirent64 *)(buf + off);
			if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
				continue;
			if ((pid = scan_name_pid(d->d_name)) == 0 ||
			    pid == sv->sv_self)
				continue;
			if (scan_pid(sv, pid, hit) > 0 && cb(sv, pid, hit))
				goto done;
		}
	}
done:
	if (n < 0)
		log_warn("/proc: getdents64");
	close(dfd);
	return n < 0 ? -1 : 0;
}

int
scan_all(struct svc *sv)
{
	unsigned char hit[SCAN_MAXCOND];
	size_t i;
	pid_t pid;

	for (i = 0; i < sv->sv_nconds; i++) {
		sv->sv_conds[i].c_count = 0;
		sv->sv_conds[i].c_pid = 0;
		sv->sv_conds[i].c_denied = 0;
	}
	if (sv->sv_pidfile) {
		/* a stale pid is checked like any other: alive, and named */
		if ((pid = scan_pidfile(sv->sv_pidfile)) > 0 &&
		    scan_pid(sv, pid, hit) > 0)
			scan_hit(sv, pid, hit);
		return 0;
	}
	return scan_each(sv, scan_hit);
}
