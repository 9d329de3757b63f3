#!/bin/bash
# SPDX-License-Identifier: ISC
# The control socket against a running vrrpd: bad lines (empty, unknown,
# binary junk, over-long with and without an end of line) each get one
# "error: ..." line and the empty line; the connection and the daemon
# keep working; good commands after bad ones on the same connection.
. "$(dirname "$0")/lib.sh"
needs_root
topo a
vr_start a -i eth0 --vrid 51 --priority 150 --vip $VIP/24 --advert 100ms \
    --vrrp-version 3 || bail "vrrpd a"
ok "a becomes master" wait_for 5 has_vip a
sock=$T_TMP/a.sock

# raw FILE: send FILE's bytes as they are, print the reply verbatim
raw() { socat -t 3 - "UNIX-CONNECT:$sock" < "$1"; }

printf '\n' > "$T_TMP/empty"
is "$(raw "$T_TMP/empty" | od -An -c | tr -s ' \n' ' ')" \
    " e r r o r : e m p t y c o m m a n d ; t r y h e l p \\n \\n " \
    "empty line: one error line, then the empty line"

printf 'stat\n' > "$T_TMP/typo"
is "$(raw "$T_TMP/typo")" 'error: unknown command "stat"; try help' \
    "unknown command named in the reply"
printf 'show servers\n' > "$T_TMP/show"
is "$(raw "$T_TMP/show")" 'error: show "servers": unknown; instances, tracks or metrics' \
    "show of an unknown object"
printf 'status\0rm -rf /\n' > "$T_TMP/nul"
is "$(raw "$T_TMP/nul")" 'error: byte 0x00 at column 7 is not printable ASCII' \
    "a NUL byte is refused, not read as \"status\""
head -c 300 /dev/urandom | tr -d '\n' > "$T_TMP/junk"; printf '\x01\n' >> "$T_TMP/junk"
out=$(raw "$T_TMP/junk")
like "$out" "^error: byte 0x[0-9a-f]{2} at column [0-9]+ is not printable ASCII$" \
    "binary junk: one printable error line"

# flat TEXT: the reply's lines joined by "#", to match several lines at once
flat() { printf '%s' "$1" | tr '\n' '#'; }

# over-long lines: one inside a read, one far larger than any read
{ head -c 2000 /dev/zero | tr '\0' x; printf '\nstatus\n'; } > "$T_TMP/long"
out=$(raw "$T_TMP/long")
like "$out" "^error: command too long \([0-9]+ bytes, at most 1024\)|^error: command too long \(more than 1024 bytes\)" \
    "2000-byte line refused as too long"
like "$(flat "$out")" '^error: [^#]*##status vrrpd pid=' \
    "the next command on that connection answered"
{ head -c 200000 /dev/zero | tr '\0' x; printf '\nstatus\n'; } > "$T_TMP/huge"
out=$(raw "$T_TMP/huge")
is "$(grep -c '^error:' <<< "$out")" 1 "200 kB line: exactly one error"
like "$out" "^error: command too long" "200 kB line: says too long"
like "$(flat "$out")" '^error: [^#]*##status vrrpd pid=[0-9]+ instances=1 master=1' \
    "the tail of the long line is skipped, the next command answered"

# several commands, good and bad, on one connection, CRLF too
printf 'status\r\nbogus\nhelp\n' > "$T_TMP/mix"
out=$(raw "$T_TMP/mix")
like "$(flat "$out")" '^status vrrpd [^#]*##error: unknown command "bogus"; try help##status#show instances#show tracks#show metrics#reload#?$' \
    "replies in order: status, error, help"
is "$(ctl a 'status now')" 'error: status takes no argument (got "now")' \
    "an argument to status refused"
ok "vrrpd still running" kill -0 "$VR_a"
ok "still master" has_vip a
like "$(ctl a status)" "^status vrrpd pid=[0-9]+ instances=1 master=1" \
    "still answering"
# a command that changes state names its client (SO_PEERCRED); vrrpd
# lives in its own PID namespace, where a pid from outside reads 0
ctl a reload >/dev/null
like "$(grep 'control socket: reload' "$T_TMP/a.err")" "^.*control socket: reload by uid $(id -u) pid [0-9]+$" \
    "reload logs the client's uid and pid"
# a client that says nothing is closed after 10 s; others are served
python3 "$T_TOP/tests/lib/ctlclients.py" idle "$sock" status >"$T_TMP/idle"
like "$(sed -n 1p "$T_TMP/idle")" "^answered status vrrpd pid=" "another client is served while one idles"
like "$(sed -n 2p "$T_TMP/idle")" '^closed (9|1[0-9])\.' "the idle client is closed after about 10 s"
is "$(grep -c 'ERROR\|AddressSanitizer' "$T_TMP/a.err")" 0 "nothing alarming on stderr"
done_testing
