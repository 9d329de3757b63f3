/* SPDX-License-Identifier: ISC */
/* The scrape endpoint's address option and request line. */
#include <arpa/inet.h>
#include <string.h>

#include "promhttp.h"
#include "tap.h"

static int
parse(const char *s, int *head)
{
	return promhttp_parse(s, strlen(s), head);
}

int
main(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[256];
	int head;

	ok(promhttp_addr("127.0.0.1:9650", &ss, &len, err, sizeof(err)) == 0 &&
	    ss.ss_family == AF_INET && ntohs(((struct sockaddr_in *)&ss)->
	    sin_port) == 9650, "127.0.0.1:9650");
	ok(promhttp_addr("[::1]:9650", &ss, &len, err, sizeof(err)) == 0 &&
	    ss.ss_family == AF_INET6, "[::1]:9650");
	ok(promhttp_addr("0.0.0.0:1", &ss, &len, err, sizeof(err)) == 0,
	    "0.0.0.0:1");
	ok(promhttp_addr("127.0.0.1", &ss, &len, err, sizeof(err)) == -1 &&
	    strstr(err, "should be ADDR:PORT"), "no port: %s", err);
	ok(promhttp_addr("[::1]", &ss, &len, err, sizeof(err)) == -1,
	    "[::1] without a port");
	ok(promhttp_addr("127.0.0.1:", &ss, &len, err, sizeof(err)) == -1,
	    "an empty port");
	ok(promhttp_addr("127.0.0.1:0", &ss, &len, err, sizeof(err)) == -1,
	    "port 0: %s", err);
	ok(promhttp_addr("127.0.0.1:65536", &ss, &len, err, sizeof(err)) == -1,
	    "port 65536");
	ok(promhttp_addr("localhost:9650", &ss, &len, err, sizeof(err)) == -1,
	    "a name, not an address");
	ok(promhttp_addr(":9650", &ss, &len, err, sizeof(err)) == -1,
	    "no address");

	is_int(parse("GET /metrics HTTP/1.1", &head), 200, "GET /metrics");
	is_int(head, 0, "not HEAD");
	is_int(parse("HEAD /metrics HTTP/1.0", &head), 200, "HEAD /metrics");
	is_int(head, 1, "HEAD");
	is_int(parse("GET /metrics?name[]=up HTTP/1.1", &head), 200,
	    "query parameters");
	is_int(parse("GET /metricsx HTTP/1.1", &head), 404, "/metricsx");
	is_int(parse("GET / HTTP/1.1", &head), 404, "/");
	is_int(parse("HEAD / HTTP/1.1", &head), 404, "HEAD /");
	is_int(head, 0, "head only set with 200");
	is_int(parse("POST /metrics HTTP/1.1", &head), 405, "POST");
	is_int(parse("get /metrics HTTP/1.1", &head), 405,
	    "methods are case-sensitive");
	is_int(parse("GET /metrics", &head), 400, "HTTP/0.9 form");
	is_int(parse("GET /metrics HTTP/2.0", &head), 400, "HTTP/2.0");
	is_int(parse("GET /metrics HTTP/1.1 x", &head), 400, "trailing junk");
	is_int(parse("", &head), 400, "empty");
	is_int(promhttp_parse("GET /metrics\0 HTTP/1.1", 22, &head), 400,
	    "a NUL inside");
	done_testing();
}
