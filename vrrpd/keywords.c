/*
 * keepalived.conf keywords vrrpd reads but does not act on, one table:
 * each is either ignored (a warning: ignoring it changes nothing a user
 * of vrrpd would see, and the reason says why) or refused (an error: it
 * would change behaviour).  Keywords vrrpd implements are handled by
 * config.c; anything in neither place is an unknown keyword, an error as
 * in keepalived.  man/vrrpd.8 KEYWORDS lists the same table, and
 * tests/vrrpd/keywords.t checks the two agree with the parser.
 */
#include <string.h>

#include "parse.h"

#define G	KW_GLOBAL
#define I	KW_INSTANCE
#define S	KW_SCRIPT
#define T	KW_TOP

static const char lvs[] = "LVS load balancing is keepalived's other half, "
    "not vrrpd's job (see hashproxy(8))";
static const char sched[] = "process scheduling: set it in the service "
    "manager (systemd Nice=, CPUSchedulingPolicy=)";
static const char lowergarp[] = "a master answers a lower priority one "
    "with garp_master_repeat gratuitous ARPs";
static const char pace[] = "advert and gratuitous ARP pacing around "
    "a lower priority peer: failover is the same";
static const char parting[] = "vrrpd always does it: a master that "
    "steps down sends a parting advert (AFTER A SPLIT)";
static const char snmp[] = "vrrpd has no SNMP or D-Bus agent: poll "
    "--control status or read the state lines";
static const char changing[] = "it would change behaviour";

/* Sorted by name (a name may appear once per section). */
static const struct kw_entry kw_table[] = {
	{ "bfd_instance",		T, KW_REFUSED, changing },
	{ "check_unicast_src",		I, KW_IGNORED, "vrrpd always drops "
	    "unicast adverts from addresses not in unicast_peer" },
	{ "checker_no_swap",		G, KW_IGNORED, sched },
	{ "checker_priority",		G, KW_IGNORED, sched },
	{ "checker_rt_priority",	G, KW_IGNORED, sched },
	{ "debug",			I, KW_IGNORED, "debug level: use -v" },
	{ "default_interface",		G, KW_IGNORED, "used only by static "
	    "addresses and LVS; every vrrp_instance names its interface" },
	{ "dynamic_interfaces",		G, KW_IGNORED, "vrrpd waits in FAULT "
	    "for a missing interface anyway" },
	{ "enable_dbus",		G, KW_REFUSED, snmp },
	{ "enable_snmp_checker",	G, KW_IGNORED, lvs },
	{ "enable_snmp_keepalived",	G, KW_REFUSED, snmp },
	{ "enable_snmp_rfc",		G, KW_REFUSED, snmp },
	{ "enable_snmp_rfcv2",		G, KW_REFUSED, snmp },
	{ "enable_snmp_rfcv3",		G, KW_REFUSED, snmp },
	{ "enable_snmp_vrrp",		G, KW_REFUSED, snmp },
	{ "enable_traps",		G, KW_REFUSED, snmp },
	{ "garp_group",			T, KW_REFUSED, changing },
	{ "garp_lower_prio_delay",	I, KW_IGNORED, pace },
	{ "garp_lower_prio_repeat",	I, KW_IGNORED, lowergarp },
	{ "higher_prio_send_advert",	I, KW_IGNORED, parting },
	{ "init_fail",			S, KW_IGNORED, "vrrpd starts every "
	    "script as failed until it passes" },
	{ "ipsets",			I, KW_REFUSED, changing },
	{ "kernel_rx_buf_size",		I, KW_IGNORED, "socket buffer size" },
	{ "linkbeat_use_polling",	T, KW_IGNORED, "vrrpd follows links "
	    "through netlink events" },
	{ "lower_prio_no_advert",	I, KW_IGNORED, pace },
	{ "lvs_flush",			G, KW_IGNORED, lvs },
	{ "lvs_id",			G, KW_IGNORED, lvs },
	{ "lvs_sync_daemon",		G, KW_IGNORED, lvs },
	{ "lvs_sync_daemon_interface",	G, KW_IGNORED, lvs },
	{ "lvs_sync_daemon_interface",	I, KW_IGNORED, lvs },
	{ "lvs_timeouts",		G, KW_IGNORED, lvs },
	{ "max_auto_priority",		G, KW_IGNORED, sched },
	{ "native_ipv6",		I, KW_IGNORED, "vrrpd takes the family "
	    "from the addresses" },
	{ "net_namespace",		T, KW_REFUSED, "run vrrpd in the "
	    "namespace instead (ip netns exec)" },
	{ "preempt",			I, KW_IGNORED, "preemption is the "
	    "default (nopreempt turns it off)" },
	{ "process_names",		G, KW_IGNORED, "process names" },
	{ "script_user_check",		G, KW_IGNORED, "script checks: "
	    "vrrpd's are enable_script_security's" },
	{ "skip_check_adv_addr",	I, KW_IGNORED, "vrrpd never drops an "
	    "advert for its address list" },
	{ "static_ipaddress",		T, KW_REFUSED, changing },
	{ "static_routes",		T, KW_REFUSED, changing },
	{ "static_rules",		T, KW_REFUSED, changing },
	{ "sync_group",			I, KW_REFUSED, changing },
	{ "track_bfd",			I, KW_REFUSED, changing },
	{ "track_process",		T, KW_REFUSED, changing },
	{ "use_pid_dir",		T, KW_IGNORED, "pid files: see "
	    "--pidfile" },
	{ "virtual_server",		T, KW_IGNORED, lvs },
	{ "virtual_server_group",	T, KW_IGNORED, lvs },
	{ "vrrp_check_unicast_src",	G, KW_IGNORED, "vrrpd always drops "
	    "unicast adverts from addresses not in unicast_peer" },
	{ "vrrp_garp_interval",		G, KW_IGNORED, "gratuitous ARP "
	    "spacing: vrrpd sends garp_master_repeat of them at once" },
	{ "vrrp_garp_lower_prio_delay",	G, KW_IGNORED, pace },
	{ "vrrp_garp_lower_prio_repeat", G, KW_IGNORED, lowergarp },
	{ "vrrp_gna_interval",		G, KW_IGNORED, "neighbour advert "
	    "spacing: vrrpd sends garp_master_repeat of them at once" },
	{ "vrrp_higher_prio_send_advert", G, KW_IGNORED, parting },
	{ "vrrp_iptables",		G, KW_REFUSED, "vrrpd filters with "
	    "nftables (table inet vrrpd), not iptables" },
	{ "vrrp_lower_prio_no_advert",	G, KW_IGNORED, pace },
	{ "vrrp_nftables",		G, KW_IGNORED, "no_accept always uses "
	    "nftables table inet vrrpd" },
	{ "vrrp_nftables_counters",	G, KW_IGNORED, "no_accept always uses "
	    "nftables table inet vrrpd" },
	{ "vrrp_nftables_priority",	G, KW_IGNORED, "no_accept always uses "
	    "nftables table inet vrrpd" },
	{ "vrrp_no_swap",		G, KW_IGNORED, sched },
	{ "vrrp_priority",		G, KW_IGNORED, sched },
	{ "vrrp_rt_priority",		G, KW_IGNORED, sched },
	{ "vrrp_skip_check_adv_addr",	G, KW_IGNORED, "vrrpd never drops an "
	    "advert for its address list" },
};

const struct kw_entry *
kw_find(const char *name, int section)
{
	size_t i;

	for (i = 0; i < sizeof(kw_table) / sizeof(kw_table[0]); i++)
		if ((kw_table[i].kw_sections & section) &&
		    strcmp(kw_table[i].kw_name, name) == 0)
			return &kw_table[i];
	return NULL;
}

const struct kw_entry *
kw_all(size_t *n)
{
	*n = sizeof(kw_table) / sizeof(kw_table[0]);
	return kw_table;
}
