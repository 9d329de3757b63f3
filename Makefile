# hatools: five small HA programs.  "make" builds what exists, "make check"
# runs every test (installing what it needs first), "make demo" shows the
# seed's topology, "make bench" measures each program against its peer.

PREFIX  ?= /usr/local
DESTDIR ?=
ALL_PROGS := svccheck vrrpd hashproxy pgwatch dhcpsync
PROGS   := $(foreach p,$(ALL_PROGS),$(if $(wildcard $(p)/Makefile),$(p)))
SBIN_PROGS := $(filter vrrpd hashproxy dhcpsync,$(PROGS))
BIN_PROGS  := $(filter svccheck pgwatch,$(PROGS))
FUZZ_SECONDS ?= 2	# a short run each of 19 targets; longer: make check FUZZ_SECONDS=60
NPROC   := $(shell nproc 2>/dev/null || echo 2)
PROVE_FLAGS ?=

all: $(PROGS)

$(PROGS):
	$(MAKE) -C $@

deps:
	@sh tests/lib/deps.sh

unit:
	$(MAKE) -C lib unit
	@for p in $(PROGS); do $(MAKE) -C $$p unit || exit 1; done

fuzz:
	@for p in $(PROGS); do $(MAKE) -C $$p fuzz || exit 1; done

# Every test through prove: C unit tests (plain and ASan+UBSan), the shell
# tests per program, the helpers' own tests, and a short run of each fuzzer.
# "test" runs what is built; a separate make so its wildcards see the build.
check: deps
	$(MAKE) -j$(NPROC) all unit fuzz
	$(MAKE) test

# A test that cannot run fails (tests/lib/tap.sh: cannot_run); what the
# README makes optional is skipped, and counted after prove's summary.
# Tests run TEST_JOBS (one per CPU) at a time: each makes its own
# namespaces, ports and files, and most of their time is spent waiting on
# timers; the fuzzers keep one core busy meanwhile, the CPU hog every test
# must stand.
# svccheck's (which look at every process on the host and fork storms)
# and the composed programs' with a time bound run alone at the end:
# prove runs what matches no "par" rule last, one at a time.  The other
# composed ones run with the rest (their names, ports and namespaces are
# their own too).  The longest first.
SKIPS := build/skips
PAR_DIRS := tests/dhcpsync tests/pgwatch tests/vrrpd tests/hashproxy
# (measured one at a time at load 15-25, 14:00 UTC Dec 6: 190-60 s)
TESTS_LONG = tests/fuzz/run.t tests/dhcpsync/corpus.t tests/dhcpsync/diskfull.t \
	tests/pgwatch/lag.t tests/hashproxy/tsan.t tests/vrrpd/keepalived-v2.t \
	tests/pgwatch/failover.t tests/vrrpd/corpus.t tests/vrrpd/accept.t \
	tests/pgwatch/rejoin.t tests/pgwatch/check.t tests/compose/lines.t \
	tests/compose/pgwatch-vrrpd.t tests/dhcpsync/resume.t tests/dhcpsync/running.t \
	tests/vrrpd/keepalived-v3.t tests/vrrpd/hostile.t tests/pgwatch/query-timeout.t \
	tests/vrrpd/split-heal.t
TESTS_SEQ = $(wildcard tests/svccheck/*.t) tests/compose/svccheck-vrrpd.t
TESTS_COMPOSE_PAR = $(filter-out $(TESTS_SEQ),$(wildcard tests/compose/*.t))
TESTS_PAR = $(TESTS_LONG) $(filter-out $(TESTS_LONG), \
	$(foreach d,$(PAR_DIRS),$(wildcard $(d)/*.t)) $(TESTS_COMPOSE_PAR) \
	$(wildcard build/*/unit/*.t) tests/lib/t/*.t tests/contrib/*.t tests/doc/*.t)
PROVE_RULES = $(foreach d,$(PAR_DIRS) build tests/lib tests/contrib tests/doc tests/fuzz, \
	--rules='par=$(d)/**') $(foreach t,$(TESTS_COMPOSE_PAR),--rules='par=$(t)')
# HATOOLS_RUNDIR is shared by the run's test files for what they would
# all make the same (tests/lib/pg.sh: one initdb per run, copied).
# A test file that hangs (a wait on a process nobody killed) fails after
# this many seconds instead of holding the whole run until CI's limit.
TEST_TIMEOUT ?= 900
TEST_JOBS ?= $(NPROC)
test:
	mandoc -T lint -W warning man/*.[1-9]
	@mkdir -p build && : > $(SKIPS)
	@rc=0; run=$$(mktemp -d /tmp/hatools-run.XXXXXX) && chmod 755 "$$run" && \
	HATOOLS_RUNDIR=$$run HATOOLS_SKIPS=$(CURDIR)/$(SKIPS) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	    prove -j$(TEST_JOBS) $(PROVE_RULES) $(PROVE_FLAGS) \
		--exec 'timeout -k 10 $(TEST_TIMEOUT)' \
		$(TESTS_PAR) $(TESTS_SEQ) || rc=$$?; rm -rf "$$run"; \
	echo "Skipped (optional, see README): $$(awk -F': ' '{ n += $$2 } END { print n + 0 }' $(SKIPS)) checks"; \
	sed 's/^/  /' $(SKIPS); exit $$rc

bench: deps all
	tests/bench/run $(PROGS)

demo: deps all
	tests/demo/run

# The seed's topology under load while things break (issue #15):
# report in build/faults/ (report.txt, timeline.svg), exit 1 on a missed
# target.
faults: deps all
	tests/faults/run.sh -o build/faults

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7 \
		$(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(PREFIX)/lib/systemd/system
	$(foreach p,$(BIN_PROGS),install -m 755 $(p)/$(p) $(DESTDIR)$(PREFIX)/bin/;)
	$(foreach p,$(SBIN_PROGS),install -m 755 $(p)/$(p) $(DESTDIR)$(PREFIX)/sbin/;)
	install -m 644 man/hatools.7 $(DESTDIR)$(PREFIX)/share/man/man7/
	$(foreach p,$(PROGS),install -m 644 $(wildcard man/$(p).[18]) \
		$(DESTDIR)$(PREFIX)/share/man/man$(if $(filter $(p),$(BIN_PROGS)),1,8)/;)
	# Units name /usr/local (the default PREFIX); point them at PREFIX.
	$(foreach p,$(PROGS),$(foreach u,$(wildcard contrib/systemd/$(p)*.service), \
		sed 's#/usr/local/#$(PREFIX)/#g' $(u) > \
		$(DESTDIR)$(PREFIX)/lib/systemd/system/$(notdir $(u));))

clean:
	rm -rf build
	@for p in $(PROGS); do $(MAKE) -C $$p clean; done

.PHONY: all deps unit fuzz check test bench demo faults install clean $(PROGS)
