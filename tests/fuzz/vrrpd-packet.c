/* SPDX-License-Identifier: ISC */
/* libFuzzer: the VRRP parser over IPv4 datagrams and IPv6 payloads. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vrrp_pkt p;
	struct vrrp_expect e = { 2, 51, VRRP_AUTH_PASS, "s3cret", 1 };
	struct in6_addr src, dst;
	char err[256];

	if (vrrp_pkt_parse4(data, size, &p, err, sizeof(err)) == VRRP_OK)
		(void)vrrp_pkt_check(&p, &e, err, sizeof(err));
	if (size >= 33) {
		memcpy(&src, data, 16);
		memcpy(&dst, data + 16, 16);
		if (vrrp_pkt_parse6(data + 33, size - 33, &src, &dst, data[32],
		    &p, err, sizeof(err)) == VRRP_OK)
			(void)vrrp_pkt_check(&p, &e, err, sizeof(err));
	}
	return 0;
}
