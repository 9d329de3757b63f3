#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs what building, testing, benchmarking and the demo need, with
# apt-get; quiet and quick when everything is already there.  The last
# line is tests/pkg/deb.t's (it builds the Debian packages).
set -eu

pkgs="build-essential pkg-config libpq-dev libcap-dev libmnl-dev libevent-dev
clang libclang-rt-14-dev perl mandoc iproute2 procps psmisc util-linux
keepalived haproxy isc-dhcp-server isc-dhcp-client postgresql check-postgres
patroni python3-pysyncobj
kea-dhcp4-server kea-ctrl-agent wrk hyperfine curl socat netcat-openbsd rsync
tcpdump iputils-ping iputils-arping ndisc6 jq systemd nftables python3 strace
e2fsprogs isc-dhcp-relay redis-server mariadb-server openssl slapd
monitoring-plugins-basic monitoring-plugins-standard prometheus
dpkg-dev debhelper fakeroot lintian man-db bsdextrautils"

# One dpkg-query for all (each start reads dpkg's whole database: one a
# package made the check seconds long, before every make check): a package
# it does not list as installed, unknown ones included, is missing.
installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' $pkgs 2>/dev/null |
	awk '$1 == "installed" { printf "%s ", $2 }')"
missing=
for p in $pkgs; do
	case $installed in *" $p "*) ;; *) missing="$missing $p" ;; esac
done
missing=${missing# }
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: $missing (run as root to install)" >&2
	exit 1
fi
echo "deps: installing $missing" >&2
# The tests start their own servers; keep the packages from starting theirs.
policy=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy"
	made_policy=1
fi
trap '[ -n "$made_policy" ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
