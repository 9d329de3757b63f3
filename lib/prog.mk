# SPDX-License-Identifier: ISC
# Build rules shared by every program's Makefile.
#
# A program's Makefile sets, then includes this file:
#   PROG     = name of the binary
#   SRCS     = its sources (main.c first; main.c is left out of tests)
#   LIBSRCS  = the lib/ sources it uses (file names only)
#   LDLIBS   = libraries it links
#   UNITS    = unit tests, tests/$(PROG)/unit-NAME.c -> NAME
#   FUZZERS  = fuzz targets, tests/fuzz/$(PROG)-NAME.c -> NAME
#   PROG_CPPFLAGS = its own include paths (pkg-config), if any
#
# Targets: all (the program), unit (unit tests, plain and ASan+UBSan),
# unit-plain (the plain ones only, no clang), fuzz (libFuzzer binaries),
# clean.

TOP     := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
include $(TOP)/lib/common.mk

BUILD   := $(TOP)/build/$(PROG)
# lib/'s objects are the same for every program: built once per flavour
# in build/lib/obj-FLAVOUR/, with lib/'s headers alone, and linked into
# each program and test that names them in LIBSRCS.
LIBBUILD := $(TOP)/build/lib
# Ours, never in CPPFLAGS: "make CPPFLAGS=..." replaces that variable whole.
HT_INC   = -I$(TOP)/lib -I. $(PROG_CPPFLAGS)
LIB_INC  = -I$(TOP)/lib

# The flavours' compile flags, given the include flags ($1).  plain (gcc):
# the program and the unit tests without sanitizers, with the builder's
# CFLAGS; san (clang, ASan+UBSan and libFuzzer's coverage counters): the
# -asan.t unit tests and the fuzz targets, one flavour for both, since a
# gcc ASan flavour of its own cost every source one more compile (~0.4 s
# of CPU each, 128 in all) to test the same code the same way.  The
# counters need no libFuzzer: the sanitizer runtime takes them (a unit
# test links with -fsanitize=address,undefined, a fuzz target adds
# fuzzer).  UB aborts in both (-fno-sanitize-recover: a unit test's or a
# fuzz input's UB fails it).  tsan (clang): ThreadSanitizer, hashproxy's
# nbthread.  gcc's warnings stay: plain builds with them, -Werror too.
# The test flavours choose their -O.  san builds at -O0: a third of -O1's
# compile CPU (0.2 s a file instead of 0.65 s), for 65-85 % of -O1's
# fuzz executions a second and the same coverage reached in 10 s; tsan at
# -O1, since hashproxy runs whole test files on it.  -gline-tables-only is
# what a sanitizer report's file:line needs, at ~25 % less than -g.
HT_PLAIN_FLAGS = $(HT_CFLAGS) $(1) $(CPPFLAGS) $(CFLAGS)
HT_CLANG_FLAGS = $(call HT_NOFORTIFY,$(filter-out -fstack-clash-protection,$(HT_CFLAGS)) \
	$(1) $(CPPFLAGS)) -gline-tables-only
HT_SAN_FLAGS   = $(call HT_CLANG_FLAGS,$(1)) -O0 $(SAN_FLAGS) -fsanitize=fuzzer-no-link
HT_TSAN_FLAGS  = $(call HT_CLANG_FLAGS,$(1)) -O1 -fsanitize=thread

CC_FLAGS    = $(call HT_PLAIN_FLAGS,$(HT_INC))
SAN_CFLAGS  = $(call HT_SAN_FLAGS,$(HT_INC))
TSAN_CFLAGS = $(call HT_TSAN_FLAGS,$(HT_INC))
LD_FLAGS = $(HT_LDFLAGS) $(CFLAGS) $(LDFLAGS)

# A flavour's objects ($1): the program's sources ($2), then lib/'s.
ht_objs  = $(patsubst %.c,$(BUILD)/obj-$(1)/%.o,$(2)) \
	   $(patsubst %.c,$(LIBBUILD)/obj-$(1)/%.o,$(LIBSRCS))
OBJS     = $(call ht_objs,plain,$(SRCS))
# the tests link everything but main()
TESTOBJS = $(call ht_objs,plain,$(filter-out main.c,$(SRCS)))
SANOBJS  = $(call ht_objs,san,$(filter-out main.c,$(SRCS)))
TSANOBJS = $(call ht_objs,tsan,$(SRCS))
UNITBIN  = $(foreach u,$(UNITS),$(BUILD)/unit/$(u).t $(BUILD)/unit/$(u)-asan.t)
FUZZBIN  = $(foreach f,$(FUZZERS),$(BUILD)/fuzz/$(f))
LIBHDRS  = $(wildcard $(TOP)/lib/*.h)
HDRS     = $(wildcard *.h) $(LIBHDRS)

# Every object depends on the flags it was built with: a build with other
# CFLAGS (a package build after a developer's), or after a change of a
# test flavour's flags, compiles everything again.
# -Werror changes no object and is left out.  The program's stamp also
# holds its link flags; lib/'s (build/lib/flags-objs) the compile flags
# alone, the same from every program's make.  A stamp is replaced whole
# (written aside, renamed): a make starting meanwhile never reads half of
# one.  "make -n" writes nothing (it shows everything as to be rebuilt).
FLAGSTAMP := $(BUILD)/flags
LIBSTAMP  := $(LIBBUILD)/flags-objs
HT_FLAGS_NOW = $(CC) $(filter-out -Werror,$(CC_FLAGS)) : $(LD_FLAGS) $(LDLIBS) \
	: $(filter-out -Werror,$(SAN_CFLAGS) : $(TSAN_CFLAGS))
HT_LIBFLAGS_NOW = $(CC) $(filter-out -Werror,$(call HT_PLAIN_FLAGS,$(LIB_INC)) \
	: $(call HT_SAN_FLAGS,$(LIB_INC)) : $(call HT_TSAN_FLAGS,$(LIB_INC)))
HT_DRYRUN = $(findstring n,$(firstword -$(MAKEFLAGS)))
HT_PID   := $(shell echo $$PPID)
ht_same   = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))
# ht_stamp FILE,TEXT,WAS (WAS read beforehand: $(file <) as an argument
# of $(call) does not compare equal to the same text)
ht_stamp  = $(if $(call ht_same,$(3),$(2)),, \
	$(if $(HT_DRYRUN),$(eval .PHONY: $(1)), \
	$(shell mkdir -p $(dir $(1)))$(file >$(1).$(HT_PID),$(2))$(shell mv -f $(1).$(HT_PID) $(1))))
HT_FLAGS_WAS    := $(file <$(FLAGSTAMP))
HT_LIBFLAGS_WAS := $(file <$(LIBSTAMP))
ifeq ($(filter clean,$(MAKECMDGOALS)),)
$(call ht_stamp,$(FLAGSTAMP),$(HT_FLAGS_NOW),$(HT_FLAGS_WAS))
$(call ht_stamp,$(LIBSTAMP),$(HT_LIBFLAGS_NOW),$(HT_LIBFLAGS_WAS))
endif

all: $(if $(SRCS),$(PROG))

$(PROG): $(OBJS) $(FLAGSTAMP)
	$(CC) $(LD_FLAGS) -o $@ $(OBJS) $(LDLIBS)

# Each source is compiled once per flavour, and the objects linked into
# every binary of that flavour.  They are kept: reached through pattern
# rules only, make would delete the sanitizer flavours' objects at its
# end, and one changed source would then compile all of them again.
.SECONDARY:
$(LIBBUILD)/obj-plain/%.o: $(TOP)/lib/%.c $(LIBHDRS) $(LIBSTAMP)
	@mkdir -p $(@D)
	$(CC) $(call HT_PLAIN_FLAGS,$(LIB_INC)) -c -o $@ $<
$(LIBBUILD)/obj-san/%.o: $(TOP)/lib/%.c $(LIBHDRS) $(LIBSTAMP)
	@mkdir -p $(@D)
	clang $(call HT_SAN_FLAGS,$(LIB_INC)) -c -o $@ $<
$(LIBBUILD)/obj-tsan/%.o: $(TOP)/lib/%.c $(LIBHDRS) $(LIBSTAMP)
	@mkdir -p $(@D)
	clang $(call HT_TSAN_FLAGS,$(LIB_INC)) -c -o $@ $<

# (lib/ has no sources of its own: its objects are the rules above')
ifneq ($(SRCS),)
$(BUILD)/obj-plain/%.o: %.c $(HDRS) $(FLAGSTAMP)
	@mkdir -p $(@D)
	$(CC) $(CC_FLAGS) -c -o $@ $<
$(BUILD)/obj-san/%.o: %.c $(HDRS) $(FLAGSTAMP)
	@mkdir -p $(@D)
	clang $(SAN_CFLAGS) -c -o $@ $<
$(BUILD)/obj-tsan/%.o: %.c $(HDRS) $(FLAGSTAMP)
	@mkdir -p $(@D)
	clang $(TSAN_CFLAGS) -c -o $@ $<
endif

unit: $(UNITBIN)

# the unit tests without sanitizers (no clang): a package build runs these
unit-plain: $(filter-out %-asan.t,$(UNITBIN))

$(BUILD)/unit/%.t: $(TOP)/tests/$(PROG)/unit-%.c $(TESTOBJS) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CC_FLAGS) -I$(TOP)/tests/lib $(LD_FLAGS) -o $@ $< $(TESTOBJS) $(LDLIBS)

$(BUILD)/unit/%-asan.t: $(TOP)/tests/$(PROG)/unit-%.c $(SANOBJS) $(HDRS)
	@mkdir -p $(@D)
	clang $(SAN_CFLAGS) -I$(TOP)/tests/lib -o $@ $< $(SANOBJS) $(LDLIBS)

fuzz: $(FUZZBIN)

$(BUILD)/fuzz/%: $(TOP)/tests/fuzz/$(PROG)-%.c $(SANOBJS) $(HDRS)
	@mkdir -p $(@D)
	clang $(SAN_CFLAGS) -fsanitize=fuzzer -o $@ $< $(SANOBJS) $(LDLIBS)

clean:
	rm -rf $(BUILD) $(PROG)

.PHONY: all unit unit-plain fuzz clean
