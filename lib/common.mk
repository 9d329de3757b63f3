# Flags every hatools program is built with (DESIGN.md: warnings, hardening).
VERSION  ?= 0.1.0
CC       ?= cc
CFLAGS   ?= -O2 -g
HT_CFLAGS = -std=gnu11 -Wall -Wextra -Wformat=2 -Werror -Wshadow \
	    -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	    -D_GNU_SOURCE -DHATOOLS_VERSION='"$(VERSION)"' \
	    -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection \
	    -fPIE
HT_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,--as-needed
SAN_FLAGS  = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
