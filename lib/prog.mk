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

unit: $(UNITBIN)

$(BUILD)/unit/%.t: $(TOP)/tests/$(PROG)/unit-%.c $(TESTSRCS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HT_CFLAGS) $(CPPFLAGS) -I$(TOP)/tests/lib $(CFLAGS) -o $@ $< $(TESTSRCS) $(LDLIBS)

$(BUILD)/unit/%-asan.t: $(TOP)/tests/$(PROG)/unit-%.c $(TESTSRCS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -D_FORTIFY_SOURCE=2,$(HT_CFLAGS)) $(CPPFLAGS) -I$(TOP)/tests/lib $(SAN_FLAGS) -o $@ $< $(TESTSRCS) $(LDLIBS)

fuzz: $(FUZZBIN)

$(BUILD)/fuzz/%: $(TOP)/tests/fuzz/$(PROG)-%.c $(TESTSRCS) $(wildcard *.h) $(wildcard $(TOP)/lib/*.h)
	@mkdir -p $(dir $@)
	clang $(filter-out -D_FORTIFY_SOURCE=2 -fstack-clash-protection,$(HT_CFLAGS)) -Wno-unused-command-line-argument $(CPPFLAGS) -g -O1 \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(TESTSRCS) $(LDLIBS)

clean:
	rm -rf $(BUILD) $(PROG)

.PHONY: all unit fuzz clean
