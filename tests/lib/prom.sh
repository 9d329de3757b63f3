# SPDX-License-Identifier: ISC
# A real Prometheus (Debian's) for the tests: it scrapes every second and
# answers PromQL on its HTTP API.  Source after tap.sh (and netns.sh for
# prom_start -n).
#
#   prom_needs        cannot_run unless prometheus, promtool, curl and jq
#   prom_start [-n HOST] [-l LABELS] JOB=TARGET[,TARGET...]...
#                     writes $T_TMP/prom.yml (one scrape job per JOB,
#                     which promtool must accept) and starts Prometheus on
#                     127.0.0.1:$PROM_PORT, in HOST's namespaces with -n;
#                     its log is $T_TMP/prom.log, its pid PROM.  LABELS
#                     (default "instance") are what is_q and okq compare.
#   q LABELS PROMQL   the query's result vector, one line per sample: the
#                     values of the comma-separated LABELS ("-" where a
#                     sample has none) and the sample's value, sorted
#   is_q PROMQL WANT  q's answer, with prom_start's LABELS, is WANT (kept
#                     in Q_LAST)
#   okq DESC SECONDS PROMQL WANT
#                     a check: the answer becomes WANT within SECONDS
#                     (else the last answer is shown)
#   prom_log_clean    Prometheus logged no error

prom_needs() {
	local c
	for c in prometheus promtool curl jq; do
		command -v "$c" >/dev/null ||
		    cannot_run "$c missing (Debian packages prometheus, curl, jq)"
	done
}

# _prom_yml JOB=TARGET[,TARGET...]...: the configuration, on stdout
_prom_yml() {
	local j t
	printf '%s\n' 'global:' '  scrape_interval: 1s' '  scrape_timeout: 900ms' \
	    '  evaluation_interval: 1s' 'scrape_configs:'
	for j in "$@"; do
		t=${j#*=}
		printf '  - job_name: %s\n    static_configs:\n' "${j%%=*}"
		printf "      - targets: ['%s']\n" "${t//,/"', '"}"
	done
}

prom_start() {
	local o OPTIND=1
	PROM_HOST= PROM_LABELS=instance
	while getopts n:l: o; do
		case $o in
		n) PROM_HOST=$OPTARG ;;
		l) PROM_LABELS=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	_prom_yml "$@" >"$T_TMP/prom.yml"
	promtool check config "$T_TMP/prom.yml" >/dev/null 2>&1 ||
	    bail "promtool check config: $(cat "$T_TMP/prom.yml")"
	free_ports PROM_PORT
	set -- prometheus --config.file="$T_TMP/prom.yml" \
	    --storage.tsdb.path="$T_TMP/tsdb" \
	    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn
	if [ -n "$PROM_HOST" ]; then
		ns_spawn "$PROM_HOST" PROM "$@" >"$T_TMP/prom.log" 2>&1
	else
		"$@" >"$T_TMP/prom.log" 2>&1 &
		PROM=$!
	fi
	cleanup_push "kill $PROM"
}

# _prom_in CMD...: CMD where Prometheus listens
_prom_in() {
	if [ -n "$PROM_HOST" ]; then ns_run "$PROM_HOST" "$@"; else "$@"; fi
}

q() {
	_prom_in curl -sf --max-time 5 -G \
	    "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$2" |
	    jq -r --arg l "$1" '($l | split(",")) as $ls |
		select(.status == "success") | .data.result[] |
		[(.metric as $m | $ls[] | $m[.] // "-"), .value[1]] | join(" ")' |
	    sort
}

is_q() { Q_LAST=$(q "$PROM_LABELS" "$1"); [ "$Q_LAST" = "$2" ]; }

okq() {
	ok "$1" wait_for "$2" is_q "$3" "$4" ||
	    diag "last answer: $(printf '%s' "$Q_LAST" | tr '\n' '|')"
}

prom_log_clean() { ! grep -q 'level=error' "$T_TMP/prom.log"; }
