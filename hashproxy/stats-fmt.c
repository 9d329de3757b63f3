/* SPDX-License-Identifier: ISC */
/*
 * haproxy 2.6's "show stat typed" and "show stat json": one line or one
 * object per filled field, each with its position, name, tags and type,
 * so that tools written for haproxy's formats read ours.  Empty fields
 * are left out as haproxy does.  Tags: origin (Key, Config, Metric,
 * Status), nature (Name, Gauge, Max, Limit, Counter, Avg, Age, Rate,
 * Output, Duration), scope (Process, Service); read off haproxy's own
 * typed output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "stats.h"

#define C(n, t, y)	{ n, t, y }
const struct stats_col stats_cols[STATS_NCOLS] = {
	C("pxname", "KNS", "str"), C("svname", "KNS", "str"),
	C("qcur", "MGP", "u32"), C("qmax", "MMP", "u32"),
	C("scur", "MGP", "u32"), C("smax", "MMP", "u32"),
	C("slim", "CLP", "u32"), C("stot", "MCP", "u64"),
	C("bin", "MCP", "u64"), C("bout", "MCP", "u64"),
	C("dreq", "MCP", "u64"), C("dresp", "MCP", "u64"),
	C("ereq", "MCP", "u64"), C("econ", "MCP", "u64"),
	C("eresp", "MCP", "u64"), C("wretr", "MCP", "u64"),
	C("wredis", "MCP", "u64"), C("status", "SGP", "str"),
	C("weight", "MaP", "u32"), C("act", "SGP", "u32"),
	C("bck", "SGP", "u32"), C("chkfail", "MCP", "u64"),
	C("chkdown", "MCP", "u64"), C("lastchg", "MAP", "u32"),
	C("downtime", "MCP", "u32"), C("qlimit", "CLP", "u32"),
	C("pid", "KGP", "u32"), C("iid", "KGS", "u32"),
	C("sid", "KGS", "u32"), C("throttle", "MGP", "u32"),
	C("lbtot", "MCP", "u64"), C("tracked", "CNS", "str"),
	C("type", "CGS", "u32"), C("rate", "MRP", "u32"),
	C("rate_lim", "CLP", "u32"), C("rate_max", "MMP", "u32"),
	C("check_status", "MOP", "str"), C("check_code", "MOP", "u32"),
	C("check_duration", "MDP", "u64"), C("hrsp_1xx", "MCP", "u64"),
	C("hrsp_2xx", "MCP", "u64"), C("hrsp_3xx", "MCP", "u64"),
	C("hrsp_4xx", "MCP", "u64"), C("hrsp_5xx", "MCP", "u64"),
	C("hrsp_other", "MCP", "u64"), C("hanafail", "MCP", "u64"),
	C("req_rate", "MRP", "u32"), C("req_rate_max", "MMP", "u32"),
	C("req_tot", "MCP", "u64"), C("cli_abrt", "MCP", "u64"),
	C("srv_abrt", "MCP", "u64"), C("comp_in", "MCP", "u64"),
	C("comp_out", "MCP", "u64"), C("comp_byp", "MCP", "u64"),
	C("comp_rsp", "MCP", "u64"), C("lastsess", "MAP", "s32"),
	C("last_chk", "MOP", "str"), C("last_agt", "MOP", "str"),
	C("qtime", "MaP", "u32"), C("ctime", "MaP", "u32"),
	C("rtime", "MaP", "u32"), C("ttime", "MaP", "u32"),
	C("agent_status", "MOP", "str"), C("agent_code", "MOP", "u32"),
	C("agent_duration", "MDP", "u64"), C("check_desc", "MOP", "str"),
	C("agent_desc", "MOP", "str"), C("check_rise", "CGS", "u32"),
	C("check_fall", "CGS", "u32"), C("check_health", "CGS", "u32"),
	C("agent_rise", "CGS", "u32"), C("agent_fall", "CGS", "u32"),
	C("agent_health", "CGS", "u32"), C("addr", "CGS", "str"),
	C("cookie", "CGS", "str"), C("mode", "CGS", "str"),
	C("algo", "CGS", "str"), C("conn_rate", "MRP", "u32"),
	C("conn_rate_max", "MMP", "u32"), C("conn_tot", "MCP", "u64"),
	C("intercepted", "MCP", "u64"), C("dcon", "MCP", "u64"),
	C("dses", "MCP", "u64"), C("wrew", "MCP", "u64"),
	C("connect", "MCP", "u64"), C("reuse", "MCP", "u64"),
	C("cache_lookups", "MCP", "u64"), C("cache_hits", "MCP", "u64"),
	C("srv_icur", "MGP", "u32"), C("src_ilim", "CLP", "u32"),
	C("qtime_max", "MMP", "u32"), C("ctime_max", "MMP", "u32"),
	C("rtime_max", "MMP", "u32"), C("ttime_max", "MMP", "u32"),
	C("eint", "MCP", "u64"), C("idle_conn_cur", "MGP", "u32"),
	C("safe_conn_cur", "MGP", "u32"), C("used_conn_cur", "MGP", "u32"),
	C("need_conn_est", "MGP", "u32"), C("uweight", "MaP", "u32"),
	C("agg_server_status", "MGP", "u32"),
	C("agg_server_check_status", "MGP", "u32"),
	C("agg_check_status", "MGP", "u32"),
	C("ssl_sess", "MCP", "u64"), C("ssl_reused_sess", "MCP", "u64"),
	C("ssl_failed_handshake", "MCP", "u64"),
	C("h2_headers_rcvd", "MCP", "u64"), C("h2_data_rcvd", "MCP", "u64"),
	C("h2_settings_rcvd", "MCP", "u64"),
	C("h2_rst_stream_rcvd", "MCP", "u64"),
	C("h2_goaway_rcvd", "MCP", "u64"),
	C("h2_detected_conn_protocol_errors", "MCP", "u64"),
	C("h2_detected_strm_protocol_errors", "MCP", "u64"),
	C("h2_rst_stream_resp", "MCP", "u64"),
	C("h2_goaway_resp", "MCP", "u64"),
	C("h2_open_connections", "MGP", "u64"),
	C("h2_backend_open_streams", "MGP", "u64"),
	C("h2_total_connections", "MCP", "u64"),
	C("h2_backend_total_streams", "MCP", "u64"),
	C("h1_open_connections", "MGP", "u64"),
	C("h1_open_streams", "MGP", "u64"),
	C("h1_total_connections", "MCP", "u64"),
	C("h1_total_streams", "MCP", "u64"), C("h1_bytes_in", "MCP", "u64"),
	C("h1_bytes_out", "MCP", "u64"),
	C("h1_spliced_bytes_in", "MCP", "u64"),
	C("h1_spliced_bytes_out", "MCP", "u64"),
};
#undef C

/* a backend's act, bck, rate and rate_max are metrics, not a status */
static const char *
statsfmt_tags(const struct stats_obj *o, size_t i)
{
	const char *n = stats_cols[i].sc_name;

	if (o->so_kind == 'B' && (strcmp(n, "act") == 0 ||
	    strcmp(n, "bck") == 0 || strcmp(n, "rate") == 0 ||
	    strcmp(n, "rate_max") == 0))
		return "MGP";
	return stats_cols[i].sc_tags;
}

/* a value that is not the number its type says goes out as a string */
static const char *
statsfmt_type(size_t i, const char *v)
{
	const char *t = stats_cols[i].sc_type;
	const char *p = v;

	if (strcmp(t, "str") == 0)
		return t;
	if (*p == '-' && t[0] == 's')
		p++;
	if (*p == '\0' || strspn(p, "0123456789") != strlen(p) ||
	    strlen(p) > 19)
		return "str";
	return t;
}

void
statsfmt_csv(struct evbuffer *out, const struct stats_row *r)
{
	const char *v;
	size_t i;

	for (i = 0; i < STATS_NCOLS; i++) {
		/* haproxy's line between its own columns and its modules' */
		if (i == STATS_NBASE)
			evbuffer_add(out, "-,", 2);
		v = stats_v(r, i);
		if (strpbrk(v, "\n\r,\"") == NULL)
			evbuffer_add(out, v, strlen(v));
		else {
			evbuffer_add(out, "\"", 1);
			/* a quote is doubled */
			for (; *v != '\0'; v++)
				evbuffer_add(out, *v == '"' ? "\"\"" : v,
				    *v == '"' ? 2 : 1);
			evbuffer_add(out, "\"", 1);
		}
		evbuffer_add(out, ",", 1);
	}
	evbuffer_add(out, "\n", 1);
}

/* a string as it is, even a newline: haproxy's typed form */
void
statsfmt_typed(struct evbuffer *out, const struct stats_obj *o,
    const struct stats_row *r)
{
	const char *v;
	size_t i;

	for (i = 0; i < STATS_NCOLS; i++) {
		if (*(v = stats_v(r, i)) == '\0')
			continue;
		evbuffer_add_printf(out, "%c.%d.%d.%zu.%s.1:%s:%s:%s\n",
		    o->so_kind, o->so_iid, o->so_sid, i, stats_cols[i].sc_name,
		    statsfmt_tags(o, i), statsfmt_type(i, v), v);
	}
}

static const char *
statsfmt_word(char kind, int which)
{
	static const char *const w[][2] = {
	    { "K", "Key" }, { "C", "Config" }, { "M", "Metric" },
	    { "S", "Status" } }, *const nat[][2] = {
	    { "N", "Name" }, { "G", "Gauge" }, { "M", "Max" },
	    { "L", "Limit" }, { "C", "Counter" }, { "a", "Avg" },
	    { "A", "Age" }, { "R", "Rate" }, { "O", "Output" },
	    { "D", "Duration" }, { "T", "Time" } }, *const sc[][2] = {
	    { "P", "Process" }, { "S", "Service" }, { "C", "Cluster" },
	    { "s", "System" } };
	const char *const (*t)[2] = which == 0 ? w : which == 1 ? nat : sc;
	size_t n = which == 0 ? sizeof(w) / sizeof(*w) : which == 1 ?
	    sizeof(nat) / sizeof(*nat) : sizeof(sc) / sizeof(*sc), i;

	for (i = 0; i < n; i++)
		if (t[i][0][0] == kind)
			return t[i][1];
	return "Unknown";
}

/*
 * a JSON string's body: quotes, backslashes and controls escaped.
 * haproxy 2.6 writes it as it is, so that a check's info with a double
 * quote makes its answer no JSON at all; ours reads back as its value.
 */
static void
statsfmt_jstr(struct evbuffer *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			evbuffer_add_printf(out, "\\%c", c);
		else if (c < 0x20)
			evbuffer_add_printf(out, "\\u%04x", c);
		else
			evbuffer_add(out, s, 1);
	}
}

void
statsfmt_json(struct evbuffer *out, const struct stats_obj *o,
    const struct stats_row *r, int first)
{
	const char *kind = o->so_kind == 'F' ? "Frontend" : o->so_kind == 'B' ?
	    "Backend" : "Server";
	size_t i;
	int n = 0;

	evbuffer_add_printf(out, "%s[", first ? "" : ",");
	for (i = 0; i < STATS_NCOLS; i++) {
		const char *tags = statsfmt_tags(o, i), *v = stats_v(r, i);
		const char *type = statsfmt_type(i, v);

		if (*v == '\0')
			continue;
		evbuffer_add_printf(out, "%s{\"objType\":\"%s\",\"proxyId\":%d,"
		    "\"id\":%d,\"field\":{\"pos\":%zu,\"name\":\"%s\"},"
		    "\"processNum\":1,\"tags\":{\"origin\":\"%s\",\"nature\":"
		    "\"%s\",\"scope\":\"%s\"},\"value\":{\"type\":\"%s\","
		    "\"value\":", n++ ? "," : "", kind, o->so_iid, o->so_sid, i,
		    stats_cols[i].sc_name, statsfmt_word(tags[0], 0),
		    statsfmt_word(tags[1], 1), statsfmt_word(tags[2], 2), type);
		if (strcmp(type, "str") == 0) {
			evbuffer_add(out, "\"", 1);
			statsfmt_jstr(out, v);
			evbuffer_add(out, "\"", 1);
		} else
			evbuffer_add_printf(out, "%s", v);
		evbuffer_add(out, "}}", 2);
	}
	evbuffer_add(out, "]", 1);
}
