# SPDX-License-Identifier: ISC
# hatools: five small HA programs.  "make" builds what exists, "make check"
# runs every test (installing what it needs first), "make demo" shows the
# seed's topology, "make bench" measures each program against its peer.

PREFIX  ?= /usr/local
DESTDIR ?=
ALL_PROGS := svccheck vrrpd hashproxy pgwatch dhcpsync
PROGS   := $(foreach p,$(ALL_PROGS),$(if $(wildcard $(p)/Makefile),$(p)))
SBIN_PROGS := $(filter vrrpd hashproxy dhcpsync,$(PROGS))
BIN_PROGS  := $(filter svccheck pgwatch,$(PROGS))
# make check's fuzz run (tests/fuzz/run.t): each of the 24 targets first
# replays its seed corpus, whole whatever the limits (the regression part:
# 1.7 s of CPU for all 24), then fuzzes FUZZ_RUNS new inputs or until
# FUZZ_SECONDS from its start, whichever comes first.  2000 inputs or 1 s:
# ~5 s of CPU in all, where 1 s alone took ~21 s (Dec 8: with this
# session's real-peer tests make check had passed 4 minutes; the fuzzers
# were a tenth of its CPU).  Longer runs: make check FUZZ_SECONDS=60
# (then no count limits it), or FUZZ_SECONDS=60 make check.
FUZZ_SECONDS ?= 1
FUZZ_RUNS ?= $(if $(filter 1,$(FUZZ_SECONDS)),2000,)
NPROC   := $(shell nproc 2>/dev/null || echo 2)
# a failed check's lines and its got/want comments in the log, so that a
# failure seen once (CI keeps only the log) can be read afterwards
PROVE_FLAGS ?= --failures --comments

# One make per program, given every goal asked for (all, unit, unit-plain,
# fuzz): it compiles each of its sources once per flavour and links the
# program and tests from those objects, with nobody else writing them.
# lib/'s objects are every program's: lib's make builds them first.
SUBGOALS := $(or $(filter all unit unit-plain fuzz,$(MAKECMDGOALS)),all)
all: $(PROGS)
unit: lib $(PROGS)
fuzz: $(PROGS)

lib:
	$(MAKE) -C lib $(SUBGOALS)
$(PROGS): lib
	$(MAKE) -C $@ $(SUBGOALS)

deps:
	@sh tests/lib/deps.sh

# the plain unit tests alone, built and run (debian/rules' test)
unit-plain: lib $(PROGS)
	prove build/*/unit/*.t

# Every test through prove: C unit tests (plain and ASan+UBSan), the shell
# tests per program, the helpers' own tests, and a short run of each fuzzer.
# "test" runs what is built; a separate make so its wildcards see the build.
# The build runs one job more than there are CPUs: a job waiting on a
# link's or a write's I/O leaves a CPU idle otherwise (a fresh build, 2
# CPUs, Dec 7 19:50: 34-35 s at -j3, 36-40 s at -j2).
check: deps
	$(MAKE) -j$$(($(NPROC) + 1)) all unit fuzz WERROR=1
	$(MAKE) test

# A test that cannot run fails (tests/lib/tap.sh: cannot_run); what the
# README makes optional is skipped, and counted after prove's summary.
# Tests run TEST_JOBS (six per CPU, plus one) at a time: each makes its
# own namespaces, ports (tests/lib/wait.sh free_port claims them) and
# files, and most of their time is spent waiting on timers (their walls
# add up to ~1,650 s, their CPU, every descendant's, to ~360 s): on 2
# cores, 5 at a time took 325 s of tests (Dec 7 09:20, quiet), 9 at a
# time 210 s (12:13, quiet), 13 at a time 194 s (12:19, beside one
# engineer's builds; 186-201 s with the session's new tests, 14:33-14:42,
# CPU-bound), two runs of 13 at once passed twice (12:23-12:38), and
# two whole runs of 5 at once passed six times in
# a row (10:10-10:35, after the fixes those runs found: two tests drawing
# one port, a stats read racing a close).
# The fuzzers, first of the long files, keep one core busy for their
# ~6 s (they were a 50 s hog, at 1 s a target, until Dec 8): the runs
# beside a real CPU hog are doc/performance.md's.
# svccheck's that look at every process on the host (kernel threads,
# listeners, a fork storm) and the composed programs' with a time bound run
# alone at the end: prove runs what matches no "par" rule last, one at a
# time.  The other composed ones run with the rest (their names, ports and namespaces are
# their own too).  The longest first.
SKIPS := build/skips
PAR_DIRS := tests/dhcpsync tests/pgwatch tests/vrrpd tests/hashproxy
# The files of 6 s and more of a quiet make check, longest first: prove
# fills its TEST_JOBS slots in this order, so a long one starts at once
# rather than last and ending last (with 12 s and more, Dec 7, a 12 s file
# of tests/contrib and the svccheck ones started in the last 15 s and
# held the end).  Made by "tests/lib/cputime --long LOG 6" from the quiet
# run of Dec 7 19:12 UTC (make test CPUTIME=LOG).  One that must run
# alone (TESTS_SEQ) is left out below whatever this list says.  The two
# lower-prio files (Dec 7 22:10, 107 s and 59 s of wall, 4 s of CPU:
# keepalived's 2 s adverts waited for; lower-prio-garp.t 93 s since
# 23:00, 5.7 s of CPU), adv-check.t (54 s, 3.9 s of CPU) and
# patroni-real.t (20-27 s, 8-9 s of CPU: two Patroni nodes) go first by
# hand.
TESTS_LONG = tests/vrrpd/lower-prio-advert.t tests/vrrpd/lower-prio-garp.t \
	tests/vrrpd/adv-check.t tests/pgwatch/patroni-real.t \
	tests/pkg/deb.t tests/vrrpd/split-heal.t tests/hashproxy/tsan.t \
	tests/vrrpd/keepalived-v2.t tests/fuzz/run.t tests/vrrpd/script-timeout.t \
	tests/hashproxy/partition-check.t tests/vrrpd/garp-extra.t \
	tests/vrrpd/garp-group.t tests/pgwatch/nagios.t tests/vrrpd/vips.t \
	tests/dhcpsync/corpus.t tests/vrrpd/notify-prio.t \
	tests/vrrpd/startup-script.t tests/hashproxy/defaults.t \
	tests/hashproxy/ratelimit.t tests/pgwatch/http-slowloris.t \
	tests/hashproxy/fin.t tests/vrrpd/hostile.t tests/vrrpd/keepalived-files.t \
	tests/hashproxy/queue.t tests/vrrpd/v6-unicast-track.t tests/vrrpd/promote.t \
	tests/vrrpd/mcast-group.t tests/vrrpd/umask.t tests/doc/migrate-svccheck.t \
	tests/lib/t/pg.t tests/vrrpd/sync-group.t tests/vrrpd/down-timer.t \
	tests/hashproxy/stats-level.t tests/vrrpd/startup-delay.t \
	tests/vrrpd/track-process.t tests/lib/t/wait.t tests/hashproxy/observe.t \
	tests/vrrpd/data-instance.t tests/vrrpd/track-reverse.t \
	tests/hashproxy/haproxy-words.t tests/hashproxy/stat-edges.t tests/vrrpd/vmac-wire.t \
	tests/dhcpsync/resume.t tests/pkg/flags.t tests/vrrpd/metrics.t \
	tests/hashproxy/datapath.t tests/vrrpd/vmac-addr.t \
	tests/pgwatch/http-backoff.t tests/hashproxy/redispatch-target.t \
	tests/vrrpd/igmp.t tests/hashproxy/acl-state.t \
	tests/hashproxy/showstat-progress.t tests/contrib/systemd.t \
	tests/hashproxy/smtpchk.t tests/vrrpd/rx-lower-garp.t \
	tests/vrrpd/garp-refresh.t tests/vrrpd/notify-fifo.t tests/vrrpd/control.t \
	tests/dhcpsync/prometheus.t tests/hashproxy/check-order.t \
	tests/vrrpd/prometheus.t tests/hashproxy/redispatch.t \
	tests/hashproxy/prometheus.t tests/vrrpd/reload-delete.t \
	tests/dhcpsync/kea-follow.t tests/hashproxy/slowstart.t \
	tests/doc/migrate-vrrpd.t tests/dhcpsync/running.t tests/vrrpd/track-file.t \
	tests/hashproxy/resolvers.t tests/vrrpd/accept.t tests/pgwatch/http-limits.t \
	tests/vrrpd/keepalived-v3.t tests/vrrpd/smtp.t tests/hashproxy/protocheck.t \
	tests/hashproxy/logflood.t tests/pgwatch/prometheus.t tests/vrrpd/init-hold.t \
	tests/dhcpsync/control-limits.t tests/hashproxy/balance2.t \
	tests/vrrpd/routes.t tests/vrrpd/vmac.t tests/vrrpd/corpus.t \
	tests/vrrpd/vmac-garp-intvl.t tests/dhcpsync/diskfull.t \
	tests/vrrpd/vmac-igmp.t tests/pgwatch/lag.t tests/vrrpd/rx-lower-pri.t \
	tests/hashproxy/agent.t tests/hashproxy/track.t tests/hashproxy/proxyproto.t \
	tests/doc/migrate-pgwatch.t tests/vrrpd/keepalived-unicast.t \
	tests/vrrpd/options-accept.t tests/hashproxy/runtime-api.t \
	tests/hashproxy/delays.t tests/vrrpd/sync-weight.t tests/vrrpd/smtp-faults.t \
	tests/vrrpd/init-fail.t tests/hashproxy/runtime-frontend.t \
	tests/hashproxy/extcheck.t tests/vrrpd/scriptsec.t \
	tests/hashproxy/status-steps.t tests/vrrpd/iptables.t tests/doc/render.t \
	tests/vrrpd/unicast-ttl.t tests/pgwatch/check.t \
	tests/dhcpsync/ha-frozen-peer.t tests/vrrpd/notify-order.t \
	tests/doc/options.t tests/hashproxy/corpus.t tests/hashproxy/portmap.t \
	tests/hashproxy/connect.t tests/hashproxy/tcpka.t tests/svccheck/nagios.t \
	tests/hashproxy/server-template.t tests/lib/t/netns.t tests/compose/lines.t \
	tests/dhcpsync/truncate.t tests/hashproxy/tcpcheck-forms.t \
	tests/pgwatch/failover.t tests/hashproxy/checkaddr.t
# svccheck's own files that see only their own processes (a PID namespace
# of their own, or names with the run's T_ID in them) run with the rest.
TESTS_SVC_PAR = tests/svccheck/oneshot.t tests/svccheck/nagios.t \
	tests/svccheck/watch.t tests/svccheck/notify.t tests/svccheck/track-names.t \
	tests/svccheck/track-pidfile.t tests/svccheck/track-ports.t \
	tests/svccheck/track-killall.t
TESTS_SEQ = $(filter-out $(TESTS_SVC_PAR),$(wildcard tests/svccheck/*.t)) \
	tests/compose/svccheck-vrrpd.t
TESTS_COMPOSE_PAR = $(filter-out $(TESTS_SEQ),$(wildcard tests/compose/*.t))
TESTS_LONG_PAR = $(filter-out $(TESTS_SEQ),$(TESTS_LONG))
TESTS_PAR = $(TESTS_LONG_PAR) $(filter-out $(TESTS_LONG), \
	$(foreach d,$(PAR_DIRS),$(wildcard $(d)/*.t)) $(TESTS_COMPOSE_PAR) $(TESTS_SVC_PAR) \
	$(wildcard build/*/unit/*.t tests/lib/t/*.t tests/contrib/*.t tests/doc/*.t tests/demo/*.t) \
	$(wildcard tests/pkg/*.t))
# prove starts tests in the order of their rules, not of the list: the
# long ones get a rule each, first, or they would start last and end last.
PROVE_RULES = $(foreach t,$(TESTS_LONG_PAR),--rules='par=$(t)') \
	$(foreach d,$(PAR_DIRS) build tests/lib tests/contrib tests/doc tests/demo tests/pkg tests/fuzz, \
	--rules='par=$(d)/**') $(foreach t,$(TESTS_COMPOSE_PAR) $(TESTS_SVC_PAR),--rules='par=$(t)')
# HATOOLS_RUNDIR is shared by the run's test files for what they would
# all make the same (tests/lib/pg.sh: one PostgreSQL pair per run, copied).
# A test file that hangs (a wait on a process nobody killed) fails after
# this many seconds instead of holding the whole run until CI's limit.
TEST_TIMEOUT ?= 900
# CPUTIME=LOG: each file's wall, usr and sys (daemons included) appended to
# LOG; "tests/lib/cputime --report LOG" lists the top ones (doc/performance.md)
CPUTIME ?=
TEST_EXEC = timeout -k 10 $(TEST_TIMEOUT)$(if $(CPUTIME), env CPUTIME_LOG=$(abspath $(CPUTIME)) tests/lib/cputime)
TEST_JOBS ?= $(shell echo $$((6 * $(NPROC) + 1)))
test:
	mandoc -T lint -W warning man/*.[1-9]
	@mkdir -p build && : > $(SKIPS)
	@rc=0; run=$$(mktemp -d /tmp/hatools-run.XXXXXX) && chmod 755 "$$run" && \
	HATOOLS_RUNDIR=$$run HATOOLS_SKIPS=$(CURDIR)/$(SKIPS) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) \
	    prove -j$(TEST_JOBS) $(PROVE_RULES) $(PROVE_FLAGS) \
		--exec '$(TEST_EXEC)' \
		$(TESTS_PAR) $(TESTS_SEQ) || rc=$$?; rm -rf "$$run"; \
	echo "Skipped (optional, see README): $$(awk -F': ' '{ n += $$2 } END { print n + 0 }' $(SKIPS)) checks"; \
	sed 's/^/  /' $(SKIPS); exit $$rc

# the demo's and the bench's hashproxy scenes use the tests' backend and client
testtools: all
	$(if $(filter hashproxy,$(PROGS)),$(MAKE) -C hashproxy testtools)

bench: deps testtools
	tests/bench/run $(PROGS)

demo: deps testtools
	tests/demo/run

# The seed's topology under load while things break (issue #15):
# report in build/faults/ (report.txt, timeline.svg), exit 1 on a missed
# target.
faults: deps all
	tests/faults/run.sh -o build/faults

# Where "make install" puts things (GNU names).  Nothing goes to /etc: a
# configuration is the operator's, the examples are under DOCDIR.
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/hatools
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/hatools
UNITDIR    ?= $(PREFIX)/lib/systemd/system
INSTALL    ?= install
INST_MAN   = man/hatools.7 $(foreach p,$(PROGS),$(wildcard man/$(p).[18]))
INST_UNITS = $(foreach p,$(PROGS),$(wildcard contrib/systemd/$(p)*.service))
# the notify scripts the docs name as $(LIBEXECDIR)/dhcp-master
INST_LIBEXEC = $(if $(filter dhcpsync,$(PROGS)), \
	contrib/dhcpsync/dhcp-master contrib/dhcpsync/dhcp-backup)
INST_EXAMPLES = $(filter-out $(INST_LIBEXEC), \
	$(foreach p,$(PROGS),$(wildcard contrib/$(p)/*)))
INST_DOCS  = README.md NEWS LICENSE
# The units, examples and drop-in name /usr/local (the default PREFIX):
# they are installed pointing at PREFIX.
INST_SED   = sed -e 's\#/usr/local/libexec/hatools/\#$(LIBEXECDIR)/\#g' \
	-e 's\#/usr/local/\#$(PREFIX)/\#g'

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR) \
		$(if $(INST_LIBEXEC),$(DESTDIR)$(LIBEXECDIR)) \
		$(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(PROGS))
	$(foreach p,$(BIN_PROGS),$(INSTALL) -m 755 $(p)/$(p) $(DESTDIR)$(BINDIR)/;)
	$(foreach p,$(SBIN_PROGS),$(INSTALL) -m 755 $(p)/$(p) $(DESTDIR)$(SBINDIR)/;)
	$(foreach m,$(INST_MAN),$(INSTALL) -m 644 $(m) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/;)
	$(foreach f,$(INST_LIBEXEC),$(INST_SED) $(f) > $(DESTDIR)$(LIBEXECDIR)/$(notdir $(f)) && \
		chmod 755 $(DESTDIR)$(LIBEXECDIR)/$(notdir $(f));)
	$(foreach u,$(INST_UNITS),$(INST_SED) $(u) > $(DESTDIR)$(UNITDIR)/$(notdir $(u)) && \
		chmod 644 $(DESTDIR)$(UNITDIR)/$(notdir $(u));)
	$(foreach f,$(INST_EXAMPLES),$(INST_SED) $(f) > \
		$(DESTDIR)$(DOCDIR)/examples/$(subst contrib/,,$(f)) && \
		chmod 644 $(DESTDIR)$(DOCDIR)/examples/$(subst contrib/,,$(f));)
	$(INSTALL) -m 644 $(INST_DOCS) $(DESTDIR)$(DOCDIR)/

# Removes what install put there, and its directories if left empty.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(BIN_PROGS)) \
		$(addprefix $(DESTDIR)$(SBINDIR)/,$(SBIN_PROGS)) \
		$(foreach m,$(INST_MAN),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(notdir $(INST_UNITS))) \
		$(addprefix $(DESTDIR)$(LIBEXECDIR)/,$(notdir $(INST_LIBEXEC))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(subst contrib/,,$(INST_EXAMPLES))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(INST_DOCS))
	rmdir $(DESTDIR)$(LIBEXECDIR) $(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(PROGS)) \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf build
	@for p in $(PROGS); do $(MAKE) -C $$p clean; done

.PHONY: all lib deps testtools unit unit-plain fuzz check test bench demo faults install uninstall clean $(PROGS)
