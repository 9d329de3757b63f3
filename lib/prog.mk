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
# unit-plain (the plain ones only), fuzz (libFuzzer binaries, clang), clean.

TOP     := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
include $(TOP)/lib/common.mk

BUILD   := $(TOP)/build/$(PROG)
# Ours, never in CPPFLAGS: "make CPPFLAGS=..." replaces that variable whole.
HT_INC   = -I$(TOP)/lib -I. $(PROG_CPPFLAGS)
CC_FLAGS = $(HT_CFLAGS) $(HT_INC) $(CPPFLAGS) $(CFLAGS)
LD_FLAGS = $(HT_LDFLAGS) $(CFLAGS) $(LDFLAGS)
ALLSRCS  = $(SRCS) $(addprefix $(TOP)/lib/,$(LIBSRCS))
TESTSRCS = $(filter-out main.c,$(SRCS)) $(addprefix $(TOP)/lib/,$(LIBSRCS))
OBJS     = $(patsubst %.c,$(BUILD)/obj/%.o,$(notdir $(ALLSRCS)))
UNITBIN  = $(foreach u,$(UNITS),$(BUILD)/unit/$(u).t $(BUILD)/unit/$(u)-asan.t)
FUZZBIN  = $(foreach f,$(FUZZERS),$(BUILD)/fuzz/$(f))

vpath %.c . $(TOP)/lib

# Every object depends on the flags it was built with: a build with other
# CFLAGS (a package build after a developer's) compiles everything again.
# -Werror changes no object and is left out.  "make -n" writes nothing
# (it shows everything as to be rebuilt).
FLAGSTAMP := $(BUILD)/flags
HT_FLAGS_NOW = $(CC) $(filter-out -Werror,$(CC_FLAGS)) : $(LD_FLAGS) $(LDLIBS)
HT_DRYRUN = $(findstring n,$(firstword -$(MAKEFLAGS)))
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(file <$(FLAGSTAMP)),$(HT_FLAGS_NOW))
ifeq ($(HT_DRYRUN),)
$(shell mkdir -p $(BUILD))
$(file >$(FLAGSTAMP),$(HT_FLAGS_NOW))
else
.PHONY: $(FLAGSTAMP)
endif
endif
endif

all: $(if $(SRCS),$(PROG))

$(PROG): $(OBJS) $(FLAGSTAMP)
	$(CC) $(LD_FLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/obj/%.o: %.c $(wildcard *.h) $(wildcard $(TOP)/lib/*.h) $(FLAGSTAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CC_FLAGS) -c -o $@ $<

# Each source is compiled once per flavour and the objects linked into
# every test of that flavour: plain units reuse the program's objects,
# ASan+UBSan units and fuzzers get their own object directories.
TESTOBJS = $(filter-out $(BUILD)/obj/main.o,$(patsubst %.c,$(BUILD)/obj/%.o,$(notdir $(TESTSRCS))))
ASANOBJS = $(patsubst $(BUILD)/obj/%,$(BUILD)/asan/%,$(TESTOBJS))
FUZZOBJS = $(patsubst $(BUILD)/obj/%,$(BUILD)/fuzzobj/%,$(TESTOBJS))
ASAN_CFLAGS = $(call HT_NOFORTIFY,$(HT_CFLAGS) $(HT_INC) $(CPPFLAGS)) $(SAN_FLAGS)
FUZZ_CFLAGS = $(call HT_NOFORTIFY,$(filter-out -fstack-clash-protection,$(HT_CFLAGS)) \
	$(HT_INC) $(CPPFLAGS)) -Wno-unused-command-line-argument -g -O1

$(BUILD)/asan/%.o: %.c $(wildcard *.h) $(wildcard $(TOP)/lib/*.h) $(FLAGSTAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<

$(BUILD)/fuzzobj/%.o: %.c $(wildcard *.h) $(wildcard $(TOP)/lib/*.h) $(FLAGSTAMP)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

unit: $(UNITBIN)

# the unit tests without sanitizers (no clang): a package build runs these
unit-plain: $(filter-out %-asan.t,$(UNITBIN))

$(BUILD)/unit/%.t: $(TOP)/tests/$(PROG)/unit-%.c $(TESTOBJS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CC_FLAGS) -I$(TOP)/tests/lib $(LD_FLAGS) -o $@ $< $(TESTOBJS) $(LDLIBS)

$(BUILD)/unit/%-asan.t: $(TOP)/tests/$(PROG)/unit-%.c $(ASANOBJS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -I$(TOP)/tests/lib -o $@ $< $(ASANOBJS) $(LDLIBS)

fuzz: $(FUZZBIN)

$(BUILD)/fuzz/%: $(TOP)/tests/fuzz/$(PROG)-%.c $(FUZZOBJS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZOBJS) $(LDLIBS)

clean:
	rm -rf $(BUILD) $(PROG)

.PHONY: all unit unit-plain fuzz clean
