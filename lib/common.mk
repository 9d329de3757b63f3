# SPDX-License-Identifier: ISC
# Flags every hatools program is built with (DESIGN.md: warnings, hardening).
#
# CFLAGS, CPPFLAGS and LDFLAGS are the builder's (a distribution's
# dpkg-buildflags, a developer's -O0): ours come first in HT_*, theirs
# after, so theirs win and nothing of ours is lost when they are set on
# the command line.  -Werror only with WERROR=1 (make check and CI set
# it): a newer compiler's new warning must not break a packager's build.

# The one place the version lives: --version prints it (lib/hatools.h),
# NEWS and debian/changelog must agree (tests/pkg/version.t).
VERSION  = 0.2.0
CC       ?= cc
CFLAGS   ?= -O2 -g
WERROR   ?=

# _FORTIFY_SOURCE=2 unless the builder chose a level (a second -D with
# another value is a "redefined" warning) or built without optimisation
# (glibc then warns that fortify needs -O).
HT_OPTIMISED = $(filter -O -O1 -O2 -O3 -Os -Og -Oz -Ofast,$(CFLAGS))
HT_FORTIFY = $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),, \
	     $(if $(filter-out -O0,$(lastword $(HT_OPTIMISED))),-D_FORTIFY_SOURCE=2))

HT_CPPFLAGS = -D_GNU_SOURCE -DHATOOLS_VERSION='"$(VERSION)"' $(HT_FORTIFY)
HT_CFLAGS = -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow \
	    -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	    $(if $(filter 1 yes,$(WERROR)),-Werror) $(HT_CPPFLAGS) \
	    -fstack-protector-strong -fstack-clash-protection -fPIE
HT_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,--as-needed

# The sanitizer and fuzzer flavours are test builds of their own: no
# fortify (it hides overflows from ASan), whatever level the builder set.
HT_NOFORTIFY = $(filter-out -D_FORTIFY_SOURCE%,$(1)) -U_FORTIFY_SOURCE
SAN_FLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
