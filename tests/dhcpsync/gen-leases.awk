# SPDX-License-Identifier: ISC
# awk -v n=N [-v off=K] -f gen-leases.awk: N lease blocks as dhcpd writes
# them, addresses 10.64.x.y (10.65... past 62,500) from the K-th on, one
# client each.
BEGIN {
	for (i = off + 0; i < off + n; i++)
		printf "lease 10.%d.%d.%d {\n" \
		    "  starts 3 2024/01/10 12:00:00;\n" \
		    "  ends 3 2024/01/10 13:00:00;\n" \
		    "  cltt 3 2024/01/10 12:%02d:%02d;\n" \
		    "  binding state active;\n" \
		    "  next binding state free;\n" \
		    "  rewind binding state free;\n" \
		    "  hardware ethernet 52:54:%02x:%02x:%02x:01;\n" \
		    "  client-hostname \"h%d\";\n}\n", 64 + int(i / 62500),
		    int(i / 250) % 250, i % 250 + 1,
		    int(i / 60) % 60, i % 60, int(i / 65536) % 256,
		    int(i / 256) % 256, i % 256, i
}
