# Build rules shared by every program's Makefile.
#
# A program's Makefile sets, then includes this file:
#   PROG     = name of the binary
#   SRCS     = its sources (main.c first; main.c is left out of tests)
#   LIBSRCS  = the lib/ sources it uses (file names only)
#   LDLIBS   = libraries it links
#   UNITS    = unit tests, tests/$(PROG)/unit-NAME.c -> NAME
#   FUZZERS  = fuzz targets, tests/fuzz/$(PROG)-NAME.c -> NAME
#
# Targets: all (the program), unit (unit tests, plain and ASan+UBSan),
# fuzz (libFuzzer binaries, clang), clean.

TOP     := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
include $(TOP)/lib/common.mk

BUILD   := $(TOP)/build/$(PROG)
CPPFLAGS += -I$(TOP)/lib -I.
ALLSRCS  = $(SRCS) $(addprefix $(TOP)/lib/,$(LIBSRCS))
TESTSRCS = $(filter-out main.c,$(SRCS)) $(addprefix $(TOP)/lib/,$(LIBSRCS))
OBJS     = $(patsubst %.c,$(BUILD)/obj/%.o,$(notdir $(ALLSRCS)))
UNITBIN  = $(foreach u,$(UNITS),$(BUILD)/unit/$(u).t $(BUILD)/unit/$(u)-asan.t)
FUZZBIN  = $(foreach f,$(FUZZERS),$(BUILD)/fuzz/$(f))

vpath %.c . $(TOP)/lib

all: $(if $(SRCS),$(PROG))

$(PROG): $(OBJS)
	$(CC) $(HT_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HT_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Each source is compiled once per flavour and the objects linked into
# every test of that flavour: plain units reuse the program's objects,
# ASan+UBSan units and fuzzers get their own object directories.
TESTOBJS = $(filter-out $(BUILD)/obj/main.o,$(patsubst %.c,$(BUILD)/obj/%.o,$(notdir $(TESTSRCS))))
ASANOBJS = $(patsubst $(BUILD)/obj/%,$(BUILD)/asan/%,$(TESTOBJS))
FUZZOBJS = $(patsubst $(BUILD)/obj/%,$(BUILD)/fuzzobj/%,$(TESTOBJS))
ASAN_CFLAGS = $(filter-out -D_FORTIFY_SOURCE=2,$(HT_CFLAGS)) $(CPPFLAGS) $(SAN_FLAGS)
FUZZ_CFLAGS = $(filter-out -D_FORTIFY_SOURCE=2 -fstack-clash-protection,$(HT_CFLAGS)) \
	-Wno-unused-command-line-argument $(CPPFLAGS) -g -O1

$(BUILD)/asan/%.o: %.c $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<

$(BUILD)/fuzzobj/%.o: %.c $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

unit: $(UNITBIN)

$(BUILD)/unit/%.t: $(TOP)/tests/$(PROG)/unit-%.c $(TESTOBJS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HT_CFLAGS) $(CPPFLAGS) -I$(TOP)/tests/lib $(CFLAGS) $(HT_LDFLAGS) -o $@ $< $(TESTOBJS) $(LDLIBS)

$(BUILD)/unit/%-asan.t: $(TOP)/tests/$(PROG)/unit-%.c $(ASANOBJS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -I$(TOP)/tests/lib -o $@ $< $(ASANOBJS) $(LDLIBS)

fuzz: $(FUZZBIN)

$(BUILD)/fuzz/%: $(TOP)/tests/fuzz/$(PROG)-%.c $(FUZZOBJS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZOBJS) $(LDLIBS)

clean:
	rm -rf $(BUILD) $(PROG)

.PHONY: all unit fuzz clean
